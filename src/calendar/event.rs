//! Events as a calendar keeps them, and their occurrences: a recurring event (RRULE) is expanded in its
//! own time zone, so a weekly 09:00 meeting stays at 09:00 across a daylight-saving change; EXDATEs
//! drop instances and overridden instances (RECURRENCE-ID) replace theirs.

use crate::language::Language;
use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::availability::Slot;
use super::ics::{Attendee, PartStat, Party};
use super::recurrence::Rule;

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
    /// Whether it is a whole series cancelled: listings expand it to show each instance cancelled,
    /// but what asks when the time is busy leaves it out, so that its instances do not count against
    /// an expansion's limits and push live meetings out of it.
    pub fn is_cancelled_series(&self) -> bool {
        self.status == EventStatus::Cancelled && self.rrule.is_some() && self.recurrence_id.is_none()
    }

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
    span_in(start, end, zone, Language::English)
}

/// [`span`] in `language`: "Tue 24 Nov 2026 15:00–16:00", "mar 24 nov 2026 15:00–16:00".
pub fn span_in(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz, language: Language) -> String {
    let (start, end) = (start.with_timezone(&zone), end.with_timezone(&zone));
    let end_format = if start.date_naive() == end.date_naive() { "%H:%M" } else { "%a %-d %b %Y %H:%M" };
    format!("{}–{}", language.date(&start, "%a %-d %b %Y %H:%M"), language.date(&end, end_format))
}

/// [`span_in`] with the zone's abbreviation: "Tue 24 Nov 2026 15:00–16:00 CET", as answers to people
/// write it.
pub fn span_abbreviated(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz, language: Language) -> String {
    format!("{} {}", span_in(start, end, zone, language), start.with_timezone(&zone).format("%Z"))
}

/// Numbered lines of times offered, in `language`: "  1. Wed 25 Nov 2026 10:00–11:00 (Europe/Rome)".
pub fn numbered(slots: &[Slot], zone: Tz, language: Language) -> String {
    slots
        .iter()
        .enumerate()
        .map(|(n, s)| format!("  {}. {} ({})\n", n + 1, span_in(s.start, s.end, zone, language), zone.name()))
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

/// One occurrence of an event in time. It borrows its event, so that a series of thousands of
/// instances holds its title, place and people once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence<'e> {
    /// The single event, the series' master, or the overridden instance this is.
    pub event: &'e Event,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Occurrence<'_> {
    pub fn uid(&self) -> &str {
        &self.event.uid
    }

    pub fn summary(&self) -> &str {
        &self.event.summary
    }

    pub fn status(&self) -> EventStatus {
        self.event.status
    }

    /// Whether it makes the time busy (not cancelled, not transparent).
    pub fn busy(&self) -> bool {
        self.event.status != EventStatus::Cancelled && !self.event.transparent
    }
}

/// Why a series cannot be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {uid}: RRULE `{rrule}`: {reason}")]
pub struct RecurrenceError {
    pub uid: String,
    pub rrule: String,
    pub reason: String,
}

/// What an expansion left out, and why: each is a line for the log or for `clerk explain`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Cut {
    /// A series whose rule clerk refuses (stored before the rule was checked): counted as the one
    /// meeting at its DTSTART.
    #[error("{0}; only its first occurrence is counted")]
    Refused(RecurrenceError),
    /// A series with more occurrences in the window than [`SERIES_LIMIT`].
    #[error(
        "event {uid}: more than {SERIES_LIMIT} occurrences in the window; only the first {SERIES_LIMIT} are counted"
    )]
    Series { uid: String },
    /// A series that counts its instances (COUNT) and had not reached the window after [`WALK_LIMIT`].
    #[error(
        "event {uid}: {WALK_LIMIT} instances walked without reaching the window's end; the rest are not counted"
    )]
    Walk { uid: String },
    /// More occurrences in the window than [`WINDOW_LIMIT`], all events together.
    #[error("more than {WINDOW_LIMIT} occurrences in the window; only the first {WINDOW_LIMIT} are counted")]
    Window,
}

/// The occurrences of a window, earliest first, and what was cut from them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion<'e> {
    pub occurrences: Vec<Occurrence<'e>>,
    pub cuts: Vec<Cut>,
}

/// Occurrences one series gives in a window at most: a year of a meeting held a dozen times a day.
pub const SERIES_LIMIT: usize = 5_000;

/// Occurrences one window holds at most, all events together.
pub const WINDOW_LIMIT: usize = 50_000;

/// Instances of a counted series (COUNT) walked through on the way to a window at most. Rules read
/// since they were checked count at most [`super::recurrence::MOST_COUNT`]; this bounds older ones.
pub const WALK_LIMIT: usize = 100_000;

/// Every occurrence of `events` that overlaps `from..to`, earliest first. Each series is expanded
/// with its exceptions and overrides, from the window on (never from its first instance when it can
/// be helped) and at most [`SERIES_LIMIT`] of it; an override moved into the window counts, and the
/// instance it replaced does not. Nothing an event says makes this fail: what is left out is said in
/// [`Expansion::cuts`].
///
/// At most [`WINDOW_LIMIT`] occurrences are kept, the earliest: once twice as many are held, the rest
/// are dropped and the window ends, for the events still to come, where the last one kept starts. So
/// a calendar of a thousand series holds and sorts a hundred thousand occurrences at most, not the
/// millions their limits add up to.
pub fn occurrences(events: &[Event], from: DateTime<Utc>, to: DateTime<Utc>) -> Expansion<'_> {
    expand(events, from, to, Each::UpToTheLimit)
}

/// The first occurrence in `from..to` of each event and series of `events`, earliest first: what
/// tells whether any of them shows in the window, at a cost that does not grow with how often a
/// series repeats there. Its cuts say which series are refused or walked too far, not which repeat
/// more than [`SERIES_LIMIT`] times.
pub fn first_occurrences(events: &[Event], from: DateTime<Utc>, to: DateTime<Utc>) -> Expansion<'_> {
    expand(events, from, to, Each::First)
}

/// How much of each series an expansion takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Each {
    /// Up to [`SERIES_LIMIT`] occurrences, saying so when there are more.
    UpToTheLimit,
    /// The first occurrence alone.
    First,
}

fn expand(events: &[Event], from: DateTime<Utc>, to: DateTime<Utc>, each: Each) -> Expansion<'_> {
    let overridden: HashSet<(&str, DateTime<Utc>)> =
        events.iter().filter_map(|e| Some((e.uid.as_str(), e.recurrence_id?))).collect();
    let mut expansion = Expansion::default();
    let mut to = to;
    let mut cut = false;
    for event in events {
        let overlaps = |start: DateTime<Utc>, end: DateTime<Utc>| start < to && end > from;
        match (&event.rrule, event.recurrence_id) {
            // A cancelled series is expanded too, every instance cancelled, so that a listing shows
            // all of them as cancelled rather than its first alone.
            (Some(rrule), None) => match Rule::new(rrule, event.start, event.timezone) {
                Ok(rule) => series(event, &rule, from, to, &overridden, &mut expansion, each),
                Err(reason) => {
                    let error = RecurrenceError { uid: event.uid.clone(), rrule: rrule.clone(), reason };
                    expansion.cuts.push(Cut::Refused(error));
                    if overlaps(event.start, event.end) {
                        expansion.occurrences.push(Occurrence { event, start: event.start, end: event.end });
                    }
                }
            },
            _ if overlaps(event.start, event.end) => {
                expansion.occurrences.push(Occurrence { event, start: event.start, end: event.end })
            }
            _ => {}
        }
        if expansion.occurrences.len() >= 2 * WINDOW_LIMIT {
            to = keep_earliest(&mut expansion.occurrences);
            cut = true;
        }
    }
    expansion.occurrences.sort_by_key(|o| (o.start, o.end));
    if expansion.occurrences.len() > WINDOW_LIMIT {
        expansion.occurrences.truncate(WINDOW_LIMIT);
        cut = true;
    }
    if cut {
        expansion.cuts.push(Cut::Window);
    }
    expansion
}

/// Keeps the [`WINDOW_LIMIT`] earliest of `occurrences` (unordered) and returns where the window
/// now ends: just after the start of the last one kept, since one starting later cannot be among them.
fn keep_earliest(occurrences: &mut Vec<Occurrence<'_>>) -> DateTime<Utc> {
    occurrences.select_nth_unstable_by_key(WINDOW_LIMIT - 1, |o| (o.start, o.end));
    occurrences.truncate(WINDOW_LIMIT);
    let last = occurrences.iter().map(|o| o.start).max().unwrap_or(DateTime::<Utc>::MIN_UTC);
    last.checked_add_signed(TimeDelta::nanoseconds(1)).unwrap_or(last)
}

/// The occurrences of the series `event` (with `rule`) that overlap `from..to`, as many as `each`
/// says.
fn series<'e>(
    event: &'e Event,
    rule: &Rule,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    overridden: &HashSet<(&str, DateTime<Utc>)>,
    expansion: &mut Expansion<'e>,
    each: Each,
) {
    let length = event.end.signed_duration_since(event.start);
    let reach = from.checked_sub_signed(length).unwrap_or(from);
    let exdates: HashSet<DateTime<Utc>> = event.exdates.iter().copied().collect();
    let mut kept = 0;
    for (walked, start) in rule.starts(reach).enumerate() {
        if start >= to {
            return;
        }
        if walked >= WALK_LIMIT {
            expansion.cuts.push(Cut::Walk { uid: event.uid.clone() });
            return;
        }
        let Some(end) = start.checked_add_signed(length) else { return };
        if end <= from || exdates.contains(&start) || overridden.contains(&(event.uid.as_str(), start)) {
            continue;
        }
        match each {
            Each::First if kept == 1 => return,
            Each::UpToTheLimit if kept == SERIES_LIMIT => {
                expansion.cuts.push(Cut::Series { uid: event.uid.clone() });
                return;
            }
            _ => {}
        }
        kept += 1;
        expansion.occurrences.push(Occurrence { event, start, end });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};

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

    fn starts(expansion: &Expansion<'_>) -> Vec<DateTime<Utc>> {
        expansion.occurrences.iter().map(|o| o.start).collect()
    }

    #[test]
    fn a_cancelled_series_is_told_apart_from_a_cancelled_instance_and_a_cancelled_meeting() {
        let mut series = weekly_standup();
        assert!(!series.is_cancelled_series());
        series.status = EventStatus::Cancelled;
        assert!(series.is_cancelled_series());
        let mut instance = series.clone();
        instance.recurrence_id = Some(instance.start);
        assert!(!instance.is_cancelled_series(), "an instance keeps the series' other times busy");
        let mut single = series.clone();
        single.rrule = None;
        assert!(!single.is_cancelled_series());
    }

    #[test]
    fn a_weekly_series_keeps_its_local_time_across_the_change_to_winter_time() {
        let events = [weekly_standup()];
        let found = starts(&occurrences(&events, rome(2026, 10, 19, 0, 0), rome(2026, 11, 4, 0, 0)));
        // Rome leaves summer time on 25 October: 07:00 UTC before, 08:00 UTC after, 09:00 local always.
        assert_eq!(found, [rome(2026, 10, 20, 9, 0), rome(2026, 10, 27, 9, 0), rome(2026, 11, 3, 9, 0)]);
        assert_eq!(found[0].format("%H:%M").to_string(), "07:00");
        assert_eq!(found[1].format("%H:%M").to_string(), "08:00");
    }

    #[test]
    fn an_exdate_drops_one_instance() {
        let mut standup = weekly_standup();
        standup.exdates.push(rome(2026, 10, 27, 9, 0));
        let events = [standup];
        let found = starts(&occurrences(&events, rome(2026, 10, 19, 0, 0), rome(2026, 11, 4, 0, 0)));
        assert_eq!(found, [rome(2026, 10, 20, 9, 0), rome(2026, 11, 3, 9, 0)]);
    }

    #[test]
    fn an_overridden_instance_replaces_the_one_it_moves() {
        let mut moved = weekly_standup();
        moved.rrule = None;
        moved.recurrence_id = Some(rome(2026, 10, 27, 9, 0));
        moved.start = rome(2026, 10, 28, 15, 0);
        moved.end = rome(2026, 10, 28, 15, 30);
        let events = [weekly_standup(), moved];
        let found = starts(&occurrences(&events, rome(2026, 10, 26, 0, 0), rome(2026, 11, 1, 0, 0)));
        assert_eq!(found, [rome(2026, 10, 28, 15, 0)]);
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
        let events = [cancelled, free];
        let found = occurrences(&events, rome(2026, 10, 20, 0, 0), rome(2026, 10, 21, 0, 0));
        assert_eq!(found.occurrences.len(), 2);
        assert!(found.occurrences.iter().all(|o| !o.busy()));
    }

    #[test]
    fn a_broken_rrule_is_said_with_the_event_and_counts_its_first_occurrence() {
        let mut broken = weekly_standup();
        broken.rrule = Some("FREQ=FORTNIGHTLY".into());
        let events = [broken];
        let found = occurrences(&events, rome(2026, 10, 19, 0, 0), rome(2026, 11, 4, 0, 0));
        assert_eq!(starts(&found), [rome(2026, 10, 20, 9, 0)]);
        let said = found.cuts[0].to_string();
        assert!(said.starts_with("event standup@office.example: RRULE `FREQ=FORTNIGHTLY`: "), "{said}");
        assert!(said.ends_with("; only its first occurrence is counted"), "{said}");
    }

    #[test]
    fn a_series_by_the_second_with_a_long_title_stored_earlier_is_one_occurrence() {
        let mut poison = weekly_standup();
        poison.rrule = Some("FREQ=SECONDLY;COUNT=100000000".into());
        poison.summary = "x".repeat(64 * 1024);
        let events = [poison];
        let found = occurrences(&events, rome(2026, 10, 20, 0, 0), rome(2026, 10, 21, 0, 0));
        assert_eq!(starts(&found), [rome(2026, 10, 20, 9, 0)]);
        assert!(
            matches!(&found.cuts[..], [Cut::Refused(e)] if e.reason.starts_with("FREQ=SECONDLY")),
            "{:?}",
            found.cuts
        );
    }

    #[test]
    fn occurrences_share_their_series_title_instead_of_copying_it() {
        let mut daily = weekly_standup();
        daily.rrule = Some("FREQ=DAILY".into());
        daily.summary = "x".repeat(64 * 1024);
        let events = [daily];
        let found = occurrences(&events, rome(2026, 10, 20, 0, 0), rome(2026, 11, 20, 0, 0));
        assert_eq!(found.occurrences.len(), 31);
        assert!(found.occurrences.iter().all(|o| std::ptr::eq(o.summary(), events[0].summary.as_str())));
    }

    #[test]
    fn a_series_gives_at_most_its_limit_of_occurrences_in_a_window() {
        let mut hourly = weekly_standup();
        hourly.rrule = Some("FREQ=HOURLY".into());
        let events = [hourly];
        let found = occurrences(&events, rome(2026, 10, 20, 0, 0), rome(2027, 10, 20, 0, 0));
        assert_eq!(found.occurrences.len(), SERIES_LIMIT);
        assert_eq!(
            found.occurrences.last().map(|o| o.start),
            Some(rome(2026, 10, 20, 9, 0) + TimeDelta::hours(4_999))
        );
        assert_eq!(found.cuts, [Cut::Series { uid: "standup@office.example".into() }]);
    }

    #[test]
    fn a_window_holds_at_most_its_limit_of_occurrences() {
        let events: Vec<Event> = (0..11)
            .map(|n| Event {
                uid: format!("hourly-{n}"),
                rrule: Some("FREQ=HOURLY".into()),
                ..weekly_standup()
            })
            .collect();
        let found = occurrences(&events, rome(2026, 10, 20, 0, 0), rome(2027, 10, 20, 0, 0));
        assert_eq!(found.occurrences.len(), WINDOW_LIMIT);
        assert_eq!(found.cuts.last(), Some(&Cut::Window));
    }

    #[test]
    fn a_window_of_many_series_keeps_the_earliest_occurrences_of_all() {
        let events: Vec<Event> = (0..21)
            .map(|n| Event {
                uid: format!("hourly-{n}"),
                rrule: Some("FREQ=HOURLY".into()),
                ..weekly_standup()
            })
            .collect();
        let (from, to) = (rome(2026, 10, 20, 0, 0), rome(2027, 10, 20, 0, 0));
        let found = occurrences(&events, from, to);
        assert_eq!(found.occurrences.len(), WINDOW_LIMIT);
        // 21 series of the same hours: the first 50,000 are their first 2,380 hours and part of the next.
        let one = starts(&occurrences(&events[..1], from, to));
        assert_eq!(found.occurrences.first().map(|o| o.start), Some(one[0]));
        assert_eq!(found.occurrences.last().map(|o| o.start), Some(one[2_380]));
        assert!(found.occurrences.windows(2).all(|w| w[0].start <= w[1].start));
        assert_eq!(found.cuts.iter().filter(|c| **c == Cut::Window).count(), 1);
    }

    #[test]
    fn the_first_occurrences_are_one_of_each_series_after_its_exceptions() {
        let mut standup = weekly_standup();
        standup.exdates.push(rome(2026, 10, 20, 9, 0));
        let hourly = Event { uid: "hourly".into(), rrule: Some("FREQ=HOURLY".into()), ..weekly_standup() };
        let events = [standup, hourly];
        let found = first_occurrences(&events, rome(2026, 10, 19, 0, 0), rome(2027, 10, 19, 0, 0));
        assert_eq!(starts(&found), [rome(2026, 10, 20, 9, 0), rome(2026, 10, 27, 9, 0)]);
        assert_eq!(found.occurrences[1].uid(), "standup@office.example");
        assert!(found.cuts.is_empty(), "{:?}", found.cuts);
    }

    #[test]
    fn a_daily_series_kept_since_1970_gives_only_the_windows_days() {
        let mut daily = weekly_standup();
        daily.start = rome(1970, 1, 5, 9, 0);
        daily.end = rome(1970, 1, 5, 9, 30);
        daily.rrule = Some("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR".into());
        let events = [daily];
        let found = occurrences(&events, rome(2026, 11, 23, 0, 0), rome(2026, 11, 30, 0, 0));
        let expected: Vec<_> = (23..28).map(|day| rome(2026, 11, day, 9, 0)).collect();
        assert_eq!(starts(&found), expected);
        assert!(found.cuts.is_empty(), "{:?}", found.cuts);
    }

    #[test]
    fn a_meeting_under_way_when_the_window_opens_counts() {
        let mut long = weekly_standup();
        long.start = rome(2000, 1, 4, 9, 0);
        long.end = rome(2000, 1, 4, 18, 0);
        long.rrule = Some("FREQ=DAILY".into());
        let events = [long];
        let found = occurrences(&events, rome(2026, 11, 24, 12, 0), rome(2026, 11, 24, 13, 0));
        assert_eq!(starts(&found), [rome(2026, 11, 24, 9, 0)]);
    }
}
