//! Attachments as the rules see them (name, type, size), and the MIME type a part is listed under.

use mail_parser::{MessagePart, PartType};

/// An attachment as the rules see it: its name, type and size, never its content.
///
/// Every part that is not a body is listed, so besides files this includes inline images of an HTML
/// body, calendar parts (also in [`Message::calendars`]), delivery-status parts of bounces and attached
/// messages (type `message/rfc822`, not opened further).
///
/// [`Message::calendars`]: super::Message::calendars
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

pub(super) fn mime_type(ct: &mail_parser::ContentType<'_>) -> String {
    match ct.subtype() {
        Some(subtype) => format!("{}/{}", ct.ctype(), subtype).to_ascii_lowercase(),
        None => ct.ctype().to_ascii_lowercase(),
    }
}

/// The RFC 2045 default for a part without Content-Type, by what mail-parser made of it.
pub(super) fn default_type(part: &MessagePart<'_>) -> &'static str {
    match part.body {
        PartType::Message(_) => "message/rfc822",
        PartType::Text(_) => "text/plain",
        PartType::Html(_) => "text/html",
        _ => "application/octet-stream",
    }
}
