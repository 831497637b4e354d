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

use support::clerk::{ASSISTANT, Clerk, Office, PASSWORD, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);
const CHIARA: &str = "chiara@office.test";

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

[[staff]]
name = "Bob Bianchi"
address = "bob@office.test"
groups = ["design"]
"#;

fn office() -> (Dovecot, SmtpSink, Office, Clerk) {
    let mut users = office_users();
    users.push((CHIARA, PASSWORD));
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
