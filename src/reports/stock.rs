//! `clerk stock`, `clerk stock set`, `clerk stock show` and `clerk purchase-orders`: the supply
//! cupboard as the office reads it on the command line, and a person's count of the shelf.

use std::fmt::Write;

use serde::Serialize;

use crate::store::{Store, StoreError};
use crate::supply::catalog::Catalog;
use crate::supply::money::Money;
use crate::supply::stock::{Move, Reason};
use crate::supply::{OrderState, SupplyChange, units};

/// Why a stock command cannot be carried out.
#[derive(Debug, thiserror::Error)]
pub enum StockError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("no item `{sku}` in catalog.toml{hint}")]
    NoSuchItem { sku: String, hint: String },
    #[error("a count is between 0 and 1000000000 ({0} is not)")]
    OutOfRange(i64),
}

/// One line per item of the catalog: on the shelf, promised to requests, available, on order and
/// drafted, with the items below their reorder point marked.
pub fn levels(store: &Store, catalog: &Catalog, language: &str) -> Result<String, StoreError> {
    let levels = store.stock_levels()?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<10} {:<40} {:>8} {:>8} {:>9} {:>8} {:>8}  unit",
        "SKU", "Item", "on hand", "reserved", "available", "on order", "drafted"
    );
    let mut low = 0;
    for item in &catalog.items {
        let level = levels.get(&item.sku.to_uppercase()).copied().unwrap_or_default();
        let name: String = item.name_in(language).chars().take(40).collect();
        let flag = if level.available() < item.reorder_point {
            low += 1;
            format!("  low (reorder point {})", item.reorder_point)
        } else if !item.active {
            "  inactive".to_owned()
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{:<10} {name:<40} {:>8} {:>8} {:>9} {:>8} {:>8}  {}{flag}",
            item.sku,
            level.on_hand,
            level.promised,
            level.available(),
            level.on_order,
            level.drafted,
            units::written(&item.unit, 2, language),
        );
    }
    let items = crate::units::counted(catalog.items.len() as u64, "item");
    let _ = writeln!(out, "\n{items}, {low} below their reorder point.");
    Ok(out)
}

/// Records that `sku` has `count` on the shelf now: a ledger row with the difference, by `person`.
/// Clears the low-stock mark when the count brings it back; the next `reorder` run orders what it lacks.
pub fn set(
    store: &mut Store,
    catalog: &Catalog,
    sku: &str,
    count: i64,
    person: &str,
    now: i64,
) -> Result<String, StockError> {
    if !(0..=1_000_000_000).contains(&count) {
        return Err(StockError::OutOfRange(count));
    }
    let Some(item) = catalog.item(sku) else {
        let hint = crate::toml_doc::did_you_mean(sku, catalog.items.iter().map(|i| i.sku.as_str()))
            .map(|close| format!(", did you mean `{close}`?"))
            .unwrap_or_default();
        return Err(StockError::NoSuchItem { sku: sku.to_owned(), hint });
    };
    let before = store.stock_level(&item.sku)?;
    let difference = count - before.on_hand;
    let mut change = SupplyChange::default();
    if difference != 0 {
        change.moves.push(Move {
            sku: item.sku.clone(),
            on_hand: difference,
            promised: 0,
            reason: Reason::Counted,
            reference: None,
            person: Some(person.to_owned()),
            at: now,
        });
    }
    let available = count - before.promised;
    if available >= item.reorder_point && store.is_low(&item.sku)? {
        change.low.push((item.sku.clone(), false));
    }
    store.put_supply(&change)?;
    Ok(format!(
        "{}: {count} on hand (was {}, {difference:+}), {available} available.{}\n",
        item.sku,
        before.on_hand,
        if available < item.reorder_point {
            " Below its reorder point: the next order run orders more."
        } else {
            ""
        }
    ))
}

/// The ledger of one item, newest first.
pub fn history(store: &Store, catalog: &Catalog, sku: &str, now: i64) -> Result<String, StockError> {
    let Some(item) = catalog.item(sku) else {
        return Err(StockError::NoSuchItem { sku: sku.to_owned(), hint: String::new() });
    };
    let level = store.stock_level(&item.sku)?;
    let mut out = format!(
        "{} {}: {} on hand, {} promised, {} available, {} on order, {} drafted\n\n",
        item.sku,
        item.name,
        level.on_hand,
        level.promised,
        level.available(),
        level.on_order,
        level.drafted
    );
    for m in store.stock_moves(&item.sku, 100)? {
        let when = crate::units::humanize_roughly(now - m.at);
        let _ = writeln!(
            out,
            "{when:>10} ago  {:<9} on hand {:+4}  promised {:+4}  {} {}",
            m.reason.as_str(),
            m.on_hand,
            m.promised,
            m.reference.as_deref().unwrap_or("-"),
            m.person.as_deref().unwrap_or("")
        );
    }
    Ok(out)
}

/// The digest's news of the cupboard at `slot` (unix seconds): items below their reorder point,
/// requests waiting, open purchase orders, and this month's spending per vendor (orders sent, and
/// the places and caterers of the office's events; before VAT), in the office's language. The letter `office/digest-supply` writes it.
pub fn digest(
    store: &Store,
    catalog: &Catalog,
    office: &crate::office::Office,
    slot: i64,
) -> Result<Cupboard, StoreError> {
    let levels = store.stock_levels()?;
    let language = office.language.as_str();
    let low = catalog
        .items
        .iter()
        .filter(|item| item.active)
        .filter_map(|item| {
            let level = levels.get(&item.sku.to_uppercase()).copied().unwrap_or_default();
            (level.available() < item.reorder_point).then(|| LowItem {
                sku: item.sku.clone(),
                name: item.name_in(language).to_owned(),
                available: level.available(),
                reorder_point: item.reorder_point,
                on_order: level.on_order,
                drafted: level.drafted,
            })
        })
        .collect();
    let requests = store.supply_requests(true)?;
    let waiting_approval =
        requests.iter().filter(|r| r.state == crate::supply::RequestState::AwaitingApproval).count();
    let local = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0).map(|t| {
            crate::language::Language::from_code(language)
                .date(&t.with_timezone(&office.timezone), "%a %-d %b")
        })
    };
    let orders = store
        .purchase_orders(&OrderState::OPEN)?
        .into_iter()
        .map(|order| OpenOrder {
            total: Money::new(order.subtotal(), order.currency).written(language),
            waiting_approval: order.state == OrderState::Draft && order.approval_asked_at.is_some(),
            expected: order.expected_at.filter(|_| order.state.is_out()).and_then(local),
            state: order.state.as_str(),
            number: order.number.to_string(),
            vendor: order.vendor,
        })
        .collect();
    let month = crate::units::local_time(office.timezone, slot, "%Y-%m").unwrap_or_default();
    let mut spent: std::collections::BTreeMap<(String, String), rust_decimal::Decimal> = Default::default();
    for order in store.purchase_orders(&[])? {
        let Some(sent) = order.sent_at else { continue };
        if order.state == OrderState::Cancelled
            || crate::units::local_time(office.timezone, sent, "%Y-%m").unwrap_or_default() != month
        {
            continue;
        }
        *spent.entry((order.vendor.clone(), order.currency.code().to_owned())).or_default() +=
            order.subtotal();
    }
    for (vendor, cost) in crate::reports::events::spent_this_month(store, office, slot)? {
        *spent.entry((vendor, cost.currency.code().to_owned())).or_default() += cost.amount;
    }
    let spent = spent
        .into_iter()
        .map(|((vendor, currency), amount)| Spent {
            vendor,
            amount: crate::supply::money::Currency::parse(&currency)
                .map(|c| Money::new(amount, c).written(language))
                .unwrap_or_default(),
        })
        .collect();
    Ok(Cupboard { low, waiting_delivery: requests.len() - waiting_approval, waiting_approval, orders, spent })
}

/// The cupboard as the digest tells it (the letter `office/digest-supply`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cupboard {
    /// The active items below their reorder point.
    pub low: Vec<LowItem>,
    /// Colleagues' requests waiting for a delivery.
    pub waiting_delivery: usize,
    /// Colleagues' requests waiting for the manager's approval.
    pub waiting_approval: usize,
    /// The purchase orders still open.
    pub orders: Vec<OpenOrder>,
    /// What was spent this month per vendor (orders sent, events' places and catering; before VAT).
    pub spent: Vec<Spent>,
}

/// An item below its reorder point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LowItem {
    pub sku: String,
    /// Its name in the office's language.
    pub name: String,
    pub available: i64,
    pub reorder_point: i64,
    pub on_order: i64,
    pub drafted: i64,
}

/// An open purchase order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenOrder {
    /// `PO-2026-0042`.
    pub number: String,
    pub vendor: String,
    /// `draft`, `sent`, `confirmed`, …
    pub state: &'static str,
    /// A draft over its vendor's limit, put to the manager.
    pub waiting_approval: bool,
    /// When it is expected, for an order sent ("Wed 9 Dec", in the office's language).
    pub expected: Option<String>,
    /// Its total before VAT: "EUR 147.00".
    pub total: String,
}

/// What was spent with one vendor this month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spent {
    pub vendor: String,
    /// "EUR 147.00".
    pub amount: String,
}

/// One block per purchase order, newest first: the open ones only with `open_only`. Each says when
/// it is expected (what the vendor last promised, in `office`'s time zone), how many of a line the
/// vendor said it will deliver when it cannot deliver all, and its note (the substance of what the
/// vendor last said that a person should know, or the manager's reason for cancelling).
pub fn orders(
    store: &Store,
    catalog: &Catalog,
    office: &crate::office::Office,
    open_only: bool,
) -> Result<String, StoreError> {
    let states: &[OrderState] = if open_only { &OrderState::OPEN } else { &[] };
    let mut orders = store.purchase_orders(states)?;
    orders.reverse();
    let mut out = String::new();
    if orders.is_empty() {
        let _ = writeln!(out, "No {}purchase orders.", if open_only { "open " } else { "" });
        return Ok(out);
    }
    for order in &orders {
        let total = Money::new(order.subtotal(), order.currency);
        let with_vat = Money::new(order.subtotal() + order.vat(catalog.settings.vat), order.currency);
        let _ = writeln!(
            out,
            "{}  {:<15} {:<24} {total} ({with_vat} with VAT)",
            order.number,
            order.state.as_str(),
            order.vendor
        );
        for line in &order.lines {
            let confirmed = line.confirmed.map(|c| format!(", vendor confirmed {c}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "    {:>5} {:<10} {:<40} received {}{confirmed}",
                line.quantity,
                line.sku,
                line.description.chars().take(40).collect::<String>(),
                line.received
            );
        }
        if order.state.is_out() {
            let expected = order
                .expected_at
                .and_then(|t| crate::units::local_time(office.timezone, t, "%a %-d %b %Y"))
                .unwrap_or_else(|| "no date given".to_owned());
            let _ = writeln!(out, "    expected: {expected}");
        }
        if let Some(note) = &order.note {
            let _ = writeln!(out, "    note: {note}");
        }
    }
    Ok(out)
}
