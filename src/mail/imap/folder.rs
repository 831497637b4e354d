//! One watched IMAP folder: catch up by UID, apply queued moves and flags, wait for more, repeat.
//!
//! The folder's position (UIDVALIDITY and the last UID handled) moves forward only in the same
//! transaction that journals the messages below it, so a crash anywhere resumes exactly after the last
//! committed batch. Fetching is pipelined: while one batch is being classified and committed, the
//! next one is already being fetched.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use tokio::sync::watch;
use tracing::{debug, info, warn};

use super::{ImapError, ImapSession, connect, uid_set};
use crate::config::{Backfill, ImapAccount};
use crate::intake::{Content, Fetched, Intake};
use crate::store::{Db, FolderState, PendingOp, Position};

/// Messages per fetch batch (and per journal transaction).
const BATCH_MESSAGES: usize = 500;
/// Bytes per fetch batch: bounds memory when messages are large.
const BATCH_BYTES: u64 = 8_000_000;
/// IDLE is re-issued this often, well before the 29 minutes after which servers may drop it (RFC 2177).
const IDLE_RENEW: Duration = Duration::from_secs(25 * 60);
/// A silent IDLE (not even a keep-alive) is ended this often to check the connection still lives.
const IDLE_SILENCE: Duration = Duration::from_secs(5 * 60);
/// Longest a single command may take before the connection is considered dead.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);
/// A failed move or flag change is given up (and reported) after this many attempts.
const OP_ATTEMPTS: i64 = 5;

/// Everything one folder task needs.
#[derive(Clone)]
pub struct FolderWatch {
    /// The configured mailbox name (journal key and log field).
    pub mailbox: String,
    pub account: ImapAccount,
    pub folder: String,
    pub idle: bool,
    pub poll_interval: Duration,
    pub backfill: Backfill,
    pub max_message_size: u64,
    pub intake: Intake,
    pub db: Db,
}

/// Watches one folder until `shutdown` turns true, reconnecting with exponential backoff and jitter
/// whenever the session fails.
pub async fn watch_folder(watch: FolderWatch, mut shutdown: watch::Receiver<bool>) {
    let mut failures: u32 = 0;
    loop {
        if *shutdown.borrow() {
            return;
        }
        let started = Instant::now();
        let error = match session(&watch, &mut shutdown).await {
            Ok(()) => return,
            Err(e) => e,
        };
        if started.elapsed() > Duration::from_secs(60) {
            failures = 0;
        }
        failures = failures.saturating_add(1);
        let delay = backoff(failures, matches!(error, ImapError::Login(_)));
        warn!(mailbox = %watch.mailbox, folder = %watch.folder, error = %error,
              retry_in_s = delay.as_secs_f32(), "IMAP session ended; reconnecting");
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// 1 s, 2 s, 4 s … up to 5 minutes (login failures start at 30 s: hammering a server with a wrong
/// password gets accounts locked), each scaled by a random 0.5–1.5 so many clients don't reconnect in step.
fn backoff(failures: u32, login: bool) -> Duration {
    let base: f64 = if login { 30.0 } else { 1.0 };
    let seconds = (base * 2f64.powi(failures.saturating_sub(1).min(16) as i32)).min(300.0);
    Duration::from_secs_f64(seconds * (0.5 + fastrand::f64()))
}

/// One connection's life: returns Ok only on shutdown.
async fn session(watch: &FolderWatch, shutdown: &mut watch::Receiver<bool>) -> Result<(), ImapError> {
    let (mut session, mut state, server) = open(watch).await?;
    loop {
        apply_ops(&mut session, watch, state.uidvalidity, server.delimiter).await?;
        state = catch_up(&mut session, watch, state, server.delimiter).await?;
        while session.unsolicited_responses.try_recv().is_ok() {}
        if *shutdown.borrow() {
            session.logout().await.ok();
            return Ok(());
        }
        session = if server.idle {
            idle_wait(session, shutdown).await?
        } else {
            tokio::select! {
                _ = tokio::time::sleep(watch.poll_interval) => {}
                _ = shutdown.changed() => {}
            }
            session
        };
    }
}

/// Handles the mail waiting in the folder and the queued moves and flags, then logs out (`run --once`).
pub async fn sync_once(watch: &FolderWatch) -> Result<(), ImapError> {
    let (mut session, state, server) = open(watch).await?;
    apply_ops(&mut session, watch, state.uidvalidity, server.delimiter).await?;
    catch_up(&mut session, watch, state, server.delimiter).await?;
    session.logout().await.ok();
    Ok(())
}

/// What clerk learns about the server once per connection.
struct Server {
    /// Whether to wait with IDLE (offered and configured) or poll.
    idle: bool,
    /// The hierarchy separator of folder names (`.` on Dovecot's Maildir, `/` on Gmail and Exchange).
    delimiter: Option<char>,
}

/// Connects, selects the folder and settles its position.
async fn open(watch: &FolderWatch) -> Result<(ImapSession, FolderState, Server), ImapError> {
    let mut session = connect(&watch.account).await?;
    let mailbox = timed("selecting the folder", session.select(&watch.folder)).await?;
    let uidvalidity =
        mailbox.uid_validity.ok_or_else(|| ImapError::Protocol("SELECT gave no UIDVALIDITY".into()))?;
    let uid_next = match mailbox.uid_next {
        Some(next) => next,
        None => highest_uid(&mut session).await? + 1,
    };
    let idle = watch.idle && session.capabilities().await?.has_str("IDLE");
    let names: Vec<_> = timed("asking for the folder separator", async {
        session.list(None, None).await?.try_collect().await
    })
    .await?;
    let delimiter = names.iter().find_map(|n| n.delimiter()).and_then(|d| d.chars().next());
    info!(mailbox = %watch.mailbox, folder = %watch.folder, uidvalidity, idle, separator = ?delimiter, "watching");
    let state = settle_position(watch, uidvalidity, uid_next).await?;
    Ok((session, state, Server { idle, delimiter }))
}

/// Loads the folder's position, or starts one: on first sight per the backfill policy, and after a
/// UIDVALIDITY change by rescanning the folder (the journal recognises what it has seen by Message-ID
/// and content, and mail older than the original watch start is left alone).
async fn settle_position(
    watch: &FolderWatch,
    uidvalidity: u32,
    uid_next: u32,
) -> Result<FolderState, ImapError> {
    let (mailbox, folder, backfill) = (watch.mailbox.clone(), watch.folder.clone(), watch.backfill);
    let state = watch
        .db
        .run(move |store| -> Result<FolderState, crate::store::StoreError> {
            let before = store.folder_state(&mailbox, &folder)?;
            let backlog_until = uid_next.saturating_sub(1);
            let state = match before {
                Some(state) if state.uidvalidity == uidvalidity => return Ok(state),
                Some(old) => {
                    warn!(%mailbox, %folder, old = old.uidvalidity, new = uidvalidity,
                          "UIDVALIDITY changed: rescanning; messages already handled are recognised and skipped");
                    FolderState { uidvalidity, last_uid: 0, watch_since: old.watch_since, backlog_until }
                }
                None => {
                    let now = crate::store::now();
                    match backfill {
                        Backfill::None => FolderState { uidvalidity, last_uid: backlog_until, watch_since: now, backlog_until: 0 },
                        Backfill::All => FolderState { uidvalidity, last_uid: 0, watch_since: 0, backlog_until: 0 },
                        Backfill::Since(day) => {
                            let since = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
                            FolderState { uidvalidity, last_uid: 0, watch_since: since, backlog_until }
                        }
                    }
                }
            };
            store.set_folder_state(&mailbox, &folder, state)?;
            Ok(state)
        })
        .await?;
    Ok(state)
}

/// A message as listed before fetching: enough to decide whether and how to fetch it.
struct Listed {
    uid: u32,
    size: u64,
    received: Option<i64>,
}

/// Handles every message above `state.last_uid`, batch by batch, and returns the new position.
async fn catch_up(
    session: &mut ImapSession,
    watch: &FolderWatch,
    mut state: FolderState,
    delimiter: Option<char>,
) -> Result<FolderState, ImapError> {
    let listing = list_new(session, state.last_uid).await?;
    if listing.is_empty() {
        return Ok(state);
    }
    debug!(mailbox = %watch.mailbox, folder = %watch.folder, count = listing.len(), "new messages");
    let mut in_flight: Option<tokio::task::JoinHandle<Result<(), crate::intake::IntakeError>>> = None;
    for batch in batches(&listing) {
        let fetched = fetch_batch(session, watch, &state, batch).await?;
        let last_uid = batch.last().map(|l| l.uid).unwrap_or(state.last_uid);
        if let Some(previous) = in_flight.take() {
            join(previous).await?;
            apply_ops(session, watch, state.uidvalidity, delimiter).await?;
        }
        let position = Position {
            mailbox: watch.mailbox.clone(),
            folder: watch.folder.clone(),
            uidvalidity: state.uidvalidity,
            last_uid,
        };
        let intake = watch.intake.clone();
        let (mailbox, folder) = (watch.mailbox.clone(), watch.folder.clone());
        in_flight =
            Some(tokio::spawn(
                async move { intake.handle(&mailbox, &folder, fetched, Some(position)).await },
            ));
        state.last_uid = last_uid;
    }
    if let Some(previous) = in_flight.take() {
        join(previous).await?;
        apply_ops(session, watch, state.uidvalidity, delimiter).await?;
    }
    Ok(state)
}

async fn join(
    task: tokio::task::JoinHandle<Result<(), crate::intake::IntakeError>>,
) -> Result<(), ImapError> {
    match task.await {
        Ok(result) => Ok(result?),
        Err(e) => Err(ImapError::Protocol(format!("message handling task failed: {e}"))),
    }
}

/// UIDs, sizes and arrival times of the messages above `last_uid`.
async fn list_new(session: &mut ImapSession, last_uid: u32) -> Result<Vec<Listed>, ImapError> {
    let range = format!("{}:*", last_uid.saturating_add(1));
    let fetches: Vec<_> = timed("listing new messages", async {
        session.uid_fetch(&range, "(UID RFC822.SIZE INTERNALDATE)").await?.try_collect().await
    })
    .await?;
    let mut listing: Vec<Listed> = fetches
        .iter()
        // `N:*` always includes the highest UID, even when it is below N (RFC 3501 §6.4.8).
        .filter_map(|f| {
            let uid = f.uid.filter(|&u| u > last_uid)?;
            Some(Listed {
                uid,
                size: f.size.unwrap_or(0) as u64,
                received: f.internal_date().map(|d| d.timestamp()),
            })
        })
        .collect();
    listing.sort_by_key(|l| l.uid);
    Ok(listing)
}

/// Splits the listing into batches bounded by count and bytes (a large message counts only its size
/// up to the limit, since it is not fetched whole).
fn batches(listing: &[Listed]) -> impl Iterator<Item = &[Listed]> {
    let mut rest = listing;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0u64;
        let mut n = 0;
        while n < rest.len() && n < BATCH_MESSAGES && (n == 0 || bytes + rest[n].size <= BATCH_BYTES) {
            bytes += rest[n].size;
            n += 1;
        }
        let (batch, tail) = rest.split_at(n);
        rest = tail;
        Some(batch)
    })
}

/// Fetches one batch: whole messages, headers only for oversized ones, nothing for backlog mail that
/// predates the watch.
async fn fetch_batch(
    session: &mut ImapSession,
    watch: &FolderWatch,
    state: &FolderState,
    batch: &[Listed],
) -> Result<Vec<Fetched>, ImapError> {
    let predates =
        |l: &Listed| l.uid <= state.backlog_until && l.received.is_some_and(|t| t < state.watch_since);
    let whole: Vec<u32> =
        batch.iter().filter(|l| !predates(l) && l.size <= watch.max_message_size).map(|l| l.uid).collect();
    let large: Vec<&Listed> =
        batch.iter().filter(|l| !predates(l) && l.size > watch.max_message_size).collect();
    let item = |uid: u32| format!("{}:{uid}", state.uidvalidity);
    let mut fetched = Vec::with_capacity(batch.len());
    if !whole.is_empty() {
        let set = uid_set(&whole);
        let mut stream = session.uid_fetch(&set, "(UID BODY.PEEK[])").await?;
        while let Some(f) = timed("fetching messages", stream.try_next()).await? {
            if let (Some(uid), Some(body)) = (f.uid, f.body()) {
                fetched.push(Fetched { item: item(uid), content: Content::Whole(body.to_vec()) });
            }
        }
    }
    if !large.is_empty() {
        let set = uid_set(&large.iter().map(|l| l.uid).collect::<Vec<_>>());
        let sizes: BTreeMap<u32, u64> = large.iter().map(|l| (l.uid, l.size)).collect();
        let mut stream = session.uid_fetch(&set, "(UID BODY.PEEK[HEADER])").await?;
        while let Some(f) = timed("fetching headers", stream.try_next()).await? {
            if let Some(uid) = f.uid {
                let header = f.header().unwrap_or_default().to_vec();
                let size = sizes.get(&uid).copied().unwrap_or(0);
                fetched.push(Fetched { item: item(uid), content: Content::TooLarge { size, header } });
            }
        }
    }
    Ok(fetched)
}

/// Applies the queued moves and flag changes of this folder: flags first (so they travel with a moved
/// message), then one UID MOVE per destination, creating a missing destination folder.
async fn apply_ops(
    session: &mut ImapSession,
    watch: &FolderWatch,
    uidvalidity: u32,
    delimiter: Option<char>,
) -> Result<(), ImapError> {
    let (mailbox, folder) = (watch.mailbox.clone(), watch.folder.clone());
    let ops: Vec<PendingOp> = watch.db.run(move |store| store.pending_ops(&mailbox, &folder)).await?;
    if ops.is_empty() {
        return Ok(());
    }
    let mut flags: BTreeMap<&str, Vec<(i64, u32)>> = BTreeMap::new();
    let mut moves: BTreeMap<&str, Vec<(i64, u32)>> = BTreeMap::new();
    let mut stale = Vec::new();
    for op in &ops {
        let uid = op
            .item
            .split_once(':')
            .filter(|(v, _)| v.parse() == Ok(uidvalidity))
            .and_then(|(_, u)| u.parse().ok());
        match (uid, op.op.as_str()) {
            (Some(uid), "flag") => flags.entry(op.arg.as_str()).or_default().push((op.id, uid)),
            (Some(uid), "move") => moves.entry(op.arg.as_str()).or_default().push((op.id, uid)),
            _ => stale.push(op.id),
        }
    }
    for id in stale {
        fail(watch, id, "the folder's UIDVALIDITY changed before this could be applied".into(), true).await?;
    }
    for (flag_list, targets) in &flags {
        let set = uid_set(&targets.iter().map(|t| t.1).collect::<Vec<_>>());
        let query = format!("+FLAGS.SILENT ({flag_list})");
        let result: Result<Vec<_>, _> =
            async { session.uid_store(&set, &query).await?.try_collect().await }.await;
        settle(watch, targets, &ops, result.map(drop).map_err(Into::into)).await?;
    }
    for (destination, targets) in &moves {
        let set = uid_set(&targets.iter().map(|t| t.1).collect::<Vec<_>>());
        let destination = &server_folder_name(destination, delimiter);
        let mut result = timed("moving messages", session.uid_mv(&set, destination)).await;
        if matches!(result, Err(ImapError::Imap(async_imap::error::Error::No(_)))) {
            // Most likely the folder does not exist yet ([TRYCREATE]); creating an existing folder
            // just fails harmlessly, so try it and move again.
            session.create(destination).await.ok();
            result = timed("moving messages", session.uid_mv(&set, destination)).await;
        }
        settle(watch, targets, &ops, result).await?;
    }
    Ok(())
}

/// A folder name from the rules (`/` separates levels, any Unicode) as this server writes it: its own
/// separator, and modified UTF-7 (RFC 3501 §5.1.3) for non-ASCII names.
fn server_folder_name(name: &str, delimiter: Option<char>) -> String {
    let name = match delimiter {
        Some(d) if d != '/' => name.replace('/', &d.to_string()),
        _ => name.to_string(),
    };
    utf7_imap::encode_utf7_imap(name)
}

/// Records the outcome of one server command over several queued operations.
async fn settle(
    watch: &FolderWatch,
    targets: &[(i64, u32)],
    ops: &[PendingOp],
    result: Result<(), ImapError>,
) -> Result<(), ImapError> {
    match result {
        Ok(()) => {
            let ids: Vec<i64> = targets.iter().map(|t| t.0).collect();
            watch.db.run(move |store| store.finish_ops(&ids)).await?;
            Ok(())
        }
        // A refused command (NO) is about these messages; anything else is the connection.
        Err(ImapError::Imap(async_imap::error::Error::No(reason))) => {
            for (id, _) in targets {
                let attempts = ops.iter().find(|o| o.id == *id).map(|o| o.attempts).unwrap_or(0);
                fail(watch, *id, reason.clone(), attempts + 1 >= OP_ATTEMPTS).await?;
            }
            warn!(mailbox = %watch.mailbox, folder = %watch.folder, %reason, "the server refused a move or flag change");
            Ok(())
        }
        Err(other) => Err(other),
    }
}

async fn fail(watch: &FolderWatch, id: i64, reason: String, give_up: bool) -> Result<(), ImapError> {
    watch.db.run(move |store| store.fail_op(id, &reason, give_up)).await?;
    Ok(())
}

/// IDLE until the server reports a change, the renewal time passes, or shutdown.
async fn idle_wait(
    session: ImapSession,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<ImapSession, ImapError> {
    let mut idle = session.idle();
    timed("starting IDLE", idle.init()).await?;
    {
        let (wait, _stop) = idle.wait_with_timeout(IDLE_SILENCE);
        tokio::select! {
            outcome = wait => { outcome?; }
            _ = tokio::time::sleep(IDLE_RENEW) => {}
            _ = shutdown.changed() => {}
        }
    }
    timed("ending IDLE", idle.done()).await
}

/// The highest UID in the selected folder, for servers that don't report UIDNEXT.
async fn highest_uid(session: &mut ImapSession) -> Result<u32, ImapError> {
    let fetches: Vec<_> = session.uid_fetch("*", "(UID)").await?.try_collect().await?;
    Ok(fetches.iter().filter_map(|f| f.uid).max().unwrap_or(0))
}

/// Bounds one server interaction by [`COMMAND_TIMEOUT`]: a server that stops answering is treated like
/// one that disconnected.
async fn timed<T, E: Into<ImapError>>(
    what: &str,
    fut: impl Future<Output = Result<T, E>>,
) -> Result<T, ImapError> {
    match tokio::time::timeout(COMMAND_TIMEOUT, fut).await {
        Ok(result) => result.map_err(Into::into),
        Err(_) => Err(ImapError::Timeout(what.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_levels_use_the_servers_separator() {
        assert_eq!(server_folder_name("Vendors/Invoices", Some('.')), "Vendors.Invoices");
        assert_eq!(server_folder_name("Vendors/Invoices", Some('/')), "Vendors/Invoices");
    }

    #[test]
    fn non_ascii_folder_names_are_modified_utf7() {
        assert_eq!(server_folder_name("Contabilità", Some('/')), "Contabilit&AOA-");
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        assert!(backoff(1, false) <= Duration::from_secs_f64(1.5));
        assert!(backoff(30, false) <= Duration::from_secs(450));
        assert!(backoff(1, true) >= Duration::from_secs(15));
    }
}
