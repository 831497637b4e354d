//! Secrets (passwords) read from a file or the environment, never printed.

use std::fmt;
use std::path::PathBuf;

/// A password or token. Its `Debug` and `Display` print `***`, so a secret cannot reach a log line or
/// an error message by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send it to a server.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Where a secret comes from: configuration names the source, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// A file holding the secret (trailing newline ignored); it should be readable by clerk only.
    File(PathBuf),
    /// An environment variable (systemd's `LoadCredential`/`Environment`, a container's env).
    Env(String),
}

/// How clerk proves who it is to a mail server.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A password, sent with SASL PLAIN (or LOGIN) over TLS.
    Password(SecretSource),
    /// An OAuth2 access token from this provider, sent with SASL XOAUTH2.
    OAuth2(std::sync::Arc<crate::oauth::TokenSource>),
}

/// Why a secret could not be read; names the source, never the content.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read {path}: {source}")]
    File { path: String, source: std::io::Error },
    #[error("the environment variable {0} is not set")]
    Env(String),
    #[error("{0} is empty")]
    Empty(String),
}

impl SecretSource {
    /// Reads the secret now.
    pub fn read(&self) -> Result<Secret, SecretError> {
        let (value, origin) = match self {
            SecretSource::File(path) => (
                std::fs::read_to_string(path)
                    .map_err(|source| SecretError::File { path: path.display().to_string(), source })?,
                path.display().to_string(),
            ),
            SecretSource::Env(name) => {
                (std::env::var(name).map_err(|_| SecretError::Env(name.clone()))?, format!("${name}"))
            }
        };
        let value = value.trim_end_matches(['\r', '\n']);
        if value.is_empty() {
            return Err(SecretError::Empty(origin));
        }
        Ok(Secret::new(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_itself() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret} {secret:?}"), "*** ***");
    }

    #[test]
    fn a_password_file_loses_its_trailing_newline() {
        let path = std::env::temp_dir().join(format!("clerk-secret-{}", std::process::id()));
        std::fs::write(&path, "hunter2\n").unwrap();
        let secret = SecretSource::File(path.clone()).read().unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn a_missing_variable_is_named_in_the_error() {
        let err = SecretSource::Env("CLERK_TEST_NO_SUCH_VAR".into()).read().unwrap_err();
        assert!(err.to_string().contains("CLERK_TEST_NO_SUCH_VAR"));
    }
}
