//! Working hours: when a calendar takes meetings, as ranges of local time per weekday ("09:00-12:30,
//! 14:00-18:00" keeps a lunch break free).

use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

/// The weekdays in the order `office.toml` names them (`hours.mon` … `hours.sun`).
pub const DAY_KEYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

/// Opening ranges for each weekday, in the calendar's own time zone, sorted and not overlapping. A day
/// without ranges takes no meetings, and neither does a day the office is closed ([`Closures`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    days: [Vec<(NaiveTime, NaiveTime)>; 7],
    closures: Closures,
}

/// The days an office is closed besides its weekly days off: its country's public holidays and its
/// own closures (the summer closure, the days around Christmas).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Closures {
    /// The public-holiday calendar: a country, or a region of one ("IT", "IT-RM", "GB-SCT").
    pub holidays: Option<String>,
    /// The office's own closed periods.
    pub periods: Vec<ClosedPeriod>,
}

/// A stretch of days the office is closed, first and last day included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedPeriod {
    /// Once: "2026-08-10..2026-08-21".
    Dates(NaiveDate, NaiveDate),
    /// Every year, as (month, day): "12-24..01-06" runs over the new year.
    Yearly((u32, u32), (u32, u32)),
}

impl ClosedPeriod {
    /// Whether `day` falls in the period.
    pub fn holds(self, day: NaiveDate) -> bool {
        match self {
            ClosedPeriod::Dates(first, last) => first <= day && day <= last,
            ClosedPeriod::Yearly(first, last) => {
                let at = (day.month(), day.day());
                if first <= last { first <= at && at <= last } else { at >= first || at <= last }
            }
        }
    }

    /// Reads "2026-12-24", "2026-08-10..2026-08-21", "12-24..01-06" (every year) or "08-15".
    pub fn parse(text: &str) -> Option<ClosedPeriod> {
        let (first, last) = text.trim().split_once("..").unwrap_or((text.trim(), text.trim()));
        let date = |t: &str| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok();
        let yearly = |t: &str| {
            let (month, day) = t.trim().split_once('-')?;
            let (month, day) = (month.parse().ok()?, day.parse().ok()?);
            NaiveDate::from_ymd_opt(2024, month, day).map(|_| (month, day))
        };
        match (date(first), date(last)) {
            (Some(a), Some(b)) if a <= b => Some(ClosedPeriod::Dates(a, b)),
            (Some(_), _) | (_, Some(_)) => None,
            (None, None) => Some(ClosedPeriod::Yearly(yearly(first)?, yearly(last)?)),
        }
    }
}

impl Closures {
    /// Why the office is closed on `day`, if it is: the holiday's name, or "closed".
    pub fn on(&self, day: NaiveDate) -> Option<String> {
        if self.periods.iter().any(|period| period.holds(day)) {
            return Some("closed".to_owned());
        }
        let code = self.holidays.as_deref()?;
        crate::calendar::holidays::of_year(code, day.year()).get(&day).cloned()
    }
}

impl Default for WorkingHours {
    /// Monday to Friday, 09:00 to 17:00: what an office without `hours` is taken to keep.
    fn default() -> Self {
        let day = || vec![(time(9, 0), time(17, 0))];
        WorkingHours {
            days: [day(), day(), day(), day(), day(), Vec::new(), Vec::new()],
            closures: Closures::default(),
        }
    }
}

impl WorkingHours {
    /// No day open; fill it with [`WorkingHours::set`].
    pub fn closed() -> WorkingHours {
        WorkingHours { days: Default::default(), closures: Closures::default() }
    }

    /// Closes these hours on `closures`' days.
    pub fn close_on(&mut self, closures: &Closures) {
        self.closures = closures.clone();
    }

    /// The ranges `day` is open: its weekday's, or none when the office is closed that day.
    pub fn ranges_on(&self, day: NaiveDate) -> &[(NaiveTime, NaiveTime)] {
        if self.closures.on(day).is_some() { &[] } else { self.ranges(day.weekday()) }
    }

    /// Why the office is closed on `day`, if a holiday or closure is why.
    pub fn closed_on(&self, day: NaiveDate) -> Option<String> {
        self.closures.on(day)
    }

    /// Opens `day` during `ranges` (replacing what it had).
    pub fn set(&mut self, day: Weekday, ranges: Vec<(NaiveTime, NaiveTime)>) {
        self.days[day.num_days_from_monday() as usize] = ranges;
    }

    /// The ranges `day` is open, earliest first.
    pub fn ranges(&self, day: Weekday) -> &[(NaiveTime, NaiveTime)] {
        &self.days[day.num_days_from_monday() as usize]
    }

    /// Whether any day is open at all.
    pub fn is_open_sometime(&self) -> bool {
        self.days.iter().any(|d| !d.is_empty())
    }

    /// The date `days` open days after `from` (a vendor's lead time: two working days after a Friday
    /// is Tuesday; holidays and closures are not working days). Without any open day, calendar days.
    pub fn after_days(&self, from: NaiveDate, days: u32) -> NaiveDate {
        let mut date = from;
        let mut left = days;
        // Past ten years the lead time is a typo: stop there rather than loop on.
        for _ in 0..3660 {
            if left == 0 {
                break;
            }
            date = match date.succ_opt() {
                Some(next) => next,
                None => break,
            };
            if !self.is_open_sometime() || !self.ranges_on(date).is_empty() {
                left -= 1;
            }
        }
        date
    }

    /// The moment `amount` of open time has passed after `start`, counting only these hours in `zone`:
    /// four working hours after Friday 16:00 in a 09:00-17:00 office is Monday 12:00. This is how an
    /// answer promised "within 4 hours" is dated. Without any open day the clock is not stopped.
    pub fn after(&self, zone: Tz, start: DateTime<Utc>, amount: Duration) -> DateTime<Utc> {
        // A period too long to add (a typo of many zeros in office.toml) is read as ten years, not a panic.
        let plain = || {
            chrono::Duration::from_std(amount)
                .ok()
                .and_then(|d| start.checked_add_signed(d))
                .unwrap_or(start + chrono::Duration::days(3650))
        };
        if !self.is_open_sometime() {
            return plain();
        }
        let local = start.with_timezone(&zone).naive_local();
        let mut left = amount;
        let mut day = local.date();
        // Ten years of days: far beyond any response time, and a bound on the loop whatever the input.
        for _ in 0..3660 {
            for &(from, to) in self.ranges_on(day) {
                let from = if day == local.date() { from.max(local.time()) } else { from };
                if to <= from {
                    continue;
                }
                let open = (to - from).to_std().unwrap_or_default();
                if left <= open {
                    let end = from + chrono::Duration::from_std(left).unwrap_or_default();
                    // The local clock can step back over a daylight-saving change; never before the start.
                    return super::zones::resolve_local(zone, day.and_time(end)).max(start);
                }
                left -= open;
            }
            day = match day.succ_opt() {
                Some(next) => next,
                None => break,
            };
        }
        plain()
    }
}

/// Reads one day's ranges: `"09:00-12:30, 14:00-18:00"`; `""` or `"closed"` for none. Ranges must be
/// in order and must not overlap.
pub fn parse_day(text: &str) -> Result<Vec<(NaiveTime, NaiveTime)>, String> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("closed") {
        return Ok(Vec::new());
    }
    let mut ranges: Vec<(NaiveTime, NaiveTime)> = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let (from, to) =
            part.split_once('-').ok_or_else(|| format!("`{part}` is not a range like \"09:00-12:30\""))?;
        let (from, to) = (clock(from)?, clock(to)?);
        if from >= to {
            return Err(format!("`{part}` ends before it starts"));
        }
        if ranges.last().is_some_and(|&(_, end)| from < end) {
            return Err(format!("`{part}` overlaps or comes before the range before it"));
        }
        ranges.push((from, to));
    }
    Ok(ranges)
}

/// `"9:00"`, `"09:00"` or `"24:00"` (the end of the day, read as 23:59:59).
fn clock(text: &str) -> Result<NaiveTime, String> {
    let text = text.trim();
    if text == "24:00" {
        return Ok(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN));
    }
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| format!("`{text}` is not a time like \"09:30\""))
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_day_can_have_a_lunch_break() {
        assert_eq!(
            parse_day("09:00-12:30, 14:00-18:00"),
            Ok(vec![(time(9, 0), time(12, 30)), (time(14, 0), time(18, 0))])
        );
    }

    #[test]
    fn closed_days_have_no_ranges() {
        assert_eq!(parse_day("closed"), Ok(vec![]));
        assert_eq!(parse_day(""), Ok(vec![]));
    }

    #[test]
    fn overlapping_or_backward_ranges_are_refused() {
        assert!(parse_day("09:00-13:00, 12:00-18:00").unwrap_err().contains("overlaps"));
        assert!(parse_day("18:00-09:00").unwrap_err().contains("ends before it starts"));
        assert!(parse_day("9 to 5").unwrap_err().contains("not a range"));
        assert!(parse_day("09:00-17:75").unwrap_err().contains("not a time"));
    }

    fn rome(text: &str) -> DateTime<Utc> {
        let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        chrono_tz::Europe::Rome.from_local_datetime(&naive).unwrap().with_timezone(&Utc)
    }

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn working_days_skip_the_weekend() {
        let hours = WorkingHours::default();
        let friday = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(hours.after_days(friday, 2), NaiveDate::from_ymd_opt(2026, 12, 8).unwrap());
        assert_eq!(hours.after_days(friday, 0), friday);
        assert_eq!(
            WorkingHours::closed().after_days(friday, 2),
            NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
        );
    }

    #[test]
    fn open_time_is_counted_within_the_day() {
        let hours = WorkingHours::default();
        // Thursday 3 December 2026, 10:00.
        assert_eq!(
            hours.after(chrono_tz::Europe::Rome, rome("2026-12-03 10:00"), 4 * HOUR),
            rome("2026-12-03 14:00")
        );
    }

    #[test]
    fn open_time_stops_over_the_weekend() {
        let hours = WorkingHours::default();
        // Friday 16:00 + 4 working hours: one on Friday, three on Monday.
        assert_eq!(
            hours.after(chrono_tz::Europe::Rome, rome("2026-12-04 16:00"), 4 * HOUR),
            rome("2026-12-07 12:00")
        );
    }

    #[test]
    fn mail_at_night_is_answered_from_the_next_opening() {
        let hours = WorkingHours::default();
        assert_eq!(
            hours.after(chrono_tz::Europe::Rome, rome("2026-12-02 22:30"), HOUR),
            rome("2026-12-03 10:00")
        );
    }

    #[test]
    fn a_period_too_long_to_add_does_not_panic() {
        let hours = WorkingHours::closed();
        let start = rome("2026-12-03 10:00");
        assert!(hours.after(chrono_tz::Europe::Rome, start, Duration::from_secs(u64::MAX)) > start);
    }

    #[test]
    fn a_lunch_break_is_not_open_time() {
        let mut hours = WorkingHours::closed();
        hours.set(Weekday::Mon, parse_day("09:00-12:30, 14:00-18:00").unwrap());
        assert_eq!(
            hours.after(chrono_tz::Europe::Rome, rome("2026-12-07 12:00"), HOUR),
            rome("2026-12-07 14:30")
        );
    }

    #[test]
    fn without_hours_an_office_keeps_weekdays_nine_to_five() {
        let hours = WorkingHours::default();
        assert_eq!(hours.ranges(Weekday::Wed), [(time(9, 0), time(17, 0))]);
        assert!(hours.ranges(Weekday::Sat).is_empty());
    }

    fn italian_office() -> WorkingHours {
        let mut hours = WorkingHours::default();
        let summer = ClosedPeriod::parse("08-10..08-21").unwrap();
        hours.close_on(&Closures { holidays: Some("IT".into()), periods: vec![summer] });
        hours
    }

    #[test]
    fn a_public_holiday_or_a_closure_has_no_ranges() {
        let hours = italian_office();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert!(hours.ranges_on(day(12, 8)).is_empty(), "the Immaculate Conception");
        assert!(hours.ranges_on(day(8, 12)).is_empty(), "the summer closure");
        assert_eq!(hours.ranges_on(day(12, 9)).len(), 1);
        assert_eq!(hours.closed_on(day(12, 8)).as_deref(), Some("Immacolata Concezione"));
    }

    #[test]
    fn lead_times_and_answer_times_skip_holidays() {
        let hours = italian_office();
        let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        // Tuesday 8 is a holiday: two working days after Monday are Wednesday and Thursday.
        assert_eq!(hours.after_days(monday, 2), NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
        let zone = chrono_tz::Europe::Rome;
        let monday_four = zone.with_ymd_and_hms(2026, 12, 7, 16, 0, 0).unwrap().with_timezone(&Utc);
        let due = hours.after(zone, monday_four, Duration::from_secs(4 * 3600));
        assert_eq!(due, zone.with_ymd_and_hms(2026, 12, 9, 12, 0, 0).unwrap().with_timezone(&Utc));
    }

    #[test]
    fn a_closure_is_a_day_a_period_or_a_yearly_period() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let new_year = ClosedPeriod::parse("12-24..01-06").unwrap();
        assert!(new_year.holds(day(2027, 1, 2)) && new_year.holds(day(2026, 12, 31)));
        assert!(!new_year.holds(day(2027, 1, 7)));
        assert_eq!(
            ClosedPeriod::parse("2026-12-24"),
            Some(ClosedPeriod::Dates(day(2026, 12, 24), day(2026, 12, 24)))
        );
        assert_eq!(ClosedPeriod::parse("2026-12-31..2026-12-24"), None, "backwards");
        assert_eq!(ClosedPeriod::parse("Christmas"), None);
    }
}
