//! A new time an attendee proposes (iTIP COUNTER) for a meeting the office booked, against real
//! servers: clerk runs as a process on a private Dovecot and SMTP server, the customer's proposal and
//! the owner's answer are delivered to the assistant's mailbox, and the customer's and the owner's
//! mailboxes receive what a calendar program and a person would read. Also what an organizer's
//! cancellation of a whole series makes of `clerk calendar`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use support::clerk::{ASSISTANT, CUSTOMER, Office, PASSWORD, header, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

/// The calendar's owner, with a mailbox of her own.
const OWNER: &str = "owner@office.test";

/// Calendar mail goes to the meeting desk; requests in words only from the customer, so that the
/// owner's answer reaches the desk by its thread alone, as no rule takes her mail.
const RULES: &str = r#"
[[rule]]
name = "invitations"
when.calendar = ["REQUEST", "CANCEL", "REPLY", "COUNTER"]
desk = "meeting"
calendar = "olga"
ACCEPT

[[rule]]
name = "requests in words"
when.from = ["anna@example.test"]
when.subject = "meeting"
desk = "meeting"
calendar = "olga"
"#;

/// Olga's calendar, open every day 08:00–20:00 in Rome, and a room for six open the same hours.
const CALENDAR: &str = "\n[[calendar]]\nname = \"olga\"\nowner = \"owner@office.test\"\nbuffer = \"0m\"\n\
    min_notice = \"1h\"\nhorizon = \"30d\"\nhours.mon = \"08:00-20:00\"\nhours.tue = \"08:00-20:00\"\n\
    hours.wed = \"08:00-20:00\"\nhours.thu = \"08:00-20:00\"\nhours.fri = \"08:00-20:00\"\n\
    hours.sat = \"08:00-20:00\"\nhours.sun = \"08:00-20:00\"\n\n[[room]]\nname = \"Sala Verde\"\ncapacity = 6\n\
    hours.mon = \"08:00-20:00\"\nhours.tue = \"08:00-20:00\"\nhours.wed = \"08:00-20:00\"\n\
    hours.thu = \"08:00-20:00\"\nhours.fri = \"08:00-20:00\"\nhours.sat = \"08:00-20:00\"\n\
    hours.sun = \"08:00-20:00\"\n";

/// Two days from now at `hour`:00 in Rome.
fn at(hour: u32) -> DateTime<Utc> {
    let day = (Utc::now() + chrono::Duration::days(2)).with_timezone(&chrono_tz::Europe::Rome).date_naive();
    chrono_tz::Europe::Rome
        .with_ymd_and_hms(day.year(), day.month(), day.day(), hour, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// The office with its servers, the customer's and the owner's mailboxes; `accept_counter` as the
/// invitations rule says; `config` added to clerk.toml.
fn office(accept_counter: bool, config: &str) -> (Dovecot, SmtpSink, Office, support::clerk::Clerk) {
    let mut users = office_users();
    users.push((OWNER, PASSWORD));
    let dovecot = Dovecot::start(&users);
    let sink = SmtpSink::start_relaying_to(&dovecot);
    let rules = RULES.replace("ACCEPT", if accept_counter { "accept_counter = true" } else { "" });
    let office = Office::new(&dovecot, &sink, &rules, "");
    office.append_config(config);
    let office_toml = office.dir.path().join("rules/office.toml");
    let text = std::fs::read_to_string(&office_toml).unwrap();
    std::fs::write(&office_toml, format!("{text}{CALENDAR}")).unwrap();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "clerk did not start watching:\n{}", clerk.log());
    (dovecot, sink, office, clerk)
}

/// A plain message to the assistant, sent now from Rome.
fn plain(from: &str, subject: &str, text: &str, id: &str, in_reply_to: Option<&str>) -> Vec<u8> {
    let date = Utc::now().with_timezone(&chrono_tz::Europe::Rome).to_rfc2822();
    let thread =
        in_reply_to.map_or_else(String::new, |r| format!("In-Reply-To: <{r}>\r\nReferences: <{r}>\r\n"));
    format!(
        "From: {from}\r\nTo: {ASSISTANT}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         {thread}Date: {date}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    )
    .into_bytes()
}

/// `at` as a DTSTART line in Rome.
fn dtstart(at: DateTime<Utc>) -> String {
    format!("DTSTART;TZID=Europe/Rome:{}", at.with_timezone(&chrono_tz::Europe::Rome).format("%Y%m%dT%H%M%S"))
}

/// Anna's calendar program proposing `start` for an hour for the meeting `uid`, as Thunderbird does.
fn counter(uid: &str, start: DateTime<Utc>) -> Vec<u8> {
    let stamp = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    format!(
        "From: Anna Example <{CUSTOMER}>\r\nTo: {ASSISTANT}\r\nSubject: New time proposed: Meeting about the budget\r\n\
         Message-ID: <counter-1@example.test>\r\nDate: {}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/calendar; charset=utf-8; method=COUNTER\r\n\r\n\
         BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\n\
         METHOD:COUNTER\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nSEQUENCE:0\r\nDTSTAMP:{}\r\n\
         DTSTART:{}\r\nDTEND:{}\r\nSUMMARY:Meeting about the budget\r\n\
         ORGANIZER:mailto:{ASSISTANT}\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:{CUSTOMER}\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n",
        Utc::now().to_rfc2822(),
        stamp(Utc::now()),
        stamp(start),
        stamp(start + chrono::Duration::hours(1)),
    )
    .into_bytes()
}

/// The `n`th message in `user`'s inbox: its raw text, its calendar (unfolded) and its text.
fn nth(dovecot: &Dovecot, user: &str, n: usize) -> (String, String, String) {
    let all = dovecot.wait_for_messages(user, "INBOX", n, WAIT);
    let raw = &all[n - 1];
    let parsed = clerk::mail::message::Message::parse(raw).expect("the mail parses");
    let calendar = parsed.calendars.first().map(|c| c.text.replace("\r\n ", "")).unwrap_or_default();
    (String::from_utf8_lossy(raw).into_owned(), calendar, parsed.text)
}

/// The subject of `raw`, decoded.
fn subject_of(raw: &str) -> String {
    clerk::mail::message::Message::parse(raw.as_bytes()).expect("the mail parses").subject
}

/// The value of `name` in an unfolded calendar.
fn property<'a>(calendar: &'a str, name: &str) -> &'a str {
    calendar
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .unwrap_or_else(|| panic!("no {name} in\n{calendar}"))
        .trim()
}

/// Anna asks in words for a meeting at 15:00 two days from now (`in_person`: in the office's room);
/// clerk books it and invites her. Its UID.
fn booked(dovecot: &Dovecot, in_person: bool) -> String {
    let day = at(15).with_timezone(&chrono_tz::Europe::Rome).format("%B %-d");
    let place = if in_person { " I will come to your office." } else { "" };
    let text = format!("Hello, could we meet on {day} at 3pm for an hour?{place}");
    let request = plain(
        &format!("Anna Example <{CUSTOMER}>"),
        "Meeting about the budget",
        &text,
        "ask@example.test",
        None,
    );
    dovecot.deliver(ASSISTANT, &request);
    let (_, invitation, _) = nth(dovecot, CUSTOMER, 1);
    assert!(invitation.contains(&dtstart(at(15))), "{invitation}");
    // The owner's copy of the booking comes first in her inbox; the tests' questions follow it.
    let (_, _, copy) = nth(dovecot, OWNER, 1);
    assert!(copy.contains("I have booked this meeting in your calendar"), "{copy}");
    property(&invitation, "UID:").to_owned()
}

#[test]
fn the_owners_yes_to_a_proposed_new_time_moves_the_meeting_and_the_customer_gets_the_update() {
    let (dovecot, _sink, office, clerk) = office(false, "");
    let uid = booked(&dovecot, false);

    dovecot.deliver(ASSISTANT, &counter(&uid, at(17)));
    let (raw, _, question) = nth(&dovecot, OWNER, 2);
    let subject = subject_of(&raw);
    assert!(subject.starts_with("New time proposed: Anna Example – budget [NT-"), "{subject}");
    assert!(question.contains("Anna Example proposes to move \"Anna Example – budget\""), "{question}");
    let question_id = header(&raw, "Message-ID").unwrap().trim_matches(|c| c == '<' || c == '>').to_owned();

    let quoted = question.lines().map(|l| format!("> {l}")).collect::<Vec<_>>().join("\r\n");
    let yes = format!("Yes, move it.\r\n\r\nOn Mon, Office Assistant wrote:\r\n{quoted}");
    dovecot.deliver(
        ASSISTANT,
        &plain(
            &format!("Olga Owner <{OWNER}>"),
            &format!("Re: {subject}"),
            &yes,
            "yes@office.test",
            Some(&question_id),
        ),
    );

    let (raw, update, _) = nth(&dovecot, CUSTOMER, 2);
    assert!(raw.contains("method=\"REQUEST\""), "{raw}");
    assert_eq!(property(&update, "UID:"), uid, "the same meeting");
    assert_eq!(property(&update, "SEQUENCE:"), "1");
    assert!(update.contains(&dtstart(at(17))), "{update}");

    let rows = office.query_strings("SELECT start_at || ' ' || sequence FROM events WHERE calendar = 'olga'");
    assert_eq!(rows, [format!("{} 1", at(17).timestamp())], "one meeting, moved:\n{}", clerk.log());
    let (_, _, done) = nth(&dovecot, OWNER, 3);
    assert!(done.starts_with("Done: \"Anna Example – budget\" moves from"), "{done}");
    assert_eq!(
        office
            .query_strings("SELECT CASE WHEN closed_at IS NULL THEN 'open' ELSE 'closed' END FROM counters"),
        ["closed"]
    );
}

#[test]
fn an_unclear_answer_is_asked_again_and_the_owners_no_declines_the_proposal() {
    let (dovecot, _sink, office, _clerk) = office(false, "");
    let uid = booked(&dovecot, false);
    dovecot.deliver(ASSISTANT, &counter(&uid, at(17)));
    let (raw, _, _) = nth(&dovecot, OWNER, 2);
    let subject = subject_of(&raw);
    let question_id = header(&raw, "Message-ID").unwrap().trim_matches(|c| c == '<' || c == '>').to_owned();
    let owner = format!("Olga Owner <{OWNER}>");

    let unsure = plain(
        &owner,
        &format!("Re: {subject}"),
        "Let me think about it.",
        "unsure@office.test",
        Some(&question_id),
    );
    dovecot.deliver(ASSISTANT, &unsure);
    let (_, _, again) = nth(&dovecot, OWNER, 3);
    assert!(again.starts_with("I could not tell from your answer"), "{again}");

    // Her program lost the thread; the reference in the subject still ties the answer to the question.
    dovecot.deliver(
        ASSISTANT,
        &plain(&owner, &format!("Re: {subject}"), "No, keep it.", "no@office.test", None),
    );
    let (raw, declined, _) = nth(&dovecot, CUSTOMER, 2);
    assert!(raw.contains("method=\"DECLINECOUNTER\""), "{raw}");
    assert_eq!(property(&declined, "UID:"), uid);
    let rows = office.query_strings("SELECT start_at || ' ' || sequence FROM events WHERE calendar = 'olga'");
    assert_eq!(rows, [format!("{} 0", at(15).timestamp())], "the meeting stays where it was");
}

#[test]
fn a_counter_the_rule_accepts_moves_the_room_and_its_feed_with_the_meeting() {
    let port = support::free_port();
    let (dovecot, _sink, office, _clerk) = office(true, &format!("[http]\nlisten = \"127.0.0.1:{port}\""));
    let uid = booked(&dovecot, true);
    dovecot.deliver(ASSISTANT, &counter(&uid, at(17)));
    let (_, update, _) = nth(&dovecot, CUSTOMER, 2);
    assert!(update.contains(&dtstart(at(17))) && update.contains("LOCATION:Sala Verde"), "{update}");

    let room = "SELECT start_at || '' FROM events WHERE calendar = 'Sala Verde' AND status != 'cancelled'";
    assert_eq!(office.query_strings(room), [at(17).timestamp().to_string()]);
    let (ok, feeds) = office.command(&["feeds"]);
    assert!(ok, "{feeds}");
    let link = feeds
        .lines()
        .skip_while(|line| !line.starts_with("room:Sala Verde"))
        .nth(1)
        .expect("the room's feed link")
        .trim()
        .to_owned();
    let path =
        link.strip_prefix(&format!("http://127.0.0.1:{port}")).expect("a link on the listener").to_owned();
    let moved = support::wait_until(WAIT, || {
        let feed = support::process::http_get(port, &path);
        feed.contains(&dtstart(at(17))) && !feed.contains(&dtstart(at(15)))
    });
    assert!(moved, "the room feed keeps the old time:\n{}", support::process::http_get(port, &path));
}

#[test]
fn an_invitation_without_organizer_is_reported_to_the_owner_and_neither_confirmed_nor_accepted() {
    let port = support::free_port();
    let (dovecot, _sink, office, _clerk) = office(false, &format!("[http]\nlisten = \"127.0.0.1:{port}\""));
    let stamp = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let invitation = format!(
        "From: Anna Example <{CUSTOMER}>\r\nTo: {ASSISTANT}\r\nSubject: Site visit\r\nMessage-ID: <noorg@example.test>\r\n\
         Date: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\r\n\
         BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:noorg-1\r\nSEQUENCE:0\r\n\
         DTSTAMP:{}\r\nDTSTART:{}\r\nDTEND:{}\r\nSUMMARY:Site visit\r\n\
         ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:{ASSISTANT}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        Utc::now().to_rfc2822(),
        stamp(Utc::now()),
        stamp(at(11)),
        stamp(at(12)),
    );
    dovecot.deliver(ASSISTANT, invitation.as_bytes());
    let (raw, _, note) = nth(&dovecot, OWNER, 1);
    assert_eq!(header(&raw, "Subject"), Some("Invitation without organizer: Site visit"), "{raw}");
    assert!(note.contains("Anna Example invited") && note.contains("names no organizer"), "{note}");
    assert_eq!(office.query_strings("SELECT status FROM events WHERE uid = 'noorg-1'"), ["tentative"]);
    let attendees = office.query_strings("SELECT attendees FROM events WHERE uid = 'noorg-1'");
    assert!(attendees[0].to_lowercase().contains("tentative"), "{attendees:?}");
    assert!(!attendees[0].to_lowercase().contains("accepted"), "held, not accepted: {attendees:?}");
    let (ok, feeds) = office.command(&["feeds"]);
    assert!(ok, "{feeds}");
    let link = feeds
        .lines()
        .skip_while(|line| !line.starts_with("calendar:olga"))
        .nth(1)
        .expect("the calendar's feed link")
        .trim()
        .to_owned();
    let path =
        link.strip_prefix(&format!("http://127.0.0.1:{port}")).expect("a link on the listener").to_owned();
    let event = || {
        let feed = support::process::http_get(port, &path);
        feed.split("BEGIN:VEVENT").find(|e| e.contains("UID:noorg-1")).map(str::to_owned)
    };
    assert!(support::wait_until(WAIT, || event().is_some()), "the feed shows it");
    let event = event().unwrap_or_default();
    assert!(event.contains("STATUS:TENTATIVE") && !event.contains("ACCEPTED"), "{event}");
}

/// An organizer's invitation to a daily series of three (`method` REQUEST), or its cancellation as a
/// whole (CANCEL, no RECURRENCE-ID), as a calendar program sends it to the assistant.
fn series(method: &str, sequence: u32) -> Vec<u8> {
    let stamp = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let status = if method == "CANCEL" { "STATUS:CANCELLED\r\n" } else { "" };
    format!(
        "From: Anna Example <{CUSTOMER}>\r\nTo: {ASSISTANT}\r\nSubject: Daily check-in\r\n\
         Message-ID: <series-{method}@example.test>\r\nDate: {}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/calendar; charset=utf-8; method={method}\r\n\r\n\
         BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:{method}\r\nBEGIN:VEVENT\r\nUID:series-1\r\n\
         SEQUENCE:{sequence}\r\nDTSTAMP:{}\r\nDTSTART:{}\r\nDTEND:{}\r\nRRULE:FREQ=DAILY;COUNT=3\r\n\
         SUMMARY:Daily check-in\r\n{status}ORGANIZER;CN=Anna Example:mailto:{CUSTOMER}\r\n\
         ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:{ASSISTANT}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        Utc::now().to_rfc2822(),
        stamp(Utc::now()),
        stamp(at(9)),
        stamp(at(10)),
    )
    .into_bytes()
}

#[test]
fn a_series_cancelled_as_a_whole_shows_every_instance_cancelled_in_clerk_calendar() {
    let (dovecot, _sink, office, _clerk) = office(false, "");
    dovecot.deliver(ASSISTANT, &series("REQUEST", 0));
    nth(&dovecot, CUSTOMER, 1);
    let lines = |text: &str| {
        text.lines().filter(|l| l.contains("Daily check-in")).map(str::to_owned).collect::<Vec<_>>()
    };
    let (ok, booked) = office.command(&["calendar", "--calendar", "olga"]);
    assert!(ok && lines(&booked).len() == 3, "{booked}");
    assert!(lines(&booked).iter().all(|l| !l.contains("[cancelled]")), "{booked}");

    dovecot.deliver(ASSISTANT, &series("CANCEL", 1));
    let all_cancelled = support::wait_until(WAIT, || {
        let (_, text) = office.command(&["calendar", "--calendar", "olga"]);
        let shown = lines(&text);
        shown.len() == 3 && shown.iter().all(|l| l.contains("[cancelled]"))
    });
    let (_, text) = office.command(&["calendar", "--calendar", "olga"]);
    assert!(all_cancelled, "every instance is cancelled, or none:\n{text}");
}
