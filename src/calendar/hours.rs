//! Working hours: when a calendar takes meetings, as ranges of local time per weekday ("09:00-12:30,
//! 14:00-18:00" keeps a lunch break free).

use chrono::{NaiveTime, Weekday};

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
/// without ranges takes no meetings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    days: [Vec<(NaiveTime, NaiveTime)>; 7],
}

impl Default for WorkingHours {
    /// Monday to Friday, 09:00 to 17:00: what an office without `hours` is taken to keep.
    fn default() -> Self {
        let day = || vec![(time(9, 0), time(17, 0))];
        WorkingHours { days: [day(), day(), day(), day(), day(), Vec::new(), Vec::new()] }
    }
}

impl WorkingHours {
    /// No day open; fill it with [`WorkingHours::set`].
    pub fn closed() -> WorkingHours {
        WorkingHours { days: Default::default() }
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

    #[test]
    fn without_hours_an_office_keeps_weekdays_nine_to_five() {
        let hours = WorkingHours::default();
        assert_eq!(hours.ranges(Weekday::Wed), [(time(9, 0), time(17, 0))]);
        assert!(hours.ranges(Weekday::Sat).is_empty());
    }
}
