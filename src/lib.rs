//! clerk: an office assistant that lives in a mailbox.
//!
//! The library holds everything; `src/main.rs` is only the command line. The pipeline is
//! ingest (`sources::imap`, `sources::maildir`) → parse (`mail::message`) → classify (`rules`) → desk → effects,
//! applied exactly once by the store, with outbound mail leaving only through the outbox.

pub mod actions;
pub mod backoff;
pub mod calendar;
pub mod check;
pub mod config;
pub mod daemon;
pub mod dedupe;
pub mod demo;
pub mod desks;
pub mod digest;
pub mod durable;
pub mod effects;
pub mod explain;
pub mod feeds;
pub mod guard;
pub mod handling;
pub mod http;
pub mod intake;
pub mod intent;
pub mod language;
pub mod letters;
pub mod logging;
pub mod mail;
pub mod metrics;
pub mod office;
pub mod outbox;
pub mod planning;
pub mod regexes;
pub mod reload;
pub mod replay;
pub mod reports;
pub mod retry;
pub mod rules;
pub mod schedule;
pub mod secret;
pub mod service;
pub mod sources;
pub mod status;
pub mod store;
pub mod supply;
pub mod text;
pub mod tickets;
pub mod toml_doc;
pub mod units;
