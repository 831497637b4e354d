//! The letters clerk writes on its own, as built-in minijinja templates, one per language:
//! `meeting/reminder.txt` is English, `meeting/reminder.it.txt` Italian. Each desk's letters are
//! listed in a module of its own ([`meeting`], [`supply`], [`event`]) with a sample of the values each is given.
//!
//! They are loaded before the office's own templates under the names `letters/AREA/NAME` and
//! `letters/AREA/NAME.LANG`, so an office overrides a letter by writing
//! `rules/templates/letters/AREA/NAME.txt` (or `NAME.it.txt`), and `clerk check` renders each against
//! its sample, so a template that asks for a value it is not given is refused when the rules load.

mod event;
mod event_guests;
mod inquiry;
mod meeting;
mod office;
mod supply;

use serde_json::Value;

/// A built-in letter: its template name (`letters/AREA/NAME[.LANG]`), its text, and a sample of the
/// values it is rendered with, for `clerk check`.
pub struct Letter {
    pub name: &'static str,
    pub source: &'static str,
    pub sample: fn() -> Value,
}

/// A letter in English and in Italian: `letter!("meeting/reminder", sample)` reads
/// `src/letters/meeting/reminder.txt` and `reminder.it.txt`.
macro_rules! letter {
    ($name:literal, $sample:expr) => {
        [
            $crate::letters::Letter {
                name: concat!("letters/", $name),
                source: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/letters/", $name, ".txt")),
                sample: $sample,
            },
            $crate::letters::Letter {
                name: concat!("letters/", $name, ".it"),
                source: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/letters/", $name, ".it.txt")),
                sample: $sample,
            },
        ]
    };
}
use letter;

/// Every built-in letter, each language a template of its own.
pub fn built_in() -> impl Iterator<Item = &'static Letter> {
    [
        meeting::LETTERS,
        supply::LETTERS,
        inquiry::LETTERS,
        office::LETTERS,
        event::LETTERS,
        event_guests::LETTERS,
        event::catering::LETTERS,
    ]
    .into_iter()
    .flatten()
    .flatten()
}
