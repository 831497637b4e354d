//! Every action form, and how matches combine.

use std::time::Duration;

use super::{Dir, from, load, office_with_calendar, subject};
use crate::rules::{Desk, DeskCall, Flag, Forward, ForwardMode, OnConflict, Reply, RuleSet};
use crate::tickets::Priority;

fn with_templates(rules: &str) -> RuleSet {
    let dir = Dir::with_rules(rules);
    dir.write("templates/ack.txt", "Thanks, {{ message.from_name }}.\n");
    dir.write("templates/faq/opening-hours.txt", "We are open 9-17.\n");
    dir.write("templates/note.txt", "FYI\n");
    dir.write("office.toml", &office_with_calendar());
    dir.load()
}

#[test]
fn desk_options_are_recorded_with_the_desk() {
    let set = with_templates(
        r#"
[[rule]]
name = "faq"
desk = "inquiry"
answer = "faq/opening-hours"
department = "front-desk"
calendar = "office"
priority = "high"
on_conflict = "tentative"
accept_counter = true
"#,
    );
    assert_eq!(
        set.rules[0].actions.desk,
        Some(DeskCall {
            desk: Desk::Inquiry,
            answer: Some("faq/opening-hours".into()),
            department: Some("front-desk".into()),
            calendar: Some("office".into()),
            priority: Some(Priority::High),
            on_conflict: Some(OnConflict::Tentative),
            accept_counter: Some(true),
        })
    );
}

#[test]
fn reply_may_be_just_a_template_name() {
    let set = with_templates("[[rule]]\nname = \"r\"\nreply = \"ack\"\n");
    assert_eq!(
        set.rules[0].actions.reply,
        Some(Reply { template: "ack".into(), subject: None, cc: vec![], every: None })
    );
}

#[test]
fn reply_table_takes_subject_cc_and_every() {
    let set = with_templates(
        r#"
[[rule]]
name = "r"
reply = { template = "ack", subject = "Re: {{ message.subject }}", cc = ["giulia@office.example"], every = "7d" }
"#,
    );
    assert_eq!(
        set.rules[0].actions.reply,
        Some(Reply {
            template: "ack".into(),
            subject: Some("Re: {{ message.subject }}".into()),
            cc: vec!["giulia@office.example".into()],
            every: Some(Duration::from_secs(7 * 86_400)),
        })
    );
}

#[test]
fn forward_takes_an_address_a_list_or_a_table() {
    let set = with_templates(
        r#"
[[rule]]
name = "one"
forward = "accounts@office.example"
[[rule]]
name = "list"
forward = ["a@x.example", "b@x.example"]
[[rule]]
name = "table"
forward = { to = "a@x.example", mode = "inline", note = "note" }
"#,
    );
    let forwards: Vec<_> = set.rules.iter().map(|r| r.actions.forward.clone()).collect();
    assert_eq!(
        forwards,
        [
            Some(Forward {
                to: vec!["accounts@office.example".into()],
                mode: ForwardMode::Attached,
                note: None,
            }),
            Some(Forward {
                to: vec!["a@x.example".into(), "b@x.example".into()],
                mode: ForwardMode::Attached,
                note: None,
            }),
            Some(Forward {
                to: vec!["a@x.example".into()],
                mode: ForwardMode::Inline,
                note: Some("note".into()),
            }),
        ]
    );
}

#[test]
fn move_names_a_folder() {
    let set = load("[[rule]]\nname = \"r\"\nmove = \"Vendors/Invoices\"\n");
    assert_eq!(set.rules[0].actions.move_to.as_deref(), Some("Vendors/Invoices"));
}

#[test]
fn flag_takes_system_flags_and_custom_keywords() {
    let set = load("[[rule]]\nname = \"r\"\nflag = [\"Seen\", \"flagged\", \"answered\", \"$Invoice\"]\n");
    assert_eq!(
        set.rules[0].actions.flags,
        [Flag::Seen, Flag::Flagged, Flag::Answered, Flag::Keyword("$Invoice".into())]
    );
    let set = load("[[rule]]\nname = \"r\"\nflag = \"flagged\"\n");
    assert_eq!(set.rules[0].actions.flags, [Flag::Flagged]);
}

#[test]
fn a_keyword_close_to_a_system_flag_is_a_warning() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nflag = \"flaged\"\n");
    let set = dir.load();
    let warnings: Vec<_> = set.warnings.iter().map(|w| dir.relative(w)).collect();
    assert_eq!(
        warnings,
        ["10.rules.toml:3:8: `flaged` will be set as a custom keyword; did you mean `flagged`?"]
    );
}

#[test]
fn an_every_shorter_than_the_office_limit_is_a_warning() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nreply = { template = \"ack\", every = \"1h\" }\n");
    dir.write("templates/ack.txt", "Thanks.\n");
    let set = dir.load();
    let warnings: Vec<_> = set.warnings.iter().map(|w| dir.relative(w)).collect();
    assert_eq!(
        warnings,
        ["10.rules.toml:3:37: `every` is shorter than the office's reply limit (1 day, `[replies] limit` \
          in office.toml) and has no effect: a rule can only lengthen it"]
    );
}

const TWO_RULES: &str = r#"
[[rule]]
name = "from staff"
when.from = "*@office.example"
flag = "flagged"
continue = true

[[rule]]
name = "toner"
when.subject = "toner"
desk = "supply"

[[rule]]
name = "catch-all"
desk = "inquiry"
"#;

#[test]
fn continue_lets_later_rules_match() {
    let set = load(TWO_RULES);
    let mut msg = from("anna@office.example");
    msg.subject = "Toner please".into();
    let classification = set.classify(&msg);
    let names: Vec<_> = classification.matched.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["from staff", "toner"]);
    assert_eq!(classification.deciding().map(|r| r.name.as_str()), Some("toner"));
    assert_eq!(classification.desk().map(|d| d.desk), Some(Desk::Supply));
}

#[test]
fn the_first_match_without_continue_stops_evaluation() {
    let set = load(TWO_RULES);
    let classification = set.classify(&subject("toner"));
    let names: Vec<_> = classification.matched.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["toner"]);
}

#[test]
fn the_desk_is_that_of_the_first_matched_rule_with_one() {
    let dir = super::Dir::new();
    dir.write("office.toml", &super::office_with_calendar());
    dir.write(
        "10.rules.toml",
        r#"
[[rule]]
name = "meetings"
when.subject = "meeting"
desk = "meeting"
continue = true

[[rule]]
name = "catch-all"
desk = "inquiry"
"#,
    );
    let set = dir.load();
    let classification = set.classify(&subject("meeting on friday"));
    assert_eq!(classification.matched.len(), 2);
    assert_eq!(classification.desk().map(|d| d.desk), Some(Desk::Meeting));
}

#[test]
fn no_match_means_no_rule_and_no_desk() {
    let set = load("[[rule]]\nname = \"toner\"\nwhen.subject = \"toner\"\ndesk = \"supply\"\n");
    let classification = set.classify(&subject("hello"));
    assert!(classification.matched.is_empty());
    assert!(classification.deciding().is_none());
    assert!(classification.desk().is_none());
}
