//! The calendar as an invited attendee: invitations and their updates (REQUEST), cancellations (CANCEL).

use chrono::TimeDelta;
use serde::Serialize;

use super::{MeetingCase, Unfit, address_of, letters};
use crate::calendar::availability::Slot;
use crate::calendar::event::{Event, EventStatus, occurrences};
use crate::calendar::ics::{ItipEvent, Method, PartStat, Party};
use crate::calendar::itip::{self, Meeting};
use crate::desks::{DeskError, Outcome};
use crate::effects::Effect;
use crate::rules::OnConflict;

/// How many instances of a series are checked against the calendar.
const SERIES_CHECKED: usize = 10;

/// An invitation, or an update of one (same UID): accepted when free, else declined or held as
/// tentative as the rule says.
pub(super) fn request(
    desk: &MeetingCase<'_>,
    group: &[ItipEvent],
    outcome: &mut Outcome,
) -> Result<(), DeskError> {
    let main = group.iter().find(|e| e.recurrence_id.is_none()).unwrap_or(&group[0]);
    let calendar = &desk.calendar.name;
    let stored = desk.view.event_rows(calendar, &main.uid)?;
    if let Some(known) = stored.iter().find(|e| e.recurrence_id == main.recurrence_id)
        && known.sequence > main.sequence
    {
        outcome.notes.push(format!(
            "meeting desk: invitation {} has SEQUENCE {}, older than the {} already in calendar {calendar}; ignored",
            main.uid, main.sequence, known.sequence
        ));
        return Ok(());
    }
    let series = main.rrule.is_some();
    let slots = slots_to_check(desk, group)?;
    if slots.is_empty() {
        outcome
            .notes
            .push(format!("meeting desk: invitation {} is for a time already past; ignored", main.uid));
        return Ok(());
    }
    let conflict = desk.conflict(&main.uid, &slots, series)?;
    let me = who_we_are(desk, main);
    let language = desk.office_language();
    let (partstat, status, answered) = match (&conflict, desk.cx.call.on_conflict.unwrap_or_default()) {
        (None, _) => (PartStat::Accepted, Some(EventStatus::Confirmed), "accepted"),
        (Some(_), OnConflict::Tentative) => (PartStat::Tentative, Some(EventStatus::Tentative), "tentative"),
        // A declined update takes the meeting out of the calendar; a declined invitation leaves
        // nothing behind.
        (Some(_), OnConflict::Decline) => {
            (PartStat::Declined, (!stored.is_empty()).then_some(EventStatus::Cancelled), "declined")
        }
    };
    let free = match partstat {
        PartStat::Declined => desk.alternatives(&main.uid, main.end - main.start)?,
        _ => Vec::new(),
    };
    let values = letters::InvitationAnswer {
        answer: answered,
        owner: desk.owner_name(),
        title: &main.summary,
        when: desk.when_in(main.start, main.end, language),
        unfit: conflict.as_ref().map(|why| desk.unfit(why, language)),
        times: letters::times(desk, &free, language, None),
    };
    if let Some(status) = status {
        for event in group {
            let mut kept = event.to_event(calendar);
            kept.status = status;
            kept.set_partstat(&me, partstat);
            outcome.effects.push(Effect::PutEvent(Box::new(kept)));
        }
    }
    if let (Some(why), Some(EventStatus::Tentative)) = (&conflict, status) {
        let language = desk.office_language();
        let letter = Conflict {
            organizer: main.organizer.as_ref().map(|o| o.name.clone().unwrap_or(o.email.clone())),
            owner: desk.owner_name(),
            title: &main.summary,
            when: desk.when_in(main.start, main.end, language),
            unfit: desk.unfit(why, language),
        };
        outcome.effects.push(desk.tell_owner_letter(&main.uid, "meeting-conflict", &letter)?);
    }
    answer(desk, main, &me, partstat, &values, outcome)
}

/// What the owner's note of an invitation held as tentative (the letters `office/meeting-conflict`,
/// `office/meeting-conflict-subject`) is written from.
#[derive(Serialize)]
struct Conflict<'a> {
    /// Who invited: the organizer's name, else their address; none when the invitation names no
    /// organizer.
    organizer: Option<String>,
    /// The calendar's owner: their name, else their address.
    owner: String,
    /// The meeting's title; empty when it has none.
    title: &'a str,
    /// When, in the office's language: "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)".
    when: String,
    /// Why the time does not fit (`reason`, with the calendar's `notice` and `horizon`).
    unfit: Unfit,
}

/// Sends `partstat` back to the organizer, in the letters `meeting/invitation-answer`, its subject
/// and the answer's COMMENT, in the office's language.
fn answer(
    desk: &MeetingCase<'_>,
    main: &ItipEvent,
    me: &Party,
    partstat: PartStat,
    values: &letters::InvitationAnswer<'_>,
    outcome: &mut Outcome,
) -> Result<(), DeskError> {
    let Some(organizer) = &main.organizer else {
        outcome
            .notes
            .push(format!("meeting desk: invitation {} names no ORGANIZER; no answer sent", main.uid));
        return Ok(());
    };
    if !desk.answers_allowed {
        return Ok(());
    }
    let language = desk.office_language();
    let text = letters::write(desk, "invitation-answer", language, values)?;
    let subject = letters::write(desk, "invitation-answer-subject", language, values)?;
    let comment = letters::write(desk, "invitation-answer-comment", language, values)?;
    let comment = (!comment.is_empty()).then_some(comment.as_str());
    let calendar = itip::reply(&Meeting::from_received(main), me, partstat, comment, desk.cx.now);
    let mail = desk.calendar_mail(
        vec![address_of(organizer)],
        subject,
        text,
        Method::Reply,
        calendar,
        &main.uid,
        true,
    )?;
    outcome.effects.push(mail);
    Ok(())
}

/// A cancellation from the organizer: the event, or the one instance named, no longer takes place.
pub(super) fn cancel(
    desk: &MeetingCase<'_>,
    group: &[ItipEvent],
    outcome: &mut Outcome,
) -> Result<(), DeskError> {
    let calendar = &desk.calendar.name;
    for cancelled in group {
        let stored = desk.view.event_rows(calendar, &cancelled.uid)?;
        let Some(master) = stored.first() else {
            outcome.notes.push(format!(
                "meeting desk: cancellation of {}, which calendar {calendar} does not hold; ignored",
                cancelled.uid
            ));
            continue;
        };
        // From or Sender: Exchange delegates and Google send with the organizer in From.
        if let Some(organizer) = &master.organizer
            && !desk.cx.msg.from.iter().chain(&desk.cx.msg.sender).any(|a| a.is(organizer))
        {
            outcome.notes.push(format!(
                "meeting desk: cancellation of {} does not come from its organizer {organizer}; ignored",
                cancelled.uid
            ));
            continue;
        }
        let sequence = cancelled.sequence.max(master.sequence);
        let changed: Vec<Event> = match cancelled.recurrence_id {
            Some(instance) => {
                let mut changed = Vec::new();
                for row in &stored {
                    let mut row = row.clone();
                    if row.recurrence_id == Some(instance) {
                        row.status = EventStatus::Cancelled;
                    } else if row.recurrence_id.is_none() && row.rrule.is_some() {
                        row.exdates.push(instance);
                    } else {
                        continue;
                    }
                    changed.push(row);
                }
                changed
            }
            None => stored
                .iter()
                .map(|row| Event { status: EventStatus::Cancelled, sequence, ..row.clone() })
                .collect(),
        };
        if changed.is_empty() {
            outcome.notes.push(format!(
                "meeting desk: cancellation of an instance of {} that calendar {calendar} does not hold; ignored",
                cancelled.uid
            ));
        }
        outcome.effects.extend(changed.into_iter().map(|e| Effect::PutEvent(Box::new(e))));
    }
    Ok(())
}

/// The occurrences an invitation asks for that are still to come: a single meeting's time, or the
/// next instances of a series (with its overridden instances).
fn slots_to_check(desk: &MeetingCase<'_>, group: &[ItipEvent]) -> Result<Vec<Slot>, DeskError> {
    let now = desk.cx.now;
    let events: Vec<Event> = group.iter().map(|e| e.to_event(&desk.calendar.name)).collect();
    let until = desk.horizon_end().max(now + TimeDelta::days(1));
    let found = occurrences(&events, now, until);
    desk.note_cuts(&found.cuts);
    let mut slots: Vec<Slot> = found
        .occurrences
        .iter()
        .filter(|o| o.start >= now)
        .take(SERIES_CHECKED)
        .map(|o| Slot { start: o.start, end: o.end })
        .collect();
    if slots.is_empty() && group.iter().any(|e| e.rrule.is_none() && e.start >= now) {
        // A single meeting beyond the horizon: checked, so the answer says it is too far ahead.
        slots.extend(group.iter().filter(|e| e.start >= now).map(|e| Slot { start: e.start, end: e.end }));
    }
    slots.truncate(SERIES_CHECKED);
    Ok(slots)
}

/// Which attendee of the invitation the calendar is: its owner, the assistant or another office
/// address; else the assistant, answering for the calendar.
fn who_we_are(desk: &MeetingCase<'_>, event: &ItipEvent) -> Party {
    let invited =
        |address: &str| event.attendees.iter().find(|a| a.party.is(address)).map(|a| a.party.clone());
    invited(&desk.calendar.owner)
        .or_else(|| invited(&desk.cx.office.assistant.address))
        .or_else(|| event.attendees.iter().find(|a| desk.is_ours(&a.party.email)).map(|a| a.party.clone()))
        .unwrap_or_else(|| Party {
            email: desk.cx.office.assistant.address.clone(),
            name: Some(desk.cx.office.assistant.name.clone()),
        })
}
