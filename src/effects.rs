//! Effects: what handling one message (or, later, one scheduled job) changes in the world.
//!
//! Desks and the rule pipeline never act; they return effects. The store applies all effects of one
//! message in the same SQLite transaction that journals the message, and the outbox and mailbox updater
//! carry them out afterwards. That split is what makes processing exactly-once: a crash before the commit
//! redoes the message from scratch, a crash after it redoes nothing but the pending deliveries, which are
//! idempotent (deterministic Message-IDs, moves by UID).

use serde::Serialize;

use crate::calendar::event::Event;
use crate::mail::compose::OutboundMail;

/// Why clerk sends a message; kept in the outbox for `status` and the digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MailKind {
    Reply,
    Forward,
    /// Mail clerk starts on its own for the office (a scheduled digest, a note to a calendar's owner).
    Notice,
    /// An iMIP message: an answer to an invitation, or an invitation, update or cancellation.
    Calendar,
}

impl MailKind {
    /// The name stored in the outbox table.
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Reply => "reply",
            MailKind::Forward => "forward",
            MailKind::Notice => "notice",
            MailKind::Calendar => "calendar",
        }
    }
}

/// One change to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Queue this mail in the outbox.
    Send { kind: MailKind, rule: String, mail: OutboundMail },
    /// File the message into this folder (created if missing).
    Move { folder: String },
    /// Set these flags on the message (`\Seen`, `\Flagged`, `\Answered` or keywords).
    Flag { flags: Vec<String> },
    /// Remember that `rule` auto-replied to `sender` now, for the reply rate limit.
    NoteReply { sender: String, rule: String },
    /// Store this event of a calendar (new, moved, answered or cancelled), replacing the one with
    /// its calendar, UID and instance.
    PutEvent(Box<Event>),
    /// Hold these offered times for the thread until a reply chooses one.
    PutProposal(Box<crate::calendar::proposal::Proposal>),
    /// The proposal offered by this Message-ID is settled (chosen, or replaced by new times).
    CloseProposal { message_id: String },
    /// Hold this new time an attendee proposed until the calendar's owner answers the note put to her.
    PutCounter(Box<crate::calendar::proposal::Counter>),
    /// The owner answered the question sent as this Message-ID about a proposed new time.
    CloseCounter { message_id: String },
    /// Store this ticket as it now is, with the messages it gained.
    Ticket(Box<crate::tickets::TicketChange>),
    /// Change the supply cupboard: stock ledger rows, requests, purchase orders, threads, alerts.
    Supply(Box<crate::supply::SupplyChange>),
    /// Change the office's events: their readings, guests and conversations.
    Planning(Box<crate::planning::PlanningChange>),
    /// The offer sent as this Message-ID has had its follow-up (the `follow-ups` job), once.
    FollowedUp { message_id: String },
    /// The ticket was escalated to this level (the `escalate` job); a level is reached once.
    Escalated { ticket: crate::tickets::TicketNumber, level: u8 },
}
