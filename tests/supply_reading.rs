//! How well clerk reads orders: every message of the labelled set in tests/fixtures/supply is read
//! against the shipped catalog, and the lines it is sure of are compared with the labels.
//!
//! Precision is the share of lines clerk took that are right (item and quantity); recall the share
//! of labelled lines it took. A line it asks about is neither taken nor guessed: it counts against
//! recall only. Every line labelled as one to ask about must be asked about.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

use std::path::Path;

use clerk::rules::RuleSet;
use clerk::supply::extract;
use clerk::supply::matching::Matcher;
use clerk::supply::reading::understand;

#[derive(serde::Deserialize)]
struct Labelled {
    message: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    text: String,
    lines: Vec<(String, i64)>,
    #[serde(default)]
    ask: Vec<String>,
}

/// What reading one labelled set gave.
struct Score {
    messages: usize,
    precision: f64,
    recall: f64,
    asks_expected: usize,
    asks_made: usize,
}

/// Reads every message of `file` and compares with its labels, printing the figures and each miss.
fn score(file: &str) -> Score {
    let rules = RuleSet::load(Path::new("rules")).expect("the shipped rules load");
    let catalog = rules.catalog.as_ref().expect("the shipped office keeps supplies");
    let matcher = Matcher::new(catalog);
    let text = std::fs::read_to_string(file).expect("the labelled set");
    let labelled: Labelled = toml::from_str(&text).expect("the labelled set parses");

    let (mut taken, mut right, mut labels) = (0, 0, 0);
    let (mut asks_expected, mut asks_made, mut asks_needless) = (0, 0, 0);
    let mut misses = Vec::new();
    for case in &labelled.message {
        let reading = understand(&matcher, extract::lines(&case.text));
        let got: Vec<(String, i64)> =
            reading.understood.iter().map(|u| (u.item.sku.clone(), u.quantity)).collect();
        let asked: Vec<String> =
            reading.unclear.iter().map(|u| u.requested.description.to_lowercase()).collect();
        taken += got.len();
        labels += case.lines.len();
        right += got.iter().filter(|line| case.lines.contains(line)).count();
        asks_expected += case.ask.len();
        asks_made += case.ask.iter().filter(|word| asked.iter().any(|a| a.contains(word.as_str()))).count();
        asks_needless +=
            asked.iter().filter(|a| !case.ask.iter().any(|word| a.contains(word.as_str()))).count();
        if got != case.lines || asked.len() != case.ask.len() {
            misses.push(format!(
                "{:?}\n  labelled {:?} ask {:?}\n  read     {got:?} ask {asked:?}",
                case.text.trim(),
                case.lines,
                case.ask
            ));
        }
    }
    let precision = right as f64 / taken.max(1) as f64;
    let recall = right as f64 / labels.max(1) as f64;
    println!(
        "{file}: {} messages, {labels} labelled lines: precision {precision:.3} ({right}/{taken}), recall {recall:.3} ({right}/{labels}); \
         questions: {asks_made} of {asks_expected} asked, {asks_needless} needless",
        labelled.message.len()
    );
    for miss in &misses {
        println!("{miss}");
    }
    Score { messages: labelled.message.len(), precision, recall, asks_expected, asks_made }
}

/// The set written beside the reader, covering every form it was built for.
#[test]
fn the_labelled_orders_are_read_with_high_precision_and_recall() {
    let score = score("tests/fixtures/supply/labelled.toml");
    assert!(score.messages >= 40, "the labelled set has {} messages", score.messages);
    assert!(score.precision >= 0.95, "precision {:.3}", score.precision);
    assert!(score.recall >= 0.90, "recall {:.3}", score.recall);
    assert_eq!(score.asks_made, score.asks_expected, "every doubtful line is asked about");
}

/// A set written by someone who had not seen the reader, against the catalog only. Its first reading
/// (precision 0.952, recall 0.879) showed misses that were then fixed in the reader, so it is no
/// longer unseen; the figures are still from mail written without the reader in mind. Precision
/// matters most (a wrong line is ordered; a missed one is asked about or left to
/// the colleague to repeat), so it is held higher than recall.
#[test]
fn orders_written_without_seeing_the_reader_are_read_with_few_mistakes() {
    let score = score("tests/fixtures/supply/held-out.toml");
    assert!(score.messages >= 40, "the held-out set has {} messages", score.messages);
    assert!(score.precision >= 0.9, "precision {:.3}", score.precision);
    assert!(score.recall >= 0.75, "recall {:.3}", score.recall);
}
