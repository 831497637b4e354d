//! Carrying out the moves and flag changes the journal queued for a folder: flags first (so they
//! travel with a moved message), then one `UID MOVE` per destination, creating a missing folder. A move
//! is recorded as sent before it goes out, so one whose answer a crash cut off is settled with care
//! ([`super::in_doubt`]) instead of being sent blindly again.
//!
//! A server's cost per MOVE command is high and grows with the folder (Dovecot rewrites the source
//! folder's index: ~30 ms with 10,000 messages), so operations are applied in as few commands as
//! possible, and during a large backlog by a [`Mover`] on a second connection while the first one keeps
//! fetching.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::TryStreamExt;
use tokio::sync::Notify;
use tracing::warn;

use super::folder::{FolderWatch, timed};
use super::in_doubt::settle_doubtful;
use super::{ImapError, ImapSession, connect, uid_set};
use crate::store::PendingOp;

/// A failed move or flag change is given up (and reported) after this many attempts.
const OP_ATTEMPTS: i64 = 5;

/// Which of the queued operations a connection applies: moves are split between connections by
/// destination (moves into different folders run in parallel on the server), flags go with share 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub index: usize,
    pub of: usize,
}

impl Share {
    /// Every operation: the connection works alone.
    pub const ALL: Share = Share { index: 0, of: 1 };

    fn takes_destination(self, destination: &str) -> bool {
        let hash = destination.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(usize::from(b)));
        hash % self.of == self.index
    }
}

/// Applies the queued operations of the folder that fall to `share`.
pub async fn apply_ops(
    session: &mut ImapSession,
    watch: &FolderWatch,
    uidvalidity: u32,
    delimiter: Option<char>,
    share: Share,
) -> Result<(), ImapError> {
    let (mailbox, folder) = (watch.mailbox.clone(), watch.folder.clone());
    let ops: Vec<PendingOp> = watch.db.run(move |store| store.pending_ops(&mailbox, &folder)).await?;
    if ops.is_empty() {
        return Ok(());
    }
    let mut flags: BTreeMap<&str, Vec<(i64, u32)>> = BTreeMap::new();
    let mut moves: BTreeMap<&str, Vec<(i64, u32)>> = BTreeMap::new();
    let mut stale = Vec::new();
    // Moves sent earlier whose answer never came.
    let in_doubt: HashSet<i64> = ops.iter().filter(|op| op.sent_at_ms.is_some()).map(|op| op.id).collect();
    for op in &ops {
        let uid = op
            .item
            .split_once(':')
            .filter(|(v, _)| v.parse() == Ok(uidvalidity))
            .and_then(|(_, u)| u.parse().ok());
        match (uid, op.op.as_str()) {
            (Some(uid), "flag") if share.index == 0 => {
                flags.entry(op.arg.as_str()).or_default().push((op.id, uid))
            }
            (Some(uid), "move") if share.takes_destination(&op.arg) => {
                moves.entry(op.arg.as_str()).or_default().push((op.id, uid))
            }
            (Some(_), _) => {}
            _ if share.index == 0 => stale.push(op.id),
            _ => {}
        }
    }
    for id in stale {
        fail(watch, id, "the folder's UIDVALIDITY changed before this could be applied".into(), true).await?;
    }
    for (flag_list, targets) in &flags {
        let set = uid_set(&targets.iter().map(|t| t.1).collect::<Vec<_>>());
        let query = format!("+FLAGS.SILENT ({flag_list})");
        let result: Result<Vec<_>, _> =
            timed("setting flags", async { session.uid_store(&set, &query).await?.try_collect().await })
                .await;
        settle(watch, targets, &ops, result.map(drop)).await?;
    }
    for (destination, targets) in moves {
        let destination = &server_folder_name(destination, delimiter);
        if is_same_folder(destination, &watch.folder, delimiter) {
            // The message is already where the rule files it. Nothing is sent, and above all nothing is
            // settled: a search of the "destination" would find the message itself as its own copy.
            let ids: Vec<i64> = targets.iter().map(|t| t.0).collect();
            watch.db.run(move |store| store.finish_ops(&ids)).await?;
            continue;
        }
        let (doubtful, mut targets): (Vec<_>, Vec<_>) =
            targets.into_iter().partition(|t| in_doubt.contains(&t.0));
        if !doubtful.is_empty() {
            targets.extend(settle_doubtful(session, watch, destination, doubtful).await?);
        }
        if targets.is_empty() {
            continue;
        }
        let ids: Vec<i64> = targets.iter().map(|t| t.0).collect();
        watch.db.run(move |store| store.mark_moves_sent(&ids, crate::store::now_ms())).await?;
        let set = uid_set(&targets.iter().map(|t| t.1).collect::<Vec<_>>());
        let mut result = timed("moving messages", session.uid_mv(&set, destination)).await;
        if matches!(result, Err(ImapError::Imap(async_imap::error::Error::No(_)))) {
            // Most likely the folder does not exist yet ([TRYCREATE]); creating an existing folder
            // just fails harmlessly, so try it and move again.
            timed("creating the folder", session.create(destination)).await.ok();
            result = timed("moving messages", session.uid_mv(&set, destination)).await;
        }
        settle(watch, &targets, &ops, result).await?;
    }
    Ok(())
}

/// Whether `destination` (as the server writes it) is the watched `folder` itself; `INBOX` is the same
/// in any case (RFC 3501 §5.1).
pub(super) fn is_same_folder(destination: &str, folder: &str, delimiter: Option<char>) -> bool {
    let folder = server_folder_name(folder, delimiter);
    destination == folder
        || (destination.eq_ignore_ascii_case("INBOX") && folder.eq_ignore_ascii_case("INBOX"))
}

/// A folder name from the rules (`/` separates levels, any Unicode) as this server writes it: its own
/// separator, and modified UTF-7 (RFC 3501 §5.1.3) for non-ASCII names.
pub fn server_folder_name(name: &str, delimiter: Option<char>) -> String {
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

/// Another session on the watched folder, checked to be the same folder (UIDVALIDITY) as the first.
async fn open_selected(watch: &FolderWatch, uidvalidity: u32) -> Result<ImapSession, ImapError> {
    let mut session = connect(&watch.account).await?;
    let selected = timed("selecting the folder", session.select(&watch.folder)).await?;
    if selected.uid_validity != Some(uidvalidity) {
        return Err(ImapError::Protocol("the folder changed its UIDVALIDITY meanwhile".into()));
    }
    Ok(session)
}

async fn fail(watch: &FolderWatch, id: i64, reason: String, give_up: bool) -> Result<(), ImapError> {
    watch.db.run(move |store| store.fail_op(id, &reason, give_up)).await?;
    Ok(())
}

/// Another connection that applies its share of the queued operations whenever woken, while the first
/// one fetches.
pub struct Mover {
    wake: Arc<Notify>,
    finishing: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

/// A catch-up that fails part-way drops its movers: their connections must not outlive it, waiting
/// forever or moving the same messages as the next session.
impl Drop for Mover {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Mover {
    /// Starts another connection for its share of the operations, in the background so the first
    /// fetch need not wait for it. If it cannot connect, its share is applied on the main connection
    /// at the end of the catch-up, which is only slower.
    pub fn start(watch: &FolderWatch, uidvalidity: u32, delimiter: Option<char>, share: Share) -> Mover {
        let wake = Arc::new(Notify::new());
        let finishing = Arc::new(AtomicBool::new(false));
        let (watch, signal, done) = (watch.clone(), wake.clone(), finishing.clone());
        let task = tokio::spawn(async move {
            let mut session = match open_selected(&watch, uidvalidity).await {
                Ok(session) => session,
                Err(e) => {
                    warn!(mailbox = %watch.mailbox, error = %e, "no second connection for filing; filing at the end");
                    return;
                }
            };
            loop {
                let last_round = done.load(Ordering::Acquire);
                if let Err(e) = apply_ops(&mut session, &watch, uidvalidity, delimiter, share).await {
                    warn!(mailbox = %watch.mailbox, error = %e, "filing on the second connection failed; filing at the end");
                    return;
                }
                if last_round {
                    break;
                }
                signal.notified().await;
            }
            session.logout().await.ok();
        });
        Mover { wake, finishing, task }
    }

    /// Says that more operations are queued.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Applies what is still queued, then closes the second connection.
    pub async fn finish(mut self) {
        self.finishing.store(true, Ordering::Release);
        self.wake.notify_one();
        (&mut self.task).await.ok();
    }
}
