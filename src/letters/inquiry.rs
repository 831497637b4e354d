//! The inquiry desk's own letters: clerk's acknowledgment of a customer's message (for an office
//! without an `acknowledgment` template of its own), the note above a ticket's message forwarded
//! to its department, and the ticket handed on to another department by `#route`.

use serde_json::{Value, json};

use super::{Letter, letter};

/// The inquiry desk's letters.
pub const LETTERS: &[[Letter; 2]] = &[
    letter!("inquiry/acknowledgment", acknowledgment),
    letter!("inquiry/forward-note", forward_note),
    letter!("inquiry/handover", handover),
];

/// An acknowledgment's values: whom to (the sender's name, or none), the ticket's tag, when an answer
/// is promised (or none), who signs.
fn acknowledgment() -> Value {
    json!({
        "name": "Anna Verdi",
        "tag": "[#1042-9]",
        "due": "Monday 7 December at 12:00",
        "signature": "Office Assistant",
    })
}

/// A forward note's values: the ticket's tag, the department it goes to, the customer, the ticket's
/// priority, when an answer is due (or none), and the departments it may be routed to.
fn forward_note() -> Value {
    json!({
        "tag": "[#1042-9]",
        "department": "front-desk",
        "customer": "Anna Verdi <anna.verdi@example.com>",
        "priority": "normal",
        "due": "Monday 7 December at 12:00",
        "departments": ["accounts", "front-desk"],
    })
}

/// A handover's values: who routed the ticket, the department it goes to, the words they wrote beside
/// the command (or none), and the customer's messages, oldest first.
fn handover() -> Value {
    json!({
        "routed_by": "Mario Verdi <mario@office.example>",
        "department": "accounts",
        "note": "She asks for a copy of invoice 2026-114; I have no access to it.",
        "messages": [
            {
                "from": "Anna Verdi <anna.verdi@example.com>",
                "when": "Monday 7 December at 10:05",
                "text": "Could you send me a copy of invoice 2026-114?",
            },
        ],
    })
}
