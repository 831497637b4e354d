//! `clerk calendar`: the agenda of the office's calendars and rooms, read from the store.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::calendar::agenda::{Days, lines};
use crate::office::Office;
use crate::store::{Store, StoreError};

/// Why an agenda could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AgendaError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no calendar or room `{name}` in office.toml; there are: {known}")]
    Unknown { name: String, known: String },
    #[error("--from {from} is after --to {to}: give the first day first")]
    Backwards { from: NaiveDate, to: NaiveDate },
}

/// `clerk calendar`: the agenda of every calendar and room of `office` (or only of the one named) for
/// the local days `from..=to`.
pub fn report(
    store: &Store,
    office: &Office,
    only: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<String, AgendaError> {
    if from > to {
        return Err(AgendaError::Backwards { from, to });
    }
    let calendars =
        office.calendars.iter().map(|c| (&c.name, format!("{} ({})", c.name, c.owner), c.policy.timezone));
    let rooms = office
        .rooms
        .iter()
        .map(|r| (&r.name, format!("{} (room, {} seats)", r.name, r.capacity), r.policy.timezone));
    let all: Vec<_> = calendars.chain(rooms).collect();
    if all.is_empty() {
        return Ok("office.toml has no [[calendar]] or [[room]].\n".to_owned());
    }
    let chosen: Vec<_> = all.iter().filter(|(name, ..)| only.is_none_or(|o| o == name.as_str())).collect();
    if let (Some(name), true) = (only, chosen.is_empty()) {
        let known: Vec<&str> = all.iter().map(|(n, ..)| n.as_str()).collect();
        return Err(AgendaError::Unknown { name: name.to_owned(), known: known.join(", ") });
    }
    let mut text = String::new();
    for (name, heading, zone) in chosen {
        let window = Days::window(*zone, from, to);
        let days = Days::of(store.events(name, window.0, window.1)?, window);
        let _ = write!(text, "{heading}, {from} to {to}, {zone}\n{}", lines(&days.expand(), *zone));
    }
    Ok(text)
}
