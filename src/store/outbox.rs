//! The outbox queue: mail is a row first, sent second, marked sent third.
//!
//! A row is marked `sending` (committed) before the SMTP transaction starts. If clerk dies between the
//! server accepting the mail and the `sent` commit, the row is found still `sending` at the next start
//! and sent again with the same Message-ID; that narrow window (RFC 1047) is the only way a reply can
//! arrive twice, and receivers that deduplicate by Message-ID hide even that.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, now};

/// A queued message due for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: i64,
    pub message_id: String,
    pub envelope_from: Option<String>,
    pub recipients: Vec<String>,
    pub raw: Vec<u8>,
    /// Attempts made so far, for the backoff.
    pub attempts: i64,
}

impl Store {
    /// Mail whose next attempt is due at `at` (unix seconds), oldest first.
    pub fn due_mail(&self, at: i64, limit: usize) -> Result<Vec<QueuedMail>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, message_id, envelope_from, recipients, raw, attempts FROM outbox
             WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![at, limit as i64], |row| {
            let recipients: String = row.get(3)?;
            Ok(QueuedMail {
                id: row.get(0)?,
                message_id: row.get(1)?,
                envelope_from: row.get(2)?,
                recipients: serde_json::from_str(&recipients).unwrap_or_default(),
                raw: row.get(4)?,
                attempts: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// When the next pending mail falls due (unix seconds), so the sender can sleep until then.
    pub fn next_mail_due(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'", [], |row| {
                row.get::<_, Option<i64>>(0)
            })
            .optional()?
            .flatten())
    }

    /// Marks a row as being handed to the transport now.
    pub fn mark_sending(&mut self, id: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ?1",
            params![id],
        )?;
        Ok(())
    }

    /// Marks a row as accepted by the transport.
    pub fn mark_sent(&mut self, id: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?2, last_error = NULL WHERE id = ?1",
            params![id, now()],
        )?;
        Ok(())
    }

    /// Puts a row back in the queue after a temporary failure, to be tried again at `at`.
    pub fn retry_mail_at(&mut self, id: i64, error: &str, at: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET status = 'pending', last_error = ?2, next_attempt_at = ?3 WHERE id = ?1",
            params![id, error, at],
        )?;
        Ok(())
    }

    /// Gives up on a row after a permanent failure; `status` reports it.
    pub fn fail_mail(&mut self, id: i64, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET status = 'failed', last_error = ?2 WHERE id = ?1",
            params![id, error],
        )?;
        Ok(())
    }

    /// Returns rows left `sending` by a crash to the queue, and says which, so the daemon can log that
    /// they may arrive twice.
    pub fn requeue_interrupted_mail(&mut self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT message_id FROM outbox WHERE status = 'sending'")?;
        let ids = stmt.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        drop(stmt);
        self.conn.execute(
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?1 WHERE status = 'sending'",
            params![now()],
        )?;
        Ok(ids)
    }

    /// How many outbox rows are in each status.
    pub fn outbox_counts(&self) -> Result<std::collections::BTreeMap<String, i64>> {
        let mut stmt = self.conn.prepare("SELECT status, count(*) FROM outbox GROUP BY status")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
