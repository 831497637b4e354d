//! The calendars' events in the store: one row per event, series, or overridden instance of a series,
//! keyed by calendar, UID and the instance it overrides.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};

use super::{Result, Store, now};
use crate::calendar::event::{Event, EventStatus};
use crate::calendar::feed::Stamped;

const COLUMNS: &str = "calendar, uid, recurrence_id, sequence, summary, location, start_at, end_at, timezone, \
                       rrule, exdates, status, transparent, organizer, attendees";

/// Stores `event` in the open transaction (or connection), replacing the row with the same calendar,
/// UID and overridden instance: how the effects of a message book, move and cancel meetings.
pub(super) fn put_event(conn: &Connection, event: &Event) -> Result<()> {
    let exdates: Vec<String> = event.exdates.iter().map(|d| d.timestamp().to_string()).collect();
    let attendees = serde_json::to_string(&event.attendees).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO events ({COLUMNS}, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    ))?
    .execute(params![
        event.calendar,
        event.uid,
        event.recurrence_id.map_or(0, |r| r.timestamp()),
        event.sequence,
        event.summary,
        event.location,
        event.start.timestamp(),
        event.end.timestamp(),
        event.timezone.name(),
        event.rrule,
        exdates.join(","),
        event.status.as_str(),
        event.transparent,
        event.organizer,
        attendees,
        now(),
    ])?;
    conn.prepare_cached(
        "INSERT INTO calendar_versions (calendar, version) VALUES (?1, 1)
         ON CONFLICT (calendar) DO UPDATE SET version = version + 1",
    )?
    .execute([&event.calendar])?;
    Ok(())
}

impl Store {
    /// Stores `event`, replacing the row with the same calendar, UID and overridden instance.
    pub fn put_event(&mut self, event: &Event) -> Result<()> {
        put_event(&self.conn, event)
    }

    /// The events of `calendar` that can have an occurrence in `from..to`: those overlapping it, every
    /// series (it may recur into it) and every overridden instance (it may have been moved into it).
    /// Expand them with [`crate::calendar::event::occurrences`].
    pub fn events(&self, calendar: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM events
             WHERE calendar = ?1
               AND ((end_at > ?2 AND start_at < ?3) OR rrule IS NOT NULL OR recurrence_id != 0)
             ORDER BY start_at, uid"
        ))?;
        let rows = stmt.query_map(params![calendar, from.timestamp(), to.timestamp()], event)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// [`Store::events`] with the time each row last changed, for a feed's DTSTAMPs, and the
    /// description of those that are the office's own events (`event_entries`).
    pub fn stamped_events(
        &self,
        calendar: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Stamped>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS}, updated_at,
                    (SELECT description FROM event_entries
                     WHERE event_entries.calendar = events.calendar AND event_entries.uid = events.uid)
             FROM events
             WHERE calendar = ?1
               AND ((end_at > ?2 AND start_at < ?3) OR rrule IS NOT NULL OR recurrence_id != 0)
             ORDER BY start_at, uid"
        ))?;
        let rows = stmt.query_map(params![calendar, from.timestamp(), to.timestamp()], |row| {
            let changed: i64 = row.get(15)?;
            Ok(Stamped {
                event: event(row)?,
                changed: DateTime::from_timestamp(changed, 0).unwrap_or_default(),
                description: row.get(16)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every row of `calendar` with this UID: the event or series, then its overridden instances.
    /// UIDs are compared exactly, as iTIP asks.
    pub fn event_rows(&self, calendar: &str, uid: &str) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM events WHERE calendar = ?1 AND uid = ?2 ORDER BY recurrence_id"
        ))?;
        let rows = stmt.query_map(params![calendar, uid], event)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn event(row: &Row<'_>) -> rusqlite::Result<Event> {
    let bad = |column: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.into())
    };
    let time = |column: usize| -> rusqlite::Result<DateTime<Utc>> {
        let seconds: i64 = row.get(column)?;
        DateTime::from_timestamp(seconds, 0).ok_or_else(|| bad(column, format!("{seconds} is not a time")))
    };
    let zone: String = row.get(8)?;
    let status: String = row.get(11)?;
    let exdates: String = row.get(10)?;
    let recurrence_id: i64 = row.get(2)?;
    Ok(Event {
        calendar: row.get(0)?,
        uid: row.get(1)?,
        recurrence_id: (recurrence_id != 0).then(|| time(2)).transpose()?,
        sequence: row.get(3)?,
        summary: row.get(4)?,
        location: row.get(5)?,
        start: time(6)?,
        end: time(7)?,
        timezone: chrono_tz::Tz::from_str(&zone).map_err(|_| bad(8, format!("unknown time zone {zone}")))?,
        rrule: row.get(9)?,
        exdates: exdates
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().ok().and_then(|t| DateTime::from_timestamp(t, 0)))
            .collect::<Option<_>>()
            .ok_or_else(|| bad(10, format!("`{exdates}` is not a list of times")))?,
        status: EventStatus::parse(&status).ok_or_else(|| bad(11, format!("unknown status {status}")))?,
        transparent: row.get(12)?,
        organizer: row.get(13)?,
        attendees: {
            let text: String = row.get(14)?;
            serde_json::from_str(&text).map_err(|e| bad(14, format!("attendees `{text}`: {e}")))?
        },
    })
}
