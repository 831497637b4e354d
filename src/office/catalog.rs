//! `catalog.toml` in the rules directory: what the supply desk may order and from whom.
//!
//! ```toml
//! [supply]
//! manager = "giulia@office.example"     # approves; default: the office's first owner
//! requesters = ["*@office.example"]     # who may order; default: the assistant's domain
//! approval_limit = "150.00"             # a request costing more waits for the manager's approve
//! currency = "EUR"                      # default EUR
//! vat = "22%"                           # added to purchase orders; default 0%
//! ship_to = "Rossi & Bianchi, Via Roma 1, 00184 Roma"
//! bill_to = "…"                         # default: ship_to
//! overdue_after = "2d"                  # remind a vendor this long after the expected date
//!
//! [[vendor]]
//! name = "Cartoleria Centrale"
//! address = "ordini@cartoleria.example"
//! language = "it"                       # default: the office's
//! currency = "EUR"                      # default: [supply] currency
//! minimum_order = "50.00"               # default 0
//! lead_time = "3d"                      # working days to deliver; default 5d
//! customer_number = "RB-2291"
//! approval_limit = "400.00"             # a purchase order over this waits for approve PO-…
//!
//! [[item]]
//! sku = "PAP-A4"
//! name = "A4 copy paper, 80 g, 500 sheets"
//! names.it = "Carta A4 per fotocopie, 80 g, 500 fogli"
//! aliases = ["a4 paper", "copy paper", "carta a4"]
//! unit = "ream"                         # default piece
//! pack_size = 5                         # default 1
//! holds = 4                             # pieces in one unit, when the unit is a pack (default none)
//! vendor = "Cartoleria Centrale"
//! vendor_sku = "CC-80500"               # default: the sku
//! price = "4.20"                        # per unit, before VAT, in the vendor's currency
//! reorder_point = 10                    # default 0
//! order_up_to = 40                      # default: the reorder point
//! order_multiple = 5                    # default 1
//! max_per_request = 20
//! active = true
//! ```
//!
//! Amounts are strings so that they stay exact. Every mistake is reported with its line, all at once.

use std::collections::BTreeMap;
use std::time::Duration;

use rust_decimal::Decimal;

use super::{Office, address, checked_address, duration};
use crate::mail::pattern::Glob;
use crate::supply::catalog::{Catalog, Item, SupplySettings, Vendor};
use crate::supply::money::{Currency, parse_amount, parse_percent};
use crate::supply::units::UNITS;
use crate::toml_doc::{Doc, Item as TomlItem, Table, did_you_mean};

/// How long a vendor takes when the catalog does not say.
const DEFAULT_LEAD_TIME: u32 = 5;
/// How long after the expected date an order counts as overdue when the catalog does not say.
const DEFAULT_OVERDUE_AFTER: u32 = 2;

/// Reads `catalog.toml` for `office`; `None` when anything was reported.
pub(crate) fn parse_catalog(doc: &Doc<'_>, office: Option<&Office>) -> Option<Catalog> {
    let root = doc.root();
    let settings = match root.get("supply") {
        Some(item) => item.expect_table().and_then(|t| settings(&t, office)),
        None => default_settings(doc, office),
    };
    let default_currency = settings.as_ref().map_or(Currency::EUR, |s| s.currency);
    let language = office.map_or("en", |o| o.language.as_str());
    let vendors: Vec<Option<(Vendor, std::ops::Range<usize>)>> = root
        .tables("vendor")
        .iter()
        .map(|t| vendor(t, default_currency, language).map(|v| (v, t.span())))
        .collect();
    let vendors: Option<Vec<(Vendor, std::ops::Range<usize>)>> = vendors.into_iter().collect();
    let items: Vec<Option<(Item, std::ops::Range<usize>)>> =
        root.tables("item").iter().map(|t| item(t, vendors.as_deref()).map(|i| (i, t.span()))).collect();
    let items: Option<Vec<(Item, std::ops::Range<usize>)>> = items.into_iter().collect();
    let (settings, vendors, items) = (settings?, vendors?, items?);
    let mut ok = unique(doc, vendors.iter().map(|(v, at)| (v.name.as_str(), at)), "vendors are", "name");
    ok &= unique(doc, items.iter().map(|(i, at)| (i.sku.to_ascii_uppercase(), at)), "items have", "sku");
    ok.then(|| Catalog {
        settings,
        vendors: vendors.into_iter().map(|(v, _)| v).collect(),
        items: items.into_iter().map(|(i, _)| i).collect(),
    })
}

/// Reports the second of two entries with the same key; true when there is none.
fn unique<'a, K: PartialEq + std::fmt::Display>(
    doc: &Doc<'_>,
    entries: impl Iterator<Item = (K, &'a std::ops::Range<usize>)>,
    what: &str,
    key: &str,
) -> bool {
    let mut seen: Vec<(K, usize)> = Vec::new();
    let mut ok = true;
    for (name, at) in entries {
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            let line = doc.line(*first);
            doc.error(at.clone(), format!("two {what} the {key} `{name}` (the first at line {line})"));
            ok = false;
        } else {
            seen.push((name, at.start));
        }
    }
    ok
}

/// The settings of a catalog without `[supply]`: the first owner approves.
fn default_settings(doc: &Doc<'_>, office: Option<&Office>) -> Option<SupplySettings> {
    let office = office?;
    let Some(owner) = office.owners.first() else {
        doc.error(0..0, "missing `[supply] manager`: the office has no owner to approve orders");
        return None;
    };
    Some(SupplySettings {
        manager: owner.address.clone(),
        requesters: Vec::new(),
        approval_limit: None,
        currency: Currency::EUR,
        vat: Decimal::ZERO,
        ship_to: office.name.clone(),
        bill_to: office.name.clone(),
        overdue_after_days: DEFAULT_OVERDUE_AFTER,
    })
}

fn settings(table: &Table<'_, '_>, office: Option<&Office>) -> Option<SupplySettings> {
    let manager = match table.get("manager") {
        Some(item) => item.expect_str().and_then(|a| checked_address(table.doc(), a, item.span())),
        None => match office.and_then(|o| o.owners.first()) {
            Some(owner) => Some(owner.address.clone()),
            None => {
                table.missing("manager");
                None
            }
        },
    };
    let requesters = match table.get("requesters") {
        Some(item) => globs(&item),
        None => Some(Vec::new()),
    };
    let approval_limit = table.optional("approval_limit", amount);
    let currency = table.optional("currency", currency);
    let vat = table.optional("vat", |item| {
        let text = item.expect_str()?;
        let vat = parse_percent(text).filter(|v| *v < Decimal::ONE);
        if vat.is_none() {
            item.error(format!("`{text}` is not a VAT rate: write a percentage like \"22%\""));
        }
        vat
    });
    let ship_to = table.optional("ship_to", |i| i.expect_str().map(str::to_owned));
    let bill_to = table.optional("bill_to", |i| i.expect_str().map(str::to_owned));
    let overdue_after = table.optional("overdue_after", |i| days(i));
    let ship_to = ship_to.ok()?.unwrap_or_else(|| office.map(|o| o.name.clone()).unwrap_or_default());
    Some(SupplySettings {
        manager: manager?,
        requesters: requesters?,
        approval_limit: approval_limit.ok()?,
        currency: currency.ok()?.unwrap_or(Currency::EUR),
        vat: vat.ok()?.unwrap_or(Decimal::ZERO),
        bill_to: bill_to.ok()?.unwrap_or_else(|| ship_to.clone()),
        ship_to,
        overdue_after_days: overdue_after.ok()?.unwrap_or(DEFAULT_OVERDUE_AFTER),
    })
}

fn vendor(table: &Table<'_, '_>, default_currency: Currency, office_language: &str) -> Option<Vendor> {
    let name = table.required_string("name");
    let address = address(table, "address");
    let language = table.optional("language", |i| i.expect_str().map(str::to_owned));
    let currency = table.optional("currency", currency);
    let minimum_order = table.optional("minimum_order", amount);
    let lead_time = table.optional("lead_time", |i| days(i));
    let customer_number = table.optional("customer_number", |i| i.expect_str().map(str::to_owned));
    let approval_limit = table.optional("approval_limit", amount);
    Some(Vendor {
        name: name?.into_inner().to_owned(),
        address: address?,
        language: language.ok()?.unwrap_or_else(|| office_language.to_owned()),
        currency: currency.ok()?.unwrap_or(default_currency),
        minimum_order: minimum_order.ok()?.unwrap_or(Decimal::ZERO),
        lead_time_days: lead_time.ok()?.unwrap_or(DEFAULT_LEAD_TIME),
        customer_number: customer_number.ok()?,
        approval_limit: approval_limit.ok()?,
    })
}

fn item(table: &Table<'_, '_>, vendors: Option<&[(Vendor, std::ops::Range<usize>)]>) -> Option<Item> {
    let sku = table.required_string("sku");
    let name = table.required_string("name");
    let names = table.optional("names", |item| {
        let names = item.expect_table()?;
        let entries = names.entries();
        let read: Vec<Option<(String, String)>> = entries
            .iter()
            .map(|(language, name)| name.expect_str().map(|n| (language.get_ref().to_string(), n.to_owned())))
            .collect();
        read.into_iter().collect::<Option<BTreeMap<_, _>>>()
    });
    let aliases = table.optional("aliases", |item| {
        item.strings().map(|list| list.iter().map(|a| a.get_ref().to_string()).collect::<Vec<_>>())
    });
    let unit = table.optional("unit", unit);
    let pack_size = table.optional("pack_size", |i| positive(i, "a pack holds at least one unit"));
    let holds = table.optional("holds", |i| positive(i, "a unit holds at least one piece"));
    let vendor = table.get("vendor").and_then(|item| {
        let name = item.expect_str()?;
        match vendors {
            Some(vendors) if !vendors.iter().any(|(v, _)| v.name == name) => {
                let hint = did_you_mean(name, vendors.iter().map(|(v, _)| v.name.as_str()))
                    .map(|close| format!(", did you mean `{close}`?"))
                    .unwrap_or_else(|| " (add it as a [[vendor]])".to_owned());
                item.error(format!("no vendor is named `{name}`{hint}"));
                None
            }
            _ => Some(name.to_owned()),
        }
    });
    if !table.has("vendor") {
        table.missing("vendor");
    }
    let vendor_sku = table.optional("vendor_sku", |i| i.expect_str().map(str::to_owned));
    let price = match table.get("price") {
        Some(item) => amount(&item),
        None => {
            table.missing("price");
            None
        }
    };
    let reorder_point = table.optional("reorder_point", |i| at_least_zero(i));
    let order_up_to = table.optional("order_up_to", |i| at_least_zero(i));
    let order_multiple = table.optional("order_multiple", |i| positive(i, "order at least one at a time"));
    let max_per_request = table.optional("max_per_request", |i| positive(i, "a request may ask for one"));
    let active = table.optional("active", |i| i.expect_bool());
    let reorder_point = reorder_point.ok()?.unwrap_or(0);
    let order_up_to = match order_up_to.ok()? {
        Some(level) if level < reorder_point => {
            let at = table.get("order_up_to").map_or(table.span(), |i| i.span());
            table
                .doc()
                .error(at, format!("`order_up_to = {level}` is below `reorder_point = {reorder_point}`"));
            return None;
        }
        Some(level) => level,
        None => reorder_point,
    };
    let sku = sku?.into_inner().to_owned();
    Some(Item {
        vendor_sku: vendor_sku.ok()?.unwrap_or_else(|| sku.clone()),
        sku,
        name: name?.into_inner().to_owned(),
        names: names.ok()?.unwrap_or_default(),
        aliases: aliases.ok()?.unwrap_or_default(),
        unit: unit.ok()?.unwrap_or_else(|| "piece".to_owned()),
        pack_size: pack_size.ok()?.unwrap_or(1),
        holds: holds.ok()?,
        vendor: vendor?,
        price: price?,
        reorder_point,
        order_up_to,
        order_multiple: order_multiple.ok()?.unwrap_or(1),
        max_per_request: max_per_request.ok()?,
        active: active.ok()?.unwrap_or(true),
    })
}

/// An amount of money written as a string: `"4.20"`.
pub(super) fn amount(item: &TomlItem<'_, '_>) -> Option<Decimal> {
    let Some(text) = item.as_str() else {
        item.type_error("an amount in quotes, like \"4.20\" (a number would not stay exact)");
        return None;
    };
    let amount = parse_amount(text);
    if amount.is_none() {
        item.error(format!("`{text}` is not an amount: write it like \"4.20\", with a point"));
    }
    if amount.is_some_and(|a| a > Decimal::from(LARGEST)) {
        item.error(format!("`{text}` is more than {LARGEST}"));
        return None;
    }
    amount
}

pub(super) fn currency(item: &TomlItem<'_, '_>) -> Option<Currency> {
    let text = item.expect_str()?;
    let currency = Currency::parse(text);
    if currency.is_none() {
        item.error(format!("`{text}` is not a currency code: write three letters, like \"EUR\""));
    }
    currency
}

/// A unit: one clerk knows, or (with a suggestion when it is close to one) any other word.
fn unit(item: &TomlItem<'_, '_>) -> Option<String> {
    let text = item.expect_str()?;
    let known = UNITS.iter().map(|u| u.name);
    if !UNITS.iter().any(|u| u.name == text)
        && let Some(close) = did_you_mean(text, known)
    {
        item.error(format!("unknown unit `{text}`, did you mean `{close}`?"));
        return None;
    }
    Some(text.to_owned())
}

/// A number of working days written as a period: `"3d"`, `"1w"` (five working days).
fn days(item: &TomlItem<'_, '_>) -> Option<u32> {
    let period: Duration = duration(item)?;
    let days = period.as_secs().div_ceil(86_400);
    let days = if period.as_secs().is_multiple_of(7 * 86_400) { days / 7 * 5 } else { days };
    u32::try_from(days).ok()
}

/// The largest count or amount a catalog may hold: beyond it, arithmetic on stock could overflow,
/// and no cupboard holds a billion of anything.
const LARGEST: i64 = 1_000_000_000;

pub(super) fn positive(item: &TomlItem<'_, '_>, why: &str) -> Option<u32> {
    let n = item.expect_integer()?;
    if n > LARGEST {
        item.error(format!("`{} = {n}` is more than {LARGEST}", item.path()));
        return None;
    }
    match u32::try_from(n) {
        Ok(n) if n > 0 => Some(n),
        _ => {
            item.error(format!("`{} = {n}`: {why}", item.path()));
            None
        }
    }
}

fn at_least_zero(item: &TomlItem<'_, '_>) -> Option<i64> {
    let n = item.expect_integer()?;
    if n < 0 {
        item.error(format!("`{} = {n}` cannot be negative", item.path()));
        return None;
    }
    if n > LARGEST {
        item.error(format!("`{} = {n}` is more than {LARGEST}", item.path()));
        return None;
    }
    Some(n)
}

fn globs(item: &TomlItem<'_, '_>) -> Option<Vec<Glob>> {
    let patterns = item.strings()?;
    let parsed: Vec<Option<Glob>> = patterns
        .iter()
        .map(|p| match Glob::new(p.get_ref()) {
            Ok(glob) => Some(glob),
            Err(e) => {
                item.doc().error(p.span(), format!("`{}`: {e}", item.path()));
                None
            }
        })
        .collect();
    parsed.into_iter().collect()
}
