//! The event desk's part of office.toml: who may ask for events, the external venues the office
//! uses besides its own rooms (`[[room]]`, with their capacity), and its caterers.
//!
//! ```toml
//! [events]
//! organisers = ["chiara@office.example"]   # who may ask for events; default: the owners
//! calendar = "giulia"                      # where events are put; default: the first [[calendar]]
//! remind_before = "7d"                     # guests who have not answered are reminded once, this
//!                                          # long before the event; default 7d
//! final_headcount_before = "3d"            # the caterer gets the final headcount then; default 3d
//!
//! [[venue]]                                # a place outside the office, asked and booked by mail
//! name = "Trattoria da Enzo"
//! address = "eventi@daenzo.example"
//! capacity = 40
//! price_per_person = "35.00"               # or price_per_day = "600.00"
//! currency = "EUR"                         # default EUR
//! language = "it"                          # default: the office's
//!
//! [[caterer]]
//! name = "Buffet Roma"
//! address = "ordini@buffetroma.example"
//! language = "it"
//! price_per_person = "18.00"               # when no menu fits the meal
//! [[caterer.menu]]
//! name = "Coffee break"
//! meal = "coffee_break"                    # breakfast, coffee_break, lunch, aperitif or dinner
//! price_per_person = "6.50"
//! ```

use std::time::Duration;

use rust_decimal::Decimal;

use super::catalog::{amount, currency, positive};
use super::{Person, address, checked_address, duration, language};
use crate::planning::Meal;
use crate::supply::money::{Currency, Money};
use crate::toml_doc::{Item, Table, did_you_mean};

/// How long before an event its guests who have not answered are reminded, unless set.
const DEFAULT_REMIND_BEFORE: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long before an event the caterer gets the final headcount, unless set.
const DEFAULT_FINAL_HEADCOUNT_BEFORE: Duration = Duration::from_secs(3 * 24 * 3600);

/// `[events]`, `[[venue]]` and `[[caterer]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSettings {
    /// The addresses that may ask for an event; the owners when office.toml names none.
    pub organisers: Vec<String>,
    /// The `[[calendar]]` events are put in; the first calendar when none is named.
    pub calendar: Option<String>,
    pub remind_before: Duration,
    pub final_headcount_before: Duration,
    pub venues: Vec<Venue>,
    pub caterers: Vec<Caterer>,
}

/// A place outside the office where events can be held.
#[derive(Debug, Clone, PartialEq)]
pub struct Venue {
    pub name: String,
    /// Where the office writes to ask for a date and a quote, and to book.
    pub address: String,
    /// How many people it holds.
    pub capacity: u32,
    pub price: Option<Price>,
    /// The language the office writes to it in; the office's when none is set.
    pub language: Option<String>,
}

/// What a venue charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Price {
    PerPerson(Money),
    PerDay(Money),
}

/// A caterer the office orders food from.
#[derive(Debug, Clone, PartialEq)]
pub struct Caterer {
    pub name: String,
    pub address: String,
    pub language: Option<String>,
    /// Its price per person for any meal no menu of its own is for.
    pub price_per_person: Option<Money>,
    pub menus: Vec<Menu>,
}

/// One of a caterer's menus.
#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    pub name: String,
    /// The meal it serves, when it is for one.
    pub meal: Option<Meal>,
    pub price_per_person: Money,
}

impl EventSettings {
    /// Whether `address` may ask for an event, ignoring case.
    pub fn is_organiser(&self, address: &str) -> bool {
        self.organisers.iter().any(|o| o.eq_ignore_ascii_case(address))
    }
}

impl super::Office {
    /// The calendar the office's events are put in: `[events] calendar`, else the first
    /// `[[calendar]]`; none when office.toml has no calendar.
    pub fn events_calendar(&self) -> Option<&crate::calendar::CalendarConfig> {
        match &self.events.calendar {
            Some(name) => self.calendars.iter().find(|c| &c.name == name),
            None => self.calendars.first(),
        }
    }
}

/// Reads `[events]`, every `[[venue]]` and `[[caterer]]` of `root`; `owners` organise when no one
/// is named, `calendars` are the names an events calendar may take, `rooms` those a venue may not.
pub(super) fn parse(
    root: &Table<'_, '_>,
    owners: &[Option<Person>],
    calendars: Option<&[&str]>,
    rooms: Option<&[&str]>,
) -> Option<EventSettings> {
    let events = root.table("events");
    let organisers = match events.as_ref().and_then(|t| t.get("organisers")) {
        Some(item) => item.strings().and_then(|list| {
            let checked: Vec<_> =
                list.iter().map(|a| checked_address(root.doc(), a.get_ref(), a.span())).collect();
            checked.into_iter().collect::<Option<Vec<_>>>()
        }),
        None => Some(owners.iter().flatten().map(|owner| owner.address.clone()).collect()),
    };
    let calendar = match events.as_ref().and_then(|t| t.get("calendar")) {
        Some(item) => item.expect_str().and_then(|name| match calendars {
            Some(names) if !names.contains(&name) => {
                let hint = did_you_mean(name, names.iter().copied())
                    .map_or_else(String::new, |close| format!(", did you mean `{close}`?"));
                item.error(format!("`{name}` is not a [[calendar]] of office.toml{hint}"));
                None
            }
            _ => Some(Some(name.to_owned())),
        }),
        None => Some(None),
    };
    let period = |key: &'static str, default: Duration| match events.as_ref().and_then(|t| t.get(key)) {
        Some(item) => duration(&item),
        None => Some(default),
    };
    let remind_before = period("remind_before", DEFAULT_REMIND_BEFORE);
    let final_headcount_before = period("final_headcount_before", DEFAULT_FINAL_HEADCOUNT_BEFORE);
    let venues: Vec<Option<Venue>> = root.tables("venue").iter().map(venue).collect();
    let caterers: Vec<Option<Caterer>> = root.tables("caterer").iter().map(caterer).collect();
    let venues: Vec<Venue> = venues.into_iter().collect::<Option<_>>()?;
    for (n, venue) in venues.iter().enumerate() {
        let twice = venues[..n].iter().any(|v| v.name == venue.name);
        let a_room = rooms.is_some_and(|rooms| rooms.contains(&venue.name.as_str()));
        if twice || a_room {
            let what = if a_room { "a [[room]]" } else { "another [[venue]]" };
            root.doc().error(
                0..0,
                format!("the [[venue]] `{}` has the name of {what}: names must differ", venue.name),
            );
            return None;
        }
    }
    Some(EventSettings {
        organisers: organisers?,
        calendar: calendar?,
        remind_before: remind_before?,
        final_headcount_before: final_headcount_before?,
        venues,
        caterers: caterers.into_iter().collect::<Option<_>>()?,
    })
}

fn venue(table: &Table<'_, '_>) -> Option<Venue> {
    let name = table.required_string("name");
    let address = address(table, "address");
    let capacity = match table.get("capacity") {
        Some(item) => positive(&item, "a venue holds at least one person"),
        None => {
            table.missing("capacity");
            None
        }
    };
    let currency = currency_of(table);
    let per_person = table.optional("price_per_person", amount);
    let per_day = table.optional("price_per_day", amount);
    let language = table.optional("language", language);
    let currency = currency?;
    let price = match (per_person.ok()?, per_day.ok()?) {
        (Some(_), Some(_)) => {
            table
                .doc()
                .error(table.span(), "a [[venue]] has `price_per_person` or `price_per_day`, not both");
            return None;
        }
        (Some(amount), None) => Some(Price::PerPerson(Money { amount, currency })),
        (None, Some(amount)) => Some(Price::PerDay(Money { amount, currency })),
        (None, None) => None,
    };
    Some(Venue {
        name: name?.into_inner().trim().to_owned(),
        address: address?,
        capacity: capacity?,
        price,
        language: language.ok()?,
    })
}

fn caterer(table: &Table<'_, '_>) -> Option<Caterer> {
    let name = table.required_string("name");
    let address = address(table, "address");
    let currency = currency_of(table);
    let price = table.optional("price_per_person", amount);
    let language = table.optional("language", language);
    let menus: Vec<Option<(String, Option<Meal>, Decimal)>> = table.tables("menu").iter().map(menu).collect();
    let currency = currency?;
    let menus: Vec<Menu> = menus
        .into_iter()
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .map(|(name, meal, amount)| Menu { name, meal, price_per_person: Money { amount, currency } })
        .collect();
    Some(Caterer {
        name: name?.into_inner().trim().to_owned(),
        address: address?,
        language: language.ok()?,
        price_per_person: price.ok()?.map(|amount| Money { amount, currency }),
        menus,
    })
}

fn menu(table: &Table<'_, '_>) -> Option<(String, Option<Meal>, Decimal)> {
    let name = table.required_string("name");
    let meal = table.optional("meal", meal);
    let price = match table.get("price_per_person") {
        Some(item) => amount(&item),
        None => {
            table.missing("price_per_person");
            None
        }
    };
    Some((name?.into_inner().trim().to_owned(), meal.ok()?, price?))
}

fn meal(item: &Item<'_, '_>) -> Option<Meal> {
    let name = item.expect_str()?;
    let meal = Meal::named(name);
    if meal.is_none() {
        let hint = did_you_mean(name, Meal::ALL.iter().map(|m| m.name()))
            .map_or_else(String::new, |close| format!(", did you mean `{close}`?"));
        item.error(format!(
            "`{name}` is no meal clerk knows: write breakfast, coffee_break, lunch, aperitif or dinner{hint}"
        ));
    }
    meal
}

/// `currency = "EUR"` of a venue or caterer; the euro when it names none.
fn currency_of(table: &Table<'_, '_>) -> Option<Currency> {
    match table.get("currency") {
        Some(item) => currency(&item),
        None => Some(Currency::EUR),
    }
}
