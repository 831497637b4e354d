//! Restocking, shared by the supply desk and the `reorder` job: what an item lacks to reach its
//! order-up-to level goes on its vendor's draft, and the manager hears once when it falls below its
//! reorder point (not again until it has recovered). An item on an order the manager refused is not
//! ordered again until its stock changes (a request, a delivery, a count): the manager said no to
//! that level of stock, and asking again at every run would only nag.

use chrono::{DateTime, Datelike, Utc};

use super::ordering::{Next, add_to_draft, next_step};
use super::view::{BatchSupply, SupplyView, level};
use crate::language::Language;
use crate::rules::TemplateError;
use crate::store::StoreError;
use crate::supply::catalog::{Catalog, Item};
use crate::supply::purchase::{OrderNumber, OrderState, PurchaseOrder};
use crate::supply::{SupplyChange, letters};

/// What restocking one item did.
#[derive(Debug, Default)]
pub struct Restocked {
    /// The draft it was put on, and how many.
    pub drafted: Option<(OrderNumber, i64)>,
    /// What the manager's low-stock alert says, when it just fell low.
    pub alert: Option<letters::LowStock>,
}

/// Restocks `item` in `change`, reading the store through `view` as `change` leaves it.
pub fn restock(
    view: &dyn SupplyView,
    change: &mut SupplyChange,
    catalog: &Catalog,
    item: &Item,
    urgent: bool,
    now: DateTime<Utc>,
    office: &crate::office::Office,
) -> Result<Restocked, StoreError> {
    let seen = |change: &SupplyChange| BatchSupply { store: view, pending: vec![change.clone()] };
    let mut done = Restocked::default();
    let Some(vendor) = catalog.vendor(&item.vendor) else { return Ok(done) };
    let before = level(&seen(change), &item.sku)?;
    let need = item.to_order(before.position());
    if need > 0 && !refused(&seen(change), item)? {
        let year = now.with_timezone(&office.timezone).year();
        let (_, highest) = seen(change).highest_numbers(year)?;
        let drafts = seen(change).orders(&[OrderState::Draft])?;
        let next = OrderNumber { year, sequence: highest + 1 };
        let mut draft = add_to_draft(&drafts, item, vendor, need, next, now.timestamp());
        draft.urgent |= urgent;
        done.drafted = Some((draft.number, need));
        if draft.number == next {
            change.opened.push(crate::supply::Thread::Order(next));
        }
        change.orders.retain(|o| o.number != draft.number);
        change.orders.push(draft);
    }
    if before.available() < item.reorder_point && !seen(change).is_low(&item.sku)? {
        change.low.push((item.sku.clone(), true));
        let drafted = level(&seen(change), &item.sku)?.drafted;
        let holds = |o: &&PurchaseOrder| o.lines.iter().any(|l| l.sku.eq_ignore_ascii_case(&item.sku));
        let draft = match done.drafted {
            Some((number, _)) => Some(number),
            None => seen(change)
                .orders(&[OrderState::Draft, OrderState::Approved])?
                .iter()
                .find(holds)
                .map(|o| o.number),
        };
        done.alert = Some(letters::LowStock::of(item, &before, drafted, draft, &office.language));
    }
    Ok(done)
}

/// `low` as the orders stand in `view` once the message or run that made it has sent what it
/// sends: its draft sent, put to the manager, or still waiting (and for what).
pub fn settle(
    low: letters::LowStock,
    view: &dyn SupplyView,
    catalog: &Catalog,
) -> Result<letters::LowStock, StoreError> {
    let Some(number) = low.draft else { return Ok(low) };
    let order = view.order(number)?;
    let waits = order.as_ref().is_some_and(|o| {
        o.state == OrderState::Draft
            && catalog.vendor(&o.vendor).is_some_and(|v| matches!(next_step(o, v), Next::Wait(_)))
    });
    Ok(low.ordered(order.as_ref(), waits))
}

/// The manager's low-stock alert, as (subject, text), in the office's language.
pub fn alert_letter(
    rules: &crate::rules::RuleSet,
    low: &letters::LowStock,
) -> Result<(String, String), TemplateError> {
    let language = Language::from_code(&rules.office.language);
    let subject = rules.templates.letter("supply/low-stock-subject", language, low)?;
    Ok((subject, rules.templates.letter("supply/low-stock", language, low)?))
}

/// Whether the manager refused an order holding `item` and its stock has not changed since.
fn refused(view: &dyn SupplyView, item: &Item) -> Result<bool, StoreError> {
    let refused_at = view
        .orders(&[OrderState::Cancelled])?
        .iter()
        .filter(|o| o.lines.iter().any(|l| l.sku.eq_ignore_ascii_case(&item.sku)))
        .map(|o| o.updated_at)
        .max();
    let Some(refused_at) = refused_at else { return Ok(false) };
    Ok(view.last_change(&item.sku)?.is_none_or(|changed| changed <= refused_at))
}
