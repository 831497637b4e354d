//! Line endings and transfer encoding, so what clerk sends is valid on the wire and readable raw: text
//! clerk wrote goes out with CRLF line endings, as `7bit` when that is valid and readable and as
//! quoted-printable otherwise (never base64, see the module root); raw messages clerk carries on get
//! CRLF line endings too.

use std::borrow::Cow;
use std::fmt::Write as _;

use mail_builder::mime::MimePart;

/// RFC 5322 §2.1.1: lines SHOULD stay within 78 characters; longer ASCII text is sent quoted-printable.
const MAX_7BIT_TEXT_LINE: usize = 78;

/// RFC 2045 §6.7: encoded lines are at most 76 characters; one is kept for the soft break's `=`.
const MAX_QP_WIDTH: usize = 75;

/// Converts any mix of CRLF, LF and CR line endings to CRLF and makes sure the text ends with one, so
/// 7bit bodies are valid on the wire and the message ends with a line break.
pub(super) fn crlf_text(text: &str) -> String {
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

/// A text/plain; charset=utf-8 part for text clerk wrote, with line endings made CRLF: `7bit` when that
/// is valid and readable, quoted-printable otherwise.
pub(super) fn text_part(text: &str) -> MimePart<'static> {
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

/// A text/html part of a complete HTML document, quoted-printable.
pub(super) fn html_part(html: &str) -> MimePart<'static> {
    MimePart::new("text/html", quoted_printable(&crlf_text(html))).transfer_encoding("quoted-printable")
}

/// RFC 2045 §6.7 quoted-printable of CRLF text: CRLF stays a hard line break, soft breaks keep every
/// encoded line within 76 characters, and whitespace before a line break is encoded so transports that
/// strip trailing blanks cannot alter the text.
pub(super) fn quoted_printable(text: &str) -> String {
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
pub(super) fn crlf_bytes(raw: &[u8]) -> Cow<'_, [u8]> {
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
