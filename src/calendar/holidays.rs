//! Public holidays: the days an office of a country (and region) is closed by law, from the table
//! in `holidays/table.txt`, which says how each day falls — a date, a weekday after a date, or
//! days from Western or Orthodox Easter — and how a country moves a holiday off a weekend.
//!
//! The rules are computed, not listed per year, so they hold for any year an office runs; a region
//! ("IT-RM", "GB-SCT", "DE-BY") keeps its country's days and adds its own.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};

/// How a holiday falls in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Falls {
    On {
        month: u32,
        day: u32,
    },
    /// The first `weekday` on or after that date.
    WeekdayFrom {
        month: u32,
        day: u32,
        weekday: Weekday,
    },
    Easter(i64),
    Orthodox(i64),
}

/// How a country moves a holiday that falls on a weekend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Observed {
    Kept,
    /// Saturday to Friday, Sunday to Monday.
    Nearest,
    /// Saturday or Sunday to the next weekday that is not already a holiday.
    Next,
}

/// One holiday of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    falls: Falls,
    observed: Observed,
    since: i32,
    name: String,
}

/// The table, by code ("IT", "IT-RM").
static TABLE: LazyLock<BTreeMap<String, Vec<Rule>>> = LazyLock::new(|| {
    let mut table: BTreeMap<String, Vec<Rule>> = BTreeMap::new();
    for line in include_str!("holidays/table.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((code, rule)) = parse_line(line) {
            table.entry(code).or_default().push(rule);
        }
    }
    table
});

/// The code and rule of a line of the table; `None` for a line that is not one (the table's own
/// test checks that every line is).
fn parse_line(line: &str) -> Option<(String, Rule)> {
    let mut words = line.split_whitespace();
    let code = words.next()?.to_owned();
    let falls = falls(words.next()?)?;
    let mut rest: Vec<&str> = words.collect();
    let mut observed = Observed::Kept;
    let mut since = i32::MIN;
    while let Some(word) = rest.first() {
        match *word {
            "!us" => observed = Observed::Nearest,
            "!uk" => observed = Observed::Next,
            w if w.starts_with("from") && w.len() == 8 => since = w[4..].parse().ok()?,
            _ => break,
        }
        rest.remove(0);
    }
    let name = rest.join(" ");
    (!name.is_empty()).then_some((code, Rule { falls, observed, since, name }))
}

fn falls(rule: &str) -> Option<Falls> {
    let offset = |rest: &str| rest.parse::<i64>().ok();
    if let Some(rest) = rule.strip_prefix("easter") {
        return offset(rest).map(Falls::Easter);
    }
    if let Some(rest) = rule.strip_prefix("orthodox") {
        return offset(rest).map(Falls::Orthodox);
    }
    let (date, weekday) = match rule.split_once('>') {
        Some((date, weekday)) => (date, Some(weekday)),
        None => (rule, None),
    };
    let (month, day) = date.split_once('-')?;
    let (month, day) = (month.parse().ok()?, day.parse().ok()?);
    NaiveDate::from_ymd_opt(2024, month, day)?;
    Some(match weekday {
        Some(weekday) => Falls::WeekdayFrom { month, day, weekday: weekday.parse().ok()? },
        None => Falls::On { month, day },
    })
}

/// Western Easter Sunday of `year` (the Gregorian computus, Meeus/Jones/Butcher).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let (b, c) = (year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Orthodox Easter Sunday of `year`, on the Gregorian calendar (the Julian computus, Meeus).
pub fn orthodox_easter(year: i32) -> Option<NaiveDate> {
    let (a, b, c) = (year.rem_euclid(4), year.rem_euclid(7), year.rem_euclid(19));
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34).rem_euclid(7);
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    let julian = NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)?;
    // The Julian calendar runs behind the Gregorian by a number of days that grows by three every 400 years.
    let behind = i64::from(year / 100 - year / 400 - 2);
    julian.checked_add_signed(chrono::TimeDelta::days(behind))
}

/// The public holidays of `code`'s country (and region) in `year`, with their names, by date.
pub fn in_year(code: &str, year: i32) -> BTreeMap<NaiveDate, String> {
    let country = code.split('-').next().unwrap_or(code);
    let rules = [country, code]
        .into_iter()
        .enumerate()
        .filter(|(n, c)| *n == 0 || *c != country)
        .filter_map(|(_, c)| TABLE.get(&c.to_uppercase()))
        .flatten();
    let mut days: BTreeMap<NaiveDate, String> = BTreeMap::new();
    let mut moved = Vec::new();
    for rule in rules.filter(|r| year >= r.since) {
        let Some(date) = date_of(rule.falls, year) else { continue };
        match (rule.observed, date.weekday()) {
            (Observed::Nearest, Weekday::Sat) => {
                days.insert(date.pred_opt().unwrap_or(date), rule.name.clone())
            }
            (Observed::Nearest, Weekday::Sun) => {
                days.insert(date.succ_opt().unwrap_or(date), rule.name.clone())
            }
            (Observed::Next, Weekday::Sat | Weekday::Sun) => {
                moved.push((date, rule.name.clone()));
                None
            }
            _ => days.insert(date, rule.name.clone()),
        };
    }
    // Moved in date order, each to the next weekday not already taken ("Christmas on Saturday,
    // Boxing Day on Sunday": Monday and Tuesday).
    moved.sort();
    for (date, name) in moved {
        let mut day = date;
        while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || days.contains_key(&day) {
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        days.insert(day, format!("{name} (substitute day)"));
    }
    days
}

fn date_of(falls: Falls, year: i32) -> Option<NaiveDate> {
    let from_easter =
        |easter: Option<NaiveDate>, days: i64| easter?.checked_add_signed(chrono::TimeDelta::days(days));
    match falls {
        Falls::On { month, day } => NaiveDate::from_ymd_opt(year, month, day),
        Falls::WeekdayFrom { month, day, weekday } => {
            let date = NaiveDate::from_ymd_opt(year, month, day)?;
            let ahead = (7 + weekday.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
            date.checked_add_signed(chrono::TimeDelta::days(i64::from(ahead)))
        }
        Falls::Easter(days) => from_easter(easter(year), days),
        Falls::Orthodox(days) => from_easter(orthodox_easter(year), days),
    }
}

/// [`in_year`], kept: availability asks about every day it looks at.
pub fn of_year(code: &str, year: i32) -> std::sync::Arc<BTreeMap<NaiveDate, String>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    type Years = HashMap<(String, i32), Arc<BTreeMap<NaiveDate, String>>>;
    static KEPT: LazyLock<Mutex<Years>> = LazyLock::new(|| Mutex::new(HashMap::new()));
    let key = (code.to_owned(), year);
    if let Some(days) = KEPT.lock().ok().and_then(|kept| kept.get(&key).cloned()) {
        return days;
    }
    let days = Arc::new(in_year(code, year));
    if let Ok(mut kept) = KEPT.lock() {
        // Bounded: a long-running daemon asks about a handful of codes and years.
        if kept.len() > 1_000 {
            kept.clear();
        }
        kept.insert(key, Arc::clone(&days));
    }
    days
}

/// Whether the table knows `code`: a country, or a region of one.
pub fn knows(code: &str) -> bool {
    TABLE.contains_key(&code.to_uppercase())
}

/// Every code the table knows, for error messages.
pub fn codes() -> Vec<&'static str> {
    TABLE.keys().map(String::as_str).collect()
}

#[cfg(test)]
mod tests;
