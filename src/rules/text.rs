//! Word and phrase matching that ignores case, accents and punctuation, the way people expect
//! `subject = "perche"` to find "Perché?".
//!
//! Both sides are folded the same way: compatibility decomposition (NFKD), combining marks dropped,
//! lower case, and every run of characters that are neither letters nor digits turned into one space,
//! with a space at each end. A phrase then matches when its folded form, framed by spaces, occurs in the
//! folded text: whole words only, and a trailing `*` drops the closing space to match word prefixes.
//! Folding is done once per message and field and each search is one substring search, which keeps
//! evaluating many rules cheap.

use std::fmt;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Folds `text` into `out` (cleared first) for phrase matching: " opening hours " for "Opening-Hours?".
///
/// ASCII, the bulk of most mail, takes a fast path; other characters are decomposed one by one.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    out.reserve(text.len() + 2);
    out.push(' ');
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else {
                separate(out);
            }
        } else {
            decompose_compatible(c, |part| {
                if is_combining_mark(part) {
                    return;
                }
                if part.is_alphanumeric() {
                    out.extend(part.to_lowercase());
                } else {
                    separate(out);
                }
            });
        }
    }
    separate(out);
}

/// Folds `text` into a new string; see [`fold_into`].
pub fn fold(text: &str) -> String {
    let mut out = String::new();
    fold_into(text, &mut out);
    out
}

fn separate(out: &mut String) {
    if !out.ends_with(' ') {
        out.push(' ');
    }
}

/// A word or phrase to look for, folded at load time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// As written in the rule file, for traces.
    written: String,
    /// The folded needle: " opening hours " for a phrase, " order" for the prefix `order*`.
    needle: String,
}

/// Why a phrase cannot be matched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhraseError {
    #[error(
        "`{0}` has no letters or digits to match; use {{ regex = \"…\" }} to match punctuation"
    )]
    Empty(String),
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
        let mut needle = fold(body);
        if needle.trim().is_empty() {
            return Err(PhraseError::Empty(written.to_owned()));
        }
        if prefix {
            needle.pop();
        }
        Ok(Phrase {
            written: written.to_owned(),
            needle,
        })
    }

    /// Whether the phrase occurs in `folded`, a text folded with [`fold_into`].
    pub fn is_in(&self, folded: &str) -> bool {
        folded.contains(self.needle.as_str())
    }

    /// The phrase as written in the rule file.
    pub fn written(&self) -> &str {
        &self.written
    }
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
        assert_eq!(fold("Opening  Hours?"), " opening hours ");
        assert_eq!(fold("OPENING-hours"), " opening hours ");
        assert_eq!(fold("Perché la Città…"), " perche la citta ");
        assert_eq!(fold(""), " ");
        assert_eq!(fold("ﬁle №5"), " file no5 ");
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
    fn phrases_without_letters_or_with_inner_stars_are_refused() {
        assert_eq!(Phrase::new("?!"), Err(PhraseError::Empty("?!".into())));
        assert_eq!(
            Phrase::new("a*b"),
            Err(PhraseError::MisplacedStar("a*b".into()))
        );
    }
}
