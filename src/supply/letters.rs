//! What the supply desk and the `reorder` job write to people, as the values of their letters: the
//! requester's confirmation (with questions about what it did not understand), the manager's requests
//! for approval, the requester's news of a decision or of an arrival, and the low-stock alert.
//!
//! The words are the letters `supply/NAME` (built in, see `src/letters/supply.rs`, or the office's
//! own), which the desk renders from these values; each value struct is its letter's interface. The
//! quantities, prices and dates in them are already written in the letter's language.

use crate::language::Language;

use chrono::NaiveDate;
use serde::Serialize;

use super::catalog::{Catalog, Item};
use super::money::Money;
use super::purchase::{OrderNumber, OrderState, PurchaseOrder};
use super::reading::{Doubt, Unclear};
use super::request::Request;
use super::stock::Level;
use super::units;

/// How a line of a request stands, for the letters that list it.
#[derive(Debug, Clone)]
pub struct LineStatus<'c> {
    pub item: &'c Item,
    /// In the item's units.
    pub quantity: i64,
    /// Handed out now from the cupboard.
    pub from_stock: i64,
    /// When the rest is expected, when it is known.
    pub expected: Option<NaiveDate>,
    /// No number was written and one was taken.
    pub assumed: bool,
}

/// The language of a letter to someone who writes `code`: Italian for `it`, else English, as the
/// units and amounts in it are written (so `IT` is English, as it always was).
pub fn language(code: &str) -> Language {
    if code == "it" { Language::Italian } else { Language::English }
}

/// "Thu 10 December" / "gio 10 dicembre".
pub fn day(date: NaiveDate, language: &str) -> String {
    self::language(language).day(date, "%a %-d %B")
}

/// "15 reams of A4 copy paper (PAP-A4)": how many of an item, with its unit in the right number, as
/// the letters list items. Written here, like a price, rather than in each letter's template.
fn quantity_of(item: &Item, quantity: i64, language: &str) -> String {
    let unit = units::written(&item.unit, quantity, language);
    let of = match self::language(language) {
        Language::Italian => "di",
        Language::English => "of",
    };
    format!("{quantity} {unit} {of} {} ({})", item.name_in(language), item.sku)
}

/// "A4 copy paper (PAP-A4)": an item as letters name it.
fn named(item: &Item, language: &str) -> String {
    format!("{} ({})", item.name_in(language), item.sku)
}

/// A line of a request as the letters `supply/confirmation` and `supply/decided` list it (`lines`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineNews {
    /// The item with its quantity: "15 reams of A4 copy paper (PAP-A4)".
    pub item: String,
    /// How many are handed out now from the cupboard.
    pub from_stock: i64,
    /// How many are ordered and still to come (0 when the cupboard had them all).
    pub waiting: i64,
    /// When what is ordered is expected ("Fri 11 December"), or none when it is not known.
    pub expected: Option<String>,
    /// No number was written and 1 was counted.
    pub assumed: bool,
}

/// The lines of a request and where each stands.
fn news(lines: &[LineStatus<'_>], language: &str) -> Vec<LineNews> {
    lines
        .iter()
        .map(|line| LineNews {
            item: quantity_of(line.item, line.quantity, language),
            from_stock: line.from_stock,
            waiting: line.quantity - line.from_stock,
            expected: line.expected.map(|d| day(d, language)),
            assumed: line.assumed,
        })
        .collect()
}

/// A line clerk did not understand, as the letter `supply/confirmation` asks about it (`questions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    /// The line as the colleague wrote it.
    pub written: String,
    /// Why it is asked about: `several` (it could be any of `closest`), `unknown` (the catalog has
    /// nothing like it), `inactive` (`closest` is no longer ordered), `unit` (it counts in a unit the
    /// item is not kept in) or `quantity` (far more than the office keeps).
    pub doubt: &'static str,
    /// The closest items, best first: "Blue pen (PEN-BLU)".
    pub closest: Vec<String>,
    /// The closest item's name ("Blue pen"), or none when nothing is close.
    pub item: Option<String>,
    /// The unit the closest item is kept in, in the plural ("reams"), or none when nothing is close.
    pub unit: Option<String>,
}

/// The questions about lines clerk did not understand, with the closest items.
fn questions(unclear: &[Unclear<'_>], language: &str) -> Vec<Question> {
    unclear
        .iter()
        .map(|line| {
            let first = line.closest.first().map(|c| c.item);
            Question {
                written: line.requested.written.clone(),
                doubt: match line.doubt {
                    Doubt::Several => "several",
                    Doubt::Unknown => "unknown",
                    Doubt::Inactive => "inactive",
                    Doubt::Unit => "unit",
                    Doubt::Quantity => "quantity",
                },
                closest: line.closest.iter().map(|c| named(c.item, language)).collect(),
                item: first.map(|item| item.name_in(language).to_owned()),
                unit: first.map(|item| units::written(&item.unit, 2, language)),
            }
        })
        .collect()
}

/// What the requester's confirmation of a request is written from (the letter `supply/confirmation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confirmation {
    /// The requester's first name, or none when not known.
    pub name: Option<String>,
    /// The request's number: `REQ-2026-0007`.
    pub request: String,
    /// The lines understood and where each stands; empty when none was.
    pub lines: Vec<LineNews>,
    /// Who must approve the request first (the manager's name), or none when it needs no approval.
    pub approver: Option<String>,
    /// Everything the request asks for is handed out from the cupboard: these lines, any earlier
    /// ones, and nothing is asked about.
    pub all_ready: bool,
    /// Something of these lines is handed out from the cupboard.
    pub some_ready: bool,
    /// Something of the request (these lines or earlier ones) is still to come.
    pub awaited: bool,
    /// The lines of the request's earlier messages still to come, as `lines` lists them.
    pub earlier: Vec<LineNews>,
    /// The lines clerk did not understand; empty when it understood them all.
    pub questions: Vec<Question>,
    pub signature: String,
}

/// The requester's confirmation of `request`: where `lines` (what this message asked) stand, and
/// the `earlier` lines of the request still to come.
pub fn confirmation(
    request: &Request,
    lines: &[LineStatus<'_>],
    earlier: &[LineStatus<'_>],
    unclear: &[Unclear<'_>],
    approver: Option<&str>,
    signature: &str,
) -> Confirmation {
    let language = request.language.as_str();
    let ready = |l: &LineStatus<'_>| l.from_stock >= l.quantity;
    let awaited = !lines.iter().all(ready) || !earlier.iter().all(ready);
    Confirmation {
        name: first_name(request.requester_name.as_deref()).map(str::to_owned),
        request: request.number.to_string(),
        lines: news(lines, language),
        approver: approver.map(str::to_owned),
        all_ready: !awaited && unclear.is_empty() && !lines.is_empty(),
        some_ready: lines.iter().any(|l| l.from_stock > 0),
        awaited,
        earlier: news(&earlier.iter().filter(|l| !ready(l)).cloned().collect::<Vec<_>>(), language),
        questions: questions(unclear, language),
        signature: signature.to_owned(),
    }
}

/// What the answer to a message in which clerk found nothing to order is written from (the letter
/// `supply/nothing-found`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NothingFound {
    /// The sender's first name, or none when not known.
    pub name: Option<String>,
    /// Some items of the catalog, as examples: "A4 copy paper (PAP-A4)".
    pub examples: Vec<String>,
    pub signature: String,
}

/// The answer to a message in which clerk found nothing to order.
pub fn nothing_found(language: &str, name: Option<&str>, catalog: &Catalog, signature: &str) -> NothingFound {
    NothingFound {
        name: first_name(name).map(str::to_owned),
        examples: catalog.items.iter().filter(|i| i.active).take(6).map(|i| named(i, language)).collect(),
        signature: signature.to_owned(),
    }
}

/// What the answer to someone who may not order is written from (the letter
/// `supply/not-a-requester`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotARequester {
    /// The sender's first name, or none when not known.
    pub name: Option<String>,
    /// Who got their message instead (the manager's name).
    pub manager: String,
    pub signature: String,
}

/// The answer to someone who may not order.
pub fn not_a_requester(name: Option<&str>, manager: &str, signature: &str) -> NotARequester {
    NotARequester {
        name: first_name(name).map(str::to_owned),
        manager: manager.to_owned(),
        signature: signature.to_owned(),
    }
}

/// A line of a request with what it costs, as the letter `supply/approve-request` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PricedLine {
    /// The item with its quantity: "15 reams of A4 copy paper (PAP-A4)".
    pub item: String,
    /// What the line costs before VAT: "EUR 63.00".
    pub cost: String,
}

/// What the manager's request to approve a colleague's request is written from (the letters
/// `supply/approve-request` and `supply/approve-request-subject`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApproveRequest {
    /// The request's number: `REQ-2026-0007`.
    pub request: String,
    /// The requester's address.
    pub requester: String,
    /// The requester's full name, or none when not known.
    pub requester_name: Option<String>,
    /// What they ask for, each line with its cost.
    pub lines: Vec<PricedLine>,
    /// What it all costs before VAT: "EUR 1,234.50".
    pub total: String,
    /// Why it needs approval.
    pub why: WhyApproval,
}

/// Why a request needs the manager's approval: its total is over the approval `limit`, or one line
/// asks for more than the `most` one request may take (`quantity` of `item`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhyApproval {
    /// The approval limit, in the letter's language ("EUR 150.00"), when the total is over it.
    pub limit: Option<String>,
    /// How many the line asks for, when it is over the most one request may take.
    pub quantity: Option<i64>,
    /// The item's name in the letter's language.
    pub item: Option<String>,
    /// The most one request may take of it.
    pub most: Option<u32>,
}

/// The manager's request to approve a colleague's request, in `language` (the office's).
pub fn approve_request(
    request: &Request,
    lines: &[LineStatus<'_>],
    total: Money,
    why: WhyApproval,
    language: &str,
) -> ApproveRequest {
    ApproveRequest {
        request: request.number.to_string(),
        requester: request.requester.clone(),
        requester_name: request.requester_name.clone(),
        lines: lines
            .iter()
            .map(|line| PricedLine {
                item: quantity_of(line.item, line.quantity, language),
                cost: Money::new(
                    line.item.price * rust_decimal::Decimal::from(line.quantity),
                    total.currency,
                )
                .written(language),
            })
            .collect(),
        total: total.written(language),
        why,
    }
}

/// A line of a purchase order as the letter `supply/approve-order` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderedLine {
    /// How many, in `unit`.
    pub quantity: i64,
    /// The item's unit for that many: "reams", "risme".
    pub unit: String,
    /// The item as the order describes it, in the vendor's language.
    pub description: String,
    /// The office's code for the item: `PAP-A4`.
    pub sku: String,
    /// What the line costs before VAT: "EUR 147.00".
    pub cost: String,
}

/// What the manager's request to approve a purchase order over its vendor's limit is written from
/// (the letters `supply/approve-order` and `supply/approve-order-subject`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApproveOrder {
    /// The order's number: `PO-2026-0042`.
    pub number: String,
    /// The vendor's name.
    pub vendor: String,
    pub lines: Vec<OrderedLine>,
    /// The order's total before VAT: "EUR 480.00".
    pub total: String,
    /// The total with VAT: "EUR 585.60".
    pub with_vat: String,
    /// The vendor's approval limit: "EUR 300.00".
    pub limit: String,
}

/// The manager's request to approve a purchase order over its vendor's limit, in `language` (the
/// office's), with VAT at `vat`.
pub fn approve_order(
    order: &PurchaseOrder,
    limit: Money,
    vat: rust_decimal::Decimal,
    language: &str,
) -> ApproveOrder {
    let money = |amount| Money::new(amount, order.currency).written(language);
    ApproveOrder {
        number: order.number.to_string(),
        vendor: order.vendor.clone(),
        lines: order
            .lines
            .iter()
            .map(|line| OrderedLine {
                quantity: line.quantity,
                unit: units::written(&line.unit, line.quantity, language),
                description: line.description.clone(),
                sku: line.sku.clone(),
                cost: money(line.total()),
            })
            .collect(),
        total: money(order.subtotal()),
        with_vat: money(order.subtotal() + order.vat(vat)),
        limit: limit.written(language),
    }
}

/// What the requester's news of the manager's decision is written from (the letter
/// `supply/decided`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decided {
    /// The requester's first name, or none when not known.
    pub name: Option<String>,
    /// The request's number: `REQ-2026-0007`.
    pub request: String,
    /// The manager approved it (else they rejected it).
    pub approved: bool,
    /// The reason the manager gave for rejecting it, or none.
    pub reason: Option<String>,
    /// Where each line stands now that it is approved; empty when rejected.
    pub lines: Vec<LineNews>,
    pub signature: String,
}

/// The requester's news of the manager's decision.
pub fn decided(
    request: &Request,
    approved: bool,
    reason: Option<&str>,
    lines: &[LineStatus<'_>],
    signature: &str,
) -> Decided {
    Decided {
        name: first_name(request.requester_name.as_deref()).map(str::to_owned),
        request: request.number.to_string(),
        approved,
        reason: reason.map(str::to_owned),
        lines: news(lines, &request.language),
        signature: signature.to_owned(),
    }
}

/// Each of `items` with its quantity, as a letter lists them: "15 reams of A4 copy paper (PAP-A4)".
pub fn quantities(items: &[(&Item, i64)], language: &str) -> Vec<String> {
    items.iter().map(|(item, n)| quantity_of(item, *n, language)).collect()
}

/// A colleague's first name, as colleagues are greeted ("Hello Marco,").
pub fn first_name(name: Option<&str>) -> Option<&str> {
    name.and_then(|n| n.split_whitespace().next()).filter(|n| !n.is_empty())
}

/// What the manager's alert that an item fell below its reorder point is written from (the letters
/// `supply/low-stock` and `supply/low-stock-subject`). It is written once the orders of the message
/// or run that made it have gone out, so it says what became of the order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LowStock {
    /// The item's name in the letter's language.
    pub name: String,
    pub sku: String,
    pub available: i64,
    /// The item's unit for that many, in the letter's language ("reams", "risme").
    pub unit: String,
    pub reorder_point: i64,
    /// How many are on the order that holds it (`order`).
    pub drafted: i64,
    pub vendor: String,
    /// How many are already on orders sent or approved.
    pub on_order: i64,
    /// The purchase order that holds it (`PO-2026-0042`), or none when nothing was drafted.
    pub order: Option<String>,
    /// What became of that order: `now` (sent to the vendor now), `approval` (over the vendor's
    /// limit: waits for the manager), `minimum` (a draft below the vendor's minimum order),
    /// `next_run` (goes out with the next order run) or `nothing` (nothing drafted).
    pub ordered: &'static str,
    /// The order that holds it, to find what became of it.
    #[serde(skip)]
    pub draft: Option<OrderNumber>,
}

impl LowStock {
    /// `item` at `level`, with `drafted` on draft `draft`, written in `language`; what became of
    /// the draft is told by [`LowStock::ordered`].
    pub fn of(
        item: &Item,
        level: &Level,
        drafted: i64,
        draft: Option<OrderNumber>,
        language: &str,
    ) -> LowStock {
        LowStock {
            name: item.name_in(language).to_owned(),
            sku: item.sku.clone(),
            available: level.available(),
            unit: units::written(&item.unit, level.available(), language).to_string(),
            reorder_point: item.reorder_point,
            drafted,
            vendor: item.vendor.clone(),
            on_order: level.on_order,
            order: draft.map(|n| n.to_string()),
            ordered: if draft.is_some() { "next_run" } else { "nothing" },
            draft,
        }
    }

    /// The alert as `order` (its draft, as it stands once the orders went out) leaves it; `waits`
    /// says the draft waits for the vendor's minimum order.
    pub fn ordered(mut self, order: Option<&PurchaseOrder>, waits: bool) -> LowStock {
        let Some(order) = order else { return self };
        if let Some(line) = order.lines.iter().find(|l| l.sku.eq_ignore_ascii_case(&self.sku)) {
            self.drafted = line.quantity;
        }
        self.ordered = match order.state {
            OrderState::Draft if order.approval_asked_at.is_some() => "approval",
            OrderState::Draft if waits => "minimum",
            OrderState::Draft | OrderState::Approved => "next_run",
            state if state.is_out() => "now",
            _ => "nothing",
        };
        self
    }
}
