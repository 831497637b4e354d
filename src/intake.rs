//! Intake: where fetched mail becomes journaled, handled mail.
//!
//! Sources (IMAP folders, Maildirs) hand over raw messages in batches; the intake parses each one,
//! recognises a message it has seen before, asks the rules what to do, and records the whole batch
//! with every effect in one transaction. It is the only place where ingest meets the rules, so the
//! sources stay ignorant of rules and the rules of mailboxes.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{Notify, watch};
use tracing::{info, warn};

use crate::actions::{self, ReplyHistory};
use crate::desks::{self, BatchCalendars, BatchTickets, Incoming, Views};
use crate::effects::Effect;
use crate::mail::message::{Message, ParseError};
use crate::rules::RuleSet;
use crate::store::{Db, Handled, JournalEntry, Position, Store, StoreError, Verdict};

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

/// Handles batches of fetched mail for one mailbox.
#[derive(Clone)]
pub struct Intake {
    db: Db,
    rules: CurrentRules,
    /// Woken after every commit that may have queued mail.
    outbox: Arc<Notify>,
    /// Folder for messages clerk cannot handle, if the mailbox names one.
    quarantine: Option<String>,
}

impl Intake {
    pub fn new(db: Db, rules: CurrentRules, outbox: Arc<Notify>, quarantine: Option<String>) -> Intake {
        Intake { db, rules, outbox, quarantine }
    }

    /// Parses, classifies and records one batch (moving `position` forward in the same transaction).
    pub async fn handle(
        &self,
        mailbox: &str,
        folder: &str,
        batch: Vec<Fetched>,
        position: Option<Position>,
    ) -> Result<(), IntakeError> {
        let started = std::time::Instant::now();
        let rules = self.rules.get();
        let (mailbox, folder, quarantine) =
            (mailbox.to_string(), folder.to_string(), self.quarantine.clone());
        let handled = self
            .db
            .run(move |store| -> Result<Vec<Handled>, StoreError> {
                let handled = handle_batch(store, &rules, &mailbox, &folder, quarantine.as_deref(), batch)?;
                store.record(&handled, position.as_ref())?;
                Ok(handled)
            })
            .await?;
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

/// Decides every message of a batch. Pure apart from reading the store (journal, reply log).
fn handle_batch(
    store: &Store,
    rules: &RuleSet,
    mailbox: &str,
    folder: &str,
    quarantine: Option<&str>,
    batch: Vec<Fetched>,
) -> Result<Vec<Handled>, StoreError> {
    let mut history = BatchHistory { store, replied: HashMap::new() };
    let mut calendars = BatchCalendars { store, pending: Vec::new(), closed: Vec::new() };
    let mut tickets = BatchTickets { store, pending: Vec::new() };
    let mut supply = crate::desks::supply::BatchSupply { store, pending: Vec::new() };
    let mut seen_in_batch: HashSet<(Option<String>, String)> = HashSet::new();
    let mut out = Vec::with_capacity(batch.len());
    for Read { fetched, content_hash, parsed } in read_all(batch) {
        if store.is_journaled(mailbox, folder, &fetched.item)? {
            continue;
        }
        let (raw, too_large) = match &fetched.content {
            Content::Whole(raw) => (raw.as_slice(), None),
            Content::TooLarge { size, header } => (header.as_slice(), Some(*size)),
        };
        let mut entry = JournalEntry {
            mailbox: mailbox.to_string(),
            folder: folder.to_string(),
            item: fetched.item.clone(),
            message_id: None,
            content_hash,
            sender: None,
            subject: String::new(),
        };
        if let Ok(msg) = &parsed {
            entry.message_id = msg.message_id.clone();
            entry.sender = msg.from.first().map(|a| a.email.clone());
            entry.subject = msg.subject.clone();
        }
        let quarantined =
            || quarantine.map(|f| vec![Effect::Move { folder: f.to_string() }]).unwrap_or_default();
        let (verdict, effects) = match (too_large, parsed) {
            (Some(size), _) => (Verdict::TooLarge { size }, vec![]),
            (None, Err(e)) => {
                (Verdict::Failed { error: format!("cannot read the message: {e}") }, quarantined())
            }
            (None, Ok(msg)) => {
                let identity = (entry.message_id.clone(), entry.content_hash.clone());
                if let Some(of) = store.find_same_message(identity.0.as_deref(), &identity.1)? {
                    (Verdict::Duplicate { of: Some(of) }, vec![])
                } else if !seen_in_batch.insert(identity) {
                    (Verdict::Duplicate { of: None }, vec![])
                } else {
                    let now = Utc::now();
                    let decided = actions::decide(rules, &msg, raw, &entry.content_hash, &mut history, now)
                        .map_err(|e| e.to_string())
                        .and_then(|mut decision| {
                            let incoming =
                                Incoming { msg: &msg, raw, content_hash: &entry.content_hash, now };
                            let views = Views { calendars: &calendars, tickets: &tickets, supply: &supply };
                            desks::run(rules, &incoming, &mut decision, &views, &mut history)
                                .map_err(|e| e.to_string())?;
                            Ok(decision)
                        });
                    match decided {
                        Ok(decision) => {
                            calendars.note(&decision.effects);
                            tickets.note(&decision.effects);
                            supply.note(&decision.effects);
                            let notes = decision.suppressed.iter().map(ToString::to_string);
                            let verdict = Verdict::Processed {
                                rule: decision.rule,
                                desk: decision.desk,
                                desk_options: decision.desk_options,
                                notes: notes.chain(decision.notes).collect(),
                            };
                            (verdict, decision.effects)
                        }
                        Err(error) => (Verdict::Failed { error }, quarantined()),
                    }
                }
            }
        };
        out.push(Handled { entry, verdict, effects });
    }
    Ok(out)
}

/// A fetched message with the costly, independent work done: its digest and its parse.
struct Read {
    fetched: Fetched,
    content_hash: String,
    parsed: Result<Message, ParseError>,
}

/// Hashes and parses a batch on up to four threads (parsing is most of the CPU a message costs), in
/// order. Everything that reads or decides against the store stays sequential.
fn read_all(batch: Vec<Fetched>) -> Vec<Read> {
    let read = |fetched: Fetched| {
        let raw = match &fetched.content {
            Content::Whole(raw) => raw.as_slice(),
            Content::TooLarge { header, .. } => header.as_slice(),
        };
        let content_hash = crate::digest::sha256_hex(raw);
        let parsed = Message::parse(raw);
        Read { fetched, content_hash, parsed }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    if threads < 2 || batch.len() < 32 {
        return batch.into_iter().map(read).collect();
    }
    let per_thread = batch.len().div_ceil(threads);
    let mut chunks: Vec<Vec<Fetched>> = Vec::with_capacity(threads);
    let mut rest = batch.into_iter();
    loop {
        let chunk: Vec<Fetched> = rest.by_ref().take(per_thread).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(read).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// The reply log as of this batch: the store's, plus the replies decided earlier in the same batch
/// (not yet committed), so two messages from one sender in one batch get one reply.
struct BatchHistory<'s> {
    store: &'s Store,
    replied: HashMap<(String, String), i64>,
}

impl ReplyHistory for BatchHistory<'_> {
    fn last_reply(&self, sender: &str, rule: &str) -> Option<i64> {
        let key = (sender.to_lowercase(), rule.to_string());
        self.replied.get(&key).copied().or_else(|| self.store.last_reply(sender, rule).ok().flatten())
    }

    fn note_reply(&mut self, sender: &str, rule: &str, at: i64) {
        self.replied.insert((sender.to_lowercase(), rule.to_string()), at);
    }
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
