//! An agenda: the occurrences of a calendar's events over some days, as `clerk calendar` prints them
//! and the digest does), each in the calendar's own time zone. The events come from the store, read by
//! the caller ([`crate::reports::calendar`]).

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::event::{Event, EventStatus, Expansion, Occurrence, occurrences};

/// A calendar's events on some local days, to be expanded into their occurrences.
pub struct Days {
    events: Vec<Event>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Days {
    /// The local days `from..=to` in `zone`, as the instants they start and end at: what to ask the
    /// store for.
    pub fn window(zone: Tz, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        (midnight(zone, from), midnight(zone, to.succ_opt().unwrap_or(to)))
    }

    /// `events` (those with an occurrence in `window`) on those days.
    pub fn of(events: Vec<Event>, (from, to): (DateTime<Utc>, DateTime<Utc>)) -> Days {
        Days { events, from, to }
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
    super::zones::resolve_local(zone, day.and_time(chrono::NaiveTime::MIN))
}
