//! Periods and sizes as clerk.toml writes them: a plain number (seconds, bytes) or text with a unit
//! (`"60s"`, `"25MB"`), so every key that takes one reads it the same way.

use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::errors::Problem;
use crate::units::{DURATION_HINT, parse_duration};

/// `"60s"` or `60`.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum DurationValue {
    Seconds(u64),
    Text(String),
}

/// `"25MB"` or `25000000`.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum SizeValue {
    Bytes(u64),
    Text(String),
}

/// The period under `key` (`"60s"` or `60`), `default` when absent; a bad one is a problem at it.
pub(super) fn duration(
    value: &Option<Spanned<DurationValue>>,
    key: &str,
    default: Duration,
    problems: &mut Vec<Problem>,
) -> Duration {
    match value {
        None => default,
        Some(v) => match v.get_ref() {
            DurationValue::Seconds(s) => Duration::from_secs(*s),
            DurationValue::Text(t) => parse_duration(t).unwrap_or_else(|| {
                problems.push((v.span(), format!("`{key} = \"{t}\"`: {DURATION_HINT}")));
                default
            }),
        },
    }
}
