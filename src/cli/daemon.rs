//! The daemon from the command line: `run` it, `check` that it would start with these files, and
//! show its `status`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use clerk::config::Config;

#[derive(Args)]
pub struct Run {
    /// Handle the mail that is waiting, deliver the outbox, and exit instead of watching.
    #[arg(long)]
    once: bool,
}

#[derive(Args)]
pub struct Check {
    /// Check this rules directory on its own instead of the configuration and its rules
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

#[derive(Args)]
pub struct Status {
    /// Print JSON (times in unix seconds) instead of text
    #[arg(long)]
    json: bool,
}

/// `clerk run`: the daemon, logging at `log`, else at the level the configuration asks for.
pub fn run(Run { once }: Run, config: Option<&Path>, log: Option<&str>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    clerk::logging::init(log.or(config.log_level.as_deref()).unwrap_or(crate::DEFAULT_LOG));
    for open in config.open_secret_files() {
        tracing::warn!("{open}");
    }
    match crate::block_on_and_leave(clerk::daemon::run(config, once)) {
        Err(e) if e.downcast_ref::<clerk::daemon::Stuck>().is_some() => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(clerk::intake::EXIT_STUCK as u8))
        }
        result => result.map(|()| ExitCode::SUCCESS),
    }
}

/// `clerk check`: the report, and exit code 1 when clerk would not start or a test fails.
pub fn check(Check { rules }: Check, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = match rules {
        Some(_) => None,
        None => Some(
            Config::locate(config)
                .context("check needs a config, or --rules DIR to check a rules directory on its own")?,
        ),
    };
    let report = clerk::check::check(config.as_deref(), rules.as_deref());
    print!("{report}");
    Ok(if report.passed() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `clerk status`: how the office is doing, as text or JSON.
pub fn status(Status { json }: Status, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::locate_and_load(config)?;
    let store = super::read_store(&config)?;
    let mut status = clerk::status::read(&store, clerk::store::now())?;
    status.observe_lock(&clerk::daemon::lock_path(&config.database));
    if json {
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        print!("{status}");
    }
    Ok(ExitCode::SUCCESS)
}
