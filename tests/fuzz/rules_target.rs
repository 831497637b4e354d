//! The `rule_files` surface: a rules directory with one file changed, loaded and checked as
//! `clerk check` and a live reload do, and, when it loads, used on the shipped samples.
//!
//! An input is the file's name under `rules/` on its first line and the file's text after it. The
//! directory is a copy of the shipped one in a scratch directory; the file is written, checked and put
//! back. Mutations work on TOML's structure: values given the wrong type, keys nobody knows, regexes
//! that explode, conditions nested thousands deep, rules repeated, durations, hours, time zones and
//! cron expressions at and past their edges, tests pointing at odd files; templates as in the
//! `templates` surface.
//!
//! Promised: no panic; every problem reported on a line of its own that says something; a rule set
//! that loads classifies and explains the samples.

use std::path::{Path, PathBuf};

use fastrand::Rng;

use clerk::check;
use clerk::explain::explain;

use crate::Surface;
use crate::corpus::{Corpus, read_all};
use crate::mutate::{self, NUMBERS, one_of};

/// The largest rule file made.
const MOST_BYTES: usize = 1_000_000;

/// The files of `rules/` an input may change; the last is a new rule file.
const FILES: &[&str] = &[
    "10-filing.rules.toml",
    "20-desks.rules.toml",
    "90-fallback.rules.toml",
    "office.toml",
    "catalog.toml",
    "templates/acknowledgment.txt",
    "templates/acknowledgment.it.txt",
    "templates/faq/opening-hours.txt",
    "50-fuzz.rules.toml",
];

pub struct RuleFiles {
    seeds: Vec<Vec<u8>>,
    /// The scratch copy of `rules/`.
    dir: PathBuf,
    /// The shipped rules directory, to put a changed file back.
    shipped: PathBuf,
    samples: Vec<Vec<u8>>,
}

impl Surface for RuleFiles {
    const NAME: &'static str = "rule_files";
    const BRIEF_RUNS: usize = 150;

    fn new(corpus: &Corpus) -> RuleFiles {
        let shipped = corpus.root.join("rules");
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("fuzz-rules-{}", std::process::id()))
            .join("rules");
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&shipped, &dir);
        let mut seeds: Vec<Vec<u8>> = FILES[..FILES.len() - 1]
            .iter()
            .map(|name| {
                let text = std::fs::read(shipped.join(name))
                    .unwrap_or_else(|e| panic!("cannot read rules/{name}: {e}"));
                [format!("{name}\n").into_bytes(), text].concat()
            })
            .collect();
        seeds.extend(RULES.iter().map(|rules| format!("50-fuzz.rules.toml\n{rules}").into_bytes()));
        let samples = read_all(&shipped.join("samples"), |_| true);
        RuleFiles { seeds, dir, shipped, samples }
    }

    fn seeds(&self) -> &[Vec<u8>] {
        &self.seeds
    }

    fn mutate(&self, rng: &mut Rng) -> Vec<u8> {
        let seed = mutate::seed(rng, &self.seeds);
        let (name, text) = split_name(seed);
        let mut text = text.to_vec();
        if name.starts_with("templates/") {
            text = crate::templates_target::mutate_template(rng, &[text]);
        } else {
            for _ in 0..rng.usize(1..=3) {
                mutate_toml(rng, &mut text, &self.seeds);
            }
        }
        text.truncate(MOST_BYTES);
        [format!("{name}\n").into_bytes(), text].concat()
    }

    fn check(&self, input: &[u8]) -> Result<(), String> {
        let (name, text) = split_name(input);
        let file = self.dir.join(name);
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        let outcome = self.check_dir();
        match std::fs::read(self.shipped.join(name)) {
            Ok(original) => std::fs::write(&file, original),
            Err(_) => std::fs::remove_file(&file),
        }
        .unwrap_or_else(|e| panic!("cannot put back {}: {e}", file.display()));
        outcome
    }
}

impl RuleFiles {
    fn check_dir(&self) -> Result<(), String> {
        let (rules, report) = match check::load_checked(&self.dir) {
            Ok((rules, report)) => (Some(rules), report),
            Err(report) => (None, *report),
        };
        if let Some(empty) = report.errors.iter().chain(&report.failures).find(|line| line.trim().is_empty())
        {
            return Err(format!("a problem reported as an empty line: {empty:?} in {:?}", report.errors));
        }
        // A rule set that loads answers mail: the samples are explained with it.
        if let Some(rules) = &rules {
            for sample in &self.samples {
                if let Ok(explained) = explain(rules, sample, None) {
                    explained.to_string();
                }
            }
        }
        Ok(())
    }
}

/// The file an input changes and its new text; an unknown name changes the new rule file.
fn split_name(input: &[u8]) -> (&'static str, &[u8]) {
    let (first, rest) = match input.iter().position(|&b| b == b'\n') {
        Some(n) => (&input[..n], &input[n + 1..]),
        None => (input, &[][..]),
    };
    match FILES.iter().find(|name| name.as_bytes() == first) {
        Some(name) => (name, rest),
        None => (FILES[FILES.len() - 1], input),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display()));
    for entry in entries {
        let path = entry.expect("listing the rules").path();
        let target = to.join(path.file_name().expect("a file name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap_or_else(|e| panic!("cannot copy {}: {e}", path.display()));
        }
    }
}

/// One mutation of a TOML file's structure or values.
fn mutate_toml(rng: &mut Rng, text: &mut Vec<u8>, donors: &[Vec<u8>]) {
    let mut lines: Vec<String> = String::from_utf8_lossy(text).lines().map(str::to_owned).collect();
    let assignments: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains(" = ") && !l.trim_start().starts_with('#'))
        .map(|(n, _)| n)
        .collect();
    let rule_at = lines.iter().rposition(|l| l.trim() == "[[rule]]").map_or(lines.len(), |n| n + 1);
    match rng.u8(..14) {
        0 | 1 if !assignments.is_empty() => {
            // A value replaced: often by one of another type.
            let at = assignments[rng.usize(..assignments.len())];
            let key = lines[at].split(" = ").next().unwrap_or_default().to_owned();
            lines[at] = format!("{key} = {}", value(rng));
        }
        2 => {
            let key = one_of(rng, KEYS);
            let at = rng.usize(..=lines.len());
            lines.insert(at, format!("{key} = {}", value(rng)));
        }
        3 => {
            let regex = one_of(rng, REGEXES).replace('\\', "\\\\").replace('"', "\\\"");
            let field = one_of(rng, &["subject", "text", "from", "header.\"X-Mailer\"", "body"]);
            lines.insert(rule_at.min(lines.len()), format!("when.{field} = {{ regex = \"{regex}\" }}"));
        }
        4 => {
            let depth = mutate::count(rng, 20_000);
            let condition = nested(rng, depth);
            lines.insert(rule_at.min(lines.len()), format!("when.text = {condition}"));
        }
        13 => {
            // Two rules whose conditions nest `any` in `all` in `any` …: what comparing them costs.
            let depth = mutate::count(rng, 40);
            for (name, outer, inner) in [("deep one", "any", "all"), ("deep two", "all", "any")] {
                let condition = (0..depth).fold(format!("{{ subject = \"{name}\" }}"), |condition, level| {
                    let group = if level % 2 == 0 { outer } else { inner };
                    format!("{{ {group} = [{condition}, {{ subject = \"x{level}\" }}] }}")
                });
                lines.push(format!("[[rule]]\nname = \"{name}\"\nwhen.any = [{condition}]\nmove = \"Deep\""));
            }
        }
        5 => {
            // A value nested deep in arrays or inline tables.
            let depth = mutate::count(rng, 100_000);
            let (open, close) = one_of(rng, &[("[", "]"), ("{ a = ", " }"), ("[{ a = ", " }]")]);
            let key = one_of(rng, KEYS);
            lines.push(format!("{key} = {}1{}", open.repeat(depth), close.repeat(depth)));
        }
        6 => {
            // Rules repeated: with the same name, or numbered.
            let times = mutate::count(rng, 3_000);
            let numbered = rng.bool();
            for n in 0..times {
                let name = if numbered { format!("rule {n}") } else { "the same rule".to_owned() };
                lines.push(format!(
                    "[[rule]]\nname = \"{name}\"\nwhen.subject = \"word{n}\"\nmove = \"Folder{n}\""
                ));
            }
        }
        7 => {
            let (key, values) = one_of(rng, EDGES);
            let at = rng.usize(..=lines.len());
            lines.insert(at, format!("{key} = \"{}\"", values[rng.usize(..values.len())]));
        }
        8 => {
            let header = one_of(
                rng,
                &[
                    "[[rule]]",
                    "[[test]]",
                    "[[schedule]]",
                    "[office]",
                    "[supply]",
                    "[[vendor]]",
                    "[[item]]",
                    "[[calendar]]",
                    "[[room]]",
                    "[departments]",
                    "[unknown]",
                    "[[rule.when]]",
                    "[rule]",
                    "[[]]",
                    "[",
                ],
            );
            let at = rng.usize(..=lines.len());
            lines.insert(at, header.to_owned());
        }
        9 => {
            let test = one_of(rng, TESTS);
            lines.push(test.to_owned());
        }
        _ => {
            *text = lines.join("\n").into_bytes();
            mutate::bytes(rng, text, donors, MOST_BYTES);
            return;
        }
    }
    *text = lines.join("\n").into_bytes();
    text.push(b'\n');
}

/// A TOML value of some type, often the wrong one.
fn value(rng: &mut Rng) -> String {
    match rng.u8(..10) {
        0 => one_of(rng, NUMBERS).to_owned(),
        1 => format!("\"{}\"", one_of(rng, NUMBERS)),
        2 => one_of(
            rng,
            &["true", "false", "nan", "inf", "-inf", "1979-05-27T07:32:00Z", "07:32:00", "1979-05-27"],
        )
        .to_owned(),
        3 => one_of(
            rng,
            &[
                "[]",
                "{}",
                "[1, \"a\", true]",
                "[[]]",
                "{ any = [] }",
                "{ all = [] }",
                "{ not = [] }",
                "{ regex = 1 }",
                "{ any = \"x\" }",
            ],
        )
        .to_owned(),
        4 => format!("\"{}\"", "a".repeat(mutate::count(rng, 100_000))),
        5 => one_of(
            rng,
            &[
                "\"\"",
                "\"\\u0000\"",
                "\"line\\nbreak\"",
                "\"\\r\\nBcc: x@evil.example\"",
                "\"\\\"\"",
                "'''multi\nline'''",
                "\"\"\"\nmulti\n\"\"\"",
                "\"é\u{301}\"",
                "\"\\uD800\"",
            ],
        )
        .to_owned(),
        6 => format!("[{}]", vec!["\"*@*\""; mutate::count(rng, 10_000)].join(", ")),
        7 => one_of(rng, &["\"", "'", "[", "{", "\"\"\"", "= =", "", "1 2", "\"a\" \"b\""]).to_owned(),
        _ => {
            let (_, values) = one_of(rng, EDGES);
            format!("\"{}\"", values[rng.usize(..values.len())])
        }
    }
}

/// A condition nested `depth` deep in `any`, `all` and `not`.
fn nested(rng: &mut Rng, depth: usize) -> String {
    let mut opening = String::new();
    let mut closing = String::new();
    for _ in 0..depth {
        match rng.u8(..3) {
            0 => {
                opening.push_str("{ any = [");
                closing.insert_str(0, "] }");
            }
            1 => {
                opening.push_str("{ all = [\"x\", ");
                closing.insert_str(0, "] }");
            }
            _ => {
                opening.push_str("{ not = ");
                closing.insert_str(0, " }");
            }
        }
    }
    format!("{opening}\"word\"{closing}")
}

/// Keys of the rule files and office.toml, and keys nobody knows.
const KEYS: &[&str] = &[
    "name",
    "desk",
    "reply",
    "answer",
    "forward",
    "move",
    "flag",
    "continue",
    "department",
    "calendar",
    "every",
    "when.from",
    "when.to",
    "when.subject",
    "when.text",
    "when.body",
    "when.calendar",
    "when.automatic",
    "when.size",
    "when.attachment",
    "when.header.\"List-Id\"",
    "when.unknown",
    "timezone",
    "language",
    "hours.mon",
    "hours.sun",
    "buffer",
    "min_notice",
    "horizon",
    "default_length",
    "capacity",
    "response_time",
    "escalate_after",
    "limit",
    "allow_empty",
    "cron",
    "job",
    "before",
    "approval_limit",
    "vat",
    "price",
    "unit",
    "pack",
    "minimum_order",
    "lead_time",
    "eml",
    "message",
    "expect",
    "foo",
    "a.b.c.d.e.f.g",
    "\"\"",
    "\"é\"",
];

/// Keys with values at and past their edges.
const EDGES: &[(&str, &[&str])] = &[
    ("timezone", &["Europe/Rome", "Mars/Olympus", "", "UTC", "Etc/GMT+14", "W. Europe Standard Time"]),
    (
        "hours.mon",
        &[
            "09:00-13:00, 14:30-18:30",
            "25:00-26:00",
            "09:00-08:00",
            "9-5",
            "00:00-24:00",
            "",
            ",,,",
            "09:00-13:00, 12:00-14:00",
        ],
    ),
    ("buffer", &["10m", "0s", "-1h", "99999999999d", "1d12h", "1y", "", "1.5h", "18446744073709551616s"]),
    ("horizon", &["60d", "0d", "99999999d", "100000y"]),
    ("response_time", &["4h", "0h", "9999999999h"]),
    ("limit", &["1d", "0s", "99999999999999999d"]),
    (
        "cron",
        &[
            "0 0 9 * * Mon-Fri",
            "* * * * * *",
            "0 0 31 2 * *",
            "*/0 * * * * *",
            "1-0 * * * * *",
            "59 59 23 31 12 * 2099",
            "",
            "@yearly",
            "0 0 0 1 1 * 1970",
        ],
    ),
    ("approval_limit", &["250.00", "-1", "99999999999999999999999999999999.99", "1e9", "", "abc"]),
    ("vat", &["22%", "1000%", "-5%", "%", ""]),
    ("price", &["4.20", "-4.20", "0", "79228162514264337593543950335", "79228162514264337593543950336"]),
    ("from", &["*@office.example", "**", "[", "{a,{b,{c,{d}}}}", "*@*@*", ""]),
    (
        "eml",
        &[
            "samples/invitation.eml",
            "../../../../etc/hostname",
            "samples",
            "",
            "missing.eml",
            "samples/../samples/newsletter.eml",
        ],
    ),
];

/// Conditions a regex may hold: the ones that explode in backtracking engines, the ones too big to
/// compile, broken ones.
const REGEXES: &[&str] = &[
    "(a+)+$",
    "(a|a)*b",
    "a{1000}{1000}",
    "(?:a{1000}){1000}",
    "[\\p{L}]{9999}",
    ".{0,65535}.{0,65535}",
    "\\",
    "(",
    "a{4294967296}",
    "(?i)xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b",
    "((((((((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))))))))",
    "(?P<n>a)(?P<n>b)",
    "\\p{Nonexistent}",
    "(?=lookahead)",
    "\\1",
    "",
    "^$",
    "[^\\x00-\\x{10FFFF}]",
    "\\w{100}\\d{100}\\s{100}",
];

/// Embedded tests, some pointing at odd places.
const TESTS: &[&str] = &[
    "[[test]]\neml = \"samples/invitation.eml\"\nexpect = { rule = \"calendar invitation\", desk = \"meeting\" }",
    "[[test]]\neml = \"../../../../etc/hostname\"\nexpect = { rule = \"x\" }",
    "[[test]]\neml = \"samples\"\nexpect = { desk = false }",
    "[[test]]\nmessage = \"\"\"\nFrom: a@b.example\nSubject: order toner\n\nplease\n\"\"\"\nexpect = { desk = \"supply\" }",
    "[[test]]\nmessage = \"\"\"\n\"\"\"\nexpect = {}",
    "[[test]]\nmessage = \"not a message\"\neml = \"samples/invitation.eml\"",
    "[[test]]\nmessage = \"From: a@b\\n\\n\"\nexpect = { reply_subject = 1, reply_to = [] }",
];

/// Rule files to grow mutations from besides the shipped ones.
const RULES: &[&str] = &[
    "[[rule]]\nname = \"nested\"\nwhen.text = { any = [\"a\", { all = [\"b\", { not = \"c\" }] }] }\nflag = [\"\\\\Flagged\"]\n",
    "[[rule]]\nname = \"regex\"\nwhen.subject = { regex = \"(?i)^re:\\\\s+order\" }\nwhen.size = \"> 10kB\"\nmove = \"Big\"\n",
    "[[rule]]\nname = \"headers\"\nwhen.header.\"X-Priority\" = \"1\"\nwhen.attachment = { type = \"application/pdf\" }\nreply = \"acknowledgment\"\ncontinue = true\n",
    "[[schedule]]\nname = \"every minute\"\ncron = \"0 * * * * *\"\njob = \"reorder\"\n",
];
