//! Delivering one composed mail: over SMTP submission (lettre), or as `.eml` files in a directory when
//! clerk runs embedded without a mail server.
//!
//! This module sends a mail once and says whether a failure is worth retrying ([`SendError`]); the outbox
//! in the store owns the queue, the retries and the backoff, and calls [`Transport::send`].
//!
//! SMTP goes through lettre's connection type with clerk's own one-connection reuse rather than lettre's
//! `AsyncSmtpTransport` pool, for two reasons found in lettre 0.11's source: its async client applies the
//! timeout only to the TCP connect (a server that stops answering hangs a send forever), and a pooled send
//! that is cancelled — the only way to impose a deadline from outside — returns its connection to the
//! pool mid-transaction, where the next mail's commands would become the previous mail's body. Here every
//! step runs under the configured timeout, and a connection that failed or timed out is dropped (closing
//! the socket, so the server discards any half-sent mail); only a connection that just completed a mail
//! is kept for the next one.
//!
//! Connection security is not negotiable: `smtps://` is implicit TLS and `smtp://` requires STARTTLS,
//! with certificates checked against the webpki roots or only against a configured CA file. The one
//! exception is a server on the loopback interface (a local relay, the test server), where STARTTLS is
//! used when offered and plain SMTP otherwise, because nothing crosses a network there.

use std::fs;
use std::io;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, CertificateStore, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use url::{Host, Url};

use crate::durable::{self, sync_dir, write_atomically};
use crate::mail::compose::OutboundMail;
use crate::mail::tls::{self, MailStream};
use crate::secret::Secret;
use crate::secret::oauth::TokenSource;

/// Implicit TLS submission port (RFC 8314).
const SMTPS_PORT: u16 = 465;

/// Submission port with STARTTLS (RFC 6409).
const SUBMISSION_PORT: u16 = 587;

/// SMTP reply codes that refuse clerk's login or connection security rather than the mail: 530
/// (authentication or STARTTLS required), 534 (mechanism too weak), 535 (bad credentials), 538
/// (encryption required). They are 5xx, but the mail itself is fine and goes out once the settings are
/// fixed, so they are reported as transient.
const SETTINGS_REFUSALS: [u16; 4] = [530, 534, 535, 538];

/// How long a connection may sit unused and still be reused. Servers drop idle clients after a minute or
/// more; past this it is cheaper to connect afresh than to discover a dead connection.
const MAX_IDLE: Duration = Duration::from_secs(30);

/// SASL mechanisms clerk offers, in order of preference; both need TLS (or loopback) to be safe, which
/// the connection security rules guarantee.
const MECHANISMS: [Mechanism; 2] = [Mechanism::Plain, Mechanism::Login];

/// Longest file stem the directory transport uses, so `.<stem>.envelope.json.<n>.<n>.tmp` stays well
/// within the usual 255-byte file name limit.
const MAX_FILE_STEM: usize = 160;

/// How to reach an SMTP submission server.
#[derive(Clone)]
pub struct SmtpSettings {
    /// `smtps://host[:port]` (implicit TLS, default port 465) or `smtp://host[:port]` (STARTTLS, default
    /// port 587; 25 works when given). No credentials, path or query in the URL: they belong in
    /// `login`, where a password is a [`Secret`].
    pub url: Url,
    /// How to sign in; `None` for a server that takes mail without (a local relay).
    pub login: Option<SmtpLogin>,
    /// PEM file with the CA certificate(s) to trust *instead of* the public webpki roots, for a server
    /// with a private or self-signed certificate.
    pub ca_file: Option<PathBuf>,
    /// Name to announce in EHLO; lettre uses the machine's host name when `None`.
    pub hello_name: Option<String>,
    /// Limit for establishing a connection (TCP, TLS, EHLO, AUTH) and, separately, for transferring one
    /// mail, so a stuck server delays the outbox but never blocks it. Choose it with the largest mail
    /// and the slowest link in mind (a minute is typical). A timeout after the whole mail was sent can
    /// mean the server accepted it without clerk hearing so; the retry then delivers a second copy with
    /// the same Message-ID, which many mail clients and servers show only once.
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("url", &redacted(&self.url))
            .field("login", &self.login)
            .field("ca_file", &self.ca_file)
            .field("hello_name", &self.hello_name)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Who clerk signs in to the SMTP server as, and how.
#[derive(Debug, Clone)]
pub enum SmtpLogin {
    /// SASL PLAIN (or LOGIN where PLAIN is not offered) with a password.
    Password { user: String, password: Secret },
    /// SASL XOAUTH2 with an access token from the provider, asked for on every new connection so an
    /// expired one is renewed.
    OAuth2 { user: String, tokens: Arc<TokenSource> },
}

/// Where outbound mail leaves clerk. Cloning is cheap and shares the idle SMTP connection.
#[derive(Debug, Clone)]
pub enum Transport {
    /// SMTP submission.
    Smtp(SmtpTransport),
    /// Files in a directory: the embedded default, and what `clerk demo` shows its users.
    Directory(DirectoryTransport),
}

/// A configured SMTP submission client. Build it with [`Transport::smtp`].
#[derive(Clone)]
pub struct SmtpTransport {
    inner: Arc<SmtpClient>,
}

impl std::fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpTransport").field("server", &self.inner.server).finish_non_exhaustive()
    }
}

/// Everything needed to open a connection, plus the connection kept from the last successful mail.
struct SmtpClient {
    /// The server as shown in messages: the URL with any password masked.
    server: String,
    endpoint: Endpoint,
    /// For STARTTLS, which lettre performs.
    tls: TlsParameters,
    /// For implicit TLS, which clerk performs before handing lettre the stream.
    rustls: Arc<rustls::ClientConfig>,
    hello_name: ClientId,
    login: Option<SmtpLogin>,
    timeout: Duration,
    idle: Mutex<Option<(AsyncSmtpConnection, Instant)>>,
}

/// Writes each mail as `<dir>/<message-id>.eml` with its envelope beside it as
/// `<message-id>.envelope.json` (`{"mail_from": "…" or null, "rcpt_to": […]}`).
///
/// The `.eml` is a clean RFC 5322 file any mail client opens; the envelope cannot live inside it, hence
/// the sibling. Both appear atomically (written to a hidden `.…tmp` name in the same directory, fsynced,
/// renamed), and the envelope is renamed into place first, so whoever sees an `.eml` also finds its
/// envelope. A crash in between leaves an envelope without `.eml`, which readers ignore and the retry
/// overwrites. Delivery is idempotent by Message-ID: a second send of a mail whose `.eml` exists
/// changes nothing.
#[derive(Debug, Clone)]
pub struct DirectoryTransport {
    dir: PathBuf,
}

/// Why a transport could not be set up: a configuration problem to report at startup.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("SMTP URL {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("SMTP settings: {0}")]
    Settings(String),
    #[error("SMTP CA file {}: {reason}", path.display())]
    CaFile { path: PathBuf, reason: String },
    #[error("TLS setup for {server}: {reason}")]
    Tls { server: String, reason: String },
    #[error("outbox directory {}: {source}", path.display())]
    Directory { path: PathBuf, source: io::Error },
}

/// Why one mail was not sent, and whether sending it again can succeed. The outbox retries `Transient`
/// with backoff and gives up on `Permanent`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// 4xx replies, refused or dropped connections, timeouts, TLS failures, refused login, a full disk:
    /// the same mail can go through later.
    #[error("temporary failure, will retry: {0}")]
    Transient(String),
    /// 5xx replies to the mail or its recipients, addresses that cannot be sent to, a mail the server
    /// cannot carry: sending it again would fail again.
    #[error("permanent failure: {0}")]
    Permanent(String),
    /// The connection failed after the whole mail was handed over and before the server answered: it
    /// may or may not have been accepted (RFC 1047). Sending it again may deliver a second copy.
    #[error("outcome unknown: {0}")]
    Uncertain(String),
}

/// How the connection to an SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    /// TLS from the first byte (`smtps://`).
    ImplicitTls,
    /// STARTTLS or no mail (`smtp://` to another host): a server or attacker that hides STARTTLS gets
    /// neither credentials nor mail.
    StartTls,
    /// STARTTLS when offered, plain otherwise (`smtp://` to loopback): nothing leaves the machine.
    StartTlsIfOffered,
}

/// Where and how to connect, derived from the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Endpoint {
    host: String,
    port: u16,
    security: Security,
}

impl Transport {
    /// An SMTP transport. Nothing is contacted yet: a server that is down at startup only delays the
    /// first mail, while every settings mistake is reported here.
    pub fn smtp(settings: &SmtpSettings) -> Result<Transport, TransportError> {
        let endpoint = endpoint(&settings.url)?;
        let tls = tls_parameters(&endpoint.host, settings.ca_file.as_deref())?;
        let rustls = tls::client_config(settings.ca_file.as_deref()).map_err(|e| TransportError::CaFile {
            path: settings.ca_file.clone().unwrap_or_default(),
            reason: e.to_string(),
        })?;
        let hello_name = match &settings.hello_name {
            Some(name) => client_id(name)?,
            None => ClientId::default(),
        };
        Ok(Transport::Smtp(SmtpTransport {
            inner: Arc::new(SmtpClient {
                server: redacted(&settings.url),
                endpoint,
                tls,
                rustls,
                hello_name,
                login: settings.login.clone(),
                timeout: settings.timeout,
                idle: Mutex::new(None),
            }),
        }))
    }

    /// A directory transport writing into `dir`, which is created if missing.
    pub fn directory(dir: impl Into<PathBuf>) -> Result<Transport, TransportError> {
        let dir = dir.into();
        fs::create_dir_all(&dir).map_err(|source| TransportError::Directory { path: dir.clone(), source })?;
        Ok(Transport::Directory(DirectoryTransport { dir }))
    }

    /// Sends one mail: envelope from [`OutboundMail::envelope_from`] and `recipients`, the bytes exactly as
    /// composed. A 5xx to any recipient fails the whole mail (lettre ends the transaction), so the outbox
    /// never has to remember who already got a copy.
    ///
    /// `committing` runs at the point of no return: for SMTP, after the server has accepted the
    /// envelope and said "354 go ahead", just before the message content and its final dot, which is
    /// when the server may take the mail. A failure before it means the mail certainly did not go; after
    /// it, a crash leaves the outcome unknown (RFC 1047). If `committing` fails, nothing is sent.
    pub async fn send<F>(&self, mail: &OutboundMail, committing: F) -> Result<(), SendError>
    where
        F: Future<Output = Result<(), String>>,
    {
        match self {
            Transport::Smtp(smtp) => smtp.inner.send(mail, committing).await,
            Transport::Directory(directory) => {
                committing.await.map_err(SendError::Transient)?;
                directory.send(mail).await
            }
        }
    }

    /// Whether sending the same mail twice is harmless. True for the directory (one file per
    /// Message-ID); false for SMTP, where a second copy reaches the recipient.
    pub fn is_idempotent(&self) -> bool {
        matches!(self, Transport::Directory(_))
    }
}

impl SmtpClient {
    async fn send<F>(&self, mail: &OutboundMail, committing: F) -> Result<(), SendError>
    where
        F: Future<Output = Result<(), String>>,
    {
        let envelope = envelope(mail)?;
        // lettre ends DATA with CRLF "." CRLF after the bytes it is given; without the mail's own final
        // CRLF the server stores exactly `mail.raw`.
        let data = mail.raw.strip_suffix(b"\r\n").unwrap_or(&mail.raw);
        let mut connection = match self.reusable_connection().await {
            Some(connection) => connection,
            None => self.connect().await?,
        };
        let no_answer = |phase: &str| {
            format!(
                "{}: no answer within {:?} while {phase} mail {}",
                self.server, self.timeout, mail.message_id
            )
        };
        // Everything up to "354": a failure here means the server has not taken the mail.
        match tokio::time::timeout(self.timeout, self.open_transaction(&mut connection, &envelope, data))
            .await
        {
            Ok(result) => result?,
            Err(_) => return Err(SendError::Transient(no_answer("starting"))),
        }
        committing.await.map_err(SendError::Transient)?;
        match tokio::time::timeout(self.timeout, connection.message(data)).await {
            Ok(Ok(_)) => {
                tracing::debug!(message_id = %mail.message_id, server = %self.server, "mail accepted");
                self.park(connection);
                Ok(())
            }
            // The server answered: it did not take the mail, and says whether it ever will.
            Ok(Err(error)) if error.status().is_some() => Err(classify(&error, &self.server)),
            Ok(Err(error)) => Err(SendError::Uncertain(format!("{}: {error}", self.server))),
            Err(_) => Err(SendError::Uncertain(no_answer("finishing"))),
        }
    }

    /// MAIL FROM (with SMTPUTF8/8BITMIME as the envelope and content need), RCPT TO for each recipient,
    /// and DATA, as lettre's own `send` does, stopping at the server's "354 go ahead".
    async fn open_transaction(
        &self,
        connection: &mut AsyncSmtpConnection,
        envelope: &Envelope,
        data: &[u8],
    ) -> Result<(), SendError> {
        use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
        use lettre::transport::smtp::extension::{Extension, MailBodyParameter, MailParameter};

        let server = connection.server_info();
        let mut options = Vec::new();
        let addresses_ascii = envelope
            .from()
            .into_iter()
            .chain(envelope.to())
            .all(|a: &lettre::Address| AsRef::<str>::as_ref(a).is_ascii());
        if !addresses_ascii {
            if !server.supports_feature(Extension::SmtpUtfEight) {
                return Err(SendError::Permanent(format!(
                    "{}: the envelope has non-ASCII addresses and the server does not offer SMTPUTF8",
                    self.server
                )));
            }
            options.push(MailParameter::SmtpUtfEight);
        }
        if !data.is_ascii() {
            if !server.supports_feature(Extension::EightBitMime) {
                return Err(SendError::Permanent(format!(
                    "{}: the message is 8-bit and the server does not offer 8BITMIME",
                    self.server
                )));
            }
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let result = async {
            connection.command(Mail::new(envelope.from().cloned(), options)).await?;
            for to in envelope.to() {
                connection.command(Rcpt::new(to.clone(), Vec::new())).await?;
            }
            connection.command(Data).await
        }
        .await;
        match result {
            Ok(_) => Ok(()),
            Err(error) => {
                connection.abort().await;
                Err(classify(&error, &self.server))
            }
        }
    }

    /// Opens and prepares a connection: TLS as [`Security`] demands, EHLO, AUTH when configured.
    ///
    /// clerk opens the TCP connection (and implicit TLS) itself and hands lettre the stream, so that
    /// TCP_NODELAY is set: lettre writes a mail's final dot as a small write of its own, which Nagle's
    /// algorithm would otherwise hold back until the server's delayed ACK (up to 40 ms per mail).
    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let endpoint = &self.endpoint;
        let io_failure = |e: std::io::Error| SendError::Transient(format!("{}: {e}", self.server));
        let connecting = async {
            let tcp = tokio::net::TcpStream::connect((endpoint.host.as_str(), endpoint.port))
                .await
                .map_err(io_failure)?;
            tcp.set_nodelay(true).ok();
            let stream = match endpoint.security {
                Security::ImplicitTls => MailStream::Tls(Box::new(
                    tls::handshake(self.rustls.clone(), &endpoint.host, tcp).await.map_err(io_failure)?,
                )),
                _ => MailStream::Plain(tcp),
            };
            let lettre_failure = |e: lettre::transport::smtp::Error| classify(&e, &self.server);
            let mut connection =
                AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello_name)
                    .await
                    .map_err(lettre_failure)?;
            let upgrade = match endpoint.security {
                Security::ImplicitTls => false,
                // lettre refuses when the server does not offer STARTTLS, before any mail or password.
                Security::StartTls => true,
                Security::StartTlsIfOffered => connection.can_starttls(),
            };
            if upgrade {
                connection.starttls(self.tls.clone(), &self.hello_name).await.map_err(lettre_failure)?;
            }
            match &self.login {
                None => {}
                Some(SmtpLogin::Password { user, password }) => {
                    let credentials = Credentials::new(user.clone(), password.expose().to_owned());
                    connection.auth(&MECHANISMS, &credentials).await.map_err(lettre_failure)?;
                }
                Some(SmtpLogin::OAuth2 { user, tokens }) => {
                    if !connection.server_info().supports_auth_mechanism(Mechanism::Xoauth2) {
                        return Err(SendError::Transient(format!(
                            "{}: the server does not offer AUTH XOAUTH2, so [oauth2.{}] cannot sign in",
                            self.server,
                            tokens.provider().name
                        )));
                    }
                    let token =
                        tokens.access_token().await.map_err(|e| SendError::Transient(e.to_string()))?;
                    let credentials = Credentials::new(user.clone(), token.expose().to_owned());
                    if let Err(e) = connection.auth(&[Mechanism::Xoauth2], &credentials).await {
                        tokens.forget(&token).await;
                        // A refused token comes back as an error challenge lettre cannot answer.
                        let reason = if e.is_client() {
                            "the access token was refused".to_string()
                        } else {
                            e.to_string()
                        };
                        return Err(SendError::Transient(format!(
                            "{}: XOAUTH2 as {user}: {reason}",
                            self.server
                        )));
                    }
                }
            }
            Ok(connection)
        };
        match tokio::time::timeout(self.timeout, connecting).await {
            Ok(result) => result,
            Err(_) => Err(SendError::Transient(format!(
                "{}: no answer within {:?} while connecting",
                self.server, self.timeout
            ))),
        }
    }

    /// The connection kept from the previous mail, if it is recent and still answers NOOP.
    async fn reusable_connection(&self) -> Option<AsyncSmtpConnection> {
        let (mut connection, parked_at) = self.idle.lock().ok()?.take()?;
        if parked_at.elapsed() > MAX_IDLE {
            return None;
        }
        match tokio::time::timeout(self.timeout, connection.test_connected()).await {
            Ok(true) => Some(connection),
            _ => None,
        }
    }

    /// Keeps a connection that just completed a mail for the next one; when one is already kept (two
    /// sends ran at once) this one is dropped, which closes it.
    fn park(&self, connection: AsyncSmtpConnection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.is_none()
        {
            *idle = Some((connection, Instant::now()));
        }
    }
}

impl DirectoryTransport {
    async fn send(&self, mail: &OutboundMail) -> Result<(), SendError> {
        let dir = self.dir.clone();
        let mail = mail.clone();
        tokio::task::spawn_blocking(move || deliver_to_directory(&dir, &mail))
            .await
            .map_err(|e| SendError::Transient(format!("writing the mail was interrupted: {e}")))?
    }
}

/// Reads scheme, host and port and decides the connection security (see [`Security`]).
fn endpoint(url: &Url) -> Result<Endpoint, TransportError> {
    let invalid = |reason: &str| TransportError::InvalidUrl { url: redacted(url), reason: reason.to_owned() };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials do not belong in the URL; set the SMTP user and password instead"));
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("only scheme, host and port are used; remove the path, query or fragment"));
    }
    // `smtp` is not a "special" scheme to the URL standard, so an IPv4 literal arrives as a domain.
    let (host, loopback) = match url.host() {
        None => return Err(invalid("the URL names no host")),
        Some(Host::Ipv6(ip)) => (ip.to_string(), is_loopback(IpAddr::V6(ip))),
        Some(Host::Ipv4(ip)) => (ip.to_string(), ip.is_loopback()),
        Some(Host::Domain(name)) => match name.parse::<IpAddr>() {
            Ok(ip) => (ip.to_string(), is_loopback(ip)),
            Err(_) if name.is_empty() => return Err(invalid("the URL names no host")),
            Err(_) => (name.to_owned(), name.eq_ignore_ascii_case("localhost")),
        },
    };
    let (security, default_port) = match url.scheme() {
        "smtps" => (Security::ImplicitTls, SMTPS_PORT),
        "smtp" if loopback => (Security::StartTlsIfOffered, SUBMISSION_PORT),
        "smtp" => (Security::StartTls, SUBMISSION_PORT),
        _ => {
            return Err(invalid("the scheme must be smtps:// (implicit TLS) or smtp:// (STARTTLS)"));
        }
    };
    Ok(Endpoint { host, port: url.port().unwrap_or(default_port), security })
}

/// 127.0.0.0/8, ::1 and IPv4-mapped loopback. Names other than `localhost` are not resolved: what a
/// name points to can change, what the settings say cannot.
fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
    }
}

/// The URL for messages and logs, with any password masked.
fn redacted(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        // Only fails for URLs that cannot have a password, which this one has.
        let _ = shown.set_password(Some("***"));
    }
    shown.to_string()
}

/// TLS parameters that verify the server's certificate for `host`: against the webpki roots, or only
/// against the CA file when one is configured (a private CA must not widen trust to the public ones
/// silently, nor the reverse).
fn tls_parameters(host: &str, ca_file: Option<&Path>) -> Result<TlsParameters, TransportError> {
    let builder = TlsParameters::builder(host.to_owned());
    let builder = match ca_file {
        None => builder.certificate_store(CertificateStore::WebpkiRoots),
        Some(path) => {
            builder.certificate_store(CertificateStore::None).add_root_certificate(ca_certificate(path)?)
        }
    };
    builder.build().map_err(|e| TransportError::Tls { server: host.to_owned(), reason: e.to_string() })
}

fn ca_certificate(path: &Path) -> Result<Certificate, TransportError> {
    let ca_error = |reason: String| TransportError::CaFile { path: path.to_owned(), reason };
    let pem = fs::read(path).map_err(|e| ca_error(e.to_string()))?;
    // lettre accepts a file without certificates and would then trust nothing; say so now instead of
    // failing every handshake later.
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ca_error(format!("not a PEM file: {e}")))?;
    if certificates.is_empty() {
        return Err(ca_error("contains no PEM certificate".into()));
    }
    Certificate::from_pem(&pem).map_err(|e| ca_error(e.to_string()))
}

/// The EHLO name: a domain name or an IP address literal. Anything else could smuggle SMTP syntax.
fn client_id(name: &str) -> Result<ClientId, TransportError> {
    if let Ok(ip) = name.parse::<IpAddr>() {
        return Ok(match ip {
            IpAddr::V4(v4) => ClientId::Ipv4(v4),
            IpAddr::V6(v6) => ClientId::Ipv6(v6),
        });
    }
    let is_domain = name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if is_domain {
        Ok(ClientId::Domain(name.to_owned()))
    } else {
        Err(TransportError::Settings(format!("hello_name {name:?} is not a domain name or IP address")))
    }
}

/// The SMTP envelope of a mail. An address lettre cannot send to never becomes sendable: permanent.
fn envelope(mail: &OutboundMail) -> Result<Envelope, SendError> {
    let parse = |role: &str, address: &str| {
        address.parse::<lettre::Address>().map_err(|e| {
            SendError::Permanent(format!(
                "mail {}: {role} {address:?} is not a valid address: {e}",
                mail.message_id
            ))
        })
    };
    let from = mail.envelope_from.as_deref().map(|address| parse("envelope sender", address)).transpose()?;
    let to =
        mail.recipients.iter().map(|address| parse("recipient", address)).collect::<Result<Vec<_>, _>>()?;
    Envelope::new(from, to).map_err(|e| SendError::Permanent(format!("mail {}: {e}", mail.message_id)))
}

/// Sorts a lettre error into retry-later or give-up.
///
/// SMTP replies decide by their first digit, except the login/security refusals in
/// [`SETTINGS_REFUSALS`]. Errors without a reply (connection refused, timeout, TLS, broken connection,
/// missing STARTTLS) are transient. The exception is lettre refusing to send a mail that needs
/// SMTPUTF8 or 8BITMIME to a server without them: that mail will never go through this server. lettre
/// reports that only as a client error with text, so the text is matched.
fn classify(error: &lettre::transport::smtp::Error, server: &str) -> SendError {
    let text = format!("{server}: {error}");
    match error.status().map(u16::from) {
        Some(code) if SETTINGS_REFUSALS.contains(&code) => SendError::Transient(format!(
            "{text} (the server refused clerk's login or connection security; check the SMTP settings)"
        )),
        Some(_) if error.is_permanent() => SendError::Permanent(text),
        Some(_) => SendError::Transient(text),
        None if error.is_client() && (text.contains("8BITMIME") || text.contains("SMTPUTF8")) => {
            SendError::Permanent(text)
        }
        None => SendError::Transient(text),
    }
}

/// See [`DirectoryTransport`] for the file layout and the ordering guarantees.
fn deliver_to_directory(dir: &Path, mail: &OutboundMail) -> Result<(), SendError> {
    let failed =
        |path: &Path, e: io::Error| SendError::Transient(format!("writing {} failed: {e}", path.display()));
    fs::create_dir_all(dir).map_err(|e| failed(dir, e))?;
    let stem = file_stem(&mail.message_id);
    let eml_name = format!("{stem}.eml");
    let eml_path = dir.join(&eml_name);
    if eml_path.try_exists().map_err(|e| failed(&eml_path, e))? {
        return Ok(());
    }

    let envelope_name = format!("{stem}.envelope.json");
    let mut envelope = serde_json::to_vec_pretty(&serde_json::json!({
        "mail_from": mail.envelope_from,
        "rcpt_to": mail.recipients,
    }))
    .map_err(|e| failed(&dir.join(&envelope_name), e.into()))?;
    envelope.push(b'\n');
    write_atomically(dir, &envelope_name, &envelope, durable::SHARED)
        .and_then(|()| sync_dir(dir))
        .map_err(|e| failed(&dir.join(&envelope_name), e))?;
    write_atomically(dir, &eml_name, &mail.raw, durable::SHARED)
        .and_then(|()| sync_dir(dir))
        .map_err(|e| failed(&eml_path, e))
}

/// A file name for a Message-ID: the id itself when it is made of safe characters, otherwise the id with
/// unsafe characters replaced plus a hash of the real id, so two different ids never share a file and
/// no id can name a path outside the directory or a hidden file.
fn file_stem(message_id: &str) -> String {
    let safe: String = message_id
        .chars()
        .enumerate()
        .map(|(at, c)| {
            let allowed =
                c.is_ascii_alphanumeric() || matches!(c, '@' | '-' | '_' | '+' | '=') || (c == '.' && at > 0);
            if allowed { c } else { '_' }
        })
        .collect();
    if safe == message_id && !safe.is_empty() && safe.len() <= MAX_FILE_STEM {
        return safe;
    }
    let hash = crate::digest::sha256_hex_prefix(message_id.as_bytes(), 8);
    let kept = safe.get(..MAX_FILE_STEM.min(safe.len())).unwrap_or_default();
    format!("{kept}-{hash}")
}

#[cfg(test)]
mod tests;
