//! Telling systemd how clerk is doing (`Type=notify`): `READY=1` once the rules are loaded and every
//! watched folder has made first contact with its server (connected, or failed and retrying: a server
//! that is down must not keep the service from starting), `STATUS=` lines summing up the folders and the
//! outbox, `WATCHDOG=1` keep-alives at half the interval systemd asks for (`WatchdogSec=`), and
//! `STOPPING=1`. Outside systemd (no `NOTIFY_SOCKET`) every notification is a no-op.

use std::time::Duration;

use sd_notify::NotifyState;
use tokio::sync::watch;
use tracing::{debug, warn};

use crate::store::{Db, Store, StoreError};

/// How long READY waits for folders that have not reported in.
const READY_AT_LATEST: Duration = Duration::from_secs(60);
/// How often the status line is refreshed when no watchdog asks for more.
const STATUS_EVERY: Duration = Duration::from_secs(30);

/// Reports to systemd until `stopped` turns true; `folders` is how many watchers were started.
pub async fn report(db: Db, folders: usize, mut stopped: watch::Receiver<bool>) {
    let waiting = tokio::time::Instant::now();
    loop {
        let reported = db.run(|store| store.watch_statuses().map(|s| s.len())).await.unwrap_or(0);
        if reported >= folders || waiting.elapsed() >= READY_AT_LATEST {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
            _ = stopped.changed() => return,
        }
    }
    let mut line = summary(&db).await;
    send(&[NotifyState::Ready, NotifyState::Status(&line)]);
    let watchdog = sd_notify::watchdog_enabled();
    let every = watchdog.map_or(STATUS_EVERY, |interval| (interval / 2).min(STATUS_EVERY));
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stopped.changed() => {
                send(&[NotifyState::Stopping, NotifyState::Status("stopping: finishing the batches in hand")]);
                return;
            }
        }
        let now = summary(&db).await;
        if now != line {
            line = now;
            send(&[NotifyState::Status(&line)]);
        }
        if watchdog.is_some() {
            send(&[NotifyState::Watchdog]);
        }
    }
}

/// `2 folders connected, 1 reconnecting; outbox 3 waiting; 14 handled in 24 h`.
async fn summary(db: &Db) -> String {
    match db.run(|store| summarise(store, crate::store::now())).await {
        Ok(line) => line,
        Err(e) => format!("cannot read the database: {e}"),
    }
}

fn summarise(store: &Store, now: i64) -> Result<String, StoreError> {
    let status = crate::status::read(store, now)?;
    let state = |name: &str| status.mailboxes.iter().filter(|m| m.state == name).count();
    let waiting = status.outbox.iter().filter(|m| m.status == "pending" || m.status == "sending").count();
    let held = status.outbox.len() - waiting;
    let handled: i64 = status.handled_last_24h.values().sum();
    let mut line = format!("{} folders connected", state("connected"));
    if state("reconnecting") > 0 {
        line += &format!(", {} reconnecting", state("reconnecting"));
    }
    line += &format!("; outbox {waiting} waiting");
    if held > 0 {
        line += &format!(", {held} held or refused");
    }
    line += &format!("; {handled} handled in 24 h");
    Ok(line)
}

fn send(states: &[NotifyState]) {
    match sd_notify::notify(states) {
        Ok(()) => debug!(?states, "told the service manager"),
        Err(e) => warn!(error = %e, "cannot notify the service manager"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_sums_up_folders_outbox_and_work() {
        let mut store = Store::open_in_memory().unwrap();
        store.note_watch("office", "INBOX", "connected", None).unwrap();
        store.note_watch("office", "Sales", "reconnecting", Some("refused")).unwrap();
        assert_eq!(
            summarise(&store, crate::store::now()).unwrap(),
            "1 folders connected, 1 reconnecting; outbox 0 waiting; 0 handled in 24 h"
        );
    }
}
