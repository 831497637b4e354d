//! The event desk as a pure function: each message classified by the rules, run through the desks
//! against a store that holds what the earlier messages left, and its planning change stored as the
//! intake would.

use chrono::{DateTime, TimeZone, Utc};

use crate::actions::NoHistory;
use crate::calendar::event::{Event, EventStatus};
use crate::effects::{Effect, MailKind};
use crate::mail::message::Message;
use crate::planning::{EventNumber, EventState, PlanningChange};
use crate::rules::RuleSet;
use crate::rules::tests::{Dir, OFFICE};
use crate::store::Store;

mod catering;

const EVENTS: &str = r#"
[events]
organisers = ["chiara@office.example"]

[[calendar]]
name = "office"
owner = "giulia@office.example"

[[room]]
name = "Sala Verde"
capacity = 8

[[room]]
name = "Sala Grande"
capacity = 30

[[venue]]
name = "Trattoria da Enzo"
address = "eventi@daenzo.example"
capacity = 40

[[venue]]
name = "Osteria Piccola"
address = "info@piccola.example"
capacity = 12

[[staff]]
name = "Bob Bianchi"
address = "bob@office.example"
groups = ["design"]

[[staff]]
name = "Anna Neri"
address = "anna@office.example"
groups = ["design"]

[[staff]]
name = "Luca Gallo"
address = "luca@office.example"
groups = ["accounts"]
"#;

const RULES: &str = r#"
[[rule]]
name = "events"
when.subject = { any = ["dinner", "cena", "workshop", "party", "event"] }
desk = "event"
"#;

fn office() -> (Dir, RuleSet) {
    let dir = Dir::new();
    dir.write("office.toml", &format!("{OFFICE}\n{EVENTS}"));
    dir.write("10.rules.toml", RULES);
    let set = dir.load();
    (dir, set)
}

/// Monday 7 December 2026, 10:00 in Rome.
fn now() -> DateTime<Utc> {
    chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap().with_timezone(&Utc)
}

fn mail(from: &str, subject: &str, id: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Chiara Neri <{from}>\r\nTo: assistant@office.example\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0100\r\n{headers}\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// What one message did.
struct Handled {
    effects: Vec<Effect>,
    notes: Vec<String>,
}

impl Handled {
    /// The mail of `kind`, as its recipient reads it.
    fn sent(&self, kind: MailKind) -> Vec<Message> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send { kind: k, mail, .. } if *k == kind => Some(Message::parse(&mail.raw).unwrap()),
                _ => None,
            })
            .collect()
    }

    /// The one answer to the organiser.
    fn answer(&self) -> Message {
        let mut replies = self.sent(MailKind::Reply);
        assert_eq!(replies.len(), 1, "one answer: {:?}", self.notes);
        replies.remove(0)
    }

    fn change(&self) -> Option<&PlanningChange> {
        self.effects.iter().find_map(|e| match e {
            Effect::Planning(change) => Some(&**change),
            _ => None,
        })
    }
}

/// Runs `raw` through the rules and the desks against `store` (and `calendars`), then stores its
/// planning change.
fn handle(rules: &RuleSet, store: &mut Store, raw: &[u8]) -> Handled {
    let msg = Message::parse(raw).unwrap();
    let hash = crate::digest::sha256_hex(raw);
    let incoming = crate::desks::Incoming { msg: &msg, raw, content_hash: &hash, now: now() };
    let views =
        crate::desks::Views { calendars: &*store, tickets: &*store, supply: &*store, planning: &*store };
    let decision = crate::handling::decide(rules, &incoming, &views, &mut NoHistory).unwrap();
    let handled = Handled { effects: decision.effects, notes: decision.notes };
    if let Some(change) = handled.change() {
        store.put_planning(change).unwrap();
    }
    handled
}

const FIRST: EventNumber = EventNumber { year: 2026, sequence: 1 };

#[test]
fn a_request_is_recorded_and_echoed_as_read() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "chiara@office.example",
        "Christmas dinner",
        "req@office.example",
        "",
        "Hi, let's organise the Christmas dinner on Friday 18 December from 8pm to 11pm for 25 people, \
         3 of them vegetarian. Please invite the design team.",
    );
    let handled = handle(&rules, &mut store, &raw);
    let answer = handled.answer();
    assert_eq!(answer.subject, "Re: Christmas dinner [EV-2026-0001]");
    assert!(
        answer.text.contains("I read this as: Christmas dinner, Fri 18 Dec 2026 20:00–23:00, 25 people, dinner, 3 vegetarian, the design group, 2 guests on the list."),
        "{}",
        answer.text
    );
    assert!(!answer.text.contains("still need"), "nothing is missing: {}", answer.text);
    let event = store.planned_event(FIRST).unwrap().unwrap();
    assert_eq!(event.state, EventState::Planning);
    assert_eq!(event.organiser, "chiara@office.example");
    let guests: Vec<&str> = event.guests.iter().map(|g| g.address.as_str()).collect();
    assert_eq!(guests, ["bob@office.example", "anna@office.example"]);
    assert!(event.guests.iter().all(|g| g.answer.is_none()));
}

#[test]
fn only_what_is_missing_is_asked() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "chiara@office.example",
        "Cena di Natale",
        "req@office.example",
        "",
        "Organizziamo la cena di Natale per 25 persone, venerdì 18 dicembre.",
    );
    let answer = handle(&rules, &mut store, &raw).answer();
    assert!(
        answer.text.contains("Ho letto la richiesta così: Cena di Natale, ven 18 dic 2026, 25 persone"),
        "{}",
        answer.text
    );
    assert!(answer.text.contains("a che ora inizia"), "{}", answer.text);
    assert!(answer.text.contains("chi invitare"), "{}", answer.text);
    assert!(!answer.text.contains("per quante persone"), "the headcount was given: {}", answer.text);
    assert!(!answer.text.contains("quale giorno"), "the day was given: {}", answer.text);
    assert_eq!(store.planned_event(FIRST).unwrap().unwrap().state, EventState::Asking);
}

#[test]
fn a_group_with_nobody_in_the_staff_directory_leaves_whom_to_invite_asked() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "chiara@office.example",
        "Christmas dinner",
        "req@office.example",
        "",
        "Christmas dinner on Friday 18 December at 8pm for 25 people. Please invite the marketing team.",
    );
    let handled = handle(&rules, &mut store, &raw);
    assert!(handled.answer().text.contains("whom"), "{}", handled.answer().text);
    assert_eq!(store.planned_event(FIRST).unwrap().unwrap().state, EventState::Asking);
}

#[test]
fn the_places_that_hold_everyone_are_listed_a_busy_room_left_out() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let zone = chrono_tz::Europe::Rome;
    let start = zone.with_ymd_and_hms(2026, 12, 18, 19, 0, 0).unwrap().with_timezone(&Utc);
    let busy = Event {
        calendar: "Sala Grande".into(),
        uid: "busy".into(),
        recurrence_id: None,
        sequence: 0,
        summary: "Board evening".into(),
        location: None,
        start,
        end: start + chrono::TimeDelta::hours(3),
        timezone: zone,
        rrule: None,
        exdates: Vec::new(),
        status: EventStatus::Confirmed,
        transparent: false,
        organizer: None,
        attendees: Vec::new(),
    };
    store.put_event(&busy).unwrap();
    let raw = mail(
        "chiara@office.example",
        "Christmas dinner",
        "req@office.example",
        "",
        "Christmas dinner on Friday 18 December at 8pm for 25 people, the whole office.",
    );
    let answer = handle(&rules, &mut store, &raw).answer();
    assert!(
        answer.text.contains("Trattoria da Enzo (venue, up to 40 people, not known to be busy)"),
        "{}",
        answer.text
    );
    assert!(!answer.text.contains("Sala Grande"), "busy then: {}", answer.text);
    assert!(!answer.text.contains("Sala Verde"), "too small: {}", answer.text);
    assert!(!answer.text.contains("Osteria Piccola"), "too small: {}", answer.text);
}

#[test]
fn a_free_room_that_seats_everyone_is_offered() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "chiara@office.example",
        "Workshop",
        "req@office.example",
        "",
        "A workshop on Thursday 17 December from 9:00 to 13:00 for 20 people, with a coffee break. Invite the design team.",
    );
    let answer = handle(&rules, &mut store, &raw).answer();
    assert!(answer.text.contains("Sala Grande (our room, 30 seats, free at that time)"), "{}", answer.text);
}

#[test]
fn a_reply_in_the_thread_completes_the_same_event() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let first = mail(
        "chiara@office.example",
        "Cena di Natale",
        "req@office.example",
        "",
        "Organizziamo la cena di Natale venerdì 18 dicembre alle 20.",
    );
    let handled = handle(&rules, &mut store, &first);
    let asked = handled.answer();
    assert!(asked.text.contains("per quante persone"), "{}", asked.text);
    let id = asked.message_id.clone().unwrap();
    let reply = mail(
        "chiara@office.example",
        &format!("Re: {}", asked.subject),
        "reply@office.example",
        &format!("In-Reply-To: <{id}>\r\nReferences: <req@office.example> <{id}>\r\n"),
        "Saremo 25 persone, invita tutto lo staff.",
    );
    let handled = handle(&rules, &mut store, &reply);
    let answer = handled.answer();
    assert!(answer.text.contains("ho aggiornato l'evento EV-2026-0001"), "{}", answer.text);
    assert!(answer.text.contains("25 persone"), "{}", answer.text);
    assert!(!answer.text.contains("Per organizzarlo mi serve"), "nothing missing now: {}", answer.text);
    assert_eq!(answer.subject, asked.subject.replace("Re: Re:", "Re:"));
    let event = store.planned_event(FIRST).unwrap().unwrap();
    assert_eq!(event.state, EventState::Planning);
    assert_eq!(event.guests.len(), 3);
    assert!(store.planned_event(EventNumber { year: 2026, sequence: 2 }).unwrap().is_none());
}

#[test]
fn a_reply_that_still_lacks_something_asks_only_for_that() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let first =
        mail("chiara@office.example", "Team dinner", "req@office.example", "", "Let's have a team dinner.");
    let asked = handle(&rules, &mut store, &first).answer();
    assert!(asked.text.contains("which day"), "{}", asked.text);
    // Named by its number in the subject, without the thread's headers.
    let reply = mail(
        "chiara@office.example",
        "About EV-2026-0001",
        "reply@office.example",
        "",
        "It's on Friday 11 December at 19:30, for 12 people.",
    );
    let answer = handle(&rules, &mut store, &reply).answer();
    assert!(answer.text.contains("whom to invite"), "{}", answer.text);
    assert!(!answer.text.contains("which day"), "{}", answer.text);
    assert!(!answer.text.contains("how many people"), "{}", answer.text);
    assert!(!answer.text.contains("at what time"), "{}", answer.text);
    assert_eq!(store.planned_event(FIRST).unwrap().unwrap().reading.headcount.map(|h| h.people), Some(12));
}

#[test]
fn someone_who_is_not_an_organiser_gets_no_planning() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "paolo@client.example",
        "Christmas dinner",
        "req@client.example",
        "",
        "Could you organise a Christmas dinner for 25 people on 18 December at 8pm?",
    );
    let handled = handle(&rules, &mut store, &raw);
    assert!(handled.change().is_none(), "nothing recorded");
    assert!(
        handled.notes.iter().any(|n| n.contains("paolo@client.example is not an event organiser")),
        "{:?}",
        handled.notes
    );
    let answer = handled.answer();
    assert!(answer.text.contains("at the request of the office's organisers"), "{}", answer.text);
    let forwarded = handled.sent(MailKind::Forward);
    assert_eq!(forwarded.len(), 1);
    assert!(forwarded[0].to.iter().any(|a| a.email == "chiara@office.example"));
    assert!(store.planned_event(FIRST).unwrap().is_none());
}

mod guests;
