//! `clerk tickets` and `clerk ticket N`: the tickets as the office reads them on the command line.

use std::fmt::Write;

use crate::office::Office;
use crate::store::{Store, StoreError};
use crate::tickets::{Role, Ticket, TicketNumber};

/// Why `clerk ticket N` cannot show a ticket.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("`{0}` is not a ticket number (write it as 1042-9, or 1042)")]
    NotANumber(String),
    #[error("{written}: the check digit is wrong; did you mean {right}?")]
    WrongCheckDigit { written: String, right: TicketNumber },
    #[error("there is no ticket {0}")]
    NoSuchTicket(TicketNumber),
}

/// Reads a ticket number as people write it: `1042-9`, `#1042-9`, `[#1042-9]`, or `1042` without its
/// check digit. A wrong check digit is refused, with the number it probably meant.
pub fn parse_number(written: &str) -> Result<TicketNumber, ReportError> {
    let bare = written.trim().trim_start_matches('[').trim_end_matches(']').trim_start_matches('#');
    let (digits, check) = match bare.split_once('-') {
        Some((digits, check)) => (digits, Some(check)),
        None => (bare, None),
    };
    let number = digits.parse().map(TicketNumber).map_err(|_| ReportError::NotANumber(written.to_owned()))?;
    match check.map(str::parse::<u8>) {
        None => Ok(number),
        Some(Ok(check)) if check == number.check_digit() => Ok(number),
        Some(Ok(_)) => Err(ReportError::WrongCheckDigit { written: written.to_owned(), right: number }),
        Some(Err(_)) => Err(ReportError::NotANumber(written.to_owned())),
    }
}

/// One line per ticket, newest first: the open ones only with `open_only`, of one department or all.
pub fn list(
    store: &Store,
    office: &Office,
    open_only: bool,
    department: Option<&str>,
    now: i64,
) -> Result<String, StoreError> {
    let tickets = store.tickets(open_only, department)?;
    let mut out = String::new();
    if tickets.is_empty() {
        let which = if open_only { "open tickets" } else { "tickets" };
        let of = department.map(|d| format!(" for {d}")).unwrap_or_default();
        let _ = writeln!(out, "No {which}{of}.");
        return Ok(out);
    }
    for ticket in &tickets {
        let _ = writeln!(out, "{}", line(ticket, office, now));
    }
    let open = tickets.iter().filter(|t| t.state.is_open()).count();
    let _ = writeln!(out, "\n{} ticket(s), {open} waiting for an answer.", tickets.len());
    Ok(out)
}

/// `[#1042-9] waiting   front-desk  high    anna@example.com  "Invoice copy"  opened 2 h ago, due …`
fn line(ticket: &Ticket, office: &Office, now: i64) -> String {
    let local = |t: i64| crate::units::local_time(office.timezone, t, "%a %-d %b %H:%M").unwrap_or_default();
    let mut line = format!(
        "{:<11} {:<9} {:<12} {:<7} {:<28} \"{}\"  opened {} ago",
        ticket.number.tag(),
        ticket.state.as_str(),
        ticket.department.as_deref().unwrap_or("-"),
        ticket.priority.name(),
        ticket.customer,
        ticket.subject,
        crate::units::humanize_roughly(now - ticket.opened_at)
    );
    if ticket.state.is_open()
        && let Some(due) = ticket.due_at
    {
        let late = if due < now { " (overdue)" } else { "" };
        let _ = write!(line, ", due {}{late}", local(due));
    }
    line
}

/// The whole ticket: its state, then every message oldest first.
pub fn thread(store: &Store, office: &Office, number: TicketNumber, now: i64) -> Result<String, ReportError> {
    let ticket = store.ticket(number)?.ok_or(ReportError::NoSuchTicket(number))?;
    let local =
        |t: i64| crate::units::local_time(office.timezone, t, "%a %-d %b %Y %H:%M").unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(out, "Ticket {} \"{}\"", ticket.number.tag(), ticket.subject);
    let customer = match &ticket.customer_name {
        Some(name) => format!("{name} <{}>", ticket.customer),
        None => ticket.customer.clone(),
    };
    let _ = writeln!(out, "  from        {customer} (writes in {})", ticket.language);
    let _ = writeln!(out, "  state       {}", ticket.state.as_str());
    let _ = writeln!(out, "  department  {}", ticket.department.as_deref().unwrap_or("none"));
    let _ = writeln!(out, "  priority    {}", ticket.priority.name());
    let _ = writeln!(
        out,
        "  opened      {} ({} ago)",
        local(ticket.opened_at),
        crate::units::humanize_roughly(now - ticket.opened_at)
    );
    if let Some(due) = ticket.due_at.filter(|_| ticket.state.is_open()) {
        let late = if due < now { ", overdue" } else { "" };
        let _ = writeln!(out, "  answer due  {}{late}", local(due));
    }
    if let Some(answered) = ticket.answered_at {
        let _ = writeln!(out, "  answered    {}", local(answered));
    }
    for entry in store.ticket_entries(number)? {
        let who = match entry.role {
            Role::Customer => format!("{} (customer)", entry.author),
            Role::Staff => format!("{} (staff)", entry.author),
            Role::Clerk => format!("clerk to {}", entry.author),
        };
        let _ = writeln!(out, "\n--- {}  {who}", local(entry.at));
        for text_line in entry.text.lines() {
            let _ = writeln!(out, "{}", format!("    {text_line}").trim_end());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_people_write_them() {
        let n = TicketNumber(1042);
        let written = n.to_string();
        for text in [written.clone(), format!("#{written}"), n.tag(), "1042".into()] {
            assert_eq!(parse_number(&text).unwrap(), n, "{text}");
        }
    }

    #[test]
    fn a_wrong_check_digit_is_refused_with_the_number_meant() {
        let wrong = (TicketNumber(1042).check_digit() + 1) % 10;
        let error = parse_number(&format!("1042-{wrong}")).unwrap_err().to_string();
        assert!(error.contains(&format!("did you mean {}", TicketNumber(1042))), "{error}");
        assert!(parse_number("soon").unwrap_err().to_string().contains("not a ticket number"));
    }
}
