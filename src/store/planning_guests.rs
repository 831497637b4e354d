//! The guests' invitations in the store (`event_invitations`): when each guest's invitation went out
//! and their reminder, and the diet they told. Kept apart from `event_guests`, which is rewritten
//! whole with the event, so that this table only ever gains what the invitations learn.

use rusqlite::{Connection, params};

use super::Result;
use crate::planning::{DietaryNeed, PlannedEvent};

/// Writes what `event`'s guests' invitations say, in the open transaction. A guest with nothing to
/// say (never invited, no diet) has no row.
pub(super) fn put_invitations(conn: &Connection, event: &PlannedEvent) -> Result<()> {
    for guest in &event.guests {
        if guest.invited_at.is_none() && guest.reminded_at.is_none() && guest.diet.is_none() {
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO event_invitations (year, sequence, address, invited_at, reminded_at, diet)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (year, sequence, address) DO UPDATE SET invited_at = excluded.invited_at,
                 reminded_at = excluded.reminded_at, diet = excluded.diet",
        )?
        .execute(params![
            event.number.year,
            event.number.sequence,
            guest.address,
            guest.invited_at,
            guest.reminded_at,
            guest.diet.map(DietaryNeed::name),
        ])?;
    }
    Ok(())
}

/// Fills in `event`'s guests' invitations as stored.
pub(super) fn with_invitations(conn: &Connection, event: &mut PlannedEvent) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT address, invited_at, reminded_at, diet FROM event_invitations
         WHERE year = ?1 AND sequence = ?2",
    )?;
    let rows = stmt.query_map(params![event.number.year, event.number.sequence], |row| {
        let stored: (String, Option<i64>, Option<i64>, Option<String>) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        Ok(stored)
    })?;
    for row in rows {
        let (address, invited_at, reminded_at, diet) = row?;
        if let Some(guest) = event.guests.iter_mut().find(|g| g.address.eq_ignore_ascii_case(&address)) {
            guest.invited_at = invited_at;
            guest.reminded_at = reminded_at;
            guest.diet = diet.as_deref().and_then(DietaryNeed::named);
        }
    }
    Ok(())
}
