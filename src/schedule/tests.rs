//! Specifications of the scheduler: which slot is due, first sight, catch-up, and one run per slot.

use chrono::{DateTime, Utc};

use super::*;
use crate::store::Store;

/// The rules tests' office (Rome, owner Giulia Rossi) with `schedules` as its rule file.
fn rules(schedules: &str) -> Arc<RuleSet> {
    Arc::new(crate::rules::tests::load(&format!("{}{schedules}", crate::rules::tests::A_RULE)))
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

const DAILY: &str = "[[schedule]]\nname = \"digest\"\ncron = \"0 7 * * *\"\njob = \"digest\"\n";

#[test]
fn the_due_slot_is_the_latest_one_not_after_now_in_the_office_time_zone() {
    let set = rules(DAILY);
    let schedule = &set.schedules[0];
    let last = at("2026-11-20T00:00:00Z").timestamp();
    // 07:00 in Rome is 06:00 UTC in November.
    let due = latest_slot(&set, schedule, last, at("2026-11-23T09:00:00Z"));
    assert_eq!(due, Some(at("2026-11-23T06:00:00Z")), "three missed days make one run, the latest");
    assert_eq!(
        latest_slot(&set, schedule, at("2026-11-23T06:00:00Z").timestamp(), at("2026-11-23T09:00:00Z")),
        None
    );
    assert_eq!(
        schedule.next_slot(set.office.timezone, at("2026-11-23T09:00:00Z")),
        Some(at("2026-11-24T06:00:00Z"))
    );
}

#[test]
fn a_schedule_of_seconds_far_behind_still_finds_its_latest_slot() {
    let set = rules("[[schedule]]\nname = \"tick\"\ncron = \"* * * * * *\"\njob = \"digest\"\n");
    let now = at("2026-11-23T09:00:00Z");
    let due = latest_slot(&set, &set.schedules[0], at("2026-10-01T00:00:00Z").timestamp(), now);
    assert_eq!(due, Some(now));
}

fn db() -> Db {
    Db::new(Store::open_in_memory().unwrap())
}

async fn sent(db: &Db) -> usize {
    db.run(|store| store.unsent_mail().map(|m| m.len())).await.unwrap()
}

#[tokio::test]
async fn a_new_schedule_starts_from_now_and_then_runs_each_slot_once() {
    let (set, db) = (rules(DAILY), db());
    let schedule = &set.schedules[0];
    let (queued, _) = tick(&set, schedule, &db, at("2026-11-23T09:00:00Z")).await.unwrap();
    assert!(!queued, "first sight runs nothing");
    let (queued, _) = tick(&set, schedule, &db, at("2026-11-24T06:00:05Z")).await.unwrap();
    assert!(queued, "the next slot runs");
    let (queued, _) = tick(&set, schedule, &db, at("2026-11-24T06:00:30Z")).await.unwrap();
    assert!(!queued, "the same slot does not run twice");
    assert_eq!(sent(&db).await, 1);
    let raw = db.run(|store| store.mail_content(store.due_mail(i64::MAX, 10)?[0].id)).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    assert!(text.contains("To: \"Giulia Rossi\" <giulia@office.example>"), "{text}");
    assert!(text.contains("Subject: Rossi & Bianchi Studio: what clerk did since "), "{text}");
}

#[tokio::test]
async fn a_missed_slot_runs_at_start_only_with_catch_up() {
    let (set, db) = (rules(DAILY), db());
    tick(&set, &set.schedules[0], &db, at("2026-11-20T09:00:00Z")).await.unwrap();
    let (queued, _) = tick(&set, &set.schedules[0], &db, at("2026-11-23T12:00:00Z")).await.unwrap();
    assert!(queued, "catch_up (the default) runs the missed slot once");

    let quiet = rules(&DAILY.replace("job = \"digest\"", "job = \"digest\"\ncatch_up = false"));
    let db = super::tests::db();
    tick(&quiet, &quiet.schedules[0], &db, at("2026-11-20T09:00:00Z")).await.unwrap();
    let (queued, _) = tick(&quiet, &quiet.schedules[0], &db, at("2026-11-23T12:00:00Z")).await.unwrap();
    assert!(!queued, "catch_up = false passes the missed slot over");
    let (queued, _) = tick(&quiet, &quiet.schedules[0], &db, at("2026-11-24T06:00:10Z")).await.unwrap();
    assert!(queued, "and runs the next one on time");
}

#[test]
fn the_autumn_clock_change_neither_repeats_a_slot_nor_offers_a_past_one() {
    // 02:30 happens twice in Rome on 2026-10-25 (03:00 CEST becomes 02:00 CET at 01:00 UTC).
    let set = rules("[[schedule]]\nname = \"night\"\ncron = \"30 2 * * *\"\njob = \"digest\"\n");
    let schedule = &set.schedules[0];
    let now = at("2026-10-25T01:10:00Z");
    let next = schedule.next_slot(set.office.timezone, now).unwrap();
    assert!(next > now, "next slot {next} is not after {now}");
    let last = at("2026-10-25T00:30:00Z").timestamp();
    let due = latest_slot(&set, schedule, last, now);
    assert!(due.is_none_or(|slot| slot.timestamp() > last), "{due:?}");
}
