//! How well clerk's readers read labelled office mail. The time reader on its own, without the
//! calendar or the desk's choices in the way: for every request in words of each labelled set (see
//! `tests/office_accuracy.rs` for the sets and `CLERK_OFFICE_SETS`), the start the sender asked for,
//! the length they gave, the action (book, move, cancel, a window to choose in) and the window's days.
//! The order reader through the shipped office, as `clerk explain` runs it: the lines of each order
//! from someone who may order, item and quantity, scored as F1 (precision and recall of lines).
//!
//! The reader gets what the meeting desk gives it (`request_words`: the subject of a new message and
//! the new text of the body, or a forward's forwarded message), sent at the message's Date, for the
//! office in Rome.
//!
//! ```sh
//! cargo test --test reading_accuracy -- --nocapture
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod labelled;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use clerk::calendar::phrase::{self, Asked, Intent};
use clerk::explain::explain_at;
use clerk::mail::message::Message;
use clerk::mail::reply_text::request_words;
use clerk::rules::RuleSet;

/// The office's zone: the labels' times are Rome's.
const OFFICE: chrono_tz::Tz = chrono_tz::Europe::Rome;

/// Tallies of one measure: right of counted, per language.
#[derive(Default)]
struct Tally(BTreeMap<String, (usize, usize)>);

impl Tally {
    fn add(&mut self, lang: &str, right: bool) {
        for key in ["all", lang] {
            let entry = self.0.entry(key.to_owned()).or_default();
            entry.0 += usize::from(right);
            entry.1 += 1;
        }
    }

    fn share(&self, key: &str) -> f64 {
        self.0.get(key).map_or(100.0, |(right, of)| 100.0 * *right as f64 / (*of).max(1) as f64)
    }

    fn line(&self, what: &str) -> String {
        let parts: Vec<String> =
            self.0.iter().map(|(k, (right, of))| format!("{k} {right} of {of}")).collect();
        format!("  {what:<28} {} ({:.1}%)", parts.join(", "), self.share("all"))
    }
}

/// Order lines: right, read but not written, written but not read; per language.
#[derive(Default)]
struct Lines(BTreeMap<String, (usize, usize, usize)>);

impl Lines {
    fn add(&mut self, lang: &str, right: usize, extra: usize, missed: usize) {
        for key in ["all", lang] {
            let entry = self.0.entry(key.to_owned()).or_default();
            entry.0 += right;
            entry.1 += extra;
            entry.2 += missed;
        }
    }

    fn f1(&self, key: &str) -> f64 {
        let Some((right, extra, missed)) = self.0.get(key).map(|(r, e, m)| (*r as f64, *e as f64, *m as f64))
        else {
            return 1.0;
        };
        if right == 0.0 {
            return 0.0;
        }
        let (precision, recall) = (right / (right + extra), right / (right + missed));
        2.0 * precision * recall / (precision + recall)
    }

    fn line(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, (r, e, m))| format!("{k} F1 {:.3} ({r} right, {e} extra, {m} missed)", self.f1(k)))
            .collect();
        format!("  {:<28} {}", "order lines", parts.join("; "))
    }
}

/// The scores of one set.
#[derive(Default)]
struct Score {
    lines: Lines,
    start: Tally,
    action: Tally,
    length: Tally,
    window: Tally,
    misses: Vec<String>,
    /// Cancellations and moves read as a time to book.
    harmful: Vec<String>,
}

/// What the reader made of one message: the action and the start.
fn read(raw: &[u8]) -> Option<(String, Option<DateTime<Utc>>, phrase::Reading)> {
    let msg = Message::parse(raw).ok()?;
    let sent = msg.date?;
    let text = request_words(&msg.subject, !msg.in_reply_to.is_empty(), &msg.text);
    // A reply choosing one of the times offered (quoted below it) is read as that time.
    let offered = phrase::choice(&msg.text, 5).filter(|_| !msg.in_reply_to.is_empty()).and_then(|n| {
        let number = format!("{n}. ");
        msg.text
            .lines()
            .map(|l| l.trim_start_matches(['>', ' ']))
            .find(|l| l.starts_with(&number))
            .map(str::to_owned)
    });
    if let Some(line) = offered {
        let reading = phrase::read_in(&line, sent, Some(OFFICE));
        let start = match reading.asked {
            Asked::At(at) => Some(at),
            _ => None,
        };
        return Some(("book".to_owned(), start, reading));
    }
    let reading = phrase::read_in(&text, sent, Some(OFFICE));
    let action = match (phrase::intent(&text), reading.asked) {
        (Some(Intent::Cancel), _) => "cancel",
        (Some(Intent::Move), _) => "move",
        (None, Asked::At(_)) => "book",
        (None, Asked::Within { .. }) => "window",
        (None, Asked::Nothing) => "none",
    };
    let start = match reading.asked {
        Asked::At(at) => Some(at),
        _ => None,
    };
    Some((action.to_owned(), start, reading))
}

/// The order lines clerk's shipped office reads in `raw`, as of its Date.
fn read_lines(rules: &RuleSet, raw: &[u8]) -> Vec<(String, i64)> {
    let Some(date) = Message::parse(raw).ok().and_then(|m| m.date) else { return Vec::new() };
    explain_at(rules, raw, None, date.with_timezone(&Utc))
        .map_or_else(|_| Vec::new(), |e| labelled::lines_read(&e))
}

/// Scores the order lines of `label`'s message, if it is an order with lines.
fn score_order(rules: &RuleSet, dir: &Path, label: &Value, score: &mut Score) {
    let field = |name: &str| label.get(name).and_then(Value::as_str).unwrap_or("");
    let Some(mut wanted) = labelled::order_lines(label) else { return };
    let raw = std::fs::read(dir.join(field("file"))).expect("a labelled message is readable");
    let mut got = read_lines(rules, &raw);
    let mut right = 0;
    wanted.retain(|line| match got.iter().position(|g| g == line) {
        Some(at) => {
            got.remove(at);
            right += 1;
            false
        }
        None => true,
    });
    score.lines.add(field("lang"), right, got.len(), wanted.len());
    if !(got.is_empty() && wanted.is_empty()) {
        score.misses.push(format!(
            "{} ({}): order lines missed {wanted:?}, extra {got:?}",
            field("file"),
            field("lang")
        ));
    }
}

fn score(rules: &RuleSet, dir: &Path) -> Score {
    let text = std::fs::read_to_string(dir.join("labels.json")).expect("labels.json is readable");
    let labels: Vec<Value> = serde_json::from_str(&text).expect("labels.json is a list");
    let mut score = Score::default();
    for label in &labels {
        score_order(rules, dir, label, &mut score);
        let field = |name: &str| label.get(name).and_then(Value::as_str).unwrap_or("");
        let action = field("action");
        if field("desk") != "meeting" || matches!(action, "imip" | "") {
            continue;
        }
        let (file, lang) = (field("file"), field("lang"));
        let raw = std::fs::read(dir.join(file)).expect("a labelled message is readable");
        let Some((got, start, reading)) = read(&raw) else {
            score.misses.push(format!("{file}: no Date to read it at"));
            continue;
        };
        let wanted_start = label.get("start").and_then(Value::as_str).map(|s| {
            DateTime::parse_from_rfc3339(s).expect("a label's start is RFC 3339").with_timezone(&Utc)
        });
        // A vague request ("tomorrow 9ish") is rightly read as a window or not at all; a thread's
        // "none" may be read as anything that is not a change.
        let wanted_action = match action {
            "book" if wanted_start.is_none() => "vague",
            other => other,
        };
        let action_right = match wanted_action {
            "vague" => matches!(got.as_str(), "window" | "none"),
            "none" => matches!(got.as_str(), "none" | "window" | "book"),
            wanted => got == wanted,
        };
        score.action.add(lang, action_right);
        if !action_right {
            score.misses.push(format!("{file} ({lang}): action {wanted_action}, read {got}"));
        }
        if matches!(action, "cancel" | "move") && got == "book" {
            score.harmful.push(format!("{file}: a {action} read as a booking"));
        }
        if let Some(wanted) = wanted_start {
            let right = start == Some(wanted);
            score.start.add(lang, right);
            if !right {
                score.misses.push(format!(
                    "{file} ({lang}): start {}, read {:?}",
                    wanted.with_timezone(&OFFICE).format("%a %d %b %H:%M"),
                    reading.asked
                ));
            }
        }
        if let Some(minutes) = label.get("duration_min").and_then(Value::as_u64) {
            let right = reading.length.map(|l| l.as_secs() / 60) == Some(minutes);
            score.length.add(lang, right);
            if !right {
                score
                    .misses
                    .push(format!("{file} ({lang}): length {minutes} min, read {:?}", reading.length));
            }
        }
        if let Some(window) = label.get("window") {
            let day = |name: &str| {
                window.get(name).and_then(Value::as_str).and_then(|d| d.parse::<NaiveDate>().ok())
            };
            let right = match reading.asked {
                Asked::Within { from, to } => {
                    let first = from.with_timezone(&OFFICE).date_naive();
                    let last = (to - chrono::TimeDelta::seconds(1)).with_timezone(&OFFICE).date_naive();
                    day("from") == Some(first) && day("to") == Some(last)
                }
                _ => false,
            };
            score.window.add(lang, right);
            if !right {
                score.misses.push(format!("{file} ({lang}): window {window}, read {:?}", reading.asked));
            }
        }
    }
    score
}

#[test]
fn the_time_reader_reads_labelled_requests_as_their_senders_meant() {
    let rules =
        RuleSet::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("the shipped rules load");
    let mut first = None;
    for set in labelled::sets() {
        let score = score(&rules, &set);
        println!("time reader on {}:", set.display());
        println!("{}", score.start.line("exact start"));
        println!("{}", score.action.line("right action"));
        println!("{}", score.length.line("length as given"));
        println!("{}", score.window.line("window's days"));
        println!("{}", score.lines.line());
        println!("  misses:");
        for miss in &score.misses {
            println!("    {miss}");
        }
        assert!(score.harmful.is_empty(), "in {}: {:?}", set.display(), score.harmful);
        first.get_or_insert(score);
    }
    let dev = first.expect("the development set is part of the repository");
    assert!(dev.start.share("all") >= LEAST_EXACT_STARTS, "exact starts fell below {LEAST_EXACT_STARTS}%");
    assert!(
        dev.action.share("all") >= LEAST_RIGHT_ACTIONS,
        "right actions fell below {LEAST_RIGHT_ACTIONS}%"
    );
    assert!(dev.lines.f1("all") >= LEAST_ORDER_F1, "order lines' F1 fell below {LEAST_ORDER_F1}");
}

/// What the reader reaches on the development set (39 of 40 starts, 52 of 52 actions), so that no
/// change makes it worse; issue #17 asks for 90% and 95%.
const LEAST_EXACT_STARTS: f64 = 97.5;
const LEAST_RIGHT_ACTIONS: f64 = 100.0;

/// The order lines' F1 on the development set today (0.954); issue #17 asks for 0.95.
const LEAST_ORDER_F1: f64 = 0.95;
