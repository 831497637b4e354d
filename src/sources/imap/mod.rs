//! Reading mail from IMAP servers: one task per watched folder, which connects, catches up on new mail
//! by UID, applies the moves and flags the journal asks for, then waits with IDLE (or polls), and
//! reconnects with backoff when the server goes away.
//!
//! This module knows nothing about rules: it hands raw messages to the [`crate::sources::Sink`] (the intake) and
//! applies the mailbox changes the store has queued.

mod catchup;
mod connect;
mod folder;
mod in_doubt;
mod ops;
mod uidset;

pub use crate::sources::Progress;
pub use connect::{ImapSession, connect};
pub use folder::{Burst, FolderWatch, replay_once, sync_once, watch_folder};
pub use ops::server_folder_name;
pub use uidset::uid_set;

/// The IMAP search for mail that arrived on or after `since` and is not over `max_size` bytes
/// (`clerk replay`, `backfill`).
pub fn arrived_since(since: chrono::NaiveDate, max_size: u64) -> String {
    format!("SINCE {} NOT LARGER {max_size}", since.format("%d-%b-%Y"))
}

/// What can go wrong with an IMAP server; all of it is retried after a backoff.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("cannot connect to {0}")]
    Connect(String),
    #[error("TLS: {0}")]
    Tls(String),
    #[error("refusing an unencrypted connection: {0}")]
    Insecure(String),
    #[error("login failed: {0}")]
    Login(String),
    #[error("timed out {0}")]
    Timeout(String),
    #[error("unexpected server response: {0}")]
    Protocol(String),
    #[error("IMAP: {0}")]
    Imap(#[from] async_imap::error::Error),
    #[error("connection: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    Sink(#[from] crate::sources::SinkError),
}
