//! Everything that speaks mail: parsing incoming messages, reading mailboxes, composing and sending.

pub mod compose;
pub mod forwarded;
pub mod html;
pub mod imap;
pub mod maildir;
pub mod message;
pub mod outbox;
pub mod reply_text;
pub mod tls;
pub mod transport;

/// How far a replay or backfill has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// This many more messages were found to handle (one folder's listing).
    Found(usize),
    /// This many more were handled and committed.
    Done(usize),
}
