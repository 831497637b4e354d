//! The event desk's letters about guests: the invitation (its words beside the calendar, and its
//! subject), the answer to the organiser's "send the invitations", the note on a guest's answer
//! passed to her, and the reminder to guests who have not answered (and its subject).

use serde_json::{Value, json};

use super::{Letter, letter};

/// The letters about an event's guests.
pub const LETTERS: &[[Letter; 2]] = &[
    letter!("event/guests-invitation", invitation),
    letter!("event/guests-invitation-subject", invitation),
    letter!("event/guests-sent", sent),
    letter!("event/guests-to-the-organiser", to_the_organiser),
    letter!("event/guests-reminder", invitation),
    letter!("event/guests-reminder-subject", invitation),
];

/// An invitation or a reminder: the greeting, the event's number, what, when (written out), the
/// place when known, the organiser's name, who signs.
fn invitation() -> Value {
    json!({
        "greeting": "Dear Bob Bianchi,",
        "number": "EV-2026-0001",
        "what": "Christmas dinner",
        "when": "Fri 18 Dec 2026 20:00–23:00",
        "place": "Sala Grande",
        "organiser": "Chiara Neri",
        "signature": "Office Assistant",
    })
}

/// The paragraph of the answer to the organiser who asked for the invitations: the number, what,
/// what the event must still say before they can go (start, end, day, guests), the guests invited
/// now (names), how many were invited before.
fn sent() -> Value {
    json!({
        "number": "EV-2026-0001",
        "what": "Christmas dinner",
        "missing": ["end"],
        "invited": ["Bob Bianchi", "anna@client.example"],
        "before": 2,
    })
}

/// On top of a guest's answer passed to the organiser: the guest, the number, what, whether it was
/// counted (true, false, or none when it was not plain), whether it asks something.
fn to_the_organiser() -> Value {
    json!({
        "guest": "Bob Bianchi",
        "number": "EV-2026-0001",
        "what": "Christmas dinner",
        "counted": null,
        "asks": true,
    })
}
