//! `clerk check`: everything an edit can break, checked before it goes live. The configuration (with
//! the files it names, and a warning for each secret file others can read), every rule file,
//! `office.toml` and every template (rendered in each place the rules use it, against a sample of what
//! it is given there, so an unknown variable is caught), then every embedded `[[test]]`. Each problem is reported
//! at its `file:line:col`, each failed test as expected-versus-got; the daemon's reload refuses exactly
//! what this refuses.

pub mod embedded;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::mail::message::Message;
use crate::rules::RuleSet;
use crate::toml_doc::Diagnostic;

/// What `clerk check` found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The rules directory checked, once known.
    pub rules_dir: Option<PathBuf>,
    /// Problems that stop clerk from starting or from loading the rules, one line each.
    pub errors: Vec<String>,
    /// Probable mistakes that do not stop the rules from working.
    pub warnings: Vec<Diagnostic>,
    /// Files of the configuration holding a secret that others can read or change, one line each.
    pub open_secrets: Vec<String>,
    /// How many rules the directory holds.
    pub rules: usize,
    /// How many embedded tests ran.
    pub tests: usize,
    /// How many of them failed.
    pub failed: usize,
    /// One line per failed expectation.
    pub failures: Vec<String>,
    /// Rules no test expects to decide, in evaluation order.
    pub untested: Vec<String>,
}

impl Report {
    /// True when clerk would start with these files and every embedded test passes.
    pub fn passed(&self) -> bool {
        self.errors.is_empty() && self.failures.is_empty()
    }
}

/// Checks the configuration at `config` (already located) and its rules directory, or, with
/// `rules_dir`, that directory alone.
pub fn check(config: Option<&Path>, rules_dir: Option<&Path>) -> Report {
    let mut config_errors = Vec::new();
    let mut open_secrets = Vec::new();
    let dir = match (rules_dir, config) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(path)) => match Config::load(path) {
            Ok(config) => {
                config_errors = config.missing_sign_ins();
                open_secrets = config.open_secret_files().iter().map(ToString::to_string).collect();
                config.rules_dir
            }
            Err(e) => {
                return Report {
                    errors: e.to_string().lines().map(str::to_owned).collect(),
                    ..Report::default()
                };
            }
        },
        (None, None) => {
            return Report {
                errors: vec!["nothing to check: pass --config FILE or --rules DIR".into()],
                ..Report::default()
            };
        }
    };
    let mut report = match load_checked(&dir) {
        Ok((_, passed)) => passed,
        Err(failed) => *failed,
    };
    report.errors.splice(0..0, config_errors);
    report.open_secrets = open_secrets;
    report
}

/// Loads the rules directory `dir` as the daemon's reload does: the rules come back only if
/// `clerk check` would pass them (they load and every embedded test passes); either way with the report.
pub fn load_checked(dir: &Path) -> Result<(RuleSet, Report), Box<Report>> {
    load_checked_noting(dir, &|_| {})
}

/// [`load_checked`], telling `step` what it is doing as it goes ("running the embedded tests"), so that
/// a reload that takes too long can say where it was.
pub fn load_checked_noting(
    dir: &Path,
    step: &dyn Fn(&'static str),
) -> Result<(RuleSet, Report), Box<Report>> {
    let mut report = Report { rules_dir: Some(dir.to_path_buf()), ..Report::default() };
    step("reading the rules and rendering their templates");
    match RuleSet::load(dir) {
        Ok(rules) => {
            step("running the embedded tests");
            check_rules(&rules, &mut report);
            if report.passed() { Ok((rules, report)) } else { Err(Box::new(report)) }
        }
        Err(diagnostics) => {
            report.errors.extend(diagnostics.0.iter().map(ToString::to_string));
            Err(Box::new(report))
        }
    }
}

/// Runs the embedded tests of a loaded rule set and notes the rules none of them covers.
fn check_rules(rules: &RuleSet, report: &mut Report) {
    report.warnings = rules.warnings.clone();
    report.rules = rules.rules.len();
    let outcomes = embedded::run_tests(rules, Message::parse);
    report.tests = outcomes.len();
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed()).collect();
    report.failed = failed.len();
    report.failures =
        failed.iter().flat_map(|o| o.to_string().lines().map(str::to_owned).collect::<Vec<_>>()).collect();
    let tested: HashSet<&str> =
        rules.tests.iter().filter_map(|test| test.expect.rule.as_ref()?.as_deref()).collect();
    report.untested = rules
        .rules
        .iter()
        .map(|rule| rule.name.clone())
        .filter(|name| !tested.contains(name.as_str()))
        .collect();
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.errors {
            writeln!(f, "error: {error}")?;
        }
        for warning in &self.open_secrets {
            writeln!(f, "warning: {warning}")?;
        }
        for warning in &self.warnings {
            writeln!(f, "warning: {warning}")?;
        }
        for failure in &self.failures {
            writeln!(f, "FAIL: {failure}")?;
        }
        let Some(dir) = &self.rules_dir else {
            return writeln!(f, "The configuration has errors; the rules were not checked.");
        };
        if !self.errors.is_empty() {
            return writeln!(
                f,
                "{}: {} error(s); clerk would refuse these files.",
                dir.display(),
                self.errors.len()
            );
        }
        if !self.untested.is_empty() {
            writeln!(f, "note: no test expects these rules to decide: {}", self.untested.join(", "))?;
        }
        let passed = self.tests - self.failed;
        write!(f, "{}: {} rules, {passed} of {} tests passed", dir.display(), self.rules, self.tests)?;
        let warnings = self.warnings.len() + self.open_secrets.len();
        if warnings > 0 {
            write!(f, ", {}", crate::units::counted(warnings as u64, "warning"))?;
        }
        writeln!(f, ".")
    }
}
