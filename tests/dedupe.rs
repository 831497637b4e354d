//! `clerk dedupe`: the auto-reply limit's records for a sender are shown with the rule and when the
//! next reply can go, and resetting them lets the sender's next message be answered again. A Maildir
//! office with the file outbox, so no server is needed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use support::clerk::{CUSTOMER, OFFICE_RULES, Office, mail};

#[test]
fn a_senders_reply_record_is_shown_and_reset_lets_the_next_message_be_answered() {
    let office = Office::with_maildir(OFFICE_RULES, "");
    office.run_once();
    office.drop_mail("new", "1.first.host", &mail(CUSTOMER, "A question", "first@example.test"));
    office.run_once();
    assert_eq!(office.answered(), ["<first@example.test>"]);

    let (ok, shown) = office.command(&["dedupe", "show", &CUSTOMER.to_uppercase()]);
    assert!(ok, "{shown}");
    assert!(shown.contains("rule \"questions\": last "), "{shown}");
    assert!(shown.contains("the next reply can go from"), "{shown}");
    assert!(shown.contains("CET") || shown.contains("CEST"), "in the office's time zone: {shown}");

    office.drop_mail("new", "2.second.host", &mail(CUSTOMER, "Another question", "second@example.test"));
    office.run_once();
    assert_eq!(office.answered(), ["<first@example.test>"], "the limit holds the second reply back");

    let (ok, reset) = office.command(&["dedupe", "reset", CUSTOMER]);
    assert!(ok && reset.starts_with("Forgot 1 auto-reply record for"), "{reset}");
    let (_, shown) = office.command(&["dedupe", "show", CUSTOMER]);
    assert!(shown.starts_with("No auto-reply to"), "{shown}");

    office.drop_mail("new", "3.third.host", &mail(CUSTOMER, "A third question", "third@example.test"));
    office.run_once();
    assert_eq!(office.answered(), ["<first@example.test>", "<third@example.test>"]);
}
