//! An event's catering as the office keeps it (#20): the caterer proposed or ordered from, the
//! headcount the caterer was last sent, what it costs, and the mails that carried it, so a new
//! headcount is sent in the first order's thread and the final headcount goes once.

use super::EventNumber;
use crate::supply::money::Money;

/// Where an event's catering stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CateringState {
    /// Put to the organiser; nothing sent to the caterer.
    Proposed,
    /// The order went to the caterer.
    Ordered,
    /// A new headcount went to the caterer after the order.
    Amended,
    /// The final headcount went to the caterer, before the event.
    FinalSent,
}

impl CateringState {
    /// Its name in the store and in `clerk event`.
    pub fn as_str(self) -> &'static str {
        match self {
            CateringState::Proposed => "proposed",
            CateringState::Ordered => "ordered",
            CateringState::Amended => "amended",
            CateringState::FinalSent => "final sent",
        }
    }

    /// The state named `name` ([`CateringState::as_str`]).
    pub fn named(name: &str) -> Option<CateringState> {
        [CateringState::Proposed, CateringState::Ordered, CateringState::Amended, CateringState::FinalSent]
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    /// Whether the caterer has the order.
    pub fn ordered(self) -> bool {
        self != CateringState::Proposed
    }
}

/// An event's catering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catering {
    pub number: EventNumber,
    /// The `[[caterer]]`'s name.
    pub caterer: String,
    pub state: CateringState,
    /// The headcount proposed, or last sent to the caterer.
    pub headcount: u32,
    /// Price × headcount for every meal and day; none when a meal has no price.
    pub cost: Option<Money>,
    /// The order's Message-ID: later mails to the caterer answer it.
    pub order_id: Option<String>,
    /// The latest mail to the caterer.
    pub last_id: Option<String>,
    /// The final headcount, once sent.
    pub final_headcount: Option<u32>,
    /// When the order first went to the caterer (unix seconds): the month its cost is spent in.
    pub ordered_at: Option<i64>,
    /// Unix seconds.
    pub updated_at: i64,
}
