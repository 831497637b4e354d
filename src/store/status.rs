//! What `clerk status` reads: each folder watcher's state (which the daemon notes as it goes), mail
//! handled per desk, and messages that failed.

use std::collections::BTreeMap;

use rusqlite::params;
use serde::Serialize;

use super::{Result, Store, now};

/// The watcher of one folder, as it last noted itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchStatus {
    pub mailbox: String,
    pub folder: String,
    /// `connected`, `reconnecting` or `stopped`.
    pub state: String,
    /// Why it is reconnecting.
    pub detail: Option<String>,
    /// Unix seconds: when it entered this state.
    pub since: i64,
    /// Unix seconds: when it last looked for new mail.
    pub last_sync: Option<i64>,
    /// How many times it has had to reconnect since clerk started.
    pub reconnects: i64,
}

/// A message clerk could not handle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedMessage {
    /// The journal id.
    pub id: i64,
    pub mailbox: String,
    pub folder: String,
    /// `UIDVALIDITY:UID`, or the Maildir file name.
    pub item: String,
    pub message_id: Option<String>,
    pub sender: Option<String>,
    pub subject: String,
    /// Unix seconds.
    pub seen_at: i64,
    pub error: Option<String>,
}

impl Store {
    /// Notes a watcher's state; `since` only moves when the state changes.
    pub fn note_watch(
        &mut self,
        mailbox: &str,
        folder: &str,
        state: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO watch_status (mailbox, folder, state, detail, changed_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (mailbox, folder) DO UPDATE SET
                 changed_at = CASE WHEN state = excluded.state THEN changed_at ELSE excluded.changed_at END,
                 reconnects = reconnects + (excluded.state = 'reconnecting'),
                 state = excluded.state, detail = excluded.detail",
            params![mailbox, folder, state, detail, now()],
        )?;
        Ok(())
    }

    /// Forgets every watcher's state: the daemon starts afresh, and folders no longer watched should
    /// not linger in `clerk status`.
    pub fn forget_watchers(&mut self) -> Result<()> {
        self.conn.execute("DELETE FROM watch_status", [])?;
        Ok(())
    }

    /// Notes that a watcher has just looked for new mail.
    pub fn note_sync(&mut self, mailbox: &str, folder: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE watch_status SET last_sync_at = ?3 WHERE mailbox = ?1 AND folder = ?2",
            params![mailbox, folder, now()],
        )?;
        Ok(())
    }

    /// Every watcher that has noted itself, by mailbox and folder.
    pub fn watch_statuses(&self) -> Result<Vec<WatchStatus>> {
        let mut stmt = self.conn.prepare(
            "SELECT mailbox, folder, state, detail, changed_at, last_sync_at, reconnects FROM watch_status
             ORDER BY mailbox, folder",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(WatchStatus {
                mailbox: row.get(0)?,
                folder: row.get(1)?,
                state: row.get(2)?,
                detail: row.get(3)?,
                since: row.get(4)?,
                last_sync: row.get(5)?,
                reconnects: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Unix seconds: the last sign of a clerk at work on this office — a watcher's note or a message
    /// taken in — or `None` when there has been none. `clerk status` gives it when no clerk runs.
    pub fn last_sign_of_life(&self) -> Result<Option<i64>> {
        let at: i64 = self.conn.query_row(
            "SELECT max(coalesce((SELECT max(max(changed_at, coalesce(last_sync_at, 0))) FROM watch_status), 0),
                        coalesce((SELECT max(seen_at) FROM messages), 0))",
            [],
            |row| row.get(0),
        )?;
        Ok((at > 0).then_some(at))
    }

    /// Messages handled (not skipped or failed) since `since` (unix seconds), counted by desk (`-` for
    /// none).
    pub fn handled_per_desk(&self, since: i64) -> Result<BTreeMap<String, i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT coalesce(desk, '-'), count(*) FROM messages
             WHERE status = 'processed' AND seen_at >= ?1 GROUP BY 1",
        )?;
        let rows = stmt.query_map(params![since], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Journal rows by status, desk and rule (`-` for none), for /metrics.
    pub fn message_counts(&self) -> Result<Vec<(String, String, String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT status, coalesce(desk, '-'), coalesce(rule, '-'), count(*) FROM messages
             GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The `limit` most recent messages that failed, newest first.
    pub fn failed_messages(&self, limit: usize) -> Result<Vec<FailedMessage>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, mailbox, folder, item, message_id, sender, subject, seen_at, detail FROM messages
             WHERE status = 'failed' ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit as i64], |row| {
            Ok(FailedMessage {
                id: row.get(0)?,
                mailbox: row.get(1)?,
                folder: row.get(2)?,
                item: row.get(3)?,
                message_id: row.get(4)?,
                sender: row.get(5)?,
                subject: row.get(6)?,
                seen_at: row.get(7)?,
                error: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
