//! The supply cupboard in the store: the stock ledger, colleagues' requests, purchase orders and the
//! messages of their conversations, written with the message or job that changed them.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::shared::numbered_row_sql;
use super::{Result, Store, StoreError};
use crate::supply::stock::{Level, Move, Reason};
use crate::supply::{
    Currency, OrderNumber, OrderState, PurchaseOrder, Request, RequestNumber, RequestState, SupplyChange,
    Thread,
};

const REQUEST_COLUMNS: &str = "year, sequence, state, requester, requester_name, language, subject, urgent, lines, opened_at, updated_at";
const ORDER_COLUMNS: &str = "year, sequence, vendor, state, currency, lines, urgent, created_at, updated_at, \
                             approval_asked_at, sent_at, expected_at, acknowledged_at, reminded_at, received_at, \
                             message_id, note";

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Json(e.to_string()))
}

/// Writes `change` in the open transaction, tied to the journal row of the message that caused it
/// (none for a job's or a person's change).
pub(super) fn put_supply(conn: &Connection, change: &SupplyChange, journal_id: Option<i64>) -> Result<()> {
    for m in &change.moves {
        conn.prepare_cached(
            "INSERT INTO stock_moves (sku, on_hand, promised, reason, reference, person, journal_id, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            m.sku,
            m.on_hand,
            m.promised,
            m.reason.as_str(),
            m.reference,
            m.person,
            journal_id,
            m.at
        ])?;
    }
    for r in &change.requests {
        let new = change.opened.contains(&Thread::Request(r.number));
        conn.prepare_cached(&numbered_row_sql("supply_requests", REQUEST_COLUMNS, 2, new))?.execute(
            params![
                r.number.year,
                r.number.sequence,
                r.state.as_str(),
                r.requester,
                r.requester_name,
                r.language,
                r.subject,
                r.urgent,
                json(&r.lines)?,
                r.opened_at,
                r.updated_at,
            ],
        )?;
    }
    for o in &change.orders {
        let new = change.opened.contains(&Thread::Order(o.number));
        conn.prepare_cached(&numbered_row_sql("purchase_orders", ORDER_COLUMNS, 2, new))?.execute(
            params![
                o.number.year,
                o.number.sequence,
                o.vendor,
                o.state.as_str(),
                o.currency.code(),
                json(&o.lines)?,
                o.urgent,
                o.created_at,
                o.updated_at,
                o.approval_asked_at,
                o.sent_at,
                o.expected_at,
                o.acknowledged_at,
                o.reminded_at,
                o.received_at,
                o.message_id,
                o.note,
            ],
        )?;
    }
    for (message_id, thread) in &change.threads {
        let (kind, year, sequence) = match thread {
            Thread::Request(n) => ("request", n.year, n.sequence),
            Thread::Order(n) => ("order", n.year, n.sequence),
        };
        conn.prepare_cached(
            "INSERT OR IGNORE INTO supply_threads (message_id, kind, year, sequence) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![message_id, kind, year, sequence])?;
    }
    for (sku, low) in &change.low {
        if *low {
            conn.prepare_cached("INSERT OR IGNORE INTO stock_low (sku, since) VALUES (?1, ?2)")?
                .execute(params![sku, crate::store::now()])?;
        } else {
            conn.prepare_cached("DELETE FROM stock_low WHERE sku = ?1")?.execute([sku])?;
        }
    }
    Ok(())
}

impl Store {
    /// Stores `change` on its own, outside a message's transaction (`clerk stock set`, tests); it moves
    /// the decision clock, since desks decide on stock levels.
    pub fn put_supply(&mut self, change: &SupplyChange) -> Result<()> {
        let tx = self.conn.savepoint()?;
        super::decision::move_decision_clock(&tx)?;
        put_supply(&tx, change, None)?;
        tx.commit()?;
        Ok(())
    }

    /// Where `sku` stands: the ledger's sums and what purchase orders hold of it.
    pub fn stock_level(&self, sku: &str) -> Result<Level> {
        let mut level = self.ledger_level(sku)?;
        for order in self.purchase_orders(&OrderState::OPEN)? {
            level.add_order(&order, sku);
        }
        Ok(level)
    }

    /// The ledger's sums for `sku` alone, without what purchase orders hold.
    pub fn ledger_level(&self, sku: &str) -> Result<Level> {
        let (on_hand, promised): (i64, i64) = self
            .conn
            .prepare_cached("SELECT coalesce(sum(on_hand), 0), coalesce(sum(promised), 0) FROM stock_moves WHERE sku = ?1")?
            .query_row([sku], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(Level { on_hand, promised, ..Level::default() })
    }

    /// Every item's level that the ledger or an open order mentions, by SKU (upper case).
    pub fn stock_levels(&self) -> Result<BTreeMap<String, Level>> {
        let mut levels: BTreeMap<String, Level> = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT upper(sku), sum(on_hand), sum(promised) FROM stock_moves GROUP BY upper(sku)")?;
        let rows = stmt.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?)))?;
        for row in rows {
            let (sku, on_hand, promised) = row?;
            levels.insert(sku, Level { on_hand, promised, ..Level::default() });
        }
        for order in self.purchase_orders(&OrderState::OPEN)? {
            for line in &order.lines {
                let level = levels.entry(line.sku.to_uppercase()).or_default();
                level.add_order(&order, &line.sku);
            }
        }
        Ok(levels)
    }

    /// The ledger's rows for `sku`, newest first, at most `limit`.
    pub fn stock_moves(&self, sku: &str, limit: usize) -> Result<Vec<Move>> {
        let mut stmt = self.conn.prepare(
            "SELECT sku, on_hand, promised, reason, reference, person, at FROM stock_moves
             WHERE sku = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![sku, limit as i64], |row| {
            Ok(Move {
                sku: row.get(0)?,
                on_hand: row.get(1)?,
                promised: row.get(2)?,
                reason: Reason::from_name(&row.get::<_, String>(3)?).unwrap_or(Reason::Counted),
                reference: row.get(4)?,
                person: row.get(5)?,
                at: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// When the ledger last changed for `sku` (unix seconds), if ever.
    pub fn last_stock_change(&self, sku: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT max(at) FROM stock_moves WHERE sku = ?1")?
            .query_row([sku], |row| row.get(0))?)
    }

    /// Whether `sku` has been reported below its reorder point and not recovered since.
    pub fn is_low(&self, sku: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM stock_low WHERE sku = ?1")?
            .query_row([sku], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The request numbered `number`.
    pub fn supply_request(&self, number: RequestNumber) -> Result<Option<Request>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {REQUEST_COLUMNS} FROM supply_requests WHERE year = ?1 AND sequence = ?2"
            ))?
            .query_row(params![number.year, number.sequence], request)
            .optional()?)
    }

    /// Requests, oldest first: all, or only those still waiting for a delivery or an approval.
    pub fn supply_requests(&self, open_only: bool) -> Result<Vec<Request>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {REQUEST_COLUMNS} FROM supply_requests
             WHERE ?1 = 0 OR state IN ('waiting', 'awaiting_approval') ORDER BY opened_at, year, sequence"
        ))?;
        let rows = stmt.query_map([open_only], request)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The purchase order numbered `number`.
    pub fn purchase_order(&self, number: OrderNumber) -> Result<Option<PurchaseOrder>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {ORDER_COLUMNS} FROM purchase_orders WHERE year = ?1 AND sequence = ?2"
            ))?
            .query_row(params![number.year, number.sequence], order)
            .optional()?)
    }

    /// Purchase orders in one of `states` (all when empty), oldest first.
    pub fn purchase_orders(&self, states: &[OrderState]) -> Result<Vec<PurchaseOrder>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ORDER_COLUMNS} FROM purchase_orders ORDER BY year, sequence"
        ))?;
        let rows = stmt.query_map([], order)?;
        let all: Vec<PurchaseOrder> = rows.collect::<rusqlite::Result<_>>()?;
        Ok(all.into_iter().filter(|o| states.is_empty() || states.contains(&o.state)).collect())
    }

    /// The request or order one of `ids` belongs to (a reply's In-Reply-To and References).
    pub fn supply_thread(&self, ids: &[String]) -> Result<Option<Thread>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, year, sequence FROM supply_threads WHERE message_id = ?1")?;
        for id in ids.iter().rev() {
            let found: Option<(String, i32, u32)> =
                stmt.query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))).optional()?;
            if let Some((kind, year, sequence)) = found {
                return Ok(Some(if kind == "order" {
                    Thread::Order(OrderNumber { year, sequence })
                } else {
                    Thread::Request(RequestNumber { year, sequence })
                }));
            }
        }
        Ok(None)
    }

    /// The highest request and purchase-order sequence numbers given in `year` (0 when none).
    pub fn highest_supply_numbers(&self, year: i32) -> Result<(u32, u32)> {
        let request: u32 = self.conn.query_row(
            "SELECT coalesce(max(sequence), 0) FROM supply_requests WHERE year = ?1",
            [year],
            |row| row.get(0),
        )?;
        let order: u32 = self.conn.query_row(
            "SELECT coalesce(max(sequence), 0) FROM purchase_orders WHERE year = ?1",
            [year],
            |row| row.get(0),
        )?;
        Ok((request, order))
    }
}

/// The JSON lines of column `index`; a row that does not read is an error, never an empty order.
fn lines<T: serde::de::DeserializeOwned>(row: &Row<'_>, index: usize) -> rusqlite::Result<Vec<T>> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn request(row: &Row<'_>) -> rusqlite::Result<Request> {
    Ok(Request {
        number: RequestNumber { year: row.get(0)?, sequence: row.get(1)? },
        state: RequestState::from_name(&row.get::<_, String>(2)?).unwrap_or(RequestState::Waiting),
        requester: row.get(3)?,
        requester_name: row.get(4)?,
        language: row.get(5)?,
        subject: row.get(6)?,
        urgent: row.get(7)?,
        lines: lines(row, 8)?,
        opened_at: row.get(9)?,
        updated_at: row.get(10)?,
    })
}

/// The order state of column `index`; a state this clerk does not know is an error, never a draft
/// that the next order run would send again.
fn order_state(row: &Row<'_>, index: usize) -> rusqlite::Result<OrderState> {
    let name: String = row.get(index)?;
    OrderState::from_name(&name).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("`{name}` is no purchase order state").into(),
        )
    })
}

fn order(row: &Row<'_>) -> rusqlite::Result<PurchaseOrder> {
    Ok(PurchaseOrder {
        number: OrderNumber { year: row.get(0)?, sequence: row.get(1)? },
        vendor: row.get(2)?,
        state: order_state(row, 3)?,
        currency: Currency::parse(&row.get::<_, String>(4)?).unwrap_or(Currency::EUR),
        lines: lines(row, 5)?,
        urgent: row.get(6)?,
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
        approval_asked_at: row.get(9)?,
        sent_at: row.get(10)?,
        expected_at: row.get(11)?,
        acknowledged_at: row.get(12)?,
        reminded_at: row.get(13)?,
        received_at: row.get(14)?,
        message_id: row.get(15)?,
        note: row.get(16)?,
    })
}
