//! Putting mail right by hand: `retry` failed messages, list or release the `outbox`'s held mail, and
//! show or forget a sender's auto-reply records (`dedupe`).

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use clerk::config::Config;

#[derive(Args)]
pub struct Outbox {
    #[command(subcommand)]
    action: Option<OutboxAction>,
}

#[derive(Subcommand)]
enum OutboxAction {
    /// Send held (uncertain) or refused mail again: check first that the recipient did not get it.
    Resend {
        /// The Message-ID shown by `clerk outbox`
        message_id: String,
    },
}

#[derive(Args)]
pub struct Retry {
    /// Journal ids of the failed messages (`#ID` in `clerk status` and in this list)
    ids: Vec<i64>,
    /// Retry every failed message
    #[arg(long, conflicts_with = "ids")]
    all: bool,
}

#[derive(Args)]
pub struct Dedupe {
    #[command(subcommand)]
    action: DedupeAction,
}

#[derive(Subcommand)]
enum DedupeAction {
    /// Show when each rule last auto-replied to ADDRESS, and when the next reply can go.
    Show {
        /// The sender's email address (any case)
        address: String,
    },
    /// Forget every auto-reply to ADDRESS, so their next message is answered again.
    Reset {
        /// The sender's email address (any case)
        address: String,
    },
}

/// `clerk outbox`: the mail not sent, or with `resend` one held mail queued again (exit code 1 when
/// there is none with that Message-ID).
pub fn outbox(Outbox { action }: Outbox, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let mut store = clerk::store::Store::open(&config.database)?;
    match action {
        None => {
            let unsent = store.unsent_mail()?;
            if unsent.is_empty() {
                println!("The outbox is empty: every mail has been sent.");
            }
            for mail in unsent {
                println!("{:<10} <{}> to {}", mail.status, mail.message_id, mail.recipients.join(", "));
                if let Some(error) = mail.last_error {
                    println!("           {error}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(OutboxAction::Resend { message_id }) => {
            if store.release_mail(&message_id)? {
                println!(
                    "<{}> is queued again; the running daemon sends it.",
                    message_id.trim_matches(['<', '>'])
                );
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("no held or refused mail with Message-ID {message_id}");
                Ok(ExitCode::from(1))
            }
        }
    }
}

/// `clerk retry`: the failed messages listed, or those asked for retried.
pub fn retry(Retry { ids, all }: Retry, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    crate::block_on_and_leave(retry_failed(config, ids, all))?;
    Ok(ExitCode::SUCCESS)
}

/// `clerk dedupe`: a sender's auto-reply records shown, or forgotten.
pub fn dedupe(Dedupe { action }: Dedupe, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let output = match action {
        DedupeAction::Show { address } => {
            let store = clerk::store::Store::open_read_only(&config.database)?;
            // The rules give each rule's limit and the office's time zone; without them the
            // records are still worth showing.
            let rules = clerk::rules::RuleSet::load(&config.rules_dir).ok();
            clerk::dedupe::show(&store, rules.as_ref(), &address, clerk::store::now())?
        }
        DedupeAction::Reset { address } => {
            let mut store = clerk::store::Store::open(&config.database)?;
            clerk::dedupe::reset(&mut store, &address)?
        }
    };
    print!("{output}");
    Ok(ExitCode::SUCCESS)
}

/// Lists the failed messages, or retries those asked for and delivers what they queue when no daemon
/// runs to do it.
async fn retry_failed(config: Config, ids: Vec<i64>, all: bool) -> anyhow::Result<()> {
    let (office, holds_lock) = clerk::daemon::Office::open_beside_daemon(config)?;
    if ids.is_empty() && !all {
        let failed = clerk::retry::retriable(&office).await?;
        if failed.is_empty() {
            println!("No failed message to retry.");
        }
        for mail in &failed {
            println!("#{} {}", mail.journal_id, clerk::retry::name(&mail.entry));
        }
        if !failed.is_empty() {
            println!("`clerk retry ID...` retries these, `clerk retry --all` all of them.");
        }
        return Ok(());
    }
    let done = clerk::retry::retry(&office, ids.clone()).await?;
    if done.is_empty() {
        println!("No failed message with its text kept matches (see `clerk retry` without arguments).");
    }
    for id in ids.iter().filter(|id| !done.iter().any(|r| r.journal_id == **id)) {
        println!("#{id}: no failed message with its text kept has this id");
    }
    for retried in &done {
        println!("{retried}");
    }
    if holds_lock {
        office.deliver_outbox().await?;
    } else if !done.is_empty() {
        println!("The running daemon sends what these queued.");
    }
    Ok(())
}
