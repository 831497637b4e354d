//! The supply cupboard: the catalog of what the office keeps, the stock of each item, colleagues'
//! requests and the purchase orders clerk sends to vendors.
//!
//! This module holds the plain data and the pure parts (reading orders in words, matching them to the
//! catalog, money); the supply desk (`desks::supply`) decides what a message does, the store keeps
//! the stock ledger, requests and purchase orders, and the `reorder` job sends the orders.

pub mod catalog;
pub mod extract;
pub mod letters;
pub mod matching;
pub mod money;
pub mod purchase;
pub mod reading;
pub mod request;
pub mod stock;
pub mod units;
pub mod vendor_answer;
pub mod words;

use std::sync::LazyLock;

use regex::Regex;

pub use catalog::{Catalog, Item, SupplySettings, Vendor};
pub use money::{Currency, Money};
pub use purchase::{OrderLine, OrderNumber, OrderState, PurchaseOrder};
pub use request::{Request, RequestLine, RequestNumber, RequestState};

/// What a message or job changes in the supply cupboard, applied in its transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SupplyChange {
    /// Rows to add to the stock ledger.
    pub moves: Vec<stock::Move>,
    /// Requests as they now are.
    pub requests: Vec<Request>,
    /// Purchase orders as they now are.
    pub orders: Vec<PurchaseOrder>,
    /// Messages that belong to a request's or an order's conversation, so replies find it.
    pub threads: Vec<(String, Thread)>,
    /// Items that fell below their reorder point (`true`, told once) or are back above it.
    pub low: Vec<(String, bool)>,
    /// The requests and orders this change opens: their numbers are new, and the store refuses them
    /// if a number is taken rather than write one over another.
    pub opened: Vec<Thread>,
}

/// The conversation a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Thread {
    Request(RequestNumber),
    Order(OrderNumber),
}

impl SupplyChange {
    /// One line per change, for the log and `explain`.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for r in &self.requests {
            let count = r.lines.len();
            lines.push(format!(
                "request {} from {} is {} ({})",
                r.number,
                r.requester,
                r.state.as_str(),
                crate::units::counted(count as u64, "line")
            ));
        }
        for o in &self.orders {
            let total = Money::new(o.subtotal(), o.currency);
            let state = o.state.as_str();
            lines.push(format!(
                "purchase order {} to {} is {state} ({}, {total} before VAT)",
                o.number,
                o.vendor,
                crate::units::counted(o.lines.len() as u64, "line")
            ));
        }
        for m in &self.moves {
            let reference = m.reference.as_deref().map(|r| format!(", {r}")).unwrap_or_default();
            lines.push(format!(
                "stock {}: on hand {:+}, promised {:+} ({}{reference})",
                m.sku,
                m.on_hand,
                m.promised,
                m.reason.as_str()
            ));
        }
        for (sku, low) in &self.low {
            lines.push(if *low {
                format!("{sku} is below its reorder point")
            } else {
                format!("{sku} is back above its reorder point")
            });
        }
        lines
    }
}

/// `PREFIX-YYYY-NNNN` anywhere in `text`, in any case, as (year, sequence).
fn find_number(text: &str, prefix: &str) -> Option<(i32, u32)> {
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| crate::regexes::built_in(r"(?i)\b(PO|REQ)[-‐ ]?(\d{4})-(\d{1,6})\b"));
    NUMBER.captures_iter(text).find_map(|c| {
        c[1].eq_ignore_ascii_case(prefix).then(|| Some((c[2].parse().ok()?, c[3].parse().ok()?))).flatten()
    })
}
