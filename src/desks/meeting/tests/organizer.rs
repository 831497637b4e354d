//! Specifications of the calendar as organizer and of cancellations: a new time an attendee proposes
//! is put to the owner and her answer carried out; with `accept_counter` the room moves with the
//! meeting; a series is cancelled whole; an invitation without organizer is reported; a time asked
//! for in the past is refused as past.

use chrono::FixedOffset;

use super::*;
use crate::calendar::availability::Slot;
use crate::calendar::event::occurrences;
use crate::calendar::proposal::Counter;

/// The owner's note about a new time proposed: its Message-ID, subject and text.
fn owners_note(outcome: &Outcome) -> (String, String, String) {
    outcome
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { kind: MailKind::Notice, mail, .. } => {
                let parsed = Message::parse(&mail.raw).unwrap();
                Some((mail.message_id.clone(), parsed.subject, parsed.text))
            }
            _ => None,
        })
        .expect("a note to the owner")
}

fn counters(outcome: &Outcome) -> Vec<Counter> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::PutCounter(c) => Some((**c).clone()),
            _ => None,
        })
        .collect()
}

fn closes_counter(outcome: &Outcome) -> bool {
    outcome.effects.iter().any(|e| matches!(e, Effect::CloseCounter { .. }))
}

/// Anna proposes Wednesday 25 at 11 for the meeting the office organised (Tuesday 24 at 15); the
/// owner is asked, and the question is kept in `store`.
fn proposed_and_asked(set: &RuleSet, store: &mut Store) -> Counter {
    organised(store);
    let outcome =
        run(set, &call(None, None), &answer_from_anna("COUNTER", "NEEDS-ACTION", rome(25, 11)), store);
    let counter = counters(&outcome).pop().expect("the question is held");
    store.put_counter(&counter).unwrap();
    counter
}

/// Giulia, the calendar's owner, answering the note about the proposal with `text`.
fn giulias_answer(counter: &Counter, text: &str) -> Message {
    Message {
        from: vec![Address { name: Some("Giulia".into()), email: "giulia@office.example".into() }],
        to: vec![Address { name: None, email: "assistant@office.example".into() }],
        subject: format!("Re: New time proposed: Budget review [{}]", counter.reference),
        text: format!("{text}\n\nOn Mon, Office Assistant wrote:\n> Anna proposes to move \"Budget review\""),
        date: Some(now().with_timezone(&FixedOffset::east_opt(3600).unwrap())),
        message_id: Some("giulia-answer@office.example".into()),
        in_reply_to: vec![counter.message_id.clone()],
        references: vec![counter.message_id.clone()],
        ..Message::default()
    }
}

#[test]
fn a_proposed_new_time_is_put_to_the_owner_with_a_reference_and_changes_and_books_nothing() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    organised(&mut store);
    let outcome =
        run(&set, &call(None, None), &answer_from_anna("COUNTER", "NEEDS-ACTION", rome(25, 11)), &store);
    assert!(stored(&outcome).is_empty(), "nothing is booked or moved: {outcome:?}");
    let (id, subject, text) = owners_note(&outcome);
    let counter = &counters(&outcome)[0];
    assert_eq!((counter.message_id.as_str(), counter.uid.as_str()), (id.as_str(), "ours-1"));
    assert_eq!(counter.slot, Slot { start: rome(25, 11), end: rome(25, 12) });
    assert_eq!(subject, format!("New time proposed: Budget review [{}]", counter.reference));
    // Anna's program writes her address in capitals, as she is named in the proposal.
    assert!(text.contains("ANNA@client.example proposes to move \"Budget review\""), "{text}");
    assert!(text.contains("\"yes\"") && text.contains("\"no\""), "the note says how to answer: {text}");
}

#[test]
fn the_owners_yes_moves_the_meeting_with_its_uid_and_a_higher_sequence_and_tells_the_attendee() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let counter = proposed_and_asked(&set, &mut store);
    let outcome = run(&set, &call(None, None), &giulias_answer(&counter, "Yes, go ahead."), &store);
    let moved = stored(&outcome);
    assert_eq!(moved.len(), 1, "{outcome:?}");
    assert_eq!((moved[0].uid.as_str(), moved[0].start, moved[0].sequence), ("ours-1", rome(25, 11), 1));
    let (to, update) = &sent(&outcome)[0];
    assert_eq!(to, &["anna@client.example"]);
    assert_eq!(update.method, Method::Request);
    assert_eq!((update.events[0].uid.as_str(), update.events[0].sequence), ("ours-1", 1));
    assert!(closes_counter(&outcome));
    let (_, subject, text) = owners_note(&outcome);
    assert!(
        subject.starts_with("Re: New time proposed") && subject.contains(&counter.reference),
        "{subject}"
    );
    assert!(text.starts_with("Done: \"Budget review\" moves from"), "{text}");
    let copy = sent(&outcome).into_iter().find(|(to, _)| to == &["giulia@office.example"]);
    let (_, copy) = copy.unwrap_or_else(|| panic!("the owner's calendar is not told: {outcome:?}"));
    assert_eq!(
        (copy.method, copy.events[0].sequence, copy.events[0].start),
        (Method::Request, 1, rome(25, 11))
    );
}

#[test]
fn the_owners_no_declines_the_proposal_and_keeps_the_meeting() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let counter = proposed_and_asked(&set, &mut store);
    let outcome = run(&set, &call(None, None), &giulias_answer(&counter, "No, keep it as it is."), &store);
    assert!(stored(&outcome).is_empty(), "{outcome:?}");
    let (to, declined) = &sent(&outcome)[0];
    assert_eq!(to, &["ANNA@client.example"]);
    assert_eq!(declined.method, Method::DeclineCounter);
    assert!(closes_counter(&outcome));
}

#[test]
fn an_answer_that_says_neither_yes_nor_no_is_asked_again_and_changes_nothing() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let counter = proposed_and_asked(&set, &mut store);
    let outcome = run(&set, &call(None, None), &giulias_answer(&counter, "Let me think about it."), &store);
    assert!(stored(&outcome).is_empty() && sent(&outcome).is_empty(), "{outcome:?}");
    assert!(!closes_counter(&outcome), "the question stays open");
    let (_, _, text) = owners_note(&outcome);
    assert!(text.starts_with("I could not tell from your answer"), "{text}");
}

#[test]
fn a_hesitation_a_question_a_no_beside_a_time_or_a_day_without_the_proposal_is_asked_again() {
    let (_dir, set) = office();
    for answer in [
        "I'm not sure yet.",
        "Non so ancora.",
        "Bob, is Thursday at 11 ok?",
        "No, I'm with a client Thursday at 11.",
        "Move it to Thursday.",
        "Why not Friday?",
    ] {
        let mut store = Store::open_in_memory().unwrap();
        let counter = proposed_and_asked(&set, &mut store);
        let outcome = run(&set, &call(None, None), &giulias_answer(&counter, answer), &store);
        assert!(stored(&outcome).is_empty() && sent(&outcome).is_empty(), "{answer}: {outcome:?}");
        assert!(!closes_counter(&outcome), "{answer}: the question stays open");
    }
}

#[test]
fn a_yes_naming_the_proposed_day_moves_the_meeting_to_the_proposed_time() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let counter = proposed_and_asked(&set, &mut store);
    let outcome = run(&set, &call(None, None), &giulias_answer(&counter, "Yes, Wednesday is fine."), &store);
    assert_eq!(stored(&outcome)[0].start, rome(25, 11), "{outcome:?}");
}

#[test]
fn the_owner_naming_another_time_moves_the_meeting_there() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let counter = proposed_and_asked(&set, &mut store);
    let msg = giulias_answer(&counter, "Not then: move it to Thursday at 10 please.");
    let outcome = run(&set, &call(None, None), &msg, &store);
    let moved = stored(&outcome);
    assert_eq!((moved[0].start, moved[0].end), (rome(26, 10), rome(26, 11)), "{outcome:?}");
    let (_, update) = &sent(&outcome)[0];
    assert_eq!(update.events[0].start, rome(26, 10));
}

#[test]
fn an_answer_whose_thread_was_lost_is_found_by_the_reference_in_its_subject() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let counter = proposed_and_asked(&set, &mut store);
    let mut msg = giulias_answer(&counter, "sì, va bene");
    msg.in_reply_to.clear();
    msg.references.clear();
    let outcome = run(&set, &call(None, None), &msg, &store);
    assert_eq!(stored(&outcome)[0].start, rome(25, 11), "{outcome:?}");
}

#[test]
fn only_the_owner_answers_a_question_put_to_her() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let counter = proposed_and_asked(&set, &mut store);
    let mut msg = giulias_answer(&counter, "Yes");
    msg.from = vec![Address { name: None, email: "anna@client.example".into() }];
    assert_eq!(owners_answer(&set.office, &msg, &store).unwrap(), None);
    let from_giulia = giulias_answer(&counter, "Yes");
    assert_eq!(owners_answer(&set.office, &from_giulia, &store).unwrap(), Some(counter));
}

#[test]
fn a_counter_accepted_by_the_rule_moves_the_room_with_the_meeting() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    organised(&mut store);
    let mut meeting = store.event_rows("giulia", "ours-1").unwrap().remove(0);
    meeting.location = Some("Sala Verde".into());
    store.put_event(&meeting).unwrap();
    store.put_event(&Event { calendar: "Sala Verde".into(), attendees: Vec::new(), ..meeting }).unwrap();
    let outcome = run(
        &set,
        &call(None, Some(true)),
        &answer_from_anna("COUNTER", "NEEDS-ACTION", rome(25, 11)),
        &store,
    );
    let events = stored(&outcome);
    let room = events.iter().find(|e| e.calendar == "Sala Verde").expect("the room's booking moves");
    assert_eq!((room.start, room.end, room.sequence), (rome(25, 11), rome(25, 12), 1));
    let held = events.iter().find(|e| e.calendar == "giulia").unwrap();
    assert_eq!((held.start, held.location.as_deref()), (rome(25, 11), Some("Sala Verde")));
}

/// A weekly series from Anna, from Tuesday 24 at 10, with its instance of 1 December moved to 11.
fn weekly_series_with_a_moved_instance(set: &RuleSet, store: &mut Store) {
    let series = calendar("REQUEST", "weekly", 0, rome(24, 10), "RRULE:FREQ=WEEKLY\r\n");
    let week_later = rome(24, 10) + chrono::Duration::days(7);
    let moved = calendar("REQUEST", "weekly", 0, week_later + chrono::Duration::hours(1), "")
        .replace("UID:weekly\r\n", &format!("UID:weekly\r\nRECURRENCE-ID:{}\r\n", ics_time(week_later)));
    book(set, &call(None, None), store, message("anna@client.example", series));
    book(set, &call(None, None), store, message("anna@client.example", moved));
}

#[test]
fn a_cancel_of_a_series_listing_its_moved_instance_cancels_the_whole_series() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    weekly_series_with_a_moved_instance(&set, &mut store);
    let week_later = rome(24, 10) + chrono::Duration::days(7);
    // Outlook cancels a series with each exception in the same calendar.
    let both = calendar("CANCEL", "weekly", 1, rome(24, 10), "RRULE:FREQ=WEEKLY\r\n").replace(
        "END:VCALENDAR",
        &calendar("CANCEL", "weekly", 1, week_later, &format!("RECURRENCE-ID:{}\r\n", ics_time(week_later)))
            .split_once("BEGIN:VEVENT")
            .map(|(_, event)| format!("BEGIN:VEVENT{event}"))
            .unwrap()
            .replace("END:VCALENDAR\r\n", "END:VCALENDAR"),
    );
    let outcome = run(&set, &call(None, None), &message("anna@client.example", both), &store);
    apply(&mut store, &outcome);
    let rows = store.event_rows("giulia", "weekly").unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|e| e.status == EventStatus::Cancelled), "{rows:?}");
    let listed = occurrences(&rows, rome(23, 0), rome(23, 0) + chrono::Duration::days(21));
    assert_eq!(listed.occurrences.len(), 3, "every instance is listed");
    assert!(listed.occurrences.iter().all(|o| o.status() == EventStatus::Cancelled));
}

#[test]
fn two_instances_cancelled_in_one_message_both_become_exdates() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    let series = calendar("REQUEST", "weekly", 0, rome(24, 10), "RRULE:FREQ=WEEKLY\r\n");
    book(&set, &call(None, None), &mut store, message("anna@client.example", series));
    let (first, second) = (rome(24, 10), rome(24, 10) + chrono::Duration::days(7));
    let instance = |at| {
        calendar("CANCEL", "weekly", 1, at, &format!("RECURRENCE-ID:{}\r\n", ics_time(at)))
            .split_once("BEGIN:VEVENT")
            .map(|(_, event)| format!("BEGIN:VEVENT{}", event.replace("END:VCALENDAR\r\n", "")))
            .unwrap()
    };
    let text = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\n{}{}END:VCALENDAR\r\n",
        instance(first),
        instance(second)
    );
    let outcome = run(&set, &call(None, None), &message("anna@client.example", text), &store);
    apply(&mut store, &outcome);
    let master = &store.event_rows("giulia", "weekly").unwrap()[0];
    assert_eq!(master.exdates, [first, second]);
    assert_eq!(master.status, EventStatus::Confirmed);
}

#[test]
fn an_invitation_without_organizer_is_held_as_tentative_and_reported_to_the_owner() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let text = calendar("REQUEST", "m1", 0, rome(24, 15), "")
        .replace("ORGANIZER;CN=Anna Bianchi:mailto:anna@client.example\r\n", "");
    let outcome = run(&set, &call(None, None), &message("anna@client.example", text), &store);
    let events = stored(&outcome);
    assert_eq!(events[0].status, EventStatus::Tentative, "never confirmed: {outcome:?}");
    let giulia = events[0].attendees.iter().find(|a| a.party.is("giulia@office.example")).unwrap();
    assert_eq!(giulia.partstat, PartStat::Tentative, "her answer agrees with the status");
    assert!(events[0].attendees.iter().all(|a| a.partstat != PartStat::Accepted), "{events:?}");
    assert!(sent(&outcome).is_empty(), "nobody to answer");
    let (_, subject, text) = owners_note(&outcome);
    assert_eq!(subject, "Invitation without organizer: Budget review");
    assert!(text.contains("names no organizer") && text.contains("as tentative"), "{text}");
}

#[test]
fn a_time_asked_for_in_the_past_is_refused_as_past_not_for_notice() {
    let (_dir, set) = office();
    let store = Store::open_in_memory().unwrap();
    let msg = Message {
        from: vec![Address { name: Some("Anna Bianchi".into()), email: "anna@client.example".into() }],
        to: vec![Address { name: None, email: "assistant@office.example".into() }],
        subject: "Meeting".into(),
        text: "Could we meet today at 8:30?".into(),
        date: Some(now().with_timezone(&FixedOffset::east_opt(3600).unwrap())),
        message_id: Some("past@client.example".into()),
        ..Message::default()
    };
    let outcome = run(&set, &call(None, None), &msg, &store);
    assert!(stored(&outcome).is_empty());
    let text = outcome
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { mail, .. } => Some(Message::parse(&mail.raw).unwrap().text),
            _ => None,
        })
        .expect("an answer");
    assert!(text.contains("that time has already passed"), "{text}");
    assert!(!text.contains("notice"), "{text}");
}

#[test]
fn new_times_proposed_for_a_series_and_one_of_its_instances_in_one_message_are_two_questions() {
    let (_dir, set) = office();
    let mut store = Store::open_in_memory().unwrap();
    organised(&mut store);
    let week = chrono::Duration::days(7);
    let mut series = store.event_rows("giulia", "ours-1").unwrap().remove(0);
    series.rrule = Some("FREQ=WEEKLY;COUNT=3".into());
    store.put_event(&series).unwrap();
    let instance = Event { recurrence_id: Some(rome(24, 15) + week), rrule: None, ..series.clone() };
    store.put_event(&Event { start: rome(24, 15) + week, end: rome(24, 16) + week, ..instance }).unwrap();
    let vevent = |start: DateTime<Utc>, recurrence: &str| {
        format!(
            "BEGIN:VEVENT\r\nUID:ours-1\r\nSEQUENCE:0\r\n{recurrence}DTSTART:{}\r\nDTEND:{}\r\n\
             ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:anna@client.example\r\nEND:VEVENT\r\n",
            ics_time(start),
            ics_time(start + chrono::Duration::hours(1))
        )
    };
    let text = format!(
        "BEGIN:VCALENDAR\r\nMETHOD:COUNTER\r\n{}{}END:VCALENDAR\r\n",
        vevent(rome(25, 11), ""),
        vevent(rome(25, 11) + week, &format!("RECURRENCE-ID:{}\r\n", ics_time(rome(24, 15) + week)))
    );
    let outcome = run(&set, &call(None, None), &message("anna@client.example", text), &store);
    let asked = counters(&outcome);
    assert_eq!(asked.len(), 2, "{outcome:?}");
    assert_ne!(asked[0].message_id, asked[1].message_id);
    assert_ne!(asked[0].reference, asked[1].reference);
    let notes: Vec<String> = outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { kind: MailKind::Notice, mail, .. } => Some(mail.message_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        notes,
        [asked[0].message_id.clone(), asked[1].message_id.clone()],
        "each question its own note"
    );
}
