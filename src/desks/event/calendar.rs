//! The office's events in its calendars (#20): an event whose days and start time are known is put
//! in the events calendar (`[events] calendar`, else the first `[[calendar]]`), and so in that
//! calendar's feed and in the feed of the office's events.
//!
//! - **One entry per event.** Its UID is made from the event's number, so every change of the
//!   reading (a new day, time or place) replaces the entry, with SEQUENCE raised, instead of adding
//!   one. The entry is written by the same transaction as the event.
//! - **What it says.** SUMMARY the title, LOCATION the place when it is one of the office's, a
//!   DESCRIPTION with the number, the headcount, the food and what is still open. Several days are
//!   one daily series (`FREQ=DAILY;COUNT=n`), so each day has its hours and the nights stay free.
//!   With no end said it runs to midnight, as the rooms' check assumes: the office does not guess
//!   an end.
//! - **Status.** TENTATIVE while it is planned, CONFIRMED once [`PlannedEvent::is_confirmed`],
//!   CANCELLED when it is called off or its day or start is no longer known (a reply that makes it a
//!   window again). Nothing is put on a guess: until the day and start are known it is in no calendar.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::{Value, json};

use super::PlanningView;
use crate::calendar::event::{Event, EventStatus};
use crate::desks::{CalendarView, Context, DeskError};
use crate::effects::Effect;
use crate::language::Language;
use crate::office::Office;
use crate::planning::request::{Place, When};
use crate::planning::{CalendarEntry, EventNumber, EventState, PlannedEvent};

/// What putting an event in its calendar changes: the calendar rows to store, the entry to keep,
/// what the organiser's answer says of it (`calendar` in `event/reading`), and a note for the log.
pub(super) struct Placed {
    pub effects: Vec<Effect>,
    pub entry: Option<CalendarEntry>,
    pub letter: Value,
    pub note: Option<String>,
}

/// The UID of event `number`'s entry: `ev-2026-0001@` the assistant's domain.
pub(super) fn uid(office: &Office, number: EventNumber) -> String {
    let domain = crate::mail::message::domain_of(&office.assistant.address);
    format!("{}@{domain}", number.tag().to_ascii_lowercase())
}

/// Puts `event` as it now is in the events calendar, replacing its entry there (or in the
/// calendar it was in before), or takes it out when it can no longer be placed.
pub(super) fn place(
    cx: &Context<'_>,
    view: &dyn PlanningView,
    calendars: &dyn CalendarView,
    event: &PlannedEvent,
) -> Result<Placed, DeskError> {
    let office = &cx.rules.office;
    let mut placed = Placed { effects: Vec::new(), entry: None, letter: Value::Null, note: None };
    let Some(target) = office.events_calendar() else {
        placed.note =
            Some(format!("event desk: {} is in no calendar: office.toml has no [[calendar]]", event.number));
        return Ok(placed);
    };
    let before = view.calendar_entry(event.number)?;
    let stored = match &before {
        Some(entry) => calendars
            .event_rows(&entry.calendar, &entry.uid)?
            .into_iter()
            .find(|row| row.recurrence_id.is_none()),
        None => None,
    };
    let uid = before.as_ref().map_or_else(|| uid(office, event.number), |e| e.uid.clone());
    let Some(mut wanted) = entry(office, event, &target.name, &uid) else {
        // No day and start (any more): out of the calendar it was in, if it was.
        if let Some(mut row) = stored.filter(|row| row.status != EventStatus::Cancelled) {
            row.status = EventStatus::Cancelled;
            row.sequence += 1;
            placed.letter = json!({ "name": row.calendar, "change": "removed", "status": "cancelled" });
            placed.note =
                Some(format!("event desk: {} taken out of calendar {}", event.number, row.calendar));
            placed.effects.push(Effect::PutEvent(Box::new(row)));
        } else if event.state != EventState::Cancelled {
            placed.letter = json!({ "name": target.name, "change": "waiting", "status": null });
        }
        return Ok(placed);
    };
    let description = description(cx, event)?;
    let status = wanted.status.as_str();
    let (same_calendar, elsewhere) = match stored {
        Some(row) if row.calendar == wanted.calendar => (Some(row), None),
        other => (None, other),
    };
    if let Some(mut old) = elsewhere.filter(|row| row.status != EventStatus::Cancelled) {
        // `[events] calendar` names another calendar now: the entry moves there.
        old.status = EventStatus::Cancelled;
        old.sequence += 1;
        placed.effects.push(Effect::PutEvent(Box::new(old)));
    }
    if wanted.status == EventStatus::Cancelled
        && same_calendar.as_ref().is_none_or(|row| row.status == EventStatus::Cancelled)
    {
        // Called off before it was ever in this calendar, or already out of it.
        return Ok(placed);
    }
    let change = match &same_calendar {
        Some(row) => {
            wanted.sequence = row.sequence;
            let unchanged = *row == wanted && before.as_ref().is_some_and(|b| b.description == description);
            if unchanged {
                placed.letter = json!({ "name": wanted.calendar, "change": "kept", "status": status });
                return Ok(placed);
            }
            wanted.sequence += 1;
            if row.status == EventStatus::Cancelled { "put" } else { "updated" }
        }
        None => "put",
    };
    placed.letter = json!({ "name": wanted.calendar, "change": change, "status": status });
    placed.note = Some(format!(
        "event desk: {} {change} in calendar {} ({status}, UID {})",
        event.number, wanted.calendar, wanted.uid
    ));
    placed.entry = Some(CalendarEntry {
        number: event.number,
        calendar: wanted.calendar.clone(),
        uid: wanted.uid.clone(),
        description,
    });
    placed.effects.push(Effect::PutEvent(Box::new(wanted)));
    Ok(placed)
}

/// The calendar row of `event` in `calendar`, with SEQUENCE 0; none unless its days and start are
/// known (a time that does not exist on the office's clock, in a daylight-saving gap, neither).
fn entry(office: &Office, event: &PlannedEvent, calendar: &str, uid: &str) -> Option<Event> {
    let When::Days { first, last, start: Some(start), end } = event.reading.when else { return None };
    let zone = office.timezone;
    let at = |day: NaiveDate, time: NaiveTime| -> Option<DateTime<Utc>> {
        zone.from_local_datetime(&day.and_time(time)).earliest().map(|t| t.with_timezone(&Utc))
    };
    let begins = at(first, start)?;
    let ends = match end {
        Some(end) if end > start => at(first, end)?,
        // An end at or before the start is past midnight.
        Some(end) => at(first.succ_opt()?, end)?,
        None => at(first.succ_opt()?, NaiveTime::MIN)?,
    };
    let days = (last - first).num_days() + 1;
    let status = if event.state == EventState::Cancelled {
        EventStatus::Cancelled
    } else if event.is_confirmed() {
        EventStatus::Confirmed
    } else {
        EventStatus::Tentative
    };
    let location = match &event.reading.place {
        Some(Place::Known(name)) => Some(name.clone()),
        Some(Place::Office) => Some(office.name.clone()),
        // A wish ("a restaurant near the station") is no place yet.
        Some(Place::Wish(_)) | None => None,
    };
    Some(Event {
        calendar: calendar.to_owned(),
        uid: uid.to_owned(),
        recurrence_id: None,
        sequence: 0,
        summary: event.reading.what.clone().unwrap_or_else(|| event.number.tag()),
        location,
        start: begins,
        end: ends,
        timezone: zone,
        rrule: (days > 1).then(|| format!("FREQ=DAILY;COUNT={days}")),
        exdates: Vec::new(),
        status,
        transparent: false,
        organizer: None,
        attendees: Vec::new(),
    })
}

/// The entry's DESCRIPTION, in the office's language (whoever reads the office's calendars): the
/// number, headcount, food and what is still open. No names or addresses: a feed is read by
/// whoever has its link.
fn description(cx: &Context<'_>, event: &PlannedEvent) -> Result<String, DeskError> {
    let office = &cx.rules.office;
    let r = &event.reading;
    let mut open: Vec<&str> = event.missing().iter().map(|m| m.name()).collect();
    if !matches!(r.place, Some(Place::Known(_))) {
        open.push("place");
    }
    let values = json!({
        "number": event.number.tag(),
        "headcount": r.headcount.map(|h| json!({ "people": h.people, "approximate": h.approximate })),
        "meals": r.meals.iter().map(|m| m.name()).collect::<Vec<_>>(),
        "no_catering": r.no_catering,
        "diets": r.diets.iter().map(|d| json!({ "need": d.need.name(), "people": d.people })).collect::<Vec<_>>(),
        "guests": event.guests.len(),
        "open": open,
        "confirmed": event.is_confirmed(),
    });
    let language = Language::from_code(&office.language);
    let text = cx.rules.templates.letter("event/calendar-description", language, &values)?;
    Ok(text.trim().to_owned())
}

#[cfg(test)]
mod tests;
