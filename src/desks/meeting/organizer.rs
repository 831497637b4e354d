//! The calendar as the organizer of meetings clerk booked: attendees' answers (REPLY) and their
//! proposals of a new time (COUNTER), with the moves and refusals a proposal ends in.

use serde::Serialize;

use super::{MeetingCase, Unfit, address_of, letters, request, rooms};
use crate::calendar::availability::{Slot, Unavailable};
use crate::calendar::event::Event;
use crate::calendar::ics::{Attendee, ItipEvent, Method, PartStat, Party};
use crate::calendar::itip::{self, Meeting, Organizer};
use crate::calendar::proposal::Counter;
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
/// the time is free (the meeting and its room move, everyone gets the update); refused with free
/// times when it is not; otherwise put to the calendar's owner, whose answer decides (see
/// [`super::new_time`]). A proposal never becomes a meeting of its own.
pub(super) fn counter(
    desk: &MeetingCase<'_>,
    group: &[ItipEvent],
    outcome: &mut Outcome,
) -> Result<(), DeskError> {
    for (n, proposal) in group.iter().enumerate() {
        let Some(event) = organised_event(desk, proposal, "counter-proposal", outcome)? else { continue };
        // The ATTENDEE says who proposes; the From names them when the calendar gives no CN.
        let from = desk.cx.msg.from.first().map(|a| Party { email: a.email.clone(), name: a.name.clone() });
        let proposer = match (proposal.attendees.first().map(|a| a.party.clone()), from) {
            (Some(attendee), Some(from)) if attendee.name.is_none() && attendee.is(&from.email) => {
                Some(Party { name: from.name, ..attendee })
            }
            (Some(attendee), _) => Some(attendee),
            (None, from) => from,
        };
        let Some(proposer) = proposer else {
            outcome
                .notes
                .push(format!("meeting desk: counter-proposal for {} names nobody; ignored", event.uid));
            continue;
        };
        let proposed = Slot { start: proposal.start, end: proposal.end };
        if !desk.cx.call.accept_counter.unwrap_or(false) {
            ask_owner(desk, outcome, &event, &proposer, proposed, n)?;
            continue;
        }
        match desk.conflict(&event.uid, &[proposed], false)? {
            Some(why) => decline(desk, outcome, &event, &proposer, proposed, Some(&why))?,
            None => move_to(desk, outcome, event, &proposer, proposed, true)?,
        }
    }
    Ok(())
}

/// Puts the new time `proposer` proposed for `event` to the calendar's owner: a note saying who
/// proposes what, for which meeting, and how to answer, with a reference in its subject; the
/// question is held until she answers. `n` is the proposal's place among the VEVENTs of its UID in
/// the message.
fn ask_owner(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    event: &Event,
    proposer: &Party,
    proposed: Slot,
    n: usize,
) -> Result<(), DeskError> {
    // One message may propose times for several instances of a series (one VEVENT each, with its
    // RECURRENCE-ID, all of one UID): each question needs a Message-ID, and so a reference, of its own.
    let instance = event.recurrence_id.map_or_else(|| "series".to_owned(), |at| at.to_rfc3339());
    let question = format!("{}\0{instance}\0{n}", event.uid);
    let message_id = desk.message_id(&question, "owner");
    let reference = Counter::reference_of(&message_id);
    let values = NewTime::of(desk, event, proposer, proposed, &reference);
    outcome.effects.push(desk.tell_owner_letter(&question, "meeting-new-time", &values)?);
    outcome.effects.push(Effect::PutCounter(Box::new(Counter {
        message_id,
        reference,
        calendar: desk.calendar.name.clone(),
        uid: event.uid.clone(),
        sequence: event.sequence,
        proposer: proposer.clone(),
        slot: proposed,
    })));
    Ok(())
}

/// Refuses the new time `proposer` proposed for `event` with an iMIP DECLINECOUNTER, saying why
/// (`why`, or that the owner keeps the meeting where it is) and naming free times of its length.
pub(super) fn decline(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    event: &Event,
    proposer: &Party,
    proposed: Slot,
    why: Option<&Unavailable>,
) -> Result<(), DeskError> {
    let language = desk.office_language();
    let free = match why {
        Some(_) => desk.alternatives(&event.uid, proposed.end - proposed.start)?,
        None => Vec::new(),
    };
    let values = NewTime {
        unfit: why.map(|why| desk.unfit(why, language)),
        times: letters::times(desk, &free, language, None),
        ..NewTime::of(desk, event, proposer, proposed, "")
    };
    if !desk.answers_allowed {
        outcome
            .notes
            .push(format!("meeting desk: the new time for {} is declined without an answer", event.uid));
        return Ok(());
    }
    let text = letters::write(desk, "new-time-declined", language, &values)?;
    let subject = letters::write(desk, "new-time-declined-subject", language, &values)?;
    let calendar = itip::decline_counter(&meeting(desk, event), proposer, Some(&text), desk.cx.now);
    // An answer to the attendee's COUNTER itself; when the owner's answer decides, mail clerk starts.
    let answering = !desk.cx.msg.calendars.is_empty();
    outcome.effects.push(desk.calendar_mail(
        vec![address_of(proposer)],
        subject,
        text,
        Method::DeclineCounter,
        calendar,
        &event.uid,
        answering,
    )?);
    Ok(())
}

/// Moves `event` to `slot` with the same UID and SEQUENCE raised, its room along with it (or given
/// up when taken then), and sends the updated invitation (METHOD:REQUEST) to everyone invited but
/// the calendar's own side; `proposer` has accepted the time when it is the one they proposed
/// (`as_proposed`), everyone else is asked again.
pub(super) fn move_to(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    event: Event,
    proposer: &Party,
    slot: Slot,
    as_proposed: bool,
) -> Result<(), DeskError> {
    let language = desk.office_language();
    let values = NewTime { as_proposed, ..NewTime::of(desk, &event, proposer, slot, "") };
    let text = letters::write(desk, "updated", language, &values)?;
    let subject = letters::write(desk, "updated-subject", language, &values)?;
    let mut moved = Event {
        start: slot.start,
        end: slot.end,
        sequence: event.sequence.saturating_add(1),
        attendees: event
            .attendees
            .iter()
            .map(|a| {
                let partstat = if as_proposed && a.party.is(&proposer.email) {
                    PartStat::Accepted
                } else if desk.hosts(&a.party.email) {
                    a.partstat
                } else {
                    PartStat::NeedsAction
                };
                Attendee { partstat, ..a.clone() }
            })
            .collect(),
        ..event
    };
    rooms::follow(desk, outcome, &mut moved)?;
    request::follow_in_staff_calendars(desk, outcome, &moved)?;
    // The owner's calendar program holds the meeting from her copy of the booking: it follows the
    // move as the attendees' programs do.
    let copy = request::owner_copy(
        desk,
        "moved",
        Method::Request,
        itip::request(&meeting(desk, &moved), desk.cx.now),
        &moved,
        &[],
        &[],
    )?;
    let to: Vec<_> = moved
        .attendees
        .iter()
        .filter(|a| !desk.hosts(&a.party.email))
        .map(|a| address_of(&a.party))
        .collect();
    if !to.is_empty() && desk.answers_allowed {
        let calendar = itip::request(&meeting(desk, &moved), desk.cx.now);
        let uid = moved.uid.clone();
        outcome.effects.push(desk.calendar_mail(
            to,
            subject,
            text,
            Method::Request,
            calendar,
            &uid,
            false,
        )?);
    }
    outcome.effects.push(Effect::PutEvent(Box::new(moved)));
    outcome.effects.push(copy);
    Ok(())
}

/// What the letters about a new time an attendee proposed are written from: the owner's note
/// (`office/meeting-new-time`) and clerk's answers to hers (`office/meeting-new-time-answer`), the
/// answer declining it (`meeting/new-time-declined`) and the update of a meeting moved
/// (`meeting/updated`), each with its subject.
#[derive(Serialize)]
pub(super) struct NewTime<'a> {
    /// Who proposes it: their name, else their address.
    pub who: String,
    /// The meeting's title.
    pub title: &'a str,
    /// The calendar's owner: their name, else their address.
    pub owner: String,
    /// When the meeting is, in the office's language: "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)".
    pub old: String,
    /// The time proposed (or, in an update, the time the meeting moves to), written the same way.
    pub new: String,
    /// Why the time proposed cannot be taken, when it cannot.
    pub unfit: Option<Unfit>,
    /// The free times offered instead.
    pub times: Vec<letters::Time>,
    /// The meeting moves to the time the attendee proposed (not to one the owner named instead).
    pub as_proposed: bool,
    /// The question's reference (`NT-1a2b3c4d`), in the subject of the notes to the owner; empty in
    /// the other letters.
    pub reference: &'a str,
    /// What clerk did with the owner's answer (`office/meeting-new-time-answer`): `moved`,
    /// `declined`, `unclear` (asked again), `unfit` (the time she named is not free) or `changed`
    /// (the meeting changed since she was asked); empty in the other letters.
    pub done: &'static str,
}

impl<'a> NewTime<'a> {
    /// The values for a new time `slot` proposed by `proposer` for `event`, with nothing unfit.
    pub(super) fn of(
        desk: &MeetingCase<'_>,
        event: &'a Event,
        proposer: &Party,
        slot: Slot,
        reference: &'a str,
    ) -> NewTime<'a> {
        let language = desk.office_language();
        NewTime {
            who: proposer.shown(),
            title: &event.summary,
            owner: desk.owner_name(),
            old: desk.when_in(event.start, event.end, language),
            new: desk.when_in(slot.start, slot.end, language),
            unfit: None,
            times: Vec::new(),
            as_proposed: true,
            reference,
            done: "",
        }
    }
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
