//! The core loop against real servers: mail delivered to the assistant's mailbox in a private Dovecot,
//! clerk running as its own process, replies read from the recipients' side (an SMTP server that relays
//! into Dovecot, or keeps what it cannot relay).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ACCOUNTS, ASSISTANT, CUSTOMER, OFFICE_RULES, Office, header, mail, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

/// Starts Dovecot, a relaying SMTP server and clerk, and waits until clerk watches the INBOX.
fn office(dovecot: Dovecot, extra: &str) -> (Dovecot, SmtpSink, Office, support::clerk::Clerk) {
    let sink = SmtpSink::start_relaying_to(&dovecot);
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, extra);
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "clerk did not start watching:\n{}", clerk.log());
    (dovecot, sink, office, clerk)
}

#[test]
fn a_question_gets_one_threaded_auto_reply_in_the_customers_mailbox() {
    let (dovecot, _sink, _office, _clerk) = office(Dovecot::start(&office_users()), "");
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question about hours", "q1@example.test"));

    let replies = dovecot.wait_for_messages(CUSTOMER, "INBOX", 1, WAIT);
    let reply = String::from_utf8_lossy(&replies[0]).into_owned();
    assert_eq!(header(&reply, "Subject"), Some("Re: A question about hours"));
    assert_eq!(header(&reply, "In-Reply-To"), Some("<q1@example.test>"));
    assert_eq!(header(&reply, "Auto-Submitted"), Some("auto-replied"));
    assert_eq!(header(&reply, "Return-Path"), Some("<>"), "auto-replies go with a null envelope sender");
    assert!(header(&reply, "From").is_some_and(|f| f.contains(ASSISTANT)));
    assert!(reply.contains("Dear Anna Example"), "the template was rendered:\n{reply}");
}

#[test]
fn a_rule_flag_is_set_on_the_message_in_the_mailbox() {
    let (dovecot, _sink, _office, _clerk) = office(Dovecot::start(&office_users()), "");
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "flag1@example.test"));
    dovecot.wait_for_messages(CUSTOMER, "INBOX", 1, WAIT);
    let flagged = support::wait_until(WAIT, || {
        dovecot.fetch(ASSISTANT, "INBOX").iter().any(|m| m.flags.iter().any(|f| f == "\\Flagged"))
    });
    assert!(flagged, "the question was not flagged: {:?}", dovecot.fetch(ASSISTANT, "INBOX"));
}

#[test]
fn an_invoice_is_forwarded_with_the_sender_reachable_and_filed_into_a_new_folder() {
    let (dovecot, _sink, _office, _clerk) = office(Dovecot::start(&office_users()), "");
    dovecot.deliver(ASSISTANT, &mail("billing@vendor.example", "Invoice 42", "inv42@vendor.example"));

    let forwarded = dovecot.wait_for_messages(ACCOUNTS, "INBOX", 1, WAIT);
    let forward = String::from_utf8_lossy(&forwarded[0]).into_owned();
    assert_eq!(header(&forward, "Subject"), Some("Fwd: Invoice 42"));
    assert!(header(&forward, "Reply-To").is_some_and(|r| r.contains("billing@vendor.example")), "{forward}");
    assert!(forward.contains("message/rfc822"), "the original travels attached:\n{forward}");

    let filed = dovecot.wait_for_messages(ASSISTANT, "Vendors.Invoices", 1, WAIT);
    assert!(String::from_utf8_lossy(&filed[0]).contains("inv42@vendor.example"));
    assert!(support::wait_until(WAIT, || dovecot.messages(ASSISTANT, "INBOX").is_empty()));
}

#[test]
fn a_newsletter_is_filed_and_never_answered() {
    let (dovecot, sink, office, _clerk) = office(Dovecot::start(&office_users()), "");
    let mut newsletter = b"List-Id: <weekly.example.test>\r\n".to_vec();
    newsletter.extend(mail("news@list.example.test", "Weekly question", "news1@list.example.test"));
    dovecot.deliver(ASSISTANT, &newsletter);
    dovecot.wait_for_messages(ASSISTANT, "Newsletters", 1, WAIT);
    assert_eq!(office.journal_status_count("processed"), 1);
    assert!(sink.received().is_empty(), "nothing may be sent for a newsletter");
}

#[test]
fn idle_picks_up_new_mail_without_polling() {
    // An hour between polls: only IDLE can bring the message in within the wait.
    let (dovecot, _sink, _office, clerk) = office(Dovecot::start(&office_users()), "poll_interval = \"1h\"");
    assert!(clerk.log().contains("idle=true"), "{}", clerk.log());
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "Question via IDLE", "idle1@example.test"));
    dovecot.wait_for_messages(CUSTOMER, "INBOX", 1, Duration::from_secs(15));
}

#[test]
fn without_idle_clerk_polls() {
    let dovecot = Dovecot::builder().users(&office_users()).idle(false).start();
    let (dovecot, _sink, _office, clerk) = office(dovecot, "");
    assert!(clerk.log().contains("idle=false"), "{}", clerk.log());
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "Question by polling", "poll1@example.test"));
    dovecot.wait_for_messages(CUSTOMER, "INBOX", 1, WAIT);
}

#[test]
fn several_folders_and_mailboxes_are_watched_at_once() {
    let dovecot = Dovecot::start(&office_users());
    // The folder must exist when clerk starts; what is in it then is old mail and left alone.
    dovecot.append(ASSISTANT, "Shared", &mail("old@example.test", "Old question", "old@example.test"));
    let second_mailbox = format!(
        "folders = [\"INBOX\", \"Shared\"]\n\n[[mailbox]]\nname = \"accounts\"\n\
         url = \"imap://127.0.0.1:{}\"\nuser = \"{ACCOUNTS}\"\npassword_file = \"imap-password\"\n\
         poll_interval = \"1s\"\n",
        dovecot.imap_port()
    );
    let (dovecot, sink, _office, clerk) = office(dovecot, &second_mailbox);
    assert!(clerk.wait_for_log("folder=Shared", WAIT), "{}", clerk.log());
    assert!(clerk.wait_for_log("mailbox=accounts", WAIT), "{}", clerk.log());

    dovecot.deliver(ASSISTANT, &mail("a@example.test", "Question in the inbox", "inbox@example.test"));
    dovecot.append(ASSISTANT, "Shared", &mail("b@example.test", "Question, shared", "shared@example.test"));
    dovecot.deliver(ACCOUNTS, &mail("c@example.test", "Question for accounts", "accounts@example.test"));

    let replies = sink.wait_for(3, WAIT);
    let mut answered: Vec<String> =
        replies.iter().filter_map(|r| header(&r.text(), "In-Reply-To").map(str::to_owned)).collect();
    answered.sort();
    assert_eq!(answered, ["<accounts@example.test>", "<inbox@example.test>", "<shared@example.test>"]);
}

#[test]
fn clerk_reconnects_after_the_imap_server_restarts_and_loses_nothing() {
    let (mut dovecot, _sink, _office, clerk) = office(Dovecot::start(&office_users()), "");
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "First question", "r1@example.test"));
    dovecot.wait_for_messages(CUSTOMER, "INBOX", 1, WAIT);

    dovecot.stop();
    assert!(clerk.wait_for_log("reconnecting", WAIT), "clerk did not notice:\n{}", clerk.log());
    dovecot.start_again();
    // Another customer, so the reply rate limit (one per sender per rule per day) does not apply.
    dovecot.deliver(ASSISTANT, &mail("bob@example.test", "Second question", "r2@example.test"));
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "Another question", "r3@example.test"));

    assert!(
        clerk.wait_for_log("r2@example.test", WAIT) && clerk.wait_for_log("r3@example.test", WAIT),
        "mail that arrived after the restart was not handled:\n{}",
        clerk.log()
    );
}

#[test]
fn mail_waits_in_the_outbox_while_the_smtp_server_is_down() {
    let (dovecot, mut sink, _office, clerk) = office(Dovecot::start(&office_users()), "");
    sink.stop();
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "Question while SMTP is down", "down1@example.test"));
    assert!(clerk.wait_for_log("will retry", WAIT), "no retry was scheduled:\n{}", clerk.log());
    sink.start_again();
    let replies = dovecot.wait_for_messages(CUSTOMER, "INBOX", 1, Duration::from_secs(60));
    assert_eq!(replies.len(), 1);
}

#[test]
fn a_uidvalidity_change_does_not_handle_old_mail_twice() {
    let (dovecot, sink, office, clerk) = office(Dovecot::start(&office_users()), "");
    // The questions rule flags but does not move, so the mail stays in the INBOX to be rescanned.
    for n in 1..=2 {
        dovecot.deliver(
            ASSISTANT,
            &mail(&format!("c{n}@example.test"), "Question", &format!("uv{n}@example.test")),
        );
    }
    sink.wait_for(2, WAIT);
    dovecot.change_uidvalidity(ASSISTANT, "INBOX");
    dovecot.deliver(ASSISTANT, &mail("c3@example.test", "Question", "uv3@example.test"));

    sink.wait_for(3, WAIT);
    assert!(clerk.wait_for_log("UIDVALIDITY changed", WAIT), "{}", clerk.log());
    assert!(support::wait_until(WAIT, || office.journal_status_count("duplicate") == 2), "{}", clerk.log());
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(sink.received().len(), 3, "old mail was answered again");
}

#[test]
fn automatic_mail_and_clerks_own_replies_are_never_answered() {
    let (dovecot, sink, office, clerk) = office(Dovecot::start(&office_users()), "");
    let mut auto_reply = b"Auto-Submitted: auto-replied\r\n".to_vec();
    auto_reply.extend(mail("dave@example.test", "Out of office: question", "ooo@example.test"));
    dovecot.deliver(ASSISTANT, &auto_reply);
    // clerk's own reply coming back (a customer's server forwarding it, say).
    let mut own = b"X-Clerk-Loop: assistant@office.test\r\n".to_vec();
    own.extend(mail(ASSISTANT, "Re: question", "clerk.0123456789abcdef@office.test"));
    dovecot.deliver(ASSISTANT, &own);

    assert!(support::wait_until(WAIT, || office.journal_status_count("processed") == 2), "{}", clerk.log());
    std::thread::sleep(Duration::from_millis(500));
    assert!(sink.received().is_empty(), "an automatic message was answered");
    assert!(
        clerk.log().contains("Auto-Submitted"),
        "the suppression is logged with its reason:\n{}",
        clerk.log()
    );
}
