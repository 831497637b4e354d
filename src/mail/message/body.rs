//! The readable text of a message: which body is read (plain text, else HTML converted), format=flowed
//! undone, and the bound of [`TEXT_LIMIT`] on how much of it clerk reads.

use std::borrow::Cow;

use mail_parser::{MessagePart, MimeHeaders, PartType};

use super::charset::part_text;
use crate::mail::html;

/// The readable text and, when it had to be taken from a part mail-parser filed as an attachment, that
/// part's id (so it is not also listed as one).
///
/// The plain-text bodies are preferred; HTML is converted when there is no plain body or the plain body is
/// blank (Outlook invitations and some web mailers send an empty text/plain alternative). A message whose
/// only HTML is not where a body belongs (an MHTML file whose first related part is an image) still gets
/// its text from its first unnamed, non-attachment HTML part.
pub(super) fn body_text(mail: &[u8], parsed: &mail_parser::Message<'_>) -> BodyText {
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
pub(super) struct BodyText {
    pub(super) text: String,
    /// The part it came from when that part is not a body (an HTML file attached without a name).
    pub(super) part: Option<u32>,
    pub(super) cut: bool,
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
pub(super) fn unflow(text: &str, delsp: bool) -> String {
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
