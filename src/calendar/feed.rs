//! The calendars clerk publishes: a calendar's or room's events as an iCalendar feed that Google
//! Calendar, Outlook, Apple Calendar, Thunderbird and khal subscribe to, and a free/busy feed that
//! shows only when a calendar is busy.
//!
//! A feed holds the events of a window of dates around today, so that it stays well under the 1 MB
//! Google accepts however long the office runs. Cancelled events are left out. What a feed says does
//! not depend on when it is rendered, only on the events and the window, so the same events give the
//! same bytes (and the same ETag) on every render.

use std::collections::BTreeMap;
use std::time::Duration;

use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarDuration, ICalendarMethod, ICalendarParameter, ICalendarProperty,
    ICalendarValue, ICalendarValueType,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::event::{Cut, Event, EventStatus, first_occurrences, occurrences};
use super::itip::{Meeting, calendar_root, text, vevent};
use super::recurrence::Rule;

/// The part of the calendar a feed shows: events with an occurrence in `from..to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// What a subscriber's calendar shows of the feed as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The calendar's name in the subscriber's list (X-WR-CALNAME, NAME).
    pub title: String,
    /// The zone the calendar is kept in (X-WR-TIMEZONE).
    pub timezone: Tz,
    /// How often subscribers should fetch it again (REFRESH-INTERVAL, X-PUBLISHED-TTL).
    pub refresh: Duration,
}

/// An event with the time it last changed, its DTSTAMP in a feed, and its DESCRIPTION when it has
/// one (the office's own events: the calendars' rows keep none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamped {
    pub event: Event,
    pub changed: DateTime<Utc>,
    pub description: Option<String>,
}

/// A feed as written, and what the limits on series cut from it (for the log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedBody {
    pub text: String,
    pub cuts: Vec<Cut>,
}

/// The feed of a calendar's events: every event, series and overridden instance with an occurrence
/// in `window`, without attendees or organizer (a feed is read by whoever has its link). A series'
/// cancelled instances become EXDATEs; a cancelled event or series is left out. A series whose rule
/// clerk refuses is published as its first occurrence alone, so that subscribers are not handed a
/// rule clerk would not expand itself.
pub fn events(heading: &Heading, stamped: &[Stamped], window: Window) -> FeedBody {
    let mut by_uid: BTreeMap<&str, Vec<&Stamped>> = BTreeMap::new();
    for row in stamped {
        by_uid.entry(&row.event.uid).or_default().push(row);
    }
    let mut components = Vec::new();
    let mut cuts = Vec::new();
    for rows in by_uid.values() {
        let series: Vec<Event> = rows.iter().map(|row| row.event.clone()).collect();
        // A cancelled series takes its moved instances with it.
        let series_cancelled = rows
            .iter()
            .any(|row| row.event.recurrence_id.is_none() && row.event.status == EventStatus::Cancelled);
        let shown = first_occurrences(&series, window.from, window.to);
        cuts.extend(shown.cuts.iter().cloned());
        if series_cancelled || !shown.occurrences.iter().any(|o| o.status() != EventStatus::Cancelled) {
            continue;
        }
        let cancelled: Vec<DateTime<Utc>> = rows
            .iter()
            .filter(|row| row.event.status == EventStatus::Cancelled)
            .filter_map(|row| row.event.recurrence_id)
            .collect();
        for row in rows.iter().filter(|row| row.event.status != EventStatus::Cancelled) {
            let mut meeting = Meeting {
                organizer: None,
                attendees: Vec::new(),
                description: row.description.clone(),
                ..Meeting::from_event(&row.event)
            };
            let event = &row.event;
            if let Some(rrule) = &meeting.rrule
                && Rule::new(rrule, event.start, event.timezone).is_err()
            {
                meeting.rrule = None;
            }
            for instance in &cancelled {
                if !meeting.exdates.contains(instance) {
                    meeting.exdates.push(*instance);
                }
            }
            let mut component = vevent(&meeting, row.event.status, row.changed);
            // SEQUENCE:0 and TRANSP:OPAQUE are the defaults (RFC 5545): a feed of thousands of events
            // is smaller without them.
            component.entries.retain(|e| {
                !(e.name == ICalendarProperty::Sequence
                    && e.values.first() == Some(&ICalendarValue::Integer(0)))
            });
            if row.event.transparent {
                component.add_property(ICalendarProperty::Transp, text("TRANSPARENT"));
            }
            components.push(component);
        }
    }
    FeedBody { text: write(heading, components), cuts }
}

/// The free/busy feed of a calendar: one "Busy" event per stretch of busy time in `window`, merged
/// where meetings touch or overlap, with no title, place or people. Each block's UID is made from its
/// times, so an unchanged block keeps its UID.
pub fn free_busy(heading: &Heading, stamped: &[Stamped], window: Window) -> FeedBody {
    let events: Vec<Event> =
        stamped.iter().map(|row| row.event.clone()).filter(|e| !e.is_cancelled_series()).collect();
    let stamp = stamped.iter().map(|row| row.changed).max().unwrap_or(window.from);
    let mut blocks: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    let expansion = occurrences(&events, window.from, window.to);
    for o in expansion.occurrences.iter().filter(|o| o.busy()) {
        match blocks.last_mut() {
            Some((_, end)) if o.start <= *end => *end = (*end).max(o.end),
            _ => blocks.push((o.start, o.end)),
        }
    }
    let components = blocks
        .into_iter()
        .map(|(start, end)| {
            let block = Meeting {
                uid: format!("busy-{}-{}@clerk", start.timestamp(), end.timestamp()),
                sequence: 0,
                recurrence_id: None,
                summary: "Busy".into(),
                location: None,
                description: None,
                start,
                end,
                timezone: heading.timezone,
                rrule: None,
                exdates: Vec::new(),
                organizer: None,
                attendees: Vec::new(),
            };
            let mut component = vevent(&block, EventStatus::Confirmed, stamp);
            component.entries.retain(|e| e.name != ICalendarProperty::Sequence);
            component.add_property(ICalendarProperty::Class, text("PRIVATE"));
            component
        })
        .collect();
    FeedBody { text: write(heading, components), cuts: expansion.cuts }
}

/// The VCALENDAR around `components`, with the headings subscribers' calendars read and a VTIMEZONE
/// for every zone used.
fn write(heading: &Heading, components: Vec<ICalendarComponent>) -> String {
    let mut root = calendar_root();
    root.add_property(ICalendarProperty::Method, ICalendarValue::Method(ICalendarMethod::Publish));
    root.add_property(ICalendarProperty::Name, text(&heading.title));
    root.add_property(ICalendarProperty::Other("X-WR-CALNAME".into()), text(&heading.title));
    root.add_property(ICalendarProperty::Other("X-WR-TIMEZONE".into()), text(heading.timezone.name()));
    let seconds = u32::try_from(heading.refresh.as_secs()).unwrap_or(u32::MAX);
    let refresh = ICalendarDuration {
        neg: false,
        weeks: 0,
        days: seconds / 86_400,
        hours: seconds % 86_400 / 3600,
        minutes: seconds % 3600 / 60,
        seconds: seconds % 60,
    };
    root.add_property_with_params(
        ICalendarProperty::RefreshInterval,
        [ICalendarParameter::value(ICalendarValueType::Duration)],
        ICalendarValue::Duration(refresh.clone()),
    );
    root.add_property(ICalendarProperty::Other("X-PUBLISHED-TTL".into()), ICalendarValue::Duration(refresh));
    root.component_ids = (1..=components.len()).filter_map(|id| u32::try_from(id).ok()).collect();
    let mut calendar = ICalendar { components: std::iter::once(root).chain(components).collect() };
    calendar.add_missing_timezones();
    calendar.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const ROME: Tz = chrono_tz::Europe::Rome;

    fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        ROME.with_ymd_and_hms(2026, 11, day, hour, minute, 0).unwrap().with_timezone(&Utc)
    }

    fn meeting(uid: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Stamped {
        Stamped {
            event: Event {
                calendar: "giulia".into(),
                uid: uid.into(),
                recurrence_id: None,
                sequence: 0,
                summary: format!("Meeting {uid}"),
                location: None,
                start,
                end,
                timezone: ROME,
                rrule: None,
                exdates: Vec::new(),
                status: EventStatus::Confirmed,
                transparent: false,
                organizer: Some("anna@client.example".into()),
                attendees: Vec::new(),
            },
            changed: at(20, 9, 0),
            description: None,
        }
    }

    fn heading() -> Heading {
        Heading { title: "Giulia".into(), timezone: ROME, refresh: Duration::from_secs(3600) }
    }

    fn window() -> Window {
        Window { from: at(1, 0, 0), to: at(30, 0, 0) }
    }

    #[test]
    fn the_same_events_render_the_same_bytes() {
        let stamped = [meeting("a", at(24, 15, 0), at(24, 16, 0)), meeting("b", at(25, 9, 0), at(25, 10, 0))];
        let render = || events(&heading(), &stamped, window()).text;
        assert_eq!(render(), render());
    }

    #[test]
    fn a_cancelled_series_leaves_out_its_moved_instances_too() {
        let mut series = meeting("s", at(2, 9, 0), at(2, 10, 0));
        series.event.rrule = Some("FREQ=WEEKLY".into());
        series.event.status = EventStatus::Cancelled;
        let mut moved = meeting("s", at(10, 11, 0), at(10, 12, 0));
        moved.event.recurrence_id = Some(at(9, 9, 0));
        let text = events(&heading(), &[series, moved], window()).text;
        assert!(!text.contains("BEGIN:VEVENT"), "{text}");
    }

    #[test]
    fn a_feed_names_no_organizer_and_no_attendee() {
        let text = events(&heading(), &[meeting("a", at(24, 15, 0), at(24, 16, 0))], window()).text;
        assert!(text.contains("SUMMARY:Meeting a"), "{text}");
        assert!(!text.contains("ORGANIZER") && !text.contains("ATTENDEE"), "{text}");
    }

    #[test]
    fn a_rows_description_is_published_and_a_meeting_has_none() {
        let mut planned = meeting("ev-2026-0001@office.example", at(24, 20, 0), at(24, 23, 0));
        planned.description = Some("Event EV-2026-0001, being planned (tentative).".into());
        let stamped = [planned, meeting("a", at(25, 9, 0), at(25, 10, 0))];
        let text = events(&heading(), &stamped, window()).text;
        assert_eq!(text.matches("DESCRIPTION:").count(), 1, "{text}");
        assert!(text.contains("DESCRIPTION:Event EV-2026-0001\\, being planned (tentative)."), "{text}");
    }

    #[test]
    fn free_busy_merges_meetings_that_touch_and_shows_no_titles() {
        let stamped = [
            meeting("a", at(24, 15, 0), at(24, 16, 0)),
            meeting("b", at(24, 16, 0), at(24, 17, 0)),
            meeting("c", at(25, 9, 0), at(25, 10, 0)),
        ];
        let text = free_busy(&heading(), &stamped, window()).text;
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2, "{text}");
        assert!(text.contains("DTSTART;TZID=Europe/Rome:20261124T150000"), "{text}");
        assert!(text.contains("DTEND;TZID=Europe/Rome:20261124T170000"), "{text}");
        assert!(!text.contains("Meeting"), "{text}");
    }

    #[test]
    fn a_series_stored_with_a_rule_clerk_refuses_is_published_as_its_first_occurrence() {
        let mut poison = meeting("p", at(24, 15, 0), at(24, 16, 0));
        poison.event.rrule = Some("FREQ=SECONDLY;COUNT=100000000".into());
        let body = events(&heading(), std::slice::from_ref(&poison), window());
        assert_eq!(body.text.matches("BEGIN:VEVENT").count(), 1, "{}", body.text);
        assert!(!body.text.contains("SECONDLY"), "{}", body.text);
        assert!(matches!(&body.cuts[..], [Cut::Refused(_)]), "{:?}", body.cuts);
        let busy = free_busy(&heading(), &[poison], window());
        assert_eq!(busy.text.matches("BEGIN:VEVENT").count(), 1, "{}", busy.text);
    }
}
