//! An event's guests (#20): the invitations the organiser asks for, and the guests' answers.
//!
//! - **Invitations** go out when the organiser says so in the event's thread ("send the
//!   invitations", "manda gli inviti"; see [`rsvp::asks_to_invite`]), never on a first request,
//!   which she has not yet seen read back. Each guest not yet invited gets one iMIP REQUEST (UID
//!   from the event's number, their ATTENDEE line with RSVP=TRUE), in the event's language. As the
//!   meeting desk's do, it names the assistant as ORGANIZER, SENT-BY the organiser, so that the
//!   guests' calendars answer to the assistant and their answers are counted. A guest is marked
//!   invited with the mail, so the command repeated invites only those added since.
//! - **Answers**: an iMIP REPLY for the event's UID sets the guest's answer (ACCEPTED yes, DECLINED
//!   no; TENTATIVE and anything else leave them waiting); a REPLY from someone not on the list is
//!   noted, not counted. A guest's mail in the thread of their invitation (or quoting the number)
//!   is read in words ([`rsvp::read_answer`]) with the diet it tells; an answer that is not plain, or
//!   a question, goes to the organiser, and an unplain answer is not counted.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::json;

use super::{Context, DeskError, Outcome, PlanningView};
use crate::calendar::ics::{self, Attendee, ItipEvent, Method, PartStat, Party};
use crate::calendar::itip::{self, Meeting, Organizer};
use crate::effects::{Effect, MailKind};
use crate::language::Language;
use crate::mail::compose::{self, AutoSubmitted, CalendarMail};
use crate::mail::message::{Address, Message, domain_of};
use crate::mail::reply_text;
use crate::planning::request::{Place, When};
use crate::planning::rsvp;
use crate::planning::{EventNumber, Invited, PlannedEvent, PlanningChange};
use crate::rules::RuleSet;

/// The UID of `number`'s invitations: the same in every invitation and update of the event.
fn uid(number: EventNumber, office: &crate::office::Office) -> String {
    format!("{}@{}", number.tag().to_lowercase(), domain_of(&office.assistant.address))
}

/// The event a message from one of its guests answers: an iMIP REPLY for an event's UID, or a
/// guest's mail in the thread of their invitation or quoting the event's number.
pub fn conversation(
    rules: &RuleSet,
    msg: &Message,
    view: &dyn PlanningView,
) -> Result<Option<EventNumber>, DeskError> {
    if let Some((event, _)) = replies(rules, msg, view)?.into_iter().next() {
        return Ok(Some(event.number));
    }
    Ok(guest_mail(rules, msg, view)?.map(|event| event.number))
}

/// Handles a message from an event's guests, or returns `None` when it is none.
pub(super) fn from_guest(cx: &Context<'_>, view: &dyn PlanningView) -> Result<Option<Outcome>, DeskError> {
    let replies = replies(cx.rules, cx.msg, view)?;
    if !replies.is_empty() {
        return Ok(Some(counted_replies(replies)));
    }
    match guest_mail(cx.rules, cx.msg, view)? {
        Some(event) => answer_in_words(cx, event).map(Some),
        None => Ok(None),
    }
}

/// The events the iMIP REPLYs of `msg` answer, each with its REPLY's VEVENTs.
fn replies(
    rules: &RuleSet,
    msg: &Message,
    view: &dyn PlanningView,
) -> Result<Vec<(PlannedEvent, ItipEvent)>, DeskError> {
    let mut found = Vec::new();
    for part in msg.calendars.iter().filter(|p| p.method.as_deref() == Some("REPLY")) {
        let Ok(itip) = ics::read(&part.text, part.method.as_deref(), rules.office.timezone) else { continue };
        for answer in itip.events {
            let Some(number) = EventNumber::find_in(&answer.uid) else { continue };
            if answer.uid != uid(number, &rules.office) {
                continue;
            }
            if let Some(event) = view.event(number)? {
                found.push((event, answer));
            }
        }
    }
    Ok(found)
}

/// The event whose guest wrote `msg` (not an organiser, not a calendar object) in the thread of
/// clerk's mail about it or quoting its number.
fn guest_mail(
    rules: &RuleSet,
    msg: &Message,
    view: &dyn PlanningView,
) -> Result<Option<PlannedEvent>, DeskError> {
    let Some(sender) = msg.from.first() else { return Ok(None) };
    if !msg.calendars.is_empty() || rules.office.events.is_organiser(&sender.email) {
        return Ok(None);
    }
    let ids: Vec<String> = msg.in_reply_to.iter().chain(&msg.references).cloned().collect();
    let number = match view.thread(&ids)? {
        Some(number) => Some(number),
        None => EventNumber::find_in(&msg.subject),
    };
    let Some(event) = number.map(|n| view.event(n)).transpose()?.flatten() else { return Ok(None) };
    let invited =
        event.guests.iter().any(|g| g.address.eq_ignore_ascii_case(&sender.email) && g.invited_at.is_some());
    Ok(invited.then_some(event))
}

/// Guests' calendar answers recorded on their events.
fn counted_replies(replies: Vec<(PlannedEvent, ItipEvent)>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut change = PlanningChange::default();
    for (event, answer) in replies {
        let mut event = change.events.iter().find(|e| e.number == event.number).cloned().unwrap_or(event);
        for attendee in &answer.attendees {
            let Some(guest) = event.guests.iter_mut().find(|g| attendee.party.is(&g.address)) else {
                outcome.notes.push(format!(
                    "event desk: {} answered {} for {}, but is not on its guest list; not counted",
                    attendee.party.email,
                    attendee.partstat.as_str(),
                    event.number
                ));
                continue;
            };
            guest.answer = match attendee.partstat {
                PartStat::Accepted => Some(true),
                PartStat::Declined => Some(false),
                // Tentative, delegated or still to decide: waiting, and reminded like anyone waiting.
                _ => None,
            };
            outcome.notes.push(format!(
                "event desk: {} answered {} for {}",
                guest.address,
                attendee.partstat.as_str(),
                event.number
            ));
        }
        change.events.retain(|e| e.number != event.number);
        change.events.push(event);
    }
    outcome.effects.push(Effect::Planning(Box::new(change)));
    outcome
}

/// A guest's answer in words: counted when plain, with the diet it tells; passed to the organiser
/// when it is not, or when it asks something.
fn answer_in_words(cx: &Context<'_>, mut event: PlannedEvent) -> Result<Outcome, DeskError> {
    let mut outcome = Outcome::default();
    let Some(sender) = cx.msg.from.first() else { return Ok(outcome) };
    let read = rsvp::read_answer(reply_text::new_text(&cx.msg.text));
    let Some(guest) = event.guests.iter_mut().find(|g| g.address.eq_ignore_ascii_case(&sender.email)) else {
        return Ok(outcome);
    };
    if read.comes.is_some() {
        guest.answer = read.comes;
    }
    if read.diet.is_some() {
        guest.diet = read.diet;
    }
    let address = guest.address.clone();
    outcome.notes.push(match read.comes {
        Some(comes) => format!(
            "event desk: {address} {} {}",
            if comes { "comes to" } else { "does not come to" },
            event.number
        ),
        None => format!("event desk: {address}'s answer about {} is not plain: not counted", event.number),
    });
    if read.comes.is_none() || read.asks {
        let language = Language::from_code(&cx.rules.office.language);
        let values = json!({
            "guest": sender.name.clone().unwrap_or_else(|| address.clone()),
            "number": event.number.tag(),
            "what": event.reading.what,
            "counted": read.comes,
            "asks": read.asks,
        });
        let note = cx.rules.templates.letter("event/guests-to-the-organiser", language, &values)?;
        let organiser = Address { name: event.organiser_name.clone(), email: event.organiser.clone() };
        outcome.effects.push(cx.forward_inline(vec![organiser], note, "event forward\0guest")?);
    }
    let mut change = PlanningChange::default();
    if let Some(id) = &cx.msg.message_id {
        change.threads.push((id.clone(), event.number));
    }
    change.events.push(event);
    outcome.effects.push(Effect::Planning(Box::new(change)));
    Ok(outcome)
}

/// What the organiser's command to invite did, for her answer.
pub(super) struct Invitations {
    /// The paragraph of her answer that says what was sent (`event/guests-sent`).
    pub letter: String,
    /// The invitations, and their Message-IDs for the event's thread.
    pub mails: Vec<Effect>,
    pub threads: Vec<String>,
}

/// Sends `event`'s invitations when the organiser's `text` asks for them, marking the guests
/// invited; `None` when it does not ask.
pub(super) fn on_command(
    cx: &Context<'_>,
    event: &mut PlannedEvent,
    text: &str,
) -> Result<Option<Invitations>, DeskError> {
    if !rsvp::asks_to_invite(text) {
        return Ok(None);
    }
    let office = &cx.rules.office;
    let language = event.reading.language;
    let mut values = json!({
        "number": event.number.tag(),
        "what": event.reading.what,
        "missing": missing(event),
        "invited": [],
        "before": event.guests.iter().filter(|g| g.invited_at.is_some()).count(),
    });
    let mut invitations = Invitations { letter: String::new(), mails: Vec::new(), threads: Vec::new() };
    if let Some((start, end)) = times(event, office.timezone)
        && !event.guests.is_empty()
    {
        let mut invited = Vec::new();
        for n in 0..event.guests.len() {
            if event.guests[n].invited_at.is_some() {
                continue;
            }
            let mail = invitation(cx, event, &event.guests[n], start, end)?;
            invitations.threads.push(mail.message_id.clone());
            invitations.mails.push(Effect::Send { kind: MailKind::Calendar, rule: cx.rule.to_owned(), mail });
            let guest = &mut event.guests[n];
            guest.invited_at = Some(cx.now.timestamp());
            invited.push(guest.name.clone().unwrap_or_else(|| guest.address.clone()));
        }
        values["invited"] = json!(invited);
    }
    invitations.letter = cx.rules.templates.letter("event/guests-sent", language, &values)?;
    Ok(Some(invitations))
}

/// What the event must say before its invitations can go out: its day, start and end.
fn missing(event: &PlannedEvent) -> Vec<&'static str> {
    let mut missing = Vec::new();
    match event.reading.when {
        When::Days { start: None, .. } => missing.extend(["start", "end"]),
        When::Days { end: None, .. } => missing.push("end"),
        When::Days { .. } => {}
        _ => missing.extend(["day", "start", "end"]),
    }
    if event.guests.is_empty() {
        missing.push("guests");
    }
    missing
}

/// When `event` starts and ends, when it says both on its days (on the office's clock `zone`).
pub fn times(event: &PlannedEvent, zone: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let When::Days { first, last, start: Some(start), end: Some(end) } = event.reading.when else {
        return None;
    };
    let at = |day: NaiveDate, time: NaiveTime| {
        zone.from_local_datetime(&day.and_time(time)).earliest().map(|t| t.with_timezone(&Utc))
    };
    let (start, mut end) = (at(first, start)?, at(last, end)?);
    // "20:00–01:00": it ends the next morning.
    if end <= start {
        end += chrono::TimeDelta::days(1);
    }
    Some((start, end))
}

/// One guest's invitation: an iMIP REQUEST naming them alone, with the event in words.
fn invitation(
    cx: &Context<'_>,
    event: &PlannedEvent,
    guest: &Invited,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<compose::OutboundMail, DeskError> {
    let office = &cx.rules.office;
    let language = event.reading.language;
    let party = Party { email: guest.address.clone(), name: guest.name.clone() };
    let summary = event.reading.what.clone().unwrap_or_else(|| event.number.tag());
    let location = match &event.reading.place {
        Some(Place::Known(name)) => Some(name.clone()),
        _ => None,
    };
    let meeting = Meeting {
        uid: uid(event.number, office),
        sequence: 0,
        recurrence_id: None,
        summary: summary.clone(),
        location: location.clone(),
        description: None,
        start,
        end,
        timezone: office.timezone,
        rrule: None,
        exdates: Vec::new(),
        organizer: Some(Organizer {
            party: Party {
                email: office.assistant.address.clone(),
                name: Some(office.assistant.name.clone()),
            },
            sent_by: Some(event.organiser.clone()),
        }),
        attendees: vec![Attendee { party: party.clone(), partstat: PartStat::NeedsAction }],
    };
    let values = json!({
        "greeting": language.greeting(guest.name.as_deref()),
        "number": event.number.tag(),
        "what": summary,
        "when": when(event, start, end, office.timezone, language),
        "place": location,
        "organiser": event.organiser_name.clone().unwrap_or_else(|| event.organiser.clone()),
        "signature": office.assistant.name,
    });
    let text = cx.rules.templates.letter("event/guests-invitation", language, &values)?;
    let subject = cx.rules.templates.letter("event/guests-invitation-subject", language, &values)?;
    let identity = crate::actions::identity(office);
    let seed = format!("{}\0event invitation\0{}\0{}", cx.content_hash, event.number, guest.address);
    Ok(compose::calendar_mail(&CalendarMail {
        from: &identity,
        to: vec![Address { name: guest.name.clone(), email: guest.address.clone() }],
        subject: subject.trim().to_owned(),
        text,
        method: Method::Request.as_str(),
        calendar: itip::request(&meeting, cx.now),
        answering: None,
        message_id: compose::message_id(seed.as_bytes(), domain_of(&identity.address)),
        date: cx.now,
        auto_submitted: AutoSubmitted::AutoGenerated,
        loop_header_value: identity.address.clone(),
    })?)
}

/// "Fri 18 Dec 2026 20:00–23:00", or from one day to another for an event of several days.
pub fn when(
    event: &PlannedEvent,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    zone: Tz,
    language: Language,
) -> String {
    let (start, end) = (start.with_timezone(&zone), end.with_timezone(&zone));
    let multi_day = matches!(event.reading.when, When::Days { first, last, .. } if first != last);
    if multi_day {
        format!(
            "{} – {}",
            language.date(&start, "%a %-d %b %Y %H:%M"),
            language.date(&end, "%a %-d %b %Y %H:%M")
        )
    } else {
        format!("{}–{}", language.date(&start, "%a %-d %b %Y %H:%M"), end.format("%H:%M"))
    }
}

/// One line of the guests' answers for `clerk events`: how many come, do not, are waiting, and how
/// many are not invited yet.
pub fn counts(event: &PlannedEvent) -> String {
    let invited = event.guests.iter().filter(|g| g.invited_at.is_some());
    let yes = invited.clone().filter(|g| g.answer == Some(true)).count();
    let no = invited.clone().filter(|g| g.answer == Some(false)).count();
    let waiting = invited.filter(|g| g.answer.is_none()).count();
    let not_invited = event.guests.iter().filter(|g| g.invited_at.is_none()).count();
    let mut line = format!("{yes} yes/{no} no/{waiting} waiting");
    if not_invited > 0 {
        line.push_str(&format!(", {not_invited} not invited"));
    }
    line
}
