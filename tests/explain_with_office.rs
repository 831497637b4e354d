//! `clerk explain` run with an office's configuration reads its reply log: it shows a reply that the
//! reply limit would hold back, and changes nothing. It shows the mail clerk would send as a person
//! reads it, and with `--raw` as the bytes that would leave.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::process::Command;

use support::clerk::{CUSTOMER, OFFICE_RULES, Office, mail};

fn explain(office: &Office, eml: &std::path::Path) -> String {
    explain_with(office, eml, &[])
}

/// `clerk explain` of `eml` with `options` after the file.
fn explain_with(office: &Office, eml: &std::path::Path, options: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_clerk"))
        .arg("--config")
        .arg(office.config())
        .arg("explain")
        .arg(eml)
        .args(options)
        .output()
        .expect("running clerk explain");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

#[test]
fn explain_with_a_config_shows_the_reply_the_limit_holds_back_and_stores_nothing() {
    let office = Office::with_maildir(OFFICE_RULES, "");
    let eml = office.dir.path().join("second.eml");
    std::fs::write(&eml, mail(CUSTOMER, "Another question", "second@example.test")).expect("writing");

    // Before clerk ever ran there is no database: every reply is shown.
    assert!(!explain(&office, &eml).contains("already replied"));

    office.run_once();
    let first = mail(CUSTOMER, "A question", "first@example.test");
    std::fs::write(office.dir.path().join("mail/new/1.first.host"), first).expect("delivering");
    office.run_once();
    assert_eq!(office.query_count("SELECT count(*) FROM reply_log"), 1);

    let report = explain(&office, &eml);
    assert!(report.contains("already replied to anna@example.test"), "{report}");
    assert_eq!(office.query_count("SELECT count(*) FROM messages"), 1, "explain journals nothing");
}

#[test]
fn explain_shows_the_reply_decoded_and_with_raw_its_bytes() {
    let office = Office::with_maildir(OFFICE_RULES, "");
    let eml = office.dir.path().join("caffe.eml");
    std::fs::write(&eml, mail(CUSTOMER, "A question about the caffè", "caffe@example.test"))
        .expect("writing");

    let readable = explain(&office, &eml);
    assert!(readable.contains("     Subject: Re: A question about the caffè\n"), "{readable}");
    assert!(!readable.contains("=?utf-8?"), "{readable}");
    assert!(!readable.contains("Content-Transfer-Encoding"), "{readable}");

    let raw = explain_with(&office, &eml, &["--raw"]);
    assert!(raw.contains("caff=C3=A8"), "{raw}");
    assert!(raw.contains("Content-Transfer-Encoding"), "{raw}");
}
