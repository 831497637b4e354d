//! Live reload of the rules: the rules directory is watched (inotify, through the notify crate) and
//! read again after every change and on SIGHUP. New rules go into force only if `clerk check` would pass
//! them; otherwise what is wrong is logged, once per distinct problem, and the last good rules stay in
//! force until the next good edit. Batches already being handled finish with the rules they started
//! with (see [`CurrentRules`]).
//!
//! Reading and checking the rules (templates rendered, embedded tests run) happens on a thread of its
//! own with a deadline: a reload that has not finished by [`DEADLINE`] is given up with an error naming
//! the step it was at, and the last good rules stay. Nothing waits for such a thread: not the next
//! change (no second reload starts while one is stuck; the rules are read again once it ends) and
//! not the daemon's stop.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use tokio::sync::{mpsc, oneshot, watch};
use tracing::{error, info, warn};

use crate::check::{Report, load_checked_noting};
use crate::intake::CurrentRules;
use crate::rules::RuleSet;

/// How long after a change the directory is read: an editor's save (write, rename, chmod) or a `git
/// checkout` is many events, and a half-written file must not be read.
const SETTLE: Duration = Duration::from_millis(300);

/// How often clerk checks that the rules directory is still the one it watches: a deploy that swaps a
/// symlink, or replaces the directory, leaves the old watch looking at nothing.
const RECHECK: Duration = Duration::from_secs(5);

/// How long reading and checking the rules may take before a reload is given up. The shipped office
/// takes a fraction of a second; templates are bounded by their fuel, so only something outside
/// clerk's control (a file on a hung network share, a FIFO named like a rule file) gets near this.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Keeps `rules` up to date with the directory `dir` until `stopped` turns true.
pub async fn keep_rules_current(rules: CurrentRules, dir: PathBuf, stopped: watch::Receiver<bool>) {
    keep_current(rules, dir, DEADLINE, stopped).await;
}

/// [`keep_rules_current`], each reload given `deadline`.
async fn keep_current(
    rules: CurrentRules,
    dir: PathBuf,
    deadline: Duration,
    mut stopped: watch::Receiver<bool>,
) {
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
    // A reload given up at its deadline whose thread still runs.
    let mut stuck: Option<Loading> = None;
    loop {
        let why = tokio::select! {
            _ = stopped.changed() => return,
            Some(()) = changes.recv() => "the rules changed",
            Some(()) = async { hangup.as_mut()?.recv().await } => "SIGHUP",
            Some(()) = async {
                // Ended with rules, or without (a panic): either way it no longer holds anything up.
                let _ = (&mut stuck.as_mut()?.result).await;
                Some(())
            } => {
                if let Some(slow) = stuck.take() {
                    warn!(seconds = slow.started.elapsed().as_secs(), "the reload given up earlier has ended");
                }
                "a slow reload ended"
            }
            _ = tokio::time::sleep(RECHECK) => {
                if watched.identity == identity(&dir) {
                    continue;
                }
                watched = Watched::start(&dir, &changed);
                "the rules directory was replaced"
            }
        };
        tokio::select! {
            _ = stopped.changed() => return,
            _ = tokio::time::sleep(SETTLE) => {}
        }
        while changes.try_recv().is_ok() {}
        if let Some(slow) = &stuck {
            // A second stuck thread would only add to the first; the rules are read again when it ends.
            error!(reason = why, dir = %dir.display(), step = slow.step(),
                   seconds = slow.started.elapsed().as_secs(),
                   "the rules are not read again while an earlier reload is still stuck; the last good rules stay in force");
            continue;
        }
        let Some(mut loading) = Loading::start(&dir) else {
            continue;
        };
        let loaded = tokio::select! {
            _ = stopped.changed() => return,
            loaded = finish_within(&mut loading, deadline) => loaded,
        };
        match loaded {
            Some(Ok((new_rules, report))) => {
                info!(reason = why, rules = new_rules.rules.len(), tests = report.tests, dir = %dir.display(),
                      "rules reloaded");
                for warning in &report.warnings {
                    warn!("{warning}");
                }
                rules.replace(new_rules);
                last_refusal = None;
            }
            Some(Err(report)) => {
                let text = problems(&report);
                if last_refusal.as_ref() != Some(&text) {
                    error!(reason = why, dir = %dir.display(), "the edited rules are refused; the last good rules stay in force");
                    for line in text.lines() {
                        error!("{line}");
                    }
                    last_refusal = Some(text);
                }
            }
            None => {
                error!(reason = why, dir = %dir.display(), step = loading.step(), seconds = deadline.as_secs_f64(),
                       "the reload did not finish in time and is given up; the last good rules stay in force");
                last_refusal = None;
                stuck = Some(loading);
            }
        }
    }
}

/// What loading and checking the rules gives: the rules if `clerk check` passes them, and its report.
type Loaded = Result<(RuleSet, Report), Box<Report>>;

/// A reload running on a thread of its own.
struct Loading {
    /// Where the thread sends its result; closed without one if it panicked.
    result: oneshot::Receiver<Loaded>,
    /// The step it is at, for the message when it is given up.
    step: Arc<Mutex<&'static str>>,
    started: Instant,
}

impl Loading {
    /// Starts reading and checking `dir`. A plain thread rather than the runtime's blocking pool,
    /// which the runtime waits for when it shuts down.
    fn start(dir: &Path) -> Option<Loading> {
        let (done, result) = oneshot::channel();
        let step = Arc::new(Mutex::new("starting"));
        let noted = Arc::clone(&step);
        let dir = dir.to_owned();
        let spawned = std::thread::Builder::new().name("clerk-reload".into()).spawn(move || {
            let loaded = load_checked_noting(&dir, &|now| {
                if let Ok(mut step) = noted.lock() {
                    *step = now;
                }
            });
            done.send(loaded).ok();
        });
        match spawned {
            Ok(_) => Some(Loading { result, step, started: Instant::now() }),
            Err(e) => {
                error!(error = %e, "cannot start a thread to read the rules; the last good rules stay in force");
                None
            }
        }
    }

    /// The step the reload is at.
    fn step(&self) -> &'static str {
        self.step.lock().map_or("unknown", |step| *step)
    }
}

/// The result of `loading` if it comes within `deadline`. A load that panicked is reported and gives
/// a refusal, so the last good rules stay.
async fn finish_within(loading: &mut Loading, deadline: Duration) -> Option<Loaded> {
    match tokio::time::timeout(deadline, &mut loading.result).await {
        Ok(Ok(loaded)) => Some(loaded),
        Ok(Err(_)) => {
            let message = format!("reading the rules failed unexpectedly while {}", loading.step());
            Some(Err(Box::new(Report { errors: vec![message], ..Report::default() })))
        }
        Err(_) => None,
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

#[cfg(test)]
mod tests;
