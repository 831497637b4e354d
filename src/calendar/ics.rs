//! Reading the calendars other clients send: the iTIP objects inside invitations, replies and
//! cancellations (RFC 5546), and plain .ics files.
//!
//! Reading is lenient, because every client bends the format somewhere: the method may be missing (the
//! mail's Content-Type then says it), Exchange writes replies without an ORGANIZER, Outlook names zones
//! by Windows or display names, addresses come as `MAILTO:` in any case. Parsing itself is calcard's;
//! this module turns its tree into [`ItipEvent`]s with times in UTC. Nothing a calendar points at
//! (ATTACH, URL, TZURL) is fetched or opened: those are text to clerk.
//!
//! Reading is bounded, because a calendar is what a stranger writes: every time must fall within
//! [`YEARS`], an event lasts at most [`LONGEST_EVENT`], has at most [`MOST_EXDATES`] exceptions and a
//! recurrence rule clerk can expand ([`super::recurrence`]), and a calendar gives at most
//! [`MOST_EVENTS`] events. An event outside these is left out with a line naming its UID and the
//! property, and so is every other VEVENT of its UID: clerk never acts on half a series.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;
use std::str::FromStr;

use calcard::common::PartialDateTime;
use calcard::common::timezone::Tz as CalTz;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarParameterName,
    ICalendarProperty, ICalendarValue,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::event::{Event, EventStatus};
use super::recurrence::Rule;
use super::zones;
use crate::mail::message::one_line;

/// The years clerk reads times in. Meetings are booked within them; a time outside them is a typo or
/// an attack, and arithmetic on it could overflow the calendar.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

/// The longest an event may last (DTEND or DURATION): two years.
pub const LONGEST_EVENT: Duration = Duration::days(2 * 366);

/// The SEQUENCE numbers read: RFC 5545 counts from 0, and one change a second for thirty years stays
/// below the end; clerk adds to the numbers it keeps.
pub const SEQUENCES: RangeInclusive<i64> = 0..=1_000_000_000;

/// The most exceptions (EXDATE values) one event may have.
pub const MOST_EXDATES: usize = 1_000;

/// The most VEVENTs read from one calendar; the rest are left out.
pub const MOST_EVENTS: usize = 1_000;

/// The most lines of problems kept for one calendar, so that a calendar of broken events does not
/// write a journal of them.
const MOST_PROBLEMS: usize = 20;

#[cfg(test)]
mod tests;

/// What an iTIP object asks of its receiver (RFC 5546 §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A calendar to look at, not a scheduling message (also what a calendar without METHOD is).
    Publish,
    Request,
    Reply,
    Add,
    Cancel,
    Refresh,
    Counter,
    DeclineCounter,
}

impl Method {
    pub fn parse(text: &str) -> Option<Method> {
        Some(match text.trim().to_ascii_uppercase().as_str() {
            "PUBLISH" => Method::Publish,
            "REQUEST" => Method::Request,
            "REPLY" => Method::Reply,
            "ADD" => Method::Add,
            "CANCEL" => Method::Cancel,
            "REFRESH" => Method::Refresh,
            "COUNTER" => Method::Counter,
            "DECLINECOUNTER" => Method::DeclineCounter,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Reply => "REPLY",
            Method::Add => "ADD",
            Method::Cancel => "CANCEL",
            Method::Refresh => "REFRESH",
            Method::Counter => "COUNTER",
            Method::DeclineCounter => "DECLINECOUNTER",
        }
    }
}

/// An attendee's answer to an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartStat {
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
    Delegated,
}

impl PartStat {
    pub fn parse(text: &str) -> PartStat {
        match text.trim().to_ascii_uppercase().as_str() {
            "ACCEPTED" => PartStat::Accepted,
            "DECLINED" => PartStat::Declined,
            "TENTATIVE" => PartStat::Tentative,
            "DELEGATED" => PartStat::Delegated,
            // RFC 5545 §3.2.12: an unknown value is to be read as NEEDS-ACTION.
            _ => PartStat::NeedsAction,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PartStat::NeedsAction => "NEEDS-ACTION",
            PartStat::Accepted => "ACCEPTED",
            PartStat::Declined => "DECLINED",
            PartStat::Tentative => "TENTATIVE",
            PartStat::Delegated => "DELEGATED",
        }
    }
}

/// Someone named in a calendar: the organizer or an attendee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// The address without `mailto:`, as written (compare with [`Party::is`]).
    pub email: String,
    pub name: Option<String>,
}

impl Party {
    /// Whether this is `address`; calendar addresses are compared case-insensitively.
    pub fn is(&self, address: &str) -> bool {
        self.email.eq_ignore_ascii_case(address.trim())
    }

    /// How letters name them: their name, or their address when the calendar gives none (or a blank
    /// one, as some programs write `CN=""`).
    pub fn shown(&self) -> String {
        self.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| self.email.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub party: Party,
    pub partstat: PartStat,
}

/// One VEVENT of an iTIP object: a meeting, a series' master, or one instance of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct ItipEvent {
    pub uid: String,
    pub sequence: i64,
    pub recurrence_id: Option<DateTime<Utc>>,
    pub summary: String,
    pub location: Option<String>,
    pub description: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The zone DTSTART is written in, in which a series recurs.
    pub timezone: Tz,
    /// DTSTART was a date: the event takes whole days.
    pub all_day: bool,
    pub rrule: Option<String>,
    pub exdates: Vec<DateTime<Utc>>,
    /// STATUS, if the calendar gives one.
    pub status: Option<EventStatus>,
    pub transparent: bool,
    pub organizer: Option<Party>,
    pub attendees: Vec<Attendee>,
    pub stamp: Option<DateTime<Utc>>,
}

impl ItipEvent {
    /// The attendee with `address`, if the event names them.
    pub fn attendee(&self, address: &str) -> Option<&Attendee> {
        self.attendees.iter().find(|a| a.party.is(address))
    }

    /// The event as `calendar` keeps it.
    pub fn to_event(&self, calendar: &str) -> Event {
        Event {
            calendar: calendar.to_string(),
            uid: self.uid.clone(),
            recurrence_id: self.recurrence_id,
            sequence: self.sequence,
            summary: self.summary.clone(),
            location: self.location.clone(),
            start: self.start,
            end: self.end,
            timezone: self.timezone,
            rrule: self.rrule.clone(),
            exdates: self.exdates.clone(),
            status: self.status.unwrap_or(EventStatus::Confirmed),
            transparent: self.transparent,
            organizer: self.organizer.as_ref().map(|o| o.email.clone()),
            attendees: self.attendees.clone(),
        }
    }
}

/// A calendar as read: its method and the events that could be read, with what could not.
#[derive(Debug, Clone, PartialEq)]
pub struct Itip {
    pub method: Method,
    pub events: Vec<ItipEvent>,
    /// One line per VEVENT left out or property ignored, saying which and why.
    pub problems: Vec<String>,
}

/// Why a calendar could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the calendar cannot be read: {0}")]
pub struct IcsError(String);

/// Reads `text`. `method` is the mail's Content-Type `method=`, used when the calendar has no METHOD;
/// `floating` is the zone for times written without one (the office's).
pub fn read(text: &str, method: Option<&str>, floating: Tz) -> Result<Itip, IcsError> {
    let calendar = ICalendar::parse(text).map_err(|entry| IcsError(describe(&entry)))?;
    let root = calendar.components.first().ok_or_else(|| IcsError("it holds no VCALENDAR".into()))?;
    let method = text_of(root, &ICalendarProperty::Method)
        .and_then(Method::parse)
        .or_else(|| method.and_then(Method::parse))
        .unwrap_or(Method::Publish);
    let zones = Zones { calendar: &calendar, floating, known: RefCell::default() };
    let mut itip = Itip { method, events: Vec::new(), problems: Vec::new() };
    let mut refused: HashSet<String> = HashSet::new();
    let vevents = calendar.components.iter().filter(|c| c.component_type == ICalendarComponentType::VEvent);
    for (n, component) in vevents.enumerate() {
        if n == MOST_EVENTS {
            itip.problems
                .push(format!("the calendar holds more than {MOST_EVENTS} events; the rest are left out"));
            break;
        }
        let uid = component.uid().unwrap_or("without a UID");
        let mut ignored = Vec::new();
        match read_event(component, &zones, method, &mut ignored) {
            Ok(event) => itip.events.push(event),
            Err(why) => {
                itip.problems.push(format!("VEVENT {uid}: {why}; left out"));
                refused.insert(uid.to_owned());
            }
        }
        itip.problems.extend(ignored.into_iter().map(|why| format!("VEVENT {uid}: {why}")));
    }
    let mut dropped: Vec<String> = Vec::new();
    itip.events.retain(|event| {
        let keep = !refused.contains(&event.uid);
        if !keep && !dropped.contains(&event.uid) {
            dropped.push(event.uid.clone());
        }
        keep
    });
    for uid in dropped {
        itip.problems.push(format!("UID {uid}: another VEVENT of it cannot be read, so none of it is taken"));
    }
    if itip.problems.len() > MOST_PROBLEMS {
        let more = itip.problems.len() - MOST_PROBLEMS;
        itip.problems.truncate(MOST_PROBLEMS);
        itip.problems.push(format!("and {more} more problems"));
    }
    Ok(itip)
}

/// The part of a received calendar `text` about the meeting `uid`, as its organizer wrote it: the
/// calendar's own lines (METHOD among them), its time zones and the VEVENTs of `uid`, so that a copy
/// passed on carries that meeting alone. Alarms and other components are left out (a copy must not
/// set alarms on its receiver's calendar). None when `text` is not a calendar or holds no such VEVENT.
pub fn one_meeting(text: &str, uid: &str) -> Option<String> {
    let calendar = ICalendar::parse(text).ok()?;
    let root = calendar.components.first()?;
    let mut kept = vec![ICalendarComponent { component_ids: Vec::new(), ..root.clone() }];
    // Walked two levels deep, no further: a VTIMEZONE's STANDARD and DAYLIGHT are all that a kept
    // component holds, and a stranger's nesting is not followed.
    let component = |id: &u32| calendar.components.get(usize::try_from(*id).ok()?);
    let mut events = 0;
    for top in root.component_ids.iter().filter_map(component) {
        let children: Vec<&ICalendarComponent> = match &top.component_type {
            ICalendarComponentType::VTimezone => top.component_ids.iter().filter_map(component).collect(),
            ICalendarComponentType::VEvent if top.uid().map(str::trim) == Some(uid) => {
                events += 1;
                Vec::new()
            }
            _ => continue,
        };
        let at = u32::try_from(kept.len()).ok()?;
        kept[0].component_ids.push(at);
        kept.push(ICalendarComponent { component_ids: Vec::new(), ..top.clone() });
        for child in children {
            let id = u32::try_from(kept.len()).ok()?;
            kept[at as usize].component_ids.push(id);
            kept.push(ICalendarComponent { component_ids: Vec::new(), ..child.clone() });
        }
    }
    (events > 0).then(|| ICalendar { components: kept }.to_string())
}

fn describe(entry: &calcard::Entry) -> String {
    match entry {
        calcard::Entry::InvalidLine(line) => {
            format!("invalid line `{}`", line.chars().take(80).collect::<String>())
        }
        calcard::Entry::UnexpectedComponentEnd { expected, found } => {
            format!("END:{} where END:{} was expected", found.as_str(), expected.as_str())
        }
        calcard::Entry::UnterminatedComponent(name) => format!("BEGIN:{name} is never ended"),
        calcard::Entry::TooManyComponents => "it has too many components".into(),
        calcard::Entry::VCard(_) => "it is a vCard, not a calendar".into(),
        calcard::Entry::Eof => "it is empty".into(),
        calcard::Entry::ICalendar(_) => "it holds more than one calendar".into(),
        _ => "it is not an iCalendar object".into(),
    }
}

/// One VEVENT; a property that cannot be read but can be done without is noted in `ignored`.
/// A CANCEL or REPLY is about its UID (and RECURRENCE-ID) alone, and some clients leave its DTSTART
/// out: it then takes the instance's time, or the epoch, and lasts no time.
fn read_event(
    component: &ICalendarComponent,
    zones: &Zones<'_>,
    method: Method,
    ignored: &mut Vec<String>,
) -> Result<ItipEvent, String> {
    let uid = component.uid().map(str::trim).filter(|u| !u.is_empty()).ok_or("it has no UID")?;
    let instance = match component.property(&ICalendarProperty::RecurrenceId) {
        Some(entry) => {
            let instance = zones.time(entry).ok_or("its RECURRENCE-ID is not a date or time")?;
            within_years("RECURRENCE-ID", &instance)?;
            Some(instance.instant)
        }
        None => None,
    };
    let start = match component.property(&ICalendarProperty::Dtstart) {
        Some(dtstart) => zones.time(dtstart).ok_or("its DTSTART is not a date or time")?,
        None if matches!(method, Method::Cancel | Method::Reply) => {
            When { instant: instance.unwrap_or(DateTime::UNIX_EPOCH), zone: zones.floating, all_day: false }
        }
        None => return Err("it has no DTSTART".into()),
    };
    within_years("DTSTART", &start)?;
    // Without DTSTART the event's time is unknown, and so is its end: DTEND alone would make an event
    // from the epoch to it.
    let dtend =
        component.property(&ICalendarProperty::Dtstart).and(component.property(&ICalendarProperty::Dtend));
    let end = match dtend.map(|dtend| zones.time(dtend)) {
        Some(Some(end)) => {
            within_years("DTEND", &end)?;
            if end.instant.signed_duration_since(start.instant) > LONGEST_EVENT {
                return Err("it lasts longer than the two years an event may (DTEND)".into());
            }
            end.instant
        }
        unreadable_or_none => {
            if unreadable_or_none.is_some() {
                ignored.push("its DTEND is not a date or time; taken as missing".into());
            }
            let duration_entry = component
                .property(&ICalendarProperty::Dtstart)
                .and(component.property(&ICalendarProperty::Duration));
            let length = match duration_entry.and_then(duration) {
                Some((_, length)) if length < Duration::zero() => {
                    return Err("it ends before it starts".into());
                }
                Some((written, length)) if length > LONGEST_EVENT => {
                    return Err(format!(
                        "its DURATION {written} is longer than the two years an event may last"
                    ));
                }
                Some((_, length)) => length,
                None if start.all_day => Duration::days(1),
                None => Duration::zero(),
            };
            start.instant.checked_add_signed(length).ok_or("its DURATION runs off the calendar")?
        }
    };
    if end < start.instant {
        return Err("it ends before it starts".into());
    }
    let exdate_entries: Vec<&ICalendarEntry> = component.properties(&ICalendarProperty::Exdate).collect();
    if exdate_entries.iter().map(|entry| entry.values.len()).sum::<usize>() > MOST_EXDATES {
        return Err(format!("it has more than the {MOST_EXDATES} EXDATEs an event may have"));
    }
    let mut exdates: Vec<DateTime<Utc>> =
        exdate_entries.iter().flat_map(|entry| zones.times(entry)).collect();
    let outside = exdates.len();
    exdates.retain(|t| YEARS.contains(&t.year()));
    if exdates.len() < outside {
        ignored.push(format!(
            "{} of its EXDATEs are outside the years {}–{}; ignored",
            outside - exdates.len(),
            YEARS.start(),
            YEARS.end()
        ));
    }
    let rrule = match component.property(&ICalendarProperty::Rrule).and_then(|entry| entry.values.first()) {
        Some(ICalendarValue::RecurrenceRule(rule)) => {
            let written = rule.to_string();
            let checked = Rule::new(&written, start.instant, start.zone)
                .map_err(|why| format!("its RRULE {written}: {why}"))?;
            Some(checked.text().to_owned())
        }
        _ => None,
    };
    let sequence = component
        .property(&ICalendarProperty::Sequence)
        .and_then(|e| e.values.first())
        .and_then(|v| v.as_integer())
        .unwrap_or(0);
    if !SEQUENCES.contains(&sequence) {
        return Err(format!("its SEQUENCE {sequence} is outside 0–{}", SEQUENCES.end()));
    }
    let status =
        text_of(component, &ICalendarProperty::Status).and_then(|s| match s.to_ascii_uppercase().as_str() {
            "CONFIRMED" => Some(EventStatus::Confirmed),
            "TENTATIVE" => Some(EventStatus::Tentative),
            "CANCELLED" => Some(EventStatus::Cancelled),
            _ => None,
        });
    let transparent =
        text_of(component, &ICalendarProperty::Transp).is_some_and(|t| t.eq_ignore_ascii_case("TRANSPARENT"));
    Ok(ItipEvent {
        uid: uid.to_string(),
        sequence,
        recurrence_id: instance,
        // On one line: they become subjects and headers of the mail that answers the event.
        summary: one_line(text_of(component, &ICalendarProperty::Summary).unwrap_or_default()).into_owned(),
        location: text_of(component, &ICalendarProperty::Location)
            .map(|location| one_line(location).into_owned())
            .filter(|l| !l.is_empty()),
        description: text_of(component, &ICalendarProperty::Description).map(str::to_string),
        start: start.instant,
        end,
        timezone: start.zone,
        all_day: start.all_day,
        rrule,
        exdates,
        status,
        transparent,
        organizer: component.property(&ICalendarProperty::Organizer).and_then(party),
        attendees: component
            .properties(&ICalendarProperty::Attendee)
            .filter_map(|entry| {
                let partstat = entry
                    .parameter(&ICalendarParameterName::Partstat)
                    .and_then(|p| p.as_text())
                    .map_or(PartStat::NeedsAction, PartStat::parse);
                Some(Attendee { party: party(entry)?, partstat })
            })
            .collect(),
        stamp: component
            .property(&ICalendarProperty::Dtstamp)
            .and_then(|e| zones.time(e))
            .map(|t| t.instant)
            .filter(|t| YEARS.contains(&t.year())),
    })
}

/// Whether `property`, written as `when`, falls within [`YEARS`] on any clock; else why the event is
/// left out. On any clock, because clerk writes a time back in UTC or in the event's zone, and what
/// it writes must read back: 1900-01-01 in Rome is 1899 in UTC, 2200-12-31 23:59 UTC is 2201 in Rome.
/// No zone is a day away from UTC, so a day either side is on every clock.
fn within_years(property: &str, when: &When) -> Result<(), String> {
    let local = when.instant.with_timezone(&when.zone);
    let on_every_clock = [
        when.instant.checked_sub_signed(Duration::days(1)),
        when.instant.checked_add_signed(Duration::days(1)),
    ]
    .iter()
    .all(|edge| edge.is_some_and(|t| YEARS.contains(&t.year())));
    if YEARS.contains(&local.year()) && on_every_clock {
        return Ok(());
    }
    Err(format!(
        "its {property} {} is outside the years {}–{}",
        local.format("%Y-%m-%d"),
        YEARS.start(),
        YEARS.end()
    ))
}

fn text_of<'c>(component: &'c ICalendarComponent, property: &ICalendarProperty) -> Option<&'c str> {
    component.property(property)?.values.first()?.as_text()
}

/// The address of an ORGANIZER or ATTENDEE line, with its CN.
fn party(entry: &ICalendarEntry) -> Option<Party> {
    let value = entry.values.first()?.as_text()?.trim();
    let email = match value.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &value[7..],
        _ => value,
    };
    // An address clerk could write back to; anything else (a URN, a bare name, `@`) names nobody.
    if !crate::mail::message::can_be_sent_to(email) {
        return None;
    }
    let name = entry
        .parameter(&ICalendarParameterName::Cn)
        .and_then(|cn| cn.as_text())
        .map(|cn| one_line(cn.trim().trim_matches('"')).into_owned())
        .filter(|cn| !cn.is_empty() && !cn.eq_ignore_ascii_case(email));
    Some(Party { email: email.to_string(), name })
}

/// A DURATION as written and as a length.
fn duration(entry: &ICalendarEntry) -> Option<(String, Duration)> {
    match entry.values.first()? {
        ICalendarValue::Duration(length) => Some((length.to_string(), length.to_time_delta()?)),
        _ => None,
    }
}

/// A DTSTART-like value in absolute time.
struct When {
    instant: DateTime<Utc>,
    zone: Tz,
    all_day: bool,
}

/// Resolves the zones a calendar's times are written in.
struct Zones<'c> {
    calendar: &'c ICalendar,
    floating: Tz,
    /// Each TZID resolved once: matching a VTIMEZONE by its offsets looks at every zone there is,
    /// and a calendar may name the same TZID on a thousand EXDATEs.
    known: RefCell<HashMap<String, Option<Tz>>>,
}

impl Zones<'_> {
    fn time(&self, entry: &ICalendarEntry) -> Option<When> {
        let value = entry.values.first()?.as_partial_date_time()?;
        self.when(value, entry.tz_id())
    }

    fn times<'e>(&'e self, entry: &'e ICalendarEntry) -> impl Iterator<Item = DateTime<Utc>> + 'e {
        entry
            .values
            .iter()
            .filter_map(|v| v.as_partial_date_time())
            .filter_map(move |value| Some(self.when(value, entry.tz_id())?.instant))
    }

    fn when(&self, value: &PartialDateTime, tzid: Option<&str>) -> Option<When> {
        let all_day = value.hour.is_none();
        let local = value.to_date_time()?;
        if let Some(offset) = local.offset {
            let instant = offset.from_local_datetime(&local.date_time).single()?.with_timezone(&Utc);
            let zone = if offset.local_minus_utc() == 0 { Tz::UTC } else { self.floating };
            return Some(When { instant, zone, all_day });
        }
        let zone = tzid.and_then(|tzid| self.zone(tzid, local.date_time.date())).unwrap_or(self.floating);
        let instant = super::zones::resolve_local(zone, local.date_time);
        Some(When { instant, zone, all_day })
    }

    /// The zone `tzid` names: by its name (IANA, Windows, vendor prefixes), by the hints in its
    /// VTIMEZONE (X-LIC-LOCATION, Exchange's zone number), or by the offsets the VTIMEZONE gives (in
    /// the year of the first time that names it).
    fn zone(&self, tzid: &str, on: NaiveDate) -> Option<Tz> {
        if let Some(known) = self.known.borrow().get(tzid) {
            return *known;
        }
        let zone = self.resolve(tzid, on);
        self.known.borrow_mut().insert(tzid.to_owned(), zone);
        zone
    }

    fn resolve(&self, tzid: &str, on: NaiveDate) -> Option<Tz> {
        if let Some(zone) = zones::zone(tzid) {
            return Some(zone);
        }
        let definition = self.calendar.timezones().find(|tz| {
            tz.timezone().is_some_and(|(id, _)| id == tzid)
                || text_of(tz, &ICalendarProperty::Tzid) == Some(tzid)
        });
        if let Some((_, CalTz::Tz(zone))) = definition.and_then(|d| d.timezone()) {
            return Some(zone);
        }
        if let Ok(CalTz::Tz(zone)) = CalTz::from_str(tzid) {
            return Some(zone);
        }
        definition.and_then(|d| zone_by_offsets(self.calendar, d, tzid, on))
    }
}

/// The IANA zone that matches a VTIMEZONE nobody named (an old Outlook display name such as
/// "Canberra, Melbourne, Sydney"): the same offsets in January and July of the year, preferring a
/// zone whose city the name mentions.
fn zone_by_offsets(
    calendar: &ICalendar,
    definition: &ICalendarComponent,
    tzid: &str,
    on: NaiveDate,
) -> Option<Tz> {
    let mut standard = None;
    let mut daylight = None;
    for id in &definition.component_ids {
        let Some(part) = calendar.component_by_id(*id) else { continue };
        let offset = part
            .property(&ICalendarProperty::Tzoffsetto)
            .and_then(|e| e.values.first())
            .and_then(|v| v.as_partial_date_time())
            .and_then(|v| {
                let seconds = i32::from(v.tz_hour?) * 3600 + i32::from(v.tz_minute.unwrap_or(0)) * 60;
                Some(if v.tz_minus { -seconds } else { seconds })
            });
        let month = part
            .property(&ICalendarProperty::Rrule)
            .and_then(|e| match e.values.first() {
                Some(ICalendarValue::RecurrenceRule(rule)) => rule.bymonth.first().map(|m| m.month() as u32),
                _ => None,
            })
            .or_else(|| {
                let start =
                    part.property(&ICalendarProperty::Dtstart)?.values.first()?.as_partial_date_time()?;
                start.month.map(u32::from)
            });
        match part.component_type {
            ICalendarComponentType::Standard => standard = offset.zip(month),
            ICalendarComponentType::Daylight => daylight = offset.zip(month),
            _ => {}
        }
    }
    let (standard_offset, standard_month) = standard.or(daylight)?;
    // The offset in force in January and in July, from the months each observance begins.
    let in_month = |month: u32| match daylight {
        Some((daylight_offset, daylight_month)) => {
            let daylight_first = daylight_month < standard_month;
            let in_daylight = if daylight_first {
                month >= daylight_month && month < standard_month
            } else {
                month >= daylight_month || month < standard_month
            };
            if in_daylight { daylight_offset } else { standard_offset }
        }
        None => standard_offset,
    };
    let (january, july) = (in_month(1), in_month(7));
    let offset_on = |zone: &Tz, month: u32| {
        let day = NaiveDate::from_ymd_opt(on.year(), month, 15)?.and_hms_opt(12, 0, 0)?;
        Some(zone.offset_from_utc_datetime(&day).fix().local_minus_utc())
    };
    let matching: Vec<Tz> = chrono_tz::TZ_VARIANTS
        .iter()
        .filter(|zone| zone.name().contains('/') && !zone.name().starts_with("Etc/"))
        .filter(|zone| offset_on(zone, 1) == Some(january) && offset_on(zone, 7) == Some(july))
        .copied()
        .collect();
    let mentioned = |zone: &&Tz| {
        let city = zone.name().rsplit('/').next().unwrap_or_default().replace('_', " ");
        tzid.to_lowercase().contains(&city.to_lowercase())
    };
    matching.iter().find(mentioned).or(matching.first()).copied()
}
