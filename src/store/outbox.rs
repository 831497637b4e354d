//! The outbox queue: mail is a row first, sent second, marked sent third.
//!
//! Statuses: `pending` (waiting for its next attempt), `sending` (committed at the transport's point of
//! no return, just before the message content goes to the server), `sent`, `failed` (refused for good
//! or given up), and `uncertain`: found still `sending` after a crash, or cut off after the content
//! went out. An uncertain mail may or may not have reached the server (RFC 1047); it is held rather
//! than sent a second time, reported, and released by a person (`clerk outbox resend`), unless the
//! transport is idempotent or the configuration asks to resend.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, now};

/// A queued message due for delivery; its content is read with [`Store::mail_content`] when it is
/// sent, so a long queue of big mail is never in memory at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: i64,
    pub message_id: String,
    /// What kind of mail it is (`reply`, `forward`, `notice`, `calendar`), which names its file in an
    /// outbox directory.
    pub kind: String,
    pub envelope_from: Option<String>,
    pub recipients: Vec<String>,
    /// Attempts made so far, for the backoff.
    pub attempts: i64,
}

/// A mail still in the outbox, as `clerk outbox` lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnsentMail {
    pub message_id: String,
    /// `pending`, `sending`, `uncertain` or `failed`.
    pub status: String,
    pub recipients: Vec<String>,
    pub last_error: Option<String>,
}

impl Store {
    /// Mail whose next attempt is due at `at` (unix seconds), oldest first.
    pub fn due_mail(&self, at: i64, limit: usize) -> Result<Vec<QueuedMail>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, message_id, envelope_from, recipients, attempts, kind FROM outbox
             WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![at, limit as i64], |row| {
            let recipients: String = row.get(3)?;
            Ok(QueuedMail {
                id: row.get(0)?,
                message_id: row.get(1)?,
                kind: row.get(5)?,
                envelope_from: row.get(2)?,
                recipients: serde_json::from_str(&recipients).unwrap_or_default(),
                attempts: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The content of the queued mail `id`, as it is to be sent. Read a page at a time, so a 25 MB
    /// forward is in memory once rather than also in SQLite's own buffers.
    pub fn mail_content(&self, id: i64) -> Result<Vec<u8>> {
        read_raw(&self.conn, "outbox", id)
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

    /// Marks a row as past the point of no return: its content is going to the server now.
    pub fn mark_sending(&mut self, id: i64) -> Result<()> {
        self.conn.execute("UPDATE outbox SET status = 'sending' WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// Counts an attempt about to be made.
    pub fn count_attempt(&mut self, id: i64) -> Result<()> {
        self.conn.execute("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// Holds a row whose delivery may or may not have happened.
    pub fn mark_uncertain(&mut self, id: i64, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET status = 'uncertain', last_error = ?2 WHERE id = ?1",
            params![id, error],
        )?;
        Ok(())
    }

    /// Puts held or failed mail back in the queue, by Message-ID (with or without angle brackets);
    /// returns whether there was such mail.
    pub fn release_mail(&mut self, message_id: &str) -> Result<bool> {
        let id = message_id.trim().trim_start_matches('<').trim_end_matches('>');
        let changed = self.conn.execute(
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?2
             WHERE message_id = ?1 AND status IN ('uncertain', 'failed')",
            params![id, now()],
        )?;
        Ok(changed > 0)
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

    /// Settles rows a crash left `sending`: back to the queue when `resend` (sending twice is harmless
    /// or wanted), else held as `uncertain`. Returns their Message-IDs for the log.
    pub fn settle_interrupted_mail(&mut self, resend: bool) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT message_id FROM outbox WHERE status = 'sending'")?;
        let ids = stmt.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        drop(stmt);
        if resend {
            self.conn.execute(
                "UPDATE outbox SET status = 'pending', next_attempt_at = ?1 WHERE status = 'sending'",
                params![now()],
            )?;
        } else {
            self.conn.execute(
                "UPDATE outbox SET status = 'uncertain',
                     last_error = 'clerk stopped while the server was receiving this mail'
                 WHERE status = 'sending'",
                [],
            )?;
        }
        Ok(ids)
    }

    /// Mail not (yet) sent, newest first, for `clerk outbox`.
    pub fn unsent_mail(&self) -> Result<Vec<UnsentMail>> {
        let mut stmt = self.conn.prepare(
            "SELECT message_id, status, recipients, last_error FROM outbox
             WHERE status IN ('pending', 'uncertain', 'failed', 'sending') ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([], |row| {
            let recipients: String = row.get(2)?;
            Ok(UnsentMail {
                message_id: row.get(0)?,
                status: row.get(1)?,
                recipients: serde_json::from_str(&recipients).unwrap_or_default(),
                last_error: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many outbox rows are in each status.
    pub fn outbox_counts(&self) -> Result<std::collections::BTreeMap<String, i64>> {
        let mut stmt = self.conn.prepare("SELECT status, count(*) FROM outbox GROUP BY status")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Writes `raw` into the `raw` column of row `id` of `table` (`outbox`, `failed_mail`), inserted with
/// `zeroblob(len)`: a page at a time, so SQLite never holds a second and third copy of a big mail.
pub(super) fn write_raw(conn: &rusqlite::Connection, table: &str, id: i64, raw: &[u8]) -> Result<()> {
    let mut blob = conn.blob_open(rusqlite::MAIN_DB, table, "raw", id, false)?;
    std::io::Write::write_all(&mut blob, raw).map_err(blob_error)?;
    Ok(())
}

/// Reads the `raw` column of row `id` of `table` a page at a time (see [`write_raw`]).
pub(super) fn read_raw(conn: &rusqlite::Connection, table: &str, id: i64) -> Result<Vec<u8>> {
    let mut blob = conn.blob_open(rusqlite::MAIN_DB, table, "raw", id, true)?;
    let mut raw = Vec::with_capacity(blob.len());
    std::io::Read::read_to_end(&mut blob, &mut raw).map_err(blob_error)?;
    Ok(raw)
}

fn blob_error(e: std::io::Error) -> super::StoreError {
    match e.into_inner().and_then(|inner| inner.downcast::<rusqlite::Error>().ok()) {
        Some(sqlite) => super::StoreError::Sqlite(*sqlite),
        None => super::StoreError::Sqlite(rusqlite::Error::BlobSizeError),
    }
}
