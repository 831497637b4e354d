//! `clerk replay` and `clerk diff`: the rules run over mail already in a mailbox, changing nothing.
//! Replay shows what the current rules decide for each message that arrived since a date (rule, desk,
//! and every effect of both, as [`handling::decide`] makes them for new mail) and whether clerk has
//! already handled it; diff shows the messages whose rule, desk or effects would change between an
//! older rules directory and the current one — the way to review an edit before it goes live.
//!
//! The mail looked at is in the watched folders and in every folder clerk files mail into (the rules'
//! `move` folders, the quarantine, and the folders the journal moved mail to), since a message clerk
//! handled has usually left the inbox. Rows come in the order the messages were sent, with times in
//! the office's time zone.
//!
//! Mailboxes are only read: IMAP folders are opened with EXAMINE and fetched with BODY.PEEK (no flag
//! changes), Maildir files are only listed and read.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;

use crate::actions::NoHistory;
use crate::config::{ImapAccount, MailboxConfig, Source};
use crate::desks::supply::NoSupply;
use crate::desks::{Incoming, NoCalendars, NoTickets, Views};
use crate::handling;
use crate::intake::describe;
use crate::mail::message::Message;
use crate::rules::RuleSet;
use crate::sources::imap::{ImapError, arrived_since, connect, server_folder_name, uid_set};
use crate::store::Store;

/// Messages fetched per IMAP command.
const FETCH_BATCH: usize = 200;

/// One message found in a mailbox.
pub struct Found {
    pub mailbox: String,
    /// The folder as the rules name it (`Vendors/Invoices`).
    pub folder: String,
    pub raw: Vec<u8>,
}

/// What the rules decide for one message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub mailbox: String,
    pub folder: String,
    /// When the message was sent, in the office's time zone ("2026-11-20 09:00 CET"); empty when it
    /// does not say.
    pub date: String,
    /// The same moment, for ordering and for programs reading the JSON rows.
    pub at: Option<DateTime<Utc>>,
    pub from: String,
    pub subject: String,
    pub rule: Option<String>,
    pub desk: Option<String>,
    /// The effects of the rule's actions and then of its desk, as the daemon would apply them.
    pub effects: Vec<String>,
    /// Whether clerk has already handled this message (same Message-ID and content in the journal).
    pub handled: bool,
}

/// Why a mailbox could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Imap(#[from] ImapError),
    #[error("{path}: {source}")]
    Maildir { path: String, source: std::io::Error },
}

/// The folders of a mailbox that replay reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folders {
    /// The folders clerk watches, which must exist.
    pub watched: Vec<String>,
    /// The folders clerk files mail into, read when they exist.
    pub filed: Vec<String>,
}

impl Folders {
    /// The watched folders of `mailbox`, and the folders its mail is filed into: the `move` folders of
    /// `rule_sets`, the quarantine, and those the journal in `store` moved mail to.
    pub fn of(mailbox: &MailboxConfig, rule_sets: &[&RuleSet], store: Option<&Store>) -> Folders {
        let moves =
            rule_sets.iter().flat_map(|rules| &rules.rules).filter_map(|rule| rule.actions.move_to.clone());
        let journal = store.and_then(|store| store.filed_folders(&mailbox.name).ok()).unwrap_or_default();
        let mut filed: Vec<String> = Vec::new();
        for folder in moves.chain(mailbox.quarantine.clone()).chain(journal) {
            let watched = mailbox.folders.iter().any(|w| same_folder(w, &folder));
            if !watched && !filed.iter().any(|f| same_folder(f, &folder)) {
                filed.push(folder);
            }
        }
        Folders { watched: mailbox.folders.clone(), filed }
    }
}

/// Whether two folder names from the rules name one folder (`INBOX` in any case, RFC 3501 §5.1).
fn same_folder(a: &str, b: &str) -> bool {
    a == b || (a.eq_ignore_ascii_case("INBOX") && b.eq_ignore_ascii_case("INBOX"))
}

/// Reads every message of `folders` in `mailbox` that arrived on or after `since` and is not larger
/// than its `max_message_size`, calling `each` for each; returns how many there were.
pub async fn read_since(
    mailbox: &MailboxConfig,
    folders: &Folders,
    since: NaiveDate,
    each: &mut dyn FnMut(Found),
) -> Result<usize, ReadError> {
    match &mailbox.source {
        Source::Imap(account) => Ok(read_imap(mailbox, account, folders, since, each).await?),
        Source::Maildir(root) => read_maildir(mailbox, root, folders, since, each),
    }
}

async fn read_imap(
    mailbox: &MailboxConfig,
    account: &ImapAccount,
    folders: &Folders,
    since: NaiveDate,
    each: &mut dyn FnMut(Found),
) -> Result<usize, ImapError> {
    let mut session = connect(account).await?;
    let names: Vec<_> = session.list(None, Some("*")).await?.try_collect().await?;
    let delimiter = names.iter().find_map(|n| n.delimiter()).and_then(|d| d.chars().next());
    let exists = |folder: &str| names.iter().any(|n| n.name() == server_folder_name(folder, delimiter));
    // A watched folder is opened by its name as configured, as the daemon selects it; a folder
    // clerk files into by the server's name for it, as the moves into it are made.
    let watched = folders.watched.iter().map(|folder| (folder, folder.clone()));
    let filed = folders
        .filed
        .iter()
        .filter(|folder| exists(folder))
        .map(|folder| (folder, server_folder_name(folder, delimiter)));
    let mut count = 0;
    for (folder, on_server) in watched.chain(filed) {
        session.examine(on_server).await?;
        let query = arrived_since(since, mailbox.max_message_size);
        let mut uids: Vec<u32> = session.uid_search(&query).await?.into_iter().collect();
        uids.sort_unstable();
        for chunk in uids.chunks(FETCH_BATCH) {
            let fetched: Vec<_> =
                session.uid_fetch(uid_set(chunk), "(UID BODY.PEEK[])").await?.try_collect().await?;
            for body in fetched.iter().filter_map(|f| f.body()) {
                count += 1;
                each(Found { mailbox: mailbox.name.clone(), folder: folder.clone(), raw: body.to_vec() });
            }
        }
    }
    session.logout().await.ok();
    Ok(count)
}

fn read_maildir(
    mailbox: &MailboxConfig,
    root: &Path,
    folders: &Folders,
    since: NaiveDate,
    each: &mut dyn FnMut(Found),
) -> Result<usize, ReadError> {
    let since: SystemTime =
        since.and_hms_opt(0, 0, 0).map(|t| t.and_utc().into()).unwrap_or(SystemTime::UNIX_EPOCH);
    // The Maildir is the inbox; the folders clerk files into are its Maildir++ subfolders.
    let filed = folders.filed.iter().map(|folder| (folder.clone(), maildir_folder(root, folder)));
    let mut count = 0;
    for (folder, dir) in std::iter::once(("INBOX".to_owned(), root.to_path_buf())).chain(filed) {
        for sub in ["new", "cur"] {
            let dir = dir.join(sub);
            let failed = |source| ReadError::Maildir { path: dir.display().to_string(), source };
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(failed(e)),
            };
            let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for path in paths {
                let Ok(meta) = std::fs::metadata(&path) else { continue };
                let recent = meta.modified().is_ok_and(|t| t >= since);
                if !meta.is_file() || !recent || meta.len() > mailbox.max_message_size {
                    continue;
                }
                let raw = std::fs::read(&path)
                    .map_err(|e| ReadError::Maildir { path: path.display().to_string(), source: e })?;
                count += 1;
                each(Found { mailbox: mailbox.name.clone(), folder: folder.clone(), raw });
            }
        }
    }
    Ok(count)
}

/// The Maildir++ subfolder clerk files `folder` into (`Vendors/Invoices` → `.Vendors.Invoices`).
fn maildir_folder(root: &Path, folder: &str) -> PathBuf {
    root.join(format!(".{}", utf7_imap::encode_utf7_imap(folder.replace('/', "."))))
}

/// Every message of `mailboxes` since `since` (in their watched folders and the folders their mail is
/// filed into), decided by each of `rule_sets`: one row per message per rule set, in the order of the
/// rule sets; the messages in the order they were sent, undated ones last.
pub async fn decide_all(
    mailboxes: &[&MailboxConfig],
    since: NaiveDate,
    rule_sets: &[&RuleSet],
    store: Option<&Store>,
) -> Result<Vec<Vec<Row>>, ReadError> {
    let mut rows: Vec<Vec<Row>> = Vec::new();
    for mailbox in mailboxes {
        let folders = Folders::of(mailbox, rule_sets, store);
        read_since(mailbox, &folders, since, &mut |found| {
            rows.push(rule_sets.iter().map(|rules| decide(rules, &found, store)).collect());
        })
        .await?;
    }
    rows.sort_by_key(|decided| {
        let at = decided.first().and_then(|row| row.at);
        (at.is_none(), at)
    });
    Ok(rows)
}

/// What `rules` decide for `found`, through the same path new mail takes (the rule's actions, then its
/// desk, then the guard; replies as for a first message from the sender, the desks reading the office's
/// records in `store` when there is one), and whether the journal in `store` knows it.
pub fn decide(rules: &RuleSet, found: &Found, store: Option<&Store>) -> Row {
    let hash = crate::digest::sha256_hex(&found.raw);
    let mut row = Row {
        mailbox: found.mailbox.clone(),
        folder: found.folder.clone(),
        date: String::new(),
        at: None,
        from: String::new(),
        subject: String::new(),
        rule: None,
        desk: None,
        effects: Vec::new(),
        handled: false,
    };
    let msg = match Message::parse(&found.raw) {
        Ok(msg) => msg,
        Err(e) => {
            row.effects.push(format!("unreadable: {e}"));
            return row;
        }
    };
    let zone = rules.office.timezone;
    row.date =
        msg.date.map(|d| d.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z").to_string()).unwrap_or_default();
    row.at = msg.date.map(|d| d.with_timezone(&Utc));
    row.from = msg.from.first().map(|a| a.email.clone()).unwrap_or_default();
    row.subject = msg.subject.clone();
    row.handled = store
        .and_then(|store| store.find_same_message(msg.message_id.as_deref(), &hash).ok().flatten())
        .is_some();
    let views = match store {
        Some(store) => Views { calendars: store, tickets: store, supply: store, planning: store },
        None => Views {
            calendars: &NoCalendars,
            tickets: &NoTickets,
            supply: &NoSupply,
            planning: &crate::desks::event::NoPlanning,
        },
    };
    let incoming = Incoming { msg: &msg, raw: &found.raw, content_hash: &hash, now: Utc::now() };
    match handling::decide(rules, &incoming, &views, &mut NoHistory) {
        Ok(decision) => {
            row.rule = decision.rule;
            row.desk = decision.desk;
            row.effects = decision.effects.iter().map(describe).collect();
        }
        Err(e) => row.effects.push(format!("fails: {e}")),
    }
    row
}

impl fmt::Display for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}/{} {} {:?}: ",
            self.date,
            self.mailbox,
            self.folder,
            self.from,
            shorten(&self.subject)
        )?;
        match &self.rule {
            Some(rule) => write!(f, "rule {rule:?}")?,
            None => f.write_str("no rule")?,
        }
        if let Some(desk) = &self.desk {
            write!(f, ", desk {desk}")?;
        }
        if !self.effects.is_empty() {
            write!(f, ": {}", self.effects.join(", "))?;
        }
        if self.handled {
            f.write_str(" [already handled]")?;
        }
        Ok(())
    }
}

/// One message whose rule, desk or effects differ between two rule sets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub before: Row,
    pub after: Row,
}

impl Change {
    /// The change, if the rule, the desk or what they do differs: an edit that keeps the rule but
    /// sends its tickets to another department changes the office's mail as much as a new rule does.
    pub fn between(before: Row, after: Row) -> Option<Change> {
        let changed =
            before.rule != after.rule || before.desk != after.desk || before.effects != after.effects;
        changed.then_some(Change { before, after })
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (b, a) = (&self.before, &self.after);
        // The time as the current rules' office tells it.
        write!(f, "{} {}/{} {} {:?}: ", a.date, a.mailbox, a.folder, a.from, shorten(&a.subject))?;
        let name = |n: &Option<String>, what: &str| {
            n.as_ref().map_or(format!("no {what}"), |n| format!("{what} {n:?}"))
        };
        let mut parts = Vec::new();
        if b.rule != a.rule {
            parts.push(format!("{} -> {}", name(&b.rule, "rule"), name(&a.rule, "rule")));
        }
        if b.desk != a.desk {
            parts.push(format!("{} -> {}", name(&b.desk, "desk"), name(&a.desk, "desk")));
        }
        if b.effects != a.effects {
            let effects = |e: &[String]| if e.is_empty() { "nothing".to_owned() } else { e.join(", ") };
            parts.push(format!("{} -> {}", effects(&b.effects), effects(&a.effects)));
        }
        f.write_str(&parts.join("; "))
    }
}

/// The subject cut to a line's worth.
fn shorten(subject: &str) -> String {
    const MAX: usize = 60;
    if subject.chars().count() <= MAX {
        return subject.to_string();
    }
    subject.chars().take(MAX - 1).chain(std::iter::once('…')).collect()
}

/// `--since`: a period back from `today` (`30d`, `2w`) or a date (`2026-11-01`).
pub fn since(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date);
    }
    let period = crate::units::parse_duration(text)
        .ok_or_else(|| format!("{text:?} is neither a date (2026-11-01) nor a period (30d, 2w)"))?;
    let days = period.as_secs().div_ceil(86_400);
    Ok(today - chrono::Days::new(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(rule: Option<&str>, desk: Option<&str>) -> Row {
        Row {
            mailbox: "office".into(),
            folder: "INBOX".into(),
            date: "2026-11-20 09:00 CET".into(),
            at: None,
            from: "anna@example.com".into(),
            subject: "Hours".into(),
            rule: rule.map(str::to_owned),
            desk: desk.map(str::to_owned),
            effects: vec![],
            handled: false,
        }
    }

    #[test]
    fn since_takes_a_period_back_from_today_or_a_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(since("30d", today), Ok(NaiveDate::from_ymd_opt(2026, 10, 24).unwrap()));
        assert_eq!(since("2026-11-01", today), Ok(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()));
        assert!(since("lately", today).is_err());
    }

    #[test]
    fn a_change_is_a_different_rule_or_desk() {
        assert_eq!(Change::between(row(Some("a"), None), row(Some("a"), None)), None);
        let change = Change::between(row(Some("a"), Some("inquiry")), row(Some("b"), None)).unwrap();
        assert_eq!(
            change.to_string(),
            "2026-11-20 09:00 CET office/INBOX anna@example.com \"Hours\": rule \"a\" -> rule \"b\"; desk \"inquiry\" -> no desk"
        );
    }

    #[test]
    fn a_change_is_also_a_rule_that_does_something_else() {
        let mut before = row(Some("a"), Some("inquiry"));
        before.effects = vec!["ticket 1001-9 open".into(), "forward to accounts@office.example".into()];
        let mut after = before.clone();
        assert_eq!(Change::between(before.clone(), after.clone()), None);
        after.effects[1] = "forward to info@office.example".into();
        let change = Change::between(before, after).unwrap();
        assert!(
            change.to_string().ends_with(
                "\"Hours\": ticket 1001-9 open, forward to accounts@office.example -> ticket 1001-9 open, \
                 forward to info@office.example"
            ),
            "{change}"
        );
    }

    #[test]
    fn long_subjects_are_cut() {
        assert_eq!(shorten(&"x".repeat(100)).chars().count(), 60);
    }
}
