//! The places that fit an event: the office's rooms that seat everyone and are free at its time by
//! their own calendars, and the external venues that hold everyone. Nothing says when a venue is
//! busy until the office writes to it, so a venue that fits is only "not known to be busy".

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};

use crate::calendar::event::{EventStatus, occurrences};
use crate::desks::CalendarView;
use crate::office::Office;
use crate::planning::request::When;
use crate::store::StoreError;

/// A place that holds an event's people.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fitting {
    pub name: String,
    /// `room` or `venue`.
    pub kind: &'static str,
    pub capacity: u32,
    /// Whether its calendar shows it free at the event's time; none when that time is not known, or
    /// for a venue, whose calendar clerk does not keep.
    pub free: Option<bool>,
}

/// The rooms and venues of `office` holding `people`, smallest first; a room busy at the event's
/// time (`when`, when its days and start are known) is left out.
pub fn fitting(
    office: &Office,
    calendars: &dyn CalendarView,
    people: u32,
    when: &When,
) -> Result<Vec<Fitting>, StoreError> {
    let slots = slots(office, when);
    let mut found = Vec::new();
    for room in office.rooms.iter().filter(|r| r.capacity >= people) {
        let free = match &slots {
            Some(slots) => Some(is_free(calendars, &room.name, slots, None)?),
            None => None,
        };
        if free != Some(false) {
            found.push(Fitting { name: room.name.clone(), kind: "room", capacity: room.capacity, free });
        }
    }
    for venue in office.events.venues.iter().filter(|v| v.capacity >= people) {
        found.push(Fitting { name: venue.name.clone(), kind: "venue", capacity: venue.capacity, free: None });
    }
    found.sort_by_key(|f| (f.kind == "venue", f.capacity));
    Ok(found)
}

/// The stretch of each day the event takes, in UTC; none unless its days and start are known. With
/// no end said, a room must be free from the start to midnight: the office does not guess an end.
pub(super) fn slots(office: &Office, when: &When) -> Option<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    let When::Days { first, last, start: Some(start), end } = *when else { return None };
    let mut slots = Vec::new();
    let mut day = first;
    while day <= last {
        let from = at(office, day, start)?;
        let to = match end {
            Some(end) if end > start => at(office, day, end)?,
            // An end at or before the start is past midnight.
            Some(end) => at(office, day.succ_opt()?, end)?,
            None => at(office, day.succ_opt()?, NaiveTime::MIN)?,
        };
        slots.push((from, to));
        day = day.succ_opt()?;
    }
    Some(slots)
}

fn at(office: &Office, day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    office.timezone.from_local_datetime(&day.and_time(time)).earliest().map(|t| t.with_timezone(&Utc))
}

/// Whether `room`'s calendar has nothing that takes time during any of `slots`, the event `except`
/// (the office's own booking being moved) aside.
pub(super) fn is_free(
    calendars: &dyn CalendarView,
    room: &str,
    slots: &[(DateTime<Utc>, DateTime<Utc>)],
    except: Option<&str>,
) -> Result<bool, StoreError> {
    for &(from, to) in slots {
        let margin = TimeDelta::days(1);
        let events = calendars.events(room, from - margin, to + margin)?;
        let expansion = occurrences(&events, from - margin, to + margin);
        let busy = expansion.occurrences.iter().any(|o| {
            o.event.status != EventStatus::Cancelled
                && !o.event.transparent
                && Some(o.event.uid.as_str()) != except
                && o.start < to
                && o.end > from
        });
        if busy {
            return Ok(false);
        }
    }
    Ok(true)
}
