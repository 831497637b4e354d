//! A move whose answer never came (clerk killed, connection dropped) may have been done, not done, or
//! half done: Dovecot copies a message and then removes the original, and a client that disconnects in
//! between leaves it in both folders. These tests set up each outcome exactly, against a real Dovecot,
//! and check that clerk's next run files every message once and removes nothing that has no identical
//! copy in the destination.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, CUSTOMER, Office, mail, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

const RULES: &str = r#"
[[rule]]
name = "questions"
when.subject = "question"
move = "Done"
"#;

/// An office whose one question has been handled and filed into Done; returns the message as filed.
fn filed_question() -> (Dovecot, SmtpSink, Office, Vec<u8>) {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, RULES, "");
    office.run_once();
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q1@example.test"));
    office.run_once();
    let filed = dovecot.messages(ASSISTANT, "Done");
    assert_eq!(filed.len(), 1, "the question is filed");
    assert!(dovecot.messages(ASSISTANT, "INBOX").is_empty());
    (dovecot, sink, office, filed[0].clone())
}

/// Puts `raw` back into the INBOX and makes the journal say its move was sent and never answered.
fn move_cut_off(dovecot: &Dovecot, office: &Office, raw: &[u8]) {
    let uid = dovecot.append(ASSISTANT, "INBOX", raw);
    let uidvalidity = dovecot.uidvalidity(ASSISTANT, "INBOX");
    office.execute(&format!(
        "UPDATE mailbox_ops SET status = 'pending', done_at = NULL, sent_at_ms = 0,
                item = '{uidvalidity}:{uid}' WHERE op = 'move'"
    ));
}

fn empty_done(dovecot: &Dovecot) {
    let mut imap = dovecot.imap(ASSISTANT);
    imap.ok("SELECT Done");
    imap.ok("STORE 1:* +FLAGS.SILENT (\\Deleted)");
    imap.ok("EXPUNGE");
    imap.logout();
}

#[test]
fn a_move_cut_off_after_the_copy_only_removes_the_original() {
    let (dovecot, _sink, office, filed) = filed_question();
    move_cut_off(&dovecot, &office, &filed);

    let log = office.run_once();
    assert!(log.contains("removed the originals"), "{log}");
    assert!(dovecot.messages(ASSISTANT, "INBOX").is_empty(), "the original is gone");
    assert_eq!(dovecot.messages(ASSISTANT, "Done"), vec![filed], "and filed once");
}

#[test]
fn a_move_cut_off_before_the_copy_is_sent_again() {
    let (dovecot, _sink, office, filed) = filed_question();
    move_cut_off(&dovecot, &office, &filed);
    empty_done(&dovecot);

    office.run_once();
    assert!(dovecot.messages(ASSISTANT, "INBOX").is_empty());
    assert_eq!(dovecot.messages(ASSISTANT, "Done"), vec![filed]);
}

#[test]
fn a_different_message_with_the_same_message_id_is_not_taken_for_the_copy() {
    let (dovecot, _sink, office, filed) = filed_question();
    move_cut_off(&dovecot, &office, &filed);
    empty_done(&dovecot);
    let namesake = mail(CUSTOMER, "A question, asked again", "q1@example.test");
    dovecot.append(ASSISTANT, "Done", &namesake);

    office.run_once();
    assert!(dovecot.messages(ASSISTANT, "INBOX").is_empty());
    assert_eq!(dovecot.messages(ASSISTANT, "Done"), vec![namesake, filed], "both kept");
}

#[test]
fn a_move_into_the_watched_folder_itself_in_doubt_never_removes_the_message() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, &RULES.replace("move = \"Done\"", "move = \"INBOX\""), "");
    office.run_once();
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q1@example.test"));
    office.run_once();
    let before = dovecot.messages(ASSISTANT, "INBOX");
    assert_eq!(before.len(), 1, "filing into the folder it is in leaves it there, once");

    let uid = dovecot.fetch(ASSISTANT, "INBOX")[0].uid;
    let uidvalidity = dovecot.uidvalidity(ASSISTANT, "INBOX");
    office.execute(&format!(
        "UPDATE mailbox_ops SET status = 'pending', done_at = NULL, sent_at_ms = 0, item = '{uidvalidity}:{uid}'"
    ));
    office.run_once();
    assert_eq!(dovecot.messages(ASSISTANT, "INBOX"), before, "its own copy is not taken for a filed one");
}

#[test]
fn a_start_stopped_while_it_settles_a_move_in_doubt_has_handled_the_new_mail_first() {
    let (dovecot, _sink, office, filed) = filed_question();
    move_cut_off(&dovecot, &office, &filed);
    // No copy in the destination: the case in which settling waits for the server.
    empty_done(&dovecot);
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "Another question", "q2@example.test"));

    let mut clerk = office.start();
    assert!(clerk.wait_for_log("a move was interrupted", WAIT), "{}", clerk.log());
    clerk.kill();
    let handled =
        "SELECT count(*) FROM messages WHERE message_id = 'q2@example.test' AND status = 'processed'";
    assert_eq!(office.query_count(handled), 1, "the new mail is handled before settling:\n{}", clerk.log());

    office.run_once();
    assert!(dovecot.messages(ASSISTANT, "INBOX").is_empty(), "both are filed");
    let done = dovecot.messages(ASSISTANT, "Done");
    assert_eq!(done.len(), 2, "each once");
    assert!(done.contains(&filed));
}
