//! Word and phrase matching that ignores case, accents and punctuation, the way people expect
//! `subject = "perche"` to find "Perché?".
//!
//! Both sides are folded the same way: compatibility decomposition (NFKD), combining marks dropped,
//! lower case, and every character that is neither a letter nor a digit turned into a space, with a
//! space at each end. A phrase then matches where its first word occurs after a space, each further
//! word follows after one or more spaces, and a space follows the last word: whole words only, with
//! any punctuation and spacing between them. A trailing `*` lets the last word go on (a prefix).
//!
//! Folding is done once per message and field, and each phrase is a vectorised substring search for
//! its first word, with the rest checked only where that word occurs. Runs of separators are left as
//! they are rather than collapsed: collapsing is a byte-by-byte loop that cost more than all the
//! searches together.

use std::fmt;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Folds `text` into `out` (cleared first) for phrase matching: " opening  hours  " for
/// "Opening, Hours?".
pub fn fold_into(text: &str, out: &mut String) {
    let mut folded = std::mem::take(out).into_bytes();
    folded.clear();
    folded.reserve(text.len() + 2);
    folded.push(b' ');
    let mut rest = text;
    let mut seen: Option<Box<FoldedChars>> = None;
    while !rest.is_empty() {
        let ascii = ascii_prefix_len(rest.as_bytes());
        folded.extend(rest.as_bytes()[..ascii].iter().map(|&b| fold_ascii(b)));
        rest = &rest[ascii..];
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            seen.get_or_insert_with(Default::default).fold(c, &mut folded);
        }
        rest = chars.as_str();
    }
    folded.push(b' ');
    *out = String::from_utf8(folded).expect("folding writes ASCII bytes and whole UTF-8 characters");
}

/// Folds `text` into a new string; see [`fold_into`].
pub fn fold(text: &str) -> String {
    let mut out = String::new();
    fold_into(text, &mut out);
    out
}

/// A letter lowered, a digit kept, anything else a space; written without branches so that runs of
/// ASCII are folded many bytes at a time.
fn fold_ascii(b: u8) -> u8 {
    let lower = b | 0x20;
    if lower.wrapping_sub(b'a') < 26 {
        lower
    } else if b.wrapping_sub(b'0') < 10 {
        b
    } else {
        b' '
    }
}

/// The folded forms of the non-ASCII characters met in one text.
///
/// Text in Cyrillic, Greek or accented Latin repeats a few dozen letters, and each costs a
/// decomposition lookup and a case-mapping lookup: remembering them made folding a Russian body
/// about ten times faster. Direct-mapped by the low bits of the code point, which keeps each
/// alphabet's letters in different slots.
struct FoldedChars {
    slots: [(char, u8, [u8; FoldedChars::WIDTH]); 128],
}

impl Default for FoldedChars {
    fn default() -> Self {
        // NUL is ASCII, so it is never looked up: an empty slot.
        FoldedChars { slots: [('\0', 0, [0; FoldedChars::WIDTH]); 128] }
    }
}

impl FoldedChars {
    /// The longest folded form kept; longer ones (ligatures such as U+FDFA) are folded every time.
    const WIDTH: usize = 14;

    fn fold(&mut self, c: char, folded: &mut Vec<u8>) {
        let slot = &mut self.slots[c as usize % 128];
        if slot.0 == c {
            folded.extend_from_slice(&slot.2[..usize::from(slot.1)]);
            return;
        }
        let start = folded.len();
        fold_char(c, folded);
        let written = &folded[start..];
        if written.len() <= Self::WIDTH {
            slot.0 = c;
            slot.1 = written.len() as u8;
            slot.2[..written.len()].copy_from_slice(written);
        }
    }
}

fn fold_char(c: char, folded: &mut Vec<u8>) {
    let mut utf8 = [0; 4];
    decompose_compatible(c, |part| {
        if is_combining_mark(part) {
        } else if part.is_alphanumeric() {
            for lower in part.to_lowercase() {
                folded.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
            }
        } else {
            folded.push(b' ');
        }
    });
}

/// How many bytes at the start of `bytes` are ASCII, checked a block at a time.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let mut len = 0;
    for block in bytes.chunks(32) {
        if block.is_ascii() {
            len += block.len();
        } else {
            return len + block.iter().take_while(|b| b.is_ascii()).count();
        }
    }
    len
}

/// A word or phrase to look for, folded at load time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// As written in the rule file, for traces.
    written: String,
    /// The folded words, at least one.
    words: Vec<String>,
    /// The index of the longest word, which is searched for first.
    anchor: usize,
    /// `order*`: the last word may go on.
    prefix: bool,
}

/// Why a phrase cannot be matched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhraseError {
    /// Nothing is left after folding (`"?!"`).
    #[error("`{0}` has no letters or digits to match; use {{ regex = \"…\" }} to match punctuation")]
    Empty(String),
    /// A `*` that is not at the end (`"a*b"`).
    #[error("`*` is allowed only at the end of a word pattern, in `{0}`")]
    MisplacedStar(String),
}

impl Phrase {
    /// Compiles a word or phrase as written in a rule: `"opening hours"`, `"perche"`, `"order*"`.
    pub fn new(written: &str) -> Result<Phrase, PhraseError> {
        let (body, prefix) = match written.trim_end().strip_suffix('*') {
            Some(body) => (body, true),
            None => (written, false),
        };
        if body.contains('*') {
            return Err(PhraseError::MisplacedStar(written.to_owned()));
        }
        let words: Vec<String> = fold(body).split_whitespace().map(str::to_owned).collect();
        if words.is_empty() {
            return Err(PhraseError::Empty(written.to_owned()));
        }
        let longest = words.iter().map(String::len).max().unwrap_or(0);
        let anchor = words.iter().position(|w| w.len() == longest).unwrap_or(0);
        Ok(Phrase { written: written.to_owned(), words, anchor, prefix })
    }

    /// Whether the phrase occurs in `folded`, a text folded with [`fold_into`].
    ///
    /// The search is for the phrase's longest word, the likeliest to be rare, and the other words are
    /// checked around each place it occurs; searching for a short first word ("i forgot my") would stop
    /// at nearly every line.
    pub fn is_in(&self, folded: &str) -> bool {
        let anchor = self.anchor;
        let Some(word) = self.words.get(anchor) else {
            return false;
        };
        if !folded.contains(word.as_str()) {
            return false;
        }
        let bytes = folded.as_bytes();
        folded.match_indices(word.as_str()).any(|(start, _)| {
            let before = &self.words[..anchor];
            let after = &self.words[anchor + 1..];
            words_precede(bytes, start, before).is_some_and(|first| first > 0 && bytes[first - 1] == b' ')
                && words_follow(bytes, start + word.len(), after)
                    .is_some_and(|end| self.prefix || bytes.get(end) == Some(&b' '))
        })
    }
}

/// Where `words` end if they follow `at`, each after one or more spaces.
fn words_follow(bytes: &[u8], mut at: usize, words: &[String]) -> Option<usize> {
    for word in words {
        let tail = bytes.get(at..)?;
        let spaces = tail.iter().take_while(|&&b| b == b' ').count();
        if spaces == 0 || !tail[spaces..].starts_with(word.as_bytes()) {
            return None;
        }
        at += spaces + word.len();
    }
    Some(at)
}

/// Where `words` start if they precede `at`, each followed by one or more spaces.
fn words_precede(bytes: &[u8], mut at: usize, words: &[String]) -> Option<usize> {
    for word in words.iter().rev() {
        let head = bytes.get(..at)?;
        let spaces = head.iter().rev().take_while(|&&b| b == b' ').count();
        if spaces == 0 || !head[..at - spaces].ends_with(word.as_bytes()) {
            return None;
        }
        at -= spaces + word.len();
    }
    Some(at)
}

impl fmt::Display for Phrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(phrase: &str, text: &str) -> bool {
        Phrase::new(phrase).map(|p| p.is_in(&fold(text))) == Ok(true)
    }

    #[test]
    fn folding_drops_case_accents_and_punctuation() {
        assert_eq!(fold("Opening Hours?"), " opening hours  ");
        assert_eq!(fold("OPENING-hours"), " opening hours ");
        assert_eq!(fold("Perché la Città…"), " perche la citta    ");
        assert_eq!(fold(""), "  ");
        assert_eq!(fold("ﬁle №5"), " file no5 ");
    }

    #[test]
    fn folding_repeated_letters_gives_the_same_as_folding_them_once() {
        assert_eq!(fold("ПРИВЕТ привет Ёлка ёлка"), " привет привет елка елка ");
        // U+00E9 and U+0169 share a slot of the remembered letters.
        assert_eq!(fold("éũéũ"), " eueu ");
        // Too long to remember, folded each time.
        assert_eq!(fold("ﷺﷺ"), format!(" {0}{0} ", fold("ﷺ").trim()));
    }

    #[test]
    fn phrase_ignores_case_accents_and_punctuation() {
        assert!(finds("opening hours", "What are your Opening  Hours?"));
        assert!(finds("opening hours", "OPENING-hours"));
        assert!(finds("perche", "Perché?"));
        assert!(finds("citta", "la Città"));
        assert!(finds("perché", "perche"));
    }

    #[test]
    fn words_of_a_phrase_may_be_separated_by_any_punctuation_and_spacing() {
        assert!(finds("opening hours", "Opening , \n  Hours"));
        assert!(finds("when are you open", "when, are you... OPEN?"));
        assert!(!finds("opening hours", "openinghours"));
        assert!(!finds("opening hours", "opening the hours"));
        assert!(!finds("opening hours", "opening hoursday"));
        assert!(finds("opening hour*", "opening hoursday"));
    }

    #[test]
    fn a_phrase_is_found_after_a_false_start() {
        assert!(finds("new order", "new orders, new order"));
        assert!(finds("order", "border, order"));
        assert!(finds("i forgot my", "I forgot, I forgot my keys"));
        assert!(!finds("i forgot my", "hi forgot my"));
        assert!(!finds("i forgot my", "i forgot myself"));
        assert!(finds("i forgot my*", "i forgot myself"));
    }

    #[test]
    fn a_word_matches_whole_words_only() {
        assert!(finds("order", "new order please"));
        assert!(finds("order", "order"));
        assert!(!finds("order", "border control"));
        assert!(!finds("order", "two orders"));
    }

    #[test]
    fn a_trailing_star_matches_word_prefixes() {
        assert!(finds("order*", "two orders"));
        assert!(finds("order*", "ordering now"));
        assert!(finds("order*", "order"));
        assert!(!finds("order*", "border"));
    }

    #[test]
    fn a_phrase_is_found_after_megabytes_without_a_space() {
        let text = "x".repeat(5_000_000) + " opening hours";
        assert!(finds("opening hours", &text));
        assert!(!finds("opening hours", &"openinghours".repeat(500_000)));
    }

    #[test]
    fn a_phrase_is_found_after_a_hundred_thousand_brackets_and_tags() {
        assert!(finds("opening hours", &("(".repeat(100_000) + "opening hours")));
        assert!(finds("opening hours", &("<>".repeat(100_000) + "opening<> hours")));
        assert!(!finds("opening hours", &"opening (".repeat(100_000)));
    }

    #[test]
    fn phrases_without_letters_or_with_inner_stars_are_refused() {
        assert_eq!(Phrase::new("?!"), Err(PhraseError::Empty("?!".into())));
        assert_eq!(Phrase::new("a*b"), Err(PhraseError::MisplacedStar("a*b".into())));
    }
}
