//! Reading one `*.rules.toml` file: its `[[rule]]`s, in order, its `[[schedule]]`s and its `[[test]]`s.
//!
//! ```toml
//! [[rule]]
//! name = "vendor invoices"                         # required, unique across all rule files
//! when.from = "*@acme-supplies.example"            # see `when` for the conditions
//! when.subject = { any = ["invoice", "fattura"] }
//! forward = "accounts@office.example"              # see `actions` for what a rule can do
//! move = "Vendors/Invoices"
//! continue = false                                 # true: later rules are still tried
//! ```
//!
//! Checks that need every file (duplicate names, tests naming rules) are left to the caller, which
//! gets each name's position for its messages.

use super::actions::{ACTION_KEYS, Refs, parse_actions};
use super::condition::Condition;
use super::embedded::{RuleRef, RuleTest, parse_test};
use super::rule::Rule;
use super::schedule::{Schedule, parse_schedule};
use super::when::compile_when;
use crate::toml_doc::{Diagnostic, Doc, Reported, Table};

/// What one rule file holds.
#[derive(Default)]
pub(crate) struct RuleFile {
    /// Each rule with the position of its name, for duplicate-name messages.
    pub rules: Vec<(Rule, Diagnostic)>,
    pub tests: Vec<RuleTest>,
    /// Rules named by tests.
    pub rule_refs: Vec<RuleRef>,
    /// Each `[[schedule]]` with the position of its name.
    pub schedules: Vec<(Schedule, Diagnostic)>,
}

/// Reads a rule file; everything wrong is reported to `doc`.
pub(crate) fn parse_rule_file(doc: &Doc<'_>, refs: &Refs<'_>) -> RuleFile {
    let root = doc.root();
    let dir = doc.file().parent().unwrap_or(std::path::Path::new("."));
    let mut file = RuleFile::default();
    for table in root.tables("rule") {
        if let Ok(rule) = parse_rule(table.with_path(""), refs) {
            file.rules.push(rule);
        }
    }
    for table in root.tables("schedule") {
        if let Ok(schedule) = parse_schedule(&table.with_path("")) {
            file.schedules.push(schedule);
        }
    }
    for table in root.tables("test") {
        if let Ok(test) = parse_test(&table.with_path(""), dir, &mut file.rule_refs) {
            file.tests.push(test);
        }
    }
    file
}

fn parse_rule(table: Table<'_, '_>, refs: &Refs<'_>) -> Result<(Rule, Diagnostic), Reported> {
    let doc = table.doc();
    let name = table.optional("name", |item| {
        let name = item.expect_str()?;
        if name.trim().is_empty() {
            item.error("a rule name cannot be empty");
            return None;
        }
        Some((name.to_owned(), doc.diagnostic(item.span(), "")))
    });
    if !table.has("name") {
        table.missing("name");
    }
    let when = table.optional("when", |item| compile_when(&item.expect_table()?));
    let actions = parse_actions(&table, refs);
    let continue_after = table.optional("continue", |item| item.expect_bool());
    if !ACTION_KEYS.iter().any(|key| table.has(key)) {
        let name = table
            .get("name")
            .and_then(|item| item.as_str())
            .map_or_else(String::new, |name| format!(" `{name}`"));
        doc.error(
            table.span(),
            format!("rule{name} does nothing: give it a `desk`, `reply`, `forward`, `move` or `flag`"),
        );
        return Err(Reported);
    }
    let (name, at) = name?.ok_or(Reported)?;
    let rule = Rule {
        name,
        file: doc.file().to_owned(),
        line: doc.line(table.span().start),
        when: when?.unwrap_or_else(Condition::always),
        actions: actions?,
        continue_after: continue_after?.unwrap_or(false),
    };
    Ok((rule, at))
}
