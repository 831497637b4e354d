//! How clerk reaches an IMAP server: implicit TLS and STARTTLS verified against a private CA, and a
//! certificate it does not trust refused. Against a real Dovecot; the TLS use is read from Dovecot's
//! own log of the login. (The LOGIN-command fallback is a unit test of `sources::imap::connect`: Dovecot
//! serves the LOGIN command through its PLAIN mechanism, so it cannot offer one without the other.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, CUSTOMER, OFFICE_RULES, Office, mail, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

/// Dovecot's log lines for the assistant's logins.
fn logins(dovecot: &Dovecot) -> Vec<String> {
    dovecot.log().lines().filter(|l| l.contains("Login: user=<assistant@")).map(str::to_owned).collect()
}

/// Starts a Dovecot with TLS, has `clerk run --once` answer one question through the URL `url_of`
/// gives for it, trusting only the server's certificate, and checks every login used TLS.
fn answers_over_tls(url_of: impl Fn(&Dovecot) -> String) {
    let dovecot = Dovecot::builder().users(&office_users()).tls(true).start();
    let sink = SmtpSink::start();
    let ca = format!("backfill = \"all\"\nca_file = \"{}\"", dovecot.cert_path().display());
    let office = Office::with_imap_url(&url_of(&dovecot), &sink, OFFICE_RULES, &ca);
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q@example.test"));
    office.run_once();
    sink.wait_for(1, WAIT);
    let logins = logins(&dovecot);
    assert!(!logins.is_empty() && logins.iter().all(|l| l.contains("TLS")), "{logins:?}");
}

#[test]
fn imaps_is_used_with_the_certificate_checked_against_ca_file() {
    answers_over_tls(|dovecot| format!("imaps://localhost:{}", dovecot.imaps_port()));
}

#[test]
fn plain_imap_on_loopback_is_upgraded_with_starttls_when_offered() {
    answers_over_tls(|dovecot| format!("imap://localhost:{}", dovecot.imap_port()));
}

#[test]
fn a_server_certificate_outside_the_trusted_roots_is_refused() {
    let dovecot = Dovecot::builder().users(&office_users()).tls(true).start();
    let office_sink = SmtpSink::start();
    let url = format!("imaps://localhost:{}", dovecot.imaps_port());
    // No ca_file: the web PKI roots, which did not sign the test server's certificate.
    let office = Office::with_imap_url(&url, &office_sink, OFFICE_RULES, "");
    let clerk = office.start();
    assert!(clerk.wait_for_log("certificate", WAIT), "{}", clerk.log());
    assert!(logins(&dovecot).is_empty(), "clerk logged in over an untrusted connection");
}
