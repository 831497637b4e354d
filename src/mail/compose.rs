//! Composing outbound mail: turns a reply or a forward into RFC 5322/MIME bytes plus the SMTP envelope.
//!
//! Everything here is a pure function of its inputs (no clock, no randomness that matters, no I/O), so the
//! executor can compose inside its transaction and the outbox can store exactly what will be sent. The
//! caller supplies the Message-ID (see [`message_id`]) and the date, which is what makes a re-run after a
//! crash produce the same mail instead of a second one.
//!
//! Decisions worth knowing:
//! - **Subjects.** [`reply_subject`] keeps exactly one `Re: ` and drops every other leading reply prefix in
//!   the languages our offices' mail clients use (`RE:`, `re :`, `AW:`, `R:`, `Rif:`, `SV:`, `VS:`,
//!   `Antw:`, `Re[2]:`…), so `AW: Hallo` becomes `Re: Hallo`. [`forward_subject`] does the same with
//!   `Fwd: `. Line breaks and runs of whitespace collapse to one space; an empty subject becomes
//!   `(no subject)` so the result never ends in a dangling prefix.
//! - **Encodings.** Headers are written by mail-builder: non-ASCII display names and subjects become RFC 2047
//!   encoded words, everything is folded below 78 columns. Text written by clerk goes out as `7bit` when it
//!   is ASCII with lines of at most 78 characters, otherwise as quoted-printable, never base64: QP keeps
//!   Latin-script text readable in the raw mail and spam filters score base64-encoded text. Attachments
//!   are base64. Line endings are CRLF throughout and the message always ends with CRLF.
//! - **No `Precedence` header.** It was never standardised (RFC 2076 calls it "non-standard, controversial,
//!   discouraged"; RFC 3834 defines `Auto-Submitted` instead), and some providers file `Precedence: bulk`
//!   as bulk mail, which would hide answers from customers. Loops are prevented by `Auto-Submitted`,
//!   `X-Auto-Response-Suppress` (Exchange/Outlook) and clerk's own loop header, which the guard checks.
//! - **Header injection.** CR or LF in anything that becomes a header (subject, display names, addresses,
//!   ids, the loop value) is refused with [`ComposeError::LineBreak`], never silently repaired, because it
//!   means a template or rule produced something it should not have.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address as MailboxHeader;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::{BodyPart, MimePart};
use mail_parser::{MessageParser, MimeHeaders};

use crate::mail::message::{Address, Message};

mod imip;
mod notice;
pub use imip::{CalendarMail, calendar_mail};
pub use notice::{Attachment, Extras, Notice, letter, notice};

/// Name of clerk's loop header. The auto-reply guard refuses to answer mail carrying it, and every mail
/// clerk composes carries it, so two clerks (or one clerk and its own echo) can never ping-pong.
pub const LOOP_HEADER: &str = "X-Clerk-Loop";

/// Prefix shared by every header clerk uses for its own control. Such headers are never trusted from
/// outside, so they are stripped from mail clerk forwards (see [`strip_control_headers`]).
pub const CONTROL_HEADER_PREFIX: &str = "X-Clerk-";

/// Longest References chain a reply carries. Long threads otherwise grow the header without bound; like
/// RFC 5537 §3.4.4 for news, we keep the thread root and the most recent ids, which is what clients use to
/// place a message in its thread.
const MAX_REFERENCES: usize = 11;

/// Longest Message-ID we copy from incoming mail into threading headers. Real ids are well below this; a
/// longer one is either broken or hostile and could not be folded within the 998-octet line limit anyway.
const MAX_ID_LEN: usize = 250;

/// RFC 5322 §2.1.1: lines SHOULD stay within 78 characters; longer ASCII text is sent quoted-printable.
const MAX_7BIT_TEXT_LINE: usize = 78;

/// RFC 2045 §6.7: encoded lines are at most 76 characters; one is kept for the soft break's `=`.
const MAX_QP_WIDTH: usize = 75;

/// RFC 5322 §2.1.1: no line may exceed 998 octets, excluding CRLF. An embedded message with longer lines
/// cannot travel as message/rfc822 (see [`embedded_message`]).
const MAX_LINE_LEN: usize = 998;

/// Separator line of an inline forward, as Gmail writes it; people and mail clients recognise it.
const FORWARD_SEPARATOR: &str = "---------- Forwarded message ---------";

/// Leading words that mean "reply" in the mail clients our offices see, compared case-insensitively.
const REPLY_PREFIXES: &[&str] = &["re", "aw", "r", "rif", "sv", "vs", "antw"];

/// Leading words that mean "forward": English, German (WG), French (TR), Spanish (RV), Portuguese (ENC),
/// Swedish (VB), Finnish (VL), Dutch (Doorst) and Italian Outlook (I).
const FORWARD_PREFIXES: &[&str] = &["fwd", "fw", "wg", "tr", "rv", "enc", "vb", "vl", "doorst", "i"];

/// A composed mail ready for the outbox: the bytes to send and the envelope to send them with.
///
/// The envelope is separate from the headers on purpose: auto-replies go out with a null envelope sender
/// (RFC 3834 §4) even though their From header names the assistant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundMail {
    /// The Message-ID without angle brackets; the outbox keys on it so a mail is sent once.
    pub message_id: String,
    /// SMTP `MAIL FROM`; `None` is the null sender `<>`, which stops bounces and auto-replies to it.
    pub envelope_from: Option<String>,
    /// SMTP `RCPT TO`, duplicates removed (case-insensitively) so nobody gets two copies.
    pub recipients: Vec<String>,
    /// The complete message, CRLF line endings, ending with CRLF.
    pub raw: Vec<u8>,
}

/// Who the assistant is when it writes: the From of every mail clerk sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Display name, e.g. `Office Assistant`; may be empty.
    pub name: String,
    /// The assistant's address.
    pub address: String,
}

/// The RFC 3834 `Auto-Submitted` value: tells other robots (and clerk's own guard) that no human wrote
/// this, so they must not answer it automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoSubmitted {
    /// A direct response to a message (acknowledgments, answers): `auto-replied`, sent with a null
    /// envelope sender.
    AutoReplied,
    /// Mail clerk starts on its own (digests, reminders, purchase orders): `auto-generated`, sent from
    /// the assistant's address so bounces come back to it.
    AutoGenerated,
}

impl AutoSubmitted {
    /// The header value RFC 3834 §5 defines for this kind.
    pub fn header_value(self) -> &'static str {
        match self {
            AutoSubmitted::AutoReplied => "auto-replied",
            AutoSubmitted::AutoGenerated => "auto-generated",
        }
    }

    /// The envelope sender: null for an answer (RFC 3834 §4: nothing may answer it), the assistant
    /// for mail clerk starts, so bounces come back.
    fn envelope_sender(self, from: &Identity) -> Option<String> {
        match self {
            AutoSubmitted::AutoReplied => None,
            AutoSubmitted::AutoGenerated => Some(from.address.clone()),
        }
    }
}

/// Why a mail could not be composed. Every variant is a bug in a rule, template or configuration, not a
/// passing condition: retrying will not help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// CR or LF in a header value: it would let the value start a header of its own.
    #[error("{field} contains a line break (CR or LF); refused to prevent header injection")]
    LineBreak { field: String },
    /// An address that an SMTP server would refuse or that would not survive in a header.
    #[error("{field}: {value:?} is not a valid mail address ({reason})")]
    InvalidAddress { field: String, value: String, reason: String },
    /// A Message-ID clerk was asked to use that is not `left@right` without brackets or spaces.
    #[error(
        "{field}: {value:?} is not a usable Message-ID (expected id@domain without angle brackets, spaces or control characters)"
    )]
    InvalidMessageId { field: String, value: String },
    /// A required header value that is empty.
    #[error("{field} is empty")]
    Empty { field: String },
    /// A forward with nobody to send it to.
    #[error("a forward needs at least one recipient")]
    NoRecipients,
    /// The original's raw bytes are not a message, so its attachments cannot be copied.
    #[error("the original message could not be parsed again to copy its attachments")]
    OriginalUnreadable,
}

/// A deterministic Message-ID: `clerk.` + the first 32 hex digits of SHA-256(`seed`) + `@` + `domain`.
///
/// Exactly-once sending relies on it: the executor derives the seed from what caused the mail (incoming
/// Message-ID and content hash, rule, effect index), so processing the same message again after a crash
/// yields the same id, and the outbox recognises the mail as already queued. The `clerk.` prefix and the
/// domain also let the guard recognise clerk's own mail when it comes back.
pub fn message_id(seed: &[u8], domain: &str) -> String {
    format!("clerk.{}@{domain}", crate::digest::sha256_hex_prefix(seed, 16))
}

/// The subject of a reply: one `Re: ` in front of the original topic.
///
/// Existing reply prefixes in any of the recognised languages (and counters like `Re[2]:`, French spacing
/// `RE :`) are dropped first, so threads do not grow `Re: AW: RE:` chains and every reply in a thread has
/// the same subject. Forward prefixes are part of the topic and stay (`Re: Fwd: invoice`).
pub fn reply_subject(original: &str) -> String {
    prefixed("Re: ", original, REPLY_PREFIXES)
}

/// The subject of a forward: one `Fwd: ` in front of the original subject, dropping existing forward
/// prefixes (`Fwd:`, `FW:`, `WG:`, `TR:`, `I:`, …) for the same reason [`reply_subject`] drops reply
/// prefixes. Reply prefixes stay: `Fwd: Re: question` says what was forwarded.
pub fn forward_subject(original: &str) -> String {
    prefixed("Fwd: ", original, FORWARD_PREFIXES)
}

/// Refuses a header value that contains CR or LF, naming the field in the error.
///
/// Template output and values from rules pass through here before they become headers: a line break in
/// them would let whoever controls the text add headers (or a body) of their own.
pub fn single_line(field: &str, value: &str) -> Result<(), ComposeError> {
    if value.contains(['\r', '\n']) {
        Err(ComposeError::LineBreak { field: field.to_owned() })
    } else {
        Ok(())
    }
}

/// A reply to one incoming message.
#[derive(Debug, Clone)]
pub struct Reply<'a> {
    /// The message being answered; its ids become In-Reply-To and References.
    pub original: &'a Message,
    /// The assistant.
    pub from: &'a Identity,
    /// Who gets the reply. For an auto-reply the executor takes it from Return-Path (RFC 3834 §4).
    pub to: Address,
    pub cc: Vec<Address>,
    /// Usually [`reply_subject`] of the original; a rule may set another.
    pub subject: String,
    /// Plain text, any line endings; rendered by the caller's template.
    pub body: String,
    /// From [`message_id`]; without angle brackets.
    pub message_id: String,
    pub date: DateTime<Utc>,
    pub auto_submitted: AutoSubmitted,
    /// Value of [`LOOP_HEADER`]: the assistant's address, so the guard knows which clerk sent it.
    pub loop_header_value: String,
}

/// Composes a threaded plain-text reply.
///
/// Headers, in order: From, To, Cc (when any), Subject, Date, Message-ID, In-Reply-To and References (when
/// the original has ids), Auto-Submitted, X-Auto-Response-Suppress: All, X-Clerk-Loop, MIME-Version,
/// Content-Type: text/plain; charset=utf-8, Content-Transfer-Encoding. An `AutoReplied` reply gets a null
/// envelope sender (RFC 3834 §4: nothing may answer an automatic answer); an `AutoGenerated` one is sent
/// from the assistant's address. Recipients are To and Cc.
pub fn reply(r: &Reply<'_>) -> Result<OutboundMail, ComposeError> {
    check_identity(r.from)?;
    check_mailbox("To", &r.to)?;
    for cc in &r.cc {
        check_mailbox("Cc", cc)?;
    }
    single_line("Subject", &r.subject)?;
    check_message_id("Message-ID", &r.message_id)?;
    check_loop_value(&r.loop_header_value)?;

    let threading = Threading::of(r.original);
    let mut builder = MessageBuilder::new().from(identity_mailbox(r.from)).to(mailbox(&r.to));
    if !r.cc.is_empty() {
        builder = builder.cc(MailboxHeader::new_list(r.cc.iter().map(mailbox).collect()));
    }
    builder = builder
        .subject(Text::new(r.subject.as_str()))
        .date(Date::new(r.date.timestamp()))
        .message_id(r.message_id.as_str());
    builder = threading.write(builder);
    builder = machine_headers(builder, r.auto_submitted, &r.loop_header_value).body(text_part(&r.body));

    Ok(OutboundMail {
        message_id: r.message_id.clone(),
        envelope_from: r.auto_submitted.envelope_sender(r.from),
        recipients: unique_recipients(std::iter::once(&r.to).chain(&r.cc)),
        raw: serialize(builder),
    })
}

/// How a forward carries the original.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ForwardMode {
    /// The original, unchanged except for clerk's control headers, as a message/rfc822 attachment: the
    /// recipient sees exactly what arrived, headers included. Best for invoices and anything that may be
    /// audited.
    #[default]
    Attached,
    /// The original's text quoted below a `Forwarded message` block, its attachments re-attached: easier
    /// to read on phones and in clients that show message/rfc822 poorly.
    Inline,
}

/// A forward of one incoming message to people (usually a department).
#[derive(Debug, Clone)]
pub struct Forward<'a> {
    /// The normalised original: sender, subject, date and readable text.
    pub original: &'a Message,
    /// The original exactly as received; attached mode embeds it, inline mode takes attachments from it.
    pub original_raw: &'a [u8],
    /// The assistant.
    pub from: &'a Identity,
    pub to: Vec<Address>,
    pub mode: ForwardMode,
    /// Text above the forwarded message, rendered by the caller. In attached mode a standard line is
    /// used when absent, so the recipient knows why they got it.
    pub note: Option<String>,
    /// From [`message_id`]; without angle brackets.
    pub message_id: String,
    pub date: DateTime<Utc>,
    /// Value of [`LOOP_HEADER`].
    pub loop_header_value: String,
    /// The subject, when not [`forward_subject`] of the original (a ticket's carries its tag).
    pub subject: Option<String>,
    /// Reply-To, when not the original's sender (a ticket's names the customer and the assistant, so
    /// the staff's answer reaches both).
    pub reply_to: Option<Vec<Address>>,
}

/// Composes a forward.
///
/// From is the assistant and Reply-To the original sender (its Reply-To if it had one, else its From), so
/// a recipient who presses "reply" answers the customer, not the assistant. Subject is
/// [`forward_subject`], `Auto-Submitted: auto-generated`, `X-Auto-Response-Suppress: All` (no out-of-office
/// storms back to the assistant) and the loop header are set; the envelope sender is the assistant so
/// bounces reach someone who can act on them.
///
/// Clerk's control headers (`X-Clerk-*`) never travel with the original: attached mode strips them from
/// the embedded message, inline mode copies no headers but From, Date, Subject, To and Cc.
pub fn forward(f: &Forward<'_>) -> Result<OutboundMail, ComposeError> {
    check_identity(f.from)?;
    if f.to.is_empty() {
        return Err(ComposeError::NoRecipients);
    }
    for to in &f.to {
        check_mailbox("To", to)?;
    }
    check_message_id("Message-ID", &f.message_id)?;
    check_loop_value(&f.loop_header_value)?;

    // A text clerk read only in part cannot be quoted whole: the original goes attached, as received.
    let body = match f.mode {
        ForwardMode::Inline if !f.original.text_cut => inline_body(f)?,
        ForwardMode::Attached | ForwardMode::Inline => attached_body(f),
    };

    let mut builder = MessageBuilder::new()
        .from(identity_mailbox(f.from))
        .to(MailboxHeader::new_list(f.to.iter().map(mailbox).collect()));
    let reply_to = match &f.reply_to {
        Some(addresses) => {
            for address in addresses {
                check_mailbox("Reply-To", address)?;
            }
            addresses.iter().map(mailbox).collect()
        }
        None => original_senders(f.original),
    };
    if !reply_to.is_empty() {
        builder = builder.reply_to(MailboxHeader::new_list(reply_to));
    }
    let subject = match &f.subject {
        Some(subject) => {
            single_line("Subject", subject)?;
            subject.clone()
        }
        None => forward_subject(&f.original.subject),
    };
    builder = builder
        .subject(Text::new(subject))
        .date(Date::new(f.date.timestamp()))
        .message_id(f.message_id.as_str());
    builder = machine_headers(builder, AutoSubmitted::AutoGenerated, &f.loop_header_value).body(body);

    Ok(OutboundMail {
        message_id: f.message_id.clone(),
        envelope_from: Some(f.from.address.clone()),
        recipients: unique_recipients(&f.to),
        raw: serialize(builder),
    })
}

/// Removes every `X-Clerk-*` header field (with its continuation lines) from a raw message, leaving every
/// other byte as it was.
///
/// Those headers steer clerk; a message from outside that carries them is either forged or clerk's own mail
/// coming back, and must not carry them on to people or to another clerk.
/// The message itself is returned, uncopied, when it carries none (a forward of a 25 MB message then
/// holds it once, not twice).
pub fn strip_control_headers(raw: &[u8]) -> Cow<'_, [u8]> {
    let prefix = CONTROL_HEADER_PREFIX.as_bytes();
    let header_end =
        raw.windows(4).position(|w| w == b"\r\n\r\n").or_else(|| raw.windows(2).position(|w| w == b"\n\n"));
    let header = &raw[..header_end.unwrap_or(raw.len())];
    let mentions = header.windows(prefix.len()).any(|w| w.eq_ignore_ascii_case(prefix));
    if !mentions {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    let mut dropping = false;
    while !rest.is_empty() {
        let line_len = rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |at| at + 1);
        let (line, after) = rest.split_at(line_len);
        if line == b"\r\n" || line == b"\n" {
            // End of the header section: the body is copied untouched.
            out.extend_from_slice(rest);
            break;
        }
        let continuation = matches!(line.first(), Some(b' ' | b'\t'));
        if !continuation {
            dropping = line.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix))
                && line.contains(&b':');
        }
        if !dropping {
            out.extend_from_slice(line);
        }
        rest = after;
    }
    Cow::Owned(out)
}

/// `prefix` + the subject with every leading occurrence of `known` prefixes removed.
fn prefixed(prefix: &str, original: &str, known: &[&str]) -> String {
    let collapsed = one_line(original);
    let mut topic = collapsed.as_str();
    while let Some(rest) = strip_one_prefix(topic, known) {
        topic = rest.trim_start();
    }
    if topic.is_empty() { format!("{prefix}(no subject)") } else { format!("{prefix}{topic}") }
}

/// Strips one `word[n]:` prefix whose word is in `known`; `None` when the subject does not start with one.
fn strip_one_prefix<'s>(subject: &'s str, known: &[&str]) -> Option<&'s str> {
    let word_len = subject.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (word, rest) = subject.split_at(word_len);
    if word.is_empty() || !known.iter().any(|k| k.eq_ignore_ascii_case(word)) {
        return None;
    }
    let rest = skip_counter(rest).trim_start_matches([' ', '\t']);
    // The full-width colon is what CJK input methods produce.
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))
}

/// Skips a reply counter such as `[2]` or `(3)` (`Re[2]:`), if there is one.
fn skip_counter(s: &str) -> &str {
    let Some(close) = (match s.chars().next() {
        Some('[') => Some(']'),
        Some('(') => Some(')'),
        _ => None,
    }) else {
        return s;
    };
    let inner = &s[1..];
    let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
    match inner[digits..].strip_prefix(close) {
        Some(rest) if digits > 0 => rest,
        _ => s,
    }
}

/// Collapses all whitespace, line breaks included, to single spaces and trims the ends.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Converts any mix of CRLF, LF and CR line endings to CRLF and makes sure the text ends with one, so
/// 7bit bodies are valid on the wire and the message ends with a line break.
fn crlf_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16 + 2);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\r\n");
            }
            '\n' => out.push_str("\r\n"),
            c => out.push(c),
        }
    }
    if !out.is_empty() && !out.ends_with("\r\n") {
        out.push_str("\r\n");
    }
    out
}

/// `text` made safe inside HTML.
pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A simple HTML document of plain text clerk wrote: a paragraph per blank-line-separated block,
/// line breaks kept.
pub fn html_document(text: &str) -> String {
    let mut out = String::from("<html><body>\n");
    let normalised = text.replace("\r\n", "\n");
    for block in normalised.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let lines: Vec<String> = block.lines().map(html_escape).collect();
        let _ = writeln!(out, "<p>{}</p>", lines.join("<br>\n"));
    }
    out.push_str("</body></html>\n");
    out
}

/// A text/plain; charset=utf-8 part for text clerk wrote, with line endings made CRLF: `7bit` when that
/// is valid and readable, quoted-printable otherwise.
fn text_part(text: &str) -> MimePart<'static> {
    let text = crlf_text(text);
    let seven_bit = text.is_ascii()
        && !text.contains('\0')
        && text.split("\r\n").all(|line| line.len() <= MAX_7BIT_TEXT_LINE);
    if seven_bit {
        MimePart::new("text/plain", text).transfer_encoding("7bit")
    } else {
        MimePart::new("text/plain", quoted_printable(&text)).transfer_encoding("quoted-printable")
    }
}

/// RFC 2045 §6.7 quoted-printable of CRLF text: CRLF stays a hard line break, soft breaks keep every
/// encoded line within 76 characters, and whitespace before a line break is encoded so transports that
/// strip trailing blanks cannot alter the text.
fn quoted_printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for (index, line) in text.split("\r\n").enumerate() {
        if index > 0 {
            out.push_str("\r\n");
        }
        let bytes = line.as_bytes();
        let mut width = 0;
        for (at, &byte) in bytes.iter().enumerate() {
            let at_line_end = at + 1 == bytes.len();
            let literal =
                matches!(byte, b'!'..=b'<' | b'>'..=b'~') || (matches!(byte, b' ' | b'\t') && !at_line_end);
            let len = if literal { 1 } else { 3 };
            if width + len > MAX_QP_WIDTH {
                out.push_str("=\r\n");
                width = 0;
            }
            if literal {
                out.push(char::from(byte));
            } else {
                // Writing to a String cannot fail.
                let _ = write!(out, "={byte:02X}");
            }
            width += len;
        }
    }
    out
}

/// Byte version of [`crlf_text`] for raw messages, which need not be UTF-8; the message itself when
/// every line already ends in CRLF (as IMAP delivers it).
fn crlf_bytes(raw: &[u8]) -> Cow<'_, [u8]> {
    let bare = |(i, &b): (usize, &u8)| match b {
        b'\n' => i == 0 || raw[i - 1] != b'\r',
        b'\r' => raw.get(i + 1) != Some(&b'\n'),
        _ => false,
    };
    if !raw.iter().enumerate().any(bare) {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32);
    let mut bytes = raw.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'\r' => {
                if bytes.peek() == Some(&b'\n') {
                    bytes.next();
                }
                out.extend_from_slice(b"\r\n");
            }
            b'\n' => out.extend_from_slice(b"\r\n"),
            b => out.push(b),
        }
    }
    Cow::Owned(out)
}

fn check_identity(identity: &Identity) -> Result<(), ComposeError> {
    single_line("From display name", &identity.name)?;
    check_address("From", &identity.address)
}

fn check_mailbox(field: &str, address: &Address) -> Result<(), ComposeError> {
    if let Some(name) = &address.name {
        single_line(&format!("{field} display name"), name)?;
    }
    check_address(field, &address.email)
}

/// Accepts what an SMTP server accepts in `RCPT TO`, using lettre's parser so that a mail composed here
/// is never refused later by the transport for its address syntax.
fn check_address(field: &str, email: &str) -> Result<(), ComposeError> {
    single_line(field, email)?;
    email.parse::<lettre::Address>().map(drop).map_err(|e| ComposeError::InvalidAddress {
        field: field.to_owned(),
        value: email.to_owned(),
        reason: e.to_string(),
    })
}

fn check_message_id(field: &str, id: &str) -> Result<(), ComposeError> {
    single_line(field, id)?;
    let well_formed = usable_id(id)
        && id.is_ascii()
        && id
            .split_once('@')
            .is_some_and(|(left, right)| !left.is_empty() && !right.is_empty() && !right.contains('@'));
    if well_formed {
        Ok(())
    } else {
        Err(ComposeError::InvalidMessageId { field: field.to_owned(), value: id.to_owned() })
    }
}

fn check_loop_value(value: &str) -> Result<(), ComposeError> {
    single_line(LOOP_HEADER, value)?;
    if value.trim().is_empty() {
        return Err(ComposeError::Empty { field: LOOP_HEADER.to_owned() });
    }
    Ok(())
}

/// Whether an id from incoming mail can be copied into In-Reply-To/References. Sloppy ids without `@`
/// still thread in practice, so only what would break the header is refused.
fn usable_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && !id.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
}

/// The threading headers of a reply, per RFC 5322 §3.6.4.
struct Threading {
    in_reply_to: Option<String>,
    references: Vec<String>,
}

impl Threading {
    /// In-Reply-To is the parent's Message-ID; References is the parent's References (or, when it has
    /// none, its single In-Reply-To id) followed by the parent's Message-ID, trimmed to the root and the
    /// most recent ids.
    fn of(parent: &Message) -> Threading {
        let parent_id = parent.message_id.as_deref().filter(|id| usable_id(id));
        let ancestors: &[String] = if !parent.references.is_empty() {
            &parent.references
        } else if parent.in_reply_to.len() == 1 {
            &parent.in_reply_to
        } else {
            &[]
        };
        let mut chain: Vec<String> = Vec::with_capacity(ancestors.len() + 1);
        for id in ancestors {
            if usable_id(id) && Some(id.as_str()) != parent_id && !chain.contains(id) {
                chain.push(id.clone());
            }
        }
        chain.extend(parent_id.map(str::to_owned));
        if chain.len() > MAX_REFERENCES {
            chain.drain(1..chain.len() - (MAX_REFERENCES - 1));
        }
        Threading { in_reply_to: parent_id.map(str::to_owned), references: chain }
    }

    /// Adds In-Reply-To and References, each when there is something to say.
    fn write(self, mut builder: MessageBuilder<'_>) -> MessageBuilder<'_> {
        if let Some(parent) = self.in_reply_to {
            builder = builder.in_reply_to(parent);
        }
        if !self.references.is_empty() {
            builder = builder.references(self.references);
        }
        builder
    }
}

/// Checks and writes the headers of mail clerk starts to a list of people (notices, iMIP): From, To,
/// Subject, Date and Message-ID, with the loop value checked for [`machine_headers`].
fn to_list<'x>(
    from: &'x Identity,
    to: &'x [Address],
    subject: &'x str,
    message_id: &'x str,
    date: DateTime<Utc>,
    loop_value: &str,
) -> Result<MessageBuilder<'x>, ComposeError> {
    check_identity(from)?;
    if to.is_empty() {
        return Err(ComposeError::NoRecipients);
    }
    for to in to {
        check_mailbox("To", to)?;
    }
    single_line("Subject", subject)?;
    check_message_id("Message-ID", message_id)?;
    check_loop_value(loop_value)?;
    Ok(MessageBuilder::new()
        .from(identity_mailbox(from))
        .to(MailboxHeader::new_list(to.iter().map(mailbox).collect()))
        .subject(Text::new(subject))
        .date(Date::new(date.timestamp()))
        .message_id(message_id))
}

/// A text/html part of a complete HTML document, quoted-printable.
fn html_part(html: &str) -> MimePart<'static> {
    MimePart::new("text/html", quoted_printable(&crlf_text(html))).transfer_encoding("quoted-printable")
}

/// The headers that mark a mail as machine-made, so robots (Outlook's out-of-office included) leave it
/// alone and clerk's guard recognises it when it comes back.
fn machine_headers<'x>(
    builder: MessageBuilder<'x>,
    kind: AutoSubmitted,
    loop_value: &'x str,
) -> MessageBuilder<'x> {
    builder
        .header("Auto-Submitted", Raw::new(kind.header_value()))
        .header("X-Auto-Response-Suppress", Raw::new("All"))
        .header(LOOP_HEADER, Text::new(loop_value))
}

fn identity_mailbox(identity: &Identity) -> MailboxHeader<'_> {
    let name = Some(identity.name.trim()).filter(|n| !n.is_empty());
    MailboxHeader::new_address(name, identity.address.as_str())
}

fn mailbox(address: &Address) -> MailboxHeader<'_> {
    let name = address.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    MailboxHeader::new_address(name, address.email.as_str())
}

/// The original's Reply-To, or its From when it has none, keeping only valid addresses: an unusable
/// sender address must not stop the forward, it only leaves recipients to reply by hand. Display names
/// come from outside, so their whitespace (line breaks included) is collapsed rather than refused.
fn original_senders(original: &Message) -> Vec<MailboxHeader<'static>> {
    let senders = if original.reply_to.is_empty() { &original.from } else { &original.reply_to };
    senders
        .iter()
        .filter(|a| check_address("Reply-To", &a.email).is_ok())
        .map(|a| {
            let name = a.name.as_deref().map(one_line).filter(|n| !n.is_empty());
            MailboxHeader::new_address(name, a.email.clone())
        })
        .collect()
}

/// Order-preserving, case-insensitive de-duplication of envelope recipients.
fn unique_recipients<'a>(addresses: impl IntoIterator<Item = &'a Address>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for address in addresses {
        if !out.iter().any(|seen| seen.eq_ignore_ascii_case(&address.email)) {
            out.push(address.email.clone());
        }
    }
    out
}

fn serialize(builder: MessageBuilder<'_>) -> Vec<u8> {
    let mut raw = Vec::new();
    builder.serialize(&mut raw);
    // What an SMTP server stores ends with CRLF; ending with one here keeps the stored bytes identical.
    if !raw.ends_with(b"\r\n") {
        raw.extend_from_slice(b"\r\n");
    }
    raw
}

/// Attached mode: the note (or a standard line) and the original as message/rfc822.
fn attached_body<'a>(f: &Forward<'a>) -> MimePart<'a> {
    let note = f.note.clone().unwrap_or_else(|| standard_note(f));
    let (original, eight_bit) =
        embedded_message(Cow::Borrowed(f.original_raw), &eml_file_name(&f.original.subject));
    let mixed = MimePart::new("multipart/mixed", vec![text_part(&note), original]);
    if eight_bit {
        // A multipart entity must declare the widest encoding of what it contains (RFC 2045 §6.4).
        mixed.transfer_encoding("8bit")
    } else {
        mixed
    }
}

/// "Forwarded by Office Assistant: message from Anna Rossi <anna@example.com>, Tue, 1 Jul 2025 …"
fn standard_note(f: &Forward<'_>) -> String {
    let by = if f.from.name.trim().is_empty() { f.from.address.as_str() } else { f.from.name.trim() };
    let sender = if f.original.from.is_empty() {
        "an unknown sender".to_owned()
    } else {
        format_addresses(&f.original.from)
    };
    match f.original.date {
        Some(date) => format!("Forwarded by {by}: message from {sender}, {}.", date.to_rfc2822()),
        None => format!("Forwarded by {by}: message from {sender}."),
    }
}

/// How an embedded message can travel.
enum Carriage {
    SevenBit,
    EightBit,
    /// Lines over 998 octets or NUL bytes: not allowed in a message/rfc822 body (RFC 2046 §5.2.1 permits
    /// only 7bit, 8bit and binary, and SMTP cannot carry binary without an extension lettre lacks).
    NotMailSafe,
}

fn carriage(raw: &[u8]) -> Carriage {
    let mail_safe = !raw.contains(&0)
        && raw
            .split(|&b| b == b'\n')
            .all(|line| line.strip_suffix(b"\r").unwrap_or(line).len() <= MAX_LINE_LEN);
    if !mail_safe {
        Carriage::NotMailSafe
    } else if raw.is_ascii() {
        Carriage::SevenBit
    } else {
        Carriage::EightBit
    }
}

/// The original as a MIME part: message/rfc822 byte for byte (line endings made CRLF, clerk's control
/// headers removed), or — when it cannot travel that way — an `application/octet-stream` `.eml`
/// attachment in base64, which every client still opens. Returns whether the part is 8bit.
fn embedded_message<'a>(raw: Cow<'a, [u8]>, file_name: &str) -> (MimePart<'a>, bool) {
    let message: Cow<'a, [u8]> = match raw {
        Cow::Borrowed(raw) => match crlf_bytes(raw) {
            Cow::Borrowed(raw) => strip_control_headers(raw),
            Cow::Owned(lines) => Cow::Owned(strip_control_headers(&lines).into_owned()),
        },
        Cow::Owned(raw) => Cow::Owned(strip_control_headers(&crlf_bytes(&raw)).into_owned()),
    };
    let file_name = file_name.to_owned();
    match carriage(&message) {
        Carriage::SevenBit => (
            MimePart::new("message/rfc822", BodyPart::Binary(message))
                .attachment(file_name)
                .transfer_encoding("7bit"),
            false,
        ),
        Carriage::EightBit => (
            MimePart::new("message/rfc822", BodyPart::Binary(message))
                .attachment(file_name)
                .transfer_encoding("8bit"),
            true,
        ),
        Carriage::NotMailSafe => (
            MimePart::new("application/octet-stream", BodyPart::Binary(message)).attachment(file_name),
            false,
        ),
    }
}

/// A file name for the attached original, from its subject, so recipients can tell forwarded mails apart
/// when they save them.
fn eml_file_name(subject: &str) -> String {
    let cleaned: String = one_line(subject)
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | ',') { c } else { '_' })
        .take(60)
        .collect();
    let cleaned = cleaned.trim_matches([' ', '.', '_']);
    if cleaned.is_empty() { "forwarded message.eml".to_owned() } else { format!("{cleaned}.eml") }
}

/// Inline mode: note, the forwarded-message block, the original's text, then its attachments.
fn inline_body(f: &Forward<'_>) -> Result<MimePart<'static>, ComposeError> {
    let parsed = MessageParser::default().parse(f.original_raw).ok_or(ComposeError::OriginalUnreadable)?;

    let original = f.original;
    let mut text = String::new();
    if let Some(note) = &f.note {
        text.push_str(note);
        text.push_str("\n\n");
    }
    text.push_str(FORWARD_SEPARATOR);
    text.push('\n');
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            text.push_str(name);
            text.push_str(": ");
            text.push_str(&one_line(&value));
            text.push('\n');
        }
    };
    field("From", format_addresses(&original.from));
    field("Date", original.date.map(|d| d.to_rfc2822()).unwrap_or_default());
    field("Subject", original.subject.clone());
    field("To", format_addresses(&original.to));
    field("Cc", format_addresses(&original.cc));
    text.push('\n');
    text.push_str(&original.text);

    let mut parts = vec![text_part(&text)];
    let mut eight_bit = false;
    for attachment in parsed.attachments() {
        let (part, is_8bit) = reattach(attachment);
        eight_bit |= is_8bit;
        parts.push(part);
    }
    Ok(match parts.len() {
        1 => parts.remove(0),
        _ if eight_bit => MimePart::new("multipart/mixed", parts).transfer_encoding("8bit"),
        _ => MimePart::new("multipart/mixed", parts),
    })
}

/// Copies one attachment of the original: its decoded content, type and name. Text attachments were
/// decoded to UTF-8 by the parser, so they go out as UTF-8; attached messages stay message/rfc822.
fn reattach(part: &mail_parser::MessagePart<'_>) -> (MimePart<'static>, bool) {
    let name = part.attachment_name().map(one_line).unwrap_or_default();
    if part.is_message() {
        let file_name = if name.is_empty() { "attached message.eml".to_owned() } else { name };
        return embedded_message(Cow::Owned(part.contents().to_vec()), &file_name);
    }
    let content_type = part
        .content_type()
        .map(|ct| match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub),
            None => ct.ctype().to_owned(),
        })
        .map(|ct| ct.to_ascii_lowercase())
        .filter(|ct| is_mime_type(ct))
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let body = if part.is_text() {
        BodyPart::Text(part.text_contents().unwrap_or_default().to_owned().into())
    } else {
        BodyPart::Binary(part.contents().to_vec().into())
    };
    let mime = MimePart::new(ContentType::new(content_type), body);
    let mime = if name.is_empty() {
        mime.header("Content-Disposition", ContentType::new("attachment"))
    } else {
        mime.attachment(name)
    };
    (mime, false)
}

/// `type/subtype` made of RFC 2045 token characters; anything else is sent as octet-stream rather than
/// copied into a header.
fn is_mime_type(s: &str) -> bool {
    let token =
        |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b));
    s.split_once('/').is_some_and(|(t, sub)| token(t) && token(sub))
}

/// `Name <address>, other@example.com` for the forwarded-message block and the standard note.
fn format_addresses(addresses: &[Address]) -> String {
    addresses
        .iter()
        .map(|a| match a.name.as_deref().map(one_line) {
            Some(name) if !name.is_empty() => format!("{name} <{}>", a.email),
            _ => a.email.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
