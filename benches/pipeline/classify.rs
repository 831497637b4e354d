//! Part 3: parse + classify throughput in one thread, over the corpus and over generated office mail.

use std::path::Path;
use std::time::{Duration, Instant};

use clerk::mail::message::Message;
use clerk::rules::RuleSet;

use crate::{office, rule_sets};

/// The sizes of the rule-count axis: the filing rules and one more, and offices that grew theirs.
const RULE_COUNTS: [usize; 3] = [51, 250, 1000];

pub fn run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut corpus = Vec::new();
    for dir in ["tests/corpus/eml", "tests/corpus/imip", "tests/fixtures", "rules/samples"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("reading the corpus") {
            let path = entry.expect("listing the corpus").path();
            if path.is_file() && path.extension().is_some_and(|e| e == "eml" || e == "txt") {
                corpus.push(std::fs::read(&path).expect("reading a corpus file"));
            }
        }
    }
    let generated: Vec<Vec<u8>> = (0..2000).map(office::message).collect();

    let dir = std::env::temp_dir().join(format!("clerk-bench-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("creating the rules dir");
    let (office_toml, rules_toml) = office::clerk_rules();
    std::fs::write(dir.join("office.toml"), office_toml).expect("writing office.toml");
    std::fs::write(dir.join("bench.rules.toml"), &rules_toml).expect("writing the rules");
    let bench_rules = RuleSet::load(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut counted = Vec::new();
    for count in RULE_COUNTS {
        let rules = rule_sets::clerk_rules(count) + &rules_toml;
        std::fs::write(dir.join("bench.rules.toml"), rules).expect("writing the rules");
        let set = RuleSet::load(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set.rules.len(), count, "the generated rule set has {count} rules");
        counted.push((count, set));
    }
    let shipped = RuleSet::load(&root.join("rules")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_dir_all(&dir).ok();

    println!("== parse + classify, one thread");
    for (what, messages) in [("corpus + fixtures", &corpus), ("generated office mail", &generated)] {
        for (rules_name, rules) in [("50 bench rules", &bench_rules), ("shipped office", &shipped)] {
            let rate = throughput(messages, rules);
            let kb = messages.iter().map(Vec::len).sum::<usize>() as f64 / messages.len() as f64 / 1000.0;
            println!(
                "  {what:<22} ({} messages, {kb:.1} kB avg) × {rules_name:<15} {rate:>9.0} messages/s",
                messages.len()
            );
        }
    }
    println!("== parse + classify by rule count, generated office mail, one thread");
    for (count, rules) in &counted {
        println!("  {count:>5} rules {:>9.0} messages/s", throughput(&generated, rules));
    }
}

/// Messages per second for parse + classify: the best of five rounds of half a second each, after a
/// round of warming up (caches, allocator, the CPU's clock) that is not counted.
///
/// The best rather than the mean, because what else runs on a shared machine only ever slows a round
/// down; the best round is the closest to what the code itself costs.
fn throughput(messages: &[Vec<u8>], rules: &RuleSet) -> f64 {
    let mut matched = 0usize;
    let mut best: f64 = 0.0;
    for round in 0..6 {
        let mut done = 0usize;
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(500) {
            for raw in messages {
                if let Ok(message) = Message::parse(raw) {
                    matched += rules.classify(&message).matched.len();
                }
                done += 1;
            }
        }
        if round > 0 {
            best = best.max(done as f64 / started.elapsed().as_secs_f64());
        }
    }
    std::hint::black_box(matched);
    best
}
