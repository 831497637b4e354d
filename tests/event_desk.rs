//! The event desk against real servers: the organiser writes to the assistant's mailbox in a
//! private Dovecot, clerk runs as a process, and its answers are read from the organiser's own
//! mailbox, delivered there by a real SMTP server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, CUSTOMER, Clerk, Office, PASSWORD, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);
const CHIARA: &str = "chiara@office.test";
const BOB: &str = "bob@office.test";
const ENZO: &str = "eventi@daenzo.test";

const RULES: &str = r#"
[[rule]]
name = "events"
when.from = "chiara@office.test"
when.text = { any = ["dinner", "cena", "workshop", "party", "festa"] }
desk = "event"
"#;

const EVENTS: &str = r#"
[events]
organisers = ["chiara@office.test"]

[[calendar]]
name = "office"
owner = "owner@office.test"

[[room]]
name = "Sala Grande"
capacity = 30

[[venue]]
name = "Trattoria da Enzo"
address = "eventi@daenzo.test"
capacity = 40
price_per_person = "30.00"
language = "it"

[[staff]]
name = "Bob Bianchi"
address = "bob@office.test"
groups = ["design"]
"#;

fn office() -> (Dovecot, SmtpSink, Office, Clerk) {
    let mut users = office_users();
    users.push((CHIARA, PASSWORD));
    users.push((BOB, PASSWORD));
    users.push((ENZO, PASSWORD));
    let dovecot = Dovecot::start(&users);
    let sink = SmtpSink::start_relaying_to(&dovecot);
    let office = Office::new(&dovecot, &sink, RULES, "");
    let office_toml = office.dir.path().join("rules/office.toml");
    let text = std::fs::read_to_string(&office_toml).unwrap();
    std::fs::write(&office_toml, format!("{text}{EVENTS}")).unwrap();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "clerk did not start watching:\n{}", clerk.log());
    (dovecot, sink, office, clerk)
}

fn mail(subject: &str, id: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Chiara Neri <{CHIARA}>\r\nTo: Test Office <{ASSISTANT}>\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Mon, 07 Dec 2026 10:00:00 +0100\r\n{extra}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn parse(raw: &[u8]) -> clerk::mail::message::Message {
    clerk::mail::message::Message::parse(raw).expect("clerk's mail parses")
}

#[test]
fn events_in_words_in_english_and_italian_are_echoed_completed_in_the_thread_and_listed() {
    let (dovecot, _sink, office, clerk) = office();

    dovecot.deliver(
        ASSISTANT,
        &mail(
            "Christmas dinner",
            "en1@office.test",
            "",
            "Hi,\n\nlet's organise the Christmas dinner on Friday 18 December at 8pm, 3 vegetarians.\n\nChiara",
        ),
    );
    let english = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 1, WAIT)[0]);
    assert_eq!(english.subject, "Re: Christmas dinner [EV-2026-0001]", "{}", clerk.log());
    assert!(
        english
            .text
            .contains("I read this as: Christmas dinner, Fri 18 Dec 2026 20:00, dinner, 3 vegetarian."),
        "{}",
        english.text
    );
    assert!(english.text.contains("for how many people"), "{}", english.text);
    assert!(english.text.contains("whom to invite"), "{}", english.text);
    assert!(!english.text.contains("which day"), "{}", english.text);

    dovecot.deliver(
        ASSISTANT,
        &mail(
            "Festa di fine anno",
            "it1@office.test",
            "",
            "Ciao,\n\norganizziamo la festa di fine anno per una trentina di persone, con aperitivo. Invita il gruppo design.\n\nChiara",
        ),
    );
    let italian = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 2, WAIT)[1]);
    assert!(italian.subject.ends_with("[EV-2026-0002]"), "{}", italian.subject);
    assert!(italian.text.contains("Ho letto la richiesta così:"), "{}", italian.text);
    assert!(italian.text.contains("circa 30 persone"), "{}", italian.text);
    assert!(italian.text.contains("quale giorno"), "{}", italian.text);
    assert!(!italian.text.contains("per quante persone"), "{}", italian.text);
    assert!(italian.text.contains("Trattoria da Enzo"), "{}", italian.text);

    // The English one completed in its thread: no event words, found by the answer's Message-ID.
    let answer_id = english.message_id.clone().unwrap();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            &format!("Re: {}", english.subject),
            "en2@office.test",
            &format!("In-Reply-To: <{answer_id}>\r\nReferences: <en1@office.test> <{answer_id}>\r\n"),
            "We'll be 25 people, please invite everyone in the office.\n\n> I read this as: Christmas dinner",
        ),
    );
    let completed = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 3, WAIT)[2]);
    assert!(completed.text.contains("I have updated event EV-2026-0001"), "{}", completed.text);
    assert!(completed.text.contains("25 people"), "{}", completed.text);
    assert!(!completed.text.contains("I still need"), "{}", completed.text);
    assert!(
        completed.text.contains("Sala Grande (our room, 30 seats, free at that time)"),
        "{}",
        completed.text
    );

    let (ok, listed) = office.command(&["events"]);
    assert!(ok, "{listed}");
    let first = listed.lines().find(|l| l.starts_with("EV-2026-0001")).unwrap_or_default();
    assert!(
        first.contains("planning") && first.contains("25") && first.contains("Christmas dinner"),
        "{listed}"
    );
    let second = listed.lines().find(|l| l.starts_with("EV-2026-0002")).unwrap_or_default();
    assert!(second.contains("asking") && second.contains("~30") && second.contains("day"), "{listed}");
    let (ok, shown) = office.command(&["event", "EV-2026-0002"]);
    assert!(ok, "{shown}");
    assert!(shown.contains("bob@office.test") && shown.contains("no answer yet"), "{shown}");
}

/// The calendar part of an iMIP mail, unfolded.
fn calendar_of(raw: &[u8]) -> String {
    let msg = parse(raw);
    let part = msg.calendars.first().expect("the mail carries a calendar");
    part.text.replace("\r\n ", "").replace("\r\n", "\n")
}

#[test]
fn guests_imip_and_plain_word_answers_are_counted() {
    let (dovecot, _sink, office, clerk) = office();

    dovecot.deliver(
        ASSISTANT,
        &mail(
            "Christmas dinner",
            "g1@office.test",
            "",
            "Hi,\n\nthe Christmas dinner is on Friday 18 December from 8pm to 11pm, 25 people. \
             Please invite bob@office.test and anna@example.test.\n\nChiara",
        ),
    );
    let reading = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 1, WAIT)[0]);
    assert!(reading.text.contains("reply \"send the invitations\""), "{}\n{}", reading.text, clerk.log());

    // "Not yet" sends nothing; the plain command in the thread sends one invitation per guest.
    let answer_id = reading.message_id.clone().unwrap();
    let thread = format!("In-Reply-To: <{answer_id}>\r\nReferences: <g1@office.test> <{answer_id}>\r\n");
    dovecot.deliver(
        ASSISTANT,
        &mail(
            &format!("Re: {}", reading.subject),
            "g2@office.test",
            &thread,
            "Perfect, send the invitations.",
        ),
    );
    let sent = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 2, WAIT)[1]);
    assert!(sent.text.contains("I have sent the invitations to Christmas dinner to"), "{}", sent.text);
    let to_bob = dovecot.wait_for_messages(BOB, "INBOX", 1, WAIT).remove(0);
    let to_anna = dovecot.wait_for_messages(CUSTOMER, "INBOX", 1, WAIT).remove(0);
    let calendar = calendar_of(&to_bob);
    assert!(calendar.contains("METHOD:REQUEST"), "{calendar}");
    assert!(calendar.contains("UID:ev-2026-0001@office.test"), "{calendar}");
    assert!(calendar.contains("SENT-BY=\"mailto:chiara@office.test\""), "{calendar}");
    assert!(calendar.contains("RSVP=TRUE") && calendar.contains("mailto:bob@office.test"), "{calendar}");
    assert!(!calendar.contains("anna@example.test"), "one invitation per guest: {calendar}");
    let (ok, shown) = office.command(&["event", "EV-2026-0001"]);
    assert!(ok && shown.contains("0 yes/0 no/2 waiting"), "{shown}");

    // Bob answers with his calendar's button: an iMIP REPLY.
    let start = calendar.lines().find(|l| l.starts_with("DTSTART")).unwrap();
    let end = calendar.lines().find(|l| l.starts_with("DTEND")).unwrap();
    let reply = format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\nVERSION:2.0\r\n\
         METHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:ev-2026-0001@office.test\r\nSEQUENCE:0\r\n\
         DTSTAMP:20261207T120000Z\r\n{start}\r\n{end}\r\nSUMMARY:Christmas dinner\r\n\
         ORGANIZER;CN=Test Assistant:mailto:{ASSISTANT}\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob Bianchi:mailto:{BOB}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let bob_reply = format!(
        "From: Bob Bianchi <{BOB}>\r\nTo: {ASSISTANT}\r\nSubject: Accepted: Christmas dinner\r\n\
         Message-ID: <bob-reply@office.test>\r\nDate: Mon, 07 Dec 2026 12:00:00 +0100\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/calendar; charset=UTF-8; method=REPLY\r\n\r\n{reply}"
    );
    dovecot.deliver(ASSISTANT, bob_reply.as_bytes());

    // Anna answers the invitation in words, with her diet.
    let invitation = parse(&to_anna);
    let invitation_id = invitation.message_id.clone().unwrap();
    let anna_reply = format!(
        "From: Anna Rossi <{CUSTOMER}>\r\nTo: {ASSISTANT}\r\nSubject: Re: {}\r\nMessage-ID: <anna-reply@example.test>\r\n\
         In-Reply-To: <{invitation_id}>\r\nReferences: <{invitation_id}>\r\nDate: Mon, 07 Dec 2026 12:05:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Yes, I'll come! I'm vegetarian, by the way.\r\n\r\nAnna\r\n\r\n> {} invites you\r\n",
        invitation.subject, "Chiara Neri"
    );
    dovecot.deliver(ASSISTANT, anna_reply.as_bytes());

    let mut shown = String::new();
    let counted = support::wait_until(WAIT, || {
        shown = office.command(&["event", "EV-2026-0001"]).1;
        shown.contains("2 yes/0 no/0 waiting")
    });
    assert!(counted, "{shown}\n{}", clerk.log());
    let bob = shown.lines().find(|l| l.contains(BOB)).unwrap();
    assert!(bob.contains("comes"), "{shown}");
    let anna = shown.lines().find(|l| l.contains(CUSTOMER)).unwrap();
    assert!(anna.contains("comes, vegetarian"), "{shown}");
    let (ok, listed) = office.command(&["events"]);
    assert!(ok && listed.contains("2 yes/0 no/0 waiting"), "{listed}");

    // The command again invites no one twice.
    dovecot.deliver(
        ASSISTANT,
        &mail(&format!("Re: {}", reading.subject), "g3@office.test", &thread, "Please send the invitations."),
    );
    let again = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 3, WAIT)[2]);
    assert!(again.text.contains("had their invitation already"), "{}", again.text);
    assert_eq!(dovecot.messages(BOB, "INBOX").len(), 1);
}

const CATERER: &str = "ordini@buffetroma.test";

/// The office of [`office`] with an Italian caterer; clerk starts again to read it.
fn office_with_a_caterer() -> (Dovecot, SmtpSink, Office, Clerk) {
    let (dovecot, sink, office, mut clerk) = office();
    clerk.stop();
    let office_toml = office.dir.path().join("rules/office.toml");
    let text = std::fs::read_to_string(&office_toml).unwrap();
    let caterer = format!(
        "\n[[caterer]]\nname = \"Buffet Roma\"\naddress = \"{CATERER}\"\nlanguage = \"it\"\n\
         price_per_person = \"18.00\"\n[[caterer.menu]]\nname = \"Cena di Natale\"\nmeal = \"dinner\"\n\
         price_per_person = \"35.00\"\n"
    );
    std::fs::write(&office_toml, format!("{text}{caterer}")).unwrap();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "clerk did not start watching:\n{}", clerk.log());
    (dovecot, sink, office, clerk)
}

/// The mails the caterer received, as it reads them.
fn to_the_caterer(sink: &SmtpSink) -> Vec<clerk::mail::message::Message> {
    sink.received()
        .iter()
        .filter(|r| r.rcpt_tos.iter().any(|t| t == CATERER))
        .map(|r| parse(&r.raw))
        .collect()
}

/// Chiara asks for a dinner for 20 with 3 vegetarians in the Sala Grande and, shown the proposal,
/// orders the catering in the thread. Returns the proposal, the answer to the order and the order.
fn catering_ordered(
    dovecot: &Dovecot,
    sink: &SmtpSink,
    clerk: &Clerk,
) -> (clerk::mail::message::Message, clerk::mail::message::Message, clerk::mail::message::Message) {
    dovecot.deliver(
        ASSISTANT,
        &mail(
            "Christmas dinner",
            "cat1@office.test",
            "",
            "Hi,\n\nChristmas dinner on Friday 18 December at 8pm in the Sala Grande, 20 people, 3 vegetarians. \
             Please invite everyone in the office.\n\nChiara",
        ),
    );
    let proposal = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 1, WAIT)[0]);
    let id = proposal.message_id.clone().unwrap();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            &format!("Re: {}", proposal.subject),
            "cat2@office.test",
            &format!("In-Reply-To: <{id}>\r\nReferences: <cat1@office.test> <{id}>\r\n"),
            "Looks good, order the catering.\n\nChiara",
        ),
    );
    let answer = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 2, WAIT)[1]);
    assert!(support::wait_until(WAIT, || to_the_caterer(sink).len() == 1), "{}", clerk.log());
    (proposal, answer, to_the_caterer(sink).remove(0))
}

#[test]
fn a_catering_order_with_the_counted_headcount() {
    let (dovecot, sink, office, clerk) = office_with_a_caterer();
    let (proposal, answer, order) = catering_ordered(&dovecot, &sink, &clerk);

    assert!(proposal.text.contains("I can order from Buffet Roma for 20 people"), "{}", proposal.text);
    assert!(proposal.text.contains("\"Cena di Natale\", EUR 35.00 per person"), "{}", proposal.text);
    assert!(proposal.text.contains("cost: EUR 700.00 for 20 people"), "{}", proposal.text);
    assert!(proposal.text.contains("reply \"order the catering\""), "{}", proposal.text);
    assert!(answer.text.contains("I have sent the order to Buffet Roma for 20 people"), "{}", answer.text);

    // To the caterer, in its language, with the event's number, time, place and counted diets.
    assert!(order.subject.starts_with("Ordine catering EV-2026-0001"), "{}", order.subject);
    for expected in
        ["venerdì 18 dicembre 2026", "20:00", "Sala Grande", "Persone:  20", "3 vegetariani", "EUR 700,00"]
    {
        assert!(order.text.contains(expected), "{expected}:\n{}", order.text);
    }

    let (ok, shown) = office.command(&["event", "EV-2026-0001"]);
    assert!(ok, "{shown}");
    assert!(shown.contains("catering:   Buffet Roma, ordered, 20 people, EUR 700.00"), "{shown}");
}

#[test]
fn a_headcount_change_sent_to_the_caterer() {
    let (dovecot, sink, office, clerk) = office_with_a_caterer();
    let (_, answer, order) = catering_ordered(&dovecot, &sink, &clerk);
    let id = answer.message_id.clone().unwrap();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            &format!("Re: {}", answer.subject),
            "cat3@office.test",
            &format!("In-Reply-To: <{id}>\r\nReferences: <cat1@office.test> <{id}>\r\n"),
            "We'll be 24 people now.\n\nChiara",
        ),
    );
    let told = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 3, WAIT)[2]);
    assert!(
        told.text.contains("I have sent Buffet Roma the new number of people, 24 (it was 20)"),
        "{}",
        told.text
    );
    assert!(support::wait_until(WAIT, || to_the_caterer(&sink).len() == 2), "{}", clerk.log());
    let amended = to_the_caterer(&sink).remove(1);
    assert_eq!(
        amended.in_reply_to,
        order.message_id.into_iter().collect::<Vec<_>>(),
        "in the order's thread"
    );
    assert!(
        amended.subject.starts_with("Nuovo numero di persone: Ordine catering EV-2026-0001"),
        "{}",
        amended.subject
    );
    assert!(amended.text.contains("ora sono 24 (erano 20)"), "{}", amended.text);
    assert!(amended.text.contains("EUR 840,00"), "{}", amended.text);

    let (ok, shown) = office.command(&["event", "EV-2026-0001"]);
    assert!(ok, "{shown}");
    assert!(shown.contains("catering:   Buffet Roma, amended, 24 people, EUR 840.00"), "{shown}");
}

#[test]
fn an_external_venue_is_asked_and_confirmed_by_mail() {
    let (dovecot, _sink, office, clerk) = office();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            "Christmas dinner",
            "v1@office.test",
            "",
            "Hi,\n\nlet's have the Christmas dinner at Trattoria da Enzo on Friday 18 December from 20:00 to 23:00 \
             for 25 people. Please invite the design team.\n\nChiara",
        ),
    );
    // The venue is asked in its language (Italian), the organiser told so.
    let asked = parse(&dovecot.wait_for_messages(ENZO, "INBOX", 1, WAIT)[0]);
    assert!(asked.subject.starts_with("Disponibilità e preventivo: Christmas dinner"), "{}", clerk.log());
    assert!(asked.subject.ends_with("[EV-2026-0001]"), "{}", asked.subject);
    assert!(asked.text.contains("dalle 20:00 alle 23:00, per 25 persone"), "{}", asked.text);
    let told = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 1, WAIT)[0]);
    assert!(told.text.contains("I have written to Trattoria da Enzo"), "{}", told.text);

    // The venue answers in the thread, with its own price and an option.
    let request_id = asked.message_id.clone().unwrap();
    let answer = format!(
        "From: Trattoria da Enzo <{ENZO}>\r\nTo: <{ASSISTANT}>\r\nSubject: Re: {}\r\nMessage-ID: <enzo1@daenzo.test>\r\n\
         In-Reply-To: <{request_id}>\r\nReferences: <{request_id}>\r\nDate: Mon, 07 Dec 2026 15:00:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Buongiorno,\r\n\r\nsiamo lieti di ospitarvi venerdì 18 dicembre. Il menù di Natale costa 35,00 euro a persona, \
         bevande incluse. Teniamo l'opzione fino al 14 dicembre.\r\n\r\nCordiali saluti\r\nEnzo\r\n\r\n> {}\r\n",
        asked.subject,
        asked.text.lines().next().unwrap_or_default()
    );
    dovecot.deliver(ASSISTANT, answer.as_bytes());
    let passed = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 2, WAIT)[1]);
    assert!(
        passed.text.contains("The cost for 25 people is EUR 875.00 (EUR 35.00 per person)."),
        "{}\n{}",
        passed.text,
        clerk.log()
    );
    assert!(passed.text.contains("siamo lieti di ospitarvi"), "their message goes along: {}", passed.text);

    // The organiser confirms in the thread of what she was passed; the venue gets the confirmation.
    let passed_id = passed.message_id.clone().unwrap();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            &format!("Re: {}", passed.subject),
            "v2@office.test",
            &format!("In-Reply-To: <{passed_id}>\r\nReferences: <{passed_id}>\r\n"),
            "Perfect, please confirm.\n\nChiara\n\n> Trattoria da Enzo answered about event EV-2026-0001",
        ),
    );
    let confirmed = parse(&dovecot.wait_for_messages(ENZO, "INBOX", 2, WAIT)[1]);
    assert!(
        confirmed.subject.starts_with("Conferma prenotazione: Christmas dinner"),
        "{}",
        confirmed.subject
    );
    assert!(confirmed.text.contains("a EUR 35,00 a persona (EUR 875,00 in tutto)"), "{}", confirmed.text);
    assert_eq!(confirmed.in_reply_to, vec!["enzo1@daenzo.test".to_owned()]);
    let done = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 3, WAIT)[2]);
    assert!(done.text.contains("I have confirmed Trattoria da Enzo for Fri 18 Dec 2026"), "{}", done.text);

    let (ok, shown) = office.command(&["event", "EV-2026-0001"]);
    assert!(ok, "{shown}");
    assert!(shown.contains("Trattoria da Enzo, Fri 18 Dec 2026: confirmed, EUR 875.00"), "{shown}");
}

/// The body of `feed` (`calendar:office`, `events`), its long lines unfolded.
fn feed(office: &Office, port: u16, name: &str) -> String {
    feed_as_served(office, port, name).replace("\r\n ", "")
}

/// The body of `feed` as a subscriber gets it, found by its link in `clerk feeds`.
fn feed_as_served(office: &Office, port: u16, feed: &str) -> String {
    let (ok, out) = office.command(&["feeds"]);
    assert!(ok, "clerk feeds failed:\n{out}");
    let mut lines = out.lines().skip_while(|line| !line.starts_with(&format!("{feed} ")));
    let link = lines.nth(1).unwrap_or_else(|| panic!("no link for {feed} in:\n{out}")).trim();
    let path = link.strip_prefix(&format!("http://127.0.0.1:{port}")).unwrap_or(link);
    let response = support::process::http_get(port, path);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default()
}

#[test]
fn an_event_in_words_is_in_its_calendars_feed_and_the_events_feed_and_a_new_day_replaces_it() {
    let (dovecot, _sink, office, mut clerk) = office();
    // The feeds are served with [http] listen, read at start: clerk starts again with it. The
    // past reaches back far enough for December 2026 to stay in the feeds.
    clerk.stop();
    let port = support::free_port();
    office.append_config(&format!("[http]\nlisten = \"127.0.0.1:{port}\"\n\n[feeds]\npast = \"3650d\"\n"));
    let clerk = office.start();
    assert!(clerk.wait_for_log("calendar feeds", WAIT), "clerk did not start serving:\n{}", clerk.log());

    dovecot.deliver(
        ASSISTANT,
        &mail(
            "Christmas dinner",
            "feed1@office.test",
            "",
            "Hi,\n\nthe Christmas dinner is on Friday 18 December from 8pm to 11pm, for 25 people: please invite everyone in the office.\n\nChiara",
        ),
    );
    let answer = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 1, WAIT)[0]);
    assert!(
        answer.text.contains("I have put it in the office calendar, as tentative until it is confirmed."),
        "{}\n{}",
        answer.text,
        clerk.log()
    );
    for name in ["calendar:office", "events"] {
        // The feeds are rendered again within a second of a change.
        let shown = support::wait_until(WAIT, || feed(&office, port, name).contains("BEGIN:VEVENT"));
        let body = feed(&office, port, name);
        assert!(shown, "{name} never showed the event:\n{body}");
        assert_eq!(body.matches("BEGIN:VEVENT").count(), 1, "{name}:\n{body}");
        assert!(body.contains("UID:ev-2026-0001@office.test"), "{name}:\n{body}");
        assert!(body.contains("SUMMARY:Christmas dinner"), "{name}:\n{body}");
        assert!(body.contains("DTSTART;TZID=Europe/Rome:20261218T200000"), "{name}:\n{body}");
        assert!(body.contains("DTEND;TZID=Europe/Rome:20261218T230000"), "{name}:\n{body}");
        assert!(body.contains("STATUS:TENTATIVE"), "{name}:\n{body}");
        assert!(body.contains("DESCRIPTION:Event EV-2026-0001"), "{name}:\n{body}");
        assert!(!body.contains("chiara@office.test"), "a feed names no one: {body}");
    }
    assert!(feed(&office, port, "events").contains("X-WR-CALNAME:Events · Test Office"));

    let answer_id = answer.message_id.clone().unwrap();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            &format!("Re: {}", answer.subject),
            "feed2@office.test",
            &format!("In-Reply-To: <{answer_id}>\r\nReferences: <feed1@office.test> <{answer_id}>\r\n"),
            "Change of plan: let's make it Saturday 19 December.\n\n> I read this as: Christmas dinner",
        ),
    );
    let moved = parse(&dovecot.wait_for_messages(CHIARA, "INBOX", 2, WAIT)[1]);
    assert!(moved.text.contains("I have updated it in the office calendar"), "{}", moved.text);
    for name in ["calendar:office", "events"] {
        let shown = support::wait_until(WAIT, || {
            feed(&office, port, name).contains("DTSTART;TZID=Europe/Rome:20261219T200000")
        });
        let body = feed(&office, port, name);
        assert!(shown, "{name} never showed the new day:\n{body}");
        assert_eq!(body.matches("BEGIN:VEVENT").count(), 1, "replaced, not added: {name}:\n{body}");
        assert!(body.contains("SEQUENCE:1"), "{name}:\n{body}");
    }
    let (ok, shown) = office.command(&["event", "EV-2026-0001"]);
    assert!(ok && shown.contains("calendar:   office, tentative"), "{shown}");

    // A real iCalendar reader (python3-icalendar) takes the events feed as written.
    let file = office.dir.path().join("events.ics");
    std::fs::write(&file, feed_as_served(&office, port, "events")).unwrap();
    let read = std::process::Command::new(support::smtp_sink::PYTHON)
        .arg("-c")
        .arg(
            "import sys, icalendar\n\
             cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
             for e in cal.walk('VEVENT'):\n    \
             print(e.get('UID'), e.decoded('DTSTART').isoformat(), e.get('STATUS'), e.get('DESCRIPTION').splitlines()[0])",
        )
        .arg(&file)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&read.stdout);
    assert!(read.status.success(), "{out}{}", String::from_utf8_lossy(&read.stderr));
    assert_eq!(
        out.trim(),
        "ev-2026-0001@office.test 2026-12-19T20:00:00+01:00 TENTATIVE Event EV-2026-0001, being planned (tentative)."
    );
}
