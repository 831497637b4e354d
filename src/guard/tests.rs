//! Tests of the auto-reply guard, one signal each.

use super::*;

const ASSISTANT: &str = "assistant@office.example";

fn policy() -> GuardPolicy {
    GuardPolicy {
        own_addresses: vec![ASSISTANT.into(), "accounts@office.example".into()],
        ..GuardPolicy::for_assistant(ASSISTANT)
    }
}

/// An ordinary message from a person to the assistant, with `extra` header lines added.
fn human_mail(extra: &str) -> Message {
    let raw = format!(
        "Return-Path: <anna@example.com>\n\
         From: Anna Rossi <anna@example.com>\n\
         To: Office <assistant@office.example>\n\
         Subject: Opening hours\n\
         Message-ID: <CAF1234@mail.example.com>\n\
         {extra}\
         Content-Type: text/plain; charset=utf-8\n\
         \n\
         When are you open on Saturday?\n"
    );
    Message::parse(raw.as_bytes()).expect("test mail parses")
}

fn reasons(extra: &str) -> Vec<Suppression> {
    check(&human_mail(extra), &policy())
}

fn only_reason(extra: &str) -> Suppression {
    let mut found = reasons(extra);
    assert_eq!(found.len(), 1, "expected one reason, got {found:?}");
    found.remove(0)
}

fn with_sender(from: &str, return_path: &str) -> Vec<Suppression> {
    let raw = format!("Return-Path: <{return_path}>\nFrom: {from}\nTo: {ASSISTANT}\nSubject: x\n\nbody\n");
    check(&Message::parse(raw.as_bytes()).expect("parses"), &policy())
}

#[test]
fn ordinary_human_mail_may_be_answered() {
    assert_eq!(reasons(""), []);
    assert!(!is_automatic(&human_mail("")));
}

#[test]
fn auto_submitted_suppresses() {
    assert_eq!(
        only_reason("Auto-Submitted: auto-replied\n"),
        Suppression::AutoSubmitted { value: "auto-replied".into() }
    );
    assert!(is_automatic(&human_mail("Auto-Submitted: auto-generated\n")));
}

#[test]
fn auto_submitted_parameters_are_ignored() {
    assert!(matches!(
        only_reason("Auto-Submitted: Auto-Generated; type=warning (timeout)\n"),
        Suppression::AutoSubmitted { .. }
    ));
    assert_eq!(reasons("Auto-Submitted: No ; comment\n"), []);
}

#[test]
fn auto_submitted_no_is_allowed() {
    assert_eq!(reasons("Auto-Submitted: no\n"), []);
}

#[test]
fn empty_return_path_suppresses() {
    let raw = format!("Return-Path: <>\nFrom: anna@example.com\nTo: {ASSISTANT}\n\nx\n");
    let msg = Message::parse(raw.as_bytes()).expect("parses");
    assert_eq!(check(&msg, &policy()), [Suppression::EmptyReturnPath]);
    assert!(is_automatic(&msg));
}

#[test]
fn system_senders_are_never_answered() {
    for local in [
        "mailer-daemon",
        "MAILER-DAEMON",
        "postmaster",
        "abuse",
        "root",
        "noreply",
        "no-reply",
        "no_reply",
        "donotreply",
        "do-not-reply",
        "noreply-billing",
        "no-reply+abc",
        "drive-shares-noreply",
        "listserv",
        "majordomo",
        "owner-office-news",
        "office-news-request",
        "bounces",
        "bounce-123-anna=example.com",
        "office-news-bounces",
        "bounces+anna=example.com",
    ] {
        let address = format!("{local}@example.net");
        assert_eq!(
            with_sender(&address, "anna@example.com"),
            [Suppression::SystemSender { header: "From", address: address.clone() }],
            "{local}"
        );
    }
}

#[test]
fn a_system_return_path_suppresses_even_with_a_human_from() {
    assert_eq!(
        with_sender("anna@example.com", "news-bounces@lists.example.org"),
        [Suppression::SystemSender {
            header: "Return-Path",
            address: "news-bounces@lists.example.org".into()
        }]
    );
}

#[test]
fn a_system_sender_in_both_from_and_return_path_is_one_reason() {
    assert_eq!(with_sender("noreply@example.net", "NoReply@example.net").len(), 1);
}

#[test]
fn addresses_merely_containing_a_system_word_are_people() {
    for local in [
        "rootbeer",
        "root.canal",
        "abusive.poet",
        "postmasters-guild",
        "bounced-cheques",
        "requester",
        "owner",
        "daemon-hunter",
        "anna",
    ] {
        assert_eq!(with_sender(&format!("{local}@example.net"), "anna@example.com"), [], "{local}");
    }
}

#[test]
fn role_mailboxes_are_not_automatic_but_machine_mailboxes_are() {
    let from = |address: &str| {
        Message::parse(format!("From: {address}\nTo: {ASSISTANT}\n\nx\n").as_bytes()).expect("parses")
    };
    assert!(!is_automatic(&from("postmaster@example.net")));
    assert!(!is_automatic(&from("root@example.net")));
    assert!(is_automatic(&from("noreply@example.net")));
    assert!(is_automatic(&from("MAILER-DAEMON@example.net")));
}

#[test]
fn any_list_header_suppresses_once() {
    assert_eq!(
        only_reason("List-Id: Office news <news.example.org>\nList-Unsubscribe: <mailto:u@x>\n"),
        Suppression::MailingList { header: "List-Id".into(), value: "Office news <news.example.org>".into() }
    );
    assert!(matches!(only_reason("list-post: <mailto:news@example.org>\n"), Suppression::MailingList { .. }));
}

#[test]
fn precedence_bulk_list_junk_and_auto_reply_suppress() {
    for value in ["bulk", "list", "junk", "auto_reply", "BULK"] {
        for header in ["Precedence", "X-Precedence"] {
            assert_eq!(
                only_reason(&format!("{header}: {value}\n")),
                Suppression::Precedence { header: header.into(), value: value.into() }
            );
        }
    }
}

#[test]
fn other_precedence_values_are_allowed() {
    assert_eq!(reasons("Precedence: first-class\n"), []);
    assert_eq!(reasons("Precedence: normal\n"), []);
}

#[test]
fn vendor_auto_reply_headers_suppress() {
    for header in [
        "X-Autoreply: yes",
        "X-Autorespond: on vacation",
        "X-AutoReply-From: anna@example.com",
        "X-Mail-Autoreply: 1",
        "X-Autogenerated: Reply",
        "X-Loop: anna@example.com",
        "X-FC-MachineGenerated: true",
    ] {
        assert!(
            matches!(only_reason(&format!("{header}\n")), Suppression::VendorAutoReply { .. }),
            "{header}"
        );
    }
}

#[test]
fn x_autogenerated_other_than_reply_is_allowed() {
    assert_eq!(reasons("X-Autogenerated: Forward\n"), []);
}

#[test]
fn a_delivery_status_report_is_a_bounce() {
    let raw = format!(
        "From: anna@example.com\nTo: {ASSISTANT}\n\
         Content-Type: multipart/report; report-type=Delivery-Status; boundary=b\n\n\
         --b\nContent-Type: text/plain\n\nfailed\n--b--\n"
    );
    let msg = Message::parse(raw.as_bytes()).expect("parses");
    let found = check(&msg, &policy());
    assert_eq!(found, [Suppression::Report { report_type: "delivery-status".into() }]);
    assert_eq!(found[0].to_string(), "multipart/report; report-type=delivery-status (a bounce)");
    assert!(is_automatic(&msg));
}

#[test]
fn a_read_receipt_report_is_automatic_too() {
    let raw = format!(
        "From: anna@example.com\nTo: {ASSISTANT}\n\
         Content-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n\
         --b\nContent-Type: text/plain\n\nread\n--b--\n"
    );
    let msg = Message::parse(raw.as_bytes()).expect("parses");
    assert!(matches!(check(&msg, &policy())[..], [Suppression::Report { .. }]));
}

#[test]
fn x_failed_recipients_is_a_bounce() {
    assert!(matches!(
        only_reason("X-Failed-Recipients: bob@example.net\n"),
        Suppression::FailedRecipients { .. }
    ));
}

#[test]
fn auto_response_suppress_all_oof_or_autoreply_suppresses_the_reply() {
    for value in ["All", "OOF", "DR, RN, NRN, OOF, AutoReply", "autoreply"] {
        assert_eq!(
            only_reason(&format!("X-Auto-Response-Suppress: {value}\n")),
            Suppression::ResponseSuppressed { value: value.into() },
            "{value}"
        );
    }
}

#[test]
fn auto_response_suppress_of_receipts_only_is_allowed() {
    assert_eq!(reasons("X-Auto-Response-Suppress: DR, RN, NRN\n"), []);
}

#[test]
fn auto_response_suppress_alone_does_not_make_mail_automatic() {
    assert!(!is_automatic(&human_mail("X-Auto-Response-Suppress: All\n")));
}

#[test]
fn mail_from_an_own_address_is_not_answered() {
    assert_eq!(
        with_sender("Accounts@Office.example", "accounts@office.example"),
        [Suppression::OwnAddress { address: "Accounts@Office.example".into() }]
    );
}

/// A message as a Maildir holds it: no Return-Path, so a reply would go to Reply-To.
fn with_reply_to(reply_to: &str) -> Vec<Suppression> {
    let raw = format!("From: anna@example.com\nReply-To: {reply_to}\nTo: {ASSISTANT}\nSubject: x\n\nbody\n");
    check(&Message::parse(raw.as_bytes()).expect("parses"), &policy())
}

#[test]
fn a_machine_mailbox_in_reply_to_is_not_answered_when_the_reply_would_go_there() {
    assert_eq!(
        with_reply_to("noreply@shop.example"),
        [Suppression::SystemSender { header: "Reply-To", address: "noreply@shop.example".into() }]
    );
}

#[test]
fn an_own_address_in_reply_to_is_not_answered_when_the_reply_would_go_there() {
    assert_eq!(with_reply_to(ASSISTANT), [Suppression::OwnAddress { address: ASSISTANT.into() }]);
    assert_eq!(
        with_reply_to("accounts@office.example"),
        [Suppression::OwnAddress { address: "accounts@office.example".into() }]
    );
}

#[test]
fn reply_to_is_not_checked_when_the_reply_goes_to_the_return_path() {
    assert_eq!(reasons("Reply-To: noreply@shop.example\n"), []);
}

#[test]
fn clerks_loop_header_suppresses() {
    assert_eq!(
        only_reason("x-clerk-loop: assistant@office.example\n"),
        Suppression::OwnLoopHeader { header: LOOP_HEADER.into(), value: "assistant@office.example".into() }
    );
}

#[test]
fn clerks_own_message_id_suppresses() {
    let raw =
        format!("From: anna@example.com\nTo: {ASSISTANT}\nMessage-ID: <clerk.9f2c41@office.example>\n\nx\n");
    let msg = Message::parse(raw.as_bytes()).expect("parses");
    assert_eq!(
        check(&msg, &policy()),
        [Suppression::OwnMessageId { message_id: "clerk.9f2c41@office.example".into() }]
    );
}

#[test]
fn a_clerk_like_message_id_from_another_domain_is_allowed() {
    let raw =
        format!("From: anna@example.com\nTo: {ASSISTANT}\nMessage-ID: <clerk.9f2c41@example.com>\n\nx\n");
    let msg = Message::parse(raw.as_bytes()).expect("parses");
    assert_eq!(check(&msg, &policy()), []);
}

#[test]
fn a_human_reply_to_clerks_mail_is_allowed() {
    assert_eq!(reasons("In-Reply-To: <clerk.9f2c41@office.example>\n"), []);
}

#[test]
fn assistant_only_in_bcc_is_not_answered() {
    let raw = "From: anna@example.com\nTo: sales@example.org\nCc: bob@example.org\n\nx\n";
    let msg = Message::parse(raw.as_bytes()).expect("parses");
    assert_eq!(check(&msg, &policy()), [Suppression::AssistantNotRecipient { assistant: ASSISTANT.into() }]);
}

#[test]
fn assistant_in_cc_counts_as_recipient() {
    let raw = format!("From: anna@example.com\nTo: sales@example.org\nCc: {ASSISTANT}\n\nx\n");
    let msg = Message::parse(raw.as_bytes()).expect("parses");
    assert_eq!(check(&msg, &policy()), []);
}

#[test]
fn the_recipient_check_can_be_turned_off_for_shared_mailboxes() {
    let raw = "From: anna@example.com\nTo: frontdesk@example.org\n\nx\n";
    let msg = Message::parse(raw.as_bytes()).expect("parses");
    let shared = GuardPolicy { require_assistant_recipient: false, ..policy() };
    assert_eq!(check(&msg, &shared), []);
}

#[test]
fn a_message_without_any_sender_address_cannot_be_answered() {
    let raw = format!("To: {ASSISTANT}\nSubject: who am I\n\nx\n");
    let msg = Message::parse(raw.as_bytes()).expect("parses");
    assert_eq!(check(&msg, &policy()), [Suppression::NoReplyAddress]);
}

#[test]
fn every_reason_is_reported_in_a_stable_order() {
    let found = reasons(
        "X-Auto-Response-Suppress: All\nPrecedence: bulk\nList-Id: <l.example.org>\n\
         Auto-Submitted: auto-generated\nX-Clerk-Loop: 1\n",
    );
    let kinds: Vec<_> =
        found.iter().map(|s| s.to_string().split(':').next().unwrap_or_default().to_owned()).collect();
    assert_eq!(
        kinds,
        ["Auto-Submitted", "List-Id", "Precedence", "X-Auto-Response-Suppress", "X-Clerk-Loop"]
    );
}

#[test]
fn display_is_one_readable_line_even_for_hostile_values() {
    assert_eq!(
        Suppression::AutoSubmitted { value: "auto-replied".into() }.to_string(),
        "Auto-Submitted: auto-replied (RFC 3834)"
    );
    assert_eq!(
        Suppression::SystemSender { header: "From", address: "mailer-daemon@x.example".into() }.to_string(),
        "sender mailer-daemon@x.example (From) is a system address"
    );
    let hostile = Suppression::VendorAutoReply {
        header: "X-Loop".into(),
        value: format!("a\r\nINFO forged line{}", "x".repeat(500)),
    }
    .to_string();
    assert!(!hostile.contains(['\r', '\n']));
    assert!(hostile.chars().count() < 300);
}

fn holding_back(extra: &str, answer: Answer) -> Vec<Suppression> {
    Verdict::of(&human_mail(extra), &policy()).holding_back(answer).cloned().collect()
}

#[test]
fn outlooks_response_suppress_holds_back_a_reply_but_not_a_calendar_answer_or_a_ticket() {
    let outlook = "X-Auto-Response-Suppress: All\n";
    assert_eq!(holding_back(outlook, Answer::Reply).len(), 1);
    assert!(holding_back(outlook, Answer::CalendarAnswer).is_empty());
    assert!(holding_back(outlook, Answer::Record).is_empty());
}

#[test]
fn a_vendors_automatic_order_confirmation_is_read_but_a_bounce_is_not() {
    assert!(holding_back("Auto-Submitted: auto-generated\n", Answer::VendorAnswer).is_empty());
    assert_eq!(holding_back("X-Failed-Recipients: anna@example.com\n", Answer::VendorAnswer).len(), 1);
}

#[test]
fn clerks_own_mail_come_back_is_held_back_from_everything() {
    let own = "X-Clerk-Loop: assistant@office.example\n";
    for answer in
        [Answer::Reply, Answer::Record, Answer::CalendarAnswer, Answer::VendorAnswer, Answer::Forward]
    {
        assert_eq!(holding_back(own, answer).len(), 1, "{answer:?}");
    }
}

#[test]
fn a_bounce_is_still_forwarded_to_the_people_who_read_it() {
    assert!(holding_back("X-Failed-Recipients: anna@example.com\n", Answer::Forward).is_empty());
    assert!(holding_back("Auto-Submitted: auto-generated\n", Answer::Forward).is_empty());
}

#[test]
fn a_verdict_gives_each_answer_only_the_reasons_that_hold_it_back() {
    let verdict = Verdict::of(&human_mail("X-Auto-Response-Suppress: All\n"), &policy());
    assert!(verdict.holds_back(Answer::Reply));
    assert!(!verdict.holds_back(Answer::CalendarAnswer));
    assert_eq!(verdict.why_not(Answer::Reply).len(), 1);
    assert!(verdict.why_not(Answer::Record).is_empty());
}
