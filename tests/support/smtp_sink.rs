//! [`SmtpSink`]: a real SMTP server (aiosmtpd, `smtp_sink.py`) that keeps every message it accepts, and can
//! relay it into a [`Dovecot`] so replies land in the recipients' mailboxes.

use super::dovecot::Dovecot;
use super::process::{address_in_use, greets, port_accepts, spawn_listening};
use super::tls::{Cert, self_signed_cert};
use super::{TestDir, free_port, log_tail, wait_until};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command};
use std::time::Duration;

/// Debian's interpreter, the one python3-aiosmtpd is installed for (the `python3` on PATH may be another).
pub const PYTHON: &str = "/usr/bin/python3";

/// One accepted message, in arrival order.
#[derive(Clone, Debug, PartialEq)]
pub struct Received {
    /// The envelope sender; empty for the null sender `<>`.
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// The data as the client sent it (CRLF line endings, dot-unstuffed).
    pub raw: Vec<u8>,
    /// `MAIL FROM` parameters, e.g. `BODY=8BITMIME`, `SMTPUTF8`.
    pub mail_options: Vec<String>,
    /// The recipients that were delivered into Dovecot (when relaying); the others were only kept here.
    pub relayed_to: Vec<String>,
    /// The login the client authenticated as, if it did.
    pub auth_login: Option<String>,
}

impl Received {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }
}

/// TLS on the sink's port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    None,
    /// Plain SMTP offering STARTTLS (as on port 587); with `auth`, AUTH is offered only after STARTTLS.
    StartTls,
    /// TLS from the first byte (as on port 465).
    Implicit,
}

/// How to set up an [`SmtpSink`]: `SmtpSink::builder().relay_to(&dovecot).auth("clerk", "pw").start()`.
#[derive(Clone, Debug)]
pub struct SmtpSinkBuilder {
    lmtp_port: Option<u16>,
    auth: Option<(String, String)>,
    xoauth2_introspection: Option<String>,
    tls: SmtpTls,
}

impl SmtpSinkBuilder {
    /// Relay every message into `dovecot` over LMTP (see [`Received::relayed_to`]).
    pub fn relay_to(mut self, dovecot: &Dovecot) -> Self {
        self.lmtp_port = Some(dovecot.lmtp_port());
        self
    }

    /// Require AUTH PLAIN or LOGIN with this login and password before MAIL FROM.
    pub fn auth(mut self, login: &str, password: &str) -> Self {
        assert!(!login.contains(':'), "the sink's login cannot contain ':'");
        self.auth = Some((login.to_string(), password.to_string()));
        self
    }

    /// Require AUTH XOAUTH2 (and offer nothing else): a bearer token counts when this RFC 7662
    /// introspection endpoint says it is active and belongs to the user the client names.
    pub fn xoauth2(mut self, introspection_url: &str) -> Self {
        self.xoauth2_introspection = Some(introspection_url.to_string());
        self
    }

    /// Serve TLS with a fresh self-signed certificate ([`SmtpSink::cert_path`]).
    pub fn tls(mut self, tls: SmtpTls) -> Self {
        self.tls = tls;
        self
    }

    pub fn start(self) -> SmtpSink {
        SmtpSink::launch(self)
    }
}

/// A running SMTP sink. Dropping it kills the server and removes its directory.
pub struct SmtpSink {
    dir: TestDir,
    options: SmtpSinkBuilder,
    cert: Option<Cert>,
    port: u16,
    process: Option<(Child, ChildStdin)>,
}

impl SmtpSink {
    /// A sink that only keeps messages.
    pub fn start() -> SmtpSink {
        SmtpSink::builder().start()
    }

    /// A sink that relays every message into `dovecot` and keeps it.
    pub fn start_relaying_to(dovecot: &Dovecot) -> SmtpSink {
        SmtpSink::builder().relay_to(dovecot).start()
    }

    pub fn builder() -> SmtpSinkBuilder {
        SmtpSinkBuilder { lmtp_port: None, auth: None, xoauth2_introspection: None, tls: SmtpTls::None }
    }

    fn launch(options: SmtpSinkBuilder) -> SmtpSink {
        let dir = TestDir::new("smtp");
        std::fs::create_dir(dir.path().join("mail")).expect("creating the sink's mail directory");
        let cert = (options.tls != SmtpTls::None).then(|| self_signed_cert(dir.path()));
        let mut sink = SmtpSink { dir, options, cert, port: 0, process: None };
        // Another process may take the port between `free_port()` and the bind: then try another.
        for attempt in 1.. {
            sink.port = free_port();
            match sink.spawn() {
                Ok(()) => return sink,
                Err(e) if address_in_use(&e) && attempt < 5 => continue,
                Err(e) => panic!("{e}"),
            }
        }
        unreachable!()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where the messages are kept: `NNNNNN.eml` and `NNNNNN.json`.
    pub fn mail_dir(&self) -> PathBuf {
        self.dir.path().join("mail")
    }

    /// The PEM certificate the sink presents; only with TLS.
    pub fn cert_path(&self) -> &Path {
        &self.cert.as_ref().expect("cert_path(): start the sink with .tls(…)").cert
    }

    /// The sink's own log (aiosmtpd's session log and relay failures), for diagnostics.
    pub fn log(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(self.dir.path().join("sink.log")).unwrap_or_default())
            .into_owned()
    }

    /// How many replies each question got, by the Message-ID the reply's In-Reply-To names; panics on a
    /// reply that threads to nothing.
    pub fn replies_per_question(&self) -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for reply in self.received() {
            let text = reply.text();
            let question =
                super::clerk::header(&text, "In-Reply-To").expect("every reply threads to its question");
            *counts.entry(question.to_string()).or_default() += 1;
        }
        counts
    }

    /// Every message accepted so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        let mail_dir = self.mail_dir();
        let mut envelopes: Vec<String> = std::fs::read_dir(&mail_dir)
            .expect("reading the sink's mail directory")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".json") && !name.starts_with('.'))
            .collect();
        envelopes.sort();
        envelopes.iter().map(|name| read_received(&mail_dir, name)).collect()
    }

    /// Waits until at least `count` messages have arrived and returns all of them; on timeout panics showing
    /// what did arrive and the sink's log.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        if wait_until(timeout, || self.received().len() >= count) {
            return self.received();
        }
        let received = self.received();
        let listing: Vec<String> = received
            .iter()
            .map(|r| {
                format!(
                    "  from <{}> to {:?}: {}",
                    r.mail_from,
                    r.rcpt_tos,
                    first_line_with(&r.raw, "subject:")
                )
            })
            .collect();
        panic!(
            "SMTP sink on port {} received {} messages in {timeout:?}, expected {count}:\n{}\n--- sink log ---\n{}",
            self.port,
            received.len(),
            listing.join("\n"),
            log_tail(&self.dir.path().join("sink.log"), 30)
        );
    }

    /// Kills the server (like a crash or an outage); its port refuses connections until [`SmtpSink::start_again`].
    pub fn stop(&mut self) {
        let (mut child, stdin) = self.process.take().expect("stop(): the SMTP sink is not running");
        let _ = child.kill();
        let _ = child.wait();
        drop(stdin);
        assert!(
            wait_until(Duration::from_secs(5), || !port_accepts(self.port)),
            "the SMTP sink was killed but port {} still accepts connections",
            self.port
        );
    }

    /// Starts the server again on the same port and directory; numbering continues.
    pub fn start_again(&mut self) {
        assert!(self.process.is_none(), "start_again(): the SMTP sink is already running");
        if let Err(e) = self.spawn() {
            panic!("{e}");
        }
    }

    fn spawn(&mut self) -> Result<(), String> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let mut command = Command::new(PYTHON);
        command.arg(&script).arg("--port").arg(self.port.to_string()).arg("--dir").arg(self.mail_dir());
        if let Some(lmtp_port) = self.options.lmtp_port {
            command.arg("--lmtp-port").arg(lmtp_port.to_string());
        }
        if let Some((login, password)) = &self.options.auth {
            command.arg("--auth").arg(format!("{login}:{password}"));
        }
        if let Some(cert) = &self.cert {
            let mode = if self.options.tls == SmtpTls::StartTls { "starttls" } else { "implicit" };
            command.args(["--tls", mode]).arg("--cert").arg(&cert.cert).arg("--key").arg(&cert.key);
        }
        if let Some(url) = &self.options.xoauth2_introspection {
            command.arg("--xoauth2-introspection").arg(url);
        }
        self.process = Some(spawn_listening(command, &self.dir.path().join("sink.log"))?);
        let greeting = if self.options.tls == SmtpTls::Implicit {
            port_accepts(self.port)
        } else {
            greets(self.port, "220")
        };
        assert!(greeting, "the SMTP sink said it listens on port {} but does not greet", self.port);
        Ok(())
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "SMTP sink on port {} (dir {})\n{}",
                self.port,
                self.dir.path().display(),
                log_tail(&self.dir.path().join("sink.log"), 30)
            );
        }
        if let Some((mut child, _stdin)) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn read_received(mail_dir: &Path, json_name: &str) -> Received {
    let path = mail_dir.join(json_name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
    let strings = |key: &str| -> Vec<String> {
        json[key].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect()
    };
    let eml = mail_dir.join(json_name.replace(".json", ".eml"));
    Received {
        mail_from: json["mail_from"].as_str().unwrap_or_default().to_string(),
        rcpt_tos: strings("rcpt_tos"),
        raw: std::fs::read(&eml).unwrap_or_else(|e| panic!("reading {}: {e}", eml.display())),
        mail_options: strings("mail_options"),
        relayed_to: strings("relayed_to"),
        auth_login: json["auth_login"].as_str().map(str::to_string),
    }
}

fn first_line_with(raw: &[u8], prefix: &str) -> String {
    let text = String::from_utf8_lossy(raw);
    text.lines().find(|l| l.to_ascii_lowercase().starts_with(prefix)).unwrap_or("(none)").to_string()
}
