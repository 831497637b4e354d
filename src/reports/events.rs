//! `clerk events` and `clerk event EV-…`: the office's events as the event desk read them, one line
//! each or one whole with its guests.

use std::fmt::Write;

use crate::calendar::event::EventStatus;
use crate::planning::request::{Place, When};
use crate::planning::venue::{Basis, VenueBooking};
use crate::planning::{EventNumber, PlannedEvent, checklist};
use crate::store::{Store, StoreError};

/// Why an event cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum EventReportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("`{0}` is no event number: write it as in subjects, e.g. EV-2026-0001")]
    NotANumber(String),
    #[error("no event {0}")]
    NoSuchEvent(String),
}

/// Every event, newest first: number, state, when, headcount, title and what is still to ask.
pub fn list(store: &Store) -> Result<String, StoreError> {
    let events = store.planned_events()?;
    let mut out = String::new();
    if events.is_empty() {
        let _ = writeln!(out, "No events.");
        return Ok(out);
    }
    let _ = writeln!(
        out,
        "{:<13} {:<9} {:<28} {:>6}  {:<30} {:<34} to ask",
        "Event", "state", "when", "people", "title", "guests"
    );
    for event in &events {
        let missing: Vec<&str> = event.missing().iter().map(|m| m.name()).collect();
        let _ = writeln!(
            out,
            "{:<13} {:<9} {:<28} {:>6}  {:<30} {:<34} {}",
            event.number,
            event.state.as_str(),
            when(&event.reading.when),
            people(event),
            event.reading.what.as_deref().unwrap_or("-").chars().take(30).collect::<String>(),
            crate::desks::event::guest_counts(event),
            if missing.is_empty() { "-".to_owned() } else { missing.join(", ") },
        );
    }
    Ok(out)
}

/// The number `EV-2026-0001` as typed (any case).
pub fn parse_number(text: &str) -> Result<EventNumber, EventReportError> {
    EventNumber::find_in(text)
        .filter(|n| n.tag().eq_ignore_ascii_case(text.trim()))
        .ok_or_else(|| EventReportError::NotANumber(text.to_owned()))
}

/// One event whole: its reading, what is still to ask, and its guests with their answers.
pub fn show(store: &Store, number: EventNumber) -> Result<String, EventReportError> {
    let Some(event) = store.planned_event(number)? else {
        return Err(EventReportError::NoSuchEvent(number.tag()));
    };
    let r = &event.reading;
    let mut out = String::new();
    let organiser = match &event.organiser_name {
        Some(name) => format!("{name} <{}>", event.organiser),
        None => event.organiser.clone(),
    };
    let _ = writeln!(out, "{}  {}", event.number, event.state.as_str());
    let _ = writeln!(out, "  title:      {}", r.what.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "  organiser:  {organiser}");
    let _ = writeln!(out, "  when:       {}", when(&r.when));
    if let Some(days) = r.days {
        let _ = writeln!(out, "  days:       {days}");
    }
    let _ = writeln!(out, "  people:     {}", people(&event));
    let place = match &r.place {
        Some(Place::Known(name)) => name.clone(),
        Some(Place::Office) => "at the office".to_owned(),
        Some(Place::Wish(wish)) => format!("wished: {wish}"),
        None => "-".to_owned(),
    };
    let _ = writeln!(out, "  place:      {place}");
    for venue in &event.venues {
        let _ = writeln!(out, "  {:<11} {}", if venue.room { "room:" } else { "venue:" }, venue_line(venue));
    }
    let meals: Vec<&str> = r.meals.iter().map(|m| m.name()).collect();
    let food = if r.no_catering { "no catering".to_owned() } else { meals.join(", ") };
    let _ = writeln!(out, "  food:       {}", if food.is_empty() { "-" } else { &food });
    let diets: Vec<String> = r
        .diets
        .iter()
        .map(|d| match d.people {
            Some(n) => format!("{n} {}", d.need.name()),
            None => d.need.name().to_owned(),
        })
        .collect();
    if !diets.is_empty() {
        let _ = writeln!(out, "  diets:      {}", diets.join(", "));
    }
    let catering = store.event_catering(number)?;
    if let Some(c) = &catering {
        let mut line = format!("{}, {}, {} people", c.caterer, c.state.as_str(), c.headcount);
        if let Some(cost) = c.cost {
            line = format!("{line}, {cost}");
        }
        let _ = writeln!(out, "  catering:   {line}");
    }
    let mut invited: Vec<String> = r.groups.iter().map(|g| format!("group {g}")).collect();
    if r.everyone {
        invited.insert(0, "everyone".to_owned());
    }
    if !invited.is_empty() {
        let _ = writeln!(out, "  invited:    {}", invited.join(", "));
    }
    let missing: Vec<&str> = event.missing().iter().map(|m| m.name()).collect();
    let _ = writeln!(
        out,
        "  to ask:     {}",
        if missing.is_empty() { "-".to_owned() } else { missing.join(", ") }
    );
    let _ = writeln!(out, "  calendar:   {}", in_calendar(store, number)?);
    let tasks: Vec<String> = checklist::tasks(&event, catering.as_ref())
        .into_iter()
        .map(|(task, done)| format!("[{}] {}", if done { "x" } else { " " }, task.name()))
        .collect();
    let _ = writeln!(out, "  checklist:  {}", tasks.join("  "));
    let cost: Vec<String> =
        checklist::cost(&event, catering.as_ref()).iter().map(|m| m.to_string()).collect();
    let _ =
        writeln!(out, "  cost:       {}", if cost.is_empty() { "-".to_owned() } else { cost.join(" + ") });
    let _ = writeln!(out, "  request:    {}", event.message_id.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "\nGuests ({}):", event.guests.len());
    if !event.guests.is_empty() {
        let _ = writeln!(out, "  answers:    {}", crate::desks::event::guest_counts(&event));
    }
    for guest in &event.guests {
        let answer = match (guest.answer, guest.invited_at, guest.reminded_at) {
            (Some(true), ..) => "comes",
            (Some(false), ..) => "does not come",
            (None, None, _) => "no answer yet, not invited",
            (None, Some(_), Some(_)) => "no answer yet, reminded",
            (None, Some(_), None) => "no answer yet",
        };
        let diet = guest.diet.map(|d| format!(", {}", d.name())).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<40} {:<30} {answer}{diet}",
            guest.address,
            guest.name.as_deref().unwrap_or("")
        );
    }
    Ok(out)
}

/// Where the event is in the office's calendars: "office, tentative (UID ev-2026-0001@…)", or "-".
fn in_calendar(store: &Store, number: EventNumber) -> Result<String, StoreError> {
    let Some(entry) = store.event_calendar_entry(number)? else { return Ok("-".to_owned()) };
    let rows = store.event_rows(&entry.calendar, &entry.uid)?;
    Ok(match rows.iter().find(|row| row.recurrence_id.is_none()) {
        Some(row) if row.status == EventStatus::Cancelled => {
            format!("out of {} (UID {})", entry.calendar, entry.uid)
        }
        Some(row) => format!("{}, {} (UID {})", entry.calendar, row.status.as_str(), entry.uid),
        None => "-".to_owned(),
    })
}

fn when(when: &When) -> String {
    let day = |d: chrono::NaiveDate| d.format("%a %-d %b %Y").to_string();
    match *when {
        When::Days { first, last, start, end } => {
            let mut text = day(first);
            if last != first {
                text = format!("{text} - {}", day(last));
            }
            if let Some(start) = start {
                text = format!("{text} {}", start.format("%H:%M"));
                if let Some(end) = end {
                    text = format!("{text}-{}", end.format("%H:%M"));
                }
            }
            text
        }
        When::Window { from, last } => format!("{} .. {}?", day(from), day(last)),
        When::Unknown => "-".to_owned(),
    }
}

/// A place asked or booked: "Trattoria da Enzo, Fri 18 Dec 2026: offered, EUR 875.00 (EUR 35.00 per
/// person), held until Mon 14 Dec 2026".
fn venue_line(venue: &VenueBooking) -> String {
    let mut line = format!("{}, {}: {}", venue.place, venue.day.format("%a %-d %b %Y"), venue.state.as_str());
    if let Some(cost) = venue.cost {
        line = format!("{line}, {cost}");
    }
    if let Some(quote) = venue.quote {
        let basis = match quote.basis {
            Basis::PerPerson => "per person",
            Basis::PerDay => "per day",
            Basis::Total => "in all",
        };
        line = format!("{line} ({} {basis})", quote.price);
    }
    if let Some(until) = venue.option_until {
        line = format!("{line}, held until {}", until.format("%a %-d %b %Y"));
    }
    line
}

fn people(event: &PlannedEvent) -> String {
    match event.reading.headcount {
        Some(h) if h.approximate => format!("~{}", h.people),
        Some(h) => h.people.to_string(),
        None => "-".to_owned(),
    }
}

/// The digest's news of the office's events at `slot` (unix seconds): every event not called off
/// whose last day is not past (or not yet known), with what is still open on its checklist, its
/// guests' answers and what it costs so far. The letter `office/digest-events` writes it.
pub fn digest(
    store: &Store,
    office: &crate::office::Office,
    slot: i64,
) -> Result<Vec<EventNews>, StoreError> {
    let language = crate::language::Language::from_code(&office.language);
    let today =
        chrono::DateTime::from_timestamp(slot, 0).map(|t| t.with_timezone(&office.timezone).date_naive());
    let mut news = Vec::new();
    for event in store.planned_events()? {
        let last = match event.reading.when {
            When::Days { last, .. } | When::Window { last, .. } => Some(last),
            When::Unknown => None,
        };
        if event.state == crate::planning::EventState::Cancelled
            || last.zip(today).is_some_and(|(l, t)| l < t)
        {
            continue;
        }
        let catering = store.event_catering(event.number)?;
        let first = match event.reading.when {
            When::Days { first, .. } => Some(language.day(first, "%a %-d %b")),
            _ => None,
        };
        news.push(EventNews {
            number: event.number.tag(),
            what: event.reading.what.clone().unwrap_or_default(),
            first,
            open: checklist::open(&event, catering.as_ref()).iter().map(|t| t.name()).collect(),
            answers: (!event.guests.is_empty()).then(|| crate::desks::event::guest_counts(&event)),
            cost: checklist::cost(&event, catering.as_ref())
                .iter()
                .map(|m| m.written(&office.language))
                .collect(),
        });
    }
    news.reverse();
    Ok(news)
}

/// One event as the digest tells it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EventNews {
    /// `EV-2026-0001`.
    pub number: String,
    pub what: String,
    /// Its first day in the office's language ("Fri 18 Dec"), when known.
    pub first: Option<String>,
    /// The checklist's open tasks: `place`, `catering`, `invitations`, `final headcount`.
    pub open: Vec<&'static str>,
    /// "3 yes/1 no/4 waiting", once it has guests.
    pub answers: Option<String>,
    /// What the office committed to spend on it, per currency ("EUR 875.00").
    pub cost: Vec<String>,
}

/// What the office committed this month (the month of `slot` in the office's time zone) to the
/// places and caterers of its events, per place or caterer and currency: a venue in the month it was
/// confirmed, a catering in the month it was first ordered (at its latest headcount).
/// The digest adds it to the month's spending beside the purchase orders.
pub fn spent_this_month(
    store: &Store,
    office: &crate::office::Office,
    slot: i64,
) -> Result<Vec<(String, crate::supply::money::Money)>, StoreError> {
    let month = |t: i64| crate::units::local_time(office.timezone, t, "%Y-%m").unwrap_or_default();
    let this_month = month(slot);
    let mut spent = Vec::new();
    for event in store.planned_events()? {
        if event.state == crate::planning::EventState::Cancelled {
            continue;
        }
        if let Some(held) = event.place_held()
            && let Some(cost) = held.cost
            && held.committed_at.is_some_and(|at| month(at) == this_month)
        {
            spent.push((held.place.clone(), cost));
        }
        if let Some(catering) = store.event_catering(event.number)?
            && catering.state != crate::planning::CateringState::Proposed
            && let Some(cost) = catering.cost
            && catering.ordered_at.is_some_and(|at| month(at) == this_month)
        {
            spent.push((catering.caterer.clone(), cost));
        }
    }
    Ok(spent)
}
