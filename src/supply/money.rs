//! Money: prices, totals and VAT as decimals, never floating point, so a purchase order adds up to
//! the cent the way the vendor's invoice will.
//!
//! Amounts are read from the catalog as strings (`price = "4.20"`, a TOML float would already have
//! lost the exactness this module exists for) and shown rounded to the cent, half away from zero, as
//! invoices round. A currency is its ISO 4217 code (`EUR`, `USD`), written before the amount.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

/// An amount in a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

/// An ISO 4217 currency code: three capital letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The euro, the currency of an office that names none.
    pub const EUR: Currency = Currency(*b"EUR");

    /// Reads a code such as `EUR` or `usd`; `None` for anything but three ASCII letters.
    pub fn parse(code: &str) -> Option<Currency> {
        let bytes = code.trim().as_bytes();
        let letters: [u8; 3] = bytes.try_into().ok()?;
        letters.iter().all(u8::is_ascii_alphabetic).then(|| Currency(letters.map(|b| b.to_ascii_uppercase())))
    }

    pub fn code(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("EUR")
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Reads an amount written in a catalog: `"4.20"`, `"1250"`, `"0.125"`. Only a plain decimal with a
/// point is taken: `"1,50"` is refused rather than read as 150 or 1.5 by guesswork.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let valid = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit() || c == '.')
        && text.chars().filter(|c| *c == '.').count() <= 1
        && !text.starts_with('.')
        && !text.ends_with('.');
    if !valid {
        return None;
    }
    text.parse().ok()
}

/// Reads a percentage: `"22%"`, `"22"`, `"10.5 %"`, as a fraction (0.22).
pub fn parse_percent(text: &str) -> Option<Decimal> {
    let number = text.trim().trim_end_matches('%').trim_end();
    parse_amount(number).map(|p| p / Decimal::ONE_HUNDRED)
}

/// Rounded to the cent, half away from zero.
pub fn cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// `EUR 1,234.50` in English, `EUR 1.234,50` in Italian: rounded to the cent, with the grouping
    /// a reader of `language` expects.
    pub fn written(&self, language: &str) -> String {
        format!("{} {}", self.currency, amount_written(self.amount, language))
    }
}

/// `1,234.50` in English, `1.234,50` in Italian (and the other languages that write a decimal comma).
pub fn amount_written(amount: Decimal, language: &str) -> String {
    let rounded = cents(amount);
    let plain = format!("{:.2}", rounded.abs());
    let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, "00"));
    let (group, point) = if decimal_comma(language) { ('.', ',') } else { (',', '.') };
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() { "-" } else { "" };
    format!("{sign}{grouped}{point}{fraction}")
}

/// Whether `language` writes 1.234,50 rather than 1,234.50.
fn decimal_comma(language: &str) -> bool {
    matches!(language, "it" | "de" | "fr" | "es" | "pt" | "nl")
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written("en"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn amounts_are_read_exactly_and_only_with_a_decimal_point() {
        assert_eq!(parse_amount("4.20"), Some(dec("4.20")));
        assert_eq!(parse_amount("1250"), Some(dec("1250")));
        assert_eq!(parse_amount("0.125"), Some(dec("0.125")));
        for bad in ["", "1,50", "-3", "1.2.3", ".5", "5.", "abc", "1e3"] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_tenth_added_ten_times_is_exactly_one() {
        let tenth = dec("0.1");
        let sum: Decimal = std::iter::repeat_n(tenth, 10).sum();
        assert_eq!(sum, Decimal::ONE);
    }

    #[test]
    fn half_cents_round_away_from_zero_as_invoices_do() {
        assert_eq!(cents(dec("2.675")), dec("2.68"));
        assert_eq!(cents(dec("2.665")), dec("2.67"));
        assert_eq!(cents(dec("0.004")), dec("0.00"));
    }

    #[test]
    fn amounts_are_written_with_the_readers_grouping() {
        let money = Money::new(dec("1234.5"), Currency::EUR);
        assert_eq!(money.written("en"), "EUR 1,234.50");
        assert_eq!(money.written("it"), "EUR 1.234,50");
        assert_eq!(amount_written(dec("999.999"), "en"), "1,000.00");
        assert_eq!(amount_written(dec("12"), "en"), "12.00");
        assert_eq!(amount_written(dec("1234567.891"), "it"), "1.234.567,89");
    }

    #[test]
    fn percentages_are_fractions() {
        assert_eq!(parse_percent("22%"), Some(dec("0.22")));
        assert_eq!(parse_percent("10.5 %"), Some(dec("0.105")));
        assert_eq!(parse_percent("x"), None);
    }

    #[test]
    fn currencies_are_three_letters_in_capitals() {
        assert_eq!(Currency::parse("usd").map(|c| c.to_string()), Some("USD".into()));
        assert_eq!(Currency::parse("EURO"), None);
        assert_eq!(Currency::parse("E1R"), None);
    }
}
