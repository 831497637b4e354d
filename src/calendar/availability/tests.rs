//! Specifications of the free-time search, on an office in Rome open 09:00–12:30 and 14:00–18:00 on
//! weekdays, with a 10-minute buffer, an hour's notice and 30 days ahead.

use super::*;
use crate::calendar::event::{Event, EventStatus, Occurrence};
use crate::calendar::hours::parse_day;
use chrono::{TimeZone, Weekday};

fn rome(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Rome.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn office() -> Policy {
    let mut hours = WorkingHours::closed();
    for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri] {
        hours.set(day, parse_day("09:00-12:30, 14:00-18:00").unwrap());
    }
    Policy {
        timezone: chrono_tz::Europe::Rome,
        hours,
        buffer: Duration::from_secs(600),
        min_notice: Duration::from_secs(3600),
        horizon: Duration::from_secs(30 * 86_400),
    }
}

/// The meeting whose occurrences the tests put in the calendar.
static MEETING: std::sync::LazyLock<Event> = std::sync::LazyLock::new(|| Event {
    calendar: "office".into(),
    uid: "m".into(),
    recurrence_id: None,
    sequence: 0,
    summary: "Meeting".into(),
    location: None,
    start: DateTime::UNIX_EPOCH,
    end: DateTime::UNIX_EPOCH,
    timezone: chrono_tz::Europe::Rome,
    rrule: None,
    exdates: Vec::new(),
    status: EventStatus::Confirmed,
    transparent: false,
    organizer: None,
    attendees: Vec::new(),
});

fn meeting(start: DateTime<Utc>, end: DateTime<Utc>) -> Occurrence<'static> {
    Occurrence { event: &MEETING, start, end }
}

const HOUR: Duration = Duration::from_secs(3600);

/// Monday 23 November 2026, 08:00 in Rome.
fn monday_morning() -> DateTime<Utc> {
    rome(2026, 11, 23, 8, 0)
}

#[test]
fn proposals_are_spread_over_different_days() {
    let slots = office().free_slots(&Busy::default(), monday_morning(), HOUR, 3, true);
    let starts: Vec<_> = slots.iter().map(|s| s.start).collect();
    assert_eq!(starts, [rome(2026, 11, 23, 9, 0), rome(2026, 11, 24, 9, 0), rome(2026, 11, 25, 9, 0)]);
}

#[test]
fn without_spreading_the_earliest_slots_come_back_to_back_around_lunch() {
    let slots = office().free_slots(&Busy::default(), monday_morning(), Duration::from_secs(5400), 3, false);
    let starts: Vec<_> = slots.iter().map(|s| (s.start, s.end)).collect();
    assert_eq!(
        starts,
        [
            (rome(2026, 11, 23, 9, 0), rome(2026, 11, 23, 10, 30)),
            (rome(2026, 11, 23, 10, 30), rome(2026, 11, 23, 12, 0)),
            (rome(2026, 11, 23, 14, 0), rome(2026, 11, 23, 15, 30)),
        ]
    );
}

#[test]
fn a_meeting_and_its_buffer_push_the_next_slot_to_the_quarter_hour_after() {
    let busy = Busy::new(&[meeting(rome(2026, 11, 23, 9, 0), rome(2026, 11, 23, 10, 0))], office().buffer);
    let slots = office().free_slots(&busy, monday_morning(), HOUR, 1, false);
    assert_eq!(slots[0].start, rome(2026, 11, 23, 10, 15));
}

#[test]
fn the_minimum_notice_keeps_the_rest_of_the_afternoon_free() {
    let slots = office().free_slots(&Busy::default(), rome(2026, 11, 23, 16, 50), HOUR, 1, false);
    assert_eq!(slots[0].start, rome(2026, 11, 24, 9, 0));
}

#[test]
fn a_weekend_and_a_full_day_are_skipped() {
    let friday_evening = rome(2026, 11, 27, 19, 0);
    let busy = Busy::new(&[meeting(rome(2026, 11, 30, 9, 0), rome(2026, 11, 30, 18, 0))], Duration::ZERO);
    let slots = office().free_slots(&busy, friday_evening, HOUR, 1, false);
    assert_eq!(slots[0].start, rome(2026, 12, 1, 9, 0));
}

#[test]
fn working_hours_stay_local_across_the_change_to_summer_time() {
    // Rome goes to summer time on Sunday 29 March 2026: 09:00 is 08:00 UTC before, 07:00 UTC after.
    let slots = office().free_slots(&Busy::default(), rome(2026, 3, 27, 8, 0), HOUR, 2, true);
    assert_eq!(slots[0].start.format("%H:%M").to_string(), "08:00");
    assert_eq!(slots[1].start, rome(2026, 3, 30, 9, 0));
    assert_eq!(slots[1].start.format("%H:%M").to_string(), "07:00");
}

#[test]
fn a_requested_slot_is_checked_with_the_reason_it_does_not_fit() {
    let policy = office();
    let busy = Busy::new(&[meeting(rome(2026, 11, 24, 15, 0), rome(2026, 11, 24, 16, 0))], policy.buffer);
    let now = monday_morning();
    let at = |h: u32, m: u32, minutes: i64| {
        let start = rome(2026, 11, 24, h, m);
        Slot { start, end: start + TimeDelta::minutes(minutes) }
    };
    assert_eq!(policy.check(&busy, now, at(10, 0, 60)), Ok(()));
    assert_eq!(policy.check(&busy, now, at(12, 0, 60)), Err(Unavailable::OutsideHours), "across lunch");
    assert_eq!(policy.check(&busy, now, at(16, 0, 30)), Err(Unavailable::Busy), "inside the buffer");
    assert_eq!(policy.check(&busy, now, at(16, 15, 30)), Ok(()));
    let soon = Slot { start: rome(2026, 11, 23, 8, 30), end: rome(2026, 11, 23, 9, 30) };
    assert_eq!(
        policy.check(&busy, now, soon),
        Err(Unavailable::TooSoon { earliest: rome(2026, 11, 23, 9, 0) })
    );
    let far = Slot { start: rome(2027, 1, 4, 9, 0), end: rome(2027, 1, 4, 10, 0) };
    assert!(matches!(policy.check(&busy, now, far), Err(Unavailable::TooFarAhead { .. })));
}

#[test]
fn a_calendar_booked_solid_has_no_slots_and_says_so_quickly() {
    let busy = Busy::new(&[meeting(rome(2026, 11, 1, 0, 0), rome(2027, 12, 31, 0, 0))], Duration::ZERO);
    assert!(office().free_slots(&busy, monday_morning(), HOUR, 3, true).is_empty());
}

#[test]
fn an_endless_horizon_does_not_overflow() {
    let policy = Policy { horizon: Duration::from_secs(u64::MAX / 4), ..office() };
    let slots = policy.free_slots(&Busy::default(), monday_morning(), HOUR, 1, true);
    assert_eq!(slots[0].start, rome(2026, 11, 23, 9, 0));
}
