//! Poison messages against real servers: a message whose handling fails (a panic inside clerk, or
//! work that never finishes) is a failure of that message only. It is recorded with its reason,
//! quarantined, named by `clerk status`, and handled once by `clerk retry` after the fix, while the
//! mail around it is answered.
//!
//! The poison comes from `CLERK_TEST_FAULTS`, which debug builds of clerk read: a flaw in clerk that
//! no input-side fix can remove, so the tests keep proving the isolation itself.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::{Duration, Instant};

use support::clerk::{ASSISTANT, OFFICE_RULES, Office, mail, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

fn customer(n: u32) -> String {
    format!("customer{n}@example.test")
}

#[test]
fn a_poison_message_between_two_ordinary_ones_fails_alone_and_a_retry_after_the_fix_answers_it_once() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, "quarantine = \"Quarantine\"");
    let mut clerk = office.start_with_env(&[("CLERK_TEST_FAULTS", "panic:POISON")]);
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());

    dovecot.deliver(ASSISTANT, &mail(&customer(1), "A question", "q1@example.test"));
    dovecot.deliver(ASSISTANT, &mail(&customer(2), "A question POISON", "q2@example.test"));
    dovecot.deliver(ASSISTANT, &mail(&customer(3), "A question", "q3@example.test"));

    let answered = sink.wait_for(2, WAIT);
    let to: Vec<String> = answered.iter().map(|r| r.rcpt_tos.join(",")).collect();
    assert!(to.contains(&customer(1)) && to.contains(&customer(3)), "{to:?}\n{}", clerk.log());
    assert!(support::wait_until(WAIT, || office.journal_status_count("failed") == 1), "{}", clerk.log());
    dovecot.wait_for_messages(ASSISTANT, "Quarantine", 1, WAIT);

    let (_, status) = office.command(&["status"]);
    assert!(status.contains("<q2@example.test>"), "status names the message:\n{status}");
    assert!(status.contains("injected fault"), "status says why:\n{status}");
    assert!(status.contains("office/INBOX: connected"), "the folder is not blamed:\n{status}");

    // The fix: clerk without the fault.
    clerk.stop();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());
    let (ok, listed) = office.command(&["retry"]);
    assert!(ok && listed.contains("<q2@example.test>"), "{listed}");
    let id = office.query_strings("SELECT CAST(id AS TEXT) FROM messages WHERE status = 'failed'");
    let (ok, retried) = office.command(&["retry", &id[0]]);
    assert!(ok && retried.contains("handled by rule questions"), "{retried}");
    assert!(retried.contains("left in Quarantine"), "{retried}");
    sink.wait_for(3, WAIT);
    let (ok, again) = office.command(&["retry", &id[0]]);
    assert!(ok && again.contains("No failed message"), "{again}");
    std::thread::sleep(Duration::from_secs(2));
    let per_question = sink.replies_per_question();
    assert_eq!(sink.received().len(), 3, "{per_question:?}");
    assert!(per_question.values().all(|&n| n == 1), "{per_question:?}");
    assert_eq!(office.journal_status_count("processed"), 3);
}

#[test]
fn a_message_that_never_finishes_stops_clerk_and_after_two_more_tries_alone_fails_while_the_rest_is_answered()
{
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, "time_budget = \"1s\"\nidle = false");
    let faults = [("CLERK_TEST_FAULTS", "hang:STUCK")];
    let mut clerk = Some(office.start_with_env(&faults));
    assert!(clerk.as_ref().is_some_and(|c| c.wait_for_log("watching", WAIT)));
    // One batch: clerk polls once a second.
    for (n, subject) in [(1, "A question"), (2, "A question STUCK"), (3, "A question")] {
        dovecot.append(ASSISTANT, "INBOX", &mail(&customer(n), subject, &format!("h{n}@example.test")));
    }

    // As systemd would: start clerk again whenever it stops, until the mail is through.
    let mut stops = Vec::new();
    let started = Instant::now();
    while office.journal_status_count("processed") < 2 || office.journal_status_count("failed") < 1 {
        assert!(started.elapsed() < Duration::from_secs(120), "stops so far: {stops:?}");
        let mut clerk = clerk.take().unwrap_or_else(|| office.start_with_env(&faults));
        let exited = support::wait_until(Duration::from_secs(20), || clerk.exited().is_some());
        if exited {
            stops.push((clerk.exited(), clerk.log().contains("<h2@example.test>")));
        }
        if !exited || office.journal_status_count("failed") == 1 {
            clerk.stop();
        }
    }
    assert_eq!(stops.len(), 3, "clerk stops on the message once in its batch and twice alone: {stops:?}");
    assert!(stops.iter().all(|&(code, named)| code == Some(70) && named), "{stops:?}");
    let error = office.query_strings("SELECT detail FROM messages WHERE status = 'failed'");
    assert!(
        error[0].contains("clerk stopped 2 times while this message was the only one in hand"),
        "{error:?}"
    );
    sink.wait_for(2, WAIT);
    assert_eq!(sink.received().len(), 2);
}

#[test]
fn clerk_stops_within_ten_seconds_while_a_message_is_stuck() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, "time_budget = \"10m\"");
    let mut clerk = office.start_with_env(&[("CLERK_TEST_FAULTS", "hang:STUCK")]);
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());
    dovecot.deliver(ASSISTANT, &mail(&customer(1), "A question STUCK", "s1@example.test"));
    assert!(clerk.wait_for_log("new messages", WAIT), "{}", clerk.log());
    std::thread::sleep(Duration::from_millis(500));
    let (_, took) = clerk.terminate();
    assert!(took < Duration::from_secs(10), "stopping took {took:?}\n{}", clerk.log());
    assert_eq!(
        office.query_count("SELECT count(*) FROM in_hand"),
        1,
        "the message is known at the next start"
    );
}

#[test]
fn a_message_stuck_in_one_folder_does_not_keep_another_folder_from_being_answered() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let settings = "time_budget = \"10m\"\nfolders = [\"INBOX\", \"Support\"]";
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, settings);
    dovecot.append(ASSISTANT, "Support", &mail(&customer(9), "Setting up", "setup@example.test"));
    let clerk = office.start_with_env(&[("CLERK_TEST_FAULTS", "hang:STUCK")]);
    assert!(support::wait_until(WAIT, || clerk.log_count("watching") >= 2), "{}", clerk.log());
    dovecot.deliver(ASSISTANT, &mail(&customer(1), "A question STUCK", "stuck@example.test"));
    assert!(clerk.wait_for_log("new messages mailbox=office folder=INBOX", WAIT), "{}", clerk.log());
    std::thread::sleep(Duration::from_secs(1));

    // Deciding does not hold the database: the other folder decides, records and sends.
    dovecot.append(ASSISTANT, "Support", &mail(&customer(2), "A question", "other@example.test"));
    let answered = sink.wait_for(1, WAIT);
    assert_eq!(answered[0].rcpt_tos, vec![customer(2)], "{}", clerk.log());
}
