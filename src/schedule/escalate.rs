//! The `escalate` job: nothing waits unanswered. A ticket still owed an answer past its due time (the
//! department's response time, in open hours) gets one reminder to its department; past its
//! `escalate_after` the owners hear of it too. Once each: the level reached is kept on the ticket, and
//! a reminder's Message-ID comes from the ticket, the level and the due time, so the outbox takes it
//! once however often the job runs, and a ticket that is answered and waits again is reminded anew.

use chrono::{DateTime, Utc};
use tracing::warn;

use crate::mail::compose::{self, Identity, Notice, OutboundMail, html_document};
use crate::mail::message::Address;
use crate::rules::{RuleSet, Schedule};
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

/// The reminder of `ticket` at `level`; `None` when there is nobody to send it to.
fn reminder(
    rules: &RuleSet,
    ticket: &Ticket,
    level: u8,
    last_words: &str,
    now: DateTime<Utc>,
) -> Option<Result<OutboundMail, compose::ComposeError>> {
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
    let local =
        |t: i64| crate::units::local_time(office.timezone, t, "%a %-d %b %Y %H:%M").unwrap_or_default();
    let tag = ticket.number.tag();
    let customer = match &ticket.customer_name {
        Some(name) => format!("{name} <{}>", ticket.customer),
        None => ticket.customer.clone(),
    };
    let who = department.map_or_else(|| "nobody (no department)".to_owned(), |(name, _)| name.clone());
    let subject = match level {
        DEPARTMENT => format!("Waiting for an answer: {} {tag}", ticket.subject),
        _ => format!("Still unanswered: {} {tag}", ticket.subject),
    };
    let due = ticket.due_at.map(local).unwrap_or_default();
    let mut text = format!(
        "Ticket {tag} from {customer} has waited for an answer since {} (due {due}).\n\n\
         Subject:     {}\nDepartment:  {who}\nPriority:    {}\n",
        local(ticket.opened_at),
        ticket.subject,
        ticket.priority.name()
    );
    if !last_words.is_empty() {
        text.push_str("\nThe customer's last message:\n\n");
        for line in last_words.lines() {
            text.push_str(format!("  {line}").trim_end());
            text.push('\n');
        }
    }
    text.push_str(&format!(
        "\nAnswer the customer with \"Reply all\" to the forwarded ticket, or write to {} with {tag} in \
         the subject and {} in Cc. `clerk ticket {}` shows the whole conversation.\n\n{}\n",
        ticket.customer, office.assistant.address, ticket.number, office.assistant.name
    ));
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
    Some(compose::notice(&notice))
}

#[cfg(test)]
mod tests;
