//! The event desk's letters: to an organiser, how their request was read with what is still to ask
//! and the places that fit; to anyone else who asks for an event, that organisers plan them.

use serde_json::{Value, json};

use super::{Letter, letter};

pub mod catering;

/// The event desk's letters.
pub const LETTERS: &[[Letter; 2]] =
    &[letter!("event/reading", reading), letter!("event/not-an-organiser", not_an_organiser)];

/// An event as read: the greeting, its number, whether it is new, what, when (`kind` days, window
/// or unknown; the first and last day written out, the last none for one day; start and end
/// HH:MM), how many days, the headcount (people, approximate), the place (`kind` known, office or
/// wish, and its name), the meals (breakfast, coffee_break, lunch, aperitif, dinner), no catering,
/// the diets (need, people or none), the guests (how many, the groups, everyone, rows of a list
/// without an address, how many are invited, how many can be invited now), what is missing (what,
/// day, start, headcount, guests), the places that fit (name, kind room or venue, capacity, free:
/// true, false or none when not known), the catering paragraph (`event/catering`, or none), whether
/// the catering was ordered, who signs.
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
        "guests": {"count": 12, "groups": ["design"], "everyone": false, "without_address": 1, "invited": 0, "to_invite": 12},
        "missing": ["guests"],
        "places": [
            {"name": "Sala Grande", "kind": "room", "capacity": 30, "free": true},
            {"name": "Trattoria da Enzo", "kind": "venue", "capacity": 40, "free": null},
        ],
        "catering": "Catering: I can order from Buffet Roma for 25 people:\n  - dinner: EUR 35.00 per person\n",
        "catering_ordered": false,
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
