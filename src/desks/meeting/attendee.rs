//! The calendar as an invited attendee: invitations and their updates (REQUEST), cancellations (CANCEL).

use chrono::TimeDelta;
use serde::Serialize;

use super::{MeetingCase, Unfit, address_of, letters, request};
use crate::calendar::availability::Slot;
use crate::calendar::event::{Event, EventStatus, occurrences};
use crate::calendar::ics::{self, ItipEvent, Method, PartStat, Party};
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
    let (mut partstat, mut status, answered) = match (&conflict, desk.cx.call.on_conflict.unwrap_or_default())
    {
        (None, _) => (PartStat::Accepted, Some(EventStatus::Confirmed), "accepted"),
        (Some(_), OnConflict::Tentative) => (PartStat::Tentative, Some(EventStatus::Tentative), "tentative"),
        // A declined update takes the meeting out of the calendar; a declined invitation leaves
        // nothing behind.
        (Some(_), OnConflict::Decline) => {
            (PartStat::Declined, (!stored.is_empty()).then_some(EventStatus::Cancelled), "declined")
        }
    };
    // Without an ORGANIZER nobody can be answered, so nobody would learn that the time was taken: it is
    // held as tentative (never confirmed, and not accepted either, so that the calendar's own
    // attendee line says what its STATUS says) and the owner is told what is wrong and by whom it came.
    if main.organizer.is_none() {
        if status == Some(EventStatus::Confirmed) {
            status = Some(EventStatus::Tentative);
            partstat = PartStat::Tentative;
        }
        let language = desk.office_language();
        let letter = NoOrganizer {
            sender: desk.cx.msg.from.first().map(|a| a.name.clone().unwrap_or_else(|| a.email.clone())),
            owner: desk.owner_name(),
            title: &main.summary,
            when: desk.when_in(main.start, main.end, language),
            unfit: conflict.as_ref().map(|why| desk.unfit(why, language)),
            held: status == Some(EventStatus::Tentative),
        };
        outcome.effects.push(desk.tell_owner_letter(&main.uid, "invitation-without-organizer", &letter)?);
    }
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
    if let (Some(why), Some(EventStatus::Tentative), Some(_)) = (&conflict, status, &main.organizer) {
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
    answer(desk, main, &me, partstat, &values, outcome)?;
    // A copy only of what changes in her calendar: the same invitation again (its update number,
    // time and acceptance unchanged) has been copied already.
    let accepted_before = stored.iter().any(|e| {
        e.recurrence_id == main.recurrence_id
            && (e.sequence, e.start, e.end, e.status)
                == (main.sequence, main.start, main.end, EventStatus::Confirmed)
    });
    if partstat == PartStat::Accepted && !accepted_before {
        let change = if stored.is_empty() { "accepted" } else { "updated" };
        outcome.effects.extend(owner_copy(desk, main, change, Method::Request)?);
    }
    Ok(())
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

/// What the owner's note of an invitation that names no organizer (the letters
/// `office/invitation-without-organizer` and its subject) is written from.
#[derive(Serialize)]
struct NoOrganizer<'a> {
    /// Who sent it: the From's name, else its address; none when the mail has no From.
    sender: Option<String>,
    /// The calendar's owner: their name, else their address.
    owner: String,
    /// The meeting's title; empty when it has none.
    title: &'a str,
    /// When, in the office's language: "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)".
    when: String,
    /// Why the time does not fit, when it does not.
    unfit: Option<Unfit>,
    /// The meeting is in the calendar as tentative (else it is not in the calendar).
    held: bool,
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

/// A cancellation from the organizer: the event, or the instances named, no longer take place.
///
/// A cancellation of the whole meeting (a VEVENT without RECURRENCE-ID) cancels every row of it, the
/// series and each moved instance, even when the same message lists instances too (Outlook cancels a
/// series with its exceptions in one calendar): a series is cancelled all at once or not at all, so
/// that the store, the feeds and `clerk calendar` agree. Instances alone become EXDATEs of the series,
/// all of them on the one series row.
pub(super) fn cancel(
    desk: &MeetingCase<'_>,
    group: &[ItipEvent],
    outcome: &mut Outcome,
) -> Result<(), DeskError> {
    let calendar = &desk.calendar.name;
    let Some(uid) = group.first().map(|e| e.uid.as_str()) else { return Ok(()) };
    let stored = desk.view.event_rows(calendar, uid)?;
    let Some(master) = stored.first() else {
        outcome.notes.push(format!(
            "meeting desk: cancellation of {uid}, which calendar {calendar} does not hold; ignored"
        ));
        return Ok(());
    };
    // From or Sender: Exchange delegates and Google send with the organizer in From.
    if let Some(organizer) = &master.organizer
        && !desk.cx.msg.from.iter().chain(&desk.cx.msg.sender).any(|a| a.is(organizer))
    {
        outcome.notes.push(format!(
            "meeting desk: cancellation of {uid} does not come from its organizer {organizer}; ignored"
        ));
        return Ok(());
    }
    let sequence = group.iter().map(|e| e.sequence).fold(master.sequence, i64::max);
    let mut rows = stored.clone();
    let mut changed = vec![false; rows.len()];
    if group.iter().any(|e| e.recurrence_id.is_none()) {
        for row in &mut rows {
            row.status = EventStatus::Cancelled;
            row.sequence = row.sequence.max(sequence);
        }
        changed.fill(true);
    } else {
        for instance in group.iter().filter_map(|e| e.recurrence_id) {
            let mut found = false;
            for (row, changed) in rows.iter_mut().zip(&mut changed) {
                if row.recurrence_id == Some(instance) {
                    row.status = EventStatus::Cancelled;
                } else if row.recurrence_id.is_none() && row.rrule.is_some() {
                    if !row.exdates.contains(&instance) {
                        row.exdates.push(instance);
                    }
                } else {
                    continue;
                }
                (*changed, found) = (true, true);
            }
            if !found {
                outcome.notes.push(format!(
                    "meeting desk: cancellation of an instance of {uid} that calendar {calendar} does not hold; ignored"
                ));
            }
        }
    }
    let changed: Vec<Event> =
        rows.into_iter().zip(changed).filter_map(|(row, changed)| changed.then_some(row)).collect();
    if changed.iter().any(|row| !stored.contains(row)) {
        let main = group.iter().find(|e| e.recurrence_id.is_none()).unwrap_or(&group[0]);
        outcome.effects.extend(owner_copy(desk, main, "cancelled", Method::Cancel)?);
    }
    outcome.effects.extend(changed.into_iter().map(|e| Effect::PutEvent(Box::new(e))));
    Ok(())
}

/// The owner's copy of an invitation from outside the office that her calendar took (`change`:
/// `accepted`, `updated`) or of its cancellation (`cancelled`): the organizer's own calendar, this
/// meeting's part of it as they wrote it (same UID and SEQUENCE, their ORGANIZER), so that her
/// calendar program shows the meeting too, with a note in the office's language. None when she
/// sent it to clerk herself or organises it, when the organizer is of the office (their invitation
/// reaches her as it is) or names nobody, or when the message's calendar cannot be copied.
fn owner_copy(
    desk: &MeetingCase<'_>,
    main: &ItipEvent,
    change: &'static str,
    method: Method,
) -> Result<Option<Effect>, DeskError> {
    let owner = &desk.calendar.owner;
    let msg = desk.cx.msg;
    let her_own = msg.from.iter().chain(&msg.sender).any(|a| a.is(owner));
    let outsider = main.organizer.as_ref().filter(|o| !o.is(owner) && !desk.is_ours(&o.email));
    let Some(part) = msg.calendars.first() else { return Ok(None) };
    if her_own || outsider.is_none() {
        return Ok(None);
    }
    let Some(calendar) = ics::one_meeting(&part.text, &main.uid) else { return Ok(None) };
    let event = main.to_event(&desk.calendar.name);
    request::owner_copy(desk, change, method, calendar, &event, &[], &[]).map(Some)
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
