//! What the store keeps for the published feeds: each calendar's version (raised by every change to
//! its events), each feed's secret token, and the ETag and Last-Modified each was last published with.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

/// How a feed was last published: a strong ETag over its bytes and when those bytes first appeared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub etag: String,
    pub modified: DateTime<Utc>,
}

impl Store {
    /// Every calendar's version; a calendar whose events never changed has none (version 0).
    pub fn calendar_versions(&self) -> Result<HashMap<String, i64>> {
        let mut stmt = self.conn.prepare_cached("SELECT calendar, version FROM calendar_versions")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every feed's token, by feed.
    pub fn feed_tokens(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self.conn.prepare_cached("SELECT feed, token FROM feeds")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Gives `feed` the token `token` if it has none yet; its token otherwise.
    pub fn feed_token_or(&mut self, feed: &str, token: &str) -> Result<String> {
        self.conn
            .prepare_cached("INSERT INTO feeds (feed, token) VALUES (?1, ?2) ON CONFLICT (feed) DO NOTHING")?
            .execute(params![feed, token])?;
        Ok(self.conn.query_row("SELECT token FROM feeds WHERE feed = ?1", [feed], |row| row.get(0))?)
    }

    /// Replaces `feed`'s token, so that the old URL stops working.
    pub fn set_feed_token(&mut self, feed: &str, token: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO feeds (feed, token) VALUES (?1, ?2) ON CONFLICT (feed) DO UPDATE SET token = ?2",
            )?
            .execute(params![feed, token])?;
        Ok(())
    }

    /// How `feed` was last published, if it was.
    pub fn published(&self, feed: &str) -> Result<Option<Published>> {
        let row: Option<(Option<String>, Option<i64>)> = self
            .conn
            .prepare_cached("SELECT etag, modified_at FROM feeds WHERE feed = ?1")?
            .query_row([feed], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        Ok(match row {
            Some((Some(etag), Some(modified))) => {
                DateTime::from_timestamp(modified, 0).map(|modified| Published { etag, modified })
            }
            _ => None,
        })
    }

    /// Records that `feed` is now published as `published`.
    pub fn set_published(&mut self, feed: &str, published: &Published) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE feeds SET etag = ?2, modified_at = ?3 WHERE feed = ?1")?
            .execute(params![feed, published.etag, published.modified.timestamp()])?;
        Ok(())
    }
}
