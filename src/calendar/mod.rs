//! The office's calendars: when each takes meetings (working hours, buffer, notice, horizon), the
//! events it holds, recurring ones expanded in their own time zone, and the free time between them.

pub mod availability;
pub mod event;
pub mod hours;
