//! The meeting desk's letters: reminders of booked meetings and follow-ups of offered times.

use serde_json::{Value, json};

use super::{Letter, letter};

/// The meeting desk's letters.
pub const LETTERS: &[[Letter; 2]] = &[
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
