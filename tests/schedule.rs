//! A `[[schedule]]` entry firing in a running clerk: the digest reaches the SMTP server once, a restart
//! right after does not send it again, and a slot missed while clerk was down runs once at the next
//! start; a schedule added by editing the rules is taken up at once. Against a real Dovecot and SMTP
//! server, with the cron time a few seconds ahead.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use chrono::{DateTime, Utc};
use support::clerk::{Clerk, Office, header, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

/// The office's one rule (a rule set needs one): questions are answered.
const ANSWER: &str = "[[rule]]\nname = \"questions\"\nwhen.subject = \"question\"\nreply = \"answer\"\n\n";

/// The rule and a daily digest at `at` (seconds precision), written in the office's time zone
/// (Europe/Rome).
fn digest_at(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::Rome);
    format!(
        "{ANSWER}[[schedule]]\nname = \"digest\"\ncron = \"{} {} {} * * *\"\njob = \"digest\"\n",
        local.format("%-S"),
        local.format("%-M"),
        local.format("%-H")
    )
}

fn digests(sink: &SmtpSink) -> Vec<String> {
    sink.received()
        .iter()
        .map(|r| r.text())
        .filter(|t| header(t, "Subject").is_some_and(|s| s.contains("what clerk did since")))
        .collect()
}

/// A running clerk whose office has a digest due 10 s from now (far enough ahead for clerk to have
/// started, and seen the schedule, before it, even on a slow machine); returns that slot too.
fn office_with_a_digest_due_soon() -> (Dovecot, SmtpSink, Office, Clerk, DateTime<Utc>) {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let slot = Utc::now() + chrono::TimeDelta::seconds(10);
    let office = Office::new(&dovecot, &sink, &digest_at(slot), "");
    let clerk = office.start();
    assert!(clerk.wait_for_log("schedule: first seen", WAIT), "{}", clerk.log());
    assert!(Utc::now() < slot, "clerk took too long to start for this test's timing\n{}", clerk.log());
    (dovecot, sink, office, clerk, slot)
}

#[test]
fn a_digest_is_sent_once_at_its_time_even_across_a_restart() {
    let (_dovecot, sink, office, mut clerk, _) = office_with_a_digest_due_soon();

    assert!(support::wait_until(WAIT, || !digests(&sink).is_empty()), "{}", clerk.log());
    let digest = &digests(&sink)[0];
    assert_eq!(header(digest, "To"), Some("\"Olga Owner\" <owner@office.test>"));
    assert_eq!(header(digest, "Auto-Submitted"), Some("auto-generated"));
    assert!(digest.contains("multipart/alternative"), "{digest}");

    clerk.kill();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(digests(&sink).len(), 1, "the slot ran once\n{}", clerk.log());
}

#[test]
fn a_slot_missed_while_clerk_was_down_runs_once_at_the_next_start() {
    let (_dovecot, sink, office, mut clerk, slot) = office_with_a_digest_due_soon();
    clerk.stop();
    while Utc::now() < slot + chrono::TimeDelta::seconds(1) {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(digests(&sink).is_empty());

    let clerk = office.start();
    assert!(support::wait_until(WAIT, || digests(&sink).len() == 1), "{}", clerk.log());
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(digests(&sink).len(), 1, "{}", clerk.log());
}

#[test]
fn a_schedule_added_while_clerk_runs_is_taken_up_at_once() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, ANSWER, "");
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());

    office.write_rules(&digest_at(Utc::now() + chrono::TimeDelta::seconds(6)));
    // Without being told, the scheduler would only look again after a minute.
    assert!(clerk.wait_for_log("schedule: first seen", Duration::from_secs(5)), "{}", clerk.log());
    assert!(support::wait_until(WAIT, || digests(&sink).len() == 1), "{}", clerk.log());
}
