//! The shipped example office (`rules/`), the demo built on it, and `clerk explain` over real-world mail.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use clerk::mail::message::Message;
use clerk::rules::RuleSet;

fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

fn clerk(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_clerk")).args(args).output().expect("running clerk");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clerk-{name}-{}-{}", std::process::id(), fastrand::u32(..)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_shipped_rules_load_cleanly_and_pass_their_embedded_tests() {
    let rules = RuleSet::load(&rules_dir()).unwrap_or_else(|e| panic!("{e}"));
    assert!(rules.warnings.is_empty(), "{:?}", rules.warnings);
    assert!(rules.tests.len() >= 8, "every shipped rule has a test");
    let failures: Vec<String> = clerk::check::embedded::run_tests(&rules, Message::parse)
        .iter()
        .filter(|o| !o.passed())
        .map(ToString::to_string)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_shipped_rule_is_exercised_by_an_embedded_test() {
    let rules = RuleSet::load(&rules_dir()).unwrap();
    let tested: Vec<&str> = rules.tests.iter().filter_map(|t| t.expect.rule.as_ref()?.as_deref()).collect();
    for rule in &rules.rules {
        assert!(tested.contains(&rule.name.as_str()), "rule \"{}\" has no [[test]]", rule.name);
    }
}

#[test]
fn the_demo_ships_every_file_of_the_example_office() {
    let mut on_disk = Vec::new();
    let mut stack = vec![rules_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                on_disk.push(path.strip_prefix(rules_dir()).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    on_disk.sort();
    let mut shipped: Vec<String> =
        clerk::demo::SHIPPED_RULES.iter().map(|(name, _)| name.to_string()).collect();
    shipped.sort();
    assert_eq!(shipped, on_disk, "src/demo.rs must embed exactly the files under rules/");
}

#[test]
fn the_demo_answers_its_sample_mail_into_the_outbox() {
    let dir = temp_dir("demo").join("office");
    let (ok, stdout, stderr) = clerk(&["demo", "--dir", dir.to_str().unwrap(), "--once"]);
    assert!(ok, "{stdout}\n{stderr}");
    let outbox: Vec<_> = std::fs::read_dir(dir.join("outbox"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    // Four auto-replies (the opening-hours answer, supply, meeting, the general question's
    // acknowledgment), the answer to the invitation (a weekly meeting, so always ahead of the demo),
    // the forwarded invoice, the general question's ticket forwarded to the front desk, the
    // calendar owner's copy of the meeting booked for the outsider, and her copy of the outsider's
    // invitation clerk accepted.
    assert_eq!(outbox.len(), 9, "{stdout}");
    let texts: Vec<String> =
        outbox.iter().map(|e| std::fs::read_to_string(e.path()).unwrap_or_default()).collect();
    let ticket_mail = |needle: &str| texts.iter().filter(|t| t.contains(needle)).count();
    assert_eq!(
        ticket_mail("Subject: Re: Opening hours next week? [#1001-9]"),
        1,
        "the answer carries its ticket"
    );
    assert_eq!(ticket_mail("To: <info@office.example>"), 1, "the open question goes to the front desk");
    assert_eq!(
        ticket_mail("registrato come pratica [#1002-"),
        1,
        "the Italian question is acknowledged in Italian"
    );
    let answers = outbox.iter().filter(|e| {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        text.contains("method=\"REPLY\"")
            && text.contains("PARTSTAT=ACCEPTED")
            && text.contains("Accepted: Site meeting")
    });
    assert_eq!(answers.count(), 1, "the invitation is accepted with an iMIP REPLY");
    let owners_copy = texts.iter().filter(|t| {
        t.contains("To: \"Giulia Rossi\" <giulia.rossi@office.example>")
            && t.contains("method=\"REQUEST\"")
            && t.contains("UID:via-roma-site-meeting@partner.example")
    });
    assert_eq!(owners_copy.count(), 1, "the owner gets the organizer's invitation once");
    // The sample request in words is dated the day the demo runs, so it is booked, not refused.
    let booked = texts
        .iter()
        .filter(|t| t.contains("method=\"REQUEST\"") && t.contains("Meeting about the library competition"));
    assert_eq!(booked.count(), 1, "the request in words is booked with an invitation");
    assert!(stdout.contains("supply order"), "{stdout}");
    assert!(dir.join("mail/.Invoices/cur").read_dir().unwrap().count() == 1, "the invoice was filed");
    let feed = std::fs::read_to_string(dir.join("published/giulia.ics")).expect("the calendar is published");
    assert!(feed.contains("SUMMARY:Site meeting Via Roma"), "{feed}");
    assert!(feed.contains("SUMMARY:Thomas Keller – library competition"), "{feed}");
    std::fs::remove_dir_all(dir.parent().unwrap()).ok();
}

#[test]
fn explain_json_names_the_rule_and_the_desk() {
    let rules = rules_dir();
    let eml = rules.join("samples/supply-toner.eml");
    let (ok, stdout, stderr) =
        clerk(&["explain", "--rules", rules.to_str().unwrap(), eml.to_str().unwrap(), "--json"]);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("explain --json prints JSON");
    assert_eq!(json["rule"], "supply order");
    assert_eq!(json["desk"], "supply");
    let kinds: Vec<&str> =
        json["effects"].as_array().unwrap().iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(kinds.contains(&"reply") && kinds.contains(&"move"), "{kinds:?}");
    // What was read, with its evidence and confidence, under the stable key `intents`.
    assert_eq!(json["intents"]["holds"], serde_json::json!(["supply-order"]), "{}", json["intents"]);
    assert_eq!(json["intents"]["unsure"], false);
    let order = &json["intents"]["found"][0];
    assert_eq!(order["intent"], "supply-order");
    assert!(order["confidence"].as_f64().is_some_and(|c| c >= 0.6), "{order}");
    assert!(order["evidence"].as_array().is_some_and(|e| !e.is_empty()), "{order}");
}

#[test]
fn explain_shows_each_condition_and_the_full_reply() {
    let rules = rules_dir();
    let eml = rules.join("samples/inquiry-opening-hours.eml");
    let (ok, stdout, stderr) = clerk(&["explain", "--rules", rules.to_str().unwrap(), eml.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("newsletters and mailing lists"), "every rule tried is listed:\n{stdout}");
    assert!(stdout.contains("Decision: rule \"opening hours question\""), "{stdout}");
    assert!(stdout.contains("In-Reply-To: <CAF7x1q9-opening-hours@mail.example.com>"), "{stdout}");
    assert!(stdout.contains("Monday to Friday"), "the reply's text is shown:\n{stdout}");
    assert!(stdout.contains("Nothing was sent or stored"), "{stdout}");
}

#[test]
fn explain_says_why_a_reply_was_held_back() {
    let dir = temp_dir("explain-guard");
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("office.toml"),
        "[office]\nname = \"O\"\ntimezone = \"UTC\"\n[assistant]\naddress = \"assistant@office.example\"\n\
         [[owner]]\nname = \"Owner\"\naddress = \"owner@office.example\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("all.rules.toml"), "[[rule]]\nname = \"answer all\"\nreply = \"ack\"\n").unwrap();
    std::fs::write(dir.join("templates/ack.txt"), "Thanks.\n").unwrap();
    let eml = rules_dir().join("samples/out-of-office.eml");
    let (ok, stdout, stderr) = clerk(&["explain", "--rules", dir.to_str().unwrap(), eml.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(ok, "{stderr}");
    assert!(stdout.contains("Held back by the safety rules"), "{stdout}");
    assert!(stdout.contains("Auto-Submitted"), "{stdout}");
    assert!(stdout.contains("Effects: none"), "{stdout}");
}

#[test]
fn every_corpus_message_is_explained_without_a_panic() {
    let rules = RuleSet::load(&rules_dir()).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut explained = 0;
    for sub in ["eml", "imip"] {
        for entry in std::fs::read_dir(corpus.join(sub)).expect("the corpus is in tests/corpus") {
            let path = entry.unwrap().path();
            let raw = std::fs::read(&path).unwrap();
            match clerk::explain::explain(&rules, &raw, None) {
                Ok(explanation) => {
                    let _ = explanation.to_string();
                    let _ = explanation.to_json();
                    explained += 1;
                }
                // Unreadable mail is reported, not a panic: that is the behaviour wanted.
                Err(e) => eprintln!("{}: {e}", path.display()),
            }
        }
    }
    assert!(explained >= 45, "only {explained} corpus messages could be explained");
}

/// The corpus's invitations and cancellations reach the meeting desk through the shipped rules, and
/// `explain` shows what the desk would do with each: an answer to a REQUEST still ahead, a note for a
/// past one, and a note for a CANCEL of a meeting the empty calendar does not hold.
#[test]
fn corpus_invitations_and_cancellations_are_classified_and_explained_by_the_meeting_desk() {
    let rules = RuleSet::load(&rules_dir()).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/imip");
    let mut seen = (0, 0);
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let Ok(explanation) = clerk::explain::explain(&rules, &std::fs::read(&path).unwrap(), None) else {
            continue;
        };
        let Some(method) = explanation.message.calendars.first().and_then(|c| c.method.clone()) else {
            continue;
        };
        let report = explanation.to_string();
        let decision = &explanation.decision;
        if explanation
            .message
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("X-Failed-Recipients"))
            || explanation.message.from.iter().any(|a| a.email.to_lowercase().starts_with("mailer-daemon"))
        {
            continue;
        }
        match method.as_str() {
            "REQUEST" => {
                seen.0 += 1;
                assert_eq!(decision.rule.as_deref(), Some("calendar invitation"), "{}", path.display());
                assert_eq!(decision.desk.as_deref(), Some("meeting"));
                let answered = report.contains("METHOD:REPLY");
                let noted =
                    decision.notes.iter().any(|n| n.contains("already past") || n.contains("ORGANIZER"));
                assert!(answered || noted, "{}:\n{report}", path.display());
            }
            "CANCEL" => {
                seen.1 += 1;
                assert_eq!(decision.desk.as_deref(), Some("meeting"), "{}", path.display());
                assert!(
                    decision.notes.iter().any(|n| n.contains("does not hold")),
                    "{}:\n{report}",
                    path.display()
                );
            }
            _ => {}
        }
    }
    assert!(seen.0 >= 8 && seen.1 >= 2, "requests and cancellations seen: {seen:?}");
}
