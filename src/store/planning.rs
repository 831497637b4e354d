//! The office's events in the store (`planned_events`, `event_guests`, `event_threads`): each
//! event's reading, its guests, and the messages of its conversation, written with the message that
//! changed them.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::shared::numbered_row_sql;
use super::{Result, Store, StoreError};
use crate::language::Language;
use crate::planning::request::{Diet, DietaryNeed, EventRequest, Headcount, Meal, Place, When};
use crate::planning::{EventNumber, EventState, Invited, PlannedEvent, PlanningChange};

const EVENT_COLUMNS: &str = "year, sequence, organiser, organiser_name, title, state, when_kind, first_day, \
                             last_day, start_time, end_time, days, headcount, approximate, place_kind, place, \
                             meals, no_catering, diets, everyone, groups, language, message_id, created_at, \
                             updated_at";

/// How days are written in the event tables.
pub(super) const DAY: &str = "%Y-%m-%d";
const TIME: &str = "%H:%M";

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Json(e.to_string()))
}

/// Writes `change` in the open transaction. An event's guest list is written whole: the rows of
/// guests it no longer has go.
pub(super) fn put_planning(conn: &Connection, change: &PlanningChange) -> Result<()> {
    for event in &change.events {
        let new = change.opened.contains(&event.number);
        let r = &event.reading;
        let (kind, first, last, start, end) = match r.when {
            When::Days { first, last, start, end } => ("days", Some(first), Some(last), start, end),
            When::Window { from, last } => ("window", Some(from), Some(last), None, None),
            When::Unknown => ("unknown", None, None, None, None),
        };
        let (place_kind, place) = match &r.place {
            Some(Place::Known(name)) => (Some("known"), Some(name.as_str())),
            Some(Place::Office) => (Some("office"), None),
            Some(Place::Wish(wish)) => (Some("wish"), Some(wish.as_str())),
            None => (None, None),
        };
        let meals: Vec<&str> = r.meals.iter().map(|m| m.name()).collect();
        let diets: Vec<(&str, Option<u32>)> = r.diets.iter().map(|d| (d.need.name(), d.people)).collect();
        conn.prepare_cached(&numbered_row_sql("planned_events", EVENT_COLUMNS, 2, new))?.execute(params![
            event.number.year,
            event.number.sequence,
            event.organiser,
            event.organiser_name,
            r.what,
            event.state.as_str(),
            kind,
            first.map(|d| d.format(DAY).to_string()),
            last.map(|d| d.format(DAY).to_string()),
            start.map(|t| t.format(TIME).to_string()),
            end.map(|t| t.format(TIME).to_string()),
            r.days,
            r.headcount.map(|h| h.people),
            r.headcount.is_some_and(|h| h.approximate),
            place_kind,
            place,
            json(&meals)?,
            r.no_catering,
            json(&diets)?,
            r.everyone,
            json(&r.groups)?,
            r.language.code(),
            event.message_id,
            event.created_at,
            event.updated_at,
        ])?;
        conn.prepare_cached("DELETE FROM event_guests WHERE year = ?1 AND sequence = ?2")?
            .execute(params![event.number.year, event.number.sequence])?;
        for guest in &event.guests {
            let answer = match guest.answer {
                None => "none",
                Some(true) => "yes",
                Some(false) => "no",
            };
            conn.prepare_cached(
                "INSERT OR IGNORE INTO event_guests (year, sequence, address, name, answer)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                event.number.year,
                event.number.sequence,
                guest.address,
                guest.name,
                answer
            ])?;
        }
        super::planning_guests::put_invitations(conn, event)?;
    }
    for event in &change.events {
        super::planning_venue::put(conn, event)?;
    }
    for (message_id, number) in &change.threads {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO event_threads (message_id, year, sequence) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![message_id, number.year, number.sequence])?;
    }
    super::planning_catering::put(conn, &change.catering)?;
    super::planning_calendar::put_entries(conn, &change.calendar)?;
    Ok(())
}

impl Store {
    /// Stores `change` on its own, outside a message's transaction (tests).
    pub fn put_planning(&mut self, change: &PlanningChange) -> Result<()> {
        let tx = self.conn.savepoint()?;
        put_planning(&tx, change)?;
        tx.commit()?;
        Ok(())
    }

    /// The event numbered `number`, with its guests.
    pub fn planned_event(&self, number: EventNumber) -> Result<Option<PlannedEvent>> {
        let found = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM planned_events WHERE year = ?1 AND sequence = ?2"
            ))?
            .query_row(params![number.year, number.sequence], event)
            .optional()?;
        found.map(|event| self.with_guests(event)).transpose()
    }

    /// Every event, newest first, with its guests.
    pub fn planned_events(&self) -> Result<Vec<PlannedEvent>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM planned_events ORDER BY year DESC, sequence DESC"
        ))?;
        let events: Vec<PlannedEvent> = stmt.query_map([], event)?.collect::<rusqlite::Result<_>>()?;
        events.into_iter().map(|event| self.with_guests(event)).collect()
    }

    /// The event one of `ids` belongs to (a reply's In-Reply-To and References), the last first.
    pub fn event_thread(&self, ids: &[String]) -> Result<Option<EventNumber>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT year, sequence FROM event_threads WHERE message_id = ?1")?;
        for id in ids.iter().rev() {
            let found = stmt
                .query_row([id], |row| Ok(EventNumber { year: row.get(0)?, sequence: row.get(1)? }))
                .optional()?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    /// The highest event sequence number given in `year` (0 when none).
    pub fn highest_event_number(&self, year: i32) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(sequence), 0) FROM planned_events WHERE year = ?1",
            [year],
            |row| row.get(0),
        )?)
    }

    fn with_guests(&self, mut event: PlannedEvent) -> Result<PlannedEvent> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT address, name, answer FROM event_guests WHERE year = ?1 AND sequence = ?2 ORDER BY rowid",
        )?;
        let rows = stmt.query_map(params![event.number.year, event.number.sequence], |row| {
            let answer: String = row.get(2)?;
            Ok(Invited {
                answer: match answer.as_str() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                },
                ..Invited::new(row.get(0)?, row.get(1)?)
            })
        })?;
        event.guests = rows.collect::<rusqlite::Result<_>>()?;
        super::planning_guests::with_invitations(&self.conn, &mut event)?;
        event.reading.guests = event.guests.iter().map(|g| g.address.clone()).collect();
        event.venues = super::planning_venue::venues(&self.conn, event.number)?;
        Ok(event)
    }
}

/// A value of the event tables that does not read back as what it should be.
pub(super) fn unreadable(column: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.into())
}

/// The day written in `column`, if any.
pub(super) fn day(row: &Row<'_>, column: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let text: Option<String> = row.get(column)?;
    text.map(|t| {
        NaiveDate::parse_from_str(&t, DAY).map_err(|e| unreadable(column, format!("day `{t}`: {e}")))
    })
    .transpose()
}

fn time(row: &Row<'_>, column: usize) -> rusqlite::Result<Option<NaiveTime>> {
    let text: Option<String> = row.get(column)?;
    text.map(|t| {
        NaiveTime::parse_from_str(&t, TIME).map_err(|e| unreadable(column, format!("time `{t}`: {e}")))
    })
    .transpose()
}

fn listed<T: serde::de::DeserializeOwned>(row: &Row<'_>, column: usize) -> rusqlite::Result<T> {
    let text: String = row.get(column)?;
    serde_json::from_str(&text).map_err(|e| unreadable(column, format!("list `{text}`: {e}")))
}

/// The event of a `planned_events` row (its guests are read apart).
fn event(row: &Row<'_>) -> rusqlite::Result<PlannedEvent> {
    let state: String = row.get(5)?;
    let state = EventState::named(&state).ok_or_else(|| unreadable(5, format!("event state `{state}`")))?;
    let kind: String = row.get(6)?;
    let (first, last) = (day(row, 7)?, day(row, 8)?);
    let when = match (kind.as_str(), first, last) {
        ("days", Some(first), Some(last)) => {
            When::Days { first, last, start: time(row, 9)?, end: time(row, 10)? }
        }
        ("window", Some(from), Some(last)) => When::Window { from, last },
        _ => When::Unknown,
    };
    let headcount: Option<u32> = row.get(12)?;
    let approximate: bool = row.get(13)?;
    let place_kind: Option<String> = row.get(14)?;
    let place_name: Option<String> = row.get(15)?;
    let place = match (place_kind.as_deref(), place_name) {
        (Some("known"), Some(name)) => Some(Place::Known(name)),
        (Some("office"), _) => Some(Place::Office),
        (Some("wish"), Some(wish)) => Some(Place::Wish(wish)),
        _ => None,
    };
    let meals: Vec<String> = listed(row, 16)?;
    let diets: Vec<(String, Option<u32>)> = listed(row, 18)?;
    let language: String = row.get(21)?;
    Ok(PlannedEvent {
        number: EventNumber { year: row.get(0)?, sequence: row.get(1)? },
        organiser: row.get(2)?,
        organiser_name: row.get(3)?,
        state,
        reading: EventRequest {
            what: row.get(4)?,
            when,
            days: row.get(11)?,
            headcount: headcount.map(|people| Headcount { people, approximate }),
            place,
            meals: meals.iter().filter_map(|m| Meal::named(m)).collect(),
            no_catering: row.get(17)?,
            diets: diets
                .iter()
                .filter_map(|(need, people)| Some(Diet { need: DietaryNeed::named(need)?, people: *people }))
                .collect(),
            guests: Vec::new(),
            everyone: row.get(19)?,
            groups: listed(row, 20)?,
            language: Language::from_code(&language),
        },
        guests: Vec::new(),
        venues: Vec::new(),
        message_id: row.get(22)?,
        created_at: row.get(23)?,
        updated_at: row.get(24)?,
    })
}
