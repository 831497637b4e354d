use std::collections::BTreeMap;

use super::*;
use crate::supply::catalog::SupplySettings;
use crate::supply::extract::{Quantity, Requested};
use crate::supply::money::Currency;

fn item(sku: &str, name: &str, italian: &str, aliases: &[&str], vendor_sku: &str) -> Item {
    Item {
        sku: sku.into(),
        name: name.into(),
        names: BTreeMap::from([("it".into(), italian.into())]),
        aliases: aliases.iter().map(|a| (*a).into()).collect(),
        unit: "piece".into(),
        pack_size: 1,
        holds: None,
        vendor: "Cartoleria".into(),
        vendor_sku: vendor_sku.into(),
        price: "1.00".parse().unwrap(),
        reorder_point: 0,
        order_up_to: 0,
        order_multiple: 1,
        max_per_request: None,
        active: true,
    }
}

fn catalog() -> Catalog {
    Catalog {
        settings: SupplySettings {
            manager: "giulia@office.example".into(),
            requesters: Vec::new(),
            approval_limit: None,
            currency: Currency::EUR,
            vat: "0.22".parse().unwrap(),
            ship_to: "Via Roma 1".into(),
            bill_to: "Via Roma 1".into(),
            overdue_after_days: 2,
        },
        vendors: Vec::new(),
        items: vec![
            item(
                "PAP-A4",
                "A4 copy paper, 80 g, 500 sheets",
                "Carta A4",
                &["copy paper", "printer paper"],
                "CC-80500",
            ),
            item("PAP-A3", "A3 paper", "Carta A3", &[], "CC-80300"),
            item("TON-26A", "Toner HP 26A", "Toner HP 26A", &["HP 26A"], "CF226A"),
            item("TON-85A", "Toner HP 85A", "Toner HP 85A", &["HP 85A"], "CE285A"),
            item("TON-2420", "Toner Brother TN-2420", "Toner Brother TN-2420", &[], "TN2420"),
            item("PEN-BLU", "Blue ballpoint pen", "Penna a sfera blu", &["blue pens"], "BIC-B"),
            item("PEN-RED", "Red ballpoint pen", "Penna a sfera rossa", &[], "BIC-R"),
            item("STA-01", "Stapler", "Cucitrice", &[], "ZE-590"),
            item(
                "STP-26",
                "Staples 26/6",
                "Punti metallici 26/6",
                &["graffette", "punti per cucitrice"],
                "ZE-266",
            ),
            item("NOTE-A5", "Notepad A5", "Blocco appunti A5", &["blocchi per appunti"], "PIG-A5"),
            item("HIL-Y", "Yellow highlighter", "Evidenziatore giallo", &[], "STB-Y"),
        ],
    }
}

fn line(description: &str) -> Requested {
    Requested {
        written: description.into(),
        quantity: Quantity::Given(1),
        unit: None,
        description: description.into(),
        halved: false,
    }
}

fn sku_of<'c>(found: &Match<'c>) -> Option<&'c str> {
    match found {
        Match::Item(c) => Some(c.item.sku.as_str()),
        _ => None,
    }
}

fn offered<'c>(found: &Match<'c>) -> Vec<&'c str> {
    match found {
        Match::Unsure(list) | Match::Unknown(list) => list.iter().map(|c| c.item.sku.as_str()).collect(),
        Match::Item(_) => Vec::new(),
    }
}

#[test]
fn a_line_naming_an_item_in_other_words_finds_it() {
    let catalog = catalog();
    let matcher = Matcher::new(&catalog);
    for (text, sku) in [
        ("HP 26A toner", "TON-26A"),
        ("toner 26A", "TON-26A"),
        ("HP 85A", "TON-85A"),
        ("carta A4", "PAP-A4"),
        ("A4 paper", "PAP-A4"),
        ("copy paper", "PAP-A4"),
        ("penne blu", "PEN-BLU"),
        ("blue pen", "PEN-BLU"),
        ("penne rosse", "PEN-RED"),
        ("cucitrici", "STA-01"),
        ("graffette", "STP-26"),
        ("evidenziatori gialli", "HIL-Y"),
        ("toners for the HP 26A printer", "TON-26A"),
    ] {
        assert_eq!(sku_of(&matcher.find(&line(text))), Some(sku), "{text}: {:?}", matcher.find(&line(text)));
    }
}

#[test]
fn a_code_decides_at_once() {
    let catalog = catalog();
    let matcher = Matcher::new(&catalog);
    assert_eq!(sku_of(&matcher.find(&line("TON-26A"))), Some("TON-26A"));
    assert_eq!(sku_of(&matcher.find(&line("ton-26a"))), Some("TON-26A"));
    assert_eq!(sku_of(&matcher.find(&line("CF226A"))), Some("TON-26A"));
    assert_eq!(sku_of(&matcher.find(&line("PAP-A4 A4 copy paper"))), Some("PAP-A4"));
}

#[test]
fn typos_and_a_code_written_apart_still_find_the_item() {
    let catalog = catalog();
    let matcher = Matcher::new(&catalog);
    assert_eq!(sku_of(&matcher.find(&line("tonner HP 26 A"))), Some("TON-26A"));
    assert_eq!(sku_of(&matcher.find(&line("stapeler"))), Some("STA-01"));
    assert_eq!(sku_of(&matcher.find(&line("evidenziatore gialo"))), Some("HIL-Y"));
}

#[test]
fn a_code_that_differs_by_one_character_is_another_item() {
    let catalog = catalog();
    let matcher = Matcher::new(&catalog);
    assert_ne!(sku_of(&matcher.find(&line("HP 86A toner"))), Some("TON-26A"));
    assert_ne!(sku_of(&matcher.find(&line("HP 86A toner"))), Some("TON-85A"));
}

#[test]
fn a_line_that_fits_several_items_is_asked_about_with_them() {
    let catalog = catalog();
    let matcher = Matcher::new(&catalog);
    let toner = matcher.find(&line("toner"));
    assert!(matches!(toner, Match::Unsure(_)), "{toner:?}");
    let mut skus = offered(&toner);
    skus.sort();
    assert_eq!(skus, ["TON-2420", "TON-26A", "TON-85A"]);
    let pens = matcher.find(&line("pens"));
    assert!(matches!(pens, Match::Unsure(_)), "{pens:?}");
    assert!(offered(&pens).contains(&"PEN-BLU") && offered(&pens).contains(&"PEN-RED"));
    assert!(matches!(matcher.find(&line("paper")), Match::Unsure(_)));
}

#[test]
fn a_line_the_catalog_has_nothing_like_is_unknown() {
    let catalog = catalog();
    let matcher = Matcher::new(&catalog);
    assert!(matches!(matcher.find(&line("coffee beans")), Match::Unknown(_)));
    assert!(matches!(matcher.find(&line("Mario")), Match::Unknown(_)));
}

#[test]
fn the_unit_may_be_part_of_the_name() {
    let catalog = catalog();
    let matcher = Matcher::new(&catalog);
    let mut read = line("appunti");
    read.unit = Some("blocchi".into());
    assert_eq!(sku_of(&matcher.find(&read)), Some("NOTE-A5"));
}

#[test]
fn plurals_and_genders_meet() {
    assert_eq!(stem("risme"), stem("risma"));
    assert_eq!(stem("boxes"), stem("box"));
    assert_eq!(stem("cartucce"), stem("cartuccia"));
    assert_eq!(stem("batteries"), stem("battery"));
    assert_eq!(stem("penne"), stem("penna"));
    assert_eq!(words("HP 26 A"), ["hp", "26a"]);
}

#[test]
fn a_line_of_one_word_of_megabytes_names_nothing() {
    let catalog = catalog();
    let matcher = Matcher::new(&catalog);
    let found = matcher.find(&line(&"toner".repeat(1_000_000)));
    assert!(matches!(found, Match::Unknown(ref close) if close.is_empty()), "{found:?}");
}

#[test]
fn a_long_line_names_its_item_by_its_first_words() {
    let catalog = catalog();
    let matcher = Matcher::new(&catalog);
    let text = format!("HP 26A toner {}", "for the big printer on the second floor ".repeat(5_000));
    assert_eq!(sku_of(&matcher.find(&line(&text))), Some("TON-26A"));
}
