//! Specifications of requests in plain words: booked when free, three numbered times otherwise,
//! a reply choosing one, and the answers in the request's language.

use chrono::{Datelike, FixedOffset, TimeDelta, Timelike};

use super::*;
use crate::calendar::availability::Slot;
use crate::calendar::proposal::Proposal;
use crate::language::Language;

/// Anna writing to the assistant in words, on Monday 23 November 2026 at 09:00 in Rome.
fn words(subject: &str, text: &str) -> Message {
    Message {
        from: vec![Address { name: Some("Anna Bianchi".into()), email: "anna@client.example".into() }],
        to: vec![Address { name: None, email: "assistant@office.example".into() }],
        subject: subject.into(),
        text: text.into(),
        date: Some(now().with_timezone(&FixedOffset::east_opt(3600).unwrap())),
        message_id: Some("words@client.example".into()),
        ..Message::default()
    }
}

fn plain_call() -> DeskCall {
    call(None, None)
}

/// The text of every plain reply sent.
fn replies(outcome: &Outcome) -> Vec<String> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { kind: MailKind::Reply, mail, .. } => Some(Message::parse(&mail.raw).unwrap().text),
            _ => None,
        })
        .collect()
}

fn proposals(outcome: &Outcome) -> Vec<Proposal> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::PutProposal(p) => Some((**p).clone()),
            _ => None,
        })
        .collect()
}

fn invitation_text(outcome: &Outcome) -> String {
    outcome
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { kind: MailKind::Calendar, mail, .. } => {
                Some(Message::parse(&mail.raw).unwrap().text)
            }
            _ => None,
        })
        .expect("an invitation was sent")
}

fn busy_tuesday_afternoon(store: &mut Store) {
    let (_dir, set) = office();
    book(&set, &plain_call(), store, from_anna("REQUEST", "busy@client.example", 0, rome(24, 15)));
}

#[test]
fn a_free_time_asked_in_words_is_booked_and_the_requester_invited() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let outcome = run(
        &set,
        &plain_call(),
        &words("Budget review", "Could we meet on Tuesday at 3pm for an hour?"),
        &store,
    );
    let events = stored(&outcome);
    assert_eq!(events.len(), 1, "{outcome:?}");
    assert_eq!((events[0].start, events[0].end), (rome(24, 15), rome(24, 16)));
    assert_eq!(events[0].summary, "Anna Bianchi – Budget review");
    assert_eq!(events[0].organizer.as_deref(), Some("assistant@office.example"));
    let invitations = sent(&outcome);
    let (to, itip) = &invitations[0];
    assert_eq!(to, &["anna@client.example"]);
    assert_eq!(itip.method, Method::Request);
    assert_eq!((itip.events[0].start, itip.events[0].end), (rome(24, 15), rome(24, 16)));
    let text = invitation_text(&outcome);
    assert!(text.contains("I read this as Tue 24 Nov 2026 15:00–16:00 CET."), "{text}");
}

#[test]
fn a_stranger_invites_people_in_cc_of_their_own_domain_and_the_office_but_not_the_office_itself() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let mut msg = words("Kick-off", "Tuesday at 3pm?");
    msg.cc = vec![
        Address { name: Some("Bruno".into()), email: "bruno@client.example".into() },
        Address { name: None, email: "dario@office.example".into() },
        Address { name: None, email: "giulia@office.example".into() },
    ];
    let outcome = run(&set, &plain_call(), &msg, &store);
    let (to, _) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example", "bruno@client.example", "dario@office.example"]);
}

#[test]
fn a_stranger_cannot_make_the_office_invite_addresses_written_in_the_text() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let msg = words(
        "Kick-off",
        "Tuesday at 3pm? Please invite carla@partner.example, dan@client.example and eva@office.example too.",
    );
    let outcome = run(&set, &plain_call(), &msg, &store);
    let (to, itip) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example"]);
    let attendees: Vec<&str> = itip.events[0].attendees.iter().map(|a| a.party.email.as_str()).collect();
    assert_eq!(attendees, ["giulia@office.example", "anna@client.example"]);
    let text = invitation_text(&outcome);
    assert!(
        text.contains(
            "I have not invited carla@partner.example, dan@client.example, eva@office.example: the office sends \
             invitations only to you"
        ),
        "{text}"
    );
    assert!(text.contains("Please forward the invitation to anyone else who should come."), "{text}");
}

#[test]
fn a_stranger_cannot_make_the_office_invite_people_of_other_domains_in_cc() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let mut msg = words("Kick-off", "Tuesday at 3pm?");
    msg.cc = vec![Address { name: None, email: "carla@partner.example".into() }];
    let outcome = run(&set, &plain_call(), &msg, &store);
    let (to, _) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example"]);
    assert!(outcome.notes.iter().any(|n| n.contains("not invited") && n.contains("carla@partner.example")));
}

#[test]
fn office_staff_may_name_anyone_in_cc_or_in_the_text() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let mut msg = words("Kick-off", "Tuesday at 3pm? Please invite carla@partner.example too.");
    msg.from = vec![Address { name: Some("Marco".into()), email: "marco@office.example".into() }];
    msg.cc = vec![Address { name: Some("Bruno".into()), email: "bruno@client.example".into() }];
    let outcome = run(&set, &plain_call(), &msg, &store);
    let (to, _) = &sent(&outcome)[0];
    assert_eq!(to, &["marco@office.example", "bruno@client.example", "carla@partner.example"]);
    assert!(!invitation_text(&outcome).contains("not invited"));
}

#[test]
fn times_offered_to_a_stranger_say_who_will_not_be_invited_and_the_choice_invites_only_the_sender() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let outcome =
        run(&set, &plain_call(), &words("Kick-off", "Could we meet? Bring carla@partner.example."), &store);
    let text = &replies(&outcome)[0];
    assert!(text.contains("I will not invite carla@partner.example:"), "{text}");
    let held = proposals(&outcome);
    assert!(held[0].participants.is_empty(), "{:?}", held[0].participants);
    store.put_proposal(&held[0]).unwrap();
    let chosen = run(&set, &plain_call(), &reply_to(&held[0], "2"), &store);
    let (to, _) = &sent(&chosen)[0];
    assert_eq!(to, &["anna@client.example"]);
}

#[test]
fn a_busy_time_gets_three_numbered_free_times_held_for_the_thread() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    busy_tuesday_afternoon(&mut store);
    let outcome = run(&set, &plain_call(), &words("Budget review", "Tuesday at 3pm?"), &store);
    assert!(stored(&outcome).is_empty(), "nothing is booked");
    let held = proposals(&outcome);
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].slots.len(), 3);
    assert_eq!(held[0].requester.email, "anna@client.example");
    let text = &replies(&outcome)[0];
    assert!(text.contains("I read this as Tue 24 Nov 2026 15:00 CET."), "{text}");
    assert!(text.contains("That time cannot be booked: that time is already taken."), "{text}");
    assert!(text.contains("  1. ") && text.contains("  2. ") && text.contains("  3. "), "{text}");
}

#[test]
fn a_vague_request_gets_times_within_what_it_named() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let outcome = run(&set, &plain_call(), &words("Catch-up", "Are you free Thursday afternoon?"), &store);
    let slots = &proposals(&outcome)[0].slots;
    assert!(!slots.is_empty());
    assert!(slots.iter().all(|s| s.start >= rome(26, 13) && s.end <= rome(26, 18)), "{slots:?}");
}

#[test]
fn no_time_at_all_gets_the_next_free_times() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let outcome =
        run(&set, &plain_call(), &words("Project", "Can we have a call about the project?"), &store);
    assert_eq!(proposals(&outcome)[0].slots.len(), 3);
    assert!(replies(&outcome)[0].contains("I could not find a day or a time in your message."));
}

/// The proposal clerk made to Anna: Tue 10:00, Wed 10:00, Thu 10:00.
fn offered(store: &mut Store, language: Language) -> Proposal {
    let proposal = Proposal {
        message_id: "clerk.proposal@office.example".into(),
        calendar: "giulia".into(),
        requester: Party { email: "anna@client.example".into(), name: Some("Anna Bianchi".into()) },
        participants: Vec::new(),
        left_out: Default::default(),
        summary: "Budget review".into(),
        slots: [24, 25, 26].map(|day| Slot { start: rome(day, 10), end: rome(day, 11) }).to_vec(),
        language,
        expires: rome(24, 10),
        replaces: None,
        room: false,
    };
    store.put_proposal(&proposal).unwrap();
    proposal
}

fn reply_to(proposal: &Proposal, text: &str) -> Message {
    let mut msg = words("Re: Budget review", text);
    msg.in_reply_to = vec![proposal.message_id.clone()];
    msg.message_id = Some("choice@client.example".into());
    msg
}

#[test]
fn a_reply_choosing_the_second_time_books_it() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let proposal = offered(&mut store, Language::Italian);
    let outcome = run(&set, &plain_call(), &reply_to(&proposal, "Va bene la 2, grazie"), &store);
    let events = stored(&outcome);
    assert_eq!(events.len(), 1, "{outcome:?}");
    assert_eq!(events[0].start, rome(25, 10));
    assert!(
        outcome
            .effects
            .iter()
            .any(|e| matches!(e, Effect::CloseProposal { message_id } if *message_id == proposal.message_id))
    );
    let text = invitation_text(&outcome);
    // Italian letters write Italian dates.
    assert!(text.contains("Avete scelto la 2: mer 25 nov 2026 10:00–11:00 CET."), "{text}");
}

#[test]
fn a_reply_that_fits_none_of_the_times_gets_new_ones() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let proposal = offered(&mut store, Language::English);
    let outcome = run(&set, &plain_call(), &reply_to(&proposal, "None of these work for me, sorry."), &store);
    assert!(stored(&outcome).is_empty());
    assert!(outcome.effects.iter().any(|e| matches!(e, Effect::CloseProposal { .. })));
    assert_eq!(proposals(&outcome).len(), 1, "three new times are offered");
}

#[test]
fn an_italian_request_is_answered_in_italian() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let outcome =
        run(&set, &plain_call(), &words("Riunione", "Possiamo vederci giovedì pomeriggio?"), &store);
    let text = &replies(&outcome)[0];
    assert!(text.starts_with("Gentile Anna Bianchi,"), "{text}");
    assert!(text.contains("Questi orari sono liberi nel calendario di Giulia Rossi"), "{text}");
}

/// Books Tuesday 15:00 for Anna from her message `words@client.example`, committed to `store`.
fn booked_tuesday(set: &RuleSet, store: &mut Store) -> Event {
    let outcome = run(set, &plain_call(), &words("Budget review", "Tuesday at 3pm?"), store);
    apply(store, &outcome);
    stored(&outcome).remove(0)
}

/// Anna's later message in the thread of the booking.
fn in_thread(text: &str) -> Message {
    let mut msg = words("Re: Invitation: Budget review", text);
    msg.in_reply_to = vec!["clerk.invitation@office.example".into()];
    msg.references = vec!["words@client.example".into(), "clerk.invitation@office.example".into()];
    msg.message_id = Some("later@client.example".into());
    msg
}

#[test]
fn in_the_thread_of_a_booked_meeting_a_cancellation_cancels_it_for_everyone() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let booked = booked_tuesday(&set, &mut store);
    let outcome = run(&set, &plain_call(), &in_thread("Sorry, I need to cancel."), &store);
    let events = stored(&outcome);
    assert_eq!(events.len(), 1, "{outcome:?}");
    assert_eq!(
        (events[0].uid.as_str(), events[0].status, events[0].sequence),
        (booked.uid.as_str(), EventStatus::Cancelled, 1)
    );
    let (to, itip) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example"]);
    assert_eq!(itip.method, Method::Cancel);
}

#[test]
fn in_the_thread_of_a_booked_meeting_a_move_to_a_free_time_sends_the_update() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let booked = booked_tuesday(&set, &mut store);
    let outcome = run(&set, &plain_call(), &in_thread("Can we move it to Wednesday at 11?"), &store);
    let events = stored(&outcome);
    assert_eq!(events.len(), 1, "{outcome:?}");
    assert_eq!(
        (events[0].uid.as_str(), events[0].start, events[0].sequence),
        (booked.uid.as_str(), rome(25, 11), 1)
    );
    let (_, itip) = &sent(&outcome)[0];
    assert_eq!((itip.method, itip.events[0].sequence), (Method::Request, 1));
}

#[test]
fn a_move_without_a_time_offers_times_and_the_choice_moves_the_meeting() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let booked = booked_tuesday(&set, &mut store);
    let outcome = run(&set, &plain_call(), &in_thread("Could we move it to another day?"), &store);
    let offer = proposals(&outcome).remove(0);
    assert_eq!(offer.replaces.as_deref(), Some(booked.uid.as_str()));
    store.put_proposal(&offer).unwrap();
    let chosen = run(&set, &plain_call(), &reply_to(&offer, "2"), &store);
    let events = stored(&chosen);
    assert_eq!(events.len(), 1, "{chosen:?}");
    assert_eq!(
        (events[0].uid.as_str(), events[0].start, events[0].sequence),
        (booked.uid.as_str(), offer.slots[1].start, 1)
    );
}

#[test]
fn a_request_to_meet_in_person_books_a_room_that_seats_everyone() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let outcome =
        run(&set, &plain_call(), &words("Site plans", "Tuesday at 3pm? I can come to your office."), &store);
    let events = stored(&outcome);
    let calendars: Vec<(&str, Option<&str>)> =
        events.iter().map(|e| (e.calendar.as_str(), e.location.as_deref())).collect();
    assert_eq!(calendars, [("Sala Verde", Some("Sala Verde")), ("giulia", Some("Sala Verde"))]);
    assert!(invitation_text(&outcome).contains("The room is Sala Verde (4 seats)."));
    let (_, itip) = &sent(&outcome)[0];
    assert_eq!(itip.events[0].location.as_deref(), Some("Sala Verde"));

    apply(&mut store, &outcome);
    let mut later = in_thread("Sorry, I need to cancel.");
    later.references = vec!["words@client.example".into()];
    let cancelled = run(&set, &plain_call(), &later, &store);
    let statuses: Vec<(String, EventStatus)> =
        stored(&cancelled).into_iter().map(|e| (e.calendar, e.status)).collect();
    assert!(statuses.contains(&("Sala Verde".to_owned(), EventStatus::Cancelled)), "{statuses:?}");
    assert!(statuses.contains(&("giulia".to_owned(), EventStatus::Cancelled)), "{statuses:?}");
}

#[test]
fn when_no_room_seats_everyone_the_meeting_is_booked_without_one_and_says_so() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let mut msg = words("Kick-off", "Tuesday at 3pm in person");
    msg.cc = ["b@client.example", "c@client.example", "d@client.example"]
        .map(|email| Address { name: None, email: email.into() })
        .to_vec();
    let outcome = run(&set, &plain_call(), &msg, &store);
    let events = stored(&outcome);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].location, None);
    assert!(invitation_text(&outcome).contains("No room for 5 people is free then"));
}

#[test]
fn a_second_reply_choosing_from_the_same_offer_in_one_batch_books_nothing_more() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let proposal = offered(&mut store, Language::English);
    let mut batch = crate::desks::BatchCalendars { store: &store, pending: Vec::new(), closed: Vec::new() };
    let call = plain_call();
    let first_msg = reply_to(&proposal, "2");
    let cx = Context {
        office: &set.office,
        templates: &set.templates,
        guard: &crate::guard::Verdict::default(),
        call: &call,
        rule: "r",
        msg: &first_msg,
        content_hash: "a",
        now: now(),
    };
    let first = handle(&cx, &batch).unwrap();
    assert_eq!(stored(&first).len(), 1);
    batch.note(&first.effects);
    let mut second_msg = reply_to(&proposal, "3");
    second_msg.message_id = Some("again@client.example".into());
    let cx = Context {
        office: &set.office,
        templates: &set.templates,
        guard: &crate::guard::Verdict::default(),
        call: &call,
        rule: "r",
        msg: &second_msg,
        content_hash: "b",
        now: now(),
    };
    let second = handle(&cx, &batch).unwrap();
    assert!(stored(&second).is_empty(), "{second:?}");
}

/// Anna's new message, outside the thread of any booking.
fn out_of_thread(text: &str) -> Message {
    let mut msg = words("Our meeting", text);
    msg.message_id = Some("elsewhere@client.example".into());
    msg
}

#[test]
fn a_cancellation_out_of_the_thread_cancels_the_meeting_it_names_by_day_and_time() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let booked = booked_tuesday(&set, &mut store);
    let outcome = run(
        &set,
        &plain_call(),
        &out_of_thread("So sorry, I have to cancel tomorrow's meeting at 3pm."),
        &store,
    );
    let events = stored(&outcome);
    assert_eq!(events.len(), 1, "{outcome:?}");
    assert_eq!((events[0].uid.as_str(), events[0].status), (booked.uid.as_str(), EventStatus::Cancelled));
}

#[test]
fn a_move_out_of_the_thread_moves_the_meeting_it_names_and_books_nothing_new() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let booked = booked_tuesday(&set, &mut store);
    let text = "Could we move our meeting of Tuesday at 3pm to Wednesday at 11?";
    let outcome = run(&set, &plain_call(), &out_of_thread(text), &store);
    let events = stored(&outcome);
    assert_eq!(events.len(), 1, "{outcome:?}");
    assert_eq!((events[0].uid.as_str(), events[0].start), (booked.uid.as_str(), rome(25, 11)));
}

#[test]
fn a_cancellation_that_fits_no_meeting_changes_nothing_and_asks_which() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    booked_tuesday(&set, &mut store);
    let text = "devo annullare la riunione di giovedì 17 dicembre alle 11";
    let outcome = run(&set, &plain_call(), &out_of_thread(text), &store);
    assert!(stored(&outcome).is_empty(), "{outcome:?}");
    let asked = replies(&outcome);
    assert_eq!(asked.len(), 1, "{outcome:?}");
    assert!(asked[0].contains("non ho cambiato nulla"), "{}", asked[0]);
}

#[test]
fn in_the_thread_a_weekday_with_its_day_number_moves_the_meeting_to_that_date() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let booked = booked_tuesday(&set, &mut store);
    let outcome =
        run(&set, &plain_call(), &in_thread("possiamo spostarlo a giovedì 17 dicembre alle 15?"), &store);
    let events = stored(&outcome);
    let thursday =
        chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 12, 17, 15, 0, 0).unwrap().with_timezone(&Utc);
    assert_eq!(events.len(), 1, "{outcome:?}");
    assert_eq!((events[0].uid.as_str(), events[0].start), (booked.uid.as_str(), thursday));
}

#[test]
fn an_unclear_reply_to_an_offer_keeps_it_open_and_asks_again() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let proposal = offered(&mut store, Language::English);
    let outcome =
        run(&set, &plain_call(), &reply_to(&proposal, "Thanks, let me check with my partner."), &store);
    assert!(stored(&outcome).is_empty());
    assert!(!outcome.effects.iter().any(|e| matches!(e, Effect::CloseProposal { .. })), "{outcome:?}");
    assert!(proposals(&outcome).is_empty(), "no new times are offered");
    let asked = replies(&outcome);
    assert!(asked[0].contains("I could not tell which of the times you chose"), "{}", asked[0]);
}

#[test]
fn new_times_offered_in_an_offers_thread_keep_the_length_offered() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let mut proposal = offered(&mut store, Language::English);
    proposal.slots = proposal
        .slots
        .iter()
        .map(|s| Slot { start: s.start, end: s.start + TimeDelta::minutes(90) })
        .collect();
    store.put_proposal(&proposal).unwrap();
    let outcome = run(
        &set,
        &plain_call(),
        &reply_to(&proposal, "None of these work, sorry. Friday afternoon?"),
        &store,
    );
    let new = proposals(&outcome);
    assert_eq!(new.len(), 1, "{outcome:?}");
    assert!(new[0].slots.iter().all(|s| s.end - s.start == TimeDelta::minutes(90)), "{:?}", new[0].slots);
}

#[test]
fn a_request_from_another_zone_is_echoed_on_both_clocks() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let mut msg = words("Call", "Could we talk Thursday at 10am?");
    msg.date = Some(now().with_timezone(&FixedOffset::west_opt(5 * 3600).unwrap()));
    let outcome = run(&set, &plain_call(), &msg, &store);
    let events = stored(&outcome);
    assert_eq!(events.len(), 1, "{outcome:?}");
    assert_eq!(events[0].start, rome(26, 16), "10am in New York is 16:00 in Rome");
    let text = invitation_text(&outcome);
    assert!(text.contains("Thu 26 Nov 10:00 your time (UTC\u{2212}5) = Thu 26 Nov 2026 16:00"), "{text}");
}

#[test]
fn a_window_with_hours_of_the_day_is_offered_only_those_hours() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let outcome =
        run(&set, &plain_call(), &words("Meeting", "Could we meet next week in the afternoon?"), &store);
    let offer = proposals(&outcome).remove(0);
    let rome = chrono_tz::Europe::Rome;
    for slot in &offer.slots {
        let start = slot.start.with_timezone(&rome);
        assert!(start.hour() >= 13 && slot.end.with_timezone(&rome).hour() <= 18, "{start}");
        assert_eq!(start.iso_week().week(), 49, "next week");
    }
}

/// The test office with Italy's public holidays and a closure over the new year.
fn office_with_holidays() -> (crate::rules::tests::Dir, RuleSet) {
    let dir = crate::rules::tests::Dir::with_rules("[[rule]]\nname = \"invitations\"\ndesk = \"meeting\"\n");
    let office = crate::rules::tests::OFFICE.replacen(
        "[office]\n",
        "[office]\nholidays = \"IT\"\nclosed = [\"12-28..01-06\"]\n",
        1,
    );
    dir.write("office.toml", &format!("{office}{}", super::CALENDAR));
    let set = dir.load();
    (dir, set)
}

#[test]
fn a_public_holiday_is_never_booked_nor_offered() {
    let (_dir, set) = office_with_holidays();
    let store = Store::open_in_memory().unwrap();
    let rome = chrono_tz::Europe::Rome;
    let outcome =
        run(&set, &plain_call(), &words("Meeting", "Could we meet on Tuesday 8 December at 10?"), &store);
    assert!(stored(&outcome).is_empty(), "8 December is the Immaculate Conception: {outcome:?}");
    let outcome = run(
        &set,
        &plain_call(),
        &words("Meeting", "Could we meet on Monday 7 or Tuesday 8 December?"),
        &store,
    );
    let offer = proposals(&outcome).remove(0);
    let holiday = chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    assert!(
        offer.slots.iter().all(|s| s.start.with_timezone(&rome).date_naive() != holiday),
        "{:?}",
        offer.slots
    );
}

#[test]
fn the_offices_own_closure_is_never_offered() {
    let (_dir, set) = office_with_holidays();
    let store = Store::open_in_memory().unwrap();
    let outcome =
        run(&set, &plain_call(), &words("Meeting", "Could we meet on Wednesday 30 December at 10?"), &store);
    assert!(stored(&outcome).is_empty(), "{outcome:?}");
}

#[test]
fn an_hour_without_am_or_pm_is_read_in_the_half_of_the_day_the_calendar_is_open() {
    let dir = crate::rules::tests::Dir::with_rules("[[rule]]\nname = \"invitations\"\ndesk = \"meeting\"\n");
    let early = super::CALENDAR.replace("hours.tue = \"09:00-18:00\"", "hours.tue = \"07:00-15:00\"");
    dir.write("office.toml", &format!("{}{early}", crate::rules::tests::OFFICE));
    let set = dir.load();
    let store = Store::open_in_memory().unwrap();
    // "at 7" is 19:00 by default (offices meet in the afternoon), but this calendar closes at 15:00.
    let outcome = run(&set, &plain_call(), &words("Meeting", "Could we meet on Tuesday at 7?"), &store);
    let events = stored(&outcome);
    assert_eq!(events.len(), 1, "{outcome:?}");
    assert_eq!(events[0].start, rome(24, 7));
}

#[test]
fn an_offices_own_invitation_letter_is_the_one_sent() {
    let (dir, _) = office();
    dir.write(
        "templates/letters/meeting/invitation.txt",
        "{{ greeting }}\n\nSee you {{ when }} with {{ owner }}.\n\n{{ signature }}\n",
    );
    let set = dir.load();
    let store = Store::open_in_memory().unwrap();
    let outcome =
        run(&set, &plain_call(), &words("Budget review", "Could we meet on Tuesday at 3pm?"), &store);
    let text = invitation_text(&outcome);
    assert!(text.contains("See you Tue 24 Nov 2026 15:00–15:30 CET with Giulia Rossi."), "{text}");
    assert!(!text.contains("I read this as"), "{text}");
}

#[test]
fn a_request_that_fits_several_meetings_tells_the_owner_in_the_offices_language() {
    let (dir, _) = office();
    let office = std::fs::read_to_string(dir.path().join("office.toml")).unwrap();
    dir.write("office.toml", &office.replacen("language = \"en\"", "language = \"it\"", 1));
    let set = dir.load();
    let mut store = Store::open_in_memory().unwrap();
    booked_tuesday(&set, &mut store);
    let outcome =
        run(&set, &plain_call(), &out_of_thread("Please cancel the meeting on Wednesday at 10."), &store);
    let subjects: Vec<String> = outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { kind: MailKind::Notice, mail, .. } => Some(
                String::from_utf8_lossy(&mail.raw).lines().find(|l| l.starts_with("Subject:"))?.to_owned(),
            ),
            _ => None,
        })
        .collect();
    assert_eq!(subjects.len(), 1, "{outcome:?}");
    assert!(subjects[0].contains("Una modifica da verificare"), "{subjects:?}");
}

#[test]
fn the_owner_asking_for_a_meeting_herself_is_its_one_accepted_attendee() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let mut msg =
        words("Budget review", "Could we meet on Tuesday at 3pm? Please invite anna@client.example.");
    msg.from = vec![Address { name: Some("Giulia Rossi".into()), email: "Giulia@office.example".into() }];
    let outcome = run(&set, &plain_call(), &msg, &store);
    let events = stored(&outcome);
    let event =
        events.iter().find(|e| e.attendees.len() > 1).unwrap_or_else(|| panic!("booked: {outcome:?}"));
    let owner: Vec<_> = event.attendees.iter().filter(|a| a.party.is("giulia@office.example")).collect();
    assert_eq!(owner.len(), 1, "{:?}", event.attendees);
    assert_eq!(owner[0].partstat, PartStat::Accepted);
    assert!(event.attendees.iter().any(|a| a.party.is("anna@client.example")), "{:?}", event.attendees);
}

#[test]
fn a_booking_by_someone_else_is_copied_to_the_calendars_owner_under_the_same_uid() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let outcome =
        run(&set, &plain_call(), &words("Budget review", "Could we meet on Tuesday at 3pm?"), &store);
    let mails = sent(&outcome);
    assert_eq!(mails.len(), 2, "{outcome:?}");
    let (to, copy) = &mails[1];
    assert_eq!(to, &["giulia@office.example"]);
    assert_eq!(copy.method, Method::Request);
    assert_eq!(copy.events[0].uid, mails[0].1.events[0].uid);
    assert_eq!(copy.events[0].sequence, 0);
}

#[test]
fn a_cancellation_by_someone_else_is_copied_to_the_owner_as_a_cancel_with_the_next_sequence() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let booked = booked_tuesday(&set, &mut store);
    let outcome = run(&set, &plain_call(), &in_thread("Sorry, I need to cancel."), &store);
    let copy = sent(&outcome).into_iter().find(|(to, _)| to == &["giulia@office.example"]);
    let (_, copy) = copy.unwrap_or_else(|| panic!("the owner got no copy: {outcome:?}"));
    assert_eq!(copy.method, Method::Cancel);
    assert_eq!((copy.events[0].uid.as_str(), copy.events[0].sequence), (booked.uid.as_str(), 1));
}

#[test]
fn a_move_by_someone_else_is_copied_to_the_owner_as_an_update() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let booked = booked_tuesday(&set, &mut store);
    let outcome = run(&set, &plain_call(), &in_thread("Can we move it to Wednesday at 11?"), &store);
    let copy = sent(&outcome).into_iter().find(|(to, _)| to == &["giulia@office.example"]);
    let (_, copy) = copy.unwrap_or_else(|| panic!("the owner got no copy: {outcome:?}"));
    assert_eq!(copy.method, Method::Request);
    assert_eq!(
        (copy.events[0].uid.as_str(), copy.events[0].sequence, copy.events[0].start),
        (booked.uid.as_str(), 1, rome(25, 11))
    );
}

#[test]
fn the_owner_asking_for_a_meeting_herself_gets_the_invitation_once() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let mut msg = words("Budget review", "Could we meet on Tuesday at 3pm?");
    msg.from = vec![Address { name: Some("Giulia Rossi".into()), email: "giulia@office.example".into() }];
    let outcome = run(&set, &plain_call(), &msg, &store);
    let to_her =
        sent(&outcome).into_iter().filter(|(to, _)| to.contains(&"giulia@office.example".to_owned())).count();
    assert_eq!(to_her, 1, "{outcome:?}");
}

#[test]
fn the_owner_cancelling_a_meeting_she_asked_for_gets_the_cancellation_once() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let giulia =
        || vec![Address { name: Some("Giulia Rossi".into()), email: "giulia@office.example".into() }];
    let mut ask =
        words("Budget review", "Could we meet on Tuesday at 3pm? Please invite anna@client.example.");
    ask.from = giulia();
    let booked = run(&set, &plain_call(), &ask, &store);
    apply(&mut store, &booked);
    let mut cancel = in_thread("Sorry, I need to cancel.");
    cancel.from = giulia();
    let outcome = run(&set, &plain_call(), &cancel, &store);
    let to_her: Vec<_> = sent(&outcome)
        .into_iter()
        .filter(|(to, _)| to.contains(&"giulia@office.example".to_owned()))
        .collect();
    assert_eq!(to_her.len(), 1, "{outcome:?}");
    assert_eq!(to_her[0].1.method, Method::Cancel);
}

/// The test office with a staff directory: Bob Bianchi, Bob Rossi and Carla Neri.
fn office_with_staff() -> (Dir, RuleSet) {
    let dir = Dir::with_rules("[[rule]]\nname = \"invitations\"\ndesk = \"meeting\"\n");
    let staff = "\n[[staff]]\nname = \"Bob Bianchi\"\naddress = \"bob.bianchi@office.example\"\n\
                 \n[[staff]]\nname = \"Bob Rossi\"\naddress = \"bob.rossi@office.example\"\n\
                 \n[[staff]]\nname = \"Carla Neri\"\naddress = \"carla.neri@office.example\"\n";
    dir.write("office.toml", &format!("{OFFICE}{CALENDAR}{staff}"));
    let set = dir.load();
    (dir, set)
}

#[test]
fn people_named_without_an_address_are_invited_from_the_staff_directory() {
    let (_dir, set) = office_with_staff();
    let store = Store::open_in_memory().unwrap();
    let msg = words("Budget review", "Could we meet on Tuesday at 3pm with Bob Bianchi and Carla Neri?");
    let outcome = run(&set, &plain_call(), &msg, &store);
    let (to, itip) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example", "bob.bianchi@office.example", "carla.neri@office.example"]);
    let attendees: Vec<&str> = itip.events[0].attendees.iter().map(|a| a.party.email.as_str()).collect();
    assert!(attendees.contains(&"carla.neri@office.example"), "{attendees:?}");
}

#[test]
fn an_italian_request_naming_a_colleague_invites_her() {
    let (_dir, set) = office_with_staff();
    let store = Store::open_in_memory().unwrap();
    let msg = words("Riunione", "Possiamo vederci martedì alle 15 con Carla Neri?");
    let outcome = run(&set, &plain_call(), &msg, &store);
    let (to, _) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example", "carla.neri@office.example"]);
}

#[test]
fn a_name_nobody_in_the_office_has_is_said_in_the_answer_and_no_address_is_guessed() {
    let (_dir, set) = office_with_staff();
    let store = Store::open_in_memory().unwrap();
    let msg = words("Budget review", "Could we meet on Tuesday at 3pm with Marco Conti?");
    let outcome = run(&set, &plain_call(), &msg, &store);
    let (to, _) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example"]);
    let text = invitation_text(&outcome);
    assert!(text.contains("I have not invited Marco Conti: I find no one of that name"), "{text}");
}

#[test]
fn a_first_name_two_of_the_staff_have_is_asked_about_and_neither_is_invited() {
    let (_dir, set) = office_with_staff();
    let store = Store::open_in_memory().unwrap();
    let msg = words("Budget review", "Could we meet on Tuesday at 3pm with Bob?");
    let outcome = run(&set, &plain_call(), &msg, &store);
    let (to, _) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example"]);
    let text = invitation_text(&outcome);
    assert!(
        text.contains("I have not invited anyone for \"Bob\": the office has Bob Bianchi, Bob Rossi"),
        "{text}"
    );
}

#[test]
fn times_offered_say_which_names_will_not_be_invited() {
    let (_dir, set) = office_with_staff();
    let store = Store::open_in_memory().unwrap();
    let msg = words("Budget review", "Can we have a call with Bob and Carla Neri next week?");
    let outcome = run(&set, &plain_call(), &msg, &store);
    let held = proposals(&outcome);
    let invited: Vec<&str> = held[0].participants.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(invited, ["carla.neri@office.example"]);
    let text = &replies(&outcome)[0];
    assert!(text.contains("I will not invite anyone for \"Bob\""), "{text}");
}

#[test]
fn the_title_says_who_and_what_from_the_senders_name_and_the_subject() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let mut msg = words("Richiesta appuntamento - ristrutturazione, Via Roma", "Martedì alle 15?");
    msg.from = vec![Address { name: Some("Marco Conti".into()), email: "marco@conti.example".into() }];
    let outcome = run(&set, &plain_call(), &msg, &store);
    assert_eq!(stored(&outcome)[0].summary, "Marco Conti – ristrutturazione, Via Roma");
}

#[test]
fn a_subject_that_says_only_meeting_gives_a_title_of_whom_with() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let outcome = run(&set, &plain_call(), &words("Appointment request", "Tuesday at 3pm?"), &store);
    assert_eq!(stored(&outcome)[0].summary, "Meeting with Anna Bianchi");
}

#[test]
fn a_subject_that_asks_a_question_gives_a_title_of_whom_with() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let outcome = run(&set, &plain_call(), &words("Can we meet Tuesday at 3pm?", "Tuesday at 3pm?"), &store);
    assert_eq!(stored(&outcome)[0].summary, "Meeting with Anna Bianchi");
}

#[test]
fn the_invitation_keeps_the_threads_subject_and_says_the_date_in_its_first_line() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let outcome = run(&set, &plain_call(), &words("Budget review", "Tuesday at 3pm?"), &store);
    let mail = outcome
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { kind: MailKind::Calendar, mail, .. } => Some(Message::parse(&mail.raw).unwrap()),
            _ => None,
        })
        .expect("an invitation");
    assert_eq!(mail.subject, "Re: Budget review");
    assert_eq!(
        mail.text.lines().next(),
        Some("Booked: Anna Bianchi – Budget review, Tue 24 Nov 2026 15:00–15:30 CET")
    );
}

#[test]
fn a_colleague_with_a_calendar_of_her_own_has_the_meeting_there_too_and_it_follows_a_cancellation() {
    let dir = Dir::with_rules("[[rule]]\nname = \"invitations\"\ndesk = \"meeting\"\n");
    let carla = "\n[[calendar]]\nname = \"carla\"\nowner = \"carla.neri@office.example\"\n\n\
                 [[staff]]\nname = \"Carla Neri\"\naddress = \"carla.neri@office.example\"\ncalendar = \"carla\"\n";
    dir.write("office.toml", &format!("{OFFICE}{CALENDAR}{carla}"));
    let set = dir.load();
    let mut store = Store::open_in_memory().unwrap();
    let outcome =
        run(&set, &plain_call(), &words("Budget review", "Tuesday at 3pm with Carla Neri?"), &store);
    let calendars: Vec<String> = stored(&outcome).into_iter().map(|e| e.calendar).collect();
    assert_eq!(calendars, ["carla", "giulia"], "{outcome:?}");
    apply(&mut store, &outcome);
    let cancelled = run(&set, &plain_call(), &in_thread("Sorry, I need to cancel."), &store);
    let statuses: Vec<(String, EventStatus)> =
        stored(&cancelled).into_iter().map(|e| (e.calendar, e.status)).collect();
    assert!(statuses.contains(&("carla".to_owned(), EventStatus::Cancelled)), "{statuses:?}");
}

#[test]
fn a_subject_that_says_only_whom_from_gives_a_title_of_whom_with() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let mut msg = words("Richiesta appuntamento da Marco Conti", "Martedì alle 15?");
    msg.from = vec![Address { name: Some("Marco Conti".into()), email: "marco@conti.example".into() }];
    let outcome = run(&set, &plain_call(), &msg, &store);
    assert_eq!(stored(&outcome)[0].summary, "Meeting with Marco Conti");
}

#[test]
fn a_time_chosen_from_those_offered_invites_the_people_named_and_says_the_names_left_out_again() {
    let (_dir, set) = office_with_staff();
    let mut store = Store::open_in_memory().unwrap();
    busy_tuesday_afternoon(&mut store);
    let msg = words("Budget review", "Could we meet on Tuesday at 3pm with Carla Neri, Bob and Marco Conti?");
    let offer = run(&set, &plain_call(), &msg, &store);
    let held = proposals(&offer).remove(0);
    store.put_proposal(&held).unwrap();
    let reopened = store.open_proposal(std::slice::from_ref(&held.message_id)).unwrap();
    assert_eq!(reopened.as_ref(), Some(&held), "what was left out is stored with the offer");

    let outcome = run(&set, &plain_call(), &reply_to(&held, "The 2 works, thanks"), &store);
    let (to, _) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example", "carla.neri@office.example"]);
    let text = invitation_text(&outcome);
    assert!(text.contains("I have not invited Marco Conti: I find no one of that name"), "{text}");
    assert!(
        text.contains("I have not invited anyone for \"Bob\": the office has Bob Bianchi, Bob Rossi"),
        "{text}"
    );
}

/// [`office_with_staff`] with a second owner of the office, Marta Verdi, who does not own the calendar.
fn office_with_a_second_owner() -> (Dir, RuleSet) {
    let (dir, _) = office_with_staff();
    let marta = "\n[[owner]]\nname = \"Marta Verdi\"\naddress = \"marta@office.example\"\n";
    let text = std::fs::read_to_string(dir.path().join("office.toml")).unwrap();
    dir.write("office.toml", &format!("{text}{marta}"));
    let set = dir.load();
    (dir, set)
}

#[test]
fn another_owner_of_the_office_named_in_a_request_is_invited_like_staff() {
    let (_dir, set) = office_with_a_second_owner();
    let store = Store::open_in_memory().unwrap();
    let msg = words("Budget review", "Could we meet on Tuesday at 3pm with Marta Verdi?");
    let outcome = run(&set, &plain_call(), &msg, &store);
    let (to, itip) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example", "marta@office.example"]);
    let marta = itip.events[0].attendees.iter().find(|a| a.party.is("marta@office.example"));
    assert_eq!(marta.map(|a| a.partstat), Some(PartStat::NeedsAction), "{itip:?}");
}

#[test]
fn another_owner_invited_by_name_gets_the_cancellation_too() {
    let (_dir, set) = office_with_a_second_owner();
    let mut store = Store::open_in_memory().unwrap();
    let msg = words("Budget review", "Could we meet on Tuesday at 3pm with Marta Verdi?");
    let booked = run(&set, &plain_call(), &msg, &store);
    apply(&mut store, &booked);
    let outcome = run(&set, &plain_call(), &in_thread("Sorry, I need to cancel."), &store);
    let (to, itip) = &sent(&outcome)[0];
    assert_eq!(itip.method, Method::Cancel);
    assert_eq!(to, &["anna@client.example", "marta@office.example"]);
}
