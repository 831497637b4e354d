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
mod guests;

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

    /// What it writes to the rooms' calendars: every calendar event but the event's own entry in
    /// the events calendar (`office`), which is not a room's booking.
    fn room_bookings(&self) -> Vec<&Event> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::PutEvent(event) if event.calendar != "office" => Some(&**event),
                _ => None,
            })
            .collect()
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

/// Mail from a venue (`from`), answering clerk's mail `to`.
fn from_venue(from: &str, to: &Message, id: &str, body: &str) -> Vec<u8> {
    let parent = to.message_id.clone().unwrap();
    format!(
        "From: Enzo <{from}>\r\nTo: assistant@office.example\r\nSubject: Re: {}\r\nMessage-ID: <{id}>\r\n\
         In-Reply-To: <{parent}>\r\nReferences: <{parent}>\r\nDate: Mon, 07 Dec 2026 15:00:00 +0100\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        to.subject
    )
    .into_bytes()
}

/// The organiser's reply to clerk's mail `to`.
fn organisers_reply(to: &Message, id: &str, body: &str) -> Vec<u8> {
    let parent = to.message_id.clone().unwrap();
    mail(
        "chiara@office.example",
        &format!("Re: {}", to.subject),
        id,
        &format!("In-Reply-To: <{parent}>\r\nReferences: <{parent}>\r\n"),
        body,
    )
}

/// A dinner for 25 at Trattoria da Enzo, asked for: the store, the request to the venue.
fn asked_enzo(rules: &RuleSet, store: &mut Store) -> Message {
    let raw = mail(
        "chiara@office.example",
        "Christmas dinner",
        "req@office.example",
        "",
        "Christmas dinner at Trattoria da Enzo on Friday 18 December from 8pm to 11pm for 25 people. \
         Invite the design team.",
    );
    let handled = handle(rules, store, &raw);
    let mut asked = handled.sent(MailKind::Notice);
    assert_eq!(asked.len(), 1, "{:?}", handled.notes);
    asked.remove(0)
}

#[test]
fn a_chosen_room_that_is_free_is_booked_in_its_calendar() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "chiara@office.example",
        "Workshop",
        "req@office.example",
        "",
        "A workshop in Sala Grande on Thursday 17 December from 9:00 to 13:00 for 20 people. Invite the design team.",
    );
    let handled = handle(&rules, &mut store, &raw);
    let booked = handled.room_bookings();
    assert_eq!(booked.len(), 1, "{:?}", handled.notes);
    assert_eq!(booked[0].calendar, "Sala Grande");
    assert_eq!(booked[0].uid, "ev-2026-0001@office.example");
    assert!(handled.answer().text.contains("I have booked Sala Grande for you on Thu 17 Dec 2026."));
    let event = store.planned_event(FIRST).unwrap().unwrap();
    assert_eq!(event.venues[0].state, crate::planning::venue::VenueState::Booked);
}

#[test]
fn a_chosen_room_too_small_for_everyone_is_not_booked() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "chiara@office.example",
        "Workshop",
        "req@office.example",
        "",
        "A workshop in Sala Verde on Thursday 17 December from 9:00 to 13:00 for 20 people. Invite the design team.",
    );
    let handled = handle(&rules, &mut store, &raw);
    assert!(handled.room_bookings().is_empty());
    assert!(
        handled.answer().text.contains("Sala Verde holds 8 people, fewer than 20, so I have not booked it.")
    );
}

#[test]
fn a_chosen_venue_is_asked_once_for_the_day_and_a_quote() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let asked = asked_enzo(&rules, &mut store);
    assert_eq!(asked.to[0].email, "eventi@daenzo.example");
    assert_eq!(
        asked.subject,
        "Availability and quote: Christmas dinner, Friday 18 December 2026 [EV-2026-0001]"
    );
    assert!(asked.text.contains("from 20:00 to 23:00, for 25 people, with dinner."), "{}", asked.text);
    let event = store.planned_event(FIRST).unwrap().unwrap();
    assert_eq!(event.venues[0].state, crate::planning::venue::VenueState::Asked);
    // A later reply of the organiser's about the same day asks nothing again.
    let again = mail(
        "chiara@office.example",
        "Re: Christmas dinner [EV-2026-0001]",
        "more@office.example",
        "",
        "Also 2 vegans.",
    );
    let handled = handle(&rules, &mut store, &again);
    assert!(handled.sent(MailKind::Notice).is_empty());
    assert!(
        handled.answer().text.contains("I have written to Trattoria da Enzo"),
        "{}",
        handled.answer().text
    );
}

#[test]
fn a_venues_yes_reaches_the_organiser_with_the_cost_and_a_confirm_books_it() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let asked = asked_enzo(&rules, &mut store);
    let yes = from_venue(
        "eventi@daenzo.example",
        &asked,
        "yes@daenzo.example",
        "Buongiorno, siamo lieti di ospitarvi. Il menù costa 35,00 euro a persona. Teniamo l'opzione fino al 14 dicembre.",
    );
    let handled = handle(&rules, &mut store, &yes);
    let passed = handled.sent(MailKind::Forward);
    assert_eq!(passed.len(), 1, "{:?}", handled.notes);
    assert_eq!(passed[0].to[0].email, "chiara@office.example");
    assert!(
        passed[0].text.contains("The cost for 25 people is EUR 875.00 (EUR 35.00 per person)."),
        "{}",
        passed[0].text
    );
    assert!(passed[0].text.contains("They hold the date until Mon 14 Dec 2026."), "{}", passed[0].text);

    let confirm = organisers_reply(&passed[0], "confirm@office.example", "Great, please confirm.");
    let handled = handle(&rules, &mut store, &confirm);
    let sent = handled.sent(MailKind::Notice);
    assert_eq!(sent.len(), 1, "{:?}", handled.notes);
    assert_eq!(sent[0].to[0].email, "eventi@daenzo.example");
    assert!(sent[0].subject.starts_with("Booking confirmation: Christmas dinner"), "{}", sent[0].subject);
    assert!(sent[0].text.contains("at EUR 35.00 per person (EUR 875.00 in all)"), "{}", sent[0].text);
    assert!(
        handled.answer().text.contains("I have confirmed Trattoria da Enzo"),
        "{}",
        handled.answer().text
    );
    let event = store.planned_event(FIRST).unwrap().unwrap();
    assert_eq!(event.venues[0].state, crate::planning::venue::VenueState::Confirmed);
    assert_eq!(event.venue_cost().map(|m| m.amount), Some("875.00".parse().unwrap()));
}

#[test]
fn an_organisers_question_about_confirming_confirms_nothing() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let asked = asked_enzo(&rules, &mut store);
    let yes = from_venue(
        "eventi@daenzo.example",
        &asked,
        "yes@daenzo.example",
        "Yes, the room is available: 35 € per person.",
    );
    let passed = handle(&rules, &mut store, &yes).sent(MailKind::Forward).remove(0);
    let question = organisers_reply(&passed, "q@office.example", "Should we confirm? Don't book it yet.");
    let handled = handle(&rules, &mut store, &question);
    assert!(handled.sent(MailKind::Notice).is_empty(), "nothing sent to the venue");
    assert!(
        handled.answer().text.contains("I have not confirmed it, as you said."),
        "{}",
        handled.answer().text
    );
    let event = store.planned_event(FIRST).unwrap().unwrap();
    assert_eq!(event.venues[0].state, crate::planning::venue::VenueState::Offered);
}

#[test]
fn a_venues_no_offers_the_other_places_and_an_unclear_answer_confirms_nothing() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let asked = asked_enzo(&rules, &mut store);
    let unclear = from_venue(
        "eventi@daenzo.example",
        &asked,
        "hm@daenzo.example",
        "Thanks, we will check and let you know.",
    );
    let passed = handle(&rules, &mut store, &unclear).sent(MailKind::Forward).remove(0);
    assert!(passed.text.contains("so I have confirmed nothing"), "{}", passed.text);
    let confirm = organisers_reply(&passed, "c@office.example", "Confirm");
    assert!(handle(&rules, &mut store, &confirm).sent(MailKind::Notice).is_empty());

    let no = from_venue(
        "eventi@daenzo.example",
        &asked,
        "no@daenzo.example",
        "Purtroppo siamo al completo quella sera.",
    );
    let passed = handle(&rules, &mut store, &no).sent(MailKind::Forward).remove(0);
    assert!(passed.text.contains("They cannot host you on Fri 18 Dec 2026."), "{}", passed.text);
    assert!(passed.text.contains("Other places that hold 25 people: Sala Grande."), "{}", passed.text);
    let event = store.planned_event(FIRST).unwrap().unwrap();
    assert_eq!(event.venues[0].state, crate::planning::venue::VenueState::Declined);
}

#[test]
fn a_booked_room_follows_a_new_time_and_is_given_up_for_another_place() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "chiara@office.example",
        "Workshop",
        "req@office.example",
        "",
        "A workshop in Sala Grande on Thursday 17 December from 9:00 to 13:00 for 20 people. Invite the design team.",
    );
    let handled = handle(&rules, &mut store, &raw);
    for effect in &handled.effects {
        if let Effect::PutEvent(event) = effect {
            store.put_event(event).unwrap();
        }
    }
    let asked = handled.answer();
    let later = organisers_reply(&asked, "later@office.example", "It starts at 10:00 and ends at 14:00.");
    let handled = handle(&rules, &mut store, &later);
    let moved = handled.room_bookings();
    assert_eq!(moved.len(), 1, "{:?}", handled.notes);
    assert_eq!((moved[0].sequence, moved[0].status), (1, EventStatus::Confirmed));
    let zone = chrono_tz::Europe::Rome;
    assert_eq!(moved[0].start, zone.with_ymd_and_hms(2026, 12, 17, 10, 0, 0).unwrap().with_timezone(&Utc));
    store.put_event(moved[0]).unwrap();

    let elsewhere =
        organisers_reply(&asked, "enzo@office.example", "Let's do it at Trattoria da Enzo instead.");
    let handled = handle(&rules, &mut store, &elsewhere);
    let cancelled = handled.room_bookings().first().copied();
    assert_eq!(
        cancelled.map(|e| (e.calendar.as_str(), e.status)),
        Some(("Sala Grande", EventStatus::Cancelled))
    );
    assert!(handled.answer().text.contains("I have given up Sala Grande"), "{}", handled.answer().text);
    assert_eq!(handled.sent(MailKind::Notice).len(), 1, "the venue is asked instead");
    let event = store.planned_event(FIRST).unwrap().unwrap();
    assert_eq!(event.venues[0].state, crate::planning::venue::VenueState::Released);
}
