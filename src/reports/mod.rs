//! Reports: the office's calendars, supply cupboard and tickets as `clerk calendar`, `clerk stock`,
//! `clerk purchase-orders` and `clerk tickets` print them. They read the store and the office, so they
//! live above both, and the domain modules they show stay free of the database.

pub mod calendar;
pub mod stock;
pub mod tickets;
