//! The meeting desk's letters: its answers to requests in words (the invitation, free times offered,
//! a move, a cancellation, the questions it asks back), the note to a calendar's owner when a change
//! cannot be placed, reminders of booked meetings and follow-ups of offered times. `reading` and
//! `times` are parts the answers include.

use serde_json::{Value, json};

use super::{Letter, letter};

/// The meeting desk's letters.
pub const LETTERS: &[[Letter; 2]] = &[
    letter!("meeting/reading", read_as),
    letter!("meeting/title", title),
    letter!("meeting/times", times),
    letter!("meeting/invitation", invitation),
    letter!("meeting/free-times", free_times),
    letter!("meeting/ask-again", ask_again),
    letter!("meeting/moved", moved),
    letter!("meeting/cancelled", cancelled),
    letter!("meeting/which-meeting", which_meeting),
    letter!("meeting/change-to-check", which_meeting),
    letter!("meeting/change-to-check-subject", which_meeting),
    letter!("meeting/unfit", unfit_part),
    letter!("meeting/invitation-answer", invitation_answer),
    letter!("meeting/invitation-answer-subject", invitation_answer),
    letter!("meeting/invitation-answer-comment", invitation_answer),
    letter!("meeting/new-time-declined", new_time),
    letter!("meeting/new-time-declined-subject", new_time),
    letter!("meeting/updated", new_time),
    letter!("meeting/updated-subject", new_time),
    letter!("meeting/reminder", reminder),
    letter!("meeting/reminder-subject", reminder),
    letter!("meeting/follow-up", follow_up),
];

/// A follow-up's values: whom to, the offered times still held (numbered, one a line), who signs.
fn follow_up() -> Value {
    json!({
        "name": "Anna Rossi",
        "times": "1. Tue 24 Nov 2026 15:00–16:00 CET\n2. Wed 25 Nov 2026 10:00–11:00 CET\n",
        "signature": "Office Assistant",
    })
}

/// A meeting reminder's values: the meeting, when and where it is, and who signs.
fn reminder() -> Value {
    json!({
        "summary": "Site visit",
        "when": "Tue 24 Nov 2026 15:00–16:00 CET",
        "location": "Via Roma 1",
        "signature": "Office Assistant",
    })
}

/// How a request was read: a time asked for from another clock.
fn reading() -> Value {
    json!({
        "asked": "at",
        "chosen": null,
        "when": "Thu 10 Dec 2026 16:00–17:00 CET",
        "from": null,
        "to": null,
        "theirs": "Thu 10 Dec 10:00",
        "offset": "UTC−5",
    })
}

/// Two times offered, the first also on the sender's clock.
fn offered() -> Value {
    json!([
        {"when": "Tue 24 Nov 2026 15:00–16:00", "zone": "Europe/Rome", "theirs": "Tue 24 Nov 09:00", "offset": "UTC−5"},
        {"when": "Wed 25 Nov 2026 10:00–11:00", "zone": "Europe/Rome", "theirs": null, "offset": null},
    ])
}

/// The values of the `reading` part.
fn read_as() -> Value {
    json!({ "reading": reading() })
}

/// The values of the `times` part.
fn times() -> Value {
    json!({ "times": offered() })
}

/// A meeting's title: whom the owner meets (or none) and what about (or none).
fn title() -> Value {
    json!({ "who": "Marco Conti", "topic": "renovation, Via Roma" })
}

/// An invitation: the greeting, how the request was read, the room (or how many people none was
/// free for), who was not invited (addresses, names nobody has, names several have), the meeting's
/// title and time, the owner, who signs.
fn invitation() -> Value {
    json!({
        "greeting": "Dear Anna Rossi,",
        "reading": reading(),
        "room": {"name": "Sala Verde", "seats": 8},
        "roomless": null,
        "not_invited": "guest@elsewhere.example",
        "unknown": "Marco Conti",
        "ambiguous": [{"written": "Bob", "candidates": "Bob Bianchi, Bob Rossi"}],
        "summary": "Site visit",
        "when": "Thu 10 Dec 2026 16:00–17:00 CET",
        "owner": "Giulia Bianchi",
        "signature": "Office Assistant",
    })
}

/// Free times offered: the greeting, the reading, why the time asked is not free, whether nothing was
/// free within the stretch asked, who will not be invited (addresses, names nobody has, names several
/// have), the owner, the times, who signs.
fn free_times() -> Value {
    json!({
        "greeting": "Dear Anna Rossi,",
        "reading": reading(),
        "unfit": unfit(),
        "none_within": false,
        "not_invited": null,
        "unknown": "Marco Conti",
        "ambiguous": [{"written": "Bob", "candidates": "Bob Bianchi, Bob Rossi"}],
        "owner": "Giulia Bianchi",
        "times": offered(),
        "signature": "Office Assistant",
    })
}

/// The times still offered, asked again.
fn ask_again() -> Value {
    json!({ "greeting": "Dear Anna Rossi,", "times": offered(), "signature": "Office Assistant" })
}

/// A meeting moved: how the new time was read, the title, the new time, who signs.
fn moved() -> Value {
    json!({
        "reading": {"asked": "chosen", "chosen": 2, "when": "Wed 25 Nov 2026 10:00–11:00 CET",
                    "from": null, "to": null, "theirs": null, "offset": null},
        "summary": "Site visit",
        "when": "Wed 25 Nov 2026 10:00–11:00 CET",
        "signature": "Office Assistant",
    })
}

/// A meeting cancelled: its title and time, who signs.
fn cancelled() -> Value {
    json!({
        "reading": null,
        "summary": "Site visit",
        "when": "Wed 25 Nov 2026 10:00–11:00 CET",
        "signature": "Office Assistant",
    })
}

/// A change that fits more than one meeting: the sender's, and what the owner is told.
fn which_meeting() -> Value {
    json!({
        "greeting": "Dear Anna Rossi,",
        "change": "cancel",
        "meetings": [
            {"summary": "Site visit", "when": "Tue 24 Nov 2026 15:00–16:00 CET"},
            {"summary": "Budget review", "when": "Tue 24 Nov 2026 15:00–16:00 CET"},
        ],
        "fitting": 2,
        "owner": "Giulia Bianchi",
        "requester": "anna.rossi@client.example",
        "calendar": "director",
        "subject": "Cancel tomorrow's meeting",
        "signature": "Office Assistant",
    })
}

/// Why a time does not fit: `reason` (`past`, `busy`, `outside-hours`, `too-soon` or `too-far-ahead`), with
/// the notice meetings need and how far ahead they are booked, in words of the letter's language.
fn unfit() -> Value {
    json!({ "reason": "outside-hours", "notice": "2 hours", "horizon": "60 days" })
}

/// The values of the `unfit` part: the reason, and whose working hours.
fn unfit_part() -> Value {
    json!({ "unfit": unfit(), "owner": "Giulia Bianchi" })
}

/// The calendar's answer to an invitation: `accepted`, `tentative` or `declined`, the owner, the
/// meeting's title (empty for none) and time, why it does not fit, the free times instead.
fn invitation_answer() -> Value {
    json!({
        "answer": "declined",
        "owner": "Giulia Bianchi",
        "title": "Quarterly review",
        "when": "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)",
        "unfit": unfit(),
        "times": offered(),
    })
}

/// A new time an attendee proposed: who, the meeting, the owner, the old and the new time, why the
/// new one cannot be taken (or none, when the owner keeps the meeting where it is), the free times
/// instead, and whether a meeting moved goes to the time proposed (else to one the owner named).
fn new_time() -> Value {
    json!({
        "who": "Anna Rossi",
        "title": "Quarterly review",
        "owner": "Giulia Bianchi",
        "old": "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)",
        "new": "Wed 25 Nov 2026 10:00–11:00 (Europe/Rome)",
        "unfit": unfit(),
        "times": offered(),
        "as_proposed": true,
        "reference": "",
        "done": "",
    })
}
