//! The `escalate` job: nothing waits unanswered. A ticket still owed an answer past its due time (the
//! department's response time, in open hours) gets one reminder to its department; past its
//! `escalate_after` the owners hear of it too. Once each: the level reached is kept on the ticket, and
//! a reminder's Message-ID comes from the ticket, the level and the due time, so the outbox takes it
//! once however often the job runs, and a ticket that is answered and waits again is reminded anew.
//! The words are the letters `office/escalation` and `office/escalation-subject` (see
//! [`crate::letters`]), in the office's language.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tracing::warn;

use crate::language::Language;
use crate::mail::compose::{self, Identity, Notice, OutboundMail, html_document};
use crate::mail::message::Address;
use crate::rules::{RuleSet, Schedule, TemplateError};
use crate::store::{Store, StoreError};
use crate::tickets::{Role, Ticket, TicketNumber};

/// A reminder to queue, and the level it takes its ticket to.
pub struct Due {
    pub mail: OutboundMail,
    pub ticket: TicketNumber,
    pub level: u8,
}

/// The department reminded.
const DEPARTMENT: u8 = 1;
/// The owners told.
const OWNERS: u8 = 2;

/// The reminders due at `now`, for every ticket still owed an answer.
pub fn due(
    rules: &RuleSet,
    store: &Store,
    job: &Schedule,
    now: DateTime<Utc>,
) -> Result<Escalations, StoreError> {
    let now_ts = now.timestamp();
    let mut due = Vec::new();
    let mut skipped = Vec::new();
    for ticket in store.tickets(true, None)? {
        let past = |at: Option<i64>| at.is_some_and(|at| at <= now_ts);
        // Without a department the first reminder already goes to the owners: there is no second.
        let no_department = ticket.department.is_none();
        let level = if past(ticket.escalate_at) && ticket.escalation < OWNERS {
            OWNERS
        } else if past(ticket.due_at) && ticket.escalation < DEPARTMENT {
            if no_department { OWNERS } else { DEPARTMENT }
        } else {
            continue;
        };
        let last_words = store
            .ticket_entries(ticket.number)?
            .into_iter()
            .rev()
            .find(|e| e.role == Role::Customer)
            .map(|e| e.text)
            .unwrap_or_default();
        match reminder(rules, &ticket, level, &last_words, now) {
            Some(Ok(mail)) => due.push(Due { mail, ticket: ticket.number, level }),
            // Logged once: the level is still recorded, so the same warning does not come every run.
            Some(Err(e)) => {
                warn!(schedule = %job.name, ticket = %ticket.number, error = %e, "escalate: cannot compose");
                skipped.push((ticket.number, level));
            }
            None => {
                warn!(schedule = %job.name, ticket = %ticket.number, "escalate: nobody to remind");
                skipped.push((ticket.number, level));
            }
        }
    }
    Ok(Escalations { due, skipped })
}

/// What a run of the job found: reminders to queue, and levels reached without one (nobody to write
/// to, or it could not be composed), to record all the same.
pub struct Escalations {
    pub due: Vec<Due>,
    pub skipped: Vec<(TicketNumber, u8)>,
}

/// Why a reminder could not be written.
#[derive(Debug, thiserror::Error)]
enum Unwritten {
    #[error("{0}")]
    Letter(#[from] TemplateError),
    #[error("{0}")]
    Compose(#[from] compose::ComposeError),
}

/// What an escalation (the letters `office/escalation`, `office/escalation-subject`) is written from.
#[derive(Serialize)]
struct Escalation<'a> {
    /// The owners are told (past `escalate_after`, or a ticket without a department), rather than the
    /// department reminded.
    owners: bool,
    /// The ticket's tag, `[#1001-9]`.
    tag: String,
    /// The ticket's number, `1001-9`, as `clerk ticket` takes it.
    number: String,
    /// The subject of the customer's first message.
    subject: &'a str,
    /// The customer: `Anna Example <anna@example.com>`, or the address alone.
    customer: String,
    /// The customer's address.
    customer_address: &'a str,
    /// When the ticket opened, in the office's language and time zone ("Mon 23 Nov 2026 09:30").
    opened: String,
    /// When an answer was due, written the same way; empty when none was promised.
    due: String,
    /// The department that has the ticket; none when it has none (or one the office no longer has).
    department: Option<&'a str>,
    /// low, normal, high or urgent.
    priority: &'a str,
    /// The customer's last message, a line each without trailing spaces; empty when there is none.
    last_words: Vec<&'a str>,
    /// The assistant's address, to copy in.
    assistant: &'a str,
    /// Who signs: the assistant's name.
    signature: &'a str,
}

/// The reminder of `ticket` at `level`; `None` when there is nobody to send it to.
fn reminder(
    rules: &RuleSet,
    ticket: &Ticket,
    level: u8,
    last_words: &str,
    now: DateTime<Utc>,
) -> Option<Result<OutboundMail, Unwritten>> {
    let office = &rules.office;
    let department = ticket.department.as_ref().and_then(|name| office.departments.get_key_value(name));
    let owners =
        office.owners.iter().map(|o| Address { name: Some(o.name.clone()), email: o.address.clone() });
    let department_address =
        department.map(|(_, d)| Address { name: None, email: d.address.clone() }).into_iter();
    // Without a department, the owners are the ones who must pick the ticket up from the start.
    let to: Vec<Address> = match (level, department) {
        (DEPARTMENT, Some(_)) => department_address.collect(),
        _ => owners.chain(department_address).collect(),
    };
    if to.is_empty() {
        return None;
    }
    let language = Language::from_code(&office.language);
    let local = |t: i64| {
        DateTime::from_timestamp(t, 0)
            .map(|at| language.date(&at.with_timezone(&office.timezone), "%a %-d %b %Y %H:%M"))
            .unwrap_or_default()
    };
    let letter = Escalation {
        owners: level != DEPARTMENT,
        tag: ticket.number.tag(),
        number: ticket.number.to_string(),
        subject: &ticket.subject,
        customer: match &ticket.customer_name {
            Some(name) => format!("{name} <{}>", ticket.customer),
            None => ticket.customer.clone(),
        },
        customer_address: &ticket.customer,
        opened: local(ticket.opened_at),
        due: ticket.due_at.map(local).unwrap_or_default(),
        department: department.map(|(name, _)| name.as_str()),
        priority: ticket.priority.name(),
        last_words: last_words.lines().map(str::trim_end).collect(),
        assistant: &office.assistant.address,
        signature: &office.assistant.name,
    };
    Some(write(rules, ticket, level, to, &letter, language, now))
}

/// The reminder `letter` to `to`, in `language`.
fn write(
    rules: &RuleSet,
    ticket: &Ticket,
    level: u8,
    to: Vec<Address>,
    letter: &Escalation<'_>,
    language: Language,
    now: DateTime<Utc>,
) -> Result<OutboundMail, Unwritten> {
    let office = &rules.office;
    let text = rules.templates.letter("office/escalation", language, letter)?;
    let subject = rules.templates.letter("office/escalation-subject", language, letter)?;
    let identity =
        Identity { name: office.assistant.name.clone(), address: office.assistant.address.clone() };
    let seed = format!("escalate\0{}\0{level}\0{}", ticket.number, ticket.due_at.unwrap_or_default());
    let notice = Notice {
        from: &identity,
        to,
        subject,
        html: html_document(&text),
        text,
        message_id: compose::message_id(
            seed.as_bytes(),
            crate::mail::message::domain_of(&office.assistant.address),
        ),
        date: now,
        loop_header_value: office.assistant.address.clone(),
    };
    Ok(compose::notice(&notice)?)
}

#[cfg(test)]
mod tests;
