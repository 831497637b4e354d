//! Rooms for the meetings the desk books: the smallest free room that seats everyone, booked in the
//! room's own calendar under the meeting's UID, so that it moves and is cancelled with the meeting and
//! shows in the room's feed.

use chrono::TimeDelta;

use super::MeetingCase;
use crate::calendar::Room;
use crate::calendar::availability::{Busy, Slot};
use crate::calendar::event::{Event, EventStatus, occurrences};
use crate::desks::{DeskError, Outcome};
use crate::effects::Effect;

/// The smallest room seating `people` that is free for `slot` (the meeting `uid` itself aside).
pub(super) fn free<'a>(
    desk: &MeetingCase<'a>,
    people: usize,
    slot: Slot,
    uid: &str,
) -> Result<Option<&'a Room>, DeskError> {
    let mut rooms: Vec<&Room> = desk
        .cx
        .office
        .rooms
        .iter()
        .filter(|r| usize::try_from(r.capacity).is_ok_and(|c| c >= people))
        .collect();
    rooms.sort_by_key(|r| r.capacity);
    for room in rooms {
        if is_free(desk, room, slot, uid)? {
            return Ok(Some(room));
        }
    }
    Ok(None)
}

/// The room's copy of `meeting`: the same UID, times and status, in the room's calendar.
pub(super) fn booking(meeting: &Event, room: &Room) -> Event {
    Event { calendar: room.name.clone(), attendees: Vec::new(), ..meeting.clone() }
}

/// Brings the rooms holding `meeting` along: moved with it while the room is free then, else given
/// up (and the meeting's place cleared); cancelled with it. A room given up earlier stays given up.
pub(super) fn follow(
    desk: &MeetingCase<'_>,
    outcome: &mut Outcome,
    meeting: &mut Event,
) -> Result<(), DeskError> {
    for room in &desk.cx.office.rooms {
        let Some(held) = desk
            .view
            .event_rows(&room.name, &meeting.uid)?
            .into_iter()
            .find(|e| e.recurrence_id.is_none() && e.status != EventStatus::Cancelled)
        else {
            continue;
        };
        let slot = Slot { start: meeting.start, end: meeting.end };
        let still_free = meeting.status == EventStatus::Cancelled || is_free(desk, room, slot, &meeting.uid)?;
        let mut copy = booking(meeting, room);
        if !still_free {
            copy.status = EventStatus::Cancelled;
            meeting.location = None;
            outcome.notes.push(format!(
                "meeting desk: {} is taken at the new time; the meeting moves without it",
                room.name
            ));
        }
        copy.sequence = held.sequence.saturating_add(1);
        outcome.effects.push(Effect::PutEvent(Box::new(copy)));
    }
    Ok(())
}

/// Whether `room` is free for `slot` by its own calendar and hours, the meeting `uid` aside.
fn is_free(desk: &MeetingCase<'_>, room: &Room, slot: Slot, uid: &str) -> Result<bool, DeskError> {
    let day = TimeDelta::days(1);
    let from = slot.start.checked_sub_signed(day).unwrap_or(slot.start);
    let to = slot.end.checked_add_signed(day).unwrap_or(slot.end);
    let events: Vec<Event> = desk
        .view
        .events(&room.name, from, to)?
        .into_iter()
        .filter(|e| e.uid != uid && !e.is_cancelled_series())
        .collect();
    let found = occurrences(&events, from, to);
    desk.note_cuts(&found.cuts);
    Ok(room.policy.check(&Busy::new(&found.occurrences, room.policy.buffer), desk.cx.now, slot).is_ok())
}
