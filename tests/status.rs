//! `clerk status` while the daemon runs: the mailbox's connection and last look for mail, what was
//! handled per desk, and a reconnecting watcher with the reason, read from the database; and, once no
//! clerk runs (killed, or a `run --once` ended), that it is not running, read from the office's lock.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, CUSTOMER, OFFICE_RULES, Office, mail, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn status_shows_the_connection_the_work_done_and_a_server_going_away() {
    let mut dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, "");
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q@example.test"));
    sink.wait_for(1, WAIT);

    let (ok, text) = office.command(&["status"]);
    assert!(ok, "{text}");
    assert!(text.contains("office/INBOX: connected for "), "{text}");
    assert!(text.contains("last looked for mail "), "{text}");
    assert!(text.contains("Handled in the last 24 hours: 1 (no desk 1)"), "{text}");
    assert!(text.contains("Outbox: 0 waiting, 0 held"), "{text}");

    let (ok, json) = office.command(&["status", "--json"]);
    assert!(ok, "{json}");
    let status: serde_json::Value = serde_json::from_str(&json).expect("status --json is JSON");
    assert_eq!(status["mailboxes"][0]["state"], "connected", "{json}");
    assert_eq!(status["handled_last_24h"]["-"], 1, "{json}");

    dovecot.stop();
    let reconnecting = support::wait_until(WAIT, || office.command(&["status"]).1.contains("reconnecting"));
    let (_, text) = office.command(&["status"]);
    assert!(reconnecting, "{text}\n{}", clerk.log());
    assert!(text.contains("office/INBOX: reconnecting for "), "{text}");
}

#[test]
fn after_the_daemon_is_killed_status_says_clerk_is_not_running_and_shows_no_folder_connected() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, "");
    let mut clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());
    let running = support::wait_until(WAIT, || office.command(&["status"]).1.contains("INBOX: connected"));
    let (_, text) = office.command(&["status"]);
    assert!(running, "{text}");
    assert!(text.starts_with("clerk: running (process "), "{text}");

    clerk.kill();
    let (ok, text) = office.command(&["status"]);
    assert!(ok, "{text}");
    assert!(text.starts_with("clerk: not running; last seen "), "{text}");
    assert!(text.contains("office/INBOX: not watched (was connected)"), "{text}");
    assert!(!text.contains("connected for"), "{text}");
    let (_, json) = office.command(&["status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&json).expect("status --json is JSON");
    assert_eq!(status["clerk"]["running"], false, "{json}");
    assert_eq!(status["mailboxes"][0]["state"], "not running", "{json}");
}

#[test]
fn after_run_once_has_ended_status_says_clerk_is_not_running() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, "");
    office.run_once();
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q@example.test"));
    office.run_once();
    let (ok, text) = office.command(&["status"]);
    assert!(ok, "{text}");
    assert!(text.starts_with("clerk: not running; last seen "), "{text}");
    assert!(text.contains("Handled in the last 24 hours: 1"), "{text}");
}
