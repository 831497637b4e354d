//! Stock as a ledger: every change to what is on the shelf or promised is a row with its reason, the
//! message or job that caused it and the person; levels are sums of the rows, never a number that is
//! overwritten. So `clerk stock` can always say why a level is what it is, and a change is undone by
//! another row, not by editing history.

use serde::Serialize;

use super::purchase::{OrderState, PurchaseOrder};

/// Why the stock changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// Handed out to a colleague's request from the shelf.
    Issued,
    /// Promised to a request that the shelf could not cover: it waits for a delivery.
    Promised,
    /// A promise kept (the delivery came and was handed out) or dropped (the request was cancelled).
    Released,
    /// Came in with a delivery.
    Delivered,
    /// Counted by a person (`clerk stock set`).
    Counted,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Issued => "issued",
            Reason::Promised => "promised",
            Reason::Released => "released",
            Reason::Delivered => "delivered",
            Reason::Counted => "counted",
        }
    }

    pub fn from_name(name: &str) -> Option<Reason> {
        [Reason::Issued, Reason::Promised, Reason::Released, Reason::Delivered, Reason::Counted]
            .into_iter()
            .find(|r| r.as_str() == name)
    }
}

/// One row of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    pub sku: String,
    /// Change to what is on the shelf.
    pub on_hand: i64,
    /// Change to what is promised to requests waiting for a delivery.
    pub promised: i64,
    pub reason: Reason,
    /// The request or purchase order it belongs to (`REQ-2026-0007`, `PO-2026-0042`).
    pub reference: Option<String>,
    /// Who asked, delivered or counted.
    pub person: Option<String>,
    /// Unix seconds.
    pub at: i64,
}

/// Where an item stands: the ledger's sums, and what purchase orders will bring.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Level {
    pub on_hand: i64,
    /// Promised to requests that wait for a delivery.
    pub promised: i64,
    /// On purchase orders approved or sent and not yet received.
    pub on_order: i64,
    /// On draft purchase orders, not yet sent.
    pub drafted: i64,
}

impl Level {
    /// What can still be handed out: on the shelf and not promised. Below zero when requests wait.
    pub fn available(&self) -> i64 {
        self.on_hand - self.promised
    }

    /// Available stock plus everything ordered or about to be: what reordering looks at, so an item
    /// already on its way is not ordered twice.
    pub fn position(&self) -> i64 {
        self.available() + self.on_order + self.drafted
    }

    /// Adds what `order` holds of `sku`: drafted, or on order until received.
    pub fn add_order(&mut self, order: &PurchaseOrder, sku: &str) {
        for line in order.lines.iter().filter(|l| l.sku.eq_ignore_ascii_case(sku)) {
            if order.state == OrderState::Draft {
                self.drafted += line.quantity;
            } else if order.state.is_on_order() {
                self.on_order += line.outstanding();
            }
        }
    }

    /// Adds the changes of `moves` for `sku`.
    pub fn with(mut self, sku: &str, moves: &[Move]) -> Level {
        for m in moves.iter().filter(|m| m.sku.eq_ignore_ascii_case(sku)) {
            self.on_hand += m.on_hand;
            self.promised += m.promised;
        }
        self
    }
}
