//! Everything that speaks mail: parsing incoming messages, composing and sending. Reading mailboxes is
//! [`crate::sources`].

pub mod compose;
pub mod forwarded;
pub mod html;
pub mod message;
pub mod pattern;
pub mod reply_text;
pub mod tls;
pub mod transport;
