//! Specifications of the reminders: who is reminded of what, when, and only once.

use std::sync::Arc;

use chrono::TimeZone;

use super::*;
use crate::calendar::event::Event;
use crate::calendar::ics::{Attendee, Party};
use crate::store::Db;

const EVERY_FIVE_MINUTES: &str =
    "[[schedule]]\nname = \"reminders\"\ncron = \"0 */5 * * * *\"\njob = \"reminders\"\nbefore = \"1h\"\n";

/// The rules tests' office with its calendar `office` (owner Giulia) and the reminders schedule.
fn rules() -> Arc<RuleSet> {
    let dir = crate::rules::tests::Dir::new();
    dir.write("office.toml", &crate::rules::tests::office_with_calendar());
    dir.write("10.rules.toml", &format!("{}{EVERY_FIVE_MINUTES}", crate::rules::tests::A_RULE));
    Arc::new(dir.load())
}

fn rome(hour: u32, minute: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 11, 24, hour, minute, 0).unwrap().with_timezone(&Utc)
}

fn attendee(email: &str, partstat: PartStat) -> Attendee {
    Attendee { party: Party { email: email.into(), name: None }, partstat }
}

/// A store with the budget review at 10:00–11:00 Rome: Anna accepted, Bruno declined, and the
/// assistant (which answered for the office) among the attendees.
fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .put_event(&Event {
            calendar: "office".into(),
            uid: "budget@client.example".into(),
            recurrence_id: None,
            sequence: 0,
            summary: "Budget review".into(),
            location: Some("Sala Verde".into()),
            start: rome(10, 0),
            end: rome(11, 0),
            timezone: chrono_tz::Europe::Rome,
            rrule: None,
            exdates: Vec::new(),
            status: EventStatus::Confirmed,
            transparent: false,
            organizer: Some("anna@client.example".into()),
            attendees: vec![
                attendee("anna@client.example", PartStat::Accepted),
                attendee("bruno@client.example", PartStat::Declined),
                attendee("assistant@office.example", PartStat::Accepted),
            ],
        })
        .unwrap();
    store
}

#[test]
fn a_meeting_within_the_lead_is_reminded_to_the_owner_and_those_who_did_not_decline() {
    let set = rules();
    let mails = mails(&set, &store(), &set.schedules[0], rome(9, 5).timestamp(), rome(9, 5)).unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipients, ["giulia@office.example", "anna@client.example"]);
    let parsed = crate::mail::message::Message::parse(&mails[0].raw).unwrap();
    assert_eq!(parsed.subject, "Reminder: Budget review, Tue 24 Nov 2026 10:00–11:00 CET");
    let raw = String::from_utf8_lossy(&mails[0].raw);
    assert!(raw.contains("Where: Sala Verde"), "{raw}");
    assert!(raw.contains("Auto-Submitted: auto-generated"), "{raw}");
}

#[test]
fn a_meeting_further_ahead_than_the_lead_is_not_reminded_yet() {
    let set = rules();
    let early = rome(8, 55);
    assert!(mails(&set, &store(), &set.schedules[0], early.timestamp(), early).unwrap().is_empty());
}

#[test]
fn a_meeting_already_under_way_is_not_reminded_by_a_late_run() {
    let set = rules();
    let slot = rome(9, 30).timestamp();
    assert!(mails(&set, &store(), &set.schedules[0], slot, rome(10, 5)).unwrap().is_empty());
}

#[tokio::test]
async fn each_run_within_the_lead_queues_the_same_reminder_once() {
    let set = rules();
    let db = Db::new(store());
    let schedule = &set.schedules[0];
    super::super::tick(&set, schedule, &db, rome(9, 0)).await.unwrap();
    for now in [rome(9, 5), rome(9, 10), rome(9, 15)] {
        super::super::tick(&set, schedule, &db, now).await.unwrap();
    }
    let queued = db.run(|store| store.unsent_mail()).await.unwrap();
    assert_eq!(queued.len(), 1, "{queued:?}");
}

#[test]
fn an_italian_office_reminds_in_italian() {
    let dir = crate::rules::tests::Dir::new();
    dir.write(
        "office.toml",
        &crate::rules::tests::office_with_calendar().replace("language = \"en\"", "language = \"it\""),
    );
    dir.write("10.rules.toml", &format!("{}{EVERY_FIVE_MINUTES}", crate::rules::tests::A_RULE));
    let set = dir.load();
    let mails = mails(&set, &store(), &set.schedules[0], rome(9, 5).timestamp(), rome(9, 5)).unwrap();
    let parsed = crate::mail::message::Message::parse(&mails[0].raw).unwrap();
    assert!(parsed.subject.starts_with("Promemoria: Budget review"), "{}", parsed.subject);
    assert!(parsed.text.contains("Dove: Sala Verde"), "{}", parsed.text);
}
