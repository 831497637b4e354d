//! The command line's grammar: the global options, the list of subcommands with their help, and
//! `dispatch`, which hands each subcommand to the module for what it is about.

mod daemon;
mod reading;
mod records;
mod repair;
mod setup;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use clerk::config::Config;
use clerk::rules::RuleSet;
use clerk::store::Store;

/// clerk: an office assistant that lives in a mailbox.
///
/// clerk watches mailboxes, sorts incoming mail by the office's rule files, and answers, forwards,
/// files and hands it to its desks, exactly once. Configuration (clerk.toml) says where mail comes
/// from and goes to; the rules directory says what to do with it.
#[derive(Parser)]
#[command(version, about, long_about)]
pub struct Cli {
    /// The configuration file [default: ./clerk.toml, then /etc/clerk/clerk.toml]
    #[arg(long, short, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Log detail: error, warn, info, debug or trace (or a RUST_LOG-style filter) [default: the
    /// config's [log] level, else info; RUST_LOG wins over both]
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Watch the configured mailboxes and handle mail until stopped (SIGINT/SIGTERM).
    Run(daemon::Run),
    /// Check the configuration, the rule files and templates, and run the rules' embedded tests.
    ///
    /// Every problem is printed as file:line:col, every failed test as expected-versus-got. Exits 0
    /// only when clerk would start with these files and every test passes; warnings do not fail.
    Check(daemon::Check),
    /// Show which rule a message matches and exactly what clerk would do with it; nothing is sent.
    ///
    /// With a configuration, the office's database (read only) says whether the reply limit would hold
    /// a reply back; with --rules, every reply the rules make is shown.
    Explain(reading::Explain),
    /// List mail that is waiting, held or refused in the outbox, or release held mail with `resend`.
    Outbox(repair::Outbox),
    /// Handle failed messages again, after a fix (new rules, a new clerk).
    ///
    /// Without arguments, lists the failed messages that can be retried. Each retry goes through the
    /// journal, so a message is handled once however often this runs; beside a running daemon, the
    /// daemon sends the replies (within 15 s), otherwise this command sends them.
    Retry(repair::Retry),
    /// Run the current rules over mail already in the mailboxes and show what they decide.
    ///
    /// A dry run: mailboxes are only read (EXAMINE, BODY.PEEK), nothing is sent or stored. Each
    /// message shows its rule, desk and effects, and whether clerk already handled it.
    Replay(reading::Replay),
    /// Handle the mail already in a mailbox since a date, like new mail, with a progress bar.
    ///
    /// Everything goes through the journal: what clerk already handled is skipped, so an interrupted
    /// backfill resumes where it stopped. The same as `replay --apply` for one mailbox.
    Backfill(reading::Backfill),
    /// Show which messages already in the mailboxes would change rule, desk or effects between
    /// OLD_RULES_DIR and the current rules: review an edit before it goes live.
    Diff(reading::Diff),
    /// Show how the office is doing: whether clerk runs, mailbox connections, the outbox, mail handled,
    /// failures.
    ///
    /// Reads the database and who holds the office's lock, so it works while the daemon runs and
    /// changes nothing.
    Status(daemon::Status),
    /// Sign in once to an OAuth2 provider (Gmail, Microsoft 365) so clerk can read and send mail there.
    ///
    /// NAME is an [oauth2.NAME] table in clerk.toml, or a mailbox that signs in with one. You get a
    /// code to enter on the provider's page where it offers that for mail (Microsoft), else a link to
    /// open in a browser (Google). The refresh token is saved to the table's `refresh_token_file`
    /// (readable by this user only): run this as the user the daemon runs as.
    Auth(setup::Auth),
    /// List the events of the office's calendars and rooms, day by day.
    ///
    /// Recurring events are shown once per occurrence, each calendar in its own time zone. Reads the
    /// database only.
    Calendar(records::Calendar),
    /// Print the secret links of the published calendars: each calendar, its free/busy, each room.
    ///
    /// Each link is shown as http(s):// and as webcal:// (which calendar programs open as a
    /// subscription). A feed without a link gets one now. The daemon serves them at [http] listen;
    /// [feeds] url gives the address people reach it at.
    Feeds(setup::Feeds),
    /// List the inquiry desk's tickets, newest first: state, department, priority, customer, age.
    ///
    /// Reads the database only, so it works while the daemon runs.
    Tickets(records::Tickets),
    /// Show one ticket with its whole conversation: the customer's messages, the staff's answers and
    /// what clerk sent.
    Ticket(records::Ticket),
    /// List the supply cupboard: each item on the shelf, promised to requests, available, on order
    /// and drafted, with what is below its reorder point; or count it (`set`), or show one item's ledger.
    Stock(records::Stock),
    /// List the purchase orders clerk keeps for the supply cupboard, newest first, with their lines.
    PurchaseOrders(records::PurchaseOrders),
    /// List the office's events the event desk keeps, newest first: number, state, when, people,
    /// title and what is still to ask the organiser.
    ///
    /// Reads the database only, so it works while the daemon runs.
    Events,
    /// Show one event whole (as `EV-2026-0001`): how its request was read, what is still to ask, and
    /// its guests with their answers.
    Event(records::Event),
    /// Show or forget the auto-reply limit's records for a sender.
    Dedupe(repair::Dedupe),
    /// Set up a self-contained example office (Maildir inbox, file outbox) and run it.
    Demo(setup::Demo),
}

impl Command {
    /// Whether the command handles the mail already in the mailboxes, with a progress bar.
    pub fn shows_progress(&self) -> bool {
        matches!(self, Command::Backfill(_)) || matches!(self, Command::Replay(replay) if replay.apply)
    }
}

/// Runs the subcommand; its exit code, or the error that stopped it.
pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = cli.config.as_deref();
    match cli.command {
        Command::Run(run) => daemon::run(run, config, cli.log.as_deref()),
        Command::Check(check) => daemon::check(check, config),
        Command::Explain(explain) => reading::explain(explain, config),
        Command::Outbox(outbox) => repair::outbox(outbox, config),
        Command::Retry(retry) => repair::retry(retry, config),
        Command::Replay(replay) => reading::replay(replay, config),
        Command::Backfill(backfill) => reading::backfill(backfill, config),
        Command::Diff(diff) => reading::diff(diff, config),
        Command::Status(status) => daemon::status(status, config),
        Command::Auth(auth) => setup::auth(auth, config),
        Command::Calendar(calendar) => records::calendar(calendar, config),
        Command::Feeds(feeds) => setup::feeds(feeds, config),
        Command::Tickets(tickets) => records::tickets(tickets, config),
        Command::Ticket(ticket) => records::ticket(ticket, config),
        Command::Stock(stock) => records::stock(stock, config),
        Command::PurchaseOrders(orders) => records::purchase_orders(orders, config),
        Command::Events => records::events(config),
        Command::Event(event) => records::event(event, config),
        Command::Dedupe(dedupe) => repair::dedupe(dedupe, config),
        Command::Demo(demo) => setup::demo(demo, config),
    }
}

/// A rules directory, loaded (its embedded tests need not pass: replay and diff are for trying rules).
fn load_rules(dir: &Path) -> anyhow::Result<RuleSet> {
    RuleSet::load(dir)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("the rules in {}", dir.display()))
}

/// The office's database, read only (so the reports work while the daemon runs).
fn read_store(config: &Config) -> anyhow::Result<Store> {
    Store::open_read_only(&config.database)
        .with_context(|| format!("cannot read {}: has clerk run yet?", config.database.display()))
}
