//! Waiting longer after each failure, and not in step with everyone else: the one rule for retrying
//! a server (an IMAP reconnect, a mail the SMTP server would not take).

use std::time::Duration;

/// Doubling delays from `first`, at most `most`, each scaled by a random factor within `±jitter`
/// (0.2 is ±20 %) so that many clients do not come back at the same moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub first: Duration,
    pub most: Duration,
    pub jitter: f64,
}

impl Backoff {
    /// The wait after the `failures`-th failure in a row (the first failure waits about `first`).
    pub fn after(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(30) as i32;
        let base = (self.first.as_secs_f64() * 2f64.powi(doublings)).min(self.most.as_secs_f64());
        Duration::from_secs_f64(base * (1.0 - self.jitter + 2.0 * self.jitter * fastrand::f64()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTBOX: Backoff =
        Backoff { first: Duration::from_secs(5), most: Duration::from_secs(3600), jitter: 0.2 };

    #[test]
    fn the_first_wait_is_about_the_first_delay() {
        let wait = OUTBOX.after(1);
        assert!(wait >= Duration::from_secs(4) && wait <= Duration::from_secs(6), "{wait:?}");
    }

    #[test]
    fn waits_double_and_stop_growing_at_the_most() {
        let third = OUTBOX.after(3);
        assert!(third >= Duration::from_secs(16) && third <= Duration::from_secs(24), "{third:?}");
        assert!(OUTBOX.after(1000) <= Duration::from_secs(4320));
    }
}
