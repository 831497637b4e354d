//! Text made comparable: case, accents and punctuation set aside, the way people expect
//! `subject = "perche"` to find "Perché?" and "martedi" to be read as "martedì". Every reader of words
//! (rules, the time reader, the order reader, the cue lists) folds through here, so they agree on what
//! counts as the same word.
//!
//! [`fold`] is for matching whole words and phrases: compatibility decomposition (NFKD), combining
//! marks dropped, lower case, and every character that is neither a letter nor a digit turned into a
//! space, with a space at each end. Runs of separators are left as they are rather than collapsed:
//! collapsing is a byte-by-byte loop that cost more than all the searches of a rule set together.
//! [`plain`] keeps punctuation, for readers that cut the text into words themselves.

use unicode_normalization::UnicodeNormalization;
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
    // Folding writes ASCII bytes and whole UTF-8 characters, so the bytes are always UTF-8.
    *out = String::from_utf8(folded).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
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

/// `text` in lower case, with accents taken off (`Martedì` → `martedi`) and typographic apostrophes
/// (’ ‘ ` ´ ʼ) and dashes (– —) made plain; everything else, spacing and punctuation included, kept.
pub fn plain(text: &str) -> String {
    // The typographic marks first: a decomposed ´ would be a space and a dropped accent.
    let typed = text.chars().map(|c| match c {
        '\u{2019}' | '\u{2018}' | '\u{02bc}' | '`' | '\u{b4}' => '\'',
        '\u{2013}' | '\u{2014}' => '-',
        c => c,
    });
    typed.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// The first `most` rows of a CSV file, each cell trimmed: commas, semicolons or tabs, whichever its
/// first line uses most (a spreadsheet saved in Italy writes semicolons), a byte-order mark and bad
/// UTF-8 forgiven, rows of any length kept. What a person attaches as "the list" is read as well as
/// it can be; a row the CSV reader cannot read is left out.
pub fn csv_rows(bytes: &[u8], most: usize) -> Vec<Vec<String>> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    reader
        .records()
        .take(most)
        .filter_map(Result::ok)
        .map(|record| record.iter().map(|cell| cell.trim().to_owned()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn plain_text_loses_case_and_accents_and_keeps_punctuation() {
        assert_eq!(plain("Martedì, 3 Dicembre"), "martedi, 3 dicembre");
        assert_eq!(plain("l’ufficio – ﬁne"), "l'ufficio - fine");
    }
}
