//! Proposals: the numbered free times clerk offered someone who asked to meet without a time that
//! could be booked. Held for the thread until a reply chooses one, or they expire; a proposal left
//! unanswered is followed up once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
    /// Whom else the request named (To, Cc, addresses in the text, names found in the office's
    /// directory), invited too.
    pub participants: Vec<Party>,
    /// What the request named that invites no one: said again when a time is chosen, as it was
    /// when the times were offered.
    pub left_out: LeftOut,
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

/// What a request named that the office invites no one for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// Addresses a stranger named that the office does not write to.
    pub addresses: Vec<String>,
    /// Names written that no one of the office has.
    pub unknown: Vec<String>,
    /// Names written that several of the office's people have.
    pub ambiguous: Vec<Ambiguous>,
}

/// A name several people of the office have: nobody is invited for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ambiguous {
    /// The name as the request wrote it.
    pub written: String,
    /// Their full names, as the office's directory writes them.
    pub candidates: Vec<String>,
}

/// A new time an attendee proposed (iTIP COUNTER) for a meeting the office organises, put to the
/// calendar's owner in a note and held until she answers it: "yes" moves the meeting there, "no"
/// declines the proposal, "move it to …" moves it to the time she names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    /// The Message-ID of clerk's note to the owner: her answer names it in In-Reply-To or References.
    pub message_id: String,
    /// Written in the note's subject (`[NT-1a2b3c4d]`), so that an answer whose program dropped the
    /// thread still finds its question.
    pub reference: String,
    /// The calendar the meeting is in.
    pub calendar: String,
    /// The meeting's UID.
    pub uid: String,
    /// The meeting's SEQUENCE when the owner was asked: an answer after the meeting changed again is
    /// not applied to the changed meeting.
    pub sequence: i64,
    /// Who proposed the new time, and is told the outcome.
    pub proposer: Party,
    /// The time proposed.
    pub slot: Slot,
}

impl Counter {
    /// The reference of the question sent as `message_id`: "NT-" and eight hex digits of its hash.
    pub fn reference_of(message_id: &str) -> String {
        format!("NT-{}", crate::digest::sha256_hex_prefix(message_id.as_bytes(), 4))
    }

    /// The reference a subject carries (`[NT-1a2b3c4d]`), if any.
    pub fn reference_in(subject: &str) -> Option<String> {
        let start = subject.find("[NT-")?;
        let digits = subject.get(start + 4..start + 12)?;
        let closed = subject.get(start + 12..start + 13) == Some("]");
        (closed && digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| format!("NT-{}", digits.to_ascii_lowercase()))
    }
}

#[cfg(test)]
mod tests {
    use super::Counter;

    #[test]
    fn a_questions_reference_is_found_in_the_subject_of_an_answer() {
        let reference = Counter::reference_of("abc@office.example");
        assert!(reference.starts_with("NT-") && reference.len() == 11, "{reference}");
        let subject = format!("Re: R: New time proposed: Budget review [{reference}]");
        assert_eq!(Counter::reference_in(&subject), Some(reference));
        assert_eq!(Counter::reference_in("Re: New time proposed [NT-12]"), None);
        assert_eq!(Counter::reference_in("[NT-zzzzzzzz]"), None);
        assert_eq!(Counter::reference_in("Re: Budget review"), None);
    }
}
