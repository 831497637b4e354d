//! Event planning: the office's own events (a Christmas dinner, a two-day workshop, a client lunch),
//! as a request in words describes them, and the guest lists that come with them. Pure types and
//! readers; the event desk acts on them, the store keeps them.
//!
//! An event differs from a meeting in what matters: a meeting needs a time and its people's
//! calendars; an event needs a day or days, a headcount, a place that holds them, food and a guest
//! list whose answers are counted. The readers here find each of those in a request and say which
//! are missing, so the desk asks only for those and never plans on a guess.

pub mod catering;
pub mod checklist;
pub mod guests;
pub mod plan;
pub mod request;
pub mod rsvp;
pub mod venue;
pub mod venue_answer;

pub use catering::{Catering, CateringState};
pub use guests::{Guest, GuestList};
pub use plan::{CalendarEntry, EventNumber, EventState, Invited, PlannedEvent, PlanningChange};
pub use request::{Diet, DietaryNeed, EventRequest, Headcount, Known, Meal, Missing, Place, When};
