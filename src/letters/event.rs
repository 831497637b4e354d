//! The event desk's letters: to an organiser, how their request was read with what is still to ask
//! and the places that fit; to anyone else who asks for an event, that organisers plan them; and an
//! event's description in the calendars.

use serde_json::{Value, json};

use super::{Letter, letter};

/// The event desk's letters.
pub const LETTERS: &[[Letter; 2]] = &[
    letter!("event/reading", reading),
    letter!("event/not-an-organiser", not_an_organiser),
    letter!("event/calendar-description", calendar_description),
];

/// An event as read: the greeting, its number, whether it is new, what, when (`kind` days, window
/// or unknown; the first and last day written out, the last none for one day; start and end
/// HH:MM), how many days, the headcount (people, approximate), the place (`kind` known, office or
/// wish, and its name), the meals (breakfast, coffee_break, lunch, aperitif, dinner), no catering,
/// the diets (need, people or none), the guests (how many, the groups, everyone, rows of a list
/// without an address), what is missing (what, day, start, headcount, guests), the places that fit
/// (name, kind room or venue, capacity, free: true, false or none when not known), the events
/// calendar (its name; the change: put, updated, kept, removed, or waiting for a day and start; the
/// status: tentative, confirmed, cancelled; none when the office has no calendar), who signs.
fn reading() -> Value {
    json!({
        "greeting": "Dear Chiara Neri,",
        "number": "EV-2026-0001",
        "new": true,
        "what": "Christmas dinner",
        "when": {"kind": "days", "first": "Fri 18 Dec 2026", "last": null, "start": "20:00", "end": "23:00"},
        "days": null,
        "headcount": {"people": 25, "approximate": false},
        "place": {"kind": "wish", "name": "restaurant near the station"},
        "meals": ["dinner"],
        "no_catering": false,
        "diets": [{"need": "vegetarian", "people": 3}],
        "guests": {"count": 12, "groups": ["design"], "everyone": false, "without_address": 1},
        "missing": ["guests"],
        "places": [
            {"name": "Sala Grande", "kind": "room", "capacity": 30, "free": true},
            {"name": "Trattoria da Enzo", "kind": "venue", "capacity": 40, "free": null},
        ],
        "calendar": {"name": "office", "change": "put", "status": "tentative"},
        "signature": "Office Assistant",
    })
}

/// To someone who is not an organiser: the greeting, the organisers' names (their message went to
/// them), who signs.
fn not_an_organiser() -> Value {
    json!({
        "greeting": "Dear Paolo Verdi,",
        "organisers": ["Chiara Neri"],
        "signature": "Office Assistant",
    })
}

/// An event's DESCRIPTION in the calendars and feeds: its number, the headcount (people,
/// approximate), how many guests are invited, the meals, no catering, the diets, what is still open
/// (what, day, start, headcount, guests, place), whether it is confirmed.
fn calendar_description() -> Value {
    json!({
        "number": "EV-2026-0001",
        "headcount": {"people": 25, "approximate": false},
        "guests": 12,
        "meals": ["dinner"],
        "no_catering": false,
        "diets": [{"need": "vegetarian", "people": 3}],
        "open": ["place"],
        "confirmed": false,
    })
}
