//! Periods and sizes as clerk.toml writes them: a plain number (seconds, bytes) or text with a unit
//! (`"60s"`, `"25MB"`), so every key that takes one reads it the same way.

use std::time::Duration;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;

use super::errors::Problem;
use crate::units::{DURATION_HINT, parse_duration};

/// `"60s"` or `60`.
pub(super) enum DurationValue {
    Seconds(u64),
    Text(String),
}

/// `"25MB"` or `25000000`.
pub(super) enum SizeValue {
    Bytes(u64),
    Text(String),
}

// Read by hand rather than derived as untagged enums: serde's message for those ("data did not
// match any variant of untagged enum") tells a person nothing; this one says what is expected.
impl<'de> Deserialize<'de> for DurationValue {
    fn deserialize<D: Deserializer<'de>>(reader: D) -> Result<Self, D::Error> {
        let expected = "a period such as \"60s\" or \"5m\", or a number of seconds";
        Ok(match reader.deserialize_any(NumberOrText(expected))? {
            Either::Number(n) => DurationValue::Seconds(n),
            Either::Text(t) => DurationValue::Text(t),
        })
    }
}

impl<'de> Deserialize<'de> for SizeValue {
    fn deserialize<D: Deserializer<'de>>(reader: D) -> Result<Self, D::Error> {
        let expected = "a size such as \"25MB\", or a number of bytes";
        Ok(match reader.deserialize_any(NumberOrText(expected))? {
            Either::Number(n) => SizeValue::Bytes(n),
            Either::Text(t) => SizeValue::Text(t),
        })
    }
}

/// A whole number of 0 or more, or text; anything else is an error saying what was expected.
struct NumberOrText(&'static str);

enum Either {
    Number(u64),
    Text(String),
}

impl Visitor<'_> for NumberOrText {
    type Value = Either;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Either, E> {
        Ok(Either::Number(n))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Either, E> {
        u64::try_from(n).map(Either::Number).map_err(|_| E::invalid_value(de::Unexpected::Signed(n), &self))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Either, E> {
        Ok(Either::Text(text.to_owned()))
    }
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
