//! Trying the rules on mail: `explain` one message, `replay` or `diff` the mail already in the
//! mailboxes, and `backfill` (or `replay --apply`) to handle it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use clerk::config::Config;
use clerk::explain::{MailView, ReplyLog};
use clerk::rules::RuleSet;

use super::load_rules;

#[derive(Args)]
pub struct Explain {
    /// The message, as an .eml file
    #[arg(value_name = "FILE.eml")]
    message: PathBuf,
    /// Use this rules directory instead of the one in the configuration (no config file needed)
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Print JSON: {"rule": ..., "desk": ..., "effects": [...], ...}
    #[arg(long)]
    json: bool,
    /// Show the mail clerk would send as the bytes that would leave (encoded headers,
    /// quoted-printable or base64 bodies), not as a person reads it
    #[arg(long)]
    raw: bool,
}

#[derive(Args)]
pub struct Replay {
    /// Only this mailbox (its `name` in clerk.toml) [default: every mailbox]
    #[arg(long, value_name = "NAME")]
    mailbox: Option<String>,
    /// Mail that arrived since: a period back from today (30d, 2w) or a date (2026-11-01)
    #[arg(long, value_name = "WHEN", default_value = "30d")]
    since: String,
    /// Print JSON rows instead of text
    #[arg(long)]
    json: bool,
    /// Act on it: handle the messages through the journal like new mail (answer, forward, file),
    /// skipping those clerk already holds
    #[arg(long)]
    pub(super) apply: bool,
}

#[derive(Args)]
pub struct Backfill {
    /// The mailbox (its `name` in clerk.toml)
    #[arg(long, value_name = "NAME")]
    mailbox: String,
    /// Mail that arrived since: a date (2026-01-01) or a period back from today (90d)
    #[arg(long, value_name = "WHEN")]
    since: String,
}

#[derive(Args)]
pub struct Diff {
    /// The rules directory as it was (a copy, or a checkout of an older version)
    #[arg(value_name = "OLD_RULES_DIR")]
    old_rules: PathBuf,
    /// Only this mailbox [default: every mailbox]
    #[arg(long, value_name = "NAME")]
    mailbox: Option<String>,
    /// Mail that arrived since: a period back from today (30d, 2w) or a date (2026-11-01)
    #[arg(long, value_name = "WHEN", default_value = "30d")]
    since: String,
}

/// `clerk explain`: what the rules do with one message, as text or JSON.
pub fn explain(
    Explain { message, rules, json, raw: raw_mail }: Explain,
    config: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    // With a config, the office's reply log says whether the reply limit would hold a reply back.
    let (dir, database) = match rules {
        Some(dir) => (dir, None),
        None => {
            let config = Config::locate_and_load(config)
                .context("explain needs a config, or --rules DIR to try a rules directory on its own")?;
            (config.rules_dir, Some(config.database))
        }
    };
    let rules = RuleSet::load(&dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    for warning in &rules.warnings {
        eprintln!("warning: {warning}");
    }
    let raw = std::fs::read(&message).with_context(|| format!("cannot read {}", message.display()))?;
    let reply_log = database.map(|path| ReplyLog::open(&path)).transpose()?;
    let explanation = clerk::explain::explain(&rules, &raw, reply_log.as_ref())
        .with_context(|| format!("cannot read the message {}", message.display()))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&explanation.to_json())?);
    } else {
        let view = if raw_mail { MailView::Raw } else { MailView::Readable };
        print!("{}", explanation.report(view));
    }
    Ok(ExitCode::SUCCESS)
}

/// `clerk replay`: what the rules decide for each message, or with `--apply` the messages handled.
pub fn replay(
    Replay { mailbox, since, json, apply }: Replay,
    config: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    if apply {
        return handle_existing_mail(config, mailbox.as_deref(), &since);
    }
    let config = Config::locate_and_load(config)?;
    let rules = load_rules(&config.rules_dir)?;
    let rows = replay_rows(&config, mailbox.as_deref(), &since, &[&rules])?;
    for row in rows.iter().filter_map(|r| r.first()) {
        if json {
            println!("{}", serde_json::to_string(row)?);
        } else {
            println!("{row}");
        }
    }
    if !json {
        let handled = rows.iter().filter(|r| r.first().is_some_and(|r| r.handled)).count();
        println!("{} messages since {since}; {handled} already handled by clerk.", rows.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// `clerk backfill`: one mailbox's mail handled, as `replay --apply` does.
pub fn backfill(Backfill { mailbox, since }: Backfill, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    handle_existing_mail(config, Some(&mailbox), &since)
}

/// `clerk diff`: the messages whose rule, desk or effects the old rules and the current ones decide apart.
pub fn diff(Diff { old_rules, mailbox, since }: Diff, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let old = load_rules(&old_rules)?;
    let new = load_rules(&config.rules_dir)?;
    let rows = replay_rows(&config, mailbox.as_deref(), &since, &[&old, &new])?;
    let changes: Vec<_> = rows
        .into_iter()
        .filter_map(|mut pair| {
            let after = pair.pop()?;
            clerk::replay::Change::between(pair.pop()?, after)
        })
        .collect();
    for change in &changes {
        println!("{change}");
    }
    println!(
        "{} of the messages since {since} would change rule, desk or effects ({} -> {}).",
        changes.len(),
        old_rules.display(),
        config.rules_dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `replay --apply` and `backfill`: the mail since `since` handled through the journal, with a progress
/// bar (count, rate, time left) on a terminal.
fn handle_existing_mail(
    config: Option<&Path>,
    mailbox: Option<&str>,
    since: &str,
) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    // A mistyped mailbox name is refused before the office's lock is taken: a daemon running beside
    // this command must not be told the office is busy for nothing.
    chosen_mailboxes(&config, mailbox)?;
    let office = clerk::daemon::Office::open(config)?;
    let zone = office.rules.get().office.timezone;
    let (mailboxes, from) = replay_scope(&office.config, mailbox, since, zone)?;
    let mailboxes: Vec<_> = mailboxes.into_iter().cloned().collect();
    let runtime = crate::runtime()?;
    let journaled = || -> anyhow::Result<i64> {
        Ok(runtime.block_on(office.db.run(|store| store.journal_counts()))?.values().sum())
    };
    let before = journaled()?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} messages, {per_sec}, {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let progress = |step: clerk::sources::Progress| match step {
        clerk::sources::Progress::Found(n) => bar.inc_length(n as u64),
        clerk::sources::Progress::Done(n) => bar.inc(n as u64),
    };
    let looked = runtime.block_on(office.replay(&mailboxes.iter().collect::<Vec<_>>(), from, &progress));
    bar.finish_and_clear();
    let looked = looked?;
    let handled = journaled()? - before;
    println!(
        "{looked} messages since {since} looked at; {handled} handled now, the rest were already in the journal."
    );
    Ok(ExitCode::SUCCESS)
}

/// The mailboxes (all, or the one named) and the first day `replay` and `diff` look at: `30d` counts
/// back from today in the office's zone, not the host's.
fn replay_scope<'c>(
    config: &'c Config,
    mailbox: Option<&str>,
    since: &str,
    zone: chrono_tz::Tz,
) -> anyhow::Result<(Vec<&'c clerk::config::MailboxConfig>, chrono::NaiveDate)> {
    let today = chrono::Utc::now().with_timezone(&zone).date_naive();
    let since = clerk::replay::since(since, today).map_err(anyhow::Error::msg)?;
    Ok((chosen_mailboxes(config, mailbox)?, since))
}

/// The mailboxes configured (all, or the one named); an error listing them when none has that name.
fn chosen_mailboxes<'c>(
    config: &'c Config,
    mailbox: Option<&str>,
) -> anyhow::Result<Vec<&'c clerk::config::MailboxConfig>> {
    let mailboxes: Vec<_> =
        config.mailboxes.iter().filter(|m| mailbox.is_none_or(|name| m.name == name)).collect();
    if mailboxes.is_empty() {
        let names: Vec<_> = config.mailboxes.iter().map(|m| m.name.as_str()).collect();
        anyhow::bail!(
            "no mailbox named {:?}; the configured ones are {}",
            mailbox.unwrap_or(""),
            names.join(", ")
        );
    }
    Ok(mailboxes)
}

/// The messages `replay` and `diff` look at, decided by each of `rule_sets`.
fn replay_rows(
    config: &Config,
    mailbox: Option<&str>,
    since: &str,
    rule_sets: &[&RuleSet],
) -> anyhow::Result<Vec<Vec<clerk::replay::Row>>> {
    let zone = rule_sets.last().map_or(chrono_tz::UTC, |rules| rules.office.timezone);
    let (mailboxes, since) = replay_scope(config, mailbox, since, zone)?;
    // The journal says which messages clerk already handled; before the first run there is none.
    let store = clerk::store::Store::open_read_only(&config.database).ok();
    let rows = crate::runtime()?.block_on(clerk::replay::decide_all(
        &mailboxes,
        since,
        rule_sets,
        store.as_ref(),
    ))?;
    Ok(rows)
}
