//! The inquiry desk's mail: answers and acknowledgments to the customer, with the ticket's tag in the
//! subject, and the forward of a ticket's message to its department.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::InquiryCase;
use crate::desks::DeskError;
use crate::mail::compose::{self, AutoSubmitted, Forward, ForwardMode, OutboundMail, Reply};
use crate::mail::message::Address;
use crate::office::departments::Department;
use crate::rules::TemplateContext;
use crate::rules::template::TicketContext;
use crate::tickets::Ticket;

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
        Written::Acknowledgment => acknowledgment(desk, ticket, &context),
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
        note: Some(forward_note(desk, ticket, name)),
        message_id: message_id(desk, ticket, &format!("forward\0{name}")),
        date: cx.now,
        loop_header_value: identity.address.clone(),
        subject: Some(tagged(&cx.msg.subject, ticket)),
        reply_to: Some(vec![customer, assistant]),
    })
    .map_err(|e| DeskError::Letter(format!("ticket {}: {e}", ticket.number.tag())))?;
    Ok(mail)
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
        .map(|at| when(at, office.timezone, &ticket.language))
        .unwrap_or_default();
    TicketContext {
        number: ticket.number.to_string(),
        tag: ticket.number.tag(),
        department: ticket.department.clone().unwrap_or_default(),
        due,
        priority: ticket.priority.name().to_owned(),
    }
}

/// clerk's own acknowledgment, in English or Italian.
fn acknowledgment(desk: &InquiryCase<'_>, ticket: &Ticket, context: &TemplateContext<'_>) -> String {
    let office = &desk.cx.rules.office;
    let italian = ticket.language == "it";
    let name = Some(context.message.from_name).filter(|n| !n.is_empty());
    let greeting = if italian {
        crate::language::Language::Italian.greeting(name)
    } else {
        crate::language::Language::English.greeting(name)
    };
    let due = context.ticket.as_ref().map(|t| t.due.clone()).unwrap_or_default();
    let tag = ticket.number.tag();
    let (received, expect) = if italian {
        (
            format!("abbiamo ricevuto il vostro messaggio e lo abbiamo registrato con il numero {tag}."),
            if due.is_empty() {
                "Un collega vi risponderà al più presto.".to_owned()
            } else {
                format!("Un collega vi risponderà entro {due}.")
            },
        )
    } else {
        (
            format!("thank you for your message. We have registered it as request {tag}."),
            if due.is_empty() {
                "A colleague will answer you as soon as possible.".to_owned()
            } else {
                format!("A colleague will answer you by {due}.")
            },
        )
    };
    let keep = if italian {
        "Se ci riscrivete, lasciate il numero nell'oggetto: così il messaggio arriva alla stessa pratica."
    } else {
        "If you write again, keep the number in the subject so that your message joins the same request."
    };
    format!("{greeting}\n\n{received} {expect}\n\n{keep}\n\n{}\n", office.assistant.name)
}

/// The note above a forwarded ticket message: what it is and how to answer it.
fn forward_note(desk: &InquiryCase<'_>, ticket: &Ticket, department: &str) -> String {
    let office = &desk.cx.rules.office;
    let customer = match &ticket.customer_name {
        Some(name) => format!("{name} <{}>", ticket.customer),
        None => ticket.customer.clone(),
    };
    let due = ticket
        .due_at
        .and_then(|at| DateTime::from_timestamp(at, 0))
        .map(|at| format!(" An answer is due by {}.", when(at, office.timezone, "en")))
        .unwrap_or_default();
    format!(
        "Ticket {} for {department}, from {customer}, {} priority.{due}\n\n\
         Answer with \"Reply all\": your answer goes to the customer, and the assistant records it.\n\
         To hand the ticket on, or close it, write to the assistant alone (take the customer out of the\n\
         recipients) with a first line of its own:\n\
         \x20 #route DEPARTMENT   (one of: {})\n\
         \x20 #close\n",
        ticket.number.tag(),
        ticket.priority.name(),
        office.departments.keys().cloned().collect::<Vec<_>>().join(", ")
    )
}

/// A moment in the office's words: "Monday 7 December at 12:00", "lunedì 7 dicembre alle 12:00".
pub(super) fn when(at: DateTime<Utc>, zone: Tz, language: &str) -> String {
    use crate::language::Language;
    let local = at.with_timezone(&zone);
    if language == "it" {
        Language::Italian.date(&local, "%A %-d %B alle %H:%M")
    } else {
        Language::English.date(&local, "%A %-d %B at %H:%M")
    }
}
