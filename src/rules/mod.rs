//! The rule language: the office's rules directory, loaded and checked as a whole, and the
//! classification of a message by its rules.

pub mod address;
pub mod text;
