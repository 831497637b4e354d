//! The intake's promise: one message's failure (an error, a panic, its time budget, stopping clerk)
//! is that message's alone; the rest of the batch is handled.

use std::time::Duration;

use super::decide::Place;
use super::durable::{ALONE_TRIES, handle_durably};
use super::*;
use crate::rules::tests::Dir;

const RULES: &str = r#"
[[rule]]
name = "questions"
when.subject = "question"
reply = "ack"
"#;

fn office() -> (Dir, RuleSet) {
    let dir = Dir::with_rules(RULES);
    dir.write("templates/ack.txt", "Thank you, {{ message.from_name }}.\n");
    let set = dir.load();
    (dir, set)
}

fn question(n: u32, subject: &str) -> Fetched {
    let raw = format!(
        "From: Customer {n} <customer{n}@example.com>\r\nTo: assistant@office.example\r\n\
         Subject: {subject}\r\nMessage-ID: <q{n}@example.com>\r\nDate: Mon, 7 Dec 2026 09:00:00 +0100\r\n\r\n\
         A question, number {n}.\r\n"
    );
    Fetched { item: format!("1:{n}"), content: Content::Whole(raw.into_bytes()) }
}

fn place(quarantine: Option<&'static str>) -> Place<'static> {
    Place {
        mailbox: "office",
        folder: "INBOX",
        quarantine,
        time_budget: Duration::from_secs(10),
        retry_of: None,
    }
}

fn handle(store: &mut Store, set: &RuleSet, place: &Place, batch: Vec<Fetched>) -> Vec<Handled> {
    handle_durably(store, set, place, batch, None, &Holding::default()).expect("the batch is recorded")
}

fn replies(handled: &[Handled]) -> usize {
    handled.iter().filter(|h| h.effects.iter().any(|e| matches!(e, Effect::Send { .. }))).count()
}

fn error_of(h: &Handled) -> &str {
    match &h.verdict {
        Verdict::Failed { error } => error,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn a_message_that_panics_fails_alone_and_the_others_are_answered() {
    fault::inject_for_unit_tests("panic:POISON-PANIC-UNIT");
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().expect("store");
    let batch =
        vec![question(1, "A question"), question(2, "question POISON-PANIC-UNIT"), question(3, "Question")];
    let handled = handle(&mut store, &set, &place(Some("Quarantine")), batch);
    assert_eq!(replies(&handled), 2);
    let failed = &handled[1];
    assert!(error_of(failed).contains("injected fault"), "{}", error_of(failed));
    assert_eq!(failed.effects, vec![Effect::Move { folder: "Quarantine".into() }]);
    let listed = store.failed_messages(10).expect("listing");
    assert_eq!(listed[0].message_id.as_deref(), Some("q2@example.com"));
    assert_eq!(store.journal_counts().expect("counts")["processed"], 2);
}

#[test]
fn a_failed_message_without_quarantine_is_left_where_it_is() {
    fault::inject_for_unit_tests("panic:POISON-LEFT-UNIT");
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().expect("store");
    let handled = handle(&mut store, &set, &place(None), vec![question(1, "question POISON-LEFT-UNIT")]);
    assert!(handled[0].effects.is_empty());
}

#[test]
fn a_failed_message_keeps_its_text_for_a_retry() {
    fault::inject_for_unit_tests("panic:POISON-KEPT-UNIT");
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().expect("store");
    handle(&mut store, &set, &place(None), vec![question(7, "question POISON-KEPT-UNIT")]);
    let kept = store.failed_mail(&[]).expect("kept mail");
    assert_eq!(kept.len(), 1);
    let text = store.failed_text(kept[0].journal_id).expect("its text").expect("still failed");
    assert!(String::from_utf8_lossy(&text).contains("POISON-KEPT-UNIT"));
}

#[test]
fn a_message_over_its_time_budget_fails_and_nothing_it_decided_is_done() {
    fault::inject_for_unit_tests("slow:SLOW-BUDGET-UNIT");
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().expect("store");
    let tight = Place { time_budget: Duration::from_millis(50), ..place(None) };
    let handled = handle(
        &mut store,
        &set,
        &tight,
        vec![question(1, "question SLOW-BUDGET-UNIT"), question(2, "question")],
    );
    assert!(error_of(&handled[0]).contains("time budget"), "{}", error_of(&handled[0]));
    assert_eq!(replies(&handled), 1, "the next message is answered");
}

#[test]
fn a_reply_noted_by_a_failed_message_does_not_hold_back_the_next_one() {
    fault::inject_for_unit_tests("slow:SLOW-HISTORY-UNIT");
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().expect("store");
    let tight = Place { time_budget: Duration::from_millis(50), ..place(None) };
    let same_sender = |item: &str, subject: &str, id: &str| {
        let raw = format!(
            "From: Anna <anna@example.com>\r\nTo: assistant@office.example\r\nSubject: {subject}\r\n\
             Message-ID: <{id}@example.com>\r\n\r\nA question.\r\n"
        );
        Fetched { item: item.into(), content: Content::Whole(raw.into_bytes()) }
    };
    let batch =
        vec![same_sender("1:1", "question SLOW-HISTORY-UNIT", "a"), same_sender("1:2", "question", "b")];
    let handled = handle(&mut store, &set, &tight, batch);
    assert_eq!(replies(&handled), 1, "the failed message's reply was never sent, so the second is answered");
}

#[test]
fn messages_left_in_hand_are_tried_alone_and_one_that_keeps_stopping_clerk_fails() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().expect("store");
    store.take_in_hand("office", "INBOX", &["1:1", "1:2", "1:3"]).expect("in hand");
    // Two earlier clerk processes stopped while holding it alone.
    for run in 1..=i64::from(ALONE_TRIES) {
        store.take_alone("office", "INBOX", "1:2", run).expect("alone");
    }
    let batch = vec![question(1, "A question"), question(2, "Question"), question(3, "Question")];
    let handled = handle(&mut store, &set, &place(None), batch);
    assert_eq!(replies(&handled), 2);
    assert!(error_of(&handled[1]).contains("clerk stopped 2 times"), "{}", error_of(&handled[1]));
    assert_eq!(handled[1].entry.message_id.as_deref(), Some("q2@example.com"), "named without being parsed");
    assert!(store.left_in_hand("office", "INBOX", &["1:1", "1:2", "1:3"]).expect("left").is_empty());
}

#[test]
fn a_recorded_batch_leaves_nothing_in_hand() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().expect("store");
    handle(&mut store, &set, &place(None), vec![question(1, "A question"), question(2, "Other")]);
    assert!(store.left_in_hand("office", "INBOX", &["1:1", "1:2"]).expect("left").is_empty());
}

#[test]
fn a_message_already_journaled_is_skipped() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().expect("store");
    handle(&mut store, &set, &place(None), vec![question(1, "A question")]);
    let again = handle(&mut store, &set, &place(None), vec![question(1, "A question")]);
    assert!(again.is_empty());
}

#[tokio::test]
async fn a_retry_after_a_fix_handles_a_failed_message_once() {
    fault::inject_for_unit_tests("slow:SLOW-RETRY-UNIT");
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().expect("store");
    let tight = Place { time_budget: Duration::from_millis(50), ..place(None) };
    handle(&mut store, &set, &tight, vec![question(1, "question SLOW-RETRY-UNIT")]);
    let db = Db::new(store);
    // The fix: a budget the message fits in.
    let intake = Intake::new(
        db.clone(),
        CurrentRules::new(set),
        Arc::new(Notify::new()),
        None,
        Duration::from_secs(10),
    );
    let failed = db.run(|s| s.failed_mail(&[])).await.expect("failed mail");
    let first = intake.retry(failed[0].clone()).await.expect("retry").expect("recorded");
    assert!(matches!(first.verdict, Verdict::Processed { .. }), "{:?}", first.verdict);
    assert_eq!(replies(std::slice::from_ref(&first)), 1);
    assert!(intake.retry(failed[0].clone()).await.expect("second retry").is_none(), "done once");
    assert!(db.run(|s| s.failed_mail(&[])).await.expect("failed mail").is_empty());
    let counts = db.run(|s| s.journal_counts()).await.expect("counts");
    assert_eq!((counts.get("processed"), counts.get("failed")), (Some(&1), None));
}

#[test]
fn a_process_that_tries_a_message_again_counts_once() {
    let mut store = Store::open_in_memory().expect("store");
    assert_eq!(store.take_alone("office", "INBOX", "1:1", 7).expect("alone"), 1);
    assert_eq!(
        store.take_alone("office", "INBOX", "1:1", 7).expect("again"),
        1,
        "a reconnect in the same process"
    );
    assert_eq!(store.take_alone("office", "INBOX", "1:1", 8).expect("next start"), 2);
}

#[test]
fn a_message_too_large_to_fetch_left_in_hand_is_recorded_as_too_large_not_failed() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().expect("store");
    store.take_in_hand("office", "INBOX", &["1:9"]).expect("in hand");
    for run in 1..=i64::from(ALONE_TRIES) + 1 {
        store.take_alone("office", "INBOX", "1:9", run).expect("alone");
    }
    let big = Fetched {
        item: "1:9".into(),
        content: Content::TooLarge { size: 90_000_000, header: b"Subject: big\r\n\r\n".to_vec() },
    };
    let handled = handle(&mut store, &set, &place(None), vec![big]);
    assert_eq!(handled[0].verdict, Verdict::TooLarge { size: 90_000_000 });
}

/// The lines `emit` logs at info, plain, as under systemd.
fn logged(emit: impl FnOnce()) -> String {
    let buffer = crate::logging::Captured::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .without_time()
        .with_ansi(false)
        .with_target(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, emit);
    buffer.text()
}

#[test]
fn the_log_says_handled_on_one_short_line_and_each_note_on_a_line_labelled_note() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let mut handled = handle(&mut store, &set, &place(None), vec![question(1, "A question")]);
    let long_note = format!("inquiry desk: {}", "a very long remark ".repeat(40));
    if let Verdict::Processed { notes, .. } = &mut handled[0].verdict {
        notes.push("reply of rule \"questions\" suppressed: Auto-Submitted: auto-replied".into());
        notes.push(long_note.clone());
    }
    let log = logged(|| log_outcome(&handled[0]));
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(
        lines[0].contains("handled") && lines[0].contains("effects=reply to customer1@example.com"),
        "{log}"
    );
    assert!(!lines[0].contains("suppressed"), "the handled line carries no notes:\n{log}");
    assert!(lines[1].contains("note: reply of rule \"questions\" suppressed: Auto-Submitted"), "{log}");
    assert!(lines[2].contains("note: inquiry desk: a very long remark") && lines[2].contains('…'), "{log}");
    assert!(lines.iter().all(|line| line.len() < 2 * LOGGED_TEXT), "{log}");
}
