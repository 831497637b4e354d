//! What people say to the supply desk besides orders: the manager's "approve" or "reject", a
//! colleague's "received PO-2026-0012", and the dates they write (a vendor's answer is read in
//! `vendor_answer`).
//! Read from the new text of a message (the quoted order below it must not count), in English and
//! Italian, after folding case and accents.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::calendar::phrase::{month_begun, month_in_full};
use crate::text::fold;

/// The manager's answer to a request for approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    /// With the reason, when one was given on the lines after the word.
    Reject(Option<String>),
}

/// How many lines at the top of a message are read for a verdict or a delivery: an answer written
/// further down is part of a longer message, and is left to a person.
const TOP_LINES: usize = 3;

/// The verdict the first words of `new_text` give, if any: "approve", "approved", "ok", "yes", "sì",
/// "approvato", "va bene", "go ahead", "no problem"; "reject", "cancel", "rifiutato", "respinto",
/// "annulla", "non approvato", and "no" alone or before a stop ("No.", "no, we have some").
pub fn verdict(new_text: &str) -> Option<Verdict> {
    let mut lines = new_text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    let folded = fold(first);
    let words: Vec<&str> = folded.split_whitespace().collect();
    const REJECT: &[&str] = &[
        "reject",
        "rejected",
        "refuse",
        "refused",
        "declined",
        "cancel",
        "cancelled",
        "canceled",
        "rifiutato",
        "rifiuto",
        "respinto",
        "negato",
        "annulla",
        "annullato",
        "annullare",
    ];
    const APPROVE: &[&str] = &[
        "approve",
        "approved",
        "ok",
        "okay",
        "yes",
        "si",
        "approvato",
        "approvo",
        "confermo",
        "autorizzato",
        "accepted",
    ];
    const APPROVE_TWO: &[&str] =
        &["va bene", "go ahead", "no problem", "no objection", "no objections", "nessun problema"];
    const REJECT_TWO: &[&str] = &["not approved", "non approvato", "non approvo", "do not", "don t"];
    let first_two = words.iter().take(2).copied().collect::<Vec<_>>().join(" ");
    if APPROVE_TWO.contains(&first_two.as_str()) {
        return Some(Verdict::Approve);
    }
    // "No" refuses only on its own: "no, we have paper", not "no rush, go ahead".
    let lone_no = words.first() == Some(&"no")
        && first
            .trim_start()
            .get(2..)
            .is_none_or(|rest| rest.trim_start().is_empty() || rest.starts_with([',', '.', '!', ';', ':']));
    if REJECT_TWO.contains(&first_two.as_str()) || REJECT.contains(words.first()?) || lone_no {
        let rest: Vec<&str> = std::iter::once(first).chain(lines).collect();
        let reason = rest.join("\n");
        // The reason follows the first colon, else the first comma, full stop or dash.
        let split = reason.split_once(':').or_else(|| reason.split_once([',', '.', '-']));
        let reason = split.map(|(_, r)| r.trim().to_owned()).filter(|r| !r.is_empty());
        return Some(Verdict::Reject(reason));
    }
    if APPROVE.contains(words.first()?) {
        return Some(Verdict::Approve);
    }
    None
}

/// Whether the top of `new_text` says that goods came in: "received", "arrived", "delivered",
/// "ricevuto", "arrivato", "consegnato" (and their forms).
pub fn delivered(new_text: &str) -> bool {
    const WORDS: &[&str] = &[
        "received",
        "arrived",
        "delivered",
        "came",
        "ricevuto",
        "ricevuti",
        "ricevuta",
        "ricevute",
        "arrivato",
        "arrivati",
        "arrivata",
        "arrivate",
        "consegnato",
        "consegnati",
        "consegnata",
        "consegnate",
    ];
    top(new_text).split_whitespace().any(|w| WORDS.contains(&w))
}

/// Whether `new_text` says something did not come: "missing", "not arrived", "except", "manca",
/// "non è arrivato", "tranne". A delivery note that says so is not taken for a whole delivery.
pub fn something_missing(new_text: &str) -> bool {
    let text = fold(new_text);
    [
        "missing",
        "not arrived",
        "not yet arrived",
        "did not arrive",
        "didn t arrive",
        "not delivered",
        "except",
        "apart from",
        "but not",
        "manca",
        "mancano",
        "mancante",
        "mancanti",
        "non e arrivato",
        "non sono arrivati",
        "non e arrivata",
        "non sono arrivate",
        "tranne",
        "eccetto",
        "a parte",
    ]
    .iter()
    .any(|p| text.contains(&format!(" {p} ")))
}

/// The first few lines of `text`, folded.
fn top(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(TOP_LINES).collect();
    fold(&lines.join("\n"))
}

/// A date written in `text`: `15/12/2026`, `15.12.2026`, `2026-12-15`, `15 December (2026)`,
/// `15 dicembre`; a date without a year is the next one on or after `today`.
pub fn date_in(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    // ASCII digits and word boundaries: Unicode ones would make the regex engine fall back to its
    // slowest search on text that is not ASCII, and the dates read are written in ASCII anyway.
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"(?-u)\b([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\b|\b([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4}|[0-9]{2})\b",
        )
    });
    static WORDS: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"(?i)(?-u:\b)([0-9]{1,2})(?:st|nd|rd|th)?\s+([a-z]+)(?:\s+([0-9]{4}))?(?-u:\b)",
        )
    });
    if let Some(c) = NUMERIC.captures(text) {
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i32>().ok());
        let (year, month, day) = match (n(1), n(2), n(3)) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => {
                let year = n(6)?;
                (if year < 100 { 2000 + year } else { year }, n(5)?, n(4)?)
            }
        };
        return NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?);
    }
    for c in WORDS.captures_iter(&fold(text)) {
        let month_word = &c[2];
        // Full names, or an English month's first three letters ("dec"): an Italian short form
        // could be another word ("3 set" of pens).
        let short = (month_word.len() == 3).then(|| month_begun(month_word)).flatten();
        let Some(month) = month_in_full(month_word).or(short) else {
            continue;
        };
        let day: u32 = c[1].parse().ok()?;
        return match c.get(3).and_then(|y| y.as_str().parse().ok()) {
            Some(year) => NaiveDate::from_ymd_opt(year, month, day),
            None => {
                let this_year = NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), month, day)?;
                if this_year >= today {
                    Some(this_year)
                } else {
                    NaiveDate::from_ymd_opt(chrono::Datelike::year(&today) + 1, month, day)
                }
            }
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_managers_first_word_is_the_verdict() {
        assert_eq!(verdict("Approved, thanks"), Some(Verdict::Approve));
        assert_eq!(verdict("ok"), Some(Verdict::Approve));
        assert_eq!(verdict("Sì, va bene"), Some(Verdict::Approve));
        assert_eq!(verdict("va bene"), Some(Verdict::Approve));
        assert_eq!(
            verdict("Reject: we have paper in the archive"),
            Some(Verdict::Reject(Some("we have paper in the archive".into())))
        );
        assert_eq!(verdict("No"), Some(Verdict::Reject(None)));
        assert_eq!(
            verdict("Non approvato. Troppo caro."),
            Some(Verdict::Reject(Some("Troppo caro.".into())))
        );
    }

    #[test]
    fn no_problem_is_no_refusal_and_cancel_is_one() {
        assert_eq!(verdict("No problem, go ahead"), Some(Verdict::Approve));
        assert_eq!(verdict("Nessun problema"), Some(Verdict::Approve));
        assert_eq!(verdict("no rush"), None);
        assert_eq!(
            verdict("No, we have paper in the archive"),
            Some(Verdict::Reject(Some("we have paper in the archive".into())))
        );
        assert_eq!(verdict("Cancel the rest, please."), Some(Verdict::Reject(Some("please.".into()))));
    }

    #[test]
    fn a_longer_answer_is_no_verdict() {
        assert_eq!(verdict("Can we talk about this tomorrow?\nApproved otherwise"), None);
        assert_eq!(verdict(""), None);
    }

    #[test]
    fn deliveries_are_recognised_in_both_languages() {
        assert!(delivered("Received PO-2026-0012, all there."));
        assert!(delivered("Ciao, è arrivato tutto stamattina"));
        assert!(!delivered("When will it arrive?"));
    }

    #[test]
    fn dates_without_a_year_are_the_next_ones() {
        assert_eq!(date_in("by 3 January", day(2026, 12, 7)), Some(day(2027, 1, 3)));
        assert_eq!(date_in("2026-12-15", day(2026, 12, 7)), Some(day(2026, 12, 15)));
        assert_eq!(date_in("il 9 dic", day(2026, 12, 7)), None);
    }
}
