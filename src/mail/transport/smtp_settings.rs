//! The SMTP settings as configured, and the checks on them that are not about connection security: the
//! EHLO name, and a URL shown without its password, so that a mistake is reported at startup and a
//! secret never reaches a log.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::extension::ClientId;
use url::Url;

use super::{SmtpLogin, TransportError};

/// How to reach an SMTP submission server.
#[derive(Clone)]
pub struct SmtpSettings {
    /// `smtps://host[:port]` (implicit TLS, default port 465) or `smtp://host[:port]` (STARTTLS, default
    /// port 587; 25 works when given). No credentials, path or query in the URL: they belong in
    /// `login`, where a password is a [`Secret`](crate::secret::Secret).
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

/// The URL for messages and logs, with any password masked.
pub(super) fn redacted(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        // Only fails for URLs that cannot have a password, which this one has.
        let _ = shown.set_password(Some("***"));
    }
    shown.to_string()
}

/// The EHLO name: a domain name or an IP address literal. Anything else could smuggle SMTP syntax.
pub(super) fn client_id(name: &str) -> Result<ClientId, TransportError> {
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
