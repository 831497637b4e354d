//! Log output: readable lines on a terminal, plain lines without timestamps under systemd (journald
//! stamps them itself), levels from `--log` or `RUST_LOG`. Secrets never reach a log: they are
//! [`crate::secret::Secret`]s, which print as `***`, and the protocol traces of the IMAP library
//! (which show LOGIN and AUTHENTICATE lines as sent) are never shown, whatever level is asked for.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::Directive;

/// Libraries whose trace and debug output contains the protocol exchange, credentials included.
const PROTOCOL_TRACERS: [&str; 2] = ["async_imap", "imap_proto"];

/// Installs the global subscriber. `level` is `info`, `debug`, … or a full filter expression;
/// `RUST_LOG` wins when set.
pub fn init(level: &str) {
    let filter = filter(std::env::var("RUST_LOG").ok().as_deref(), level);
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

/// Whether `level` is a log level or filter clerk understands (`info`, `debug`, `clerk=debug,warn`, …).
pub fn check_level(level: &str) -> Result<(), String> {
    EnvFilter::try_new(level)
        .map(drop)
        .map_err(|e| format!("{e}: expected error, warn, info, debug or trace, or a RUST_LOG-style filter"))
}

/// The filter for `RUST_LOG` (when set and valid) or `level`, with the protocol tracers held to `info`.
fn filter(rust_log: Option<&str>, level: &str) -> EnvFilter {
    let filter = rust_log
        .and_then(|spec| EnvFilter::try_new(spec).ok())
        .or_else(|| EnvFilter::try_new(level).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    PROTOCOL_TRACERS.iter().fold(filter, |filter, target| {
        match format!("{target}=info").parse::<Directive>() {
            Ok(directive) => filter.add_directive(directive),
            Err(_) => filter,
        }
    })
}

/// What a test's log writes, kept to be read back: the writer a test gives its subscriber.
#[cfg(test)]
#[derive(Clone, Default)]
pub(crate) struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

#[cfg(test)]
impl Captured {
    /// Everything written so far, as text.
    pub(crate) fn text(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

#[cfg(test)]
impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Log lines written under `filter`, for the events `emit` sends.
    fn logged(filter: EnvFilter, emit: impl FnOnce()) -> String {
        let buffer = Captured::default();
        let writer = buffer.clone();
        let subscriber =
            tracing_subscriber::fmt().with_env_filter(filter).with_writer(move || writer.clone()).finish();
        tracing::subscriber::with_default(subscriber, emit);
        buffer.text()
    }

    fn imap_library_traces() {
        tracing::trace!(target: "async_imap::imap_stream", "encode: LOGIN \"me\" \"s3cret\"");
        tracing::debug!(target: "imap_proto::parser", "AUTHENTICATE AG1lAHMzY3JldA==");
        tracing::trace!(target: "clerk::sources::imap", "clerk's own trace");
    }

    #[test]
    fn the_imap_protocol_trace_is_never_logged_even_at_trace() {
        for (rust_log, level) in
            [(None, "trace"), (Some("trace"), "info"), (Some("async_imap=trace"), "info")]
        {
            let log = logged(filter(rust_log, level), imap_library_traces);
            assert!(
                !log.contains("s3cret") && !log.contains("AG1lAHMzY3JldA=="),
                "{rust_log:?} {level}: {log}"
            );
        }
        assert!(logged(filter(None, "trace"), imap_library_traces).contains("clerk's own trace"));
    }
}
