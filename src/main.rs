//! The `clerk` command line. Each subcommand is a thin shell over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use clerk::config::Config;
use clerk::explain::ReplyLog;
use clerk::rules::RuleSet;

// Parsing mail allocates many small strings and frees them soon after; mimalloc handles that pattern
// markedly faster than the system allocator (parse + classify: about 15 % more messages per second in
// `cargo bench --bench pipeline`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// clerk: an office assistant that lives in a mailbox.
///
/// clerk watches mailboxes, sorts incoming mail by the office's rule files, and answers, forwards,
/// files and hands it to its desks, exactly once. Configuration (clerk.toml) says where mail comes
/// from and goes to; the rules directory says what to do with it.
#[derive(Parser)]
#[command(version, about, long_about)]
struct Cli {
    /// The configuration file [default: ./clerk.toml, then /etc/clerk/clerk.toml]
    #[arg(long, short, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Log detail: error, warn, info, debug or trace (or a RUST_LOG-style filter) [default: the
    /// config's [log] level, else info; RUST_LOG wins over both]
    #[arg(long, global = true, value_name = "LEVEL")]
    log: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Watch the configured mailboxes and handle mail until stopped (SIGINT/SIGTERM).
    Run {
        /// Handle the mail that is waiting, deliver the outbox, and exit instead of watching.
        #[arg(long)]
        once: bool,
    },
    /// Check the configuration, the rule files and templates, and run the rules' embedded tests.
    ///
    /// Every problem is printed as file:line:col, every failed test as expected-versus-got. Exits 0
    /// only when clerk would start with these files and every test passes; warnings do not fail.
    Check {
        /// Check this rules directory on its own instead of the configuration and its rules
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Show which rule a message matches and exactly what clerk would do with it; nothing is sent.
    ///
    /// With a configuration, the office's database (read only) says whether the reply limit would hold
    /// a reply back; with --rules, every reply the rules make is shown.
    Explain {
        /// The message, as an .eml file
        #[arg(value_name = "FILE.eml")]
        message: PathBuf,
        /// Use this rules directory instead of the one in the configuration (no config file needed)
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
        /// Print JSON: {"rule": ..., "desk": ..., "effects": [...], ...}
        #[arg(long)]
        json: bool,
    },
    /// List mail that is waiting, held or refused in the outbox, or release held mail with `resend`.
    Outbox {
        #[command(subcommand)]
        action: Option<OutboxAction>,
    },
    /// Handle failed messages again, after a fix (new rules, a new clerk).
    ///
    /// Without arguments, lists the failed messages that can be retried. Each retry goes through the
    /// journal, so a message is handled once however often this runs; beside a running daemon, the
    /// daemon sends the replies (within 15 s), otherwise this command sends them.
    Retry {
        /// Journal ids of the failed messages (`#ID` in `clerk status` and in this list)
        ids: Vec<i64>,
        /// Retry every failed message
        #[arg(long, conflicts_with = "ids")]
        all: bool,
    },
    /// Run the current rules over mail already in the mailboxes and show what they decide.
    ///
    /// A dry run: mailboxes are only read (EXAMINE, BODY.PEEK), nothing is sent or stored. Each
    /// message shows its rule, desk and effects, and whether clerk already handled it.
    Replay {
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
        apply: bool,
    },
    /// Handle the mail already in a mailbox since a date, like new mail, with a progress bar.
    ///
    /// Everything goes through the journal: what clerk already handled is skipped, so an interrupted
    /// backfill resumes where it stopped. The same as `replay --apply` for one mailbox.
    Backfill {
        /// The mailbox (its `name` in clerk.toml)
        #[arg(long, value_name = "NAME")]
        mailbox: String,
        /// Mail that arrived since: a date (2026-01-01) or a period back from today (90d)
        #[arg(long, value_name = "WHEN")]
        since: String,
    },
    /// Show which messages already in the mailboxes would change rule or desk between OLD_RULES_DIR
    /// and the current rules: review an edit before it goes live.
    Diff {
        /// The rules directory as it was (a copy, or a checkout of an older version)
        #[arg(value_name = "OLD_RULES_DIR")]
        old_rules: PathBuf,
        /// Only this mailbox [default: every mailbox]
        #[arg(long, value_name = "NAME")]
        mailbox: Option<String>,
        /// Mail that arrived since: a period back from today (30d, 2w) or a date (2026-11-01)
        #[arg(long, value_name = "WHEN", default_value = "30d")]
        since: String,
    },
    /// Show how the office is doing: whether clerk runs, mailbox connections, the outbox, mail handled,
    /// failures.
    ///
    /// Reads the database and who holds the office's lock, so it works while the daemon runs and
    /// changes nothing.
    Status {
        /// Print JSON (times in unix seconds) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Sign in once to an OAuth2 provider (Gmail, Microsoft 365) so clerk can read and send mail there.
    ///
    /// NAME is an [oauth2.NAME] table in clerk.toml, or a mailbox that signs in with one. You get a
    /// code to enter on the provider's page where it offers that for mail (Microsoft), else a link to
    /// open in a browser (Google). The refresh token is saved to the table's `refresh_token_file`
    /// (readable by this user only): run this as the user the daemon runs as.
    Auth {
        /// The [oauth2.NAME] table, or a mailbox's name
        name: String,
        /// Sign in through a browser link even where the provider offers a device code
        #[arg(long)]
        browser: bool,
    },
    /// List the events of the office's calendars and rooms, day by day.
    ///
    /// Recurring events are shown once per occurrence, each calendar in its own time zone. Reads the
    /// database only.
    Calendar {
        /// Only this calendar or room (its `name` in office.toml) [default: all of them]
        #[arg(long, value_name = "NAME")]
        calendar: Option<String>,
        /// From this day, e.g. 2026-11-23 [default: today]
        #[arg(long, value_name = "DATE")]
        from: Option<chrono::NaiveDate>,
        /// To this day, included [default: 13 days after --from, two weeks in all]
        #[arg(long, value_name = "DATE")]
        to: Option<chrono::NaiveDate>,
    },
    /// Print the secret links of the published calendars: each calendar, its free/busy, each room.
    ///
    /// Each link is shown as http(s):// and as webcal:// (which calendar programs open as a
    /// subscription). A feed without a link gets one now. The daemon serves them at [http] listen;
    /// [feeds] url gives the address people reach it at.
    Feeds {
        /// Give this feed (e.g. calendar:giulia, or its file name giulia.ics) a new link; the old one
        /// stops working within a second
        #[arg(long, value_name = "FEED")]
        rotate: Option<String>,
    },
    /// List the inquiry desk's tickets, newest first: state, department, priority, customer, age.
    ///
    /// Reads the database only, so it works while the daemon runs.
    Tickets {
        /// Only tickets still waiting for an answer (new or waiting)
        #[arg(long)]
        open: bool,
        /// Only this department's tickets (its name in office.toml)
        #[arg(long, value_name = "NAME")]
        department: Option<String>,
    },
    /// Show one ticket with its whole conversation: the customer's messages, the staff's answers and
    /// what clerk sent.
    Ticket {
        /// The ticket's number, as in subjects: 1042-7 (or 1042)
        number: String,
    },
    /// List the supply cupboard: each item on the shelf, promised to requests, available, on order
    /// and drafted, with what is below its reorder point; or count it (`set`), or show one item's ledger.
    Stock {
        #[command(subcommand)]
        action: Option<StockAction>,
    },
    /// List the purchase orders clerk keeps for the supply cupboard, newest first, with their lines.
    PurchaseOrders {
        /// Only orders not yet done with (drafts, and orders a vendor still owes)
        #[arg(long)]
        open: bool,
    },
    /// Show or forget the auto-reply limit's records for a sender.
    Dedupe {
        #[command(subcommand)]
        action: DedupeAction,
    },
    /// Set up a self-contained example office (Maildir inbox, file outbox) and run it.
    Demo {
        /// Where to create the demo office
        #[arg(long, value_name = "DIR", default_value = "clerk-demo")]
        dir: PathBuf,
        /// Handle the sample messages, print what happened, and exit
        #[arg(long)]
        once: bool,
    },
}

#[derive(Subcommand)]
enum StockAction {
    /// Record a count: SKU has COUNT on the shelf now. The difference goes into the ledger with your
    /// name, and the next order run orders what the item lacks.
    Set {
        /// The item's code in catalog.toml (any case)
        sku: String,
        /// How many of the item's units are on the shelf
        count: i64,
        /// Who counted (default: the login name)
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Show one item's level and its ledger, newest first: every change with its reason, request or
    /// order, and person.
    Show {
        /// The item's code in catalog.toml (any case)
        sku: String,
    },
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

#[derive(Subcommand)]
enum OutboxAction {
    /// Send held (uncertain) or refused mail again: check first that the recipient did not get it.
    Resend {
        /// The Message-ID shown by `clerk outbox`
        message_id: String,
    },
}

/// The log level when neither `--log`, the config nor `RUST_LOG` set one.
const DEFAULT_LOG: &str = "info";

fn main() -> ExitCode {
    let cli = Cli::parse();
    clerk::intake::remember_panic_places();
    // `run` logs at the level its configuration asks for, so it starts logging once that is read. Work
    // on existing mail shows a progress bar, which a line per message would only scroll away.
    match cli.command {
        Command::Run { .. } => {}
        Command::Backfill { .. } | Command::Replay { apply: true, .. } => {
            clerk::logging::init(cli.log.as_deref().unwrap_or("warn"))
        }
        _ => clerk::logging::init(cli.log.as_deref().unwrap_or(DEFAULT_LOG)),
    }
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run { once } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
            clerk::logging::init(cli.log.as_deref().or(config.log_level.as_deref()).unwrap_or(DEFAULT_LOG));
            for open in config.open_secret_files() {
                tracing::warn!("{open}");
            }
            match block_on_and_leave(clerk::daemon::run(config, once)) {
                Err(e) if e.downcast_ref::<clerk::daemon::Stuck>().is_some() => {
                    eprintln!("error: {e}");
                    Ok(ExitCode::from(clerk::intake::EXIT_STUCK as u8))
                }
                result => result.map(|()| ExitCode::SUCCESS),
            }
        }
        Command::Check { rules } => {
            let config =
                match rules {
                    Some(_) => None,
                    None => Some(Config::locate(cli.config.as_deref()).context(
                        "check needs a config, or --rules DIR to check a rules directory on its own",
                    )?),
                };
            let report = clerk::check::check(config.as_deref(), rules.as_deref());
            print!("{report}");
            Ok(if report.passed() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Explain { message, rules, json } => {
            // With a config, the office's reply log says whether the reply limit would hold a reply back.
            let (dir, database) = match rules {
                Some(dir) => (dir, None),
                None => {
                    let config = Config::locate_and_load(cli.config.as_deref()).context(
                        "explain needs a config, or --rules DIR to try a rules directory on its own",
                    )?;
                    (config.rules_dir, Some(config.database))
                }
            };
            let rules = RuleSet::load(&dir).map_err(|e| anyhow::anyhow!("{e}"))?;
            for warning in &rules.warnings {
                eprintln!("warning: {warning}");
            }
            let raw =
                std::fs::read(&message).with_context(|| format!("cannot read {}", message.display()))?;
            let reply_log = database.map(|path| ReplyLog::open(&path)).transpose()?;
            let explanation = clerk::explain::explain(&rules, &raw, reply_log.as_ref())
                .with_context(|| format!("cannot read the message {}", message.display()))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&explanation.to_json())?);
            } else {
                print!("{explanation}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Retry { ids, all } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
            block_on_and_leave(retry(config, ids, all))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Outbox { action } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
            let mut store = clerk::store::Store::open(&config.database)?;
            match action {
                None => {
                    let unsent = store.unsent_mail()?;
                    if unsent.is_empty() {
                        println!("The outbox is empty: every mail has been sent.");
                    }
                    for mail in unsent {
                        println!(
                            "{:<10} <{}> to {}",
                            mail.status,
                            mail.message_id,
                            mail.recipients.join(", ")
                        );
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
        Command::Replay { mailbox, since, apply: true, .. } => {
            handle_existing_mail(cli.config.as_deref(), mailbox.as_deref(), &since)
        }
        Command::Backfill { mailbox, since } => {
            handle_existing_mail(cli.config.as_deref(), Some(&mailbox), &since)
        }
        Command::Replay { mailbox, since, json, .. } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
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
        Command::Diff { old_rules, mailbox, since } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
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
                "{} of the messages since {since} would change rule or desk ({} -> {}).",
                changes.len(),
                old_rules.display(),
                config.rules_dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { json } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
            let store = clerk::store::Store::open_read_only(&config.database)
                .with_context(|| format!("cannot read {}: has clerk run yet?", config.database.display()))?;
            let mut status = clerk::status::read(&store, clerk::store::now())?;
            status.observe_lock(&clerk::daemon::lock_path(&config.database));
            if json {
                println!("{}", serde_json::to_string_pretty(&status)?);
            } else {
                print!("{status}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Auth { name, browser } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
            let provider = oauth_provider(&config, &name)?;
            let flow = browser.then_some(clerk::secret::oauth::sign_in::Flow::Browser);
            runtime()?.block_on(clerk::secret::oauth::sign_in::sign_in(provider, flow))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Calendar { calendar, from, to } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
            let rules = load_rules(&config.rules_dir)?;
            let from = from.unwrap_or_else(|| chrono::Local::now().date_naive());
            let to = to.unwrap_or(from + chrono::TimeDelta::days(13));
            let store = clerk::store::Store::open_read_only(&config.database)
                .with_context(|| format!("cannot read {}: has clerk run yet?", config.database.display()))?;
            print!(
                "{}",
                clerk::reports::calendar::report(&store, &rules.office, calendar.as_deref(), from, to)?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Stock { action } => {
            let (config, rules, catalog) = supply_office(cli.config.as_deref())?;
            let catalog = &catalog;
            let now = chrono::Utc::now().timestamp();
            let language = rules.office.language.as_str();
            let output = match action {
                None => {
                    let store = clerk::store::Store::open_read_only(&config.database).with_context(|| {
                        format!("cannot read {}: has clerk run yet?", config.database.display())
                    })?;
                    clerk::reports::stock::levels(&store, catalog, language)?
                }
                Some(StockAction::Show { sku }) => {
                    let store = clerk::store::Store::open_read_only(&config.database).with_context(|| {
                        format!("cannot read {}: has clerk run yet?", config.database.display())
                    })?;
                    clerk::reports::stock::history(&store, catalog, &sku, now)?
                }
                Some(StockAction::Set { sku, count, by }) => {
                    let person = by
                        .or_else(|| std::env::var("USER").ok())
                        .unwrap_or_else(|| "clerk stock set".to_owned());
                    let mut store = clerk::store::Store::open(&config.database)
                        .with_context(|| format!("cannot open {}", config.database.display()))?;
                    clerk::reports::stock::set(&mut store, catalog, &sku, count, &person, now)?
                }
            };
            print!("{output}");
            Ok(ExitCode::SUCCESS)
        }
        Command::PurchaseOrders { open } => {
            let (config, _, catalog) = supply_office(cli.config.as_deref())?;
            let store = clerk::store::Store::open_read_only(&config.database)
                .with_context(|| format!("cannot read {}: has clerk run yet?", config.database.display()))?;
            print!("{}", clerk::reports::stock::orders(&store, &catalog, open)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Tickets { open, department } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
            let rules = load_rules(&config.rules_dir)?;
            if let Some(name) = &department
                && !rules.office.departments.contains_key(name)
            {
                let known: Vec<&str> = rules.office.departments.keys().map(String::as_str).collect();
                anyhow::bail!("no department `{name}` in office.toml (one of: {})", known.join(", "));
            }
            let store = clerk::store::Store::open_read_only(&config.database)
                .with_context(|| format!("cannot read {}: has clerk run yet?", config.database.display()))?;
            let now = chrono::Utc::now().timestamp();
            print!(
                "{}",
                clerk::reports::tickets::list(&store, &rules.office, open, department.as_deref(), now)?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Ticket { number } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
            let rules = load_rules(&config.rules_dir)?;
            let number = clerk::reports::tickets::parse_number(&number)?;
            let store = clerk::store::Store::open_read_only(&config.database)
                .with_context(|| format!("cannot read {}: has clerk run yet?", config.database.display()))?;
            let now = chrono::Utc::now().timestamp();
            print!("{}", clerk::reports::tickets::thread(&store, &rules.office, number, now)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Feeds { rotate } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
            let rules = load_rules(&config.rules_dir)?;
            let mut store = clerk::store::Store::open(&config.database)
                .with_context(|| format!("cannot open {}", config.database.display()))?;
            print!(
                "{}",
                clerk::feeds::report(
                    &mut store,
                    &rules.office,
                    &config.feeds,
                    config.http_listen,
                    rotate.as_deref()
                )?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Dedupe { action } => {
            let config = Config::locate_and_load(cli.config.as_deref())?;
            let output = match action {
                DedupeAction::Show { address } => {
                    let store = clerk::store::Store::open_read_only(&config.database)?;
                    // The rules give each rule's limit and the office's time zone; without them the
                    // records are still worth showing.
                    let rules = RuleSet::load(&config.rules_dir).ok();
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
        Command::Demo { dir, once } => {
            if cli.config.is_some() {
                anyhow::bail!(
                    "demo runs the example office with its own config in --dir; leave out --config"
                );
            }
            block_on_and_leave(clerk::demo::run(&dir, once))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The provider `clerk auth NAME` signs in to: the `[oauth2.NAME]` table, or the one a mailbox named
/// NAME uses.
fn oauth_provider<'c>(config: &'c Config, name: &str) -> anyhow::Result<&'c clerk::secret::oauth::Provider> {
    if let Some(tokens) = config.oauth2.get(name) {
        return Ok(tokens.provider());
    }
    let mailbox = config.mailboxes.iter().find(|m| m.name == name).map(|m| &m.source);
    if let Some(clerk::config::Source::Imap(account)) = mailbox
        && let clerk::secret::Credential::OAuth2(tokens) = &account.credential
    {
        return Ok(tokens.provider());
    }
    let tables: Vec<_> = config.oauth2.keys().map(|k| format!("[oauth2.{k}]")).collect();
    anyhow::bail!(
        "{name} is neither an [oauth2] table in {} nor a mailbox that signs in with one (tables: {})",
        config.file.display(),
        if tables.is_empty() { "none".to_string() } else { tables.join(", ") }
    )
}

/// A rules directory, loaded (its embedded tests need not pass: replay and diff are for trying rules).
/// The config, rules and catalog of an office that keeps supplies; refused without catalog.toml.
fn supply_office(
    config: Option<&std::path::Path>,
) -> anyhow::Result<(Config, RuleSet, clerk::supply::Catalog)> {
    let config = Config::locate_and_load(config)?;
    let rules = load_rules(&config.rules_dir)?;
    let Some(catalog) = rules.catalog.clone() else {
        anyhow::bail!(
            "the rules in {} have no catalog.toml: the office keeps no supplies",
            config.rules_dir.display()
        );
    };
    Ok((config, rules, catalog))
}

fn load_rules(dir: &std::path::Path) -> anyhow::Result<RuleSet> {
    RuleSet::load(dir)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("the rules in {}", dir.display()))
}

/// `replay --apply` and `backfill`: the mail since `since` handled through the journal, with a progress
/// bar (count, rate, time left) on a terminal.
fn handle_existing_mail(
    config: Option<&std::path::Path>,
    mailbox: Option<&str>,
    since: &str,
) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let (mailboxes, from) = replay_scope(&config, mailbox, since)?;
    let mailboxes: Vec<_> = mailboxes.into_iter().cloned().collect();
    let office = clerk::daemon::Office::open(config)?;
    let runtime = runtime()?;
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

/// `clerk retry`: lists the failed messages, or retries those asked for and delivers what they queue
/// when no daemon runs to do it.
async fn retry(config: Config, ids: Vec<i64>, all: bool) -> anyhow::Result<()> {
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

/// The mailboxes (all, or the one named) and the first day `replay` and `diff` look at.
fn replay_scope<'c>(
    config: &'c Config,
    mailbox: Option<&str>,
    since: &str,
) -> anyhow::Result<(Vec<&'c clerk::config::MailboxConfig>, chrono::NaiveDate)> {
    let since = clerk::replay::since(since, chrono::Local::now().date_naive()).map_err(anyhow::Error::msg)?;
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
    Ok((mailboxes, since))
}

/// The messages `replay` and `diff` look at, decided by each of `rule_sets`.
fn replay_rows(
    config: &Config,
    mailbox: Option<&str>,
    since: &str,
    rule_sets: &[&RuleSet],
) -> anyhow::Result<Vec<Vec<clerk::replay::Row>>> {
    let (mailboxes, since) = replay_scope(config, mailbox, since)?;
    // The journal says which messages clerk already handled; before the first run there is none.
    let store = clerk::store::Store::open_read_only(&config.database).ok();
    let rows =
        runtime()?.block_on(clerk::replay::decide_all(&mailboxes, since, rule_sets, store.as_ref()))?;
    Ok(rows)
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// Runs the daemon (or the demo) and returns without waiting for work that will not finish: a
/// thread still deciding a message when the stop's grace ran out holds nothing that is not redone
/// at the next start (its transaction is not committed and the message is written down as in hand),
/// so the stop stays within the README's 10 seconds whatever that thread is doing.
fn block_on_and_leave(work: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    let runtime = runtime()?;
    let result = runtime.block_on(work);
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    result
}
