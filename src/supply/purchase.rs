//! Purchase orders: what clerk orders from a vendor, and where each order stands, from the draft that
//! collects what runs low to the last delivery.
//!
//! draft → approved → sent → acknowledged → partly received → received, or cancelled. A draft over
//! the vendor's approval limit waits for the manager's `approve PO-…`; the `reorder` job sends the
//! approved ones (grouped per vendor, at least the vendor's minimum); the vendor's confirmation
//! acknowledges it; its news that it cannot supply the order now makes it backordered, and that only
//! part will come makes it partly confirmed; deliveries receive it line by line.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::money::{Currency, cents};

/// A purchase order's number: `PO-2026-0042`, counted from 1 each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct OrderNumber {
    pub year: i32,
    pub sequence: u32,
}

impl OrderNumber {
    pub fn tag(&self) -> String {
        format!("PO-{}-{:04}", self.year, self.sequence)
    }

    /// Reads `PO-2026-0042` (any case) anywhere in `text`.
    pub fn find_in(text: &str) -> Option<OrderNumber> {
        let (year, sequence) = super::find_number(text, "PO")?;
        Some(OrderNumber { year, sequence })
    }

    /// The sequence of a short `PO-0042` in `text` (people leave the year out), when it has no full
    /// number.
    pub fn find_short(text: &str) -> Option<u32> {
        static SHORT: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| crate::regexes::built_in(r"(?i)\bPO-(\d{1,4})\b(?:[^-]|$)"));
        if OrderNumber::find_in(text).is_some() {
            return None;
        }
        SHORT.captures(text)?.get(1)?.as_str().parse().ok()
    }
}

impl std::fmt::Display for OrderNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.tag())
    }
}

/// Where a purchase order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Collecting what runs low; not sent.
    Draft,
    /// Approved (by the limit or the manager), to go out at the next `reorder` run.
    Approved,
    /// Sent to the vendor.
    Sent,
    /// The vendor confirmed it.
    Acknowledged,
    /// The vendor cannot supply it now (out of stock, back ordered): it comes later, by the date
    /// the vendor gave when it gave one, or not at all if the manager cancels it.
    Backordered,
    /// The vendor will deliver only part of it (some lines, or fewer of a line): the manager decides
    /// whether to wait for the rest or cancel it.
    PartlyConfirmed,
    /// Some of it has arrived.
    PartlyReceived,
    /// All of it has arrived.
    Received,
    /// Refused by the manager, or withdrawn.
    Cancelled,
}

impl OrderState {
    /// The states of orders not yet done with: drafts and orders the vendor owes.
    pub const OPEN: [OrderState; 7] = [
        OrderState::Draft,
        OrderState::Approved,
        OrderState::Sent,
        OrderState::Acknowledged,
        OrderState::Backordered,
        OrderState::PartlyConfirmed,
        OrderState::PartlyReceived,
    ];

    /// Every state, in the order an order goes through them.
    pub const ALL: [OrderState; 9] = [
        OrderState::Draft,
        OrderState::Approved,
        OrderState::Sent,
        OrderState::Acknowledged,
        OrderState::Backordered,
        OrderState::PartlyConfirmed,
        OrderState::PartlyReceived,
        OrderState::Received,
        OrderState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Draft => "draft",
            OrderState::Approved => "approved",
            OrderState::Sent => "sent",
            OrderState::Acknowledged => "acknowledged",
            OrderState::Backordered => "backordered",
            OrderState::PartlyConfirmed => "partly_confirmed",
            OrderState::PartlyReceived => "partly_received",
            OrderState::Received => "received",
            OrderState::Cancelled => "cancelled",
        }
    }

    pub fn from_name(name: &str) -> Option<OrderState> {
        OrderState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the vendor has it and owes a delivery.
    pub fn is_out(self) -> bool {
        matches!(
            self,
            OrderState::Sent
                | OrderState::Acknowledged
                | OrderState::Backordered
                | OrderState::PartlyConfirmed
                | OrderState::PartlyReceived
        )
    }

    /// Whether what it holds is coming (or about to be ordered), for stock positions.
    pub fn is_on_order(self) -> bool {
        self == OrderState::Approved || self.is_out()
    }
}

/// One line of a purchase order, with the price it was ordered at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub sku: String,
    pub vendor_sku: String,
    pub description: String,
    /// In the item's units.
    pub quantity: i64,
    pub unit: String,
    pub unit_price: Decimal,
    pub received: i64,
    /// How many of it the vendor said it will deliver, when it said it cannot deliver all ("only 3
    /// of the 10", 0 for a line out of stock); none while it has said nothing of the kind. Lines
    /// stored before clerk read this have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<i64>,
}

impl OrderLine {
    /// Quantity times unit price, to the cent.
    pub fn total(&self) -> Decimal {
        cents(self.unit_price * Decimal::from(self.quantity))
    }

    /// How many have not arrived.
    pub fn outstanding(&self) -> i64 {
        (self.quantity - self.received).max(0)
    }
}

/// A purchase order as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurchaseOrder {
    pub number: OrderNumber,
    pub vendor: String,
    pub state: OrderState,
    pub currency: Currency,
    pub lines: Vec<OrderLine>,
    /// Whether a request that cannot wait is on it: sent at once rather than at the next run.
    pub urgent: bool,
    /// Unix seconds, as every time below.
    pub created_at: i64,
    pub updated_at: i64,
    /// When the manager was asked to approve it (asked once).
    pub approval_asked_at: Option<i64>,
    pub sent_at: Option<i64>,
    /// The delivery date the vendor promised, or sent date plus lead time.
    pub expected_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    /// When the vendor was reminded of it (reminded once).
    pub reminded_at: Option<i64>,
    pub received_at: Option<i64>,
    /// The Message-ID it was sent with, which the vendor's replies carry.
    pub message_id: Option<String>,
    /// The last thing the vendor said of it that a person should know ("out of stock until May").
    pub note: Option<String>,
}

impl PurchaseOrder {
    /// A new, empty draft to `vendor`, made at `now` (unix seconds).
    pub fn draft(number: OrderNumber, vendor: &str, currency: Currency, now: i64) -> PurchaseOrder {
        PurchaseOrder {
            number,
            vendor: vendor.to_owned(),
            state: OrderState::Draft,
            currency,
            lines: Vec::new(),
            urgent: false,
            created_at: now,
            updated_at: now,
            approval_asked_at: None,
            sent_at: None,
            expected_at: None,
            acknowledged_at: None,
            reminded_at: None,
            received_at: None,
            message_id: None,
            note: None,
        }
    }

    /// The sum of the lines, before VAT.
    pub fn subtotal(&self) -> Decimal {
        self.lines.iter().map(OrderLine::total).sum()
    }

    /// VAT at `rate` on the subtotal, to the cent.
    pub fn vat(&self, rate: Decimal) -> Decimal {
        cents(self.subtotal() * rate)
    }

    /// The line for `sku`, if the order has one.
    pub fn line_mut(&mut self, sku: &str) -> Option<&mut OrderLine> {
        self.lines.iter_mut().find(|l| l.sku.eq_ignore_ascii_case(sku))
    }

    /// Whether every line has arrived.
    pub fn all_received(&self) -> bool {
        self.lines.iter().all(|l| l.outstanding() == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: i64, price: &str) -> OrderLine {
        OrderLine {
            sku: "PAP-A4".into(),
            vendor_sku: "CC-80500".into(),
            description: "A4 paper".into(),
            quantity,
            unit: "ream".into(),
            unit_price: price.parse().unwrap(),
            received: 0,
            confirmed: None,
        }
    }

    #[test]
    fn totals_are_summed_from_lines_rounded_to_the_cent() {
        let mut order =
            PurchaseOrder::draft(OrderNumber { year: 2026, sequence: 42 }, "Cartoleria", Currency::EUR, 0);
        order.lines = vec![line(35, "4.20"), line(3, "0.333")];
        // 147.00 + 1.00 (0.999 to the cent)
        assert_eq!(order.subtotal(), "148.00".parse().unwrap());
        assert_eq!(order.vat("0.22".parse().unwrap()), "32.56".parse().unwrap());
    }

    #[test]
    fn numbers_are_found_in_subjects_whatever_the_case() {
        let number = OrderNumber { year: 2026, sequence: 42 };
        assert_eq!(number.tag(), "PO-2026-0042");
        assert_eq!(OrderNumber::find_in("Re: Purchase Order PO-2026-0042 – Rossi"), Some(number));
        assert_eq!(OrderNumber::find_in("received po-2026-0042, thanks"), Some(number));
        assert_eq!(OrderNumber::find_in("the PO 2026 was fine"), None);
        assert_eq!(OrderNumber::find_in("TPO-2026-0042"), None);
        assert_eq!(OrderNumber::find_short("Received PO-0042 this morning"), Some(42));
        assert_eq!(OrderNumber::find_short("received PO-2026-0042"), None, "a full number is read whole");
        assert_eq!(OrderNumber::find_short("the PO is late"), None);
    }
}
