//! The rule language: the office's rules directory, loaded and checked as a whole, and the
//! classification of a message by its rules.
//!
//! A rules directory holds
//!
//! - `office.toml`: the office (see [`office`]);
//! - `*.rules.toml`: the rules, read in file-name order (`10-staff.rules.toml` before
//!   `90-catch-all.rules.toml`), each file's rules in order (see [`parse`], [`when`], [`actions`]),
//!   and the `[[test]]`s that `clerk check` runs (see [`embedded`]);
//! - `templates/`: the text templates, `templates/<name>.txt` (see [`template`]).
//!
//! - `catalog.toml`: the supplies, when the office keeps them (see [`catalog`]).
//!
//! Anything else is left alone (notes, fixtures), except that a file that looks like a
//! misnamed rule file (`staff.rule.toml`, `rules.toml`) is a warning: its rules would silently not apply.
//!
//! Loading is all or nothing: every error of every file is reported at once, and a rule set with any
//! error is refused, so the daemon keeps its last good rules. The first rule that matches decides;
//! a rule with `continue = true` lets evaluation go on after it.

pub mod actions;
pub mod condition;
pub mod embedded;
mod facts;
mod index;
pub mod parse;
pub mod rule;
pub mod schedule;
pub mod template;
pub mod text;
pub mod trace;
pub mod when;

#[cfg(test)]
pub(crate) mod tests;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub use condition::Condition;
pub use embedded::{Expectation, RuleTest, TestMessage};
pub use rule::{Actions, Desk, DeskCall, Flag, Forward, ForwardMode, OnConflict, Reply, Rule};
pub use schedule::{Job, Schedule};
pub use template::{TemplateContext, TemplateError, Templates};
pub use trace::{ConditionTrace, RuleTrace};

use crate::mail::message::Message;
use crate::office::Office;
use crate::toml_doc::{Diagnostic, Diagnostics, Doc, did_you_mean};
use actions::Refs;
use facts::Facts;
use index::RuleIndex;

/// A second `[[schedule]]` with a name already used is an error at its name.
fn check_schedule_names(schedules: &[(Schedule, Diagnostic)], errors: &mut Vec<Diagnostic>) {
    for (index, (schedule, at)) in schedules.iter().enumerate() {
        if let Some((first, _)) = schedules[..index].iter().find(|(s, _)| s.name == schedule.name) {
            let message = format!(
                "a second schedule is named `{}` (the first is at {}:{})",
                schedule.name,
                first.file.display(),
                first.line
            );
            errors.push(Diagnostic { message, ..at.clone() });
        }
    }
}

/// Warnings for rules that can never match because an earlier rule without `continue` matches every
/// message they would (a catch-all, or a condition they only narrow), so evaluation never reaches them.
fn shadowed<'r>(rules: impl Iterator<Item = &'r Rule>) -> Vec<Diagnostic> {
    let rules: Vec<&Rule> = rules.collect();
    let mut warnings = Vec::new();
    let mut steps = SHADOW_STEPS;
    for (index, rule) in rules.iter().enumerate() {
        let mut shadowing = None;
        for earlier in rules[..index].iter().filter(|earlier| !earlier.continue_after) {
            match rule.when.implies(&earlier.when, &mut steps) {
                Some(true) => {
                    shadowing = Some(earlier);
                    break;
                }
                Some(false) => {}
                None => {
                    warnings.push(Diagnostic {
                        file: rule.file.clone(),
                        line: rule.line,
                        col: 1,
                        message: format!(
                            "rules from {:?} on are not checked for rules that can never match: comparing \
                             so many rules, or conditions nested so deep, would take too long",
                            rule.name
                        ),
                    });
                    return warnings;
                }
            }
        }
        if let Some(earlier) = shadowing {
            warnings.push(Diagnostic {
                file: rule.file.clone(),
                line: rule.line,
                col: 1,
                message: format!(
                    "rule {:?} can never match: the earlier rule {:?} ({}:{}) matches every message it would, and stops there",
                    rule.name,
                    earlier.name,
                    earlier.file.display(),
                    earlier.line
                ),
            });
        }
    }
    warnings
}

/// How many comparisons of conditions looking for shadowed rules may take: seven hundred rules, or
/// conditions nested dozens deep, are compared in a fraction of a second, and rules beyond that are
/// not looked at (with a warning saying so) rather than holding up `clerk check` and every reload.
const SHADOW_STEPS: u64 = 250_000;

/// A loaded, checked rules directory.
pub struct RuleSet {
    /// The directory it was loaded from, to reload it and to name it in messages.
    pub dir: PathBuf,
    /// `office.toml`.
    pub office: Office,
    /// `catalog.toml`, when the office keeps supplies.
    pub catalog: Option<crate::supply::Catalog>,
    /// All rules of all files, in evaluation order.
    pub rules: Vec<Rule>,
    /// The `[[test]]`s of all files, for [`crate::check::embedded::run_tests`].
    pub tests: Vec<RuleTest>,
    /// The `[[schedule]]`s of all files, in file order.
    pub schedules: Vec<Schedule>,
    /// `templates/`, all compiled.
    pub templates: Templates,
    /// Things that are probably mistakes but do not stop the rules from working.
    pub warnings: Vec<Diagnostic>,
    /// `rules` compiled for [`RuleSet::classify`], built with them at load.
    index: RuleIndex,
}

/// The rules that matched a message, in order. Evaluation stops after the first match without
/// `continue`, so only the last entry can be a rule without `continue`.
#[derive(Debug, Clone)]
pub struct Classification<'r> {
    /// Every rule that matched, in evaluation order; empty when none did.
    pub matched: Vec<&'r Rule>,
}

impl<'r> Classification<'r> {
    /// The rule that decided: the last that matched.
    pub fn deciding(&self) -> Option<&'r Rule> {
        self.matched.last().copied()
    }

    /// The desk to hand the message to: that of the first matched rule with one, so a later `continue`
    /// rule cannot take a message from the desk an earlier rule chose.
    pub fn desk(&self) -> Option<&'r DeskCall> {
        self.matched.iter().find_map(|rule| rule.actions.desk.as_ref())
    }
}

impl RuleSet {
    /// When the first schedule running `job` next runs after `now`, if the rules have one: the supply
    /// desk tells a requester when the next order run sends what they wait for.
    pub fn next_run(
        &self,
        job: Job,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        self.schedules
            .iter()
            .filter(|s| s.job == job)
            .filter_map(|s| s.next_slot(self.office.timezone, now))
            .min()
    }

    /// Loads and checks the rules directory `dir`, returning every problem found if there is any.
    pub fn load(dir: &Path) -> Result<RuleSet, Diagnostics> {
        let mut errors = Vec::new();
        let warnings = RefCell::new(Vec::new());
        let rule_files = match list_rule_files(dir, &mut warnings.borrow_mut()) {
            Ok(files) => files,
            Err(e) => {
                let message = format!("cannot read the rules directory: {e}");
                return Err(Diagnostics(vec![Diagnostic::whole_file(dir, message)]));
            }
        };

        let (templates, template_errors) = Templates::load(&dir.join("templates"));
        errors.extend(template_errors);

        let office_file = dir.join("office.toml");
        let office = read(&office_file, &mut errors).and_then(|text| {
            let doc = parse_doc(&office_file, &text, &mut errors)?;
            let office = crate::office::parse_office(&doc);
            errors.extend(doc.finish());
            office
        });

        let catalog_file = dir.join("catalog.toml");
        let has_catalog = catalog_file.exists();
        let catalog = if has_catalog {
            read(&catalog_file, &mut errors).and_then(|text| {
                let doc = parse_doc(&catalog_file, &text, &mut errors)?;
                let catalog = crate::office::catalog::parse_catalog(&doc, office.as_ref());
                errors.extend(doc.finish());
                catalog
            })
        } else {
            None
        };

        let refs = Refs { office: office.as_ref(), templates: &templates, warnings: &warnings, has_catalog };
        let mut rules = Vec::new();
        let mut tests = Vec::new();
        let mut rule_refs = Vec::new();
        let mut schedules = Vec::new();
        for file in &rule_files {
            let Some(text) = read(file, &mut errors) else {
                continue;
            };
            let Some(doc) = parse_doc(file, &text, &mut errors) else {
                continue;
            };
            let parsed = parse::parse_rule_file(&doc, &refs);
            errors.extend(doc.finish());
            rules.extend(parsed.rules);
            tests.extend(parsed.tests);
            rule_refs.extend(parsed.rule_refs);
            schedules.extend(parsed.schedules);
        }
        check_names(&rules, rule_refs, &mut errors);
        check_schedule_names(&schedules, &mut errors);
        if let Some(office) = &office {
            // A template that fails on a complete message would fail on every message it answers.
            let uses = template_uses(rules.iter().map(|(rule, _)| rule), office, &templates);
            errors.extend(templates.check_all(&template::sample_message(), office, &uses));
        }
        if rules.is_empty()
            && errors.is_empty()
            && office.as_ref().is_some_and(|office| !office.allow_empty_rules)
        {
            errors.push(no_rules(dir, &rule_files));
        }
        in_reading_order(&mut errors);

        let mut warnings = warnings.into_inner();
        warnings.extend(shadowed(rules.iter().map(|(rule, _)| rule)));
        match office {
            Some(office) if errors.is_empty() => {
                let rules: Vec<Rule> = rules.into_iter().map(|(rule, _)| rule).collect();
                let index = RuleIndex::new(rules.iter().map(|rule| &rule.when));
                Ok(RuleSet {
                    dir: dir.to_owned(),
                    office,
                    catalog,
                    rules,
                    tests,
                    schedules: schedules.into_iter().map(|(schedule, _)| schedule).collect(),
                    templates,
                    warnings,
                    index,
                })
            }
            Some(_) => Err(Diagnostics(errors)),
            None => {
                if errors.is_empty() {
                    // Every path to no office reports why; this keeps an error list from ever
                    // being empty, should one not.
                    errors.push(Diagnostic::whole_file(office_file, "the office could not be read"));
                }
                Err(Diagnostics(errors))
            }
        }
    }

    /// How long a sender waits for a second auto-reply from `rule`: the office's `[replies] limit`,
    /// which a rule's `every` can only lengthen.
    pub fn reply_limit(&self, rule: &Rule) -> std::time::Duration {
        let floor = self.office.replies.limit;
        rule.actions.reply.as_ref().and_then(|reply| reply.every).map_or(floor, |every| every.max(floor))
    }

    /// What `msg` asks of this office, as `when.intent` reads it; for `explain`.
    pub fn intents(&self, msg: &Message) -> crate::intent::Reading {
        facts::read_intents(msg, &self.office, self.catalog.as_ref())
    }

    /// The rules that match `msg`: the first match decides, unless it says `continue`.
    ///
    /// Only the rules the index lets through are evaluated (see `rules::index`); the others cannot match,
    /// so the result is that of trying every rule in order.
    pub fn classify(&self, msg: &Message) -> Classification<'_> {
        let facts = Facts::new(msg, &self.office, self.catalog.as_ref());
        let mut matched = Vec::new();
        for rule in self.index.candidates(&facts).filter_map(|at| self.rules.get(at)) {
            if rule.when.eval(&facts) {
                matched.push(rule);
                if !rule.continue_after {
                    break;
                }
            }
        }
        Classification { matched }
    }

    /// [`RuleSet::classify`] without the index: every rule tried in order, the reference the index
    /// is tested against.
    #[cfg(test)]
    pub(crate) fn classify_in_file_order(&self, msg: &Message) -> Classification<'_> {
        let facts = Facts::new(msg, &self.office, self.catalog.as_ref());
        let mut matched = Vec::new();
        for rule in &self.rules {
            if rule.when.eval(&facts) {
                matched.push(rule);
                if !rule.continue_after {
                    break;
                }
            }
        }
        Classification { matched }
    }

    /// Every rule [`RuleSet::classify`] tries for `msg`, in order, with each condition's result; it
    /// stops where classification stops.
    pub fn explain(&self, msg: &Message) -> Vec<RuleTrace> {
        self.explain_and_read(msg).0
    }

    /// [`RuleSet::explain`] and what the message asks ([`RuleSet::intents`]), read once for both.
    pub fn explain_and_read(&self, msg: &Message) -> (Vec<RuleTrace>, crate::intent::Reading) {
        let facts = Facts::new(msg, &self.office, self.catalog.as_ref());
        let mut traces = Vec::new();
        for rule in &self.rules {
            let when = rule.when.trace(&facts);
            let matched = when.result;
            traces.push(RuleTrace {
                rule: rule.name.clone(),
                file: rule.file.clone(),
                line: rule.line,
                matched,
                continue_after: rule.continue_after,
                when,
            });
            if matched && !rule.continue_after {
                break;
            }
        }
        (traces, facts.intents().clone())
    }
}

/// Where each template is rendered, as `rules` and the office use them: a reply's and a forward note's
/// templates as they are named, and the inquiry desk's answers and acknowledgment also in each
/// translation (`NAME.LANG`) the desk picks by the ticket's language.
fn template_uses<'r>(
    rules: impl Iterator<Item = &'r Rule>,
    office: &Office,
    templates: &Templates,
) -> template::Uses {
    let mut uses = template::Uses::default();
    let names = templates.names();
    let with_translations = |name: &str, used: template::Use, uses: &mut template::Uses| {
        uses.add(name, used.clone());
        let translations = names.iter().filter(|other| {
            other
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(crate::language::is_known)
        });
        for translation in translations {
            uses.add(translation, used.clone());
        }
    };
    for rule in rules {
        if let Some(reply) = &rule.actions.reply {
            uses.add(&reply.template, template::Use::Reply { rule: rule.name.clone() });
        }
        if let Some(note) = rule.actions.forward.as_ref().and_then(|forward| forward.note.as_ref()) {
            uses.add(note, template::Use::ForwardNote { rule: rule.name.clone() });
        }
        if let Some(call) = &rule.actions.desk
            && call.desk == Desk::Inquiry
            && let Some(answer) = &call.answer
        {
            with_translations(answer, template::Use::Answer { rule: rule.name.clone() }, &mut uses);
        }
    }
    let acknowledgment = office
        .tickets
        .acknowledgment
        .as_deref()
        .unwrap_or(crate::office::departments::DEFAULT_ACKNOWLEDGMENT);
    with_translations(acknowledgment, template::Use::Acknowledgment, &mut uses);
    uses
}

/// Why a rules directory without a single `[[rule]]` is refused: every message would be recorded as
/// handled, by no rule, and never looked at again.
fn no_rules(dir: &Path, rule_files: &[PathBuf]) -> Diagnostic {
    let what =
        if rule_files.is_empty() { "no rule files (*.rules.toml)" } else { "no [[rule]] in its rule files" };
    let message = format!(
        "{what}: every message would be recorded as handled with nothing done. Add a rule, or write \
         `[rules] allow_empty = true` in office.toml if the office means to run without rules"
    );
    Diagnostic::whole_file(dir, message)
}

/// The `*.rules.toml` files of `dir` in name order; files that look like misnamed rule files, or a
/// misnamed templates folder, become warnings.
fn list_rule_files(dir: &Path, warnings: &mut Vec<Diagnostic>) -> std::io::Result<Vec<PathBuf>> {
    let mut names: Vec<(String, bool)> = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let is_dir = entry.file_type()?.is_dir();
        names.push((entry.file_name().to_string_lossy().into_owned(), is_dir));
    }
    names.sort();
    let mut files = Vec::new();
    for (name, is_dir) in names {
        let path = dir.join(&name);
        let lower = name.to_ascii_lowercase();
        if is_dir {
            // Only near misses: a `temp` or `tests` folder is someone's business, not a typo.
            if name != "templates" && strsim::osa_distance(&lower, "templates") <= 2 {
                let message = "this folder is not read: templates go in `templates/`";
                warnings.push(Diagnostic::whole_file(path, message));
            }
        } else if name.ends_with(".rules.toml") {
            files.push(path);
        } else if lower == "office.toml" && name != "office.toml" {
            let message = "this file is not read: the office is described in `office.toml`, in lower case";
            warnings.push(Diagnostic::whole_file(path, message));
        } else if lower.contains("rule") && lower.ends_with(".toml") {
            let message = "this file is not read: rule files are named `*.rules.toml`";
            warnings.push(Diagnostic::whole_file(path, message));
        }
    }
    Ok(files)
}

fn read(file: &Path, errors: &mut Vec<Diagnostic>) -> Option<String> {
    match fs::read(file).map(String::from_utf8) {
        Ok(Ok(text)) => Some(text),
        Ok(Err(_)) => {
            errors.push(Diagnostic::whole_file(file, "not UTF-8 text"));
            None
        }
        Err(e) => {
            errors.push(Diagnostic::whole_file(file, format!("cannot read: {e}")));
            None
        }
    }
}

fn parse_doc<'i>(file: &Path, text: &'i str, errors: &mut Vec<Diagnostic>) -> Option<Doc<'i>> {
    match Doc::parse(file, text) {
        Ok(doc) => Some(doc),
        Err(syntax) => {
            errors.extend(syntax.0);
            None
        }
    }
}

/// Sorts diagnostics by file, in the order files were read, then by position, so checks made after
/// reading every file appear next to their neighbours.
fn in_reading_order(diagnostics: &mut [Diagnostic]) {
    let mut files: Vec<PathBuf> = Vec::new();
    for diagnostic in diagnostics.iter() {
        if !files.contains(&diagnostic.file) {
            files.push(diagnostic.file.clone());
        }
    }
    diagnostics.sort_by_key(|d| (files.iter().position(|f| *f == d.file), d.line, d.col));
}

/// Rule names are unique across files, and every rule a test names exists.
fn check_names(
    rules: &[(Rule, Diagnostic)],
    rule_refs: Vec<embedded::RuleRef>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut first: BTreeMap<&str, &Rule> = BTreeMap::new();
    for (rule, at) in rules {
        if let Some(earlier) = first.get(rule.name.as_str()) {
            let (file, line) = (earlier.file.display(), earlier.line);
            errors.push(Diagnostic {
                message: format!("duplicate rule name `{}` (first used at {file}:{line})", rule.name),
                ..at.clone()
            });
        } else {
            first.insert(&rule.name, rule);
        }
    }
    for rule_ref in rule_refs {
        if !first.contains_key(rule_ref.name.as_str()) {
            let hint = did_you_mean(&rule_ref.name, first.keys().copied())
                .map(|close| format!(", did you mean `{close}`?"))
                .unwrap_or_default();
            errors.push(Diagnostic {
                message: format!(
                    "the test expects rule `{}`, but there is no such rule{hint}",
                    rule_ref.name
                ),
                ..rule_ref.at
            });
        }
    }
}
