//! The words of a request, cut into tokens the time grammar reads: words, numbers and marks, each
//! knowing its sentence and its clause, so that "Tuesday is impossible, but Wednesday at 10 works"
//! keeps the refused Tuesday apart from the wanted Wednesday.
//!
//! The text arrives lower-cased and without accents ([`super::normalise`]). An apostrophe ends a
//! word ("un'ora" is "un" "ora", "won't" is "won" "t"), so the grammar sees Italian elisions and
//! English contractions as the words they are.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    Number,
    /// Any other character that is not a space: `:`, `/`, `,`, `?`, `-`, `(`.
    Mark,
}

/// One token of the text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Token<'a> {
    pub text: &'a str,
    pub kind: Kind,
    /// Where it starts and ends in the text, in bytes.
    pub start: usize,
    pub end: usize,
    /// The sentence it is in, counted from 0.
    pub sentence: usize,
    /// The clause it is in, counted from 0 over the whole text: a sentence is cut at commas,
    /// brackets, dashes and at "but", "ma", "però".
    pub clause: usize,
}

/// A line at least this long that ends without a mark was wrapped by the sender's mail program: the
/// next line goes on with the same sentence ("could we meet on Thursday the 14th⏎at 10am?").
const WRAPPED_LINE: usize = 40;

/// The tokens of `text`.
pub(super) fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut found: Vec<Token<'_>> = Vec::new();
    let (mut sentence, mut clause) = (0, 0);
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut line_start = 0;
    while at < text.len() {
        let Some(c) = text[at..].chars().next() else { break };
        let width = c.len_utf8();
        if c == '\n' {
            let line = text[line_start..at].trim_end();
            let wrapped = line.len() >= WRAPPED_LINE && line.ends_with(|c: char| c.is_alphanumeric());
            if !wrapped && found.last().is_some_and(|t| t.sentence == sentence) {
                sentence += 1;
                clause += 1;
            }
            at += 1;
            line_start = at;
            continue;
        }
        if c.is_whitespace() {
            at += width;
            continue;
        }
        let run = |pred: fn(char) -> bool| {
            text[at..].char_indices().find(|(_, c)| !pred(*c)).map_or(text.len(), |(n, _)| at + n)
        };
        let (kind, end) = if c.is_ascii_digit() {
            (Kind::Number, run(|c| c.is_ascii_digit()))
        } else if c.is_alphabetic() {
            (Kind::Word, run(char::is_alphabetic))
        } else {
            (Kind::Mark, at + width)
        };
        let word = &text[at..end];
        if kind == Kind::Word && matches!(word, "but" | "ma" | "pero" | "however" | "though" | "whereas") {
            clause += 1;
        }
        found.push(Token { text: word, kind, start: at, end, sentence, clause });
        if kind == Kind::Mark {
            let next = bytes.get(end).copied();
            let ends_sentence = matches!(word, "." | "?" | "!" | ";")
                && next.is_none_or(|b| b.is_ascii_whitespace() || b == b')' || b == b'"');
            if ends_sentence {
                sentence += 1;
                clause += 1;
            } else if matches!(word, "," | "(" | ")" | "-" | ":" | "\u{2026}")
                && next.is_none_or(|b| !b.is_ascii_digit())
            {
                clause += 1;
            }
        }
        at = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, usize, usize)> {
        tokens(text).iter().map(|t| (t.text, t.sentence, t.clause)).collect()
    }

    #[test]
    fn an_apostrophe_ends_a_word() {
        let texts: Vec<&str> = tokens("un'ora, won't").iter().map(|t| t.text).collect();
        assert_eq!(texts, ["un", "'", "ora", ",", "won", "'", "t"]);
    }

    #[test]
    fn a_full_stop_between_digits_is_part_of_a_time_not_the_end_of_a_sentence() {
        let read = words("alle 15.30 va bene. grazie");
        assert_eq!(read[1..4], [("15", 0, 0), (".", 0, 0), ("30", 0, 0)]);
        assert_eq!(read.last(), Some(&("grazie", 1, 1)));
    }

    #[test]
    fn a_comma_or_but_starts_a_clause_of_the_same_sentence() {
        let read = words("tuesday is impossible, but wednesday works");
        assert_eq!(read[0], ("tuesday", 0, 0));
        assert_eq!(read.last(), Some(&("works", 0, 2)));
    }

    #[test]
    fn a_wrapped_line_goes_on_with_its_sentence_and_a_short_line_ends_one() {
        let read =
            words("following our phone call last week: could we meet on thursday\nat 10am?\nbest\nmichael");
        let at = read.iter().find(|w| w.0 == "at").map(|w| w.1);
        assert_eq!(at, Some(0));
        assert_eq!(read.last().map(|w| w.1), Some(2));
    }
}
