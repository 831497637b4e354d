//! `clerk replay` and `clerk diff` over mail already in a real Dovecot mailbox: what the rules decide
//! for each message, which ones clerk already handled, which ones an edit would change — and the
//! mailbox left exactly as it was.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use support::clerk::{ASSISTANT, CUSTOMER, OFFICE_RULES, Office, copy_dir, mail, office_users};
use support::{Dovecot, SmtpSink};

/// Three messages that were there before clerk's first start, and one handled since.
fn office_with_history() -> (Dovecot, SmtpSink, Office) {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, "");
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "old-question@example.test"));
    dovecot.deliver(ASSISTANT, &mail("billing@vendor.example", "Invoice 7", "invoice@vendor.example"));
    let mut newsletter = b"List-Id: <weekly.example.test>\r\n".to_vec();
    newsletter.extend(mail("news@example.test", "Weekly news", "news@example.test"));
    dovecot.deliver(ASSISTANT, &newsletter);
    office.run_once();
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "Another question", "new-question@example.test"));
    office.run_once();
    assert_eq!(office.journal_status_count("processed"), 1, "only the mail after the first start");
    (dovecot, sink, office)
}

#[test]
fn replay_shows_what_the_rules_decide_and_changes_nothing() {
    let (dovecot, _sink, office) = office_with_history();
    let before = dovecot.fetch(ASSISTANT, "INBOX");

    let (ok, out) = office.command(&["replay", "--since", "7d"]);
    assert!(ok, "{out}");
    let line = |subject: &str| out.lines().find(|l| l.contains(subject)).unwrap_or_default().to_string();
    assert!(line("\"Invoice 7\"").contains("rule \"invoices\": forward to accounts@office.test"), "{out}");
    assert!(line("\"Weekly news\"").contains("rule \"newsletters\": move to Newsletters"), "{out}");
    assert!(line("\"A question\"").contains("rule \"questions\": reply to"), "{out}");
    assert!(!line("\"A question\"").contains("already handled"), "{out}");
    assert!(line("\"Another question\"").ends_with("[already handled]"), "{out}");
    assert!(out.contains("4 messages since "), "{out}");
    assert!(out.contains("1 already handled by clerk."), "{out}");

    assert_eq!(
        dovecot.fetch(ASSISTANT, "INBOX").iter().map(|m| &m.flags).collect::<Vec<_>>(),
        before.iter().map(|m| &m.flags).collect::<Vec<_>>(),
        "no flag changed, nothing moved"
    );
    assert_eq!(office.journal_status_count("processed"), 1, "nothing journaled");

    let (ok, json) = office.command(&["replay", "--since", "7d", "--json"]);
    assert!(ok, "{json}");
    let rows: Vec<serde_json::Value> =
        json.lines().map(|l| serde_json::from_str(l).expect("one JSON row per line")).collect();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().any(|r| r["rule"] == "newsletters" && r["handled"] == false));
}

/// [`mail`], sent at `date` (as a Date header writes it).
fn sent_at(from: &str, subject: &str, id: &str, date: &str) -> Vec<u8> {
    let raw = String::from_utf8(mail(from, subject, id)).unwrap();
    raw.replace("Mon, 23 Nov 2026 09:00:00 +0100", date).into_bytes()
}

#[test]
fn replay_shows_filed_mail_and_the_desks_effects_in_the_order_sent_in_the_offices_time() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let rules = format!(
        "{OFFICE_RULES}\n[[rule]]\nname = \"support\"\nwhen.subject = \"support\"\ndesk = \"inquiry\"\n\
         department = \"accounts\"\n"
    );
    let office = Office::new(&dovecot, &sink, &rules, "");
    let support =
        sent_at(CUSTOMER, "Support needed", "support@example.test", "Wed, 25 Nov 2026 09:00:00 +0100");
    dovecot.deliver(ASSISTANT, &support);
    office.run_once();
    // Since the first start: clerk files these two away, out of the inbox.
    let invoice = sent_at(
        "billing@vendor.example",
        "Invoice 8",
        "invoice8@vendor.example",
        "Mon, 23 Nov 2026 08:00:00 -0500",
    );
    dovecot.deliver(ASSISTANT, &invoice);
    let mut newsletter = b"List-Id: <weekly.example.test>\r\n".to_vec();
    newsletter.extend(sent_at(
        "news@example.test",
        "Weekly news",
        "news8@example.test",
        "Mon, 23 Nov 2026 09:00:00 +0100",
    ));
    dovecot.deliver(ASSISTANT, &newsletter);
    office.run_once();
    assert_eq!(dovecot.messages(ASSISTANT, "Newsletters").len(), 1, "clerk filed the newsletter");
    assert_eq!(dovecot.messages(ASSISTANT, "INBOX").len(), 1, "only the support request is left");

    let (ok, out) = office.command(&["replay", "--since", "7d"]);
    assert!(ok, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "three messages and the summary:\n{out}");
    // In the order sent, not the order read (the inbox first), with times in Rome's winter time.
    assert!(lines[0].starts_with("2026-11-23 09:00 CET office/Newsletters news@example.test"), "{out}");
    assert!(lines[0].ends_with("[already handled]"), "{out}");
    let invoices = "2026-11-23 14:00 CET office/Vendors/Invoices billing@vendor.example";
    assert!(lines[1].starts_with(invoices), "{out}");
    assert!(
        lines[1].contains("rule \"invoices\": forward to accounts@office.test, move to Vendors/Invoices"),
        "{out}"
    );
    assert!(lines[2].starts_with("2026-11-25 09:00 CET office/INBOX"), "{out}");
    // The desk's effects, not only the rule's: the ticket it opens and the department it forwards to.
    assert!(lines[2].contains("rule \"support\", desk inquiry: "), "{out}");
    assert!(lines[2].contains("ticket ") && lines[2].contains("forward to accounts@office.test"), "{out}");
    assert!(out.contains("3 messages since 7d; 2 already handled by clerk."), "{out}");

    let (ok, json) = office.command(&["replay", "--since", "7d", "--json"]);
    assert!(ok, "{json}");
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(first["at"], "2026-11-23T08:00:00Z", "{json}");
}

#[test]
fn diff_lists_the_messages_an_edit_would_change() {
    let (_dovecot, _sink, office) = office_with_history();
    let old = office.dir.path().join("old-rules");
    std::fs::create_dir_all(old.join("templates")).unwrap();
    for file in ["office.toml", "office.rules.toml", "templates/answer.txt"] {
        std::fs::copy(office.dir.path().join("rules").join(file), old.join(file)).unwrap();
    }
    office.write_rules(&OFFICE_RULES.replace("when.subject = \"invoice\"", "when.subject = \"bill\""));

    let (ok, out) = office.command(&["diff", old.to_str().unwrap(), "--since", "7d"]);
    assert!(ok, "{out}");
    assert!(out.contains("\"Invoice 7\": rule \"invoices\" -> no rule"), "{out}");
    assert!(out.contains("1 of the messages since "), "{out}");
    assert_eq!(out.lines().count(), 2, "only the invoice changes:\n{out}");
}

#[test]
fn diff_shows_an_edit_that_keeps_the_rule_but_changes_what_it_does() {
    let (_dovecot, _sink, office) = office_with_history();
    let old = office.dir.path().join("old-rules");
    copy_dir(&office.dir.path().join("rules"), &old);
    office.write_rules(
        &OFFICE_RULES.replace("forward = \"accounts@office.test\"", "forward = \"owner@office.test\""),
    );

    let (ok, out) = office.command(&["diff", old.to_str().unwrap(), "--since", "7d"]);
    assert!(ok, "{out}");
    assert!(
        out.contains(
            "\"Invoice 7\": forward to accounts@office.test, move to Vendors/Invoices -> forward to \
             owner@office.test, move to Vendors/Invoices"
        ),
        "{out}"
    );
    assert!(out.contains("1 of the messages since 7d would change rule, desk or effects"), "{out}");
}

#[test]
fn an_unknown_mailbox_is_refused_with_the_configured_names() {
    let (_dovecot, _sink, office) = office_with_history();
    let (ok, _) = office.command(&["replay", "--mailbox", "sales"]);
    assert!(!ok);
}

#[test]
fn replay_apply_handles_the_old_mail_once() {
    let (dovecot, sink, office) = office_with_history();
    let sent_before = sink.received().len();

    let (ok, out) = office.command(&["replay", "--since", "7d", "--apply"]);
    assert!(ok, "{out}");
    assert!(out.contains("4 messages since 7d looked at; 3 handled now"), "{out}");
    // The invoice is forwarded; the old question gets no reply, because the reply limit holds it back:
    // the same customer was answered a moment ago.
    assert_eq!(sink.received().len(), sent_before + 1, "the invoice forwarded");
    let held = office.query_strings("SELECT detail FROM messages WHERE subject = 'A question'");
    assert!(held[0].contains("already replied"), "{held:?}");
    assert_eq!(dovecot.messages(ASSISTANT, "Newsletters").len(), 1);
    assert_eq!(dovecot.messages(ASSISTANT, &format!("Vendors{}Invoices", dovecot.separator())).len(), 1);

    let (ok, out) = office.command(&["replay", "--since", "7d", "--apply"]);
    assert!(ok, "{out}");
    assert!(out.contains("0 handled now"), "a second replay changes nothing: {out}");
    assert_eq!(sink.received().len(), sent_before + 1);
}

#[test]
fn backfill_handles_one_mailbox_and_resumes_with_what_is_left() {
    let (_dovecot, _sink, office) = office_with_history();
    let (ok, out) = office.command(&["backfill", "--mailbox", "office", "--since", "7d"]);
    assert!(ok, "{out}");
    assert!(out.contains("4 messages since 7d looked at; 3 handled now"), "{out}");
    let (ok, out) = office.command(&["backfill", "--mailbox", "office", "--since", "7d"]);
    assert!(ok && out.contains("0 handled now"), "{out}");
    assert_eq!(office.query_count("SELECT count(*) FROM messages"), 4, "journaled once each");
}

#[test]
fn backfill_refuses_while_the_daemon_works_on_the_same_office() {
    let (_dovecot, _sink, office) = office_with_history();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", std::time::Duration::from_secs(30)), "{}", clerk.log());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clerk"))
        .arg("--config")
        .arg(office.config())
        .args(["backfill", "--mailbox", "office", "--since", "7d"])
        .output()
        .expect("running clerk");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("another clerk (the daemon, or a replay --apply or backfill) is working on"),
        "{stderr}"
    );
}

#[test]
fn backfill_of_an_unknown_mailbox_is_refused_by_name_even_while_the_daemon_works() {
    let (_dovecot, _sink, office) = office_with_history();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", std::time::Duration::from_secs(30)), "{}", clerk.log());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clerk"))
        .arg("--config")
        .arg(office.config())
        .args(["backfill", "--mailbox", "offcie", "--since", "7d"])
        .output()
        .expect("running clerk");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("no mailbox named \"offcie\"; the configured ones are office"), "{stderr}");
}
