//! The body of an inline forward: the original's text quoted below a `Forwarded message` block, as
//! people and mail clients recognise it, with its attachments copied after it.

use std::borrow::Cow;

use mail_builder::headers::content_type::ContentType;
use mail_builder::mime::{BodyPart, MimePart};
use mail_parser::{MessageParser, MimeHeaders};

use super::ComposeError;
use super::embedded::embedded_message;
use super::encoding::text_part;
use super::forward::{Forward, format_addresses};
use super::headers::one_line;

/// Separator line of an inline forward, as Gmail writes it; people and mail clients recognise it.
const FORWARD_SEPARATOR: &str = "---------- Forwarded message ---------";

/// Inline mode: note, the forwarded-message block, the original's text, then its attachments.
pub(super) fn inline_body(f: &Forward<'_>) -> Result<MimePart<'static>, ComposeError> {
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
