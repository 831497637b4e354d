//! The event desk's places: the place the organiser chose, booked or asked for once the day, the
//! start and the headcount are known.
//!
//! - **An office room** (`[[room]]`) that seats everyone and is free by its calendar is booked
//!   there, under a UID made from the event's number; a busy or small room is only reported.
//! - **An external venue** (`[[venue]]`) is written to once per day, in its language, for its
//!   availability and a quote. Its answer (in the thread of that mail, or quoting the number) is read
//!   and passed to the organiser with what clerk understood of it and the cost for the headcount.
//!   Only the organiser's own "confirm" after a clear yes sends the venue the confirmation: an
//!   answer clerk could not read, or a "don't confirm yet", confirms nothing.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::places;
use super::view::PlanningView;
use crate::calendar::event::{Event, EventStatus};
use crate::desks::{CalendarView, Context, DeskError, Outcome};
use crate::effects::{Effect, MailKind};
use crate::language::Language;
use crate::mail::compose::{self, Extras, Notice};
use crate::mail::message::{Address, Message};
use crate::mail::reply_text;
use crate::office::Office;
use crate::office::events::{Price, Venue};
use crate::planning::request::{Place, When};
use crate::planning::venue::{Basis, Command, Quote, VenueBooking, VenueState, command};
use crate::planning::venue_answer::{self, Availability};
use crate::planning::{EventNumber, PlannedEvent, PlanningChange};
use crate::store::StoreError;

/// What arranging the chosen place did for an organiser's message.
#[derive(Default)]
pub(super) struct Arranged {
    pub effects: Vec<Effect>,
    /// Clerk's mail to the venue, which its answer will continue.
    pub threads: Vec<String>,
    pub notes: Vec<String>,
    /// What the answer to the organiser says of the place (the letter `event/venue-status`); none
    /// when no room or venue of the office is chosen.
    pub status: Option<String>,
}

/// The UID of the event in the calendars: its number at the assistant's domain.
pub fn uid(number: EventNumber, office: &Office) -> String {
    format!("{}@{}", number.tag().to_lowercase(), crate::mail::message::domain_of(&office.assistant.address))
}

/// Whether the event's `place` said it cannot host it on its first day: the organiser is offered
/// the others.
pub(super) fn declined(event: &PlannedEvent, place: &str) -> bool {
    let first = match event.reading.when {
        When::Days { first, .. } => Some(first),
        _ => None,
    };
    event.venues.iter().any(|v| v.place == place && v.state == VenueState::Declined && Some(v.day) == first)
}

/// For an organiser's message about `event`: books the chosen room, asks the chosen venue, or
/// confirms the one that offered when `new_text` says so. A room booked earlier for another place
/// or day is given up; one booked for this day follows a new time while it is free then.
pub(super) fn arrange(
    cx: &Context<'_>,
    event: &mut PlannedEvent,
    calendars: &dyn CalendarView,
    new_text: &str,
) -> Result<Arranged, DeskError> {
    let mut arranged = Arranged::default();
    let office = &cx.rules.office;
    let r = event.reading.clone();
    let chosen = match (&r.place, r.when) {
        (Some(Place::Known(name)), When::Days { first, .. }) => Some((name.clone(), first)),
        _ => None,
    };
    let mut released = Vec::new();
    for at in 0..event.venues.len() {
        let booking = &event.venues[at];
        if booking.room
            && booking.state == VenueState::Booked
            && chosen.as_ref() != Some(&(booking.place.clone(), booking.day))
        {
            released.push(booking.place.clone());
            release(cx, &mut arranged, calendars, event, at)?;
        }
    }
    let Some(Place::Known(name)) = r.place.clone() else {
        if !released.is_empty() {
            arranged.status = Some(status(cx, event, &Shown::nothing(released))?);
        }
        return Ok(arranged);
    };
    let room = office.rooms.iter().find(|r| r.name == name);
    let venue = office.events.venues.iter().find(|v| v.name == name);
    let Some(capacity) = room.map(|r| r.capacity).or(venue.map(|v| v.capacity)) else {
        return Ok(arranged);
    };
    let mut shown = Shown {
        place: name.clone(),
        kind: if room.is_some() { "room" } else { "venue" },
        capacity,
        state: "waiting",
        not_yet: false,
        released,
    };
    let (When::Days { first, start: Some(_), end, .. }, Some(headcount)) = (r.when, r.headcount) else {
        arranged.status = Some(status(cx, event, &shown)?);
        return Ok(arranged);
    };
    let people = headcount.people;
    let now = cx.now.timestamp();
    let held = event.venues.iter().position(|v| v.place == name && v.day == first);
    shown.state = match (room, venue, held.map(|at| event.venues[at].state)) {
        (Some(room), _, Some(VenueState::Booked)) if capacity >= people => {
            let at = held.unwrap_or_default();
            follow(cx, &mut arranged, calendars, event, at, room)?
        }
        // More people than the room booked seats: it is given up, not kept on a guess.
        (Some(_), _, Some(VenueState::Booked)) => {
            release(cx, &mut arranged, calendars, event, held.unwrap_or_default())?;
            "too_small"
        }
        _ if capacity < people => "too_small",
        (Some(_), _, _) if end.is_none() => "need_end",
        (Some(room), _, _) => {
            let slots = places::slots(office, &r.when).unwrap_or_default();
            let uid = uid(event.number, office);
            // The event's own earlier booking of the room (another day, given up above) does not
            // make it busy.
            if slots.is_empty() || !places::is_free(calendars, &room.name, &slots, Some(&uid))? {
                "busy"
            } else {
                let mut booking = room_event(office, event, room, &slots);
                let previous =
                    calendars.event_rows(&room.name, &uid)?.into_iter().find(|e| e.recurrence_id.is_none());
                if let Some(previous) = previous {
                    // Above the cancellation a release may have written in this same step.
                    booking.sequence = previous.sequence.saturating_add(2);
                }
                arranged.effects.push(Effect::PutEvent(Box::new(booking)));
                arranged.notes.push(format!("event desk: {} booked {} on {first}", event.number, room.name));
                event.venues.retain(|v| !(v.place == room.name && v.day == first));
                event.venues.push(VenueBooking {
                    place: room.name.clone(),
                    room: true,
                    day: first,
                    state: VenueState::Booked,
                    quote: None,
                    cost: None,
                    option_until: None,
                    sent_id: None,
                    answer_id: None,
                    committed_at: Some(now),
                    updated_at: now,
                });
                "booked"
            }
        }
        (None, Some(venue), None) => {
            let id = ask(cx, &mut arranged, event, venue)?;
            event.venues.push(VenueBooking {
                place: venue.name.clone(),
                room: false,
                day: first,
                state: VenueState::Asked,
                quote: None,
                cost: None,
                option_until: None,
                sent_id: Some(id),
                answer_id: None,
                committed_at: None,
                updated_at: now,
            });
            "asked"
        }
        (None, Some(venue), Some(VenueState::Offered)) => match command(new_text, &venue.name) {
            Some(Command::Confirm) => {
                let at = held.unwrap_or_default();
                let days = days_of(&r.when);
                let cost = event.venues[at].quote.map(|q| q.cost(people, days));
                event.venues[at].cost = cost;
                let id = confirm(cx, &mut arranged, event, venue, &event.venues[at])?;
                let booking = &mut event.venues[at];
                booking.state = VenueState::Confirmed;
                booking.sent_id = Some(id);
                booking.committed_at = Some(now);
                booking.updated_at = now;
                "confirmed"
            }
            Some(Command::NotYet) => {
                shown.not_yet = true;
                "offered"
            }
            None => "offered",
        },
        (_, _, Some(state)) => state.as_str(),
        (None, None, None) => return Ok(arranged),
    };
    arranged.status = Some(status(cx, event, &shown)?);
    Ok(arranged)
}

/// `room`'s copy of the event, on its calendar: the first of `slots`, repeated daily for the others.
fn room_event(
    office: &Office,
    event: &PlannedEvent,
    room: &crate::calendar::Room,
    slots: &[(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)],
) -> Event {
    let (start, end) = slots[0];
    let days = slots.len();
    Event {
        calendar: room.name.clone(),
        uid: uid(event.number, office),
        recurrence_id: None,
        sequence: 0,
        summary: event.reading.what.clone().unwrap_or_else(|| event.number.tag()),
        location: Some(room.name.clone()),
        start,
        end,
        timezone: office.timezone,
        rrule: (days > 1).then(|| format!("FREQ=DAILY;COUNT={days}")),
        exdates: Vec::new(),
        status: EventStatus::Confirmed,
        transparent: false,
        organizer: Some(event.organiser.clone()),
        attendees: Vec::new(),
    }
}

/// The room booked at `at` for the event's day, brought to the event's time: kept when the time is
/// the same, moved while the room is free then, else given up ("busy").
fn follow(
    cx: &Context<'_>,
    arranged: &mut Arranged,
    calendars: &dyn CalendarView,
    event: &mut PlannedEvent,
    at: usize,
    room: &crate::calendar::Room,
) -> Result<&'static str, DeskError> {
    let office = &cx.rules.office;
    let uid = uid(event.number, office);
    let slots = places::slots(office, &event.reading.when).unwrap_or_default();
    let held = calendars.event_rows(&room.name, &uid)?.into_iter().find(|e| e.recurrence_id.is_none());
    let Some(held) = held else { return Ok("booked") };
    // A time the office's clock does not have (inside a DST gap) gives no slots: the room cannot
    // be held then.
    if slots.is_empty() {
        release(cx, arranged, calendars, event, at)?;
        return Ok("busy");
    }
    let mut wanted = room_event(office, event, room, &slots);
    if (held.start, held.end, &held.rrule) == (wanted.start, wanted.end, &wanted.rrule) {
        return Ok("booked");
    }
    if !places::is_free(calendars, &room.name, &slots, Some(&uid))? {
        release(cx, arranged, calendars, event, at)?;
        return Ok("busy");
    }
    wanted.sequence = held.sequence.saturating_add(1);
    arranged.notes.push(format!("event desk: {} moved in {}", event.number, room.name));
    arranged.effects.push(Effect::PutEvent(Box::new(wanted)));
    event.venues[at].updated_at = cx.now.timestamp();
    Ok("booked")
}

/// Gives up the room booked at `at`: its calendar's copy cancelled, the booking released.
fn release(
    cx: &Context<'_>,
    arranged: &mut Arranged,
    calendars: &dyn CalendarView,
    event: &mut PlannedEvent,
    at: usize,
) -> Result<(), DeskError> {
    let uid = uid(event.number, &cx.rules.office);
    let booking = &mut event.venues[at];
    let held = calendars.event_rows(&booking.place, &uid)?.into_iter().find(|e| e.recurrence_id.is_none());
    if let Some(mut held) = held.filter(|e| e.status != EventStatus::Cancelled) {
        held.status = EventStatus::Cancelled;
        held.sequence = held.sequence.saturating_add(1);
        arranged.effects.push(Effect::PutEvent(Box::new(held)));
    }
    arranged.notes.push(format!("event desk: {} gave up {} on {}", event.number, booking.place, booking.day));
    booking.state = VenueState::Released;
    booking.updated_at = cx.now.timestamp();
    Ok(())
}

/// The event whose venue sent `msg`: the sender is a `[[venue]]` the office asked for one of its
/// events, and the message continues the thread of that request or names the event's number.
pub(super) fn answering(
    office: &Office,
    msg: &Message,
    view: &dyn PlanningView,
) -> Result<Option<PlannedEvent>, StoreError> {
    let Some(venue) = msg.from.first().and_then(|sender| venue_at(office, &sender.email)) else {
        return Ok(None);
    };
    let ids: Vec<String> = msg.in_reply_to.iter().chain(&msg.references).cloned().collect();
    let number = match view.thread(&ids)? {
        Some(number) => number,
        None => match EventNumber::find_in(&msg.subject) {
            Some(number) => number,
            None => return Ok(None),
        },
    };
    Ok(view.event(number)?.filter(|e| e.venues.iter().any(|v| !v.room && v.place == venue.name)))
}

/// A venue's answer about `event`: read, recorded, and passed to the organiser with what clerk
/// understood, the cost for the headcount, and how to confirm; or, when the venue cannot host it,
/// the other places that fit.
pub(super) fn answer(
    cx: &Context<'_>,
    mut event: PlannedEvent,
    calendars: &dyn CalendarView,
) -> Result<Outcome, DeskError> {
    let office = &cx.rules.office;
    let mut outcome = Outcome::default();
    let Some(venue) = cx.msg.from.first().and_then(|sender| venue_at(office, &sender.email)) else {
        return Ok(outcome);
    };
    let ids: Vec<String> = cx.msg.in_reply_to.iter().chain(&cx.msg.references).cloned().collect();
    let ours = |v: &VenueBooking| !v.room && v.place == venue.name;
    let Some(at) = event
        .venues
        .iter()
        .rposition(|v| ours(v) && v.sent_id.as_ref().is_some_and(|id| ids.contains(id)))
        .or_else(|| event.venues.iter().rposition(ours))
    else {
        return Ok(outcome);
    };
    let today = cx.now.with_timezone(&office.timezone).date_naive();
    let currency = match venue.price {
        Some(Price::PerPerson(m) | Price::PerDay(m)) => m.currency,
        None => crate::supply::money::Currency::EUR,
    };
    let read = venue_answer::read(reply_text::new_text(&cx.msg.text), today, currency);
    let people = event.reading.headcount.map_or(0, |h| h.people);
    let days = days_of(&event.reading.when);
    let now = cx.now.timestamp();
    let booking = &mut event.venues[at];
    let after_confirmation = booking.state == VenueState::Confirmed;
    if !after_confirmation {
        booking.state = match read.availability {
            Availability::Available => VenueState::Offered,
            Availability::NotAvailable => VenueState::Declined,
            Availability::Unclear => VenueState::Unclear,
        };
        // Without a price of its own in the answer, the price office.toml gives is the venue's.
        let listed = venue.price.map(|p| match p {
            Price::PerPerson(price) => Quote { price, basis: Basis::PerPerson },
            Price::PerDay(price) => Quote { price, basis: Basis::PerDay },
        });
        booking.quote = read.quote.or(if read.price_unclear { None } else { listed });
        booking.cost = booking.quote.map(|q| q.cost(people, days));
        booking.option_until = read.option_until.or(booking.option_until);
    }
    booking.answer_id = cx.msg.message_id.clone().or(booking.answer_id.take());
    booking.updated_at = now;
    let booking = booking.clone();
    let state = if after_confirmation { "after_confirmation" } else { booking.state.as_str() };
    outcome.notes.push(format!(
        "event desk: {} answered about {} ({state}): passed to the organiser",
        venue.name, event.number
    ));
    let others: Vec<String> = if booking.state == VenueState::Declined && people > 0 {
        places::fitting(office, calendars, people, &event.reading.when)?
            .into_iter()
            .filter(|f| f.name != venue.name && !declined(&event, &f.name))
            .map(|f| f.name)
            .collect()
    } else {
        Vec::new()
    };
    let language = event.reading.language;
    let mut values = booking_values(&booking, people, language);
    values["greeting"] = json!(language.greeting(event.organiser_name.as_deref()));
    values["number"] = json!(event.number.tag());
    values["what"] = json!(event.reading.what);
    values["state"] = json!(state);
    values["price_unclear"] = json!(read.price_unclear);
    values["others"] = json!(others);
    values["signature"] = json!(office.assistant.name);
    let note = cx.rules.templates.letter("event/venue-answer", language, &values)?;
    let organiser = Address { name: event.organiser_name.clone(), email: event.organiser.clone() };
    let forward = cx.forward_inline(vec![organiser], note, &format!("event venue answer\0{}", venue.name))?;
    let mut change = PlanningChange::default();
    if let Effect::Send { mail, .. } = &forward {
        change.threads.push((mail.message_id.clone(), event.number));
    }
    outcome.effects.push(forward);
    if let Some(id) = &cx.msg.message_id {
        change.threads.push((id.clone(), event.number));
    }
    event.updated_at = now;
    change.events.push(event);
    outcome.effects.push(Effect::Planning(Box::new(change)));
    Ok(outcome)
}

fn venue_at<'a>(office: &'a Office, address: &str) -> Option<&'a Venue> {
    office.events.venues.iter().find(|v| v.address.eq_ignore_ascii_case(address))
}

/// How many days the event lasts: one unless its days are known.
fn days_of(when: &When) -> u32 {
    match *when {
        When::Days { first, last, .. } => u32::try_from((last - first).num_days() + 1).unwrap_or(1),
        _ => 1,
    }
}

/// The language the office writes to `venue` in.
fn language_of(office: &Office, venue: &Venue) -> Language {
    Language::from_code(venue.language.as_deref().unwrap_or(&office.language))
}

/// Writes to `venue` for its availability on the event's day and a quote; the mail's Message-ID.
fn ask(
    cx: &Context<'_>,
    arranged: &mut Arranged,
    event: &PlannedEvent,
    venue: &Venue,
) -> Result<String, DeskError> {
    let language = language_of(&cx.rules.office, venue);
    let values = event_values(cx, event, venue, language, "request");
    let id = send(cx, arranged, venue, language, &values, Vec::new(), "request")?;
    arranged.notes.push(format!("event desk: {} asked {} for the day and a quote", event.number, venue.name));
    Ok(id)
}

/// Sends `venue` the confirmation of `booking`, in the thread of its answer; the mail's Message-ID.
fn confirm(
    cx: &Context<'_>,
    arranged: &mut Arranged,
    event: &PlannedEvent,
    venue: &Venue,
    booking: &VenueBooking,
) -> Result<String, DeskError> {
    let language = language_of(&cx.rules.office, venue);
    let mut values = event_values(cx, event, venue, language, "confirmation");
    let people = event.reading.headcount.map_or(0, |h| h.people);
    let terms = booking_values(booking, people, language);
    values["price"] = terms["price"].clone();
    values["basis"] = terms["basis"].clone();
    values["cost"] = terms["cost"].clone();
    let thread: Vec<String> = booking.sent_id.iter().chain(&booking.answer_id).cloned().collect();
    let id = send(cx, arranged, venue, language, &values, thread, "confirmation")?;
    arranged.notes.push(format!("event desk: {} confirmed with {}", event.number, venue.name));
    Ok(id)
}

/// What the letters to a venue are given: the greeting, its name, the event's number, what, first
/// and last day, start and end, people, meals, diets, `kind` (request or confirmation), who signs.
fn event_values(
    cx: &Context<'_>,
    event: &PlannedEvent,
    venue: &Venue,
    language: Language,
    kind: &str,
) -> Value {
    let r = &event.reading;
    let day = |d: NaiveDate| language.day(d, "%A %-d %B %Y");
    let time = |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
    let (first, last, start, end) = match r.when {
        When::Days { first, last, start, end } => {
            (Some(day(first)), (last != first).then(|| day(last)), time(start), time(end))
        }
        _ => (None, None, None, None),
    };
    let diets: Vec<Value> =
        r.diets.iter().map(|d| json!({ "need": d.need.name(), "people": d.people })).collect();
    json!({
        "greeting": language.greeting(None),
        "venue": venue.name,
        "kind": kind,
        "number": event.number.tag(),
        "what": r.what,
        "first": first,
        "last": last,
        "start": start,
        "end": end,
        "people": r.headcount.map(|h| h.people),
        "meals": r.meals.iter().map(|m| m.name()).collect::<Vec<_>>(),
        "diets": diets,
        "signature": cx.rules.office.assistant.name,
    })
}

/// A place's terms for a letter: its name, day, price, basis, cost for `people`, option.
fn booking_values(booking: &VenueBooking, people: u32, language: Language) -> Value {
    let money = |m: crate::supply::money::Money| m.written(language.code());
    json!({
        "place": booking.place,
        "day": language.day(booking.day, "%a %-d %b %Y"),
        "people": people,
        "price": booking.quote.map(|q| money(q.price)),
        "basis": booking.quote.map(|q| q.basis.as_str()),
        "cost": booking.cost.map(money),
        "option_until": booking.option_until.map(|d| language.day(d, "%a %-d %b %Y")),
    })
}

/// Sends the venue letter `kind` (its subject from `event/venue-subject`) to `venue`.
fn send(
    cx: &Context<'_>,
    arranged: &mut Arranged,
    venue: &Venue,
    language: Language,
    values: &Value,
    thread: Vec<String>,
    kind: &str,
) -> Result<String, DeskError> {
    let templates = &cx.rules.templates;
    let text = templates.letter(&format!("event/venue-{kind}"), language, values)?;
    let subject = templates.letter("event/venue-subject", language, values)?.trim().to_owned();
    let identity = crate::actions::identity(&cx.rules.office);
    let seed = format!("{}\0event\0venue {kind}\0{}", cx.content_hash, venue.name);
    let notice = Notice {
        from: &identity,
        to: vec![Address { name: Some(venue.name.clone()), email: venue.address.clone() }],
        subject,
        html: compose::html_document(&text),
        text,
        message_id: compose::message_id(seed.as_bytes(), crate::mail::message::domain_of(&identity.address)),
        date: cx.now,
        loop_header_value: identity.address.clone(),
    };
    let mail = compose::letter(&notice, &Extras { thread, ..Extras::default() })
        .map_err(|e| DeskError::Letter(format!("the letter to {}: {e}", venue.name)))?;
    let id = mail.message_id.clone();
    arranged.threads.push(id.clone());
    arranged.effects.push(Effect::Send { kind: MailKind::Notice, rule: cx.rule.to_owned(), mail });
    Ok(id)
}

/// What the answer to the organiser says of the place chosen.
struct Shown {
    place: String,
    /// `room` or `venue`.
    kind: &'static str,
    capacity: u32,
    /// See the letter `event/venue-status`.
    state: &'static str,
    /// The organiser said not to confirm yet.
    not_yet: bool,
    /// The rooms booked earlier and given up now.
    released: Vec<String>,
}

impl Shown {
    /// No place chosen; only the rooms given up to tell.
    fn nothing(released: Vec<String>) -> Shown {
        Shown { place: String::new(), kind: "room", capacity: 0, state: "none", not_yet: false, released }
    }
}

/// The letter `event/venue-status` for `shown`, with the terms of the place's booking for the
/// event's first day.
fn status(cx: &Context<'_>, event: &PlannedEvent, shown: &Shown) -> Result<String, DeskError> {
    let language = event.reading.language;
    let people = event.reading.headcount.map_or(0, |h| h.people);
    let first = match event.reading.when {
        When::Days { first, .. } => Some(first),
        _ => None,
    };
    let booking = event.venues.iter().find(|v| v.place == shown.place && Some(v.day) == first);
    let mut values = match booking {
        Some(booking) => booking_values(booking, people, language),
        None => {
            json!({ "place": shown.place, "people": people, "day": null, "price": null, "basis": null, "cost": null, "option_until": null })
        }
    };
    values["kind"] = json!(shown.kind);
    values["state"] = json!(shown.state);
    values["capacity"] = json!(shown.capacity);
    values["not_yet"] = json!(shown.not_yet);
    values["released"] = json!(shown.released);
    let text = cx.rules.templates.letter("event/venue-status", language, &values)?;
    Ok(text.trim().to_owned())
}
