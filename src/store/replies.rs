//! The reply log behind the auto-reply rate limit: when each rule last answered each sender.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

impl Store {
    /// When `rule` last auto-replied to `sender` (unix seconds), if ever.
    pub fn last_reply(&self, sender: &str, rule: &str) -> Result<Option<i64>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT last_sent_at FROM reply_log WHERE sender = ?1 AND rule = ?2")?;
        Ok(stmt.query_row(params![sender.to_lowercase(), rule], |row| row.get(0)).optional()?)
    }

    /// Every rule's last auto-reply to `sender`, newest first: what `clerk dedupe show` prints.
    pub fn replies_to(&self, sender: &str) -> Result<Vec<ReplyRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT rule, last_sent_at FROM reply_log WHERE sender = ?1 ORDER BY last_sent_at DESC, rule",
        )?;
        let rows = stmt.query_map(params![sender.to_lowercase()], |row| {
            Ok(ReplyRecord { rule: row.get(0)?, last_sent_at: row.get(1)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Forgets every auto-reply to `sender`, so the next message that asks for one gets it; returns how
    /// many records there were.
    pub fn forget_replies_to(&mut self, sender: &str) -> Result<usize> {
        Ok(self.conn.execute("DELETE FROM reply_log WHERE sender = ?1", params![sender.to_lowercase()])?)
    }
}

/// One rule's last auto-reply to one sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRecord {
    pub rule: String,
    /// Unix seconds.
    pub last_sent_at: i64,
}
