//! Reports: the office's calendars, supply cupboard, tickets and events as `clerk calendar`, `clerk stock`,
//! `clerk purchase-orders`, `clerk tickets` and `clerk events` print them. They read the store and the office, so they
//! live above both, and the domain modules they show stay free of the database.

pub mod calendar;
pub mod events;
pub mod stock;
pub mod tickets;
