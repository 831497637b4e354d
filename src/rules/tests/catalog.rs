//! `catalog.toml`: the supply desk's items and vendors, read with every mistake reported at its line.

use super::{Dir, OFFICE};

/// A small valid catalog, the base of these tests.
pub(crate) const CATALOG: &str = r#"
[supply]
requesters = ["*@office.example"]
approval_limit = "150.00"
vat = "22%"
ship_to = "Via Roma 1, Roma"

[[vendor]]
name = "Cartoleria"
address = "ordini@cartoleria.example"
language = "it"
minimum_order = "50.00"
lead_time = "1w"
customer_number = "RB-2291"

[[item]]
sku = "PAP-A4"
name = "A4 copy paper"
names.it = "Carta A4"
aliases = ["copy paper", "carta a4"]
unit = "ream"
pack_size = 5
vendor = "Cartoleria"
vendor_sku = "CC-80500"
price = "4.20"
reorder_point = 10
order_up_to = 40
order_multiple = 5
"#;

fn with_catalog(catalog: &str) -> Dir {
    let dir = Dir::new();
    dir.write("office.toml", OFFICE);
    dir.write("10.rules.toml", "[[rule]]\nname = \"supplies\"\ndesk = \"supply\"\n");
    dir.write("catalog.toml", catalog);
    dir
}

#[test]
fn a_catalog_is_read_with_its_defaults() {
    let set = with_catalog(CATALOG).load();
    let catalog = set.catalog.expect("a catalog");
    assert_eq!(catalog.settings.manager, "giulia@office.example", "the first owner approves");
    assert_eq!(catalog.settings.vat, "0.22".parse().unwrap());
    assert_eq!(catalog.settings.bill_to, "Via Roma 1, Roma");
    let vendor = &catalog.vendors[0];
    assert_eq!(vendor.lead_time_days, 5, "a week is five working days");
    assert_eq!(vendor.currency.code(), "EUR");
    let paper = catalog.item("pap-a4").expect("found by its SKU in any case");
    assert_eq!(paper.price, "4.20".parse().unwrap());
    assert_eq!(paper.name_in("it"), "Carta A4");
    assert_eq!((paper.pack_size, paper.order_multiple, paper.max_per_request), (5, 5, None));
    assert!(paper.active);
}

#[test]
fn the_supply_desk_needs_a_catalog() {
    let dir = Dir::new();
    dir.write("office.toml", OFFICE);
    dir.write("10.rules.toml", "[[rule]]\nname = \"supplies\"\ndesk = \"supply\"\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("10.rules.toml:3") && errors[0].contains("add catalog.toml"), "{errors:?}");
}

#[test]
fn every_mistake_of_a_catalog_is_reported_at_its_line() {
    let broken = CATALOG
        .replace("price = \"4.20\"", "price = 4.20")
        .replace("vendor = \"Cartoleria\"", "vendor = \"Cartolería\"")
        .replace("unit = \"ream\"", "unit = \"reams\"")
        .replace("order_up_to = 40", "order_up_to = 4")
        .replace("lead_time = \"1w\"", "lead_tme = \"1w\"");
    let errors = with_catalog(&broken).errors();
    let expected = [
        ("catalog.toml:13", "unknown key `vendor.lead_tme`, did you mean `vendor.lead_time`?"),
        ("catalog.toml:21", "unknown unit `reams`, did you mean `ream`?"),
        ("catalog.toml:23", "no vendor is named `Cartolería`, did you mean `Cartoleria`?"),
        ("catalog.toml:25", "an amount in quotes"),
        ("catalog.toml:27", "`order_up_to = 4` is below `reorder_point = 10`"),
    ];
    for (at, message) in expected {
        assert!(errors.iter().any(|e| e.contains(at) && e.contains(message)), "{at} {message}: {errors:#?}");
    }
}

#[test]
fn two_items_with_one_sku_are_refused() {
    let twice = format!(
        "{CATALOG}\n[[item]]\nsku = \"pap-a4\"\nname = \"Paper\"\nvendor = \"Cartoleria\"\nprice = \"1.00\"\n"
    );
    let errors = with_catalog(&twice).errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("two items have the sku `PAP-A4` (the first at line 16)"), "{errors:?}");
}

#[test]
fn an_amount_with_a_comma_is_refused_rather_than_guessed() {
    let errors = with_catalog(&CATALOG.replace("\"4.20\"", "\"4,20\"")).errors();
    assert!(errors.iter().any(|e| e.contains("`4,20` is not an amount")), "{errors:?}");
}

#[test]
fn counts_and_prices_beyond_a_billion_are_refused() {
    let huge = CATALOG
        .replace("order_up_to = 40", "order_up_to = 9223372036854775807")
        .replace("\"4.20\"", "\"99999999999.00\"");
    let errors = with_catalog(&huge).errors();
    assert!(
        errors.iter().any(|e| e.contains("`item.order_up_to = 9223372036854775807` is more than 1000000000")),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.contains("`99999999999.00` is more than 1000000000")), "{errors:?}");
}
