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

// mimalloc's own C interface (the library is linked in with the allocator); the `mimalloc` crate
// declares this only with a feature that needs another crate.
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in `mi_option_t`: option 15 in both the v2 and the v3 headers that
/// libmimalloc-sys 0.1.49 builds from (c_src/mimalloc/v*/include/mimalloc.h).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Has mimalloc give freed memory back to the system at once instead of after its purge delay
/// (10 ms by default; issue #21).
/// Kept, the memory freed by each batch of a backlog was not yet returned when the next batch
/// allocated elsewhere, and the resident set climbed through a long backlog: peak RSS 60.9 MB after
/// 40,000 messages, 47.2 MB with this (README, "Scale"), at no measurable cost in speed.
/// `MIMALLOC_PURGE_DELAY` still decides when it is set.
fn return_freed_memory_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mi_option_set only stores the value; purge_delay is read on every purge decision.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
}

/// The log level when neither `--log`, the config nor `RUST_LOG` set one.
const DEFAULT_LOG: &str = "info";

fn main() -> ExitCode {
    return_freed_memory_at_once();
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
