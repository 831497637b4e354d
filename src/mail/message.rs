//! The normalised message: one owned, parser-independent view of an incoming mail.
//!
//! Everything after ingest (rules, the auto-reply guard, desks, composing replies) reads this type and
//! never the raw MIME, so one parser quirk is handled once, here, and the rest of clerk can be tested with
//! plain struct literals.

use chrono::{DateTime, FixedOffset};

/// A mailbox address with its display name, as written by the sender.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// Display name, decoded (`"Anna Rossi"`), if any.
    pub name: Option<String>,
    /// The address itself (`anna@example.com`), as written; compare with [`Address::is`].
    pub email: String,
}

/// What the Return-Path header said: it tells an automatic reply where it may go (RFC 3834 §4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ReturnPath {
    /// No Return-Path header (mail read from a Maildir that no MTA delivered, for example).
    #[default]
    Absent,
    /// `Return-Path: <>`: a bounce or other mail that must never be answered.
    Empty,
    /// The envelope sender.
    Address(String),
}

/// An attachment as the rules see it: its name, type and size, never its content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attachment {
    /// File name from Content-Disposition or Content-Type, decoded; empty when the sender gave none.
    pub name: String,
    /// Lower-case MIME type, e.g. `application/pdf`.
    pub content_type: String,
    /// Decoded size in bytes.
    pub size: usize,
}

/// A calendar object carried by the message (a text/calendar part or an .ics attachment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarPart {
    /// The iTIP method (`REQUEST`, `CANCEL`, `REPLY`, …), upper case, from the METHOD property or, failing
    /// that, the Content-Type `method=` parameter; `None` for a calendar without one (a plain publish).
    pub method: Option<String>,
    /// The calendar text, decoded to UTF-8.
    pub text: String,
}

/// One incoming mail, normalised.
#[derive(Debug, Clone, Default)]
pub struct Message {
    /// Size of the raw message in bytes.
    pub size: usize,
    pub from: Vec<Address>,
    pub sender: Option<Address>,
    pub reply_to: Vec<Address>,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    pub return_path: ReturnPath,
    /// Decoded subject; empty when missing.
    pub subject: String,
    pub date: Option<DateTime<FixedOffset>>,
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// In-Reply-To ids without angle brackets.
    pub in_reply_to: Vec<String>,
    /// References ids without angle brackets, oldest first.
    pub references: Vec<String>,
    /// Every header of the top-level part in order: name as written, value decoded (RFC 2047) and unfolded.
    pub headers: Vec<(String, String)>,
    /// Lower-case MIME type of the top-level part with its parameters dropped, e.g. `multipart/report`.
    pub content_type: String,
    /// Parameters of the top-level Content-Type, names lower-cased (e.g. `report-type`).
    pub content_type_params: Vec<(String, String)>,
    /// The readable text of the message: the text/plain body, or the HTML body converted to text.
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub calendars: Vec<CalendarPart>,
}

/// Why a byte string could not be read as a message at all.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("the message is empty")]
    Empty,
    #[error("not a mail message: {0}")]
    Malformed(String),
}
