//! The shipped office (`rules/`, as it is) routing by what a message asks, against real servers: mail
//! delivered into the assistant's mailbox in a private Dovecot, clerk running as its own process, and
//! what it sends read from the recipients' side through a real SMTP server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use chrono::{Datelike, Days, Utc, Weekday};

use support::clerk::{ASSISTANT, Clerk, Office};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);
/// The shipped office's assistant, owner and colleagues.
const SHIPPED_ASSISTANT: &str = "assistant@office.example";
const GIULIA: &str = "giulia.rossi@office.example";
const MARCO: &str = "marco.verdi@office.example";
const INFO: &str = "info@office.example";
/// The shipped catalog's coffee vendor, whose orders need no approval.
const CAFFE: &str = "ordini@caffe-express.example";
/// A customer.
const PAOLO: &str = "paolo.conti@example.com";

/// The shipped office reading the test assistant's mailbox (which mail addressed to the shipped
/// assistant is delivered into), its cupboard empty.
fn shipped_office() -> (Dovecot, SmtpSink, Office, Clerk) {
    shipped_office_with("")
}

/// [`shipped_office`] with `extra_rules` in a rules file of its own.
fn shipped_office_with(extra_rules: &str) -> (Dovecot, SmtpSink, Office, Clerk) {
    support::clerk::shipped_office(&[GIULIA, MARCO, INFO, CAFFE, PAOLO], extra_rules)
}

/// A message to the shipped assistant, sent now.
fn mail(from: &str, subject: Option<&str>, id: &str, extra: &str, body: &str) -> Vec<u8> {
    let subject = subject.map(|s| format!("Subject: {s}\r\n")).unwrap_or_default();
    format!(
        "From: <{from}>\r\nTo: Assistant <{SHIPPED_ASSISTANT}>\r\n{subject}Message-ID: <{id}>\r\n\
         Date: {}\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        Utc::now().to_rfc2822()
    )
    .into_bytes()
}

/// Waits until the assistant's INBOX is empty: the message was handled and filed.
fn filed(dovecot: &Dovecot, folder: &str) -> bool {
    !dovecot.wait_for_messages(ASSISTANT, folder, 1, WAIT).is_empty()
        && support::wait_until(WAIT, || dovecot.messages(ASSISTANT, "INBOX").is_empty())
}

/// A weekday at least three days ahead, away from the holidays around Christmas and New Year, as
/// "Thursday 10 December".
fn working_day_ahead() -> String {
    let mut day = Utc::now().date_naive() + Days::new(3);
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
        || (day.month() == 12 && day.day() >= 20)
        || (day.month() == 1 && day.day() <= 7)
    {
        day = day + Days::new(1);
    }
    day.format("%A %-d %B").to_string()
}

#[test]
fn a_request_to_meet_with_no_subject_is_booked() {
    let (dovecot, _sink, office, clerk) = shipped_office();
    let day = working_day_ahead();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            PAOLO,
            None,
            "meet-1@example.com",
            "",
            &format!("Hi Giulia, could we have a call on {day} at 10am?\r\nPaolo"),
        ),
    );
    let invitations = dovecot.wait_for_messages(PAOLO, "INBOX", 1, WAIT);
    let invitation = String::from_utf8_lossy(&invitations[0]).into_owned();
    assert!(invitation.contains("METHOD:REQUEST"), "an invitation for the booked time:\n{invitation}");
    assert_eq!(
        office.query_count("SELECT count(*) FROM events WHERE status = 'confirmed'"),
        1,
        "{}",
        clerk.log()
    );
}

#[test]
fn a_colleagues_chat_that_mentions_paper_opens_nothing() {
    let (dovecot, sink, office, _clerk) = shipped_office();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            MARCO,
            Some("this morning"),
            "chat-1@office.example",
            "",
            "Did anyone read the paper this morning? There is a piece on the new tram line.",
        ),
    );
    assert!(filed(&dovecot, "Staff"), "the chat was not filed");
    assert_eq!(office.query_count("SELECT count(*) FROM supply_requests"), 0);
    assert_eq!(office.query_count("SELECT count(*) FROM tickets"), 0);
    assert!(sink.received().is_empty(), "nothing may be sent for a colleague's chat");
}

#[test]
fn a_delivery_note_with_subject_delivery_restocks() {
    // An empty cupboard: an order run every second orders coffee from its vendor.
    let every_second =
        "[[schedule]]\nname = \"order run every second\"\ncron = \"* * * * * *\"\njob = \"reorder\"\n";
    let (dovecot, _sink, office, clerk) = shipped_office_with(every_second);
    let order = clerk::mail::message::Message::parse(&dovecot.wait_for_messages(CAFFE, "INBOX", 1, WAIT)[0])
        .expect("the purchase order parses");
    let number =
        order.subject.split_whitespace().find(|w| w.starts_with("PO-")).expect("a PO number").to_owned();
    assert_eq!(office.query_count("SELECT coalesce(sum(on_hand), 0) FROM stock_moves"), 0);

    dovecot.deliver(
        ASSISTANT,
        &mail(
            MARCO,
            Some("Delivery"),
            "delivery-1@office.example",
            "",
            &format!("Hi, received {number} this morning, all there.\r\nMarco"),
        ),
    );
    let received = support::wait_until(WAIT, || {
        office.query_count("SELECT count(*) FROM purchase_orders WHERE state = 'received'") == 1
    });
    assert!(received, "the delivery was not recorded:\n{}", clerk.log());
    assert!(
        office.query_count("SELECT coalesce(sum(on_hand), 0) FROM stock_moves") > 0,
        "what came is on the shelf"
    );
}

#[test]
fn an_out_of_office_reply_without_automatic_headers_gets_no_answer() {
    let (dovecot, sink, office, _clerk) = shipped_office();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            PAOLO,
            Some("Re: Meeting next week"),
            "ooo-1@example.com",
            "",
            "Hello, I'm travelling until Monday and only reading mail now and then. If it can't wait, \
             please contact my colleague Ben.\r\nPaolo",
        ),
    );
    assert!(filed(&dovecot, "Automatic"), "the absence notice was not filed");
    assert_eq!(office.query_count("SELECT count(*) FROM tickets"), 0);
    assert_eq!(office.query_count("SELECT count(*) FROM events"), 0);
    assert!(sink.received().is_empty(), "an absence notice is never answered");
}

#[test]
fn a_spam_flagged_message_opens_no_ticket() {
    let (dovecot, sink, office, _clerk) = shipped_office();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            "offers@growth-seo.example",
            Some("Quick question about your website"),
            "spam-1@growth-seo.example",
            "X-Spam-Flag: YES\r\nX-Spam-Status: Yes, score=8.2 required=5.0\r\n",
            "Hi, could you tell me who handles your website? We can triple your leads.",
        ),
    );
    assert!(filed(&dovecot, "Junk"), "the spam was not filed");
    assert_eq!(office.query_count("SELECT count(*) FROM tickets"), 0);
    assert!(sink.received().is_empty(), "spam is never answered");
}
