//! The letters clerk writes to the office's own people: the digest of what it did, reminders of
//! tickets left unanswered (escalations), and the meeting desk's notes to a calendar's owner.

use serde_json::{Value, json};

use super::{Letter, letter};

/// The letters to the office's people.
pub const LETTERS: &[[Letter; 2]] = &[
    letter!("office/digest", digest),
    letter!("office/digest-subject", digest),
    letter!("office/digest-html", digest),
    letter!("office/digest-supply", cupboard),
    letter!("office/digest-events", digest_events),
    letter!("office/digest-event", agenda_event),
    letter!("office/escalation", escalation),
    letter!("office/escalation-subject", escalation),
    letter!("office/meeting-conflict", meeting_conflict),
    letter!("office/meeting-conflict-subject", meeting_conflict),
    letter!("office/meeting-new-time", meeting_new_time),
    letter!("office/meeting-new-time-subject", meeting_new_time),
    letter!("office/meeting-booked", meeting_booked),
    letter!("office/meeting-booked-subject", meeting_booked),
    letter!("office/meeting-new-time-answer", meeting_new_time_answer),
    letter!("office/invitation-without-organizer", invitation_without_organizer),
    letter!("office/invitation-without-organizer-subject", invitation_without_organizer),
];

/// The owner's copy of a meeting someone else booked, moved or cancelled in her calendar: `change`
/// (`booked`, `moved` or `cancelled`; `accepted` or `updated` for an outsider's invitation), who asked, the meeting (title, time, place or none, whom else
/// it has), the names the request wrote that nobody was invited for, the owner and the calendar.
fn meeting_booked() -> Value {
    json!({
        "change": "booked",
        "requester": "Marco Conti <marco@client.example>",
        "title": "Marco Conti – renovation, Via Roma",
        "when": "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)",
        "location": "Sala Verde",
        "invited": "Marco Conti, Bob Bianchi",
        "unknown": "Carla Neri",
        "ambiguous": [{"written": "Dario", "candidates": "Dario Rossi, Dario Verdi"}],
        "owner": "Giulia Rossi",
        "calendar": "giulia",
    })
}

/// A digest's values: the office, the time covered (`from`, `to`), the messages handled (`total`,
/// and per desk and rule), those that failed, the mail `held` and `refused` in the outbox, the
/// tickets (or none), the supply cupboard's lines (or none), the events' lines (or none) and the
/// day's agenda (or none). The HTML
/// letter escapes them as it writes them.
fn digest() -> Value {
    json!({
        "office": "Rossi & Bianchi Studio",
        "from": "Mon 23 Nov 2026 07:00",
        "to": "Tue 24 Nov 2026 07:00",
        "total": 4,
        "handled": [
            {"desk": "inquiry", "rule": "questions", "count": 3},
            {"desk": null, "rule": "newsletters", "count": 1},
        ],
        "failed": [
            {"sender": "anna@example.com", "subject": "Invoice", "error": "cannot read the message"},
        ],
        "held": 1,
        "refused": 0,
        "tickets": {
            "waiting": 2,
            "departments": [
                {"department": "front-desk", "waiting": 1, "oldest": "3 days", "overdue": 1},
                {"department": null, "waiting": 1, "oldest": "5 hours", "overdue": 0},
            ],
            "answered_by_clerk": 4,
            "ratings": [{"department": "front-desk", "good": 3, "ok": 1, "bad": 0}],
        },
        "supply": ["Low stock: 1 item", "  PAP-A4 A4 copy paper: 3 available (reorder point 10)"],
        "events": ["Events ahead: 1", "  EV-2026-0001 Christmas dinner, Fri 18 Dec: open: catering order"],
        "agenda": {
            "day": "Tue 24 Nov 2026",
            "calendars": [
                {
                    "name": "giulia",
                    "events": ["09:00–09:15  Stand-up", "15:00–16:00  Site visit  [tentative]"],
                    "notes": [],
                },
                {"name": "sala-verde", "events": [], "notes": []},
            ],
        },
    })
}

/// An escalation's values: whether the owners are told (else the department is reminded), the ticket
/// (tag, number, subject, priority, department or none), the customer (with and without name), when
/// it opened and when an answer was due, the customer's last message a line each, the assistant's
/// address and who signs.
fn escalation() -> Value {
    json!({
        "owners": false,
        "tag": "[#1001-9]",
        "number": "1001-9",
        "subject": "Invoice copy",
        "customer": "Anna Example <anna@example.com>",
        "customer_address": "anna@example.com",
        "opened": "Mon 23 Nov 2026 09:30",
        "due": "Mon 23 Nov 2026 13:30",
        "department": "front-desk",
        "priority": "high",
        "last_words": ["Good morning,", "", "could you send me a copy of invoice 123?"],
        "assistant": "assistant@office.example",
        "signature": "Office Assistant",
    })
}

/// The values of a note that an invitation was accepted as tentative: who invited (or none), the
/// calendar's owner, the meeting's title (or empty) and time, why the time does not fit (`unfit`:
/// its `reason`, past, busy, outside-hours, too-soon or too-far-ahead, and the calendar's `notice` and
/// `horizon`).
fn meeting_conflict() -> Value {
    json!({
        "organizer": "Anna Bianchi",
        "owner": "Giulia Rossi",
        "title": "Budget review",
        "when": "Tue 24 Nov 2026 19:00–20:00 (Europe/Rome)",
        "unfit": {"reason": "outside-hours", "notice": "1 hour", "horizon": "60 days"},
    })
}

/// The values of a note that an attendee proposed a new time: who, the meeting's title, the owner,
/// its time and the time proposed, the question's reference for the subject (and, as the answers to
/// such a proposal are given them, why it cannot be taken and the free times instead: none here).
fn meeting_new_time() -> Value {
    json!({
        "who": "Anna Bianchi",
        "title": "Budget review",
        "owner": "Giulia Rossi",
        "old": "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)",
        "new": "Wed 25 Nov 2026 11:00–12:00 (Europe/Rome)",
        "unfit": null,
        "times": [],
        "as_proposed": true,
        "reference": "NT-1a2b3c4d",
        "done": "",
    })
}

/// The values of clerk's note back to the owner who answered about a proposed new time: those of
/// the question, with what was done (`moved`, `declined`, `unfit` with why and the free times,
/// `changed`, or `unclear` when she is asked again) and whether the meeting moved to the time
/// proposed.
fn meeting_new_time_answer() -> Value {
    json!({
        "who": "Anna Bianchi",
        "title": "Budget review",
        "owner": "Giulia Rossi",
        "old": "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)",
        "new": "Wed 25 Nov 2026 11:00–12:00 (Europe/Rome)",
        "unfit": {"reason": "busy", "notice": "1 hour", "horizon": "60 days"},
        "times": [{"when": "Wed 25 Nov 2026 14:00–15:00", "zone": "Europe/Rome", "theirs": null, "offset": null}],
        "as_proposed": false,
        "reference": "NT-1a2b3c4d",
        "done": "unfit",
    })
}

/// The values of a note that an invitation names no organizer: who sent it (or none), the owner, the
/// meeting's title (or empty) and time, why the time does not fit (or none), and whether it is held
/// in the calendar as tentative.
fn invitation_without_organizer() -> Value {
    json!({
        "sender": "Anna Bianchi",
        "owner": "Giulia Rossi",
        "title": "Budget review",
        "when": "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)",
        "unfit": {"reason": "busy", "notice": "1 hour", "horizon": "60 days"},
        "held": true,
    })
}

/// The cupboard's news in the digest: items below their reorder point, requests waiting (for a
/// delivery, for the manager's approval), open purchase orders, this month's spending per vendor.
fn cupboard() -> Value {
    json!({
        "low": [{"sku": "PAP-A4", "name": "A4 copy paper", "available": 8, "reorder_point": 10, "on_order": 35, "drafted": 0}],
        "waiting_delivery": 1,
        "waiting_approval": 0,
        "orders": [
            {"number": "PO-2026-0001", "vendor": "Cartoleria", "state": "sent", "waiting_approval": false,
             "expected": "Wed 9 Dec", "total": "EUR 147.00"},
            {"number": "PO-2026-0002", "vendor": "Toner & Co", "state": "draft", "waiting_approval": true,
             "expected": null, "total": "EUR 480.00"},
        ],
        "spent": [{"vendor": "Cartoleria", "amount": "EUR 147.00"}],
    })
}

/// An event of the day's agenda in the digest: when it starts and ends (the end with its day when
/// that is another), its title, `confirmed`, `tentative` or `cancelled`, and whether it leaves the
/// time free.
fn agenda_event() -> Value {
    json!({ "start": "15:00", "end": "16:00", "summary": "Site visit", "status": "tentative", "free": false })
}

/// The events' news in the digest: each event ahead with its number, title, first day (or none),
/// the checklist's open tasks (place, catering, invitations, final headcount), its guests' answers
/// (or none) and what it costs so far.
fn digest_events() -> Value {
    json!({
        "events": [
            {"number": "EV-2026-0001", "what": "Christmas dinner", "first": "Fri 18 Dec",
             "open": ["catering", "final headcount"], "answers": "12 yes/2 no/6 waiting", "cost": ["EUR 875.00"]},
            {"number": "EV-2026-0002", "what": "Workshop", "first": null, "open": ["place"], "answers": null,
             "cost": []},
        ],
    })
}
