//! Sources: where mail comes from (IMAP folders, Maildirs). A source fetches raw messages in batches
//! and hands each batch to a [`Sink`], with the folder's new position; it knows nothing of rules or
//! desks. It also carries out the mailbox changes (moves, flags) the store has queued for it.
//!
//! The daemon gives every source the pipeline's intake as its sink, in the manner of Vector's sources
//! → transforms → sinks: the intake records a batch, its effects and the folder's position in one
//! transaction, or nothing of it (then the source fetches the batch again).

pub mod imap;
pub mod maildir;

use futures::future::BoxFuture;

use crate::store::Position;

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

/// How far a replay or backfill has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// This many more messages were found to handle (one folder's listing).
    Found(usize),
    /// This many more were handled and committed.
    Done(usize),
}

/// Why a sink did not take a batch. Nothing of the batch was recorded; the source tries it again.
pub type SinkError = Box<dyn std::error::Error + Send + Sync>;

/// Where a source hands the mail it fetched.
///
/// `position` (the folder's new high-water mark) is recorded in the same transaction as the batch, so
/// a crash between the two cannot skip mail or handle it twice. `None` leaves the position alone
/// (`replay --apply`, a Maildir, which has none). The future is `'static` so that a source can fetch
/// the next batch while the sink records this one.
pub trait Sink: Send + Sync {
    fn take(
        &self,
        mailbox: String,
        folder: String,
        batch: Vec<Fetched>,
        position: Option<Position>,
    ) -> BoxFuture<'static, Result<(), SinkError>>;
}
