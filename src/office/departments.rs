//! The inquiry desk's part of office.toml: the departments tickets go to, with the answer time each
//! promises, the office's opening hours those times are counted in, and `[tickets]`.
//!
//! ```toml
//! [office]
//! hours.mon = "09:00-13:00, 14:30-18:30"   # mon … sun, as for a calendar; default Mon-Fri 09:00-17:00
//!
//! [departments]
//! front-desk = "info@office.example"        # an address: an answer is promised within 8 open hours
//! sales = { address = "sales@office.example", response_time = "4h", escalate_after = "8h" }
//!
//! [tickets]
//! acknowledgment = "ticket-ack"             # its template (default: templates/acknowledgment.txt
//!                                           #   when there is one, else clerk's own text)
//! reopen_within = "30d"                     # a customer's reply reopens an answered ticket this long
//! staff = ["*@office.example"]              # who answers tickets (default: the assistant's domain)
//! ```
//!
//! Response times count open hours only: four hours after Friday 16:00 in a 09:00-17:00 office is
//! Monday 12:00. Past `response_time` the `escalate` job reminds the department; past `escalate_after`
//! (default: twice the response time) it tells the owners too.

use std::collections::BTreeMap;
use std::time::Duration;

use super::duration;
use crate::calendar::hours::WorkingHours;
use crate::mail::pattern::Glob;
use crate::toml_doc::{Item, Table};

/// How soon a department answers unless it says otherwise: one working day of 09:00-17:00.
pub const DEFAULT_RESPONSE_TIME: Duration = Duration::from_secs(8 * 3600);

/// The template an acknowledgment is written with when `[tickets]` names none and it exists.
pub const DEFAULT_ACKNOWLEDGMENT: &str = "acknowledgment";

/// How long an answered ticket can be reopened by the customer's reply unless `[tickets]` says
/// otherwise; a later reply opens a new ticket.
pub const DEFAULT_REOPEN_WITHIN: Duration = Duration::from_secs(30 * 86_400);

/// A department tickets are handed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    /// Where its tickets are forwarded.
    pub address: String,
    /// The answer time it promises, in the office's open hours.
    pub response_time: Duration,
    /// Open hours after which an unanswered ticket is reported to the owners as well.
    pub escalate_after: Duration,
}

/// `[tickets]`: how the inquiry desk keeps conversations.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketPolicy {
    /// The template a new ticket is acknowledged with, when office.toml names one.
    pub acknowledgment: Option<String>,
    /// How long after an answer the customer's reply reopens the ticket.
    pub reopen_within: Duration,
    /// Who answers tickets: their replies mark a ticket answered and may carry `#route`/`#close`.
    /// Empty means the assistant's own domain.
    pub staff: Vec<Glob>,
}

impl Default for TicketPolicy {
    fn default() -> Self {
        TicketPolicy { acknowledgment: None, reopen_within: DEFAULT_REOPEN_WITHIN, staff: Vec::new() }
    }
}

/// Reads `[departments]`: each entry an address, or a table with `address` and its times.
pub(super) fn parse_departments(table: &Table<'_, '_>) -> Option<BTreeMap<String, Department>> {
    let mut departments = BTreeMap::new();
    let mut ok = true;
    for (name, item) in table.entries() {
        match department(table, &item) {
            Some(department) => {
                departments.insert(name.get_ref().to_string(), department);
            }
            None => ok = false,
        }
    }
    ok.then_some(departments)
}

fn department(parent: &Table<'_, '_>, item: &Item<'_, '_>) -> Option<Department> {
    if let Some(address) = item.as_str() {
        let address = super::checked_address(parent.doc(), address, item.span())?;
        return Some(Department {
            address,
            response_time: DEFAULT_RESPONSE_TIME,
            escalate_after: DEFAULT_RESPONSE_TIME.saturating_mul(2),
        });
    }
    let Some(table) = item.as_table() else {
        item.type_error("an address, or a table with `address` and `response_time`");
        return None;
    };
    let address = super::address(&table, "address");
    let response_time = table.get("response_time").map_or(Some(DEFAULT_RESPONSE_TIME), |i| duration(&i));
    let escalate_after = table.get("escalate_after").map(|i| (duration(&i), i));
    let (address, response_time) = (address?, response_time?);
    let escalate_after = match escalate_after {
        None => response_time.saturating_mul(2),
        Some((escalate_after, item)) => {
            let escalate_after = escalate_after?;
            if escalate_after < response_time {
                item.error("`escalate_after` comes before `response_time`: the owners would hear first");
                return None;
            }
            escalate_after
        }
    };
    Some(Department { address, response_time, escalate_after })
}

/// Reads `[tickets]`.
pub(super) fn parse_tickets(table: &Table<'_, '_>) -> Option<TicketPolicy> {
    let defaults = TicketPolicy::default();
    let acknowledgment = match table.get("acknowledgment") {
        Some(item) => item.expect_str().map(|name| Some(name.to_owned())),
        None => Some(defaults.acknowledgment),
    };
    let reopen_within = table.get("reopen_within").map_or(Some(defaults.reopen_within), |i| duration(&i));
    let staff = match table.get("staff") {
        Some(item) => item.strings().and_then(|patterns| {
            let parsed: Vec<Option<Glob>> = patterns
                .iter()
                .map(|p| match Glob::new(p.get_ref()) {
                    Ok(pattern) => Some(pattern),
                    Err(e) => {
                        table.doc().error(p.span(), format!("`staff`: {e}"));
                        None
                    }
                })
                .collect();
            parsed.into_iter().collect::<Option<Vec<_>>>()
        }),
        None => Some(Vec::new()),
    };
    Some(TicketPolicy { acknowledgment: acknowledgment?, reopen_within: reopen_within?, staff: staff? })
}

/// Reads `hours` of `[office]`: the opening hours answer times are counted in.
pub(super) fn office_hours(office: &Table<'_, '_>) -> Option<WorkingHours> {
    let Some(item) = office.get("hours") else { return Some(WorkingHours::default()) };
    let days = item.expect_table()?;
    super::calendars::working_hours(&days, "no answer could ever be promised")
}
