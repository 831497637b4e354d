//! An event's guests: the organiser's command sends the invitations, once per guest; calendar and
//! plain-word answers are counted; the reminder job writes once to those who have not answered.

use super::*;
use crate::calendar::ics::Method;

/// The office of the event desk's tests, with the `event-reminders` job.
fn office_with_reminders() -> (Dir, RuleSet) {
    let dir = Dir::new();
    dir.write("office.toml", &format!("{OFFICE}\n{EVENTS}"));
    dir.write(
        "10.rules.toml",
        &format!(
            "{RULES}\n[[schedule]]\nname = \"guests\"\ncron = \"0 9 * * *\"\njob = \"event-reminders\"\n"
        ),
    );
    let set = dir.load();
    (dir, set)
}

const REQUEST: &str = "Christmas dinner on Friday 11 December from 8pm to 11pm for 25 people. \
                       Please invite the design team and send the invitations.";

fn from(address: &str, subject: &str, id: &str, answering: &str, body: &str) -> Vec<u8> {
    let headers = format!("In-Reply-To: <{answering}>\r\nReferences: <{answering}>\r\n");
    String::from_utf8(mail(address, subject, id, &headers, body))
        .unwrap()
        .replace("Chiara Neri", "Someone")
        .into_bytes()
}

/// The request, answered, and the organiser's command in its thread: the answer to the command.
fn invited(rules: &RuleSet, store: &mut Store) -> Handled {
    let raw = mail("chiara@office.example", "Christmas dinner", "req@office.example", "", REQUEST);
    let first = handle(rules, store, &raw);
    assert!(first.sent(MailKind::Calendar).is_empty(), "a first request invites no one: {:?}", first.notes);
    let answer = first.answer();
    assert!(answer.text.contains("reply \"send the invitations\""), "{}", answer.text);
    let id = answer.message_id.unwrap();
    handle(
        rules,
        store,
        &from(
            "chiara@office.example",
            "Re: Christmas dinner",
            "cmd@office.example",
            &id,
            "Ok, send the invitations.",
        ),
    )
}

#[test]
fn the_organisers_command_invites_each_guest_once_with_an_imip_request() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let handled = invited(&rules, &mut store);
    let invitations = handled.sent(MailKind::Calendar);
    let to: Vec<&str> = invitations.iter().map(|m| m.to[0].email.as_str()).collect();
    assert_eq!(to, ["bob@office.example", "anna@office.example"]);
    let calendar = &invitations[0].calendars[0];
    assert_eq!(calendar.method.as_deref(), Some(Method::Request.as_str()));
    assert!(calendar.text.contains("UID:ev-2026-0001@office.example"), "{}", calendar.text);
    assert!(handled.answer().text.contains("to Bob Bianchi, Anna Neri"), "{}", handled.answer().text);
    let event = store.planned_event(FIRST).unwrap().unwrap();
    assert!(event.guests.iter().all(|g| g.invited_at.is_some()));

    let again = handle(
        &rules,
        &mut store,
        &from(
            "chiara@office.example",
            "Re: Christmas dinner [EV-2026-0001]",
            "cmd2@office.example",
            "x@y",
            "Send the invitations please",
        ),
    );
    assert!(again.sent(MailKind::Calendar).is_empty(), "{:?}", again.notes);
    assert!(again.answer().text.contains("had their invitation already"), "{}", again.answer().text);

    // A guest added later is invited alone on the next command.
    let later = handle(
        &rules,
        &mut store,
        &from(
            "chiara@office.example",
            "Re: Christmas dinner [EV-2026-0001]",
            "cmd3@office.example",
            "x@y",
            "Please also invite luca@office.example and send the invitations.",
        ),
    );
    let to: Vec<String> = later.sent(MailKind::Calendar).iter().map(|m| m.to[0].email.clone()).collect();
    assert_eq!(to, ["luca@office.example"]);
    assert!(later.answer().text.contains("(2 guests were invited before)"), "{}", later.answer().text);
}

#[test]
fn a_tentative_reply_waits_and_a_reply_from_someone_not_invited_is_not_counted() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    invited(&rules, &mut store);
    let reply = |who: &str, partstat: &str, id: &str| {
        format!(
            "From: {who}\r\nTo: assistant@office.example\r\nSubject: Reply\r\nMessage-ID: <{id}>\r\n\
             Content-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\n\
             BEGIN:VEVENT\r\nUID:ev-2026-0001@office.example\r\nDTSTAMP:20261207T100000Z\r\n\
             DTSTART:20261211T190000Z\r\nDTEND:20261211T220000Z\r\n\
             ATTENDEE;PARTSTAT={partstat}:mailto:{who}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        .into_bytes()
    };
    handle(&rules, &mut store, &reply("bob@office.example", "TENTATIVE", "r1@office.example"));
    let stranger = handle(&rules, &mut store, &reply("eve@else.example", "ACCEPTED", "r2@else.example"));
    assert!(stranger.notes.iter().any(|n| n.contains("not on its guest list")), "{:?}", stranger.notes);
    handle(&rules, &mut store, &reply("anna@office.example", "DECLINED", "r3@office.example"));
    let event = store.planned_event(FIRST).unwrap().unwrap();
    let answers: Vec<Option<bool>> = event.guests.iter().map(|g| g.answer).collect();
    assert_eq!(answers, [None, Some(false)]);
    assert_eq!(event.guests.len(), 2);
}

#[test]
fn an_answer_in_words_that_is_not_plain_goes_to_the_organiser_uncounted() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let handled = invited(&rules, &mut store);
    let to_bob = handled.sent(MailKind::Calendar).remove(0).message_id.unwrap();
    let unsure = handle(
        &rules,
        &mut store,
        &from(
            "bob@office.example",
            "Re: Invitation",
            "b1@office.example",
            &to_bob,
            "I might come, I'll let you know.",
        ),
    );
    let forwarded = unsure.sent(MailKind::Forward);
    assert_eq!(forwarded.len(), 1, "{:?}", unsure.notes);
    assert_eq!(forwarded[0].to[0].email, "chiara@office.example");
    assert!(forwarded[0].text.contains("I cannot tell from the words"), "{}", forwarded[0].text);
    assert_eq!(store.planned_event(FIRST).unwrap().unwrap().guests[0].answer, None);

    let plain = handle(
        &rules,
        &mut store,
        &from(
            "bob@office.example",
            "Re: Invitation",
            "b2@office.example",
            &to_bob,
            "Count me in! I'm vegan.",
        ),
    );
    assert!(plain.sent(MailKind::Forward).is_empty(), "{:?}", plain.notes);
    let bob = store.planned_event(FIRST).unwrap().unwrap().guests.remove(0);
    assert_eq!((bob.answer, bob.diet), (Some(true), Some(crate::planning::DietaryNeed::Vegan)));
}

#[test]
fn the_reminder_job_writes_once_to_the_invited_guests_who_have_not_answered() {
    let (_dir, rules) = office_with_reminders();
    let mut store = Store::open_in_memory().unwrap();
    let handled = invited(&rules, &mut store);
    let to_anna = handled.sent(MailKind::Calendar).remove(1).message_id.unwrap();
    handle(
        &rules,
        &mut store,
        &from("anna@office.example", "Re: Invitation", "a1@office.example", &to_anna, "Ci sarò!"),
    );
    let job = rules.schedules.iter().find(|s| s.job == crate::rules::Job::EventReminders).unwrap();

    let effects = crate::schedule::event_reminders::due(&rules, &store, job, now()).unwrap();
    let reminded: Vec<Message> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { mail, .. } => Some(Message::parse(&mail.raw).unwrap()),
            _ => None,
        })
        .collect();
    assert_eq!(reminded.len(), 1);
    assert_eq!(reminded[0].to[0].email, "bob@office.example");
    assert!(reminded[0].subject.starts_with("Reminder: Christmas dinner"), "{}", reminded[0].subject);
    for effect in &effects {
        if let Effect::Planning(change) = effect {
            store.put_planning(change).unwrap();
        }
    }
    assert!(crate::schedule::event_reminders::due(&rules, &store, job, now()).unwrap().is_empty());
}
