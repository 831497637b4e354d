//! How urgently a ticket is to be answered: set by a rule, read by the desk, the escalation job and
//! `clerk tickets`.

use serde::Serialize;

/// How urgently a desk should treat the mail (a ticket's priority).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// `low`
    Low,
    /// `normal`
    Normal,
    /// `high`
    High,
    /// `urgent`
    Urgent,
}

impl Priority {
    /// Every priority, as written in rule files.
    pub const NAMES: [&'static str; 4] = ["low", "normal", "high", "urgent"];

    /// The name a rule file writes it with.
    pub fn name(self) -> &'static str {
        Priority::NAMES[self as usize]
    }

    /// The priority with this name in a rule file.
    pub fn from_name(name: &str) -> Option<Priority> {
        match name {
            "low" => Some(Priority::Low),
            "normal" => Some(Priority::Normal),
            "high" => Some(Priority::High),
            "urgent" => Some(Priority::Urgent),
            _ => None,
        }
    }
}
