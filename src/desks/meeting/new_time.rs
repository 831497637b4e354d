//! The calendar owner's answer to a new time an attendee proposed (iTIP COUNTER), which clerk put
//! to her in a note: "yes" moves the meeting to it, "no" declines it with an iMIP DECLINECOUNTER,
//! "move it to Thursday at 11" moves it to the time she names. An answer that says none of these
//! clearly is asked again, never guessed; an answer after the meeting changed is not applied to the
//! changed meeting. Each answer gets a note back, in the question's thread, saying what was done.

use chrono::TimeDelta;

use super::organizer::{self, NewTime};
use super::{MeetingCase, letters};
use crate::calendar::availability::Slot;
use crate::calendar::event::{Event, EventStatus};
use crate::calendar::phrase::{self, Asked};
use crate::calendar::proposal::Counter;
use crate::desks::{DeskError, Outcome};
use crate::effects::{Effect, MailKind};
use crate::mail::compose::{self, Extras, Notice};

/// What the owner's answer asks for.
enum Answer {
    /// Move the meeting to this time; `true` when it is the time the attendee proposed.
    Move(Slot, bool),
    /// Keep the meeting where it is: the proposal is declined.
    Decline,
    /// Neither, clearly: she is asked again.
    Unclear,
}

/// Carries out the owner's answer to the question `counter`.
pub(super) fn answer(
    desk: &MeetingCase<'_>,
    counter: &Counter,
    outcome: &mut Outcome,
) -> Result<(), DeskError> {
    let rows = desk.view.event_rows(&counter.calendar, &counter.uid)?;
    let meeting = rows.into_iter().find(|e| e.recurrence_id.is_none());
    let event = match meeting {
        Some(e) if e.status != EventStatus::Cancelled && e.sequence == counter.sequence => e,
        other => {
            outcome.notes.push(format!(
                "meeting desk: the answer to {} comes after meeting {} changed or was cancelled; nothing is moved",
                counter.reference, counter.uid
            ));
            outcome.effects.push(Effect::CloseCounter { message_id: counter.message_id.clone() });
            let Some(event) = other else { return Ok(()) };
            let note = NewTime { done: "changed", ..values(desk, counter, &event, counter.slot) };
            return tell(desk, outcome, counter, note);
        }
    };
    match read(desk, counter, &event) {
        Answer::Unclear => {
            outcome.notes.push(format!(
                "meeting desk: the answer to {} says neither yes nor no nor another time; asked again",
                counter.reference
            ));
            tell(
                desk,
                outcome,
                counter,
                NewTime { done: "unclear", ..values(desk, counter, &event, counter.slot) },
            )
        }
        Answer::Decline => {
            outcome.effects.push(Effect::CloseCounter { message_id: counter.message_id.clone() });
            organizer::decline(desk, outcome, &event, &counter.proposer, counter.slot, None)?;
            tell(
                desk,
                outcome,
                counter,
                NewTime { done: "declined", ..values(desk, counter, &event, counter.slot) },
            )
        }
        Answer::Move(slot, as_proposed) => {
            if let Some(why) = desk.conflict(&event.uid, &[slot], false)? {
                let language = desk.office_language();
                let free = desk.alternatives(&event.uid, slot.end - slot.start)?;
                let note = NewTime {
                    done: "unfit",
                    unfit: Some(desk.unfit(&why, language)),
                    times: letters::times(desk, &free, language, None),
                    ..values(desk, counter, &event, slot)
                };
                return tell(desk, outcome, counter, note);
            }
            outcome.effects.push(Effect::CloseCounter { message_id: counter.message_id.clone() });
            let done = NewTime { done: "moved", as_proposed, ..values(desk, counter, &event, slot) };
            tell(desk, outcome, counter, done)?;
            organizer::move_to(desk, outcome, event, &counter.proposer, slot, as_proposed)
        }
    }
}

/// Reads the new part of the owner's answer. The meeting's own time keeps it; another exact time
/// she names moves it there (of the length she names or else the proposal's); a day or a stretch
/// moves it to the proposed time only when that lies within it and she says yes. Otherwise her yes
/// or no decides. A question ("Bob, is Thursday 11 ok?"), a "no" beside a time of her own, a day
/// without the proposed time in it, or neither yes nor no is unclear, and she is asked again.
fn read(desk: &MeetingCase<'_>, counter: &Counter, event: &Event) -> Answer {
    let cx = desk.cx;
    let sent = cx
        .msg
        .date
        .filter(|date| crate::calendar::ics::YEARS.contains(&chrono::Datelike::year(date)))
        .unwrap_or_else(|| cx.now.with_timezone(&desk.zone()).fixed_offset());
    let words = crate::mail::reply_text::request_words(&cx.msg.subject, true, &cx.msg.text);
    let reading = phrase::read_in(&words, sent, Some(desk.zone()));
    let consent = phrase::consent(&cx.msg.text);
    let asks = crate::mail::reply_text::new_text(&cx.msg.text).contains('?');
    let proposed = counter.slot;
    if asks {
        return Answer::Unclear;
    }
    match (reading.asked, consent) {
        (Asked::At(start), _) if start == event.start => Answer::Decline,
        (Asked::At(start), Some(true)) if start == proposed.start => Answer::Move(proposed, true),
        (Asked::At(start), None | Some(true)) if start != proposed.start => {
            let length = reading
                .length
                .and_then(|l| TimeDelta::from_std(l).ok())
                .unwrap_or(proposed.end - proposed.start);
            match start.checked_add_signed(length) {
                Some(end) => Answer::Move(Slot { start, end }, false),
                None => Answer::Unclear,
            }
        }
        (Asked::Within { from, to }, Some(true)) if from <= proposed.start && proposed.start < to => {
            Answer::Move(proposed, true)
        }
        (Asked::Nothing, Some(true)) => Answer::Move(proposed, true),
        (Asked::Nothing, Some(false)) => Answer::Decline,
        _ => Answer::Unclear,
    }
}

/// The values of the notes about `counter`'s meeting `event` and the time `slot`.
fn values<'a>(desk: &MeetingCase<'_>, counter: &'a Counter, event: &'a Event, slot: Slot) -> NewTime<'a> {
    NewTime::of(desk, event, &counter.proposer, slot, &counter.reference)
}

/// A note to whoever answered, in the question's thread (`Re:` and the question's subject, with its
/// reference): `office/meeting-new-time-answer`, in the office's language.
fn tell(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    counter: &Counter,
    values: NewTime<'_>,
) -> Result<(), DeskError> {
    let cx = desk.cx;
    let language = desk.office_language();
    let subject = cx.templates.letter("office/meeting-new-time-subject", language, &values)?;
    let text = cx.templates.letter("office/meeting-new-time-answer", language, &values)?;
    let identity = desk.identity();
    let to = cx.msg.from.first().cloned().unwrap_or_else(|| desk.owner_address());
    let notice = Notice {
        from: &identity,
        to: vec![to],
        subject: format!("Re: {subject}"),
        html: compose::html_document(&text),
        text,
        message_id: desk.message_id(&counter.uid, "owner-answer"),
        date: cx.now,
        loop_header_value: identity.address.clone(),
    };
    let mail =
        compose::letter(&notice, &Extras { thread: vec![counter.message_id.clone()], ..Extras::default() })?;
    outcome.effects.push(Effect::Send { kind: MailKind::Notice, rule: cx.rule.to_string(), mail });
    Ok(())
}
