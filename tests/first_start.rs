//! What clerk does with mail that was already in the mailbox the first time it starts (the `backfill`
//! setting), and with messages over `max_message_size`; and the warning at start about a password
//! file others can read: against a real Dovecot, with `clerk run --once`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, CUSTOMER, OFFICE_RULES, Office, header, mail, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

/// Dovecot, an SMTP server that keeps what it receives, and an office with `settings` for its mailbox.
fn office(settings: &str) -> (Dovecot, SmtpSink, Office) {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, settings);
    (dovecot, sink, office)
}

fn question(n: usize) -> Vec<u8> {
    mail(&format!("customer{n}@example.test"), "A question", &format!("q{n}@example.test"))
}

/// The Message-IDs the replies the SMTP server received answer, sorted.
fn answered(sink: &SmtpSink) -> Vec<String> {
    let mut ids: Vec<String> =
        sink.received().iter().filter_map(|r| header(&r.text(), "In-Reply-To").map(str::to_owned)).collect();
    ids.sort();
    ids
}

#[test]
fn by_default_the_first_start_leaves_mail_already_there_alone() {
    let (dovecot, sink, office) = office("");
    dovecot.deliver(ASSISTANT, &question(1));

    office.run_once();
    assert_eq!(office.query_count("SELECT count(*) FROM messages"), 0, "old mail was journaled");
    assert!(sink.received().is_empty(), "old mail was answered");

    dovecot.deliver(ASSISTANT, &question(2));
    office.run_once();
    sink.wait_for(1, WAIT);
    assert_eq!(answered(&sink), ["<q2@example.test>"]);
    assert_eq!(dovecot.messages(ASSISTANT, "INBOX").len(), 2, "both messages stay in the mailbox");
}

#[test]
fn backfill_all_handles_every_message_already_there() {
    let (dovecot, sink, office) = office("backfill = \"all\"");
    for n in 1..=3 {
        dovecot.deliver(ASSISTANT, &question(n));
    }

    office.run_once();
    sink.wait_for(3, WAIT);
    assert_eq!(answered(&sink), ["<q1@example.test>", "<q2@example.test>", "<q3@example.test>"]);
    // A second start does not take them again.
    office.run_once();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sink.received().len(), 3);
}

#[test]
fn backfill_since_a_day_handles_only_mail_that_arrived_from_that_day_on() {
    let (dovecot, sink, office) = office("backfill = \"since:2021-01-01\"");
    dovecot.append_dated(ASSISTANT, "INBOX", &question(1), Some("31-Dec-2020 23:00:00 +0000"));
    dovecot.append_dated(ASSISTANT, "INBOX", &question(2), Some("02-Jan-2021 08:00:00 +0000"));
    dovecot.deliver(ASSISTANT, &question(3));

    office.run_once();
    sink.wait_for(2, WAIT);
    assert_eq!(answered(&sink), ["<q2@example.test>", "<q3@example.test>"]);
}

#[test]
fn a_message_over_the_size_limit_is_recorded_from_its_header_and_left_in_place() {
    let (dovecot, sink, office) = office("backfill = \"all\"\nmax_message_size = \"20kB\"");
    let mut big = mail(CUSTOMER, "A question with a big attachment", "big@example.test");
    big.extend(b"x".repeat(80).iter().chain(b"\r\n").cycle().take(60_000));
    dovecot.deliver(ASSISTANT, &big);
    dovecot.deliver(ASSISTANT, &question(1));

    let log = office.run_once();
    sink.wait_for(1, WAIT);
    assert_eq!(answered(&sink), ["<q1@example.test>"], "only the small message is answered");
    assert_eq!(
        office.query_strings("SELECT message_id FROM messages WHERE status = 'too_large'"),
        ["big@example.test"],
        "the big one is journaled by the Message-ID in its header"
    );
    assert!(log.contains("too large") && log.contains("big@example.test"), "{log}");
    assert_eq!(dovecot.messages(ASSISTANT, "INBOX").len(), 2, "nothing is moved or lost");
}

#[test]
fn a_password_file_others_can_read_is_warned_about_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let (_dovecot, _sink, office) = office("");
    let password = office.dir.path().join("imap-password");
    std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o644)).unwrap();
    let log = office.run_once();
    let warning = format!(
        "{0} holds a secret and others can read it (mode 0644); restrict it: chmod 600 {0}, or chmod o-rwx {0} if clerk reads it through its group",
        password.display()
    );
    assert!(log.contains(&warning), "{log}");

    std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(!office.run_once().contains("holds a secret"));
}
