//! Prometheus metrics, in the text exposition format (version 0.0.4) served at `/metrics`.
//!
//! Most figures are read from the database when scraped (messages by desk, rule and status; the outbox
//! by status; reconnects per folder), so they agree with `clerk status` and cost nothing between
//! scrapes. Only the processing time is measured in the process. A handful of metrics in a simple text
//! format did not justify a metrics framework.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::store::{Store, StoreError};

/// Upper bounds (seconds) of the processing-time buckets.
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// A histogram of durations with fixed buckets, safe to update from any thread.
pub struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    /// Sum of the observations, in microseconds.
    sum_micros: AtomicU64,
}

impl Histogram {
    const fn new() -> Histogram {
        Histogram {
            buckets: [const { AtomicU64::new(0) }; BUCKETS.len()],
            count: AtomicU64::new(0),
            sum_micros: AtomicU64::new(0),
        }
    }

    /// Records `n` observations of `took` each (a batch whose messages were committed together).
    pub fn observe(&self, took: Duration, n: u64) {
        let seconds = took.as_secs_f64();
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            if seconds <= bound {
                bucket.fetch_add(n, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(n, Ordering::Relaxed);
        self.sum_micros.fetch_add(took.as_micros() as u64 * n, Ordering::Relaxed);
    }

    fn render(&self, name: &str, help: &str, out: &mut String) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {}", bucket.load(Ordering::Relaxed));
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {}", self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {count}");
    }
}

/// Time from a batch reaching the intake to its journal commit, per message.
pub static PROCESSING: Histogram = Histogram::new();

/// Every metric, as `/metrics` serves it.
pub fn render(store: &Store) -> Result<String, StoreError> {
    let mut out = String::new();
    out.push_str("# HELP clerk_messages_total Messages journaled, by status, desk and rule.\n");
    out.push_str("# TYPE clerk_messages_total counter\n");
    for (status, desk, rule, count) in store.message_counts()? {
        let _ = writeln!(
            out,
            "clerk_messages_total{{status=\"{}\",desk=\"{}\",rule=\"{}\"}} {count}",
            label(&status),
            label(&desk),
            label(&rule)
        );
    }
    out.push_str("# HELP clerk_outbox_mail Mail in the outbox, by status (pending, sending, uncertain, failed, sent).\n");
    out.push_str("# TYPE clerk_outbox_mail gauge\n");
    for (status, count) in store.outbox_counts()? {
        let _ = writeln!(out, "clerk_outbox_mail{{status=\"{}\"}} {count}", label(&status));
    }
    out.push_str("# HELP clerk_imap_reconnects_total Times a folder's connection failed and was retried since clerk started.\n");
    out.push_str("# TYPE clerk_imap_reconnects_total counter\n");
    for watcher in store.watch_statuses()? {
        let _ = writeln!(
            out,
            "clerk_imap_reconnects_total{{mailbox=\"{}\",folder=\"{}\"}} {}",
            label(&watcher.mailbox),
            label(&watcher.folder),
            watcher.reconnects
        );
    }
    PROCESSING.render(
        "clerk_processing_seconds",
        "Time from a message reaching the intake to its journal commit.",
        &mut out,
    );
    Ok(out)
}

/// A label value with `\`, `"` and line breaks escaped, as the format requires.
fn label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_counts_each_observation_in_every_bucket_it_fits() {
        let histogram = Histogram::new();
        histogram.observe(Duration::from_millis(30), 2);
        let mut out = String::new();
        histogram.render("t", "test", &mut out);
        assert!(out.contains("t_bucket{le=\"0.025\"} 0\n"), "{out}");
        assert!(out.contains("t_bucket{le=\"0.05\"} 2\n"), "{out}");
        assert!(out.contains("t_bucket{le=\"+Inf\"} 2\n"), "{out}");
        assert!(out.contains("t_sum 0.06\n"), "{out}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a \"b\"\\\n"), "a \\\"b\\\"\\\\\\n");
    }

    #[test]
    fn an_empty_office_renders_every_family() {
        let store = Store::open_in_memory().unwrap();
        let out = render(&store).unwrap();
        for family in [
            "clerk_messages_total",
            "clerk_outbox_mail",
            "clerk_imap_reconnects_total",
            "clerk_processing_seconds",
        ] {
            assert!(out.contains(&format!("# TYPE {family} ")), "{family}: {out}");
        }
    }
}
