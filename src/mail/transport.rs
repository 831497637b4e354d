//! Delivering one composed mail: over SMTP submission (lettre), or as `.eml` files in a directory when
//! clerk runs embedded without a mail server.
//!
//! This module sends a mail once and says whether a failure is worth retrying ([`SendError`]); the outbox
//! in the store owns the queue, the retries and the backoff, and calls [`Transport::send`].
//!
//! The jobs live in submodules: `smtp` (submission through lettre, connection reuse), `security` (TLS
//! and STARTTLS rules, certificates), `smtp_settings` and `smtp_login` (the configured server and how
//! clerk signs in), `eml_dir` (the directory of `.eml` files) and `failure` (what failed, and whether a
//! retry can help).

use std::path::PathBuf;

use crate::mail::compose::OutboundMail;

mod eml_dir;
mod failure;
mod security;
mod smtp;
mod smtp_login;
mod smtp_settings;
pub use eml_dir::DirectoryTransport;
pub use failure::{SendError, TransportError};
pub use smtp::SmtpTransport;
pub use smtp_login::SmtpLogin;
pub use smtp_settings::SmtpSettings;

/// Where outbound mail leaves clerk. Cloning is cheap and shares the idle SMTP connection.
#[derive(Debug, Clone)]
pub enum Transport {
    /// SMTP submission.
    Smtp(SmtpTransport),
    /// Files in a directory: the embedded default, and what `clerk demo` shows its users.
    Directory(DirectoryTransport),
}

impl Transport {
    /// An SMTP transport. Nothing is contacted yet: a server that is down at startup only delays the
    /// first mail, while every settings mistake is reported here.
    pub fn smtp(settings: &SmtpSettings) -> Result<Transport, TransportError> {
        Ok(Transport::Smtp(SmtpTransport::new(settings)?))
    }

    /// A directory transport writing into `dir`, which is created if missing.
    pub fn directory(dir: impl Into<PathBuf>) -> Result<Transport, TransportError> {
        Ok(Transport::Directory(DirectoryTransport::create(dir.into())?))
    }

    /// Sends one mail: envelope from [`OutboundMail::envelope_from`] and `recipients`, the bytes exactly as
    /// composed. A 5xx to any recipient fails the whole mail (lettre ends the transaction), so the outbox
    /// never has to remember who already got a copy.
    ///
    /// `committing` runs at the point of no return: for SMTP, after the server has accepted the
    /// envelope and said "354 go ahead", just before the message content and its final dot, which is
    /// when the server may take the mail. A failure before it means the mail certainly did not go; after
    /// it, a crash leaves the outcome unknown (RFC 1047). If `committing` fails, nothing is sent.
    ///
    /// `kind` is what the outbox calls the mail (`reply`, `forward`, `notice`, `calendar`): the
    /// directory names its file by it, SMTP has no use for it.
    pub async fn send<F>(&self, kind: &str, mail: &OutboundMail, committing: F) -> Result<(), SendError>
    where
        F: Future<Output = Result<(), String>>,
    {
        match self {
            Transport::Smtp(smtp) => smtp.send(mail, committing).await,
            Transport::Directory(directory) => {
                committing.await.map_err(SendError::Transient)?;
                directory.send(kind, mail).await
            }
        }
    }

    /// Whether sending the same mail twice is harmless. True for the directory (one file per
    /// outbox row, named from it); false for SMTP, where a second copy reaches the recipient.
    pub fn is_idempotent(&self) -> bool {
        matches!(self, Transport::Directory(_))
    }
}

#[cfg(test)]
mod tests;
