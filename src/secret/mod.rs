//! Secrets (passwords) read from a file or the environment, never printed; and the warning, as ssh
//! gives it, about a file holding one that others can read. A secret can also be an OAuth2 sign-in
//! ([`oauth`]), whose tokens are kept fresh for the connection that needs one.

pub mod oauth;

use std::fmt;
use std::path::{Path, PathBuf};

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
    OAuth2(std::sync::Arc<crate::secret::oauth::TokenSource>),
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

/// A file holding a secret that users other than its owner and group can read or change. A group may
/// read it (`0640 root:clerk` is how a service is commonly handed a secret); the rest of the world may
/// not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenSecretFile {
    /// What the file is, as the configuration names it (`[smtp] password_file`).
    pub what: String,
    pub path: PathBuf,
    /// Its permission bits (`0o644`).
    pub mode: u32,
}

impl fmt::Display for OpenSecretFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let others = match (self.mode & 0o004 != 0, self.mode & 0o002 != 0) {
            (true, true) => "others can read and change it",
            (true, false) => "others can read it",
            _ => "others can change it",
        };
        write!(
            f,
            "{} {path} holds a secret and {others} (mode {:04o}); restrict it: chmod 600 {path}, or chmod \
             o-rwx {path} if clerk reads it through its group",
            self.what,
            self.mode & 0o7777,
            path = self.path.display(),
        )
    }
}

/// `path` (holding the secret `what`) when users other than its owner and group can read or change
/// it; `None` when they cannot, or when it cannot be looked at (a missing file is reported elsewhere).
pub fn open_to_others(what: &str, path: &Path) -> Option<OpenSecretFile> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        (mode & 0o006 != 0).then(|| OpenSecretFile { what: what.to_owned(), path: path.to_path_buf(), mode })
    }
    #[cfg(not(unix))]
    {
        let _ = (what, path);
        None
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

    #[cfg(unix)]
    fn file_with_mode(name: &str, mode: u32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!("clerk-secret-{}-{name}", std::process::id()));
        std::fs::write(&path, "hunter2\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    #[test]
    #[cfg(unix)]
    fn a_secret_file_others_can_read_is_named_with_its_mode_and_the_fix() {
        let path = file_with_mode("world", 0o644);
        let open = open_to_others("[smtp] password_file", &path);
        std::fs::remove_file(&path).unwrap();
        let shown = path.display();
        assert_eq!(
            open.map(|o| o.to_string()).as_deref(),
            Some(
                format!(
                    "[smtp] password_file {shown} holds a secret and others can read it (mode 0644); \
                     restrict it: chmod 600 {shown}, or chmod o-rwx {shown} if clerk reads it through \
                     its group"
                )
                .as_str()
            )
        );
    }

    #[test]
    #[cfg(unix)]
    fn a_secret_file_others_can_change_is_named_too() {
        let path = file_with_mode("writable", 0o602);
        let open = open_to_others("password_file", &path);
        std::fs::remove_file(&path).unwrap();
        assert!(open.is_some_and(|o| o.to_string().contains("others can change it (mode 0602)")));
    }

    #[test]
    #[cfg(unix)]
    fn a_secret_file_for_its_owner_or_its_group_is_fine() {
        for mode in [0o600, 0o400, 0o640] {
            let path = file_with_mode(&format!("{mode:o}"), mode);
            let open = open_to_others("password_file", &path);
            std::fs::remove_file(&path).unwrap();
            assert_eq!(open, None, "mode {mode:o}");
        }
    }

    #[test]
    fn a_missing_variable_is_named_in_the_error() {
        let err = SecretSource::Env("CLERK_TEST_NO_SUCH_VAR".into()).read().unwrap_err();
        assert!(err.to_string().contains("CLERK_TEST_NO_SUCH_VAR"));
    }
}
