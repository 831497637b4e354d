//! The letters clerk writes on its own, as built-in minijinja templates, one per language:
//! `reminder.txt` is English, `reminder.it.txt` Italian. Meeting reminders, the follow-ups of offered times and the supply desk's news of what arrived and
//! its low-stock alerts are written so; the other
//! letters (acknowledgments, meeting answers, supply letters, purchase orders, the digest) still carry
//! their words in code until they move here (issue #18).
//!
//! They are loaded before the office's own templates under the names `letters/NAME` and
//! `letters/NAME.LANG`, so an office overrides a letter by writing `rules/templates/letters/NAME.txt`
//! (or `NAME.it.txt`), and `clerk check` renders each against a sample of what it is given.

use serde_json::{Value, json};

/// A built-in letter: its template name (under `letters/`), its text, and a sample of the values it
/// is rendered with, for `clerk check`.
pub struct Letter {
    pub name: &'static str,
    pub source: &'static str,
    pub sample: fn() -> Value,
}

/// Every built-in letter, each language a template of its own.
pub const BUILT_IN: &[Letter] = &[
    Letter { name: "letters/reminder", source: include_str!("reminder.txt"), sample: reminder },
    Letter { name: "letters/reminder.it", source: include_str!("reminder.it.txt"), sample: reminder },
    Letter {
        name: "letters/reminder-subject",
        source: include_str!("reminder-subject.txt"),
        sample: reminder,
    },
    Letter {
        name: "letters/reminder-subject.it",
        source: include_str!("reminder-subject.it.txt"),
        sample: reminder,
    },
    Letter { name: "letters/follow-up", source: include_str!("follow-up.txt"), sample: follow_up },
    Letter { name: "letters/follow-up.it", source: include_str!("follow-up.it.txt"), sample: follow_up },
    Letter { name: "letters/supply-arrived", source: include_str!("supply-arrived.txt"), sample: arrived },
    Letter {
        name: "letters/supply-arrived.it",
        source: include_str!("supply-arrived.it.txt"),
        sample: arrived,
    },
    Letter {
        name: "letters/supply-low-stock",
        source: include_str!("supply-low-stock.txt"),
        sample: low_stock,
    },
    Letter {
        name: "letters/supply-low-stock.it",
        source: include_str!("supply-low-stock.it.txt"),
        sample: low_stock,
    },
    Letter {
        name: "letters/supply-low-stock-subject",
        source: include_str!("supply-low-stock-subject.txt"),
        sample: low_stock,
    },
    Letter {
        name: "letters/supply-low-stock-subject.it",
        source: include_str!("supply-low-stock-subject.it.txt"),
        sample: low_stock,
    },
];

/// An item that fell below its reorder point: what it is, how many are left (in its unit), the
/// reorder point, how many went on the draft and to which vendor.
fn low_stock() -> Value {
    json!({
        "name": "A4 copy paper",
        "sku": "PAP-A4",
        "available": 3,
        "unit": "reams",
        "reorder_point": 10,
        "drafted": 40,
        "vendor": "Cartoleria Roma",
    })
}

/// What came for a colleague's request: whom to (first name), the request, the items, whether more
/// is to come, who signs.
fn arrived() -> Value {
    json!({
        "name": "Marco",
        "request": "REQ-2026-0007",
        "items": ["15 reams of A4 copy paper (PAP-A4)", "2 boxes of blue pens (PEN-BLU)"],
        "still_waiting": false,
        "signature": "Office Assistant",
    })
}

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
