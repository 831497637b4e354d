//! Two folders receiving at once: each folder's watcher decides and records on its own connection,
//! and a decision and its record share one transaction, so no two messages take the same ticket or
//! request number and nothing is lost.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, Office, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(60);
const PER_FOLDER: usize = 30;

const RULES: &str = r#"
[[rule]]
name = "supplies"
when.from = "*@office.test"
desk = "supply"

[[rule]]
name = "questions"
desk = "inquiry"
department = "accounts"
"#;

const CATALOG: &str = r#"
[supply]
manager = "owner@office.test"
requesters = ["*@office.test"]

[[vendor]]
name = "Cartoleria"
address = "orders@vendor.test"

[[item]]
sku = "PEN-BLU"
name = "Blue pen"
aliases = ["blue pens"]
vendor = "Cartoleria"
price = "0.35"
reorder_point = 0
order_up_to = 10
"#;

fn message(folder: &str, n: usize) -> Vec<u8> {
    let (from, subject, body) = if n.is_multiple_of(2) {
        (format!("colleague-{folder}-{n}@office.test"), "Pens", "Could I have 2 blue pens, please?")
    } else {
        (format!("customer-{folder}-{n}@example.test"), "A question", "When are you open on Saturdays?")
    };
    format!(
        "From: Sender {n} <{from}>\r\nTo: {ASSISTANT}\r\nSubject: {subject}\r\n\
         Message-ID: <{folder}-{n}@example.test>\r\nDate: {}\r\n\r\n{body}\r\n",
        chrono::Utc::now().to_rfc2822()
    )
    .into_bytes()
}

#[test]
fn two_folders_receiving_at_once_give_distinct_tickets_and_requests_and_lose_nothing() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, RULES, "folders = [\"INBOX\", \"Support\"]");
    std::fs::write(office.dir.path().join("rules/catalog.toml"), CATALOG).expect("catalog");
    let (ok, out) = office.command(&["stock", "set", "PEN-BLU", "1000", "--by", "test"]);
    assert!(ok, "{out}");
    dovecot.append(ASSISTANT, "Support", &message("setup", 1));
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());
    assert!(support::wait_until(WAIT, || clerk.log_count("watching") >= 2), "{}", clerk.log());

    std::thread::scope(|scope| {
        for folder in ["INBOX", "Support"] {
            let dovecot = &dovecot;
            scope.spawn(move || {
                for n in 0..PER_FOLDER {
                    dovecot.append(ASSISTANT, folder, &message(folder, n));
                }
            });
        }
    });

    let all = 2 * PER_FOLDER;
    let done = support::wait_until(WAIT, || office.journal_status_count("processed") >= all);
    assert!(done, "{} of {all} handled\n{}", office.journal_status_count("processed"), clerk.log());
    assert_eq!(office.journal_status_count("failed"), 0, "{}", clerk.log());
    let tickets = office.query_count("SELECT count(DISTINCT customer) FROM tickets");
    assert_eq!(tickets, PER_FOLDER, "one ticket per customer, each with its own number");
    assert_eq!(office.query_count("SELECT count(*) FROM tickets"), PER_FOLDER);
    let requests = office.query_count("SELECT count(DISTINCT requester) FROM supply_requests");
    assert_eq!(requests, PER_FOLDER, "one request per colleague, each with its own number");
    assert_eq!(office.query_count("SELECT count(*) FROM supply_requests"), PER_FOLDER);
}
