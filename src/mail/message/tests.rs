//! Tests of parsing and normalising incoming mail.

use super::body::unflow;
use super::calendar::calendar_method;
use super::return_path::return_path;
use super::*;

fn parse(raw: &str) -> Message {
    match Message::parse(raw.as_bytes()) {
        Ok(message) => message,
        Err(e) => panic!("{e}"),
    }
}

const SIMPLE: &str = "Return-Path: <anna@example.com>\r\n\
    From: \"Rossi, Anna\" <Anna@Example.com>\r\n\
    To: assistant@office.example, Bob <bob@office.example>\r\n\
    Cc: team: carl@example.org, dora@example.org;\r\n\
    Reply-To: replies@example.com\r\n\
    Subject: =?utf-8?q?Orari_di_apertura?= =?utf-8?q?_=E2=80=94_domanda?=\r\n\
    Date: Tue, 3 Mar 2026 09:15:00 +0100\r\n\
    Message-ID: <abc.123@example.com>\r\n\
    In-Reply-To: <prev@office.example>\r\n\
    References: <first@example.com>\r\n <prev@office.example>\r\n\
    X-Mailer: Some\r\n  Client 1.0\r\n\
    List-Id: =?utf-8?q?Caf=C3=A9?= news <news.example.org>\r\n\
    Content-Type: text/plain; charset=utf-8; format=flowed\r\n\
    \r\n\
    Buongiorno, quali sono gli orari?\r\n";

#[test]
fn addresses_keep_display_names_and_groups_are_flattened() {
    let m = parse(SIMPLE);
    assert_eq!(m.from, vec![Address { name: Some("Rossi, Anna".into()), email: "Anna@Example.com".into() }]);
    let to: Vec<_> = m.to.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(to, ["assistant@office.example", "bob@office.example"]);
    let cc: Vec<_> = m.cc.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(cc, ["carl@example.org", "dora@example.org"]);
    assert_eq!(m.reply_to[0].email, "replies@example.com");
}

#[test]
fn subject_is_decoded() {
    assert_eq!(parse(SIMPLE).subject, "Orari di apertura — domanda");
}

#[test]
fn a_line_break_encoded_in_a_display_name_or_the_subject_becomes_a_space() {
    let m = parse(
        "From: =?utf-8?q?Anna=0D=0ABcc:_victim@evil.example?= <anna@client.example>\r\n\
         To: =?utf-8?q?Office=0A=09Assistant?= <assistant@office.example>\r\n\
         Cc: =?utf-8?q?Bruno=0DX?= <bruno@client.example>\r\n\
         Sender: =?utf-8?q?Se=00cretary?= <sec@client.example>\r\n\
         Reply-To: =?utf-8?q?Anna=0A?= <anna@client.example>\r\n\
         Subject: =?utf-8?q?opening=0D=0A_hours?=\r\n\r\nx\r\n",
    );
    assert_eq!(m.from[0].name.as_deref(), Some("Anna Bcc: victim@evil.example"));
    assert_eq!(m.to[0].name.as_deref(), Some("Office Assistant"));
    assert_eq!(m.cc[0].name.as_deref(), Some("Bruno X"));
    assert_eq!(m.sender.as_ref().and_then(|a| a.name.as_deref()), Some("Se cretary"));
    assert_eq!(m.reply_to[0].name.as_deref(), Some("Anna"));
    assert_eq!(m.subject, "opening hours");
}

#[test]
fn inner_white_space_of_a_subject_without_control_characters_is_kept() {
    assert_eq!(parse("Subject:  Two  spaces \n\nx\n").subject, "Two  spaces");
}

#[test]
fn a_reply_to_that_mail_cannot_be_sent_to_is_left_out_so_replies_go_to_from() {
    let m = parse("From: a@example.com\nReply-To: <anna@cli ent.example>\n\nx\n");
    assert!(m.reply_to.is_empty(), "{:?}", m.reply_to);
    assert_eq!(m.reply_target(), Some("a@example.com"));
}

#[test]
fn addresses_mail_cannot_be_sent_to_are_left_out_of_from_sender_to_and_cc() {
    let m = parse(
        "From: <<anna@client.example\nSender: \"x\" <jdoe@exa\u{1}mple.com>\n\
         To: assistant@office.example, t.keller@studio-keller.exam=\nCc: @, =?utf-8?q?b=0D=0A@x.example?=\n\nx\n",
    );
    assert!(m.from.is_empty(), "{:?}", m.from);
    assert_eq!(m.sender, None);
    assert_eq!(m.to.iter().map(|a| a.email.as_str()).collect::<Vec<_>>(), ["assistant@office.example"]);
    assert!(m.cc.is_empty(), "{:?}", m.cc);
    assert_eq!(m.reply_target(), None);
}

#[test]
fn a_return_path_mail_cannot_be_sent_to_gives_no_reply_target() {
    let m = parse("Return-Path: <_x@evil.example?=>\nFrom: a@example.com\n\nx\n");
    assert_eq!(m.reply_target(), None);
}

#[test]
fn ids_lose_their_angle_brackets() {
    let m = parse(SIMPLE);
    assert_eq!(m.message_id.as_deref(), Some("abc.123@example.com"));
    assert_eq!(m.in_reply_to, ["prev@office.example"]);
    assert_eq!(m.references, ["first@example.com", "prev@office.example"]);
}

#[test]
fn date_keeps_its_offset() {
    let date = parse(SIMPLE).date.expect("date");
    assert_eq!(date.to_rfc3339(), "2026-03-03T09:15:00+01:00");
}

#[test]
fn a_bad_date_is_none_not_an_error() {
    let m = parse("From: a@example.com\nDate: yesterday-ish\n\nhi\n");
    assert_eq!(m.date, None);
    let m = parse("From: a@example.com\nDate: Tue, 31 Feb 2026 10:00:00 +0000\n\nhi\n");
    assert_eq!(m.date, None);
}

#[test]
fn headers_keep_order_and_written_names_and_are_unfolded_and_decoded() {
    let m = parse(SIMPLE);
    let names: Vec<_> = m.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[..4], ["Return-Path", "From", "To", "Cc"]);
    assert!(names.contains(&"Message-ID"));
    assert_eq!(m.header("x-mailer"), Some("Some Client 1.0"));
    assert_eq!(m.header("LIST-ID"), Some("Café news <news.example.org>"));
    assert_eq!(m.header("References"), Some("<first@example.com> <prev@office.example>"));
    assert_eq!(m.header("X-Absent"), None);
}

#[test]
fn headers_named_yields_every_occurrence() {
    let m = parse("Received: one\nReceived: two\nFrom: a@example.com\n\nx\n");
    assert_eq!(m.headers_named("received").collect::<Vec<_>>(), ["one", "two"]);
}

#[test]
fn content_type_and_parameters_of_the_top_level_part() {
    let m = parse(SIMPLE);
    assert_eq!(m.content_type, "text/plain");
    assert!(m.content_type_params.contains(&("format".into(), "flowed".into())));
}

#[test]
fn missing_content_type_means_text_plain() {
    let m = parse("From: a@example.com\n\nhello\n");
    assert_eq!(m.content_type, "text/plain");
    assert_eq!(m.text, "hello\n");
}

#[test]
fn size_is_the_raw_length() {
    assert_eq!(parse(SIMPLE).size, SIMPLE.len());
}

#[test]
fn return_path_forms() {
    assert_eq!(return_path("<a@example.com>"), ReturnPath::Address("a@example.com".into()));
    assert_eq!(return_path("<>"), ReturnPath::Empty);
    assert_eq!(return_path(" < > "), ReturnPath::Empty);
    assert_eq!(return_path(""), ReturnPath::Empty);
    assert_eq!(return_path("a@example.com"), ReturnPath::Address("a@example.com".into()));
    assert_eq!(return_path("<@relay.example:a@example.com>"), ReturnPath::Address("a@example.com".into()));
}

#[test]
fn first_return_path_wins() {
    let m = parse("Return-Path: <>\nReturn-Path: <a@example.com>\nFrom: b@example.com\n\nx\n");
    assert_eq!(m.return_path, ReturnPath::Empty);
}

#[test]
fn reply_target_prefers_return_path_then_reply_to_then_from() {
    let m = parse(SIMPLE);
    assert_eq!(m.reply_target(), Some("anna@example.com"));
    let m = parse("From: a@example.com\nReply-To: r@example.com\n\nx\n");
    assert_eq!(m.reply_target(), Some("r@example.com"));
    let m = parse("From: a@example.com\n\nx\n");
    assert_eq!(m.reply_target(), Some("a@example.com"));
    let m = parse("Return-Path: <>\nFrom: a@example.com\n\nx\n");
    assert_eq!(m.reply_target(), None);
    let m = parse("Subject: nobody\n\nx\n");
    assert_eq!(m.reply_target(), None);
}

#[test]
fn empty_input_is_empty() {
    assert!(matches!(Message::parse(b""), Err(ParseError::Empty)));
    assert!(matches!(Message::parse(b" \r\n\n"), Err(ParseError::Empty)));
}

#[test]
fn input_without_a_header_is_malformed() {
    for raw in [
        &b"\x00\x01\x02\xff binary: junk"[..],
        b"Hello there, this is just text\n",
        b"\nFrom: after-a-blank-line@example.com\n\nx",
        b": no name\n\nx",
    ] {
        assert!(matches!(Message::parse(raw), Err(ParseError::Malformed(_))), "{raw:?}");
    }
}

#[test]
fn mbox_separator_and_byte_order_mark_are_skipped() {
    let m = parse("From someone@example.com Tue May 10 11:28:07 2005\nFrom: a@example.com\n\nx\n");
    assert_eq!(m.from[0].email, "a@example.com");
    let m = parse("\u{feff}From: a@example.com\n\nx\n");
    assert_eq!(m.from[0].email, "a@example.com");
}

#[test]
fn headers_only_message_without_final_newline() {
    let m = parse("From: a@example.com\nSubject: =?utf-8?q?caf=C3=A9?=");
    assert_eq!(m.subject, "café");
    assert_eq!(m.text, "");
}

#[test]
fn html_only_mail_becomes_readable_text() {
    let m = parse(
        "From: a@example.com\nContent-Type: text/html; charset=utf-8\n\n\
         <html><body><p>Hello&nbsp;there,</p><p>are you <b>open</b> on Sunday?</p></body></html>\n",
    );
    assert_eq!(m.text, "Hello there,\n\nare you open on Sunday?");
}

#[test]
fn plain_alternative_is_preferred_to_html() {
    let m = parse(
        "From: a@example.com\nContent-Type: multipart/alternative; boundary=b\n\n\
         --b\nContent-Type: text/plain\n\nplain words\n\
         --b\nContent-Type: text/html\n\n<p>html words</p>\n--b--\n",
    );
    assert_eq!(m.text.trim(), "plain words");
    assert!(m.attachments.is_empty(), "{:?}", m.attachments);
}

#[test]
fn a_blank_plain_alternative_falls_back_to_the_html() {
    let m = parse(
        "From: a@example.com\nContent-Type: multipart/alternative; boundary=b\n\n\
         --b\nContent-Type: text/plain\n\n \r\n\n\
         --b\nContent-Type: text/html\n\n<p>html words</p>\n--b--\n",
    );
    assert_eq!(m.text, "html words");
}

#[test]
fn flowed_text_is_joined_into_paragraphs() {
    let m = parse(
        "From: a@example.com\nContent-Type: text/plain; format=flowed\n\n\
         What are your opening \nhours on Saturday?\n\
         > quoted \n> line\n\
         -- \nAnna\n",
    );
    assert_eq!(m.text, "What are your opening hours on Saturday?\n> quoted line\n-- \nAnna\n");
}

#[test]
fn flowed_delsp_removes_the_marker_space() {
    assert_eq!(unflow("New Ev \nent, at 10 \nAM.\n", true), "New Event, at 10AM.\n");
    assert_eq!(unflow(" >not a quote\n", false), ">not a quote\n");
    assert_eq!(unflow("a \n> b\n", false), "a \n> b\n");
}

#[test]
fn attachments_have_name_type_and_decoded_size() {
    let m = parse(
        "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n\
         --b\nContent-Type: text/plain\n\nsee attached\n\
         --b\nContent-Type: Application/PDF; name=\"=?utf-8?q?fattura_n=C2=B01.pdf?=\"\n\
         Content-Transfer-Encoding: base64\nContent-Disposition: attachment\n\nJVBERi0xLjQK\n--b--\n",
    );
    assert_eq!(
        m.attachments,
        [Attachment { name: "fattura n°1.pdf".into(), content_type: "application/pdf".into(), size: 9 }]
    );
}

#[test]
fn calendar_method_comes_from_the_unfolded_method_line() {
    assert_eq!(
        calendar_method("BEGIN:VCALENDAR\r\nmeth\r\n od:request\r\nEND:VCALENDAR").as_deref(),
        Some("REQUEST")
    );
    assert_eq!(calendar_method("METHOD;X-A=1:Cancel\n").as_deref(), Some("CANCEL"));
    assert_eq!(calendar_method("BEGIN:VCALENDAR\nEND:VCALENDAR\n"), None);
}

#[test]
fn calendar_method_falls_back_to_the_content_type_parameter() {
    let m = parse(
        "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n\
         --b\nContent-Type: text/plain\n\nInvitation\n\
         --b\nContent-Type: text/calendar; method=reply; charset=utf-8\n\n\
         BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VEVENT\nEND:VCALENDAR\n--b--\n",
    );
    assert_eq!(m.calendars.len(), 1);
    assert_eq!(m.calendars[0].method.as_deref(), Some("REPLY"));
}

#[test]
fn an_ics_attachment_of_any_type_is_a_calendar_and_a_duplicate_is_listed_once() {
    let ics = "BEGIN:VCALENDAR\nMETHOD:REQUEST\nEND:VCALENDAR\n";
    let m = parse(&format!(
        "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n\
         --b\nContent-Type: text/calendar; charset=utf-8\n\n{ics}\
         --b\nContent-Type: application/octet-stream; name=invite.ICS\n\n{ics}--b--\n"
    ));
    assert_eq!(m.calendars.len(), 1);
    assert_eq!(m.calendars[0].method.as_deref(), Some("REQUEST"));
    assert_eq!(m.attachments.len(), 2);
}

#[test]
fn calendars_inside_an_attached_message_are_not_this_messages() {
    let m = parse(
        "From: MAILER-DAEMON@example.net\nContent-Type: multipart/mixed; boundary=b\n\n\
         --b\nContent-Type: text/plain\n\nreturned\n\
         --b\nContent-Type: message/rfc822\n\nFrom: x@example.com\nContent-Type: text/calendar\n\n\
         BEGIN:VCALENDAR\nMETHOD:REQUEST\nEND:VCALENDAR\n--b--\n",
    );
    assert!(m.calendars.is_empty());
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].content_type, "message/rfc822");
}

#[test]
fn address_is_ignores_case() {
    let a = Address { name: None, email: "Anna.Rossi@Example.COM".into() };
    assert!(a.is("anna.rossi@example.com"));
    assert!(!a.is("anna@example.com"));
    assert_eq!(a.domain(), Some("Example.COM"));
    assert_eq!(a.local_part(), "Anna.Rossi");
    let bare = Address { name: None, email: "MAILER-DAEMON".into() };
    assert_eq!(bare.domain(), None);
    assert_eq!(bare.local_part(), "MAILER-DAEMON");
}

#[test]
fn address_display_quotes_names_only_when_needed() {
    let show = |name: Option<&str>, email: &str| {
        Address { name: name.map(str::to_owned), email: email.into() }.to_string()
    };
    assert_eq!(show(None, "a@example.com"), "a@example.com");
    assert_eq!(show(Some("Anna Rossi"), "a@example.com"), "Anna Rossi <a@example.com>");
    assert_eq!(show(Some("Rossi, Anna"), "a@example.com"), "\"Rossi, Anna\" <a@example.com>");
    assert_eq!(show(Some("A \"B\" C."), "a@example.com"), "\"A \\\"B\\\" C.\" <a@example.com>");
    assert_eq!(show(Some("  "), "a@example.com"), "a@example.com");
}

#[test]
fn text_with_a_missing_charset_label_is_guessed() {
    // "Привет, мир" in KOI8-R, no charset declared.
    let mut raw = b"From: a@example.com\nSubject: x\n\n".to_vec();
    raw.extend_from_slice(b"\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2! \xf0\xd2\xc9\xd7\xc5\xd4!\n");
    let m = Message::parse(&raw).expect("parses");
    assert!(m.text.contains("Привет, мир"), "{}", m.text);
}

#[test]
fn a_text_longer_than_the_limit_is_cut_and_says_so() {
    let mut raw =
        b"From: a@example.com\r\nSubject: long\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".to_vec();
    while raw.len() < TEXT_LIMIT + 500_000 {
        raw.extend_from_slice("Una riga di testo è lunga così.\r\n".as_bytes());
    }
    let m = Message::parse(&raw).expect("parses");
    assert!(m.text_cut);
    assert!(m.text.len() <= TEXT_LIMIT && m.text.len() > TEXT_LIMIT - 100, "{}", m.text.len());
}

#[test]
fn a_long_html_only_mail_is_read_in_part_and_says_so() {
    let mut raw =
        b"From: a@example.com\r\nSubject: long\r\nContent-Type: text/html\r\n\r\n<html><body>".to_vec();
    while raw.len() < 5 * TEXT_LIMIT {
        raw.extend_from_slice(b"<p><b>Hello</b> <i>there</i></p>\r\n");
    }
    let m = Message::parse(&raw).expect("parses");
    assert!(m.text_cut);
    assert!(m.text.starts_with("Hello there"), "{}", &m.text[..40]);
}

#[test]
fn a_text_within_the_limit_is_whole() {
    let m = Message::parse(b"From: a@example.com\r\nSubject: short\r\n\r\nHello.\r\n").expect("parses");
    assert!(!m.text_cut);
}

#[test]
fn a_long_flowed_text_is_cut_and_says_so_though_unflowing_shortens_it() {
    let mut raw = b"From: a@example.com\r\nSubject: long\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n".to_vec();
    while raw.len() < TEXT_LIMIT + 100_000 {
        raw.extend_from_slice(b"a flowed line that goes on \r\n");
    }
    let m = Message::parse(&raw).expect("parses");
    assert!(m.text_cut);
}
