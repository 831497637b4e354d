use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::calendar::event::EventStatus;
use crate::calendar::ics::{Itip, PartStat};
use crate::mail::message::CalendarPart;
use crate::rules::tests::{Dir, OFFICE};
use crate::rules::{Desk as DeskName, OnConflict, RuleSet};
use crate::store::Store;

mod organizer;
mod requests;

/// Giulia's calendar: weekdays 09:00–18:00, no buffer, an hour's notice; and a room for four.
const CALENDAR: &str = r#"
[[calendar]]
name = "giulia"
owner = "giulia@office.example"
hours.mon = "09:00-18:00"
hours.tue = "09:00-18:00"
hours.wed = "09:00-18:00"
hours.thu = "09:00-18:00"
hours.fri = "09:00-18:00"
buffer = "0m"
min_notice = "1h"
horizon = "60d"

[[room]]
name = "Sala Verde"
capacity = 4
hours.mon = "08:00-19:00"
hours.tue = "08:00-19:00"
hours.wed = "08:00-19:00"
hours.thu = "08:00-19:00"
hours.fri = "08:00-19:00"
"#;

fn office() -> (Dir, RuleSet) {
    let dir = Dir::with_rules("[[rule]]\nname = \"invitations\"\ndesk = \"meeting\"\n");
    dir.write("office.toml", &format!("{OFFICE}{CALENDAR}"));
    let set = dir.load();
    (dir, set)
}

/// [`office`], writing in Italian.
fn italian_office() -> (Dir, RuleSet) {
    let (dir, _) = office();
    dir.write(
        "office.toml",
        &format!("{}{CALENDAR}", OFFICE.replace("language = \"en\"", "language = \"it\"")),
    );
    let set = dir.load();
    (dir, set)
}

/// Monday 23 November 2026, 09:00 in Rome.
fn now() -> DateTime<Utc> {
    rome(23, 9)
}

fn rome(day: u32, hour: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap().with_timezone(&Utc)
}

fn ics_time(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// An iTIP object from Anna for a meeting `uid` at `start` for an hour.
fn calendar(method: &str, uid: &str, sequence: i64, start: DateTime<Utc>, extra: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:{method}\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nSEQUENCE:{sequence}\r\n\
         DTSTAMP:20261123T080000Z\r\nDTSTART:{}\r\nDTEND:{}\r\nSUMMARY:Budget review\r\n\
         ORGANIZER;CN=Anna Bianchi:mailto:anna@client.example\r\n\
         ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:giulia@office.example\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n",
        ics_time(start),
        ics_time(start + chrono::Duration::hours(1))
    )
}

/// Anna's iTIP message about meeting `uid`.
fn from_anna(method: &str, uid: &str, sequence: i64, start: DateTime<Utc>) -> Message {
    message("anna@client.example", calendar(method, uid, sequence, start, ""))
}

fn message(from: &str, text: String) -> Message {
    Message {
        from: vec![Address { name: None, email: from.into() }],
        to: vec![Address { name: None, email: "assistant@office.example".into() }],
        message_id: Some("m1@client.example".into()),
        calendars: vec![CalendarPart { method: None, text }],
        ..Message::default()
    }
}

fn call(on_conflict: Option<OnConflict>, accept_counter: Option<bool>) -> DeskCall {
    DeskCall { on_conflict, accept_counter, ..DeskCall::plain(DeskName::Meeting) }
}

fn run(set: &RuleSet, call: &DeskCall, msg: &Message, store: &Store) -> Outcome {
    let guard = crate::guard::Verdict::of(msg, &crate::guard::GuardPolicy::of(&set.office));
    let cx = Context {
        office: &set.office,
        templates: &set.templates,
        guard: &guard,
        call,
        rule: "invitations",
        msg,
        content_hash: "abc",
        now: now(),
    };
    handle(&cx, store).unwrap()
}

/// The calendars of the mail sent, read back, with their recipients.
fn sent(outcome: &Outcome) -> Vec<(Vec<String>, Itip)> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { kind: MailKind::Calendar, mail, .. } => {
                let parsed = Message::parse(&mail.raw).unwrap();
                let part = &parsed.calendars[0];
                Some((
                    mail.recipients.clone(),
                    ics::read(&part.text, part.method.as_deref(), chrono_tz::UTC).unwrap(),
                ))
            }
            _ => None,
        })
        .collect()
}

fn notices(outcome: &Outcome) -> Vec<String> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { kind: MailKind::Notice, mail, .. } => Some(mail.recipients.join(",")),
            _ => None,
        })
        .collect()
}

fn stored(outcome: &Outcome) -> Vec<Event> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::PutEvent(event) => Some((**event).clone()),
            _ => None,
        })
        .collect()
}

/// Runs the desk on `msg` and commits what it stored.
fn book(set: &RuleSet, call: &DeskCall, store: &mut Store, msg: Message) {
    let outcome = run(set, call, &msg, store);
    apply(store, &outcome);
}

fn apply(store: &mut Store, outcome: &Outcome) {
    for event in stored(outcome) {
        store.put_event(&event).unwrap();
    }
}

#[test]
fn an_invitation_for_free_time_is_stored_and_accepted_to_the_organizer() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let msg = from_anna("REQUEST", "m1", 0, rome(24, 15));
    let outcome = run(&set, &call(None, None), &msg, &store);
    let events = stored(&outcome);
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].status, events[0].start), (EventStatus::Confirmed, rome(24, 15)));
    let answers = sent(&outcome);
    assert_eq!(answers.len(), 2, "the answer, and the owner's copy");
    let (to, reply) = &answers[0];
    assert_eq!(to, &["anna@client.example"]);
    assert_eq!(reply.method, Method::Reply);
    assert_eq!(reply.events[0].attendees.len(), 1);
    assert!(reply.events[0].attendees[0].party.is("giulia@office.example"));
    assert_eq!(reply.events[0].attendees[0].partstat, PartStat::Accepted);
}

#[test]
fn an_invitation_for_busy_time_is_declined_naming_three_free_times() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let first = run(&set, &call(None, None), &from_anna("REQUEST", "m1", 0, rome(24, 15)), &store);
    apply(&mut store, &first);
    let msg = message("bruno@client.example", calendar("REQUEST", "m2", 0, rome(24, 15), ""));
    let outcome = run(&set, &call(None, None), &msg, &store);
    assert!(stored(&outcome).is_empty(), "a declined invitation leaves nothing in the calendar");
    let (_, reply) = &sent(&outcome)[0];
    assert_eq!(reply.events[0].attendees[0].partstat, PartStat::Declined);
    let raw = match &outcome.effects[0] {
        Effect::Send { mail, .. } => String::from_utf8_lossy(&mail.raw).into_owned(),
        other => panic!("{other:?}"),
    };
    let text = Message::parse(raw.as_bytes()).unwrap().text;
    assert!(text.contains("that time is already taken"), "{text}");
    assert_eq!(
        text.matches(" (Europe/Rome)").count(),
        4,
        "the time asked for and three alternatives: {text}"
    );
    assert!(text.contains("  3. "), "{text}");
}

#[test]
fn with_on_conflict_tentative_the_event_is_held_and_the_owner_told() {
    let (_dir, set) = office();
    let msg = from_anna("REQUEST", "late", 0, rome(24, 19));
    let outcome =
        run(&set, &call(Some(OnConflict::Tentative), None), &msg, &Store::open_in_memory().unwrap());
    assert_eq!(stored(&outcome)[0].status, EventStatus::Tentative);
    assert_eq!(sent(&outcome)[0].1.events[0].attendees[0].partstat, PartStat::Tentative);
    assert_eq!(notices(&outcome), ["giulia@office.example"]);
}

#[test]
fn an_update_with_a_higher_sequence_moves_the_event_and_a_stale_one_is_ignored() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let c = call(None, None);
    book(&set, &c, &mut store, from_anna("REQUEST", "m1", 1, rome(24, 15)));
    let moved = run(&set, &c, &from_anna("REQUEST", "m1", 2, rome(25, 10)), &store);
    assert_eq!(stored(&moved)[0].start, rome(25, 10));
    apply(&mut store, &moved);
    let stale = run(&set, &c, &from_anna("REQUEST", "m1", 0, rome(26, 10)), &store);
    assert!(stale.effects.is_empty());
    assert!(stale.notes[0].contains("older than the 2 already in calendar giulia"), "{:?}", stale.notes);
}

#[test]
fn a_cancel_from_the_organizer_cancels_and_from_anyone_else_is_ignored() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let c = call(None, None);
    book(&set, &c, &mut store, from_anna("REQUEST", "m1", 0, rome(24, 15)));
    let forged = run(
        &set,
        &c,
        &message("mallory@evil.example", calendar("CANCEL", "m1", 1, rome(24, 15), "")),
        &store,
    );
    assert!(forged.effects.is_empty());
    assert!(forged.notes[0].contains("does not come from its organizer"), "{:?}", forged.notes);
    let cancelled =
        run(&set, &c, &message("Anna@Client.example", calendar("CANCEL", "m1", 1, rome(24, 15), "")), &store);
    assert_eq!(stored(&cancelled)[0].status, EventStatus::Cancelled);
    let recipients: Vec<Vec<String>> = sent(&cancelled).into_iter().map(|(to, _)| to).collect();
    assert_eq!(
        recipients,
        [["giulia@office.example"]],
        "a cancellation is not answered, only copied to the owner"
    );
}

/// The owner's copy among the mail of `outcome` (calendar mail to her that is no answer to her own
/// invitation): its calendar as sent, and the note's subject.
fn owners_copy(outcome: &Outcome) -> Option<(String, String)> {
    outcome.effects.iter().find_map(|e| match e {
        Effect::Send { kind: MailKind::Calendar, mail, .. }
            if mail.recipients == ["giulia@office.example"] =>
        {
            let parsed = Message::parse(&mail.raw).unwrap();
            let calendar = parsed.calendars[0].text.clone();
            (!calendar.contains("METHOD:REPLY")).then_some((calendar, parsed.subject))
        }
        _ => None,
    })
}

#[test]
fn an_outsiders_invitation_accepted_is_copied_to_the_owner_as_the_organizer_wrote_it() {
    let (_dir, set) = office();
    let text = calendar("REQUEST", "m1", 4, rome(24, 15), "DESCRIPTION:Bring the figures\r\n");
    let outcome = run(
        &set,
        &call(None, None),
        &message("anna@client.example", text),
        &Store::open_in_memory().unwrap(),
    );
    let (copy, subject) = owners_copy(&outcome).expect("a copy for the owner");
    assert!(subject.starts_with("Accepted in your calendar: Budget review"), "{subject}");
    for line in ["METHOD:REQUEST", "UID:m1", "SEQUENCE:4", "DESCRIPTION:Bring the figures"] {
        assert!(copy.contains(line), "{line}:\n{copy}");
    }
    let organizer = copy.lines().find(|l| l.starts_with("ORGANIZER")).unwrap_or_default();
    assert!(organizer.contains("mailto:anna@client.example"), "the organizer is kept: {copy}");
}

#[test]
fn the_same_invitation_again_is_not_copied_twice_and_its_update_is() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let c = call(None, None);
    book(&set, &c, &mut store, from_anna("REQUEST", "m1", 0, rome(24, 15)));
    let again = run(&set, &c, &from_anna("REQUEST", "m1", 0, rome(24, 15)), &store);
    assert_eq!(owners_copy(&again), None, "{again:?}");
    let moved = run(&set, &c, &from_anna("REQUEST", "m1", 1, rome(25, 10)), &store);
    let (copy, subject) = owners_copy(&moved).expect("the update is copied");
    assert!(subject.starts_with("Updated in your calendar: Budget review"), "{subject}");
    assert!(copy.contains("SEQUENCE:1") && copy.contains(&ics_time(rome(25, 10))), "{copy}");
}

#[test]
fn an_invitation_the_owner_sends_or_organises_herself_is_not_copied_back_to_her() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let forwarded = message("giulia@office.example", calendar("REQUEST", "m1", 0, rome(24, 15), ""));
    assert_eq!(owners_copy(&run(&set, &call(None, None), &forwarded, &store)), None);
    let hers = calendar("REQUEST", "m2", 0, rome(25, 15), "")
        .replace("CN=Anna Bianchi:mailto:anna@client.example", "CN=Giulia:mailto:giulia@office.example");
    let outcome = run(&set, &call(None, None), &message("anna@client.example", hers), &store);
    assert_eq!(owners_copy(&outcome), None);
}

#[test]
fn an_invitation_declined_or_held_as_tentative_is_not_copied_to_the_owner() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let late = from_anna("REQUEST", "late", 0, rome(24, 19));
    assert_eq!(owners_copy(&run(&set, &call(None, None), &late, &store)), None);
    assert_eq!(owners_copy(&run(&set, &call(Some(OnConflict::Tentative), None), &late, &store)), None);
}

#[test]
fn the_organizers_cancellation_is_copied_to_the_owner_once() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let c = call(None, None);
    book(&set, &c, &mut store, from_anna("REQUEST", "m1", 0, rome(24, 15)));
    let cancel = from_anna("CANCEL", "m1", 1, rome(24, 15));
    let cancelled = run(&set, &c, &cancel, &store);
    let (copy, subject) = owners_copy(&cancelled).expect("the cancellation is copied");
    assert!(subject.starts_with("Cancelled in your calendar: Budget review"), "{subject}");
    assert!(
        copy.contains("METHOD:CANCEL") && copy.contains("UID:m1") && copy.contains("SEQUENCE:1"),
        "{copy}"
    );
    apply(&mut store, &cancelled);
    assert_eq!(owners_copy(&run(&set, &c, &cancel, &store)), None, "cancelled already");
}

#[test]
fn cancelling_one_instance_of_a_series_excludes_that_instance() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let c = call(None, None);
    let series = calendar("REQUEST", "weekly", 0, rome(24, 10), "RRULE:FREQ=WEEKLY;COUNT=4\r\n");
    book(&set, &c, &mut store, message("anna@client.example", series));
    let one = calendar("CANCEL", "weekly", 1, rome(1, 10), "");
    let one = one.replace(
        "SEQUENCE:1\r\n",
        &format!("SEQUENCE:1\r\nRECURRENCE-ID:{}\r\n", ics_time(rome(24, 10) + chrono::Duration::days(7))),
    );
    let outcome = run(&set, &c, &message("anna@client.example", one), &store);
    let master = &stored(&outcome)[0];
    assert_eq!(master.exdates, [rome(24, 10) + chrono::Duration::days(7)]);
    assert_eq!(master.status, EventStatus::Confirmed);
}

#[test]
fn a_cancel_for_an_unknown_meeting_changes_nothing() {
    let (_dir, set) = office();
    let msg = from_anna("CANCEL", "nobody-knows", 1, rome(24, 15));
    let outcome = run(&set, &call(None, None), &msg, &Store::open_in_memory().unwrap());
    assert!(outcome.effects.is_empty());
    assert!(outcome.notes[0].contains("does not hold"), "{:?}", outcome.notes);
}

/// A meeting the office organised, with Anna invited.
fn organised(store: &mut Store) {
    store
        .put_event(&Event {
            calendar: "giulia".into(),
            uid: "ours-1".into(),
            recurrence_id: None,
            sequence: 0,
            summary: "Budget review".into(),
            location: None,
            start: rome(24, 15),
            end: rome(24, 16),
            timezone: chrono_tz::Europe::Rome,
            rrule: None,
            exdates: Vec::new(),
            status: EventStatus::Confirmed,
            transparent: false,
            organizer: Some("assistant@office.example".into()),
            attendees: vec![ics::Attendee {
                party: Party { email: "anna@client.example".into(), name: None },
                partstat: PartStat::NeedsAction,
            }],
        })
        .unwrap();
}

fn answer_from_anna(method: &str, partstat: &str, start: DateTime<Utc>) -> Message {
    let text = format!(
        "BEGIN:VCALENDAR\r\nMETHOD:{method}\r\nBEGIN:VEVENT\r\nUID:ours-1\r\nSEQUENCE:0\r\nDTSTART:{}\r\n\
         DTEND:{}\r\nATTENDEE;PARTSTAT={partstat}:MAILTO:ANNA@client.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ics_time(start),
        ics_time(start + chrono::Duration::hours(1))
    );
    message("anna@client.example", text)
}

#[test]
fn a_reply_without_organizer_records_the_attendees_answer_by_uid() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    organised(&mut store);
    let outcome = run(&set, &call(None, None), &answer_from_anna("REPLY", "DECLINED", rome(24, 15)), &store);
    let event = &stored(&outcome)[0];
    assert_eq!(event.attendees.len(), 1);
    assert_eq!(event.attendees[0].partstat, PartStat::Declined);
}

#[test]
fn a_counter_for_free_time_moves_the_meeting_when_the_rule_accepts_counters() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    organised(&mut store);
    let outcome = run(
        &set,
        &call(None, Some(true)),
        &answer_from_anna("COUNTER", "NEEDS-ACTION", rome(25, 11)),
        &store,
    );
    let event = &stored(&outcome)[0];
    assert_eq!((event.start, event.sequence), (rome(25, 11), 1));
    let (to, update) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example"]);
    assert_eq!(update.method, Method::Request);
    assert_eq!((update.events[0].start, update.events[0].sequence), (rome(25, 11), 1));
}

#[test]
fn a_counter_goes_to_the_owner_when_the_rule_does_not_accept_counters() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    organised(&mut store);
    let outcome =
        run(&set, &call(None, None), &answer_from_anna("COUNTER", "NEEDS-ACTION", rome(25, 11)), &store);
    assert!(stored(&outcome).is_empty());
    assert_eq!(notices(&outcome), ["giulia@office.example"]);
}

#[test]
fn a_bounce_carrying_an_invitation_changes_nothing() {
    let (_dir, set) = office();
    let mut msg = message("mailer-daemon@relay.example", calendar("REQUEST", "m1", 0, rome(24, 15), ""));
    msg.headers.push(("X-Failed-Recipients".into(), "anna@client.example".into()));
    let outcome = run(&set, &call(None, None), &msg, &Store::open_in_memory().unwrap());
    assert!(outcome.effects.is_empty());
}

#[test]
fn an_invitation_repeating_every_second_with_a_64_kb_title_is_not_booked_and_says_why() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let text = calendar(
        "REQUEST",
        "poison@client.example",
        0,
        rome(24, 15),
        "RRULE:FREQ=SECONDLY;COUNT=100000000\r\n",
    )
    .replace("SUMMARY:Budget review", &format!("SUMMARY:{}", "x".repeat(64 * 1024)));
    let msg = message("anna@client.example", text);
    let outcome = run(&set, &call(None, None), &msg, &store);
    assert!(outcome.effects.is_empty(), "nothing is booked or sent: {:?}", outcome.effects.len());
    assert_eq!(
        outcome.notes,
        [
            "meeting desk: VEVENT poison@client.example: its RRULE FREQ=SECONDLY;COUNT=100000000: FREQ=SECONDLY repeats more often than meetings are held (at most hourly); left out"
        ]
    );
}

#[test]
fn an_invitation_lasting_99999999_weeks_is_not_booked_and_says_why() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let text = calendar("REQUEST", "long@client.example", 0, rome(24, 15), "")
        .replace(&format!("DTEND:{}\r\n", ics_time(rome(24, 16))), "DURATION:P99999999W\r\n");
    let outcome = run(&set, &call(None, None), &message("anna@client.example", text), &store);
    assert!(outcome.effects.is_empty());
    assert_eq!(
        outcome.notes,
        [
            "meeting desk: VEVENT long@client.example: its DURATION P99999999W is longer than the two years an event may last; left out"
        ]
    );
}

#[test]
fn a_series_stored_before_its_rule_was_refused_does_not_stop_the_next_invitation() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    store
        .put_event(&Event {
            calendar: "giulia".into(),
            uid: "old-poison".into(),
            recurrence_id: None,
            sequence: 0,
            summary: "x".repeat(64 * 1024),
            location: None,
            start: rome(24, 10),
            end: rome(24, 11),
            timezone: chrono_tz::Europe::Rome,
            rrule: Some("FREQ=SECONDLY;COUNT=100000000".into()),
            exdates: Vec::new(),
            status: EventStatus::Confirmed,
            transparent: false,
            organizer: None,
            attendees: Vec::new(),
        })
        .unwrap();
    let outcome = run(&set, &call(None, None), &from_anna("REQUEST", "m1", 0, rome(24, 15)), &store);
    assert_eq!(sent(&outcome)[0].1.events[0].attendees[0].partstat, PartStat::Accepted);
    assert_eq!(
        outcome.notes,
        [
            "meeting desk: event old-poison: RRULE `FREQ=SECONDLY;COUNT=100000000`: FREQ=SECONDLY repeats more often than meetings are held (at most hourly); only its first occurrence is counted"
        ]
    );
}

#[test]
fn a_calendar_of_hundreds_of_meetings_is_not_acted_on() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let one = calendar("REQUEST", "UID", 0, rome(24, 15), "");
    let (head, rest) = one.split_at(one.find("BEGIN:VEVENT").unwrap());
    let vevent = &rest[..rest.find("END:VCALENDAR").unwrap()];
    let many: String = (0..300).map(|n| vevent.replace("UID:UID", &format!("UID:m{n}"))).collect();
    let text = format!("{head}{many}END:VCALENDAR\r\n");
    let outcome = run(&set, &call(None, None), &message("anna@client.example", text), &store);
    assert!(outcome.effects.is_empty());
    assert_eq!(
        outcome.notes,
        [
            "meeting desk: the calendar holds 300 meetings, more than the 20 one message may ask about; none is acted on"
        ]
    );
}

#[test]
fn an_italian_office_tells_the_owner_of_a_conflict_in_italian() {
    let (_dir, set) = italian_office();
    let msg = from_anna("REQUEST", "late", 0, rome(24, 19));
    let outcome =
        run(&set, &call(Some(OnConflict::Tentative), None), &msg, &Store::open_in_memory().unwrap());
    let note = outcome
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { kind: MailKind::Notice, mail, .. } => Some(Message::parse(&mail.raw).unwrap()),
            _ => None,
        })
        .unwrap();
    assert_eq!(note.subject, "Conflitto: Budget review");
    assert!(
        note.text.starts_with(
            "Anna Bianchi ha invitato Giulia Rossi a \"Budget review\", mar 24 nov 2026 19:00–20:00 (Europe/Rome), \
             ma è fuori dall'orario di lavoro di Giulia Rossi."
        ),
        "{}",
        note.text
    );
}

/// The first calendar answer of `outcome`, read back: its subject, text and COMMENT.
fn answer_sent(outcome: &Outcome) -> (String, String, Option<String>) {
    let mail = outcome
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { kind: MailKind::Calendar, mail, .. } => Some(Message::parse(&mail.raw).unwrap()),
            _ => None,
        })
        .expect("a calendar answer was sent");
    let unfolded = mail.calendars[0].text.replace("\r\n ", "");
    let comment = unfolded.lines().find(|l| l.starts_with("COMMENT")).map(str::to_owned);
    (mail.subject.clone(), mail.text.replace("\r\n", "\n"), comment)
}

#[test]
fn a_declined_invitation_says_why_and_names_the_free_times_in_text_and_comment() {
    let (_dir, set) = office();
    let msg = from_anna("REQUEST", "late", 0, rome(24, 19));
    let outcome = run(&set, &call(Some(OnConflict::Decline), None), &msg, &Store::open_in_memory().unwrap());
    let (subject, text, comment) = answer_sent(&outcome);
    assert_eq!(subject, "Declined: Budget review");
    assert!(
        text.starts_with(
            "Giulia Rossi cannot attend \"Budget review\", Tue 24 Nov 2026 19:00–20:00 (Europe/Rome): \
             it is outside Giulia Rossi's working hours.\n\nThese times are free instead:\n  1. "
        ),
        "{text}"
    );
    let comment = comment.unwrap_or_default();
    assert!(
        comment.starts_with("COMMENT:Declined: it is outside Giulia Rossi's working hours. Free instead: "),
        "{comment}"
    );
}

#[test]
fn an_italian_office_answers_an_invitation_in_italian() {
    let (_dir, set) = italian_office();
    let msg = from_anna("REQUEST", "m1", 0, rome(24, 15));
    let outcome = run(&set, &call(None, None), &msg, &Store::open_in_memory().unwrap());
    let (subject, text, comment) = answer_sent(&outcome);
    assert_eq!(subject, "Accettato: Budget review");
    assert_eq!(text, "Giulia Rossi accetta \"Budget review\", mar 24 nov 2026 15:00–16:00 (Europe/Rome).\n");
    assert_eq!(comment, None);
}
