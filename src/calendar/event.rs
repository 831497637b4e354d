//! Events as a calendar keeps them, and their occurrences: a recurring event (RRULE) is expanded in its
//! own time zone, so a weekly 09:00 meeting stays at 09:00 across a daylight-saving change; EXDATEs
//! drop instances and overridden instances (RECURRENCE-ID) replace theirs.

use std::collections::HashSet;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::availability::Slot;
use super::ics::{Attendee, PartStat, Party};

/// Recurring instances looked at per event at most, so a malformed rule (every second, forever) cannot
/// stall an availability check.
const MAX_INSTANCES: usize = 100_000;

/// Whether an event takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Confirmed,
    /// Accepted provisionally (a conflict the owner is to decide on): it still blocks the time.
    Tentative,
    /// Kept for its UID and SEQUENCE (a late update must not bring it back); blocks nothing.
    Cancelled,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Confirmed => "confirmed",
            EventStatus::Tentative => "tentative",
            EventStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<EventStatus> {
        match text {
            "confirmed" => Some(EventStatus::Confirmed),
            "tentative" => Some(EventStatus::Tentative),
            "cancelled" => Some(EventStatus::Cancelled),
            _ => None,
        }
    }
}

/// One event of a calendar: a single meeting, the master of a recurring series, or one overridden
/// instance of a series (with `recurrence_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub calendar: String,
    /// The iCalendar UID: stable for the life of the event, shared by a series and its overrides.
    pub uid: String,
    /// For an overridden instance, the start the series gave it.
    pub recurrence_id: Option<DateTime<Utc>>,
    /// Raised on every change (iTIP): an update with a lower one is stale.
    pub sequence: i64,
    pub summary: String,
    pub location: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The zone its times are written in, and in which it recurs.
    pub timezone: Tz,
    /// The RRULE value (`FREQ=WEEKLY;BYDAY=TU`), on a series' master only.
    pub rrule: Option<String>,
    /// Instances of the series that do not take place (their series starts).
    pub exdates: Vec<DateTime<Utc>>,
    pub status: EventStatus,
    /// TRANSP:TRANSPARENT: shown, but does not make the time busy.
    pub transparent: bool,
    pub organizer: Option<String>,
    /// Who is invited, with their answers: kept for the meetings clerk organises, whose attendees'
    /// replies it records and whom its updates and cancellations go to.
    pub attendees: Vec<Attendee>,
}

impl Event {
    /// Records `party`'s answer, adding them when the event did not name them.
    pub fn set_partstat(&mut self, party: &Party, partstat: PartStat) {
        match self.attendees.iter_mut().find(|a| a.party.is(&party.email)) {
            Some(attendee) => attendee.partstat = partstat,
            None => self.attendees.push(Attendee { party: party.clone(), partstat }),
        }
    }
}

/// `start..end` in `zone` for people: "Tue 24 Nov 2026 15:00–16:00", the end's day written only when
/// it differs.
pub fn span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    let (start, end) = (start.with_timezone(&zone), end.with_timezone(&zone));
    let end_format = if start.date_naive() == end.date_naive() { "%H:%M" } else { "%a %-d %b %Y %H:%M" };
    format!("{}–{}", start.format("%a %-d %b %Y %H:%M"), end.format(end_format))
}

/// [`span`] with the zone's abbreviation: "Tue 24 Nov 2026 15:00–16:00 CET", as answers to people write it.
pub fn span_abbreviated(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    format!("{} {}", span(start, end, zone), start.with_timezone(&zone).format("%Z"))
}

/// Numbered lines of times offered: "  1. Wed 25 Nov 2026 10:00–11:00 (Europe/Rome)".
pub fn numbered(slots: &[Slot], zone: Tz) -> String {
    slots
        .iter()
        .enumerate()
        .map(|(n, s)| format!("  {}. {} ({})\n", n + 1, span(s.start, s.end, zone), zone.name()))
        .collect()
}

impl std::fmt::Display for Event {
    /// "Budget review", Tue 24 Nov 2026 15:00–16:00 Europe/Rome, confirmed (UID x, sequence 1)
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "\"{}\", {} {}, {} (UID {}, sequence {})",
            self.summary,
            span(self.start, self.end, self.timezone),
            self.timezone.name(),
            self.status.as_str(),
            self.uid,
            self.sequence
        )?;
        if let Some(rrule) = &self.rrule {
            write!(f, ", repeating {rrule}")?;
        }
        Ok(())
    }
}

/// One occurrence of an event in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub uid: String,
    pub summary: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub status: EventStatus,
    /// Whether it makes the time busy (not cancelled, not transparent).
    pub busy: bool,
}

/// Why a series cannot be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {uid}: RRULE `{rrule}`: {reason}")]
pub struct RecurrenceError {
    pub uid: String,
    pub rrule: String,
    pub reason: String,
}

/// Every occurrence of `events` that overlaps `from..to`, earliest first. Each series is expanded
/// with its exceptions and overrides; an override moved into the window counts, and the instance it
/// replaced does not.
pub fn occurrences(
    events: &[Event],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Occurrence>, RecurrenceError> {
    let overridden: HashSet<(&str, DateTime<Utc>)> =
        events.iter().filter_map(|e| Some((e.uid.as_str(), e.recurrence_id?))).collect();
    let overlaps = |start: DateTime<Utc>, end: DateTime<Utc>| start < to && end > from;
    let mut found = Vec::new();
    for event in events {
        let length = event.end - event.start;
        match (&event.rrule, event.recurrence_id) {
            (Some(rrule), None) if event.status != EventStatus::Cancelled => {
                for start in series(event, rrule, to)? {
                    let end = start + length;
                    if overlaps(start, end)
                        && !event.exdates.contains(&start)
                        && !overridden.contains(&(event.uid.as_str(), start))
                    {
                        found.push(occurrence(event, start, end));
                    }
                }
            }
            _ if overlaps(event.start, event.end) => found.push(occurrence(event, event.start, event.end)),
            _ => {}
        }
    }
    found.sort_by_key(|o| (o.start, o.end));
    Ok(found)
}

/// The starts of a series, in order, up to (not including) `until`.
fn series(event: &Event, rrule: &str, until: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, RecurrenceError> {
    let failed = |reason: String| RecurrenceError { uid: event.uid.clone(), rrule: rrule.to_owned(), reason };
    let zone = rrule::Tz::Tz(event.timezone);
    let dtstart = event.start.with_timezone(&zone);
    let set = rrule::RRule::from_str(rrule)
        .map_err(|e| failed(e.to_string()))?
        .build(dtstart)
        .map_err(|e| failed(e.to_string()))?;
    Ok(set
        .into_iter()
        .take(MAX_INSTANCES)
        .map(|start| start.with_timezone(&Utc))
        .take_while(|start| *start < until)
        .collect())
}

fn occurrence(event: &Event, start: DateTime<Utc>, end: DateTime<Utc>) -> Occurrence {
    Occurrence {
        uid: event.uid.clone(),
        summary: event.summary.clone(),
        start,
        end,
        status: event.status,
        busy: event.status != EventStatus::Cancelled && !event.transparent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rome(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Rome.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    fn weekly_standup() -> Event {
        Event {
            calendar: "office".into(),
            uid: "standup@office.example".into(),
            recurrence_id: None,
            sequence: 0,
            summary: "Stand-up".into(),
            location: None,
            start: rome(2026, 10, 20, 9, 0),
            end: rome(2026, 10, 20, 9, 30),
            timezone: chrono_tz::Europe::Rome,
            rrule: Some("FREQ=WEEKLY;BYDAY=TU".into()),
            exdates: Vec::new(),
            status: EventStatus::Confirmed,
            transparent: false,
            organizer: None,
            attendees: Vec::new(),
        }
    }

    #[test]
    fn a_weekly_series_keeps_its_local_time_across_the_change_to_winter_time() {
        let found =
            occurrences(&[weekly_standup()], rome(2026, 10, 19, 0, 0), rome(2026, 11, 4, 0, 0)).unwrap();
        let starts: Vec<_> = found.iter().map(|o| o.start).collect();
        // Rome leaves summer time on 25 October: 07:00 UTC before, 08:00 UTC after, 09:00 local always.
        assert_eq!(starts, [rome(2026, 10, 20, 9, 0), rome(2026, 10, 27, 9, 0), rome(2026, 11, 3, 9, 0)]);
        assert_eq!(starts[0].format("%H:%M").to_string(), "07:00");
        assert_eq!(starts[1].format("%H:%M").to_string(), "08:00");
    }

    #[test]
    fn an_exdate_drops_one_instance() {
        let mut standup = weekly_standup();
        standup.exdates.push(rome(2026, 10, 27, 9, 0));
        let found = occurrences(&[standup], rome(2026, 10, 19, 0, 0), rome(2026, 11, 4, 0, 0)).unwrap();
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|o| o.start != rome(2026, 10, 27, 9, 0)));
    }

    #[test]
    fn an_overridden_instance_replaces_the_one_it_moves() {
        let mut moved = weekly_standup();
        moved.rrule = None;
        moved.recurrence_id = Some(rome(2026, 10, 27, 9, 0));
        moved.start = rome(2026, 10, 28, 15, 0);
        moved.end = rome(2026, 10, 28, 15, 30);
        let found =
            occurrences(&[weekly_standup(), moved], rome(2026, 10, 26, 0, 0), rome(2026, 11, 1, 0, 0))
                .unwrap();
        let starts: Vec<_> = found.iter().map(|o| o.start).collect();
        assert_eq!(starts, [rome(2026, 10, 28, 15, 0)]);
    }

    #[test]
    fn cancelled_and_transparent_events_do_not_make_time_busy() {
        let mut cancelled = weekly_standup();
        cancelled.rrule = None;
        cancelled.status = EventStatus::Cancelled;
        let mut free = weekly_standup();
        free.rrule = None;
        free.uid = "reminder".into();
        free.transparent = true;
        let found =
            occurrences(&[cancelled, free], rome(2026, 10, 20, 0, 0), rome(2026, 10, 21, 0, 0)).unwrap();
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|o| !o.busy));
    }

    #[test]
    fn a_broken_rrule_names_the_event() {
        let mut broken = weekly_standup();
        broken.rrule = Some("FREQ=FORTNIGHTLY".into());
        let error = occurrences(&[broken], rome(2026, 10, 19, 0, 0), rome(2026, 11, 4, 0, 0)).unwrap_err();
        assert!(
            error.to_string().starts_with("event standup@office.example: RRULE `FREQ=FORTNIGHTLY`: "),
            "{error}"
        );
    }
}
