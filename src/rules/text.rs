//! Word and phrase matching that ignores case, accents and punctuation, the way people expect
//! `subject = "perche"` to find "Perché?".
//!
//! Both sides are folded the same way ([`crate::text::fold`]): case, accents and punctuation set
//! aside, with a space at each end. A phrase then matches where its first word occurs after a space, each further
//! word follows after one or more spaces, and a space follows the last word: whole words only, with
//! any punctuation and spacing between them. A trailing `*` lets the last word go on (a prefix).
//!
//! Folding is done once per message and field, and each phrase is a vectorised substring search for
//! its first word, with the rest checked only where that word occurs.

use std::fmt;

use crate::text::fold;

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

    /// What a folded text contains wherever the phrase is in it: its longest word (the one
    /// [`Phrase::is_in`] searches for) with the space before it, and the space after it unless it is
    /// the last word and may go on (`order*`). The rule index looks these up for every phrase of a
    /// field in one pass over the text.
    pub(crate) fn needle(&self) -> String {
        let word = self.words.get(self.anchor).map_or("", String::as_str);
        let goes_on = self.prefix && self.anchor + 1 == self.words.len();
        if goes_on { format!(" {word}") } else { format!(" {word} ") }
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
