//! A colleague's request for supplies: its number, who asked, what for, and how far it is handed out.
//! Lines the shelf covers are handed out at once; the rest waits for a delivery, and the request is
//! done when every line is.

use serde::{Deserialize, Serialize};

/// A request's number: `REQ-2026-0007`, counted from 1 each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RequestNumber {
    pub year: i32,
    pub sequence: u32,
}

impl RequestNumber {
    /// The number in words and subjects.
    pub fn tag(&self) -> String {
        format!("REQ-{}-{:04}", self.year, self.sequence)
    }

    /// Reads `REQ-2026-0007` (any case) anywhere in `text`.
    pub fn find_in(text: &str) -> Option<RequestNumber> {
        let (year, sequence) = super::find_number(text, "REQ")?;
        Some(RequestNumber { year, sequence })
    }
}

impl std::fmt::Display for RequestNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.tag())
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Over the approval limit: nothing is handed out or ordered until the manager approves.
    AwaitingApproval,
    /// Approved or within the limit, with lines still waiting for a delivery.
    Waiting,
    /// Every line handed out.
    Done,
    /// Refused by the manager.
    Rejected,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::AwaitingApproval => "awaiting_approval",
            RequestState::Waiting => "waiting",
            RequestState::Done => "done",
            RequestState::Rejected => "rejected",
        }
    }

    /// Whether the request still waits for an approval or a delivery.
    pub fn is_open(self) -> bool {
        matches!(self, RequestState::AwaitingApproval | RequestState::Waiting)
    }

    pub fn from_name(name: &str) -> Option<RequestState> {
        [RequestState::AwaitingApproval, RequestState::Waiting, RequestState::Done, RequestState::Rejected]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// One line of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLine {
    pub sku: String,
    /// In the item's units.
    pub quantity: i64,
    /// How many have been handed out so far.
    pub issued: i64,
    /// The words it was read from.
    pub written: String,
}

impl RequestLine {
    /// How many still wait for a delivery.
    pub fn waiting(&self) -> i64 {
        (self.quantity - self.issued).max(0)
    }
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    pub number: RequestNumber,
    pub state: RequestState,
    /// The requester's address, lower case: where confirmations and arrivals go.
    pub requester: String,
    pub requester_name: Option<String>,
    /// The language the requester writes in, which clerk answers in.
    pub language: String,
    pub subject: String,
    /// Whether what it waits for is ordered at once rather than at the next `reorder` run.
    pub urgent: bool,
    pub lines: Vec<RequestLine>,
    /// Unix seconds.
    pub opened_at: i64,
    pub updated_at: i64,
}

impl Request {
    /// Whether any line still waits for a delivery.
    pub fn waits(&self) -> bool {
        self.lines.iter().any(|l| l.waiting() > 0)
    }
}
