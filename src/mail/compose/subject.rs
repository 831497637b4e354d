//! Subjects of replies and forwards: one `Re: ` or `Fwd: ` in front of the topic, whatever prefixes the
//! thread has gathered in the languages our offices' mail clients use, so every message of a thread
//! carries the same subject.

use super::headers::one_line;

/// Leading words that mean "reply" in the mail clients our offices see, compared case-insensitively.
const REPLY_PREFIXES: &[&str] = &["re", "aw", "r", "rif", "sv", "vs", "antw"];

/// Leading words that mean "forward": English, German (WG), French (TR), Spanish (RV), Portuguese (ENC),
/// Swedish (VB), Finnish (VL), Dutch (Doorst) and Italian Outlook (I).
const FORWARD_PREFIXES: &[&str] = &["fwd", "fw", "wg", "tr", "rv", "enc", "vb", "vl", "doorst", "i"];

/// The subject of a reply: one `Re: ` in front of the original topic.
///
/// Existing reply prefixes in any of the recognised languages (and counters like `Re[2]:`, French spacing
/// `RE :`) are dropped first, so threads do not grow `Re: AW: RE:` chains and every reply in a thread has
/// the same subject. Forward prefixes are part of the topic and stay (`Re: Fwd: invoice`).
pub fn reply_subject(original: &str) -> String {
    prefixed("Re: ", original, REPLY_PREFIXES)
}

/// The subject of a forward: one `Fwd: ` in front of the original subject, dropping existing forward
/// prefixes (`Fwd:`, `FW:`, `WG:`, `TR:`, `I:`, …) for the same reason [`reply_subject`] drops reply
/// prefixes. Reply prefixes stay: `Fwd: Re: question` says what was forwarded.
pub fn forward_subject(original: &str) -> String {
    prefixed("Fwd: ", original, FORWARD_PREFIXES)
}

/// `prefix` + the subject with every leading occurrence of `known` prefixes removed.
fn prefixed(prefix: &str, original: &str, known: &[&str]) -> String {
    let collapsed = one_line(original);
    let mut topic = collapsed.as_str();
    while let Some(rest) = strip_one_prefix(topic, known) {
        topic = rest.trim_start();
    }
    if topic.is_empty() { format!("{prefix}(no subject)") } else { format!("{prefix}{topic}") }
}

/// Strips one `word[n]:` prefix whose word is in `known`; `None` when the subject does not start with one.
fn strip_one_prefix<'s>(subject: &'s str, known: &[&str]) -> Option<&'s str> {
    let word_len = subject.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (word, rest) = subject.split_at(word_len);
    if word.is_empty() || !known.iter().any(|k| k.eq_ignore_ascii_case(word)) {
        return None;
    }
    let rest = skip_counter(rest).trim_start_matches([' ', '\t']);
    // The full-width colon is what CJK input methods produce.
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))
}

/// Skips a reply counter such as `[2]` or `(3)` (`Re[2]:`), if there is one.
fn skip_counter(s: &str) -> &str {
    let Some(close) = (match s.chars().next() {
        Some('[') => Some(']'),
        Some('(') => Some(')'),
        _ => None,
    }) else {
        return s;
    };
    let inner = &s[1..];
    let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
    match inner[digits..].strip_prefix(close) {
        Some(rest) if digits > 0 => rest,
        _ => s,
    }
}
