//! What a reply adds: the text above the quoted history and the signature, as helpdesks split it.
//!
//! Mail clients quote in their own ways: Gmail and Apple Mail write "On …, … wrote:" (sometimes over
//! two lines) before `>` lines; Thunderbird the same or "Il … ha scritto:" in Italian; Outlook a rule
//! of underscores or "-----Original Message-----" and a From/Sent/To/Subject block (Da/Inviato/A/
//! Oggetto in Italian) without any `>`; Yahoo "On Monday, … wrote:"; phones add "Sent from my
//! iPhone". Whatever comes first of these ends the new text, and a signature ("-- ") is cut off too;
//! signatures without that separator (a closing, a name, a phone) are split off by
//! [`without_signature`], for what is recorded and shown of a message.
//! Commands, choices and requests are read from the new text only, so that the quoted mail (which
//! may hold "2", "#close" or last week's date) is never taken for what the sender says now.

use std::sync::LazyLock;

use regex::Regex;

/// The lines that open quoted history or a signature, matched against a trimmed line.
static OPENS_QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"(?ix)^(?:
            >                                                   # a quoted line
          | -{2,}\s*(?:original\s+message|messaggio\s+originale|urspr.ngliche\s+nachricht|message\s+d'origine)\s*-{2,}
          | _{20,}                                              # Outlook's rule
          | il\s+giorno\b.*\bha\s+scritto:?$                    # Italian Thunderbird, Gmail
          | il\s.*\bha\s+scritto:$
          | on\s.*\bwrote:$                                     # Gmail, Apple Mail, Yahoo
          | am\s.*\bschrieb:$
          | le\s.*\ba\s+.crit\s?:$
          | (?:sent\s+from\s+my|inviato\s+da|get\s+outlook\s+for)\b.*   # phones
          | --\s?$                                              # a signature
        )",
    )
});

/// An Outlook header line that opens a quoted message when a second one follows it.
static HEADER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"(?i)^(?:from|da|von|de|sent|inviato|date|data|to|a|an|subject|oggetto|betreff|cc):\s*\S",
    )
});

/// The longest line, in bytes, that can introduce quoted history in words ("On …, … wrote:", an
/// Outlook header block, "Sent from my iPhone"): a real one is a sentence, and longer lines are text.
/// A quoted line (`>`) opens the quote at any length. This keeps the patterns' work per line bounded
/// however long a line a sender writes.
const LONGEST_INTRO: usize = 1_000;

/// Whether `trimmed`, a line without surrounding spaces, opens quoted history or a signature.
fn opens_quote(trimmed: &str) -> bool {
    trimmed.starts_with('>') || (trimmed.len() <= LONGEST_INTRO && OPENS_QUOTE.is_match(trimmed))
}

/// The new text of `text`: everything above the first line that opens quoted history or a
/// signature, without surrounding blank lines; or, when nothing is written above the quote, what is
/// written below it ("bottom-posting", as Thunderbird and many Italian users reply), up to the next
/// quote.
pub fn new_text(text: &str) -> &str {
    let Some(opener) = first_opener(text) else { return text.trim() };
    let above = text[..opener.start].trim();
    if !above.is_empty() || !opener.quote {
        return above;
    }
    let below = &text[opener.end..];
    let first_line = below.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line.trim()))
    });
    let written = first_line.filter(|(_, l)| !l.is_empty() && !l.starts_with('>')).map(|(at, _)| at).next();
    match written {
        Some(at) => {
            let rest = &below[at..];
            first_opener(rest).map_or(rest, |next| &rest[..next.start]).trim()
        }
        // An empty part of the text, not a literal: callers may locate the new text within it.
        None => &below[below.len()..],
    }
}

/// The words a request is read in: the subject of a new message (a reply's subject is the
/// thread's, which says nothing new) and the new text. A forward's request is the forwarded
/// message's ("Can you set this up with Giulia?" over a client's "Monday 26 April at 9?"), so its
/// subject and words are read instead.
pub fn request_words(subject: &str, reply: bool, text: &str) -> String {
    if crate::mail::forwarded::is_forward(subject)
        && let Some(forwarded) = crate::mail::forwarded::body(text)
    {
        let subject = subject.split_once(':').map_or(subject, |(_, rest)| rest.trim());
        return format!("{subject}\n{}", new_text(forwarded));
    }
    let subject = if reply { "" } else { subject };
    format!("{subject}\n{}", new_text(text))
}

/// Where quoted history or a signature opens in a text.
struct Opener {
    /// The byte its first line starts at, and the byte after its introduction ("On … wrote:").
    start: usize,
    end: usize,
    /// A quote (`>` lines or their introduction), after which the sender may write below; not a
    /// signature or an Outlook header block, after which only the old message follows.
    quote: bool,
}

/// The first line of `text` that opens quoted history or a signature.
fn first_opener(text: &str) -> Option<Opener> {
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })
        .collect();
    for (i, (start, line)) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let next = lines.get(i + 1);
        // "On Mon, 23 Nov 2026 at 10:05, Anna Bianchi <anna@client.example>" / "wrote:"
        let two_line_intro = (trimmed.starts_with("On ") || trimmed.starts_with("Il "))
            && next.is_some_and(|(_, next)| {
                trimmed.len() + next.trim().len() < LONGEST_INTRO
                    && OPENS_QUOTE.is_match(&format!("{trimmed} {}", next.trim()))
            });
        let header_line = |line: &str| line.len() <= LONGEST_INTRO && HEADER_LINE.is_match(line);
        let header_block =
            || header_line(trimmed) && lines.iter().skip(i + 1).take(3).any(|(_, l)| header_line(l.trim()));
        let end = |n: usize| lines.get(i + n).map_or(text.len(), |(at, _)| *at);
        if two_line_intro {
            return Some(Opener { start: *start, end: end(2), quote: true });
        }
        if opens_quote(trimmed) || header_block() {
            let quote = trimmed.starts_with('>') || (trimmed.ends_with(':') && !header_block());
            return Some(Opener { start: *start, end: end(1), quote });
        }
    }
    None
}

mod signature;
#[cfg(test)]
mod tests;

pub use signature::without_signature;
