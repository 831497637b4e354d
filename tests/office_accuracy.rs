//! How well the shipped office (`rules/`) routes office mail a person has labelled: every message of
//! each labelled set goes through the same path as `clerk explain` (parsed, classified, decided by
//! its desk, nothing stored or sent), as if it arrived at its own Date, and its desk is compared with
//! the desk a careful person chose.
//!
//! The sets are `tests/corpus/office` (the project's development set, a copy of
//! `../shared/corpus/office`), `tests/office-set` (examples of our own, in the same format) and any
//! directories named in `CLERK_OFFICE_SETS` (separated by `:`), so mail nobody tuned the rules on can
//! be scored the same way:
//!
//! ```sh
//! CLERK_OFFICE_SETS=/path/to/set cargo test --test office_accuracy -- --nocapture
//! ```
//!
//! Each set prints its accuracy overall, per language and per category; how many of the requests
//! to book at a time the person wrote down clerk booked as written, and how many orders it read
//! line for line (item and quantity), overall and per language; the harm done (a colleague's mail
//! made a customer ticket; a meeting booked, a meeting cancelled or a supply request or purchase
//! order opened from a message that asks for none), and every miss with the rule that decided it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod labelled;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::Utc;
use serde_json::Value;

use clerk::calendar::event::EventStatus;
use clerk::effects::Effect;
use clerk::explain::{Explanation, explain_at};
use clerk::rules::RuleSet;
use clerk::supply::Thread;

/// One labelled message and what clerk made of it.
struct Scored {
    file: String,
    lang: String,
    category: String,
    /// The desk the person chose; `None` for no desk.
    wanted: Option<String>,
    got: Option<String>,
    rule: Option<String>,
    why: String,
    /// What clerk did that the message does not ask for, if anything.
    harm: Vec<String>,
    /// For a request to book (or move) at a time the person wrote down: whether clerk booked that
    /// start; `None` when the label gives no start to book.
    start: Option<bool>,
    /// For an order whose lines the person wrote down: whether clerk's request holds exactly those
    /// items and quantities; `None` when the label gives none.
    lines: Option<bool>,
}

/// The score of one set.
struct Score {
    set: PathBuf,
    scored: Vec<Scored>,
}

impl Score {
    fn right(&self) -> usize {
        self.scored.iter().filter(|s| s.wanted == s.got).count()
    }

    fn accuracy(&self) -> f64 {
        100.0 * self.right() as f64 / self.scored.len().max(1) as f64
    }

    fn harmed(&self) -> impl Iterator<Item = &Scored> {
        self.scored.iter().filter(|s| !s.harm.is_empty())
    }

    /// The report printed for a person to read.
    fn report(&self) -> String {
        let mut out = String::new();
        let total = self.scored.len();
        let _ = writeln!(
            out,
            "office set {}: {} of {total} to the right desk ({:.1}%)",
            self.set.display(),
            self.right(),
            self.accuracy()
        );
        for (title, key) in [("language", 0), ("category", 1)] {
            let mut groups: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
            for s in &self.scored {
                let name = if key == 0 { s.lang.as_str() } else { s.category.as_str() };
                let group = groups.entry(name).or_default();
                group.1 += 1;
                if s.wanted == s.got {
                    group.0 += 1;
                }
            }
            let _ = writeln!(out, "  per {title}:");
            for (name, (right, all)) in groups {
                let _ = writeln!(
                    out,
                    "    {name:<20} {right:>3} of {all:<3} ({:.1}%)",
                    100.0 * right as f64 / all as f64
                );
            }
        }
        for (what, of) in [("meeting starts booked as written", 0), ("order lines read as written", 1)] {
            let mut groups: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
            for s in &self.scored {
                let Some(right) = (if of == 0 { s.start } else { s.lines }) else { continue };
                for name in ["all", s.lang.as_str()] {
                    let group = groups.entry(name).or_default();
                    group.1 += 1;
                    group.0 += usize::from(right);
                }
            }
            let figures: Vec<String> =
                groups.iter().map(|(name, (right, all))| format!("{name} {right} of {all}")).collect();
            let _ = writeln!(out, "  {what}: {}", figures.join(", "));
        }
        let harmed: Vec<&Scored> = self.harmed().collect();
        let _ = writeln!(out, "  done without being asked: {}", harmed.len());
        for s in harmed {
            let _ = writeln!(out, "    {}: {}", s.file, s.harm.join("; "));
        }
        let misses: Vec<&Scored> = self.scored.iter().filter(|s| s.wanted != s.got).collect();
        let _ = writeln!(out, "  misses: {}", misses.len());
        for s in misses {
            let _ = writeln!(
                out,
                "    {} ({}, {}): wanted {}, got {} by {:?} — {}",
                s.file,
                s.lang,
                s.category,
                s.wanted.as_deref().unwrap_or("no desk"),
                s.got.as_deref().unwrap_or("no desk"),
                s.rule.as_deref().unwrap_or("no rule"),
                s.why
            );
        }
        out
    }
}

/// The shipped office's rules.
fn shipped_rules() -> RuleSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    RuleSet::load(&dir).unwrap_or_else(|e| panic!("the shipped rules in {} load: {e}", dir.display()))
}

/// Scores every message of the set in `dir` (a `labels.json` beside the messages it names).
fn score(rules: &RuleSet, dir: &Path) -> Score {
    let labels_path = dir.join("labels.json");
    let text = std::fs::read_to_string(&labels_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", labels_path.display()));
    let labels: Vec<Value> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a list of labels: {e}", labels_path.display()));
    let scored = labels.iter().map(|label| score_one(rules, dir, label)).collect();
    Score { set: dir.to_path_buf(), scored }
}

fn score_one(rules: &RuleSet, dir: &Path, label: &Value) -> Scored {
    let field = |name: &str| label.get(name).and_then(Value::as_str).map(str::to_owned);
    let file =
        field("file").unwrap_or_else(|| panic!("a label without a file in {}: {label}", dir.display()));
    let raw = std::fs::read(dir.join(&file)).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
    let date = clerk::mail::message::Message::parse(&raw)
        .ok()
        .and_then(|m| m.date)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|| panic!("{file} has no Date to handle it at"));
    let explained =
        explain_at(rules, &raw, None, date).unwrap_or_else(|e| panic!("{file} does not parse: {e}"));
    Scored {
        harm: harm(rules, &explained, label),
        start: booked_as_written(&explained, label),
        lines: ordered_as_written(&explained, label),
        lang: field("lang").unwrap_or_default(),
        category: field("category").unwrap_or_default(),
        wanted: field("desk"),
        got: explained.decision.desk.clone(),
        rule: explained.decision.rule.clone(),
        why: field("why").unwrap_or_default(),
        file,
    }
}

/// Whether clerk booked the start the person wrote down, for a request to book at a time. A move
/// is not counted: without the meeting it moves in a calendar, clerk rightly books nothing.
fn booked_as_written(explained: &Explanation, label: &Value) -> Option<bool> {
    if label.get("action").and_then(Value::as_str)? != "book" {
        return None;
    }
    let start = label.get("start").and_then(Value::as_str)?;
    let start = chrono::DateTime::parse_from_rfc3339(start).expect("a label's start is RFC 3339");
    Some(explained.decision.effects.iter().any(|effect| {
        matches!(effect, Effect::PutEvent(event)
            if event.status != EventStatus::Cancelled && event.start == start.with_timezone(&Utc))
    }))
}

/// Whether clerk's supply request holds exactly the lines the person wrote down (SKU and quantity in
/// the item's units), for an order from someone who may order whose lines name items.
fn ordered_as_written(explained: &Explanation, label: &Value) -> Option<bool> {
    let mut wanted = labelled::order_lines(label)?;
    let mut got = labelled::lines_read(explained);
    wanted.sort();
    got.sort();
    Some(wanted == got)
}

/// What clerk did with the message that it does not ask for: the mistakes an office notices at once.
fn harm(rules: &RuleSet, explained: &Explanation, label: &Value) -> Vec<String> {
    let action = label.get("action").and_then(Value::as_str).unwrap_or("");
    let kind = label.get("kind").and_then(Value::as_str).unwrap_or("");
    let assistant = &rules.office.assistant.address;
    let office_domain = assistant.rsplit_once('@').map_or("", |(_, domain)| domain);
    let colleague = |email: &str| {
        email.rsplit_once('@').is_some_and(|(_, domain)| domain.eq_ignore_ascii_case(office_domain))
    };
    let mut harm = Vec::new();
    for effect in &explained.decision.effects {
        match effect {
            Effect::Ticket(change) if change.opened && colleague(&change.ticket.customer) => {
                harm.push("a colleague's mail made a customer ticket".to_owned());
            }
            Effect::PutEvent(event) => {
                let asked = match event.status {
                    EventStatus::Cancelled => matches!(action, "cancel" | "imip"),
                    _ => matches!(action, "book" | "move" | "imip"),
                };
                if !asked {
                    harm.push(format!("a meeting {} that nobody asked for", event.status.as_str()));
                }
            }
            Effect::Supply(change) if kind != "order" => {
                for opened in &change.opened {
                    harm.push(match opened {
                        Thread::Request(_) => "a supply request nobody asked for".to_owned(),
                        Thread::Order(_) => "a purchase order nobody asked for".to_owned(),
                    });
                }
            }
            _ => {}
        }
    }
    harm
}

#[test]
fn the_shipped_office_routes_labelled_office_mail() {
    let rules = shipped_rules();
    let scores: Vec<Score> = labelled::sets().iter().map(|set| score(&rules, set)).collect();
    assert!(!scores.is_empty(), "no labelled set found (tests/corpus/office is part of the repository)");
    for score in &scores {
        println!("{}", score.report());
    }
    for score in &scores {
        let harmed: Vec<&Scored> = score.harmed().collect();
        assert!(
            harmed.is_empty(),
            "done without being asked in {}:\n{}",
            score.set.display(),
            score.report()
        );
    }
    let dev = &scores[0];
    assert_eq!(dev.scored.len(), 200, "the development set has 200 messages");
    assert!(
        dev.accuracy() >= LEAST_RIGHT_IN_DEVELOPMENT,
        "the development set fell below {LEAST_RIGHT_IN_DEVELOPMENT}%:\n{}",
        dev.report()
    );
}

/// The share of the development set the shipped office must route right: what it reaches today, so
/// that no change makes it worse; raised as the readers improve, towards issue #16's 95%.
const LEAST_RIGHT_IN_DEVELOPMENT: f64 = 97.5;
