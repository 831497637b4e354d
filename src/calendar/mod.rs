//! The office's calendars: when each takes meetings (working hours, buffer, notice, horizon), the
//! events it holds, recurring ones expanded in their own time zone, and the free time between them.

pub mod agenda;
pub mod availability;
pub mod event;
pub mod feed;
pub mod holidays;
pub mod hours;
pub mod ics;
pub mod itip;
pub mod phrase;
pub mod proposal;
pub mod recurrence;
pub mod zones;

use std::time::Duration;

use availability::Policy;

/// A calendar the office keeps (`[[calendar]]` in office.toml): someone's, or the office's own.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarConfig {
    /// Short and unique among calendars and rooms; events, feeds and rules name it.
    pub name: String,
    /// Whose calendar it is: the ORGANIZER's SENT-BY when clerk books for them, and who hears of
    /// conflicts.
    pub owner: String,
    pub policy: Policy,
    /// The length of a meeting a request gives none for.
    pub default_length: Duration,
}

/// A room or venue (`[[room]]` in office.toml), with a calendar of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    /// Unique among calendars and rooms; the room's calendar has this name.
    pub name: String,
    /// How many people it seats.
    pub capacity: u32,
    pub policy: Policy,
}
