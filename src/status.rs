//! `clerk status`: how the office is doing, read from the database alone (so it works while the daemon
//! runs, and never changes anything): each watched folder's connection and its last look for mail, the
//! outbox, what was handled per desk in the last 24 hours, and the messages that failed.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::store::{FailedMessage, Store, StoreError, UnsentMail, WatchStatus};

/// A watcher that says it is connected but has not looked for mail for this long is probably not
/// running any more (a watcher looks at least every five minutes, even in a silent IDLE).
const SILENT_FOR: i64 = 10 * 60;
/// How many failed messages are listed.
const FAILED_SHOWN: usize = 20;

/// Everything `clerk status` shows; `--json` prints it as is (times in unix seconds).
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// When this was read.
    pub now: i64,
    pub mailboxes: Vec<WatchStatus>,
    /// Mail not (yet) sent: waiting, held as uncertain, or refused.
    pub outbox: Vec<UnsentMail>,
    /// Messages handled in the last 24 hours, by desk (`-`: no desk).
    pub handled_last_24h: BTreeMap<String, i64>,
    /// The most recent messages that failed, newest first.
    pub failed: Vec<FailedMessage>,
}

/// Reads the status at `now` (unix seconds).
pub fn read(store: &Store, now: i64) -> Result<Status, StoreError> {
    Ok(Status {
        now,
        mailboxes: store.watch_statuses()?,
        outbox: store.unsent_mail()?,
        handled_last_24h: store.handled_per_desk(now - 86_400)?,
        failed: store.failed_messages(FAILED_SHOWN)?,
    })
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Mailboxes")?;
        if self.mailboxes.is_empty() {
            writeln!(f, "  none watched yet: is clerk running?")?;
        }
        for watcher in &self.mailboxes {
            write!(
                f,
                "  {}/{}: {} for {}",
                watcher.mailbox,
                watcher.folder,
                watcher.state,
                ago(self.now, watcher.since)
            )?;
            if let Some(detail) = &watcher.detail {
                write!(f, " ({detail})")?;
            }
            match watcher.last_sync {
                Some(at) => write!(f, "; last looked for mail {} ago", ago(self.now, at))?,
                None => write!(f, "; has not looked for mail yet")?,
            }
            let silent = self.now - watcher.last_sync.unwrap_or(watcher.since);
            if watcher.state == "connected" && silent > SILENT_FOR {
                write!(f, " - no sign of life since: is clerk running?")?;
            }
            writeln!(f)?;
        }

        let count = |status: &str| self.outbox.iter().filter(|m| m.status == status).count();
        writeln!(
            f,
            "Outbox: {} waiting, {} held (uncertain: see `clerk outbox`), {} refused",
            count("pending") + count("sending"),
            count("uncertain"),
            count("failed")
        )?;
        for mail in self.outbox.iter().filter(|m| m.status != "pending" || m.last_error.is_some()) {
            write!(f, "  {:<10} <{}> to {}", mail.status, mail.message_id, mail.recipients.join(", "))?;
            if let Some(error) = &mail.last_error {
                write!(f, ": {error}")?;
            }
            writeln!(f)?;
        }

        let total: i64 = self.handled_last_24h.values().sum();
        let per_desk: Vec<String> = self
            .handled_last_24h
            .iter()
            .map(|(desk, n)| if desk == "-" { format!("no desk {n}") } else { format!("{desk} {n}") })
            .collect();
        write!(f, "Handled in the last 24 hours: {total}")?;
        if !per_desk.is_empty() {
            write!(f, " ({})", per_desk.join(", "))?;
        }
        writeln!(f)?;

        if self.failed.is_empty() {
            return writeln!(f, "Failed messages: none");
        }
        writeln!(
            f,
            "Failed messages (newest first; `clerk explain` shows why a message does what it does, \
             `clerk retry ID` handles one again after a fix):"
        )?;
        for failed in &self.failed {
            write!(f, "  #{} {}/{} {}", failed.id, failed.mailbox, failed.folder, failed.item)?;
            if let Some(id) = &failed.message_id {
                write!(f, " <{id}>")?;
            }
            write!(f, " {} ago", ago(self.now, failed.seen_at))?;
            writeln!(f, ": {}", failed.error.as_deref().unwrap_or("no error recorded"))?;
        }
        Ok(())
    }
}

/// A duration in the largest whole unit that fits: `42 s`, `5 min`, `3 h`, `2 days`.
fn ago(now: i64, then: i64) -> String {
    match (now - then).max(0) {
        s if s < 120 => format!("{s} s"),
        s if s < 7_200 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3_600),
        s => format!("{} days", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_the_largest_unit_that_fits() {
        assert_eq!(ago(1_000, 958), "42 s");
        assert_eq!(ago(10_000, 10_000 - 300), "5 min");
        assert_eq!(ago(100_000, 100_000 - 3 * 3_600), "3 h");
        assert_eq!(ago(1_000_000, 1_000_000 - 2 * 86_400), "2 days");
    }

    #[test]
    fn a_connected_watcher_that_went_silent_is_pointed_out() {
        let mut store = Store::open_in_memory().unwrap();
        store.note_watch("office", "INBOX", "connected", None).unwrap();
        store.note_sync("office", "INBOX").unwrap();
        let now = crate::store::now();
        let fresh = read(&store, now).unwrap().to_string();
        assert!(fresh.contains("office/INBOX: connected for 0 s; last looked for mail 0 s ago\n"), "{fresh}");
        let later = read(&store, now + 3_600).unwrap().to_string();
        assert!(later.contains("no sign of life since: is clerk running?"), "{later}");
    }

    #[test]
    fn an_empty_office_says_so() {
        let store = Store::open_in_memory().unwrap();
        let text = read(&store, 0).unwrap().to_string();
        assert!(text.contains("none watched yet"), "{text}");
        assert!(text.contains("Outbox: 0 waiting, 0 held"), "{text}");
        assert!(text.contains("Failed messages: none"), "{text}");
    }
}
