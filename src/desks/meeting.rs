//! The meeting desk: calendar invitations (iMIP) for the office's calendars.
//!
//! As an attendee, it answers invitations (REQUEST) for a calendar it keeps: accepted when the time is
//! free, otherwise declined with free alternatives or accepted as tentative for the owner to decide
//! (`on_conflict`); an update (same UID, higher SEQUENCE) moves the event and is checked again; a
//! CANCEL removes the event or its instances. As the organizer of meetings it booked, it records the
//! attendees' REPLYs and handles a COUNTER (a proposed new time): taken by itself when
//! `accept_counter` is set and the time is free, else put to the calendar's owner, whose answer
//! ("yes", "no", "move it to …") the desk then carries out.
//!
//! Only REPLY, CANCEL and COUNTER for UIDs the calendar holds are applied, and a CANCEL only from the
//! meeting's organizer; everything else is noted and left alone.

mod attendee;
mod invitees;
mod letters;
mod named;
mod new_time;
mod organizer;
mod request;
mod rooms;
#[cfg(test)]
mod tests;

use crate::language::Language;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{CalendarView, DeskError, Outcome};
use crate::calendar::CalendarConfig;
use crate::calendar::availability::{Busy, Slot, Unavailable};
use crate::calendar::event::{Cut, Event, occurrences, span_in};
use crate::calendar::ics::{self, Method, Party};
use crate::calendar::proposal::Counter;
use crate::effects::{Effect, MailKind};
use crate::guard::{self, Answer, Suppression};
use crate::mail::compose::{self, AutoSubmitted, CalendarMail, Identity, Notice};
use crate::mail::message::{Address, Message};
use crate::office::Office;
use crate::rules::{DeskCall, Templates};
use crate::store::StoreError;

/// How many free times a refusal proposes.
const ALTERNATIVES: usize = 3;

/// The most meetings (UIDs) one message's calendar may ask about: an invitation is one meeting, with
/// its moved instances; a calendar of hundreds is not an invitation, and each would cost a search of
/// the calendar.
const MOST_MEETINGS: usize = 20;

/// Everything the desk reads besides the store.
pub struct Context<'a> {
    pub office: &'a Office,
    /// The letters the desk writes: its answers and its notes to a calendar's owner
    /// (`letters/meeting/*`, `letters/office/*`).
    pub templates: &'a Templates,
    /// The guard's reading of the message, which says whether the desk may answer.
    pub guard: &'a guard::Verdict,
    pub call: &'a DeskCall,
    /// The rule that handed the message over (outbox rows name it).
    pub rule: &'a str,
    pub msg: &'a Message,
    /// Seeds the Message-IDs of the mail sent, so a re-run composes the same mail.
    pub content_hash: &'a str,
    pub now: DateTime<Utc>,
}

/// Handles one message routed to the meeting desk.
pub fn handle(cx: &Context<'_>, view: &dyn CalendarView) -> Result<Outcome, DeskError> {
    let calendar = cx.calendar()?;
    let Some(part) = cx.msg.calendars.first() else {
        // The desk answers whoever asks it for a time, the calendar's owner among them, so a request
        // in words is held back only for what holds back a calendar's answer (machine mail).
        let reasons = cx.guard.why_not(Answer::CalendarAnswer);
        if !reasons.is_empty() {
            return Ok(Outcome::note(format!("meeting desk: not answered: {}", reasons.join("; "))));
        }
        let desk = MeetingCase::new(cx, calendar, view, true);
        let mut outcome = Outcome::default();
        match owners_answer(cx.office, cx.msg, view)?.filter(|c| c.calendar == calendar.name) {
            Some(counter) => new_time::answer(&desk, &counter, &mut outcome)?,
            None => request::handle(&desk, &mut outcome)?,
        }
        outcome.notes.extend(desk.cuts.into_inner());
        return Ok(outcome);
    };
    let machine: Vec<&Suppression> = cx.guard.holding_back(Answer::CalendarAnswer).collect();
    if machine.iter().any(|r| matches!(r, Suppression::Report { .. } | Suppression::FailedRecipients { .. }))
    {
        return Ok(Outcome::note("meeting desk: a bounce carrying a calendar; the calendar is not applied"));
    }
    let itip = match ics::read(&part.text, part.method.as_deref(), calendar.policy.timezone) {
        Ok(itip) => itip,
        Err(error) => return Ok(Outcome::note(format!("meeting desk: {error}"))),
    };
    let mut outcome = Outcome::default();
    outcome.notes.extend(itip.problems.iter().map(|s| format!("meeting desk: {s}")));
    let desk = MeetingCase::new(cx, calendar, view, machine.is_empty());
    if !desk.answers_allowed {
        let reasons: Vec<String> = machine.iter().map(ToString::to_string).collect();
        outcome.notes.push(format!("meeting desk: no calendar answer is sent: {}", reasons.join("; ")));
    }
    let groups = by_uid(&itip.events);
    if matches!(itip.method, Method::Publish | Method::Refresh | Method::DeclineCounter) {
        outcome.notes.push(format!(
            "meeting desk: METHOD:{} is not acted on ({}, UID {})",
            itip.method.as_str(),
            crate::units::counted(groups.len() as u64, "meeting"),
            groups.first().map_or("none", |g| g[0].uid.as_str())
        ));
        return Ok(outcome);
    }
    if groups.len() > MOST_MEETINGS {
        outcome.notes.push(format!(
            "meeting desk: the calendar holds {} meetings, more than the {MOST_MEETINGS} one message may ask about; none is acted on",
            groups.len()
        ));
        return Ok(outcome);
    }
    for group in groups {
        match itip.method {
            Method::Request | Method::Add => attendee::request(&desk, &group, &mut outcome)?,
            Method::Cancel => attendee::cancel(&desk, &group, &mut outcome)?,
            Method::Reply => organizer::reply(&desk, &group, &mut outcome)?,
            Method::Counter => organizer::counter(&desk, &group, &mut outcome)?,
            Method::Publish | Method::Refresh | Method::DeclineCounter => {}
        }
    }
    outcome.notes.extend(desk.cuts.into_inner());
    Ok(outcome)
}

/// The question about a proposed new time that `msg` answers, when it comes from the owner of the
/// question's calendar or one of the office's owners: found by its thread, or by the reference in its
/// subject. Anyone else's mail in that thread is not an answer.
pub fn owners_answer(
    office: &Office,
    msg: &Message,
    view: &dyn CalendarView,
) -> Result<Option<Counter>, StoreError> {
    let thread: Vec<String> = msg.in_reply_to.iter().chain(&msg.references).cloned().collect();
    let reference = Counter::reference_in(&msg.subject);
    if thread.is_empty() && reference.is_none() {
        return Ok(None);
    }
    let Some(counter) = view.open_counter(&thread, reference.as_deref())? else { return Ok(None) };
    let owner = office.calendars.iter().find(|c| c.name == counter.calendar).map(|c| c.owner.as_str());
    let may_answer = |sender: &Address| {
        owner.is_some_and(|o| sender.is(o)) || office.owners.iter().any(|o| sender.is(&o.address))
    };
    Ok(msg.from.first().is_some_and(may_answer).then_some(counter))
}

impl Context<'_> {
    /// The calendar the rule books into: `calendar = "…"`, else the office's first.
    fn calendar(&self) -> Result<&CalendarConfig, DeskError> {
        let calendars = &self.office.calendars;
        match &self.call.calendar {
            Some(name) => calendars.iter().find(|c| &c.name == name).ok_or_else(|| {
                DeskError::Setup(format!("calendar `{name}` is not a [[calendar]] of office.toml"))
            }),
            None => calendars.first().ok_or_else(|| {
                DeskError::Setup("office.toml has no [[calendar]] for invitations to go into".into())
            }),
        }
    }
}

/// The events of an iTIP object grouped by UID (a series and its overridden instances), in order.
fn by_uid(events: &[ics::ItipEvent]) -> Vec<Vec<ics::ItipEvent>> {
    let mut groups: Vec<Vec<ics::ItipEvent>> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for event in events {
        match index.get(event.uid.as_str()) {
            Some(&n) => groups[n].push(event.clone()),
            None => {
                index.insert(&event.uid, groups.len());
                groups.push(vec![event.clone()]);
            }
        }
    }
    for group in &mut groups {
        group.sort_by_key(|e| e.recurrence_id);
    }
    groups
}

/// A message at the meeting desk, with what the desk has found out about it so far: its context, calendar and store view.
struct MeetingCase<'a> {
    cx: &'a Context<'a>,
    calendar: &'a CalendarConfig,
    view: &'a dyn CalendarView,
    /// False for mail from machines (bulk, auto-submitted, clerk's own): the calendar is updated but
    /// nothing is sent back.
    answers_allowed: bool,
    /// What expanding the calendar left out (a series refused or cut at a limit), once each: notes of
    /// the outcome, so that `clerk explain` says it.
    cuts: std::cell::RefCell<Vec<String>>,
}

impl<'a> MeetingCase<'a> {
    fn new(
        cx: &'a Context<'a>,
        calendar: &'a CalendarConfig,
        view: &'a dyn CalendarView,
        answers_allowed: bool,
    ) -> MeetingCase<'a> {
        MeetingCase { cx, calendar, view, answers_allowed, cuts: Default::default() }
    }
}

impl MeetingCase<'_> {
    fn zone(&self) -> chrono_tz::Tz {
        self.calendar.policy.timezone
    }

    /// The owner's name, from `[[owner]]`, else their address.
    fn owner_name(&self) -> String {
        let owner = &self.calendar.owner;
        self.cx
            .office
            .owners
            .iter()
            .find(|o| o.address.eq_ignore_ascii_case(owner))
            .map_or_else(|| owner.clone(), |o| o.name.clone())
    }

    /// Whether `address` is the calendar's side: its owner, the assistant or another office address.
    fn is_ours(&self, address: &str) -> bool {
        address.eq_ignore_ascii_case(&self.calendar.owner) || self.cx.office.is_own(address)
    }

    /// Whether `address` hosts the calendar's meetings rather than being invited to them: the
    /// calendar's side ([`Self::is_ours`]) but the office's other owners, who are people of the
    /// office invited like its staff ("with Giulia Rossi", when the calendar is someone else's).
    fn hosts(&self, address: &str) -> bool {
        let other_owner = !address.eq_ignore_ascii_case(&self.calendar.owner)
            && self.cx.office.owners.iter().any(|owner| owner.address.eq_ignore_ascii_case(address));
        self.is_ours(address) && !other_owner
    }

    /// Why `slots` cannot all be booked (the first reason met), ignoring the events with `uid`, which
    /// the slots would replace. A series is checked for busy time and working hours only: notice and
    /// horizon concern when a booking is asked, not its later instances.
    fn conflict(&self, uid: &str, slots: &[Slot], series: bool) -> Result<Option<Unavailable>, DeskError> {
        let busy = self.busy(uid)?;
        for slot in slots {
            match self.calendar.policy.check(&busy, self.cx.now, *slot) {
                Ok(()) => {}
                Err(Unavailable::TooSoon { .. } | Unavailable::TooFarAhead { .. }) if series => {}
                Err(why) => return Ok(Some(why)),
            }
        }
        Ok(None)
    }

    /// The calendar's busy time over its booking horizon, without the events with `uid`.
    fn busy(&self, uid: &str) -> Result<Busy, DeskError> {
        let policy = &self.calendar.policy;
        let until = self.horizon_end();
        let events: Vec<Event> = self
            .view
            .events(&self.calendar.name, self.cx.now, until)?
            .into_iter()
            .filter(|e| e.uid != uid && !e.is_cancelled_series())
            .collect();
        let found = occurrences(&events, self.cx.now, until);
        self.note_cuts(&found.cuts);
        Ok(Busy::new(&found.occurrences, policy.buffer))
    }

    /// Keeps what an expansion cut, for the outcome's notes.
    fn note_cuts(&self, cuts: &[Cut]) {
        let mut noted = self.cuts.borrow_mut();
        for cut in cuts {
            let line = format!("meeting desk: {cut}");
            if !noted.contains(&line) {
                noted.push(line);
            }
        }
    }

    fn horizon_end(&self) -> DateTime<Utc> {
        let horizon =
            chrono::TimeDelta::from_std(self.calendar.policy.horizon).unwrap_or(chrono::TimeDelta::days(60));
        self.cx.now.checked_add_signed(horizon).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// Up to three free times of `length`, on different days where possible.
    fn alternatives(&self, uid: &str, length: chrono::TimeDelta) -> Result<Vec<Slot>, DeskError> {
        let busy = self.busy(uid)?;
        let length = length.to_std().unwrap_or(self.calendar.default_length);
        Ok(self.calendar.policy.free_slots(&busy, self.cx.now, length, ALTERNATIVES, true))
    }

    /// When a meeting is, in `language`: "mar 24 nov 2026 15:00–16:00 (Europe/Rome)".
    fn when_in(&self, start: DateTime<Utc>, end: DateTime<Utc>, language: Language) -> String {
        let zone = self.zone();
        format!("{} ({})", span_in(start, end, zone, language), zone.name())
    }

    /// The language of the office, which notes to its people are written in.
    fn office_language(&self) -> Language {
        Language::from_code(&self.cx.office.language)
    }

    /// Why a time does not fit, as a letter in `language` is given it.
    fn unfit(&self, why: &Unavailable, language: Language) -> Unfit {
        let policy = &self.calendar.policy;
        Unfit {
            reason: match why {
                Unavailable::Past => "past",
                Unavailable::Busy => "busy",
                Unavailable::OutsideHours => "outside-hours",
                Unavailable::TooSoon { .. } => "too-soon",
                Unavailable::TooFarAhead { .. } => "too-far-ahead",
            },
            notice: language.length(policy.min_notice),
            horizon: language.length(policy.horizon),
        }
    }

    fn identity(&self) -> Identity {
        crate::actions::identity(self.cx.office)
    }

    /// A deterministic Message-ID for mail `what` about `uid`.
    fn message_id(&self, uid: &str, what: &str) -> String {
        let seed = format!("{}\0meeting\0{uid}\0{what}", self.cx.content_hash);
        compose::message_id(
            seed.as_bytes(),
            crate::mail::message::domain_of(&self.cx.office.assistant.address),
        )
    }

    /// An iMIP message to `to`: an answer to the message handled, or (`answering` false) mail clerk
    /// starts, such as an update to all attendees.
    #[allow(clippy::too_many_arguments)]
    fn calendar_mail(
        &self,
        to: Vec<Address>,
        subject: String,
        text: String,
        method: Method,
        calendar: String,
        uid: &str,
        answering: bool,
    ) -> Result<Effect, DeskError> {
        let message_id = self.message_id(uid, method.as_str());
        self.imip(to, subject, text, method, calendar, message_id, answering)
    }

    /// A calendar mail to the calendar's owner that clerk starts (not an answer): her copy of a
    /// meeting booked, moved or cancelled in her calendar, with `text` saying what happened.
    fn owner_calendar_mail(
        &self,
        subject: String,
        text: String,
        method: Method,
        calendar: String,
        uid: &str,
    ) -> Result<Effect, DeskError> {
        let message_id = self.message_id(uid, &format!("owner copy {}", method.as_str()));
        self.imip(vec![self.owner_address()], subject, text, method, calendar, message_id, false)
    }

    /// The iMIP mail of [`Self::calendar_mail`] and [`Self::owner_calendar_mail`], under `message_id`.
    #[allow(clippy::too_many_arguments)]
    fn imip(
        &self,
        to: Vec<Address>,
        subject: String,
        text: String,
        method: Method,
        calendar: String,
        message_id: String,
        answering: bool,
    ) -> Result<Effect, DeskError> {
        let identity = self.identity();
        let mail = compose::calendar_mail(&CalendarMail {
            from: &identity,
            to,
            subject,
            text,
            method: method.as_str(),
            calendar,
            answering: answering.then_some(self.cx.msg),
            message_id,
            date: self.cx.now,
            auto_submitted: if answering { AutoSubmitted::AutoReplied } else { AutoSubmitted::AutoGenerated },
            loop_header_value: identity.address.clone(),
        })?;
        Ok(Effect::Send { kind: MailKind::Calendar, rule: self.cx.rule.to_string(), mail })
    }

    /// The calendar's owner as mail is addressed to her.
    fn owner_address(&self) -> Address {
        Address { name: Some(self.owner_name()), email: self.calendar.owner.clone() }
    }

    /// A note to the calendar's owner: the letters `office/NAME` and `office/NAME-subject` (see
    /// [`crate::letters`]) in the office's language, written from `letter`.
    fn tell_owner_letter(&self, uid: &str, name: &str, letter: &impl Serialize) -> Result<Effect, DeskError> {
        let language = self.office_language();
        let subject = self.cx.templates.letter(&format!("office/{name}-subject"), language, letter)?;
        let text = self.cx.templates.letter(&format!("office/{name}"), language, letter)?;
        self.tell_owner(uid, subject, text)
    }

    /// A note to the calendar's owner.
    fn tell_owner(&self, uid: &str, subject: String, text: String) -> Result<Effect, DeskError> {
        let identity = self.identity();
        let html = compose::html_document(&text);
        let mail = compose::notice(&Notice {
            from: &identity,
            to: vec![self.owner_address()],
            subject,
            text,
            html,
            message_id: self.message_id(uid, "owner"),
            date: self.cx.now,
            loop_header_value: identity.address.clone(),
        })?;
        Ok(Effect::Send { kind: MailKind::Notice, rule: self.cx.rule.to_string(), mail })
    }
}

/// The address a party is written to in mail headers.
fn address_of(party: &Party) -> Address {
    Address { name: party.name.clone(), email: party.email.clone() }
}

/// Why a time does not fit, as the letters are given it (`letters/meeting/unfit` words it).
#[derive(Debug, Serialize)]
struct Unfit {
    /// past, busy, outside-hours, too-soon or too-far-ahead.
    reason: &'static str,
    /// The notice meetings need, in words of the letter's language ("1 hour", "1 ora").
    notice: String,
    /// How far ahead meetings are booked at most, in the same words ("60 days").
    horizon: String,
}
