//! A local Maildir as the assistant's mailbox (`url = "maildir:…"`) behaves like an IMAP folder: new
//! mail is taken from `new/`, answered, and filed into `cur/` with its flags or into the folder a rule
//! names; the first start and the size limit follow the same settings. What clerk sends is written to
//! the file outbox, so these tests need no server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use support::clerk::{ASSISTANT, CUSTOMER, OFFICE_RULES, Office, files, mail};

/// Makes a file look as if it arrived an hour ago, before clerk's first start.
fn age(path: &Path) {
    let file = fs::File::options().write(true).open(path).expect("opening a message");
    file.set_modified(SystemTime::now() - Duration::from_secs(3600)).expect("setting its time");
}

/// Two questions that arrived an hour ago, before clerk's first start: one unread in `new/`
/// (`unread@example.test`), one already read in `cur/` (`read@example.test`).
fn drop_old_mail(office: &Office) {
    age(&office.drop_mail(
        "new",
        "1.unread.host",
        &mail("a@example.test", "A question", "unread@example.test"),
    ));
    age(&office.drop_mail(
        "cur",
        "2.read.host:2,S",
        &mail("b@example.test", "A question", "read@example.test"),
    ));
}

#[test]
fn new_mail_is_answered_flagged_into_cur_and_filed_by_rules() {
    let office = Office::with_maildir(OFFICE_RULES, "");
    office.run_once();
    office.drop_mail("new", "1001.q.host", &mail(CUSTOMER, "A question", "q@example.test"));
    office.drop_mail(
        "new",
        "1002.inv.host",
        &mail("billing@vendor.example", "Invoice 7", "inv@vendor.example"),
    );

    office.run_once();
    let mail_dir = office.dir.path().join("mail");
    assert_eq!(office.answered(), ["<q@example.test>"]);
    assert!(files(&mail_dir.join("new")).is_empty(), "new/ is emptied");
    assert_eq!(
        files(&mail_dir.join("cur")),
        ["1001.q.host:2,F"],
        "the question is flagged, as the rule says"
    );
    assert_eq!(files(&mail_dir.join(".Vendors.Invoices/cur")).len(), 1, "the invoice is filed");
    let sent = files(&office.dir.path().join("outbox")).into_iter().filter(|f| f.ends_with(".eml")).count();
    assert_eq!(sent, 2, "the reply, and the invoice forwarded");
}

#[test]
fn the_file_outbox_names_each_mail_by_its_time_kind_recipient_and_subject() {
    let office = Office::with_maildir(OFFICE_RULES, "");
    office.run_once();
    office.drop_mail("new", "1001.q.host", &mail(CUSTOMER, "A question, please!", "q@example.test"));
    office.drop_mail(
        "new",
        "1002.inv.host",
        &mail("billing@vendor.example", "Invoice 7", "inv@vendor.example"),
    );
    office.run_once();
    let mut sent: Vec<String> = files(&office.dir.path().join("outbox"))
        .into_iter()
        .filter_map(|f| f.strip_suffix(".eml").map(str::to_owned))
        .collect();
    sent.sort_by_key(|name| name.split('_').nth(1).map(str::to_owned));
    let parts: Vec<Vec<&str>> = sent.iter().map(|name| name.split('_').collect()).collect();
    assert_eq!(parts.len(), 2, "{sent:?}");
    for (name, kind, to, subject) in [
        (&parts[0], "forward", "accounts@office.test", "Fwd-Invoice-7"),
        (&parts[1], "reply", CUSTOMER, "Re-A-question-please"),
    ] {
        assert_eq!(name.len(), 5, "{name:?}");
        assert_eq!(name[0].len(), "20261207-101500".len(), "a time: {name:?}");
        assert_eq!(&name[1..4], [kind, to, subject], "{name:?}");
    }

    // Sent again (as after a kill -9 between writing the file and marking the row sent), the same
    // row finds its file: no second mail appears.
    office.execute("UPDATE outbox SET status = 'pending', next_attempt_at = 0");
    office.run_once();
    let again = files(&office.dir.path().join("outbox")).into_iter().filter(|f| f.ends_with(".eml")).count();
    assert_eq!(again, 2, "the same two files");
}

#[test]
fn the_first_start_leaves_mail_already_there_alone_unless_told_to_backfill() {
    let quiet = Office::with_maildir(OFFICE_RULES, "");
    let backfilling = Office::with_maildir(OFFICE_RULES, "backfill = \"all\"");
    for office in [&quiet, &backfilling] {
        drop_old_mail(office);
        office.run_once();
    }
    assert!(quiet.answered().is_empty(), "old mail was answered");
    assert_eq!(backfilling.answered(), ["<read@example.test>", "<unread@example.test>"]);
}

#[test]
fn a_file_over_the_size_limit_is_recorded_and_not_answered() {
    let office = Office::with_maildir(OFFICE_RULES, "max_message_size = \"10kB\"");
    office.run_once();
    let mut big = mail(CUSTOMER, "A question", "big@example.test");
    big.extend(b"x".repeat(30_000));
    office.drop_mail("new", "1.big.host", &big);

    let log = office.run_once();
    assert!(office.answered().is_empty());
    assert_eq!(
        office.query_strings("SELECT message_id FROM messages WHERE status = 'too_large'"),
        ["big@example.test"]
    );
    assert!(log.contains("too large"), "{log}");
    assert_eq!(
        files(&office.dir.path().join("mail/cur")),
        ["1.big.host:2,"],
        "kept, and filed as seen by clerk"
    );
}

#[test]
fn the_assistants_own_address_is_never_answered_from_a_maildir_either() {
    let office = Office::with_maildir(OFFICE_RULES, "");
    office.run_once();
    office.drop_mail("new", "1.self.host", &mail(ASSISTANT, "A question", "self@example.test"));
    office.run_once();
    assert!(office.answered().is_empty());
    assert_eq!(office.journal_status_count("processed"), 1);
}

#[test]
fn rule_file_warnings_are_logged_when_clerk_starts() {
    let office =
        Office::with_maildir(&format!("{OFFICE_RULES}\n[[rule]]\nname = \"typo\"\nflag = \"flaged\"\n"), "");
    let log = office.run_once();
    assert!(log.contains("`flaged` will be set as a custom keyword; did you mean `flagged`?"), "{log}");
}

#[test]
fn backfill_handles_mail_already_in_the_maildir_once() {
    let office = Office::with_maildir(OFFICE_RULES, "");
    drop_old_mail(&office);
    office.run_once();
    assert!(office.answered().is_empty(), "the first start leaves old mail alone");

    let (ok, out) = office.command(&["backfill", "--mailbox", "office", "--since", "7d"]);
    assert!(ok, "{out}");
    assert!(out.contains("2 messages since 7d looked at; 2 handled now"), "{out}");
    assert_eq!(office.answered(), ["<read@example.test>", "<unread@example.test>"]);
    assert!(files(&office.dir.path().join("mail/new")).is_empty(), "handled mail is filed into cur/");

    let (ok, out) = office.command(&["backfill", "--mailbox", "office", "--since", "7d"]);
    assert!(ok && out.contains("0 handled now"), "a second backfill does nothing more: {out}");
}

#[test]
fn replay_over_a_maildir_reads_the_folders_clerk_filed_mail_into_and_changes_nothing() {
    let office = Office::with_maildir(OFFICE_RULES, "");
    office.run_once();
    office.drop_mail("new", "1001.q.host", &mail(CUSTOMER, "A question", "q@example.test"));
    office.drop_mail(
        "new",
        "1002.inv.host",
        &mail("billing@vendor.example", "Invoice 7", "inv@vendor.example"),
    );
    let mut newsletter = b"List-Id: <weekly.example.test>\r\n".to_vec();
    newsletter.extend(mail("news@example.test", "Weekly news", "news@example.test"));
    office.drop_mail("new", "1003.news.host", &newsletter);
    office.run_once();
    let mail_dir = office.dir.path().join("mail");
    let listing = |dir: &str| files(&mail_dir.join(dir));
    let before: Vec<Vec<String>> = ["cur", ".Newsletters/cur", ".Vendors.Invoices/cur"].map(listing).into();
    assert_eq!(before[1].len(), 1, "clerk filed the newsletter");
    assert_eq!(before[2].len(), 1, "clerk filed the invoice");

    let (ok, out) = office.command(&["replay", "--since", "7d"]);
    assert!(ok, "{out}");
    let line = |subject: &str| out.lines().find(|l| l.contains(subject)).unwrap_or_default().to_string();
    let news = line("\"Weekly news\"");
    assert!(news.contains("office/Newsletters news@example.test"), "{out}");
    assert!(
        news.contains("rule \"newsletters\": move to Newsletters") && news.ends_with("[already handled]"),
        "{out}"
    );
    let invoice = line("\"Invoice 7\"");
    assert!(invoice.contains("office/Vendors/Invoices billing@vendor.example"), "{out}");
    assert!(invoice.ends_with("[already handled]"), "{out}");
    assert!(line("\"A question\"").contains("office/INBOX"), "{out}");
    assert!(out.contains("3 messages since 7d; 3 already handled by clerk."), "{out}");
    let after: Vec<Vec<String>> = ["cur", ".Newsletters/cur", ".Vendors.Invoices/cur"].map(listing).into();
    assert_eq!(after, before, "no file moved or renamed");
}
