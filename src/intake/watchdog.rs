//! The watchdog over the message in hand: a message whose handling never finishes cannot be taken
//! back from its thread, so after a few time budgets clerk names it and stops, for its supervisor to
//! start it again. The message is written down as in hand (see [`super::durable`]), so the next start
//! handles it alone and, if it stops clerk again, gives up on it.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::decide::Place;
use crate::store::JournalEntry;

/// The exit status when clerk stops itself because a message would not finish (EX_SOFTWARE).
pub const EXIT_STUCK: i32 = 70;

/// How many of its time budgets a message may be in hand before clerk stops.
const STUCK_AFTER_BUDGETS: u32 = 3;

/// The time handling one message may take: the mailbox's budget and a second more for every 10 MB of
/// the message, so a big message that is only slow to copy is not taken for a stuck one.
pub(super) fn budget_for(time_budget: Duration, bytes: usize) -> Duration {
    time_budget.saturating_add(Duration::from_millis((bytes / 10_000) as u64))
}

/// What is in hand right now, since when, and for how long it may be.
#[derive(Clone, Default)]
pub(crate) struct Holding(Arc<Mutex<Option<Held>>>);

struct Held {
    what: String,
    since: Instant,
    limit: Duration,
}

impl Holding {
    /// Holds the decision of one message.
    pub(super) fn hold_message(&self, entry: &JournalEntry, budget: Duration) {
        let id = entry
            .message_id
            .as_deref()
            .map_or_else(|| "without Message-ID".to_string(), |id| format!("<{id}>"));
        let what =
            format!("message {id} (mailbox {}, folder {}, item {})", entry.mailbox, entry.folder, entry.item);
        self.set(what, budget);
    }

    /// Holds the reading (parsing) of messages, which comes before any one of them is decided.
    pub(super) fn hold_reading(&self, place: &Place, items: &[&str], bytes: usize) {
        let what = match items {
            [one] => {
                format!("message item {one} (mailbox {}, folder {}) being read", place.mailbox, place.folder)
            }
            _ => format!(
                "a batch of {} messages (mailbox {}, folder {}, items {} to {}) being read",
                items.len(),
                place.mailbox,
                place.folder,
                items.first().unwrap_or(&"?"),
                items.last().unwrap_or(&"?")
            ),
        };
        self.set(what, budget_for(place.time_budget, bytes));
    }

    pub(super) fn release(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn set(&self, what: String, budget: Duration) {
        let limit = budget.saturating_mul(STUCK_AFTER_BUDGETS);
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(Held { what, since: Instant::now(), limit });
    }

    /// What has been in hand past its limit, with the limit.
    fn overdue(&self) -> Option<(String, Duration)> {
        let held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        held.as_ref().filter(|h| h.since.elapsed() > h.limit).map(|h| (h.what.clone(), h.limit))
    }
}

/// What the watch is over, for what clerk says when it stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Watching {
    /// New mail, written down as in hand.
    Mail,
    /// `clerk retry` of a failed message.
    Retry,
}

/// The daemon's ear for a stuck message: when it listens, the watchdog tells it (and it stops in
/// order, within its 10 seconds, with [`EXIT_STUCK`]); otherwise (`run --once`, `replay`, `retry`) the
/// watchdog exits itself.
fn stuck_channel() -> &'static watch::Sender<Option<String>> {
    static CHANNEL: OnceLock<watch::Sender<Option<String>>> = OnceLock::new();
    CHANNEL.get_or_init(|| watch::Sender::new(None))
}

/// For the daemon: a receiver that hears which message got stuck.
pub fn listen_for_stuck_messages() -> watch::Receiver<Option<String>> {
    stuck_channel().subscribe()
}

/// Never returns: when something has been in hand past its limit, clerk says what and stops.
pub(super) async fn stop_when_stuck(holding: &Holding, watching: Watching) {
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let Some((what, limit)) = holding.overdue() else { continue };
        let then = match watching {
            Watching::Mail => {
                "clerk stops so that it can start again without it; it is then handled alone, and \
                 recorded as failed if it stops clerk twice that way"
            }
            Watching::Retry => "clerk stops; the message stays failed",
        };
        let told = format!("{what} has kept clerk busy for over {}; {then}", crate::units::humanize(limit));
        tracing::error!("{told}");
        if stuck_channel().receiver_count() > 0 {
            stuck_channel().send_replace(Some(told));
            std::future::pending::<()>().await;
        }
        std::process::exit(EXIT_STUCK);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_message_gets_a_second_more_for_every_ten_megabytes() {
        let budget = Duration::from_secs(10);
        assert_eq!(budget_for(budget, 1_000), budget);
        assert_eq!(budget_for(budget, 50_000_000), Duration::from_secs(15));
        assert_eq!(budget_for(Duration::MAX, usize::MAX), Duration::MAX);
    }
}
