//! SMTP submission through lettre: one mail per transaction with its point of no return, every step
//! under the configured timeout, and the connection reused only when it just completed a mail, so a
//! stuck or failing server can neither block the outbox nor mix two mails.
//!
//! SMTP goes through lettre's connection type with clerk's own one-connection reuse rather than lettre's
//! `AsyncSmtpTransport` pool, for two reasons found in lettre 0.11's source: its async client applies the
//! timeout only to the TCP connect (a server that stops answering hangs a send forever), and a pooled send
//! that is cancelled — the only way to impose a deadline from outside — returns its connection to the
//! pool mid-transaction, where the next mail's commands would become the previous mail's body. Here every
//! step runs under the configured timeout, and a connection that failed or timed out is dropped (closing
//! the socket, so the server discards any half-sent mail); only a connection that just completed a mail
//! is kept for the next one.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use super::failure::classify;
use super::security::{Endpoint, Security, endpoint, tls_parameters};
use super::smtp_settings::{client_id, redacted};
use super::{SendError, SmtpLogin, SmtpSettings, TransportError};
use crate::mail::compose::OutboundMail;
use crate::mail::tls::{self, MailStream};

/// How long a connection may sit unused and still be reused. Servers drop idle clients after a minute or
/// more; past this it is cheaper to connect afresh than to discover a dead connection.
const MAX_IDLE: Duration = Duration::from_secs(30);

/// A configured SMTP submission client. Build it with [`Transport::smtp`](super::Transport::smtp).
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

impl SmtpTransport {
    /// Checks `settings` and builds the client; see [`Transport::smtp`](super::Transport::smtp).
    pub(super) fn new(settings: &SmtpSettings) -> Result<SmtpTransport, TransportError> {
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
        Ok(SmtpTransport {
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
        })
    }

    /// Sends one mail; see [`Transport::send`](super::Transport::send).
    pub(super) async fn send<F>(&self, mail: &OutboundMail, committing: F) -> Result<(), SendError>
    where
        F: Future<Output = Result<(), String>>,
    {
        self.inner.send(mail, committing).await
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
            if let Some(login) = &self.login {
                login.sign_in(&mut connection, &self.server).await?;
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
