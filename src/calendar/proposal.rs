//! Proposals: the numbered free times clerk offered someone who asked to meet without a time that
//! could be booked. Held for the thread until a reply chooses one, or they expire; a proposal left
//! unanswered is followed up once.

use chrono::{DateTime, Utc};

use super::availability::Slot;
use super::ics::Party;
use crate::language::Language;

/// Times offered in one mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The Message-ID of clerk's mail that offered the times: a reply names it in In-Reply-To or
    /// References, which is how the choice finds its proposal.
    pub message_id: String,
    /// The calendar the meeting goes into.
    pub calendar: String,
    /// Who asked, and gets the invitation.
    pub requester: Party,
    /// Whom else the request named (To, Cc, addresses in the text), invited too.
    pub participants: Vec<Party>,
    pub summary: String,
    /// The times offered, in the order numbered (1, 2, 3).
    pub slots: Vec<Slot>,
    /// The language the request was written in, which the answers keep to.
    pub language: Language,
    /// After this, a choice is not taken (the times may be gone) and new times are offered.
    pub expires: DateTime<Utc>,
    /// The UID of a meeting already booked that the chosen time moves ("can we move it?").
    pub replaces: Option<String>,
    /// Whether the request asked for a room (to meet in person).
    pub room: bool,
}
