use super::*;
use crate::mail::message::Message;

const ROME: Tz = chrono_tz::Europe::Rome;

fn corpus(path: &str) -> Vec<u8> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    std::fs::read(root.join(path)).unwrap()
}

/// The first calendar a corpus message carries, read.
fn imip(name: &str) -> Itip {
    let msg = Message::parse(&corpus(&format!("imip/{name}"))).unwrap();
    let part = msg.calendars.first().unwrap_or_else(|| panic!("{name} carries no calendar"));
    read(&part.text, part.method.as_deref(), ROME).unwrap()
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

#[test]
fn every_calendar_of_the_corpus_is_read_without_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut events = 0;
    for entry in std::fs::read_dir(root.join("ics")).unwrap() {
        let text = String::from_utf8_lossy(&std::fs::read(entry.unwrap().path()).unwrap()).into_owned();
        if let Ok(itip) = read(&text, None, ROME) {
            events += itip.events.len();
        }
    }
    for entry in std::fs::read_dir(root.join("imip")).unwrap() {
        let Ok(msg) = Message::parse(&std::fs::read(entry.unwrap().path()).unwrap()) else { continue };
        for part in &msg.calendars {
            if let Ok(itip) = read(&part.text, part.method.as_deref(), ROME) {
                events += itip.events.len();
            }
        }
    }
    assert!(events > 30, "only {events} events read");
}

#[test]
fn an_outlook_invitation_is_a_request_with_its_organizer_and_attendees() {
    let itip = imip("outlook-test-invite.eml");
    assert_eq!(itip.method, Method::Request);
    let event = &itip.events[0];
    assert!(event.organizer.is_some(), "{event:?}");
    assert!(!event.attendees.is_empty(), "{event:?}");
    assert!(event.end > event.start);
}

#[test]
fn a_reply_without_organizer_is_still_read_by_its_uid() {
    let itip = imip("reply_missing_organizer.eml");
    assert_eq!(itip.method, Method::Reply);
    let event = &itip.events[0];
    assert_eq!(event.uid, "1E71F9C8-AEDA-48EB-98D0-76E898F6BB5C");
    assert_eq!(event.organizer, None);
    assert_eq!(event.sequence, 7);
    // 10:00 in US/Pacific summer time.
    assert_eq!(event.start, utc("2008-08-12T17:00:00Z"));
}

#[test]
fn an_organizer_or_attendee_mail_cannot_be_sent_to_names_nobody() {
    let text = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTART:20270118T100000Z\r\n\
        ORGANIZER:mailto:anna.weber@partner.exam<div>ple\r\nATTENDEE:mailto:@\r\n\
        ATTENDEE:mailto:bob@partner.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let event = &read(text, None, ROME).unwrap().events[0];
    assert_eq!(event.organizer, None);
    let attendees: Vec<&str> = event.attendees.iter().map(|a| a.party.email.as_str()).collect();
    assert_eq!(attendees, ["bob@partner.example"]);
}

#[test]
fn a_summary_place_and_name_with_line_breaks_are_read_on_one_line() {
    let text = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:u2\r\nDTSTART:20270118T100000Z\r\n\
        SUMMARY:Review\rBcc: x@evil.example\r\nLOCATION:Room\\n2\r\n\
        ORGANIZER;CN=\"Anna\\nWeber\":mailto:anna@partner.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let event = &read(text, None, ROME).unwrap().events[0];
    assert_eq!(event.summary, "Review Bcc: x@evil.example");
    assert_eq!(event.location.as_deref(), Some("Room 2"));
    assert_eq!(event.organizer.as_ref().and_then(|o| o.name.as_deref()), Some("Anna Weber"));
}

#[test]
fn a_cancellation_is_read_as_cancel() {
    assert_eq!(imip("cancel-single-event.eml").method, Method::Cancel);
}

#[test]
fn the_mail_content_type_method_stands_in_for_a_missing_method() {
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTART:20261124T140000Z\r\n\
                DTEND:20261124T150000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(read(text, Some("request"), ROME).unwrap().method, Method::Request);
    assert_eq!(read(text, None, ROME).unwrap().method, Method::Publish);
}

#[test]
fn a_windows_zone_name_is_read_as_its_iana_zone() {
    let text = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:w@b\r\n\
                DTSTART;TZID=W. Europe Standard Time:20261124T150000\r\n\
                DTEND;TZID=W. Europe Standard Time:20261124T160000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let event = &read(text, None, chrono_tz::UTC).unwrap().events[0];
    assert_eq!(event.start, utc("2026-11-24T14:00:00Z"));
    assert_eq!(event.timezone, chrono_tz::Europe::Berlin);
}

#[test]
fn an_outlook_display_name_zone_is_matched_by_its_offsets() {
    let text = String::from_utf8(corpus("ics/Standup.ics")).unwrap();
    let event = &read(&text, None, ROME).unwrap().events[0];
    // 09:30 in Australian summer time (+11:00).
    assert_eq!(event.start, utc("2009-03-09T22:30:00Z"));
    assert_eq!(event.timezone, chrono_tz::Australia::Sydney);
    assert!(event.rrule.as_deref().unwrap().starts_with("FREQ=DAILY"), "{:?}", event.rrule);
}

#[test]
fn a_zone_named_by_nobody_is_matched_by_the_offsets_of_its_vtimezone() {
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Our office time\r\n\
                BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
                TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n\
                BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
                TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
                BEGIN:VEVENT\r\nUID:o@b\r\nDTSTART;TZID=Our office time:20260715T100000\r\n\
                END:VEVENT\r\nBEGIN:VEVENT\r\nUID:p@b\r\nDTSTART;TZID=Our office time:20261215T100000\r\n\
                END:VEVENT\r\nEND:VCALENDAR\r\n";
    let itip = read(text, None, chrono_tz::UTC).unwrap();
    assert_eq!(itip.events[0].start, utc("2026-07-15T08:00:00Z"));
    assert_eq!(itip.events[1].start, utc("2026-12-15T09:00:00Z"));
}

#[test]
fn an_exchange_zone_number_names_the_zone() {
    let text = String::from_utf8(corpus("ics/tmeher.ics")).unwrap();
    let event = &read(&text, None, ROME).unwrap().events[0];
    // 22:30 Pacific daylight time on 11 October 2004.
    assert_eq!(event.start, utc("2004-10-12T05:30:00Z"));
}

#[test]
fn floating_times_are_read_in_the_office_zone_and_dates_as_whole_days() {
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:f@b\r\nDTSTART:20261124T150000\r\nEND:VEVENT\r\n\
                BEGIN:VEVENT\r\nUID:d@b\r\nDTSTART;VALUE=DATE:20261225\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let itip = read(text, None, ROME).unwrap();
    assert_eq!(itip.events[0].start, utc("2026-11-24T14:00:00Z"));
    assert_eq!(itip.events[0].end, itip.events[0].start);
    assert!(itip.events[1].all_day);
    assert_eq!(itip.events[1].end - itip.events[1].start, Duration::days(1));
}

#[test]
fn addresses_lose_their_mailto_in_any_case_and_compare_case_insensitively() {
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m@b\r\nDTSTART:20261124T140000Z\r\n\
                ORGANIZER;CN=\"Anna Bianchi\":MAILTO:Anna@Client.example\r\n\
                ATTENDEE;PARTSTAT=ACCEPTED:mailto:assistant@office.example\r\n\
                ATTENDEE:urn:uuid:room-1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let event = &read(text, None, ROME).unwrap().events[0];
    let organizer = event.organizer.as_ref().unwrap();
    assert_eq!(organizer.email, "Anna@Client.example");
    assert_eq!(organizer.name.as_deref(), Some("Anna Bianchi"));
    assert!(organizer.is("anna@client.EXAMPLE"));
    assert_eq!(event.attendees.len(), 1, "an attendee without an address names nobody");
    assert_eq!(event.attendee("ASSISTANT@office.example").unwrap().partstat, PartStat::Accepted);
}

#[test]
fn an_event_without_uid_or_start_is_skipped_with_a_reason_and_the_rest_read() {
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261124T140000Z\r\nEND:VEVENT\r\n\
                BEGIN:VEVENT\r\nUID:nostart@b\r\nEND:VEVENT\r\n\
                BEGIN:VEVENT\r\nUID:ok@b\r\nDTSTART:20261124T140000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let itip = read(text, None, ROME).unwrap();
    assert_eq!(itip.events.len(), 1);
    assert_eq!(
        itip.problems,
        ["VEVENT without a UID: it has no UID; left out", "VEVENT nostart@b: it has no DTSTART; left out"]
    );
}

#[test]
fn text_that_is_no_calendar_is_an_error() {
    let error = read("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nEND:VCARD\r\n", None, ROME).unwrap_err();
    assert!(error.to_string().starts_with("the calendar cannot be read: "), "{error}");
}

#[test]
fn an_invitation_pointing_at_a_local_file_is_read_as_text_alone() {
    // The ATTACH names file:///etc/passwd; reading keeps the event and nothing of the file.
    let itip = imip("event-with-file-attachment.eml");
    assert_eq!(itip.method, Method::Request);
    let event = &itip.events[0];
    assert!(event.description.as_deref().unwrap_or_default().contains("file: URI attachment"));
    assert!(!format!("{event:?}").contains("root:"), "no file content may appear");
}

#[test]
fn an_unreadable_dtend_is_taken_as_missing_and_said() {
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:e@b\r\nDTSTART:19970621T170000Z\r\n\
                DTEND:199706211T173000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let itip = read(text, None, ROME).unwrap();
    assert_eq!(itip.events[0].end, itip.events[0].start);
    assert_eq!(itip.problems, ["VEVENT e@b: its DTEND is not a date or time; taken as missing"]);
}

#[test]
fn a_cancel_without_dtstart_is_read_by_its_uid() {
    let text = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:c@b\r\nSEQUENCE:2\r\nEND:VEVENT\r\n\
                END:VCALENDAR\r\n";
    let itip = read(text, None, ROME).unwrap();
    assert_eq!((itip.events[0].uid.as_str(), itip.events[0].sequence), ("c@b", 2));
    let request = text.replace("METHOD:CANCEL", "METHOD:REQUEST");
    assert!(read(&request, None, ROME).unwrap().events.is_empty(), "an invitation needs its time");
}

/// A REQUEST for one event whose VEVENT carries `lines` besides its UID.
fn invitation(lines: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:poison@stranger.example\r\n\
         DTSTAMP:20261120T080000Z\r\nSUMMARY:Poison\r\n{lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// What reading `lines` said, when the event was left out.
fn refusal(lines: &str) -> String {
    let itip = read(&invitation(lines), None, ROME).unwrap();
    assert!(itip.events.is_empty(), "{:?}", itip.events);
    itip.problems.join("\n")
}

#[test]
fn a_duration_of_99999999_weeks_leaves_the_event_out_naming_it() {
    assert_eq!(
        refusal("DTSTART:20261124T140000Z\r\nDURATION:P99999999W\r\n"),
        "VEVENT poison@stranger.example: its DURATION P99999999W is longer than the two years an event may last; left out"
    );
}

#[test]
fn a_dtend_years_after_the_start_leaves_the_event_out() {
    assert_eq!(
        refusal("DTSTART:20261124T140000Z\r\nDTEND:21991124T140000Z\r\n"),
        "VEVENT poison@stranger.example: it lasts longer than the two years an event may (DTEND); left out"
    );
}

#[test]
fn a_negative_duration_ends_before_it_starts() {
    assert_eq!(
        refusal("DTSTART:20261124T140000Z\r\nDURATION:-P99999999W\r\n"),
        "VEVENT poison@stranger.example: it ends before it starts; left out"
    );
}

#[test]
fn times_outside_the_years_read_leave_the_event_out() {
    for (lines, said) in [
        ("DTSTART:99991124T140000Z\r\n", "its DTSTART 9999-11-24 is outside the years 1900–2200"),
        ("DTSTART;VALUE=DATE:18500101\r\n", "its DTSTART 1850-01-01 is outside the years 1900–2200"),
        (
            "DTSTART:20261124T140000Z\r\nDTEND:30001124T140000Z\r\n",
            "its DTEND 3000-11-24 is outside the years 1900–2200",
        ),
        (
            "RECURRENCE-ID:65001124T140000Z\r\nDTSTART:20261124T140000Z\r\n",
            "its RECURRENCE-ID 6500-11-24 is outside the years 1900–2200",
        ),
    ] {
        assert_eq!(refusal(lines), format!("VEVENT poison@stranger.example: {said}; left out"));
    }
}

#[test]
fn a_rule_by_the_second_with_a_64_kb_title_is_refused() {
    let summary = "x".repeat(64 * 1024);
    let text = invitation(&format!(
        "DTSTART:20261124T140000Z\r\nDTEND:20261124T150000Z\r\nRRULE:FREQ=SECONDLY;COUNT=100000000\r\nSUMMARY:{summary}\r\n"
    ));
    let itip = read(&text, None, ROME).unwrap();
    assert!(itip.events.is_empty());
    assert_eq!(
        itip.problems,
        [
            "VEVENT poison@stranger.example: its RRULE FREQ=SECONDLY;COUNT=100000000: FREQ=SECONDLY repeats more often than meetings are held (at most hourly); left out"
        ]
    );
}

#[test]
fn rules_counting_too_far_or_ending_outside_the_years_are_refused() {
    let said = refusal("DTSTART:20261124T140000Z\r\nRRULE:FREQ=DAILY;COUNT=4000000000\r\n");
    assert!(
        said.ends_with("COUNT=4000000000 is more than the 10000 instances a series may have; left out"),
        "{said}"
    );
    let said = refusal("DTSTART:20261124T140000Z\r\nRRULE:FREQ=WEEKLY;UNTIL=99991231T000000Z\r\n");
    assert!(said.ends_with("UNTIL=99991231T000000Z is outside the years 1900–2200; left out"), "{said}");
}

#[test]
fn a_date_until_from_google_is_kept_in_utc() {
    let itip = read(
        &invitation("DTSTART;VALUE=DATE:20261124\r\nRRULE:FREQ=YEARLY;UNTIL=20301124;INTERVAL=1\r\n"),
        None,
        ROME,
    )
    .unwrap();
    assert_eq!(itip.events[0].rrule.as_deref(), Some("FREQ=YEARLY;UNTIL=20301124T225959Z;INTERVAL=1"));
}

#[test]
fn more_exdates_than_an_event_may_have_leave_it_out() {
    let exdates: Vec<String> = (0..1001).map(|n| format!("EXDATE:{}\r\n", 20270101 + n % 28)).collect();
    let said = refusal(&format!("DTSTART:20261124T140000Z\r\nRRULE:FREQ=DAILY\r\n{}", exdates.concat()));
    assert_eq!(
        said,
        "VEVENT poison@stranger.example: it has more than the 1000 EXDATEs an event may have; left out"
    );
}

#[test]
fn exdates_outside_the_years_read_are_ignored_and_said() {
    let itip = read(
        &invitation(
            "DTSTART:20261124T140000Z\r\nRRULE:FREQ=DAILY\r\nEXDATE:99991124T140000Z,20261125T140000Z\r\n",
        ),
        None,
        ROME,
    )
    .unwrap();
    assert_eq!(itip.events[0].exdates, [utc("2026-11-25T14:00:00Z")]);
    assert_eq!(
        itip.problems,
        ["VEVENT poison@stranger.example: 1 of its EXDATEs are outside the years 1900–2200; ignored"]
    );
}

#[test]
fn a_vtimezone_with_offsets_no_zone_has_leaves_times_in_the_office_zone() {
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Nowhere\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n\
                TZOFFSETFROM:+9959\r\nTZOFFSETTO:-9959\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:99990301T000000\r\n\
                TZOFFSETFROM:-9959\r\nTZOFFSETTO:+9959\r\nRRULE:FREQ=SECONDLY\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
                BEGIN:VEVENT\r\nUID:z@b\r\nDTSTART;TZID=Nowhere:20261124T150000\r\nDURATION:PT1H\r\nEND:VEVENT\r\n\
                END:VCALENDAR\r\n";
    let itip = read(text, None, ROME).unwrap();
    assert_eq!(itip.events[0].start, utc("2026-11-24T14:00:00Z"));
    assert_eq!(itip.events[0].timezone, ROME);
}

#[test]
fn an_alarm_trigger_is_not_read() {
    let itip = read(
        &invitation(
            "DTSTART:20261124T140000Z\r\nDURATION:PT1H\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P99999999W\r\nEND:VALARM\r\n",
        ),
        None,
        ROME,
    )
    .unwrap();
    assert_eq!(itip.events[0].end, utc("2026-11-24T15:00:00Z"));
}

#[test]
fn a_series_whose_master_is_refused_is_not_taken_by_its_moved_instances() {
    let text = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n\
                BEGIN:VEVENT\r\nUID:s@b\r\nDTSTART:20261124T140000Z\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n\
                BEGIN:VEVENT\r\nUID:s@b\r\nRECURRENCE-ID:20261124T140100Z\r\nDTSTART:20261125T140000Z\r\nEND:VEVENT\r\n\
                BEGIN:VEVENT\r\nUID:ok@b\r\nDTSTART:20261124T140000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let itip = read(text, None, ROME).unwrap();
    let uids: Vec<&str> = itip.events.iter().map(|e| e.uid.as_str()).collect();
    assert_eq!(uids, ["ok@b"]);
    assert_eq!(
        itip.problems.last().unwrap(),
        "UID s@b: another VEVENT of it cannot be read, so none of it is taken"
    );
}

#[test]
fn a_calendar_of_thousands_of_events_is_read_for_its_first_thousand_and_says_so_briefly() {
    let events: Vec<String> = (0..3000)
        .map(|n| {
            format!(
                "BEGIN:VEVENT\r\nUID:e{n}@b\r\nDTSTART:{}\r\nEND:VEVENT\r\n",
                if n % 2 == 0 { "20261124T140000Z" } else { "x" }
            )
        })
        .collect();
    let text = format!("BEGIN:VCALENDAR\r\n{}END:VCALENDAR\r\n", events.concat());
    let itip = read(&text, None, ROME).unwrap();
    assert_eq!(itip.events.len(), 500);
    assert_eq!(itip.problems.len(), 21);
    assert_eq!(itip.problems.last().unwrap(), "and 481 more problems");
}

/// Every calendar of the corpus, read.
fn corpus_calendars() -> Vec<(String, Itip)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut read_all = Vec::new();
    for sub in ["ics", "imip"] {
        for entry in std::fs::read_dir(root.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let name = path.display().to_string();
            if sub == "ics" {
                read_all.extend(read(&String::from_utf8_lossy(&bytes), None, ROME).ok().map(|i| (name, i)));
            } else if let Ok(msg) = Message::parse(&bytes) {
                for part in &msg.calendars {
                    read_all.extend(
                        read(&part.text, part.method.as_deref(), ROME).ok().map(|i| (name.clone(), i)),
                    );
                }
            }
        }
    }
    read_all
}

#[test]
fn every_series_and_time_of_the_corpus_is_within_the_limits_and_expands() {
    let mut series = 0;
    for (name, itip) in corpus_calendars() {
        let refused: Vec<&String> =
            itip.problems.iter().filter(|p| p.contains("outside the years") || p.contains("RRULE")).collect();
        assert!(refused.is_empty(), "{name}: {refused:?}");
        for event in itip.events.iter().filter(|e| e.rrule.is_some()) {
            series += 1;
            let kept = [event.to_event("office")];
            let found = crate::calendar::event::occurrences(
                &kept,
                event.start - Duration::days(1),
                event.start + Duration::days(3 * 366),
            );
            assert!(found.cuts.is_empty(), "{name}: {:?}", found.cuts);
            assert!(!found.occurrences.is_empty(), "{name}: {:?}", event.rrule);
        }
    }
    assert!(series > 10, "only {series} series");
}

#[test]
fn a_sequence_outside_what_a_calendar_counts_leaves_the_event_out() {
    assert_eq!(
        refusal("DTSTART:20261124T140000Z\r\nSEQUENCE:9223372036854775807\r\n"),
        "VEVENT poison@stranger.example: its SEQUENCE 9223372036854775807 is outside 0–1000000000; left out"
    );
}

#[test]
fn a_cancel_without_dtstart_but_with_dtend_lasts_no_time() {
    let text = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:c@b\r\nDTEND:20220316T120000Z\r\nEND:VEVENT\r\n\
                END:VCALENDAR\r\n";
    let itip = read(text, None, ROME).unwrap();
    assert_eq!(itip.events[0].end, itip.events[0].start);
    assert!(itip.problems.is_empty(), "{:?}", itip.problems);
}

#[test]
fn one_meeting_keeps_its_vevents_and_time_zones_as_written_and_drops_the_rest() {
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Organizer//EN\r\nMETHOD:REQUEST\r\n\
        BEGIN:VTIMEZONE\r\nTZID:Europe/Rome\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n\
        TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
        BEGIN:VEVENT\r\nUID:other\r\nDTSTART:20261124T140000Z\r\nSUMMARY:Another meeting\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:budget\r\nSEQUENCE:3\r\nDTSTART;TZID=Europe/Rome:20261124T150000\r\n\
        DTEND;TZID=Europe/Rome:20261124T160000\r\nSUMMARY:Budget review\r\nDESCRIPTION:Bring the figures\r\n\
        ORGANIZER;CN=Anna:mailto:anna@client.example\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n\
        TRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VTODO\r\nUID:budget\r\nEND:VTODO\r\n\
        END:VCALENDAR\r\n";
    let kept = one_meeting(text, "budget").unwrap();
    for line in
        ["PRODID:-//Organizer//EN", "METHOD:REQUEST", "BEGIN:STANDARD", "DESCRIPTION:Bring the figures"]
    {
        assert!(kept.contains(line), "{line} is kept:\n{kept}");
    }
    for gone in ["Another meeting", "VALARM", "VTODO"] {
        assert!(!kept.contains(gone), "{gone} is left out:\n{kept}");
    }
    let itip = read(&kept, None, chrono_tz::UTC).unwrap();
    assert_eq!(itip.events.len(), 1);
    assert_eq!((itip.events[0].uid.as_str(), itip.events[0].sequence), ("budget", 3));
    assert_eq!(itip.events[0].start, utc("2026-11-24T14:00:00Z"));
    assert_eq!(one_meeting(text, "nobody"), None);
}
