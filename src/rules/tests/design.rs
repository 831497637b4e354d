//! The example of DESIGN.md, verbatim; `explain` traces; embedded tests.

use super::{Dir, addr, from, office_with_calendar};
use crate::check::embedded::{TestFailure, run_tests};
use crate::mail::message::{Address, CalendarPart, Message};
use crate::rules::{Desk, DeskCall, RuleSet};

/// The rule file of DESIGN.md's "Rule files" section, verbatim.
const DESIGN_EXAMPLE: &str = r#"[[rule]]
name = "supply request from staff"
when.from = ["*@office.example"]
when.subject = { any = ["order", "toner", "paper", "supplies", "ordine", "cancelleria"] }
desk = "supply"

[[rule]]
name = "invitation"
when.calendar = "REQUEST"           # the message carries a text/calendar part with METHOD:REQUEST
desk = "meeting"
calendar = "office"

[[rule]]
name = "vendor invoices"
when.from = "*@acme-supplies.example"
when.subject = { any = ["invoice", "fattura"] }
forward = "accounts@office.example"
move = "Vendors/Invoices"

[[rule]]
name = "opening hours question"
when.body = { any = ["opening hours", "when are you open", "orari di apertura"] }
desk = "inquiry"
answer = "faq/opening-hours"        # template in rules/templates/
department = "front-desk"

[[test]]                            # embedded tests, run by `clerk check`
eml = "../tests/fixtures/toner.eml"
expect = { rule = "supply request from staff", desk = "supply" }
"#;

const TONER_EML: &str = "From: Anna Neri <anna@office.example>\r\n\
To: assistant@office.example\r\n\
Subject: Toner for the 2nd floor printer\r\n\
\r\n\
We are out of toner, please order two cartridges.\r\n";

/// A project-like layout: `rules/` and `tests/fixtures/` side by side.
fn design_office() -> (Dir, RuleSet) {
    let dir = Dir::new();
    dir.write("rules/office.toml", &office_with_calendar());
    dir.write("rules/office.rules.toml", DESIGN_EXAMPLE);
    // The supply desk orders from a catalog, as the meeting desk books into a calendar.
    dir.write("rules/catalog.toml", super::catalog::CATALOG);
    dir.write("rules/templates/faq/opening-hours.txt", "We are open 9-13 and 14-18.\n");
    dir.write("tests/fixtures/toner.eml", TONER_EML);
    let set = match RuleSet::load(&dir.path().join("rules")) {
        Ok(set) => set,
        Err(errors) => panic!("the design example must load:\n{errors}"),
    };
    (dir, set)
}

/// Enough of a parser for test messages: From and Subject headers, and the body.
fn toy_parse(raw: &[u8]) -> Result<Message, String> {
    let text = std::str::from_utf8(raw).map_err(|e| e.to_string())?;
    let (head, body) = text.split_once("\r\n\r\n").or_else(|| text.split_once("\n\n")).ok_or("no body")?;
    let mut msg = Message { text: body.to_owned(), ..Default::default() };
    for line in head.lines() {
        if let Some(subject) = line.strip_prefix("Subject: ") {
            msg.subject = subject.to_owned();
        } else if let Some(sender) = line.strip_prefix("From: ") {
            let email = sender.rsplit_once('<').map_or(sender, |(_, rest)| rest.trim_end_matches('>'));
            msg.from = vec![addr(email)];
        }
    }
    Ok(msg)
}

fn decided(set: &RuleSet, msg: &Message) -> Option<String> {
    set.classify(msg).deciding().map(|rule| rule.name.clone())
}

#[test]
fn design_example_classifies_a_staff_supply_request() {
    let (_dir, set) = design_office();
    let mut msg = from("anna@office.example");
    msg.subject = "Ordine cancelleria".into();
    assert_eq!(decided(&set, &msg).as_deref(), Some("supply request from staff"));
    assert_eq!(set.classify(&msg).desk().map(|d| d.desk), Some(Desk::Supply));
}

#[test]
fn design_example_sends_invitations_to_the_meeting_desk() {
    let (_dir, set) = design_office();
    let msg = Message {
        from: vec![addr("partner@law.example")],
        calendars: vec![CalendarPart { method: Some("REQUEST".into()), text: String::new() }],
        ..Default::default()
    };
    assert_eq!(decided(&set, &msg).as_deref(), Some("invitation"));
    assert_eq!(
        set.classify(&msg).desk(),
        Some(&DeskCall {
            desk: Desk::Meeting,
            answer: None,
            department: None,
            calendar: Some("office".into()),
            priority: None,
            on_conflict: None,
            accept_counter: None,
        })
    );
}

#[test]
fn design_example_forwards_and_files_vendor_invoices() {
    let (_dir, set) = design_office();
    let mut msg = from("billing@acme-supplies.example");
    msg.subject = "Fattura n. 2024/118".into();
    let classification = set.classify(&msg);
    let rule = classification.deciding().expect("a rule matches");
    assert_eq!(rule.name, "vendor invoices");
    let forward = rule.actions.forward.as_ref().expect("forwards");
    assert_eq!(forward.to, ["accounts@office.example"]);
    assert_eq!(rule.actions.move_to.as_deref(), Some("Vendors/Invoices"));
    assert!(classification.desk().is_none());
}

#[test]
fn design_example_answers_opening_hours_questions() {
    let (_dir, set) = design_office();
    let mut msg = from("cliente@gmail.example");
    msg.subject = "Domanda".into();
    msg.text = "Buongiorno, quali sono i vostri ORARI di apertura?\n\nGrazie".into();
    assert_eq!(decided(&set, &msg).as_deref(), Some("opening hours question"));
    let desk = set.classify(&msg).desk().cloned().expect("a desk");
    assert_eq!(desk.answer.as_deref(), Some("faq/opening-hours"));
    assert_eq!(desk.department.as_deref(), Some("front-desk"));
}

#[test]
fn design_example_leaves_other_mail_unmatched() {
    let (_dir, set) = design_office();
    let mut msg = from("friend@elsewhere.example");
    msg.subject = "Border crossing paperwork".into();
    assert_eq!(decided(&set, &msg), None);
}

#[test]
fn design_example_embedded_test_passes() {
    let (_dir, set) = design_office();
    let outcomes = run_tests(&set, toy_parse);
    assert_eq!(outcomes.len(), 1);
    assert!(outcomes[0].passed(), "{}", outcomes[0]);
    assert!(outcomes[0].to_string().ends_with("office.rules.toml:27: test passed"));
}

#[test]
fn explain_traces_each_condition_until_classification_stops() {
    let (dir, set) = design_office();
    let msg = Message {
        from: vec![Address { name: None, email: "billing@acme-supplies.example".into() }],
        subject: "Invoice 7".into(),
        ..Default::default()
    };
    let traces = set.explain(&msg);
    let text: String = traces.iter().map(|t| t.to_string()).collect();
    let file = dir.path().join("rules/office.rules.toml");
    let expected = r#"rule "supply request from staff" (FILE:1): not matched
  all of: false
    from matches "*@office.example": false
    any of: false
      subject contains "order": false
      subject contains "toner": false
      subject contains "paper": false
      subject contains "supplies": false
      subject contains "ordine": false
      subject contains "cancelleria": false
rule "invitation" (FILE:7): not matched
  calendar method is "REQUEST": false
rule "vendor invoices" (FILE:13): matched, stop
  all of: true
    from matches "*@acme-supplies.example": true
    any of: true
      subject contains "invoice": true
      subject contains "fattura": false
"#
    .replace("FILE", &file.display().to_string());
    assert_eq!(text, expected);
}

#[test]
fn explain_traces_serialize_to_json() {
    let (_dir, set) = design_office();
    let traces = set.explain(&from("x@y.example"));
    let json = serde_json::to_value(&traces[1]).expect("serializable");
    assert_eq!(json["rule"], "invitation");
    assert_eq!(json["matched"], false);
    assert_eq!(json["when"]["condition"], "calendar method is \"REQUEST\"");
    assert_eq!(json["when"]["result"], false);
}

#[test]
fn failing_embedded_tests_say_what_was_expected_and_got() {
    let dir = Dir::with_rules(
        r#"[[rule]]
name = "toner"
when.subject = "toner"
desk = "supply"

[[rule]]
name = "catch-all"
desk = "inquiry"

[[test]]
message = """
From: a@x.example
Subject: toner please

hi
"""
expect = { rule = "catch-all", desk = false }
"#,
    );
    let set = dir.load();
    let outcomes = run_tests(&set, toy_parse);
    assert_eq!(
        outcomes[0].failures,
        [
            TestFailure::Rule { expected: Some("catch-all".into()), got: Some("toner".into()) },
            TestFailure::Desk { expected: None, got: Some(Desk::Supply) },
        ]
    );
    let file = dir.path().join("10.rules.toml");
    assert_eq!(
        outcomes[0].to_string(),
        format!(
            "{0}:10: test expected rule \"catch-all\", got rule \"toner\"\n\
             {0}:10: test expected no desk, got desk \"supply\"",
            file.display()
        )
    );
}

#[test]
fn an_unparsable_test_message_fails_the_test() {
    let set = Dir::with_rules(
        "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n\n[[test]]\nmessage = \"garbage\"\nexpect = { rule = \"r\" }\n",
    )
    .load();
    let outcomes = run_tests(&set, toy_parse);
    assert_eq!(outcomes[0].failures, [TestFailure::Unreadable("no body".into())]);
}

const REPLYING_RULES: &str = r#"[[rule]]
name = "questions"
when.subject = "question"
reply = "ack"

[[test]]
message = """
From: Anna <anna@example.com>
To: assistant@office.example
Subject: A question

hi
"""
expect = { rule = "questions", reply_subject = "Re: A question", reply_to = "Anna@Example.com" }

[[test]]
message = """
From: Anna <anna@example.com>
To: assistant@office.example
Subject: Another question

hi
"""
expect = { rule = "questions", reply_subject = "Re: A question" }

[[test]]
message = """
From: Anna <anna@example.com>
To: assistant@office.example
Subject: Automatic question
Auto-Submitted: auto-replied

hi
"""
expect = { rule = "questions", reply_to = "anna@example.com" }
"#;

#[test]
fn a_test_can_expect_the_replys_subject_and_recipient() {
    let dir = Dir::with_rules(REPLYING_RULES);
    dir.write("templates/ack.txt", "Thanks.\n");
    let set = dir.load();
    let outcomes = run_tests(&set, crate::mail::message::Message::parse);
    assert!(outcomes[0].passed(), "{}", outcomes[0]);
    assert_eq!(
        outcomes[1].failures,
        [TestFailure::Reply {
            field: "subject",
            expected: "Re: A question".into(),
            got: Some("Re: Another question".into()),
            why: None,
        }]
    );
    let held = outcomes[2].to_string();
    assert!(held.contains("test expected reply recipient \"anna@example.com\", but no reply is made (reply of rule \"questions\" suppressed: "), "{held}");
    assert!(held.contains("Auto-Submitted"), "the reason is named: {held}");
}
