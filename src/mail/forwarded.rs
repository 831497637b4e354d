//! A forwarded message inside another, as mail clients write it: where it starts in the text, and
//! who wrote it.
//!
//! Gmail and Thunderbird open it with a marker line ("---------- Forwarded message ---------",
//! "-------- Messaggio inoltrato --------"), Apple Mail with "Begin forwarded message:", Outlook with
//! the forwarded message's own From and Sent lines and no marker at all. The header lines that follow
//! name its author: `From: Nathan Cole <nathan.cole@example.com>`, Outlook's
//! `Da: Nathan Cole [mailto:nathan.cole@example.com]`, or a bare address.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::message::{Address, can_be_sent_to};

/// The clients' marker lines.
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"(?im)^\s*(?:-{3,}\s*(?:forwarded\s+message|messaggio\s+inoltrato|original\s+message|messaggio\s+originale|weitergeleitete\s+nachricht|message\s+transf.r.)\s*-{3,}|begin\s+forwarded\s+message:|inizio\s+messaggio\s+inoltrato:)\s*$",
    )
});

/// Outlook's forward: the forwarded message's From line, then within a line its Sent (or Date) line.
static HEADER_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"(?im)^[ \t]*(?:from|da|von|de)[ \t]*:.*\r?\n(?:.*\r?\n)?[ \t]*(?:sent|date|inviato|data|gesendet|envoy.)[ \t]*:.*$",
    )
});

/// A subject that marks a forward: `Fwd:`, `Fw:`, `I:` (Outlook in Italian), `Inoltro:`, `WG:`.
static SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| crate::regexes::built_in(r"(?i)^\s*(?:fwd?|i|inoltro|wg)\s*:"));

/// The From line of the forwarded header, with the address in `<…>`, `[mailto:…]` or alone.
static AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"(?im)^[ \t>]*(?:from|da|von|de)[ \t]*:[ \t]*(.*?)[ \t]*(?:<|\[mailto:)?([^\s<>\[\]]+@[^\s<>\[\]]+?)(?:>|\])?[ \t]*$",
    )
});

/// Whether `subject` marks a forward.
pub fn is_forward(subject: &str) -> bool {
    SUBJECT.is_match(subject)
}

/// Where the forwarded message starts in `text` (its marker line, or Outlook's header block), if it
/// holds one.
pub fn start(text: &str) -> Option<Range<usize>> {
    // The earliest: a marker further down may be the forwarded message's own quoted history.
    let found =
        [MARKER.find(text), HEADER_BLOCK.find(text)].into_iter().flatten().min_by_key(|m| m.start())?;
    Some(found.range())
}

/// The words of the message forwarded in `text`: what follows its marker and header lines ("From:
/// …", "Sent: …", "Oggetto: …"), if it holds one.
pub fn body(text: &str) -> Option<&str> {
    let after = &text[start(text)?.end..];
    let header_line = |line: &str| {
        line.split_once(':').is_some_and(|(name, _)| {
            !name.is_empty()
                && name.len() <= 20
                && name.chars().all(|c| c.is_alphabetic() || c == '-' || c == ' ')
        })
    };
    let mut at = 0;
    for line in after.split_inclusive('\n') {
        let trimmed = line.trim();
        if !(trimmed.is_empty() || header_line(trimmed)) {
            break;
        }
        at += line.len();
    }
    Some(after[at..].trim())
}

/// Who wrote the message forwarded in `text`: the From line of its header, if it names an address
/// mail can be sent to.
pub fn author(text: &str) -> Option<Address> {
    let at = start(text)?.start;
    // The header is the forwarded message's first lines.
    let head: String = text[at..].lines().take(8).collect::<Vec<_>>().join("\n");
    let found = AUTHOR.captures(&head)?;
    let email = found.get(2)?.as_str().trim_end_matches(['.', ',', ';']).to_lowercase();
    if !can_be_sent_to(&email) {
        return None;
    }
    let name = found.get(1).map(|n| n.as_str().trim().trim_matches('"').trim()).filter(|n| !n.is_empty());
    Some(Address { name: name.map(str::to_owned), email })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmails_forward_names_its_author() {
        let text = "FYI\n\n---------- Forwarded message ---------\nFrom: Nathan Cole <nathan.cole@example.com>\nDate: Fri, 16 Apr 2027\nSubject: Leak\n\nWater is dripping.";
        let author = author(text).expect("an author");
        assert_eq!(author.email, "nathan.cole@example.com");
        assert_eq!(author.name.as_deref(), Some("Nathan Cole"));
    }

    #[test]
    fn outlooks_forward_without_a_marker_names_its_author() {
        let text = "Can you log this?\r\n\r\nFrom: Nathan Cole <nathan.cole@example.com>\r\nSent: Friday, April 16, 2027 8:12 AM\r\nTo: Pietro\r\nSubject: Leak\r\n\r\nWater.";
        assert_eq!(author(text).map(|a| a.email), Some("nathan.cole@example.com".to_owned()));
        let italian = "Da: Nathan Cole [mailto:nathan.cole@example.com]\nInviato: venerdì 16 aprile 2027 08:12\nA: Pietro";
        assert_eq!(author(italian).map(|a| a.email), Some("nathan.cole@example.com".to_owned()));
    }

    #[test]
    fn the_first_forward_names_the_author_not_the_history_it_quotes() {
        let text = "Log this?\nFrom: Nathan Cole <nathan.cole@example.com>\nSent: Friday\n\nWater.\n\n-----Original Message-----\nFrom: Other <other@example.org>\nSent: Monday";
        assert_eq!(author(text).map(|a| a.email), Some("nathan.cole@example.com".to_owned()));
    }

    #[test]
    fn the_forwarded_words_follow_its_header() {
        let text = "Can you set this up?\n\nFrom: Megan <megan@example.ie>\nSent: Thursday, April 22, 2027 9:47 AM\nTo: Nicola\nSubject: site\n\nHi Nicola,\nMonday at 9?\n";
        assert_eq!(body(text), Some("Hi Nicola,\nMonday at 9?"));
        assert_eq!(body("No forward here"), None);
    }

    #[test]
    fn a_message_without_a_forward_has_no_author() {
        assert_eq!(author("From the 5th we are closed.\nThanks"), None);
        assert!(is_forward("Fwd: leak") && is_forward("I: perdita") && !is_forward("Re: leak"));
    }
}
