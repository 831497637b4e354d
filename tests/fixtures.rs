//! The hand-written fixtures in `tests/fixtures/`: what clerk reads from each, and whether the
//! auto-reply guard lets clerk answer it.
//!
//! The fixtures stand in for the mail the corpus lacks (customer inquiries in English and Italian, a
//! supply request, a plain-language meeting request, an out-of-office reply, list mail, a bounce of
//! clerk's own purchase order, a vendor invoice, Outlook mail asking for no auto-replies). Later tests
//! and the shipped example rules use them, so these tests pin down what they contain.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

use std::path::Path;

use clerk::guard::{self, GuardPolicy, Suppression};
use clerk::mail::message::{Message, ReturnPath};

fn fixture(name: &str) -> Message {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Message::parse(&raw).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn office() -> GuardPolicy {
    GuardPolicy {
        own_addresses: vec![
            "assistant@office.example".into(),
            "accounts@office.example".into(),
            "frontdesk@office.example".into(),
        ],
        ..GuardPolicy::for_assistant("assistant@office.example")
    }
}

fn reasons(message: &Message) -> Vec<Suppression> {
    guard::check(message, &office())
}

#[test]
fn english_inquiry_is_answerable_and_its_flowed_text_is_joined() {
    let message = fixture("inquiry-opening-hours.eml");
    assert_eq!(message.subject, "Opening hours on Saturday?");
    assert!(
        message
            .text
            .contains("What are your opening hours this Saturday, and do I need to make an appointment")
    );
    assert_eq!(message.reply_target(), Some("mark.jensen@example.com"));
    assert_eq!(reasons(&message), []);
}

#[test]
fn italian_inquiry_is_decoded_and_answerable() {
    let message = fixture("inquiry-orari-apertura.eml");
    assert_eq!(message.subject, "Orari di apertura e pagamento – certificato");
    assert!(message.text.contains("orari di apertura"));
    assert!(message.text.contains("passerei giovedì pomeriggio"));
    assert!(message.text.contains("È possibile pagare con la carta di credito"));
    assert_eq!(reasons(&message), []);
}

#[test]
fn outlook_html_only_inquiry_reads_as_text() {
    let message = fixture("inquiry-outlook-html-only.eml");
    assert_eq!(message.content_type, "text/html");
    assert!(message.text.starts_with("Good morning,\n\nI have an appointment"));
    assert!(message.text.contains("Is there parking for visitors"));
    assert!(message.text.contains("I couldn’t find it."));
    assert!(!message.text.contains('<') && !message.text.contains("&#"));
    assert!(!message.text.contains("MsoNormal"));
    assert_eq!(reasons(&message), []);
}

#[test]
fn gmail_follow_up_to_clerks_mail_is_answerable() {
    let message = fixture("inquiry-gmail-quoted-history.eml");
    assert_eq!(message.subject, "Re: [Ticket #1042] Membership renewal");
    assert_eq!(message.in_reply_to, ["clerk.5e1f0a93c2b84d76@office.example"]);
    assert_eq!(message.references.len(), 2);
    assert!(message.text.starts_with("Hi,\n\nthanks for the quick answer."));
    assert!(message.text.contains("> #1042 and a colleague"));
    // A person replying to clerk is not clerk's own mail.
    assert_eq!(reasons(&message), []);
}

#[test]
fn supply_request_from_a_colleague_lists_the_items() {
    let message = fixture("supply-toner.eml");
    assert_eq!(message.from[0].email, "giulia.bianchi@office.example");
    assert!(message.text.contains("- 3 boxes of A4 paper"));
    assert!(message.text.contains("- 2 HP 26A toner"));
    assert_eq!(reasons(&message), []);
}

#[test]
fn plain_language_meeting_request_has_no_calendar() {
    let message = fixture("meeting-request-plain.eml");
    assert!(message.calendars.is_empty());
    assert!(message.text.contains("next Tuesday, 10 March,\nat 3pm"));
    assert_eq!(message.cc[0].email, "luca.ferrari@example.net");
    assert_eq!(reasons(&message), []);
}

#[test]
fn out_of_office_reply_is_never_answered() {
    let message = fixture("out-of-office.eml");
    assert_eq!(
        reasons(&message),
        [
            Suppression::AutoSubmitted { value: "auto-replied".into() },
            Suppression::ResponseSuppressed { value: "All".into() },
        ]
    );
    assert!(guard::is_automatic(&message));
}

#[test]
fn mailing_list_mail_is_never_answered() {
    let message = fixture("mailing-list.eml");
    assert_eq!(
        message.header("List-Id"),
        Some("Business News for members <business-news.lists.example.org>")
    );
    let found = reasons(&message);
    assert!(found.contains(&Suppression::SystemSender {
        header: "Return-Path",
        address: "business-news-bounces+assistant=office.example@lists.example.org".into()
    }));
    assert!(matches!(found.iter().find(|r| matches!(r, Suppression::MailingList { .. })),
        Some(Suppression::MailingList { header, .. }) if header == "List-Id"));
    assert!(found.contains(&Suppression::Precedence { header: "Precedence".into(), value: "list".into() }));
    assert!(
        found.contains(&Suppression::AssistantNotRecipient { assistant: "assistant@office.example".into() })
    );
    assert!(guard::is_automatic(&message));
}

#[test]
fn bounce_of_a_purchase_order_is_never_answered() {
    let message = fixture("bounce-dsn.eml");
    assert_eq!(message.return_path, ReturnPath::Empty);
    assert_eq!(message.from[0].email, "MAILER-DAEMON@mail.office.example");
    let types: Vec<_> = message.attachments.iter().map(|a| a.content_type.as_str()).collect();
    assert_eq!(types, ["message/delivery-status", "text/rfc822-headers"]);
    assert!(message.text.contains("User unknown"));
    assert_eq!(
        reasons(&message),
        [
            Suppression::AutoSubmitted { value: "auto-replied".into() },
            Suppression::EmptyReturnPath,
            Suppression::SystemSender { header: "From", address: "MAILER-DAEMON@mail.office.example".into() },
            Suppression::Report { report_type: "delivery-status".into() },
        ]
    );
}

#[test]
fn vendor_invoice_carries_its_pdf() {
    let message = fixture("vendor-invoice-pdf.eml");
    assert_eq!(message.from[0].domain(), Some("acme-supplies.example.com"));
    assert_eq!(message.attachments.len(), 1);
    let pdf = &message.attachments[0];
    assert_eq!(pdf.name, "INV-2026-0412.pdf");
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(pdf.size > 900);
    assert_eq!(reasons(&message), []);
}

#[test]
fn outlook_mail_asking_for_no_auto_reply_is_still_ordinary_mail() {
    let message = fixture("outlook-auto-response-suppress.eml");
    assert_eq!(reasons(&message), [Suppression::ResponseSuppressed { value: "All".into() }]);
    assert!(!guard::is_automatic(&message));
    assert!(message.text.contains("copy of the invoice for the room rental"));
}
