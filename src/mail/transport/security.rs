//! How the connection to the SMTP server is secured: the endpoint and its security read from the URL, and
//! the certificates to trust, so that no setting sends a password or a mail unprotected across a network.
//!
//! Connection security is not negotiable: `smtps://` is implicit TLS and `smtp://` requires STARTTLS,
//! with certificates checked against the webpki roots or only against a configured CA file. The one
//! exception is a server on the loopback interface (a local relay, the test server), where STARTTLS is
//! used when offered and plain SMTP otherwise, because nothing crosses a network there.

use std::fs;
use std::net::IpAddr;
use std::path::Path;

use lettre::transport::smtp::client::{Certificate, CertificateStore, TlsParameters};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use url::{Host, Url};

use super::TransportError;
use super::smtp_settings::redacted;

/// Implicit TLS submission port (RFC 8314).
const SMTPS_PORT: u16 = 465;

/// Submission port with STARTTLS (RFC 6409).
const SUBMISSION_PORT: u16 = 587;

/// How the connection to an SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Security {
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
pub(super) struct Endpoint {
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) security: Security,
}

/// Reads scheme, host and port and decides the connection security (see [`Security`]).
pub(super) fn endpoint(url: &Url) -> Result<Endpoint, TransportError> {
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

/// TLS parameters that verify the server's certificate for `host`: against the webpki roots, or only
/// against the CA file when one is configured (a private CA must not widen trust to the public ones
/// silently, nor the reverse).
pub(super) fn tls_parameters(host: &str, ca_file: Option<&Path>) -> Result<TlsParameters, TransportError> {
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
