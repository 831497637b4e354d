//! Handling a batch so that no failure loses a message or stops the folder: the messages are written
//! down as in hand before the batch is decided, and struck off in the transaction that records them.
//!
//! A batch with messages left in hand by an earlier try (clerk stopped while holding them: a crash, a
//! kill, a panic, a message past its time) is handled one message at a time, each read, decided and
//! recorded on its own, so that the message at fault is found alone. A message that clerk stops on in
//! more than [`ALONE_TRIES`] processes while it is the only one in hand is recorded as failed without
//! being read again, and the folder goes on.

use std::sync::OnceLock;
use std::time::Duration;

use tracing::warn;

use super::decide::{Place, decide_all};
use super::read::{self, Read, read_all};
use super::watchdog::Holding;
use super::{Content, Fetched};
use crate::rules::RuleSet;
use crate::store::{Handled, Position, Store, StoreError};

/// How many clerk processes may stop while a message is the only one in hand before it is given up.
/// Two: one kill landing on an ordinary message is bad luck, the same message stopping clerk every
/// time it is tried alone is the message.
pub(super) const ALONE_TRIES: u32 = 2;

/// This clerk process, as the count of tries knows it: a folder that reconnects and tries the same
/// message again in the same process does not count twice.
fn this_run() -> i64 {
    static RUN: OnceLock<i64> = OnceLock::new();
    *RUN.get_or_init(|| fastrand::i64(..))
}

/// Decides and records a batch (see the module's documentation).
pub(super) fn handle_durably(
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
    let bytes = fresh.iter().map(|f| size(&f.content)).sum();
    holding.hold_reading(place, &items, bytes);
    let reads = read_all(fresh);
    holding.release();
    let whole = patiently(store, |store| {
        store.decide_and_record(
            |store| decide_all(store, rules, place, &reads, holding),
            |store, handled| {
                store.record(&handled, position.as_ref())?;
                Ok(handled)
            },
        )
    });
    match whole {
        Ok(handled) => Ok(handled),
        // Another writer held the database for over half a minute: the source tries again later.
        Err(e) if e.is_busy() => Err(e),
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

impl Pending {
    fn fetched(&self) -> &Fetched {
        match self {
            Pending::Fetched(fetched) => fetched,
            Pending::Read(read) => &read.fetched,
        }
    }
}

/// Handles messages one at a time, each in transactions of its own, counting the processes that hold
/// each one alone; a message whose tries are used up is recorded as failed without being read again.
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
        let item = message.fetched().item.clone();
        // A message too large to fetch is only recorded: it is never decided, so it is never at fault.
        let whole = matches!(message.fetched().content, Content::Whole(_));
        let tries =
            if whole { store.take_alone(place.mailbox, place.folder, &item, this_run())? } else { 0 };
        if tries > ALONE_TRIES {
            let why = format!(
                "clerk stopped {} times while this message was the only one in hand (a crash, or it ran \
                 past its time budget); it is not tried again until `clerk retry`",
                tries - 1
            );
            let fetched = match message {
                Pending::Fetched(fetched) => fetched,
                Pending::Read(read) => read.fetched,
            };
            let failed = place.failed(&read::unread(fetched, why.clone()), why);
            patiently(store, |store| {
                store.immediate(|store| store.record(std::slice::from_ref(&failed), position))
            })?;
            out.push(failed);
            continue;
        }
        let read = match message {
            Pending::Read(read) => *read,
            Pending::Fetched(fetched) => {
                holding.hold_reading(place, &[&item], size(&fetched.content));
                let read = read::read(fetched);
                holding.release();
                read
            }
        };
        let alone = patiently(store, |store| {
            store.decide_and_record(
                |store| decide_all(store, rules, place, std::slice::from_ref(&read), holding),
                |store, handled| {
                    store.record(&handled, position)?;
                    Ok(handled)
                },
            )
        });
        let handled = match alone {
            Ok(mut handled) => handled.remove(0),
            Err(e) if e.is_busy() => return Err(e),
            Err(e) => {
                let failed = place.failed(&read, format!("its outcome cannot be recorded: {e}"));
                patiently(store, |store| {
                    store.immediate(|store| store.record(std::slice::from_ref(&failed), position))
                })?;
                failed
            }
        };
        out.push(handled);
    }
    Ok(out)
}

/// How long to wait before trying again a transaction another writer kept out, and how often: a busy
/// database is waited for, never blamed on the mail.
const BUSY_PAUSE: Duration = Duration::from_secs(1);
const BUSY_TRIES: u32 = 30;

/// Runs `attempt` again while another writer keeps the database busy (for up to half a minute more
/// than the busy timeout), on the blocking thread the store is used from.
pub(super) fn patiently<T>(
    store: &mut Store,
    mut attempt: impl FnMut(&mut Store) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut tries = 0;
    loop {
        match attempt(store) {
            Err(e) if e.is_busy() && tries < BUSY_TRIES => {
                tries += 1;
                warn!(error = %e, "the database is busy; trying again");
                std::thread::sleep(BUSY_PAUSE);
            }
            done => return done,
        }
    }
}

/// The bytes clerk holds of a fetched message.
pub(super) fn size(content: &Content) -> usize {
    match content {
        Content::Whole(raw) => raw.len(),
        Content::TooLarge { header, .. } => header.len(),
    }
}
