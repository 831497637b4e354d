//! Log output: readable lines on a terminal, plain lines without timestamps under systemd (journald
//! stamps them itself), levels from `--log` or `RUST_LOG`. Secrets never reach a log: they are
//! [`crate::secret::Secret`]s, which print as `***`.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. `level` is `info`, `debug`, … or a full filter expression;
/// `RUST_LOG` wins when set.
pub fn init(level: &str) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let under_systemd = std::env::var_os("JOURNAL_STREAM").is_some();
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(colour);
    if under_systemd {
        builder.without_time().with_ansi(false).init();
    } else {
        builder.init();
    }
}
