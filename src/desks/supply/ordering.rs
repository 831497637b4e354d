//! Purchasing as pure steps, shared by the supply desk (urgent requests, approvals) and the `reorder`
//! job: putting what runs low on its vendor's draft, deciding what a draft needs next, and sending it.

use chrono::{DateTime, NaiveTime, Utc};

use super::order_mail::{self, LetterError, OrderLetter};
use crate::mail::compose::OutboundMail;
use crate::office::Office;
use crate::rules::Templates;
use crate::supply::catalog::{Catalog, Item, Vendor};
use crate::supply::letters;
use crate::supply::money::Money;
use crate::supply::purchase::{OrderLine, OrderNumber, OrderState, PurchaseOrder};

/// `quantity` more of `item` on its vendor's draft: the draft in `drafts` for that vendor, or a new
/// one numbered `next`. A line already there grows; the price is the catalog's today. A draft already
/// put to the manager does not grow (they would approve more than they saw): a new one is started.
pub fn add_to_draft(
    drafts: &[PurchaseOrder],
    item: &Item,
    vendor: &Vendor,
    quantity: i64,
    next: OrderNumber,
    now: i64,
) -> PurchaseOrder {
    let mut order = drafts
        .iter()
        .find(|o| o.state == OrderState::Draft && o.vendor == vendor.name && o.approval_asked_at.is_none())
        .cloned()
        .unwrap_or_else(|| PurchaseOrder::draft(next, &vendor.name, vendor.currency, now));
    match order.line_mut(&item.sku) {
        Some(line) => line.quantity += quantity,
        None => order.lines.push(OrderLine {
            sku: item.sku.clone(),
            vendor_sku: item.vendor_sku.clone(),
            description: item.name_in(&vendor.language).to_owned(),
            quantity,
            unit: item.unit.clone(),
            unit_price: item.price,
            received: 0,
            confirmed: None,
        }),
    }
    order.updated_at = now;
    order
}

/// What a draft needs before it can go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// It goes to the vendor now.
    Send,
    /// Over the vendor's approval limit: the manager is asked (once), and it waits for the answer.
    Approval,
    /// It waits for more to be needed: below the vendor's minimum order, or empty.
    Wait(String),
}

/// What `order` (a draft, or approved) needs next.
pub fn next_step(order: &PurchaseOrder, vendor: &Vendor) -> Next {
    let subtotal = order.subtotal();
    if order.lines.is_empty() {
        return Next::Wait("it has no lines".into());
    }
    if subtotal < vendor.minimum_order {
        let minimum = Money::new(vendor.minimum_order, vendor.currency);
        let total = Money::new(subtotal, order.currency);
        return Next::Wait(format!("{total} is below {}'s minimum order of {minimum}", vendor.name));
    }
    if order.state == OrderState::Draft && vendor.approval_limit.is_some_and(|limit| subtotal > limit) {
        return Next::Approval;
    }
    Next::Send
}

/// `order` sent: its mail to the vendor, and the order marked sent with its Message-ID and the date
/// it is expected (noon of the requested delivery day, in the office's zone).
pub fn send(
    order: &PurchaseOrder,
    vendor: &Vendor,
    catalog: &Catalog,
    office: &Office,
    templates: &Templates,
    now: DateTime<Utc>,
) -> Result<(PurchaseOrder, OutboundMail), LetterError> {
    let letter = OrderLetter { order, vendor, catalog, office, templates, now };
    let mail = order_mail::purchase_order(&letter)?;
    let delivery = letter.requested_delivery();
    let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN);
    let expected =
        crate::calendar::zones::resolve_local(office.timezone, delivery.and_time(noon)).timestamp();
    let mut sent = order.clone();
    sent.state = OrderState::Sent;
    sent.sent_at = Some(now.timestamp());
    sent.updated_at = now.timestamp();
    sent.expected_at = Some(expected);
    sent.message_id = Some(mail.message_id.clone());
    Ok((sent, mail))
}

/// What became of an order handed to [`dispatch`].
#[derive(Debug)]
pub enum Dispatched {
    /// Sent: the order as it now is, and its mail to the vendor.
    Sent(PurchaseOrder, OutboundMail),
    /// Over the vendor's limit: the order marked as asked, and the manager's letter (subject, text).
    Ask(PurchaseOrder, String, String),
    /// Already put to the manager, and still waiting.
    Asked,
    /// Waiting for more to be needed, and why.
    Waits(String),
}

/// Sends `order`, or puts it to the manager when over its vendor's limit (once), or leaves it to wait.
/// The mails are written from the letters in `templates`.
pub fn dispatch(
    order: PurchaseOrder,
    vendor: &Vendor,
    catalog: &Catalog,
    office: &Office,
    templates: &Templates,
    now: DateTime<Utc>,
) -> Result<Dispatched, LetterError> {
    Ok(match next_step(&order, vendor) {
        Next::Send => {
            let (sent, mail) = send(&order, vendor, catalog, office, templates, now)?;
            Dispatched::Sent(sent, mail)
        }
        Next::Approval if order.approval_asked_at.is_none() => {
            let limit = Money::new(vendor.approval_limit.unwrap_or_default(), vendor.currency);
            let values = letters::approve_order(&order, limit, catalog.settings.vat, &office.language);
            let language = letters::language(&office.language);
            let subject = templates.letter("supply/approve-order-subject", language, &values)?;
            let text = templates.letter("supply/approve-order", language, &values)?;
            let mut asked = order;
            asked.approval_asked_at = Some(now.timestamp());
            Dispatched::Ask(asked, subject, text)
        }
        Next::Approval => Dispatched::Asked,
        Next::Wait(why) => Dispatched::Waits(why),
    })
}

/// Whether `order` is overdue at `now`: out with the vendor, past its expected date by the catalog's
/// `overdue_after`, and not yet reminded.
pub fn overdue(order: &PurchaseOrder, catalog: &Catalog, now: DateTime<Utc>) -> bool {
    let grace = i64::from(catalog.settings.overdue_after_days) * 86_400;
    order.state.is_out()
        && order.reminded_at.is_none()
        && order.expected_at.is_some_and(|expected| now.timestamp() > expected + grace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supply::catalog::tests::paper;
    use crate::supply::money::Currency;

    fn vendor(minimum: &str, limit: Option<&str>) -> Vendor {
        Vendor {
            name: "Cartoleria".into(),
            address: "ordini@cartoleria.example".into(),
            language: "it".into(),
            currency: Currency::EUR,
            minimum_order: minimum.parse().unwrap(),
            lead_time_days: 2,
            customer_number: Some("RB-2291".into()),
            approval_limit: limit.map(|l| l.parse().unwrap()),
        }
    }

    const NEXT: OrderNumber = OrderNumber { year: 2026, sequence: 7 };

    #[test]
    fn a_draft_is_started_for_the_vendor_and_then_grows() {
        let (vendor, item) = (vendor("0", None), paper());
        let draft = add_to_draft(&[], &item, &vendor, 35, NEXT, 100);
        assert_eq!((draft.number, draft.state, draft.lines.len()), (NEXT, OrderState::Draft, 1));
        assert_eq!(draft.lines[0].description, "Carta A4", "in the vendor's language");
        let grown = add_to_draft(&[draft], &item, &vendor, 5, OrderNumber { year: 2026, sequence: 8 }, 200);
        assert_eq!((grown.number, grown.lines[0].quantity), (NEXT, 40));
    }

    #[test]
    fn a_draft_put_to_the_manager_does_not_grow() {
        let (vendor, item) = (vendor("0", None), paper());
        let mut asked = add_to_draft(&[], &item, &vendor, 35, NEXT, 100);
        asked.approval_asked_at = Some(100);
        let other = OrderNumber { year: 2026, sequence: 8 };
        let grown = add_to_draft(&[asked], &item, &vendor, 5, other, 200);
        assert_eq!((grown.number, grown.lines[0].quantity), (other, 5));
    }

    #[test]
    fn a_draft_below_the_minimum_waits_and_one_over_the_limit_needs_approval() {
        let item = paper();
        let small = add_to_draft(&[], &item, &vendor("0", None), 5, NEXT, 0);
        assert!(
            matches!(next_step(&small, &vendor("50.00", None)), Next::Wait(why) if why.contains("minimum order of EUR 50.00"))
        );
        let big = add_to_draft(&[], &item, &vendor("0", None), 100, NEXT, 0);
        assert_eq!(next_step(&big, &vendor("50.00", Some("400.00"))), Next::Approval);
        assert_eq!(next_step(&big, &vendor("50.00", Some("500.00"))), Next::Send);
        let mut approved = big.clone();
        approved.state = OrderState::Approved;
        assert_eq!(next_step(&approved, &vendor("50.00", Some("400.00"))), Next::Send);
    }
}
