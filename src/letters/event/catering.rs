//! The event desk's catering letters: the catering paragraph of the answer to an organiser, and the
//! order, new headcount and final headcount to a caterer.

use serde_json::{Value, json};

use super::super::{Letter, letter};

/// The catering letters.
pub const LETTERS: &[[Letter; 2]] = &[
    letter!("event/catering", catering),
    letter!("event/catering-order", order),
    letter!("event/catering-order-subject", order),
];

/// The catering paragraph: the state (choose, waiting, not_yet, proposal, ordered, amended,
/// standing), the caterer (or the caterers to choose from), what is missing (time, headcount,
/// exact_headcount, place), the headcount and the one before, how many days, the meals (meal, menu
/// or none, price per person written or none), the diets (need, people or none), the cost written
/// or none.
fn catering() -> Value {
    json!({
        "state": "proposal",
        "caterer": "Buffet Roma",
        "caterers": ["Buffet Roma", "Pasticceria Verdi"],
        "missing": ["time"],
        "headcount": 25,
        "previous": 20,
        "days": 1,
        "meals": [{"meal": "dinner", "menu": "Cena di Natale", "price": "EUR 35.00"}],
        "diets": [{"need": "vegetarian", "people": 3}],
        "cost": "EUR 875.00",
    })
}

/// A mail to a caterer and its subject: the kind (order, amended, final), the caterer's name, the
/// event's number and title, the first and last day written out (the last none for one day), start
/// and end HH:MM, the place and whether it is at the office, the office's name, the headcount and
/// the one before (amended), the meals, the diets, the cost written or none, who signs.
fn order() -> Value {
    json!({
        "kind": "order",
        "caterer": "Buffet Roma",
        "number": "EV-2026-0001",
        "what": "Christmas dinner",
        "first": "Friday 18 December 2026",
        "last": null,
        "start": "20:00",
        "end": "23:00",
        "place": "Sala Grande",
        "at_office": true,
        "office": "Studio Rossi",
        "headcount": 25,
        "previous": null,
        "meals": [{"meal": "dinner", "menu": "Cena di Natale", "price": "EUR 35.00"}],
        "diets": [{"need": "vegetarian", "people": 3}],
        "cost": "EUR 875.00",
        "signature": "Office Assistant",
    })
}
