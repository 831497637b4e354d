//! The inquiry desk: the office's first point of contact. Every question becomes a ticket with a
//! number; clerk answers what a rule has an answer for, acknowledges the rest with the ticket number
//! and when to expect an answer, and hands it to the department. Every later message of the
//! conversation joins the ticket.
//!
//! - **Which ticket.** A message joins the ticket of one of clerk's own Message-IDs (or a recorded
//!   message's) in its In-Reply-To or References; else the ticket its subject tag names (`[#1042-9]`,
//!   check digit right), when it comes from that ticket's customer or from the staff; else it opens a
//!   new ticket. A message whose own Message-ID a ticket already holds (the same mail sent to two of
//!   the office's addresses) changes nothing.
//! - **Who wrote.** The staff are `[tickets] staff` (default: the assistant's domain) and the office's
//!   own addresses. A staff reply marks the ticket answered; `#route DEPT` hands it on, `#close` closes
//!   it. Anyone else is the customer.
//! - **Staff answer the customer directly.** The forward to the department has Reply-To set to the
//!   customer *and* the assistant, so "Reply all" (or "Reply", which fills both in) reaches the customer
//!   and shows clerk the answer. clerk never relays staff mail.
//! - **Machines never open or change tickets.** Auto-replies, bounces, list mail and mail from
//!   no-reply or system addresses are noted and left alone, so an out-of-office answer to an
//!   acknowledgment cannot start a loop or reopen anything.
//! - **Answers obey the safety rules.** An acknowledgment or answer is held back for every reason the
//!   guard gives and by the reply limit; an answer held back leaves the ticket with the department.

mod compose;
#[cfg(test)]
mod tests;

use super::{Context, DeskError, Outcome, TicketView};
use crate::actions::ReplyHistory;
use crate::guard::{Answer, Verdict};
use crate::mail::forwarded;
use crate::mail::message::{Address, Message};
use crate::mail::reply_text;
use crate::office::Office;
use crate::office::departments::DEFAULT_RESPONSE_TIME;
use crate::rules::RuleSet;
use crate::tickets::Priority;
use crate::tickets::words::{self, Command};
use crate::tickets::{FIRST_NUMBER, Role, Ticket, TicketChange, TicketEntry, TicketNumber, TicketState};

/// Handles one message routed to the inquiry desk.
pub fn handle(
    cx: &Context<'_>,
    view: &dyn TicketView,
    history: &mut dyn ReplyHistory,
) -> Result<Outcome, DeskError> {
    let office = &cx.rules.office;
    let machine = cx.guard.why_not(Answer::Record);
    if !machine.is_empty() {
        return Ok(Outcome::note(format!("inquiry desk: no ticket: {}", machine.join("; "))));
    }
    let Some(sender) = cx.msg.from.first() else {
        return Ok(Outcome::note("inquiry desk: no ticket: the message has no sender"));
    };
    if let Some(id) = &cx.msg.message_id
        && let Some(number) = view.ticket_of(std::slice::from_ref(id))?
    {
        return Ok(Outcome::note(format!(
            "inquiry desk: ticket {} already has this message (the same Message-ID arrived before)",
            number.tag()
        )));
    }
    // A colleague forwarding a customer's mail ("can you log this?") opens the customer's ticket.
    let forwarded_from = (office.is_staff(&sender.email) && forwarded::is_forward(&cx.msg.subject))
        .then(|| forwarded::author(&cx.msg.text))
        .flatten()
        .filter(|author| !office.is_staff(&author.email));
    let mut desk = InquiryCase {
        cx,
        view,
        sender,
        forwarded_from,
        new_text: reply_text::without_signature(reply_text::new_text(&cx.msg.text)),
        held_back: cx.guard.why_not(Answer::Reply),
        outcome: Outcome::default(),
    };
    match desk.existing()? {
        Some(ticket)
            if desk.is_staff(&sender.email) && !ticket.customer.eq_ignore_ascii_case(&sender.email) =>
        {
            desk.staff_reply(ticket)?
        }
        Some(ticket) => desk.customer_reply(ticket, history)?,
        None => desk.open(history)?,
    }
    Ok(desk.outcome)
}

/// What a message says of the ticket it belongs to.
enum Found {
    Ticket(Box<Ticket>),
    Nothing,
    /// A well-formed tag of a ticket the office does not have.
    NoSuchTag(TicketNumber),
    /// The tag of a ticket, from someone who is neither its customer nor staff.
    TagFromStranger(TicketNumber),
}

/// The ticket of one of the message's thread ids, else of its subject tag when `sender` is that
/// ticket's customer or staff.
fn find(office: &Office, msg: &Message, sender: &Address, view: &dyn TicketView) -> Result<Found, DeskError> {
    let thread: Vec<String> = msg.in_reply_to.iter().chain(&msg.references).cloned().collect();
    if let Some(number) = view.ticket_of(&thread)?
        && let Some(ticket) = view.ticket(number)?
    {
        return Ok(Found::Ticket(Box::new(ticket)));
    }
    let Some(number) = TicketNumber::in_subject(&msg.subject) else { return Ok(Found::Nothing) };
    let Some(ticket) = view.ticket(number)? else { return Ok(Found::NoSuchTag(number)) };
    if ticket.customer.eq_ignore_ascii_case(&sender.email) || office.is_staff(&sender.email) {
        Ok(Found::Ticket(Box::new(ticket)))
    } else {
        Ok(Found::TagFromStranger(number))
    }
}

/// The ticket whose conversation `msg` continues, for mail a rule handed elsewhere (or nowhere): a
/// staff answer that mentions an "order", a customer's "Re: appointment [#1042-9]". Machine mail and
/// calendar mail are left to their rules.
pub fn conversation(
    rules: &RuleSet,
    msg: &Message,
    guard: &Verdict,
    view: &dyn TicketView,
) -> Result<Option<Ticket>, DeskError> {
    let office = &rules.office;
    let machine = guard.holds_back(Answer::Record);
    let Some(sender) = msg.from.first() else { return Ok(None) };
    if machine || !msg.calendars.is_empty() {
        return Ok(None);
    }
    match find(office, msg, sender, view)? {
        Found::Ticket(ticket) => Ok(Some(*ticket)),
        _ => Ok(None),
    }
}

/// A message at the inquiry desk, with what the desk has found out about it so far.
struct InquiryCase<'a> {
    cx: &'a Context<'a>,
    view: &'a dyn TicketView,
    sender: &'a Address,
    /// The author of the customer's message a colleague forwards, whose ticket it opens.
    forwarded_from: Option<Address>,
    /// What the message says that is new: the quoted history and signature split off.
    new_text: &'a str,
    /// Why no automatic answer may go back to this message (empty when one may).
    held_back: Vec<String>,
    outcome: Outcome,
}

impl InquiryCase<'_> {
    /// The ticket the message belongs to, if any.
    fn existing(&mut self) -> Result<Option<Ticket>, DeskError> {
        match find(&self.cx.rules.office, self.cx.msg, self.sender, self.view)? {
            Found::Ticket(ticket) => Ok(Some(*ticket)),
            Found::Nothing => Ok(None),
            Found::NoSuchTag(number) => {
                self.note(format!("the subject names ticket {}, which does not exist", number.tag()));
                Ok(None)
            }
            Found::TagFromStranger(number) => {
                self.note(format!(
                    "the subject names ticket {}, but {} is neither its customer nor staff: a new ticket is opened",
                    number.tag(),
                    self.sender.email
                ));
                Ok(None)
            }
        }
    }

    fn is_staff(&self, address: &str) -> bool {
        self.cx.rules.office.is_staff(address)
    }

    /// Whose ticket a new question opens: the sender's, or the customer's a colleague forwards.
    fn customer(&self) -> &Address {
        self.forwarded_from.as_ref().unwrap_or(self.sender)
    }

    /// A new question: a new ticket, answered or acknowledged and handed to its department.
    fn open(&mut self, history: &mut dyn ReplyHistory) -> Result<(), DeskError> {
        let cx = self.cx;
        let number = match self.view.highest_ticket()? {
            Some(TicketNumber(highest)) => TicketNumber(highest.max(FIRST_NUMBER - 1) + 1),
            None => TicketNumber(FIRST_NUMBER),
        };
        let template_of = |name: &str| self.offered_languages(name);
        let mut offered = cx.call.answer.as_deref().map(template_of).unwrap_or_default();
        match self.acknowledgment_template() {
            Some(template) => offered.extend(template_of(&template)),
            // clerk's own acknowledgment is written in both.
            None => offered.extend(["en".to_owned(), "it".to_owned()]),
        }
        let language = crate::language::detect(self.new_text, &offered, &cx.rules.office.language);
        let mut ticket = Ticket {
            number,
            state: TicketState::New,
            customer: self.customer().email.to_lowercase(),
            customer_name: self.customer().name.clone().filter(|n| !n.trim().is_empty()),
            department: cx.call.department.clone(),
            priority: cx.call.priority.unwrap_or(Priority::Normal),
            subject: cx.msg.subject.clone(),
            language,
            opened_at: cx.now.timestamp(),
            updated_at: cx.now.timestamp(),
            due_at: None,
            escalate_at: None,
            answered_at: None,
            acknowledged: false,
            escalation: 0,
            rating: None,
            rated_at: None,
        };
        let mut entries = vec![self.incoming(Role::Customer)];
        let answered = match (&cx.call.answer, &self.forwarded_from) {
            (Some(answer), None) => self.answer(&mut ticket, &mut entries, answer, history)?,
            _ => false,
        };
        if !answered {
            self.hand_over(&mut ticket, &mut entries)?;
            if self.forwarded_from.is_some() {
                // The colleague decides what the customer hears; clerk only files and hands over.
                self.note(format!(
                    "ticket {} opened for {} from {}'s forward; no acknowledgment sent",
                    ticket.number.tag(),
                    ticket.customer,
                    self.sender.email
                ));
            } else {
                self.acknowledge(&mut ticket, &mut entries, history)?;
            }
        }
        self.put(ticket, entries, true);
        Ok(())
    }

    /// The customer writes again in a ticket.
    fn customer_reply(
        &mut self,
        mut ticket: Ticket,
        history: &mut dyn ReplyHistory,
    ) -> Result<(), DeskError> {
        let cx = self.cx;
        let mut entries = vec![self.incoming(Role::Customer)];
        ticket.updated_at = cx.now.timestamp();
        match ticket.state {
            TicketState::New | TicketState::Waiting => {
                self.pass_on(&ticket, &mut entries)?;
                if !ticket.acknowledged {
                    self.acknowledge(&mut ticket, &mut entries, history)?;
                }
            }
            TicketState::Answered | TicketState::Closed => {
                let since = ticket.answered_at.unwrap_or(ticket.updated_at);
                let window = cx.rules.office.tickets.reopen_within;
                let name = self.sender.name.as_deref();
                if let Some(rating) =
                    words::rating(self.new_text, name).filter(|_| ticket.answered_at.is_some())
                {
                    self.note(format!(
                        "ticket {}: the customer rates the answer {}",
                        ticket.number.tag(),
                        rating.as_str()
                    ));
                    ticket.rating = Some(rating);
                    ticket.rated_at = Some(cx.now.timestamp());
                } else if words::only_thanks(self.new_text, name) {
                    self.note(format!(
                        "ticket {}: the customer says thanks; it stays {}",
                        ticket.number.tag(),
                        ticket.state.as_str()
                    ));
                } else if ticket.state == TicketState::Closed
                    || cx.now.timestamp() - since > window.as_secs() as i64
                {
                    self.note(format!(
                        "ticket {} is {} and was answered more than {} ago: a new ticket is opened",
                        ticket.number.tag(),
                        ticket.state.as_str(),
                        crate::units::humanize(window)
                    ));
                    return self.open(history);
                } else {
                    self.note(format!("ticket {} is reopened by the customer's reply", ticket.number.tag()));
                    ticket.answered_at = None;
                    self.hand_over(&mut ticket, &mut entries)?;
                }
            }
        }
        self.put(ticket, entries, false);
        Ok(())
    }

    /// A staff member writes in a ticket: their answer, or a command.
    fn staff_reply(&mut self, mut ticket: Ticket) -> Result<(), DeskError> {
        let cx = self.cx;
        let mut entries = vec![self.incoming(Role::Staff)];
        ticket.updated_at = cx.now.timestamp();
        let commands = words::commands(self.new_text);
        for command in &commands {
            match command {
                Ok(Command::Close) => {
                    ticket.state = TicketState::Closed;
                    ticket.due_at = None;
                    ticket.escalate_at = None;
                    ticket.answered_at.get_or_insert(cx.now.timestamp());
                    self.note(format!("ticket {} closed by {}", ticket.number.tag(), self.sender.email));
                }
                Ok(Command::Route(name)) => self.route(&mut ticket, &mut entries, name)?,
                Err(line) => self.note(format!("`{line}`: #route needs a department's name")),
            }
        }
        let to_customer = cx.msg.to.iter().chain(&cx.msg.cc).any(|a| a.is(&ticket.customer));
        if commands.is_empty() && !to_customer {
            self.note(format!(
                "ticket {}: {} wrote without the customer among the recipients: kept as an internal note, \
                 the ticket still waits for an answer",
                ticket.number.tag(),
                self.sender.email
            ));
        } else if commands.is_empty() {
            ticket.state = TicketState::Answered;
            ticket.answered_at = Some(cx.now.timestamp());
            ticket.due_at = None;
            ticket.escalate_at = None;
            ticket.escalation = 0;
        }
        self.put(ticket, entries, false);
        Ok(())
    }

    /// `#route NAME`: the ticket goes to that department, which gets the customer's messages and the
    /// words the staff member wrote beside the command.
    fn route(
        &mut self,
        ticket: &mut Ticket,
        entries: &mut Vec<TicketEntry>,
        name: &str,
    ) -> Result<(), DeskError> {
        let departments = &self.cx.rules.office.departments;
        let Some((name, department)) = departments.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) else {
            let known: Vec<&str> = departments.keys().map(String::as_str).collect();
            self.note(format!("#route {name}: no such department (one of: {})", known.join(", ")));
            return Ok(());
        };
        self.note(format!("ticket {} routed to {name} by {}", ticket.number.tag(), self.sender.email));
        ticket.department = Some(name.clone());
        ticket.answered_at = None;
        self.wait_for_department(ticket);
        // The department is new to the ticket: it gets the whole of it, not only the command.
        let mut history = self.view.entries(ticket.number)?;
        history.extend(entries.iter().cloned());
        let note = words::beside_commands(self.new_text);
        let mail = compose::handover(self, ticket, name, department, note, &history)?;
        entries.push(self.sent(&mail, format!("ticket handed on to {name}")));
        self.outcome.effects.push(crate::effects::Effect::Send {
            kind: crate::effects::MailKind::Forward,
            rule: self.cx.rule.to_string(),
            mail,
        });
        Ok(())
    }

    /// The ticket waits for its department (or, without one, for anyone): due times from now, and the
    /// message forwarded to the department.
    fn hand_over(&mut self, ticket: &mut Ticket, entries: &mut Vec<TicketEntry>) -> Result<(), DeskError> {
        self.wait_for_department(ticket);
        self.pass_on(ticket, entries)
    }

    /// The ticket waits for its department, or without one for anyone: its state, and when an answer
    /// is due and the owners hear of it, counted from now in open hours.
    fn wait_for_department(&self, ticket: &mut Ticket) {
        let office = &self.cx.rules.office;
        ticket.escalation = 0;
        let at = |time| office.hours.after(office.timezone, self.cx.now, time).timestamp();
        let (response_time, escalate_after) =
            match ticket.department.as_ref().and_then(|name| office.departments.get(name)) {
                Some(department) => {
                    ticket.state = TicketState::Waiting;
                    (department.response_time, department.escalate_after)
                }
                // Nobody has it yet: the owners hear of it when the office's usual answer time passes.
                None => {
                    ticket.state = TicketState::New;
                    (DEFAULT_RESPONSE_TIME, DEFAULT_RESPONSE_TIME.saturating_mul(2))
                }
            };
        ticket.due_at = Some(at(response_time));
        ticket.escalate_at = Some(at(escalate_after));
    }

    /// Forwards the message to the ticket's department, unless it was written to the department (or
    /// its staff) as well and they have it already.
    fn pass_on(&mut self, ticket: &Ticket, entries: &mut Vec<TicketEntry>) -> Result<(), DeskError> {
        let office = &self.cx.rules.office;
        let Some((name, department)) =
            ticket.department.as_ref().and_then(|name| office.departments.get_key_value(name))
        else {
            return Ok(());
        };
        let msg = self.cx.msg;
        // A colleague's own address among the recipients (the one who answered, copied back) means
        // the department has it; another department's or the owner's address does not.
        let copied = msg
            .to
            .iter()
            .chain(&msg.cc)
            .any(|a| a.is(&department.address) || (self.is_staff(&a.email) && !office.is_own(&a.email)));
        if copied {
            self.note(format!(
                "ticket {}: not forwarded, {name} is among its recipients",
                ticket.number.tag()
            ));
            return Ok(());
        }
        let mail = compose::forward(self, ticket, name, department)?;
        entries.push(self.sent(&mail, format!("forwarded to {name}")));
        self.outcome.effects.push(crate::effects::Effect::Send {
            kind: crate::effects::MailKind::Forward,
            rule: self.cx.rule.to_string(),
            mail,
        });
        Ok(())
    }

    /// Answers a new ticket with the rule's `answer`; false when the answer may not go (the ticket
    /// then waits for its department).
    fn answer(
        &mut self,
        ticket: &mut Ticket,
        entries: &mut Vec<TicketEntry>,
        template: &str,
        history: &mut dyn ReplyHistory,
    ) -> Result<bool, DeskError> {
        let template = self.in_language(template, &ticket.language);
        let Some(mail) = self.auto_reply(ticket, compose::Written::Template(template), "answer", history)?
        else {
            return Ok(false);
        };
        ticket.state = TicketState::Answered;
        ticket.answered_at = Some(self.cx.now.timestamp());
        ticket.acknowledged = true;
        entries.push(self.sent(&mail, crate::tickets::ANSWER_ENTRY.into()));
        Ok(true)
    }

    /// Tells the customer their ticket's number and when to expect an answer: once per ticket.
    fn acknowledge(
        &mut self,
        ticket: &mut Ticket,
        entries: &mut Vec<TicketEntry>,
        history: &mut dyn ReplyHistory,
    ) -> Result<(), DeskError> {
        let written = match self.acknowledgment_template() {
            Some(name) => compose::Written::Template(self.in_language(&name, &ticket.language)),
            None => compose::Written::Acknowledgment,
        };
        if let Some(mail) = self.auto_reply(ticket, written, "acknowledgment", history)? {
            ticket.acknowledged = true;
            entries.push(self.sent(&mail, "acknowledgment".into()));
        }
        Ok(())
    }

    /// An automatic answer to the customer, with the guard and the reply limit applied; `None` (with
    /// a note) when it may not go.
    fn auto_reply(
        &mut self,
        ticket: &Ticket,
        written: compose::Written,
        what: &str,
        history: &mut dyn ReplyHistory,
    ) -> Result<Option<crate::mail::compose::OutboundMail>, DeskError> {
        let cx = self.cx;
        let tag = ticket.number.tag();
        if !self.held_back.is_empty() {
            self.note(format!("ticket {tag}: no {what}: {}", self.held_back.join("; ")));
            return Ok(None);
        }
        let Some(target) = cx.msg.reply_target().map(str::to_owned) else {
            self.note(format!("ticket {tag}: no {what}: the message has no address to reply to"));
            return Ok(None);
        };
        let limit = cx.rules.office.replies.limit;
        if let Some(why) = crate::actions::rate_limited(cx.rule, &target, limit, history, cx.now)? {
            self.note(format!("ticket {tag}: no {what}: {why}"));
            return Ok(None);
        }
        let mail = compose::reply(self, ticket, &target, written, what)?;
        history.note_reply(&target, cx.rule, cx.now.timestamp());
        self.outcome.effects.push(crate::effects::Effect::Send {
            kind: crate::effects::MailKind::Reply,
            rule: cx.rule.to_string(),
            mail: mail.clone(),
        });
        self.outcome
            .effects
            .push(crate::effects::Effect::NoteReply { sender: target, rule: cx.rule.to_string() });
        Ok(Some(mail))
    }

    /// The template of acknowledgments: `[tickets] acknowledgment`, else `acknowledgment` when the
    /// office has it; `None` for clerk's own text.
    fn acknowledgment_template(&self) -> Option<String> {
        let rules = self.cx.rules;
        rules.office.tickets.acknowledgment.clone().or_else(|| {
            let default = crate::office::departments::DEFAULT_ACKNOWLEDGMENT;
            (rules.templates.contains(default) || !self.offered_languages(default).is_empty())
                .then(|| default.to_owned())
        })
    }

    /// The languages `name` has translations in (`name.it`, `name.en`), plus the office's language
    /// when `name` itself exists.
    fn offered_languages(&self, name: &str) -> Vec<String> {
        let rules = self.cx.rules;
        let mut offered: Vec<String> = rules
            .templates
            .names()
            .into_iter()
            .filter_map(|n| n.strip_prefix(name)?.strip_prefix('.'))
            .filter(|code| crate::language::is_known(code))
            .map(str::to_owned)
            .collect();
        if rules.templates.contains(name) && !offered.contains(&rules.office.language) {
            offered.push(rules.office.language.clone());
        }
        offered
    }

    /// `name.LANG` when the office has it, else `name`.
    fn in_language(&self, name: &str, language: &str) -> String {
        let translated = format!("{name}.{language}");
        if self.cx.rules.templates.contains(&translated) { translated } else { name.to_owned() }
    }

    /// The incoming message as an entry of its ticket.
    fn incoming(&self, role: Role) -> TicketEntry {
        let msg = self.cx.msg;
        TicketEntry {
            message_id: msg.message_id.clone().unwrap_or_else(|| format!("content:{}", self.cx.content_hash)),
            role,
            author: self.sender.email.to_lowercase(),
            at: self.cx.now.timestamp(),
            text: self.new_text.trim().to_owned(),
        }
    }

    /// Mail clerk sends as an entry of its ticket, so replies to it find the ticket.
    fn sent(&self, mail: &crate::mail::compose::OutboundMail, what: String) -> TicketEntry {
        TicketEntry {
            message_id: mail.message_id.clone(),
            role: Role::Clerk,
            author: mail.recipients.join(", "),
            at: self.cx.now.timestamp(),
            text: what,
        }
    }

    /// Records the ticket as it now is; `opened` when this message opened it.
    fn put(&mut self, ticket: Ticket, entries: Vec<TicketEntry>, opened: bool) {
        let change = TicketChange { ticket, entries, opened };
        self.outcome.effects.push(crate::effects::Effect::Ticket(Box::new(change)));
    }

    fn note(&mut self, note: String) {
        self.outcome.notes.push(format!("inquiry desk: {note}"));
    }
}
