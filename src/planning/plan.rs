//! An event as the office plans it: the request's reading kept under a number people can quote
//! (`EV-2026-0001`), its organiser and state, its guests, and the messages of its conversation, so
//! that a reply in the thread finds it.

use std::sync::LazyLock;

use regex::Regex;

use super::request::{DietaryNeed, EventRequest, Missing};

/// An event's number: `EV-2026-0001`, counted from 1 each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventNumber {
    pub year: i32,
    pub sequence: u32,
}

impl EventNumber {
    pub fn tag(&self) -> String {
        format!("EV-{}-{:04}", self.year, self.sequence)
    }

    /// Reads `EV-2026-0001` (any case) anywhere in `text`.
    pub fn find_in(text: &str) -> Option<EventNumber> {
        static NUMBER: LazyLock<Regex> =
            LazyLock::new(|| crate::regexes::built_in(r"(?i)\bEV[-‐ ]?(\d{4})-(\d{1,6})\b"));
        let found = NUMBER.captures(text)?;
        Some(EventNumber { year: found[1].parse().ok()?, sequence: found[2].parse().ok()? })
    }
}

impl std::fmt::Display for EventNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.tag())
    }
}

/// Where an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventState {
    /// The office asked the organiser what the request did not say.
    Asking,
    /// The request says all the office needs; places, food and guests are next.
    Planning,
    /// Called off.
    Cancelled,
}

impl EventState {
    /// Its name in the store and in `clerk events`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventState::Asking => "asking",
            EventState::Planning => "planning",
            EventState::Cancelled => "cancelled",
        }
    }

    /// The state named `name` ([`EventState::as_str`]).
    pub fn named(name: &str) -> Option<EventState> {
        [EventState::Asking, EventState::Planning, EventState::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == name)
    }

    /// The state of an event whose reading lacks `missing`.
    pub fn of(missing: &[Missing]) -> EventState {
        if missing.is_empty() { EventState::Planning } else { EventState::Asking }
    }
}

/// A guest of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invited {
    /// Lower case.
    pub address: String,
    pub name: Option<String>,
    /// Their answer; none until invitations go out and are answered.
    pub answer: Option<bool>,
    /// What they said they cannot eat ("I'm vegetarian"), for the catering.
    pub diet: Option<DietaryNeed>,
    /// When their invitation went out (unix seconds); none until it does.
    pub invited_at: Option<i64>,
    /// When they were reminded to answer (unix seconds): once.
    pub reminded_at: Option<i64>,
}

impl Invited {
    /// A guest not yet invited.
    pub fn new(address: String, name: Option<String>) -> Invited {
        Invited { address, name, answer: None, diet: None, invited_at: None, reminded_at: None }
    }
}

/// An event the office keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedEvent {
    pub number: EventNumber,
    /// The organiser's address, lower case, and name when the mail gave one.
    pub organiser: String,
    pub organiser_name: Option<String>,
    pub state: EventState,
    /// What the requests of the thread said, together. Its `guests` are every guest's address, as
    /// [`PlannedEvent::guests`] lists them.
    pub reading: EventRequest,
    pub guests: Vec<Invited>,
    /// The places asked or booked for it, in the order they were (see [`super::venue`]).
    pub venues: Vec<super::venue::VenueBooking>,
    /// The request's Message-ID.
    pub message_id: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl PlannedEvent {
    /// What its place costs, once one is confirmed or booked and its price is known: the digest's
    /// spending counts it.
    pub fn venue_cost(&self) -> Option<crate::supply::money::Money> {
        use super::venue::VenueState;
        self.venues.iter().rev().find(|v| matches!(v.state, VenueState::Confirmed | VenueState::Booked))?.cost
    }

    /// What the office must still ask the organiser.
    pub fn missing(&self) -> Vec<Missing> {
        let mut missing = self.reading.missing();
        // "The whole office" or a group that has nobody in the staff directory invites no one: whom
        // to invite is still to ask.
        if self.guests.is_empty() && !missing.contains(&Missing::Guests) {
            missing.push(Missing::Guests);
        }
        missing
    }

    /// The place held for the event as it now is: the office room booked, or the venue confirmed,
    /// for its chosen place and first day. An arrangement for another day or place no longer holds.
    pub fn place_held(&self) -> Option<&super::venue::VenueBooking> {
        use super::venue::VenueState;
        let (Some(super::Place::Known(place)), super::When::Days { first, .. }) =
            (&self.reading.place, self.reading.when)
        else {
            return None;
        };
        self.venues.iter().rev().find(|v| {
            matches!(v.state, VenueState::Confirmed | VenueState::Booked)
                && v.place.eq_ignore_ascii_case(place)
                && v.day == first
        })
    }

    /// Whether the event is settled: its place booked or confirmed (see [`PlannedEvent::place_held`]).
    pub fn is_confirmed(&self) -> bool {
        self.place_held().is_some()
    }
}

/// What handling one message changes in the planning of events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanningChange {
    /// Events as they now are, with their whole guest lists.
    pub events: Vec<PlannedEvent>,
    /// The numbers given by this change: their rows are new, and a number taken meanwhile fails.
    pub opened: Vec<EventNumber>,
    /// Messages (the organiser's and clerk's answers) that belong to an event's conversation.
    pub threads: Vec<(String, EventNumber)>,
    /// Events' catering as it now is (see `desks::event::catering`).
    pub catering: Vec<super::Catering>,
    /// Where events were put in a calendar (their entries as they now are).
    pub calendar: Vec<CalendarEntry>,
}

/// Where an event is in the office's calendars: the calendar and UID of its row among the
/// calendars' events, and the DESCRIPTION the feeds give it (the calendars' events have none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    pub number: EventNumber,
    pub calendar: String,
    pub uid: String,
    pub description: String,
}

impl PlanningChange {
    /// One line per event it writes, for `explain` and the log: its number, state, title, guests
    /// and what is still to ask.
    pub fn summary(&self) -> Vec<String> {
        self.events
            .iter()
            .map(|e| {
                let missing: Vec<&str> = e.missing().iter().map(|m| m.name()).collect();
                let asking = if missing.is_empty() {
                    String::new()
                } else {
                    format!(", to ask: {}", missing.join(", "))
                };
                format!(
                    "event {} {} ({}), {} guests{asking}",
                    e.number,
                    e.state.as_str(),
                    e.reading.what.as_deref().unwrap_or("untitled"),
                    e.guests.len()
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_read_back_from_a_subject_that_quotes_it() {
        let number = EventNumber { year: 2026, sequence: 7 };
        assert_eq!(number.tag(), "EV-2026-0007");
        assert_eq!(EventNumber::find_in("Re: Cena di Natale [ev-2026-0007]"), Some(number));
        assert_eq!(EventNumber::find_in("PO-2026-0007"), None);
    }
}
