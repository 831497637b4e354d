//! The catering of an event, from the organiser's proposal to the final headcount job.

use chrono::TimeZone;

use super::{EVENTS, FIRST, Handled, RULES, handle, mail};
use crate::effects::MailKind;
use crate::planning::CateringState;
use crate::rules::RuleSet;
use crate::rules::tests::{Dir, OFFICE};
use crate::store::Store;

const CATERERS: &str = r#"
[[caterer]]
name = "Buffet Roma"
address = "ordini@buffetroma.example"
language = "it"
price_per_person = "18.00"

[[caterer]]
name = "Green Kitchen"
address = "orders@greenkitchen.example"
[[caterer.menu]]
name = "Christmas menu"
meal = "dinner"
price_per_person = "30.00"
"#;

const SCHEDULE: &str = r#"
[[schedule]]
name = "final headcounts"
cron = "0 0 9 * * *"
job = "final-headcount"
"#;

fn office() -> (Dir, RuleSet) {
    let dir = Dir::new();
    dir.write("office.toml", &format!("{OFFICE}\n{EVENTS}\n{CATERERS}"));
    dir.write("10.rules.toml", &format!("{RULES}\n{SCHEDULE}"));
    let set = dir.load();
    (dir, set)
}

const REQUEST: &str = "Christmas dinner on Friday 18 December at 8pm in the Sala Grande for 20 people, \
                       2 vegans. Please invite the design team.";

/// Chiara's [`REQUEST`], handled: the answer to her.
fn requested(rules: &RuleSet, store: &mut Store) -> crate::mail::message::Message {
    let raw = mail("chiara@office.example", "Christmas dinner", "req@office.example", "", REQUEST);
    handle(rules, store, &raw).answer()
}

/// Chiara's reply `body` to the desk's `answer`, handled.
fn replied(
    rules: &RuleSet,
    store: &mut Store,
    answer: &crate::mail::message::Message,
    body: &str,
) -> Handled {
    handle(rules, store, &reply(answer, "r1@office.example", body))
}

fn reply(answer: &crate::mail::message::Message, id: &str, body: &str) -> Vec<u8> {
    let to = answer.message_id.clone().unwrap();
    mail(
        "chiara@office.example",
        &format!("Re: {}", answer.subject),
        id,
        &format!("In-Reply-To: <{to}>\r\nReferences: <req@office.example> <{to}>\r\n"),
        body,
    )
}

#[test]
fn with_several_caterers_and_none_named_the_organiser_is_asked_which() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let answer = requested(&rules, &mut store);
    assert!(
        answer.text.contains("which caterer shall I order from? Buffet Roma, Green Kitchen"),
        "{}",
        answer.text
    );
    let handled = replied(&rules, &mut store, &answer, "Order the catering.");
    assert!(
        handled.sent(MailKind::Notice).is_empty(),
        "nothing ordered without a caterer: {:?}",
        handled.notes
    );
}

#[test]
fn a_question_about_ordering_orders_nothing_and_the_named_caterer_is_proposed() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let answer = requested(&rules, &mut store);
    let asked = replied(&rules, &mut store, &answer, "Should we order the catering from Green Kitchen?");
    assert!(asked.sent(MailKind::Notice).is_empty(), "a question orders nothing");
    let text = asked.answer().text;
    assert!(text.contains("I can order from Green Kitchen for 20 people"), "{text}");
    assert!(text.contains("cost: EUR 600.00"), "{text}");
    assert_eq!(store.event_catering(FIRST).unwrap().unwrap().state, CateringState::Proposed);
}

#[test]
fn the_final_headcount_goes_once_within_its_time_before_the_event() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let answer = requested(&rules, &mut store);
    let ordered = replied(&rules, &mut store, &answer, "Go ahead with the catering from Green Kitchen.");
    let order = ordered.sent(MailKind::Notice).remove(0);
    assert_eq!(order.to[0].email, "orders@greenkitchen.example");
    assert!(order.text.contains("2 vegan"), "{}", order.text);

    let job = rules.schedules.iter().find(|s| s.name == "final headcounts").unwrap();
    let at = |day| {
        chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 12, day, 9, 0, 0).unwrap().with_timezone(&chrono::Utc)
    };
    let early = crate::schedule::final_headcount::due(&rules, &store, job, at(14)).unwrap();
    assert!(early.is_empty(), "four days before is too early");
    let due = crate::schedule::final_headcount::due(&rules, &store, job, at(16)).unwrap();
    assert_eq!(due.len(), 1);
    let mail = crate::mail::message::Message::parse(&due[0].mail.raw).unwrap();
    assert!(mail.subject.starts_with("Final headcount: Catering order EV-2026-0001"), "{}", mail.subject);
    assert!(
        mail.text.contains("final number of people for our catering order EV-2026-0001: 20"),
        "{}",
        mail.text
    );
    assert_eq!(mail.in_reply_to, order.message_id.into_iter().collect::<Vec<_>>());
    let change =
        crate::planning::PlanningChange { catering: vec![due[0].catering.clone()], ..Default::default() };
    store.put_planning(&change).unwrap();
    let again = crate::schedule::final_headcount::due(&rules, &store, job, at(17)).unwrap();
    assert!(again.is_empty(), "sent once");
    let kept = store.event_catering(FIRST).unwrap().unwrap();
    assert_eq!((kept.state, kept.final_headcount), (CateringState::FinalSent, Some(20)));
}

#[test]
fn the_caterers_answer_in_the_orders_thread_goes_to_the_organiser() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let answer = requested(&rules, &mut store);
    let ordered = replied(&rules, &mut store, &answer, "Ordina il catering da Buffet Roma.");
    let order = ordered.sent(MailKind::Notice).remove(0);
    assert!(order.text.contains("Persone:  20"), "{}", order.text);
    let order_id = order.message_id.unwrap();
    let confirmation = format!(
        "From: Buffet Roma <ordini@buffetroma.example>\r\nTo: assistant@office.example\r\n\
         Subject: Re: {}\r\nMessage-ID: <conf@buffetroma.example>\r\nIn-Reply-To: <{order_id}>\r\n\
         References: <{order_id}>\r\nDate: Mon, 07 Dec 2026 11:00:00 +0100\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nConfermiamo l'ordine. Quante sedie servono?\r\n",
        order.subject
    );
    let handled = handle(&rules, &mut store, confirmation.as_bytes());
    let forwarded = handled.sent(MailKind::Forward);
    assert_eq!(forwarded.len(), 1, "{:?}", handled.notes);
    assert_eq!(forwarded[0].to[0].email, "chiara@office.example");
    assert!(forwarded[0].text.contains("Quante sedie servono?"), "{}", forwarded[0].text);
    assert!(handled.sent(MailKind::Reply).is_empty(), "the caterer gets no answer");
    let forward = forwarded[0].message_id.clone().unwrap();
    assert_eq!(store.event_thread(&[forward]).unwrap(), Some(FIRST), "her reply to it continues the event");
}

#[test]
fn an_ordered_catering_is_ticked_on_the_checklist_and_counted_in_the_months_spending() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let answer = requested(&rules, &mut store);
    assert!(
        answer.text.contains("Still to do: the place booked or confirmed, the catering ordered,"),
        "{}",
        answer.text
    );
    let ordered = replied(&rules, &mut store, &answer, "Go ahead with the catering from Green Kitchen.");
    let text = ordered.answer().text;
    assert!(
        text.contains(
            "Still to do: the place booked or confirmed, the invitations sent, the final headcount sent to the caterer."
        ),
        "{text}"
    );

    let slot = super::now().timestamp();
    let news = crate::reports::events::digest(&store, &rules.office, slot).unwrap();
    assert_eq!(news.len(), 1);
    assert_eq!(news[0].open, ["place", "invitations", "final headcount"]);
    assert_eq!(news[0].cost, ["EUR 600.00"]);
    let spent = crate::reports::events::spent_this_month(&store, &rules.office, slot).unwrap();
    assert_eq!(spent.len(), 1);
    assert_eq!((spent[0].0.as_str(), spent[0].1.to_string()), ("Green Kitchen", "EUR 600.00".to_owned()));
}

#[test]
fn one_reply_that_orders_the_catering_and_sends_the_invitations_tells_both() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let answer = requested(&rules, &mut store);
    let both = replied(
        &rules,
        &mut store,
        &answer,
        "Order the catering from Green Kitchen. Please send the invitations.",
    );
    assert_eq!(both.sent(MailKind::Notice).len(), 1, "the order: {:?}", both.notes);
    let text = both.answer().text;
    assert!(text.contains("Catering: I have sent the order to Green Kitchen for 20 people"), "{text}");
    // The end is not known: the invitations wait for it, and the answer says so beside the order.
    assert!(
        text.contains(
            "I have not sent the invitations of event EV-2026-0001 yet: first I need to know when it ends."
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Still to do: the place booked or confirmed, the invitations sent, the final headcount"
        ),
        "{text}"
    );
}

#[test]
fn the_final_headcount_is_the_headcount_less_those_who_decline_never_fewer_than_those_who_come() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    requested(&rules, &mut store);
    let mut event = store.planned_event(FIRST).unwrap().unwrap();
    let ordered = |headcount| crate::planning::Catering {
        number: FIRST,
        caterer: "Green Kitchen".to_owned(),
        state: CateringState::Ordered,
        headcount,
        cost: None,
        order_id: None,
        last_id: None,
        final_headcount: None,
        ordered_at: Some(0),
        updated_at: 0,
    };
    let invited = |n: usize, answer| {
        let mut guest = crate::planning::Invited::new(format!("guest{n}@office.example"), None);
        guest.answer = answer;
        guest
    };
    event.guests = vec![invited(1, Some(true)), invited(2, Some(false)), invited(3, None)];
    let count = crate::desks::event::catering::final_count;
    assert_eq!(count(&event, &ordered(20)), 19, "one declined; the one who has not answered counts");
    assert_eq!(count(&event, &ordered(1)), 1, "never fewer than those who come");
    event.guests.clear();
    assert_eq!(count(&event, &ordered(20)), 20);
}
