//! Who writes, and what of their message is theirs to read: the same words mean different things
//! from a colleague, a vendor of the catalog and a stranger, and a colleague's forward is read for
//! what it forwards.

use std::sync::LazyLock;

use regex::Regex;

use super::cues::{Cues, fold};
use super::{Group, Intent, LINE_BYTES, MOST_LINES, Office, Tally, Text};
use crate::mail::forwarded;
use crate::mail::message::Message;
use crate::mail::reply_text::new_text;

/// Who a message is from, as the office knows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// Someone of the office: its own addresses and its staff.
    Colleague,
    /// A vendor of the catalog (its address or its domain).
    Vendor,
    /// Anyone else.
    Stranger,
}

impl Writer {
    /// Who `msg` is from, by its first From address.
    pub fn of(msg: &Message, office: &Office<'_>) -> Writer {
        let Some(from) = msg.from.first() else { return Writer::Stranger };
        let email = from.email.to_lowercase();
        let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
        if (office.is_staff)(&email) {
            return Writer::Colleague;
        }
        let vendor = office.catalog.is_some_and(|catalog| {
            catalog.vendors.iter().any(|v| {
                let address = v.address.to_lowercase();
                address == email || address.rsplit_once('@').is_some_and(|(_, d)| d == domain)
            })
        });
        if vendor { Writer::Vendor } else { Writer::Stranger }
    }
}

/// The marks of replies and forwards at the start of a subject, however many.
pub(crate) static MARKS: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(r"(?i)^(?:\s*(?:re|r|aw|sv|fwd?|i|wg|rif)\s*(?:\[\d+\])?\s*:)+")
});

/// A subject that marks a reply (not a forward: a forwarded invitation is no answer to it).
static REPLY: LazyLock<Regex> =
    LazyLock::new(|| crate::regexes::built_in(r"(?i)^\s*(?:re|r|aw|sv|rif)\s*(?:\[\d+\])?\s*:"));

/// What the readers see of `msg`: its subject and new text; for a colleague's forward, the note
/// above the forwarded message and the message itself (without its own quotes).
pub(crate) fn text_of(msg: &Message, writer: &Writer, office: &Office<'_>) -> Text {
    let forwarded = (*writer == Writer::Colleague && forwarded::is_forward(&msg.subject))
        .then(|| forwarded::start(&msg.text))
        .flatten();
    let new = match &forwarded {
        Some(marker) => {
            let note = new_text(&msg.text[..marker.start]);
            let original = new_text(strip_forward_header(&msg.text[marker.end..]));
            format!("{note}\n{original}")
        }
        None => fresh(&msg.text).to_owned(),
    };
    let raw = without_disclaimer(&bounded(&new)).to_owned();
    let written = cut(&msg.subject, LINE_BYTES);
    let subject = MARKS.replace(written, "");
    Text {
        subject: fold(subject.trim()),
        subject_as_written: written.to_owned(),
        body: fold(&raw),
        raw,
        reply: REPLY.is_match(written) || !msg.in_reply_to.is_empty(),
        // Read as its author wrote it only when that author is outside the office: a colleague's
        // forward of a colleague's mail is still the office talking to itself.
        forwarded: forwarded.is_some()
            && forwarded::author(&msg.text).is_some_and(|author| !(office.is_staff)(&author.email)),
    }
}

/// The new text of a reply, written above the quote or, by those who bottom-post, below it.
fn fresh(text: &str) -> &str {
    let top = new_text(text);
    if top.split_whitespace().count() >= FEWEST_WORDS {
        return top;
    }
    below_quote(text).filter(|below| below.split_whitespace().count() >= FEWEST_WORDS).unwrap_or(top)
}

/// Fewer words above a quote than a greeting and a request take: the reply is below it.
const FEWEST_WORDS: usize = 4;

/// What follows the last `>` line of `text`, up to a signature or another quote.
fn below_quote(text: &str) -> Option<&str> {
    let mut after = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        at += line.len();
        if line.trim_start().starts_with('>') {
            after = Some(at);
        }
    }
    after.map(|start| new_text(&text[start..]))
}

/// `text` without the legal notice or footer at its end: the first line (after the first) that opens
/// one, and all after it.
fn without_disclaimer(text: &str) -> &str {
    static OPENS: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/people-disclaimer.txt")));
    let mut at = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let folded = fold(line.trim());
        if n > 0 && OPENS.find(&folded).is_some_and(|cue| folded.starts_with(cue)) {
            return &text[..at];
        }
        at += line.len();
    }
    text
}

/// A forwarded message without its From/Date/Subject/To lines.
fn strip_forward_header(text: &str) -> &str {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"(?i)^\s*(?:from|da|von|de|sent|date|inviato|data|datum|envoy.|subject|oggetto|betreff|objet|to|a|an|cc|\u{e0})\s*:",
        )
    });
    let mut rest = text.trim_start_matches(['\r', '\n']);
    while let Some(line) = rest.lines().next() {
        if !HEADER.is_match(line) {
            break;
        }
        rest = rest[line.len()..].trim_start_matches(['\r', '\n']);
    }
    rest
}

/// The first [`MOST_LINES`] lines of `text`, each cut to [`LINE_BYTES`].
fn bounded(text: &str) -> String {
    let mut kept = String::new();
    for line in text.lines().take(MOST_LINES) {
        kept.push_str(cut(line, LINE_BYTES));
        kept.push('\n');
    }
    kept
}

/// `text` cut to at most `bytes`, at a character boundary.
fn cut(text: &str, bytes: usize) -> &str {
    let mut end = text.len().min(bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Words of colleagues' social life: lunch, cake, drinks, a birthday.
pub(crate) static SOCIAL: LazyLock<Cues> =
    LazyLock::new(|| Cues::list(include_str!("cues/people-social.txt")));

/// A colleague's message that asks nothing of the assistant's desks is chat: lunch, news, a lost
/// charger, a cake at four. It needs no cue of its own; what it lacks is any desk's.
pub(crate) fn read_chat(text: &Text, writer: &Writer, tally: &mut Tally) {
    if *writer != Writer::Colleague {
        return;
    }
    let strongest = tally.strongest(|intent| intent.group() != Group::Nothing);
    // A desk's intent that is sure leaves no room for chat.
    if strongest >= 3.0 {
        return;
    }
    if strongest < 2.0 {
        tally.add(Intent::Chat, 3.0, "a colleague's message that asks no desk for anything");
    } else {
        tally.add(Intent::Chat, 1.0, "a colleague's message that asks no desk for anything for sure");
    }
    if let Some(cue) = SOCIAL.find(&text.body).or_else(|| SOCIAL.find(&text.subject)) {
        tally.add(Intent::Chat, 2.0, format!("\"{cue}\""));
    }
}
