//! The SQLite store: the journal of every message seen, the outbox, pending mailbox changes and the
//! reply log, all in one WAL-mode database so that one transaction can cover a message and every effect
//! of it.
//!
//! Submodules each own one table's queries; this module opens the database and owns the transaction
//! that applies a batch of handled messages ([`Store::record`]).

mod decision;
mod events;
mod feeds;
mod in_hand;
mod journal;
mod mailbox;
mod outbox;
pub mod planning;
mod planning_calendar;
mod planning_catering;
mod planning_guests;
mod planning_venue;
mod proposals;
mod replies;
mod schedule;
pub mod schema;
mod shared;
mod status;
pub mod supply;
mod tickets;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use feeds::Published;
pub use journal::{FailedMail, Handled, JournalEntry, JournalRow, Position, Verdict};
pub use mailbox::{FolderState, MovedMessage, PendingOp};
pub use outbox::{QueuedMail, UnsentMail};
pub use replies::ReplyRecord;
pub use shared::Db;
pub use status::{FailedMessage, WatchStatus};

/// What can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "the database was written by a newer clerk (schema version {found}, this build knows {known}); \
         upgrade clerk or point it at another database"
    )]
    TooNew { found: usize, known: usize },
    #[error(
        "the database is at schema version {found} and this build expects {known}; \
         `clerk run` upgrades it"
    )]
    Outdated { found: usize, known: usize },
    #[error("cannot open the database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("cannot write a value as JSON: {0}")]
    Json(String),
    #[error("a transaction was begun inside another (a bug in clerk)")]
    Nested,
    #[error("a scheduled job asked to {0} a message, and a job has none (a bug in clerk)")]
    NoMessage(&'static str),
}

/// Shorthand for store results.
pub type Result<T> = std::result::Result<T, StoreError>;

/// An open database.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it to the newest schema.
    pub fn open(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        Store::setup(conn)
    }

    /// Opens an existing database for reading and writing without migrating it: for commands that
    /// work beside a running daemon, which alone may change the schema. It must be at this build's
    /// schema.
    pub fn open_current(path: &Path) -> Result<Store> {
        let conn = Store::open_at_schema(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Store { conn })
    }

    /// An in-memory database, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?)
    }

    /// Opens an existing database for reading only, for commands that look but must not change
    /// anything (`explain`). It must already be at this build's schema: migrating is a write.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Ok(Store { conn: Store::open_at_schema(path, OpenFlags::SQLITE_OPEN_READ_ONLY)? })
    }

    /// A connection to an existing database opened with `access`, refused unless it is at this
    /// build's schema: a command that may not migrate must not work on an older one.
    fn open_at_schema(path: &Path, access: OpenFlags) -> Result<Connection> {
        let conn = Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        conn.busy_timeout(Duration::from_secs(10))?;
        let found = schema::applied(&conn)?;
        let known = schema::latest_version();
        if found < known {
            return Err(StoreError::Outdated { found, known });
        }
        Ok(conn)
    }

    fn setup(mut conn: Connection) -> Result<Store> {
        // WAL lets readers (status, explain) run beside the daemon; synchronous=NORMAL in WAL mode
        // keeps every commit atomic and durable against a process crash (kill -9), losing at most
        // the last commits on power loss, which the journal then redoes, never half-does.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(Duration::from_secs(10))?;
        schema::migrate(&mut conn)?;
        Ok(Store { conn })
    }
}

/// The current time in unix seconds, the unit of every `*_at` column (`*_ms` columns hold milliseconds).
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The current time in unix milliseconds, for the `*_ms` columns.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests;
