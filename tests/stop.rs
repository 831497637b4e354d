//! Stopping clerk with SIGTERM while mail streams in: it exits 0 within 10 seconds, and after a restart
//! every message has been handled and answered exactly once. Against a real Dovecot and SMTP server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, Office, mail, office_users};
use support::{Dovecot, SmtpSink};

const MESSAGES: usize = 120;
const RULES: &str =
    "[[rule]]\nname = \"questions\"\nwhen.subject = \"question\"\nreply = \"answer\"\nmove = \"Done\"\n";

#[test]
fn sigterm_mid_stream_exits_promptly_and_loses_nothing() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, RULES, "");
    let mut clerk = office.start();
    assert!(clerk.wait_for_log("watching", Duration::from_secs(30)), "{}", clerk.log());

    std::thread::scope(|scope| {
        scope.spawn(|| {
            for n in 0..MESSAGES {
                let raw = mail(
                    &format!("c{n}@example.test"),
                    &format!("Question {n}"),
                    &format!("s{n}@example.test"),
                );
                dovecot.deliver(ASSISTANT, &raw);
            }
        });
        let started =
            support::wait_until(Duration::from_secs(30), || office.journal_status_count("processed") >= 10);
        assert!(started, "{}", clerk.log());
        let (code, took) = clerk.terminate();
        assert_eq!(code, Some(0), "{}", clerk.log());
        assert!(took < Duration::from_secs(10), "stopping took {took:?}\n{}", clerk.log());
        assert!(clerk.log().contains("stopped"), "{}", clerk.log());
    });

    let clerk = office.start();
    let done = support::wait_until(Duration::from_secs(60), || {
        office.journal_status_count("processed") == MESSAGES && sink.received().len() >= MESSAGES
    });
    assert!(
        done,
        "{} handled, {} answered\n{}",
        office.journal_status_count("processed"),
        sink.received().len(),
        clerk.log()
    );
    let answers = sink.replies_per_question();
    assert_eq!(answers.len(), MESSAGES, "every question answered");
    assert!(answers.values().all(|&n| n == 1), "answered twice: {answers:?}");
    assert_eq!(office.query_count("SELECT count(*) FROM messages"), MESSAGES, "journaled once each");
}
