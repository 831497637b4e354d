//! Folder positions (UIDVALIDITY, last UID handled) and the queue of moves and flags still to be done
//! on the mail server.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, now};

/// How far clerk has read a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderState {
    pub uidvalidity: u32,
    /// Every UID up to this one has been handled (or predates clerk).
    pub last_uid: u32,
    /// Unix seconds: mail received before this predates clerk's watch (backfill policy) and is left
    /// alone when met in a backlog.
    pub watch_since: i64,
    /// UIDs up to this one form a backlog (a `since:` backfill, or a rescan after a UIDVALIDITY change)
    /// whose messages are checked against `watch_since`; later UIDs are new mail, always handled.
    pub backlog_until: u32,
}

/// A move or flag change recorded by the journal and not yet confirmed done on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingOp {
    pub id: i64,
    pub item: String,
    pub op: String,
    pub arg: String,
    pub attempts: i64,
    /// Unix milliseconds when a move was sent to the server without its answer being recorded since:
    /// its outcome is unknown.
    pub sent_at_ms: Option<i64>,
}

/// What identifies the message of a move whose outcome is unknown, to look for it in the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedMessage {
    pub op_id: i64,
    /// Without angle brackets, as the journal keeps it.
    pub message_id: Option<String>,
    /// SHA-256 of the message as clerk fetched it: a copy with the same digest is the same message.
    pub content_hash: String,
}

impl Store {
    /// The stored position in a folder, if clerk has watched it before.
    pub fn folder_state(&self, mailbox: &str, folder: &str) -> Result<Option<FolderState>> {
        Ok(self
            .conn
            .query_row(
                "SELECT uidvalidity, last_uid, watch_since, backlog_until FROM folders
                 WHERE mailbox = ?1 AND folder = ?2",
                params![mailbox, folder],
                |row| {
                    Ok(FolderState {
                        uidvalidity: row.get(0)?,
                        last_uid: row.get(1)?,
                        watch_since: row.get(2)?,
                        backlog_until: row.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Sets a folder's position outright: on first start, and when the server reports a new
    /// UIDVALIDITY (old UIDs then mean nothing and the folder is rescanned).
    pub fn set_folder_state(&mut self, mailbox: &str, folder: &str, state: FolderState) -> Result<()> {
        self.conn.execute(
            "INSERT INTO folders (mailbox, folder, uidvalidity, last_uid, watch_since)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (mailbox, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity,
                 last_uid = excluded.last_uid, watch_since = excluded.watch_since",
            params![mailbox, folder, state.uidvalidity, state.last_uid, state.watch_since],
        )?;
        Ok(())
    }

    /// The folders clerk moved mail of `mailbox` into (or is about to), by name, for `clerk replay`
    /// and `clerk diff`, which look at the mail there as well as in the watched folders.
    pub fn filed_folders(&self, mailbox: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT arg FROM mailbox_ops WHERE mailbox = ?1 AND op = 'move' ORDER BY arg",
        )?;
        let rows = stmt.query_map(params![mailbox], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Moves and flag changes still to be applied in one folder, oldest first.
    pub fn pending_ops(&self, mailbox: &str, folder: &str) -> Result<Vec<PendingOp>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, item, op, arg, attempts, sent_at_ms FROM mailbox_ops
             WHERE mailbox = ?1 AND folder = ?2 AND status = 'pending' ORDER BY id",
        )?;
        let rows = stmt.query_map(params![mailbox, folder], |row| {
            Ok(PendingOp {
                id: row.get(0)?,
                item: row.get(1)?,
                op: row.get(2)?,
                arg: row.get(3)?,
                attempts: row.get(4)?,
                sent_at_ms: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Marks operations as carried out on the server.
    pub fn finish_ops(&mut self, ids: &[i64]) -> Result<()> {
        self.update_ops(ids, "UPDATE mailbox_ops SET status = 'done', done_at = ?2 WHERE id = ?1", now())
    }

    /// Records that moves are about to be sent to the server, `at_ms` being now in unix milliseconds:
    /// until their answer is recorded, their outcome is unknown.
    pub fn mark_moves_sent(&mut self, ids: &[i64], at_ms: i64) -> Result<()> {
        self.update_ops(ids, "UPDATE mailbox_ops SET sent_at_ms = ?2 WHERE id = ?1", at_ms)
    }

    /// The journaled identity of each operation's message (operations without one are left out).
    pub fn moved_messages(&self, ids: &[i64]) -> Result<Vec<MovedMessage>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.id, m.message_id, m.content_hash FROM mailbox_ops o JOIN messages m ON m.id = o.journal_id
             WHERE o.id = ?1",
        )?;
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            let row = stmt
                .query_row(params![id], |row| {
                    Ok(MovedMessage {
                        op_id: row.get(0)?,
                        message_id: row.get(1)?,
                        content_hash: row.get(2)?,
                    })
                })
                .optional()?;
            found.extend(row);
        }
        Ok(found)
    }

    fn update_ops(&mut self, ids: &[i64], sql: &str, value: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(sql)?;
            for id in ids {
                stmt.execute(params![id, value])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Records a failed attempt (the server refused it, so nothing was done); after `give_up` the
    /// operation is marked failed and reported by `status` rather than retried forever.
    pub fn fail_op(&mut self, id: i64, error: &str, give_up: bool) -> Result<()> {
        let status = if give_up { "failed" } else { "pending" };
        self.conn.execute(
            "UPDATE mailbox_ops SET attempts = attempts + 1, last_error = ?2, status = ?3, sent_at_ms = NULL
             WHERE id = ?1",
            params![id, error, status],
        )?;
        Ok(())
    }
}
