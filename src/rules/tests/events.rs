//! `[events]`, `[[venue]]` and `[[caterer]]` in office.toml: their settings, defaults, and located
//! errors.

use std::time::Duration;

use crate::office::events::{Price, Venue};
use crate::planning::Meal;
use crate::supply::money::{Currency, Money};

use super::{Dir, OFFICE};

const EVENTS: &str = r#"
[[calendar]]
name = "giulia"
owner = "giulia@office.example"

[[room]]
name = "Sala Verde"
capacity = 8

[events]
organisers = ["chiara@office.example"]
calendar = "giulia"
final_headcount_before = "2d"

[[venue]]
name = "Trattoria da Enzo"
address = "eventi@daenzo.example"
capacity = 40
price_per_person = "35.00"
language = "it"

[[caterer]]
name = "Buffet Roma"
address = "ordini@buffetroma.example"
price_per_person = "18.00"
[[caterer.menu]]
name = "Coffee break"
meal = "coffee_break"
price_per_person = "6.50"
"#;

fn office_with(extra: &str) -> Dir {
    let dir = Dir::new();
    dir.write("office.toml", &format!("{OFFICE}{extra}"));
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    dir
}

fn euros(amount: &str) -> Money {
    Money { amount: amount.parse().unwrap(), currency: Currency::EUR }
}

#[test]
fn venues_caterers_and_organisers_are_read_with_their_defaults() {
    let events = office_with(EVENTS).load().office.events;
    assert_eq!(events.organisers, ["chiara@office.example"]);
    assert_eq!(events.calendar.as_deref(), Some("giulia"));
    assert_eq!(events.final_headcount_before, Duration::from_secs(2 * 24 * 3600));
    assert_eq!(events.remind_before, Duration::from_secs(7 * 24 * 3600));
    assert_eq!(
        events.venues,
        [Venue {
            name: "Trattoria da Enzo".into(),
            address: "eventi@daenzo.example".into(),
            capacity: 40,
            price: Some(Price::PerPerson(euros("35.00"))),
            language: Some("it".into()),
        }]
    );
    let caterer = &events.caterers[0];
    assert_eq!(caterer.price_per_person, Some(euros("18.00")));
    assert_eq!(caterer.menus[0].meal, Some(Meal::CoffeeBreak));
    assert_eq!(caterer.menus[0].price_per_person, euros("6.50"));
}

#[test]
fn without_an_events_section_the_owners_organise() {
    let events = office_with("").load().office.events;
    assert_eq!(events.organisers, ["giulia@office.example"]);
    assert!(events.venues.is_empty() && events.caterers.is_empty());
}

#[test]
fn a_venue_without_capacity_and_an_unknown_meal_are_both_reported_at_their_lines() {
    let dir = office_with(
        "\n[[venue]]\nname = \"Villa\"\naddress = \"villa@x.example\"\n\n[[caterer]]\nname = \"C\"\n\
         address = \"c@x.example\"\n[[caterer.menu]]\nname = \"Lunch\"\nmeal = \"lunchh\"\nprice_per_person = \"20\"\n",
    );
    let errors = dir.errors();
    assert!(errors.iter().any(|e| e.contains("missing `venue.capacity`")), "{errors:?}");
    assert!(
        errors.iter().any(|e| e.contains("`lunchh` is no meal") && e.contains("did you mean `lunch`")),
        "{errors:?}"
    );
}

#[test]
fn a_venue_named_like_a_room_is_refused() {
    let dir = office_with(
        "\n[[room]]\nname = \"Sala Verde\"\ncapacity = 8\n\n[[venue]]\nname = \"Sala Verde\"\n\
         address = \"v@x.example\"\ncapacity = 30\n",
    );
    let errors = dir.errors();
    assert!(errors.iter().any(|e| e.contains("has the name of a [[room]]")), "{errors:?}");
}

#[test]
fn a_venue_priced_both_per_person_and_per_day_is_refused() {
    let dir = office_with(
        "\n[[venue]]\nname = \"Villa\"\naddress = \"v@x.example\"\ncapacity = 30\nprice_per_person = \"10\"\n\
         price_per_day = \"500\"\n",
    );
    assert!(dir.errors().iter().any(|e| e.contains("not both")), "{:?}", dir.errors());
}

#[test]
fn staff_groups_are_read() {
    let dir = office_with(
        "\n[[staff]]\nname = \"Bob Bianchi\"\naddress = \"bob@office.example\"\ngroups = [\"design\", \"cantieri\"]\n",
    );
    assert_eq!(dir.load().office.staff[0].groups, ["design", "cantieri"]);
}
