//! Tests of the SMTP settings (URLs, security, credentials) and the file outbox.

use super::eml_dir::{MAX_FILE_STEM, file_stem};
use super::security::{Endpoint, Security, endpoint};
use super::*;
use crate::secret::Secret;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use url::Url;

/// A point of no return with nothing to record.
fn no_commit() -> std::future::Ready<Result<(), String>> {
    std::future::ready(Ok(()))
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "clerk-transport-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&path);
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn mail(id: &str, raw: &[u8]) -> OutboundMail {
    OutboundMail {
        message_id: id.into(),
        envelope_from: None,
        recipients: vec!["anna@customer.example".into()],
        raw: raw.to_vec(),
    }
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn settings(url: &str) -> SmtpSettings {
    SmtpSettings {
        url: Url::parse(url).unwrap(),
        login: Some(SmtpLogin::Password { user: "clerk".into(), password: Secret::new("hunter2") }),
        ca_file: None,
        hello_name: None,
        timeout: Duration::from_secs(5),
    }
}

fn security(url: &str) -> Security {
    endpoint(&Url::parse(url).unwrap()).unwrap().security
}

#[test]
fn smtps_is_implicit_tls_on_port_465_by_default() {
    assert_eq!(
        endpoint(&Url::parse("smtps://mail.office.example").unwrap()).unwrap(),
        Endpoint { host: "mail.office.example".into(), port: 465, security: Security::ImplicitTls }
    );
}

#[test]
fn smtp_to_another_host_requires_starttls_on_port_587_by_default() {
    assert_eq!(
        endpoint(&Url::parse("smtp://mail.office.example").unwrap()).unwrap(),
        Endpoint { host: "mail.office.example".into(), port: 587, security: Security::StartTls }
    );
    assert_eq!(security("smtp://192.0.2.10:25"), Security::StartTls);
    assert_eq!(security("smtp://[2001:db8::1]"), Security::StartTls);
    assert_eq!(security("smtp://localhost.evil.example"), Security::StartTls);
    assert_eq!(security("smtp://128.0.0.1"), Security::StartTls);
}

#[test]
fn smtp_to_loopback_uses_starttls_only_when_offered() {
    for url in [
        "smtp://localhost:2525",
        "smtp://LOCALHOST",
        "smtp://127.0.0.1:25",
        "smtp://127.1.2.3",
        "smtp://[::1]:2525",
        "smtp://[::ffff:127.0.0.1]",
    ] {
        assert_eq!(security(url), Security::StartTlsIfOffered, "{url}");
    }
}

#[test]
fn an_ipv6_host_is_given_to_the_connector_without_brackets() {
    let endpoint = endpoint(&Url::parse("smtp://[::1]:2525").unwrap()).unwrap();

    assert_eq!((endpoint.host.as_str(), endpoint.port), ("::1", 2525));
}

#[test]
fn other_schemes_are_refused_naming_the_url() {
    let error = endpoint(&Url::parse("http://mail.office.example").unwrap()).unwrap_err();

    assert_eq!(
        error.to_string(),
        "SMTP URL http://mail.office.example/: the scheme must be smtps:// (implicit TLS) or smtp:// (STARTTLS)"
    );
}

#[test]
fn credentials_in_the_url_are_refused_without_showing_the_password() {
    let error =
        endpoint(&Url::parse("smtps://clerk:hunter2@mail.office.example").unwrap()).unwrap_err().to_string();

    assert!(error.contains("set the SMTP user and password instead"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
}

#[test]
fn a_path_or_query_in_the_url_is_refused() {
    for url in ["smtp://mail.office.example/ehlo-name", "smtp://mail.office.example?tls=opportunistic"] {
        assert!(
            matches!(endpoint(&Url::parse(url).unwrap()), Err(TransportError::InvalidUrl { .. })),
            "{url}"
        );
    }
}

#[test]
fn settings_never_show_the_password() {
    let mut settings = settings("smtps://mail.office.example");
    settings.url = Url::parse("smtps://clerk:hunter2@mail.office.example").unwrap();

    let shown = format!("{settings:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("password: ***"), "{shown}");
}

#[test]
fn a_hello_name_that_is_not_a_domain_is_refused() {
    let mut settings = settings("smtps://mail.office.example");
    settings.hello_name = Some("clerk\r\nMAIL FROM:<x@y>".into());

    assert!(matches!(Transport::smtp(&settings), Err(TransportError::Settings(_))));
}

#[test]
fn a_ca_file_without_certificates_is_refused() {
    let dir = TempDir::new("ca");
    fs::create_dir_all(&dir.0).unwrap();
    let ca_file = dir.0.join("empty.pem");
    fs::write(&ca_file, "not a certificate\n").unwrap();
    let mut settings = settings("smtps://mail.office.example");
    settings.ca_file = Some(ca_file);

    assert!(matches!(Transport::smtp(&settings), Err(TransportError::CaFile { .. })));
}

#[test]
fn a_transport_can_be_shared_between_tasks() {
    fn shareable<T: Send + Sync + 'static>(_: &T) {}
    fn sendable<T: Send>(_: T) {}
    let transport = Transport::smtp(&settings("smtps://mail.office.example")).unwrap();
    shareable(&transport);
    sendable(transport.send("reply", &mail("id@office.example", b""), no_commit()));
}

/// A reply as clerk stores it: dated, with a subject that needs encoding.
const REPLY: &[u8] = b"From: assistant@office.example\r\nTo: anna@customer.example\r\n\
    Date: Mon, 07 Dec 2026 11:15:00 +0100\r\nSubject: =?utf-8?q?Re:_Sedie_per_la_sala_=C3=A8_[#1042-9]?=\r\n\r\nhello\r\n";

/// The name the directory gives [`REPLY`] with Message-ID `id@office.example`.
fn reply_stem() -> String {
    let hash = crate::digest::sha256_hex_prefix(b"id@office.example", 4);
    format!("20261207-101500_reply_anna@customer.example_Re-Sedie-per-la-sala-è-1042-9_{hash}")
}

#[tokio::test]
async fn directory_transport_writes_the_mail_and_its_envelope() {
    let dir = TempDir::new("write");
    let transport = Transport::directory(&dir.0).unwrap();
    let mut mail = mail("id@office.example", REPLY);
    mail.recipients.push("boss@office.example".into());

    transport.send("reply", &mail, no_commit()).await.unwrap();

    let stem = reply_stem();
    assert_eq!(file_names(&dir.0), [format!("{stem}.eml"), format!("{stem}.envelope.json")]);
    assert_eq!(fs::read(dir.0.join(format!("{stem}.eml"))).unwrap(), REPLY);
    let envelope: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.0.join(format!("{stem}.envelope.json"))).unwrap()).unwrap();
    assert_eq!(
        envelope,
        serde_json::json!({
            "mail_from": null,
            "rcpt_to": ["anna@customer.example", "boss@office.example"]
        })
    );
}

#[tokio::test]
async fn directory_transport_records_a_real_envelope_sender() {
    let dir = TempDir::new("sender");
    let transport = Transport::directory(&dir.0).unwrap();
    let mut mail = mail("id@office.example", REPLY);
    mail.envelope_from = Some("assistant@office.example".into());

    transport.send("reply", &mail, no_commit()).await.unwrap();

    let envelope: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.0.join(format!("{}.envelope.json", reply_stem()))).unwrap())
            .unwrap();
    assert_eq!(envelope["mail_from"], "assistant@office.example");
}

#[tokio::test]
async fn directory_transport_sends_one_outbox_row_once_however_often_it_is_tried() {
    let dir = TempDir::new("twice");
    let transport = Transport::directory(&dir.0).unwrap();
    let queued = mail("id@office.example", REPLY);

    transport.send("reply", &queued, no_commit()).await.unwrap();
    transport.send("reply", &queued, no_commit()).await.unwrap();

    let stem = reply_stem();
    assert_eq!(file_names(&dir.0), [format!("{stem}.eml"), format!("{stem}.envelope.json")]);
}

#[tokio::test]
async fn directory_transport_leaves_no_temporary_files_and_ignores_stale_ones() {
    let dir = TempDir::new("atomic");
    let transport = Transport::directory(&dir.0).unwrap();
    let stem = reply_stem();
    // What a crash in the middle of an earlier write leaves behind.
    fs::write(dir.0.join(format!(".{stem}.eml.1.0.tmp")), b"Subj").unwrap();

    transport.send("reply", &mail("id@office.example", REPLY), no_commit()).await.unwrap();

    let visible: Vec<String> = file_names(&dir.0).into_iter().filter(|name| !name.starts_with('.')).collect();
    assert_eq!(visible, [format!("{stem}.eml"), format!("{stem}.envelope.json")]);
    let temporary: Vec<String> =
        file_names(&dir.0).into_iter().filter(|name| name.ends_with(".tmp")).collect();
    assert_eq!(temporary, [format!(".{stem}.eml.1.0.tmp")]);
}

#[tokio::test]
async fn directory_transport_creates_a_missing_directory() {
    let dir = TempDir::new("missing");
    let nested = dir.0.join("outbox").join("sent");

    let transport = Transport::directory(&nested).unwrap();
    transport.send("reply", &mail("id@office.example", REPLY), no_commit()).await.unwrap();

    assert!(nested.join(format!("{}.eml", reply_stem())).exists());
}

#[test]
fn a_mail_without_date_or_subject_is_still_named_what_it_is() {
    let stem = file_stem("notice", &mail("id@office.example", b"From: a@office.example\r\n\r\nhi\r\n"));
    assert!(stem.starts_with("undated_notice_anna@customer.example_no-subject_"), "{stem}");
}

#[test]
fn no_subject_or_recipient_can_name_a_path_outside_the_directory_or_a_hidden_file() {
    for hostile in ["../../etc/passwd", "a/b", ".hidden", "..", "", "a b\tc", "\u{0}x"] {
        let mut queued = mail("id@office.example", format!("Subject: {hostile}\r\n\r\n").as_bytes());
        queued.recipients = vec![hostile.to_owned()];
        let stem = file_stem(hostile, &queued);
        assert!(
            !stem.contains(['/', ' ', '\t', '\0']) && !stem.starts_with('.') && stem.len() <= MAX_FILE_STEM,
            "{hostile:?} -> {stem:?}"
        );
    }
}

#[test]
fn two_mails_alike_but_for_their_message_id_never_share_a_file() {
    assert_ne!(
        file_stem("reply", &mail("a@office.example", REPLY)),
        file_stem("reply", &mail("b@office.example", REPLY))
    );
}

#[test]
fn a_long_subject_is_shortened_and_the_name_stays_within_its_limit() {
    let raw = format!("Subject: {}\r\n\r\n", "Sedia ergonomica ".repeat(40));
    let mut queued = mail("id@office.example", raw.as_bytes());
    queued.recipients = vec![format!("{}@example.com", "x".repeat(300))];
    assert!(file_stem("forward", &queued).len() <= MAX_FILE_STEM);
}
