//! The places asked or booked for the office's events (`event_venues`), written whole with their
//! event.

use rusqlite::{Connection, Row, params};
use rust_decimal::Decimal;

use super::Result;
use super::planning::{DAY, day, unreadable};
use crate::planning::EventNumber;
use crate::planning::PlannedEvent;
use crate::planning::venue::{Basis, Quote, VenueBooking, VenueState};
use crate::supply::money::{Currency, Money};

/// Writes `event`'s places in the open transaction, replacing those it had.
pub(super) fn put(conn: &Connection, event: &PlannedEvent) -> Result<()> {
    let number = event.number;
    conn.prepare_cached("DELETE FROM event_venues WHERE year = ?1 AND sequence = ?2")?
        .execute(params![number.year, number.sequence])?;
    for venue in &event.venues {
        let currency = venue.quote.map(|q| q.price.currency).or(venue.cost.map(|c| c.currency));
        conn.prepare_cached(
            "INSERT OR REPLACE INTO event_venues (year, sequence, place, room, day, state, price, basis, cost,
                 currency, option_until, sent_id, answer_id, committed_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?
        .execute(params![
            number.year,
            number.sequence,
            venue.place,
            venue.room,
            venue.day.format(DAY).to_string(),
            venue.state.as_str(),
            venue.quote.map(|q| q.price.amount.to_string()),
            venue.quote.map(|q| q.basis.as_str()),
            venue.cost.map(|c| c.amount.to_string()),
            currency.map(|c| c.code().to_owned()),
            venue.option_until.map(|d| d.format(DAY).to_string()),
            venue.sent_id,
            venue.answer_id,
            venue.committed_at,
            venue.updated_at,
        ])?;
    }
    Ok(())
}

/// The places of event `number`, in the order they were asked.
pub(super) fn venues(conn: &Connection, number: EventNumber) -> Result<Vec<VenueBooking>> {
    let mut stmt = conn.prepare_cached(
        "SELECT place, room, day, state, price, basis, cost, currency, option_until, sent_id, answer_id,
                committed_at, updated_at
         FROM event_venues WHERE year = ?1 AND sequence = ?2 ORDER BY rowid",
    )?;
    let rows = stmt.query_map(params![number.year, number.sequence], venue)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn decimal(row: &Row<'_>, column: usize) -> rusqlite::Result<Option<Decimal>> {
    let text: Option<String> = row.get(column)?;
    text.map(|t| t.parse().map_err(|e| unreadable(column, format!("amount `{t}`: {e}")))).transpose()
}

fn venue(row: &Row<'_>) -> rusqlite::Result<VenueBooking> {
    let state: String = row.get(3)?;
    let state = VenueState::named(&state).ok_or_else(|| unreadable(3, format!("venue state `{state}`")))?;
    let code: Option<String> = row.get(7)?;
    let currency = code
        .map(|c| Currency::parse(&c).ok_or_else(|| unreadable(7, format!("currency `{c}`"))))
        .transpose()?
        .unwrap_or(Currency::EUR);
    let basis: Option<String> = row.get(5)?;
    let quote = match (decimal(row, 4)?, basis.as_deref().and_then(Basis::named)) {
        (Some(amount), Some(basis)) => Some(Quote { price: Money { amount, currency }, basis }),
        _ => None,
    };
    Ok(VenueBooking {
        place: row.get(0)?,
        room: row.get(1)?,
        day: day(row, 2)?.ok_or_else(|| unreadable(2, "no day".to_owned()))?,
        state,
        quote,
        cost: decimal(row, 6)?.map(|amount| Money { amount, currency }),
        option_until: day(row, 8)?,
        sent_id: row.get(9)?,
        answer_id: row.get(10)?,
        committed_at: row.get(11)?,
        updated_at: row.get(12)?,
    })
}
