//! Editing the rules while clerk runs: a good edit takes effect without a restart, a broken one is
//! refused (logged once, with the same message `clerk check` prints) and the last good rules keep
//! working; SIGHUP reloads too. Against a real Dovecot and SMTP server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, CUSTOMER, Clerk, Office, mail, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

const ANSWER: &str = "[[rule]]\nname = \"questions\"\nwhen.subject = \"question\"\nreply = \"answer\"\n";
const ANSWER_AND_FILE: &str =
    "[[rule]]\nname = \"questions\"\nwhen.subject = \"question\"\nreply = \"answer\"\nmove = \"Answered\"\n";

fn running_office() -> (Dovecot, SmtpSink, Office, Clerk) {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, ANSWER, "");
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());
    (dovecot, sink, office, clerk)
}

#[test]
fn a_good_edit_changes_what_clerk_does_without_a_restart() {
    let (dovecot, sink, office, clerk) = running_office();
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "before@example.test"));
    sink.wait_for(1, WAIT);

    office.write_rules(ANSWER_AND_FILE);
    assert!(clerk.wait_for_log("rules reloaded", WAIT), "{}", clerk.log());
    dovecot.deliver(ASSISTANT, &mail("bob@example.test", "Another question", "after@example.test"));
    let filed = dovecot.wait_for_messages(ASSISTANT, "Answered", 1, WAIT);
    assert!(String::from_utf8_lossy(&filed[0]).contains("after@example.test"));
    assert_eq!(dovecot.messages(ASSISTANT, "INBOX").len(), 1, "the message before the edit stays");
}

#[test]
fn a_broken_edit_is_refused_once_and_the_last_good_rules_keep_working() {
    let (dovecot, sink, office, clerk) = running_office();
    office.write_rules(&ANSWER_AND_FILE.replace("reply =", "replly ="));
    assert!(clerk.wait_for_log("refused", WAIT), "{}", clerk.log());
    assert!(clerk.log().contains("office.rules.toml:4:1: unknown key `replly`"), "{}", clerk.log());
    // Saving the same broken file again is not a new problem: it is not logged again.
    office.write_rules(&ANSWER_AND_FILE.replace("reply =", "replly ="));
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(clerk.log_count("unknown key `replly`"), 1, "{}", clerk.log());

    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "during@example.test"));
    sink.wait_for(1, WAIT);
    assert_eq!(dovecot.messages(ASSISTANT, "INBOX").len(), 1, "the old rules answered and did not file");

    office.write_rules(ANSWER_AND_FILE);
    assert!(clerk.wait_for_log("rules reloaded", WAIT), "{}", clerk.log());
    dovecot.deliver(ASSISTANT, &mail("bob@example.test", "Another question", "fixed@example.test"));
    dovecot.wait_for_messages(ASSISTANT, "Answered", 1, WAIT);
}

#[test]
fn an_edit_whose_template_runs_out_of_fuel_is_refused_and_the_last_good_rules_keep_working() {
    let (dovecot, sink, office, clerk) = running_office();
    std::fs::write(
        office.dir.path().join("rules/templates/answer.txt"),
        "Dear {{ message.from_name }},\n\
         {% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    assert!(clerk.wait_for_log("refused", WAIT), "{}", clerk.log());
    assert!(clerk.log().contains("templates/answer.txt:2:"), "{}", clerk.log());
    assert!(clerk.log().contains("ran out of fuel"), "{}", clerk.log());

    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "during@example.test"));
    let replies = sink.wait_for(1, WAIT);
    assert!(String::from_utf8_lossy(&replies[0].raw).contains("thank you for"), "the old template answered");
}

#[test]
fn an_edit_that_leaves_no_rule_is_refused_and_the_last_good_rules_keep_working() {
    let (dovecot, sink, office, clerk) = running_office();
    office.write_rules("# the new rules will come after lunch\n");
    assert!(clerk.wait_for_log("refused", WAIT), "{}", clerk.log());
    assert!(clerk.log().contains("no [[rule]] in its rule files"), "{}", clerk.log());

    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "during@example.test"));
    sink.wait_for(1, WAIT);
}

#[test]
fn sighup_reloads_the_rules() {
    let (_dovecot, _sink, _office, clerk) = running_office();
    clerk.signal("HUP");
    assert!(clerk.wait_for_log("reason=\"SIGHUP\"", WAIT), "{}", clerk.log());
    assert!(clerk.log().contains("rules reloaded"), "{}", clerk.log());
}

#[test]
fn a_rules_directory_replaced_whole_is_watched_again() {
    let (dovecot, _sink, office, clerk) = running_office();
    // As a deploy does it: the new directory is prepared beside the old one, then swapped in.
    let rules = office.dir.path().join("rules");
    let new = office.dir.path().join("rules.new");
    std::fs::create_dir_all(new.join("templates")).unwrap();
    for file in ["office.toml", "templates/answer.txt"] {
        std::fs::copy(rules.join(file), new.join(file)).unwrap();
    }
    std::fs::write(new.join("office.rules.toml"), ANSWER_AND_FILE).unwrap();
    std::fs::rename(&rules, office.dir.path().join("rules.old")).unwrap();
    std::fs::rename(&new, &rules).unwrap();

    assert!(clerk.wait_for_log("rules reloaded", WAIT), "{}", clerk.log());
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "swapped@example.test"));
    dovecot.wait_for_messages(ASSISTANT, "Answered", 1, WAIT);

    // And the new directory is watched: an edit in it is picked up too.
    office.write_rules(ANSWER);
    let reloads = || clerk.log_count("rules reloaded");
    assert!(support::wait_until(WAIT, || reloads() >= 2), "{}", clerk.log());
}
