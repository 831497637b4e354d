//! Everything that speaks mail: parsing incoming messages, reading mailboxes, composing and sending.

pub mod compose;
pub mod html;
pub mod imap;
pub mod maildir;
pub mod message;
pub mod outbox;
pub mod tls;
pub mod transport;
