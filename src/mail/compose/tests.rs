//! Tests of the mail clerk writes: replies, forwards, headers, Message-IDs.

use super::encoding::crlf_bytes;
use super::*;
use crate::mail::message::{Address, Message};
use chrono::{DateTime, TimeZone, Utc};
use mail_builder::MessageBuilder;
use mail_parser::{HeaderValue, MessageParser, MimeHeaders};

fn assistant() -> Identity {
    Identity { name: "Office Assistant".into(), address: "assistant@office.example".into() }
}

fn anna() -> Address {
    Address { name: Some("Anna Rossi".into()), email: "anna@customer.example".into() }
}

fn bare(email: &str) -> Address {
    Address { name: None, email: email.into() }
}

fn original() -> Message {
    Message {
        from: vec![anna()],
        to: vec![bare("assistant@office.example")],
        subject: "Opening hours".into(),
        date: chrono::DateTime::parse_from_rfc2822("Tue, 1 Jul 2025 10:00:00 +0200").ok(),
        message_id: Some("q1@customer.example".into()),
        references: vec!["root@customer.example".into(), "r2@office.example".into()],
        in_reply_to: vec!["r2@office.example".into()],
        text: "When are you open on Saturdays?\n".into(),
        ..Message::default()
    }
}

fn date() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 7, 1, 9, 30, 0).unwrap()
}

fn reply_to<'a>(original: &'a Message, from: &'a Identity) -> Reply<'a> {
    Reply {
        original,
        from,
        to: anna(),
        cc: vec![],
        subject: reply_subject(&original.subject),
        body: "We are open 9-12 on Saturdays.\n".into(),
        message_id: message_id(b"seed", "office.example"),
        date: date(),
        auto_submitted: AutoSubmitted::AutoReplied,
        loop_header_value: "assistant@office.example".into(),
    }
}

fn parse(raw: &[u8]) -> mail_parser::Message<'_> {
    MessageParser::default().parse(raw).expect("composed mail parses")
}

fn header_names(raw: &[u8]) -> Vec<String> {
    parse(raw).headers_raw().map(|(name, _)| name.to_ascii_lowercase()).collect()
}

fn raw_header(message: &mail_parser::Message<'_>, name: &str) -> String {
    message
        .headers_raw()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_else(|| panic!("{name} present"))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn forward_of<'a>(
    original: &'a Message,
    raw: &'a [u8],
    from: &'a Identity,
    mode: ForwardMode,
) -> Forward<'a> {
    Forward {
        original,
        original_raw: raw,
        from,
        to: vec![bare("front-desk@office.example")],
        mode,
        note: None,
        message_id: message_id(b"forward seed", "office.example"),
        date: date(),
        loop_header_value: "assistant@office.example".into(),
        subject: None,
        reply_to: None,
    }
}

const ORIGINAL_RAW: &[u8] = b"Return-Path: <anna@customer.example>\r\n\
From: Anna Rossi <anna@customer.example>\r\n\
To: assistant@office.example\r\n\
X-Clerk-Loop: forged@evil.example\r\n\
Subject: Opening hours\r\n\
x-clerk-ticket: 4711\r\n\
\x20continued\r\n\
Date: Tue, 1 Jul 2025 10:00:00 +0200\r\n\
Message-ID: <q1@customer.example>\r\n\
\r\n\
When are you open on Saturdays?\r\n\
X-Clerk-Loop: this line is body text and stays\r\n";

const ORIGINAL_WITHOUT_CLERK_HEADERS: &[u8] = b"Return-Path: <anna@customer.example>\r\n\
From: Anna Rossi <anna@customer.example>\r\n\
To: assistant@office.example\r\n\
Subject: Opening hours\r\n\
Date: Tue, 1 Jul 2025 10:00:00 +0200\r\n\
Message-ID: <q1@customer.example>\r\n\
\r\n\
When are you open on Saturdays?\r\n\
X-Clerk-Loop: this line is body text and stays\r\n";

#[test]
fn reply_has_exactly_the_expected_headers_in_order() {
    let (original, me) = (original(), assistant());
    let mut r = reply_to(&original, &me);
    r.cc = vec![bare("boss@office.example")];
    let mail = reply(&r).unwrap();

    assert_eq!(
        header_names(&mail.raw),
        [
            "from",
            "to",
            "cc",
            "subject",
            "date",
            "message-id",
            "in-reply-to",
            "references",
            "auto-submitted",
            "x-auto-response-suppress",
            "x-clerk-loop",
            "mime-version",
            "content-type",
            "content-transfer-encoding",
        ]
    );
    let parsed = parse(&mail.raw);
    assert_eq!(raw_header(&parsed, "From"), "\"Office Assistant\" <assistant@office.example>");
    assert_eq!(raw_header(&parsed, "To"), "\"Anna Rossi\" <anna@customer.example>");
    assert_eq!(raw_header(&parsed, "Cc"), "<boss@office.example>");
    assert_eq!(parsed.subject(), Some("Re: Opening hours"));
    assert_eq!(raw_header(&parsed, "Date"), "Tue, 1 Jul 2025 09:30:00 +0000");
    assert_eq!(parsed.message_id(), Some(mail.message_id.as_str()));
    assert_eq!(raw_header(&parsed, "MIME-Version"), "1.0");
    assert_eq!(raw_header(&parsed, "Content-Type"), "text/plain; charset=\"utf-8\"");
    assert_eq!(raw_header(&parsed, "Content-Transfer-Encoding"), "7bit");
    assert_eq!(parsed.body_text(0).as_deref(), Some("We are open 9-12 on Saturdays.\r\n"));
}

#[test]
fn reply_threads_under_the_original() {
    let (original, me) = (original(), assistant());
    let mail = reply(&reply_to(&original, &me)).unwrap();
    let parsed = parse(&mail.raw);

    assert_eq!(raw_header(&parsed, "In-Reply-To"), "<q1@customer.example>");
    assert_eq!(
        parsed.references(),
        &HeaderValue::TextList(vec![
            "root@customer.example".into(),
            "r2@office.example".into(),
            "q1@customer.example".into(),
        ])
    );
}

#[test]
fn reply_threads_from_in_reply_to_when_the_original_has_no_references() {
    let me = assistant();
    let original = Message { references: vec![], ..original() };
    let mail = reply(&reply_to(&original, &me)).unwrap();

    assert_eq!(
        parse(&mail.raw).references(),
        &HeaderValue::TextList(vec!["r2@office.example".into(), "q1@customer.example".into()])
    );
}

#[test]
fn reply_to_a_message_without_id_has_no_in_reply_to() {
    let me = assistant();
    let original = Message { message_id: None, references: vec![], in_reply_to: vec![], ..original() };
    let mail = reply(&reply_to(&original, &me)).unwrap();

    let names = header_names(&mail.raw);
    assert!(!names.contains(&"in-reply-to".to_owned()));
    assert!(!names.contains(&"references".to_owned()));
}

#[test]
fn reply_keeps_the_root_and_the_latest_ten_of_a_long_reference_chain() {
    let me = assistant();
    let original =
        Message { references: (1..=30).map(|n| format!("m{n}@x.example")).collect(), ..original() };
    let mail = reply(&reply_to(&original, &me)).unwrap();

    let mut expected: Vec<String> = vec!["m1@x.example".into()];
    expected.extend((22..=30).map(|n| format!("m{n}@x.example")));
    expected.push("q1@customer.example".into());
    let parsed = parse(&mail.raw);
    let HeaderValue::TextList(references) = parsed.references() else { panic!("References is a list") };
    assert_eq!(references, &expected);
}

#[test]
fn reply_skips_ids_that_would_break_the_threading_headers() {
    let me = assistant();
    let original =
        Message { references: vec!["ok@x.example".into(), "bad id@x.example".into()], ..original() };
    let mail = reply(&reply_to(&original, &me)).unwrap();

    assert_eq!(raw_header(&parse(&mail.raw), "References"), "<ok@x.example> <q1@customer.example>");
}

#[test]
fn reply_subject_adds_re_once_over_many_prefix_styles() {
    for (subject, expected) in [
        ("hello", "Re: hello"),
        ("Re: hello", "Re: hello"),
        ("RE: hello", "Re: hello"),
        ("re : hello", "Re: hello"),
        ("Re[2]: hello", "Re: hello"),
        ("Re(3): hello", "Re: hello"),
        ("AW: Hallo", "Re: Hallo"),
        ("Aw: AW: Re: Hallo", "Re: Hallo"),
        ("R: ordine toner", "Re: ordine toner"),
        ("Rif: ordine", "Re: ordine"),
        ("SV: Hej", "Re: Hej"),
        ("VS: Moi", "Re: Moi"),
        ("Antw: Hallo", "Re: Hallo"),
        ("Re：你好", "Re: 你好"),
        ("  Re:   spaced\r\n  out  ", "Re: spaced out"),
        ("Fwd: invoice", "Re: Fwd: invoice"),
        ("Regarding: the meeting", "Re: Regarding: the meeting"),
        ("Rent", "Re: Rent"),
    ] {
        assert_eq!(reply_subject(subject), expected, "subject {subject:?}");
    }
}

#[test]
fn reply_subject_of_an_empty_subject_says_no_subject() {
    assert_eq!(reply_subject(""), "Re: (no subject)");
    assert_eq!(reply_subject("Re: "), "Re: (no subject)");
}

#[test]
fn forward_subject_adds_fwd_once() {
    for (subject, expected) in [
        ("invoice", "Fwd: invoice"),
        ("Fwd: invoice", "Fwd: invoice"),
        ("FW: Fw: invoice", "Fwd: invoice"),
        ("WG: Rechnung", "Fwd: Rechnung"),
        ("I: fattura", "Fwd: fattura"),
        ("TR: facture", "Fwd: facture"),
        ("Re: question", "Fwd: Re: question"),
        ("", "Fwd: (no subject)"),
    ] {
        assert_eq!(forward_subject(subject), expected, "subject {subject:?}");
    }
}

#[test]
fn non_ascii_subject_and_display_names_are_encoded_and_round_trip() {
    let original = original();
    let me = Identity { name: "Segreteria Città".into(), address: "assistant@office.example".into() };
    let mut r = reply_to(&original, &me);
    r.to = Address { name: Some("José Müller".into()), email: "jose@customer.example".into() };
    r.subject = "Re: Orari di apertura — sabato 😀".into();
    r.body = "Siamo aperti il sabato.\n".into();
    let mail = reply(&r).unwrap();

    assert!(mail.raw.is_ascii(), "headers and body are 7-bit on the wire");
    let parsed = parse(&mail.raw);
    assert_eq!(parsed.subject(), Some("Re: Orari di apertura — sabato 😀"));
    let from = parsed.from().and_then(|a| a.first()).unwrap();
    assert_eq!(from.name(), Some("Segreteria Città"));
    let to = parsed.to().and_then(|a| a.first()).unwrap();
    assert_eq!(to.name(), Some("José Müller"));
    assert_eq!(to.address(), Some("jose@customer.example"));
}

#[test]
fn non_ascii_body_is_encoded_and_round_trips() {
    let (original, me) = (original(), assistant());
    let mut r = reply_to(&original, &me);
    r.body = "Grüße aus Köln.\nÀ bientôt !\n".into();
    let mail = reply(&r).unwrap();

    assert!(mail.raw.is_ascii());
    let parsed = parse(&mail.raw);
    assert_eq!(raw_header(&parsed, "Content-Transfer-Encoding"), "quoted-printable");
    assert_eq!(parsed.body_text(0).as_deref(), Some("Grüße aus Köln.\r\nÀ bientôt !\r\n"));
}

#[test]
fn auto_reply_has_a_null_envelope_sender_and_the_rfc_3834_headers() {
    let (original, me) = (original(), assistant());
    let mail = reply(&reply_to(&original, &me)).unwrap();

    assert_eq!(mail.envelope_from, None);
    assert_eq!(mail.recipients, ["anna@customer.example"]);
    let parsed = parse(&mail.raw);
    assert_eq!(raw_header(&parsed, "Auto-Submitted"), "auto-replied");
    assert_eq!(raw_header(&parsed, "X-Auto-Response-Suppress"), "All");
    assert_eq!(raw_header(&parsed, "X-Clerk-Loop"), "assistant@office.example");
    assert!(parsed.header_raw("Precedence").is_none());
}

#[test]
fn auto_generated_mail_is_sent_from_the_assistant() {
    let (original, me) = (original(), assistant());
    let mut r = reply_to(&original, &me);
    r.auto_submitted = AutoSubmitted::AutoGenerated;
    let mail = reply(&r).unwrap();

    assert_eq!(mail.envelope_from.as_deref(), Some("assistant@office.example"));
    assert_eq!(raw_header(&parse(&mail.raw), "Auto-Submitted"), "auto-generated");
}

#[test]
fn recipients_are_to_and_cc_once_each() {
    let (original, me) = (original(), assistant());
    let mut r = reply_to(&original, &me);
    r.cc = vec![bare("boss@office.example"), bare("ANNA@customer.example"), bare("boss@office.example")];
    let mail = reply(&r).unwrap();

    assert_eq!(mail.recipients, ["anna@customer.example", "boss@office.example"]);
}

#[test]
fn line_breaks_in_header_values_are_refused_naming_the_field() {
    let (original, me) = (original(), assistant());
    let line_break = |field: &str| ComposeError::LineBreak { field: field.into() };

    let mut r = reply_to(&original, &me);
    r.subject = "Re: hi\r\nBcc: victim@example.com".into();
    assert_eq!(reply(&r), Err(line_break("Subject")));

    let mut r = reply_to(&original, &me);
    r.to.name = Some("Anna\nBcc: victim@example.com".into());
    assert_eq!(reply(&r), Err(line_break("To display name")));

    let mut r = reply_to(&original, &me);
    r.cc = vec![bare("boss@office.example\r\nBcc: x@example.com")];
    assert_eq!(reply(&r), Err(line_break("Cc")));

    let mut r = reply_to(&original, &me);
    r.loop_header_value = "a\rb".into();
    assert_eq!(reply(&r), Err(line_break("X-Clerk-Loop")));

    let bad_me = Identity { name: "Office\r\nAssistant".into(), ..assistant() };
    assert_eq!(reply(&reply_to(&original, &bad_me)), Err(line_break("From display name")));

    assert_eq!(single_line("Subject", "fine"), Ok(()));
}

#[test]
fn invalid_addresses_are_refused_naming_the_field() {
    let (original, me) = (original(), assistant());
    let mut r = reply_to(&original, &me);
    r.to = bare("not an address");

    let Err(ComposeError::InvalidAddress { field, value, .. }) = reply(&r) else { panic!("refused") };
    assert_eq!((field.as_str(), value.as_str()), ("To", "not an address"));
}

#[test]
fn an_unusable_message_id_is_refused() {
    let (original, me) = (original(), assistant());
    for id in ["<a@b>", "no-at-sign", "a b@c", "@domain", "a@"] {
        let mut r = reply_to(&original, &me);
        r.message_id = id.into();
        assert!(matches!(reply(&r), Err(ComposeError::InvalidMessageId { .. })), "{id:?}");
    }
}

#[test]
fn message_id_is_deterministic_per_seed() {
    let id = message_id(b"imap:office/INBOX/7/42#reply", "office.example");

    assert_eq!(id, message_id(b"imap:office/INBOX/7/42#reply", "office.example"));
    assert_ne!(id, message_id(b"imap:office/INBOX/7/43#reply", "office.example"));
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assert_eq!(message_id(b"abc", "office.example"), "clerk.ba7816bf8f01cfea414140de5dae2223@office.example");
}

#[test]
fn a_long_unbroken_body_line_is_quoted_printable_within_the_line_limit() {
    let (original, me) = (original(), assistant());
    let mut r = reply_to(&original, &me);
    let long_line = "x".repeat(5000);
    r.body = format!("{long_line}\n");
    let mail = reply(&r).unwrap();

    for line in mail.raw.split(|&b| b == b'\n') {
        assert!(line.len() <= 998 + 1, "line of {} octets", line.len());
    }
    let parsed = parse(&mail.raw);
    assert_eq!(raw_header(&parsed, "Content-Transfer-Encoding"), "quoted-printable");
    assert_eq!(parsed.body_text(0).as_deref(), Some(format!("{long_line}\r\n").as_str()));
}

#[test]
fn quoted_printable_round_trips_equals_signs_trailing_blanks_and_long_lines() {
    let (original, me) = (original(), assistant());
    let mut r = reply_to(&original, &me);
    let text = format!("1 + 1 = 2 \nTab at end\t\nà{}é\n.\nFrom here\n", "è".repeat(200));
    r.body = text.clone();
    let mail = reply(&r).unwrap();

    let body_start = mail.raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    for line in mail.raw[body_start..].split(|&b| b == b'\n') {
        assert!(line.len() <= 76 + 1, "{:?}", String::from_utf8_lossy(line));
        assert!(!line.ends_with(b" \r") && !line.ends_with(b"\t\r"));
    }
    assert_eq!(parse(&mail.raw).body_text(0).as_deref(), Some(text.replace('\n', "\r\n").as_str()));
}

#[test]
fn ascii_text_with_a_line_over_78_characters_is_not_sent_7bit() {
    let (original, me) = (original(), assistant());
    let mut r = reply_to(&original, &me);
    r.body = format!("{}\n", "word ".repeat(20));
    let mail = reply(&r).unwrap();

    assert_eq!(raw_header(&parse(&mail.raw), "Content-Transfer-Encoding"), "quoted-printable");
}

#[test]
fn every_line_ends_with_crlf_whatever_the_body_used() {
    let (original, me) = (original(), assistant());
    let mut r = reply_to(&original, &me);
    r.body = "unix\nmac\rdos\r\nno newline at the end".into();
    let mail = reply(&r).unwrap();

    assert!(mail.raw.ends_with(b"\r\n"));
    for (at, &b) in mail.raw.iter().enumerate() {
        if b == b'\n' {
            assert_eq!(mail.raw.get(at.wrapping_sub(1)), Some(&b'\r'), "bare LF at {at}");
        }
        if b == b'\r' {
            assert_eq!(mail.raw.get(at + 1), Some(&b'\n'), "bare CR at {at}");
        }
    }
}

#[test]
fn forward_has_exactly_the_expected_headers_in_order() {
    let (original, me) = (original(), assistant());
    let mail = forward(&forward_of(&original, ORIGINAL_RAW, &me, ForwardMode::Attached)).unwrap();

    assert_eq!(
        header_names(&mail.raw),
        [
            "from",
            "to",
            "reply-to",
            "subject",
            "date",
            "message-id",
            "auto-submitted",
            "x-auto-response-suppress",
            "x-clerk-loop",
            "mime-version",
            "content-type",
        ]
    );
    let parsed = parse(&mail.raw);
    assert_eq!(parsed.subject(), Some("Fwd: Opening hours"));
    assert_eq!(raw_header(&parsed, "Auto-Submitted"), "auto-generated");
    assert_eq!(mail.envelope_from.as_deref(), Some("assistant@office.example"));
    assert_eq!(mail.recipients, ["front-desk@office.example"]);
}

#[test]
fn forward_reply_to_is_the_original_reply_to_or_else_its_from() {
    let me = assistant();
    let from_only = original();
    let mail = forward(&forward_of(&from_only, ORIGINAL_RAW, &me, ForwardMode::Attached)).unwrap();
    assert_eq!(raw_header(&parse(&mail.raw), "Reply-To"), "\"Anna Rossi\" <anna@customer.example>");

    let with_reply_to = Message { reply_to: vec![bare("orders@customer.example")], ..original() };
    let mail = forward(&forward_of(&with_reply_to, ORIGINAL_RAW, &me, ForwardMode::Attached)).unwrap();
    assert_eq!(raw_header(&parse(&mail.raw), "Reply-To"), "<orders@customer.example>");
}

#[test]
fn forward_attached_carries_the_original_byte_for_byte_minus_clerk_headers() {
    let (original, me) = (original(), assistant());
    let mail = forward(&forward_of(&original, ORIGINAL_RAW, &me, ForwardMode::Attached)).unwrap();

    assert!(contains(&mail.raw, ORIGINAL_WITHOUT_CLERK_HEADERS));
    let parsed = parse(&mail.raw);
    let embedded = parsed.attachment(0).expect("the original is attached");
    let content_type = embedded.content_type().unwrap();
    assert_eq!((content_type.ctype(), content_type.subtype()), ("message", Some("rfc822")));
    assert_eq!(embedded.contents(), ORIGINAL_WITHOUT_CLERK_HEADERS);
    assert_eq!(embedded.attachment_name(), Some("Opening hours.eml"));
}

#[test]
fn forward_attached_without_a_note_explains_itself() {
    let (original, me) = (original(), assistant());
    let mail = forward(&forward_of(&original, ORIGINAL_RAW, &me, ForwardMode::Attached)).unwrap();

    assert_eq!(
        parse(&mail.raw).body_text(0).as_deref(),
        Some(
            "Forwarded by Office Assistant: message from Anna Rossi <anna@customer.example>, \
             Tue, 1 Jul 2025 10:00:00 +0200.\r\n"
        )
    );
}

#[test]
fn forward_attached_uses_the_callers_note() {
    let (original, me) = (original(), assistant());
    let mut f = forward_of(&original, ORIGINAL_RAW, &me, ForwardMode::Attached);
    f.note = Some("Please answer this customer.".into());
    let mail = forward(&f).unwrap();

    assert_eq!(parse(&mail.raw).body_text(0).as_deref(), Some("Please answer this customer.\r\n"));
}

#[test]
fn forward_attached_sends_a_lf_original_with_crlf_line_endings() {
    let (original, me) = (original(), assistant());
    let lf_raw: Vec<u8> = ORIGINAL_WITHOUT_CLERK_HEADERS.iter().copied().filter(|&b| b != b'\r').collect();
    let mail = forward(&forward_of(&original, &lf_raw, &me, ForwardMode::Attached)).unwrap();

    assert!(contains(&mail.raw, ORIGINAL_WITHOUT_CLERK_HEADERS));
}

#[test]
fn forward_attached_declares_an_8bit_original_as_8bit() {
    let (original, me) = (original(), assistant());
    let raw = "From: anna@customer.example\r\nSubject: Grüße\r\n\r\nGrüße aus Köln\r\n";
    let mail = forward(&forward_of(&original, raw.as_bytes(), &me, ForwardMode::Attached)).unwrap();

    let parsed = parse(&mail.raw);
    assert_eq!(raw_header(&parsed, "Content-Transfer-Encoding"), "8bit");
    let embedded = parsed.attachment(0).unwrap();
    assert_eq!(embedded.contents(), raw.as_bytes());
}

#[test]
fn forward_attached_sends_an_original_with_overlong_lines_as_an_eml_file() {
    let (original, me) = (original(), assistant());
    let raw = format!("From: anna@customer.example\r\nSubject: wide\r\n\r\n{}\r\n", "y".repeat(2000));
    let mail = forward(&forward_of(&original, raw.as_bytes(), &me, ForwardMode::Attached)).unwrap();

    for line in mail.raw.split(|&b| b == b'\n') {
        assert!(line.len() <= 999);
    }
    let parsed = parse(&mail.raw);
    let attached = parsed.attachment(0).unwrap();
    assert_eq!(attached.content_type().map(|ct| ct.ctype()), Some("application"));
    assert_eq!(attached.contents(), raw.as_bytes());
}

#[test]
fn forward_inline_quotes_the_original_below_a_forwarded_message_block() {
    let me = assistant();
    let original = Message { cc: vec![bare("colleague@customer.example")], ..original() };
    let mut f = forward_of(&original, ORIGINAL_RAW, &me, ForwardMode::Inline);
    f.note = Some("For you.".into());
    let mail = forward(&f).unwrap();

    assert_eq!(
        parse(&mail.raw).body_text(0).as_deref(),
        Some(
            "For you.\r\n\
             \r\n\
             ---------- Forwarded message ---------\r\n\
             From: Anna Rossi <anna@customer.example>\r\n\
             Date: Tue, 1 Jul 2025 10:00:00 +0200\r\n\
             Subject: Opening hours\r\n\
             To: assistant@office.example\r\n\
             Cc: colleague@customer.example\r\n\
             \r\n\
             When are you open on Saturdays?\r\n"
        )
    );
    assert!(!contains(&mail.raw, b"forged@evil.example"));
}

#[test]
fn a_text_read_only_in_part_is_forwarded_whole_and_attached_even_inline() {
    let me = assistant();
    let original = Message { text_cut: true, ..original() };
    let mail = forward(&forward_of(&original, ORIGINAL_RAW, &me, ForwardMode::Inline)).unwrap();
    let parsed = parse(&mail.raw);
    assert!(parsed.attachments().any(|a| a.is_message()), "the original travels attached");
    assert!(contains(&mail.raw, b"When are you open on Saturdays?"));
}

#[test]
fn an_original_already_in_crlf_without_control_headers_is_carried_as_is() {
    let raw = b"From: a@example.com\r\nSubject: x\r\n\r\nBody\r\n";
    assert!(matches!(strip_control_headers(raw), std::borrow::Cow::Borrowed(_)));
    assert!(matches!(crlf_bytes(raw), std::borrow::Cow::Borrowed(_)));
    assert!(matches!(crlf_bytes(b"a\nb"), std::borrow::Cow::Owned(_)));
}

#[test]
fn forward_inline_keeps_the_originals_attachments() {
    let (original, me) = (original(), assistant());
    let pdf: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let original_raw = MessageBuilder::new()
        .from(("Anna Rossi", "anna@customer.example"))
        .to("assistant@office.example")
        .subject("Invoice")
        .text_body("See attached.")
        .attachment("application/pdf", "fattura 12.pdf", pdf.as_slice())
        .attachment("text/plain", "note.txt", "Grüße")
        .write_to_vec()
        .unwrap();
    let mail = forward(&forward_of(&original, &original_raw, &me, ForwardMode::Inline)).unwrap();

    let parsed = parse(&mail.raw);
    let attachments: Vec<_> = parsed
        .attachments()
        .map(|a| {
            let ct = a.content_type().unwrap();
            (
                a.attachment_name().unwrap().to_owned(),
                format!("{}/{}", ct.ctype(), ct.subtype().unwrap()),
                a.contents().to_vec(),
            )
        })
        .collect();
    assert_eq!(
        attachments,
        [
            ("fattura 12.pdf".to_owned(), "application/pdf".to_owned(), pdf),
            ("note.txt".to_owned(), "text/plain".to_owned(), "Grüße".as_bytes().to_vec()),
        ]
    );
}

#[test]
fn forward_inline_of_unparseable_bytes_is_refused() {
    let (original, me) = (original(), assistant());
    let f = forward_of(&original, b"", &me, ForwardMode::Inline);

    assert_eq!(forward(&f), Err(ComposeError::OriginalUnreadable));
}

#[test]
fn forward_without_recipients_is_refused() {
    let (original, me) = (original(), assistant());
    let mut f = forward_of(&original, ORIGINAL_RAW, &me, ForwardMode::Attached);
    f.to.clear();

    assert_eq!(forward(&f), Err(ComposeError::NoRecipients));
}

#[test]
fn strip_control_headers_leaves_the_body_and_other_headers_untouched() {
    assert_eq!(strip_control_headers(ORIGINAL_RAW), ORIGINAL_WITHOUT_CLERK_HEADERS);
}
