//! The `[[test]]`s embedded in rule files: a message and what the rules should decide for it, run by
//! `clerk check` ([`crate::check::embedded`], through the real pipeline) so that editing one rule
//! cannot silently steal another rule's mail. This module reads them; it does not run them.
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

use std::path::{Path, PathBuf};

use super::rule::Desk;
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
