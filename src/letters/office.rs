//! The letters clerk writes to the office's own people: reminders of tickets left unanswered
//! (escalations).

use serde_json::{Value, json};

use super::{Letter, letter};

/// The letters to the office's people.
pub const LETTERS: &[[Letter; 2]] =
    &[letter!("office/escalation", escalation), letter!("office/escalation-subject", escalation)];

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
