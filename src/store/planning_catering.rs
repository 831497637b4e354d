//! Events' catering in the store (`event_catering`, see `planning::catering`): one row per event,
//! written whole with the message or the job run that changed it.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::planning::unreadable;
use super::{Result, Store};
use crate::planning::{Catering, CateringState, EventNumber};
use crate::supply::money::{Currency, Money};

const COLUMNS: &str = "year, sequence, caterer, state, headcount, cost, currency, order_id, last_id, final_headcount, ordered_at, updated_at";

/// Writes `caterings` in the open transaction, each replacing its event's row.
pub(super) fn put(conn: &Connection, caterings: &[Catering]) -> Result<()> {
    for c in caterings {
        conn.prepare_cached(&format!(
            "INSERT OR REPLACE INTO event_catering ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        ))?
        .execute(params![
            c.number.year,
            c.number.sequence,
            c.caterer,
            c.state.as_str(),
            c.headcount,
            c.cost.map(|m| m.amount.to_string()),
            c.cost.map(|m| m.currency.code().to_owned()),
            c.order_id,
            c.last_id,
            c.final_headcount,
            c.ordered_at,
            c.updated_at,
        ])?;
    }
    Ok(())
}

impl Store {
    /// The catering of the event numbered `number`, if any was proposed.
    pub fn event_catering(&self, number: EventNumber) -> Result<Option<Catering>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM event_catering WHERE year = ?1 AND sequence = ?2"
            ))?
            .query_row(params![number.year, number.sequence], catering)
            .optional()?)
    }

    /// Every catering the caterer has ordered and has not had its final headcount: the
    /// `final-headcount` job's work.
    pub fn caterings_awaiting_final(&self) -> Result<Vec<Catering>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM event_catering WHERE state IN ('ordered', 'amended') \
             AND final_headcount IS NULL ORDER BY year, sequence"
        ))?;
        Ok(stmt.query_map([], catering)?.collect::<rusqlite::Result<_>>()?)
    }
}

fn catering(row: &Row<'_>) -> rusqlite::Result<Catering> {
    let state: String = row.get(3)?;
    let state =
        CateringState::named(&state).ok_or_else(|| unreadable(3, format!("catering state `{state}`")))?;
    let amount: Option<String> = row.get(5)?;
    let currency: Option<String> = row.get(6)?;
    let cost = match (amount, currency) {
        (Some(amount), Some(code)) => {
            let amount = amount.parse().map_err(|e| unreadable(5, format!("amount `{amount}`: {e}")))?;
            let currency =
                Currency::parse(&code).ok_or_else(|| unreadable(6, format!("currency `{code}`")))?;
            Some(Money { amount, currency })
        }
        _ => None,
    };
    Ok(Catering {
        number: EventNumber { year: row.get(0)?, sequence: row.get(1)? },
        caterer: row.get(2)?,
        state,
        headcount: row.get(4)?,
        cost,
        order_id: row.get(7)?,
        last_id: row.get(8)?,
        final_headcount: row.get(9)?,
        ordered_at: row.get(10)?,
        updated_at: row.get(11)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::{EventState, PlannedEvent, PlanningChange};

    #[test]
    fn a_catering_is_read_back_as_written_with_its_cost() {
        let mut store = Store::open_in_memory().unwrap();
        let number = EventNumber { year: 2026, sequence: 1 };
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let event = PlannedEvent {
            number,
            organiser: "chiara@office.test".to_owned(),
            organiser_name: None,
            state: EventState::Planning,
            reading: crate::planning::request::read("", day, &Default::default()),
            guests: Vec::new(),
            venues: Vec::new(),
            message_id: None,
            created_at: 1,
            updated_at: 1,
        };
        let opened = PlanningChange { events: vec![event], opened: vec![number], ..Default::default() };
        store.put_planning(&opened).unwrap();
        let catering = Catering {
            number,
            caterer: "Buffet Roma".to_owned(),
            state: CateringState::Ordered,
            headcount: 25,
            cost: Some(Money { amount: "450.00".parse().unwrap(), currency: Currency::EUR }),
            order_id: Some("order@office.test".to_owned()),
            last_id: Some("order@office.test".to_owned()),
            final_headcount: None,
            ordered_at: None,
            updated_at: 1,
        };
        store
            .put_planning(&PlanningChange { catering: vec![catering.clone()], ..Default::default() })
            .unwrap();
        assert_eq!(store.event_catering(number).unwrap(), Some(catering.clone()));
        assert_eq!(store.caterings_awaiting_final().unwrap(), vec![catering]);
    }
}
