//! A rule as loaded: its condition and what it asks clerk to do. These types are what desks, the
//! executor and `clerk explain` read; how they are written in TOML is `parse` and `actions`.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::tickets::Priority;

use super::condition::Condition;

/// One `[[rule]]`.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique across all rule files; journals and reply limits are keyed by it.
    pub name: String,
    /// The rule file and the line of its `[[rule]]`, for traces and messages.
    pub file: PathBuf,
    /// See `file`.
    pub line: usize,
    /// `when`; a rule without one matches every message.
    pub when: Condition,
    /// What the rule asks for when it matches.
    pub actions: Actions,
    /// `continue = true`: after this rule matches, later rules are still tried.
    pub continue_after: bool,
}

/// What a matching rule asks for. At least one of these is set: a rule that does nothing is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actions {
    /// `desk`: the desk that takes the message over.
    pub desk: Option<DeskCall>,
    /// `reply`: an automatic answer.
    pub reply: Option<Reply>,
    /// `forward`: copies to other addresses.
    pub forward: Option<Forward>,
    /// `move`: the IMAP folder to file the message in.
    pub move_to: Option<String>,
    /// `flag`: IMAP flags to set, in the order written.
    pub flags: Vec<Flag>,
}

/// `desk = "…"` with the desk's options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeskCall {
    /// Which desk.
    pub desk: Desk,
    /// `answer`: a template the desk may answer with (an FAQ answer).
    pub answer: Option<String>,
    /// `department`: a department of the office the desk routes to.
    pub department: Option<String>,
    /// `calendar`: which calendar the desk books into.
    pub calendar: Option<String>,
    /// `priority`: how urgently the desk should treat the mail; `None` when the rule does not say.
    pub priority: Option<Priority>,
    /// `on_conflict`: what the meeting desk does with an invitation for busy time.
    pub on_conflict: Option<OnConflict>,
    /// `accept_counter`: whether the meeting desk takes a new time an attendee proposes (COUNTER) by
    /// itself when the time is free, rather than passing it to the owner.
    pub accept_counter: Option<bool>,
}

impl DeskCall {
    /// A call of `desk` with none of its options, as clerk makes one when it hands a message of a
    /// desk's conversation to that desk whatever its rule said.
    pub fn plain(desk: Desk) -> DeskCall {
        DeskCall {
            desk,
            answer: None,
            department: None,
            calendar: None,
            priority: None,
            on_conflict: None,
            accept_counter: None,
        }
    }
}

/// What the meeting desk does with an invitation for time that is not free.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnConflict {
    /// Decline, naming up to three free times instead.
    #[default]
    Decline,
    /// Accept as tentative and tell the calendar's owner, who decides.
    Tentative,
}

impl OnConflict {
    pub const NAMES: [&str; 2] = ["decline", "tentative"];

    pub fn from_name(name: &str) -> Option<OnConflict> {
        match name {
            "decline" => Some(OnConflict::Decline),
            "tentative" => Some(OnConflict::Tentative),
            _ => None,
        }
    }
}

/// The desks that handle mail; each is a module under `desks/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Desk {
    /// Questions and requests: tickets, acknowledgments, FAQ answers, routing.
    Inquiry,
    /// Meeting requests and calendar invitations.
    Meeting,
    /// Supply orders.
    Supply,
    /// The office's events (a dinner, a workshop) asked for by its organisers.
    Event,
}

impl Desk {
    /// Every desk, for validation and suggestions.
    pub const ALL: [Desk; 4] = [Desk::Inquiry, Desk::Meeting, Desk::Supply, Desk::Event];

    /// The name used in rule files.
    pub fn name(self) -> &'static str {
        match self {
            Desk::Inquiry => "inquiry",
            Desk::Meeting => "meeting",
            Desk::Supply => "supply",
            Desk::Event => "event",
        }
    }

    /// The desk with this name in a rule file.
    pub fn from_name(name: &str) -> Option<Desk> {
        Desk::ALL.into_iter().find(|desk| desk.name() == name)
    }
}

impl fmt::Display for Desk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `reply`: an automatic answer to the sender, subject to the auto-reply guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The body template's name (`templates/<name>.txt`).
    pub template: String,
    /// A template for the subject; without one, the reply's subject is "Re: " and the original's.
    pub subject: Option<String>,
    /// Further recipients.
    pub cc: Vec<String>,
    /// A longer reply limit for this rule than the office's `[replies] limit`; a shorter one is a load
    /// warning and has no effect, since rules may only add restrictions.
    pub every: Option<Duration>,
}

/// `forward`: pass the message on to other addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    /// The addresses to forward to, at least one.
    pub to: Vec<String>,
    /// `mode`; attached unless the rule says `inline`.
    pub mode: ForwardMode,
    /// A template for a note above the forwarded message.
    pub note: Option<String>,
}

pub use crate::mail::compose::ForwardMode;

/// An IMAP flag to set on the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    /// `\Seen`: marked as read.
    Seen,
    /// `\Flagged`: starred for attention.
    Flagged,
    /// `\Answered`.
    Answered,
    /// A custom keyword (IMAP atom), such as `$Invoice` or `todo`.
    Keyword(String),
}

impl Flag {
    /// The flag as IMAP writes it (`\Seen`, or the keyword itself).
    pub fn imap(&self) -> &str {
        match self {
            Flag::Seen => "\\Seen",
            Flag::Flagged => "\\Flagged",
            Flag::Answered => "\\Answered",
            Flag::Keyword(keyword) => keyword,
        }
    }
}
