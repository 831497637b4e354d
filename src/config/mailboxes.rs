//! `[[mailbox]]` tables: the IMAP accounts and Maildirs clerk watches, and how it takes on their mail —
//! which folders, how it notices new mail, how much old mail, and the limits on one message.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::errors::Problem;
use super::quantities::{DurationValue, SizeValue, duration};
use super::secrets::{Providers, credential};
use super::servers::{Security, server};
use super::{Files, readable_file};
use crate::secret::Credential;
use crate::units::{SIZE_HINT, parse_size};

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

#[derive(Deserialize)]
pub(super) struct RawMailbox {
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

/// Every `[[mailbox]]` without problems, in order; the others' problems, and each second use of a
/// name, are added to `problems`.
pub(super) fn mailboxes(
    raw: &[Spanned<RawMailbox>],
    base: &Path,
    files: Files,
    providers: &Providers,
    problems: &mut Vec<Problem>,
) -> Vec<MailboxConfig> {
    let mut mailboxes = Vec::new();
    for raw_mailbox in raw {
        match mailbox(raw_mailbox, base, files, providers) {
            Ok(m) => {
                if mailboxes.iter().any(|o: &MailboxConfig| o.name == m.name) {
                    problems.push((
                        raw_mailbox.get_ref().name.span(),
                        format!("a second mailbox is named `{}`", m.name),
                    ));
                }
                mailboxes.push(m);
            }
            Err(mut found) => problems.append(&mut found),
        }
    }
    mailboxes
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
