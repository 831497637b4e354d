//! The SMTP transport against a real SMTP server: Debian's aiosmtpd (python3-aiosmtpd, run by
//! /usr/bin/python3) on a free port, storing each accepted mail and its envelope in a temporary directory.
//!
//! The server is deliberately tiny and local to this file; the shared harness in tests/support replaces it
//! later.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::TimeZone;
use clerk::mail::compose::{self, AutoSubmitted, Identity, OutboundMail, Reply};
use clerk::mail::message::{Address, Message};
use clerk::mail::transport::{SendError, SmtpLogin, SmtpSettings, Transport};
use clerk::secret::Secret;
use url::Url;

/// An SMTP sink. Arguments: output directory, bind address, then flags:
/// `auth` (require AUTH as clerk / correct horse, allowed without TLS),
/// `no-8bitmime` (do not advertise 8BITMIME), `tls=CERT:KEY` (implicit TLS),
/// `starttls=CERT:KEY` (offer STARTTLS). Recipients `unknown@…` get 550, `busy@…` get 451.
/// Prints the port it listens on, then serves until killed.
const SERVER: &str = r#"
import asyncio, json, logging, os, ssl, sys, warnings
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

# AUTH without TLS and refused handshakes are intended here; keep them out of the test output.
warnings.simplefilter('ignore')
logging.getLogger('mail.log').setLevel(logging.CRITICAL)

out, host, *flags = sys.argv[1:]

def context(arg):
    cert, key = arg.split(':')
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx

class Sink:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('unknown@'):
            return '550 5.1.1 No such user here'
        if address.startswith('busy@'):
            return '451 4.3.0 Mailbox busy, try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        n = len([name for name in os.listdir(out) if name.endswith('.json')])
        with open(os.path.join(out, f'{n}.eml'), 'wb') as f:
            f.write(envelope.original_content)
        with open(os.path.join(out, f'{n}.json'), 'w') as f:
            json.dump({'mail_from': envelope.mail_from, 'rcpt_to': envelope.rcpt_tos,
                       'authenticated': bool(session.authenticated),
                       'client_port': session.peer[1]}, f)
        return '250 OK stored'

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login == b'clerk' and auth_data.password == b'correct horse')
    # handled=False: aiosmtpd itself answers 235 or 535.
    return AuthResult(success=ok, handled=False)

async def main():
    options = {'decode_data': 'no-8bitmime' in flags}
    if 'auth' in flags:
        options.update(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    implicit = None
    for flag in flags:
        if flag.startswith('tls='):
            implicit = context(flag[4:])
        if flag.startswith('starttls='):
            options['tls_context'] = context(flag[9:])
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Sink(), **options), host, 0, ssl=implicit)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"#;

/// A directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "clerk-smtp-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One running aiosmtpd, killed when dropped.
struct SmtpSink {
    child: Child,
    port: u16,
    store: TempDir,
}

impl SmtpSink {
    fn start(flags: &[&str]) -> SmtpSink {
        SmtpSink::start_on("127.0.0.1", flags)
    }

    fn start_on(host: &str, flags: &[&str]) -> SmtpSink {
        let store = TempDir::new("sink");
        let mut child = Command::new("/usr/bin/python3")
            .arg("-c")
            .arg(SERVER)
            .arg(&store.0)
            .arg(host)
            .args(flags)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start /usr/bin/python3 with aiosmtpd");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped stdout");
        BufReader::new(stdout).read_line(&mut line).expect("read the port");
        let port =
            line.trim().parse().unwrap_or_else(|_| panic!("aiosmtpd printed {line:?} instead of its port"));
        SmtpSink { child, port, store }
    }

    /// Envelopes and bytes of every accepted mail, in arrival order.
    fn received(&self) -> Vec<(serde_json::Value, Vec<u8>)> {
        let dir = &self.store.0;
        (0..)
            .map(|n| (dir.join(format!("{n}.json")), dir.join(format!("{n}.eml"))))
            .take_while(|(json, _)| json.exists())
            .map(|(json, eml)| {
                let envelope = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
                (envelope, std::fs::read(eml).unwrap())
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn settings(url: &str) -> SmtpSettings {
    SmtpSettings {
        url: Url::parse(url).unwrap(),
        login: None,
        ca_file: None,
        hello_name: Some("clerk.test".into()),
        timeout: Duration::from_secs(10),
    }
}

/// A real auto-reply, composed the way the executor will.
fn auto_reply() -> OutboundMail {
    let original = Message {
        from: vec![Address { name: Some("Anna Rossi".into()), email: "anna@customer.example".into() }],
        subject: "Orari di apertura".into(),
        message_id: Some("q1@customer.example".into()),
        ..Message::default()
    };
    let assistant = Identity { name: "Segreteria".into(), address: "assistant@office.example".into() };
    compose::reply(&Reply {
        original: &original,
        from: &assistant,
        to: original.from[0].clone(),
        cc: vec![],
        subject: compose::reply_subject(&original.subject),
        body: "Siamo aperti dal lunedì al venerdì.\n.\nA presto!\n".into(),
        message_id: compose::message_id(b"transport test", "office.example"),
        date: chrono::Utc.with_ymd_and_hms(2025, 7, 1, 9, 30, 0).unwrap(),
        auto_submitted: AutoSubmitted::AutoReplied,
        loop_header_value: "assistant@office.example".into(),
    })
    .expect("compose")
}

fn plain_mail(recipients: &[&str]) -> OutboundMail {
    OutboundMail {
        message_id: "plain@office.example".into(),
        envelope_from: Some("assistant@office.example".into()),
        recipients: recipients.iter().map(|r| r.to_string()).collect(),
        raw: b"From: assistant@office.example\r\nTo: someone@office.example\r\nSubject: test\r\nMessage-ID: <plain@office.example>\r\n\r\nhello\r\n".to_vec(),
    }
}

/// A point of no return with nothing to record.
fn no_commit() -> std::future::Ready<Result<(), String>> {
    std::future::ready(Ok(()))
}

fn transient(result: Result<(), SendError>) -> String {
    match result {
        Err(SendError::Transient(text)) => text,
        other => panic!("expected a transient failure, got {other:?}"),
    }
}

fn permanent(result: Result<(), SendError>) -> String {
    match result {
        Err(SendError::Permanent(text)) => text,
        other => panic!("expected a permanent failure, got {other:?}"),
    }
}

#[tokio::test]
async fn an_auto_reply_arrives_byte_for_byte_with_a_null_envelope_sender() {
    let sink = SmtpSink::start(&[]);
    let transport = Transport::smtp(&settings(&format!("smtp://127.0.0.1:{}", sink.port))).unwrap();
    let mail = auto_reply();

    transport.send("reply", &mail, no_commit()).await.unwrap();

    let received = sink.received();
    assert_eq!(received.len(), 1);
    let (envelope, bytes) = &received[0];
    // aiosmtpd records `MAIL FROM:<>` as "<>".
    assert_eq!(envelope["mail_from"], "<>");
    assert_eq!(envelope["rcpt_to"], serde_json::json!(["anna@customer.example"]));
    assert_eq!(String::from_utf8_lossy(bytes), String::from_utf8_lossy(&mail.raw));
    assert_eq!(bytes, &mail.raw);
}

#[tokio::test]
async fn consecutive_mails_reuse_one_connection() {
    let sink = SmtpSink::start(&[]);
    let transport = Transport::smtp(&settings(&format!("smtp://localhost:{}", sink.port))).unwrap();

    transport.send("reply", &plain_mail(&["a@office.example"]), no_commit()).await.unwrap();
    transport.send("reply", &plain_mail(&["b@office.example"]), no_commit()).await.unwrap();

    let received = sink.received();
    let recipients: Vec<_> = received.iter().map(|(e, _)| e["rcpt_to"][0].clone()).collect();
    assert_eq!(recipients, ["a@office.example", "b@office.example"]);
    assert_eq!(received[0].0["client_port"], received[1].0["client_port"]);
}

#[tokio::test]
async fn a_server_that_stops_answering_is_transient_after_the_timeout() {
    // Accepts connections and never says a word.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let mut settings = settings(&format!("smtp://127.0.0.1:{port}"));
    settings.timeout = Duration::from_millis(500);
    let transport = Transport::smtp(&settings).unwrap();

    let started = std::time::Instant::now();
    let text = transient(transport.send("reply", &plain_mail(&["a@office.example"]), no_commit()).await);

    assert!(text.contains("no answer within"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(5));
    silent.abort();
}

#[tokio::test]
async fn a_5xx_for_a_recipient_is_permanent_and_nothing_is_delivered() {
    let sink = SmtpSink::start(&[]);
    let transport = Transport::smtp(&settings(&format!("smtp://127.0.0.1:{}", sink.port))).unwrap();

    let text =
        permanent(transport.send("reply", &plain_mail(&["unknown@office.example"]), no_commit()).await);

    assert!(text.contains("550"), "{text}");
    assert!(text.contains("No such user here"), "{text}");
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn the_point_of_no_return_comes_only_after_the_server_accepts_the_envelope() {
    let sink = SmtpSink::start(&[]);
    let transport = Transport::smtp(&settings(&format!("smtp://127.0.0.1:{}", sink.port))).unwrap();
    let committed = std::sync::atomic::AtomicBool::new(false);
    let mark = || async {
        committed.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    };

    permanent(transport.send("reply", &plain_mail(&["unknown@office.example"]), mark()).await);
    assert!(!committed.load(std::sync::atomic::Ordering::SeqCst), "a refused envelope never reaches it");

    transport.send("reply", &plain_mail(&["a@office.example"]), mark()).await.unwrap();
    assert!(committed.load(std::sync::atomic::Ordering::SeqCst));
}

#[tokio::test]
async fn a_failing_point_of_no_return_sends_nothing() {
    let sink = SmtpSink::start(&[]);
    let transport = Transport::smtp(&settings(&format!("smtp://127.0.0.1:{}", sink.port))).unwrap();

    let text = transient(
        transport
            .send(
                "reply",
                &plain_mail(&["a@office.example"]),
                std::future::ready(Err("database is locked".into())),
            )
            .await,
    );

    assert!(text.contains("database is locked"), "{text}");
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn a_4xx_for_a_recipient_is_transient() {
    let sink = SmtpSink::start(&[]);
    let transport = Transport::smtp(&settings(&format!("smtp://127.0.0.1:{}", sink.port))).unwrap();

    let text = transient(transport.send("reply", &plain_mail(&["busy@office.example"]), no_commit()).await);

    assert!(text.contains("451"), "{text}");
}

#[tokio::test]
async fn a_closed_port_is_transient() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let transport = Transport::smtp(&settings(&format!("smtp://127.0.0.1:{port}"))).unwrap();

    transient(transport.send("reply", &plain_mail(&["a@office.example"]), no_commit()).await);
}

#[tokio::test]
async fn an_8bit_mail_to_a_server_without_8bitmime_is_permanent() {
    let sink = SmtpSink::start(&["no-8bitmime"]);
    let transport = Transport::smtp(&settings(&format!("smtp://127.0.0.1:{}", sink.port))).unwrap();
    let mut mail = plain_mail(&["a@office.example"]);
    mail.raw = "Subject: Grüße\r\n\r\nGrüße\r\n".as_bytes().to_vec();

    let text = permanent(transport.send("reply", &mail, no_commit()).await);

    assert!(text.contains("8BITMIME"), "{text}");
}

#[tokio::test]
async fn smtp_auth_logs_in_with_the_configured_user() {
    let sink = SmtpSink::start(&["auth"]);
    let mut settings = settings(&format!("smtp://127.0.0.1:{}", sink.port));
    settings.login =
        Some(SmtpLogin::Password { user: "clerk".into(), password: Secret::new("correct horse") });
    let transport = Transport::smtp(&settings).unwrap();

    transport.send("reply", &plain_mail(&["a@office.example"]), no_commit()).await.unwrap();

    assert_eq!(sink.received()[0].0["authenticated"], true);
}

#[tokio::test]
async fn a_refused_login_is_transient_and_does_not_show_the_password() {
    let sink = SmtpSink::start(&["auth"]);
    let mut settings = settings(&format!("smtp://127.0.0.1:{}", sink.port));
    settings.login =
        Some(SmtpLogin::Password { user: "clerk".into(), password: Secret::new("wrong battery") });
    let transport = Transport::smtp(&settings).unwrap();

    let text = transient(transport.send("reply", &plain_mail(&["a@office.example"]), no_commit()).await);

    assert!(text.contains("535"), "{text}");
    assert!(text.contains("check the SMTP settings"), "{text}");
    assert!(!text.contains("wrong battery"), "{text}");
    assert!(sink.received().is_empty());
}

/// This machine's address on a non-loopback interface, if it has one (no packet is sent: connecting a
/// UDP socket only picks the route).
fn non_loopback_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[tokio::test]
async fn smtp_to_a_non_loopback_host_without_starttls_sends_nothing() {
    let Some(ip) = non_loopback_address() else {
        eprintln!("skipped: this machine has no non-loopback IPv4 address");
        return;
    };
    let sink = SmtpSink::start_on(&ip.to_string(), &[]);
    let transport = Transport::smtp(&settings(&format!("smtp://{ip}:{}", sink.port))).unwrap();

    let text = transient(transport.send("reply", &plain_mail(&["a@office.example"]), no_commit()).await);

    assert!(text.contains("STARTTLS"), "{text}");
    assert!(sink.received().is_empty());
}

/// A self-signed certificate for `localhost` and 127.0.0.1, made with the openssl command line tool.
/// Returns (cert, key) paths inside `dir`, or `None` when openssl is not installed.
fn self_signed_certificate(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let status = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
        .args(["-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-addext", "extendedKeyUsage=serverAuth"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    status.success().then_some((cert, key))
}

#[tokio::test]
async fn smtps_verifies_the_server_against_the_configured_ca_file() {
    let certs = TempDir::new("certs");
    let Some((cert, key)) = self_signed_certificate(&certs.0) else {
        eprintln!("skipped: openssl is not installed");
        return;
    };
    let tls = format!("tls={}:{}", cert.display(), key.display());
    let sink = SmtpSink::start(&[tls.as_str()]);

    let mut trusted = settings(&format!("smtps://localhost:{}", sink.port));
    trusted.ca_file = Some(cert);
    Transport::smtp(&trusted)
        .unwrap()
        .send("reply", &plain_mail(&["a@office.example"]), no_commit())
        .await
        .unwrap();
    assert_eq!(sink.received().len(), 1);

    let untrusted = settings(&format!("smtps://localhost:{}", sink.port));
    transient(
        Transport::smtp(&untrusted)
            .unwrap()
            .send("reply", &plain_mail(&["b@office.example"]), no_commit())
            .await,
    );
    assert_eq!(sink.received().len(), 1);
}

#[tokio::test]
async fn smtp_to_loopback_upgrades_with_starttls_when_offered() {
    let certs = TempDir::new("certs");
    let Some((cert, key)) = self_signed_certificate(&certs.0) else {
        eprintln!("skipped: openssl is not installed");
        return;
    };
    let starttls = format!("starttls={}:{}", cert.display(), key.display());
    let sink = SmtpSink::start(&[starttls.as_str()]);

    // The certificate is not trusted, so succeeding would mean STARTTLS was skipped.
    let text = transient(
        Transport::smtp(&settings(&format!("smtp://localhost:{}", sink.port)))
            .unwrap()
            .send("reply", &plain_mail(&["a@office.example"]), no_commit())
            .await,
    );
    assert!(text.contains("tls") || text.contains("certificate"), "{text}");

    let mut trusted = settings(&format!("smtp://localhost:{}", sink.port));
    trusted.ca_file = Some(cert);
    Transport::smtp(&trusted)
        .unwrap()
        .send("reply", &plain_mail(&["a@office.example"]), no_commit())
        .await
        .unwrap();
    assert_eq!(sink.received().len(), 1);
}
