//! `[database]` and `[rules]`: where clerk keeps its database and finds its rule files, both taken
//! relative to the config file's directory so a config and its rules can move together.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::Files;
use super::errors::Problem;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDatabase {
    path: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRules {
    dir: Option<Spanned<PathBuf>>,
}

/// `[database] path` under `base`; `clerk.db` beside the config when not set.
pub(super) fn database(raw: &RawDatabase, base: &Path) -> PathBuf {
    base.join(raw.path.as_deref().unwrap_or(Path::new("clerk.db")))
}

/// `[rules] dir` under `base`, `rules` beside the config when not set; checked (when asked) to be a
/// directory, a problem at the key (or the file's start, for the default) otherwise.
pub(super) fn rules_dir(raw: &RawRules, base: &Path, files: Files, problems: &mut Vec<Problem>) -> PathBuf {
    let rules_dir = base.join(raw.dir.as_ref().map_or(Path::new("rules"), |d| d.get_ref()));
    if files == Files::Check && !rules_dir.is_dir() {
        let message = format!("no rules directory at {}", rules_dir.display());
        problems.push(match &raw.dir {
            Some(dir) => (dir.span(), format!("`dir`: {message}")),
            None => (0..0, format!("{message} (the default, beside this file; set [rules] dir)")),
        });
    }
    rules_dir
}
