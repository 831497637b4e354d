//! The inquiry desk's mail: answers and acknowledgments to the customer, with the ticket's tag in the
//! subject, the forward of a ticket's message to its department, and the whole ticket handed on to
//! another department by `#route`. clerk's own words are the letters `inquiry/acknowledgment`,
//! `inquiry/forward-note` and `inquiry/handover` (see [`crate::letters`]), which an office may rewrite.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::InquiryCase;
use crate::desks::DeskError;
use crate::language::Language;
use crate::mail::compose::{
    self, AutoSubmitted, Extras, Forward, ForwardMode, Identity, Notice, OutboundMail, Reply,
};
use crate::mail::message::Address;
use crate::office::departments::Department;
use crate::rules::template::TicketContext;
use crate::rules::{TemplateContext, TemplateError};
use crate::tickets::{Role, Ticket, TicketEntry};

/// What an answer to the customer says.
pub(super) enum Written {
    /// A template of the office's (already chosen for the ticket's language).
    Template(String),
    /// clerk's own acknowledgment, for an office without an acknowledgment template.
    Acknowledgment,
}

/// A reply to the customer: `what` (answer, acknowledgment) seeds its Message-ID.
pub(super) fn reply(
    desk: &InquiryCase<'_>,
    ticket: &Ticket,
    target: &str,
    written: Written,
    what: &str,
) -> Result<OutboundMail, DeskError> {
    let cx = desk.cx;
    let office = &cx.rules.office;
    let context = TemplateContext::new(cx.msg, office, cx.rule).with_ticket(ticket_context(desk, ticket));
    let body = match written {
        Written::Template(name) => cx.rules.templates.render(&name, &context)?,
        Written::Acknowledgment => acknowledgment(desk, ticket, &context)?,
    };
    let identity = crate::actions::identity(office);
    let mail = compose::reply(&Reply {
        original: cx.msg,
        from: &identity,
        to: Address { name: crate::actions::display_name_for(cx.msg, target), email: target.to_owned() },
        cc: Vec::new(),
        subject: tagged(&compose::reply_subject(&cx.msg.subject), ticket),
        body,
        message_id: message_id(desk, ticket, what),
        date: cx.now,
        auto_submitted: AutoSubmitted::AutoReplied,
        loop_header_value: identity.address.clone(),
    })
    .map_err(|e| DeskError::Letter(format!("ticket {}: {e}", ticket.number.tag())))?;
    Ok(mail)
}

/// The message forwarded to department `name`: inline with its attachments, tagged, and with
/// Reply-To the customer and the assistant, so the staff's answer reaches both.
pub(super) fn forward(
    desk: &InquiryCase<'_>,
    ticket: &Ticket,
    name: &str,
    department: &Department,
) -> Result<OutboundMail, DeskError> {
    let cx = desk.cx;
    let office = &cx.rules.office;
    let identity = crate::actions::identity(office);
    let customer = Address { name: ticket.customer_name.clone(), email: ticket.customer.clone() };
    let assistant =
        Address { name: Some(office.assistant.name.clone()), email: office.assistant.address.clone() };
    let mail = compose::forward(&Forward {
        original: cx.msg,
        original_raw: cx.raw,
        from: &identity,
        to: vec![Address { name: None, email: department.address.clone() }],
        mode: ForwardMode::Inline,
        note: Some(forward_note(desk, ticket, name)?),
        message_id: message_id(desk, ticket, &format!("forward\0{name}")),
        date: cx.now,
        loop_header_value: identity.address.clone(),
        subject: Some(tagged(&cx.msg.subject, ticket)),
        reply_to: Some(vec![customer, assistant]),
    })
    .map_err(|e| DeskError::Letter(format!("ticket {}: {e}", ticket.number.tag())))?;
    Ok(mail)
}

/// The whole ticket handed on to department `name` (`#route`): the note of who routed it, their words
/// beside the command, and the customer's messages so far, oldest first, as the store keeps them
/// (quotes and signatures split off). Reply-To the customer and the assistant, as a forward's.
pub(super) fn handover(
    desk: &InquiryCase<'_>,
    ticket: &Ticket,
    name: &str,
    department: &Department,
    note: &str,
    history: &[TicketEntry],
) -> Result<OutboundMail, DeskError> {
    let cx = desk.cx;
    let office = &cx.rules.office;
    let language = Language::from_code(&office.language);
    let customer = Address { name: ticket.customer_name.clone(), email: ticket.customer.clone() };
    let messages = history
        .iter()
        .filter(|entry| entry.role == Role::Customer)
        .map(|entry| HandedMessage {
            from: customer.to_string(),
            when: DateTime::from_timestamp(entry.at, 0)
                .map(|at| when(at, office.timezone, language))
                .unwrap_or_default(),
            text: entry.text.clone(),
        })
        .collect();
    let letter = Handover { routed_by: desk.sender.to_string(), department: name, note, messages };
    let rules = cx.rules;
    let text = format!(
        "{}\n\n{}",
        forward_note(desk, ticket, name)?.trim_end(),
        rules.templates.letter("inquiry/handover", language, &letter)?
    );
    let identity =
        Identity { name: office.assistant.name.clone(), address: office.assistant.address.clone() };
    let assistant =
        Address { name: Some(office.assistant.name.clone()), email: office.assistant.address.clone() };
    let notice = Notice {
        from: &identity,
        to: vec![Address { name: None, email: department.address.clone() }],
        subject: tagged(&ticket.subject, ticket),
        html: compose::html_document(&text),
        text,
        message_id: message_id(desk, ticket, &format!("route\0{name}")),
        date: cx.now,
        loop_header_value: office.assistant.address.clone(),
    };
    let extras = Extras { reply_to: vec![customer, assistant], ..Extras::default() };
    compose::letter(&notice, &extras)
        .map_err(|e| DeskError::Letter(format!("ticket {}: {e}", ticket.number.tag())))
}

/// What the letter `inquiry/handover` is written from.
#[derive(Serialize)]
struct Handover<'a> {
    /// The staff member who routed the ticket: `Mario Verdi <mario@office.example>`.
    routed_by: String,
    /// The department it goes to.
    department: &'a str,
    /// Their words beside the command; empty when they wrote none.
    note: &'a str,
    /// The customer's messages, oldest first.
    messages: Vec<HandedMessage>,
}

/// One of the customer's messages in a handover.
#[derive(Serialize)]
struct HandedMessage {
    /// `Anna Verdi <anna.verdi@example.com>`.
    from: String,
    /// When it came, in the office's language and time zone.
    when: String,
    /// What it says that is new.
    text: String,
}

/// `subject` with the ticket's tag at its end, once.
pub(super) fn tagged(subject: &str, ticket: &Ticket) -> String {
    if crate::tickets::TicketNumber::in_subject(subject) == Some(ticket.number) {
        return subject.trim().to_owned();
    }
    // An old ticket's tag (a reply to a closed ticket opens a new one) would make replies join it.
    let subject = crate::tickets::TicketNumber::without_tags(subject);
    if subject.is_empty() { ticket.number.tag() } else { format!("{subject} {}", ticket.number.tag()) }
}

fn message_id(desk: &InquiryCase<'_>, ticket: &Ticket, what: &str) -> String {
    let cx = desk.cx;
    let seed = format!("{}\0ticket\0{}\0{what}\0{}", cx.content_hash, ticket.number, cx.rule);
    compose::message_id(seed.as_bytes(), crate::mail::message::domain_of(&cx.rules.office.assistant.address))
}

/// `ticket` as templates see it.
fn ticket_context(desk: &InquiryCase<'_>, ticket: &Ticket) -> TicketContext {
    let office = &desk.cx.rules.office;
    let due = ticket
        .due_at
        .and_then(|at| DateTime::from_timestamp(at, 0))
        .map(|at| when(at, office.timezone, Language::from_code(&ticket.language)))
        .unwrap_or_default();
    TicketContext {
        number: ticket.number.to_string(),
        tag: ticket.number.tag(),
        department: ticket.department.clone().unwrap_or_default(),
        due,
        priority: ticket.priority.name().to_owned(),
    }
}

/// What clerk's own acknowledgment (the letter `inquiry/acknowledgment`) is written from.
#[derive(Serialize)]
struct Acknowledgment<'a> {
    /// Whom to: the sender's name (or their address's local part); none when there is no sender.
    name: Option<&'a str>,
    /// The ticket's tag, `[#1042-9]`.
    tag: String,
    /// When a colleague will answer, in the ticket's language and the office's time zone ("Monday 7
    /// December at 12:00"); none when no answer time is promised.
    due: Option<&'a str>,
    /// Who signs: the assistant's name.
    signature: &'a str,
}

/// clerk's own acknowledgment, in the ticket's language.
fn acknowledgment(
    desk: &InquiryCase<'_>,
    ticket: &Ticket,
    context: &TemplateContext<'_>,
) -> Result<String, TemplateError> {
    let rules = desk.cx.rules;
    let letter = Acknowledgment {
        name: Some(context.message.from_name).filter(|n| !n.is_empty()),
        tag: ticket.number.tag(),
        due: context.ticket.as_ref().map(|t| t.due.as_str()).filter(|due| !due.is_empty()),
        signature: &rules.office.assistant.name,
    };
    rules.templates.letter("inquiry/acknowledgment", Language::from_code(&ticket.language), &letter)
}

/// What the note above a forwarded ticket message (the letter `inquiry/forward-note`) is written from.
#[derive(Serialize)]
struct ForwardNote<'a> {
    /// The ticket's tag, `[#1042-9]`.
    tag: String,
    /// The department it is forwarded to.
    department: &'a str,
    /// The customer: `Anna Verdi <anna.verdi@example.com>`, or the address alone.
    customer: String,
    /// The ticket's priority: low, normal, high or urgent.
    priority: &'a str,
    /// When an answer is due, in the office's language and time zone ("Monday 7 December at 12:00");
    /// none when no answer time is promised.
    due: Option<String>,
    /// The departments the ticket can be routed to, by name.
    departments: Vec<&'a str>,
}

/// The note above a forwarded ticket message, in the office's language: what it is and how to answer
/// it.
fn forward_note(desk: &InquiryCase<'_>, ticket: &Ticket, department: &str) -> Result<String, TemplateError> {
    let rules = desk.cx.rules;
    let office = &rules.office;
    let language = Language::from_code(&office.language);
    let customer = match &ticket.customer_name {
        Some(name) => format!("{name} <{}>", ticket.customer),
        None => ticket.customer.clone(),
    };
    let letter = ForwardNote {
        tag: ticket.number.tag(),
        department,
        customer,
        priority: ticket.priority.name(),
        due: ticket
            .due_at
            .and_then(|at| DateTime::from_timestamp(at, 0))
            .map(|at| when(at, office.timezone, language)),
        departments: office.departments.keys().map(String::as_str).collect(),
    };
    rules.templates.letter("inquiry/forward-note", language, &letter)
}

/// A moment in the office's words: "Monday 7 December at 12:00", "lunedì 7 dicembre alle 12:00".
pub(super) fn when(at: DateTime<Utc>, zone: Tz, language: Language) -> String {
    let local = at.with_timezone(&zone);
    match language {
        Language::English => language.date(&local, "%A %-d %B at %H:%M"),
        Language::Italian => language.date(&local, "%A %-d %B alle %H:%M"),
    }
}
