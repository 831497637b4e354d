//! Server URLs (`imaps://`, `smtp://`, …): the host and port to reach, and how the connection is
//! protected — TLS always, except on loopback where the traffic never leaves the machine.

use std::net::IpAddr;

/// How a connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (`imaps://`, `smtps://`).
    Tls,
    /// STARTTLS, refused to proceed without it (`imap://`, `smtp://` to a remote host).
    StartTls,
    /// STARTTLS if the server offers it, else plain: only ever chosen for loopback hosts.
    LoopbackPlain,
}

/// Splits `scheme://host[:port]` and decides the connection security: the TLS scheme always uses TLS,
/// the plain scheme requires STARTTLS unless the host is loopback.
pub(super) fn server(
    url: &str,
    tls_scheme: &str,
    tls_port: u16,
    plain_scheme: &str,
    plain_port: u16,
) -> Result<(String, u16, Security), String> {
    let expected = format!("expected {tls_scheme}://host[:port] or {plain_scheme}://host[:port]");
    let parsed = url::Url::parse(url).map_err(|e| format!("`{url}` is not a URL ({e}); {expected}"))?;
    let host = parsed
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| format!("`{url}` has no host; {expected}"))?
        .trim_matches(['[', ']'])
        .to_string();
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(
            "put the user in `user` and the password in `password_file` or `password_env`, not in the URL"
                .into(),
        );
    }
    if parsed.path() != "" && parsed.path() != "/" {
        return Err(format!("`{url}` has a path; {expected}"));
    }
    let (default_port, security) = match parsed.scheme() {
        s if s == tls_scheme => (tls_port, Security::Tls),
        s if s == plain_scheme && is_loopback(&host) => (plain_port, Security::LoopbackPlain),
        s if s == plain_scheme => (plain_port, Security::StartTls),
        other => return Err(format!("unsupported scheme `{other}`; {expected}")),
    };
    Ok((host, parsed.port().unwrap_or(default_port), security))
}

/// Loopback is the one place clerk talks without TLS: the traffic never leaves the machine.
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
