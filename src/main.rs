//! The `clerk` command line: parses it, starts logging, and hands the subcommand to `cli`; an error
//! ends clerk with exit code 2. Each subcommand is a thin shell over the library.

use std::process::ExitCode;

use clap::Parser;

mod cli;

use cli::{Cli, Command};

// Parsing mail allocates many small strings and frees them soon after; mimalloc handles that pattern
// markedly faster than the system allocator (parse + classify: about 15 % more messages per second in
// `cargo bench --bench pipeline`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The log level when neither `--log`, the config nor `RUST_LOG` set one.
const DEFAULT_LOG: &str = "info";

fn main() -> ExitCode {
    let cli = Cli::parse();
    clerk::intake::remember_panic_places();
    // `run` logs at the level its configuration asks for, so it starts logging once that is read. Work
    // on existing mail shows a progress bar, which a line per message would only scroll away.
    match &cli.command {
        Command::Run(_) => {}
        command if command.shows_progress() => clerk::logging::init(cli.log.as_deref().unwrap_or("warn")),
        _ => clerk::logging::init(cli.log.as_deref().unwrap_or(DEFAULT_LOG)),
    }
    match cli::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
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
