//! Building a [`Message`] from raw bytes: mail-parser set up for what clerk reads, the envelope lines of
//! saved mail skipped, and mail-parser's tree mapped onto the message's fields (which header fills which
//! field, the body text, the attachments and calendars).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;

use mail_parser::{HeaderName, MessageParser, MimeHeaders};

use super::address::addresses;
use super::attachment::{default_type, mime_type};
use super::body::{BodyText, body_text};
use super::calendar::{calendar_method, is_calendar, text_hash};
use super::charset::part_text;
use super::header::{header_name, header_text, ids, one_line, to_chrono};
use super::return_path::return_path;
use super::{Attachment, CalendarPart, Message, ParseError};

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
