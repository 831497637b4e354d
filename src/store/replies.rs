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
}
