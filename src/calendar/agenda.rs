//! An agenda: the occurrences of a calendar's events over some days, as `clerk calendar` prints them
//! (and the digest will), each in the calendar's own time zone.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::event::{EventStatus, Occurrence, RecurrenceError, occurrences};
use crate::rules::office::Office;
use crate::store::{Store, StoreError};

/// Why an agenda could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AgendaError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Recurrence(#[from] RecurrenceError),
    #[error("no calendar or room `{name}` in office.toml; there are: {known}")]
    Unknown { name: String, known: String },
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
        let found = occurrences_on(store, name, *zone, from, to)?;
        let _ = write!(text, "{heading}, {from} to {to}, {zone}\n{}", lines(&found, *zone));
    }
    Ok(text)
}

/// The occurrences of `calendar`'s events on the local days `from..=to`.
pub fn occurrences_on(
    store: &Store,
    calendar: &str,
    zone: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Occurrence>, AgendaError> {
    let (start, end) = (midnight(zone, from), midnight(zone, to + TimeDelta::days(1)));
    Ok(occurrences(&store.events(calendar, start, end)?, start, end)?)
}

/// One line per occurrence: `Tue 24 Nov 2026  15:00–16:00  Summary  [tentative]`; a line saying so
/// when there is none.
pub fn lines(occurrences: &[Occurrence], zone: Tz) -> String {
    if occurrences.is_empty() {
        return "  no events\n".to_owned();
    }
    let mut text = String::new();
    for o in occurrences {
        let _ =
            writeln!(text, "  {}  {}", o.start.with_timezone(&zone).format("%a %-d %b %Y"), line(o, zone));
    }
    text
}

/// An occurrence without its day: `15:00–16:00  Summary  [tentative]`.
pub fn line(o: &Occurrence, zone: Tz) -> String {
    let (start, end) = (o.start.with_timezone(&zone), o.end.with_timezone(&zone));
    let end_format = if start.date_naive() == end.date_naive() { "%H:%M" } else { "%a %-d %b %H:%M" };
    let status = match o.status {
        EventStatus::Confirmed => "",
        EventStatus::Tentative => "  [tentative]",
        EventStatus::Cancelled => "  [cancelled]",
    };
    let free = if o.busy || o.status == EventStatus::Cancelled { "" } else { "  [free]" };
    format!("{}–{}  {}{status}{free}", start.format("%H:%M"), end.format(end_format), o.summary)
}

/// The first moment of a local day (a day that starts in a daylight-saving gap starts when it ends).
fn midnight(zone: Tz, day: NaiveDate) -> DateTime<Utc> {
    let mut local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..3 {
        if let Some(t) = zone.from_local_datetime(&local).earliest() {
            return t.with_timezone(&Utc);
        }
        local += TimeDelta::hours(1);
    }
    local.and_utc()
}
