//! Human-friendly quantities shared by clerk.toml and the rule files: periods (`90s`, `5m`, `1d12h`)
//! and sizes (`25MB`, `512kB`, `1.5MiB`); and moments shown in the office's time zone.

use std::time::Duration;

/// Reads a period: one or more numbers each followed by `ms`, `s`, `m`, `h`, `d` or `w` (`"90s"`,
/// `"7d"`, `"1d12h"`, `"100ms"`); a bare number is seconds. `None` when the text is none of these or
/// overflows.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    if rest.bytes().all(|b| b.is_ascii_digit()) {
        return rest.parse().ok().map(Duration::from_secs);
    }
    let mut millis: u64 = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let number: u64 = rest[..digits].parse().ok()?;
        let unit = &rest[digits..];
        let (per_unit, unit_len) = if unit.starts_with("ms") {
            (1, 2)
        } else {
            let per_unit = match unit.chars().next()? {
                's' => 1_000,
                'm' => 60_000,
                'h' => 3_600_000,
                'd' => 86_400_000,
                'w' => 604_800_000,
                _ => return None,
            };
            (per_unit, 1)
        };
        millis = millis.checked_add(number.checked_mul(per_unit)?)?;
        rest = rest[digits + unit_len..].trim_start();
    }
    Some(Duration::from_millis(millis))
}

/// What to tell a person who wrote a period clerk cannot read.
pub const DURATION_HINT: &str =
    "write a number and a unit (ms, s, m, h, d, w), like \"90s\", \"1d\" or \"1d12h\"";

/// Reads a size: a number (decimals allowed) and a unit. `kB`, `MB`, `GB` are powers of 1000, as mail
/// programs and disks show sizes; `KiB`, `MiB`, `GiB` powers of 1024; a bare number is bytes.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let multiplier: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = (number * multiplier).round();
    (bytes.is_finite() && bytes >= 0.0 && bytes < u64::MAX as f64).then_some(bytes as u64)
}

/// A period as people say it, in its largest whole unit: "1 day", "90 minutes".
pub fn humanize(d: Duration) -> String {
    match d.as_secs() {
        s if s % 86_400 == 0 => counted(s / 86_400, "day"),
        s if s % 3600 == 0 => counted(s / 3600, "hour"),
        s if s % 60 == 0 => counted(s / 60, "minute"),
        s => counted(s, "second"),
    }
}

/// `n` things in English: "1 hour", "2 hours", "0 minutes".
pub fn counted(n: u64, thing: &str) -> String {
    if n == 1 { format!("1 {thing}") } else { format!("{n} {thing}s") }
}

/// An age or a wait in round words: "3 days", "5 hours", "12 minutes".
pub fn humanize_roughly(seconds: i64) -> String {
    match seconds.max(0) {
        s if s >= 2 * 86_400 => format!("{} days", s / 86_400),
        s if s >= 2 * 3600 => format!("{} hours", s / 3600),
        s if s >= 3600 => "1 hour".to_owned(),
        s => format!("{} minutes", s / 60),
    }
}

/// What to tell a person who wrote a size clerk cannot read.
pub const SIZE_HINT: &str = "write a number and a unit, like \"500kB\", \"25MB\" or \"1GB\"";

/// The moment `unix` (seconds) in `zone`, written with `format` (chrono's `strftime` syntax); `None`
/// for a time out of range.
pub fn local_time(zone: chrono_tz::Tz, unix: i64, format: &str) -> Option<String> {
    use chrono::TimeZone;
    let utc = chrono::DateTime::from_timestamp(unix, 0)?;
    Some(zone.from_utc_datetime(&utc.naive_utc()).format(format).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "hour"), "1 hour");
        assert_eq!(counted(2, "hour"), "2 hours");
        assert_eq!(counted(0, "minute"), "0 minutes");
        assert_eq!(humanize(Duration::from_secs(60)), "1 minute");
        assert_eq!(humanize(Duration::from_secs(86_400 * 60)), "60 days");
    }

    #[test]
    fn periods_take_units_and_combine() {
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("7d"), Some(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("1d12h"), Some(Duration::from_secs(129_600)));
        assert_eq!(parse_duration("2w"), Some(Duration::from_secs(1_209_600)));
        assert_eq!(parse_duration("100ms"), Some(Duration::from_millis(100)));
        assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
    }

    #[test]
    fn a_bare_number_is_seconds() {
        assert_eq!(parse_duration("60"), Some(Duration::from_secs(60)));
    }

    #[test]
    fn a_period_without_a_known_unit_is_refused() {
        for bad in ["", "d", "1y", "soon", "5 fortnights"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn sizes_use_powers_of_1000_and_binary_units_powers_of_1024() {
        assert_eq!(parse_size("5MB"), Some(5_000_000));
        assert_eq!(parse_size("100kB"), Some(100_000));
        assert_eq!(parse_size("100 KB"), Some(100_000));
        assert_eq!(parse_size("1.5GB"), Some(1_500_000_000));
        assert_eq!(parse_size("2KiB"), Some(2048));
        assert_eq!(parse_size("42"), Some(42));
        assert_eq!(parse_size("42B"), Some(42));
        assert_eq!(parse_size("5 parsecs"), None);
        assert_eq!(parse_size("MB"), None);
    }
}
