//! Human-friendly quantities in configuration and rule files: durations (`90s`, `5m`, `1h`, `7d`) and
//! sizes (`25MB`, `512kB`).

use std::time::Duration;

/// Reads a duration: a number followed by `s`, `m`, `h`, `d` or `w` (`"90s"`, `"7d"`); a bare number is
/// seconds. Returns a message naming the accepted forms when the text is none of them.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let seconds_per_unit = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => {
            return Err(format!("`{text}` is not a duration: write e.g. \"90s\", \"5m\", \"1h\", \"7d\""));
        }
    };
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: write e.g. \"90s\", \"5m\", \"1h\", \"7d\""))?;
    number
        .checked_mul(seconds_per_unit)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("`{text}` is too long a duration"))
}

/// Reads a size: a number followed by `B`, `kB`/`KB`, `MB` or `GB` (powers of 1000, as mail servers
/// count `max_message_size`-style limits); a bare number is bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" | "k" => 1_000,
        "mb" | "m" => 1_000_000,
        "gb" | "g" => 1_000_000_000,
        _ => {
            return Err(format!("`{text}` is not a size: write e.g. \"500kB\", \"25MB\""));
        }
    };
    let number: u64 =
        number.parse().map_err(|_| format!("`{text}` is not a size: write e.g. \"500kB\", \"25MB\""))?;
    number.checked_mul(multiplier).ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_the_usual_units() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("60"), Ok(Duration::from_secs(60)));
    }

    #[test]
    fn a_duration_without_a_number_is_refused() {
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5 fortnights").is_err());
    }

    #[test]
    fn sizes_count_in_powers_of_a_thousand() {
        assert_eq!(parse_size("25MB"), Ok(25_000_000));
        assert_eq!(parse_size("512kB"), Ok(512_000));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("big").is_err());
    }
}
