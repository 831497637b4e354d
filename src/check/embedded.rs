//! Running the `[[test]]`s embedded in rule files (`clerk check`, a reload, the daemon's start):
//! each message goes through the real pipeline (the rules, the executor and the desks) as the daemon
//! would handle it the first time its sender writes, and is compared with what the test expects.

use std::fmt;

use chrono::Utc;

use crate::actions::NoHistory;
use crate::desks::{Incoming, NoCalendars, NoTickets, Views};
use crate::handling;
use crate::mail::message::Message;
use crate::rules::{Desk, RuleSet, RuleTest, TestMessage};

/// The result of running one test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOutcome<'r> {
    /// The test that ran.
    pub test: &'r RuleTest,
    /// Empty when the test passed.
    pub failures: Vec<TestFailure>,
}

/// One way a test failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestFailure {
    /// The message could not be read or parsed.
    Unreadable(String),
    /// Another rule decided (`None`: no rule matched).
    Rule {
        /// The rule the test expects.
        expected: Option<String>,
        /// The rule that decided.
        got: Option<String>,
    },
    /// The message went to another desk (`None`: to no desk).
    Desk {
        /// The desk the test expects.
        expected: Option<Desk>,
        /// The desk the rules chose.
        got: Option<Desk>,
    },
    /// The automatic reply differs (`field` is `subject` or `recipient`; `got` is `None` when no reply
    /// is made, with `why` saying what held it back, if anything).
    Reply { field: &'static str, expected: String, got: Option<String>, why: Option<String> },
}

impl TestOutcome<'_> {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl fmt::Display for TestOutcome<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (file, line) = (self.test.file.display(), self.test.line);
        if self.passed() {
            return write!(f, "{file}:{line}: test passed");
        }
        for (i, failure) in self.failures.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{file}:{line}: ")?;
            match failure {
                TestFailure::Unreadable(reason) => write!(f, "test message unreadable: {reason}")?,
                TestFailure::Rule { expected, got } => {
                    let (expected, got) = (named(expected.as_deref(), "rule"), named(got.as_deref(), "rule"));
                    write!(f, "test expected {expected}, got {got}")?;
                }
                TestFailure::Desk { expected, got } => {
                    let expected = named(expected.map(Desk::name), "desk");
                    let got = named(got.map(Desk::name), "desk");
                    write!(f, "test expected {expected}, got {got}")?;
                }
                TestFailure::Reply { field, expected, got: Some(got), .. } => {
                    write!(f, "test expected reply {field} {expected:?}, got {got:?}")?;
                }
                TestFailure::Reply { field, expected, got: None, why } => {
                    write!(f, "test expected reply {field} {expected:?}, but no reply is made")?;
                    if let Some(why) = why {
                        write!(f, " ({why})")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// `rule "x"`, or `no rule`.
fn named(name: Option<&str>, what: &str) -> String {
    match name {
        Some(name) => format!("{what} {name:?}"),
        None => format!("no {what}"),
    }
}

/// Runs every embedded test of `rules`, reading messages with `parse` (clerk's message parser; a
/// parameter so that the rules' own unit tests can give a toy one).
pub fn run_tests<E: fmt::Display>(
    rules: &RuleSet,
    parse: impl Fn(&[u8]) -> Result<Message, E>,
) -> Vec<TestOutcome<'_>> {
    rules.tests.iter().map(|test| run_test(rules, test, &parse)).collect()
}

fn run_test<'r, E: fmt::Display>(
    rules: &'r RuleSet,
    test: &'r RuleTest,
    parse: &impl Fn(&[u8]) -> Result<Message, E>,
) -> TestOutcome<'r> {
    let raw = match &test.message {
        TestMessage::Eml(path) => std::fs::read(path).map_err(|e| format!("{}: {e}", path.display())),
        TestMessage::Inline(text) => Ok(text.clone().into_bytes()),
    };
    let read = raw.and_then(|raw| parse(&raw).map(|message| (raw, message)).map_err(|e| e.to_string()));
    let (raw, message) = match read {
        Ok(read) => read,
        Err(reason) => {
            return TestOutcome { test, failures: vec![TestFailure::Unreadable(reason)] };
        }
    };
    let classification = rules.classify(&message);
    let mut failures = Vec::new();
    let got_rule = classification.deciding().map(|rule| rule.name.clone());
    if let Some(expected) = &test.expect.rule
        && *expected != got_rule
    {
        failures.push(TestFailure::Rule { expected: expected.clone(), got: got_rule });
    }
    let got_desk = classification.desk().map(|call| call.desk);
    if let Some(expected) = test.expect.desk
        && expected != got_desk
    {
        failures.push(TestFailure::Desk { expected, got: got_desk });
    }
    if test.expect.reply_subject.is_some() || test.expect.reply_to.is_some() {
        failures.extend(check_reply(rules, test, &raw, &message, parse));
    }
    TestOutcome { test, failures }
}

/// Compares the automatic reply the message would get (composed as the daemon would, with no reply
/// sent before) with the test's `reply_subject` and `reply_to`.
fn check_reply<E: fmt::Display>(
    rules: &RuleSet,
    test: &RuleTest,
    raw: &[u8],
    message: &Message,
    parse: &impl Fn(&[u8]) -> Result<Message, E>,
) -> Vec<TestFailure> {
    let now = Utc::now();
    let incoming = Incoming { msg: message, raw, content_hash: "test", now };
    let views = Views {
        calendars: &NoCalendars,
        tickets: &NoTickets,
        supply: &crate::desks::supply::NoSupply,
        planning: &crate::desks::event::NoPlanning,
    };
    let decided = handling::decide(rules, &incoming, &views, &mut NoHistory).map_err(|e| e.to_string());
    let (reply, why) = match decided {
        Ok(decision) => {
            let reply = decision.reply().cloned();
            let why = decision
                .suppressed
                .iter()
                .find(|s| s.action == "reply")
                .map(ToString::to_string)
                .or_else(|| (!decision.notes.is_empty()).then(|| decision.notes.join("; ")));
            (reply, why)
        }
        Err(e) => (None, Some(e)),
    };
    let subject = reply.as_ref().map(|mail| match parse(&mail.raw) {
        Ok(composed) => composed.subject,
        Err(e) => format!("(unreadable reply: {e})"),
    });
    let recipient = reply.as_ref().and_then(|mail| mail.recipients.first().cloned());
    let mut failures = Vec::new();
    let checks = [
        ("subject", &test.expect.reply_subject, subject, false),
        ("recipient", &test.expect.reply_to, recipient, true),
    ];
    for (field, expected, got, ignore_case) in checks {
        let Some(expected) = expected else { continue };
        let same = got.as_deref().is_some_and(|got| {
            if ignore_case { got.eq_ignore_ascii_case(expected) } else { got == expected }
        });
        if !same {
            let why = if got.is_none() { why.clone() } else { None };
            failures.push(TestFailure::Reply { field, expected: expected.clone(), got, why });
        }
    }
    failures
}
