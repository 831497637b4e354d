//! Specifications of escalation: the department once past the response time, the owners once past
//! `escalate_after`, nothing for answered tickets.

use chrono::TimeDelta;

use super::*;
use crate::effects::Effect;
use crate::tickets::Priority;
use crate::tickets::{Role, TicketChange, TicketEntry, TicketState};

const HOURLY: &str = "[[schedule]]\nname = \"escalate\"\ncron = \"0 0 * * * *\"\njob = \"escalate\"\n";

fn rules() -> RuleSet {
    let dir = crate::rules::tests::Dir::new();
    dir.write("office.toml", crate::rules::tests::OFFICE);
    dir.write("10.rules.toml", &format!("{}{HOURLY}", crate::rules::tests::A_RULE));
    dir.load()
}

fn opened() -> DateTime<Utc> {
    DateTime::from_timestamp(1_796_000_000, 0).unwrap()
}

/// Anna's ticket with the front desk, due 4 hours after it opened and escalated after 8.
fn store_with(state: TicketState, department: Option<&str>) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let at = opened().timestamp();
    store
        .put_ticket(&TicketChange {
            ticket: Ticket {
                number: TicketNumber(1001),
                state,
                customer: "anna@example.com".into(),
                customer_name: Some("Anna Example".into()),
                department: department.map(str::to_owned),
                priority: Priority::High,
                subject: "Invoice copy".into(),
                language: "en".into(),
                opened_at: at,
                updated_at: at,
                due_at: Some(at + 4 * 3600),
                escalate_at: Some(at + 8 * 3600),
                answered_at: None,
                acknowledged: true,
                escalation: 0,
                rating: None,
                rated_at: None,
            },
            opened: true,
            entries: vec![TicketEntry {
                message_id: "q1@example.com".into(),
                role: Role::Customer,
                author: "anna@example.com".into(),
                at,
                text: "Could you send me a copy of invoice 123?".into(),
            }],
        })
        .unwrap();
    store
}

fn hours(n: i64) -> DateTime<Utc> {
    opened() + TimeDelta::hours(n)
}

/// Records the escalation `due` as the job's run does.
fn record_escalation(store: &mut Store, due: &Due) {
    store
        .record_run("escalate", 0, true, &[Effect::Escalated { ticket: due.ticket, level: due.level }])
        .unwrap();
}

#[test]
fn a_ticket_past_its_response_time_reminds_its_department_once() {
    let set = rules();
    let mut store = store_with(TicketState::Waiting, Some("front-desk"));
    assert!(due(&set, &store, &set.schedules[0], hours(3)).unwrap().due.is_empty(), "not due yet");
    let found = due(&set, &store, &set.schedules[0], hours(5)).unwrap().due;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].mail.recipients, ["info@office.example"]);
    let reminder = crate::mail::message::Message::parse(&found[0].mail.raw).unwrap();
    assert_eq!(reminder.subject, format!("Waiting for an answer: Invoice copy {}", TicketNumber(1001).tag()));
    assert!(reminder.text.contains("Could you send me a copy of invoice 123?"), "{}", reminder.text);
    record_escalation(&mut store, &found[0]);
    assert!(due(&set, &store, &set.schedules[0], hours(6)).unwrap().due.is_empty(), "reminded once");
}

#[test]
fn past_escalate_after_the_owners_hear_of_it() {
    let set = rules();
    let mut store = store_with(TicketState::Waiting, Some("front-desk"));
    store
        .record_run("escalate", 0, true, &[Effect::Escalated { ticket: TicketNumber(1001), level: 1 }])
        .unwrap();
    let found = due(&set, &store, &set.schedules[0], hours(9)).unwrap().due;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].mail.recipients, ["giulia@office.example", "info@office.example"]);
    assert_eq!(found[0].level, 2);
    record_escalation(&mut store, &found[0]);
    assert!(due(&set, &store, &set.schedules[0], hours(30)).unwrap().due.is_empty());
}

#[test]
fn a_ticket_without_a_department_goes_to_the_owners() {
    let set = rules();
    let store = store_with(TicketState::New, None);
    let found = due(&set, &store, &set.schedules[0], hours(5)).unwrap().due;
    assert_eq!(found[0].mail.recipients, ["giulia@office.example"]);
    assert_eq!(found[0].level, 2, "the owners hear of it once, not twice");
}

#[test]
fn answered_tickets_are_not_escalated() {
    let set = rules();
    let store = store_with(TicketState::Answered, Some("front-desk"));
    assert!(due(&set, &store, &set.schedules[0], hours(30)).unwrap().due.is_empty());
}
