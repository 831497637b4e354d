//! The outbox sender: delivers queued mail through the configured transport, retrying temporary
//! failures with growing delays, and records every outcome.
//!
//! The queue itself lives in the store (`store::outbox`), written in the same transaction as the
//! message that caused the mail; this task only drains it. An SMTP outage therefore delays mail and
//! never loses it.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tracing::{info, warn};

use crate::mail::compose::OutboundMail;
use crate::mail::transport::{SendError, Transport};
use crate::store::{Db, QueuedMail, StoreError, now};

/// Mail is given up (and reported by `status`) after this many failed attempts: with the delays
/// below, about four days, as MTAs do.
const MAX_ATTEMPTS: i64 = 100;

/// The running sender.
pub struct Outbox {
    pub db: Db,
    pub transport: Transport,
    /// Notified by the intake when new mail is queued.
    pub wake: Arc<Notify>,
}

impl Outbox {
    /// Delivers until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        if let Err(e) = self.requeue_interrupted().await {
            warn!(error = %e, "cannot check for interrupted mail");
        }
        loop {
            if *shutdown.borrow() {
                return;
            }
            let idle_for = match self.deliver_due().await {
                Ok(0) => self.until_next_due().await,
                Ok(_) => Duration::ZERO,
                Err(e) => {
                    warn!(error = %e, "outbox: database error; retrying");
                    Duration::from_secs(5)
                }
            };
            if idle_for > Duration::ZERO {
                tokio::select! {
                    _ = tokio::time::sleep(idle_for) => {}
                    _ = self.wake.notified() => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }

    /// Sends everything that is due now, once each, and returns how many were tried (`run --once`).
    /// Mail that fails temporarily stays queued for the next run.
    pub async fn drain(&self) -> Result<usize, StoreError> {
        self.requeue_interrupted().await?;
        let due = self.db.run(|store| store.due_mail(now(), 1_000_000)).await?;
        for queued in &due {
            self.deliver(queued).await?;
        }
        Ok(due.len())
    }

    async fn requeue_interrupted(&self) -> Result<(), StoreError> {
        let ids = self.db.run(|store| store.requeue_interrupted_mail()).await?;
        if !ids.is_empty() {
            warn!(count = ids.len(), message_ids = %ids.join(" "),
                  "mail was being sent when clerk stopped; sending it again (the server may have received it already)");
        }
        Ok(())
    }

    /// Sends everything due now; returns how many were tried.
    async fn deliver_due(&self) -> Result<usize, StoreError> {
        let due = self.db.run(|store| store.due_mail(now(), 50)).await?;
        for queued in &due {
            self.deliver(queued).await?;
        }
        Ok(due.len())
    }

    async fn deliver(&self, queued: &QueuedMail) -> Result<(), StoreError> {
        let id = queued.id;
        self.db.run(move |store| store.mark_sending(id)).await?;
        let mail = OutboundMail {
            message_id: queued.message_id.clone(),
            envelope_from: queued.envelope_from.clone(),
            recipients: queued.recipients.clone(),
            raw: queued.raw.clone(),
        };
        match self.transport.send(&mail).await {
            Ok(()) => {
                self.db.run(move |store| store.mark_sent(id)).await?;
                info!(message_id = %queued.message_id, to = %queued.recipients.join(" "), "sent");
            }
            Err(SendError::Permanent(reason)) => {
                warn!(message_id = %queued.message_id, %reason, "refused permanently; giving up");
                self.db.run(move |store| store.fail_mail(id, &reason)).await?;
            }
            Err(SendError::Transient(reason)) => {
                let attempts = queued.attempts + 1;
                if attempts >= MAX_ATTEMPTS {
                    warn!(message_id = %queued.message_id, %reason, attempts, "still failing; giving up");
                    self.db.run(move |store| store.fail_mail(id, &reason)).await?;
                } else {
                    let delay = retry_delay(attempts);
                    warn!(message_id = %queued.message_id, %reason, retry_in_s = delay.as_secs(), "not sent; will retry");
                    let at = now() + delay.as_secs() as i64;
                    self.db.run(move |store| store.retry_mail_at(id, &reason, at)).await?;
                }
            }
        }
        Ok(())
    }

    async fn until_next_due(&self) -> Duration {
        match self.db.run(|store| store.next_mail_due()).await {
            Ok(Some(at)) => Duration::from_secs((at - now()).clamp(1, 3600) as u64),
            _ => Duration::from_secs(3600),
        }
    }
}

/// 5 s after the first failure, doubling, at most an hour, with ±20 % jitter.
fn retry_delay(attempts: i64) -> Duration {
    let base = (5.0 * 2f64.powi((attempts - 1).clamp(0, 20) as i32)).min(3600.0);
    Duration::from_secs_f64(base * (0.8 + 0.4 * fastrand::f64()))
}
