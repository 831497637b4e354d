//! `clerk.toml`: where clerk reads mail, where it sends it, where it keeps its database and rules.
//!
//! Deployment only: what clerk *does* lives in the rule files (see `rules`). Relative paths are taken
//! relative to the config file's directory, so a config and its rules can move together. Every error
//! names the file, line and column, and secrets are referenced (file or environment variable), never
//! written here.

mod feeds;
mod oauth;

pub use feeds::FeedSettings;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::secret::oauth::TokenSource;
use crate::secret::{Credential, SecretSource};
use crate::units::{DURATION_HINT, SIZE_HINT, parse_duration, parse_size};

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

/// The largest `max_message_size` an office may set: one message handled whole keeps the daemon within
/// its 512 MB budget up to this size (the `bigmail` benchmark measures about 260 MB for 49.5 MB).
pub const MAX_MESSAGE_SIZE_LIMIT: u64 = 50_000_000;

/// How long deciding one message may take when the mailbox does not say (`time_budget`): far above
/// the milliseconds an ordinary message takes, far below what would leave a folder waiting.
pub const DEFAULT_TIME_BUDGET: Duration = Duration::from_secs(10);

/// One watched account (IMAP) or local Maildir.
#[derive(Debug, Clone)]
pub struct MailboxConfig {
    /// Short name used in logs and the journal; unique.
    pub name: String,
    pub source: Source,
    pub folders: Vec<String>,
    /// Use IMAP IDLE when the server offers it (else poll).
    pub idle: bool,
    pub poll_interval: Duration,
    /// After new mail, look again every `burst_interval` for `burst_window` before waiting with IDLE
    /// or polling again (a zero window turns this off).
    pub burst_window: Duration,
    pub burst_interval: Duration,
    pub backfill: Backfill,
    /// Messages larger than this are recorded and skipped, never fetched whole.
    pub max_message_size: u64,
    /// Folder that receives messages clerk could not handle; `None` leaves them where they are.
    pub quarantine: Option<String>,
    /// How long deciding one message may take before it counts as failed.
    pub time_budget: Duration,
}

/// Where a mailbox's mail comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Imap(ImapAccount),
    Maildir(PathBuf),
}

/// An IMAP account.
#[derive(Debug, Clone)]
pub struct ImapAccount {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: String,
    pub credential: Credential,
    /// Trust only this PEM certificate (or CA) instead of the public roots.
    pub ca_file: Option<PathBuf>,
}

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

/// Which mail a folder seen for the first time gets processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backfill {
    /// Only mail arriving from now on (the default: starting clerk never answers old mail).
    None,
    /// Everything already in the folder.
    All,
    /// Mail received on or after this day.
    Since(chrono::NaiveDate),
}

/// How outbound mail leaves.
#[derive(Debug, Clone)]
pub enum Delivery {
    Smtp(SmtpAccount),
    /// Written as `.eml` files into this directory (the embedded default).
    Directory(PathBuf),
}

/// An SMTP submission account.
#[derive(Debug, Clone)]
pub struct SmtpAccount {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    /// Present exactly when `user` is.
    pub credential: Option<Credential>,
    pub ca_file: Option<PathBuf>,
    /// Send a mail whose delivery a crash left in doubt again (a possible duplicate) instead of holding
    /// it for a person to release. Default false: clerk never sends the same mail twice on its own.
    pub resend_uncertain: bool,
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    database: RawDatabase,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    mailbox: Vec<Spanned<RawMailbox>>,
    smtp: Option<Spanned<RawSmtp>>,
    outbox: Option<RawOutbox>,
    #[serde(default)]
    log: RawLog,
    #[serde(default)]
    http: RawHttp,
    #[serde(default)]
    feeds: feeds::RawFeeds,
    #[serde(default)]
    oauth2: BTreeMap<String, Spanned<oauth::RawOAuth2>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    listen: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLog {
    level: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    path: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    dir: Option<Spanned<PathBuf>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMailbox {
    name: Spanned<String>,
    url: Spanned<String>,
    user: Option<String>,
    password_file: Option<Spanned<PathBuf>>,
    password_env: Option<Spanned<String>>,
    oauth2: Option<Spanned<String>>,
    ca_file: Option<Spanned<PathBuf>>,
    folders: Option<Spanned<Vec<String>>>,
    idle: Option<bool>,
    poll_interval: Option<Spanned<DurationValue>>,
    burst_window: Option<Spanned<DurationValue>>,
    burst_interval: Option<Spanned<DurationValue>>,
    backfill: Option<Spanned<String>>,
    max_message_size: Option<Spanned<SizeValue>>,
    quarantine: Option<String>,
    time_budget: Option<Spanned<DurationValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmtp {
    url: Spanned<String>,
    resend_uncertain: Option<bool>,
    user: Option<String>,
    password_file: Option<Spanned<PathBuf>>,
    password_env: Option<Spanned<String>>,
    oauth2: Option<Spanned<String>>,
    ca_file: Option<Spanned<PathBuf>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutbox {
    dir: PathBuf,
}

/// `"60s"` or `60`.
#[derive(Deserialize)]
#[serde(untagged)]
enum DurationValue {
    Seconds(u64),
    Text(String),
}

/// `"25MB"` or `25000000`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(u64),
    Text(String),
}

impl Config {
    /// Loads `explicit`, or the first of [`DEFAULT_LOCATIONS`] that exists.
    pub fn locate_and_load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        Config::load(&Config::locate(explicit)?)
    }

    /// One message for each OAuth2 provider an account signs in with that nobody has signed in to yet
    /// (`clerk auth NAME` not run): `clerk check` reports them and the daemon refuses to start, instead
    /// of failing every login.
    pub fn missing_sign_ins(&self) -> Vec<String> {
        let mut used: Vec<&crate::secret::oauth::Provider> = logins(&self.mailboxes, Some(&self.delivery))
            .filter_map(|(_, credential)| match credential {
                Credential::OAuth2(tokens) => Some(tokens.provider()),
                Credential::Password(_) => None,
            })
            .collect();
        used.sort_by(|a, b| a.name.cmp(&b.name));
        used.dedup_by(|a, b| a.name == b.name);
        used.into_iter()
            .filter(|p| !p.is_signed_in())
            .map(|p| {
                let error = crate::secret::oauth::OAuthError::NotSignedIn {
                    name: p.name.clone(),
                    file: p.refresh_token_file.clone(),
                };
                format!("{}: {error}", self.file.display())
            })
            .collect()
    }

    /// The files named here that hold a secret — password files, OAuth client secret and refresh-token
    /// files — that users other than the file's owner and group can read or change. `clerk check` and
    /// the daemon's start warn about each, as ssh does about a private key.
    pub fn open_secret_files(&self) -> Vec<crate::secret::OpenSecretFile> {
        let mut files: Vec<(String, &Path)> = Vec::new();
        for mailbox in &self.mailboxes {
            if let Source::Imap(ImapAccount {
                credential: Credential::Password(SecretSource::File(f)), ..
            }) = &mailbox.source
            {
                files.push((format!("mailbox `{}` password_file", mailbox.name), f));
            }
        }
        if let Delivery::Smtp(SmtpAccount {
            credential: Some(Credential::Password(SecretSource::File(f))),
            ..
        }) = &self.delivery
        {
            files.push(("[smtp] password_file".into(), f));
        }
        for (name, tokens) in &self.oauth2 {
            let provider = tokens.provider();
            if let Some(SecretSource::File(f)) = &provider.client_secret {
                files.push((format!("[oauth2.{name}] client_secret_file"), f));
            }
            files.push((format!("[oauth2.{name}] refresh_token_file"), &provider.refresh_token_file));
        }
        let mut seen = std::collections::HashSet::new();
        files.retain(|(_, path)| seen.insert(*path));
        files.into_iter().filter_map(|(what, path)| crate::secret::open_to_others(&what, path)).collect()
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
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let start = e.span().map(|s| s.start).unwrap_or(0);
            // The parser's message alone can be terse ("duplicate key"): show the line it is about.
            let start = start.min(text.len());
            let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
            let line = text[line_start..].lines().next().unwrap_or("").trim();
            let mut message = match e.message().trim() {
                m if line.is_empty() || m.contains('`') => m.to_string(),
                m => format!("{m}: `{line}`"),
            };
            if ["assistant", "office", "owner", "departments", "replies"]
                .iter()
                .any(|table| message.starts_with(&format!("unknown field `{table}`")))
            {
                message.push_str(
                    "; the office, its assistant, owners and departments are described in office.toml \
                     in the rules directory",
                );
            }
            ConfigError::Invalid(vec![at(start..start, message)])
        })?;

        let database = base.join(raw.database.path.as_deref().unwrap_or(Path::new("clerk.db")));
        let mut problems = Vec::new();
        let providers = oauth::providers(&raw.oauth2, base, &database, files, &mut problems);
        let mut errors: Vec<Located> = problems.into_iter().map(|(span, msg)| at(span, msg)).collect();
        let mut mailboxes = Vec::new();
        for raw_mailbox in &raw.mailbox {
            match mailbox(raw_mailbox, base, files, &providers) {
                Ok(m) => {
                    if mailboxes.iter().any(|o: &MailboxConfig| o.name == m.name) {
                        errors.push(at(
                            raw_mailbox.get_ref().name.span(),
                            format!("a second mailbox is named `{}`", m.name),
                        ));
                    }
                    mailboxes.push(m);
                }
                Err(problems) => errors.extend(problems.into_iter().map(|(span, msg)| at(span, msg))),
            }
        }
        let delivery = match (&raw.smtp, &raw.outbox) {
            (Some(_), Some(_)) => {
                let span = raw.smtp.as_ref().map(Spanned::span).unwrap_or(0..0);
                errors.push(at(span, "both [smtp] and [outbox] are set: choose one way to send mail".into()));
                None
            }
            (Some(smtp), None) => match smtp_account(smtp.get_ref(), base, files, &providers) {
                Ok(account) => Some(Delivery::Smtp(account)),
                Err(problems) => {
                    errors.extend(problems.into_iter().map(|(span, msg)| at(span, msg)));
                    None
                }
            },
            (None, Some(outbox)) => Some(Delivery::Directory(base.join(&outbox.dir))),
            (None, None) => Some(Delivery::Directory(base.join("outbox"))),
        };
        for (name, message) in oauth::shared_sign_ins(&mailboxes, delivery.as_ref()) {
            let span = raw.oauth2.get(&name).map_or(0..0, Spanned::span);
            errors.push(at(span, message));
        }
        let rules_dir = base.join(raw.rules.dir.as_ref().map_or(Path::new("rules"), |d| d.get_ref()));
        if files == Files::Check && !rules_dir.is_dir() {
            let message = format!("no rules directory at {}", rules_dir.display());
            errors.push(match &raw.rules.dir {
                Some(dir) => at(dir.span(), format!("`dir`: {message}")),
                None => at(0..0, format!("{message} (the default, beside this file; set [rules] dir)")),
            });
        }
        if let Some(level) = &raw.log.level
            && let Err(e) = crate::logging::check_level(level.get_ref())
        {
            errors.push(at(level.span(), format!("`level`: {e}")));
        }
        let http_listen = raw.http.listen.as_ref().and_then(|listen| match listen.get_ref().parse() {
            Ok(address) => Some(address),
            Err(_) => {
                let message = format!(
                    "`listen`: {:?} is not an address and port, e.g. \"127.0.0.1:8025\"",
                    listen.get_ref()
                );
                errors.push(at(listen.span(), message));
                None
            }
        });
        let mut feed_problems = Vec::new();
        let feeds = feeds::settings(&raw.feeds, base, &mut feed_problems);
        errors.extend(feed_problems.into_iter().map(|(span, msg)| at(span, msg)));
        if !errors.is_empty() {
            return Err(ConfigError::Invalid(errors));
        }
        Ok(Config {
            file: path.to_path_buf(),
            database,
            rules_dir,
            mailboxes,
            delivery: delivery.unwrap_or_else(|| Delivery::Directory(base.join("outbox"))),
            log_level: raw.log.level.map(Spanned::into_inner),
            http_listen,
            feeds,
            oauth2: providers.into_iter().filter_map(|(name, p)| Some((name, p?))).collect(),
        })
    }
}

type Problem = (std::ops::Range<usize>, String);

/// The period under `key` (`"60s"` or `60`), `default` when absent; a bad one is a problem at it.
fn duration(
    value: &Option<Spanned<DurationValue>>,
    key: &str,
    default: Duration,
    problems: &mut Vec<Problem>,
) -> Duration {
    match value {
        None => default,
        Some(v) => match v.get_ref() {
            DurationValue::Seconds(s) => Duration::from_secs(*s),
            DurationValue::Text(t) => parse_duration(t).unwrap_or_else(|| {
                problems.push((v.span(), format!("`{key} = \"{t}\"`: {DURATION_HINT}")));
                default
            }),
        },
    }
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

fn mailbox(
    spanned: &Spanned<RawMailbox>,
    base: &Path,
    files: Files,
    providers: &Providers,
) -> Result<MailboxConfig, Vec<Problem>> {
    let raw = spanned.get_ref();
    let mut problems = Vec::new();
    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty() {
        problems.push((raw.name.span(), "a mailbox needs a non-empty `name`".into()));
    }
    let source = match source(raw, base, files, providers) {
        Ok(s) => Some(s),
        Err(mut p) => {
            problems.append(&mut p);
            None
        }
    };
    let poll_interval = duration(&raw.poll_interval, "poll_interval", Duration::from_secs(60), &mut problems);
    let burst_window = duration(&raw.burst_window, "burst_window", Duration::from_secs(5), &mut problems);
    let burst_interval =
        duration(&raw.burst_interval, "burst_interval", Duration::from_millis(25), &mut problems);
    if poll_interval.is_zero() {
        let at = raw.poll_interval.as_ref().map_or(spanned.span(), Spanned::span);
        problems.push((at, "`poll_interval` must be longer than zero".into()));
    }
    let time_budget = duration(&raw.time_budget, "time_budget", DEFAULT_TIME_BUDGET, &mut problems);
    if time_budget.is_zero() {
        let at = raw.time_budget.as_ref().map_or(spanned.span(), Spanned::span);
        problems.push((at, "`time_budget` must be longer than zero".into()));
    }
    let max_message_size = match &raw.max_message_size {
        None => 25_000_000,
        Some(v) => match v.get_ref() {
            SizeValue::Bytes(b) => *b,
            SizeValue::Text(t) => parse_size(t).unwrap_or_else(|| {
                problems.push((v.span(), format!("`max_message_size = \"{t}\"`: {SIZE_HINT}")));
                0
            }),
        },
    };
    if max_message_size > MAX_MESSAGE_SIZE_LIMIT {
        let at = raw.max_message_size.as_ref().map_or(spanned.span(), Spanned::span);
        problems.push((
            at,
            format!(
                "`max_message_size` may be at most 50MB: clerk holds a message, and what it sends of it, in \
                 memory (about five times its size at the peak) and stays under 512 MB; larger mail is \
                 recorded and left in the mailbox for a person (was {max_message_size} bytes)"
            ),
        ));
    }
    let backfill = match &raw.backfill {
        None => Backfill::None,
        Some(v) => parse_backfill(v.get_ref()).unwrap_or_else(|e| {
            problems.push((v.span(), e));
            Backfill::None
        }),
    };
    let folders = raw.folders.as_ref().map_or_else(|| vec!["INBOX".into()], |f| f.get_ref().clone());
    if folders.is_empty() || folders.iter().any(|f| f.trim().is_empty()) {
        let at = raw.folders.as_ref().map_or(spanned.span(), Spanned::span);
        problems.push((at, "`folders` must list at least one non-empty folder name".into()));
    }
    match (problems.is_empty(), source) {
        (true, Some(source)) => Ok(MailboxConfig {
            name,
            source,
            folders,
            idle: raw.idle.unwrap_or(true),
            poll_interval,
            burst_window,
            burst_interval,
            backfill,
            max_message_size,
            quarantine: raw.quarantine.clone(),
            time_budget,
        }),
        _ => Err(problems),
    }
}

/// Every account clerk signs in to, as (user, credential): the IMAP mailboxes, then `[smtp]`.
fn logins<'c>(
    mailboxes: &'c [MailboxConfig],
    delivery: Option<&'c Delivery>,
) -> impl Iterator<Item = (&'c str, &'c Credential)> {
    let imap = mailboxes.iter().filter_map(|m| match &m.source {
        Source::Imap(account) => Some((account.user.as_str(), &account.credential)),
        Source::Maildir(_) => None,
    });
    let smtp = match delivery {
        Some(Delivery::Smtp(account)) => account.user.as_deref().zip(account.credential.as_ref()),
        _ => None,
    };
    imap.chain(smtp)
}

/// The `[oauth2.NAME]` tables by name, `None` for one with problems (see [`oauth::providers`]).
type Providers = BTreeMap<String, Option<Arc<TokenSource>>>;

/// A problem that is already reported elsewhere (a broken `[oauth2]` table) yields no problem of its own.
fn source(
    raw: &RawMailbox,
    base: &Path,
    files: Files,
    providers: &Providers,
) -> Result<Source, Vec<Problem>> {
    let url = raw.url.get_ref();
    let span = raw.url.span();
    if let Some(path) = url.strip_prefix("maildir:") {
        let path = path.trim_start_matches("//");
        if path.is_empty() {
            return Err(vec![(span, "`maildir:` needs a path, e.g. \"maildir:/var/mail/assistant\"".into())]);
        }
        return Ok(Source::Maildir(base.join(path)));
    }
    let (host, port, security) =
        server(url, "imaps", 993, "imap", 143).map_err(|e| vec![(span.clone(), e)])?;
    let user =
        raw.user.clone().ok_or_else(|| vec![(span.clone(), "an IMAP mailbox needs `user`".to_string())])?;
    let credential =
        credential(&raw.password_file, &raw.password_env, &raw.oauth2, base, &span, files, providers)?
            .ok_or_else(|| {
                vec![(
                    span.clone(),
                    "an IMAP mailbox needs `password_file`, `password_env` or `oauth2`".to_string(),
                )]
            })?;
    let ca_file = raw
        .ca_file
        .as_ref()
        .map(|p| readable_file(p, "ca_file", base, files))
        .transpose()
        .map_err(|p| vec![p])?;
    Ok(Source::Imap(ImapAccount { host, port, security, user, credential, ca_file }))
}

/// A password (from a file or the environment) or an OAuth2 provider; `None` when none is given.
fn credential(
    file: &Option<Spanned<PathBuf>>,
    env: &Option<Spanned<String>>,
    oauth2: &Option<Spanned<String>>,
    base: &Path,
    span: &std::ops::Range<usize>,
    files: Files,
    providers: &Providers,
) -> Result<Option<Credential>, Vec<Problem>> {
    let password =
        secret_source("password", file, env, base, span.clone(), files).transpose().map_err(|p| vec![p])?;
    match (password, oauth2) {
        (Some(_), Some(reference)) => Err(vec![(
            reference.span(),
            "set a password (`password_file`, `password_env`) or `oauth2`, not both".into(),
        )]),
        (Some(password), None) => Ok(Some(Credential::Password(password))),
        (None, Some(reference)) => oauth::named(reference, providers)
            .map(|p| Some(Credential::OAuth2(p)))
            .map_err(|p| p.into_iter().collect()),
        (None, None) => Ok(None),
    }
}

fn smtp_account(
    raw: &RawSmtp,
    base: &Path,
    files: Files,
    providers: &Providers,
) -> Result<SmtpAccount, Vec<Problem>> {
    let span = raw.url.span();
    let (host, port, security) =
        server(raw.url.get_ref(), "smtps", 465, "smtp", 587).map_err(|e| vec![(span.clone(), e)])?;
    let credential =
        credential(&raw.password_file, &raw.password_env, &raw.oauth2, base, &span, files, providers)?;
    if raw.user.is_some() != credential.is_some() {
        return Err(vec![(
            span,
            "[smtp] needs both `user` and a password (`password_file` or `password_env`) or `oauth2`, or \
             neither"
                .into(),
        )]);
    }
    Ok(SmtpAccount {
        host,
        port,
        security,
        user: raw.user.clone(),
        credential,
        ca_file: raw
            .ca_file
            .as_ref()
            .map(|p| readable_file(p, "ca_file", base, files))
            .transpose()
            .map_err(|p| vec![p])?,
        resend_uncertain: raw.resend_uncertain.unwrap_or(false),
    })
}

/// A secret from `{key}_file` or `{key}_env`; `None` when neither is set.
fn secret_source(
    key: &str,
    file: &Option<Spanned<PathBuf>>,
    env: &Option<Spanned<String>>,
    base: &Path,
    span: std::ops::Range<usize>,
    files: Files,
) -> Option<Result<SecretSource, Problem>> {
    match (file, env) {
        (Some(_), Some(_)) => Some(Err((span, format!("set `{key}_file` or `{key}_env`, not both")))),
        (Some(f), None) => {
            Some(readable_file(f, &format!("{key}_file"), base, files).map(SecretSource::File))
        }
        (None, Some(e)) => {
            let name = e.get_ref();
            if files == Files::Check && std::env::var_os(name).is_none() {
                let message = format!("`{key}_env`: the environment variable {name} is not set");
                return Some(Err((e.span(), message)));
            }
            Some(Ok(SecretSource::Env(name.clone())))
        }
        (None, None) => None,
    }
}

/// Splits `scheme://host[:port]` and decides the connection security: the TLS scheme always uses TLS,
/// the plain scheme requires STARTTLS unless the host is loopback.
fn server(
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

fn parse_backfill(text: &str) -> Result<Backfill, String> {
    match text {
        "none" => Ok(Backfill::None),
        "all" => Ok(Backfill::All),
        _ => text
            .strip_prefix("since:")
            .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
            .map(Backfill::Since)
            .ok_or_else(|| {
                format!("`backfill = \"{text}\"`: expected \"none\", \"all\" or \"since:YYYY-MM-DD\"")
            }),
    }
}

/// Turns a byte offset into `file:line:col`.
fn locate(file: &Path, text: &str, offset: usize, message: String) -> Located {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    Located { file: file.to_path_buf(), line, col, message }
}

#[cfg(test)]
mod tests;
