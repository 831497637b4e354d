//! TLS for mail connections: rustls client settings (the public web PKI roots, or only the
//! certificate(s) in a `ca_file` when an office runs its own CA or a self-signed server), the handshake,
//! and the byte stream IMAP and SMTP sessions run over.

use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

/// Why TLS settings could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read the CA file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the CA file {0} holds no PEM certificate")]
    NoCertificate(String),
    #[error("the CA file {path} holds a certificate rustls refuses: {source}")]
    BadCertificate { path: String, source: rustls::Error },
    #[error("TLS setup failed: {0}")]
    Setup(#[from] rustls::Error),
}

/// A client config that verifies server certificates against `ca_file` if given, else the web PKI.
pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, TlsError> {
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Some(path) => {
            for cert in read_certificates(path)? {
                roots.add(cert).map_err(|source| TlsError::BadCertificate {
                    path: path.display().to_string(),
                    source,
                })?;
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Every certificate in a PEM file.
pub fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let describe = || path.display().to_string();
    let pem = std::fs::read(path).map_err(|source| TlsError::Read { path: describe(), source })?;
    let certs: Vec<_> = rustls_pemfile::certs(&mut pem.as_slice())
        .collect::<Result<_, _>>()
        .map_err(|source| TlsError::Read { path: describe(), source })?;
    if certs.is_empty() {
        return Err(TlsError::NoCertificate(describe()));
    }
    Ok(certs)
}

/// Runs the TLS handshake on `tcp`, verifying the server as `host`.
pub async fn handshake(
    config: Arc<rustls::ClientConfig>,
    host: &str,
    tcp: TcpStream,
) -> std::io::Result<TlsStream<TcpStream>> {
    let name = ServerName::try_from(host.to_string()).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("`{host}` is not a valid server name: {e}"),
        )
    })?;
    TlsConnector::from(config).connect(name, tcp).await
}

/// The byte stream under a mail session: plain TCP (loopback only, or before STARTTLS) or TLS.
#[derive(Debug)]
pub enum MailStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl MailStream {
    fn tcp(&self) -> &TcpStream {
        match self {
            MailStream::Plain(s) => s,
            MailStream::Tls(s) => s.get_ref().0,
        }
    }
}

// lettre speaks SMTP over any stream of this kind; clerk hands it its own, so that TCP_NODELAY is set
// and the last small write of a mail (the final dot) is not held back waiting for an ACK.
impl lettre::transport::smtp::client::AsyncTokioStream for MailStream {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.tcp().peer_addr()
    }
}

impl AsyncRead for MailStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for MailStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_flush(cx),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
