//! The signature at the end of what a person wrote, split off the way a reader skips it.
//!
//! Few people write the "-- " separator mail clients know (which [`new_text`](super::new_text)
//! already cuts at); most end with a closing ("Best regards," "Cordiali saluti,") and their name,
//! title, company and phone, on lines of their own or run together on one line. Some sign with a
//! block of name and contact lines and no closing at all. Either is split off here, but only when
//! what follows the closing looks like a signature (a few short lines), so a closing in the middle of
//! a message ("Saluti a Marco, e poi: …") leaves the text whole.

use std::sync::LazyLock;

use regex::Regex;

/// A line that closes a letter, alone or followed by the name on the same line ("Cordiali saluti,
/// Anna Ricci").
static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"(?ix)^(?:
            (?:with\s+)?(?:best|kind|kindest|warm|warmest|many)\s+(?:regards|wishes|thanks)
          | (?:best|kind|warm)\s+regards
          | regards | best | cheers | sincerely | yours\s+(?:sincerely|faithfully|truly)
          | all\s+the\s+best | thanks\s+and\s+regards | thank\s+you\s+and\s+regards
          | (?:cordiali|distinti|cari|molti|tanti)\s+saluti | saluti(?:\s+cordiali)?
          | (?:un\s+)?cordiale\s+saluto | un\s+saluto | buona\s+giornata | a\s+presto
          | ringraziando(?:\s+anticipatamente)?,?\s+(?:porgo\s+)?(?:cordiali\s+|distinti\s+)?saluti
          | in\s+attesa\s+di\s+(?:un\s+)?(?:vostro|suo|tuo)\s+(?:cortese\s+)?riscontro,?\s+(?:porgo\s+)?(?:cordiali\s+|distinti\s+)?saluti
        )(?:\s*[,.!]?\s*$|\s*[,.!]\s*(?P<rest>(?-i:\p{Lu}).*)$)",
    )
});

/// A line of contact details: a phone number, an address of mail or of the web.
static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"(?ix)
          (?:^|\b)(?:tel|phone|mobile|mob|cell|cellulare|telefono|fax|ph|t|m)\b\.?\s*:?\s*\+?[\d(]
        | \+\d[\d\s./()-]{6,}
        | \b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b
        | \b(?:https?://|www\.)\S+
        ",
    )
});

/// The most lines a signature has after its closing (name, title, company, address, phones, web).
const SIGNATURE_LINES: usize = 8;

/// The longest line a signature has: a title, a company's name with its address.
const SIGNATURE_LINE_BYTES: usize = 100;

/// `text` without the signature at its end: from a closing followed only by a few short lines, or a
/// block of short name and contact lines at the very end. Nothing is cut when nothing would be left
/// above the signature: a message that is only a closing and a name says that much.
pub fn without_signature(text: &str) -> &str {
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line.trim()))
        })
        .collect();
    let cut = closing_at(&lines).or_else(|| contact_block_at(&lines));
    match cut {
        Some(at) if !text[..at].trim().is_empty() => text[..at].trim_end(),
        _ => text,
    }
}

/// Where the first closing starts that only a signature follows.
fn closing_at(lines: &[(usize, &str)]) -> Option<usize> {
    lines.iter().enumerate().find_map(|(i, (start, line))| {
        if line.len() > SIGNATURE_LINE_BYTES * 2 {
            return None;
        }
        let found = CLOSING.captures(line)?;
        let same_line = found.name("rest").map_or("", |rest| rest.as_str());
        let after: Vec<&str> = lines[i + 1..].iter().map(|(_, l)| *l).filter(|l| !l.is_empty()).collect();
        // A name, a title, a phone: not a list, a question or a line that introduces more.
        let short = |l: &&str| {
            l.len() <= SIGNATURE_LINE_BYTES
                && !l.starts_with(['-', '*', '•', '>'])
                && !l.ends_with(['?', ':'])
        };
        (same_line.len() <= SIGNATURE_LINE_BYTES * 2
            && after.len() <= SIGNATURE_LINES
            && after.iter().all(short))
        .then_some(*start)
    })
}

/// Where a signature without a closing starts: the last lines of the text, each short, the first a
/// name, and among them a phone or an address.
fn contact_block_at(lines: &[(usize, &str)]) -> Option<usize> {
    let written: Vec<&(usize, &str)> = lines.iter().filter(|(_, l)| !l.is_empty()).collect();
    let tail = written.len().min(SIGNATURE_LINES + 1);
    let block = &written[written.len() - tail..];
    // The longest run of short lines at the end.
    let first_short = block.iter().rposition(|(_, l)| l.len() > SIGNATURE_LINE_BYTES).map_or(0, |at| at + 1);
    let block = &block[first_short..];
    let starts = block.iter().position(|(_, l)| is_name(l))?;
    let block = &block[starts..];
    // "Please call back:\nAnna Verdi\n+39 …" gives a contact as the message's content: a line
    // that introduces the block makes it no signature.
    let before = written.iter().take_while(|(at, _)| *at < block[0].0).last();
    if before.is_some_and(|(_, l)| l.ends_with(':')) {
        return None;
    }
    block.iter().skip(1).any(|(_, l)| CONTACT.is_match(l)).then(|| block[0].0)
}

/// Whether `line` looks like a person's name: two to four capitalised words, nothing else.
fn is_name(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            chars.next().is_some_and(char::is_uppercase)
                && chars.all(|c| c.is_alphabetic() || c == '\'' || c == '-' || c == '.')
        })
}

#[cfg(test)]
mod tests {
    use super::without_signature;

    const SIGNED: &[(&str, &str, &str)] = &[
        (
            "an Italian closing run together with the name",
            "Passo la pratica all'amministrazione.\n\nCordiali saluti, Anna Ricci, Ufficio Vendite, tel. 02 1234567\n",
            "Passo la pratica all'amministrazione.",
        ),
        (
            "an Italian closing, name and title on lines of their own",
            "Il preventivo è in allegato.\n\nCordiali saluti\nAnna Ricci\nResponsabile vendite\nTel. +39 02 1234567\n",
            "Il preventivo è in allegato.",
        ),
        (
            "an English closing and a company block",
            "The chairs ship on Monday.\n\nKind regards,\n\nMario Verdi\nSales Manager | Office Ltd\nM: +44 7700 900123\nwww.office.example\n",
            "The chairs ship on Monday.",
        ),
        ("a short closing", "See you then.\nBest,\nTom\n", "See you then."),
        (
            "a contact block without a closing",
            "Please send the invoice to accounts.\n\nGiulia Bianchi\nAmministrazione\ngiulia.bianchi@office.example\n+39 06 555 0101\n",
            "Please send the invoice to accounts.",
        ),
        (
            "the long Italian closing",
            "Vi chiedo un preventivo per 40 sedie.\nIn attesa di un vostro cortese riscontro, porgo distinti saluti.\nLuca Neri\n",
            "Vi chiedo un preventivo per 40 sedie.",
        ),
    ];

    #[test]
    fn each_kind_of_signature_is_split_off() {
        for (case, text, expected) in SIGNED {
            assert_eq!(without_signature(text), *expected, "{case}");
        }
    }

    #[test]
    fn a_closing_followed_by_more_of_the_message_is_not_a_signature() {
        let text = "Regards to Marco.\nAnd then: could the delivery come on Tuesday instead of Monday, since the \
                    warehouse is closed on Monday for the inventory and nobody would be there to sign?\n";
        assert_eq!(without_signature(text), text);
    }

    #[test]
    fn a_line_that_only_starts_with_a_closing_word_is_text() {
        let text = "We need chairs for the hall.\nBest offer wins, as last year.\n";
        assert_eq!(without_signature(text), text);
    }

    #[test]
    fn a_closing_word_over_a_list_is_text() {
        let text = "Which do you prefer?\nBest\n- 40 chairs\n- 20 tables\n";
        assert_eq!(without_signature(text), text);
    }

    #[test]
    fn a_phone_number_written_in_a_sentence_is_not_a_signature() {
        let text = "Please call me back.\nMy number is +39 333 1234567, any time after 3pm.\n";
        assert_eq!(without_signature(text), text);
    }

    #[test]
    fn a_contact_the_message_introduces_is_text_not_a_signature() {
        let text = "Please call the customer back:\nAnna Verdi\n+39 333 1234567\n";
        assert_eq!(without_signature(text), text);
    }

    #[test]
    fn a_message_that_is_only_a_closing_and_a_name_is_left_whole() {
        assert_eq!(without_signature("Cordiali saluti\nAnna Ricci\n"), "Cordiali saluti\nAnna Ricci\n");
    }
}
