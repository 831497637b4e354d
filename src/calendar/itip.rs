//! Writing the iTIP objects clerk sends (RFC 5546): invitations and their updates (REQUEST),
//! cancellations (CANCEL), answers to other people's invitations (REPLY) and refusals of a proposed
//! new time (DECLINECOUNTER).
//!
//! Calendar clients are strict about what they accept, and each rule below is one that a client
//! enforces: the UID never changes and SEQUENCE rises on every change (a new UID shows up as a second
//! meeting); DTSTAMP is in UTC and fresh on every message (Google ignores a second REPLY with the same
//! one); a REPLY copies UID, ORGANIZER, DTSTART/DTEND and SEQUENCE and names exactly one ATTENDEE; a
//! CANCEL says STATUS:CANCELLED; every TZID has its VTIMEZONE (calcard generates it from the zone
//! database); no VALARM (an invitation must not set alarms on the receiver's calendar).

use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarMethod,
    ICalendarParameter, ICalendarParticipationStatus, ICalendarProperty, ICalendarValue, Uri,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::event::{Event, EventStatus};
use super::ics::{Attendee, ItipEvent, Method, PartStat, Party};

#[cfg(test)]
mod tests;

/// The PRODID of every calendar clerk writes.
const PRODID: &str = "-//clerk//clerk office assistant//EN";

/// Who organises a meeting clerk sends: the assistant, acting for the calendar's owner (SENT-BY), so
/// that answers come back to the assistant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organizer {
    pub party: Party,
    /// The owner the assistant acts for, if any.
    pub sent_by: Option<String>,
}

/// A meeting as an iTIP object describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub uid: String,
    pub sequence: i64,
    /// For one instance of a series.
    pub recurrence_id: Option<DateTime<Utc>>,
    pub summary: String,
    pub location: Option<String>,
    pub description: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The zone the times are written in (with its VTIMEZONE); UTC writes them with `Z`.
    pub timezone: Tz,
    /// The series' RRULE, when the object is a whole series.
    pub rrule: Option<String>,
    /// The instances of the series that do not take place (their series starts).
    pub exdates: Vec<DateTime<Utc>>,
    pub organizer: Option<Organizer>,
    pub attendees: Vec<Attendee>,
}

impl Meeting {
    /// The meeting an invitation received describes, to answer it.
    pub fn from_received(event: &ItipEvent) -> Meeting {
        Meeting {
            uid: event.uid.clone(),
            sequence: event.sequence,
            recurrence_id: event.recurrence_id,
            summary: event.summary.clone(),
            location: event.location.clone(),
            description: None,
            start: event.start,
            end: event.end,
            timezone: event.timezone,
            rrule: event.rrule.clone(),
            exdates: event.exdates.clone(),
            organizer: event.organizer.clone().map(|party| Organizer { party, sent_by: None }),
            attendees: event.attendees.clone(),
        }
    }

    /// The meeting a calendar holds as `event`.
    pub fn from_event(event: &Event) -> Meeting {
        Meeting {
            uid: event.uid.clone(),
            sequence: event.sequence,
            recurrence_id: event.recurrence_id,
            summary: event.summary.clone(),
            location: event.location.clone(),
            description: None,
            start: event.start,
            end: event.end,
            timezone: event.timezone,
            rrule: event.rrule.clone(),
            exdates: event.exdates.clone(),
            organizer: event
                .organizer
                .clone()
                .map(|email| Organizer { party: Party { email, name: None }, sent_by: None }),
            attendees: event.attendees.clone(),
        }
    }
}

/// An invitation, or its update: METHOD:REQUEST (never PUBLISH, which clients show without
/// buttons to answer).
pub fn request(meeting: &Meeting, stamp: DateTime<Utc>) -> String {
    write(Method::Request, meeting, EventStatus::Confirmed, stamp, None)
}

/// A cancellation of the meeting, or of the one instance its `recurrence_id` names.
pub fn cancel(meeting: &Meeting, stamp: DateTime<Utc>) -> String {
    write(Method::Cancel, meeting, EventStatus::Cancelled, stamp, None)
}

/// `attendee`'s answer to `meeting`, with an optional comment the organizer's client shows.
pub fn reply(
    meeting: &Meeting,
    attendee: &Party,
    partstat: PartStat,
    comment: Option<&str>,
    stamp: DateTime<Utc>,
) -> String {
    let answering = Meeting {
        attendees: vec![Attendee { party: attendee.clone(), partstat }],
        description: None,
        ..meeting.clone()
    };
    let status = match partstat {
        PartStat::Tentative => EventStatus::Tentative,
        _ => EventStatus::Confirmed,
    };
    write(Method::Reply, &answering, status, stamp, comment)
}

/// The organizer's refusal of a new time an attendee proposed (COUNTER).
pub fn decline_counter(
    meeting: &Meeting,
    attendee: &Party,
    comment: Option<&str>,
    stamp: DateTime<Utc>,
) -> String {
    let refused = Meeting {
        attendees: vec![Attendee { party: attendee.clone(), partstat: PartStat::NeedsAction }],
        ..meeting.clone()
    };
    write(Method::DeclineCounter, &refused, EventStatus::Confirmed, stamp, comment)
}

fn write(
    method: Method,
    meeting: &Meeting,
    status: EventStatus,
    stamp: DateTime<Utc>,
    comment: Option<&str>,
) -> String {
    let mut root = calendar_root();
    root.add_property(ICalendarProperty::Method, ICalendarValue::Method(ical_method(method)));
    root.component_ids.push(1);
    let mut event = vevent(meeting, status, stamp);
    event.add_property(ICalendarProperty::Transp, text("OPAQUE"));
    if let Some(comment) = comment {
        event.add_property(ICalendarProperty::Comment, text(comment));
    }
    if let Some(organizer) = &meeting.organizer {
        let mut params = cn(&organizer.party);
        if let Some(owner) = &organizer.sent_by {
            params.push(ICalendarParameter::sent_by(Uri::Location(format!("mailto:{owner}"))));
        }
        event.entries.push(address(ICalendarProperty::Organizer, &organizer.party, params));
    }
    for attendee in &meeting.attendees {
        let mut params = cn(&attendee.party);
        params.push(ICalendarParameter::partstat(partstat(attendee.partstat)));
        if method == Method::Request && attendee.partstat == PartStat::NeedsAction {
            params.push(ICalendarParameter::rsvp(true));
        }
        event.entries.push(address(ICalendarProperty::Attendee, &attendee.party, params));
    }
    let mut calendar = ICalendar { components: vec![root, event] };
    calendar.add_missing_timezones();
    calendar.to_string()
}

/// A VCALENDAR with clerk's PRODID, for its components to be added to.
pub(super) fn calendar_root() -> ICalendarComponent {
    let mut root = ICalendarComponent::new(ICalendarComponentType::VCalendar);
    root.add_property(ICalendarProperty::Prodid, text(PRODID));
    root.add_property(ICalendarProperty::Version, text("2.0"));
    root.add_property(ICalendarProperty::Calscale, text("GREGORIAN"));
    root
}

/// The VEVENT of `meeting` without its people: what every calendar clerk writes, invitation or feed,
/// says of a meeting. The series' cancelled instances are EXDATEs.
pub(super) fn vevent(meeting: &Meeting, status: EventStatus, stamp: DateTime<Utc>) -> ICalendarComponent {
    let mut event = ICalendarComponent::new(ICalendarComponentType::VEvent);
    event.add_uid(&meeting.uid);
    event.add_sequence(meeting.sequence);
    event.add_dtstamp(PartialDateTime::from_utc_timestamp(stamp.timestamp()));
    let zoned = |name: ICalendarProperty, at: DateTime<Utc>| time(name, at, meeting.timezone);
    event.entries.push(zoned(ICalendarProperty::Dtstart, meeting.start));
    event.entries.push(zoned(ICalendarProperty::Dtend, meeting.end));
    if let Some(instance) = meeting.recurrence_id {
        event.entries.push(zoned(ICalendarProperty::RecurrenceId, instance));
    }
    if let Some(rrule) = meeting.rrule.as_deref().and_then(rrule) {
        event.entries.push(rrule);
        for &instance in &meeting.exdates {
            event.entries.push(zoned(ICalendarProperty::Exdate, instance));
        }
    }
    event.add_property(ICalendarProperty::Summary, text(&meeting.summary));
    if let Some(location) = &meeting.location {
        event.add_property(ICalendarProperty::Location, text(location));
    }
    if let Some(description) = &meeting.description {
        event.add_property(ICalendarProperty::Description, text(description));
    }
    event.add_property(ICalendarProperty::Status, text(&status.as_str().to_ascii_uppercase()));
    event
}

pub(super) fn text(value: &str) -> ICalendarValue {
    ICalendarValue::Text(value.to_string())
}

/// A time in `zone` with its TZID, or in UTC with `Z`.
fn time(name: ICalendarProperty, at: DateTime<Utc>, zone: Tz) -> ICalendarEntry {
    if zone == Tz::UTC {
        return ICalendarEntry::new(name).with_value(PartialDateTime::from_utc_timestamp(at.timestamp()));
    }
    let local = at.with_timezone(&zone).naive_local().and_utc().timestamp();
    ICalendarEntry::new(name)
        .with_param(ICalendarParameter::tzid(zone.name().to_string()))
        .with_value(PartialDateTime::from_naive_timestamp(local))
}

/// An RRULE line from its value, as stored (calcard reads rules only from calendar text).
fn rrule(value: &str) -> Option<ICalendarEntry> {
    let text = format!("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nRRULE:{value}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    let parsed = ICalendar::parse(text).ok()?;
    parsed.components.get(1)?.property(&ICalendarProperty::Rrule).cloned()
}

fn cn(party: &Party) -> Vec<ICalendarParameter> {
    party.name.iter().map(|name| ICalendarParameter::cn(name.clone())).collect()
}

fn address(name: ICalendarProperty, party: &Party, params: Vec<ICalendarParameter>) -> ICalendarEntry {
    ICalendarEntry::new(name).with_params(params).with_value(Uri::Location(format!("mailto:{}", party.email)))
}

fn ical_method(method: Method) -> ICalendarMethod {
    match method {
        Method::Publish => ICalendarMethod::Publish,
        Method::Request => ICalendarMethod::Request,
        Method::Reply => ICalendarMethod::Reply,
        Method::Add => ICalendarMethod::Add,
        Method::Cancel => ICalendarMethod::Cancel,
        Method::Refresh => ICalendarMethod::Refresh,
        Method::Counter => ICalendarMethod::Counter,
        Method::DeclineCounter => ICalendarMethod::Declinecounter,
    }
}

fn partstat(partstat: PartStat) -> ICalendarParticipationStatus {
    match partstat {
        PartStat::NeedsAction => ICalendarParticipationStatus::NeedsAction,
        PartStat::Accepted => ICalendarParticipationStatus::Accepted,
        PartStat::Declined => ICalendarParticipationStatus::Declined,
        PartStat::Tentative => ICalendarParticipationStatus::Tentative,
        PartStat::Delegated => ICalendarParticipationStatus::Delegated,
    }
}
