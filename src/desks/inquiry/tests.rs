//! The inquiry desk as a pure function: whole conversations, each message handled against a store that
//! holds the tickets the earlier messages left.

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::actions::NoHistory;
use crate::effects::{Effect, MailKind};
use crate::mail::compose::OutboundMail;
use crate::rules::tests::{Dir, OFFICE};
use crate::rules::{Desk as DeskName, RuleSet};
use crate::store::Store;

/// Questions about opening hours get an answer (in English or Italian); everything else goes to the
/// front desk, which promises an answer within 4 open hours.
const RULES: &str = r#"
[[rule]]
name = "opening hours"
when.text = { any = ["opening hours", "orari"] }
desk = "inquiry"
department = "front-desk"
answer = "faq/hours"

[[rule]]
name = "complaints"
when.text = { any = ["complaint", "reclamo"] }
desk = "inquiry"
department = "front-desk"
priority = "high"

[[rule]]
name = "questions"
desk = "inquiry"
department = "front-desk"
"#;

fn office() -> (Dir, RuleSet) {
    let dir = Dir::with_rules(RULES);
    dir.write(
        "office.toml",
        &OFFICE.replace(
            "front-desk = \"info@office.example\"",
            "front-desk = { address = \"info@office.example\", response_time = \"4h\" }",
        ),
    );
    dir.write("templates/faq/hours.txt", "We are open 9-17. {{ ticket.tag }}\n");
    dir.write("templates/faq/hours.it.txt", "Siamo aperti dalle 9 alle 17. {{ ticket.tag }}\n");
    let set = dir.load();
    (dir, set)
}

/// Thursday 3 December 2026, 10:00 in Rome.
fn now() -> DateTime<Utc> {
    chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap().with_timezone(&Utc)
}

/// A message from `from` to the assistant; `headers` are added as written (References, Cc, …).
fn mail(from: &str, subject: &str, id: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Anna Example <{from}>\r\nTo: assistant@office.example\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nDate: Thu, 03 Dec 2026 10:00:00 +0100\r\n{headers}\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// What the desk did with one message.
struct Handled {
    effects: Vec<Effect>,
    notes: Vec<String>,
}

impl Handled {
    fn sent(&self, kind: MailKind) -> Vec<&OutboundMail> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send { kind: k, mail, .. } if *k == kind => Some(mail),
                _ => None,
            })
            .collect()
    }

    fn ticket(&self) -> Option<&TicketChange> {
        self.effects.iter().find_map(|e| match e {
            Effect::Ticket(change) => Some(&**change),
            _ => None,
        })
    }

    /// The mail as its recipient reads it.
    fn read(mail: &OutboundMail) -> Message {
        Message::parse(&mail.raw).unwrap()
    }
}

/// Classifies `raw` with `rules` and runs the desk against `store`, keeping the ticket it changed.
fn handle(rules: &RuleSet, store: &mut Store, raw: &[u8], at: DateTime<Utc>) -> Handled {
    let msg = Message::parse(raw).unwrap();
    let classification = rules.classify(&msg);
    let call = classification.desk().expect("a rule hands it to a desk").clone();
    assert_eq!(call.desk, DeskName::Inquiry);
    let rule = classification.deciding().unwrap().name.clone();
    let guard = crate::guard::Verdict::of(&msg, &crate::guard::GuardPolicy::of(&rules.office));
    let cx = Context {
        rules,
        guard: &guard,
        call: &call,
        rule: &rule,
        msg: &msg,
        raw,
        content_hash: &format!("{raw:?}").len().to_string(),
        now: at,
    };
    let outcome = super::handle(&cx, &*store, &mut NoHistory).unwrap();
    let handled = Handled { effects: outcome.effects, notes: outcome.notes };
    if let Some(change) = handled.ticket() {
        store.put_ticket(change).unwrap();
    }
    handled
}

#[test]
fn a_question_with_an_answer_is_answered_and_the_ticket_marked_answered() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "anna@example.com",
        "Opening hours?",
        "q1@example.com",
        "",
        "What are your opening hours in December?",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    let replies = handled.sent(MailKind::Reply);
    assert_eq!(replies.len(), 1);
    let answer = Handled::read(replies[0]);
    assert_eq!(answer.subject, "Re: Opening hours? [#1001-9]");
    assert!(answer.text.contains("We are open 9-17. [#1001-9]"), "{}", answer.text);
    assert!(handled.sent(MailKind::Forward).is_empty(), "an answered ticket is not forwarded");
    let change = handled.ticket().unwrap();
    assert_eq!(change.ticket.number, TicketNumber(1001));
    assert_eq!(change.ticket.state, TicketState::Answered);
    assert_eq!(change.entries.len(), 2, "the question and clerk's answer");
}

#[test]
fn other_questions_are_acknowledged_with_the_due_time_and_forwarded_to_the_department() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "anna@example.com",
        "Invoice copy",
        "q1@example.com",
        "",
        "Could you send me a copy of invoice 123?",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    let ack = Handled::read(handled.sent(MailKind::Reply)[0]);
    assert_eq!(ack.subject, "Re: Invoice copy [#1001-9]");
    // Thursday 10:00 + 4 open hours of 09:00-17:00.
    assert!(ack.text.contains("by Thursday 3 December at 14:00"), "{}", ack.text);
    let forward = handled.sent(MailKind::Forward);
    assert_eq!(forward[0].recipients, ["info@office.example"]);
    let forwarded = Handled::read(forward[0]);
    assert_eq!(forwarded.subject, "Invoice copy [#1001-9]");
    let reply_to: Vec<&str> = forwarded.reply_to.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(reply_to, ["anna@example.com", "assistant@office.example"]);
    assert!(
        forwarded.text.contains("Could you send me a copy of invoice 123?"),
        "inline:\n{}",
        forwarded.text
    );
    let ticket = &handled.ticket().unwrap().ticket;
    assert_eq!(ticket.state, TicketState::Waiting);
    assert_eq!(ticket.department.as_deref(), Some("front-desk"));
    assert_eq!(ticket.due_at, Some(now().timestamp() + 4 * 3600));
}

#[test]
fn a_rule_sets_the_tickets_priority() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail("anna@example.com", "Complaint", "q1@example.com", "", "I want to make a complaint.");
    let handled = handle(&rules, &mut store, &raw, now());
    assert_eq!(handled.ticket().unwrap().ticket.priority, Priority::High);
}

#[test]
fn new_questions_get_the_next_numbers() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let first =
        handle(&rules, &mut store, &mail("anna@example.com", "One", "q1@example.com", "", "First."), now());
    let second =
        handle(&rules, &mut store, &mail("bob@example.com", "Two", "q2@example.com", "", "Second."), now());
    assert_eq!(first.ticket().unwrap().ticket.number, TicketNumber(1001));
    assert_eq!(second.ticket().unwrap().ticket.number, TicketNumber(1002));
}

#[test]
fn a_follow_up_joins_its_ticket_by_references_and_is_forwarded_without_a_second_acknowledgment() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let first = handle(
        &rules,
        &mut store,
        &mail("anna@example.com", "Invoice copy", "q1@example.com", "", "A copy please."),
        now(),
    );
    let ack_id = first.sent(MailKind::Reply)[0].message_id.clone();
    let follow_up = mail(
        "anna@example.com",
        "Re: Invoice copy",
        "q2@example.com",
        &format!("In-Reply-To: <{ack_id}>\r\nReferences: <q1@example.com> <{ack_id}>\r\n"),
        "Also invoice 124, please.\r\n\r\nOn Thu, 3 Dec 2026 at 10:00, Assistant wrote:\r\n> thank you",
    );
    let handled = handle(&rules, &mut store, &follow_up, now());
    let change = handled.ticket().unwrap();
    assert_eq!(change.ticket.number, TicketNumber(1001));
    assert_eq!(change.entries[0].text, "Also invoice 124, please.", "only the new text is recorded");
    assert!(handled.sent(MailKind::Reply).is_empty(), "acknowledged once per ticket");
    assert_eq!(handled.sent(MailKind::Forward).len(), 1);
}

#[test]
fn a_client_that_strips_references_still_joins_by_the_subject_tag() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    handle(
        &rules,
        &mut store,
        &mail("anna@example.com", "Invoice copy", "q1@example.com", "", "A copy please."),
        now(),
    );
    let again = mail("Anna@Example.com", "AW: Re: Invoice copy [#1001-9]", "q2@example.com", "", "Any news?");
    assert_eq!(handle(&rules, &mut store, &again, now()).ticket().unwrap().ticket.number, TicketNumber(1001));
}

#[test]
fn someone_else_naming_the_tag_or_a_wrong_check_digit_opens_a_new_ticket() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    handle(
        &rules,
        &mut store,
        &mail("anna@example.com", "Invoice copy", "q1@example.com", "", "A copy please."),
        now(),
    );
    let stranger = mail("eve@example.net", "Re: Invoice copy [#1001-9]", "q2@example.net", "", "Me too.");
    let handled = handle(&rules, &mut store, &stranger, now());
    assert_eq!(handled.ticket().unwrap().ticket.number, TicketNumber(1002));
    assert!(
        handled.notes.iter().any(|n| n.contains("neither its customer nor staff")),
        "{:?}",
        handled.notes
    );
    let typo = mail("anna@example.com", "Re: Invoice copy [#1001-8]", "q3@example.com", "", "Hello?");
    assert_eq!(handle(&rules, &mut store, &typo, now()).ticket().unwrap().ticket.number, TicketNumber(1003));
}

#[test]
fn the_same_message_arriving_twice_changes_nothing() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail("anna@example.com", "Invoice copy", "q1@example.com", "", "A copy please.");
    handle(&rules, &mut store, &raw, now());
    let again = handle(&rules, &mut store, &raw, now());
    assert!(again.effects.is_empty(), "{:?}", again.effects);
    assert!(again.notes[0].contains("already has this message"), "{:?}", again.notes);
}

/// Anna's question, forwarded to the front desk; returns the forward's Message-ID.
fn forwarded_question(rules: &RuleSet, store: &mut Store) -> String {
    let first = handle(
        rules,
        store,
        &mail("anna@example.com", "Invoice copy", "q1@example.com", "", "A copy please."),
        now(),
    );
    first.sent(MailKind::Forward)[0].message_id.clone()
}

/// Mario's reply to the forward, to Anna and the assistant.
fn staff_reply(forward_id: &str, id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Mario Verdi <mario@office.example>\r\nTo: Anna Example <anna@example.com>, assistant@office.example\r\n\
         Subject: Re: Invoice copy [#1001-9]\r\nMessage-ID: <{id}>\r\nIn-Reply-To: <{forward_id}>\r\n\
         References: <{forward_id}>\r\nDate: Thu, 03 Dec 2026 11:00:00 +0100\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

#[test]
fn a_staff_answer_marks_the_ticket_answered_and_sends_nothing() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    let handled =
        handle(&rules, &mut store, &staff_reply(&forward_id, "s1@office.example", "Attached, Anna."), now());
    let change = handled.ticket().unwrap();
    assert_eq!(change.ticket.state, TicketState::Answered);
    assert_eq!(change.entries[0].role, Role::Staff);
    assert!(handled.sent(MailKind::Reply).is_empty() && handled.sent(MailKind::Forward).is_empty());
}

#[test]
fn a_staff_message_that_does_not_reach_the_customer_is_an_internal_note() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    let raw =
        String::from_utf8(staff_reply(&forward_id, "s1@office.example", "I will look into it tomorrow."))
            .unwrap()
            .replace(
                "To: Anna Example <anna@example.com>, assistant@office.example",
                "To: assistant@office.example",
            );
    let handled = handle(&rules, &mut store, raw.as_bytes(), now());
    let change = handled.ticket().unwrap();
    assert_eq!(change.ticket.state, TicketState::Waiting);
    assert_eq!(change.entries[0].role, Role::Staff);
    assert!(handled.notes.iter().any(|n| n.contains("internal note")), "{:?}", handled.notes);
}

#[test]
fn route_hands_the_ticket_to_another_department() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    let raw = staff_reply(&forward_id, "s1@office.example", "#route accounts\r\n\r\nThis is for accounts.");
    let handled = handle(&rules, &mut store, &raw, now());
    let ticket = &handled.ticket().unwrap().ticket;
    assert_eq!(ticket.department.as_deref(), Some("accounts"));
    assert_eq!(ticket.state, TicketState::Waiting);
    assert_eq!(handled.sent(MailKind::Forward)[0].recipients, ["accounts@office.example"]);
}

#[test]
fn route_hands_on_the_customers_messages_and_the_staffs_note() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    let later = mail(
        "anna@example.com",
        "Re: Invoice copy [#1001-9]",
        "q2@example.com",
        "",
        "It is invoice 2026-114, from November.",
    );
    handle(&rules, &mut store, &later, now());
    let raw = staff_reply(
        &forward_id,
        "s1@office.example",
        "#route accounts\r\n\r\nShe needs a copy; I cannot reach the archive.\r\n\r\nCordiali saluti,\r\nMario Verdi\r\nFront desk\r\n",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    let handover = Handled::read(handled.sent(MailKind::Forward)[0]);
    assert_eq!(handover.subject, "Invoice copy [#1001-9]");
    let reply_to: Vec<&str> = handover.reply_to.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(reply_to, ["anna@example.com", "assistant@office.example"]);
    let text = &handover.text;
    let first = text.find("A copy please.").expect("the first message");
    let second = text.find("It is invoice 2026-114, from November.").expect("the second message");
    assert!(first < second, "oldest first:\n{text}");
    assert!(text.contains("She needs a copy; I cannot reach the archive."), "{text}");
    assert!(!text.contains("#route") || text.contains("#route DEPARTMENT"), "{text}");
    assert!(!text.contains("Cordiali saluti"), "the signature is not part of the note:\n{text}");
}

#[test]
fn a_staff_signature_is_not_recorded_as_part_of_their_words() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    let body =
        "Here is the copy, Anna.\r\n\r\nCordiali saluti, Anna Ricci, Ufficio Vendite, tel. 02 1234567\r\n";
    let handled = handle(&rules, &mut store, &staff_reply(&forward_id, "s1@office.example", body), now());
    assert_eq!(handled.ticket().unwrap().entries[0].text, "Here is the copy, Anna.");
}

#[test]
fn route_to_an_unknown_department_is_noted_and_changes_nothing() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    let raw = staff_reply(&forward_id, "s1@office.example", "#route acounts");
    let handled = handle(&rules, &mut store, &raw, now());
    assert_eq!(handled.ticket().unwrap().ticket.department.as_deref(), Some("front-desk"));
    assert!(handled.notes.iter().any(|n| n.contains("no such department")), "{:?}", handled.notes);
}

#[test]
fn a_closed_ticket_is_not_reopened_a_later_message_opens_a_new_one() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    let closed = handle(&rules, &mut store, &staff_reply(&forward_id, "s1@office.example", "#close"), now());
    assert_eq!(closed.ticket().unwrap().ticket.state, TicketState::Closed);
    let later =
        mail("anna@example.com", "Re: Invoice copy [#1001-9]", "q2@example.com", "", "Another question.");
    assert_eq!(handle(&rules, &mut store, &later, now()).ticket().unwrap().ticket.number, TicketNumber(1002));
}

#[test]
fn thanks_leave_an_answered_ticket_answered_and_a_question_reopens_it() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    handle(&rules, &mut store, &staff_reply(&forward_id, "s1@office.example", "Attached."), now());
    let thanks = mail(
        "anna@example.com",
        "Re: Invoice copy [#1001-9]",
        "q2@example.com",
        "",
        "Thank you very much!\r\n\r\nAnna",
    );
    let handled = handle(&rules, &mut store, &thanks, now());
    assert_eq!(handled.ticket().unwrap().ticket.state, TicketState::Answered);
    assert!(handled.sent(MailKind::Forward).is_empty());
    let question = mail(
        "anna@example.com",
        "Re: Invoice copy [#1001-9]",
        "q3@example.com",
        "",
        "The copy is blank, can you resend it?",
    );
    let handled = handle(&rules, &mut store, &question, now());
    assert_eq!(handled.ticket().unwrap().ticket.state, TicketState::Waiting);
    assert_eq!(handled.sent(MailKind::Forward).len(), 1, "the department hears of it");
}

#[test]
fn a_one_word_reply_to_an_answer_rates_it() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    handle(&rules, &mut store, &staff_reply(&forward_id, "s1@office.example", "Attached."), now());
    let rating = mail("anna@example.com", "Re: Invoice copy [#1001-9]", "q2@example.com", "", "Ottimo");
    let ticket = handle(&rules, &mut store, &rating, now()).ticket().unwrap().ticket.clone();
    assert_eq!(ticket.rating, Some(crate::tickets::words::Rating::Good));
    assert_eq!(ticket.state, TicketState::Answered);
    assert_eq!(store.ticket(TicketNumber(1001)).unwrap().unwrap().rating, ticket.rating, "stored");
}

#[test]
fn an_answer_too_long_ago_is_not_reopened() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    handle(&rules, &mut store, &staff_reply(&forward_id, "s1@office.example", "Attached."), now());
    let later =
        mail("anna@example.com", "Re: Invoice copy [#1001-9]", "q2@example.com", "", "A new problem.");
    let handled = handle(&rules, &mut store, &later, now() + chrono::Duration::days(31));
    assert_eq!(handled.ticket().unwrap().ticket.number, TicketNumber(1002));
}

#[test]
fn an_out_of_office_reply_opens_no_ticket_and_sends_nothing() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "anna@example.com",
        "Out of office",
        "o1@example.com",
        "Auto-Submitted: auto-replied\r\n",
        "I am away.",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    assert!(handled.effects.is_empty(), "{:?}", handled.effects);
    assert!(handled.notes[0].contains("no ticket"), "{:?}", handled.notes);
}

#[test]
fn a_mailing_list_message_is_not_acknowledged() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "news@lists.example.com",
        "Weekly news",
        "n1@lists.example.com",
        "List-Id: <news.lists.example.com>\r\n",
        "News.",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    assert!(handled.sent(MailKind::Reply).is_empty());
    assert!(handled.ticket().is_none());
}

#[test]
fn outlooks_response_suppression_opens_the_ticket_without_an_acknowledgment() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "anna@example.com",
        "Invoice",
        "q1@example.com",
        "X-Auto-Response-Suppress: All\r\n",
        "A copy please.",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    assert!(handled.sent(MailKind::Reply).is_empty());
    assert_eq!(handled.sent(MailKind::Forward).len(), 1);
    assert!(!handled.ticket().unwrap().ticket.acknowledged);
}

#[test]
fn an_italian_question_gets_the_italian_answer() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "sara@example.it",
        "Orari",
        "q1@example.it",
        "",
        "Buongiorno, vorrei sapere quali sono i vostri orari di apertura durante le feste di Natale. Grazie",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    let answer = Handled::read(handled.sent(MailKind::Reply)[0]);
    assert!(answer.text.contains("Siamo aperti dalle 9 alle 17."), "{}", answer.text);
    assert_eq!(handled.ticket().unwrap().ticket.language, "it");
}

#[test]
fn clerks_own_acknowledgment_is_in_the_customers_language_when_the_office_has_one_for_it() {
    let (dir, _) = office();
    dir.write(
        "templates/acknowledgment.it.txt",
        "Pratica {{ ticket.tag }}, risposta entro {{ ticket.due }}.\n",
    );
    dir.write("templates/acknowledgment.txt", "Request {{ ticket.tag }}, answer by {{ ticket.due }}.\n");
    let rules = dir.load();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "sara@example.it",
        "Fattura",
        "q1@example.it",
        "",
        "Buongiorno, potreste mandarmi una copia della fattura di novembre? Grazie mille",
    );
    let ack = Handled::read(handle(&rules, &mut store, &raw, now()).sent(MailKind::Reply)[0]);
    assert!(
        ack.text.contains("Pratica [#1001-9], risposta entro giovedì 3 dicembre alle 14:00."),
        "{}",
        ack.text
    );
}

#[test]
fn without_a_template_clerk_acknowledges_in_italian_or_english() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "sara@example.it",
        "Fattura",
        "q1@example.it",
        "",
        "Buongiorno, potreste mandarmi una copia della fattura di novembre? Grazie mille",
    );
    let ack = Handled::read(handle(&rules, &mut store, &raw, now()).sent(MailKind::Reply)[0]);
    assert!(ack.text.contains("registrato con il numero [#1001-9]"), "{}", ack.text);
    assert!(ack.text.contains("entro giovedì 3 dicembre alle 14:00"), "{}", ack.text);
}

#[test]
fn a_message_of_a_tickets_conversation_stays_in_the_ticket_whatever_rule_matches_it() {
    let (dir, _) = office();
    dir.write(
        "05.rules.toml",
        "[[rule]]\nname = \"supplies\"\nwhen.from = \"*@office.example\"\nwhen.text = \"order\"\n\
         desk = \"supply\"\n",
    );
    let rules = dir.load();
    let mut store = Store::open_in_memory().unwrap();
    let forward_id = forwarded_question(&rules, &mut store);
    let raw = staff_reply(&forward_id, "s1@office.example", "Your order of the copy is on its way.");
    let msg = Message::parse(&raw).unwrap();
    let verdict = crate::guard::Verdict::of(&msg, &crate::guard::GuardPolicy::of(&rules.office));
    let mut decision =
        crate::actions::decide(&rules, &msg, &raw, "h", &verdict, &mut NoHistory, now()).unwrap();
    assert_eq!(decision.desk.as_deref(), Some("supply"), "the rule alone would take it");
    let incoming = crate::desks::Incoming { msg: &msg, raw: &raw, content_hash: "h", now: now() };
    let views = crate::desks::Views {
        calendars: &crate::desks::NoCalendars,
        tickets: &store,
        supply: &store,
        planning: &store,
    };
    crate::desks::run(&rules, &incoming, &verdict, &mut decision, &views, &mut NoHistory).unwrap();
    assert_eq!(decision.desk.as_deref(), Some("inquiry"));
    assert!(decision.reply().is_none(), "Mario gets no supply confirmation: {:?}", decision.effects);
    let ticket = decision.effects.iter().find_map(|e| match e {
        Effect::Ticket(change) => Some(change.ticket.clone()),
        _ => None,
    });
    assert_eq!(ticket.map(|t| t.state), Some(TicketState::Answered));
    assert!(decision.notes.iter().any(|n| n.contains("continues ticket [#1001-9]")), "{:?}", decision.notes);
}

#[test]
fn a_colleagues_forward_opens_the_customers_ticket_and_acknowledges_nothing() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "pietro@office.example",
        "FW: Water through the skylight",
        "fw1@office.example",
        "",
        "Can you log this?\r\n\r\nFrom: Nathan Cole <nathan.cole@example.com>\r\nSent: Friday, April 16, 2027 8:12 AM\r\n\
         To: Pietro <pietro@office.example>\r\nSubject: Water through the skylight\r\n\r\nWater is dripping from the frame.",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    let ticket = &handled.ticket().unwrap().ticket;
    assert_eq!(ticket.customer, "nathan.cole@example.com");
    assert_eq!(ticket.customer_name.as_deref(), Some("Nathan Cole"));
    assert!(handled.sent(MailKind::Reply).is_empty(), "the colleague decides what the customer hears");
    let forwarded = Handled::read(handled.sent(MailKind::Forward)[0]);
    assert_eq!(forwarded.reply_to[0].email, "nathan.cole@example.com");
    assert!(
        handled.notes.iter().any(|n| n.contains("from pietro@office.example's forward")),
        "{:?}",
        handled.notes
    );
}

#[test]
fn an_italian_office_gets_the_forward_note_in_italian_whatever_the_customer_writes() {
    let (dir, _) = office();
    let office_toml = std::fs::read_to_string(dir.path().join("office.toml")).unwrap();
    dir.write("office.toml", &office_toml.replace("language = \"en\"", "language = \"it\""));
    let rules = dir.load();
    let mut store = Store::open_in_memory().unwrap();
    let raw =
        mail("anna@example.com", "Invoice", "q1@example.com", "", "Could you send me a copy of the invoice?");
    let handled = handle(&rules, &mut store, &raw, now());
    let forwarded = Handled::read(handled.sent(MailKind::Forward)[0]);
    assert!(
        forwarded.text.contains(
            "Pratica [#1001-9] per front-desk, da Anna Example <anna@example.com>, priorità normale. La risposta \
             è attesa entro giovedì 3 dicembre alle 14:00."
        ),
        "{}",
        forwarded.text
    );
    let ack = Handled::read(handled.sent(MailKind::Reply)[0]);
    assert!(ack.text.contains("We have registered it as request [#1001-9]."), "{}", ack.text);
}
