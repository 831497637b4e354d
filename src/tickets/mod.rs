//! Tickets: the conversations of the inquiry desk. A ticket is one customer's question from the first
//! message to the last answer: who asked, which department has it, how urgent it is, where it stands,
//! and every message of it (the customer's, the staff's and clerk's own).
//!
//! This module holds the plain data; the desk (`desks::inquiry`) decides what happens to it, and the
//! store keeps it, in the transaction of the message that changed it.

pub mod number;
mod priority;
pub mod words;

use serde::Serialize;

pub use number::TicketNumber;
pub use priority::Priority;

/// What clerk's own answer is recorded as among a ticket's messages (counted in the digest).
pub const ANSWER_ENTRY: &str = "answer";

/// The first ticket an office opens; numbers below it would look like typos of small numbers.
pub const FIRST_NUMBER: u32 = 1001;

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TicketState {
    /// Opened, and no department to hand it to: a person must pick it up from `clerk tickets`.
    New,
    /// With a department, waiting for the staff's answer.
    Waiting,
    /// Answered, by clerk (`answer`) or by the staff; a reply from the customer reopens it.
    Answered,
    /// Closed by the staff (`#close`); a later reply from the customer opens a new ticket.
    Closed,
}

impl TicketState {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::New => "new",
            TicketState::Waiting => "waiting",
            TicketState::Answered => "answered",
            TicketState::Closed => "closed",
        }
    }

    /// The state stored under `name`.
    pub fn from_name(name: &str) -> Option<TicketState> {
        match name {
            "new" => Some(TicketState::New),
            "waiting" => Some(TicketState::Waiting),
            "answered" => Some(TicketState::Answered),
            "closed" => Some(TicketState::Closed),
            _ => None,
        }
    }

    /// Whether someone still owes the customer an answer.
    pub fn is_open(self) -> bool {
        matches!(self, TicketState::New | TicketState::Waiting)
    }
}

/// One ticket as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    pub number: TicketNumber,
    pub state: TicketState,
    /// The customer's address, lower-case: where answers go, and who may name the ticket by its tag.
    pub customer: String,
    pub customer_name: Option<String>,
    /// The department that has it, if any.
    pub department: Option<String>,
    pub priority: Priority,
    /// The subject of the first message, as the customer wrote it.
    pub subject: String,
    /// The language the customer writes in (`en`, `it`, …), which answers are chosen by.
    pub language: String,
    /// Unix seconds.
    pub opened_at: i64,
    pub updated_at: i64,
    /// When an answer is due (the department's response time in open hours), while one is owed.
    pub due_at: Option<i64>,
    /// When the owners hear of it too, while an answer is owed.
    pub escalate_at: Option<i64>,
    pub answered_at: Option<i64>,
    /// Whether the customer has had the acknowledgment (or an answer): one per ticket.
    pub acknowledged: bool,
    /// How far the `escalate` job has gone since the ticket last waited: 0 nothing, 1 the department
    /// was reminded, 2 the owners were told.
    pub escalation: u8,
    /// The customer's one-word rating of the answer, if they gave one.
    pub rating: Option<words::Rating>,
    /// When it was given (unix seconds), so the digest counts it once.
    pub rated_at: Option<i64>,
}

/// Who wrote a message of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Staff,
    /// clerk's own mail: acknowledgments, answers, forwards to departments.
    Clerk,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Staff => "staff",
            Role::Clerk => "clerk",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        match name {
            "customer" => Some(Role::Customer),
            "staff" => Some(Role::Staff),
            "clerk" => Some(Role::Clerk),
            _ => None,
        }
    }
}

/// A message of a ticket. Its Message-ID is how replies find the ticket again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketEntry {
    pub message_id: String,
    pub role: Role,
    /// The writer's address (clerk's own mail: its recipients).
    pub author: String,
    /// Unix seconds.
    pub at: i64,
    /// What the message says that is new: the quoted history and signature split off. For clerk's own
    /// mail, what it was ("acknowledgment", "forward to sales").
    pub text: String,
}

/// What handling one message changes in one ticket: its new state and the messages to add. Applied
/// in the message's transaction, so a ticket never records a message that was not journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketChange {
    pub ticket: Ticket,
    pub entries: Vec<TicketEntry>,
    /// This change opens the ticket: its number is new, and the store refuses it if the number is
    /// taken rather than write one ticket over another.
    pub opened: bool,
}
