//! The event desk's letters: to an organiser, how their request was read with what is still to ask
//! and the places that fit; to anyone else who asks for an event, that organisers plan them; and an
//! event's description in the calendars.

use serde_json::{Value, json};

use super::{Letter, letter};

pub mod catering;

/// The event desk's letters.
pub const LETTERS: &[[Letter; 2]] = &[
    letter!("event/reading", reading),
    letter!("event/not-an-organiser", not_an_organiser),
    letter!("event/venue-status", venue_status),
    letter!("event/venue-answer", venue_answer),
    letter!("event/venue-request", venue_letter),
    letter!("event/venue-confirmation", venue_letter),
    letter!("event/venue-subject", venue_letter),
    letter!("event/calendar-description", calendar_description),
];

/// An event as read: the greeting, its number, whether it is new, what, when (`kind` days, window
/// or unknown; the first and last day written out, the last none for one day; start and end
/// HH:MM), how many days, the headcount (people, approximate), the place (`kind` known, office or
/// wish, and its name), the meals (breakfast, coffee_break, lunch, aperitif, dinner), no catering,
/// the diets (need, people or none), the guests (how many, the groups, everyone, rows of a list
/// without an address, how many are invited, how many can be invited now), what is missing (what,
/// day, start, headcount, guests), the places that fit (name, kind room or venue, capacity, free:
/// true, false or none when not known), what was done about the place chosen
/// (`event/venue-status`, or none), the events calendar (its name; the change: put, updated, kept,
/// removed, or waiting for a day and start; the status: tentative, confirmed, cancelled; none when
/// the office has no calendar), the catering paragraph (`event/catering`, or none), whether the
/// catering was ordered, the checklist's open tasks (place, catering, invitations, final headcount),
/// what was done on "send the invitations" (`event/guests-sent`, or none), who signs.
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
        "open": ["place", "catering", "invitations", "final headcount"],
        "invitations": null,
        "venue": "I have written to Trattoria da Enzo to ask whether they can host you on Fri 18 Dec 2026.",
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

/// What the answer to an organiser says of the place chosen: the place, its `kind` (room or venue),
/// `state` (waiting, too_small, busy, need_end, booked, asked, offered, declined, unclear,
/// confirmed, or none when no place is chosen), its capacity, the people, the day, the price with
/// its basis (person, day, total), the cost for the people, the day held until, whether the
/// organiser said not to confirm yet, and the rooms booked earlier and given up now.
fn venue_status() -> Value {
    json!({
        "place": "Trattoria da Enzo",
        "kind": "venue",
        "state": "offered",
        "capacity": 40,
        "people": 25,
        "day": "Fri 18 Dec 2026",
        "price": "EUR 35.00",
        "basis": "person",
        "cost": "EUR 875.00",
        "option_until": "Mon 14 Dec 2026",
        "not_yet": false,
        "released": ["Sala Grande"],
    })
}

/// The note on a venue's answer passed to the organiser: the greeting, the event's number and
/// title, the place, `state` (offered, declined, unclear, after_confirmation), the day, the people,
/// the price with its basis, the cost, the day held until, whether a price was written that clerk
/// could not read, the other places that fit (when it declined), who signs.
fn venue_answer() -> Value {
    json!({
        "greeting": "Dear Chiara Neri,",
        "number": "EV-2026-0001",
        "what": "Christmas dinner",
        "place": "Trattoria da Enzo",
        "state": "offered",
        "day": "Fri 18 Dec 2026",
        "people": 25,
        "price": "EUR 35.00",
        "basis": "person",
        "cost": "EUR 875.00",
        "option_until": "Mon 14 Dec 2026",
        "price_unclear": false,
        "others": ["Sala Grande"],
        "signature": "Office Assistant",
    })
}

/// A letter to a venue (the request for the day and a quote, the confirmation, their subject): the
/// greeting, the venue, `kind` (request or confirmation), the event's number and title, its first
/// and last day (none for one day) written out, start and end (HH:MM, the end may be none), the
/// people, the meals, the diets; for the confirmation the price with its basis and the cost; who
/// signs.
fn venue_letter() -> Value {
    json!({
        "greeting": "Gentile Trattoria da Enzo,",
        "venue": "Trattoria da Enzo",
        "kind": "request",
        "number": "EV-2026-0001",
        "what": "Christmas dinner",
        "first": "Friday 18 December 2026",
        "last": null,
        "start": "20:00",
        "end": "23:00",
        "people": 25,
        "meals": ["dinner"],
        "diets": [{"need": "vegetarian", "people": 3}],
        "price": "EUR 35.00",
        "basis": "person",
        "cost": "EUR 875.00",
        "signature": "Office Assistant",
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
