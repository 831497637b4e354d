//! Setting an office up: sign in to an OAuth2 provider (`auth`), print or rotate the calendar
//! `feeds`' links, and run the example office (`demo`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use clerk::config::Config;

#[derive(Args)]
pub struct Auth {
    /// The [oauth2.NAME] table, or a mailbox's name
    name: String,
    /// Sign in through a browser link even where the provider offers a device code
    #[arg(long)]
    browser: bool,
}

#[derive(Args)]
pub struct Feeds {
    /// Give this feed (e.g. calendar:giulia, or its file name giulia.ics) a new link; the old one
    /// stops working within a second
    #[arg(long, value_name = "FEED")]
    rotate: Option<String>,
}

#[derive(Args)]
pub struct Demo {
    /// Where to create the demo office
    #[arg(long, value_name = "DIR", default_value = "clerk-demo")]
    dir: PathBuf,
    /// Handle the sample messages, print what happened, and exit
    #[arg(long)]
    once: bool,
}

/// `clerk auth`: the sign-in, by device code or browser link.
pub fn auth(Auth { name, browser }: Auth, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let provider = oauth_provider(&config, &name)?;
    let flow = browser.then_some(clerk::secret::oauth::sign_in::Flow::Browser);
    crate::runtime()?.block_on(clerk::secret::oauth::sign_in::sign_in(provider, flow))?;
    Ok(ExitCode::SUCCESS)
}

/// `clerk feeds`: every feed's links, after giving the one named a new link.
pub fn feeds(Feeds { rotate }: Feeds, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let rules = super::load_rules(&config.rules_dir)?;
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

/// `clerk demo`: the example office, set up in `dir` with its own config and run.
pub fn demo(Demo { dir, once }: Demo, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    if config.is_some() {
        anyhow::bail!("demo runs the example office with its own config in --dir; leave out --config");
    }
    crate::block_on_and_leave(clerk::demo::run(&dir, once))?;
    Ok(ExitCode::SUCCESS)
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
