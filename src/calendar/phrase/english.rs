//! English requests: lengths, ranges of hours and parts of the day are read here and taken out of
//! the text; duckling reads the days and times in what is left.

use std::sync::LazyLock;
use std::time::Duration;

use chrono::{DateTime, Datelike, FixedOffset, Months, Timelike, Utc};
use duckling::{Context, DimensionKind, DimensionValue, Grain, Lang, Locale, Options, TimePoint, TimeValue};
use regex::Regex;

use super::{
    Clock, Days, Found, Groups, Language, MOST_WINDOWS, PartOfDay, Reading, WINDOW_WORDS, day_plus, number,
    take,
};

/// A clock time as written: `3`, `3pm`, `15:30`, `3.30 p.m.`.
const CLOCK: &str = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?";

static HOURS_AND_MINUTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:for\s+)?(\d+)\s*h\s*(\d{1,2})(?:\s*m(?:in)?)?\b").expect("a valid regex")
});
static HOURS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:for\s+)?(an?|one|two|three|four|\d+(?:[.,]\d+)?)\s*(?:hours?|hrs?|h)\b(\s+and\s+a\s+half)?",
    )
    .expect("a valid regex")
});
static HALF_HOUR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:for\s+)?half\s+an?\s+hour\b").expect("a valid regex"));
static MINUTES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:for\s+)?(\d+)\s*(?:minutes?|mins?|m)\b").expect("a valid regex"));
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?:between|from)\s+{CLOCK}\s*(?:and|to|till|until|-)\s*{CLOCK}"))
        .expect("a valid regex")
});
static DASHED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b{CLOCK}\s*-\s*{CLOCK}")).expect("a valid regex"));
/// "02:30", "0:30": an hour written on the 24-hour clock.
static ZERO_HOUR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b0\d?:\d{2}\b").expect("a valid regex"));
/// "10 December", "3rd of November": duckling puts a day of 12 or less before a month on the 1st when a
/// time follows.
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    )
    .expect("a valid regex")
});
static TIME_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^(?:at\s+|around\s+|about\s+)?{CLOCK}$")).expect("a valid regex"));
static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:in\s+the\s+)?(morning|afternoon|evening|tonight|lunch\s*time|lunch)\b")
        .expect("a valid regex")
});

pub(super) fn read(text: &str, sent: DateTime<FixedOffset>, home: Option<chrono_tz::Tz>) -> Reading {
    let mut rest = text.to_owned();
    let mut found = Found { length: length(&mut rest), ..Found::default() };
    if let Some(groups) = take(&mut rest, &RANGE) {
        found.range = clocks(&groups);
    } else if DASHED.captures(&rest).is_some_and(|c| (2..=6).any(|n| n != 4 && c.get(n).is_some()))
        && let Some(groups) = take(&mut rest, &DASHED)
    {
        // Only "2-4pm" or "14:00-16:00" is a range of hours; "24-26" is left to be a range of days.
        found.range = clocks(&groups);
    }
    if let Some(groups) = take(&mut rest, &PART) {
        found.part = match groups.get(1).unwrap_or("") {
            "morning" => Some(PartOfDay::Morning),
            "afternoon" => Some(PartOfDay::Afternoon),
            "evening" | "tonight" => Some(PartOfDay::Evening),
            _ => Some(PartOfDay::Lunchtime),
        };
    }
    if let Some(groups) = take(&mut rest, &DAY_MONTH) {
        const MONTHS: [&str; 12] =
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        let month =
            MONTHS.iter().position(|m| Some(*m) == groups.get(2)).and_then(|m| u32::try_from(m + 1).ok());
        let day = groups.get(1).and_then(|d| d.parse().ok());
        if let (Some(day), Some(month)) = (day, month) {
            found.day = super::next_date(sent.date_naive(), day, month, None).map(Days::one);
        }
    }
    times(&rest, sent, &mut found);
    found.reading(sent, Language::English, home)
}

/// "for an hour", "30 min", "1h30", "half an hour", "two hours and a half".
fn length(text: &mut String) -> Option<Duration> {
    let minutes = |n: f64| Duration::from_secs((n * 60.0).round().max(0.0) as u64);
    if let Some(groups) = take(text, &HOURS_AND_MINUTES) {
        let hours: f64 = groups.get(1)?.parse().ok()?;
        let extra: f64 = groups.get(2)?.parse().ok()?;
        return Some(minutes(hours * 60.0 + extra));
    }
    if take(text, &HALF_HOUR).is_some() {
        return Some(minutes(30.0));
    }
    if let Some(groups) = take(text, &HOURS) {
        let hours = number(groups.get(1)?)? + if groups.get(2).is_some() { 0.5 } else { 0.0 };
        return Some(minutes(hours * 60.0));
    }
    let groups = take(text, &MINUTES)?;
    Some(minutes(groups.get(1)?.parse().ok()?))
}

/// The two clock times of a range (groups 1–3 and 4–6).
fn clocks(groups: &Groups) -> Option<(Clock, Clock)> {
    Some((clock(groups, 1)?, clock(groups, 4)?))
}

fn clock(groups: &Groups, first: usize) -> Option<Clock> {
    let mut hour: u32 = groups.get(first)?.parse().ok()?;
    let minute: u32 = groups.get(first + 1).map_or(Some(0), |m| m.parse().ok())?;
    let meridiem = groups.get(first + 2).map(|m| m.starts_with('p'));
    match meridiem {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    // "2:30" is as ambiguous as "2"; "02:30", "0:30" and "14:30" are not.
    let explicit = meridiem.is_some() || hour >= 13 || hour == 0 || groups.get(first)?.starts_with('0');
    (hour < 24 && minute < 60).then_some(Clock { hour, minute, explicit })
}

/// The days and times duckling finds in `text`; the first of each kind counts. Duckling reads
/// windows of [`WINDOW_WORDS`] words, each overlapping the next by half: a phrase is taken from the
/// window it starts in the first half of (or from the last window read), where it is whole. Only
/// windows with a word that can tell a day or time ([`tells_time`]) are read, [`MOST_WINDOWS`] of
/// them at most, and none after a day and a time (or an instant) have been found: duckling's work on
/// one window dense with dates and times reaches half a second, which a sender could otherwise have
/// it spend on every window of a message.
fn times(text: &str, sent: DateTime<FixedOffset>, found: &mut Found) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let step = WINDOW_WORDS / 2;
    let mut first = 0;
    let mut read = 0;
    loop {
        let window = &words[first..words.len().min(first + WINDOW_WORDS)];
        if window.iter().any(|word| tells_time(word)) {
            read += 1;
            let last = first + WINDOW_WORDS >= words.len() || read == MOST_WINDOWS;
            let half = window.iter().take(step).map(|w| w.len() + 1).sum::<usize>();
            let text = window.join(" ");
            window_times(&text, sent, found, |start| last || start < half);
        }
        let settled = found.instant.is_some() || (found.day.is_some() && found.clock.is_some());
        if first + WINDOW_WORDS >= words.len() || read == MOST_WINDOWS || settled {
            return;
        }
        first += step;
    }
}

/// Whether duckling could read `word` (lower case, accents off) as part of a day or time: it has a
/// digit, or names a day, a month, a part of the day, a number or a span.
fn tells_time(word: &str) -> bool {
    const WORDS: &str = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur \
        thurs fri sat sun january february march april june july august september october november \
        december jan feb mar apr jun jul aug sep sept oct nov dec today tomorrow tonight yesterday noon \
        midday midnight morning afternoon evening night weekend week weeks month months year years hour \
        hours minutes now one two three four five six seven eight nine ten eleven twelve twenty thirty \
        half quarter first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth \
        christmas easter";
    let letters = word.trim_matches(|c: char| !c.is_alphabetic());
    word.bytes().any(|b| b.is_ascii_digit()) || WORDS.split_whitespace().any(|w| w == letters)
}

/// The days and times duckling finds in one window, of those starting where `taken` says.
fn window_times(text: &str, sent: DateTime<FixedOffset>, found: &mut Found, taken: impl Fn(usize) -> bool) {
    let locale = Locale::new(Lang::EN, None);
    let context = Context { reference_time: sent, locale };
    let entities = duckling::parse(text, &locale, &[DimensionKind::Time], &context, &Options::default());
    let entities =
        entities.into_iter().filter(|e| e.latent != Some(true) && taken(e.start) && within_years(&e.value));
    for entity in entities {
        let written = entity.body.contains("am")
            || entity.body.contains("pm")
            || entity.body.contains("a.m.")
            || entity.body.contains("p.m.")
            || ZERO_HOUR.is_match(&entity.body);
        match entity.value {
            // Duckling reads "next week at 3pm" as that week's Monday at 15:00; any day of it is meant.
            DimensionValue::Time(TimeValue::Single { value: TimePoint::Naive { value, grain }, .. })
                if grain < Grain::Day && entity.body.contains("week") && found.day.is_none() =>
            {
                let monday = day_plus(value.date(), -i64::from(value.weekday().num_days_from_monday()));
                found.day = Some(Days { from: monday, to: day_plus(monday, 7) });
            }
            DimensionValue::Time(TimeValue::Single { value, .. }) => {
                point(value, written, TIME_ONLY.is_match(entity.body.trim()), found)
            }
            DimensionValue::Time(TimeValue::Interval { from: Some(from), to: Some(to), .. }) => {
                // "2026-1899" is a stretch read backwards, not days to meet on.
                if let (TimePoint::Naive { value: from, grain }, TimePoint::Naive { value: to, .. }) =
                    (from, to)
                    && grain >= Grain::Day
                    && found.day.is_none()
                    && from.date() < to.date()
                {
                    found.day = Some(Days { from: from.date(), to: to.date() });
                }
            }
            _ => {}
        }
    }
}

/// Whether the days and times of `value` fall within the years calendars are kept in: "in 5000
/// years" is not a meeting, and arithmetic on it could overflow.
fn within_years(value: &DimensionValue) -> bool {
    let year = |point: &TimePoint| match point {
        TimePoint::Instant { value, .. } => value.year(),
        TimePoint::Naive { value, .. } => value.year(),
    };
    let years = &crate::calendar::ics::YEARS;
    match value {
        DimensionValue::Time(TimeValue::Single { value, .. }) => years.contains(&year(value)),
        DimensionValue::Time(TimeValue::Interval { from, to, .. }) => {
            from.iter().chain(to).all(|point| years.contains(&year(point)))
        }
        _ => true,
    }
}

/// One day or time duckling found; `written` when am/pm or minutes were given, `time_only` when the
/// text named no day (duckling then chose one, which [`Found::reading`] chooses again knowing that
/// "3" means 15:00).
fn point(point: TimePoint, written: bool, time_only: bool, found: &mut Found) {
    match point {
        TimePoint::Instant { value, grain } if grain <= Grain::Hour && found.instant.is_none() => {
            found.instant = Some(value.with_timezone(&Utc));
        }
        TimePoint::Naive { value, grain } => match grain {
            Grain::Second | Grain::Minute | Grain::Hour if found.clock.is_none() => {
                found.clock = Some(Clock {
                    hour: value.hour(),
                    minute: value.minute(),
                    explicit: written || value.hour() >= 13,
                });
                if !time_only && found.day.is_none() {
                    found.day = Some(Days::one(value.date()));
                }
            }
            Grain::Day if found.day.is_none() => found.day = Some(Days::one(value.date())),
            Grain::Week if found.day.is_none() => {
                found.day = Some(Days { from: value.date(), to: day_plus(value.date(), 7) });
            }
            Grain::Month if found.day.is_none() => {
                let first = value.date().with_day(1).unwrap_or(value.date());
                found.day =
                    Some(Days { from: first, to: first.checked_add_months(Months::new(1)).unwrap_or(first) });
            }
            _ => {}
        },
        _ => {}
    }
}
