//! The `[[test]]`s embedded in rule files: a message and what the rules should decide for it, run by
//! `clerk check` so that editing one rule cannot silently steal another rule's mail.
//!
//! ```toml
//! [[test]]
//! eml = "../tests/fixtures/toner.eml"       # relative to the rule file's directory
//! expect = { rule = "supply request from staff", desk = "supply" }
//!
//! [[test]]
//! message = """
//! From: someone@elsewhere.example
//! Subject: hello
//!
//! Just saying hi.
//! """
//! expect = { rule = false, desk = false }   # no rule matches, no desk
//! ```
//!
//! `expect.rule` is compared with the deciding rule: the last one that matched, which is the one that
//! stopped the evaluation unless every match said `continue`. `expect.reply_subject` and
//! `expect.reply_to` check the automatic reply as the daemon would compose it (the first time this
//! sender writes, the desks included: the inquiry desk's answer opens ticket 1001 in a test), so a
//! test also catches a reply the safety rules would hold back.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::RuleSet;
use super::rule::Desk;
use crate::actions::{self, NoHistory};
use crate::desks::{self, Incoming, NoCalendars, NoTickets, Views};
use crate::mail::message::Message;
use crate::toml_doc::{Diagnostic, Item, Reported, Table, did_you_mean};

/// One `[[test]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTest {
    /// The rule file and the line of the `[[test]]`.
    pub file: PathBuf,
    /// See `file`.
    pub line: usize,
    /// The message to classify.
    pub message: TestMessage,
    /// What the rules should decide for it.
    pub expect: Expectation,
}

/// Where a test's message comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestMessage {
    /// `eml = "…"`, resolved against the rule file's directory; it existed when the rules loaded.
    Eml(PathBuf),
    /// `message = """…"""`: the raw message in the rule file itself.
    Inline(String),
}

/// What a test expects. For `rule` and `desk`, `None` means "not checked" and `Some(None)` means
/// "none" (`rule = false`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectation {
    /// `rule`: the deciding rule's name.
    pub rule: Option<Option<String>>,
    /// `desk`: the desk the message goes to.
    pub desk: Option<Option<Desk>>,
    /// `reply_subject`: the subject of the automatic reply (which the safety rules must let through).
    pub reply_subject: Option<String>,
    /// `reply_to`: the address the automatic reply goes to.
    pub reply_to: Option<String>,
}

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

impl RuleSet {
    /// Runs every embedded test, reading messages with `parse` (clerk's message parser; taken as a
    /// parameter so the rules do not depend on it).
    pub fn run_tests<E: fmt::Display>(
        &self,
        parse: impl Fn(&[u8]) -> Result<Message, E>,
    ) -> Vec<TestOutcome<'_>> {
        self.tests.iter().map(|test| self.run_test(test, &parse)).collect()
    }

    fn run_test<'r, E: fmt::Display>(
        &'r self,
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
        let classification = self.classify(&message);
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
            failures.extend(self.check_reply(test, &raw, &message, parse));
        }
        TestOutcome { test, failures }
    }

    /// Compares the automatic reply the message would get (composed as the daemon would, with no reply
    /// sent before) with the test's `reply_subject` and `reply_to`.
    fn check_reply<E: fmt::Display>(
        &self,
        test: &RuleTest,
        raw: &[u8],
        message: &Message,
        parse: &impl Fn(&[u8]) -> Result<Message, E>,
    ) -> Vec<TestFailure> {
        let now = Utc::now();
        let decided = actions::decide(self, message, raw, "test", &mut NoHistory, now)
            .map_err(|e| e.to_string())
            .and_then(|mut decision| {
                let incoming = Incoming { msg: message, raw, content_hash: "test", now };
                let views = Views {
                    calendars: &NoCalendars,
                    tickets: &NoTickets,
                    supply: &crate::desks::supply::NoSupply,
                };
                desks::run(self, &incoming, &mut decision, &views, &mut NoHistory)
                    .map_err(|e| e.to_string())?;
                Ok(decision)
            });
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
}

/// A reference from a test to a rule by name, checked once every rule file is read.
pub(crate) struct RuleRef {
    pub name: String,
    pub at: Diagnostic,
}

/// Reads a `[[test]]` table of the rule file in `dir`. Rules the test names go to `rule_refs` even
/// when the test has other errors, so that every error is reported in one go.
pub(crate) fn parse_test(
    table: &Table<'_, '_>,
    dir: &Path,
    rule_refs: &mut Vec<RuleRef>,
) -> Result<RuleTest, Reported> {
    let doc = table.doc();
    let eml = table.optional("eml", |item| eml(item, dir));
    let inline = table.optional("message", |item| item.expect_str().map(str::to_owned));
    let expectation = match table.table("expect") {
        Some(expect) => parse_expectation(&expect, rule_refs),
        None => {
            if !table.has("expect") {
                table.missing("expect");
            }
            Err(Reported)
        }
    };
    let message = match (eml?, inline?) {
        (Some(path), None) => TestMessage::Eml(path),
        (None, Some(text)) => TestMessage::Inline(text),
        (None, None) => {
            doc.error(table.span(), "a test needs `eml = \"file.eml\"` or `message = \"\"\"…\"\"\"`");
            return Err(Reported);
        }
        (Some(_), Some(_)) => {
            doc.error(table.span(), "a test takes `eml` or `message`, not both");
            return Err(Reported);
        }
    };
    Ok(RuleTest {
        file: doc.file().to_owned(),
        line: doc.line(table.span().start),
        message,
        expect: expectation?,
    })
}

fn parse_expectation(expect: &Table<'_, '_>, rule_refs: &mut Vec<RuleRef>) -> Result<Expectation, Reported> {
    let doc = expect.doc();
    let rule = expect.optional("rule", |item| named_or_false(item, "a rule name or false"));
    let desk = expect.optional("desk", expected_desk);
    let reply_subject = expect.optional("reply_subject", |item| item.expect_str().map(str::to_owned));
    let reply_to = expect.optional("reply_to", |item| item.expect_str().map(str::to_owned));
    if let Some(item) = expect.get("rule")
        && let Some(name) = item.as_str()
    {
        rule_refs.push(RuleRef { name: name.to_owned(), at: doc.diagnostic(item.span(), "") });
    }
    if !expect.has("rule") && !expect.has("desk") {
        doc.error(expect.span(), "`expect` needs `rule`, `desk` or both");
        return Err(Reported);
    }
    Ok(Expectation { rule: rule?, desk: desk?, reply_subject: reply_subject?, reply_to: reply_to? })
}

fn eml(item: &Item<'_, '_>, dir: &Path) -> Option<PathBuf> {
    let path = dir.join(item.expect_str()?);
    if path.is_file() {
        Some(path)
    } else {
        item.error(format!("no such file: {}", path.display()));
        None
    }
}

/// A name, or `false` for "none".
fn named_or_false(item: &Item<'_, '_>, expected: &str) -> Option<Option<String>> {
    match (item.as_str(), item.as_bool()) {
        (Some(name), _) => Some(Some(name.to_owned())),
        (_, Some(false)) => Some(None),
        _ => {
            item.type_error(expected);
            None
        }
    }
}

fn expected_desk(item: &Item<'_, '_>) -> Option<Option<Desk>> {
    let Some(name) = named_or_false(item, "a desk name or false")? else {
        return Some(None);
    };
    let desk = Desk::from_name(&name);
    if desk.is_none() {
        let hint = did_you_mean(&name, Desk::ALL.map(Desk::name))
            .map(|close| format!(", did you mean `{close}`?"))
            .unwrap_or_default();
        item.error(format!("unknown desk `{name}`{hint}"));
    }
    desk.map(Some)
}
