//! What a venue's answer to the office's request for a day and a quote says: whether it can host
//! the event, its price and what the price is for, and until when it holds the day. Read from the
//! new text of the answer (the quoted request below it must not count), in English and Italian.
//! Whatever is not clear is left unread: the desk then passes the answer to the organiser and
//! confirms nothing on it.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use rust_decimal::Decimal;

use super::venue::{Basis, Quote};
use crate::supply::money::{Currency, Money};
use crate::text::{fold, plain};

/// Whether the venue can host the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Available,
    NotAvailable,
    /// It says both, neither, or that it will answer later.
    Unclear,
}

/// A venue's answer as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueAnswer {
    pub availability: Availability,
    /// Its price, when it writes exactly one amount and says what it is for.
    pub quote: Option<Quote>,
    /// It writes amounts clerk cannot take as one price (several, or one without what it is for).
    pub price_unclear: bool,
    /// Until when it holds the day.
    pub option_until: Option<NaiveDate>,
}

/// Phrases that say the venue cannot host the event (folded).
const NOT_AVAILABLE: &[&str] = &[
    "not available",
    "unavailable",
    "no availability",
    "not free",
    "fully booked",
    "already booked",
    "booked up",
    "we are full",
    "cannot host",
    "can t host",
    "cannot accommodate",
    "can t accommodate",
    "unable to host",
    "unable to accommodate",
    "non e disponibile",
    "non siamo disponibili",
    "non disponibile",
    "non disponibili",
    "non abbiamo disponibilita",
    "nessuna disponibilita",
    "non e libera",
    "non e libero",
    "al completo",
    "gia prenotata",
    "gia prenotato",
    "gia occupata",
    "gia occupato",
    "non possiamo ospitar",
];

/// Phrases that say it can (folded); a trailing space makes a whole word.
const AVAILABLE: &[&str] = &[
    "available ",
    "we can host",
    "happy to host",
    "pleased to host",
    "glad to host",
    "we can accommodate",
    "is free ",
    "is still free",
    "are free ",
    "disponibile ",
    "disponibili ",
    "confermiamo la disponibilita",
    "abbiamo disponibilita",
    "siamo liberi",
    "e libera",
    "e ancora libera",
    "possiamo ospitar",
    "lieti di ospitar",
    "felici di ospitar",
];

/// Phrases that say the answer is still to come, or that name the request rather than answer it.
const PENDING: &[&str] = &[
    "will check",
    "we ll check",
    "let you know",
    "get back to you",
    "come back to you",
    "verifich",
    "faremo sapere",
    "vi aggiorn",
    "vi ricontatt",
    "appena possibile",
];

/// Words that name the request, not an answer to it ("your availability request").
const ABOUT_THE_REQUEST: &[&str] =
    &["availability request", "request for availability", "richiesta di disponibilita", "check availability"];

/// Words after an amount that say it is per person (folded).
const PER_PERSON: &[&str] = &[
    "per person",
    "a person",
    "per head",
    "a head",
    "per guest",
    "each",
    "pp",
    "p p",
    "a persona",
    "per persona",
    "a testa",
    "per ospite",
    "a coperto",
    "al coperto",
    "per coperto",
    "cad",
];

const PER_DAY: &[&str] =
    &["per day", "a day", "daily", "al giorno", "per giorno", "a giornata", "per giornata", "al di"];

const TOTAL: &[&str] = &[
    "total",
    "in total",
    "totale",
    "in tutto",
    "complessivi",
    "complessivo",
    "tutto compreso",
    "forfait",
    "for the whole",
    "for everything",
    "all inclusive",
    "for the event",
    "per l evento",
];

/// Words before the day a venue holds the office's option until.
const OPTION: &[&str] = &[
    "option", "opzione", "hold", "valid", "valida", "bloccat", "until", "till", "entro", "fino al", "fino a",
    "by ",
];

/// An amount of money: `€ 35`, `35,00 €`, `EUR 1.200`, `1,200.50 euro`, `35 euros`.
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"(?:(?:€|\beur\b|\beuro\b)\s*([0-9][0-9.,]*[0-9]|[0-9]))|(?:\b([0-9][0-9.,]*[0-9]|[0-9])\s*(?:€|eur\b|euro\b|euros\b))",
    )
});

/// Reads the answer's new text `text`, written `today` (the office's date); amounts are in
/// `currency`, the venue's.
pub fn read(text: &str, today: NaiveDate, currency: Currency) -> VenueAnswer {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with('>')).take(60).collect();
    let text = lines.join("\n");
    let folded = words(&text);
    let availability = availability(&folded);
    let (quote, price_unclear) = price(&plain(&text), currency);
    VenueAnswer { availability, quote, price_unclear, option_until: option_until(&text, today) }
}

/// `text` folded with single spaces, a space before and after.
fn words(text: &str) -> String {
    format!(" {} ", fold(text).split_whitespace().collect::<Vec<_>>().join(" "))
}

fn availability(folded: &str) -> Availability {
    if PENDING.iter().any(|p| folded.contains(p)) {
        return Availability::Unclear;
    }
    let mut rest = folded.to_owned();
    let mut not = false;
    for phrase in NOT_AVAILABLE {
        if rest.contains(phrase) {
            not = true;
            rest = rest.replace(phrase, " ");
        }
    }
    for phrase in ABOUT_THE_REQUEST {
        rest = rest.replace(phrase, " ");
    }
    let yes = AVAILABLE.iter().any(|p| rest.contains(&format!(" {p}")));
    match (yes, not) {
        (true, false) => Availability::Available,
        (false, true) => Availability::NotAvailable,
        _ => Availability::Unclear,
    }
}

/// The one price `text` (lower case) writes, with what it is for; or whether amounts are written
/// that make no one price.
fn price(text: &str, currency: Currency) -> (Option<Quote>, bool) {
    let mut found: Vec<(Decimal, Option<Basis>)> = Vec::new();
    for c in AMOUNT.captures_iter(text) {
        let Some(number) = c.get(1).or_else(|| c.get(2)) else { continue };
        let Some(amount) = amount(number.as_str()) else {
            return (None, true);
        };
        let whole = c.get(0).map_or(number.end(), |m| m.end());
        let after: String = text[whole..].chars().take(24).collect();
        let after = words(&after);
        // The words before it in its sentence: "the total would be EUR 1.200".
        let start = text[..number.start()].rfind(['.', '!', '?', '\n']).map_or(0, |at| at + 1);
        let before = words(&text[start..number.start()]);
        let basis = if PER_PERSON.iter().any(|p| after.starts_with(&format!(" {p} "))) {
            Some(Basis::PerPerson)
        } else if PER_DAY.iter().any(|p| after.starts_with(&format!(" {p} "))) {
            Some(Basis::PerDay)
        } else if TOTAL
            .iter()
            .any(|p| after.starts_with(&format!(" {p} ")) || before.contains(&format!(" {p} ")))
        {
            Some(Basis::Total)
        } else {
            None
        };
        if !found.contains(&(amount, basis)) {
            found.push((amount, basis));
        }
    }
    match found.as_slice() {
        [] => (None, false),
        [(amount, Some(basis))] => {
            (Some(Quote { price: Money { amount: *amount, currency }, basis: *basis }), false)
        }
        _ => (None, true),
    }
}

/// `35`, `35,50`, `35.50`, `1.200`, `1.200,00`, `1,200.00`: the last separator followed by one or
/// two digits is the decimal one; a separator followed by three is a thousands one.
fn amount(written: &str) -> Option<Decimal> {
    let (whole, fraction) = match written.rfind(['.', ',']) {
        Some(at) if (1..=2).contains(&(written.len() - at - 1)) => (&written[..at], &written[at + 1..]),
        _ => (written, ""),
    };
    let groups: Vec<&str> = whole.split(['.', ',']).collect();
    let grouped = match groups.as_slice() {
        [single] => !single.is_empty(),
        [first, rest @ ..] => (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3),
        [] => false,
    };
    if !grouped {
        return None;
    }
    let mut digits = groups.concat();
    if !fraction.is_empty() {
        digits.push('.');
        digits.push_str(fraction);
    }
    digits.parse().ok()
}

/// The day the venue holds the office's option until: a date written after "option", "until",
/// "entro", … in the same sentence.
fn option_until(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    for sentence in text.split(['.', '!', '?', ';', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        let lower = plain(sentence);
        let Some(at) = OPTION.iter().filter_map(|k| lower.find(k).map(|i| i + k.len())).min() else {
            continue;
        };
        if let Some(day) = lower.get(at..).and_then(|rest| crate::supply::words::date_in(rest, today)) {
            return Some(day);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    fn read(text: &str) -> VenueAnswer {
        super::read(text, today(), Currency::EUR)
    }

    fn euros(text: &str) -> Money {
        Money { amount: text.parse().unwrap(), currency: Currency::EUR }
    }

    #[test]
    fn an_english_yes_with_a_price_per_person_and_an_option_is_read() {
        let answer = read(
            "Dear Office Assistant,\n\nthank you for your request. We are happy to confirm that the dining room \
             is available on Friday 18 December for your group of 25.\nOur Christmas menu is €35.00 per person, \
             drinks included. We can hold the option until 14 December.\n\nKind regards,\nEnzo",
        );
        assert_eq!(answer.availability, Availability::Available);
        assert_eq!(answer.quote, Some(Quote { price: euros("35.00"), basis: Basis::PerPerson }));
        assert_eq!(answer.option_until, NaiveDate::from_ymd_opt(2026, 12, 14));
    }

    #[test]
    fn an_italian_yes_with_a_price_per_person_is_read() {
        let answer = read(
            "Buongiorno,\nsiamo lieti di ospitarvi venerdì 18 dicembre. Il menù di Natale costa 35,00 euro a persona, \
             bevande incluse. Teniamo l'opzione fino al 14 dicembre.\nCordiali saluti\nEnzo",
        );
        assert_eq!(answer.availability, Availability::Available);
        assert_eq!(answer.quote, Some(Quote { price: euros("35.00"), basis: Basis::PerPerson }));
        assert_eq!(answer.option_until, NaiveDate::from_ymd_opt(2026, 12, 14));
    }

    #[test]
    fn a_price_for_the_whole_event_or_per_day_is_read_with_its_basis() {
        let total = read("The terrace is available. The total would be EUR 1.200,00 for the evening.");
        assert_eq!(total.quote, Some(Quote { price: euros("1200.00"), basis: Basis::Total }));
        let daily = read("La sala è disponibile per entrambi i giorni: 600 € al giorno.");
        assert_eq!(daily.quote, Some(Quote { price: euros("600"), basis: Basis::PerDay }));
    }

    #[test]
    fn a_no_in_either_language_is_read() {
        for text in [
            "I'm sorry, we are fully booked on the 18th. Would the 19th work?",
            "Purtroppo quella sera siamo al completo.",
            "Unfortunately the room is not available that evening.",
            "Ci dispiace, la sala non è disponibile il 18.",
        ] {
            assert_eq!(read(text).availability, Availability::NotAvailable, "{text}");
        }
    }

    #[test]
    fn an_answer_that_says_both_or_will_answer_later_is_unclear() {
        for text in [
            "Thanks for your availability request, we will check with the chef and let you know.",
            "Grazie, verifichiamo e vi faremo sapere.",
            "The garden is not available but the main room is available.",
            "Thank you for your email.",
        ] {
            assert_eq!(read(text).availability, Availability::Unclear, "{text}");
        }
    }

    #[test]
    fn several_prices_or_one_without_its_basis_are_left_to_the_organiser() {
        let two = read("We are available: €35 per person for the menu, plus 200 € for the room.");
        assert_eq!((two.quote, two.price_unclear), (None, true));
        let bare = read("Yes we are available, it would be 35 euros.");
        assert_eq!((bare.quote, bare.price_unclear), (None, true));
        let none = read("Yes, the room is available.");
        assert_eq!((none.quote, none.price_unclear), (None, false));
    }

    #[test]
    fn the_quoted_request_is_not_read() {
        let answer =
            read("Sorry, we are closed for holidays.\n\n> Could you tell us whether you are available");
        assert_eq!(answer.availability, Availability::Unclear);
    }
}
