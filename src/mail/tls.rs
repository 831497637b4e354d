//! TLS client settings for mail servers: rustls with the public web PKI roots, or only the
//! certificate(s) in a `ca_file` when an office runs its own CA or a self-signed server.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;

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
