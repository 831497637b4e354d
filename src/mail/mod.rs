//! Everything that speaks mail: parsing incoming messages, reading mailboxes, composing and sending.

pub mod compose;
pub mod message;
pub mod transport;
