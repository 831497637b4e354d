//! The meeting desk's proposals in the store: the times it offered and the new times attendees
//! proposed that it put to a calendar's owner, stored and closed with the message that caused them
//! (through effects), found again by the reply that names them, and the unanswered offers due a
//! follow-up.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, Store, StoreError, now};
use crate::calendar::availability::Slot;
use crate::calendar::proposal::{Counter, Proposal};
use crate::language::Language;

const COLUMNS: &str = "message_id, calendar, requester, participants, summary, slots, language, expires_at, \
     replaces, room, left_out";

/// Stores `proposal` in the open transaction.
pub(super) fn put_proposal(conn: &Connection, proposal: &Proposal) -> Result<()> {
    let json = |value: serde_json::Result<String>| value.map_err(|e| StoreError::Json(e.to_string()));
    let slots: Vec<[i64; 2]> =
        proposal.slots.iter().map(|s| [s.start.timestamp(), s.end.timestamp()]).collect();
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO proposals ({COLUMNS}, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
    ))?
    .execute(params![
        proposal.message_id,
        proposal.calendar,
        json(serde_json::to_string(&proposal.requester))?,
        json(serde_json::to_string(&proposal.participants))?,
        proposal.summary,
        json(serde_json::to_string(&slots))?,
        Language::code(proposal.language),
        proposal.expires.timestamp(),
        proposal.replaces,
        proposal.room,
        json(serde_json::to_string(&proposal.left_out))?,
        now(),
    ])?;
    Ok(())
}

/// Closes the proposal offered by `message_id` (chosen or replaced), in the open transaction.
pub(super) fn close_proposal(conn: &Connection, message_id: &str) -> Result<()> {
    conn.prepare_cached("UPDATE proposals SET closed_at = ?2 WHERE message_id = ?1 AND closed_at IS NULL")?
        .execute(params![message_id, now()])?;
    Ok(())
}

/// Stores `counter`, the question put to a calendar's owner, in the open transaction.
pub(super) fn put_counter(conn: &Connection, counter: &Counter) -> Result<()> {
    let proposer = serde_json::to_string(&counter.proposer).map_err(|e| StoreError::Json(e.to_string()))?;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO counters
         (message_id, reference, calendar, uid, sequence, proposer, start_at, end_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        counter.message_id,
        counter.reference,
        counter.calendar,
        counter.uid,
        counter.sequence,
        proposer,
        counter.slot.start.timestamp(),
        counter.slot.end.timestamp(),
        now(),
    ])?;
    Ok(())
}

/// Closes the question sent as `message_id` (answered), in the open transaction.
pub(super) fn close_counter(conn: &Connection, message_id: &str) -> Result<()> {
    conn.prepare_cached("UPDATE counters SET closed_at = ?2 WHERE message_id = ?1 AND closed_at IS NULL")?
        .execute(params![message_id, now()])?;
    Ok(())
}

impl Store {
    /// Stores `proposal` on its own (the desk stores them through effects).
    pub fn put_proposal(&mut self, proposal: &Proposal) -> Result<()> {
        put_proposal(&self.conn, proposal)
    }

    /// The open proposal offered by one of `thread` (a reply's In-Reply-To and References), if any: the
    /// latest, when a thread holds several.
    pub fn open_proposal(&self, thread: &[String]) -> Result<Option<Proposal>> {
        let mut latest: Option<(i64, Proposal)> = None;
        for id in thread {
            let found = self
                .conn
                .prepare_cached(&format!(
                    "SELECT {COLUMNS}, created_at FROM proposals WHERE message_id = ?1 AND closed_at IS NULL"
                ))?
                .query_row([id], |row| Ok((row.get::<_, i64>(11)?, proposal(row)?)))
                .optional()?;
            if let Some((created, found)) = found
                && latest.as_ref().is_none_or(|(at, _)| created >= *at)
            {
                latest = Some((created, found));
            }
        }
        Ok(latest.map(|(_, p)| p))
    }

    /// Stores `counter` on its own (the desk stores them through effects).
    pub fn put_counter(&mut self, counter: &Counter) -> Result<()> {
        put_counter(&self.conn, counter)
    }

    /// The open question about a proposed new time that an answer belongs to: the one sent as one of
    /// `thread` (its In-Reply-To and References), else the one whose `reference` its subject carries;
    /// the latest, when several fit.
    pub fn open_counter(&self, thread: &[String], reference: Option<&str>) -> Result<Option<Counter>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT message_id, reference, calendar, uid, sequence, proposer, start_at, end_at FROM counters
             WHERE (message_id = ?1 OR reference = ?1) AND closed_at IS NULL
             ORDER BY created_at DESC LIMIT 1",
        )?;
        for key in thread.iter().map(String::as_str).chain(reference) {
            if let Some(found) = stmt.query_row([key], counter).optional()? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Open proposals made by `made_by`, not followed up yet, that expire after `now` and by `until`.
    pub fn proposals_to_follow_up(
        &self,
        made_by: DateTime<Utc>,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Proposal>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM proposals
             WHERE closed_at IS NULL AND followed_up_at IS NULL AND created_at <= ?1
               AND expires_at > ?2 AND expires_at <= ?3
             ORDER BY expires_at"
        ))?;
        let rows =
            stmt.query_map(params![made_by.timestamp(), now.timestamp(), until.timestamp()], proposal)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn proposal(row: &Row<'_>) -> rusqlite::Result<Proposal> {
    let bad = |column: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.into())
    };
    let json = |column: usize| -> rusqlite::Result<String> { row.get(column) };
    let slots: Vec<[i64; 2]> = serde_json::from_str(&json(5)?).map_err(|e| bad(5, e.to_string()))?;
    let time = |seconds: i64| DateTime::from_timestamp(seconds, 0);
    Ok(Proposal {
        message_id: row.get(0)?,
        calendar: row.get(1)?,
        requester: serde_json::from_str(&json(2)?).map_err(|e| bad(2, e.to_string()))?,
        participants: serde_json::from_str(&json(3)?).map_err(|e| bad(3, e.to_string()))?,
        summary: row.get(4)?,
        slots: slots
            .iter()
            .map(|[start, end]| Some(Slot { start: time(*start)?, end: time(*end)? }))
            .collect::<Option<_>>()
            .ok_or_else(|| bad(5, "a time out of range".into()))?,
        language: Language::from_code(&row.get::<_, String>(6)?),
        expires: time(row.get(7)?).ok_or_else(|| bad(7, "a time out of range".into()))?,
        replaces: row.get(8)?,
        room: row.get(9)?,
        left_out: serde_json::from_str(&json(10)?).map_err(|e| bad(10, e.to_string()))?,
    })
}

fn counter(row: &Row<'_>) -> rusqlite::Result<Counter> {
    let bad = |column: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.into())
    };
    let time = |column: usize| -> rusqlite::Result<DateTime<Utc>> {
        DateTime::from_timestamp(row.get(column)?, 0).ok_or_else(|| bad(column, "a time out of range".into()))
    };
    Ok(Counter {
        message_id: row.get(0)?,
        reference: row.get(1)?,
        calendar: row.get(2)?,
        uid: row.get(3)?,
        sequence: row.get(4)?,
        proposer: serde_json::from_str(&row.get::<_, String>(5)?).map_err(|e| bad(5, e.to_string()))?,
        slot: Slot { start: time(6)?, end: time(7)? },
    })
}
