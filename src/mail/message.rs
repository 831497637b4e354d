//! The normalised message: one owned, parser-independent view of an incoming mail.
//!
//! Everything after ingest (rules, the auto-reply guard, desks, composing replies) reads this type and
//! never the raw MIME, so one parser quirk is handled once, here, and the rest of clerk can be tested with
//! plain struct literals.
//!
//! [`Message::parse`] builds it with mail-parser, which is lenient: it recovers what it can from broken
//! MIME, bad charsets and missing boundaries rather than failing. clerk adds what the rules need on top:
//! raw header text decoded for every header (mail-parser only decodes the ones it knows), a charset guess
//! for text whose label is missing or wrong, readable text for HTML-only mail, and calendar methods.

mod address;
mod attachment;
mod body;
mod calendar;
mod charset;
mod header;
mod parse;
mod return_path;

use chrono::{DateTime, FixedOffset};

pub(crate) use address::same_address;
pub use address::{Address, can_be_sent_to, domain_of};
pub use attachment::Attachment;
pub use body::TEXT_LIMIT;
pub use calendar::CalendarPart;
pub(crate) use header::one_line;
pub use return_path::ReturnPath;

/// One incoming mail, normalised.
///
/// Only the top level is read: a message attached to this one (the returned original in a bounce, a
/// forwarded mail) is an [`Attachment`], and its headers, text and calendars are not this message's.
/// Otherwise a bounce of an invitation would look like an invitation.
#[derive(Debug, Clone, Default)]
pub struct Message {
    /// Size of the raw message in bytes.
    pub size: usize,
    /// The From addresses (normally one), group syntax flattened. Like every address of a message
    /// (Sender, Reply-To, To, Cc), only those mail can be sent to are kept: a malformed one
    /// (`<<anna@client.example`, a control character) can be neither answered nor invited, and a desk
    /// writing to it would fail the whole message.
    pub from: Vec<Address>,
    /// The Sender address: who actually sent it when that differs from From (a secretary, a calendar
    /// service, a list).
    pub sender: Option<Address>,
    /// Where the author wants replies to go, before From; only addresses mail can be sent to (a
    /// malformed one is left out, so that replies go to From).
    pub reply_to: Vec<Address>,
    /// Every To address (of every To header, groups flattened).
    pub to: Vec<Address>,
    /// Every Cc address (of every Cc header, groups flattened).
    pub cc: Vec<Address>,
    /// The first Return-Path header: the one the delivering MTA added last.
    pub return_path: ReturnPath,
    /// Decoded subject on one line (control characters such as an encoded line break become a space);
    /// empty when missing.
    pub subject: String,
    /// The Date header; `None` when missing or unparseable (which is common in spam and old mailers and
    /// never a reason to refuse a message).
    pub date: Option<DateTime<FixedOffset>>,
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// In-Reply-To ids without angle brackets.
    pub in_reply_to: Vec<String>,
    /// References ids without angle brackets, oldest first.
    pub references: Vec<String>,
    /// Every header of the top-level part in order: name as written, value decoded (RFC 2047) and unfolded.
    /// Look headers up with [`Message::header`] and [`Message::headers_named`], which ignore case.
    pub headers: Vec<(String, String)>,
    /// Lower-case MIME type of the top-level part with its parameters dropped, e.g. `multipart/report`;
    /// `text/plain` when the message has no Content-Type (the RFC 2045 default).
    pub content_type: String,
    /// Parameters of the top-level Content-Type, names lower-cased (e.g. `report-type`).
    pub content_type_params: Vec<(String, String)>,
    /// The readable text of the message: the text/plain body, or the HTML body converted to text.
    /// Several plain bodies (text, image, text from Apple Mail) are joined by a line break. At most
    /// [`TEXT_LIMIT`] bytes: see [`Message::text_cut`].
    pub text: String,
    /// The text went on past [`TEXT_LIMIT`] and was cut there: rules and desks read its beginning, and
    /// a forward carries the original whole rather than quoting the cut text.
    pub text_cut: bool,
    /// Every part that is not a body; see [`Attachment`].
    pub attachments: Vec<Attachment>,
    /// Every calendar object, in message order; an identical copy (Google sends the invitation both as
    /// the text/calendar alternative and as `invite.ics`) is listed once.
    pub calendars: Vec<CalendarPart>,
}

/// Why a byte string could not be read as a message at all.
///
/// Broken MIME inside a message is not an error (the parser recovers what it can); only input that has
/// no header section is.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Nothing but whitespace: an empty file or a zero-length IMAP fetch.
    #[error("the message is empty")]
    Empty,
    /// The input does not start with a header field, so it is not a mail message (a stray binary file
    /// in the Maildir, a truncated download).
    #[error("not a mail message: {0}")]
    Malformed(String),
}

impl Message {
    /// The value of the first header called `name`, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers_named(name).next()
    }

    /// The values of every header called `name`, ignoring case, in message order (Received, or a
    /// header a broken client wrote twice).
    pub fn headers_named<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Where an automatic reply goes (RFC 3834 §4): the Return-Path address when there is one, else the
    /// first Reply-To, else the first From. `None` when the Return-Path is empty (`<>`, which means
    /// "never answer") or mail cannot be sent to it, or there is no address at all.
    ///
    /// This says where, not whether: the auto-reply guard decides whether.
    pub fn reply_target(&self) -> Option<&str> {
        match &self.return_path {
            ReturnPath::Empty => None,
            ReturnPath::Address(address) => can_be_sent_to(address).then_some(address.as_str()),
            ReturnPath::Absent => {
                self.reply_to.first().or_else(|| self.from.first()).map(|a| a.email.as_str())
            }
        }
    }
}

#[cfg(test)]
mod tests;
