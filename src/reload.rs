//! Live reload of the rules: the rules directory is watched (inotify, through the notify crate) and
//! read again after every change and on SIGHUP. New rules go into force only if `clerk check` would pass
//! them; otherwise what is wrong is logged, once per distinct problem, and the last good rules stay in
//! force until the next good edit. Batches already being handled finish with the rules they started
//! with (see [`CurrentRules`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tokio::sync::{mpsc, watch};
use tracing::{error, info, warn};

use crate::check::{Report, load_checked};
use crate::intake::CurrentRules;

/// How long after a change the directory is read: an editor's save (write, rename, chmod) or a `git
/// checkout` is many events, and a half-written file must not be read.
const SETTLE: Duration = Duration::from_millis(300);

/// How often clerk checks that the rules directory is still the one it watches: a deploy that swaps a
/// symlink, or replaces the directory, leaves the old watch looking at nothing.
const RECHECK: Duration = Duration::from_secs(5);

/// Keeps `rules` up to date with the directory `dir` until `stopped` turns true.
pub async fn keep_rules_current(rules: CurrentRules, dir: PathBuf, mut stopped: watch::Receiver<bool>) {
    let (changed, mut changes) = mpsc::unbounded_channel();
    let mut watched = Watched::start(&dir, &changed);
    let mut hangup = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(signal) => Some(signal),
        Err(e) => {
            warn!(error = %e, "cannot listen for SIGHUP");
            None
        }
    };
    let mut last_refusal: Option<String> = None;
    loop {
        let why = tokio::select! {
            _ = stopped.changed() => return,
            Some(()) = changes.recv() => "the rules changed",
            Some(()) = async { hangup.as_mut()?.recv().await } => "SIGHUP",
            _ = tokio::time::sleep(RECHECK) => {
                if watched.identity == identity(&dir) {
                    continue;
                }
                watched = Watched::start(&dir, &changed);
                "the rules directory was replaced"
            }
        };
        tokio::time::sleep(SETTLE).await;
        while changes.try_recv().is_ok() {}
        let load_dir = dir.clone();
        let Ok(loaded) = tokio::task::spawn_blocking(move || load_checked(&load_dir)).await else {
            continue;
        };
        match loaded {
            Ok((new_rules, report)) => {
                info!(reason = why, rules = new_rules.rules.len(), tests = report.tests, dir = %dir.display(),
                      "rules reloaded");
                for warning in &report.warnings {
                    warn!("{warning}");
                }
                rules.replace(new_rules);
                last_refusal = None;
            }
            Err(report) => {
                let text = problems(&report);
                if last_refusal.as_ref() != Some(&text) {
                    error!(reason = why, dir = %dir.display(), "the edited rules are refused; the last good rules stay in force");
                    for line in text.lines() {
                        error!("{line}");
                    }
                    last_refusal = Some(text);
                }
            }
        }
    }
}

/// What makes `clerk check` fail, one problem per line, as it prints them.
fn problems(report: &Report) -> String {
    let errors = report.errors.iter().map(|e| format!("error: {e}"));
    let failures = report.failures.iter().map(|f| format!("FAIL: {f}"));
    errors.chain(failures).collect::<Vec<_>>().join("\n")
}

/// The watch on the rules directory, and which directory it is.
struct Watched {
    /// Dropping it ends the watch.
    _watcher: Option<notify::RecommendedWatcher>,
    identity: Option<(u64, u64)>,
}

impl Watched {
    /// Watches `dir`, sending on `changed` for every change. Without a watcher (no inotify, too many
    /// watches) SIGHUP still reloads.
    fn start(dir: &Path, changed: &mpsc::UnboundedSender<()>) -> Watched {
        let changed = changed.clone();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
            Ok(event) if !event.kind.is_access() => {
                changed.send(()).ok();
            }
            Ok(_) => {}
            Err(e) => warn!(error = %e, "watching the rules for changes failed; reload with SIGHUP"),
        });
        let watcher = match watcher.and_then(|mut w| w.watch(dir, RecursiveMode::Recursive).map(|()| w)) {
            Ok(watcher) => Some(watcher),
            Err(e) => {
                warn!(dir = %dir.display(), error = %e, "cannot watch the rules for changes; reload with SIGHUP");
                None
            }
        };
        Watched { _watcher: watcher, identity: identity(dir) }
    }
}

/// The device and inode `dir` leads to (through symlinks), to notice it being replaced.
fn identity(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
}
