//! Every condition field and value form.

use super::{addr, body, from, headers, subject, when_matches};
use crate::mail::message::{Attachment, CalendarPart, Message, ReturnPath};

#[test]
fn from_glob_matches_the_bare_address_ignoring_case() {
    let when = r#"when.from = "*@office.example""#;
    assert!(when_matches(when, &from("Anna@Office.Example")));
    assert!(!when_matches(when, &from("anna@office.example.evil")));
}

#[test]
fn a_list_of_patterns_matches_any_of_them() {
    let when = r#"when.from = ["anna@*", "*@acme.example"]"#;
    assert!(when_matches(when, &from("anna@x.example")));
    assert!(when_matches(when, &from("sales@acme.example")));
    assert!(!when_matches(when, &from("bob@x.example")));
}

#[test]
fn to_cc_recipients_and_reply_to_test_their_own_fields() {
    let msg = Message {
        to: vec![addr("a@x.example")],
        cc: vec![addr("c@x.example")],
        reply_to: vec![addr("r@x.example")],
        ..Default::default()
    };
    assert!(when_matches(r#"when.to = "a@x.example""#, &msg));
    assert!(!when_matches(r#"when.to = "c@x.example""#, &msg));
    assert!(when_matches(r#"when.cc = "c@x.example""#, &msg));
    assert!(when_matches(r#"when.recipients = "c@x.example""#, &msg));
    assert!(when_matches(r#"when.recipients = "a@x.example""#, &msg));
    assert!(!when_matches(r#"when.recipients = "r@x.example""#, &msg));
    assert!(when_matches(r#"when.reply_to = "r@*""#, &msg));
}

#[test]
fn an_address_field_holds_when_any_of_its_addresses_matches() {
    let msg =
        Message { to: vec![addr("a@x.example"), addr("assistant@office.example")], ..Default::default() };
    assert!(when_matches(r#"when.to = "assistant@office.example""#, &msg));
}

#[test]
fn address_forms_any_all_not_nest() {
    let when = r#"when.from = { all = ["*@office.example", { not = ["boss@*", "ceo@*"] }] }"#;
    assert!(when_matches(when, &from("anna@office.example")));
    assert!(!when_matches(when, &from("boss@office.example")));
    assert!(!when_matches(when, &from("anna@elsewhere.example")));
    let when = r#"when.from = { any = ["boss@*", { regex = "^sales[0-9]+@" }] }"#;
    assert!(when_matches(when, &from("sales12@x.example")));
}

#[test]
fn address_regex_runs_on_the_lowercased_address() {
    let when = r#"when.from = { regex = "^[a-z]+\\.[a-z]+@office\\.example$" }"#;
    assert!(when_matches(when, &from("Anna.Rossi@OFFICE.example")));
    assert!(!when_matches(when, &from("anna7@office.example")));
}

#[test]
fn subject_phrase_ignores_case_and_accents() {
    let when = r#"when.subject = ["opening hours", "perche", "citta"]"#;
    assert!(when_matches(when, &subject("Your Opening  Hours?")));
    assert!(when_matches(when, &subject("OPENING-hours")));
    assert!(when_matches(when, &subject("Perché?")));
    assert!(when_matches(when, &subject("In Città")));
    assert!(!when_matches(when, &subject("opening the hours")));
}

#[test]
fn subject_word_matches_whole_words_only() {
    let when = r#"when.subject = "order""#;
    assert!(when_matches(when, &subject("New order: toner")));
    assert!(!when_matches(when, &subject("Border crossing")));
    assert!(!when_matches(when, &subject("Two orders")));
}

#[test]
fn a_trailing_star_matches_word_prefixes() {
    let when = r#"when.subject = "order*""#;
    assert!(when_matches(when, &subject("Two orders")));
    assert!(when_matches(when, &subject("Ordering paper")));
    assert!(!when_matches(when, &subject("Border")));
}

#[test]
fn subject_all_needs_every_item_and_not_negates() {
    let when = r#"when.subject = { all = ["toner", { not = "urgent" }] }"#;
    assert!(when_matches(when, &subject("toner please")));
    assert!(!when_matches(when, &subject("URGENT: toner")));
    assert!(!when_matches(when, &subject("paper please")));
}

#[test]
fn body_phrase_spans_punctuation_and_line_breaks() {
    let when = r#"when.body = "when are you open""#;
    assert!(when_matches(when, &body("Hi,\nwhen are\n  you OPEN? Thanks")));
    assert!(!when_matches(when, &subject("when are you open")));
}

#[test]
fn text_matches_the_subject_or_the_body() {
    let when = r#"when.text = "fattura""#;
    assert!(when_matches(when, &subject("Fattura 12")));
    assert!(when_matches(when, &body("in allegato la fattura")));
    assert!(!when_matches(when, &body("nothing here")));
}

#[test]
fn text_regex_runs_on_the_original_text_case_insensitively() {
    let when = r#"when.subject = { regex = "invoice #\\d+" }"#;
    assert!(when_matches(when, &subject("INVOICE #123")));
    assert!(!when_matches(when, &subject("invoice 123")));
}

#[test]
fn text_regex_can_opt_out_of_case_insensitivity() {
    let when = r#"when.subject = { regex = "(?-i)URGENT" }"#;
    assert!(when_matches(when, &subject("URGENT: call")));
    assert!(!when_matches(when, &subject("urgent: call")));
}

#[test]
fn header_true_means_present_and_false_absent_whatever_the_name_case() {
    let list = headers(&[("list-id", "<news.example.org>")]);
    assert!(when_matches(r#"when.header."List-Id" = true"#, &list));
    assert!(!when_matches(r#"when.header."List-Id" = false"#, &list));
    assert!(when_matches(r#"when.header."List-Id" = false"#, &Message::default()));
}

#[test]
fn header_value_is_matched_as_text_and_by_regex() {
    let msg = headers(&[
        ("X-Mailer", "Microsoft Outlook 16.0"),
        ("Received", "a"),
        ("Received", "from relay.example"),
    ]);
    assert!(when_matches(r#"when.header.X-Mailer = "outlook""#, &msg));
    assert!(!when_matches(r#"when.header.X-Mailer = "thunderbird""#, &msg));
    assert!(when_matches(r#"when.header.x-mailer = { regex = "outlook 1[0-9]" }"#, &msg));
    assert!(when_matches(r#"when.header.Received = "relay example""#, &msg));
    assert!(when_matches(r#"when.header = { X-Mailer = "outlook", Received = { not = "mars" } }"#, &msg));
}

fn with_attachments(attachments: &[(&str, &str)]) -> Message {
    Message {
        attachments: attachments
            .iter()
            .map(|(name, content_type)| Attachment {
                name: name.to_string(),
                content_type: content_type.to_string(),
                size: 1000,
            })
            .collect(),
        ..Default::default()
    }
}

#[test]
fn attachment_true_and_false_test_for_any_attachment() {
    let pdf = with_attachments(&[("a.pdf", "application/pdf")]);
    assert!(when_matches("when.attachment = true", &pdf));
    assert!(!when_matches("when.attachment = false", &pdf));
    assert!(when_matches("when.attachment = false", &Message::default()));
}

#[test]
fn attachment_type_and_name_must_hold_for_the_same_attachment() {
    let msg = with_attachments(&[("photo.PDF.jpg", "image/jpeg"), ("Fattura.PDF", "application/pdf")]);
    assert!(when_matches(r#"when.attachment = { type = "application/pdf", name = "*.pdf" }"#, &msg));
    assert!(when_matches(r#"when.attachment = { type = "image/*" }"#, &msg));
    let mixed = with_attachments(&[("a.pdf", "image/jpeg"), ("b.doc", "application/pdf")]);
    assert!(!when_matches(r#"when.attachment = { type = "application/pdf", name = "*.pdf" }"#, &mixed));
}

#[test]
fn a_list_of_attachment_tables_matches_any_of_them() {
    let when = r#"when.attachment = [{ name = "*.xlsx" }, { type = "application/pdf" }]"#;
    assert!(when_matches(when, &with_attachments(&[("x", "application/pdf")])));
    assert!(!when_matches(when, &with_attachments(&[("x.doc", "application/msword")])));
}

fn with_calendar(method: Option<&str>) -> Message {
    Message {
        calendars: vec![CalendarPart { method: method.map(str::to_owned), text: "BEGIN:VCALENDAR".into() }],
        ..Default::default()
    }
}

#[test]
fn calendar_tests_the_method_ignoring_case() {
    assert!(when_matches(r#"when.calendar = "REQUEST""#, &with_calendar(Some("REQUEST"))));
    assert!(when_matches(r#"when.calendar = "request""#, &with_calendar(Some("REQUEST"))));
    assert!(!when_matches(r#"when.calendar = "REQUEST""#, &with_calendar(Some("CANCEL"))));
    assert!(!when_matches(r#"when.calendar = "REQUEST""#, &with_calendar(None)));
    let any_of = r#"when.calendar = ["CANCEL", "REPLY"]"#;
    assert!(when_matches(any_of, &with_calendar(Some("REPLY"))));
}

#[test]
fn calendar_true_means_any_calendar_part() {
    assert!(when_matches("when.calendar = true", &with_calendar(None)));
    assert!(!when_matches("when.calendar = true", &Message::default()));
    assert!(when_matches("when.calendar = false", &Message::default()));
}

fn sized(size: usize) -> Message {
    Message { size, ..Default::default() }
}

#[test]
fn size_over_and_under_compare_with_the_raw_size() {
    assert!(when_matches(r#"when.size = { over = "5MB" }"#, &sized(5_000_001)));
    assert!(!when_matches(r#"when.size = { over = "5MB" }"#, &sized(5_000_000)));
    assert!(when_matches(r#"when.size = { under = "100kB" }"#, &sized(99_999)));
    let between = r#"when.size = { over = 1000, under = "2KiB" }"#;
    assert!(when_matches(between, &sized(1500)));
    assert!(!when_matches(between, &sized(2048)));
}

#[test]
fn automatic_recognises_machine_generated_mail() {
    let when = "when.automatic = true";
    assert!(when_matches(when, &headers(&[("Auto-Submitted", "auto-replied")])));
    assert!(!when_matches(when, &headers(&[("Auto-Submitted", "no")])));
    assert!(when_matches(when, &headers(&[("List-Unsubscribe", "<mailto:x@y>")])));
    assert!(when_matches(when, &headers(&[("Precedence", "Bulk")])));
    let bounce = Message { return_path: ReturnPath::Empty, ..Default::default() };
    assert!(when_matches(when, &bounce));
    assert!(!when_matches(when, &from("anna@x.example")));
    assert!(when_matches("when.automatic = false", &from("anna@x.example")));
}

#[test]
fn several_fields_must_all_hold() {
    let when = "when.from = \"*@acme.example\"\nwhen.subject = \"invoice\"";
    let mut msg = from("billing@acme.example");
    msg.subject = "Invoice 7".into();
    assert!(when_matches(when, &msg));
    msg.subject = "Hello".into();
    assert!(!when_matches(when, &msg));
}

#[test]
fn when_any_all_and_not_combine_tables_of_fields() {
    let when = r#"when.any = [{ from = "*@a.example" }, { subject = "urgent" }]"#;
    assert!(when_matches(when, &from("x@a.example")));
    assert!(when_matches(when, &subject("Urgent!")));
    assert!(!when_matches(when, &subject("later")));

    let when = r#"when.all = [{ from = "*@a.example" }, { not = { subject = "newsletter" } }]"#;
    assert!(when_matches(when, &from("x@a.example")));
    let mut news = from("x@a.example");
    news.subject = "Newsletter".into();
    assert!(!when_matches(when, &news));

    let when = r#"when.not = { from = "*@a.example" }"#;
    assert!(!when_matches(when, &from("x@a.example")));
    assert!(when_matches(when, &from("x@b.example")));
}

#[test]
fn a_rule_without_when_matches_every_message() {
    let set = super::load("[[rule]]\nname = \"catch-all\"\ndesk = \"inquiry\"\n");
    assert_eq!(set.classify(&Message::default()).deciding().map(|r| r.name.as_str()), Some("catch-all"));
}

#[test]
fn an_intent_condition_holds_for_what_the_message_asks() {
    let spam = headers(&[("X-Spam-Flag", "YES")]);
    assert!(when_matches(r#"when.intent = "spam""#, &spam));
    assert!(!when_matches(r#"when.intent = "meeting""#, &spam));
    assert!(when_matches(r#"when.intent = ["meeting", "spam"]"#, &spam));
}

#[test]
fn an_intent_combines_with_keywords_and_other_fields() {
    let spam = Message { subject: "Great offer".to_owned(), ..headers(&[("X-Spam-Flag", "YES")]) };
    assert!(when_matches(r#"when.all = [{ intent = "spam" }, { subject = "offer" }]"#, &spam));
    assert!(!when_matches(r#"when.all = [{ intent = "spam" }, { not = { subject = "offer" } }]"#, &spam));
    assert!(when_matches(r#"when.intent = { not = "supply" }"#, &spam));
}

#[test]
fn a_misspelt_intent_is_reported_with_a_suggestion() {
    let errors =
        super::errors("[[rule]]\nname = \"r\"\nwhen.intent = \"meeting-requets\"\ndesk = \"meeting\"\n");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`meeting-requets` is not an intent; did you mean `meeting-request`?")),
        "{errors:?}"
    );
}
