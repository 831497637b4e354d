//! The calendar benchmark (issue #4): how long finding the next three free slots takes on a calendar
//! booked for a year, and how fast a feed of 5,000 events is rendered and served.
//!
//! Run with `cargo bench --bench calendar`. The calendar: a year of weekdays with six one-hour
//! meetings a day at varied times (about 1,500 single events), plus recurring series (a daily
//! stand-up, weekly and monthly meetings, with exceptions and one moved instance), in Europe/Rome
//! with a lunch break, a buffer and notice. The search starts at the beginning of that year and
//! asks for three one-hour slots spread over different days.
//!
//! The feed: 5,000 events (4,990 meetings and ten recurring series) within the feed's window, rendered
//! as the events feed and the free/busy feed; then served by clerk's HTTP listener on loopback and
//! loaded with `wrk` (Debian's package; skipped with a note when it is missing) for full 200
//! responses and for 304s (If-None-Match with the current ETag).
//!
//! First, before anything else grows the process: the series that took the daemon to 6.5 GB (issue
//! #15), every second a hundred million times with a 64 kB title, stored as an older clerk kept it,
//! and an hourly series with the same title, expanded over a feed's window and `clerk calendar`'s
//! two weeks; with the process's peak resident set after.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod feed_load;

use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, TimeDelta, TimeZone, Utc, Weekday};
use clerk::calendar::availability::{Busy, Policy};
use clerk::calendar::event::{Event, EventStatus, occurrences};
use clerk::calendar::hours::{WorkingHours, parse_day};

/// The allocator the clerk binary uses, so the figures match the daemon's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROUNDS: usize = 2_000;

fn main() {
    let zone = chrono_tz::Europe::Rome;
    let first_day = zone.with_ymd_and_hms(2027, 1, 4, 0, 0, 0).unwrap().with_timezone(&Utc);
    poison_series(first_day);
    let events = a_busy_year(first_day);
    let mut hours = WorkingHours::closed();
    for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri] {
        hours.set(day, parse_day("09:00-12:30, 14:00-18:00").unwrap());
    }
    let policy = Policy {
        timezone: zone,
        hours,
        buffer: Duration::from_secs(600),
        min_notice: Duration::from_secs(3600),
        horizon: Duration::from_secs(365 * 86_400),
    };
    let now = first_day + TimeDelta::hours(7);
    let until = now + TimeDelta::days(365);
    let year = occurrences(&events, now, until);
    assert!(year.cuts.is_empty(), "the bench calendar expands whole: {:?}", year.cuts);
    let year = year.occurrences;
    let busy = Busy::new(&year, policy.buffer);
    let slots = policy.free_slots(&busy, now, Duration::from_secs(3600), 3, true);
    assert_eq!(slots.len(), 3, "the bench calendar leaves room for three slots");

    println!("== availability: next 3 free one-hour slots, spread over days, on a booked year");
    println!(
        "  calendar: {} events, {} occurrences in the year, {} busy blocks",
        events.len(),
        year.len(),
        busy_blocks(&year)
    );
    let search = median(ROUNDS, || {
        std::hint::black_box(policy.free_slots(&busy, now, Duration::from_secs(3600), 3, true));
    });
    println!(
        "  search over the busy time (expanded, merged):  {:>8.1} µs (median of {ROUNDS})",
        micros(search)
    );
    let whole = median(ROUNDS, || {
        let year = occurrences(&events, now, until);
        let busy = Busy::new(&year.occurrences, policy.buffer);
        std::hint::black_box(policy.free_slots(&busy, now, Duration::from_secs(3600), 3, true));
    });
    println!(
        "  from the stored events (expand the year, merge, search): {:>8.1} µs (median of {ROUNDS})",
        micros(whole)
    );
    let window = median(ROUNDS, || {
        let month = occurrences(&events, now, now + TimeDelta::days(31));
        let busy = Busy::new(&month.occurrences, policy.buffer);
        std::hint::black_box(policy.free_slots(&busy, now, Duration::from_secs(3600), 3, true));
    });
    println!(
        "  from the stored events, expanding the next month only: {:>8.1} µs (median of {ROUNDS})",
        micros(window)
    );
    let sent = chrono::DateTime::parse_from_rfc3339("2026-11-23T09:00:00+01:00").expect("a date");
    let english =
        "Hi Giulia, could we meet on Tuesday between 2 and 4 for an hour to go over the plans? Thanks, Anna";
    let italian =
        "Buongiorno, possiamo vederci martedì alle 15 per un'ora per parlare del progetto? Grazie, Anna";
    // Each reading is sent a second later than the last, so that none is the reader's kept one.
    let later = std::cell::Cell::new(sent);
    let next = || {
        later.set(later.get() + chrono::TimeDelta::seconds(1));
        later.get()
    };
    println!("== reading a meeting request in plain words (median of 200)");
    for (language, text) in [("English", english), ("Italian", italian)] {
        let time = median(200, || {
            std::hint::black_box(clerk::calendar::phrase::read(text, next()));
        });
        println!("  {language}: {:>8.1} µs", micros(time));
    }
    let megabyte = format!("Can we meet Tuesday at 3pm? {}", "lorem ipsum ".repeat(90_000));
    let digits = "1".repeat(100_000);
    let repeated = "at 10am ".repeat(10_000);
    println!("== reading what no request looks like (median of 20): bounded to its first words");
    for (what, text) in [
        ("1 MB without a newline", &megabyte),
        ("100,000 digits", &digits),
        ("10,000 × \"at 10am\"", &repeated),
    ] {
        let time = median(20, || {
            std::hint::black_box(clerk::calendar::phrase::read(text, next()));
        });
        println!("  {what}: {:>8.1} ms", micros(time) / 1e3);
    }
    feed_load::run();
}

fn poison_series(now: DateTime<Utc>) {
    println!("== bounded recurrences: series with a 64 kB title over a feed's 396 days and an agenda's 14");
    let title = "x".repeat(64 * 1024);
    for rule in ["FREQ=SECONDLY;COUNT=100000000", "FREQ=HOURLY"] {
        let series =
            Event { summary: title.clone(), ..event("poison", now - TimeDelta::days(400), 60, Some(rule)) };
        let events = [series];
        for (days_before, days_after) in [(30, 366), (0, 14)] {
            let started = Instant::now();
            let found =
                occurrences(&events, now - TimeDelta::days(days_before), now + TimeDelta::days(days_after));
            let elapsed = started.elapsed();
            println!(
                "  {rule}, {} days: {} occurrences, {} cut(s), {:>8.1} ms",
                days_before + days_after,
                found.occurrences.len(),
                found.cuts.len(),
                elapsed.as_secs_f64() * 1e3
            );
        }
    }
    // SAFETY: rusage is plain data that getrusage fills in for this process.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    println!("  peak resident set of the bench so far: {} MB", usage.ru_maxrss / 1024);
}

/// Six meetings on every weekday of the year, at times that leave a gap somewhere most days, and
/// recurring series on top.
fn a_busy_year(first_day: DateTime<Utc>) -> Vec<Event> {
    let zone = chrono_tz::Europe::Rome;
    let mut events = Vec::new();
    let mut n = 0u64;
    for day in 0..365 {
        let date = (first_day + TimeDelta::days(day)).with_timezone(&zone).date_naive();
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for (i, hour) in [9, 10, 11, 14, 15, 16].into_iter().enumerate() {
            n += 1;
            // Every so often a slot is left free, so that some days have room.
            if (n * 7 + day as u64).is_multiple_of(11) {
                continue;
            }
            let start =
                zone.from_local_datetime(&date.and_hms_opt(hour, (i as u32 % 2) * 15, 0).unwrap()).unwrap();
            events.push(event(&format!("m{n}"), start.with_timezone(&Utc), 60, None));
        }
    }
    let start = |h, m| zone.with_ymd_and_hms(2026, 9, 7, h, m, 0).unwrap().with_timezone(&Utc);
    let mut standup = event("standup", start(8, 45), 15, Some("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"));
    standup.exdates.push(zone.with_ymd_and_hms(2027, 1, 6, 8, 45, 0).unwrap().with_timezone(&Utc));
    events.push(standup);
    events.push(event("weekly", start(17, 0), 60, Some("FREQ=WEEKLY;BYDAY=MO")));
    events.push(event("monthly", start(12, 0), 30, Some("FREQ=MONTHLY;BYMONTHDAY=1")));
    let mut moved = event("weekly", start(17, 0) + TimeDelta::weeks(20) + TimeDelta::hours(1), 60, None);
    moved.recurrence_id = Some(start(17, 0) + TimeDelta::weeks(20));
    events.push(moved);
    events
}

fn event(uid: &str, start: DateTime<Utc>, minutes: i64, rrule: Option<&str>) -> Event {
    Event {
        calendar: "giulia".into(),
        uid: uid.into(),
        recurrence_id: None,
        sequence: 0,
        summary: "Meeting".into(),
        location: None,
        start,
        end: start + TimeDelta::minutes(minutes),
        timezone: chrono_tz::Europe::Rome,
        rrule: rrule.map(str::to_owned),
        exdates: Vec::new(),
        status: EventStatus::Confirmed,
        transparent: false,
        organizer: None,
        attendees: Vec::new(),
    }
}

fn busy_blocks(occurrences: &[clerk::calendar::event::Occurrence<'_>]) -> usize {
    occurrences.iter().filter(|o| o.busy()).count()
}

/// The median time of `rounds` runs of `work`, after a few unmeasured ones.
fn median(rounds: usize, mut work: impl FnMut()) -> Duration {
    for _ in 0..rounds.min(20) {
        work();
    }
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[rounds / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
