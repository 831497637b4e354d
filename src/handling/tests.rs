//! The guard's last word over the mail a decision sends.

use super::*;
use crate::guard::GuardPolicy;
use crate::mail::compose::OutboundMail;
use crate::mail::message::Message;

fn message(extra_headers: &str) -> Message {
    let raw = format!(
        "From: Anna <anna@client.example>\r\nTo: assistant@office.example\r\nSubject: Hello\r\n\
         Message-ID: <m1@client.example>\r\n{extra_headers}\r\nCan we meet on Tuesday?\r\n"
    );
    Message::parse(raw.as_bytes()).unwrap()
}

fn verdict(extra_headers: &str) -> Verdict {
    Verdict::of(&message(extra_headers), &GuardPolicy::for_assistant("assistant@office.example"))
}

fn send(kind: MailKind, to: &str) -> Effect {
    let mail = OutboundMail {
        message_id: format!("{}@office.example", kind.as_str()),
        envelope_from: None,
        recipients: vec![to.to_owned()],
        raw: Vec::new(),
    };
    Effect::Send { kind, rule: "r".to_owned(), mail }
}

fn decision(effects: Vec<Effect>) -> Decision {
    Decision { effects, ..Decision::default() }
}

#[test]
fn a_reply_to_automatic_mail_is_held_back_whichever_desk_wrote_it() {
    let mut decided = decision(vec![
        send(MailKind::Reply, "anna@client.example"),
        Effect::NoteReply { sender: "anna@client.example".to_owned(), rule: "r".to_owned() },
        Effect::Move { folder: "Archive".to_owned() },
    ]);
    hold_back(&verdict("Auto-Submitted: auto-replied\r\n"), &mut decided);
    assert_eq!(decided.effects, vec![Effect::Move { folder: "Archive".to_owned() }]);
    assert_eq!(decided.suppressed.len(), 1);
    assert_eq!(decided.suppressed[0].action, "reply");
    assert!(decided.suppressed[0].reasons[0].contains("Auto-Submitted"), "{:?}", decided.suppressed);
}

#[test]
fn a_calendar_answer_goes_where_outlook_only_asked_for_no_automatic_replies() {
    let mut decided = decision(vec![
        send(MailKind::Calendar, "anna@client.example"),
        send(MailKind::Reply, "anna@client.example"),
    ]);
    hold_back(&verdict("X-Auto-Response-Suppress: All\r\n"), &mut decided);
    assert_eq!(decided.effects, vec![send(MailKind::Calendar, "anna@client.example")]);
}

#[test]
fn forwards_and_notices_to_the_office_are_never_held_back() {
    let effects =
        vec![send(MailKind::Forward, "info@office.example"), send(MailKind::Notice, "boss@office.example")];
    let mut decided = decision(effects.clone());
    hold_back(&verdict("Auto-Submitted: auto-generated\r\nList-Id: <news.example>\r\n"), &mut decided);
    assert_eq!(decided.effects, effects);
    assert!(decided.suppressed.is_empty());
}

#[test]
fn mail_to_a_person_who_wrote_is_left_as_the_desks_decided() {
    let effects =
        vec![send(MailKind::Reply, "anna@client.example"), send(MailKind::Calendar, "anna@client.example")];
    let mut decided = decision(effects.clone());
    hold_back(&verdict(""), &mut decided);
    assert_eq!(decided.effects, effects);
}

#[test]
fn the_meeting_desks_plain_answers_are_held_back_as_calendar_answers() {
    let call = crate::rules::DeskCall::plain(Desk::Meeting);
    let effects = vec![send(MailKind::Reply, "anna@client.example")];
    let mut decided = Decision { desk_call: Some(call.clone()), ..decision(effects.clone()) };
    hold_back(&verdict("X-Auto-Response-Suppress: All\r\n"), &mut decided);
    assert_eq!(decided.effects, effects, "a person asked for a time");
    let mut decided = Decision { desk_call: Some(call), ..decision(effects) };
    hold_back(&verdict("Auto-Submitted: auto-generated\r\n"), &mut decided);
    assert!(decided.effects.is_empty(), "a machine did");
}
