//! Requests to meet in plain words ("can we meet Tuesday at 3?", "possiamo vederci domani mattina?").
//!
//! A free time asked for is booked: the event goes into the calendar, organised by the assistant for
//! the owner, and an iMIP invitation goes to the requester and the people the request named (by
//! address, or by name from the office's directory); the owner gets her copy of every booking, move
//! and cancellation someone else makes, under the same UID. A busy,
//! vague or missing time gets three numbered free times, held for the thread; a reply choosing one
//! ("2", "va bene la 2") books it, a reply that fits none gets three new ones. In the thread of a
//! meeting it booked, "can we move it to Thursday?" moves it (or offers times to move it to) and "I
//! need to cancel" cancels it, with the iMIP update or cancellation to everyone invited. Every answer
//! says how the request was read, so that a person catches a misreading.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

use super::{MeetingCase, invitees, letters, named, organizer, rooms};
use crate::calendar::availability::{Slot, Unavailable};
use crate::calendar::event::{Event, EventStatus};
use crate::calendar::ics::{Attendee, Method, PartStat, Party};
use crate::calendar::itip;
use crate::calendar::phrase::{self, Asked, Intent, Reading};
use crate::calendar::proposal::{Ambiguous, LeftOut, Proposal};
use crate::desks::{DeskError, Outcome};
use crate::effects::{Effect, MailKind};
use crate::language::Language;
use crate::mail::compose::{self, AutoSubmitted, Reply};
use crate::mail::message::Address;

/// How long offered times are held at most.
const HELD_FOR: TimeDelta = TimeDelta::days(3);

/// Who a meeting is for, and what it is about.
struct Request {
    requester: Party,
    participants: Vec<Party>,
    /// What the request named that invites no one: addresses the office does not write to (see
    /// [`invitees`]), names none or several of the office's people have (see [`named`]).
    left_out: LeftOut,
    /// The meeting's title: who and what.
    summary: String,
    /// To meet in person: a room is booked too.
    room: bool,
}

/// Handles a message without a calendar routed to the meeting desk.
pub(super) fn handle(desk: &MeetingCase<'_>, outcome: &mut Outcome) -> Result<(), DeskError> {
    let cx = desk.cx;
    let thread: Vec<String> = cx.msg.in_reply_to.iter().chain(&cx.msg.references).cloned().collect();
    // "Tomorrow" is read from when the message was sent, by its Date; a Date outside the years
    // calendars are kept in is not believed.
    let sent = cx
        .msg
        .date
        .filter(|date| crate::calendar::ics::YEARS.contains(&chrono::Datelike::year(date)))
        .unwrap_or_else(|| cx.now.with_timezone(&desk.zone()).fixed_offset());
    let proposal = desk.view.open_proposal(&thread)?.filter(|p| p.calendar == desk.calendar.name);
    let request = match &proposal {
        Some(p) => Request {
            requester: p.requester.clone(),
            participants: p.participants.clone(),
            left_out: p.left_out.clone(),
            summary: p.summary.clone(),
            room: p.room,
        },
        None => request(desk)?,
    };
    let Some(request) = request_with_sender(request) else {
        outcome.notes.push("meeting desk: the request has no sender to answer".into());
        return Ok(());
    };
    let left_out = &request.left_out;
    if !left_out.addresses.is_empty() {
        outcome.notes.push(format!(
            "meeting desk: not invited, as the request comes from outside the office: {}",
            left_out.addresses.join(", ")
        ));
    }
    if !left_out.unknown.is_empty() {
        outcome.notes.push(format!(
            "meeting desk: not invited, as no one of the office has the name: {}",
            left_out.unknown.join(", ")
        ));
    }
    for name in &left_out.ambiguous {
        outcome.notes.push(format!(
            "meeting desk: not invited, as several of the office have the name {}: {}",
            name.written,
            name.candidates.join(", ")
        ));
    }
    let sender = cx.msg.reply_to.first().or(cx.msg.from.first()).map(|a| a.email.as_str()).unwrap_or("");
    if let Some(p) = &proposal
        && !(p.requester.is(sender) || p.participants.iter().any(|q| q.is(sender)) || desk.is_ours(sender))
    {
        outcome.notes.push(format!(
            "meeting desk: {sender} answered times offered to {}; only those invited may choose",
            p.requester.email
        ));
        return Ok(());
    }
    // The length of the times offered: kept when new ones are offered in the same thread.
    let offered_length = proposal.as_ref().and_then(|p| p.slots.first()).map(|slot| slot.end - slot.start);
    if let Some(proposal) = &proposal {
        let starts: Vec<DateTime<Utc>> = proposal.slots.iter().map(|slot| slot.start).collect();
        let chosen = phrase::choice_among(&cx.msg.text, sent, desk.zone(), &starts)
            .filter(|_| cx.now < proposal.expires);
        // A reply that neither chooses, nor declines them all, nor names another time leaves the offer
        // open: it is asked again rather than thrown away.
        let words = crate::mail::reply_text::request_words(&cx.msg.subject, true, &cx.msg.text);
        let unclear = chosen.is_none()
            && cx.now < proposal.expires
            && !phrase::declines(&words)
            && phrase::read_in(&words, sent, Some(desk.zone())).asked == Asked::Nothing;
        if unclear {
            return ask_again(desk, outcome, &request, proposal);
        }
        outcome.effects.push(Effect::CloseProposal { message_id: proposal.message_id.clone() });
        if let Some(n) = chosen {
            let slot = proposal.slots[n - 1];
            let moving = match &proposal.replaces {
                Some(uid) => booked(desk, uid)?,
                None => None,
            };
            let uid = moving.as_ref().map_or("", |e| e.uid.as_str());
            match desk.conflict(uid, &[slot], false)? {
                None => {
                    let reading = letters::ReadAs::chosen(desk, n, slot, proposal.language);
                    return match moving {
                        Some(event) => move_booking(desk, outcome, event, slot, proposal.language, reading),
                        None => book(desk, outcome, &request, slot, proposal.language, reading),
                    };
                }
                Some(why) => {
                    let reading = Reading::at(slot.start, proposal.language);
                    let (length, replaces) = (slot.end - slot.start, proposal.replaces.clone());
                    return propose(desk, outcome, &request, &reading, length, Some(why), replaces);
                }
            }
        }
    }
    // Times offered to move a meeting that the reply did not choose from: still about that meeting.
    let moving = match proposal.as_ref().and_then(|p| p.replaces.as_deref()) {
        Some(uid) => booked(desk, uid)?.map(|event| (event, Some(Intent::Move))),
        None if proposal.is_none() => booked_in_thread(desk, &thread)?.map(|event| (event, None)),
        None => None,
    };
    if let Some((event, assumed)) = moving {
        if !(event.attendees.iter().any(|a| a.party.is(sender)) || desk.is_ours(sender)) {
            outcome.notes.push(format!(
                "meeting desk: {sender} wrote about the meeting {}, to which they are not invited; left alone",
                event.uid
            ));
            return Ok(());
        }
        return in_thread_of(desk, outcome, &request, event, sent, assumed);
    }
    // A reply's subject is the thread's ("Re: Invitation: …, Tue 24 Nov 15:00"): only a new message's
    // subject says what it asks; a forward's request is the forwarded message's.
    let text =
        crate::mail::reply_text::request_words(&cx.msg.subject, !cx.msg.in_reply_to.is_empty(), &cx.msg.text);
    // A cancellation or a move outside the thread of a meeting clerk booked names that meeting in
    // words ("cancel tomorrow's meeting at 2pm"): it is looked for among the sender's meetings by the
    // day and time named. Booking the time such a message names would book the very meeting the
    // sender calls off, so nothing is ever booked from it.
    if let Some(change) = phrase::intent(&text) {
        let reading = phrase::read_in(&text, sent, Some(desk.zone()));
        let mut fitting = senders_meetings(desk, sender, reading.referred)?;
        if fitting.len() == 1 {
            let event = fitting.remove(0);
            outcome.notes.push(format!(
                "meeting desk: the message names the meeting {} of {sender}, found by its day and time",
                event.uid
            ));
            return change_booking(desk, outcome, &request, event, &reading, change);
        }
        return ask_which_meeting(desk, outcome, &request, &reading, change, &fitting);
    }
    let reading = phrase::read_in(&text, sent, Some(desk.zone()));
    let length = reading
        .length
        .and_then(|l| TimeDelta::from_std(l).ok())
        .or(offered_length)
        .or_else(|| TimeDelta::from_std(desk.calendar.default_length).ok())
        .unwrap_or(TimeDelta::hours(1));
    match reading.asked {
        Asked::At(start) => {
            let Some(slot) = slot_at(start, length) else {
                return propose(desk, outcome, &request, &reading, length, None, None);
            };
            let (slot, reading) = other_half_if_open(desk, slot, reading)?;
            match desk.conflict("", &[slot], false)? {
                None => {
                    let read_as = letters::ReadAs::reading(desk, &reading, Some(slot));
                    book(desk, outcome, &request, slot, reading.language, read_as)
                }
                Some(why) => propose(desk, outcome, &request, &reading, length, Some(why), None),
            }
        }
        Asked::Within { .. } | Asked::Nothing => {
            propose(desk, outcome, &request, &reading, length, None, None)
        }
    }
}

/// Asks again which of the times still offered the requester chooses, when a reply to the offer
/// could not be read as a choice; the offer stays open.
fn ask_again(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    request: &Request,
    proposal: &Proposal,
) -> Result<(), DeskError> {
    outcome.notes.push("meeting desk: the reply chooses none of the offered times clearly; asked again, the offer stays open".to_owned());
    let language = proposal.language;
    let values = letters::AskAgain {
        greeting: language.greeting(request.requester.name.as_deref()),
        times: letters::times(desk, &proposal.slots, language, None),
        signature: &desk.cx.office.assistant.name,
    };
    let text = letters::write(desk, "ask-again", language, &values)?;
    ask(desk, outcome, request, text, "ask again")
}

/// Sends the requester `text`, a plain reply; `what` keeps its Message-ID apart from the desk's other
/// answers to the same message.
fn ask(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    request: &Request,
    text: String,
    what: &str,
) -> Result<(), DeskError> {
    let cx = desk.cx;
    let identity = desk.identity();
    let mail = compose::reply(&Reply {
        original: cx.msg,
        from: &identity,
        to: super::address_of(&request.requester),
        cc: Vec::new(),
        subject: compose::reply_subject(&cx.msg.subject),
        body: text,
        message_id: desk.message_id(what, "question"),
        date: cx.now,
        auto_submitted: AutoSubmitted::AutoReplied,
        loop_header_value: identity.address.clone(),
    })?;
    outcome.effects.push(Effect::Send { kind: MailKind::Reply, rule: cx.rule.to_string(), mail });
    Ok(())
}

/// The UID of the meeting booked from the message with `message_id`: found again from any later
/// message of its thread, whose References name that message.
fn booking_uid(desk: &MeetingCase<'_>, message_id: &str) -> String {
    compose::message_id(
        format!("booking\0{message_id}").as_bytes(),
        crate::mail::message::domain_of(&desk.cx.office.assistant.address),
    )
}

/// The meeting with `uid`, if the calendar holds it and it is not cancelled.
fn booked(desk: &MeetingCase<'_>, uid: &str) -> Result<Option<Event>, DeskError> {
    let rows = desk.view.event_rows(&desk.calendar.name, uid)?;
    Ok(rows.into_iter().find(|e| e.recurrence_id.is_none() && e.status != EventStatus::Cancelled))
}

/// The meeting clerk booked from a message of `thread`, if any.
fn booked_in_thread(desk: &MeetingCase<'_>, thread: &[String]) -> Result<Option<Event>, DeskError> {
    for id in thread {
        if let Some(event) = booked(desk, &booking_uid(desk, id))? {
            return Ok(Some(event));
        }
    }
    Ok(None)
}

/// An hour written without am/pm ("at 7") read in the other half of the day, when the half it was
/// read in is outside the calendar's working hours and the other is within them: an office open
/// 07:00–15:00 meets "at 7" in the morning.
fn other_half_if_open(
    desk: &MeetingCase<'_>,
    slot: Slot,
    reading: Reading,
) -> Result<(Slot, Reading), DeskError> {
    if !reading.either_half || desk.conflict("", &[slot], false)? != Some(Unavailable::OutsideHours) {
        return Ok((slot, reading));
    }
    let twelve = TimeDelta::hours(12);
    let local_day = |t: DateTime<Utc>| t.with_timezone(&desk.zone()).date_naive();
    for other in [slot.start - twelve, slot.start + twelve] {
        let Some(candidate) = slot_at(other, slot.end - slot.start) else { continue };
        if local_day(other) == local_day(slot.start)
            && desk.conflict("", &[candidate], false)? != Some(Unavailable::OutsideHours)
        {
            return Ok((candidate, Reading { asked: Asked::At(other), ..reading }));
        }
    }
    Ok((slot, reading))
}

/// `length` from `start`, unless that runs off the calendar.
fn slot_at(start: DateTime<Utc>, length: TimeDelta) -> Option<Slot> {
    Some(Slot { start, end: start.checked_add_signed(length)? })
}

/// A message in the thread of a meeting clerk booked: a cancellation, a move, or nothing for the desk.
fn in_thread_of(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    request: &Request,
    event: Event,
    sent: DateTime<FixedOffset>,
    assumed: Option<Intent>,
) -> Result<(), DeskError> {
    let cx = desk.cx;
    // Not the subject: a reply's repeats the meeting's current time.
    let text = crate::mail::reply_text::new_text(&cx.msg.text).to_owned();
    let reading = phrase::read_about(&text, sent, Some(desk.zone()), Some(event.start));
    match phrase::intent(&text).or(assumed) {
        Some(change) => change_booking(desk, outcome, request, event, &reading, change),
        None => {
            outcome.notes.push(format!(
                "meeting desk: a message about the booked meeting {} asks neither to move nor to cancel it; left to a person",
                event.uid
            ));
            Ok(())
        }
    }
}

/// Cancels the booked `event`, or moves it to the time `reading` asks for (or offers times to move
/// it to, when that time is not free or none was named).
fn change_booking(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    request: &Request,
    event: Event,
    reading: &Reading,
    change: Intent,
) -> Result<(), DeskError> {
    if change == Intent::Cancel {
        return cancel_booking(desk, outcome, event, reading.language);
    }
    let length = event.end - event.start;
    let asked = match reading.asked {
        Asked::At(start) => slot_at(start, length),
        _ => None,
    };
    let why = match asked {
        Some(slot) => desk.conflict(&event.uid, &[slot], false)?,
        None => None,
    };
    if let (Some(slot), None) = (asked, &why) {
        let read_as = letters::ReadAs::reading(desk, reading, Some(slot));
        return move_booking(desk, outcome, event, slot, reading.language, read_as);
    }
    propose(desk, outcome, request, reading, length, why, Some(event.uid))
}

/// The meetings to come in the desk's calendar that `sender` is invited to (any, for the office's
/// own people) and that start as `named` says: at that time, within that stretch, or any when
/// nothing was named.
fn senders_meetings(desk: &MeetingCase<'_>, sender: &str, named: Asked) -> Result<Vec<Event>, DeskError> {
    let now = desk.cx.now;
    let events = desk.view.events(&desk.calendar.name, now, desk.horizon_end())?;
    Ok(events
        .into_iter()
        .filter(|e| e.recurrence_id.is_none() && e.rrule.is_none() && e.status != EventStatus::Cancelled)
        .filter(|e| e.start >= now)
        .filter(|e| desk.is_ours(sender) || e.attendees.iter().any(|a| a.party.is(sender)))
        .filter(|e| match named {
            Asked::At(start) => e.start == start,
            Asked::Within { from, to } => from <= e.start && e.start < to,
            Asked::Nothing => true,
        })
        .collect())
}

/// Asks the sender of a cancellation or move which meeting it is about, when none of theirs fits
/// the day and time named or several do, and tells the calendar's owner. Nothing is booked, moved
/// or cancelled.
fn ask_which_meeting(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    request: &Request,
    reading: &Reading,
    change: Intent,
    fitting: &[Event],
) -> Result<(), DeskError> {
    let cx = desk.cx;
    let change = if change == Intent::Cancel { "cancel" } else { "move" };
    outcome.notes.push(format!(
        "meeting desk: the message asks to {change} a meeting, and {} of the sender's meetings fit what it names; nothing changed, the sender is asked and the owner told",
        fitting.len()
    ));
    let meetings = fitting
        .iter()
        .map(|e| letters::Meeting {
            summary: e.summary.clone(),
            when: letters::when(desk, Slot { start: e.start, end: e.end }, reading.language),
        })
        .collect();
    let values = letters::WhichMeeting {
        greeting: reading.language.greeting(request.requester.name.as_deref()),
        change,
        meetings,
        fitting: fitting.len(),
        owner: desk.owner_name(),
        requester: &request.requester.email,
        calendar: &desk.calendar.name,
        subject: &cx.msg.subject,
        signature: &cx.office.assistant.name,
    };
    let text = letters::write(desk, "which-meeting", reading.language, &values)?;
    ask(desk, outcome, request, text, "which meeting")?;
    let office = Language::from_code(&cx.office.language);
    let subject = letters::write(desk, "change-to-check-subject", office, &values)?;
    let note = letters::write(desk, "change-to-check", office, &values)?;
    let seed = format!("unknown change {}", cx.content_hash);
    outcome.effects.push(desk.tell_owner(&seed, subject, note)?);
    Ok(())
}

/// Moves the booked `event` to `slot` and sends the update to everyone invited; `reading` says how
/// the new time was read.
fn move_booking(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    mut event: Event,
    slot: Slot,
    language: Language,
    reading: letters::ReadAs,
) -> Result<(), DeskError> {
    let cx = desk.cx;
    event.start = slot.start;
    event.end = slot.end;
    event.sequence = event.sequence.saturating_add(1);
    rooms::follow(desk, outcome, &mut event)?;
    follow_in_staff_calendars(desk, outcome, &event)?;
    let meeting = organizer::meeting(desk, &event);
    let to = invited(desk, &event);
    let uid = event.uid.clone();
    let values = letters::Changed {
        reading: Some(reading),
        summary: &event.summary,
        when: letters::when(desk, slot, language),
        signature: &cx.office.assistant.name,
    };
    let text = letters::write(desk, "moved", language, &values)?;
    let subject = answer_subject(desk, &event.summary);
    let calendar = itip::request(&meeting, cx.now);
    let copy = (!owner_gets_no_copy(desk, &to))
        .then(|| owner_copy(desk, "moved", Method::Request, calendar.clone(), &event, &[], &[]))
        .transpose()?;
    outcome.effects.push(Effect::PutEvent(Box::new(event)));
    outcome.effects.push(desk.calendar_mail(to, subject, text, Method::Request, calendar, &uid, true)?);
    outcome.effects.extend(copy);
    Ok(())
}

/// Cancels the booked `event` and sends the cancellation to everyone invited.
fn cancel_booking(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    mut event: Event,
    language: Language,
) -> Result<(), DeskError> {
    let cx = desk.cx;
    event.status = EventStatus::Cancelled;
    event.sequence = event.sequence.saturating_add(1);
    rooms::follow(desk, outcome, &mut event)?;
    follow_in_staff_calendars(desk, outcome, &event)?;
    let meeting = organizer::meeting(desk, &event);
    let to = invited(desk, &event);
    let uid = event.uid.clone();
    let values = letters::Changed {
        reading: None,
        summary: &event.summary,
        when: letters::when(desk, Slot { start: event.start, end: event.end }, language),
        signature: &cx.office.assistant.name,
    };
    let text = letters::write(desk, "cancelled", language, &values)?;
    let calendar = itip::cancel(&meeting, cx.now);
    let copy = (!owner_gets_no_copy(desk, &to))
        .then(|| owner_copy(desk, "cancelled", Method::Cancel, calendar.clone(), &event, &[], &[]))
        .transpose()?;
    let subject = answer_subject(desk, &event.summary);
    outcome.effects.push(Effect::PutEvent(Box::new(event)));
    outcome.effects.push(desk.calendar_mail(to, subject, text, Method::Cancel, calendar, &uid, true)?);
    outcome.effects.extend(copy);
    Ok(())
}

/// The copies of a meeting booked in the calendars clerk keeps for the people of `[[staff]]` it
/// invites (their `calendar`), so that their own calendars show it; the desk's calendar aside.
fn in_staff_calendars(desk: &MeetingCase<'_>, event: &Event) -> Vec<Effect> {
    desk.cx
        .office
        .staff
        .iter()
        .filter(|member| event.attendees.iter().any(|a| a.party.is(&member.person.address)))
        .filter_map(|member| member.calendar.as_ref())
        .filter(|calendar| **calendar != desk.calendar.name)
        .map(|calendar| Effect::PutEvent(Box::new(Event { calendar: calendar.clone(), ..event.clone() })))
        .collect()
}

/// Brings the staff calendars holding `event` along when it moves or is cancelled, as its rooms are.
pub(super) fn follow_in_staff_calendars(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    event: &Event,
) -> Result<(), DeskError> {
    for calendar in desk.cx.office.staff.iter().filter_map(|member| member.calendar.as_ref()) {
        if *calendar == desk.calendar.name {
            continue;
        }
        let held = desk.view.event_rows(calendar, &event.uid)?;
        if held.iter().any(|e| e.recurrence_id.is_none() && e.status != EventStatus::Cancelled) {
            outcome
                .effects
                .push(Effect::PutEvent(Box::new(Event { calendar: calendar.clone(), ..event.clone() })));
        }
    }
    Ok(())
}

/// Everyone invited to `event` but the calendar's own side.
fn invited(desk: &MeetingCase<'_>, event: &Event) -> Vec<Address> {
    event
        .attendees
        .iter()
        .filter(|a| !desk.hosts(&a.party.email))
        .map(|a| Address { name: a.party.name.clone(), email: a.party.email.clone() })
        .collect()
}

/// The requester, participants and title of the message.
fn request(desk: &MeetingCase<'_>) -> Result<Request, DeskError> {
    let msg = desk.cx.msg;
    let sender = msg.reply_to.first().or(msg.from.first());
    let requester = sender.map(|a| Party { email: a.email.clone(), name: a.name.clone() });
    let named = msg.to.iter().chain(&msg.cc).map(|a| Party { email: a.email.clone(), name: a.name.clone() });
    let in_text = crate::mail::pattern::addresses_in(crate::mail::reply_text::new_text(&msg.text))
        .into_iter()
        .map(|email| Party { email, name: None });
    // People named without an address, read where the time is read; those already there by address
    // (the sender, To and Cc) are not looked up again.
    let words = crate::mail::reply_text::request_words(&msg.subject, !msg.in_reply_to.is_empty(), &msg.text);
    let there: Vec<&str> = msg
        .from
        .iter()
        .chain(&msg.reply_to)
        .chain(&msg.to)
        .chain(&msg.cc)
        .filter_map(|a| a.name.as_deref())
        .collect();
    let by_name = named::people(&words, desk.cx.office, &there);
    let invitees = match &requester {
        Some(requester) => invitees::sort(desk, requester, named, in_text, by_name.found.into_iter()),
        None => invitees::Invitees::default(),
    };
    let requester = requester.unwrap_or(Party { email: String::new(), name: None });
    let summary = title(desk, &requester, &invitees.invited, &msg.subject)?;
    let room = phrase::wants_room(&msg.subject) || phrase::wants_room(&msg.text);
    Ok(Request {
        requester,
        participants: invitees.invited,
        left_out: LeftOut {
            addresses: invitees.left_out,
            unknown: by_name.unknown,
            ambiguous: by_name.ambiguous,
        },
        summary,
        room,
    })
}

/// The meeting's title in the office's language (`letters/meeting/title`), who and what: "Marco
/// Conti – renovation, Via Roma", from the requester's name and the subject's topic. The owner asking
/// for a meeting herself meets the first person she invites.
fn title(
    desk: &MeetingCase<'_>,
    requester: &Party,
    participants: &[Party],
    subject: &str,
) -> Result<String, DeskError> {
    let who = if desk.is_ours(&requester.email) { participants.first() } else { Some(requester) };
    let who = who.map(Party::shown);
    let values = letters::Title { who, topic: topic(subject) };
    let written = letters::write(desk, "title", desk.office_language(), &values)?;
    Ok(written.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// What a request's subject says the meeting is about, without the words any request has
/// ("Richiesta appuntamento - ristrutturazione Via Roma" → "ristrutturazione Via Roma"); none when
/// it says nothing more ("Appointment request") or only whom with or from ("Meeting with Bob",
/// "Richiesta da Marco Conti").
fn topic(subject: &str) -> Option<String> {
    const ANY_REQUEST: &[&str] = &[
        "meeting",
        "meetings",
        "appointment",
        "request",
        "call",
        "invitation",
        "booking",
        "new",
        "for",
        "about",
        "regarding",
        "re",
        "on",
        "the",
        "a",
        "an",
        "riunione",
        "appuntamento",
        "richiesta",
        "incontro",
        "invito",
        "prenotazione",
        "nuovo",
        "nuova",
        "di",
        "d",
        "per",
        "su",
        "sul",
        "sulla",
        "il",
        "la",
        "lo",
        "l",
        "un",
        "una",
        "fwd",
        "fw",
        "r",
        "i",
    ];
    // "Can we meet Tuesday at 3?" asks for the meeting rather than naming it, and would go stale
    // at the first move: the title then says whom it is with.
    if subject.trim_end().ends_with('?') {
        return None;
    }
    let words: Vec<&str> = subject.split_whitespace().collect();
    let generic = |word: &str| crate::text::fold(word).split_whitespace().all(|w| ANY_REQUEST.contains(&w));
    let first = words.iter().position(|w| !generic(w))?;
    if ["with", "con", "from", "da"].contains(&crate::text::fold(words[first]).trim()) {
        return None;
    }
    let rest = words[first..].join(" ");
    let topic = rest.trim_matches(|c: char| c.is_whitespace() || ",;:-\u{2013}\u{2014}".contains(c));
    (!topic.is_empty()).then(|| topic.to_owned())
}

/// The subject of an answer: the thread's ("Re: " and the request's subject), or the meeting's
/// title when the request had none.
fn answer_subject(desk: &MeetingCase<'_>, title: &str) -> String {
    let subject = &desk.cx.msg.subject;
    compose::reply_subject(if subject.trim().is_empty() { title } else { subject })
}

/// Whether the owner is among those the meeting's own mail goes to (she asked herself): she gets
/// that mail, and a copy would only say it twice.
fn owner_gets_no_copy(desk: &MeetingCase<'_>, to: &[Address]) -> bool {
    to.iter().any(|a| a.email.eq_ignore_ascii_case(&desk.calendar.owner))
}

/// The owner's copy of a meeting someone else booked, moved or cancelled (`change`) in her calendar:
/// the same iTIP object (same UID and SEQUENCE, REQUEST or CANCEL) so that her own calendar program
/// follows, with a note saying who asked (`letters/office/meeting-booked`, in the office's language).
pub(super) fn owner_copy(
    desk: &MeetingCase<'_>,
    change: &'static str,
    method: Method,
    calendar: String,
    event: &Event,
    unknown: &[String],
    ambiguous: &[Ambiguous],
) -> Result<Effect, DeskError> {
    let msg = desk.cx.msg;
    let requester = msg.reply_to.first().or(msg.from.first()).map_or_else(String::new, |a| match &a.name {
        Some(name) if !name.trim().is_empty() => format!("{name} <{}>", a.email),
        _ => a.email.clone(),
    });
    let invited: Vec<String> = event
        .attendees
        .iter()
        .filter(|a| !a.party.is(&desk.calendar.owner))
        .map(|a| a.party.shown())
        .collect();
    let (unknown, ambiguous) = letters::names_left_out(unknown, ambiguous);
    let language = desk.office_language();
    let values = letters::OwnerCopy {
        change,
        requester,
        title: &event.summary,
        when: desk.when_in(event.start, event.end, language),
        location: event.location.as_deref(),
        invited: invited.join(", "),
        unknown,
        ambiguous,
        owner: desk.owner_name(),
        calendar: &desk.calendar.name,
    };
    let subject = desk.cx.templates.letter("office/meeting-booked-subject", language, &values)?;
    let text = desk.cx.templates.letter("office/meeting-booked", language, &values)?;
    desk.owner_calendar_mail(subject, text, method, calendar, &event.uid)
}

fn request_with_sender(request: Request) -> Option<Request> {
    (!request.requester.email.is_empty()).then_some(request)
}

/// Books `slot`: the event, and the invitation to the requester and participants.
fn book(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    request: &Request,
    slot: Slot,
    language: Language,
    reading: letters::ReadAs,
) -> Result<(), DeskError> {
    let cx = desk.cx;
    let uid = booking_uid(desk, cx.msg.message_id.as_deref().unwrap_or(cx.content_hash));
    let mut attendees = vec![Attendee {
        party: Party { email: desk.calendar.owner.clone(), name: Some(desk.owner_name()) },
        partstat: PartStat::Accepted,
    }];
    // Each person once: the owner asking for a meeting herself is the owner, who has accepted.
    for party in std::iter::once(&request.requester).chain(&request.participants) {
        if !attendees.iter().any(|a| a.party.is(&party.email)) {
            attendees.push(Attendee { party: party.clone(), partstat: PartStat::NeedsAction });
        }
    }
    let mut event = Event {
        calendar: desk.calendar.name.clone(),
        uid: uid.clone(),
        recurrence_id: None,
        sequence: 0,
        summary: request.summary.clone(),
        location: None,
        start: slot.start,
        end: slot.end,
        timezone: desk.zone(),
        rrule: None,
        exdates: Vec::new(),
        status: EventStatus::Confirmed,
        transparent: false,
        organizer: Some(cx.office.assistant.address.clone()),
        attendees,
    };
    let (mut room, mut roomless) = (None, None);
    if request.room {
        let people = event.attendees.len();
        match rooms::free(desk, people, slot, &uid)? {
            Some(free) => {
                event.location = Some(free.name.clone());
                outcome.effects.push(Effect::PutEvent(Box::new(rooms::booking(&event, free))));
                room = Some(letters::Room { name: free.name.clone(), seats: free.capacity });
            }
            None => {
                outcome
                    .notes
                    .push(format!("meeting desk: no room for {people} is free then; booked without one"));
                roomless = Some(people);
            }
        }
    }
    outcome.effects.extend(in_staff_calendars(desk, &event));
    let meeting = organizer::meeting(desk, &event);
    let to: Vec<Address> = std::iter::once(&request.requester)
        .chain(&request.participants)
        .map(|p| Address { name: p.name.clone(), email: p.email.clone() })
        .collect();
    let (unknown, ambiguous) =
        letters::names_left_out(&request.left_out.unknown, &request.left_out.ambiguous);
    let values = letters::Invitation {
        greeting: language.greeting(request.requester.name.as_deref()),
        reading,
        room,
        roomless,
        not_invited: not_invited(request),
        unknown,
        ambiguous,
        summary: &request.summary,
        when: letters::when(desk, slot, language),
        owner: desk.owner_name(),
        signature: &cx.office.assistant.name,
    };
    let text = letters::write(desk, "invitation", language, &values)?;
    let calendar = itip::request(&meeting, cx.now);
    let copy = if owner_gets_no_copy(desk, &to) {
        None
    } else {
        let (unknown, ambiguous) = (&request.left_out.unknown, &request.left_out.ambiguous);
        Some(owner_copy(desk, "booked", Method::Request, calendar.clone(), &event, unknown, ambiguous)?)
    };
    outcome.effects.push(Effect::PutEvent(Box::new(event)));
    let subject = answer_subject(desk, &request.summary);
    outcome.effects.push(desk.calendar_mail(to, subject, text, Method::Request, calendar, &uid, true)?);
    outcome.effects.extend(copy);
    Ok(())
}

/// Offers three free times (within what the request named, where it named a stretch of time), held
/// for the thread.
fn propose(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    request: &Request,
    reading: &Reading,
    length: TimeDelta,
    why: Option<Unavailable>,
    replaces: Option<String>,
) -> Result<(), DeskError> {
    let cx = desk.cx;
    let busy = desk.busy("")?;
    let policy = &desk.calendar.policy;
    let length_std = length.to_std().unwrap_or(desk.calendar.default_length);
    let mut slots = match (reading.asked, reading.daily) {
        // "next week in the afternoon": the first free time of those hours, day by day.
        (Asked::Within { from, to }, Some(hours)) => within_hours(desk, &busy, from, to, hours, length_std),
        (Asked::Within { from, to }, None) => policy
            .free_slots_from(&busy, cx.now, from, length_std, super::ALTERNATIVES, true)
            .into_iter()
            .filter(|s| s.start < to)
            .collect(),
        _ => Vec::new(),
    };
    let none_within = matches!(reading.asked, Asked::Within { .. }) && slots.is_empty();
    if slots.is_empty() {
        let from = match reading.asked {
            Asked::At(start) => start.max(cx.now),
            _ => cx.now,
        };
        slots = policy.free_slots_from(&busy, cx.now, from, length_std, super::ALTERNATIVES, true);
    }
    if slots.is_empty() {
        outcome.notes.push(format!(
            "meeting desk: no free time of {} in calendar `{}` within its horizon; the request is left to a person",
            crate::units::humanize(length_std),
            desk.calendar.name
        ));
        return Ok(());
    }
    let language = reading.language;
    let (unknown, ambiguous) =
        letters::names_left_out(&request.left_out.unknown, &request.left_out.ambiguous);
    let values = letters::FreeTimes {
        greeting: language.greeting(request.requester.name.as_deref()),
        reading: letters::ReadAs::reading(desk, reading, None),
        unfit: why.as_ref().map(|why| desk.unfit(why, language)),
        none_within,
        not_invited: not_invited(request),
        unknown,
        ambiguous,
        owner: desk.owner_name(),
        times: letters::times(desk, &slots, language, reading.senders_zone),
        signature: &cx.office.assistant.name,
    };
    let text = letters::write(desk, "free-times", language, &values)?;
    let message_id = desk.message_id("proposal", "proposal");
    let identity = desk.identity();
    let mail = compose::reply(&Reply {
        original: cx.msg,
        from: &identity,
        to: Address { name: request.requester.name.clone(), email: request.requester.email.clone() },
        cc: Vec::new(),
        subject: answer_subject(desk, &request.summary),
        body: text,
        message_id: message_id.clone(),
        date: cx.now,
        auto_submitted: AutoSubmitted::AutoReplied,
        loop_header_value: identity.address.clone(),
    })?;
    // Held until the last time offered begins (a chosen time is checked again anyway), at most three days.
    let last = slots.iter().map(|s| s.start).max().unwrap_or(cx.now);
    outcome.effects.push(Effect::PutProposal(Box::new(Proposal {
        message_id,
        calendar: desk.calendar.name.clone(),
        requester: request.requester.clone(),
        participants: request.participants.clone(),
        left_out: request.left_out.clone(),
        summary: request.summary.clone(),
        slots,
        language,
        expires: last.min(cx.now + HELD_FOR),
        replaces,
        room: request.room,
    })));
    outcome.effects.push(Effect::Send { kind: MailKind::Reply, rule: cx.rule.to_string(), mail });
    Ok(())
}

/// Up to [`super::ALTERNATIVES`] free times of `length` between `from` and `to`, each within the
/// local `hours` of its day, one a day.
fn within_hours(
    desk: &MeetingCase<'_>,
    busy: &crate::calendar::availability::Busy,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    hours: (chrono::NaiveTime, chrono::NaiveTime),
    length: std::time::Duration,
) -> Vec<Slot> {
    let zone = desk.zone();
    let policy = &desk.calendar.policy;
    let first = from.with_timezone(&zone).date_naive();
    let last = to.with_timezone(&zone).date_naive();
    first
        .iter_days()
        .take_while(|day| *day <= last)
        .filter_map(|day| {
            let opens = crate::calendar::zones::resolve_local(zone, day.and_time(hours.0));
            let closes = crate::calendar::zones::resolve_local(zone, day.and_time(hours.1));
            policy
                .free_slots_from(busy, desk.cx.now, opens.max(from), length, 1, false)
                .into_iter()
                .find(|slot| slot.end <= closes.min(to))
        })
        .take(super::ALTERNATIVES)
        .collect()
}

/// The addresses a stranger's request named that the office did not invite, if any.
fn not_invited(request: &Request) -> Option<String> {
    let addresses = &request.left_out.addresses;
    (!addresses.is_empty()).then(|| addresses.join(", "))
}
