//! Cues: lists of words and phrases, matched as whole words in folded text, each match kept as
//! evidence in the message's own words.
//!
//! A cue list is one regex of alternatives, built once, so a message is scanned once per list in
//! time proportional to its length. The lists are files in `cues/`, one phrase a line, so that words
//! are read and changed as words, not as code. Phrases are written folded (lower case, no accents,
//! `'` for any apostrophe); a trailing `*` makes a prefix ("cancel*" is "cancelled", "cancellation").

use regex::Regex;

/// A compiled list of phrases.
pub(crate) struct Cues(Regex);

impl Cues {
    /// Compiles `phrases`; they are the program's own, so a mistake in them is a bug.
    pub(crate) fn new(phrases: &[&str]) -> Cues {
        let alternatives: Vec<String> = phrases
            .iter()
            .map(|phrase| {
                let (stem, prefix) = match phrase.strip_suffix('*') {
                    Some(stem) => (stem, true),
                    None => (*phrase, false),
                };
                let words: Vec<String> = stem.split(' ').map(regex::escape).collect();
                format!("{}{}", words.join(r"\s+"), if prefix { r"\w*" } else { "" })
            })
            .collect();
        let pattern = format!(r"\b(?:{})\b", alternatives.join("|"));
        Cues(crate::regexes::built_in_sized(&pattern, 1 << 24))
    }

    /// Compiles a list file of the program's own: one phrase a line, `#` comments and blank lines
    /// left out.
    pub(crate) fn list(file: &str) -> Cues {
        let phrases: Vec<&str> =
            file.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#')).collect();
        Cues::new(&phrases)
    }

    /// The first phrase of the list in `text`, as written there.
    pub(crate) fn find<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.0.find(text).map(|m| m.as_str())
    }

    /// How many phrases of the list `text` holds, counting each distinct one once, at most `most`.
    pub(crate) fn count(&self, text: &str, most: usize) -> usize {
        let mut seen: Vec<&str> = Vec::new();
        for found in self.0.find_iter(text) {
            if !seen.contains(&found.as_str()) {
                seen.push(found.as_str());
                if seen.len() == most {
                    break;
                }
            }
        }
        seen.len()
    }
}

/// `text` folded for cues: [`crate::text::plain`], with runs of spaces one space; lines kept.
pub(crate) fn fold(text: &str) -> String {
    let plain = crate::text::plain(text);
    let mut folded = String::with_capacity(plain.len());
    for line in plain.split('\n') {
        let mut words = line.split_whitespace();
        if let Some(first) = words.next() {
            folded.push_str(first);
            for word in words {
                folded.push(' ');
                folded.push_str(word);
            }
        }
        folded.push('\n');
    }
    folded.pop();
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_matches_whole_words_across_spaces_and_accents() {
        let cues = Cues::new(&["fuori ufficio", "cancel*"]);
        assert_eq!(cues.find(&fold("Sono  FUORI\u{a0}ufficio")), Some("fuori ufficio"));
        assert_eq!(cues.find(&fold("we cancelled it")), Some("cancelled"));
        assert_eq!(Cues::new(&["order"]).find("recorder"), None);
    }

    #[test]
    fn folding_drops_accents_and_plains_apostrophes() {
        assert_eq!(fold("Perché l\u{2019}ordine È"), "perche l'ordine e");
    }

    #[test]
    fn count_counts_each_distinct_phrase_once() {
        let cues = Cues::new(&["win", "prize"]);
        assert_eq!(cues.count("win win prize win", 5), 2);
    }
}
