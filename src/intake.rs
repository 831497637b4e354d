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
mod fault;
mod read;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, watch};
use tracing::{info, warn};

use self::decide::{Place, decide_all};
use self::read::{Read, read_all};
use crate::effects::Effect;
use crate::rules::RuleSet;
use crate::store::{Db, FailedMail, Handled, JournalEntry, Position, Store, StoreError, Verdict};

/// One message as a source delivers it.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Its place in the folder (journal key): `UIDVALIDITY:UID`, or the Maildir unique name.
    pub item: String,
    pub content: Content,
}

/// What the source could fetch of the message.
#[derive(Debug, Clone)]
pub enum Content {
    Whole(Vec<u8>),
    /// Over `max_message_size`: only the header was fetched, for the journal.
    TooLarge {
        size: u64,
        header: Vec<u8>,
    },
}

/// Why a batch could not be recorded. Nothing of the batch is stored then; the source retries it.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("{0}")]
    Store(#[from] StoreError),
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

/// How many tries may stop while a message is the only one in hand before it is given up as failed.
/// Two: one kill landing on an ordinary message is bad luck, the same message stopping clerk every
/// time it is tried alone is the message.
const ALONE_TRIES: u32 = 2;

/// A message that has been in hand this many times its time budget stops clerk: the thread working
/// on it cannot be taken back, and it holds the database's write lock.
const STUCK_AFTER_BUDGETS: u32 = 3;

/// The exit status when clerk stops itself because a message would not finish (EX_SOFTWARE).
pub const EXIT_STUCK: i32 = 70;

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
        fault::remember_panic_places();
        Intake { db, rules, outbox, quarantine, time_budget }
    }

    /// Parses, classifies and records one batch (moving `position` forward in the same transaction).
    ///
    /// A message that fails (an error, a panic, its time budget) is recorded as failed on its own and
    /// the batch goes on. One that never finishes stops the process after a few budgets (see
    /// [`EXIT_STUCK`]); it is then known at the next start and, after stopping clerk again when tried
    /// alone, recorded as failed.
    pub async fn handle(
        &self,
        mailbox: &str,
        folder: &str,
        batch: Vec<Fetched>,
        position: Option<Position>,
    ) -> Result<(), IntakeError> {
        let started = Instant::now();
        let rules = self.rules.get();
        let (mailbox, folder, quarantine) =
            (mailbox.to_string(), folder.to_string(), self.quarantine.clone());
        let time_budget = self.time_budget;
        let holding = Holding::default();
        let watched = holding.clone();
        let work = self.db.run(move |store| {
            let place = Place {
                mailbox: &mailbox,
                folder: &folder,
                quarantine: quarantine.as_deref(),
                time_budget,
                retry_of: None,
            };
            handle_durably(store, &rules, &place, batch, position, &watched)
        });
        let handled = tokio::select! {
            handled = work => handled?,
            () = stop_when_stuck(&holding, time_budget * STUCK_AFTER_BUDGETS) => unreachable!("it exits"),
        };
        crate::metrics::PROCESSING.observe(started.elapsed(), handled.len() as u64);
        for h in &handled {
            log_outcome(h);
        }
        if handled.iter().any(|h| h.effects.iter().any(|e| matches!(e, Effect::Send { .. }))) {
            self.outbox.notify_one();
        }
        Ok(())
    }
}

impl Intake {
    /// Handles a failed message again with the rules in force (`clerk retry`), in one transaction that
    /// records the outcome only if the message is still failed: however many retries run at once, one
    /// is done. Returns the outcome, or `None` when another retry got there first.
    ///
    /// A message moved to quarantine when it failed stays there: its moves and flags are left out and
    /// a note says where it is.
    pub async fn retry(&self, failed: FailedMail) -> Result<Option<Handled>, IntakeError> {
        let rules = self.rules.get();
        let time_budget = self.time_budget;
        let quarantine = self.quarantine.clone().filter(|_| failed.moved_to.is_none());
        let holding = Holding::default();
        let watched = holding.clone();
        let work = self.db.run(move |store| {
            store.immediate(|store| -> Result<Option<Handled>, StoreError> {
                let place = Place {
                    mailbox: &failed.entry.mailbox,
                    folder: &failed.entry.folder,
                    quarantine: quarantine.as_deref(),
                    time_budget,
                    retry_of: Some(failed.journal_id),
                };
                let Some(raw) = store.failed_text(failed.journal_id)? else {
                    return Ok(None);
                };
                let fetched = Fetched { item: failed.entry.item.clone(), content: Content::Whole(raw) };
                let reads = read_all(vec![fetched]);
                let Some(mut handled) = decide_all(store, &rules, &place, &reads, &watched)?.pop() else {
                    return Ok(None);
                };
                if let (Some(folder), Verdict::Processed { notes, .. }) =
                    (&failed.moved_to, &mut handled.verdict)
                {
                    handled.effects.retain(|e| !matches!(e, Effect::Move { .. } | Effect::Flag { .. }));
                    notes.push(format!(
                        "left in {folder}, where it was moved when it failed; file it by hand"
                    ));
                }
                Ok(store.record_retry(failed.journal_id, &handled)?.then_some(handled))
            })
        });
        let handled = tokio::select! {
            handled = work => handled?,
            () = stop_when_stuck(&holding, time_budget * STUCK_AFTER_BUDGETS) => unreachable!("it exits"),
        };
        if let Some(h) = &handled {
            log_outcome(h);
            if h.effects.iter().any(|e| matches!(e, Effect::Send { .. })) {
                self.outbox.notify_one();
            }
        }
        Ok(handled)
    }
}

/// The message being decided right now, for the watchdog.
#[derive(Clone, Default)]
pub(crate) struct Holding(Arc<Mutex<Option<(String, Instant)>>>);

impl Holding {
    fn hold(&self, entry: &JournalEntry) {
        let what = format!(
            "message {} (mailbox {}, folder {}, item {})",
            entry
                .message_id
                .as_deref()
                .map_or_else(|| "without Message-ID".to_string(), |id| format!("<{id}>")),
            entry.mailbox,
            entry.folder,
            entry.item
        );
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some((what, Instant::now()));
    }

    /// Holds the reading (parsing) of messages, which comes before any one of them is decided.
    fn hold_batch(&self, place: &Place, items: &[&str]) {
        let what = match items {
            [one] => {
                format!("message item {one} (mailbox {}, folder {}) being read", place.mailbox, place.folder)
            }
            _ => format!(
                "a batch of {} messages (mailbox {}, folder {}, items {} to {}) being read",
                items.len(),
                place.mailbox,
                place.folder,
                items.first().unwrap_or(&"?"),
                items.last().unwrap_or(&"?")
            ),
        };
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some((what, Instant::now()));
    }

    fn release(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn held_longer_than(&self, limit: Duration) -> Option<String> {
        let held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        held.as_ref().filter(|(_, since)| since.elapsed() > limit).map(|(what, _)| what.clone())
    }
}

/// Never returns: when one message has been in hand longer than `limit`, clerk says which and exits,
/// for its supervisor (systemd) to start it again. Nothing is lost: the batch's transaction is not
/// committed, and the message is written down as in hand.
async fn stop_when_stuck(holding: &Holding, limit: Duration) {
    loop {
        tokio::time::sleep(Duration::from_secs(1).min(limit)).await;
        if let Some(what) = holding.held_longer_than(limit) {
            tracing::error!(
                "{what} has kept clerk busy for over {}; clerk stops so that it can start again without \
                 it (after it stops clerk {ALONE_TRIES} more times it is recorded as failed)",
                crate::units::humanize(limit)
            );
            std::process::exit(EXIT_STUCK);
        }
    }
}

/// Decides and records a batch. The messages are written down as in hand first; a batch with
/// messages left in hand by an earlier try, or one that cannot be recorded whole, is handled one
/// message at a time, each read, decided and recorded on its own, so that one bad message fails alone.
fn handle_durably(
    store: &mut Store,
    rules: &RuleSet,
    place: &Place,
    batch: Vec<Fetched>,
    position: Option<Position>,
    holding: &Holding,
) -> Result<Vec<Handled>, StoreError> {
    let mut fresh = Vec::with_capacity(batch.len());
    for fetched in batch {
        if !store.is_journaled(place.mailbox, place.folder, &fetched.item)? {
            fresh.push(fetched);
        }
    }
    if fresh.is_empty() {
        store.record(&[], position.as_ref())?;
        return Ok(Vec::new());
    }
    let items: Vec<&str> = fresh.iter().map(|f| f.item.as_str()).collect();
    let left = store.left_in_hand(place.mailbox, place.folder, &items)?;
    if !left.is_empty() {
        warn!(
            mailbox = place.mailbox,
            folder = place.folder,
            messages = left.len(),
            "clerk stopped last time while handling messages of this batch; handling it one message at a time"
        );
        let pending = fresh.into_iter().map(Pending::Fetched).collect();
        return one_at_a_time(store, rules, place, pending, position.as_ref(), holding);
    }
    store.take_in_hand(place.mailbox, place.folder, &items)?;
    holding.hold_batch(place, &items);
    let reads = read_all(fresh);
    holding.release();
    let whole = store.immediate(|store| -> Result<Vec<Handled>, StoreError> {
        let handled = decide_all(store, rules, place, &reads, holding)?;
        store.record(&handled, position.as_ref())?;
        Ok(handled)
    });
    match whole {
        Ok(handled) => Ok(handled),
        Err(e) => {
            warn!(mailbox = place.mailbox, folder = place.folder, error = %e,
                  "a batch could not be recorded whole; handling its messages one at a time");
            let pending = reads.into_iter().map(|read| Pending::Read(Box::new(read))).collect();
            one_at_a_time(store, rules, place, pending, position.as_ref(), holding)
        }
    }
}

/// A message of a batch handled one at a time: read already, or not yet.
enum Pending {
    Fetched(Fetched),
    Read(Box<Read>),
}

/// Handles messages one at a time, each in its own transaction, counting the tries that hold each one
/// alone; a message whose tries are used up is recorded as failed without being read again.
fn one_at_a_time(
    store: &mut Store,
    rules: &RuleSet,
    place: &Place,
    pending: Vec<Pending>,
    position: Option<&Position>,
    holding: &Holding,
) -> Result<Vec<Handled>, StoreError> {
    let last = pending.len().saturating_sub(1);
    let mut out = Vec::with_capacity(pending.len());
    for (i, message) in pending.into_iter().enumerate() {
        let position = if i == last { position } else { None };
        let item = match &message {
            Pending::Fetched(fetched) => fetched.item.clone(),
            Pending::Read(read) => read.fetched.item.clone(),
        };
        let tries = store.take_alone(place.mailbox, place.folder, &item)?;
        if tries > ALONE_TRIES {
            let why = format!(
                "clerk stopped {tries} times while handling this message (a crash, or it ran past its time \
                 budget); it is not tried again until `clerk retry`"
            );
            let fetched = match message {
                Pending::Fetched(fetched) => fetched,
                Pending::Read(read) => read.fetched,
            };
            let read = read::unread(fetched, why.clone());
            let failed = place.failed(&read, why);
            store.immediate(|store| store.record(std::slice::from_ref(&failed), position))?;
            out.push(failed);
            continue;
        }
        let read = match message {
            Pending::Read(read) => *read,
            Pending::Fetched(fetched) => {
                holding.hold_batch(place, &[&item]);
                let read = read::read(fetched);
                holding.release();
                read
            }
        };
        let alone = store.immediate(|store| -> Result<Handled, StoreError> {
            let mut handled = decide_all(store, rules, place, std::slice::from_ref(&read), holding)?;
            store.record(&handled, position)?;
            Ok(handled.remove(0))
        });
        let handled = match alone {
            Ok(handled) => handled,
            Err(e) => {
                let failed = place.failed(&read, format!("its outcome cannot be recorded: {e}"));
                store.immediate(|store| store.record(std::slice::from_ref(&failed), position))?;
                failed
            }
        };
        out.push(handled);
    }
    Ok(out)
}

fn log_outcome(h: &Handled) {
    if !tracing::enabled!(tracing::Level::INFO) {
        return;
    }
    let e = &h.entry;
    match &h.verdict {
        Verdict::Processed { rule, desk, notes, .. } => {
            let effects: Vec<String> = h.effects.iter().map(describe).collect();
            info!(mailbox = %e.mailbox, folder = %e.folder, item = %e.item, message_id = e.message_id.as_deref().unwrap_or("-"),
                  rule = rule.as_deref().unwrap_or("-"), desk = desk.as_deref().unwrap_or("-"),
                  effects = %effects.join(", "), suppressed = %notes.join("; "), "handled");
        }
        Verdict::Duplicate { of } => {
            info!(mailbox = %e.mailbox, item = %e.item, message_id = e.message_id.as_deref().unwrap_or("-"), of, "already handled; skipped")
        }
        Verdict::TooLarge { size } => {
            warn!(mailbox = %e.mailbox, item = %e.item, message_id = e.message_id.as_deref().unwrap_or("-"), size, "too large; recorded and left alone")
        }
        Verdict::Failed { error } => {
            warn!(mailbox = %e.mailbox, item = %e.item, message_id = e.message_id.as_deref().unwrap_or("-"), %error, "could not handle; kept")
        }
    }
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
        Effect::Ticket(change) => {
            let t = &change.ticket;
            format!("ticket {} {}", t.number, t.state.as_str())
        }
        Effect::Supply(change) => change.summary().join("; "),
    }
}

#[cfg(test)]
mod tests;
