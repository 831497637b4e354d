//! Tests of the rule language through its public face: rules directories written to temporary
//! folders, loaded, and used to classify messages built as struct literals.

mod actions;
mod calendars;
mod catalog;
mod conditions;
mod departments;
mod design;
mod errors;
mod events;
mod index;
mod loading;
mod templates;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::RuleSet;
use crate::mail::message::{Address, Message};

/// A valid office, the base of most tests.
pub(crate) const OFFICE: &str = r#"
[office]
name = "Rossi & Bianchi Studio"
timezone = "Europe/Rome"
language = "en"

[assistant]
address = "assistant@office.example"
name = "Office Assistant"

[[owner]]
name = "Giulia Rossi"
address = "giulia@office.example"

[departments]
front-desk = "info@office.example"
accounts = "accounts@office.example"

[replies]
limit = "1d"
require_assistant_recipient = true
also_own = ["billing@office.example"]
"#;

/// A rule that files everything, for tests about the rest of a rules directory: a rule set needs one.
pub(crate) const A_RULE: &str = "[[rule]]\nname = \"filing\"\nmove = \"Filed\"\n\n";

/// The standard office with a calendar named `office`, which rules may book into.
pub(crate) fn office_with_calendar() -> String {
    format!("{OFFICE}\n[[calendar]]\nname = \"office\"\nowner = \"giulia@office.example\"\n")
}

/// A rules directory in the system's temporary folder, removed when dropped.
pub(crate) struct Dir {
    path: PathBuf,
}

impl Dir {
    pub(crate) fn new() -> Dir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("clerk-rules-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&path).expect("temporary directory");
        Dir { path }
    }

    /// A directory with the standard office, its catalog and one rule file.
    pub(crate) fn with_rules(rules: &str) -> Dir {
        let dir = Dir::new();
        dir.write("office.toml", OFFICE);
        dir.write("catalog.toml", catalog::CATALOG);
        dir.write("10.rules.toml", rules);
        dir
    }

    pub(crate) fn write(&self, name: &str, text: &str) {
        let path = self.path.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("fixture folder");
        }
        std::fs::write(path, text).expect("fixture file");
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn load(&self) -> RuleSet {
        match RuleSet::load(&self.path) {
            Ok(set) => set,
            Err(errors) => panic!("rules should load:\n{errors}"),
        }
    }

    /// The load errors, with file names relative to the directory.
    pub(super) fn errors(&self) -> Vec<String> {
        match RuleSet::load(&self.path) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.0.iter().map(|d| self.relative(d)).collect(),
        }
    }

    pub(super) fn relative(&self, diagnostic: &crate::toml_doc::Diagnostic) -> String {
        let relative = crate::toml_doc::Diagnostic {
            file: diagnostic.file.strip_prefix(&self.path).unwrap_or(&diagnostic.file).to_owned(),
            ..diagnostic.clone()
        };
        relative.to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The load errors of one rule file with the standard office.
pub(super) fn errors(rules: &str) -> Vec<String> {
    Dir::with_rules(rules).errors()
}

/// A rule set of one rule file with the standard office.
pub(crate) fn load(rules: &str) -> RuleSet {
    Dir::with_rules(rules).load()
}

/// Whether a rule with these `when` lines matches `msg`.
pub(super) fn when_matches(when: &str, msg: &Message) -> bool {
    let set = load(&format!("[[rule]]\nname = \"r\"\n{when}\ndesk = \"inquiry\"\n"));
    set.classify(msg).deciding().is_some()
}

pub(super) fn addr(email: &str) -> Address {
    Address { name: None, email: email.to_owned() }
}

pub(super) fn from(email: &str) -> Message {
    Message { from: vec![addr(email)], ..Default::default() }
}

pub(super) fn subject(text: &str) -> Message {
    Message { subject: text.to_owned(), ..Default::default() }
}

pub(super) fn body(text: &str) -> Message {
    Message { text: text.to_owned(), ..Default::default() }
}

pub(super) fn headers(pairs: &[(&str, &str)]) -> Message {
    Message {
        headers: pairs.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect(),
        ..Default::default()
    }
}
