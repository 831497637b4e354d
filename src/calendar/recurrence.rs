//! Recurrence rules (RRULE) as clerk takes them: checked when an invitation is read, and expanded
//! lazily from the window asked for, so that what a series costs depends on the window, never on how
//! long the series has run or how many instances it claims.
//!
//! A rule is refused when it repeats more often than meetings are held: by the second or the minute,
//! more than [`MOST_STARTS_A_DAY`] times a day, or more than [`MOST_COUNT`] times in all; when its
//! UNTIL lies outside the years clerk reads ([`super::ics::YEARS`]); and when its parts say outright
//! that it never gives an instance (a BYSETPOS beyond what a period holds, February 30th). A series that does not count
//! its instances (no COUNT) is expanded from a later start, a whole number of its periods after
//! DTSTART, that gives the same instances from the window on: a daily meeting kept since 1970 is
//! stepped through for the window's days, not for fifty years of them.

use std::str::FromStr;

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use rrule::{Frequency, RRule, RRuleSet, Unvalidated};

use super::ics::YEARS;

/// More starts a day than this is not a meeting but a clock (`FREQ=DAILY;BYMINUTE=0,1,2,…`).
pub const MOST_STARTS_A_DAY: usize = 24;

/// The most instances a rule may count (COUNT): a daily meeting for over twenty-seven years. A series
/// with COUNT is walked from its first instance, so this also bounds that walk.
pub const MOST_COUNT: u32 = 10_000;

/// A series' rule, checked against its DTSTART.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The rule as clerk keeps it: the text read, with UNTIL in UTC.
    text: String,
    unvalidated: RRule<Unvalidated>,
    freq: Frequency,
    interval: u16,
    counted: bool,
    until: Option<DateTime<Utc>>,
    start: DateTime<Utc>,
    zone: Tz,
}

impl Rule {
    /// Reads and checks `text` for a series starting at `start`, recurring in `zone`; the error says
    /// why the rule is refused.
    pub fn new(text: &str, start: DateTime<Utc>, zone: Tz) -> Result<Rule, String> {
        let text = utc_until(text, zone)?;
        let unvalidated = RRule::from_str(&text).map_err(|e| e.to_string())?;
        let dtstart = start.with_timezone(&rrule::Tz::Tz(zone));
        let rule = unvalidated.clone().validate(dtstart).map_err(|e| e.to_string())?;
        let freq = rule.get_freq();
        if matches!(freq, Frequency::Secondly | Frequency::Minutely) {
            return Err(format!("FREQ={freq} repeats more often than meetings are held (at most hourly)"));
        }
        if let Some(count) = rule.get_count().filter(|count| *count > MOST_COUNT) {
            return Err(format!("COUNT={count} is more than the {MOST_COUNT} instances a series may have"));
        }
        // Defaults taken from DTSTART are filled in by now: one value each for a daily or coarser rule.
        let hours = match (freq, rule.get_by_hour().len()) {
            (Frequency::Hourly, 0) => 24_usize.div_ceil(usize::from(rule.get_interval().max(1))),
            (_, hours) => hours.max(1),
        };
        let starts = hours * rule.get_by_minute().len().max(1) * rule.get_by_second().len().max(1);
        if starts > MOST_STARTS_A_DAY {
            return Err(format!(
                "it starts up to {starts} times a day, more than the {MOST_STARTS_A_DAY} a meeting series may"
            ));
        }
        if let Some(why) = never_matches(&rule, starts) {
            return Err(why);
        }
        Ok(Rule {
            freq,
            interval: rule.get_interval(),
            counted: rule.get_count().is_some(),
            until: rule.get_until().map(|until| until.with_timezone(&Utc)),
            unvalidated,
            text,
            start,
            zone,
        })
    }

    /// The rule as clerk keeps and writes it (UNTIL in UTC, as RFC 5545 asks of a zoned DTSTART).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The starts of the series in order, lazily, beginning no later than `reach` (at DTSTART, or a
    /// whole number of periods after it) so that every start from `reach` on is among them; a caller
    /// skips those before its window and stops at its end.
    pub fn starts(&self, reach: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> + use<> {
        let ended = self.until.is_some_and(|until| until < reach);
        let dtstart =
            self.rebased(reach).unwrap_or_else(|| self.start.with_timezone(&rrule::Tz::Tz(self.zone)));
        let set: Option<RRuleSet> =
            if ended { None } else { self.unvalidated.clone().build(dtstart).ok().map(RRuleSet::limit) };
        // The crate's limit stops a rule that finds nothing for a long while (February 30th).
        set.as_ref().map(|set| set.into_iter()).into_iter().flatten().map(|start| start.with_timezone(&Utc))
    }

    /// A start a whole number of the rule's periods (INTERVAL × FREQ) after DTSTART, in local time,
    /// no later than `reach`: the series from there gives the same instances from `reach` on, since
    /// every value the rule takes from DTSTART (day of the week or month, time of day) is the same.
    /// None when the series counts its instances, starts after `reach`, or no such start exists
    /// near `reach` (a 31st in a short month, a time a clock change skips).
    fn rebased(&self, reach: DateTime<Utc>) -> Option<DateTime<rrule::Tz>> {
        if self.counted || self.start >= reach {
            return None;
        }
        let start = self.start.with_timezone(&self.zone).naive_local();
        let target = reach.with_timezone(&self.zone).naive_local();
        let interval = i64::from(self.interval.max(1));
        let months = |date: NaiveDateTime| i64::from(date.year()) * 12 + i64::from(date.month0());
        let elapsed = match self.freq {
            Frequency::Yearly => i64::from(target.year()) - i64::from(start.year()),
            Frequency::Monthly => months(target) - months(start),
            Frequency::Weekly => (target - start).num_weeks(),
            Frequency::Daily => (target - start).num_days(),
            Frequency::Hourly => (target - start).num_hours(),
            Frequency::Minutely | Frequency::Secondly => return None,
        };
        let shifted = |periods: i64| -> Option<NaiveDateTime> {
            let units = periods.checked_mul(interval)?;
            let in_months = |n: i64| {
                let moved = start.checked_add_months(Months::new(u32::try_from(n).ok()?))?;
                // chrono moves the 31st to the month's last day; the rule would not.
                (moved.day() == start.day()).then_some(moved)
            };
            match self.freq {
                Frequency::Yearly => in_months(units.checked_mul(12)?),
                Frequency::Monthly => in_months(units),
                Frequency::Weekly => start.checked_add_signed(TimeDelta::try_weeks(units)?),
                Frequency::Daily => start.checked_add_signed(TimeDelta::try_days(units)?),
                Frequency::Hourly => start.checked_add_signed(TimeDelta::try_hours(units)?),
                Frequency::Minutely | Frequency::Secondly => None,
            }
        };
        // The first whole periods before `reach` may land after it (a clock change), on a day the
        // month lacks, or in a skipped hour: a few earlier ones are tried before walking from DTSTART.
        let periods = elapsed.div_euclid(interval);
        (periods.saturating_sub(3)..=periods).rev().filter(|p| *p > 0).find_map(|p| {
            let local = shifted(p)?;
            let later = self.zone.from_local_datetime(&local).earliest()?;
            (later.with_timezone(&Utc) <= reach).then(|| later.with_timezone(&rrule::Tz::Tz(self.zone)))
        })
    }
}

/// Why `rule` can never give an instance, when its parts say so outright; `starts` is how many
/// times a day it may start. Such a rule would have the crate walk period after period up to the
/// year 10000 looking for one (75 ms a series; a calendar of a thousand of them, over a minute).
fn never_matches(rule: &RRule, starts: usize) -> Option<String> {
    // The days a period can hold, by the parts that choose them (defaults from DTSTART filled in).
    let count = |len: usize| len.max(1);
    let days = match rule.get_freq() {
        Frequency::Yearly if !rule.get_by_year_day().is_empty() => rule.get_by_year_day().len(),
        Frequency::Yearly if !rule.get_by_month_day().is_empty() => {
            rule.get_by_month_day().len()
                * if rule.get_by_month().is_empty() { 12 } else { rule.get_by_month().len() }
        }
        Frequency::Yearly if !rule.get_by_weekday().is_empty() => rule.get_by_weekday().len() * 53,
        Frequency::Yearly => 366,
        Frequency::Monthly if !rule.get_by_month_day().is_empty() => rule.get_by_month_day().len(),
        Frequency::Monthly if !rule.get_by_weekday().is_empty() => rule.get_by_weekday().len() * 5,
        Frequency::Monthly => 31,
        Frequency::Weekly => count(rule.get_by_weekday().len()),
        _ => 1,
    }
    .min(366);
    let most = days * starts;
    let positions = rule.get_by_set_pos();
    if !positions.is_empty() && positions.iter().all(|p| p.unsigned_abs() as usize > most) {
        return Some(format!(
            "BYSETPOS picks none of the at most {most} instance(s) each {} holds",
            rule.get_freq().to_string().to_lowercase()
        ));
    }
    // The days of the month named, in none of the months named (February 30th).
    let longest = |month: u8| match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let (months, month_days) = (rule.get_by_month(), rule.get_by_month_day());
    let fits = |month: u8| month_days.iter().any(|day| i32::from(day.unsigned_abs()) <= longest(month));
    if !months.is_empty() && !month_days.is_empty() && !months.iter().any(|m| fits(*m)) {
        return Some("its BYMONTHDAY falls in none of the months of its BYMONTH".to_owned());
    }
    None
}

/// `text` with its UNTIL in UTC. Clients write UNTIL as a date (Google, for all-day events) or as a
/// floating time; RFC 5545 wants UTC with a zoned DTSTART, and so does the rrule crate. A date means
/// the end of that day in `zone`.
fn utc_until(text: &str, zone: Tz) -> Result<String, String> {
    let parts: Vec<String> = text
        .trim()
        .split(';')
        .map(|part| match part.split_once('=') {
            Some((key, value)) if key.trim().eq_ignore_ascii_case("UNTIL") => {
                let until = until_instant(value.trim(), zone)
                    .ok_or_else(|| format!("UNTIL={value} is not a date or time"))?;
                if !YEARS.contains(&until.year()) {
                    return Err(format!(
                        "UNTIL={value} is outside the years {}–{}",
                        YEARS.start(),
                        YEARS.end()
                    ));
                }
                Ok(format!("UNTIL={}", until.format("%Y%m%dT%H%M%SZ")))
            }
            _ => Ok(part.to_owned()),
        })
        .collect::<Result<_, String>>()?;
    Ok(parts.join(";"))
}

fn until_instant(value: &str, zone: Tz) -> Option<DateTime<Utc>> {
    if let Some(utc) = value.strip_suffix('Z').or_else(|| value.strip_suffix('z')) {
        return NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok().map(|t| t.and_utc());
    }
    let local = match NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S") {
        Ok(time) => time,
        Err(_) => NaiveDate::parse_from_str(value, "%Y%m%d").ok()?.and_hms_opt(23, 59, 59)?,
    };
    Some(super::zones::resolve_local(zone, local))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROME: Tz = chrono_tz::Europe::Rome;

    fn rome(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        ROME.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    fn refusal(text: &str) -> String {
        Rule::new(text, rome(2026, 11, 24, 9, 0), ROME).unwrap_err()
    }

    #[test]
    fn a_rule_repeating_by_the_second_or_the_minute_is_refused() {
        assert!(refusal("FREQ=SECONDLY;COUNT=100000000").starts_with("FREQ=SECONDLY repeats more often"));
        assert!(refusal("FREQ=MINUTELY;INTERVAL=30").starts_with("FREQ=MINUTELY repeats more often"));
    }

    #[test]
    fn a_daily_rule_with_a_start_every_minute_is_refused() {
        let minutes: Vec<String> = (0..60).map(|m| m.to_string()).collect();
        let text = format!("FREQ=DAILY;BYHOUR=9,10;BYMINUTE={}", minutes.join(","));
        assert_eq!(refusal(&text), "it starts up to 120 times a day, more than the 24 a meeting series may");
    }

    #[test]
    fn an_hourly_rule_is_taken_but_not_every_half_hour() {
        assert!(Rule::new("FREQ=HOURLY", rome(2026, 11, 24, 9, 0), ROME).is_ok());
        assert!(refusal("FREQ=HOURLY;BYMINUTE=0,30").starts_with("it starts up to 48 times a day"));
    }

    #[test]
    fn a_count_beyond_the_limit_is_refused() {
        assert_eq!(
            refusal("FREQ=DAILY;COUNT=100000000"),
            "COUNT=100000000 is more than the 10000 instances a series may have"
        );
    }

    #[test]
    fn an_until_outside_the_years_read_is_refused() {
        assert_eq!(
            refusal("FREQ=WEEKLY;UNTIL=99991231T000000Z"),
            "UNTIL=99991231T000000Z is outside the years 1900–2200"
        );
    }

    #[test]
    fn a_date_until_is_the_end_of_that_day_in_the_series_zone() {
        let rule = Rule::new("FREQ=DAILY;UNTIL=20261126", rome(2026, 11, 24, 9, 0), ROME).unwrap();
        assert_eq!(rule.text(), "FREQ=DAILY;UNTIL=20261126T225959Z");
        let starts: Vec<_> = rule.starts(rome(2026, 11, 1, 0, 0)).collect();
        assert_eq!(starts, [rome(2026, 11, 24, 9, 0), rome(2026, 11, 25, 9, 0), rome(2026, 11, 26, 9, 0)]);
    }

    #[test]
    fn a_series_since_1970_is_taken_up_close_to_the_window() {
        let rule = Rule::new("FREQ=DAILY", rome(1970, 1, 5, 9, 0), ROME).unwrap();
        let first = rule.starts(rome(2026, 11, 24, 0, 0)).next().unwrap();
        // A day at most before the window: not 1970.
        assert!(first <= rome(2026, 11, 24, 0, 0) && first > rome(2026, 11, 22, 0, 0), "{first}");
    }

    #[test]
    fn a_monthly_series_on_the_31st_keeps_to_months_that_have_one() {
        let rule = Rule::new("FREQ=MONTHLY", rome(2000, 1, 31, 9, 0), ROME).unwrap();
        let starts: Vec<_> = rule
            .starts(rome(2026, 4, 15, 0, 0))
            .skip_while(|s| *s < rome(2026, 4, 15, 0, 0))
            .take(3)
            .collect();
        assert_eq!(starts, [rome(2026, 5, 31, 9, 0), rome(2026, 7, 31, 9, 0), rome(2026, 8, 31, 9, 0)]);
    }

    #[test]
    fn a_weekly_series_taken_up_later_keeps_its_days_of_the_week() {
        // Started on a Wednesday, meeting Mondays and Wednesdays: the rebased start must not lose Mondays.
        let rule = Rule::new("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE", rome(2020, 1, 8, 10, 0), ROME).unwrap();
        let from = rome(2026, 11, 23, 0, 0);
        let near: Vec<_> = rule.starts(from).skip_while(|s| *s < from).take(4).collect();
        let walked: Vec<_> =
            Rule::new("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10000", rome(2020, 1, 8, 10, 0), ROME)
                .unwrap()
                .starts(from)
                .skip_while(|s| *s < from)
                .take(4)
                .collect();
        assert_eq!(near, walked);
    }

    #[test]
    fn a_rule_that_can_never_match_is_refused() {
        assert_eq!(
            refusal("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"),
            "its BYMONTHDAY falls in none of the months of its BYMONTH"
        );
        assert_eq!(
            refusal("FREQ=YEARLY;BYSETPOS=366"),
            "BYSETPOS picks none of the at most 1 instance(s) each yearly holds"
        );
        assert!(
            Rule::new("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", rome(2026, 1, 1, 9, 0), ROME).is_ok()
        );
        assert!(Rule::new("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", rome(2028, 2, 29, 9, 0), ROME).is_ok());
    }

    #[test]
    fn a_rule_every_65535_years_has_its_first_instance_alone() {
        let rule = Rule::new("FREQ=YEARLY;INTERVAL=65535", rome(2026, 11, 24, 9, 0), ROME).unwrap();
        assert_eq!(rule.starts(rome(2026, 1, 1, 0, 0)).collect::<Vec<_>>(), [rome(2026, 11, 24, 9, 0)]);
        // The next one would be in the year 67561: the crate ends the series instead of overflowing.
        assert_eq!(rule.starts(rome(2100, 1, 1, 0, 0)).collect::<Vec<_>>(), [rome(2026, 11, 24, 9, 0)]);
    }

    #[test]
    fn taking_a_series_up_later_gives_the_same_instances_as_walking_it_from_its_start() {
        let rules = [
            "FREQ=DAILY;INTERVAL=3",
            "FREQ=DAILY;BYDAY=MO,WE,FR;BYHOUR=9,14",
            "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SU;WKST=SU",
            "FREQ=MONTHLY;BYDAY=2TU",
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "FREQ=MONTHLY;INTERVAL=5;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU",
            "FREQ=YEARLY;INTERVAL=2",
            "FREQ=HOURLY;INTERVAL=7;BYDAY=MO,TU",
        ];
        let windows = [rome(2026, 3, 28, 0, 0), rome(2026, 10, 24, 12, 0), rome(2031, 1, 30, 23, 0)];
        for text in rules {
            let rule = Rule::new(text, rome(1999, 12, 31, 10, 30), ROME).unwrap();
            let walker = Rule { counted: true, ..rule.clone() };
            for from in windows {
                let to = from + TimeDelta::days(800);
                let window = |starts: &mut dyn Iterator<Item = DateTime<Utc>>| -> Vec<DateTime<Utc>> {
                    starts.skip_while(|s| *s < from).take_while(|s| *s < to).collect()
                };
                let (near, walked) = (window(&mut rule.starts(from)), window(&mut walker.starts(from)));
                assert!(!walked.is_empty(), "{text} from {from}");
                assert_eq!(near, walked, "{text} from {from}");
            }
        }
    }
}
