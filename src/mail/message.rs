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

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::parsers::MessageStream;
use mail_parser::{Encoding, HeaderName, HeaderValue, MessageParser, MessagePart, MimeHeaders, PartType};

use super::html;

/// A mailbox address with its display name, as written by the sender (the name on one line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// Display name, decoded (`"Anna Rossi"`) and on one line (see the subject), if any.
    pub name: Option<String>,
    /// The address itself (`anna@example.com`), as written; compare with [`Address::is`].
    pub email: String,
}

impl Address {
    /// Whether this is `email`, ignoring case.
    ///
    /// Mail systems treat the whole address case-insensitively in practice (the local part is
    /// case-sensitive only in theory), and senders' clients change case freely, so an exact comparison
    /// would miss the same person.
    pub fn is(&self, email: &str) -> bool {
        same_address(&self.email, email)
    }

    /// The part after the last `@` (`example.com`), or `None` for an address without a domain such as
    /// a bare `MAILER-DAEMON`.
    pub fn domain(&self) -> Option<&str> {
        self.email.rsplit_once('@').map(|(_, domain)| domain).filter(|d| !d.is_empty())
    }

    /// The part before the last `@` (`anna`), or the whole address when it has no `@`.
    pub fn local_part(&self) -> &str {
        self.email.rsplit_once('@').map_or(self.email.as_str(), |(local, _)| local)
    }
}

/// `Name <email>`, or just `email` without a name; the name is quoted when it contains characters that
/// RFC 5322 only allows in quotes (`"Rossi, Anna" <anna@example.com>`).
///
/// This is for people (logs, `explain`, templates). Outgoing headers are built by the composer, which
/// also RFC 2047-encodes non-ASCII names.
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            None => f.write_str(&self.email),
            Some(name) if name.chars().any(needs_quoting) => {
                f.write_str("\"")?;
                for c in name.chars() {
                    if c == '"' || c == '\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                write!(f, "\" <{}>", self.email)
            }
            Some(name) => write!(f, "{name} <{}>", self.email),
        }
    }
}

/// RFC 5322 `specials`: a phrase containing one of these must be a quoted string.
fn needs_quoting(c: char) -> bool {
    matches!(c, '(' | ')' | '<' | '>' | '[' | ']' | ':' | ';' | '@' | '\\' | ',' | '.' | '"')
}

/// Whether two addresses are the same mailbox, ignoring case (see [`Address::is`]).
pub(crate) fn same_address(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a.eq_ignore_ascii_case(b) || (!a.is_ascii() && a.to_lowercase() == b.to_lowercase())
}

/// What the Return-Path header said: it tells an automatic reply where it may go (RFC 3834 §4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ReturnPath {
    /// No Return-Path header (mail read from a Maildir that no MTA delivered, for example).
    #[default]
    Absent,
    /// `Return-Path: <>`: a bounce or other mail that must never be answered. A Return-Path header with
    /// no address at all is read the same way, because it cannot be answered either.
    Empty,
    /// The envelope sender.
    Address(String),
}

/// An attachment as the rules see it: its name, type and size, never its content.
///
/// Every part that is not a body is listed, so besides files this includes inline images of an HTML
/// body, calendar parts (also in [`Message::calendars`]), delivery-status parts of bounces and attached
/// messages (type `message/rfc822`, not opened further).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attachment {
    /// File name from Content-Disposition or Content-Type, decoded; empty when the sender gave none.
    pub name: String,
    /// Lower-case MIME type, e.g. `application/pdf`.
    pub content_type: String,
    /// Decoded size in bytes (for text parts: of the text in UTF-8; for attached messages: of the
    /// message as carried).
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
    /// Parses a raw RFC 5322 message.
    ///
    /// Never panics. A UTF-8 byte-order mark and an mbox `From ` separator line before the headers are
    /// skipped, since saved and exported mail often carries them. Anything else must start with a header
    /// field (`Name: value`); input that does not (random binary, a body without headers) is
    /// [`ParseError::Malformed`] rather than a message with no sender and the whole input as text, so
    /// it is quarantined and reported instead of being classified.
    pub fn parse(raw: &[u8]) -> Result<Message, ParseError> {
        if raw.iter().all(u8::is_ascii_whitespace) {
            return Err(ParseError::Empty);
        }
        let mail = skip_envelope(raw);
        if !starts_with_header_field(mail) {
            return Err(ParseError::Malformed(
                "it does not start with a header field (`Name: value`)".into(),
            ));
        }
        // mail-parser is written never to panic, but a daemon must not be taken down by one odd
        // message if it ever does: the message is then reported like any other unreadable one.
        let message = catch_unwind(AssertUnwindSafe(|| {
            PARSER.parse(mail).map(|parsed| normalise(raw.len(), mail, &parsed))
        }))
        .map_err(|_| ParseError::Malformed("the MIME parser failed on it (internal panic)".into()))?;
        message.ok_or_else(|| ParseError::Malformed("no header fields found".into()))
    }

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

/// mail-parser configured to parse only the header fields clerk reads in parsed form: the MIME ones it
/// needs to walk the body, and addresses, date and ids. All other fields are skipped, because clerk reads
/// every header's raw text anyway; mail-parser's default would, for one, tokenize every Received line,
/// which took a fifth of the parsing time of typical mail.
static PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
    MessageParser::new()
        .header_content_type(HeaderName::ContentType)
        .header_content_type(HeaderName::ContentDisposition)
        .header_text(HeaderName::ContentTransferEncoding)
        .header_address(HeaderName::From)
        .header_address(HeaderName::Sender)
        .header_address(HeaderName::ReplyTo)
        .header_address(HeaderName::To)
        .header_address(HeaderName::Cc)
        .header_date(HeaderName::Date)
        .header_id(HeaderName::MessageId)
        .header_id(HeaderName::InReplyTo)
        .header_id(HeaderName::References)
        .default_header_ignore()
});

/// Skips a UTF-8 byte-order mark and an mbox `From ` line, which precede the headers in saved mail.
fn skip_envelope(raw: &[u8]) -> &[u8] {
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    if raw.starts_with(b"From ") {
        match raw.iter().position(|&b| b == b'\n') {
            Some(end) => &raw[end + 1..],
            None => &[],
        }
    } else {
        raw
    }
}

/// Whether the first line is `name:` with a printable-ASCII field name (RFC 5322 §2.2), allowing the
/// obsolete white space before the colon.
fn starts_with_header_field(mail: &[u8]) -> bool {
    let name_len = mail.iter().take_while(|&&b| b.is_ascii_graphic() && b != b':').count();
    name_len > 0 && mail[name_len..].iter().find(|&&b| b != b' ' && b != b'\t').is_some_and(|&b| b == b':')
}

/// Builds the [`Message`] from mail-parser's tree; `mail` is the slice it parsed (offsets point into it).
fn normalise(size: usize, mail: &[u8], parsed: &mail_parser::Message<'_>) -> Message {
    let mut message = Message { size, ..Message::default() };
    let Some(root) = parsed.parts.first() else {
        return message;
    };

    message.headers.reserve(root.headers.len());
    let mut seen_subject = false;
    let mut seen_return_path = false;
    for header in &root.headers {
        let name = header_name(mail, header);
        let raw_value =
            mail.get(header.offset_start as usize..header.offset_end as usize).unwrap_or_default();
        let value = header_text(raw_value);
        match &header.name {
            HeaderName::From if message.from.is_empty() => {
                message.from = addresses(&header.value);
            }
            HeaderName::Sender if message.sender.is_none() => {
                message.sender = addresses(&header.value).into_iter().next();
            }
            HeaderName::ReplyTo if message.reply_to.is_empty() => {
                message.reply_to = addresses(&header.value);
            }
            HeaderName::To => message.to.extend(addresses(&header.value)),
            HeaderName::Cc => message.cc.extend(addresses(&header.value)),
            HeaderName::ReturnPath if !seen_return_path => {
                seen_return_path = true;
                message.return_path = return_path(&value);
            }
            HeaderName::Subject if !seen_subject => {
                seen_subject = true;
                message.subject = one_line(&value).into_owned();
            }
            HeaderName::Date if message.date.is_none() => {
                message.date = header.value.as_datetime().and_then(to_chrono);
            }
            HeaderName::MessageId if message.message_id.is_none() => {
                message.message_id = ids(&header.value).into_iter().next();
            }
            HeaderName::InReplyTo if message.in_reply_to.is_empty() => {
                message.in_reply_to = ids(&header.value);
            }
            HeaderName::References if message.references.is_empty() => {
                message.references = ids(&header.value);
            }
            _ => {}
        }
        message.headers.push((name, value));
    }

    match root.content_type() {
        Some(ct) => {
            message.content_type = mime_type(ct);
            message.content_type_params = ct
                .attributes()
                .unwrap_or_default()
                .iter()
                .map(|a| (a.name.to_ascii_lowercase(), a.value.to_string()))
                .collect();
        }
        None => message.content_type = "text/plain".into(),
    }

    let BodyText { text, part: body_part, cut } = body_text(mail, parsed);
    message.text = text;
    message.text_cut = cut;

    let mut calendar_hashes = Vec::new();
    for &id in &parsed.attachments {
        if Some(id) == body_part {
            continue;
        }
        let Some(part) = parsed.parts.get(id as usize) else {
            continue;
        };
        let content_type = part.content_type().map(mime_type).unwrap_or_else(|| default_type(part).into());
        let name = part.attachment_name().unwrap_or_default();
        if is_calendar(&content_type, name) {
            let text = part_text(mail, part);
            let method = calendar_method(&text).or_else(|| {
                part.content_type()
                    .and_then(|ct| ct.attribute("method"))
                    .map(|m| m.trim().to_ascii_uppercase())
                    .filter(|m| !m.is_empty())
            });
            // Hash first: comparing every calendar text with every other would be quadratic in a
            // message built to have thousands of them.
            let hash = text_hash(&text);
            let copy = calendar_hashes
                .iter()
                .zip(message.calendars.iter_mut())
                .find(|(h, c)| **h == hash && c.text == text)
                .map(|(_, c)| c);
            match copy {
                // The same calendar sent twice; one copy may name its method only in Content-Type.
                Some(copy) => {
                    if copy.method.is_none() {
                        copy.method = method;
                    }
                }
                None => {
                    calendar_hashes.push(hash);
                    message.calendars.push(CalendarPart { method, text: text.into_owned() });
                }
            }
        }
        message.attachments.push(Attachment { name: name.to_owned(), content_type, size: part.len() });
    }
    message
}

/// The header name as the sender wrote it (mail-parser canonicalises the ones it knows).
fn header_name(mail: &[u8], header: &mail_parser::Header<'_>) -> String {
    let field = mail.get(header.offset_field as usize..header.offset_start as usize).unwrap_or_default();
    let field = field.strip_suffix(b":").unwrap_or(field).trim_ascii();
    match std::str::from_utf8(field) {
        Ok(name) => name.to_owned(),
        Err(_) => String::from_utf8_lossy(field).into_owned(),
    }
}

/// A raw header value unfolded and RFC 2047-decoded, as readable text.
///
/// Folding line breaks and the white space around them become one space; white space inside a line is
/// kept. mail-parser's unstructured-text decoder does this too, but it needs a final line break and
/// allocates per token, so it is only used when there is an encoded word to decode.
fn header_text(raw: &[u8]) -> String {
    if raw.windows(2).any(|w| w == b"=?") {
        return decode_encoded_words(raw);
    }
    let text = match std::str::from_utf8(raw) {
        Ok(text) => Cow::Borrowed(text),
        // Raw 8-bit headers that are not UTF-8 (old mailers' Latin-1): keep what can be read.
        Err(_) => String::from_utf8_lossy(raw),
    };
    let text = text.trim();
    if !text.contains('\n') {
        return text.to_owned();
    }
    let mut unfolded = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !unfolded.is_empty() {
            unfolded.push(' ');
        }
        unfolded.push_str(line);
    }
    unfolded
}

fn decode_encoded_words(raw: &[u8]) -> String {
    let decoded = if raw.ends_with(b"\n") {
        MessageStream::new(raw).parse_unstructured()
    } else {
        // The last header of a message without a body may lack its line break.
        let mut terminated = Vec::with_capacity(raw.len() + 1);
        terminated.extend_from_slice(raw);
        terminated.push(b'\n');
        return text_of(MessageStream::new(&terminated).parse_unstructured());
    };
    text_of(decoded)
}

fn text_of(value: HeaderValue<'_>) -> String {
    value.into_text().map(Cow::into_owned).unwrap_or_default()
}

/// The addresses of an address header that mail can be sent to.
fn addresses(value: &HeaderValue<'_>) -> Vec<Address> {
    let Some(list) = value.as_address() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|addr| {
            let email = addr.address.as_deref()?.trim();
            can_be_sent_to(email).then(|| Address {
                name: addr.name.as_deref().map(one_line).filter(|n| !n.is_empty()).map(Cow::into_owned),
                email: email.to_owned(),
            })
        })
        .collect()
}

/// Text from a header made one line: a line break or other control character (an RFC 2047 word can
/// carry any, `=?utf-8?q?Anna=0D=0ABcc:?=`) and the white space around it become one space.
///
/// The subject and display names go into replies, forwards, logs and the journal; a line break there
/// would make every reply to the message refused as header injection, so the whole message failed.
/// A calendar's SUMMARY, LOCATION and names go the same ways. Text without control characters is
/// returned as it is, inner white space included.
pub(crate) fn one_line(text: &str) -> Cow<'_, str> {
    let text = text.trim();
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut line = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()) {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    Cow::Owned(line)
}

/// The domain of `address` (what follows the `@`; the whole text when there is none): the domain
/// clerk's own Message-IDs carry, and what tells staff from outsiders.
pub fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map(|(_, d)| d).unwrap_or(address)
}

/// Whether mail can be addressed to `address` (SMTP would take it in `RCPT TO`). An address of the
/// message that cannot (`<anna@cli ent.example>`) is left out: a Reply-To, so that answers go to From
/// instead of failing; a From, so that the message has no sender to answer rather than an answer that
/// cannot be written. Calendars keep to it for their organizers and attendees too.
pub fn can_be_sent_to(address: &str) -> bool {
    address.parse::<lettre::Address>().is_ok()
}

/// Reads `<address>`, `<>` or a bare address, ignoring an obsolete source route (`<@relay:user@host>`).
fn return_path(value: &str) -> ReturnPath {
    let inner = match value.find('<') {
        Some(open) => value[open + 1..].split('>').next().unwrap_or_default(),
        None => value.split_whitespace().next().unwrap_or_default(),
    };
    let inner = match inner.trim().strip_prefix('@') {
        Some(route) => route.split_once(':').map_or("", |(_, address)| address),
        None => inner.trim(),
    };
    if inner.is_empty() { ReturnPath::Empty } else { ReturnPath::Address(inner.to_owned()) }
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.to_string()],
        HeaderValue::TextList(ids) => ids.iter().map(|id| id.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn to_chrono(date: &mail_parser::DateTime) -> Option<DateTime<FixedOffset>> {
    if !date.is_valid() {
        return None;
    }
    let offset = i32::from(date.tz_hour) * 3600 + i32::from(date.tz_minute) * 60;
    let zone = FixedOffset::east_opt(if date.tz_before_gmt { -offset } else { offset })?;
    let day = NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())?;
    let time = NaiveTime::from_hms_opt(date.hour.into(), date.minute.into(), date.second.into())?;
    zone.from_local_datetime(&day.and_time(time)).single()
}

fn mime_type(ct: &mail_parser::ContentType<'_>) -> String {
    match ct.subtype() {
        Some(subtype) => format!("{}/{}", ct.ctype(), subtype).to_ascii_lowercase(),
        None => ct.ctype().to_ascii_lowercase(),
    }
}

/// The RFC 2045 default for a part without Content-Type, by what mail-parser made of it.
fn default_type(part: &MessagePart<'_>) -> &'static str {
    match part.body {
        PartType::Message(_) => "message/rfc822",
        PartType::Text(_) => "text/plain",
        PartType::Html(_) => "text/html",
        _ => "application/octet-stream",
    }
}

/// The readable text and, when it had to be taken from a part mail-parser filed as an attachment, that
/// part's id (so it is not also listed as one).
///
/// The plain-text bodies are preferred; HTML is converted when there is no plain body or the plain body is
/// blank (Outlook invitations and some web mailers send an empty text/plain alternative). A message whose
/// only HTML is not where a body belongs (an MHTML file whose first related part is an image) still gets
/// its text from its first unnamed, non-attachment HTML part.
fn body_text(mail: &[u8], parsed: &mail_parser::Message<'_>) -> BodyText {
    let part = |id: &u32| parsed.parts.get(*id as usize);
    let plain_cut = std::cell::Cell::new(false);
    let plain = join(
        parsed.text_body.iter().filter_map(part).filter(|p| matches!(p.body, PartType::Text(_))).map(|p| {
            let (text, cut) = plain_text(mail, p);
            plain_cut.set(plain_cut.get() || cut);
            text
        }),
    );
    if !plain.trim().is_empty() {
        return BodyText::new(plain, None, plain_cut.get());
    }
    let html_cut = std::cell::Cell::new(false);
    let html_of = |p: &MessagePart<'_>| {
        let html = part_text(mail, p);
        html_cut.set(html_cut.get() || html.len() > HTML_READ);
        Cow::Owned(html::to_text(&at_most(html, HTML_READ)))
    };
    let html = join(
        parsed
            .text_body
            .iter()
            .chain(&parsed.html_body)
            .filter_map(part)
            .find(|p| matches!(p.body, PartType::Html(_)))
            .map(html_of)
            .into_iter(),
    );
    if !html.is_empty() {
        return BodyText::new(html, None, html_cut.get());
    }
    let filed_as_attachment = parsed.attachments.iter().copied().find(|&id| {
        part(&id).is_some_and(|p| {
            matches!(p.body, PartType::Html(_))
                && p.attachment_name().is_none()
                && !p.content_disposition().is_some_and(|d| d.is_attachment())
        })
    });
    match filed_as_attachment.and_then(|id| part(&id)) {
        Some(p) => {
            let text = html_of(p).into_owned();
            BodyText::new(text, filed_as_attachment, html_cut.get())
        }
        None => BodyText::new(plain, None, false),
    }
}

/// The readable text of a message, cut at [`TEXT_LIMIT`].
struct BodyText {
    text: String,
    /// The part it came from when that part is not a body (an HTML file attached without a name).
    part: Option<u32>,
    cut: bool,
}

impl BodyText {
    fn new(mut text: String, part: Option<u32>, cut: bool) -> BodyText {
        let cut = cut || text.len() > TEXT_LIMIT;
        text.truncate(floor_char_boundary(&text, TEXT_LIMIT));
        BodyText { text, part, cut }
    }
}

/// How much readable text clerk reads of a message: far more than anyone writes, and a bound on what
/// every rule, reader and desk does with it (a 25 MB text would otherwise be copied, folded and
/// searched several times over).
pub const TEXT_LIMIT: usize = 1_000_000;

/// How much HTML is converted to text: markup takes room, so a few times the text's limit.
const HTML_READ: usize = 4 * TEXT_LIMIT;

/// The largest char boundary of `text` at or below `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

/// `text` cut to at most `limit` bytes, at a char boundary.
fn at_most(text: Cow<'_, str>, limit: usize) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(t) => Cow::Borrowed(&t[..floor_char_boundary(t, limit)]),
        Cow::Owned(mut t) => {
            t.truncate(floor_char_boundary(&t, limit));
            Cow::Owned(t)
        }
    }
}

/// A plain-text body, with format=flowed (RFC 3676) lines joined back into paragraphs.
/// Says whether the text went on past [`TEXT_LIMIT`] (unflowing shortens it, so its length after
/// cannot tell).
fn plain_text<'a>(mail: &[u8], part: &'a MessagePart<'_>) -> (Cow<'a, str>, bool) {
    let text = part_text(mail, part);
    let cut = text.len() > TEXT_LIMIT;
    let text = at_most(text, TEXT_LIMIT);
    let Some(ct) = part.content_type() else {
        return (text, cut);
    };
    let is =
        |name: &str, value: &str| ct.attribute(name).is_some_and(|v| v.trim().eq_ignore_ascii_case(value));
    let text = if is("format", "flowed") { Cow::Owned(unflow(&text, is("delsp", "yes"))) } else { text };
    (text, cut)
}

/// Undoes format=flowed: a line ending in a space continues on the next line of the same quote depth.
/// Quoted lines come out as `> text` (`>> text` when nested), the usual plain-text form.
fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::with_capacity(text.len());
    // Quote depth of a paragraph whose last line was flowed, so the next line continues it.
    let mut open: Option<usize> = None;
    for line in text.lines() {
        let depth = line.bytes().take_while(|&b| b == b'>').count();
        let content = &line[depth..];
        // Space-stuffing: a leading space was added to protect the line and is not content.
        let content = content.strip_prefix(' ').unwrap_or(content);
        let flowed = content.ends_with(' ') && content != "-- ";
        if open.is_some_and(|d| d != depth) {
            out.push('\n');
            open = None;
        }
        if open.is_none() && depth > 0 {
            out.push_str(&line[..depth]);
            out.push(' ');
        }
        out.push_str(match content.strip_suffix(' ') {
            Some(without_marker) if flowed && delsp => without_marker,
            _ => content,
        });
        if flowed {
            open = Some(depth);
        } else {
            out.push('\n');
            open = None;
        }
    }
    if !text.ends_with('\n') && out.ends_with('\n') {
        out.pop();
    }
    out
}

fn join<'a>(texts: impl Iterator<Item = Cow<'a, str>>) -> String {
    let mut joined = String::new();
    for text in texts {
        if !joined.is_empty() && !joined.ends_with('\n') {
            joined.push('\n');
        }
        joined.push_str(&text);
    }
    joined
}

/// The text of a part, with the charset guessed when its label is missing or wrong.
///
/// mail-parser decodes by the declared charset and replaces undecodable bytes with U+FFFD. When that
/// happened and the label could not have been right (none, UTF-8 or ASCII on bytes that are not UTF-8,
/// or a label it does not know), the bytes are decoded again by chardetng's guess, which is what
/// Thunderbird does for the same mail. A byte-order mark (UTF-16 bodies start with one) is dropped.
fn part_text<'a>(mail: &[u8], part: &'a MessagePart<'_>) -> Cow<'a, str> {
    let text: Cow<'a, str> = match &part.body {
        PartType::Text(text) | PartType::Html(text) => {
            if text.contains(char::REPLACEMENT_CHARACTER)
                && label_may_be_wrong(part)
                && let Some(guessed) = guess_charset(&transfer_decoded(mail, part))
            {
                Cow::Owned(guessed)
            } else {
                Cow::Borrowed(text.as_ref())
            }
        }
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => Cow::Owned(
                guess_charset(bytes).unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned()),
            ),
        },
        PartType::Message(_) | PartType::Multipart(_) => Cow::Borrowed(""),
    };
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Cow::Owned(text) if text.starts_with('\u{feff}') => {
            Cow::Owned(text['\u{feff}'.len_utf8()..].to_owned())
        }
        owned => owned,
    }
}

fn label_may_be_wrong(part: &MessagePart<'_>) -> bool {
    match part.content_type().and_then(|ct| ct.attribute("charset")) {
        None => true,
        Some(label) => {
            let label = label.trim().to_ascii_lowercase();
            matches!(label.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii")
                || charset_decoder(label.as_bytes()).is_none()
        }
    }
}

/// The part's bytes with the transfer encoding undone, before any charset decoding.
fn transfer_decoded<'a>(mail: &'a [u8], part: &MessagePart<'_>) -> Cow<'a, [u8]> {
    let body = mail.get(part.offset_body as usize..part.offset_end as usize).unwrap_or_default();
    match part.encoding {
        Encoding::None => Cow::Borrowed(body),
        Encoding::Base64 => base64_decode(body).map_or(Cow::Borrowed(body), Cow::Owned),
        Encoding::QuotedPrintable => quoted_printable_decode(body).map_or(Cow::Borrowed(body), Cow::Owned),
    }
}

/// Decodes bytes that are not valid UTF-8 by chardetng's guess; `None` when they are UTF-8 after all.
fn guess_charset(bytes: &[u8]) -> Option<String> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = encoding.decode(bytes);
    Some(text.into_owned())
}

fn text_hash(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

fn is_calendar(content_type: &str, name: &str) -> bool {
    matches!(content_type, "text/calendar" | "application/ics")
        || name.trim().rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("ics"))
}

/// The value of the calendar's METHOD property, upper case.
///
/// Lines are unfolded first (RFC 5545 §3.1: a line break followed by a space or tab continues the line),
/// since Outlook folds long lines anywhere. The property name is matched case-insensitively and may carry
/// parameters (`METHOD;X-FOO=1:REQUEST`).
fn calendar_method(text: &str) -> Option<String> {
    unfolded_lines(text).find_map(|line| {
        let name_end = line.find([':', ';'])?;
        if !line[..name_end].trim().eq_ignore_ascii_case("METHOD") {
            return None;
        }
        let value = line[name_end..].split_once(':')?.1.trim();
        (!value.is_empty()).then(|| value.to_ascii_uppercase())
    })
}

/// The content lines of an iCalendar text, continuation lines joined; borrowed unless a line was folded.
fn unfolded_lines(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    let mut lines = text.lines().peekable();
    std::iter::from_fn(move || {
        let first = lines.next()?;
        let mut line = Cow::Borrowed(first);
        while let Some(next) = lines.next_if(|l| l.starts_with([' ', '\t'])) {
            line.to_mut().push_str(&next[1..]);
        }
        Some(line)
    })
}

#[cfg(test)]
mod tests;
