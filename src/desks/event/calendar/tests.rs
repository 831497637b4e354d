//! Events put in the office's calendars, through the desks as the intake runs them: each message's
//! calendar rows and planning change stored before the next one is handled.

use chrono::{DateTime, TimeZone, Utc};

use crate::actions::NoHistory;
use crate::calendar::event::{Event, EventStatus};
use crate::effects::{Effect, MailKind};
use crate::mail::message::Message;
use crate::planning::{CalendarEntry, EventNumber};
use crate::rules::RuleSet;
use crate::rules::tests::{Dir, OFFICE};
use crate::store::Store;

const EVENTS: &str = r#"
[events]
organisers = ["chiara@office.example"]

[[calendar]]
name = "office"
owner = "giulia@office.example"

[[room]]
name = "Sala Grande"
capacity = 30

[[staff]]
name = "Bob Bianchi"
address = "bob@office.example"
groups = ["design"]
"#;

const RULES: &str = r#"
[[rule]]
name = "events"
when.subject = { any = ["dinner", "cena", "workshop"] }
desk = "event"
"#;

const FIRST: EventNumber = EventNumber { year: 2026, sequence: 1 };
const ROME: chrono_tz::Tz = chrono_tz::Europe::Rome;

/// The office, writing in `language`.
fn office(language: &str) -> (Dir, RuleSet) {
    let dir = Dir::new();
    let office = OFFICE.replace("language = \"en\"", &format!("language = \"{language}\""));
    dir.write("office.toml", &format!("{office}\n{EVENTS}"));
    dir.write("10.rules.toml", RULES);
    let set = dir.load();
    (dir, set)
}

fn rome(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    let year = if month == 1 { 2027 } else { 2026 };
    ROME.with_ymd_and_hms(year, month, day, hour, minute, 0).unwrap().with_timezone(&Utc)
}

fn mail(subject: &str, id: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Chiara Neri <chiara@office.example>\r\nTo: assistant@office.example\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0100\r\n{headers}\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// What one message did.
struct Handled {
    effects: Vec<Effect>,
}

impl Handled {
    fn answer(&self) -> Message {
        let replies: Vec<Message> = self
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send { kind: MailKind::Reply, mail, .. } => Some(Message::parse(&mail.raw).unwrap()),
                _ => None,
            })
            .collect();
        assert_eq!(replies.len(), 1, "one answer");
        replies.into_iter().next().unwrap()
    }

    fn put(&self) -> Vec<&Event> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::PutEvent(event) => Some(&**event),
                _ => None,
            })
            .collect()
    }

    fn entries(&self) -> Vec<&CalendarEntry> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Planning(change) => Some(&change.calendar),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// A reply to the answer, in its thread, saying `body`.
    fn reply(&self, id: &str, body: &str) -> Vec<u8> {
        let answer = self.answer();
        let to = answer.message_id.unwrap();
        mail(
            &format!("Re: {}", answer.subject),
            id,
            &format!("In-Reply-To: <{to}>\r\nReferences: <{to}>\r\n"),
            body,
        )
    }
}

/// Runs `raw` through the rules and the desks against `store`, then stores its calendar rows and
/// planning change as the intake's transaction would.
fn handle(rules: &RuleSet, store: &mut Store, raw: &[u8]) -> Handled {
    let msg = Message::parse(raw).unwrap();
    let hash = crate::digest::sha256_hex(raw);
    let now = ROME.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap().with_timezone(&Utc);
    let incoming = crate::desks::Incoming { msg: &msg, raw, content_hash: &hash, now };
    let views =
        crate::desks::Views { calendars: &*store, tickets: &*store, supply: &*store, planning: &*store };
    let decision = crate::handling::decide(rules, &incoming, &views, &mut NoHistory).unwrap();
    for effect in &decision.effects {
        match effect {
            Effect::PutEvent(event) => store.put_event(event).unwrap(),
            Effect::Planning(change) => store.put_planning(change).unwrap(),
            _ => {}
        }
    }
    Handled { effects: decision.effects }
}

const DINNER: &str = "Let's organise the Christmas dinner on Friday 18 December from 8pm to 11pm for 25 people, \
                      3 of them vegetarian. Please invite the design team.";

#[test]
fn an_event_with_its_day_and_start_is_put_in_the_events_calendar_as_tentative() {
    let (_dir, rules) = office("en");
    let mut store = Store::open_in_memory().unwrap();
    let handled = handle(&rules, &mut store, &mail("Christmas dinner", "req@office.example", "", DINNER));
    let put = handled.put();
    assert_eq!(put.len(), 1, "{:?}", handled.effects);
    let event = put[0];
    assert_eq!(event.calendar, "office");
    assert_eq!(event.uid, "ev-2026-0001@office.example");
    assert_eq!(event.summary, "Christmas dinner");
    assert_eq!((event.start, event.end), (rome(12, 18, 20, 0), rome(12, 18, 23, 0)));
    assert_eq!(event.status, EventStatus::Tentative);
    assert_eq!(event.location, None, "no place is chosen yet");
    let answer = handled.answer();
    assert!(
        answer.text.contains("I have put it in the office calendar, as tentative until it is confirmed."),
        "{}",
        answer.text
    );
    let entries = handled.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(store.event_calendar_entry(FIRST).unwrap().as_ref(), Some(entries[0]));
    assert_eq!(
        entries[0].description,
        "Event EV-2026-0001, being planned (tentative).\n25 people, 1 invited.\nDinner; 3 vegetarian.\n\
         Still open: the place."
    );
}

#[test]
fn a_new_day_replaces_the_entry_with_a_higher_sequence() {
    let (_dir, rules) = office("en");
    let mut store = Store::open_in_memory().unwrap();
    let first = handle(&rules, &mut store, &mail("Christmas dinner", "req@office.example", "", DINNER));
    let moved = handle(
        &rules,
        &mut store,
        &first.reply("move@office.example", "Let's make it Saturday 19 December."),
    );
    let put = moved.put();
    assert_eq!(put.len(), 1, "{:?}", moved.effects);
    assert_eq!((put[0].uid.as_str(), put[0].sequence), ("ev-2026-0001@office.example", 1));
    assert_eq!((put[0].start, put[0].end), (rome(12, 19, 20, 0), rome(12, 19, 23, 0)));
    assert!(
        moved.answer().text.contains("I have updated it in the office calendar, as tentative"),
        "{}",
        moved.answer().text
    );
    let rows = store.events("office", rome(12, 1, 0, 0), rome(12, 31, 0, 0)).unwrap();
    assert_eq!(rows.len(), 1, "replaced, not added: {rows:?}");
    assert_eq!(rows[0].start, rome(12, 19, 20, 0));
}

#[test]
fn a_reply_that_changes_nothing_in_the_entry_leaves_it_alone() {
    let (_dir, rules) = office("en");
    let mut store = Store::open_in_memory().unwrap();
    let first = handle(&rules, &mut store, &mail("Christmas dinner", "req@office.example", "", DINNER));
    let again =
        handle(&rules, &mut store, &first.reply("thanks@office.example", "Thanks, that is all for now."));
    assert!(again.put().is_empty(), "{:?}", again.effects);
    assert!(
        again.answer().text.contains("It is in the office calendar, as tentative until it is confirmed."),
        "{}",
        again.answer().text
    );
}

#[test]
fn an_event_without_its_start_time_waits_for_it_before_going_in_a_calendar() {
    let (_dir, rules) = office("en");
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "Cena di Natale",
        "req@office.example",
        "",
        "Organizziamo la cena di Natale venerdì 18 dicembre per 25 persone.",
    );
    let handled = handle(&rules, &mut store, &raw);
    assert!(handled.put().is_empty(), "{:?}", handled.effects);
    let text = handled.answer().text;
    assert!(
        text.contains("Lo metterò nel calendario office appena so il giorno e l'ora di inizio."),
        "{text}"
    );
}

#[test]
fn several_days_are_one_daily_series_with_the_days_hours() {
    let (_dir, rules) = office("en");
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "Workshop",
        "req@office.example",
        "",
        "A 2-day workshop on Thursday 14 January from 9:00 to 17:00 for 20 people in Sala Grande. \
         Invite the design team.",
    );
    let handled = handle(&rules, &mut store, &raw);
    // Sala Grande is booked too: the events calendar has its own entry.
    let put: Vec<_> = handled.put().into_iter().filter(|e| e.calendar == "office").collect();
    assert_eq!(put.len(), 1, "{:?}", handled.effects);
    assert_eq!((put[0].start, put[0].end), (rome(1, 14, 9, 0), rome(1, 14, 17, 0)));
    assert_eq!(put[0].rrule.as_deref(), Some("FREQ=DAILY;COUNT=2"));
    assert_eq!(put[0].location.as_deref(), Some("Sala Grande"));
}

#[test]
fn an_event_whose_day_is_open_again_is_taken_out_of_the_calendar() {
    let (_dir, rules) = office("en");
    let mut store = Store::open_in_memory().unwrap();
    let first = handle(&rules, &mut store, &mail("Christmas dinner", "req@office.example", "", DINNER));
    let open = handle(
        &rules,
        &mut store,
        &first
            .reply("open@office.example", "Actually, let's do it one evening between the 14th and the 17th."),
    );
    let put = open.put();
    assert_eq!(put.len(), 1, "{:?}", open.effects);
    assert_eq!((put[0].status, put[0].sequence), (EventStatus::Cancelled, 1));
    assert!(
        open.answer().text.contains("I have taken it out of the office calendar."),
        "{}",
        open.answer().text
    );
}

#[test]
fn the_events_feed_holds_the_office_events_with_their_descriptions_and_not_meetings() {
    let (_dir, rules) = office("en");
    let mut store = Store::open_in_memory().unwrap();
    handle(&rules, &mut store, &mail("Christmas dinner", "req@office.example", "", DINNER));
    let meeting = Event {
        uid: "meeting@office.example".into(),
        summary: "Budget review".into(),
        rrule: None,
        ..store.events("office", rome(12, 1, 0, 0), rome(12, 31, 0, 0)).unwrap()[0].clone()
    };
    store.put_event(&meeting).unwrap();
    let rows = store.planned_stamped(rome(12, 1, 0, 0), rome(12, 31, 0, 0)).unwrap();
    let summaries: Vec<&str> = rows.iter().map(|r| r.event.summary.as_str()).collect();
    assert_eq!(summaries, ["Christmas dinner"]);
    assert!(rows[0].description.as_deref().is_some_and(|d| d.starts_with("Event EV-2026-0001")));
}

#[test]
fn an_italian_office_describes_its_events_in_italian() {
    let (_dir, rules) = office("it");
    let mut store = Store::open_in_memory().unwrap();
    let handled = handle(&rules, &mut store, &mail("Christmas dinner", "req@office.example", "", DINNER));
    assert_eq!(
        handled.entries()[0].description,
        "Evento EV-2026-0001, in preparazione (provvisorio).\n25 persone, 1 invitati.\nCena; 3 vegetariani.\n\
         Ancora da decidere: il posto."
    );
}

#[test]
fn an_office_without_a_calendar_puts_its_events_nowhere() {
    let dir = Dir::new();
    dir.write("office.toml", &format!("{OFFICE}\n[events]\norganisers = [\"chiara@office.example\"]\n"));
    dir.write("10.rules.toml", RULES);
    let rules = dir.load();
    let mut store = Store::open_in_memory().unwrap();
    let handled = handle(&rules, &mut store, &mail("Christmas dinner", "req@office.example", "", DINNER));
    assert!(handled.put().is_empty());
    assert!(!handled.answer().text.contains("calendar"), "{}", handled.answer().text);
}
