//! The event desk: the office's own events (a Christmas dinner, a two-day workshop), asked for in
//! words by one of its organisers (`[events] organisers` in office.toml).
//!
//! The desk reads the request, keeps it under a number (`EV-2026-0001`) with its guest list, and
//! answers the organiser in their language with what it understood, the questions for what the
//! request does not say, the places that hold the people, and what is still to do (`checklist`). A
//! reply in the thread (or naming the number) completes the same event. Each slice acts only on
//! what the organiser chose or said in words: the place is booked (a room) or asked for and
//! confirmed by mail (a venue) in `venue`, the catering proposed and ordered in `catering`, the
//! guests invited and their answers counted in `invitations`, the event put in its calendar in
//! `calendar`. Nothing is done on a guess.
//!
//! - **Who may ask.** Only organisers. Anyone else's request is planned by no one: they get a polite
//!   answer and the organisers get their message, as the supply desk does with strangers.
//! - **Machines** never ask for events: automatic mail is only noted, except a guest's calendar
//!   answering and a caterer's or venue's booking system, read as their desks read such mail.

mod calendar;
pub mod catering;
mod invitations;
mod places;
#[cfg(test)]
mod tests;
mod venue;
mod view;

use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

pub use self::invitations::{counts as guest_counts, times as invitation_times, when as invitation_when};
pub use self::view::{BatchPlanning, NoPlanning, PlanningView};

use super::{CalendarView, Context, DeskError, Outcome};
use crate::actions::ReplyHistory;
use crate::effects::{Effect, MailKind};
use crate::guard::Answer;
use crate::language::Language;
use crate::mail::compose::{self, AutoSubmitted, Reply};
use crate::mail::message::{Address, Message};
use crate::mail::reply_text;
use crate::planning::request::{self, EventRequest, Known, When};
use crate::planning::{EventNumber, EventState, Invited, PlannedEvent, PlanningChange, checklist, guests};
use crate::rules::RuleSet;

/// The event a message continues, for mail a rule handed elsewhere: an organiser's answer to
/// clerk's questions ("we'll be 25") has no event words of its own. Calendar mail is left to its
/// rules.
pub fn conversation(
    rules: &RuleSet,
    msg: &Message,
    view: &dyn PlanningView,
) -> Result<Option<EventNumber>, DeskError> {
    if let Some(number) = invitations::conversation(rules, msg, view)? {
        return Ok(Some(number));
    }
    if !msg.calendars.is_empty() {
        return Ok(None);
    }
    if let Some(number) = catering::conversation(rules, msg, view)? {
        return Ok(Some(number));
    }
    // A venue's answer to the office's request belongs to the event it was asked for.
    if !msg.from.iter().any(|a| rules.office.events.is_organiser(&a.email)) {
        return Ok(venue::answering(&rules.office, msg, view)?.map(|event| event.number));
    }
    let ids: Vec<String> = msg.in_reply_to.iter().chain(&msg.references).cloned().collect();
    if let Some(number) = view.thread(&ids)? {
        return Ok(Some(number));
    }
    match EventNumber::find_in(&msg.subject) {
        Some(number) if view.event(number)?.is_some() => Ok(Some(number)),
        _ => Ok(None),
    }
}

/// Handles one message routed to the event desk (or continuing one of its events).
pub fn handle(
    cx: &Context<'_>,
    view: &dyn PlanningView,
    calendars: &dyn CalendarView,
    history: &mut dyn ReplyHistory,
) -> Result<Outcome, DeskError> {
    let Some(sender) = cx.msg.from.first() else {
        return Ok(note("nothing done: the message has no sender"));
    };
    let organiser = cx.rules.office.events.is_organiser(&sender.email);
    // A guest's calendar answers by itself, and a caterer's or venue's booking system writes
    // automatic mail: each is read as the meeting desk reads iMIP answers and the supply desk a
    // vendor's, not held back as a person's mail would be.
    let guest_answer = if cx.msg.calendars.is_empty() { Answer::Record } else { Answer::CalendarAnswer };
    if cx.guard.why_not(guest_answer).is_empty()
        && let Some(outcome) = invitations::from_guest(cx, view)?
    {
        return Ok(outcome);
    }
    if cx.guard.why_not(Answer::VendorAnswer).is_empty() {
        if let Some(outcome) = catering::caterers_answer(cx, view)? {
            return Ok(outcome);
        }
        if !organiser && let Some(event) = venue::answering(&cx.rules.office, cx.msg, view)? {
            return venue::answer(cx, event, calendars);
        }
    }
    let machine = cx.guard.why_not(Answer::Record);
    if !machine.is_empty() {
        return Ok(note(format!("nothing done: {}", machine.join("; "))));
    }
    if !organiser {
        return stranger(cx, sender, history);
    }
    let new_text = reply_text::new_text(&cx.msg.text);
    let text = format!("{}\n{new_text}", cx.msg.subject);
    let office = &cx.rules.office;
    let sent = cx.msg.date.map_or_else(
        || cx.now.with_timezone(&office.timezone).date_naive(),
        |d| d.with_timezone(&office.timezone).date_naive(),
    );
    let places: Vec<&str> = office
        .rooms
        .iter()
        .map(|r| r.name.as_str())
        .chain(office.events.venues.iter().map(|v| v.name.as_str()))
        .collect();
    let mut groups: Vec<&str> =
        office.staff.iter().flat_map(|s| s.groups.iter().map(String::as_str)).collect();
    groups.sort_unstable();
    groups.dedup();
    let reading = request::read(&text, sent, &Known { places: &places, groups: &groups });
    let lists: Vec<guests::GuestList> =
        super::supply::csv_attachments(cx.raw).iter().map(|csv| guests::from_csv(csv)).collect();
    let without_address = lists.iter().map(|l| l.without_address).sum();
    let found = invited(cx, &reading, &lists);

    let ids: Vec<String> = cx.msg.in_reply_to.iter().chain(&cx.msg.references).cloned().collect();
    let continued = match view.thread(&ids)? {
        Some(number) => view.event(number)?,
        None => match EventNumber::find_in(&cx.msg.subject) {
            Some(number) => view.event(number)?,
            None => None,
        },
    };
    let now = cx.now.timestamp();
    let mut outcome = Outcome::default();
    let (mut event, new) = match continued {
        Some(mut event) => {
            event.reading = merged(&event.reading, reading, &text, sent);
            outcome.notes.push(format!("event desk: the message continues {}", event.number));
            (event, false)
        }
        None => {
            let year = cx.now.with_timezone(&office.timezone).year();
            let number = EventNumber { year, sequence: view.highest_number(year)? + 1 };
            let event = PlannedEvent {
                number,
                organiser: sender.email.to_lowercase(),
                organiser_name: sender.name.clone(),
                state: EventState::Asking,
                reading,
                guests: Vec::new(),
                venues: Vec::new(),
                message_id: cx.msg.message_id.clone(),
                created_at: now,
                updated_at: now,
            };
            (event, true)
        }
    };
    for guest in found {
        if !event.guests.iter().any(|g| g.address == guest.address) {
            event.guests.push(guest);
        }
    }
    event.reading.guests = event.guests.iter().map(|g| g.address.clone()).collect();
    event.state = EventState::of(&event.missing());
    event.updated_at = now;
    let language = event.reading.language;
    // The place first: invitations name where the event is, as it now stands.
    let arranged = venue::arrange(cx, &mut event, calendars, new_text)?;
    // Only an organiser who has seen the event read back can have it sent to guests.
    let invitations = if new { None } else { invitations::on_command(cx, &mut event, new_text)? };
    let mut fitting = match event.reading.headcount {
        Some(headcount) => places::fitting(office, calendars, headcount.people, &event.reading.when)?,
        None => Vec::new(),
    };
    fitting.retain(|f| !venue::declined(&event, &f.name));
    let catering_before = view.catering(event.number)?;
    let catering = catering::plan(cx, &event, catering_before.clone(), &text, !new)?;
    let placed = calendar::place(cx, view, calendars, &event)?;
    let mut values = letter_values(cx, &event, new, without_address, &fitting, language);
    values["venue"] = json!(arranged.status);
    values["catering"] = json!(catering.letter);
    values["catering_ordered"] = json!(catering.ordered);
    values["calendar"] = placed.letter;
    let catering_now = catering.catering.as_ref().or(catering_before.as_ref());
    values["open"] =
        json!(checklist::open(&event, catering_now).iter().map(|t| t.name()).collect::<Vec<_>>());
    values["invitations"] = json!(invitations.as_ref().map(|sent| sent.letter.as_str()));
    let body = cx.rules.templates.letter("event/reading", language, &values)?;
    let mut subject = compose::reply_subject(&cx.msg.subject);
    if EventNumber::find_in(&subject) != Some(event.number) {
        subject = format!("{subject} [{}]", event.number);
    }
    let mut change = PlanningChange::default();
    if new {
        change.opened.push(event.number);
    }
    if let Some(id) = &cx.msg.message_id {
        change.threads.push((id.clone(), event.number));
    }
    if let Some(id) = answer(cx, &mut outcome, sender, subject, body, &format!("event {}", event.number))? {
        change.threads.push((id, event.number));
    }
    if let Some(sent) = invitations {
        change.threads.extend(sent.threads.into_iter().map(|id| (id, event.number)));
        outcome.effects.extend(sent.mails);
    }
    change.threads.extend(catering.threads.into_iter().map(|id| (id, event.number)));
    change.catering.extend(catering.catering);
    outcome.effects.extend(catering.effects);
    outcome.notes.extend(catering.notes);
    change.threads.extend(arranged.threads.into_iter().map(|id| (id, event.number)));
    outcome.effects.extend(arranged.effects);
    outcome.notes.extend(arranged.notes);
    let missing: Vec<&str> = event.missing().iter().map(|m| m.name()).collect();
    outcome.notes.push(format!(
        "event desk: {} {} ({}){}",
        event.number,
        if new { "recorded" } else { "updated" },
        event.state.as_str(),
        if missing.is_empty() { String::new() } else { format!("; asked for: {}", missing.join(", ")) }
    ));
    outcome.notes.extend(placed.note);
    outcome.effects.extend(placed.effects);
    change.calendar.extend(placed.entry);
    change.events.push(event);
    outcome.effects.push(Effect::Planning(Box::new(change)));
    Ok(outcome)
}

fn note(note: impl Into<String>) -> Outcome {
    Outcome::note(format!("event desk: {}", note.into()))
}

/// The guests a request names: its addresses (not the assistant's own), its attached lists, and the
/// staff of the groups it names or everyone, each address once, named by the staff directory when
/// the list gives no name.
fn invited(cx: &Context<'_>, reading: &EventRequest, lists: &[guests::GuestList]) -> Vec<Invited> {
    let office = &cx.rules.office;
    let mut found: Vec<Invited> = Vec::new();
    let mut add = |address: &str, name: Option<String>| {
        let address = address.to_lowercase();
        if address.eq_ignore_ascii_case(&office.assistant.address)
            || found.iter().any(|g| g.address == address)
        {
            return;
        }
        let name = name.or_else(|| {
            office
                .staff
                .iter()
                .find(|s| s.person.address.eq_ignore_ascii_case(&address))
                .map(|s| s.person.name.clone())
        });
        found.push(Invited::new(address, name));
    };
    for address in &reading.guests {
        add(address, None);
    }
    for guest in lists.iter().flat_map(|l| &l.guests) {
        add(&guest.address, guest.name.clone());
    }
    for member in &office.staff {
        if reading.everyone || member.groups.iter().any(|g| reading.groups.contains(g)) {
            add(&member.person.address, Some(member.person.name.clone()));
        }
    }
    found
}

/// `old` with what the reply's reading `new` says: a value it gives replaces the one before (the
/// organiser corrects or completes), one it leaves out is kept. A time alone ("it starts at 8pm")
/// completes the days already known. The title stays, since the reply's subject only repeats it.
fn merged(old: &EventRequest, new: EventRequest, text: &str, sent: NaiveDate) -> EventRequest {
    let when = match (old.when, new.when) {
        (When::Days { first, last, start, end }, When::Unknown) => {
            let named = crate::calendar::phrase::named(text, sent);
            When::Days { first, last, start: named.start.or(start), end: named.end.or(end) }
        }
        (_, When::Unknown) => old.when,
        // Days without a time keep the time already given: "let's make it Saturday" moves the
        // dinner, not its hours.
        (When::Days { start, end, .. }, When::Days { first, last, start: None, end: until }) => {
            When::Days { first, last, start, end: until.or(end) }
        }
        (_, when) => when,
    };
    let mut meals = old.meals.clone();
    meals.extend(new.meals.iter().copied().filter(|m| !old.meals.contains(m)));
    meals.sort_unstable();
    let mut groups = old.groups.clone();
    groups.extend(new.groups.into_iter().filter(|g| !old.groups.contains(g)));
    EventRequest {
        what: old.what.clone().or(new.what),
        when,
        days: new.days.or(old.days),
        headcount: new.headcount.or(old.headcount),
        place: new.place.or_else(|| old.place.clone()),
        no_catering: new.no_catering || (old.no_catering && new.meals.is_empty()),
        meals: if new.no_catering { Vec::new() } else { meals },
        diets: if new.diets.is_empty() { old.diets.clone() } else { new.diets },
        guests: old.guests.clone(),
        everyone: old.everyone || new.everyone,
        groups,
        language: old.language,
    }
}

/// What the reading letter is given (see `letters::event`).
fn letter_values(
    cx: &Context<'_>,
    event: &PlannedEvent,
    new: bool,
    without_address: usize,
    fitting: &[places::Fitting],
    language: Language,
) -> Value {
    let r = &event.reading;
    let day = |d: NaiveDate| language.day(d, "%a %-d %b %Y");
    let time = |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
    let when = match r.when {
        When::Days { first, last, start, end } => json!({
            "kind": "days",
            "first": day(first),
            "last": (last != first).then(|| day(last)),
            "start": time(start),
            "end": time(end),
        }),
        When::Window { from, last } => json!({ "kind": "window", "first": day(from), "last": day(last) }),
        When::Unknown => json!({ "kind": "unknown" }),
    };
    let place = r.place.as_ref().map(|p| match p {
        request::Place::Known(name) => json!({ "kind": "known", "name": name }),
        request::Place::Office => json!({ "kind": "office", "name": null }),
        request::Place::Wish(wish) => json!({ "kind": "wish", "name": wish }),
    });
    let diets: Vec<Value> =
        r.diets.iter().map(|d| json!({ "need": d.need.name(), "people": d.people })).collect();
    let missing: Vec<&str> = event.missing().iter().map(|m| m.name()).collect();
    json!({
        "greeting": language.greeting(event.organiser_name.as_deref()),
        "number": event.number.tag(),
        "new": new,
        "what": r.what,
        "when": when,
        "days": r.days,
        "headcount": r.headcount.map(|h| json!({ "people": h.people, "approximate": h.approximate })),
        "place": place,
        "meals": r.meals.iter().map(|m| m.name()).collect::<Vec<_>>(),
        "no_catering": r.no_catering,
        "diets": diets,
        "guests": {
            "count": event.guests.len(),
            "groups": r.groups,
            "everyone": r.everyone,
            "without_address": without_address,
            "invited": event.guests.iter().filter(|g| g.invited_at.is_some()).count(),
            "to_invite": if invitations::times(event, cx.rules.office.timezone).is_some() {
                event.guests.iter().filter(|g| g.invited_at.is_none()).count()
            } else {
                0
            },
        },
        "missing": missing,
        "places": fitting,
        "signature": cx.rules.office.assistant.name,
    })
}

/// The desk's answer to the organiser: like the meeting desk's, an answer to a request a person of
/// the office made, so it is not held back for coming from an own address and is not subject to the
/// reply limit (each message of the conversation is answered once, by its journal). Its Message-ID,
/// or `None` with a note when the guard holds it back.
fn answer(
    cx: &Context<'_>,
    outcome: &mut Outcome,
    sender: &Address,
    subject: String,
    body: String,
    seed: &str,
) -> Result<Option<String>, DeskError> {
    let why = cx.guard.why_not(Answer::CalendarAnswer);
    if !why.is_empty() {
        outcome.notes.push(format!("event desk: no answer to {}: {}", sender.email, why.join("; ")));
        return Ok(None);
    }
    let Some(target) = cx.msg.reply_target().map(str::to_owned) else {
        outcome.notes.push("event desk: no answer: the message has no address to reply to".to_owned());
        return Ok(None);
    };
    let mail = reply(cx, target, subject, body, seed)?;
    let id = mail.message_id.clone();
    outcome.effects.push(Effect::Send { kind: MailKind::Reply, rule: cx.rule.to_owned(), mail });
    Ok(Some(id))
}

fn reply(
    cx: &Context<'_>,
    target: String,
    subject: String,
    body: String,
    seed: &str,
) -> Result<compose::OutboundMail, DeskError> {
    let identity = crate::actions::identity(&cx.rules.office);
    let seed = format!("{}\0event\0{seed}", cx.content_hash);
    compose::reply(&Reply {
        original: cx.msg,
        from: &identity,
        to: Address { name: crate::actions::display_name_for(cx.msg, &target), email: target },
        cc: Vec::new(),
        subject,
        body,
        message_id: compose::message_id(seed.as_bytes(), crate::mail::message::domain_of(&identity.address)),
        date: cx.now,
        auto_submitted: AutoSubmitted::AutoReplied,
        loop_header_value: identity.address.clone(),
    })
    .map_err(|e| DeskError::Letter(e.to_string()))
}

/// A request from someone who is not an organiser: no event is recorded. As the supply desk does
/// with those who may not order, they get a polite answer (within the reply limit) and the
/// organisers get their message.
fn stranger(
    cx: &Context<'_>,
    sender: &Address,
    history: &mut dyn ReplyHistory,
) -> Result<Outcome, DeskError> {
    let office = &cx.rules.office;
    let mut outcome = note(format!(
        "{} is not an event organiser: nothing planned, passed to the organisers",
        sender.email
    ));
    let organisers: Vec<Address> = office
        .events
        .organisers
        .iter()
        .map(|address| Address {
            name: office
                .owners
                .iter()
                .find(|o| o.address.eq_ignore_ascii_case(address))
                .map(|o| o.name.clone()),
            email: address.clone(),
        })
        .collect();
    let language = Language::of(reply_text::new_text(&cx.msg.text));
    let names: Vec<String> =
        organisers.iter().map(|o| o.name.clone().unwrap_or_else(|| o.email.clone())).collect();
    let values = json!({
        "greeting": language.greeting(sender.name.as_deref()),
        "organisers": names,
        "signature": office.assistant.name,
    });
    let body = cx.rules.templates.letter("event/not-an-organiser", language, &values)?;
    let why = cx.guard.why_not(Answer::Reply);
    let target = cx.msg.reply_target().map(str::to_owned);
    let limit_key = format!("{} not an organiser", cx.rule);
    match target {
        _ if !why.is_empty() => outcome.notes.push(format!("event desk: no answer: {}", why.join("; "))),
        None => {
            outcome.notes.push("event desk: no answer: the message has no address to reply to".to_owned())
        }
        Some(target) => {
            let limit = office.replies.limit;
            if let Some(why) = crate::actions::rate_limited(&limit_key, &target, limit, history, cx.now)? {
                outcome.notes.push(format!("event desk: no answer: {why}"));
            } else {
                let mail =
                    reply(cx, target.clone(), compose::reply_subject(&cx.msg.subject), body, "stranger")?;
                history.note_reply(&target, &limit_key, cx.now.timestamp());
                outcome.effects.push(Effect::Send { kind: MailKind::Reply, rule: cx.rule.to_owned(), mail });
                outcome.effects.push(Effect::NoteReply { sender: target, rule: limit_key });
            }
        }
    }
    if organisers.is_empty() {
        return Ok(outcome);
    }
    let note = format!(
        "{} asked the assistant for an event but is not among the event organisers in office.toml; nothing was planned. Their message is below.",
        sender.email
    );
    outcome.effects.push(cx.forward_inline(organisers, note, "event forward\0stranger")?);
    Ok(outcome)
}
