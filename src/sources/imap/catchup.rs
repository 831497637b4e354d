//! Catching up on a folder: list what arrived above the last handled UID, fetch it in batches, hand
//! each batch to the intake, and have the journal's moves and flags carried out.
//!
//! The listing is two cheap searches, not a FETCH per message: `UID SEARCH` for the new UIDs and
//! `LARGER` searches for the oversized ones (recorded from their header, never fetched whole) and the
//! big ones (fetched a few at a time, so memory stays bounded). Fetching is pipelined: while one batch is
//! classified and committed, the next is fetched. A large backlog also gets a second connection that
//! files messages into their folders while the first keeps fetching.

use std::collections::{BTreeMap, HashSet};

use futures::TryStreamExt;
use tracing::debug;

use super::folder::{FolderWatch, timed};
use super::ops::{Mover, Share, apply_ops};
use super::{ImapError, ImapSession, uid_set};
use crate::sources::Progress;
use crate::sources::{Content, Fetched, SinkError};
use crate::store::{FolderState, Position};

/// Messages per fetch batch (and per journal transaction).
const BATCH_MESSAGES: usize = 500;
/// Messages over this size are fetched a few at a time.
const BIG_MESSAGE: u64 = 256_000;
/// Big messages per fetch batch.
const BIG_BATCH: usize = 4;
/// Messages over this size are fetched and handled one at a time, so a batch never holds two of
/// them (four 50 MB messages and what clerk writes of them would not fit in its memory budget).
const HUGE_MESSAGE: u64 = 4_000_000;
/// A backlog of at least this many messages gets more connections for moving...
const PARALLEL_MOVES_FROM: usize = 1_000;
/// ...this many, each filing into its share of the destination folders.
const MOVERS: usize = 2;

/// How a new message is to be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    Big,
    /// Over [`HUGE_MESSAGE`]: in a batch of its own.
    Huge,
    /// Over `max_message_size`: header only.
    TooLarge,
    /// A backlog message older than the watch start: left alone.
    Predates,
}

/// Handles every message above `state.last_uid`, batch by batch, and returns the new position. When
/// `stop` turns true it stops after the batch in hand: each batch commits with its position, so the next
/// start resumes exactly there.
pub async fn catch_up(
    session: &mut ImapSession,
    watch: &FolderWatch,
    mut state: FolderState,
    delimiter: Option<char>,
    stop: Option<&tokio::sync::watch::Receiver<bool>>,
) -> Result<FolderState, ImapError> {
    let listing = list_new(session, watch, &state).await?;
    if listing.is_empty() {
        return Ok(state);
    }
    debug!(mailbox = %watch.mailbox, folder = %watch.folder, count = listing.len(), "new messages");
    let movers: Vec<Mover> = if listing.len() >= PARALLEL_MOVES_FROM {
        (0..MOVERS)
            .map(|index| Mover::start(watch, state.uidvalidity, delimiter, Share { index, of: MOVERS }))
            .collect()
    } else {
        Vec::new()
    };
    let mut in_flight: Option<tokio::task::JoinHandle<Result<(), SinkError>>> = None;
    for batch in batches(&listing) {
        if stop.is_some_and(|stop| *stop.borrow()) {
            debug!(mailbox = %watch.mailbox, folder = %watch.folder, "stopping between batches");
            break;
        }
        let fetched = fetch_batch(session, watch, &state, batch).await?;
        let last_uid = batch.last().map(|l| l.0).unwrap_or(state.last_uid);
        if let Some(previous) = in_flight.take() {
            join(previous).await?;
            for mover in &movers {
                mover.wake();
            }
        }
        let position = Position {
            mailbox: watch.mailbox.clone(),
            folder: watch.folder.clone(),
            uidvalidity: state.uidvalidity,
            last_uid,
        };
        let taking = watch.sink.take(watch.mailbox.clone(), watch.folder.clone(), fetched, Some(position));
        in_flight = Some(tokio::spawn(taking));
        state.last_uid = last_uid;
    }
    if let Some(previous) = in_flight.take() {
        join(previous).await?;
    }
    // Whatever the other connections could not finish, this one does below.
    futures::future::join_all(movers.into_iter().map(Mover::finish)).await;
    apply_ops(session, watch, state.uidvalidity, delimiter, Share::ALL).await?;
    Ok(state)
}

/// `clerk replay --apply`: hands every message that arrived since `since` (and is not over
/// `max_message_size`) to the intake as if it were new; the journal skips what it already holds. The
/// folder's position does not move. Returns how many messages were looked at.
pub async fn replay_since(
    session: &mut ImapSession,
    watch: &FolderWatch,
    state: &FolderState,
    since: chrono::NaiveDate,
    progress: &dyn Fn(Progress),
) -> Result<usize, ImapError> {
    let under = super::arrived_since(since, watch.max_message_size);
    let all = timed("listing mail to replay", session.uid_search(&under)).await?;
    let big = timed("listing big mail", session.uid_search(format!("{under} LARGER {BIG_MESSAGE}"))).await?;
    let huge = if big.is_empty() {
        Vec::new()
    } else {
        timed("listing huge mail", session.uid_search(format!("{under} LARGER {HUGE_MESSAGE}")))
            .await?
            .into_iter()
            .collect()
    };
    let kind = |uid: u32| match (huge.contains(&uid), big.contains(&uid)) {
        (true, _) => Kind::Huge,
        (false, true) => Kind::Big,
        (false, false) => Kind::Normal,
    };
    let mut listing: Vec<(u32, Kind)> = all.into_iter().map(|uid| (uid, kind(uid))).collect();
    listing.sort_unstable_by_key(|l| l.0);
    progress(Progress::Found(listing.len()));
    for batch in batches(&listing) {
        let fetched = fetch_batch(session, watch, state, batch).await?;
        watch.sink.take(watch.mailbox.clone(), watch.folder.clone(), fetched, None).await?;
        progress(Progress::Done(batch.len()));
    }
    Ok(listing.len())
}

async fn join(task: tokio::task::JoinHandle<Result<(), SinkError>>) -> Result<(), ImapError> {
    match task.await {
        Ok(result) => Ok(result?),
        Err(e) => Err(ImapError::Protocol(format!("message handling task failed: {e}"))),
    }
}

/// The new messages in UID order, each with how to fetch it.
async fn list_new(
    session: &mut ImapSession,
    watch: &FolderWatch,
    state: &FolderState,
) -> Result<Vec<(u32, Kind)>, ImapError> {
    let last_uid = state.last_uid;
    let range = format!("{}:*", last_uid.saturating_add(1));
    // `N:*` always includes the highest UID, even when it is below N (RFC 3501 §6.4.8).
    let above = |uids: HashSet<u32>| -> HashSet<u32> { uids.into_iter().filter(|&u| u > last_uid).collect() };
    let all = above(timed("listing new messages", session.uid_search(format!("UID {range}"))).await?);
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let too_large = above(
        timed(
            "listing large messages",
            session.uid_search(format!("UID {range} LARGER {}", watch.max_message_size)),
        )
        .await?,
    );
    let big = above(
        timed("listing big messages", session.uid_search(format!("UID {range} LARGER {BIG_MESSAGE}")))
            .await?,
    );
    // Asked only when there is big mail: a third search on every look would slow polling.
    let huge = if big.is_empty() {
        HashSet::new()
    } else {
        above(
            timed("listing huge messages", session.uid_search(format!("UID {range} LARGER {HUGE_MESSAGE}")))
                .await?,
        )
    };
    let predates = predating(session, state).await?;
    let mut listing: Vec<(u32, Kind)> = all
        .into_iter()
        .map(|uid| {
            let kind = if predates.contains(&uid) {
                Kind::Predates
            } else if too_large.contains(&uid) {
                Kind::TooLarge
            } else if huge.contains(&uid) {
                Kind::Huge
            } else if big.contains(&uid) {
                Kind::Big
            } else {
                Kind::Normal
            };
            (uid, kind)
        })
        .collect();
    listing.sort_unstable_by_key(|l| l.0);
    Ok(listing)
}

/// Backlog messages (a `since:` backfill, a rescan after a UIDVALIDITY change) that arrived before the
/// watch start. Arrival times are asked for only then: a server may have to look at every message file
/// for them (Dovecot's Maildir: half a second for 10,000).
async fn predating(session: &mut ImapSession, state: &FolderState) -> Result<HashSet<u32>, ImapError> {
    if state.backlog_until <= state.last_uid || state.watch_since <= 0 {
        return Ok(HashSet::new());
    }
    let range = format!("{}:{}", state.last_uid + 1, state.backlog_until);
    let fetches: Vec<_> = timed("reading arrival times", async {
        session.uid_fetch(&range, "(UID INTERNALDATE)").await?.try_collect().await
    })
    .await?;
    Ok(fetches
        .iter()
        .filter_map(|f| {
            let uid = f.uid.filter(|&u| u > state.last_uid && u <= state.backlog_until)?;
            f.internal_date().is_some_and(|d| d.timestamp() < state.watch_since).then_some(uid)
        })
        .collect())
}

/// Splits the listing into batches: up to [`BATCH_MESSAGES`] messages, of which at most [`BIG_BATCH`]
/// big ones, so a batch holds a few megabytes at most.
fn batches(listing: &[(u32, Kind)]) -> impl Iterator<Item = &[(u32, Kind)]> {
    let mut rest = listing;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (mut n, mut big) = (0, 0);
        while n < rest.len() && n < BATCH_MESSAGES {
            if rest[n].1 == Kind::Huge {
                // Alone: it ends the batch before it, or is the whole batch.
                n += usize::from(n == 0);
                break;
            }
            if rest[n].1 == Kind::Big {
                if big == BIG_BATCH {
                    break;
                }
                big += 1;
            }
            n += 1;
        }
        let (batch, tail) = rest.split_at(n);
        rest = tail;
        Some(batch)
    })
}

/// Fetches one batch: whole messages, the header and size of oversized ones, nothing for backlog mail
/// that predates the watch.
async fn fetch_batch(
    session: &mut ImapSession,
    watch: &FolderWatch,
    state: &FolderState,
    batch: &[(u32, Kind)],
) -> Result<Vec<Fetched>, ImapError> {
    let whole: Vec<u32> =
        batch.iter().filter(|l| matches!(l.1, Kind::Normal | Kind::Big | Kind::Huge)).map(|l| l.0).collect();
    let large: Vec<u32> = batch.iter().filter(|l| l.1 == Kind::TooLarge).map(|l| l.0).collect();
    let item = |uid: u32| format!("{}:{uid}", state.uidvalidity);
    let mut fetched = Vec::with_capacity(batch.len());
    if !whole.is_empty() {
        let mut stream = session.uid_fetch(uid_set(&whole), "(UID BODY.PEEK[])").await?;
        while let Some(f) = timed("fetching messages", stream.try_next()).await? {
            if let (Some(uid), Some(body)) = (f.uid, f.body()) {
                fetched.push(Fetched { item: item(uid), content: Content::Whole(body.to_vec()) });
            }
        }
    }
    if !large.is_empty() {
        let mut sizes = BTreeMap::new();
        let mut stream = session.uid_fetch(uid_set(&large), "(UID RFC822.SIZE BODY.PEEK[HEADER])").await?;
        while let Some(f) = timed("fetching headers", stream.try_next()).await? {
            if let Some(uid) = f.uid {
                sizes.insert(uid, (f.size.unwrap_or(0) as u64, f.header().unwrap_or_default().to_vec()));
            }
        }
        for (uid, (size, header)) in sizes {
            debug!(mailbox = %watch.mailbox, uid, size, "too large to fetch");
            fetched.push(Fetched { item: item(uid), content: Content::TooLarge { size, header } });
        }
    }
    Ok(fetched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_holds_at_most_a_few_big_messages() {
        let listing: Vec<(u32, Kind)> =
            (1..=10).map(|uid| (uid, if uid % 2 == 0 { Kind::Big } else { Kind::Normal })).collect();
        let sizes: Vec<usize> = batches(&listing).map(<[_]>::len).collect();
        assert_eq!(sizes, vec![9, 1]);
    }

    #[test]
    fn a_huge_message_is_a_batch_of_its_own() {
        let kinds = [Kind::Normal, Kind::Huge, Kind::Huge, Kind::Big, Kind::Normal];
        let listing: Vec<(u32, Kind)> = kinds.iter().enumerate().map(|(i, k)| (i as u32 + 1, *k)).collect();
        let sizes: Vec<usize> = batches(&listing).map(<[_]>::len).collect();
        assert_eq!(sizes, vec![1, 1, 1, 2]);
    }

    #[test]
    fn batches_cover_the_listing_in_order() {
        let listing: Vec<(u32, Kind)> = (1..=1200).map(|uid| (uid, Kind::Normal)).collect();
        let all: Vec<u32> = batches(&listing).flatten().map(|l| l.0).collect();
        assert_eq!(all, (1..=1200).collect::<Vec<_>>());
        assert_eq!(batches(&listing).count(), 3);
    }
}
