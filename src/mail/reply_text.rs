//! What a reply adds: the text above the quoted history and the signature, as helpdesks split it.
//!
//! Mail clients quote in their own ways: Gmail and Apple Mail write "On …, … wrote:" (sometimes over
//! two lines) before `>` lines; Thunderbird the same or "Il … ha scritto:" in Italian; Outlook a rule
//! of underscores or "-----Original Message-----" and a From/Sent/To/Subject block (Da/Inviato/A/
//! Oggetto in Italian) without any `>`; Yahoo "On Monday, … wrote:"; phones add "Sent from my
//! iPhone". Whatever comes first of these ends the new text, and a signature ("-- ") is cut off too.
//! Commands, choices and requests are read from the new text only, so that the quoted mail (which
//! may hold "2", "#close" or last week's date) is never taken for what the sender says now.

use std::sync::LazyLock;

use regex::Regex;

/// The lines that open quoted history or a signature, matched against a trimmed line.
static OPENS_QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
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
    .expect("a valid regex")
});

/// An Outlook header line that opens a quoted message when a second one follows it.
static HEADER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:from|da|von|de|sent|inviato|date|data|to|a|an|subject|oggetto|betreff|cc):\s*\S")
        .expect("a valid regex")
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
/// signature, without surrounding blank lines.
pub fn new_text(text: &str) -> &str {
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
        let two_line_intro = || {
            // "On Mon, 23 Nov 2026 at 10:05, Anna Bianchi <anna@client.example>" / "wrote:"
            let next = lines.get(i + 1).map_or("", |(_, l)| l.trim());
            (trimmed.starts_with("On ") || trimmed.starts_with("Il "))
                && trimmed.len() + next.len() < LONGEST_INTRO
                && OPENS_QUOTE.is_match(&format!("{trimmed} {next}"))
        };
        let header_line = |line: &str| line.len() <= LONGEST_INTRO && HEADER_LINE.is_match(line);
        let header_block =
            || header_line(trimmed) && lines.iter().skip(i + 1).take(3).any(|(_, l)| header_line(l.trim()));
        if opens_quote(trimmed) || two_line_intro() || header_block() {
            return text[..*start].trim();
        }
    }
    text.trim()
}

#[cfg(test)]
mod tests;
