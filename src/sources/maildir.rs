//! Reading mail from a local Maildir: the embedded mode's inbox, and a source for servers that deliver
//! to disk.
//!
//! It behaves like an IMAP folder: new mail is found in `new/`, handed to the intake, and once
//! journaled it moves to `cur/` with its flags in the file name (`:2,FS`), or into another Maildir++
//! folder (`.Vendors.Invoices/cur/`) when a rule moves it. The file's unique name (up to the `:`) is
//! its journal key, so a crash between journaling and renaming only leaves the rename to redo.
//!
//! Reading, listing and renaming files blocks, and a slow disk must not stall the async workers that
//! IMAP folders, the outbox and the feeds share: every step that touches the disk runs on tokio's
//! blocking pool ([`on_disk`]), a batch or a listing at a time.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::watch;
use tracing::{info, warn};

use crate::config::Backfill;
use crate::sources::Progress;
use crate::sources::{Content, Fetched, Sink, SinkError};
use crate::store::{Db, FolderState, PendingOp, StoreError};

/// The folder name the journal uses for a Maildir's own (root) folder.
pub const INBOX: &str = "INBOX";
/// Files per intake batch.
const BATCH: usize = 200;
/// A batch takes no more files once it holds this many bytes.
const BATCH_BYTES: u64 = 8_000_000;
/// A move or flag that fails this many times is given up (and reported).
const OP_ATTEMPTS: i64 = 5;

/// What can go wrong reading a Maildir.
#[derive(Debug, thiserror::Error)]
pub enum MaildirError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Sink(#[from] SinkError),
    /// The blocking task that touched the disk did not finish (it panicked, or the runtime is
    /// shutting down).
    #[error("a Maildir task stopped: {0}")]
    Stopped(String),
}

/// Runs `work`, which touches the disk, on tokio's blocking pool.
async fn on_disk<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, MaildirError> + Send + 'static,
) -> Result<T, MaildirError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| MaildirError::Stopped(e.to_string()))?
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MaildirError + '_ {
    move |source| MaildirError::Io { path: path.display().to_string(), source }
}

/// Everything one Maildir task needs.
#[derive(Clone)]
pub struct MaildirWatch {
    pub mailbox: String,
    pub root: PathBuf,
    pub poll_interval: Duration,
    pub backfill: Backfill,
    pub max_message_size: u64,
    pub sink: std::sync::Arc<dyn Sink>,
    pub db: Db,
}

/// Creates `new/`, `cur/` and `tmp/` under `root` if missing.
pub fn create(root: &Path) -> Result<(), MaildirError> {
    for sub in ["new", "cur", "tmp"] {
        let dir = root.join(sub);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    }
    Ok(())
}

/// Watches the Maildir until shutdown, scanning `new/` every poll interval. Errors are logged and the
/// scan retried at the next interval: a Maildir error is usually a permission or disk problem a person
/// has to fix, and nothing is lost by waiting.
pub async fn watch_maildir(watch: MaildirWatch, mut shutdown: watch::Receiver<bool>) {
    info!(mailbox = %watch.mailbox, path = %watch.root.display(), "watching Maildir");
    loop {
        let (state, detail) = match scan(&watch).await {
            Ok(_) => ("connected", None),
            Err(e) => {
                warn!(mailbox = %watch.mailbox, error = %e, "Maildir scan failed; retrying");
                ("reconnecting", Some(e.to_string()))
            }
        };
        note(&watch, state, detail, true).await;
        tokio::select! {
            _ = tokio::time::sleep(watch.poll_interval) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            note(&watch, "stopped", None, false).await;
            return;
        }
    }
}

/// Notes the watcher's state (and, with `synced`, that it just looked) for `clerk status`; the folder
/// is the Maildir's path.
async fn note(watch: &MaildirWatch, state: &'static str, detail: Option<String>, synced: bool) {
    let (mailbox, folder) = (watch.mailbox.clone(), watch.root.display().to_string());
    let noted = watch
        .db
        .run(move |store| {
            store.note_watch(&mailbox, &folder, state, detail.as_deref())?;
            if synced { store.note_sync(&mailbox, &folder) } else { Ok(()) }
        })
        .await;
    if let Err(e) = noted {
        tracing::debug!(error = %e, "cannot note the watcher's state");
    }
}

/// One pass: handle what is new, then carry out queued moves and flags and file handled mail into `cur/`.
pub async fn scan(watch: &MaildirWatch) -> Result<usize, MaildirError> {
    let root = watch.root.clone();
    on_disk(move || create(&root)).await?;
    let state = settle(watch).await?;
    let root = watch.root.clone();
    let candidates = on_disk(move || {
        let mut candidates = list(&root.join("new"))?;
        if state.backlog_until > 0 {
            // A first start with backfill "all" or "since:" also takes mail a person already read.
            candidates.extend(list(&root.join("cur"))?);
        }
        candidates.retain(|p| modified(p).is_none_or(|t| t >= state.watch_since));
        Ok(candidates)
    })
    .await?;
    let handled = handle_files(watch, &candidates, &|_| {}).await?;
    if state.backlog_until > 0 {
        let (mailbox, done) = (watch.mailbox.clone(), FolderState { backlog_until: 0, ..state });
        watch.db.run(move |store| store.set_folder_state(&mailbox, INBOX, done)).await?;
    }
    file_handled(watch).await?;
    Ok(handled)
}

/// `clerk backfill` and `replay --apply`: the mail in `new/` and `cur/` delivered (file time) on or after
/// `since`, through the journal like new mail, so what clerk already handled is skipped. Returns how
/// many messages were looked at.
pub async fn replay_since(
    watch: &MaildirWatch,
    since: chrono::NaiveDate,
    progress: &dyn Fn(Progress),
) -> Result<usize, MaildirError> {
    let root = watch.root.clone();
    on_disk(move || create(&root)).await?;
    settle(watch).await?;
    let since = since.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
    let root = watch.root.clone();
    let candidates = on_disk(move || {
        let mut candidates = list(&root.join("new"))?;
        candidates.extend(list(&root.join("cur"))?);
        candidates.retain(|p| modified(p).is_none_or(|t| t >= since));
        Ok(candidates)
    })
    .await?;
    progress(Progress::Found(candidates.len()));
    let looked = handle_files(watch, &candidates, progress).await?;
    file_handled(watch).await?;
    Ok(looked)
}

/// Hands `paths` to the intake in batches, filing each batch's handled mail before the next.
async fn handle_files<P: Fn(Progress) + ?Sized>(
    watch: &MaildirWatch,
    paths: &[PathBuf],
    progress: &P,
) -> Result<usize, MaildirError> {
    let mut rest = paths;
    while !rest.is_empty() {
        let (batch_paths, max_size) = (rest[..rest.len().min(BATCH)].to_vec(), watch.max_message_size);
        let fetched = on_disk(move || read_batch(&batch_paths, max_size)).await?;
        let taken = fetched.len();
        watch.sink.take(watch.mailbox.clone(), INBOX.to_string(), fetched, None).await?;
        file_handled(watch).await?;
        progress(Progress::Done(taken));
        rest = &rest[taken..];
    }
    Ok(paths.len())
}

/// The files at the start of `paths`, each whole, or only its header when it is over `max_size`: at
/// least one, and no more once they hold [`BATCH_BYTES`], so a batch of big mail stays a few of them.
fn read_batch(paths: &[PathBuf], max_size: u64) -> Result<Vec<Fetched>, MaildirError> {
    let mut fetched = Vec::with_capacity(paths.len());
    let mut bytes = 0;
    for path in paths {
        if !fetched.is_empty() && bytes >= BATCH_BYTES {
            break;
        }
        let size = std::fs::metadata(path).map_err(io(path))?.len();
        let content = if size > max_size {
            Content::TooLarge { size, header: read_header(path)? }
        } else {
            bytes += size;
            Content::Whole(std::fs::read(path).map_err(io(path))?)
        };
        fetched.push(Fetched { item: unique_name(path), content });
    }
    Ok(fetched)
}

/// The Maildir's watch start, set on first sight from the backfill policy (`backlog_until` = 1 marks a
/// first pass that should include `cur/`).
async fn settle(watch: &MaildirWatch) -> Result<FolderState, MaildirError> {
    let (mailbox, backfill) = (watch.mailbox.clone(), watch.backfill);
    Ok(watch
        .db
        .run(move |store| -> Result<FolderState, StoreError> {
            if let Some(state) = store.folder_state(&mailbox, INBOX)? {
                return Ok(state);
            }
            let state = match backfill {
                Backfill::None => FolderState {
                    uidvalidity: 0,
                    last_uid: 0,
                    watch_since: crate::store::now(),
                    backlog_until: 0,
                },
                Backfill::All => {
                    FolderState { uidvalidity: 0, last_uid: 0, watch_since: 0, backlog_until: 1 }
                }
                Backfill::Since(day) => {
                    let since = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
                    FolderState { uidvalidity: 0, last_uid: 0, watch_since: since, backlog_until: 1 }
                }
            };
            store.set_folder_state(&mailbox, INBOX, state)?;
            Ok(state)
        })
        .await?)
}

/// Applies queued moves and flags, then moves every journaled message still in `new/` to `cur/`.
async fn file_handled(watch: &MaildirWatch) -> Result<(), MaildirError> {
    let mailbox = watch.mailbox.clone();
    let ops = watch.db.run(move |store| store.pending_ops(&mailbox, INBOX)).await?;
    if !ops.is_empty() {
        let root = watch.root.clone();
        let (done, failed) = on_disk(move || apply_ops(&root, &ops)).await?;
        for OpFailure { id, reason, give_up } in failed {
            watch.db.run(move |store| store.fail_op(id, &reason, give_up)).await?;
        }
        watch.db.run(move |store| store.finish_ops(&done)).await?;
    }
    let new = watch.root.join("new");
    let waiting = on_disk(move || list(&new)).await?;
    if waiting.is_empty() {
        return Ok(());
    }
    let mailbox = watch.mailbox.clone();
    let journaled = watch
        .db
        .run(move |store| -> Result<Vec<PathBuf>, StoreError> {
            let mut journaled = Vec::new();
            for path in waiting {
                if store.is_journaled(&mailbox, INBOX, &unique_name(&path))? {
                    journaled.push(path);
                }
            }
            Ok(journaled)
        })
        .await?;
    let cur = watch.root.join("cur");
    on_disk(move || {
        for path in journaled {
            let target = cur.join(format!("{}:2,", unique_name(&path)));
            std::fs::rename(&path, &target).map_err(io(&path))?;
        }
        Ok(())
    })
    .await
}

/// A queued flag or move that could not be carried out.
struct OpFailure {
    id: i64,
    reason: String,
    /// It has failed too often to be tried again.
    give_up: bool,
}

/// Carries out queued flags and moves on the files under `root`: the ids done (or whose file is gone),
/// and the failures.
fn apply_ops(root: &Path, ops: &[PendingOp]) -> Result<(Vec<i64>, Vec<OpFailure>), MaildirError> {
    let mut done = Vec::new();
    let mut failed = Vec::new();
    let mut files = index(root)?;
    for op in ops {
        let Some(path) = files.get(&op.item).cloned() else {
            // Gone (a person moved or deleted it): nothing left to apply.
            done.push(op.id);
            continue;
        };
        let result = match op.op.as_str() {
            "flag" => add_flags(&path, &op.arg).map(|moved| {
                files.insert(op.item.clone(), moved);
            }),
            "move" => move_to_folder(root, &path, &op.arg).map(|()| {
                files.remove(&op.item);
            }),
            _ => Ok(()),
        };
        match result {
            Ok(()) => done.push(op.id),
            Err(e) => failed.push(OpFailure {
                id: op.id,
                reason: e.to_string(),
                give_up: op.attempts + 1 >= OP_ATTEMPTS,
            }),
        }
    }
    Ok((done, failed))
}

/// Regular files in a Maildir subdirectory, in name order (delivery order for standard names).
fn list(dir: &Path) -> Result<Vec<PathBuf>, MaildirError> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let name = entry.file_name();
        if entry.file_type().map_err(io(dir))?.is_file() && !name.to_string_lossy().starts_with('.') {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// The message's unique name: the file name without the `:2,FLAGS` info part.
fn unique_name(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match name.split_once(':') {
        Some((unique, _)) => unique.to_string(),
        None => name,
    }
}

fn modified(path: &Path) -> Option<i64> {
    let time = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(chrono::DateTime::<chrono::Utc>::from(time).timestamp())
}

/// Every message in `new/` and `cur/` by unique name.
fn index(root: &Path) -> Result<std::collections::HashMap<String, PathBuf>, MaildirError> {
    let mut files = list(&root.join("new"))?;
    files.extend(list(&root.join("cur"))?);
    Ok(files.into_iter().map(|p| (unique_name(&p), p)).collect())
}

/// Adds IMAP-style flags (`\Seen \Flagged`) as Maildir flag letters, moving the file to `cur/`.
fn add_flags(path: &Path, imap_flags: &str) -> Result<PathBuf, MaildirError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut letters: Vec<char> = name.split_once(":2,").map(|(_, f)| f.chars().collect()).unwrap_or_default();
    for flag in imap_flags.split_whitespace() {
        let letter = match flag.to_ascii_lowercase().as_str() {
            "\\seen" => 'S',
            "\\flagged" => 'F',
            "\\answered" => 'R',
            "\\draft" => 'D',
            // Keywords need Dovecot's own keyword file; a plain Maildir cannot hold them.
            _ => continue,
        };
        letters.push(letter);
    }
    letters.sort_unstable();
    letters.dedup();
    let root = path.parent().and_then(Path::parent).unwrap_or(Path::new("."));
    let target =
        root.join("cur").join(format!("{}:2,{}", unique_name(path), letters.iter().collect::<String>()));
    std::fs::rename(path, &target).map_err(io(path))?;
    Ok(target)
}

/// Moves a message into a Maildir++ subfolder (`Vendors/Invoices` → `.Vendors.Invoices`, non-ASCII in
/// modified UTF-7 as Dovecot writes it), creating it.
fn move_to_folder(root: &Path, path: &Path, folder: &str) -> Result<(), MaildirError> {
    let dir = root.join(format!(".{}", utf7_imap::encode_utf7_imap(folder.replace('/', "."))));
    create(&dir)?;
    let marker = dir.join("maildirfolder");
    if !marker.exists() {
        std::fs::write(&marker, b"").map_err(io(&marker))?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = if name.contains(":2,") { name } else { format!("{name}:2,") };
    let target = dir.join("cur").join(name);
    std::fs::rename(path, &target).map_err(io(path))
}

/// The header block of a message file, read without loading the body.
fn read_header(path: &Path) -> Result<Vec<u8>, MaildirError> {
    use std::io::{BufRead, BufReader};
    let file = std::fs::File::open(path).map_err(io(path))?;
    let mut header = Vec::new();
    for line in BufReader::new(file).split(b'\n') {
        let line = line.map_err(io(path))?;
        if line.is_empty() || line == b"\r" || header.len() > 256_000 {
            break;
        }
        header.extend_from_slice(&line);
        header.push(b'\n');
    }
    Ok(header)
}
