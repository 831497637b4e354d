//! Where the office's events are in its calendars (`event_entries`): each event's row among the
//! calendars' events, with the DESCRIPTION the feeds give it, and the rows of the events feed.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store};
use crate::calendar::feed::Stamped;
use crate::planning::{CalendarEntry, EventNumber};

/// Writes `entries` in the open transaction, each replacing the event's entry before it.
pub(super) fn put_entries(conn: &Connection, entries: &[CalendarEntry]) -> Result<()> {
    for entry in entries {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO event_entries (year, sequence, calendar, uid, description)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            entry.number.year,
            entry.number.sequence,
            entry.calendar,
            entry.uid,
            entry.description
        ])?;
    }
    Ok(())
}

impl Store {
    /// Where event `number` was put in a calendar, if it ever was.
    pub fn event_calendar_entry(&self, number: EventNumber) -> Result<Option<CalendarEntry>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT calendar, uid, description FROM event_entries WHERE year = ?1 AND sequence = ?2",
            )?
            .query_row(params![number.year, number.sequence], |row| {
                Ok(CalendarEntry {
                    number,
                    calendar: row.get(0)?,
                    uid: row.get(1)?,
                    description: row.get(2)?,
                })
            })
            .optional()?)
    }

    /// The office's events in whatever calendar they are, as the events feed shows them: like
    /// [`Store::stamped_events`] for `from..to`, with their descriptions.
    pub fn planned_stamped(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Stamped>> {
        let mut found = Vec::new();
        let mut stmt =
            self.conn.prepare_cached("SELECT DISTINCT calendar FROM event_entries ORDER BY calendar")?;
        let calendars: Vec<String> =
            stmt.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        for calendar in calendars {
            let rows = self.stamped_events(&calendar, from, to)?;
            found.extend(rows.into_iter().filter(|row| row.description.is_some()));
        }
        Ok(found)
    }
}
