//! The test harness itself, proven against the real servers it starts: each test is one behaviour that clerk's
//! integration tests rely on.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::encoding::{mutf7_decode, mutf7_encode};
use support::smtp::{Protocol, send};
use support::smtp_sink::SmtpTls;
use support::{Dovecot, SmtpSink, free_port, wait_until};

const ASSISTANT: &str = "assistant@office.test";
const ALICE: &str = "alice@office.test";
const USERS: &[(&str, &str)] = &[(ASSISTANT, "assistant-pw"), (ALICE, "alice-pw")];

fn message(from: &str, to: &str, subject: &str) -> Vec<u8> {
    format!("From: Someone <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{subject}@harness.test>\r\n\r\nHello.\r\n")
        .into_bytes()
}

fn text(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

#[test]
fn a_message_delivered_over_lmtp_can_be_read_back_over_imap() {
    let dovecot = Dovecot::start(USERS);
    dovecot.deliver(ASSISTANT, &message(ALICE, ASSISTANT, "first"));
    dovecot.deliver(ASSISTANT, &message(ALICE, ASSISTANT, "second"));

    let inbox = dovecot.messages(ASSISTANT, "INBOX");
    assert_eq!(inbox.len(), 2);
    assert!(text(&inbox[0]).contains("Subject: first\r\n"));
    assert!(text(&inbox[1]).contains("Subject: second\r\n"));
    assert!(dovecot.messages(ALICE, "INBOX").is_empty(), "only the recipient gets the message");
}

#[test]
fn delivery_records_the_from_address_as_envelope_sender_unless_told_otherwise() {
    let dovecot = Dovecot::start(USERS);
    dovecot.deliver(ASSISTANT, &message("customer@example.org", ASSISTANT, "from-header"));
    dovecot.deliver_from("", ASSISTANT, &message("mailer-daemon@example.org", ASSISTANT, "bounce"));

    let inbox = dovecot.messages(ASSISTANT, "INBOX");
    assert!(text(&inbox[0]).starts_with("Return-Path: <customer@example.org>\r\n"), "{}", text(&inbox[0]));
    assert!(text(&inbox[1]).starts_with("Return-Path: <>\r\n"), "{}", text(&inbox[1]));
}

#[test]
fn delivery_makes_line_endings_crlf_and_keeps_lines_that_start_with_a_dot() {
    let dovecot = Dovecot::start(USERS);
    let raw = b"From: alice@office.test\nSubject: dots\n\n.leading dot\n.\nlast line without newline";
    dovecot.deliver(ASSISTANT, raw);

    let stored = text(&dovecot.messages(ASSISTANT, "INBOX")[0]);
    assert!(
        stored.ends_with("Subject: dots\r\n\r\n.leading dot\r\n.\r\nlast line without newline\r\n"),
        "{stored:?}"
    );
}

#[test]
fn two_dovecot_instances_run_at_once_with_separate_mail() {
    let first = Dovecot::start(USERS);
    let second = Dovecot::start(USERS);
    assert_ne!(first.imap_port(), second.imap_port());

    first.deliver(ASSISTANT, &message(ALICE, ASSISTANT, "to-first"));
    second.deliver(ASSISTANT, &message(ALICE, ASSISTANT, "to-second"));

    assert!(text(&first.messages(ASSISTANT, "INBOX")[0]).contains("to-first"));
    assert!(text(&second.messages(ASSISTANT, "INBOX")[0]).contains("to-second"));
    assert_eq!(first.messages(ASSISTANT, "INBOX").len(), 1);
}

#[test]
fn stop_closes_the_ports_and_start_again_serves_the_same_mail_on_the_same_ports() {
    let mut dovecot = Dovecot::start(USERS);
    dovecot.deliver(ASSISTANT, &message(ALICE, ASSISTANT, "kept"));
    let (imap_port, lmtp_port) = (dovecot.imap_port(), dovecot.lmtp_port());

    dovecot.stop();
    assert!(std::net::TcpStream::connect(("127.0.0.1", imap_port)).is_err(), "IMAP is down");
    assert!(std::net::TcpStream::connect(("127.0.0.1", lmtp_port)).is_err(), "LMTP is down");

    dovecot.start_again();
    assert_eq!((dovecot.imap_port(), dovecot.lmtp_port()), (imap_port, lmtp_port));
    let inbox = dovecot.messages(ASSISTANT, "INBOX");
    assert_eq!(inbox.len(), 1);
    assert!(text(&inbox[0]).contains("Subject: kept"));
}

#[test]
fn stop_ends_open_imap_sessions_as_a_server_shutdown_does() {
    let mut dovecot = Dovecot::start(USERS);
    let mut session = dovecot.imap(ASSISTANT);
    session.ok("SELECT INBOX");

    dovecot.stop();
    let farewell = session.read_response();
    assert!(farewell.text.starts_with("* BYE"), "{:?}", farewell.text);
}

#[test]
fn append_creates_missing_folders_with_any_name_and_returns_the_uid() {
    let dovecot = Dovecot::start(USERS);
    let folder = "Fatture.Già pagate";
    let uid = dovecot.append(ASSISTANT, folder, &message(ALICE, ASSISTANT, "appended"));
    let second_uid = dovecot.append(ASSISTANT, folder, &message(ALICE, ASSISTANT, "appended-again"));

    assert_eq!((uid, second_uid), (1, 2));
    assert!(dovecot.folders(ASSISTANT).contains(&folder.to_string()), "{:?}", dovecot.folders(ASSISTANT));
    let stored = dovecot.fetch(ASSISTANT, folder);
    assert_eq!(stored.iter().map(|m| m.uid).collect::<Vec<_>>(), vec![1, 2]);
    assert!(text(&stored[1].raw).contains("appended-again"));
}

#[test]
fn the_folder_separator_can_be_a_slash() {
    let dovecot = Dovecot::builder().users(USERS).separator('/').start();
    dovecot.append(ASSISTANT, "Vendors/Invoices", &message(ALICE, ASSISTANT, "invoice"));

    let folders = dovecot.folders(ASSISTANT);
    assert!(
        folders.contains(&"Vendors".to_string()) && folders.contains(&"Vendors/Invoices".to_string()),
        "{folders:?}"
    );
}

#[test]
fn change_uidvalidity_gives_the_folder_a_new_uidvalidity_and_keeps_its_messages() {
    let dovecot = Dovecot::start(USERS);
    dovecot.deliver(ASSISTANT, &message(ALICE, ASSISTANT, "survivor"));
    let before = dovecot.uidvalidity(ASSISTANT, "INBOX");

    let after = dovecot.change_uidvalidity(ASSISTANT, "INBOX");

    assert_ne!(after, before);
    assert_eq!(dovecot.uidvalidity(ASSISTANT, "INBOX"), after);
    let stored = dovecot.fetch(ASSISTANT, "INBOX");
    assert_eq!(stored.len(), 1);
    assert!(text(&stored[0].raw).contains("survivor"));
}

/// Dovecot learns of the delivery through inotify and then waits a fixed half second before telling IDLE
/// sessions: clients under test see new mail about 0.5 s after it arrives.
#[test]
fn idle_is_advertised_by_default_and_an_idle_session_wakes_up_on_delivery() {
    let dovecot = Dovecot::start(USERS);
    let mut session = dovecot.imap(ASSISTANT);
    assert!(session.capabilities().contains(&"IDLE".to_string()));
    session.ok("SELECT INBOX");
    let idle = session.start("IDLE");
    assert!(session.read_response().text.starts_with('+'), "IDLE is accepted");

    let delivered = Instant::now();
    dovecot.deliver(ASSISTANT, &message(ALICE, ASSISTANT, "wake-up"));
    let exists = session.read_response();
    let latency = delivered.elapsed();

    assert_eq!(exists.text, "* 1 EXISTS");
    assert!(latency < Duration::from_secs(2), "IDLE woke up after {latency:?}");
    eprintln!("IDLE woke up {latency:?} after the LMTP delivery started");
    session.send(b"DONE\r\n");
    session.finish(&idle).expect("IDLE ends with OK");
}

#[test]
fn without_idle_no_capability_list_mentions_idle() {
    let dovecot = Dovecot::builder().users(USERS).idle(false).start();
    let mut session = support::imap::Imap::connect(dovecot.imap_port());
    let before_login = session.capabilities();
    session.login(ASSISTANT, "assistant-pw");
    let after_login = session.capabilities();

    for capabilities in [&before_login, &after_login] {
        assert!(!capabilities.iter().any(|c| c == "IDLE" || c == "NOTIFY"), "{capabilities:?}");
        assert!(capabilities.contains(&"UIDPLUS".to_string()), "the rest is still there: {capabilities:?}");
    }
    assert!(!session.greeting.contains(" IDLE "), "{}", session.greeting);
}

#[test]
fn the_tls_option_serves_imaps_that_a_rustls_client_trusting_only_cert_path_accepts() {
    let dovecot = Dovecot::builder().users(USERS).tls(true).start();

    for name in ["localhost", "127.0.0.1"] {
        let greeting = rustls_first_line(dovecot.imaps_port(), dovecot.cert_path(), name);
        assert!(greeting.starts_with("* OK"), "{greeting:?}");
    }
    let plain = support::imap::Imap::connect(dovecot.imap_port());
    assert!(plain.greeting.contains("STARTTLS"), "the plain port offers STARTTLS: {}", plain.greeting);
}

/// The first line a TLS server sends, read with rustls trusting exactly the PEM at `cert` for `server_name`.
fn rustls_first_line(port: u16, cert: &std::path::Path, server_name: &str) -> String {
    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::File::open(cert).expect("opening the certificate");
    for der in rustls_pemfile::certs(&mut BufReader::new(pem)) {
        roots.add(der.expect("a PEM certificate")).expect("a usable root certificate");
    }
    let config =
        rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(server_name.to_string()).expect("a server name");
    let connection = rustls::ClientConnection::new(Arc::new(config), name).expect("a TLS client");
    let socket = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connecting to the TLS port");
    let mut line = String::new();
    BufReader::new(rustls::StreamOwned::new(connection, socket))
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("TLS handshake or read with {server_name}: {e}"));
    line
}

#[test]
fn the_smtp_sink_stores_each_message_with_its_envelope_in_order() {
    let sink = SmtpSink::start();
    let first = message(ASSISTANT, "customer@example.org", "reply-1");
    send(Protocol::Smtp, sink.port(), ASSISTANT, &["customer@example.org"], &first, None).expect("sending");
    let auto_reply = message(ASSISTANT, "a@example.org", "reply-2");
    send(Protocol::Smtp, sink.port(), "", &["a@example.org", "b@example.org"], &auto_reply, None)
        .expect("sending");

    let received = sink.wait_for(2, Duration::from_secs(5));
    assert_eq!(received[0].mail_from, ASSISTANT);
    assert_eq!(received[0].rcpt_tos, vec!["customer@example.org"]);
    assert_eq!(received[0].raw, first);
    assert_eq!(received[1].mail_from, "", "the null sender <>");
    assert_eq!(received[1].rcpt_tos, vec!["a@example.org", "b@example.org"]);
    assert_eq!(received[1].auth_login, None);
}

#[test]
fn the_relaying_sink_delivers_to_dovecot_users_and_keeps_mail_for_everyone_else() {
    let dovecot = Dovecot::start(USERS);
    let sink = SmtpSink::start_relaying_to(&dovecot);
    let raw = message(ASSISTANT, ALICE, "relayed");
    send(Protocol::Smtp, sink.port(), ASSISTANT, &[ALICE, "customer@example.org"], &raw, None)
        .expect("sending");

    let received = sink.wait_for(1, Duration::from_secs(5));
    assert_eq!(received[0].relayed_to, vec![ALICE], "customer@example.org is outside Dovecot");
    let inbox = dovecot.wait_for_messages(ALICE, "INBOX", 1, Duration::from_secs(5));
    assert!(text(&inbox[0]).contains("Subject: relayed"));
    assert!(text(&inbox[0]).starts_with(&format!("Return-Path: <{ASSISTANT}>")));
}

#[test]
fn the_relaying_sink_answers_451_while_dovecot_is_down_so_the_client_retries() {
    let mut dovecot = Dovecot::start(USERS);
    let sink = SmtpSink::start_relaying_to(&dovecot);
    let raw = message(ASSISTANT, ALICE, "retried");
    dovecot.stop();

    let refused =
        send(Protocol::Smtp, sink.port(), ASSISTANT, &[ALICE], &raw, None).expect_err("Dovecot is down");
    assert!(refused.contains("451"), "{refused}");
    assert!(sink.received().is_empty(), "a refused message is not kept");

    dovecot.start_again();
    send(Protocol::Smtp, sink.port(), ASSISTANT, &[ALICE], &raw, None).expect("the retry succeeds");
    assert_eq!(dovecot.wait_for_messages(ALICE, "INBOX", 1, Duration::from_secs(5)).len(), 1);
}

#[test]
fn the_sink_can_be_stopped_and_started_again_on_the_same_port_keeping_what_it_received() {
    let mut sink = SmtpSink::start();
    let port = sink.port();
    send(Protocol::Smtp, port, ASSISTANT, &[ALICE], &message(ASSISTANT, ALICE, "before"), None)
        .expect("sending");

    sink.stop();
    let refused = send(Protocol::Smtp, port, ASSISTANT, &[ALICE], &message(ASSISTANT, ALICE, "during"), None);
    assert!(refused.is_err(), "nothing listens while the sink is stopped");

    sink.start_again();
    assert_eq!(sink.port(), port);
    send(Protocol::Smtp, port, ASSISTANT, &[ALICE], &message(ASSISTANT, ALICE, "after"), None)
        .expect("sending");
    let received = sink.wait_for(2, Duration::from_secs(5));
    assert_eq!(received.len(), 2);
    assert!(received[0].text().contains("before") && received[1].text().contains("after"));
}

#[test]
fn the_sink_can_require_authentication() {
    let sink = SmtpSink::builder().auth("clerk", "s3cret").start();
    let raw = message(ASSISTANT, ALICE, "authenticated");

    let anonymous =
        send(Protocol::Smtp, sink.port(), ASSISTANT, &[ALICE], &raw, None).expect_err("auth required");
    assert!(anonymous.contains("530"), "{anonymous}");
    let wrong = send(Protocol::Smtp, sink.port(), ASSISTANT, &[ALICE], &raw, Some(("clerk", "wrong")))
        .expect_err("bad password");
    assert!(wrong.contains("535"), "{wrong}");
    send(Protocol::Smtp, sink.port(), ASSISTANT, &[ALICE], &raw, Some(("clerk", "s3cret")))
        .expect("right password");

    let received = sink.wait_for(1, Duration::from_secs(5));
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].auth_login.as_deref(), Some("clerk"));
}

#[test]
fn the_sink_serves_starttls_and_implicit_tls_with_its_certificate() {
    for (tls, starttls) in [(SmtpTls::StartTls, true), (SmtpTls::Implicit, false)] {
        let sink = SmtpSink::builder().tls(tls).start();
        let mut openssl = Command::new("openssl");
        openssl.args(["s_client", "-connect", &format!("127.0.0.1:{}", sink.port()), "-verify_return_error"]);
        openssl.args(["-verify_ip", "127.0.0.1", "-CAfile"]).arg(sink.cert_path());
        if starttls {
            openssl.args(["-starttls", "smtp"]);
        }
        let output = openssl.stdin(Stdio::null()).output().expect("running openssl s_client");
        let stdout = text(&output.stdout);
        assert!(stdout.contains("Verify return code: 0 (ok)"), "{tls:?}: {stdout}{}", text(&output.stderr));
    }
}

#[test]
fn folder_names_are_encoded_in_modified_utf7() {
    for (name, wire) in
        [("INBOX", "INBOX"), ("Già pagate", "Gi&AOA- pagate"), ("R&D", "R&-D"), ("日本語", "&ZeVnLIqe-")]
    {
        assert_eq!(mutf7_encode(name), wire);
        assert_eq!(mutf7_decode(wire).as_deref(), Ok(name));
    }
}

#[test]
fn free_port_never_hands_out_the_same_port_twice() {
    let ports: Vec<u16> = (0..200).map(|_| free_port()).collect();
    let mut unique = ports.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ports.len());
}

#[test]
fn wait_until_reports_whether_the_condition_came_true_in_time() {
    let start = Instant::now();
    assert!(wait_until(Duration::from_secs(1), || start.elapsed() > Duration::from_millis(50)));
    assert!(!wait_until(Duration::from_millis(100), || false));
}
