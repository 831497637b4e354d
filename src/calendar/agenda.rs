//! An agenda: the occurrences of a calendar's events over some days, as `clerk calendar` prints them
//! (and the digest will), each in the calendar's own time zone.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::event::{Event, EventStatus, Expansion, Occurrence, occurrences};
use crate::rules::office::Office;
use crate::store::{Store, StoreError};

/// Why an agenda could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AgendaError {
    #[error(transparent)]
    Store(#[from] StoreError),
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
        let days = Days::of(store, name, *zone, from, to)?;
        let _ = write!(text, "{heading}, {from} to {to}, {zone}\n{}", lines(&days.expand(), *zone));
    }
    Ok(text)
}

/// A calendar's events on some local days, to be expanded into their occurrences.
pub struct Days {
    events: Vec<Event>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Days {
    /// The events of `calendar` with an occurrence on the local days `from..=to` in `zone`.
    pub fn of(
        store: &Store,
        calendar: &str,
        zone: Tz,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Days, StoreError> {
        let (start, end) = (midnight(zone, from), midnight(zone, to.succ_opt().unwrap_or(to)));
        Ok(Days { events: store.events(calendar, start, end)?, from: start, to: end })
    }

    /// Their occurrences on those days, with what the limits on series cut.
    pub fn expand(&self) -> Expansion<'_> {
        occurrences(&self.events, self.from, self.to)
    }
}

/// One line per occurrence: `Tue 24 Nov 2026  15:00–16:00  Summary  [tentative]`, a line saying so
/// when there is none, then a `note:` line for each cut (a series refused or limited).
pub fn lines(expansion: &Expansion<'_>, zone: Tz) -> String {
    let mut text = String::new();
    if expansion.occurrences.is_empty() {
        text.push_str("  no events\n");
    }
    for o in &expansion.occurrences {
        let _ =
            writeln!(text, "  {}  {}", o.start.with_timezone(&zone).format("%a %-d %b %Y"), line(o, zone));
    }
    for cut in &expansion.cuts {
        let _ = writeln!(text, "  note: {cut}");
    }
    text
}

/// An occurrence without its day: `15:00–16:00  Summary  [tentative]`.
pub fn line(o: &Occurrence<'_>, zone: Tz) -> String {
    let (start, end) = (o.start.with_timezone(&zone), o.end.with_timezone(&zone));
    let end_format = if start.date_naive() == end.date_naive() { "%H:%M" } else { "%a %-d %b %H:%M" };
    let status = match o.status() {
        EventStatus::Confirmed => "",
        EventStatus::Tentative => "  [tentative]",
        EventStatus::Cancelled => "  [cancelled]",
    };
    let free = if o.busy() || o.status() == EventStatus::Cancelled { "" } else { "  [free]" };
    format!("{}–{}  {}{status}{free}", start.format("%H:%M"), end.format(end_format), o.summary())
}

/// The first moment of a local day (a day that starts in a daylight-saving gap starts when it ends).
fn midnight(zone: Tz, day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_time(chrono::NaiveTime::MIN);
    (0..3)
        .filter_map(|hours| local.checked_add_signed(TimeDelta::hours(hours)))
        .find_map(|t| zone.from_local_datetime(&t).earliest())
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}
