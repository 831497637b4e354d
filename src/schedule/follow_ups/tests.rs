//! Specifications of the follow-ups: once, before the offer expires, threaded under it.

use std::sync::Arc;

use chrono::TimeZone;

use super::*;
use crate::calendar::availability::Slot;
use crate::calendar::ics::Party;
use crate::store::Db;

const HOURLY: &str =
    "[[schedule]]\nname = \"follow-ups\"\ncron = \"0 0 * * * *\"\njob = \"follow-ups\"\nbefore = \"1d\"\n";

fn rules() -> Arc<RuleSet> {
    let dir = crate::rules::tests::Dir::new();
    dir.write("office.toml", &crate::rules::tests::office_with_calendar());
    dir.write("10.rules.toml", HOURLY);
    Arc::new(dir.load())
}

fn rome(day: u32, hour: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap().with_timezone(&Utc)
}

/// Times offered to Anna on Monday, expiring Thursday 10:00.
fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .put_proposal(&Proposal {
            message_id: "clerk.offer@office.example".into(),
            calendar: "office".into(),
            requester: Party { email: "anna@client.example".into(), name: Some("Anna Bianchi".into()) },
            participants: Vec::new(),
            summary: "Budget review".into(),
            slots: [26, 27].map(|d| Slot { start: rome(d, 10), end: rome(d, 11) }).to_vec(),
            language: Language::English,
            expires: rome(26, 10),
            replaces: None,
            room: false,
        })
        .unwrap();
    store
}

#[test]
fn an_offer_is_followed_up_the_day_before_it_expires_threaded_under_it() {
    let set = rules();
    assert!(due(&set, &store(), &set.schedules[0], rome(24, 9)).unwrap().is_empty(), "too early");
    let found = due(&set, &store(), &set.schedules[0], rome(25, 11)).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].mail.recipients, ["anna@client.example"]);
    let parsed = Message::parse(&found[0].mail.raw).unwrap();
    assert_eq!(parsed.in_reply_to, ["clerk.offer@office.example"]);
    assert!(parsed.text.contains("  2. Fri 27 Nov 2026 10:00–11:00 (Europe/Rome)"), "{}", parsed.text);
    assert!(due(&set, &store(), &set.schedules[0], rome(26, 11)).unwrap().is_empty(), "expired");
}

#[tokio::test]
async fn each_offer_is_followed_up_once() {
    let set = rules();
    let db = Db::new(store());
    let schedule = &set.schedules[0];
    super::super::tick(&set, schedule, &db, rome(25, 9)).await.unwrap();
    for hour in [11, 12, 13] {
        super::super::tick(&set, schedule, &db, rome(25, hour)).await.unwrap();
    }
    assert_eq!(db.run(|store| store.unsent_mail()).await.unwrap().len(), 1);
}
