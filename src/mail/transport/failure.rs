//! What can go wrong: a transport that cannot be set up, reported at startup, and a mail that did not
//! go, sorted into retry-later, give-up or outcome-unknown, because the outbox's retries depend on it.

use std::io;
use std::path::PathBuf;

/// SMTP reply codes that refuse clerk's login or connection security rather than the mail: 530
/// (authentication or STARTTLS required), 534 (mechanism too weak), 535 (bad credentials), 538
/// (encryption required). They are 5xx, but the mail itself is fine and goes out once the settings are
/// fixed, so they are reported as transient.
const SETTINGS_REFUSALS: [u16; 4] = [530, 534, 535, 538];

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

/// Sorts a lettre error into retry-later or give-up.
///
/// SMTP replies decide by their first digit, except the login/security refusals in
/// [`SETTINGS_REFUSALS`]. Errors without a reply (connection refused, timeout, TLS, broken connection,
/// missing STARTTLS) are transient. The exception is lettre refusing to send a mail that needs
/// SMTPUTF8 or 8BITMIME to a server without them: that mail will never go through this server. lettre
/// reports that only as a client error with text, so the text is matched.
pub(super) fn classify(error: &lettre::transport::smtp::Error, server: &str) -> SendError {
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
