use chrono::{NaiveDate, NaiveTime};

use super::*;

/// Requests are written on Monday 7 December 2026.
fn sent() -> NaiveDate {
    day(2026, 12, 7)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn time(h: u32, m: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(h, m, 0)
}

const PLACES: [&str; 3] = ["Sala Verde", "Trattoria da Enzo", "Villa Aurelia"];
const GROUPS: [&str; 2] = ["design", "cantieri"];

fn read_it(text: &str) -> EventRequest {
    read(text, sent(), &Known { places: &PLACES, groups: &GROUPS })
}

fn people(n: u32) -> Option<Headcount> {
    Some(Headcount { people: n, approximate: false })
}

fn about(n: u32) -> Option<Headcount> {
    Some(Headcount { people: n, approximate: true })
}

#[test]
fn a_christmas_dinner_is_read_whole_in_english() {
    let request = read_it(
        "Christmas dinner\nHi, could you organise our Christmas dinner on Friday 18 December from 20:00 to \
         23:00? We'll be 25 people, 3 of them vegetarian and one coeliac. A restaurant near the office would be \
         ideal.\nThanks, Chiara",
    );
    assert_eq!(request.what.as_deref(), Some("Christmas dinner"));
    assert_eq!(
        request.when,
        When::Days {
            first: day(2026, 12, 18),
            last: day(2026, 12, 18),
            start: time(20, 0),
            end: time(23, 0)
        }
    );
    assert_eq!(request.headcount, people(25));
    assert_eq!(request.meals, [Meal::Dinner]);
    assert_eq!(
        request.diets,
        [
            Diet { need: DietaryNeed::Vegetarian, people: Some(3) },
            Diet { need: DietaryNeed::GlutenFree, people: Some(1) }
        ]
    );
    assert_eq!(request.place, Some(Place::Wish("restaurant near the office would be ideal".into())));
    assert_eq!(request.language, Language::English);
    assert_eq!(request.missing(), [Missing::Guests]);
}

#[test]
fn a_christmas_dinner_is_read_whole_in_italian() {
    let request = read_it(
        "cena di Natale\nCiao, organizziamo la cena di Natale per 25 persone venerdì 18 dicembre alle 20:30, \
         alla Trattoria da Enzo. Ci sono due vegani e una persona senza glutine. Invita tutto lo studio!\nGrazie",
    );
    assert_eq!(request.what.as_deref(), Some("Cena di Natale"));
    assert_eq!(
        request.when,
        When::Days { first: day(2026, 12, 18), last: day(2026, 12, 18), start: time(20, 30), end: None }
    );
    assert_eq!(request.headcount, people(25));
    assert_eq!(request.place, Some(Place::Known("Trattoria da Enzo".into())));
    assert!(request.everyone);
    assert_eq!(request.diets[0], Diet { need: DietaryNeed::Vegan, people: Some(2) });
    assert_eq!(request.language, Language::Italian);
    assert!(request.missing().is_empty(), "{:?}", request.missing());
}

#[test]
fn a_lunch_for_a_number_is_a_headcount_without_a_word_for_people() {
    let request = read_it("Team lunch\nCan we book a lunch for 30 on the 12th? Not sure where yet.");
    assert_eq!(request.what.as_deref(), Some("Team lunch"));
    assert_eq!(request.headcount, people(30));
    assert_eq!(
        request.when,
        When::Days { first: day(2026, 12, 12), last: day(2026, 12, 12), start: None, end: None }
    );
    assert_eq!(request.missing(), [Missing::Start, Missing::Guests]);
}

#[test]
fn a_workshop_of_two_days_with_no_date_asks_for_the_day() {
    let request = read_it(
        "Workshop\nWe need a room for a 2-day workshop with coffee breaks and lunch, about 15 participants.",
    );
    assert_eq!(request.what.as_deref(), Some("Workshop"));
    assert_eq!(request.days, Some(2));
    assert_eq!(request.when, When::Unknown);
    assert_eq!(request.headcount, about(15));
    assert_eq!(request.meals, [Meal::CoffeeBreak, Meal::Lunch]);
    assert_eq!(request.missing(), [Missing::Day, Missing::Guests]);
}

#[test]
fn the_days_of_a_workshop_span_from_the_first_to_the_last_with_their_hours() {
    let request = read_it(
        "Formazione sicurezza\nOrganizziamo un corso di formazione dal 14 al 15 gennaio, dalle 9 alle 17, per il \
         gruppo cantieri. Servono pause caffè e pranzo a buffet.",
    );
    assert_eq!(
        request.when,
        When::Days { first: day(2027, 1, 14), last: day(2027, 1, 15), start: time(9, 0), end: time(17, 0) }
    );
    assert_eq!(request.groups, ["cantieri"]);
    assert_eq!(request.meals, [Meal::CoffeeBreak, Meal::Lunch]);
}

#[test]
fn a_two_day_event_on_one_date_runs_from_that_date() {
    let request = read_it("A two-day workshop starting on 11 January at 9am for 12 people.");
    assert_eq!(request.days, Some(2));
    assert!(
        matches!(request.when, When::Days { first, last, .. } if first == day(2027, 1, 11) && last == day(2027, 1, 12))
    );
}

#[test]
fn a_dinner_between_two_days_is_a_window_to_choose_in() {
    let request =
        read_it("Could we do the farewell dinner for Marco one evening between the 14th and the 17th?");
    assert_eq!(request.what.as_deref(), Some("Farewell dinner"));
    assert_eq!(request.when, When::Window { from: day(2026, 12, 14), last: day(2026, 12, 17) });
    assert_eq!(request.missing(), [Missing::Day, Missing::Headcount, Missing::Guests]);
}

#[test]
fn next_week_is_a_window_and_no_days_of_the_event() {
    let request = read_it(
        "Festa di fine anno\nFacciamo la festa di fine anno la prossima settimana? Saremo una trentina.",
    );
    assert_eq!(request.what.as_deref(), Some("Festa di fine anno"));
    assert!(matches!(request.when, When::Window { .. }), "{:?}", request.when);
    assert_eq!(request.headcount, about(30));
}

#[test]
fn counts_of_time_money_and_clock_are_no_headcount() {
    for text in [
        "Lunch for 2 hours on Friday",
        "Dinner at 20:30 on Friday, budget 40 euro each",
        "Cena per le 20 venerdì",
        "A workshop in 10 days",
        "Pranzo per 2 giorni",
    ] {
        assert_eq!(read_it(text).headcount, None, "{text}");
    }
}

#[test]
fn groups_joined_by_and_make_one_party() {
    let request = read_it("A client lunch for 12 clients and 8 colleagues on Thursday at 13:00");
    assert_eq!(request.headcount, people(20));
    assert_eq!(request.what.as_deref(), Some("Client lunch"));
}

#[test]
fn the_largest_count_is_the_events_when_a_smaller_one_counts_a_diet() {
    let request = read_it("Aperitivo for 40 guests on Friday at 6pm, 5 guests are vegan.");
    assert_eq!(request.headcount, people(40));
    assert_eq!(request.diets, [Diet { need: DietaryNeed::Vegan, people: Some(5) }]);
}

#[test]
fn a_menu_wish_is_no_count_of_people() {
    let request = read_it("Lunch for 30 people on the 12th at 1pm, with a vegetarian option please.");
    assert_eq!(request.diets, [Diet { need: DietaryNeed::Vegetarian, people: None }]);
}

#[test]
fn no_catering_is_read_as_said() {
    let request = read_it("Seminar on 20 January at 10:00 in Sala Verde for 18 people, no catering needed.");
    assert!(request.no_catering);
    assert_eq!(request.place, Some(Place::Known("Sala Verde".into())));
}

#[test]
fn an_event_at_the_office_is_placed_there() {
    let request = read_it("Presentazione del progetto in sede il 21 gennaio alle 17, con rinfresco.");
    assert_eq!(request.place, Some(Place::Office));
    assert_eq!(request.meals, [Meal::Aperitif]);
    assert_eq!(request.what.as_deref(), Some("Presentazione"));
}

#[test]
fn guests_are_the_addresses_written_and_the_groups_named() {
    let request = read_it(
        "Product launch on 3 February at 18:00. Please invite anna@client.example, Bob <bob@partner.example> \
         and the design team.",
    );
    assert_eq!(request.guests, ["anna@client.example", "bob@partner.example"]);
    assert_eq!(request.groups, ["design"]);
    assert!(!request.everyone);
}

#[test]
fn a_design_workshop_names_no_group() {
    let request = read_it("A design workshop on 3 February at 10:00 for 10 people");
    assert!(request.groups.is_empty());
}

#[test]
fn only_an_event_names_nothing_and_is_asked_what() {
    let request = read_it("We'd like to organise an event in March.");
    assert_eq!(request.what, None);
    assert_eq!(request.missing()[0], Missing::What);
}

#[test]
fn a_huge_request_is_read_for_its_top_only() {
    let text = format!("Dinner for 20 people on Friday at 8pm\n{}", "lunch for 300 people\n".repeat(10_000));
    assert_eq!(read_it(&text).headcount, people(300));
    let long_line = format!("Dinner for 20 people {}", "x".repeat(1_000_000));
    assert_eq!(read_it(&long_line).headcount, people(20));
}

#[test]
fn a_party_for_the_whole_office_with_a_round_count_and_a_terrace() {
    let request = read_it(
        "Summer party\nHi! We're planning a summer party for the whole office on Friday 10 July, from 7pm. \
         Around 40 people. Drinks and a buffet dinner. Could you find a place with a terrace?",
    );
    assert_eq!(request.what.as_deref(), Some("Summer party"));
    assert_eq!(
        request.when,
        When::Days { first: day(2027, 7, 10), last: day(2027, 7, 10), start: time(19, 0), end: None }
    );
    assert_eq!(request.headcount, about(40));
    assert_eq!(request.meals, [Meal::Aperitif, Meal::Dinner]);
    assert_eq!(request.place, Some(Place::Wish("terrace".into())));
    assert!(request.everyone);
}

#[test]
fn the_line_that_says_which_occasion_names_it_over_a_bare_subject() {
    let request = read_it(
        "Pranzo con Acme\nBuongiorno, vorrei organizzare un pranzo di lavoro con i clienti di Acme il 15 gennaio \
         alle 13, saremo in 8. Uno è vegetariano.",
    );
    assert_eq!(request.what.as_deref(), Some("Pranzo di lavoro"));
    assert_eq!(request.headcount, people(8));
    assert_eq!(request.diets, [Diet { need: DietaryNeed::Vegetarian, people: Some(1) }]);
}

#[test]
fn two_days_joined_by_and_before_their_month_are_both_the_events() {
    let request = read_it(
        "Can you set up the quarterly training for the design team? 2 days, 3rd and 4th of February, \
         9:00-17:30, 20 participants, coffee breaks morning and afternoon, lunch both days.",
    );
    assert_eq!(
        request.when,
        When::Days { first: day(2027, 2, 3), last: day(2027, 2, 4), start: time(9, 0), end: time(17, 30) }
    );
    assert_eq!(request.groups, ["design"]);
}

#[test]
fn a_span_of_days_written_with_a_dash_and_our_own_count() {
    let request = read_it(
        "Re: offsite\nThe offsite will be on 22-23 March at Villa Aurelia, 35 of us, with dinner on the first \
         evening. Two people are gluten-free and one is vegan.",
    );
    assert_eq!(request.what.as_deref(), Some("Offsite"));
    assert_eq!(
        request.when,
        When::Days { first: day(2027, 3, 22), last: day(2027, 3, 23), start: None, end: None }
    );
    assert_eq!(request.headcount, people(35));
    assert_eq!(request.place, Some(Place::Known("Villa Aurelia".into())));
}

#[test]
fn everyone_in_the_office_says_who_not_where() {
    let request =
        read_it("Team dinner on Friday at 8pm at a restaurant in Trastevere; invite everyone in the office.");
    assert!(request.everyone);
    assert_eq!(request.place, Some(Place::Wish("restaurant in trastevere".into())));
}
