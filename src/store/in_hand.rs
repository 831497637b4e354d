//! Messages in hand: which messages a batch is working on, written down (and committed) before the
//! work starts and struck off in the transaction that records them.
//!
//! A row that outlives its batch means clerk stopped while it held that message: a crash, a kill, a
//! panic outside a message's own handling, or a message that ran past its time and made clerk stop.
//! The intake then handles those messages one at a time, counting in `alone` the clerk processes in
//! which each was the only one in hand, and gives up on a message that clerk keeps stopping on
//! (recorded as failed) instead of trying it for ever while the rest of the folder waits.

use std::collections::HashSet;

use rusqlite::params;

use super::{Result, Store, now};

/// Rows older than this belong to messages that never came back (deleted while clerk was down).
const FORGET_AFTER_SECONDS: i64 = 7 * 86_400;

impl Store {
    /// Which of `items` were in hand when an earlier try stopped.
    pub fn left_in_hand(&self, mailbox: &str, folder: &str, items: &[&str]) -> Result<HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM in_hand WHERE mailbox = ?1 AND folder = ?2 AND item = ?3")?;
        let mut left = HashSet::new();
        for item in items {
            if stmt.exists(params![mailbox, folder, item])? {
                left.insert((*item).to_string());
            }
        }
        Ok(left)
    }

    /// Writes down that a batch holds `items`, and commits it before the batch is decided.
    pub fn take_in_hand(&mut self, mailbox: &str, folder: &str, items: &[&str]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO in_hand (mailbox, folder, item, since) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let at = now();
            for item in items {
                stmt.execute(params![mailbox, folder, item, at])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Writes down that `item` is now in hand alone in the clerk process `run`, and commits it; returns
    /// how many processes have held it alone, this one included. A process counts once however often
    /// it tries (a folder that reconnects tries again), so the count is of the starts the message saw.
    pub fn take_alone(&mut self, mailbox: &str, folder: &str, item: &str, run: i64) -> Result<u32> {
        Ok(self.conn.query_row(
            "INSERT INTO in_hand (mailbox, folder, item, alone, run, since) VALUES (?1, ?2, ?3, 1, ?4, ?5)
             ON CONFLICT (mailbox, folder, item) DO UPDATE SET
                 alone = alone + (run IS NOT excluded.run), run = excluded.run
             RETURNING alone",
            params![mailbox, folder, item, run, now()],
            |row| row.get(0),
        )?)
    }

    /// Forgets rows of messages that have not come back for a week.
    pub fn forget_old_in_hand(&mut self) -> Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM in_hand WHERE since < ?1", params![now() - FORGET_AFTER_SECONDS])?)
    }
}

/// Strikes a recorded message off, in the transaction that records it.
pub(super) fn strike_off(conn: &rusqlite::Connection, mailbox: &str, folder: &str, item: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM in_hand WHERE mailbox = ?1 AND folder = ?2 AND item = ?3")?
        .execute(params![mailbox, folder, item])?;
    Ok(())
}
