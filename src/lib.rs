//! clerk: an office assistant that lives in a mailbox.
//!
//! The library holds everything; `src/main.rs` is only the command line. The pipeline is
//! ingest (`mail::imap`, `mail::maildir`) → parse (`mail::message`) → classify (`rules`) → desk → effects,
//! applied exactly once by the store, with outbound mail leaving only through the outbox.

pub mod mail;
pub mod rules;
pub mod toml_doc;
