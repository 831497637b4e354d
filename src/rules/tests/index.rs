//! The rule index decides as trying every rule in file order does: on every message of the corpora
//! against a thousand rules made of their own words and addresses, and on the edge cases of looking
//! words and domains up.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{from, load, subject};
use crate::mail::message::Message;
use crate::rules::RuleSet;
use crate::text::fold;

/// Every `.eml` under `dir`, with its path for messages.
fn messages_under(dir: &Path, into: &mut Vec<(PathBuf, Message)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read the corpus folder {}", dir.display());
    };
    let mut paths: Vec<PathBuf> = entries.map(|entry| entry.expect("corpus entry").path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            messages_under(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "eml") {
            let raw = std::fs::read(&path).expect("corpus file");
            // A message that does not parse is never classified; the corpus tests see to those.
            if let Ok(message) = Message::parse(&raw) {
                into.push((path, message));
            }
        }
    }
}

/// An address fit to write into a rule as a glob: nothing a glob or TOML would read otherwise.
fn plain_address(email: &str) -> Option<String> {
    let email = email.to_ascii_lowercase();
    let fit = email.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && email.chars().all(|c| c.is_ascii_alphanumeric() || "@.-_+".contains(c));
    fit.then_some(email)
}

/// The words, word pairs and addresses of the corpus, to build rules from.
struct Material {
    words: Vec<String>,
    pairs: Vec<String>,
    addresses: Vec<String>,
    domains: Vec<String>,
}

impl Material {
    fn of(messages: &[(PathBuf, Message)]) -> Material {
        let mut material =
            Material { words: Vec::new(), pairs: Vec::new(), addresses: Vec::new(), domains: Vec::new() };
        for (_, msg) in messages {
            material.words.extend(fold(&msg.subject).split_whitespace().map(str::to_owned));
            let body = fold(&msg.text);
            let body: Vec<&str> = body.split_whitespace().take(200).collect();
            material.words.extend(body.iter().step_by(7).map(|word| (*word).to_owned()));
            material.pairs.extend(body.windows(2).step_by(11).map(|pair| pair.join(" ")));
            for address in msg.from.iter().chain(&msg.to).chain(&msg.cc) {
                if let Some(email) = plain_address(&address.email) {
                    if let Some((_, domain)) = email.split_once('@') {
                        material.domains.push(domain.to_owned());
                    }
                    material.addresses.push(email);
                }
            }
        }
        for list in [&mut material.words, &mut material.pairs, &mut material.addresses, &mut material.domains]
        {
            list.sort();
            list.dedup();
        }
        material
    }
}

/// `count` rules of every shape the index treats differently, from the corpus's own words and
/// addresses (so that many of them match), a quarter of them with `continue`.
fn generated_rules(material: &Material, count: usize) -> String {
    let mut rng = fastrand::Rng::with_seed(21);
    let pick = |rng: &mut fastrand::Rng, list: &[String]| {
        list.get(rng.usize(..list.len().max(1))).cloned().unwrap_or_default()
    };
    let mut rules = String::new();
    for i in 0..count {
        let (word, other) = (pick(&mut rng, &material.words), pick(&mut rng, &material.words));
        let pair = pick(&mut rng, &material.pairs);
        let (address, domain) = (pick(&mut rng, &material.addresses), pick(&mut rng, &material.domains));
        let local = address.split('@').next().unwrap_or("x").to_owned();
        let stem: String = word.chars().take(4).collect();
        let when = match i % 18 {
            0 => format!("when.from = \"{address}\""),
            1 => format!("when.from = \"*@{}\"", domain.to_uppercase()),
            2 => format!("when.subject = \"{word}\""),
            3 => format!("when.subject = \"{stem}*\""),
            4 => format!("when.body = \"{pair}\""),
            5 => format!("when.text = \"{word}\""),
            6 => format!("when.recipients = \"*@{domain}\""),
            7 => format!("when.subject = {{ any = [\"{word}\", \"{other}\", \"{pair}\"] }}"),
            8 => format!("when.from = \"*@{domain}\"\nwhen.subject = \"{word}\""),
            9 => format!("when.any = [{{ from = \"{address}\" }}, {{ body = \"{word}\" }}]"),
            10 => format!("when.from = \"*@{domain}\"\nwhen.not = {{ subject = \"{word}\" }}"),
            11 => format!("when.to = \"{local}@*\""),
            12 => format!("when.size = {{ over = \"{}kB\" }}\nwhen.body = \"{word}*\"", 1 + i % 20),
            13 => format!("when.header.\"List-Id\" = \"{word}\""),
            14 => format!("when.cc = \"*@*.{}\"", domain.rsplit('.').next().unwrap_or("com")),
            15 => format!("when.subject = {{ regex = \"(?i)\\\\b{stem}\" }}"),
            16 => format!("when.any = [{{ attachment = true }}, {{ text = \"{pair}\" }}]"),
            _ => format!(
                "when.all = [{{ text = \"{word}\" }}, {{ any = [{{ to = \"*@{domain}\" }}, {{ subject = \"{other}\" }}] }}]"
            ),
        };
        let carry_on = if rng.u8(..4) == 0 { "continue = true\n" } else { "" };
        let _ =
            writeln!(rules, "[[rule]]\nname = \"generated {i}\"\n{when}\n{carry_on}move = \"F{}\"\n", i % 5);
    }
    rules
}

fn names(matched: &[&crate::rules::Rule]) -> Vec<String> {
    matched.iter().map(|rule| rule.name.clone()).collect()
}

/// Every rule that matches `msg`, tried one by one as the index would spare.
fn decided_in_file_order(set: &RuleSet, msg: &Message) -> Vec<String> {
    names(&set.classify_in_file_order(msg).matched)
}

#[test]
fn the_index_decides_as_trying_every_rule_in_file_order_on_every_corpus_message() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut messages = Vec::new();
    // tests/corpus/office is the project's copy of ../shared/corpus/office.
    for dir in ["tests/corpus", "tests/office-set"] {
        messages_under(&root.join(dir), &mut messages);
    }
    assert!(messages.len() > 300, "the corpora hold {} messages", messages.len());
    let set = load(&generated_rules(&Material::of(&messages), 1000));
    assert_eq!(set.rules.len(), 1000);
    let (mut decided, mut several) = (0, 0);
    for (path, msg) in &messages {
        let expected = decided_in_file_order(&set, msg);
        let classified = names(&set.classify(msg).matched);
        assert_eq!(classified, expected, "{}: the index decides otherwise", path.display());
        let explained: Vec<String> =
            set.explain(msg).into_iter().filter(|trace| trace.matched).map(|trace| trace.rule).collect();
        assert_eq!(explained, expected, "{}: explain shows other rules", path.display());
        decided += usize::from(!expected.is_empty());
        several += usize::from(expected.len() > 1);
    }
    // The rules must match often, and `continue` must carry on often, for the comparison to mean anything.
    assert!(decided > messages.len() / 2, "{decided} of {} messages matched a rule", messages.len());
    assert!(several > messages.len() / 10, "{several} of {} messages matched several rules", messages.len());
}

#[test]
fn an_address_is_looked_up_under_its_domain_ignoring_case() {
    let set = load("[[rule]]\nname = \"clients\"\nwhen.from = \"*@Client.Example\"\nmove = \"Clients\"\n");
    assert_eq!(names(&set.classify(&from("Anna@CLIENT.example")).matched), ["clients"]);
    assert!(set.classify(&from("anna@client.example.org")).matched.is_empty());
    assert!(set.classify(&from("anna@subclient.example")).matched.is_empty());
}

#[test]
fn a_word_prefix_is_found_at_the_very_end_of_the_subject() {
    let set = load("[[rule]]\nname = \"orders\"\nwhen.subject = \"new order*\"\nmove = \"Orders\"\n");
    assert_eq!(names(&set.classify(&subject("New ORDERS")).matched), ["orders"]);
    assert_eq!(names(&set.classify(&subject("new order")).matched), ["orders"]);
    assert!(set.classify(&subject("new border")).matched.is_empty());
}

#[test]
fn a_rule_that_needs_the_body_is_found_after_rules_decided_by_the_subject_failed() {
    let rules = "[[rule]]\nname = \"toner\"\nwhen.subject = \"toner\"\nmove = \"A\"\n\n\
                 [[rule]]\nname = \"hours\"\nwhen.text = \"opening hours\"\nmove = \"B\"\n";
    let set = load(rules);
    let msg = Message {
        subject: "Question".into(),
        text: "What are your Opening Hours?".into(),
        ..from("a@b.example")
    };
    assert_eq!(names(&set.classify(&msg).matched), ["hours"]);
}

#[test]
fn rules_without_a_word_or_address_to_look_up_are_tried_on_every_message() {
    let rules = "[[rule]]\nname = \"not staff\"\nwhen.not = { from = \"*@office.example\" }\ncontinue = true\nmove = \"A\"\n\n\
                 [[rule]]\nname = \"staff or big\"\nwhen.any = [{ from = \"*@office.example\" }, { size = { over = \"1kB\" } }]\nmove = \"B\"\n";
    let set = load(rules);
    let big = Message { size: 5000, ..from("someone@elsewhere.example") };
    assert_eq!(names(&set.classify(&big).matched), ["not staff", "staff or big"]);
    assert_eq!(names(&set.classify(&from("anna@office.example")).matched), ["staff or big"]);
}
