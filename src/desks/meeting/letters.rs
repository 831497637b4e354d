//! The values the meeting desk's answers are written from (`letters/meeting/*`, see `crate::letters`):
//! how a request was read, the times offered, and what each answer names. The words, in each
//! language, are the templates'; here is only what they are given, which is their documented interface.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use super::{MeetingCase, Unfit};
use crate::calendar::availability::Slot;
use crate::calendar::event::{span_abbreviated, span_in};
use crate::calendar::phrase::{Asked, Reading};
use crate::desks::DeskError;
use crate::language::Language;

/// How a request was read, for a person to check (`letters/meeting/reading`): "I read this as Tue
/// 24 Nov 2026 15:00–16:00 CET." A sender on another clock reads it on theirs too.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ReadAs {
    /// `chosen` (a number from the times offered), `at` (one time), `within` (a stretch of time) or
    /// `nothing` (no day or time found).
    asked: &'static str,
    /// The number chosen, for `chosen`.
    chosen: Option<usize>,
    /// The time chosen, booked or asked for: "Tue 24 Nov 2026 15:00–16:00 CET".
    when: Option<String>,
    /// The stretch asked for, for `within`.
    from: Option<String>,
    to: Option<String>,
    /// The time asked for (or the stretch's start) on the sender's clock, when theirs is not the
    /// office's: "Thu 10 Dec 10:00".
    theirs: Option<String>,
    /// The sender's clock: "UTC−5".
    offset: Option<String>,
}

impl ReadAs {
    /// What `reading` asked for; `booked` is the time it books, when it books one.
    pub(super) fn reading(desk: &MeetingCase<'_>, reading: &Reading, booked: Option<Slot>) -> ReadAs {
        let zone = desk.zone();
        let language = reading.language;
        let local = |t: DateTime<Utc>| language.date(&t.with_timezone(&zone), "%a %-d %b %Y %H:%M %Z");
        let theirs = |t: DateTime<Utc>| {
            reading.senders_zone.map(|offset| language.date(&t.with_timezone(&offset), "%a %-d %b %H:%M"))
        };
        let offset = reading.senders_zone.map(utc_offset);
        let (asked, when, from, to, start) = match (reading.asked, booked) {
            (_, Some(slot)) => ("at", Some(when(desk, slot, language)), None, None, Some(slot.start)),
            (Asked::At(start), None) => ("at", Some(local(start)), None, None, Some(start)),
            (Asked::Within { from, to }, None) => {
                ("within", None, Some(local(from)), Some(local(to)), Some(from))
            }
            (Asked::Nothing, None) => ("nothing", None, None, None, None),
        };
        ReadAs { asked, chosen: None, when, from, to, theirs: start.and_then(theirs), offset }
    }

    /// The choice of the `n`th time offered, `slot`.
    pub(super) fn chosen(desk: &MeetingCase<'_>, n: usize, slot: Slot, language: Language) -> ReadAs {
        ReadAs {
            asked: "chosen",
            chosen: Some(n),
            when: Some(when(desk, slot, language)),
            from: None,
            to: None,
            theirs: None,
            offset: None,
        }
    }
}

/// One of the times offered (`letters/meeting/times` numbers them).
#[derive(Debug, Serialize)]
pub(super) struct Time {
    /// "Wed 25 Nov 2026 10:00–11:00", on the calendar's clock.
    when: String,
    /// The calendar's time zone: "Europe/Rome".
    zone: String,
    /// Its start on the sender's clock, when theirs is not the office's: "Thu 10 Dec 10:00".
    theirs: Option<String>,
    /// The sender's clock: "UTC−5".
    offset: Option<String>,
}

/// `slots` as offered, each also on the sender's clock `senders` when there is one.
pub(super) fn times(
    desk: &MeetingCase<'_>,
    slots: &[Slot],
    language: Language,
    senders: Option<FixedOffset>,
) -> Vec<Time> {
    let zone = desk.zone();
    slots
        .iter()
        .map(|slot| Time {
            when: span_in(slot.start, slot.end, zone, language),
            zone: zone.name().to_owned(),
            theirs: senders
                .map(|offset| language.date(&slot.start.with_timezone(&offset), "%a %-d %b %H:%M")),
            offset: senders.map(utc_offset),
        })
        .collect()
}

/// "Tue 24 Nov 2026 15:00–16:00 CET" in the calendar's zone.
pub(super) fn when(desk: &MeetingCase<'_>, slot: Slot, language: Language) -> String {
    span_abbreviated(slot.start, slot.end, desk.zone(), language)
}

/// "UTC−5", "UTC+5:30", as people write an offset.
fn utc_offset(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '\u{2212}' } else { '+' };
    let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
    if minutes == 0 { format!("UTC{sign}{hours}") } else { format!("UTC{sign}{hours}:{minutes:02}") }
}

/// The calendar's answer to an invitation (`letters/meeting/invitation-answer`, its subject and
/// the answer's COMMENT), in the office's language.
#[derive(Debug, Serialize)]
pub(super) struct InvitationAnswer<'a> {
    /// `accepted`, `tentative` or `declined`.
    pub answer: &'static str,
    /// The calendar's owner: their name, else their address.
    pub owner: String,
    /// The meeting's title; empty when it has none.
    pub title: &'a str,
    /// "Tue 24 Nov 2026 15:00–16:00 (Europe/Rome)".
    pub when: String,
    /// Why the time does not fit, when it does not.
    pub unfit: Option<Unfit>,
    /// The free times offered instead of one declined.
    pub times: Vec<Time>,
}

/// A room booked with a meeting.
#[derive(Debug, Serialize)]
pub(super) struct Room {
    pub name: String,
    pub seats: u32,
}

/// A name written in a request that several of the office's people have.
#[derive(Debug, Serialize)]
pub(super) struct AmbiguousName {
    /// As written: "Bob".
    pub written: String,
    /// Whom it could be, comma-separated: "Bob Bianchi, Bob Rossi".
    pub candidates: String,
}

/// The names written in a request that nobody was invited for: none of the office's people has
/// them (`unknown`), or several have (`ambiguous`).
pub(super) fn names_left_out(
    named_unknown: &[String],
    ambiguous: &[crate::calendar::proposal::Ambiguous],
) -> (Option<String>, Vec<AmbiguousName>) {
    let unknown = (!named_unknown.is_empty()).then(|| named_unknown.join(", "));
    let ambiguous = ambiguous
        .iter()
        .map(|a| AmbiguousName { written: a.written.clone(), candidates: a.candidates.join(", ") })
        .collect();
    (unknown, ambiguous)
}

/// A meeting's title (`letters/meeting/title`), in the office's language: who and what.
#[derive(Debug, Serialize)]
pub(super) struct Title {
    /// Whom the owner meets: the requester's name (else address), or none.
    pub who: Option<String>,
    /// What about, from the request's subject ("renovation, Via Roma"), or none.
    pub topic: Option<String>,
}

/// The note that goes with the owner's copy of a meeting booked, moved or cancelled in her calendar,
/// or of an outsider's invitation accepted into it (`letters/office/meeting-booked` and its
/// subject), in the office's language.
#[derive(Debug, Serialize)]
pub(super) struct OwnerCopy<'a> {
    /// `booked`, `moved` or `cancelled`; `accepted` or `updated` for an outsider's invitation or its
    /// update.
    pub change: &'static str,
    /// Who asked: "Anna Verdi <anna@client.example>".
    pub requester: String,
    pub title: &'a str,
    /// The meeting's time (the new one when moved, the one it had when cancelled).
    pub when: String,
    pub location: Option<&'a str>,
    /// Whom else the meeting has, comma-separated; empty for nobody.
    pub invited: String,
    pub unknown: Option<String>,
    pub ambiguous: Vec<AmbiguousName>,
    pub owner: String,
    pub calendar: &'a str,
}

/// The invitation to a meeting booked (`letters/meeting/invitation`).
#[derive(Debug, Serialize)]
pub(super) struct Invitation<'a> {
    /// "Dear Anna Rossi," or "Buongiorno,".
    pub greeting: String,
    pub reading: ReadAs,
    /// The room booked with it, if one was asked for and found.
    pub room: Option<Room>,
    /// How many people a room was wanted for, when none was free.
    pub roomless: Option<usize>,
    /// The addresses the request named that were not invited, comma-separated, if any.
    pub not_invited: Option<String>,
    /// Names written that none of the office's people has, comma-separated, if any.
    pub unknown: Option<String>,
    /// Names written that several of the office's people have.
    pub ambiguous: Vec<AmbiguousName>,
    /// The meeting's title and time, for the first line.
    pub summary: &'a str,
    pub when: String,
    /// Whose calendar it is in.
    pub owner: String,
    pub signature: &'a str,
}

/// The update of a meeting moved, or the cancellation of one (`letters/meeting/moved`, `cancelled`).
#[derive(Debug, Serialize)]
pub(super) struct Changed<'a> {
    /// How the new time was read (for a move).
    pub reading: Option<ReadAs>,
    pub summary: &'a str,
    /// The meeting's new time (moved) or the time it had (cancelled).
    pub when: String,
    pub signature: &'a str,
}

/// Free times offered (`letters/meeting/free-times`).
#[derive(Debug, Serialize)]
pub(super) struct FreeTimes<'a> {
    pub greeting: String,
    pub reading: ReadAs,
    /// Why the time asked for cannot be booked, if it cannot.
    pub unfit: Option<Unfit>,
    /// Nothing was free within the stretch asked for: these are the next free times.
    pub none_within: bool,
    pub not_invited: Option<String>,
    pub unknown: Option<String>,
    pub ambiguous: Vec<AmbiguousName>,
    pub owner: String,
    pub times: Vec<Time>,
    pub signature: &'a str,
}

/// The times still offered, asked again (`letters/meeting/ask-again`).
#[derive(Debug, Serialize)]
pub(super) struct AskAgain<'a> {
    pub greeting: String,
    pub times: Vec<Time>,
    pub signature: &'a str,
}

/// A meeting a change may be about.
#[derive(Debug, Serialize)]
pub(super) struct Meeting {
    pub summary: String,
    pub when: String,
}

/// Which meeting a cancellation or move is about (`letters/meeting/which-meeting`), and the note to
/// the calendar's owner (`change-to-check`, `change-to-check-subject`).
#[derive(Debug, Serialize)]
pub(super) struct WhichMeeting<'a> {
    pub greeting: String,
    /// `cancel` or `move`.
    pub change: &'static str,
    /// The sender's meetings that fit the day and time named (none, or more than one).
    pub meetings: Vec<Meeting>,
    /// How many fit, for the owner.
    pub fitting: usize,
    pub owner: String,
    /// Who asked, the calendar, and the message's subject, for the owner.
    pub requester: &'a str,
    pub calendar: &'a str,
    pub subject: &'a str,
    pub signature: &'a str,
}

/// Writes the letter `name` (`letters/meeting/NAME`) in `language`.
pub(super) fn write(
    desk: &MeetingCase<'_>,
    name: &str,
    language: Language,
    values: &impl Serialize,
) -> Result<String, DeskError> {
    Ok(desk.cx.templates.letter(&format!("meeting/{name}"), language, values)?)
}
