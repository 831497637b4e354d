//! The inquiry desk's tickets in the store: written with the message that changed them (through
//! effects), found again by a reply's Message-IDs or by number, and listed for `clerk tickets`.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, Store};
use crate::tickets::Priority;
use crate::tickets::words::Rating;
use crate::tickets::{Role, Ticket, TicketChange, TicketEntry, TicketNumber, TicketState};

const COLUMNS: &str = "number, state, customer, customer_name, department, priority, subject, language, \
                       opened_at, updated_at, due_at, escalate_at, answered_at, acknowledged, escalation, rating, rated_at";

/// Writes `change` in the open transaction: the ticket as it now is, and its new messages, tied to the
/// journal row of the message that caused them (none for a scheduled job's change).
pub(super) fn put_ticket(conn: &Connection, change: &TicketChange, journal_id: Option<i64>) -> Result<()> {
    let t = &change.ticket;
    conn.prepare_cached(&super::shared::numbered_row_sql("tickets", COLUMNS, 1, change.opened))?.execute(
        params![
            t.number.0,
            t.state.as_str(),
            t.customer,
            t.customer_name,
            t.department,
            t.priority.name(),
            t.subject,
            t.language,
            t.opened_at,
            t.updated_at,
            t.due_at,
            t.escalate_at,
            t.answered_at,
            t.acknowledged,
            t.escalation,
            t.rating.map(Rating::as_str),
            t.rated_at,
        ],
    )?;
    for entry in &change.entries {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO ticket_messages (message_id, ticket, journal_id, role, author, at, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            entry.message_id,
            t.number.0,
            journal_id,
            entry.role.as_str(),
            entry.author,
            entry.at,
            entry.text
        ])?;
    }
    Ok(())
}

impl Store {
    /// Stores `change` on its own, outside a message's transaction (tests); it moves the decision clock.
    pub fn put_ticket(&mut self, change: &TicketChange) -> Result<()> {
        let tx = self.conn.savepoint()?;
        super::decision::move_decision_clock(&tx)?;
        put_ticket(&tx, change, None)?;
        tx.commit()?;
        Ok(())
    }

    /// The ticket numbered `number`, if the office has one.
    pub fn ticket(&self, number: TicketNumber) -> Result<Option<Ticket>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM tickets WHERE number = ?1"))?
            .query_row([number.0], ticket)
            .optional()?)
    }

    /// The ticket that one of `ids` (a message's own id, its In-Reply-To and References) belongs to:
    /// the newest such ticket when a thread spans several.
    pub fn ticket_of(&self, ids: &[String]) -> Result<Option<TicketNumber>> {
        let mut found: Option<u32> = None;
        let mut stmt =
            self.conn.prepare_cached("SELECT max(ticket) FROM ticket_messages WHERE message_id = ?1")?;
        for id in ids {
            let number: Option<u32> = stmt.query_row([id], |row| row.get(0))?;
            found = found.max(number);
        }
        Ok(found.map(TicketNumber))
    }

    /// The highest ticket number given so far.
    pub fn highest_ticket(&self) -> Result<Option<TicketNumber>> {
        let number: Option<u32> =
            self.conn.query_row("SELECT max(number) FROM tickets", [], |row| row.get(0))?;
        Ok(number.map(TicketNumber))
    }

    /// Tickets newest first: all of them, or only those owed an answer; of one department or all.
    pub fn tickets(&self, open_only: bool, department: Option<&str>) -> Result<Vec<Ticket>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM tickets
             WHERE (?1 = 0 OR state IN ('new', 'waiting')) AND (?2 IS NULL OR department = ?2)
             ORDER BY number DESC"
        ))?;
        let rows = stmt.query_map(params![open_only, department], ticket)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How customers rated the answers given since `since` (unix seconds): (department or `-`,
    /// good, ok, bad), by department.
    pub fn ratings_since(&self, since: i64) -> Result<Vec<(String, i64, i64, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT coalesce(department, '-'), sum(rating = 'good'), sum(rating = 'ok'), sum(rating = 'bad')
             FROM tickets WHERE rating IS NOT NULL AND rated_at >= ?1 GROUP BY 1 ORDER BY 1",
        )?;
        let rows = stmt.query_map([since], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many tickets clerk answered by itself (a rule's `answer`) since `since` (unix seconds).
    pub fn answered_by_clerk_since(&self, since: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(DISTINCT ticket) FROM ticket_messages WHERE role = 'clerk' AND text = ?2 AND at >= ?1",
            params![since, crate::tickets::ANSWER_ENTRY],
            |row| row.get(0),
        )?)
    }

    /// The messages of ticket `number`, oldest first.
    pub fn ticket_entries(&self, number: TicketNumber) -> Result<Vec<TicketEntry>> {
        // By rowid: the order they were written in, so an acknowledgment follows the question it
        // answers even within one second.
        let mut stmt = self.conn.prepare(
            "SELECT message_id, role, author, at, text FROM ticket_messages WHERE ticket = ?1 ORDER BY rowid",
        )?;
        let rows = stmt.query_map([number.0], |row| {
            Ok(TicketEntry {
                message_id: row.get(0)?,
                role: Role::from_name(&row.get::<_, String>(1)?).unwrap_or(Role::Customer),
                author: row.get(2)?,
                at: row.get(3)?,
                text: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn ticket(row: &Row<'_>) -> rusqlite::Result<Ticket> {
    let text = |i: usize| row.get::<_, String>(i);
    Ok(Ticket {
        number: TicketNumber(row.get(0)?),
        state: TicketState::from_name(&text(1)?).unwrap_or(TicketState::New),
        customer: text(2)?,
        customer_name: row.get(3)?,
        department: row.get(4)?,
        priority: Priority::from_name(&text(5)?).unwrap_or(Priority::Normal),
        subject: text(6)?,
        language: text(7)?,
        opened_at: row.get(8)?,
        updated_at: row.get(9)?,
        due_at: row.get(10)?,
        escalate_at: row.get(11)?,
        answered_at: row.get(12)?,
        acknowledged: row.get(13)?,
        escalation: row.get(14)?,
        rating: row.get::<_, Option<String>>(15)?.as_deref().and_then(Rating::from_name),
        rated_at: row.get(16)?,
    })
}
