//! The office's records from the command line: the `calendar`, the inquiry desk's `tickets` (and one
//! `ticket`), the supply cupboard's `stock` and its `purchase-orders`, and the office's `events`
//! (and one `event`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use clerk::config::Config;
use clerk::rules::RuleSet;

use super::{load_rules, read_store};

#[derive(Args)]
pub struct Calendar {
    /// Only this calendar or room (its `name` in office.toml) [default: all of them]
    #[arg(long, value_name = "NAME")]
    calendar: Option<String>,
    /// From this day, e.g. 2026-11-23 [default: today in the office's time zone]
    #[arg(long, value_name = "DATE")]
    from: Option<chrono::NaiveDate>,
    /// To this day, included [default: 13 days after --from, two weeks in all]
    #[arg(long, value_name = "DATE")]
    to: Option<chrono::NaiveDate>,
}

#[derive(Args)]
pub struct Tickets {
    /// Only tickets still waiting for an answer (new or waiting)
    #[arg(long)]
    open: bool,
    /// Only this department's tickets (its name in office.toml)
    #[arg(long, value_name = "NAME")]
    department: Option<String>,
}

#[derive(Args)]
pub struct Ticket {
    /// The ticket's number, as in subjects: 1042-9 (or 1042)
    number: String,
}

#[derive(Args)]
pub struct Stock {
    #[command(subcommand)]
    action: Option<StockAction>,
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

#[derive(Args)]
pub struct PurchaseOrders {
    /// Only orders not yet done with (drafts, and orders a vendor still owes)
    #[arg(long)]
    open: bool,
}

#[derive(Args)]
pub struct Event {
    /// The event's number, as in subjects: EV-2026-0001
    number: String,
}

/// `clerk events`: every event the event desk keeps, newest first.
pub fn events(config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let store = read_store(&config)?;
    print!("{}", clerk::reports::events::list(&store)?);
    Ok(ExitCode::SUCCESS)
}

/// `clerk event`: one event whole, with its guests.
pub fn event(Event { number }: Event, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let number = clerk::reports::events::parse_number(&number)?;
    let store = read_store(&config)?;
    print!("{}", clerk::reports::events::show(&store, number)?);
    Ok(ExitCode::SUCCESS)
}

/// `clerk calendar`: the events from `from` to `to`, two weeks from today unless told.
pub fn calendar(
    Calendar { calendar, from, to }: Calendar,
    config: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let rules = load_rules(&config.rules_dir)?;
    // Today is the office's today, whatever zone the machine keeps.
    let from = from.unwrap_or_else(|| chrono::Utc::now().with_timezone(&rules.office.timezone).date_naive());
    let to = to.unwrap_or(from + chrono::TimeDelta::days(13));
    let store = read_store(&config)?;
    print!("{}", clerk::reports::calendar::report(&store, &rules.office, calendar.as_deref(), from, to)?);
    Ok(ExitCode::SUCCESS)
}

/// `clerk tickets`: the tickets, all or the open ones, of every department or of one.
pub fn tickets(Tickets { open, department }: Tickets, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let rules = load_rules(&config.rules_dir)?;
    if let Some(name) = &department
        && !rules.office.departments.contains_key(name)
    {
        let known: Vec<&str> = rules.office.departments.keys().map(String::as_str).collect();
        anyhow::bail!("no department `{name}` in office.toml (one of: {})", known.join(", "));
    }
    let store = read_store(&config)?;
    let now = chrono::Utc::now().timestamp();
    print!("{}", clerk::reports::tickets::list(&store, &rules.office, open, department.as_deref(), now)?);
    Ok(ExitCode::SUCCESS)
}

/// `clerk ticket`: one ticket and its conversation.
pub fn ticket(Ticket { number }: Ticket, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let rules = load_rules(&config.rules_dir)?;
    let number = clerk::reports::tickets::parse_number(&number)?;
    let store = read_store(&config)?;
    let now = chrono::Utc::now().timestamp();
    print!("{}", clerk::reports::tickets::thread(&store, &rules.office, number, now)?);
    Ok(ExitCode::SUCCESS)
}

/// `clerk stock`: the cupboard's levels, one item's ledger, or a count recorded.
pub fn stock(Stock { action }: Stock, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let (config, rules, catalog) = supply_office(config)?;
    let catalog = &catalog;
    let now = chrono::Utc::now().timestamp();
    let language = rules.office.language.as_str();
    let output = match action {
        None => clerk::reports::stock::levels(&read_store(&config)?, catalog, language)?,
        Some(StockAction::Show { sku }) => {
            clerk::reports::stock::history(&read_store(&config)?, catalog, &sku, now)?
        }
        Some(StockAction::Set { sku, count, by }) => {
            let person =
                by.or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "clerk stock set".to_owned());
            let mut store = clerk::store::Store::open(&config.database)
                .with_context(|| format!("cannot open {}", config.database.display()))?;
            clerk::reports::stock::set(&mut store, catalog, &sku, count, &person, now)?
        }
    };
    print!("{output}");
    Ok(ExitCode::SUCCESS)
}

/// `clerk purchase-orders`: the orders, all or the open ones, with their lines.
pub fn purchase_orders(
    PurchaseOrders { open }: PurchaseOrders,
    config: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let (config, rules, catalog) = supply_office(config)?;
    let store = read_store(&config)?;
    print!("{}", clerk::reports::stock::orders(&store, &catalog, &rules.office, open)?);
    Ok(ExitCode::SUCCESS)
}

/// The config, rules and catalog of an office that keeps supplies; refused without catalog.toml.
fn supply_office(config: Option<&Path>) -> anyhow::Result<(Config, RuleSet, clerk::supply::Catalog)> {
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
