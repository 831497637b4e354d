//! A throwaway self-signed TLS certificate for `localhost` and `127.0.0.1`, made with the `openssl` CLI, for the
//! servers' TLS listeners. A client trusts exactly this certificate (its PEM as the only root).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Paths of a certificate and its private key, both PEM.
#[derive(Clone, Debug)]
pub struct Cert {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Writes `cert.pem` and `key.pem` into `dir`.
///
/// `basicConstraints=critical,CA:FALSE` matters: rustls/webpki refuses a trusted self-signed certificate that
/// says `CA:TRUE` (openssl's default for `req -x509`) with `CaUsedAsEndEntity`. The subjectAltName entries are
/// what clients check the host name against (the CN is ignored by modern clients). P-256 keys are made
/// instantly, unlike RSA.
pub fn self_signed_cert(dir: &Path) -> Cert {
    let cert = Cert { cert: dir.join("cert.pem"), key: dir.join("key.pem") };
    let output = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"])
        .arg("-keyout")
        .arg(&cert.key)
        .arg("-out")
        .arg(&cert.cert)
        .args(["-days", "30", "-subj", "/CN=localhost"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .args(["-addext", "keyUsage=critical,digitalSignature"])
        .args(["-addext", "extendedKeyUsage=serverAuth"])
        .output()
        .unwrap_or_else(|e| panic!("running the openssl CLI (apt-get install openssl): {e}"));
    assert!(
        output.status.success(),
        "openssl could not make a test certificate: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    cert
}
