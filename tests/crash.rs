//! Exactly-once under crashes: clerk is killed with SIGKILL at random moments while a batch of 200
//! messages arrives, restarted each time, and in the end every message has been handled once, answered
//! once and filed once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, Office, header, office_users};
use support::{Dovecot, SmtpSink};

const MESSAGES: usize = 200;
const KILLS: usize = 6;

const RULES: &str = r#"
[[rule]]
name = "questions"
when.subject = "question"
reply = "answer"
move = "Done"
"#;

fn question(n: usize) -> Vec<u8> {
    format!(
        "From: Customer {n} <customer{n}@example.test>\r\nTo: {ASSISTANT}\r\nSubject: Question {n}\r\n\
         Date: Mon, 23 Nov 2026 09:00:00 +0100\r\nMessage-ID: <crash{n}@example.test>\r\n\r\nQuestion number {n}.\r\n"
    )
    .into_bytes()
}

#[test]
fn killing_clerk_at_random_moments_loses_nothing_and_answers_nothing_twice() {
    let seed = std::env::var("CLERK_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("crash test seed {seed} (set CLERK_CRASH_SEED to repeat)");
    let mut rng = fastrand::Rng::with_seed(seed);

    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, RULES, "");
    let mut clerk = office.start();
    assert!(clerk.wait_for_log("watching", Duration::from_secs(30)), "{}", clerk.log());

    std::thread::scope(|scope| {
        let delivery = scope.spawn(|| {
            for n in 0..MESSAGES {
                dovecot.deliver(ASSISTANT, &question(n));
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        for _ in 0..KILLS {
            std::thread::sleep(Duration::from_millis(rng.u64(50..900)));
            clerk.kill();
            clerk = office.start();
        }
        delivery.join().expect("delivering the batch");
    });

    // A mail cut off between its content and the server's answer is held, not sent twice.
    let held = || office.query_count("SELECT count(*) FROM outbox WHERE status = 'uncertain'");
    let handled = support::wait_until(Duration::from_secs(120), || {
        office.journal_status_count("processed") == MESSAGES && sink.received().len() + held() >= MESSAGES
    });
    std::thread::sleep(Duration::from_secs(1));
    clerk.stop();
    assert!(
        handled,
        "after {KILLS} kills: {} of {MESSAGES} handled, {} replies sent\n{}",
        office.journal_status_count("processed"),
        sink.received().len(),
        clerk.log()
    );

    let replies_per_question = sink.replies_per_question();
    let twice: Vec<_> = replies_per_question.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "answered more than once (seed {seed}): {twice:?}");
    let held_questions = office.query_strings(
        "SELECT '<' || m.message_id || '>' FROM outbox o JOIN messages m ON o.journal_id = m.id
         WHERE o.status = 'uncertain'",
    );
    let unanswered: Vec<String> = (0..MESSAGES)
        .map(|n| format!("<crash{n}@example.test>"))
        .filter(|q| !replies_per_question.contains_key(q) && !held_questions.contains(q))
        .collect();
    assert!(unanswered.is_empty(), "neither answered nor held (seed {seed}): {unanswered:?}");
    assert!(held() <= KILLS, "at most one mail held per kill, {} held", held());
    eprintln!(
        "{} replies sent, {} held as uncertain after {KILLS} kills",
        replies_per_question.len(),
        held()
    );
    assert_eq!(office.journal_status_count("failed"), 0);
    assert_eq!(office.query_count("SELECT count(*) FROM messages"), MESSAGES, "journaled once each");

    dovecot.wait_for_messages(ASSISTANT, "Done", MESSAGES, Duration::from_secs(60));
    // Dovecot's MOVE copies, then expunges: another session can see a message in both for a moment.
    let emptied =
        support::wait_until(Duration::from_secs(10), || dovecot.messages(ASSISTANT, "INBOX").is_empty());
    assert!(emptied, "left behind in the INBOX: {}", dovecot.messages(ASSISTANT, "INBOX").len());
    let filed: std::collections::BTreeSet<String> = dovecot
        .messages(ASSISTANT, "Done")
        .iter()
        .filter_map(|raw| header(&String::from_utf8_lossy(raw), "Message-ID").map(str::to_owned))
        .collect();
    assert_eq!(filed.len(), MESSAGES, "every question filed");
    assert_eq!(dovecot.messages(ASSISTANT, "Done").len(), MESSAGES, "and filed once");
}
