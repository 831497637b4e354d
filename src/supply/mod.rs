//! The supply cupboard: the catalog of what the office keeps, the stock of each item, colleagues'
//! requests and the purchase orders clerk sends to vendors.
//!
//! This module holds the plain data and the pure parts (reading orders in words, matching them to the
//! catalog, money); the supply desk (`desks::supply`) decides what a message does, the store keeps
//! the stock ledger, requests and purchase orders, and the `reorder` job sends the orders.

pub mod catalog;
pub mod extract;
pub mod matching;
pub mod money;
pub mod reading;
pub mod units;

pub use catalog::{Catalog, Item, SupplySettings, Vendor};
pub use money::{Currency, Money};
