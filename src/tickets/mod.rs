//! Tickets: the conversations of the inquiry desk (issue #5). So far, their numbers.

pub mod number;
