//! `clerk retry`: failed messages handled again after a fix (new rules, a new clerk), through the
//! journal, so that each is handled once however often the command runs and whether or not the daemon
//! runs beside it.
//!
//! A failed message keeps its text in the database, so a retry does not depend on where the message
//! is now (moved to quarantine, or deleted). The retry decides it with the rules in force and records
//! the outcome in one transaction that checks the message is still failed; the replies it queues are
//! sent by the running daemon, or by this command when no daemon runs.

use std::fmt;

use crate::daemon::Office;
use crate::intake::describe;
use crate::store::{FailedMail, Handled, JournalEntry, Verdict};

/// What became of one failed message.
#[derive(Debug)]
pub struct Retried {
    pub journal_id: i64,
    pub entry: JournalEntry,
    /// The new outcome, or `None` when another retry recorded one first.
    pub handled: Option<Handled>,
}

/// Retries the failed messages `ids` (journal ids), or all of them when `ids` is empty, oldest first.
/// Messages that failed before clerk kept their text cannot be retried and are not listed.
pub async fn retry(office: &Office, ids: Vec<i64>) -> anyhow::Result<Vec<Retried>> {
    let failed: Vec<FailedMail> = office.db.run(move |store| store.failed_mail(&ids)).await?;
    let mut done = Vec::with_capacity(failed.len());
    for mail in failed {
        let (journal_id, entry) = (mail.journal_id, mail.entry.clone());
        let handled = office.intake_of(&entry.mailbox).retry(mail).await?;
        done.push(Retried { journal_id, entry, handled });
    }
    Ok(done)
}

/// The failed messages a retry would take up, for `clerk retry` without arguments.
pub async fn retriable(office: &Office) -> anyhow::Result<Vec<FailedMail>> {
    Ok(office.db.run(|store| store.failed_mail(&[])).await?)
}

impl fmt::Display for Retried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{} {}", self.journal_id, name(&self.entry))?;
        match &self.handled {
            None => write!(f, ": already retried by another run; nothing done"),
            Some(Handled { verdict: Verdict::Failed { error }, .. }) => write!(f, ": failed again: {error}"),
            Some(Handled { verdict: Verdict::Processed { rule, desk, notes, .. }, effects, .. }) => {
                write!(f, ": handled by rule {}", rule.as_deref().unwrap_or("(none)"))?;
                if let Some(desk) = desk {
                    write!(f, " at the {desk} desk")?;
                }
                let effects: Vec<String> = effects.iter().map(describe).collect();
                if !effects.is_empty() {
                    write!(f, "; {}", effects.join(", "))?;
                }
                for note in notes {
                    write!(f, "; {note}")?;
                }
                Ok(())
            }
            Some(Handled { verdict: Verdict::Duplicate { .. }, .. }) => {
                write!(f, ": the same message was handled meanwhile; nothing done")
            }
            Some(Handled { verdict: Verdict::TooLarge { size }, .. }) => {
                write!(f, ": too large ({size} bytes)")
            }
        }
    }
}

/// How a message is named to an operator: its Message-ID, sender and subject.
pub fn name(entry: &JournalEntry) -> String {
    let id =
        entry.message_id.as_deref().map_or_else(|| "(no Message-ID)".to_string(), |id| format!("<{id}>"));
    format!("{id} from {} \"{}\"", entry.sender.as_deref().unwrap_or("(unknown sender)"), entry.subject)
}
