//! An event's checklist (#20): the four things every event needs done before its day — the place
//! held, the catering ordered, the invitations sent, the final headcount sent — each done, open, or
//! not needed, and what the event costs so far. `clerk event`, the organiser's answers and the
//! digest all read it from here, so they never disagree about what is still open.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{Catering, CateringState, PlannedEvent};
use crate::supply::money::{Currency, Money};

/// One thing an event needs done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Task {
    /// The room booked in its calendar, or the venue confirmed by mail.
    Place,
    /// The order sent to the caterer.
    Catering,
    /// Every guest sent an invitation.
    Invitations,
    /// The final headcount sent to the caterer.
    FinalHeadcount,
}

impl Task {
    /// Its name in `clerk event`, the letters and the digest.
    pub fn name(self) -> &'static str {
        match self {
            Task::Place => "place",
            Task::Catering => "catering",
            Task::Invitations => "invitations",
            Task::FinalHeadcount => "final headcount",
        }
    }
}

/// The tasks an event needs, each with whether it is done, in the order they are usually done.
/// Food is needed when the request asked for a meal; invitations when there are guests.
pub fn tasks(event: &PlannedEvent, catering: Option<&Catering>) -> Vec<(Task, bool)> {
    let state = catering.map(|c| c.state);
    let ordered =
        matches!(state, Some(CateringState::Ordered | CateringState::Amended | CateringState::FinalSent));
    let food = !event.reading.no_catering && !event.reading.meals.is_empty();
    let mut tasks = vec![(Task::Place, event.is_confirmed())];
    if food {
        tasks.push((Task::Catering, ordered));
    }
    if !event.guests.is_empty() {
        tasks.push((Task::Invitations, event.guests.iter().all(|g| g.invited_at.is_some())));
    }
    if food {
        tasks.push((Task::FinalHeadcount, state == Some(CateringState::FinalSent)));
    }
    tasks
}

/// The tasks still open.
pub fn open(event: &PlannedEvent, catering: Option<&Catering>) -> Vec<Task> {
    tasks(event, catering).into_iter().filter(|(_, done)| !done).map(|(task, _)| task).collect()
}

/// What the office has committed to spend on the event, per currency: the place held and the
/// catering ordered, when their price is known. Nothing proposed or only asked counts.
pub fn cost(event: &PlannedEvent, catering: Option<&Catering>) -> Vec<Money> {
    let mut sums: BTreeMap<String, (Currency, Decimal)> = BTreeMap::new();
    let place = event.place_held().and_then(|v| v.cost);
    let food = catering.filter(|c| c.state != CateringState::Proposed).and_then(|c| c.cost);
    for money in place.into_iter().chain(food) {
        sums.entry(money.currency.code().to_owned()).or_insert((money.currency, Decimal::ZERO)).1 +=
            money.amount;
    }
    sums.into_values().map(|(currency, amount)| Money { amount, currency }).collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::planning::request::{self, Known};
    use crate::planning::venue::{VenueBooking, VenueState};
    use crate::planning::{EventNumber, EventState, Invited};

    const NUMBER: EventNumber = EventNumber { year: 2026, sequence: 1 };

    fn event(text: &str) -> PlannedEvent {
        let sent = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let reading = request::read(text, sent, &Known { places: &["Sala Grande"], groups: &[] });
        PlannedEvent {
            number: NUMBER,
            organiser: "chiara@office.example".to_owned(),
            organiser_name: None,
            state: EventState::Planning,
            reading,
            guests: vec![Invited::new("bob@office.example".to_owned(), None)],
            venues: Vec::new(),
            message_id: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn eur(amount: &str) -> Money {
        Money { amount: amount.parse().unwrap(), currency: Currency::parse("EUR").unwrap() }
    }

    fn catering(state: CateringState) -> Catering {
        Catering {
            number: NUMBER,
            caterer: "Buffet Roma".to_owned(),
            state,
            headcount: 20,
            cost: Some(eur("700.00")),
            order_id: None,
            last_id: None,
            final_headcount: None,
            ordered_at: Some(0),
            updated_at: 0,
        }
    }

    fn held_room(event: &mut PlannedEvent) {
        event.venues.push(VenueBooking {
            place: "Sala Grande".to_owned(),
            room: true,
            day: NaiveDate::from_ymd_opt(2026, 12, 18).unwrap(),
            state: VenueState::Booked,
            quote: None,
            cost: Some(eur("100.00")),
            option_until: None,
            sent_id: None,
            answer_id: None,
            committed_at: Some(0),
            updated_at: 0,
        });
    }

    const DINNER: &str =
        "Christmas dinner in Sala Grande on Friday 18 December from 20:00 to 23:00 for 20 people.";

    #[test]
    fn a_new_dinner_has_all_four_tasks_open() {
        let event = event(DINNER);
        assert_eq!(
            open(&event, None),
            vec![Task::Place, Task::Catering, Task::Invitations, Task::FinalHeadcount]
        );
    }

    #[test]
    fn an_event_without_food_needs_no_catering_and_no_final_headcount() {
        let event = event(
            "A workshop in Sala Grande on Friday 18 December from 9:00 to 13:00 for 20 people, no catering.",
        );
        assert_eq!(open(&event, None), vec![Task::Place, Task::Invitations]);
    }

    #[test]
    fn a_booked_room_an_order_and_invited_guests_leave_only_the_final_headcount() {
        let mut event = event(DINNER);
        held_room(&mut event);
        event.guests[0].invited_at = Some(1);
        let ordered = catering(CateringState::Ordered);
        assert_eq!(open(&event, Some(&ordered)), vec![Task::FinalHeadcount]);
        assert_eq!(cost(&event, Some(&ordered)), vec![eur("800.00")]);
    }

    #[test]
    fn a_proposed_catering_is_neither_done_nor_spent() {
        let event = event(DINNER);
        let proposed = catering(CateringState::Proposed);
        assert!(open(&event, Some(&proposed)).contains(&Task::Catering));
        assert!(cost(&event, Some(&proposed)).is_empty());
    }
}
