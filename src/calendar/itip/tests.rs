use chrono::TimeZone;

use super::*;
use crate::calendar::ics;

const ROME: Tz = chrono_tz::Europe::Rome;

fn rome(d: u32, h: u32) -> DateTime<Utc> {
    ROME.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap().with_timezone(&Utc)
}

fn party(email: &str, name: &str) -> Party {
    Party { email: email.into(), name: Some(name.into()) }
}

fn meeting() -> Meeting {
    Meeting {
        uid: "clerk-42@office.example".into(),
        sequence: 0,
        recurrence_id: None,
        summary: "Budget review; Q4, final".into(),
        location: Some("Sala Verde".into()),
        description: Some("Booked by the office assistant.".into()),
        start: rome(24, 15),
        end: rome(24, 16),
        timezone: ROME,
        rrule: None,
        exdates: Vec::new(),
        organizer: Some(Organizer {
            party: party("assistant@office.example", "Office Assistant"),
            sent_by: Some("giulia@office.example".into()),
        }),
        attendees: vec![
            Attendee { party: party("giulia@office.example", "Giulia Rossi"), partstat: PartStat::Accepted },
            Attendee { party: party("anna@client.example", "Anna Bianchi"), partstat: PartStat::NeedsAction },
        ],
    }
}

fn stamp() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap()
}

#[test]
fn an_invitation_is_a_request_that_reads_back_with_its_times_people_and_uid() {
    let text = request(&meeting(), stamp());
    let itip = ics::read(&text, None, chrono_tz::UTC).unwrap();
    assert_eq!(itip.method, Method::Request);
    let event = &itip.events[0];
    assert_eq!(event.uid, "clerk-42@office.example");
    assert_eq!((event.start, event.end), (rome(24, 15), rome(24, 16)));
    assert_eq!(event.timezone, ROME);
    assert_eq!(event.summary, "Budget review; Q4, final");
    assert!(event.organizer.as_ref().unwrap().is("assistant@office.example"));
    assert_eq!(event.attendees.len(), 2);
    assert_eq!(event.stamp, Some(stamp()));
}

#[test]
fn the_organizer_is_the_assistant_sent_by_the_owner() {
    let text = request(&meeting(), stamp());
    let unfolded = text.replace("\r\n ", "");
    let organizer = unfolded.lines().find(|l| l.starts_with("ORGANIZER")).unwrap();
    assert!(organizer.contains("SENT-BY=\"mailto:giulia@office.example\""), "{organizer}");
    assert!(organizer.ends_with(":mailto:assistant@office.example"), "{organizer}");
}

#[test]
fn every_tzid_has_its_vtimezone_and_there_is_no_alarm() {
    let text = request(&meeting(), stamp());
    assert!(text.contains("DTSTART;TZID=Europe/Rome:20261124T150000"), "{text}");
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Rome"), "{text}");
    assert!(!text.contains("VALARM"), "{text}");
}

#[test]
fn lines_end_in_crlf_and_are_folded_at_75_octets() {
    let mut long = meeting();
    long.description = Some("A very long description of the meeting. ".repeat(10));
    let text = request(&long, stamp());
    assert!(text.lines().all(|line| line.len() <= 76), "{text}");
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF in {text}");
}

#[test]
fn dtstamp_is_utc_and_follows_the_clock() {
    let first = request(&meeting(), stamp());
    let second = request(&meeting(), stamp() + chrono::Duration::minutes(1));
    assert!(first.contains("DTSTAMP:20261123T093000Z"), "{first}");
    assert!(second.contains("DTSTAMP:20261123T093100Z"), "{second}");
}

#[test]
fn a_cancellation_says_cancelled_and_keeps_uid_and_sequence() {
    let mut cancelled = meeting();
    cancelled.sequence = 3;
    let text = cancel(&cancelled, stamp());
    let itip = ics::read(&text, None, chrono_tz::UTC).unwrap();
    assert_eq!(itip.method, Method::Cancel);
    assert_eq!(itip.events[0].status, Some(EventStatus::Cancelled));
    assert_eq!((itip.events[0].uid.as_str(), itip.events[0].sequence), ("clerk-42@office.example", 3));
}

#[test]
fn a_reply_copies_the_invitation_and_names_exactly_one_attendee() {
    let mut invitation = meeting();
    invitation.sequence = 2;
    invitation.organizer =
        Some(Organizer { party: party("Anna@Client.example", "Anna Bianchi"), sent_by: None });
    let me = party("assistant@office.example", "Office Assistant");
    let text = reply(&invitation, &me, PartStat::Accepted, None, stamp());
    let itip = ics::read(&text, None, chrono_tz::UTC).unwrap();
    assert_eq!(itip.method, Method::Reply);
    let event = &itip.events[0];
    assert_eq!((event.uid.as_str(), event.sequence), ("clerk-42@office.example", 2));
    assert_eq!((event.start, event.end), (rome(24, 15), rome(24, 16)));
    assert!(event.organizer.as_ref().unwrap().is("anna@client.example"));
    assert_eq!(event.attendees, [Attendee { party: me, partstat: PartStat::Accepted }]);
}

#[test]
fn a_declining_reply_carries_the_comment() {
    let me = party("assistant@office.example", "Office Assistant");
    let text = reply(&meeting(), &me, PartStat::Declined, Some("Busy then; free Wed 25 at 10:00"), stamp());
    assert!(text.contains("PARTSTAT=DECLINED"), "{text}");
    assert!(text.contains("COMMENT:Busy then\\; free Wed 25 at 10:00"), "{text}");
}

#[test]
fn an_invitation_asks_for_an_answer_only_from_who_has_not_given_one() {
    let text = request(&meeting(), stamp()).replace("\r\n ", "");
    let anna = text.lines().find(|l| l.contains("anna@client.example")).unwrap();
    let giulia = text.lines().find(|l| l.starts_with("ATTENDEE") && l.contains("giulia")).unwrap();
    assert!(anna.contains("RSVP=TRUE"), "{anna}");
    assert!(!giulia.contains("RSVP"), "{giulia}");
}

#[test]
fn a_series_keeps_its_rule() {
    let mut series = meeting();
    series.rrule = Some("FREQ=WEEKLY;BYDAY=TU;COUNT=4".into());
    let text = request(&series, stamp());
    let event = &ics::read(&text, None, chrono_tz::UTC).unwrap().events[0];
    assert_eq!(event.rrule.as_deref(), Some("FREQ=WEEKLY;COUNT=4;BYDAY=TU"));
}
