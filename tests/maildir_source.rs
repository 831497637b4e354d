//! A local Maildir as the assistant's mailbox (`url = "maildir:…"`) behaves like an IMAP folder: new
//! mail is taken from `new/`, answered, and filed into `cur/` with its flags or into the folder a rule
//! names; the first start and the size limit follow the same settings. What clerk sends is written to
//! the file outbox, so these tests need no server.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use support::clerk::{ASSISTANT, CUSTOMER, OFFICE_RULES, Office, header, mail};

/// Writes `raw` into the Maildir's `sub` directory (`new` or `cur`) under `name`.
fn drop_into(office: &Office, sub: &str, name: &str, raw: &[u8]) -> PathBuf {
    let dir = office.dir.path().join("mail").join(sub);
    fs::create_dir_all(&dir).expect("creating the Maildir");
    let path = dir.join(name);
    fs::write(&path, raw).expect("writing a message");
    path
}

/// Makes a file look as if it arrived an hour ago, before clerk's first start.
fn age(path: &Path) {
    let file = fs::File::options().write(true).open(path).expect("opening a message");
    file.set_modified(SystemTime::now() - Duration::from_secs(3600)).expect("setting its time");
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// The In-Reply-To of every mail in the file outbox, sorted.
fn answered(office: &Office) -> Vec<String> {
    let outbox = office.dir.path().join("outbox");
    let mut ids: Vec<String> = files(&outbox)
        .iter()
        .filter_map(|name| {
            let raw = fs::read_to_string(outbox.join(name)).ok()?;
            header(&raw, "In-Reply-To").map(str::to_owned)
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn new_mail_is_answered_flagged_into_cur_and_filed_by_rules() {
    let office = Office::with_maildir(OFFICE_RULES, "");
    office.run_once();
    drop_into(&office, "new", "1001.q.host", &mail(CUSTOMER, "A question", "q@example.test"));
    drop_into(
        &office,
        "new",
        "1002.inv.host",
        &mail("billing@vendor.example", "Invoice 7", "inv@vendor.example"),
    );

    office.run_once();
    let mail_dir = office.dir.path().join("mail");
    assert_eq!(answered(&office), ["<q@example.test>"]);
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
fn the_first_start_leaves_mail_already_there_alone_unless_told_to_backfill() {
    let quiet = Office::with_maildir(OFFICE_RULES, "");
    let backfilling = Office::with_maildir(OFFICE_RULES, "backfill = \"all\"");
    for office in [&quiet, &backfilling] {
        age(&drop_into(
            office,
            "new",
            "1.unread.host",
            &mail("a@example.test", "A question", "unread@example.test"),
        ));
        age(&drop_into(
            office,
            "cur",
            "2.read.host:2,S",
            &mail("b@example.test", "A question", "read@example.test"),
        ));
        office.run_once();
    }
    assert!(answered(&quiet).is_empty(), "old mail was answered");
    assert_eq!(answered(&backfilling), ["<read@example.test>", "<unread@example.test>"]);
}

#[test]
fn a_file_over_the_size_limit_is_recorded_and_not_answered() {
    let office = Office::with_maildir(OFFICE_RULES, "max_message_size = \"10kB\"");
    office.run_once();
    let mut big = mail(CUSTOMER, "A question", "big@example.test");
    big.extend(b"x".repeat(30_000));
    drop_into(&office, "new", "1.big.host", &big);

    let log = office.run_once();
    assert!(answered(&office).is_empty());
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
    drop_into(&office, "new", "1.self.host", &mail(ASSISTANT, "A question", "self@example.test"));
    office.run_once();
    assert!(answered(&office).is_empty());
    assert_eq!(office.journal_status_count("processed"), 1);
}

#[test]
fn rule_file_warnings_are_logged_when_clerk_starts() {
    let office =
        Office::with_maildir(&format!("{OFFICE_RULES}\n[[rule]]\nname = \"typo\"\nflag = \"flaged\"\n"), "");
    let log = office.run_once();
    assert!(log.contains("`flaged` will be set as a custom keyword; did you mean `flagged`?"), "{log}");
}
