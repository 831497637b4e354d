//! One watched IMAP folder: connect, settle the position, catch up by UID, apply queued moves and
//! flags (those left by an earlier run too), wait for more with IDLE (or poll), repeat; reconnect with
//! backoff when anything fails.
//!
//! The folder's position (UIDVALIDITY and the last UID handled) moves forward only in the same
//! transaction that journals the messages below it, so a crash anywhere resumes exactly after the last
//! committed batch.

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use tokio::sync::watch;
use tracing::{debug, info, warn};

use super::catchup::catch_up;
use super::ops::{Share, apply_ops};
use super::{ImapError, ImapSession, connect};
use crate::backoff::Backoff;
use crate::config::{Backfill, ImapAccount};
use crate::sources::Sink;
use crate::store::{Db, FolderState};

/// IDLE is re-issued this often, well before the 29 minutes after which servers may drop it (RFC 2177).
const IDLE_RENEW: Duration = Duration::from_secs(25 * 60);
/// A silent IDLE (not even a keep-alive) is ended this often to check the connection still lives.
const IDLE_SILENCE: Duration = Duration::from_secs(5 * 60);
/// How often at most the time of the last look for new mail is written down for `clerk status`.
const SYNC_NOTE_EVERY: Duration = Duration::from_secs(10);
/// Longest a single command may take before the connection is considered dead.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

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
    /// How closely to watch right after mail arrived.
    pub burst: Burst,
    pub sink: std::sync::Arc<dyn Sink>,
    pub db: Db,
}

/// Looking again every `every` for `window` after the last new mail, before going back to IDLE or the
/// poll interval: arrival-to-reply time in a busy period is then bounded by `every` rather than by the
/// server's IDLE notification delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Burst {
    pub window: Duration,
    pub every: Duration,
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
            Ok(()) => {
                note(&watch, "stopped", None).await;
                return;
            }
            Err(e) => e,
        };
        if started.elapsed() > Duration::from_secs(60) {
            failures = 0;
        }
        failures = failures.saturating_add(1);
        let delay = backoff(failures, matches!(error, ImapError::Login(_)));
        warn!(mailbox = %watch.mailbox, folder = %watch.folder, error = %error,
              retry_in_s = delay.as_secs_f32(), "IMAP session ended; reconnecting");
        note(&watch, "reconnecting", Some(error.to_string())).await;
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// 1 s, 2 s, 4 s … up to 5 minutes (login failures start at 30 s: hammering a server with a wrong
/// password gets accounts locked), each scaled by a random 0.5–1.5 so many clients don't reconnect in step.
fn backoff(failures: u32, login: bool) -> Duration {
    let first = Duration::from_secs(if login { 30 } else { 1 });
    Backoff { first, most: Duration::from_secs(300), jitter: 0.5 }.after(failures)
}

/// Notes the watcher's state for `clerk status`; a failure to note it changes nothing else.
async fn note(watch: &FolderWatch, state: &'static str, detail: Option<String>) {
    let (mailbox, folder) = (watch.mailbox.clone(), watch.folder.clone());
    let noted =
        watch.db.run(move |store| store.note_watch(&mailbox, &folder, state, detail.as_deref())).await;
    if let Err(e) = noted {
        debug!(error = %e, "cannot note the watcher's state");
    }
}

/// One connection's life: returns Ok only on shutdown.
async fn session(watch: &FolderWatch, shutdown: &mut watch::Receiver<bool>) -> Result<(), ImapError> {
    let (mut session, mut state, server) = open(watch).await?;
    note(watch, "connected", None).await;
    let mut last_mail: Option<Instant> = None;
    let mut noted_sync: Option<Instant> = None;
    loop {
        // New mail first: the queued moves and flags may include a move left in doubt by the last
        // run, whose settling can wait; the mail must not (a start that is soon stopped again still
        // handles what arrived).
        let before = state.last_uid;
        state = catch_up(&mut session, watch, state, server.delimiter, Some(shutdown)).await?;
        apply_ops(&mut session, watch, state.uidvalidity, server.delimiter, Share::ALL).await?;
        // Burst polling looks every few milliseconds; the status need not know each time.
        if noted_sync.is_none_or(|t| t.elapsed() >= SYNC_NOTE_EVERY) {
            let (mailbox, folder) = (watch.mailbox.clone(), watch.folder.clone());
            watch.db.run(move |store| store.note_sync(&mailbox, &folder)).await?;
            noted_sync = Some(Instant::now());
        }
        if state.last_uid != before {
            last_mail = Some(Instant::now());
        }
        while session.unsolicited_responses.try_recv().is_ok() {}
        if *shutdown.borrow() {
            session.logout().await.ok();
            return Ok(());
        }
        let busy = last_mail.is_some_and(|t| t.elapsed() < watch.burst.window);
        // Mail comes in bursts, and a server's IDLE may tell of new mail only after a delay (Dovecot:
        // a fixed 0.5 s), so right after mail clerk looks again every few milliseconds; without IDLE
        // it looks every poll interval.
        let pause = match (busy, server.idle) {
            (true, _) => Some(watch.burst.every),
            (false, true) => None,
            (false, false) => Some(watch.poll_interval),
        };
        session = match pause {
            Some(pause) => {
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = shutdown.changed() => {}
                }
                // NOOP makes the server take in mail that arrived since the last command; a SEARCH
                // alone may still answer from its previous view of the folder, one poll late.
                timed("checking for new mail", session.noop()).await?;
                session
            }
            None => idle_wait(session, shutdown).await?,
        };
    }
}

/// Handles the mail waiting in the folder and the queued moves and flags, then logs out (`run --once`).
pub async fn sync_once(watch: &FolderWatch) -> Result<(), ImapError> {
    let (mut session, state, server) = open(watch).await?;
    let state = catch_up(&mut session, watch, state, server.delimiter, None).await?;
    apply_ops(&mut session, watch, state.uidvalidity, server.delimiter, Share::ALL).await?;
    session.logout().await.ok();
    Ok(())
}

/// `clerk replay --apply` on this folder: the mail since `since` goes through the intake (what the
/// journal holds is skipped), then the queued moves and flags are applied. Returns how many messages
/// were looked at.
pub async fn replay_once(
    watch: &FolderWatch,
    since: chrono::NaiveDate,
    progress: &dyn Fn(super::Progress),
) -> Result<usize, ImapError> {
    let (mut session, state, server) = open(watch).await?;
    let count = super::catchup::replay_since(&mut session, watch, &state, since, progress).await?;
    apply_ops(&mut session, watch, state.uidvalidity, server.delimiter, Share::ALL).await?;
    session.logout().await.ok();
    Ok(count)
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
pub(super) async fn timed<T, E: Into<ImapError>>(
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
        use super::super::ops::server_folder_name;
        assert_eq!(server_folder_name("Vendors/Invoices", Some('.')), "Vendors.Invoices");
        assert_eq!(server_folder_name("Vendors/Invoices", Some('/')), "Vendors/Invoices");
    }

    #[test]
    fn non_ascii_folder_names_are_modified_utf7() {
        use super::super::ops::server_folder_name;
        assert_eq!(server_folder_name("Contabilità", Some('/')), "Contabilit&AOA-");
    }

    #[test]
    fn a_move_into_the_watched_folder_is_recognised_whatever_the_spelling() {
        use super::super::ops::is_same_folder;
        assert!(is_same_folder("inbox", "INBOX", Some('.')));
        assert!(is_same_folder("Vendors.Invoices", "Vendors/Invoices", Some('.')));
        assert!(!is_same_folder("Vendors.Invoices", "INBOX", Some('.')));
        assert!(!is_same_folder("Archive", "archive", Some('/')), "only INBOX ignores case");
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        assert!(backoff(1, false) <= Duration::from_secs_f64(1.5));
        assert!(backoff(30, false) <= Duration::from_secs(450));
        assert!(backoff(1, true) >= Duration::from_secs(15));
    }
}
