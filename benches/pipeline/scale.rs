//! Part 5 (`scale`): the backlog by mailbox size and rule count, clerk against imapfilter and against a
//! bare FETCH of the same mailbox, all on one private Dovecot, the cells interleaved so that what else
//! the machine does falls on every cell alike (issue #21).
//!
//! Each cell is one mailbox size (the same generated messages as part 1) and one rule count (the
//! generated rule sets of part 3, written for imapfilter too). For each cell and round the mailbox is
//! restored byte for byte before each filing tool; both must file every message where the rules say.
//! The bare FETCH reads every message whole in batches of 500, as clerk fetches, and throws it away: no
//! IMAP client can file a mailbox faster than it can read it, so clerk/FETCH is how close clerk comes
//! to the transfer limit.
//!
//! `CLERK_BENCH_SIZES` (default `2000`), `CLERK_BENCH_RULES` (default `51,250,1000`),
//! `CLERK_BENCH_ROUNDS` (default 1) and `CLERK_BENCH_TOOLS` (default `clerk,imapfilter,fetch`) choose
//! the matrix; `CLERK_BENCH_FULL=1` is sizes 2,000, 10,000 and 40,000 in two rounds. imapfilter's
//! server-side body searches make it the slow part: about 10 messages/s with 1,000 rules.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::backlog::{self, PASSWORD, USER};
use crate::rule_sets;
use crate::support::Dovecot;
use crate::support::imap::Imap;

/// Messages per FETCH command of the bare read: clerk's batch.
const FETCH_BATCH: usize = 500;

/// One tool's figures in one cell and round.
#[derive(Clone, Copy)]
struct Figure {
    rate: f64,
    /// Peak resident set in KiB; none for the bare FETCH, which runs inside the benchmark.
    peak: Option<u64>,
}

pub fn run() {
    let full = std::env::var("CLERK_BENCH_FULL").is_ok_and(|v| v == "1");
    let sizes = list("CLERK_BENCH_SIZES", if full { &[2_000, 10_000, 40_000] } else { &[2_000] });
    let rule_counts = list("CLERK_BENCH_RULES", &[51, 250, 1000]);
    let rounds = list("CLERK_BENCH_ROUNDS", if full { &[2] } else { &[1] })[0];
    let tools = std::env::var("CLERK_BENCH_TOOLS").unwrap_or_else(|_| "clerk,imapfilter,fetch".into());
    let tools: Vec<&str> = tools.split(',').map(str::trim).filter(|t| !t.is_empty()).collect();
    println!(
        "== scale: backlogs of {sizes:?} messages × {rule_counts:?} rules, {rounds} round(s), tools {tools:?}"
    );

    let mut dovecot = Dovecot::start(&[(USER, PASSWORD)]);
    let mut pristine: BTreeMap<usize, PathBuf> = BTreeMap::new();
    for &size in &sizes {
        let started = Instant::now();
        empty(&mut dovecot);
        pristine.insert(size, backlog::prepare_mailbox(&mut dovecot, size));
        println!("  prepared {size} messages in {:.1} s", started.elapsed().as_secs_f64());
    }

    let mut figures: BTreeMap<(usize, usize, &str), Vec<Figure>> = BTreeMap::new();
    for round in 0..rounds {
        for &size in &sizes {
            let expected = backlog::expected_counts(size);
            for &rules in &rule_counts {
                // Alternate which tool goes first, so neither always meets a cold or a warm cache.
                let mut order = tools.clone();
                if (round + size / 1000 + rules) % 2 == 1 {
                    order.reverse();
                }
                for &tool in &order {
                    let figure = match tool {
                        "clerk" => {
                            backlog::restore(&mut dovecot, &pristine[&size]);
                            let (time, peak) = backlog::run_clerk(&dovecot, &rule_sets::clerk_rules(rules));
                            backlog::check_filing(&dovecot, &expected, "clerk");
                            Figure { rate: size as f64 / time.as_secs_f64(), peak: Some(peak) }
                        }
                        "imapfilter" => {
                            backlog::restore(&mut dovecot, &pristine[&size]);
                            let lua = rule_sets::imapfilter_rules(rules);
                            let (time, peak) = backlog::run_imapfilter(&dovecot, &lua);
                            backlog::check_filing(&dovecot, &expected, "imapfilter");
                            Figure { rate: size as f64 / time.as_secs_f64(), peak: Some(peak) }
                        }
                        // Reading changes nothing, so the mailbox of the last restore serves; it is
                        // read once per size and round, not per rule count.
                        "fetch" if rules == rule_counts[0] => {
                            backlog::restore(&mut dovecot, &pristine[&size]);
                            Figure {
                                rate: size as f64 / bare_fetch(&dovecot, size).as_secs_f64(),
                                peak: None,
                            }
                        }
                        "fetch" => continue,
                        other => panic!("unknown tool {other:?}: use clerk, imapfilter, fetch"),
                    };
                    println!(
                        "  round {} {size:>6} messages {rules:>5} rules {tool:<10} {:>8.0} messages/s{}",
                        round + 1,
                        figure.rate,
                        figure.peak.map(|p| format!(", peak RSS {:.1} MB", mb(p))).unwrap_or_default()
                    );
                    figures.entry((size, rules, tool)).or_default().push(figure);
                }
            }
        }
    }
    print_tables(&sizes, &rule_counts, &figures);
}

/// Removes the user's mail, so the next mailbox is prepared from nothing.
fn empty(dovecot: &mut Dovecot) {
    dovecot.stop();
    let home = dovecot.dir().join("home").join(USER);
    if home.exists() {
        std::fs::remove_dir_all(&home).expect("removing the last mailbox");
    }
    dovecot.start_again();
}

/// Reads all `count` messages of the INBOX whole, [`FETCH_BATCH`] at a time, and returns how long it took.
fn bare_fetch(dovecot: &Dovecot, count: usize) -> Duration {
    let started = Instant::now();
    let mut imap = Imap::connect(dovecot.imap_port());
    imap.set_timeout(Duration::from_secs(120));
    imap.login(USER, PASSWORD);
    imap.ok("SELECT INBOX");
    let mut read = 0;
    for first in (1..=count).step_by(FETCH_BATCH) {
        let last = (first + FETCH_BATCH - 1).min(count);
        let responses = imap.ok(&format!("FETCH {first}:{last} (UID BODY.PEEK[])"));
        read += responses.iter().filter(|r| r.is_untagged_fetch() && !r.literals.is_empty()).count();
    }
    imap.logout();
    assert_eq!(read, count, "the bare FETCH read {read} messages, expected {count}");
    started.elapsed()
}

/// Prints, for each figure, a table of sizes by rule counts: the best round, since a shared machine
/// only ever slows a round down.
fn print_tables(
    sizes: &[usize],
    rule_counts: &[usize],
    figures: &BTreeMap<(usize, usize, &str), Vec<Figure>>,
) {
    let best = |size: usize, rules: usize, tool: &str| -> Option<Figure> {
        let rules = if tool == "fetch" { rule_counts[0] } else { rules };
        figures.get(&(size, rules, tool))?.iter().copied().max_by(|a, b| a.rate.total_cmp(&b.rate))
    };
    let table = |title: &str, cell: &dyn Fn(usize, usize) -> Option<String>| {
        // A table of a tool left out of the run says nothing.
        if !sizes.iter().any(|&s| rule_counts.iter().any(|&r| cell(s, r).is_some())) {
            return;
        }
        println!("\n{title}\n");
        let head: Vec<String> = rule_counts.iter().map(|r| format!("{r} rules")).collect();
        println!("| messages | {} |", head.join(" | "));
        println!("| ---: |{}", " ---: |".repeat(rule_counts.len()));
        for &size in sizes {
            let cells: Vec<String> =
                rule_counts.iter().map(|&r| cell(size, r).unwrap_or_else(|| "–".into())).collect();
            println!("| {size} | {} |", cells.join(" | "));
        }
    };
    let rate =
        |tool: &'static str| move |s: usize, r: usize| best(s, r, tool).map(|f| format!("{:.0}", f.rate));
    table("clerk, messages/s (best round)", &rate("clerk"));
    table("imapfilter, messages/s (best round)", &rate("imapfilter"));
    table(
        "bare FETCH of the same mailbox, messages/s (the transfer limit; rules play no part)",
        &rate("fetch"),
    );
    let ratio = |tool: &'static str| {
        move |s: usize, r: usize| Some(format!("{:.2}", best(s, r, "clerk")?.rate / best(s, r, tool)?.rate))
    };
    table("clerk / imapfilter", &ratio("imapfilter"));
    table("clerk / bare FETCH", &ratio("fetch"));
    let peak = |tool: &'static str| {
        move |s: usize, r: usize| {
            let most = figures.get(&(s, r, tool))?.iter().filter_map(|f| f.peak).max()?;
            Some(format!("{:.1}", mb(most)))
        }
    };
    table("clerk, peak RSS in MB (highest round)", &peak("clerk"));
    table("imapfilter, peak RSS in MB (highest round)", &peak("imapfilter"));
}

fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// A comma-separated list of numbers from the environment, or `default`.
fn list(name: &str, default: &[usize]) -> Vec<usize> {
    match std::env::var(name) {
        Ok(text) => text
            .split(',')
            .map(|n| n.trim().parse().unwrap_or_else(|_| panic!("{name}: {n:?} is not a number")))
            .collect(),
        Err(_) => default.to_vec(),
    }
}
