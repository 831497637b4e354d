//! Specifications of the follow-ups: once, before the offer expires and not while it is new, threaded
//! under it.

use std::sync::Arc;

use super::*;
use crate::calendar::availability::Slot;
use crate::calendar::event::span;
use crate::calendar::ics::Party;
use crate::language::Language;
use crate::store::Db;

const HOURLY: &str =
    "[[schedule]]\nname = \"follow-ups\"\ncron = \"0 0 * * * *\"\njob = \"follow-ups\"\nbefore = \"1d\"\n";

fn rules() -> Arc<RuleSet> {
    let dir = crate::rules::tests::Dir::new();
    dir.write("office.toml", &crate::rules::tests::office_with_calendar());
    dir.write("10.rules.toml", &format!("{}{HOURLY}", crate::rules::tests::A_RULE));
    Arc::new(dir.load())
}

/// Two times offered to Anna just now (the store dates the offer), the offer expiring in two days.
fn store(offered: DateTime<Utc>) -> (Store, Vec<Slot>) {
    let mut store = Store::open_in_memory().unwrap();
    let slots: Vec<Slot> = [2, 3]
        .map(|d| Slot {
            start: offered + TimeDelta::days(d),
            end: offered + TimeDelta::days(d) + TimeDelta::hours(1),
        })
        .to_vec();
    store
        .put_proposal(&Proposal {
            message_id: "clerk.offer@office.example".into(),
            calendar: "office".into(),
            requester: Party { email: "anna@client.example".into(), name: Some("Anna Bianchi".into()) },
            participants: Vec::new(),
            left_out: Default::default(),
            summary: "Budget review".into(),
            slots: slots.clone(),
            language: Language::English,
            expires: offered + TimeDelta::days(2),
            replaces: None,
            room: false,
        })
        .unwrap();
    (store, slots)
}

#[test]
fn an_offer_is_followed_up_the_day_before_it_expires_threaded_under_it() {
    let set = rules();
    let offered = Utc::now();
    let (store, slots) = store(offered);
    let at = |hours: i64| offered + TimeDelta::hours(hours);
    assert!(due(&set, &store, &set.schedules[0], at(2)).unwrap().is_empty(), "too early");
    let found = due(&set, &store, &set.schedules[0], at(25)).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].mail.recipients, ["anna@client.example"]);
    let parsed = Message::parse(&found[0].mail.raw).unwrap();
    assert_eq!(parsed.in_reply_to, ["clerk.offer@office.example"]);
    let second =
        format!("  2. {} (Europe/Rome)", span(slots[1].start, slots[1].end, chrono_tz::Europe::Rome));
    assert!(parsed.text.contains(&second), "{}", parsed.text);
    assert!(due(&set, &store, &set.schedules[0], at(49)).unwrap().is_empty(), "expired");
}

#[test]
fn an_offer_made_a_moment_ago_is_not_followed_up_even_when_it_expires_soon() {
    let set = rules();
    let offered = Utc::now() - TimeDelta::days(1) - TimeDelta::hours(18);
    let (store, _) = store(offered);
    let just_made = due(&set, &store, &set.schedules[0], Utc::now() - TimeDelta::hours(2));
    assert!(just_made.unwrap().is_empty());
}

#[tokio::test]
async fn each_offer_is_followed_up_once() {
    let set = rules();
    let offered = Utc::now();
    let db = Db::new(store(offered).0);
    let schedule = &set.schedules[0];
    super::super::tick(&set, schedule, &db, offered + TimeDelta::hours(24)).await.unwrap();
    for hour in [25, 26, 27] {
        super::super::tick(&set, schedule, &db, offered + TimeDelta::hours(hour)).await.unwrap();
    }
    assert_eq!(db.run(|store| store.unsent_mail()).await.unwrap().len(), 1);
}
