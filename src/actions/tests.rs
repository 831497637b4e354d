//! Deciding what a message amounts to: the reply limit, the guard, and effects that are the same
//! every time the same message is decided.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::mail::message::Address;
use crate::rules::tests::Dir;

/// [`super::decide`] with the guard's verdict on `msg` under the office's policy, as the intake
/// gives it.
fn decide(
    set: &RuleSet,
    msg: &Message,
    raw: &[u8],
    content_hash: &str,
    history: &mut dyn ReplyHistory,
    now: DateTime<Utc>,
) -> Result<Decision, ActionError> {
    let verdict = crate::guard::Verdict::of(msg, &crate::guard::GuardPolicy::of(&set.office));
    super::decide(set, msg, raw, content_hash, &verdict, history, now)
}

/// A reply history kept in memory, as the store's reply log would be.
#[derive(Default)]
struct Memory(HashMap<(String, String), i64>);

impl ReplyHistory for Memory {
    fn last_reply(&self, sender: &str, rule: &str) -> Result<Option<i64>, String> {
        Ok(self.0.get(&(sender.to_owned(), rule.to_owned())).copied())
    }
    fn note_reply(&mut self, sender: &str, rule: &str, at: i64) {
        self.0.insert((sender.to_owned(), rule.to_owned()), at);
    }
}

/// The standard office (`[replies] limit = "1d"`) with one answering rule, `reply` being its reply table.
fn office(reply: &str) -> (Dir, RuleSet) {
    office_with(reply, "Thank you, {{ message.from_name }}.\n")
}

/// [`office`] with `ack` the template `templates/ack.txt`.
fn office_with(reply: &str, ack: &str) -> (Dir, RuleSet) {
    let dir = Dir::with_rules(&format!(
        "[[rule]]\nname = \"questions\"\nwhen.subject = \"question\"\nreply = {reply}\nflag = \"flagged\"\n\
         move = \"Questions\"\n"
    ));
    dir.write("templates/ack.txt", ack);
    let set = dir.load();
    (dir, set)
}

fn question(from: &str) -> Message {
    Message {
        from: vec![Address { name: Some("Anna".into()), email: from.into() }],
        to: vec![Address { name: None, email: "assistant@office.example".into() }],
        subject: "A question".into(),
        message_id: Some("q1@example.test".into()),
        ..Message::default()
    }
}

fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000, 0).expect("a valid time")
}

/// Decides `msg` at `at` and returns the reply sent, if any; the history remembers it as the store would.
fn reply_at(set: &RuleSet, msg: &Message, history: &mut Memory, at: DateTime<Utc>) -> Option<OutboundMail> {
    let decision = decide(set, msg, b"", "0123456789abcdef", history, at).expect("deciding");
    let mail = decision.reply()?.clone();
    history.note_reply(&mail.recipients[0], "questions", at.timestamp());
    Some(mail)
}

#[test]
fn a_rule_answers_the_same_sender_once_within_the_office_limit() {
    let (_dir, set) = office("\"ack\"");
    let mut history = Memory::default();
    let msg = question("anna@example.test");
    assert!(reply_at(&set, &msg, &mut history, start()).is_some());
    assert!(reply_at(&set, &msg, &mut history, start() + Duration::hours(23)).is_none());
    assert!(reply_at(&set, &question("bob@example.test"), &mut history, start()).is_some());
    assert!(reply_at(&set, &msg, &mut history, start() + Duration::hours(25)).is_some());
}

#[test]
fn a_rules_every_may_lengthen_the_limit() {
    let (_dir, set) = office("{ template = \"ack\", every = \"7d\" }");
    let mut history = Memory::default();
    let msg = question("anna@example.test");
    assert!(reply_at(&set, &msg, &mut history, start()).is_some());
    assert!(reply_at(&set, &msg, &mut history, start() + Duration::days(6)).is_none());
    assert!(reply_at(&set, &msg, &mut history, start() + Duration::days(8)).is_some());
}

#[test]
fn a_rules_every_cannot_shorten_the_office_limit() {
    let (_dir, set) = office("{ template = \"ack\", every = \"1h\" }");
    let mut history = Memory::default();
    let msg = question("anna@example.test");
    assert!(reply_at(&set, &msg, &mut history, start()).is_some());
    assert!(reply_at(&set, &msg, &mut history, start() + Duration::hours(2)).is_none());
    let decision =
        decide(&set, &msg, b"", "0", &mut history, start() + Duration::hours(2)).expect("deciding");
    assert!(decision.suppressed[0].reasons[0].contains("at most one reply every 1 day"), "{decision:?}");
}

#[test]
fn automatic_mail_gets_no_reply_but_is_still_flagged_and_filed() {
    let (_dir, set) = office("\"ack\"");
    let mut msg = question("anna@example.test");
    msg.headers.push(("Auto-Submitted".into(), "auto-replied".into()));
    let decision = decide(&set, &msg, b"", "0", &mut Memory::default(), start()).expect("deciding");
    assert_eq!(
        decision.effects,
        [Effect::Flag { flags: vec!["\\Flagged".into()] }, Effect::Move { folder: "Questions".into() }]
    );
    assert_eq!(decision.suppressed.len(), 1);
    assert!(decision.suppressed[0].reasons[0].contains("Auto-Submitted"), "{:?}", decision.suppressed);
}

#[test]
fn deciding_the_same_message_again_gives_the_same_reply() {
    let (_dir, set) = office("\"ack\"");
    let msg = question("anna@example.test");
    let first = reply_at(&set, &msg, &mut Memory::default(), start()).expect("a reply");
    let again =
        reply_at(&set, &msg, &mut Memory::default(), start() + Duration::minutes(5)).expect("a reply");
    assert_eq!(
        first.message_id, again.message_id,
        "the outbox recognises a redone decision by its Message-ID"
    );
    assert_eq!(first.recipients, ["anna@example.test"]);
    assert_eq!(first.envelope_from, None, "auto-replies go from the null sender");
}

#[test]
fn a_subject_that_renders_a_line_break_for_one_message_is_refused_not_sent() {
    let (_dir, set) = office("{ template = \"ack\", subject = \"For {{ message.from_name }}\" }");
    let mut msg = question("anna@example.test");
    msg.from[0].name = Some("Anna\r\nBcc: everyone@example.com".into());
    let refused = decide(&set, &msg, b"", "0", &mut Memory::default(), start());
    assert!(refused.is_err_and(|e| e.to_string().contains("line break")));
}

/// A reply log that cannot be read, as when the database fails.
struct Unreadable;

impl ReplyHistory for Unreadable {
    fn last_reply(&self, _: &str, _: &str) -> Result<Option<i64>, String> {
        Err("database error: disk I/O error".into())
    }
    fn note_reply(&mut self, _: &str, _: &str, _: i64) {}
}

#[test]
fn a_reply_log_that_cannot_be_read_fails_the_message_rather_than_reply() {
    let (_dir, set) = office("\"ack\"");
    let decided =
        decide(&set, &question("anna@example.com"), b"", "0123456789abcdef", &mut Unreadable, start());
    let error = decided.map(|_| ()).map_err(|e| e.to_string());
    assert!(error.as_ref().is_err_and(|e| e.contains("reply log cannot be read")), "{error:?}");
}

#[test]
fn a_reply_template_that_runs_out_of_fuel_on_one_message_fails_that_message_and_not_the_next() {
    // Fine on the short sample the rules are checked with; quadratic in the text it is given.
    let (_dir, set) = office_with(
        "\"ack\"",
        "{% for a in message.text|list %}{% for b in message.text|list %}.{% endfor %}{% endfor %}\n",
    );
    let long = Message { text: "a long question ".repeat(1_000), ..question("anna@example.test") };
    let failed = decide(&set, &long, b"", "0", &mut Memory::default(), start()).map_err(|e| e.to_string());
    assert!(failed.as_ref().is_err_and(|e| e.contains("ack.txt") && e.contains("out of fuel")), "{failed:?}");
    let short = Message { text: "When?".into(), ..question("bob@example.test") };
    assert!(reply_at(&set, &short, &mut Memory::default(), start()).is_some());
}
