//! The calendar as the organizer of meetings clerk booked: attendees' answers (REPLY) and their
//! proposals of a new time (COUNTER).

use serde::Serialize;

use super::{MeetingCase, Unfit, address_of, letters};
use crate::calendar::availability::Slot;
use crate::calendar::event::Event;
use crate::calendar::ics::{Attendee, ItipEvent, Method, PartStat, Party};
use crate::calendar::itip::{self, Meeting, Organizer};
use crate::desks::{DeskError, Outcome};
use crate::effects::Effect;

/// An attendee's answer: their PARTSTAT is recorded on the meeting.
pub(super) fn reply(
    desk: &MeetingCase<'_>,
    group: &[ItipEvent],
    outcome: &mut Outcome,
) -> Result<(), DeskError> {
    for answer in group {
        let Some(mut event) = organised_event(desk, answer, "reply", outcome)? else { continue };
        // Exchange may leave ORGANIZER out of a REPLY; the ATTENDEE (or, without one, nothing) says who.
        let Some(attendee) = answer.attendees.first() else {
            outcome.notes.push(format!("meeting desk: reply to {} names no ATTENDEE; ignored", answer.uid));
            continue;
        };
        event.set_partstat(&attendee.party, attendee.partstat);
        outcome.effects.push(Effect::PutEvent(Box::new(event)));
    }
    Ok(())
}

/// An attendee proposes a new time. Taken by itself when the rule says `accept_counter = true` and
/// the time is free (the meeting moves and everyone gets the update); refused with free times when
/// it is not; otherwise passed to the owner, who decides.
pub(super) fn counter(
    desk: &MeetingCase<'_>,
    group: &[ItipEvent],
    outcome: &mut Outcome,
) -> Result<(), DeskError> {
    for proposal in group {
        let Some(event) = organised_event(desk, proposal, "counter-proposal", outcome)? else { continue };
        let proposer = proposal.attendees.first().map(|a| a.party.clone()).or_else(|| {
            desk.cx.msg.from.first().map(|a| Party { email: a.email.clone(), name: a.name.clone() })
        });
        let Some(proposer) = proposer else {
            outcome
                .notes
                .push(format!("meeting desk: counter-proposal for {} names nobody; ignored", event.uid));
            continue;
        };
        let who = proposer.name.clone().unwrap_or_else(|| proposer.email.clone());
        let proposed = Slot { start: proposal.start, end: proposal.end };
        let language = desk.office_language();
        let change = NewTime {
            who: &who,
            title: &event.summary,
            owner: desk.owner_name(),
            old: desk.when_in(event.start, event.end, language),
            new: desk.when_in(proposed.start, proposed.end, language),
            unfit: None,
            times: Vec::new(),
        };
        if !desk.cx.call.accept_counter.unwrap_or(false) {
            outcome.effects.push(desk.tell_owner_letter(&event.uid, "meeting-new-time", &change)?);
            continue;
        }
        if let Some(why) = desk.conflict(&event.uid, &[proposed], false)? {
            let free = desk.alternatives(&event.uid, proposed.end - proposed.start)?;
            let change = NewTime {
                unfit: Some(desk.unfit(&why, language)),
                times: letters::times(desk, &free, language, None),
                ..change
            };
            let text = letters::write(desk, "new-time-declined", language, &change)?;
            let subject = letters::write(desk, "new-time-declined-subject", language, &change)?;
            let calendar = itip::decline_counter(&meeting(desk, &event), &proposer, Some(&text), desk.cx.now);
            let mail = desk.calendar_mail(
                vec![address_of(&proposer)],
                subject,
                text,
                Method::DeclineCounter,
                calendar,
                &event.uid,
                true,
            )?;
            outcome.effects.push(mail);
            continue;
        }
        let moved = Event {
            start: proposed.start,
            end: proposed.end,
            sequence: event.sequence.saturating_add(1),
            attendees: event
                .attendees
                .iter()
                .map(|a| Attendee {
                    partstat: if a.party.is(&proposer.email) {
                        PartStat::Accepted
                    } else {
                        PartStat::NeedsAction
                    },
                    ..a.clone()
                })
                .collect(),
            ..event.clone()
        };
        let to: Vec<_> = moved.attendees.iter().map(|a| address_of(&a.party)).collect();
        if !to.is_empty() && desk.answers_allowed {
            let text = letters::write(desk, "updated", language, &change)?;
            let subject = letters::write(desk, "updated-subject", language, &change)?;
            let calendar = itip::request(&meeting(desk, &moved), desk.cx.now);
            outcome.effects.push(desk.calendar_mail(
                to,
                subject,
                text,
                Method::Request,
                calendar,
                &event.uid,
                false,
            )?);
        }
        outcome.effects.push(Effect::PutEvent(Box::new(moved)));
    }
    Ok(())
}

/// What the letters about a new time an attendee proposed are written from: the owner's note
/// (`office/meeting-new-time`), the answer declining it (`meeting/new-time-declined`) and the update
/// of a meeting moved to it (`meeting/updated`), each with its subject.
#[derive(Serialize)]
struct NewTime<'a> {
    /// Who proposes it: their name, else their address.
    who: &'a str,
    /// The meeting's title.
    title: &'a str,
    /// The calendar's owner: their name, else their address.
    owner: String,
    /// When the meeting is, in the office's language: "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)".
    old: String,
    /// The time proposed, written the same way.
    new: String,
    /// Why the time proposed cannot be taken, when it cannot.
    unfit: Option<Unfit>,
    /// The free times offered instead.
    times: Vec<letters::Time>,
}

/// The stored meeting an attendee's message is about, when this calendar organised it.
fn organised_event(
    desk: &MeetingCase<'_>,
    about: &ItipEvent,
    what: &str,
    outcome: &mut Outcome,
) -> Result<Option<Event>, DeskError> {
    let calendar = &desk.calendar.name;
    let stored = desk.view.event_rows(calendar, &about.uid)?;
    let Some(event) = stored.into_iter().find(|e| e.recurrence_id == about.recurrence_id) else {
        outcome.notes.push(format!(
            "meeting desk: {what} for {}, which calendar {calendar} does not hold; ignored",
            about.uid
        ));
        return Ok(None);
    };
    if !event.organizer.as_deref().is_some_and(|o| desk.is_ours(o)) {
        outcome.notes.push(format!(
            "meeting desk: {what} for {}, a meeting the office does not organise; ignored",
            about.uid
        ));
        return Ok(None);
    }
    Ok(Some(event))
}

/// A stored meeting the calendar organises, as its iTIP objects describe it: the assistant organises,
/// sent by the owner.
pub(super) fn meeting(desk: &MeetingCase<'_>, event: &Event) -> Meeting {
    let assistant = &desk.cx.office.assistant;
    Meeting {
        organizer: Some(Organizer {
            party: Party { email: assistant.address.clone(), name: Some(assistant.name.clone()) },
            sent_by: Some(desk.calendar.owner.clone()),
        }),
        ..Meeting::from_event(event)
    }
}
