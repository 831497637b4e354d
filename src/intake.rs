//! Intake: where fetched mail becomes journaled, handled mail.
//!
//! Sources (IMAP folders, Maildirs) hand over raw messages in batches; the intake parses each one,
//! recognises a message it has seen before, asks the rules what to do, and records the whole batch
//! with every effect in one transaction, the same one its decisions read the store in. It is the only
//! place where ingest meets the rules, so the sources stay ignorant of rules and the rules of mailboxes.
//!
//! It is also where one message's failure is kept to that message: see [`Intake::handle`] and the
//! README's "Failed messages".

mod decide;
mod durable;
mod fault;
mod read;
mod watchdog;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Notify, watch};
use tracing::{info, warn};

use self::decide::{Place, decide_all};
pub use self::fault::remember_panic_places;
use self::read::read_all;
pub use self::watchdog::{EXIT_STUCK, listen_for_stuck_messages};
use self::watchdog::{Holding, Watching, stop_when_stuck};
use crate::effects::Effect;
use crate::rules::RuleSet;
use crate::sources::{Content, Fetched, Sink, SinkError};
use crate::store::{Db, FailedMail, Handled, Position, Store, StoreError, Verdict};

/// Why a batch could not be recorded. Nothing of the batch is stored then; the source retries it.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the intake was closed")]
    Closed,
}

/// The rules in force, replaceable while the daemon runs (a reload swaps the `Arc`; batches in flight
/// finish with the rules they started with). Held in a watch channel so the scheduler, which sleeps
/// until its next slot, hears of new rules (a schedule added or changed) at once.
#[derive(Clone)]
pub struct CurrentRules(Arc<watch::Sender<Arc<RuleSet>>>);

impl CurrentRules {
    pub fn new(rules: RuleSet) -> CurrentRules {
        CurrentRules(Arc::new(watch::Sender::new(Arc::new(rules))))
    }

    /// The rules to use for the next batch.
    pub fn get(&self) -> Arc<RuleSet> {
        self.0.borrow().clone()
    }

    /// Puts new rules in force.
    pub fn replace(&self, rules: RuleSet) {
        self.0.send_replace(Arc::new(rules));
    }

    /// A receiver that sees every replacement from now on.
    pub fn changes(&self) -> watch::Receiver<Arc<RuleSet>> {
        self.0.subscribe()
    }
}

/// A batch holding more than this many bytes waits for any other such batch to be done.
const BIG_BATCH_BYTES: usize = 8_000_000;

/// The intake is what every source hands its mail to (the daemon wires them together).
impl Sink for Intake {
    fn take(
        &self,
        mailbox: String,
        folder: String,
        batch: Vec<Fetched>,
        position: Option<Position>,
    ) -> futures::future::BoxFuture<'static, Result<(), SinkError>> {
        let intake = self.clone();
        Box::pin(async move { Ok(intake.handle(&mailbox, &folder, batch, position).await?) })
    }
}

/// Handles batches of fetched mail for one mailbox.
#[derive(Clone)]
pub struct Intake {
    db: Db,
    rules: CurrentRules,
    /// Woken after every commit that may have queued mail.
    outbox: Arc<Notify>,
    /// Folder for messages clerk cannot handle, if the mailbox names one.
    quarantine: Option<String>,
    /// How long deciding one message may take.
    time_budget: Duration,
}

impl Intake {
    pub fn new(
        db: Db,
        rules: CurrentRules,
        outbox: Arc<Notify>,
        quarantine: Option<String>,
        time_budget: Duration,
    ) -> Intake {
        Intake { db, rules, outbox, quarantine, time_budget }
    }

    /// Parses, classifies and records one batch (moving `position` forward in the same transaction).
    ///
    /// A message that fails (an error, a panic, its time budget) is recorded as failed on its own and
    /// the batch goes on. One that never finishes stops clerk after a few budgets (see
    /// [`EXIT_STUCK`]); it is then known at the next start and, after stopping clerk again when tried
    /// alone, recorded as failed. A database another writer keeps busy is waited for, not blamed on
    /// the mail.
    pub async fn handle(
        &self,
        mailbox: &str,
        folder: &str,
        batch: Vec<Fetched>,
        position: Option<Position>,
    ) -> Result<(), IntakeError> {
        let started = Instant::now();
        // One big batch at a time in the whole process: two folders (or mailboxes) each deciding a
        // 50 MB message at once would pass clerk's memory budget.
        static BIG_WORK: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
        let bytes: usize = batch.iter().map(|f| durable::size(&f.content)).sum();
        let _big = if bytes > BIG_BATCH_BYTES {
            Some(BIG_WORK.acquire().await.map_err(|_| IntakeError::Closed)?)
        } else {
            None
        };
        let rules = self.rules.get();
        let (mailbox, folder, quarantine) =
            (mailbox.to_string(), folder.to_string(), self.quarantine.clone());
        let time_budget = self.time_budget;
        let handled = self
            .watched(Watching::Mail, move |store, holding| {
                let place = Place {
                    mailbox: &mailbox,
                    folder: &folder,
                    quarantine: quarantine.as_deref(),
                    time_budget,
                    retry_of: None,
                };
                durable::handle_durably(store, &rules, &place, batch, position, holding)
            })
            .await?;
        crate::metrics::PROCESSING.observe(started.elapsed(), handled.len() as u64);
        self.after(&handled);
        Ok(())
    }

    /// Handles a failed message again with the rules in force (`clerk retry`), recording the outcome
    /// only if the message is still failed: however many retries run at once, one is done. Returns
    /// the outcome, or `None` when another retry got there first.
    ///
    /// A message moved to quarantine when it failed stays there: its moves and flags are left out and
    /// a note says where it is.
    pub async fn retry(&self, failed: FailedMail) -> Result<Option<Handled>, IntakeError> {
        let rules = self.rules.get();
        let time_budget = self.time_budget;
        let quarantine = self.quarantine.clone().filter(|_| failed.moved_to.is_none());
        let handled = self
            .watched(Watching::Retry, move |store, holding| {
                let Some(raw) = store.failed_text(failed.journal_id)? else {
                    return Ok(None);
                };
                let place = Place {
                    mailbox: &failed.entry.mailbox,
                    folder: &failed.entry.folder,
                    quarantine: quarantine.as_deref(),
                    time_budget,
                    retry_of: Some(failed.journal_id),
                };
                let item = failed.entry.item.clone();
                holding.hold_reading(&place, &[&item], raw.len());
                let reads = read_all(vec![Fetched { item: item.clone(), content: Content::Whole(raw) }]);
                holding.release();
                durable::patiently(store, |store| {
                    store.decide_and_record(
                        |store| decide_all(store, &rules, &place, &reads, holding),
                        |store, mut handled| {
                            let Some(mut handled) = handled.pop() else { return Ok(None) };
                            if let (Some(folder), Verdict::Processed { notes, .. }) =
                                (&failed.moved_to, &mut handled.verdict)
                            {
                                handled
                                    .effects
                                    .retain(|e| !matches!(e, Effect::Move { .. } | Effect::Flag { .. }));
                                notes.push(format!(
                                    "left in {folder}, where it was moved when it failed; file it by hand"
                                ));
                            }
                            Ok(store.record_retry(failed.journal_id, &handled)?.then_some(handled))
                        },
                    )
                })
            })
            .await?;
        if let Some(h) = &handled {
            self.after(std::slice::from_ref(h));
        }
        Ok(handled)
    }

    /// Runs `work` with the store on the blocking pool, under the watchdog.
    async fn watched<T: Send + 'static>(
        &self,
        watching: Watching,
        work: impl FnOnce(&mut Store, &Holding) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let holding = Holding::default();
        let watched = holding.clone();
        let running = self.db.run(move |store| work(store, &watched));
        tokio::select! {
            done = running => done,
            () = stop_when_stuck(&holding, watching) => unreachable!("the watchdog does not return"),
        }
    }

    /// Logs what was handled and wakes the outbox when mail was queued.
    fn after(&self, handled: &[Handled]) {
        for h in handled {
            log_outcome(h);
        }
        if handled.iter().any(|h| h.effects.iter().any(|e| matches!(e, Effect::Send { .. }))) {
            self.outbox.notify_one();
        }
    }
}

/// The longest a list of effects or a note is written in the log, in bytes: the whole is in the
/// journal (`clerk status`, `clerk explain`), and a line stays one a person reads in `journalctl`.
const LOGGED_TEXT: usize = 200;

/// What became of one message, for the log: a `handled` line with the rule, the desk and the effects,
/// then each note of the guard or the desk (a reply held back, a ticket's command) on a line of its
/// own, labelled `note`, with the Message-ID that ties it to its message.
fn log_outcome(h: &Handled) {
    if !tracing::enabled!(tracing::Level::INFO) {
        return;
    }
    let e = &h.entry;
    let message_id = e.message_id.as_deref().unwrap_or("-");
    match &h.verdict {
        Verdict::Processed { rule, desk, notes, .. } => {
            let effects: Vec<String> = h.effects.iter().map(describe).collect();
            let effects = if effects.is_empty() { "none".to_owned() } else { effects.join(", ") };
            info!(mailbox = %e.mailbox, folder = %e.folder, item = %e.item, message_id,
                  rule = rule.as_deref().unwrap_or("-"), desk = desk.as_deref().unwrap_or("-"),
                  effects = %shortened(&effects), "handled");
            for note in notes {
                info!(message_id, "note: {}", shortened(note));
            }
        }
        Verdict::Duplicate { of } => {
            info!(mailbox = %e.mailbox, item = %e.item, message_id, of, "already handled; skipped")
        }
        Verdict::TooLarge { size } => {
            warn!(mailbox = %e.mailbox, item = %e.item, message_id, size, "too large; recorded and left alone")
        }
        Verdict::Failed { error } => {
            warn!(mailbox = %e.mailbox, item = %e.item, message_id, error = %shortened(error), "could not handle; kept")
        }
    }
}

/// `text` on one line, cut to [`LOGGED_TEXT`] bytes (at a character) with `…` when it was longer.
fn shortened(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.len() <= LOGGED_TEXT {
        return line;
    }
    let mut end = LOGGED_TEXT;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &line[..end])
}

/// A short description of an effect for the log.
pub fn describe(effect: &Effect) -> String {
    match effect {
        Effect::Send { kind, mail, .. } => format!("{} to {}", kind.as_str(), mail.recipients.join(" ")),
        Effect::Move { folder } => format!("move to {folder}"),
        Effect::Flag { flags } => format!("flag {}", flags.join(" ")),
        Effect::NoteReply { .. } => "note reply".into(),
        Effect::PutEvent(event) => {
            format!("{} {} in calendar {}", event.status.as_str(), event.uid, event.calendar)
        }
        Effect::PutProposal(proposal) => {
            format!("proposal of {} times to {}", proposal.slots.len(), proposal.requester.email)
        }
        Effect::CloseProposal { message_id } => format!("close proposal {message_id}"),
        Effect::PutCounter(counter) => {
            format!("new time proposed by {} for {} put to the owner", counter.proposer.email, counter.uid)
        }
        Effect::CloseCounter { message_id } => format!("close the question {message_id}"),
        Effect::Ticket(change) => {
            let t = &change.ticket;
            format!("ticket {} {}", t.number, t.state.as_str())
        }
        Effect::Supply(change) => change.summary().join("; "),
        Effect::Planning(change) => change.summary().join("; "),
        Effect::FollowedUp { message_id } => format!("followed up {message_id}"),
        Effect::Escalated { ticket, level } => format!("escalate {} to level {level}", ticket.tag()),
    }
}

#[cfg(test)]
mod tests;
