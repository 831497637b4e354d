//! Where an event is held, as the office arranges it: an office room booked in its calendar, or an
//! external venue asked by mail for the day and a quote, its answer, and the organiser's
//! confirmation; and the organiser's "confirm" read from their own words.
//!
//! One [`VenueBooking`] per place and first day: a venue is asked once for a day, and asked again
//! only for another day.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::supply::money::Money;
use crate::text::fold;

/// Where the arrangement with one place stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VenueState {
    /// The office wrote to the venue for the day and a quote; no answer yet.
    Asked,
    /// The venue can host the event; the organiser is to confirm.
    Offered,
    /// The venue cannot host it that day.
    Declined,
    /// The venue answered, but clerk could not tell whether it can host the event: the organiser
    /// read its answer and decides; nothing is confirmed on it.
    Unclear,
    /// The organiser confirmed and the venue was sent the confirmation.
    Confirmed,
    /// An office room, booked in its calendar.
    Booked,
    /// An office room booked earlier and given up: the event moved to another day or place, or the
    /// room was taken at its new time.
    Released,
}

impl VenueState {
    pub const ALL: [VenueState; 7] = [
        VenueState::Asked,
        VenueState::Offered,
        VenueState::Declined,
        VenueState::Unclear,
        VenueState::Confirmed,
        VenueState::Booked,
        VenueState::Released,
    ];

    /// Its name in the store, in templates and in `clerk event`.
    pub fn as_str(self) -> &'static str {
        match self {
            VenueState::Asked => "asked",
            VenueState::Offered => "offered",
            VenueState::Declined => "declined",
            VenueState::Unclear => "unclear",
            VenueState::Confirmed => "confirmed",
            VenueState::Booked => "booked",
            VenueState::Released => "released",
        }
    }

    /// The state named `name` ([`VenueState::as_str`]).
    pub fn named(name: &str) -> Option<VenueState> {
        VenueState::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// What a price is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The whole event.
    Total,
    PerPerson,
    PerDay,
}

impl Basis {
    /// Its name in the store and in templates.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Total => "total",
            Basis::PerPerson => "person",
            Basis::PerDay => "day",
        }
    }

    pub fn named(name: &str) -> Option<Basis> {
        [Basis::Total, Basis::PerPerson, Basis::PerDay].into_iter().find(|b| b.as_str() == name)
    }
}

/// A venue's price: an amount and what it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    pub price: Money,
    pub basis: Basis,
}

impl Quote {
    /// What the event costs at this price for `people` over `days`.
    pub fn cost(&self, people: u32, days: u32) -> Money {
        let times = match self.basis {
            Basis::Total => Decimal::ONE,
            Basis::PerPerson => Decimal::from(people),
            Basis::PerDay => Decimal::from(days.max(1)),
        };
        Money { amount: self.price.amount.saturating_mul(times), currency: self.price.currency }
    }
}

/// The office's arrangement with one place for one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueBooking {
    /// The `[[venue]]`'s or `[[room]]`'s name.
    pub place: String,
    /// An office room (booked in its calendar) rather than an external venue (asked by mail).
    pub room: bool,
    /// The event's first day, on the office's clock, as asked or booked.
    pub day: NaiveDate,
    pub state: VenueState,
    /// The venue's price, from its answer or else from office.toml.
    pub quote: Option<Quote>,
    /// What the event costs there for its headcount, when the price says.
    pub cost: Option<Money>,
    /// Until when the venue holds the day for the office, when its answer says.
    pub option_until: Option<NaiveDate>,
    /// Clerk's mail to the venue (the request, then the confirmation).
    pub sent_id: Option<String>,
    /// The venue's last answer.
    pub answer_id: Option<String>,
    /// When the room was booked or the venue confirmed (unix seconds): the month its cost is spent
    /// in.
    pub committed_at: Option<i64>,
    /// Unix seconds.
    pub updated_at: i64,
}

/// What an organiser's words say of confirming the offered venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// "Confirm", "book it", "conferma", "prenota pure".
    Confirm,
    /// A confirmation denied or asked about: "don't book it yet", "should we confirm?". Nothing is
    /// done.
    NotYet,
}

/// Words that confirm: a verb, or a verb of two words.
const CONFIRM: &[&[&str]] = &[
    &["confirm"],
    &["book"],
    &["go", "ahead"],
    &["proceed"],
    &["conferma"],
    &["confermo"],
    &["confermiamo"],
    &["confermate"],
    &["prenota"],
    &["prenotala"],
    &["prenotalo"],
    &["prenotiamo"],
    &["prenotate"],
    &["prenotare"],
    &["confermare"],
    &["procedi"],
    &["procediamo"],
    &["vai", "pure"],
    &["vai", "avanti"],
];

/// Words that may stand around a confirmation without changing it: "yes, please book it", "ok
/// confermo pure la trattoria, grazie".
const AROUND: &[&str] = &[
    "yes",
    "ok",
    "okay",
    "fine",
    "great",
    "perfect",
    "good",
    "please",
    "then",
    "let",
    "lets",
    "us",
    "s",
    "you",
    "can",
    "it",
    "the",
    "venue",
    "place",
    "room",
    "booking",
    "offer",
    "that",
    "one",
    "this",
    "thanks",
    "thank",
    "and",
    "with",
    "them",
    "si",
    "va",
    "bene",
    "perfetto",
    "ottimo",
    "allora",
    "pure",
    "puoi",
    "grazie",
    "la",
    "il",
    "lo",
    "l",
    "sala",
    "locale",
    "prenotazione",
    "offerta",
    "quella",
    "quello",
    "con",
    "loro",
    "e",
    "per",
    "favore",
    "cortesia",
    "mille",
];

/// Words that deny or defer.
const NOT: &[&str] = &[
    "not",
    "don",
    "dont",
    "t",
    "no",
    "never",
    "wait",
    "yet",
    "hold",
    "non",
    "ancora",
    "aspetta",
    "aspettiamo",
    "mai",
    "niente",
    "nulla",
    "before",
    "prima",
];

/// Reads the organiser's new text for a confirmation of the venue named `venue`. Each sentence is
/// read on its own: one that carries a confirming verb confirms when nothing but courtesy and the
/// venue's name stands around it ("I confirm we'll be 25" confirms the headcount, not the venue);
/// a denial or a question makes it [`Command::NotYet`]. None when no sentence speaks of confirming.
pub fn command(text: &str, venue: &str) -> Option<Command> {
    let venue = fold(venue);
    let venue_words: Vec<&str> = venue.split_whitespace().collect();
    let mut found = None;
    for (sentence, question) in sentences(text) {
        let folded = fold(&sentence);
        let words: Vec<&str> = folded.split_whitespace().collect();
        let Some((at, long)) = (0..words.len())
            .find_map(|i| CONFIRM.iter().find(|v| words[i..].starts_with(v)).map(|v| (i, v.len())))
        else {
            continue;
        };
        if question || words.iter().any(|w| NOT.contains(w)) {
            return Some(Command::NotYet);
        }
        let plain = words
            .iter()
            .enumerate()
            .filter(|(i, _)| !(at..at + long).contains(i))
            .all(|(_, w)| AROUND.contains(w) || venue_words.contains(w));
        if plain {
            found = Some(Command::Confirm);
        }
    }
    found
}

/// The sentences of `text`, each with whether it asks (ends with a question mark). Quoted lines are
/// no sentences of the writer's.
fn sentences(text: &str) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    let mut current = String::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('>')) {
        for c in line.chars().chain(std::iter::once('\n')) {
            if matches!(c, '.' | '!' | '?' | '\n' | ';') {
                if !current.trim().is_empty() {
                    found.push((std::mem::take(&mut current), c == '?'));
                }
                current.clear();
            } else {
                current.push(c);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENZO: &str = "Trattoria da Enzo";

    #[test]
    fn a_plain_confirmation_in_english_confirms() {
        for text in
            ["Confirm", "Yes, please book it.", "OK, go ahead!", "Great, confirm Trattoria da Enzo. Thanks"]
        {
            assert_eq!(command(text, ENZO), Some(Command::Confirm), "{text}");
        }
    }

    #[test]
    fn a_plain_confirmation_in_italian_confirms() {
        for text in [
            "Conferma pure, grazie.",
            "Perfetto, prenota pure",
            "Ok, confermo la trattoria da Enzo.",
            "Sì, vai pure",
        ] {
            assert_eq!(command(text, ENZO), Some(Command::Confirm), "{text}");
        }
    }

    #[test]
    fn a_denied_or_deferred_confirmation_does_not_confirm() {
        for text in [
            "Don't book it yet.",
            "Please do not confirm before Friday",
            "Non prenotare ancora",
            "Aspetta, non confermare",
        ] {
            assert_eq!(command(text, ENZO), Some(Command::NotYet), "{text}");
        }
    }

    #[test]
    fn a_question_about_confirming_does_not_confirm() {
        for text in ["Should we confirm?", "Can you book it for 30 instead?", "Confermiamo?"] {
            assert_eq!(command(text, ENZO), Some(Command::NotYet), "{text}");
        }
    }

    #[test]
    fn confirming_something_else_is_no_confirmation_of_the_venue() {
        assert_eq!(command("I confirm we'll be 25 people.", ENZO), None);
        assert_eq!(command("Confermo che saremo in 25.", ENZO), None);
        assert_eq!(command("Thanks, that looks good.", ENZO), None);
    }

    #[test]
    fn a_quoted_confirmation_is_not_the_writers() {
        assert_eq!(command("Thanks.\n> reply 'confirm' to book it", ENZO), None);
    }

    #[test]
    fn a_quote_costs_by_its_basis() {
        let price = Money { amount: "35.00".parse().unwrap(), currency: crate::supply::money::Currency::EUR };
        assert_eq!(Quote { price, basis: Basis::PerPerson }.cost(25, 1).amount, "875.00".parse().unwrap());
        assert_eq!(Quote { price, basis: Basis::PerDay }.cost(25, 2).amount, "70.00".parse().unwrap());
        assert_eq!(Quote { price, basis: Basis::Total }.cost(25, 2).amount, "35.00".parse().unwrap());
    }
}
