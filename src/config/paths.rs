//! `[database]` and `[rules]`: where clerk keeps its database and finds its rule files, both taken
//! relative to the config file's directory so a config and its rules can move together.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::Files;
use super::errors::Problem;

#[derive(Deserialize, Default)]
pub(super) struct RawDatabase {
    path: Option<Spanned<PathBuf>>,
}

#[derive(Deserialize, Default)]
pub(super) struct RawRules {
    dir: Option<Spanned<PathBuf>>,
}

/// `[database] path` under `base`; `clerk.db` beside the config when not set. Its folder must exist
/// (checked when asked): a folder clerk made itself from a mistyped path would hold an empty database
/// that nobody looks at, so a missing one is a problem at the key.
pub(super) fn database(raw: &RawDatabase, base: &Path, files: Files, problems: &mut Vec<Problem>) -> PathBuf {
    let Some(path) = &raw.path else { return base.join("clerk.db") };
    let database = base.join(path.get_ref());
    let folder = database.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(base);
    if files == Files::Check && !folder.is_dir() {
        problems.push((
            path.span(),
            format!(
                "`path`: {} is in a folder that does not exist ({}); create the folder (clerk does not make \
                 the folders it is given)",
                database.display(),
                folder.display()
            ),
        ));
    }
    database
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
