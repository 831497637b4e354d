//! Configuration errors, each naming the file, line and column it is about, so whoever edits clerk.toml
//! is sent straight to what to fix.

use std::path::{Path, PathBuf};

use super::DEFAULT_LOCATIONS;
use crate::toml_doc::Diagnostic;

/// A configuration error, located in its file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no configuration file: tried {}; pass --config FILE", DEFAULT_LOCATIONS.join(", "))]
    NotFound,
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Located>),
}

impl ConfigError {
    /// The problems found, in the order of the file, so that they read top to bottom.
    pub(super) fn invalid(mut found: Vec<Located>) -> ConfigError {
        found.sort_by_key(|located| (located.line, located.col));
        ConfigError::Invalid(found)
    }
}

/// One problem at a place in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file.display(), self.line, self.col, self.message)
    }
}

impl From<Diagnostic> for Located {
    fn from(diagnostic: Diagnostic) -> Located {
        let Diagnostic { file, line, col, message } = diagnostic;
        Located { file, line, col, message }
    }
}

/// A problem at a byte range of the config text, turned into a [`Located`] by [`locate`].
pub(super) type Problem = (std::ops::Range<usize>, String);

/// Turns a byte offset into `file:line:col`.
pub(super) fn locate(file: &Path, text: &str, offset: usize, message: String) -> Located {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    Located { file: file.to_path_buf(), line, col, message }
}
