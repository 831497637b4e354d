//! Everything that speaks mail: parsing incoming messages, reading mailboxes, composing and sending.

pub mod html;
pub mod message;
