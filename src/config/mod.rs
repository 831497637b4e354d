//! `clerk.toml`: where clerk reads mail, where it sends it, where it keeps its database and rules.
//!
//! Deployment only: what clerk *does* lives in the rule files (see `rules`). Relative paths are taken
//! relative to the config file's directory, so a config and its rules can move together. Every error
//! names the file, line and column, and secrets are referenced (file or environment variable), never
//! written here.

mod delivery;
mod errors;
mod feeds;
mod keys;
mod mailboxes;
mod monitoring;
mod oauth;
mod paths;
mod quantities;
mod secrets;
mod servers;
mod values;

pub use delivery::{Delivery, SmtpAccount};
pub use errors::{ConfigError, Located};
pub use feeds::FeedSettings;
pub use mailboxes::{
    Backfill, DEFAULT_TIME_BUDGET, ImapAccount, MAX_MESSAGE_SIZE_LIMIT, MailboxConfig, Source,
};
pub use servers::{Security, is_loopback};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::secret::oauth::TokenSource;
use errors::{Problem, locate};

/// The file names tried, in order, when no `--config` is given.
pub const DEFAULT_LOCATIONS: &[&str] = &["./clerk.toml", "/etc/clerk/clerk.toml"];

/// A loaded, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub file: PathBuf,
    pub database: PathBuf,
    pub rules_dir: PathBuf,
    pub mailboxes: Vec<MailboxConfig>,
    pub delivery: Delivery,
    /// `[log] level`: the daemon's log detail unless `--log` or `RUST_LOG` says otherwise.
    pub log_level: Option<String>,
    /// `[http] listen`: where the daemon serves `/metrics`; none when not set.
    pub http_listen: Option<std::net::SocketAddr>,
    /// `[feeds]`: how the calendars are published.
    pub feeds: FeedSettings,
    /// The `[oauth2.NAME]` providers by name, each shared with the accounts that sign in with it.
    pub oauth2: BTreeMap<String, Arc<TokenSource>>,
}

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    database: paths::RawDatabase,
    #[serde(default)]
    rules: paths::RawRules,
    #[serde(default)]
    mailbox: Vec<Spanned<mailboxes::RawMailbox>>,
    smtp: Option<Spanned<delivery::RawSmtp>>,
    outbox: Option<delivery::RawOutbox>,
    #[serde(default)]
    log: monitoring::RawLog,
    #[serde(default)]
    http: monitoring::RawHttp,
    #[serde(default)]
    feeds: feeds::RawFeeds,
    #[serde(default)]
    oauth2: BTreeMap<String, Spanned<oauth::RawOAuth2>>,
}

impl Config {
    /// Loads `explicit`, or the first of [`DEFAULT_LOCATIONS`] that exists.
    pub fn locate_and_load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        Config::load(&Config::locate(explicit)?)
    }

    /// `explicit`, or the first of [`DEFAULT_LOCATIONS`] that exists.
    pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, ConfigError> {
        match explicit {
            Some(path) => Ok(path.to_path_buf()),
            None => {
                DEFAULT_LOCATIONS.iter().map(PathBuf::from).find(|p| p.exists()).ok_or(ConfigError::NotFound)
            }
        }
    }

    /// Reads and validates one config file, including that the files it names (password files, CA
    /// files, the rules directory) can be read and the environment variables it names are set.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        Config::read(&text, path, Files::Check)
    }

    /// Validates config text as if read from `path` (which anchors relative paths and error messages),
    /// without looking at the files it names.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::read(text, path, Files::Trust)
    }

    fn read(text: &str, path: &Path, files: Files) -> Result<Config, ConfigError> {
        let base = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let at = |span: std::ops::Range<usize>, message: String| locate(path, text, span.start, message);
        // Every unknown key first, all of them: serde below ignores them and reads the rest.
        let mut found: Vec<Located> = keys::unknown_keys(path, text)
            .map_err(|syntax| {
                ConfigError::invalid(syntax.0.into_iter().map(|d| with_line(d, text)).collect())
            })?
            .into_iter()
            .map(Located::from)
            .collect();
        // Every value of the wrong type too, all of them, with the unknown keys.
        let read = values::read::<RawConfig>(text);
        found.extend(read.problems.into_iter().map(|(span, message)| at(span, message)));
        let Some(raw) = read.value else {
            return Err(ConfigError::invalid(found));
        };

        let mut problems = Vec::new();
        let database = paths::database(&raw.database, base, files, &mut problems);
        let providers = oauth::providers(&raw.oauth2, base, &database, files, &mut problems);
        let mailboxes = mailboxes::mailboxes(&raw.mailbox, base, files, &providers, &mut problems);
        let delivery = delivery::delivery(
            raw.smtp.as_ref(),
            raw.outbox.as_ref(),
            base,
            files,
            &providers,
            &mut problems,
        );
        for (name, message) in oauth::shared_sign_ins(&mailboxes, delivery.as_ref()) {
            let span = raw.oauth2.get(&name).map_or(0..0, Spanned::span);
            problems.push((span, message));
        }
        let rules_dir = paths::rules_dir(&raw.rules, base, files, &mut problems);
        let log_level = monitoring::log_level(raw.log, &mut problems);
        let http_listen = monitoring::http_listen(&raw.http, &mut problems);
        let feeds = feeds::settings(&raw.feeds, base, &mut problems);
        // A check of a table whose value was already reported as unreadable, naming that key ("needs
        // `user`"), would only repeat it.
        let repeats = |(span, message): &Problem| {
            read.taken
                .iter()
                .any(|(table, key)| table.contains(&span.start) && message.contains(&format!("`{key}`")))
        };
        problems.retain(|problem| !repeats(problem));
        found.extend(problems.into_iter().map(|(span, msg)| at(span, msg)));
        if !found.is_empty() {
            return Err(ConfigError::invalid(found));
        }
        Ok(Config {
            file: path.to_path_buf(),
            database,
            rules_dir,
            mailboxes,
            delivery: delivery.unwrap_or_else(|| Delivery::Directory(base.join("outbox"))),
            log_level,
            http_listen,
            feeds,
            oauth2: providers.into_iter().filter_map(|(name, p)| Some((name, p?))).collect(),
        })
    }
}

/// A syntax error with the line it is about, since the parser's message alone can be terse
/// ("duplicate key").
fn with_line(diagnostic: crate::toml_doc::Diagnostic, text: &str) -> Located {
    let mut located = Located::from(diagnostic);
    let line = text.lines().nth(located.line.saturating_sub(1)).unwrap_or_default().trim();
    if !line.is_empty() && !located.message.contains('`') {
        located.message = format!("{}: `{line}`", located.message);
    }
    located
}

/// Whether reading a config also checks the files and environment variables it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Files {
    Check,
    Trust,
}

/// `path` under `base`, checked (when asked) to be a file clerk can open: a problem at the key otherwise.
fn readable_file(path: &Spanned<PathBuf>, key: &str, base: &Path, files: Files) -> Result<PathBuf, Problem> {
    let full = base.join(path.get_ref());
    if files == Files::Check
        && let Err(e) = std::fs::File::open(&full)
    {
        return Err((path.span(), format!("`{key}`: cannot read {}: {e}", full.display())));
    }
    Ok(full)
}

#[cfg(test)]
mod tests;
