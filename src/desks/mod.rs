//! The desks: what the office does with the mail a rule hands over (`desk = "…"`), beyond the generic
//! reply, forward and move.
//!
//! A desk is pure. It reads the message, the rule's options, the office and a read-only view of the
//! store, and returns effects and notes; the intake commits the effects with the message's journal
//! row in one transaction. So a desk is tested without servers, `explain` shows exactly what it would
//! do, and a crash anywhere means the message is handled again from scratch or not at all.

pub mod event;
pub mod inquiry;
pub mod meeting;
pub mod supply;

use chrono::{DateTime, Utc};

use crate::actions::{Decision, ReplyHistory};
use crate::calendar::event::Event;
use crate::calendar::proposal::{Counter, Proposal};
use crate::effects::Effect;
use crate::guard::Verdict;
use crate::mail::compose::ComposeError;
use crate::mail::message::Message;
use crate::rules::{Desk, RuleSet};
use crate::store::{Store, StoreError};
use crate::tickets::{Ticket, TicketChange, TicketEntry, TicketNumber};

/// What a desk reads of the calendars.
pub trait CalendarView {
    /// The events of `calendar` that can have an occurrence in `from..to` (see [`Store::events`]).
    fn events(
        &self,
        calendar: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Event>, StoreError>;
    /// Every row of `calendar` with `uid`: the event or series, then its overridden instances.
    fn event_rows(&self, calendar: &str, uid: &str) -> Result<Vec<Event>, StoreError>;
    /// The open proposal offered by one of the Message-IDs of `thread`.
    fn open_proposal(&self, thread: &[String]) -> Result<Option<Proposal>, StoreError>;
    /// The open question about a proposed new time sent as one of `thread`, else carrying
    /// `reference` (see [`Store::open_counter`]).
    fn open_counter(&self, thread: &[String], reference: Option<&str>)
    -> Result<Option<Counter>, StoreError>;
}

impl CalendarView for Store {
    fn events(
        &self,
        calendar: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Event>, StoreError> {
        Store::events(self, calendar, from, to)
    }

    fn event_rows(&self, calendar: &str, uid: &str) -> Result<Vec<Event>, StoreError> {
        Store::event_rows(self, calendar, uid)
    }

    fn open_proposal(&self, thread: &[String]) -> Result<Option<Proposal>, StoreError> {
        Store::open_proposal(self, thread)
    }

    fn open_counter(
        &self,
        thread: &[String],
        reference: Option<&str>,
    ) -> Result<Option<Counter>, StoreError> {
        Store::open_counter(self, thread, reference)
    }
}

/// A view with no events, for dry runs without a database.
pub struct NoCalendars;

impl CalendarView for NoCalendars {
    fn events(&self, _: &str, _: DateTime<Utc>, _: DateTime<Utc>) -> Result<Vec<Event>, StoreError> {
        Ok(Vec::new())
    }

    fn event_rows(&self, _: &str, _: &str) -> Result<Vec<Event>, StoreError> {
        Ok(Vec::new())
    }

    fn open_proposal(&self, _: &[String]) -> Result<Option<Proposal>, StoreError> {
        Ok(None)
    }

    fn open_counter(&self, _: &[String], _: Option<&str>) -> Result<Option<Counter>, StoreError> {
        Ok(None)
    }
}

/// The calendars as one batch sees them: the store's, plus the events decided earlier in the same
/// batch (not yet committed), so two invitations for one hour in one batch are not both accepted.
pub struct BatchCalendars<'s> {
    pub store: &'s dyn CalendarView,
    pub pending: Vec<Event>,
    /// Offers and questions settled earlier in the batch, so that a second reply choosing from one
    /// does not book again, nor a second answer move a meeting twice.
    pub closed: Vec<String>,
}

impl BatchCalendars<'_> {
    /// Takes in the events among `effects`, which later messages of the batch must see.
    pub fn note(&mut self, effects: &[Effect]) {
        for effect in effects {
            match effect {
                Effect::PutEvent(event) => {
                    self.pending.retain(|p| !same_row(p, event));
                    self.pending.push((**event).clone());
                }
                Effect::CloseProposal { message_id } | Effect::CloseCounter { message_id } => {
                    self.closed.push(message_id.clone())
                }
                _ => {}
            }
        }
    }

    fn merged(&self, stored: Vec<Event>, keep: impl Fn(&Event) -> bool) -> Vec<Event> {
        let mut events: Vec<Event> =
            stored.into_iter().filter(|e| !self.pending.iter().any(|p| same_row(p, e))).collect();
        events.extend(self.pending.iter().filter(|p| keep(p)).cloned());
        events
    }
}

impl CalendarView for BatchCalendars<'_> {
    fn events(
        &self,
        calendar: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Event>, StoreError> {
        let stored = self.store.events(calendar, from, to)?;
        Ok(self.merged(stored, |p| {
            p.calendar == calendar
                && ((p.end > from && p.start < to) || p.rrule.is_some() || p.recurrence_id.is_some())
        }))
    }

    fn event_rows(&self, calendar: &str, uid: &str) -> Result<Vec<Event>, StoreError> {
        let stored = self.store.event_rows(calendar, uid)?;
        let mut rows = self.merged(stored, |p| p.calendar == calendar && p.uid == uid);
        rows.sort_by_key(|e| e.recurrence_id);
        Ok(rows)
    }

    /// From the store (an offer is answered after its batch committed), less the offers settled
    /// earlier in this batch.
    fn open_proposal(&self, thread: &[String]) -> Result<Option<Proposal>, StoreError> {
        Ok(self.store.open_proposal(thread)?.filter(|p| !self.closed.contains(&p.message_id)))
    }

    /// From the store, less the questions answered earlier in this batch.
    fn open_counter(
        &self,
        thread: &[String],
        reference: Option<&str>,
    ) -> Result<Option<Counter>, StoreError> {
        Ok(self.store.open_counter(thread, reference)?.filter(|c| !self.closed.contains(&c.message_id)))
    }
}

/// What a desk reads of the tickets.
pub trait TicketView {
    /// The ticket numbered `number`.
    fn ticket(&self, number: TicketNumber) -> Result<Option<Ticket>, StoreError>;
    /// The ticket one of `ids` belongs to (see [`Store::ticket_of`]).
    fn ticket_of(&self, ids: &[String]) -> Result<Option<TicketNumber>, StoreError>;
    /// The highest number given so far.
    fn highest_ticket(&self) -> Result<Option<TicketNumber>, StoreError>;
    /// The messages of ticket `number`, oldest first: what a department the ticket is routed to reads.
    fn entries(&self, number: TicketNumber) -> Result<Vec<TicketEntry>, StoreError>;
}

impl TicketView for Store {
    fn ticket(&self, number: TicketNumber) -> Result<Option<Ticket>, StoreError> {
        Store::ticket(self, number)
    }

    fn ticket_of(&self, ids: &[String]) -> Result<Option<TicketNumber>, StoreError> {
        Store::ticket_of(self, ids)
    }

    fn highest_ticket(&self) -> Result<Option<TicketNumber>, StoreError> {
        Store::highest_ticket(self)
    }

    fn entries(&self, number: TicketNumber) -> Result<Vec<TicketEntry>, StoreError> {
        Store::ticket_entries(self, number)
    }
}

/// A view with no tickets, for dry runs without a database.
pub struct NoTickets;

impl TicketView for NoTickets {
    fn ticket(&self, _: TicketNumber) -> Result<Option<Ticket>, StoreError> {
        Ok(None)
    }

    fn ticket_of(&self, _: &[String]) -> Result<Option<TicketNumber>, StoreError> {
        Ok(None)
    }

    fn highest_ticket(&self) -> Result<Option<TicketNumber>, StoreError> {
        Ok(None)
    }

    fn entries(&self, _: TicketNumber) -> Result<Vec<TicketEntry>, StoreError> {
        Ok(Vec::new())
    }
}

/// The tickets as one batch sees them: the store's, plus the changes decided earlier in the batch, so
/// two messages of one conversation in one batch join one ticket and new tickets get distinct numbers.
pub struct BatchTickets<'s> {
    pub store: &'s dyn TicketView,
    pub pending: Vec<TicketChange>,
}

impl BatchTickets<'_> {
    /// Takes in the ticket changes among `effects`.
    pub fn note(&mut self, effects: &[Effect]) {
        for effect in effects {
            if let Effect::Ticket(change) = effect {
                self.pending.push((**change).clone());
            }
        }
    }
}

impl TicketView for BatchTickets<'_> {
    fn ticket(&self, number: TicketNumber) -> Result<Option<Ticket>, StoreError> {
        match self.pending.iter().rev().find(|c| c.ticket.number == number) {
            Some(change) => Ok(Some(change.ticket.clone())),
            None => self.store.ticket(number),
        }
    }

    fn ticket_of(&self, ids: &[String]) -> Result<Option<TicketNumber>, StoreError> {
        let pending = self
            .pending
            .iter()
            .filter(|c| c.entries.iter().any(|e| ids.contains(&e.message_id)))
            .map(|c| c.ticket.number)
            .max();
        Ok(pending.max(self.store.ticket_of(ids)?))
    }

    fn highest_ticket(&self) -> Result<Option<TicketNumber>, StoreError> {
        let pending = self.pending.iter().map(|c| c.ticket.number).max();
        Ok(pending.max(self.store.highest_ticket()?))
    }

    /// The store's, then those of the changes earlier in the batch, in the order they were decided.
    fn entries(&self, number: TicketNumber) -> Result<Vec<TicketEntry>, StoreError> {
        let mut entries = self.store.entries(number)?;
        for change in self.pending.iter().filter(|c| c.ticket.number == number) {
            entries.extend(change.entries.iter().cloned());
        }
        Ok(entries)
    }
}

/// What the desks read of the store.
pub struct Views<'a> {
    pub calendars: &'a dyn CalendarView,
    pub tickets: &'a dyn TicketView,
    pub supply: &'a dyn supply::SupplyView,
    pub planning: &'a dyn event::PlanningView,
}

/// What the inquiry and supply desks read besides the store: the rules, the rule's call, and the
/// message with what seeds the Message-IDs of the mail they send.
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    /// The guard's reading of the message, which says what the desk may record and answer.
    pub guard: &'a Verdict,
    pub call: &'a crate::rules::DeskCall,
    /// The rule that handed the message over (outbox rows and the reply limit name it).
    pub rule: &'a str,
    pub msg: &'a Message,
    /// The message as received: forwards carry its attachments, CSV orders are read from it.
    pub raw: &'a [u8],
    /// Seeds the Message-IDs of the mail sent, so a re-run composes the same mail.
    pub content_hash: &'a str,
    pub now: DateTime<Utc>,
}

impl Context<'_> {
    /// The message handed over, forwarded inline with its attachments to `to` with `note` on top:
    /// how a desk passes on what a person must see. `seed` tells its Message-ID from the desk's
    /// other mail about the same message.
    pub(crate) fn forward_inline(
        &self,
        to: Vec<crate::mail::message::Address>,
        note: String,
        seed: &str,
    ) -> Result<Effect, DeskError> {
        let identity = crate::actions::identity(&self.rules.office);
        let mail = crate::mail::compose::forward(&crate::mail::compose::Forward {
            original: self.msg,
            original_raw: self.raw,
            from: &identity,
            to,
            mode: crate::mail::compose::ForwardMode::Inline,
            note: Some(note),
            message_id: crate::mail::compose::message_id(
                format!("{}\0{seed}", self.content_hash).as_bytes(),
                crate::mail::message::domain_of(&identity.address),
            ),
            date: self.now,
            loop_header_value: identity.address.clone(),
            subject: None,
            reply_to: None,
        })
        .map_err(|e| DeskError::Letter(e.to_string()))?;
        Ok(Effect::Send { kind: crate::effects::MailKind::Forward, rule: self.rule.to_owned(), mail })
    }
}

/// The message a desk handles, as received.
pub struct Incoming<'a> {
    pub msg: &'a Message,
    pub raw: &'a [u8],
    /// Seeds the Message-IDs of the mail sent in answer.
    pub content_hash: &'a str,
    pub now: DateTime<Utc>,
}

fn same_row(a: &Event, b: &Event) -> bool {
    a.calendar == b.calendar && a.uid == b.uid && a.recurrence_id == b.recurrence_id
}

/// What a desk decided.
#[derive(Debug, Default)]
pub struct Outcome {
    pub effects: Vec<Effect>,
    /// What the desk did not do, and why, for the journal, the log and `explain`.
    pub notes: Vec<String>,
}

impl Outcome {
    fn note(note: impl Into<String>) -> Outcome {
        Outcome { effects: Vec::new(), notes: vec![note.into()] }
    }
}

/// Why a desk could not handle a message: the message is kept and reported, as for a failed rule.
/// [`run`] says which desk it was ([`DeskError::At`]).
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot write its mail: {0}")]
    Compose(#[from] ComposeError),
    /// The office is not set up for what the message asks (a calendar the rule names is missing).
    #[error("{0}")]
    Setup(String),
    #[error("{0}")]
    Template(#[from] crate::rules::TemplateError),
    /// A letter about one ticket, request or order could not be written (what it is about first).
    #[error("{0}")]
    Letter(String),
    #[error("{0}")]
    ReplyLog(#[from] crate::actions::ReplyLogUnreadable),
    #[error("{desk} desk: {error}")]
    At { desk: Desk, error: Box<DeskError> },
}

impl DeskError {
    fn at(self, desk: Desk) -> DeskError {
        DeskError::At { desk, error: Box::new(self) }
    }
}

/// Runs the desk the decision names, adding its effects and notes to the decision. A message that
/// continues a ticket's conversation goes to the inquiry desk whatever rule matched (see
/// [`into_ticket`]), one that continues a supply request or purchase order to the supply desk, an
/// organiser's message about one of the office's events to the event desk, and a
/// calendar owner's answer to a proposed new time to the meeting desk (see [`into_meeting`]).
pub fn run(
    rules: &RuleSet,
    incoming: &Incoming<'_>,
    guard: &Verdict,
    decision: &mut Decision,
    views: &Views<'_>,
    history: &mut dyn ReplyHistory,
) -> Result<(), DeskError> {
    let Incoming { msg, raw, content_hash, now } = *incoming;
    if decision.desk_call.as_ref().is_none_or(|call| call.desk != Desk::Supply)
        && let Some(thread) = supply::conversation(rules, msg, views.supply)?
    {
        into_supply(decision, thread);
    } else if decision.desk_call.as_ref().is_none_or(|call| call.desk != Desk::Inquiry)
        && let Some(ticket) = inquiry::conversation(rules, msg, guard, views.tickets)?
    {
        into_ticket(decision, &ticket);
    } else if decision.desk_call.as_ref().is_none_or(|call| call.desk != Desk::Event)
        && let Some(number) = event::conversation(rules, msg, views.planning)?
    {
        hand_over(
            decision,
            crate::rules::DeskCall::plain(Desk::Event),
            &format!("event desk: the message continues {number}"),
        );
    } else if let Some(counter) = meeting::owners_answer(&rules.office, msg, views.calendars)? {
        into_meeting(decision, &counter);
    }
    let Some(call) = &decision.desk_call else { return Ok(()) };
    let rule = decision.rule.as_deref().unwrap_or_default();
    let outcome = match call.desk {
        Desk::Meeting => {
            let context = meeting::Context {
                office: &rules.office,
                templates: &rules.templates,
                guard,
                call,
                rule,
                msg,
                content_hash,
                now,
            };
            meeting::handle(&context, views.calendars)
        }
        Desk::Inquiry => {
            let context = Context { rules, guard, call, rule, msg, raw, content_hash, now };
            inquiry::handle(&context, views.tickets, history)
        }
        Desk::Supply => {
            let context = Context { rules, guard, call, rule, msg, raw, content_hash, now };
            supply::handle(&context, views.supply, history)
        }
        Desk::Event => {
            let context = Context { rules, guard, call, rule, msg, raw, content_hash, now };
            event::handle(&context, views.planning, views.calendars, history)
        }
    }
    .map_err(|e| e.at(call.desk))?;
    decision.effects.extend(outcome.effects);
    decision.notes.extend(outcome.notes);
    Ok(())
}

/// Hands a message of a request's or purchase order's conversation to the supply desk instead of the
/// desk (or plain `reply`) its rule chose: a vendor's confirmation must reach its order whatever the
/// rules say of mail from that vendor. The rule's other actions (forward, move, flag) still apply.
fn into_supply(decision: &mut Decision, thread: crate::supply::Thread) {
    let what = match thread {
        crate::supply::Thread::Request(n) => n.tag(),
        crate::supply::Thread::Order(n) => n.tag(),
    };
    hand_over(
        decision,
        crate::rules::DeskCall::plain(Desk::Supply),
        &format!("supply desk: the message continues {what}"),
    );
}

/// Hands a calendar owner's answer to the question about a proposed new time to the meeting desk,
/// for the question's calendar, whatever rule matched: the reply to clerk's note says "yes" or "no"
/// and must reach the proposal, not be read as a request for a meeting of its own.
fn into_meeting(decision: &mut Decision, counter: &Counter) {
    let call = crate::rules::DeskCall {
        calendar: Some(counter.calendar.clone()),
        ..crate::rules::DeskCall::plain(Desk::Meeting)
    };
    let what = format!("meeting desk: the message answers the question {}", counter.reference);
    hand_over(decision, call, &what);
}

/// Hands a message of a ticket's conversation to the inquiry desk instead of the desk (or plain
/// `reply`) its rule chose, so the conversation stays in its ticket and the customer or colleague is
/// not answered twice. The rule's other actions (forward, move, flag) still apply.
fn into_ticket(decision: &mut Decision, ticket: &Ticket) {
    let call = crate::rules::DeskCall {
        department: ticket.department.clone(),
        priority: Some(ticket.priority),
        ..crate::rules::DeskCall::plain(Desk::Inquiry)
    };
    let what = format!("inquiry desk: the message continues ticket {}", ticket.number.tag());
    hand_over(decision, call, &what);
    if let Some(department) = &ticket.department {
        decision.desk_options.insert("department".into(), department.clone());
    }
}

/// Gives `decision` to the desk of `call` in place of the desk (or plain `reply`) its rule chose,
/// dropping the rule's reply, and notes `what` with what it replaced.
fn hand_over(decision: &mut Decision, call: crate::rules::DeskCall, what: &str) {
    let replaced = match &decision.desk {
        Some(desk) => format!("desk {desk}"),
        None => "no desk".to_owned(),
    };
    let before = decision.effects.len();
    decision.effects.retain(|e| {
        !matches!(e, Effect::Send { kind: crate::effects::MailKind::Reply, .. } | Effect::NoteReply { .. })
    });
    let dropped = if decision.effects.len() < before { ", and without the rule's reply" } else { "" };
    decision.notes.push(format!("{what}: handled there instead of by {replaced}{dropped}"));
    decision.desk = Some(call.desk.name().to_owned());
    decision.desk_options.clear();
    decision.desk_call = Some(call);
}
