//! The original message carried inside a forward: as message/rfc822 byte for byte when it can travel
//! that way, as an `.eml` file when it cannot, and never with clerk's control headers.

use std::borrow::Cow;

use mail_builder::mime::{BodyPart, MimePart};

use super::CONTROL_HEADER_PREFIX;
use super::encoding::crlf_bytes;
use super::headers::one_line;

/// RFC 5322 §2.1.1: no line may exceed 998 octets, excluding CRLF. An embedded message with longer lines
/// cannot travel as message/rfc822 (see [`embedded_message`]).
const MAX_LINE_LEN: usize = 998;

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
pub(super) fn embedded_message<'a>(raw: Cow<'a, [u8]>, file_name: &str) -> (MimePart<'a>, bool) {
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
pub(super) fn eml_file_name(subject: &str) -> String {
    let cleaned: String = one_line(subject)
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | ',') { c } else { '_' })
        .take(60)
        .collect();
    let cleaned = cleaned.trim_matches([' ', '.', '_']);
    if cleaned.is_empty() { "forwarded message.eml".to_owned() } else { format!("{cleaned}.eml") }
}
