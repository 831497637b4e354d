//! The supply cupboard as `rules/catalog.toml` describes it: the items colleagues may ask for, the
//! vendors clerk orders them from, and the office's purchasing settings. Read and checked with the
//! rules (`rules::catalog`); this module holds the plain data and the arithmetic on it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::money::{Currency, Money};
use crate::mail::pattern::Glob;

/// The whole catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    pub settings: SupplySettings,
    pub vendors: Vec<Vendor>,
    pub items: Vec<Item>,
}

/// `[supply]`: who may order, who approves, and what goes on every purchase order.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplySettings {
    /// Approves requests over `approval_limit` and purchase orders over a vendor's limit, and hears
    /// of what clerk does not understand. Default: the office's first owner.
    pub manager: String,
    /// Who may order supplies. Empty means the assistant's own domain.
    pub requesters: Vec<Glob>,
    /// A request costing more than this waits for the manager's `approve`. `None`: never.
    pub approval_limit: Option<Decimal>,
    /// The office's currency, for requests' totals and vendors that name none.
    pub currency: Currency,
    /// VAT added to purchase orders, as a fraction (0.22).
    pub vat: Decimal,
    /// Where vendors deliver, printed on every purchase order.
    pub ship_to: String,
    /// Whom vendors invoice; default the delivery address.
    pub bill_to: String,
    /// A sent purchase order not received this many days after its expected date gets one reminder
    /// to the vendor.
    pub overdue_after_days: u32,
}

/// A vendor clerk orders from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vendor {
    /// How items name it, and how it is shown.
    pub name: String,
    /// Where purchase orders go; its replies come from here.
    pub address: String,
    /// The language purchase orders to it are written in (`en`, `it`).
    pub language: String,
    pub currency: Currency,
    /// A purchase order below this value waits until more is needed.
    pub minimum_order: Decimal,
    /// Working days from order to delivery.
    pub lead_time_days: u32,
    /// The office's customer number with the vendor, quoted on every order.
    pub customer_number: Option<String>,
    /// A purchase order over this value waits for the manager's `approve PO-…`. `None`: never.
    pub approval_limit: Option<Decimal>,
}

/// One thing the cupboard holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The office's code for it, unique in the catalog.
    pub sku: String,
    /// Its name in the office's language.
    pub name: String,
    /// Its name in other languages (`it` → "Carta A4").
    pub names: BTreeMap<String, String>,
    /// Other words people use for it ("copy paper", "risma"), in any language.
    pub aliases: Vec<String>,
    /// What a quantity counts: `ream`, `box`, `piece` (see [`super::units`]).
    pub unit: String,
    /// How many units a pack (box, carton, confezione) holds: "2 boxes" of a 5-ream box is 10 reams.
    pub pack_size: u32,
    /// How many pieces one unit holds, when the unit is itself a pack (`unit = "pack"`, `holds = 4`
    /// for a pack of four batteries): a request counting the pieces ("8 AA batteries") is read in
    /// packs, and one that does not come to whole packs is asked about.
    pub holds: Option<u32>,
    pub vendor: String,
    /// The vendor's code for it, printed on purchase orders.
    pub vendor_sku: String,
    /// Price of one unit before VAT, in the vendor's currency.
    pub price: Decimal,
    /// When available stock falls below this, clerk orders more.
    pub reorder_point: i64,
    /// How much stock an order brings the item back up to.
    pub order_up_to: i64,
    /// Vendors sell it in multiples of this many units.
    pub order_multiple: u32,
    /// The most one request may ask for without the manager's approval.
    pub max_per_request: Option<u32>,
    /// An inactive item is no longer ordered: requests naming it are asked about.
    pub active: bool,
}

impl Catalog {
    /// The item with `sku`, ignoring case.
    pub fn item(&self, sku: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.sku.eq_ignore_ascii_case(sku))
    }

    /// The vendor named `name`.
    pub fn vendor(&self, name: &str) -> Option<&Vendor> {
        self.vendors.iter().find(|vendor| vendor.name == name)
    }

    /// The vendor whose order address is `address`, ignoring case.
    pub fn vendor_at(&self, address: &str) -> Option<&Vendor> {
        self.vendors.iter().find(|vendor| vendor.address.eq_ignore_ascii_case(address))
    }
}

impl Item {
    /// The name to show a reader of `language`.
    pub fn name_in(&self, language: &str) -> &str {
        self.names.get(language).map_or(&self.name, String::as_str)
    }

    /// `quantity` units at this item's price.
    pub fn cost(&self, quantity: i64, currency: Currency) -> Money {
        Money::new(self.price * Decimal::from(quantity), currency)
    }

    /// `needed` rounded up to the item's order multiple.
    pub fn in_multiples(&self, needed: i64) -> i64 {
        let multiple = i64::from(self.order_multiple.max(1));
        if needed <= 0 { 0 } else { needed.saturating_add(multiple - 1) / multiple * multiple }
    }

    /// How much to order when `position` (available stock plus what is already on order or drafted)
    /// has fallen below the reorder point, or below zero because requests wait: enough to bring it
    /// back to the order-up-to level, in the vendor's multiples. Zero when it has not.
    pub fn to_order(&self, position: i64) -> i64 {
        if position >= self.reorder_point && position >= 0 {
            return 0;
        }
        self.in_multiples(self.order_up_to.max(0).saturating_sub(position))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn paper() -> Item {
        Item {
            sku: "PAP-A4".into(),
            name: "A4 copy paper".into(),
            names: BTreeMap::from([("it".into(), "Carta A4".into())]),
            aliases: vec!["copy paper".into()],
            unit: "ream".into(),
            pack_size: 5,
            holds: None,
            vendor: "Cartoleria".into(),
            vendor_sku: "CC-80500".into(),
            price: "4.20".parse().unwrap(),
            reorder_point: 10,
            order_up_to: 40,
            order_multiple: 5,
            max_per_request: Some(20),
            active: true,
        }
    }

    #[test]
    fn nothing_is_ordered_while_stock_is_at_or_above_the_reorder_point() {
        assert_eq!(paper().to_order(10), 0);
        assert_eq!(paper().to_order(35), 0);
    }

    #[test]
    fn an_order_brings_stock_back_to_its_level_in_the_vendors_multiples() {
        // 40 - 9 = 31, in fives: 35.
        assert_eq!(paper().to_order(9), 35);
        assert_eq!(paper().to_order(0), 40);
    }

    #[test]
    fn requests_waiting_for_stock_are_ordered_for_too() {
        // Three reams promised and none on the shelf: 43, in fives 45.
        assert_eq!(paper().to_order(-3), 45);
    }

    #[test]
    fn an_item_that_is_never_kept_is_ordered_only_for_what_waits() {
        let mut item = paper();
        item.reorder_point = 0;
        item.order_up_to = 0;
        item.order_multiple = 1;
        assert_eq!(item.to_order(0), 0);
        assert_eq!(item.to_order(-2), 2);
    }

    #[test]
    fn names_are_shown_in_the_readers_language_when_the_catalog_has_it() {
        assert_eq!(paper().name_in("it"), "Carta A4");
        assert_eq!(paper().name_in("de"), "A4 copy paper");
    }
}
