//! The words of a request as the event reader walks them: lower case, accents off, each with where
//! it stands, so that a number can be told from a clock time ("for 30" against "for 20:30") by what
//! follows it, and a phrase from the same words across a full stop.

use crate::supply::extract::numbers;

/// The words of a text, in order, and the text between them.
pub(super) struct Words<'t> {
    text: &'t str,
    spans: Vec<(usize, usize)>,
    folded: Vec<&'t str>,
}

/// A number read at a word: its value, how many words it took, and whether it is a round guess
/// ("una trentina", "25-30").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Number {
    pub value: u32,
    pub words: usize,
    pub approximate: bool,
}

impl<'t> Words<'t> {
    /// The words of `text`, which is already [`crate::text::plain`]: letters, digits and the hyphens
    /// inside a word ("2-day", "25-30", "twenty-five") make a word; anything else parts them.
    pub(super) fn new(text: &'t str) -> Words<'t> {
        let spans = spans(text);
        let folded = spans.iter().map(|&(from, to)| &text[from..to]).collect();
        Words { text, spans, folded }
    }

    pub(super) fn len(&self) -> usize {
        self.folded.len()
    }

    /// The word at `i`, or "" past the end.
    pub(super) fn word(&self, i: usize) -> &'t str {
        self.folded.get(i).copied().unwrap_or("")
    }

    /// Whether the words from `i` on are `phrase`'s words.
    pub(super) fn phrase_at(&self, i: usize, phrase: &str) -> bool {
        phrase.split(' ').enumerate().all(|(n, word)| self.word(i + n) == word)
    }

    /// The text between the word at `i` and the next one: where a "," or ":" stands.
    pub(super) fn gap_after(&self, i: usize) -> &'t str {
        let Some(&(_, end)) = self.spans.get(i) else { return "" };
        let next = self.spans.get(i + 1).map_or(self.text.len(), |&(start, _)| start);
        &self.text[end..next]
    }

    /// Whether the words `from..to` stand in one clause: no punctuation parts them.
    pub(super) fn one_clause(&self, from: usize, to: usize) -> bool {
        (from..to).all(|i| self.gap_after(i).chars().all(|c| c == ' ' || c == '-'))
    }

    /// A number at `i`: digits ("30"), a span of them ("25-30", read as its upper end), words
    /// ("thirty", "venticinque", "a dozen") or a round number ("una trentina", "a couple of dozen").
    /// Not a clock time, a date or a decimal: "20:30", "12/3", "2.5" and "1,5" are no count.
    pub(super) fn number(&self, i: usize) -> Option<Number> {
        let word = self.word(i);
        if word.chars().all(|c| c.is_ascii_digit()) && !word.is_empty() {
            let gap = self.gap_after(i);
            let joined =
                gap.starts_with([':', '/', '.', ',']) && self.word(i + 1).starts_with(char::is_numeric);
            let value = word.parse::<u32>().ok().filter(|v| (1..10_000).contains(v))?;
            return (!joined).then_some(Number { value, words: 1, approximate: false });
        }
        if let Some((low, high)) = word.split_once('-')
            && let (Ok(low), Ok(high)) = (low.parse::<u32>(), high.parse::<u32>())
        {
            return (low < high && high < 10_000).then_some(Number {
                value: high,
                words: 1,
                approximate: true,
            });
        }
        if let Some(value) = round(word) {
            return Some(Number { value, words: 1, approximate: true });
        }
        let rest: Vec<&str> = self.folded[i.min(self.len())..].iter().take(4).copied().collect();
        let (value, words) = numbers::in_words(&rest)?;
        Some(Number { value, words, approximate: false })
    }
}

/// The Italian round numbers: "una decina", "una trentina di persone".
fn round(word: &str) -> Option<u32> {
    const ROUND: [(&str, u32); 11] = [
        ("decina", 10),
        ("quindicina", 15),
        ("ventina", 20),
        ("trentina", 30),
        ("quarantina", 40),
        ("cinquantina", 50),
        ("sessantina", 60),
        ("settantina", 70),
        ("ottantina", 80),
        ("novantina", 90),
        ("centinaio", 100),
    ];
    ROUND.iter().find(|(w, _)| *w == word).map(|(_, n)| *n)
}

/// Where the words of `text` stand: runs of letters and digits, with the hyphens inside a word.
pub(super) fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let inside = c.is_alphanumeric() || (c == '-' && start.is_some());
        match (inside, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                let word = text[from..at].trim_end_matches('-');
                spans.push((from, from + word.len()));
                start = None;
            }
            _ => {}
        }
    }
    spans
}
