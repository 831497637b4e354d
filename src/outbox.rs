//! The outbox sender: delivers queued mail through the configured transport, retrying temporary
//! failures with growing delays, and records every outcome.
//!
//! The queue itself lives in the store (`store::outbox`), written in the same transaction as the
//! message that caused the mail; this task only drains it. An SMTP outage therefore delays mail and
//! never loses it. A mail whose delivery a crash or a cut connection left in doubt is held as
//! `uncertain` instead of being sent a second time, unless the transport is idempotent or the
//! configuration prefers a possible duplicate to a held mail.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tracing::{info, warn};

use crate::backoff::Backoff;
use crate::mail::compose::OutboundMail;
use crate::mail::transport::{SendError, Transport};
use crate::store::{Db, QueuedMail, StoreError, now};

/// Mail is given up (and reported) after this many failed attempts: with the delays below, about four
/// days, as MTAs do.
const MAX_ATTEMPTS: i64 = 100;

/// The longest the sender sleeps without looking at the queue.
const LOOK_AGAIN: Duration = Duration::from_secs(15);

/// The running sender.
pub struct Outbox {
    pub db: Db,
    pub transport: Transport,
    /// Notified by the intake when new mail is queued.
    pub wake: Arc<Notify>,
    /// Send mail of unknown outcome again (a possible duplicate) instead of holding it.
    pub resend_uncertain: bool,
}

impl Outbox {
    /// Delivers until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        if let Err(e) = self.settle_interrupted().await {
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
        self.settle_interrupted().await?;
        let due = self.db.run(|store| store.due_mail(now(), 1_000_000)).await?;
        for queued in &due {
            self.deliver(queued).await?;
        }
        Ok(due.len())
    }

    fn resend(&self) -> bool {
        self.resend_uncertain || self.transport.is_idempotent()
    }

    async fn settle_interrupted(&self) -> Result<(), StoreError> {
        let resend = self.resend();
        let ids = self.db.run(move |store| store.settle_interrupted_mail(resend)).await?;
        if ids.is_empty() {
        } else if resend {
            info!(count = ids.len(), message_ids = %ids.join(" "), "mail interrupted by the last stop is sent again");
        } else {
            warn!(count = ids.len(), message_ids = %ids.join(" "),
                  "clerk stopped while the server was receiving this mail; it is held so that it cannot arrive \
                   twice: check with the recipient, then `clerk outbox resend MESSAGE-ID` to send it");
        }
        Ok(())
    }

    /// Sends everything due now (up to a batch); returns how many were tried.
    pub async fn deliver_due(&self) -> Result<usize, StoreError> {
        let due = self.db.run(|store| store.due_mail(now(), 50)).await?;
        for queued in &due {
            self.deliver(queued).await?;
        }
        Ok(due.len())
    }

    async fn deliver(&self, queued: &QueuedMail) -> Result<(), StoreError> {
        let id = queued.id;
        let raw = self
            .db
            .run(move |store| {
                store.count_attempt(id)?;
                store.mail_content(id)
            })
            .await?;
        let mail = OutboundMail {
            message_id: queued.message_id.clone(),
            envelope_from: queued.envelope_from.clone(),
            recipients: queued.recipients.clone(),
            raw,
        };
        let db = self.db.clone();
        let committing =
            async move { db.run(move |store| store.mark_sending(id)).await.map_err(|e| e.to_string()) };
        match self.transport.send(&queued.kind, &mail, committing).await {
            Ok(()) => {
                self.db.run(move |store| store.mark_sent(id)).await?;
                info!(message_id = %queued.message_id, to = %queued.recipients.join(" "), "sent");
            }
            Err(SendError::Permanent(reason)) => {
                warn!(message_id = %queued.message_id, %reason, "refused permanently; giving up");
                self.db.run(move |store| store.fail_mail(id, &reason)).await?;
            }
            Err(SendError::Uncertain(reason)) if !self.resend() => {
                warn!(message_id = %queued.message_id, %reason,
                      "the server may or may not have taken this mail; held so that it cannot arrive twice");
                self.db.run(move |store| store.mark_uncertain(id, &reason)).await?;
            }
            Err(SendError::Transient(reason) | SendError::Uncertain(reason)) => {
                let attempts = queued.attempts + 1;
                if attempts >= MAX_ATTEMPTS {
                    warn!(message_id = %queued.message_id, %reason, attempts, "still failing; giving up");
                    self.db.run(move |store| store.fail_mail(id, &reason)).await?;
                } else {
                    let delay = RETRY.after(u32::try_from(attempts).unwrap_or(u32::MAX));
                    warn!(message_id = %queued.message_id, %reason, retry_in_s = delay.as_secs(), "not sent; will retry");
                    let at = now() + delay.as_secs() as i64;
                    self.db.run(move |store| store.retry_mail_at(id, &reason, at)).await?;
                }
            }
        }
        Ok(())
    }

    /// How long to wait for the next mail due, at most [`LOOK_AGAIN`]: mail queued by another
    /// process (`clerk retry`, `clerk outbox resend`) wakes no one here.
    async fn until_next_due(&self) -> Duration {
        match self.db.run(|store| store.next_mail_due()).await {
            Ok(Some(at)) => Duration::from_secs((at - now()).max(1) as u64).min(LOOK_AGAIN),
            _ => LOOK_AGAIN,
        }
    }
}

/// 5 s after the first failure, doubling, at most an hour, with ±20 % jitter.
const RETRY: Backoff =
    Backoff { first: Duration::from_secs(5), most: Duration::from_secs(3600), jitter: 0.2 };
