//! Deciding the messages of a batch, each on its own: an error, a panic, or a message that runs past
//! its time budget is a failure of that message only. It is recorded as failed with its reason (and
//! moved to quarantine when the mailbox has one), and the batch goes on with the next message.
//!
//! Pure apart from reading the store, which the caller holds in the decision's transaction.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::read::Read;
use super::watchdog::{Holding, budget_for};
use super::{Content, fault};
use crate::actions::{Decision, ReplyHistory};
use crate::desks::{BatchCalendars, BatchTickets, Incoming, Views};
use crate::effects::Effect;
use crate::handling;
use crate::mail::message::Message;
use crate::rules::RuleSet;
use crate::store::{Handled, JournalEntry, Store, StoreError, Verdict};

/// Where a batch comes from and what the mailbox says about handling it.
pub(super) struct Place<'a> {
    pub mailbox: &'a str,
    pub folder: &'a str,
    /// Folder for messages clerk cannot handle, if the mailbox names one.
    pub quarantine: Option<&'a str>,
    /// How long deciding one message may take.
    pub time_budget: Duration,
    /// The journal row of the failed message being retried, which is not a duplicate of itself.
    pub retry_of: Option<i64>,
}

impl Place<'_> {
    /// The journal entry of a message, with what its parse tells.
    pub fn entry(&self, read: &Read) -> JournalEntry {
        let mut entry = JournalEntry {
            mailbox: self.mailbox.to_string(),
            folder: self.folder.to_string(),
            item: read.fetched.item.clone(),
            message_id: None,
            content_hash: read.content_hash.clone(),
            sender: None,
            subject: String::new(),
        };
        match &read.parsed {
            Ok(msg) => {
                entry.message_id = msg.message_id.clone();
                entry.sender = msg.from.first().map(|a| a.email.clone());
                entry.subject = msg.subject.clone();
            }
            Err(_) => {
                entry.message_id = read.glance.message_id.clone();
                entry.sender = read.glance.sender.clone();
                entry.subject = read.glance.subject.clone();
            }
        }
        entry
    }

    /// A message that could not be handled: kept for `clerk retry` (when clerk has all of it), and
    /// moved to quarantine when the mailbox has one.
    pub fn failed(&self, read: &Read, error: String) -> Handled {
        let kept = match &read.fetched.content {
            Content::Whole(raw) => Some(raw.clone()),
            Content::TooLarge { .. } => None,
        };
        Handled {
            entry: self.entry(read),
            verdict: Verdict::Failed { error },
            effects: self
                .quarantine
                .map(|f| vec![Effect::Move { folder: f.to_string() }])
                .unwrap_or_default(),
            kept,
        }
    }
}

/// Decides every message of `reads` against the store as it stands in the caller's transaction (a
/// snapshot, or the write lock: see `Store::decide_and_record`).
pub(super) fn decide_all(
    store: &Store,
    rules: &RuleSet,
    place: &Place,
    reads: &[Read],
    holding: &Holding,
) -> Result<Vec<Handled>, StoreError> {
    let mut history = BatchHistory { store, replied: HashMap::new(), tentative: Vec::new() };
    let mut calendars = BatchCalendars { store, pending: Vec::new(), closed: Vec::new() };
    let mut tickets = BatchTickets { store, pending: Vec::new() };
    let mut supply = crate::desks::supply::BatchSupply { store, pending: Vec::new() };
    let mut planning = crate::desks::event::BatchPlanning { store, pending: Vec::new() };
    let mut seen_in_batch: HashSet<(Option<String>, String)> = HashSet::new();
    let mut out = Vec::with_capacity(reads.len());
    for read in reads {
        let msg = match (&read.fetched.content, &read.parsed) {
            (Content::TooLarge { size, .. }, _) => {
                let verdict = Verdict::TooLarge { size: *size };
                out.push(Handled { entry: place.entry(read), verdict, effects: vec![], kept: None });
                continue;
            }
            (Content::Whole(_), Err(error)) => {
                out.push(place.failed(read, error.clone()));
                continue;
            }
            (Content::Whole(_), Ok(msg)) => msg,
        };
        let entry = place.entry(read);
        let identity = (entry.message_id.clone(), entry.content_hash.clone());
        let earlier = store.find_same_message(identity.0.as_deref(), &identity.1)?;
        if let Some(of) = earlier.filter(|&of| Some(of) != place.retry_of) {
            out.push(Handled {
                entry,
                verdict: Verdict::Duplicate { of: Some(of) },
                effects: vec![],
                kept: None,
            });
            continue;
        }
        if !seen_in_batch.insert(identity) {
            out.push(Handled {
                entry,
                verdict: Verdict::Duplicate { of: None },
                effects: vec![],
                kept: None,
            });
            continue;
        }
        let views = Views { calendars: &calendars, tickets: &tickets, supply: &supply, planning: &planning };
        let budget = budget_for(place.time_budget, read.raw().len());
        holding.hold_message(&entry, budget);
        let outcome = decide_one(rules, msg, read, &views, &mut history, budget);
        holding.release();
        match outcome {
            Ok(decision) => {
                history.keep();
                calendars.note(&decision.effects);
                tickets.note(&decision.effects);
                supply.note(&decision.effects);
                planning.note(&decision.effects);
                let notes = decision.suppressed.iter().map(ToString::to_string);
                let verdict = Verdict::Processed {
                    rule: decision.rule,
                    desk: decision.desk,
                    desk_options: decision.desk_options,
                    notes: notes.chain(decision.notes).collect(),
                };
                out.push(Handled { entry, verdict, effects: decision.effects, kept: None });
            }
            Err(error) => {
                history.forget();
                out.push(place.failed(read, error));
            }
        }
    }
    Ok(out)
}

/// The rules and the desk on one message, with its panics caught and its time measured.
fn decide_one(
    rules: &RuleSet,
    msg: &Message,
    read: &Read,
    views: &Views,
    history: &mut BatchHistory,
    budget: Duration,
) -> Result<Decision, String> {
    let started = Instant::now();
    let raw = read.raw();
    let hash = &read.content_hash;
    let decided = catch_unwind(AssertUnwindSafe(|| {
        let now = Utc::now();
        let incoming = Incoming { msg, raw, content_hash: hash, now };
        let decision = handling::decide(rules, &incoming, views, history).map_err(|e| e.to_string())?;
        // After the decision, so the tests see that nothing of a failed one is kept.
        fault::injected(&msg.subject);
        Ok(decision)
    }));
    let decision = decided.unwrap_or_else(|panic| Err(fault::panic_reason(&*panic)))?;
    let took = started.elapsed();
    if took > budget {
        return Err(format!(
            "handling it took {:.1} s, over the time budget of {} for one message; nothing it decided \
             was done",
            took.as_secs_f64(),
            crate::units::humanize(budget)
        ));
    }
    Ok(decision)
}

/// The reply log as of this batch: the store's, plus the replies decided earlier in the same batch
/// (not yet committed), so two messages from one sender in one batch get one reply. What the message
/// in hand notes stays tentative until it is decided, so a message that fails leaves no trace.
struct BatchHistory<'s> {
    store: &'s Store,
    replied: HashMap<(String, String), i64>,
    tentative: Vec<((String, String), i64)>,
}

impl BatchHistory<'_> {
    fn keep(&mut self) {
        self.replied.extend(self.tentative.drain(..));
    }

    fn forget(&mut self) {
        self.tentative.clear();
    }
}

impl ReplyHistory for BatchHistory<'_> {
    fn last_reply(&self, sender: &str, rule: &str) -> Result<Option<i64>, String> {
        let key = (sender.to_lowercase(), rule.to_string());
        let noted = self.tentative.iter().rev().find(|(k, _)| *k == key).map(|(_, at)| *at);
        match noted.or_else(|| self.replied.get(&key).copied()) {
            Some(at) => Ok(Some(at)),
            None => self.store.last_reply(sender, rule).map_err(|e| e.to_string()),
        }
    }

    fn note_reply(&mut self, sender: &str, rule: &str, at: i64) {
        self.tentative.push(((sender.to_lowercase(), rule.to_string()), at));
    }
}
