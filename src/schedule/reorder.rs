//! The `reorder` job: the supply cupboard's purchase orders go out.
//!
//! At each run, every active item below its reorder point is put on its vendor's draft (stock that
//! ran down without a request, or a count with `clerk stock set`); each draft and approved order is
//! then sent, grouped per vendor, once it reaches the vendor's minimum order, or put to the manager
//! when over the vendor's limit; and each order overdue by `[supply] overdue_after` gets one reminder
//! to its vendor. Everything the run changes is stored in the transaction that queues its mail, and
//! every mail's Message-ID comes from what it is for, so a run repeated after a crash sends nothing
//! twice.

use chrono::{DateTime, Utc};
use tracing::{info, warn};

use crate::desks::supply::order_mail::{self, OrderLetter};
use crate::desks::supply::ordering::{self, Dispatched};
use crate::desks::supply::restock::{alert_letter, restock, settle};
use crate::desks::supply::{BatchSupply, SupplyView};
use crate::mail::compose::{self, Extras, Notice, OutboundMail};
use crate::mail::message::Address;
use crate::rules::{RuleSet, Schedule};
use crate::store::{Store, StoreError};
use crate::supply::{OrderState, SupplyChange, Thread};

/// What a run queues and changes.
#[derive(Debug, Default)]
pub struct Reordered {
    pub mails: Vec<OutboundMail>,
    pub change: SupplyChange,
}

/// The run of `job` at `now`, in `slot` (unix seconds, which seeds its alerts' Message-IDs).
pub fn run(
    rules: &RuleSet,
    store: &Store,
    job: &Schedule,
    slot: i64,
    now: DateTime<Utc>,
) -> Result<Reordered, StoreError> {
    let mut run = Reordered::default();
    let Some(catalog) = &rules.catalog else {
        warn!(schedule = %job.name, "reorder: the rules directory has no catalog.toml; nothing to order");
        return Ok(run);
    };
    let office = &rules.office;
    let manager = Address {
        name: office
            .owners
            .iter()
            .find(|o| o.address.eq_ignore_ascii_case(&catalog.settings.manager))
            .map(|o| o.name.clone()),
        email: catalog.settings.manager.clone(),
    };
    let letter = |subject: String, text: String, seed: String| -> Option<OutboundMail> {
        let identity = crate::actions::identity(office);
        let notice = Notice {
            from: &identity,
            to: vec![manager.clone()],
            subject,
            html: compose::html_document(&text),
            text,
            message_id: compose::message_id(
                seed.as_bytes(),
                crate::mail::message::domain_of(&office.assistant.address),
            ),
            date: now,
            loop_header_value: office.assistant.address.clone(),
        };
        match compose::letter(&notice, &Extras::default()) {
            Ok(mail) => Some(mail),
            Err(e) => {
                warn!(schedule = %job.name, error = %e, "reorder: a letter to the manager cannot be composed");
                None
            }
        }
    };

    let mut low = Vec::new();
    for item in catalog.items.iter().filter(|i| i.active) {
        let done = restock(store, &mut run.change, catalog, item, false, now, office)?;
        low.extend(done.alert);
    }

    let seen = |change: &SupplyChange| BatchSupply { store, pending: vec![change.clone()] };
    for order in seen(&run.change).orders(&[OrderState::Draft, OrderState::Approved])? {
        let number = order.number;
        let Some(vendor) = catalog.vendor(&order.vendor) else {
            warn!(schedule = %job.name, order = %number, vendor = %order.vendor, "reorder: the vendor is not in the catalog");
            continue;
        };
        let dispatched = match ordering::dispatch(order, vendor, catalog, office, &rules.templates, now) {
            Ok(dispatched) => dispatched,
            Err(e) => {
                warn!(schedule = %job.name, order = %number, error = %e, "reorder: the purchase order cannot be composed");
                continue;
            }
        };
        match dispatched {
            Dispatched::Sent(sent, mail) => {
                info!(schedule = %job.name, order = %number, vendor = %vendor.name, "reorder: purchase order sent");
                run.change.threads.push((mail.message_id.clone(), Thread::Order(number)));
                run.mails.push(mail);
                put(&mut run.change, sent);
            }
            Dispatched::Ask(asked, subject, text) => {
                info!(schedule = %job.name, order = %number, "reorder: over the vendor's limit; the manager is asked");
                if let Some(mail) = letter(subject, text, format!("approve {number}")) {
                    run.change.threads.push((mail.message_id.clone(), Thread::Order(number)));
                    run.mails.push(mail);
                    put(&mut run.change, asked);
                }
            }
            Dispatched::Asked => {
                info!(schedule = %job.name, order = %number, "reorder: still waiting for the manager's approval")
            }
            Dispatched::Waits(why) => info!(schedule = %job.name, order = %number, "reorder: waits: {why}"),
        }
    }

    // The alerts say what became of the orders this run sent, put to the manager or left waiting.
    for low in low {
        let low = settle(low, &seen(&run.change), catalog)?;
        match alert_letter(rules, &low) {
            Ok((subject, text)) => {
                run.mails.extend(letter(subject, text, format!("reorder\0low\0{}\0{slot}", low.sku)))
            }
            Err(e) => {
                warn!(schedule = %job.name, sku = %low.sku, error = %e, "reorder: cannot write the low-stock alert")
            }
        }
    }

    for mut order in seen(&run.change).orders(&OrderState::OPEN)?.into_iter().filter(|o| o.state.is_out()) {
        let Some(vendor) = catalog.vendor(&order.vendor) else { continue };
        if !ordering::overdue(&order, catalog, now) {
            continue;
        }
        let templates = &rules.templates;
        match order_mail::reminder(&OrderLetter { order: &order, vendor, catalog, office, templates, now }) {
            Ok(mail) => {
                info!(schedule = %job.name, order = %order.number, "reorder: overdue; the vendor is reminded");
                run.change.threads.push((mail.message_id.clone(), Thread::Order(order.number)));
                run.mails.push(mail);
                order.reminded_at = Some(now.timestamp());
                order.updated_at = now.timestamp();
                put(&mut run.change, order);
            }
            Err(e) => {
                warn!(schedule = %job.name, order = %order.number, error = %e, "reorder: the reminder cannot be composed")
            }
        }
    }
    Ok(run)
}

/// Puts `order` into `change`, replacing an earlier version of it.
fn put(change: &mut SupplyChange, order: crate::supply::PurchaseOrder) {
    change.orders.retain(|o| o.number != order.number);
    change.orders.push(order);
}
