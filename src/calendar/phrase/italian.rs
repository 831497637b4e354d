//! Italian requests, by a grammar of their own: days ("martedì", "domani", "la prossima settimana",
//! "24/11", "il 3 dicembre"), times ("alle 15", "alle 15:30", "alle 3 del pomeriggio", "a
//! mezzogiorno"), ranges ("tra le 14 e le 16", "dalle 10 alle 12"), parts of the day ("mattina",
//! "pomeriggio") and lengths ("per un'ora", "mezz'ora", "30 minuti", "un'ora e mezza"). The text
//! arrives lower-cased, without accents.

use std::sync::LazyLock;
use std::time::Duration;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Weekday};
use regex::Regex;

use super::{Clock, Days, Found, Groups, Language, PartOfDay, Reading, day_plus, number, take};

/// The months in Italian, January first: read in requests, written in answers.
pub const MONTHS: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// A clock time after "le"/"alle": `15`, `15:30`, `15.30`, `3`.
const CLOCK: &str = r"(\d{1,2})(?:[:.](\d{2}))?";
/// What may follow an hour to place it in the day.
const WHEN_IN_DAY: &str = r"(?:\s+(?:del|di|nel|il)\s+(mattino|mattina|pomeriggio|sera))?";

static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?:(?:tra|fra|dalle|dall')\s*(?:le\s+)?(?:ore\s+)?{CLOCK}\s+(?:e|alle|a)\s+(?:le\s+)?|(?:tra\s+le|fra\s+le|dalle|alle|ore)\s+{CLOCK}\s*-\s*){CLOCK}{WHEN_IN_DAY}"))
        .expect("a valid regex")
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?:alle|verso\s+le|per\s+le|dopo\s+le|ore|alle\s+ore)\s+{CLOCK}{WHEN_IN_DAY}"))
        .expect("a valid regex")
});
static ONE_OCLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\ball'una\b(?:\s+e\s+mezza)?").expect("a valid regex"));
static NOON: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:a\s+)?mezzogiorno\b").expect("a valid regex"));
static HOURS_LENGTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:per\s+)?(un'|un|una|due|tre|quattro|\d+(?:[.,]\d+)?)\s*(?:ora|ore|h)\b(\s+e\s+mezz[ao])?",
    )
    .expect("a valid regex")
});
static HALF_HOUR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:per\s+)?(?:una\s+)?mezz'?\s*ora\b").expect("a valid regex"));
static MINUTES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:per\s+)?(\d+)\s*(?:minuti|min|m)\b").expect("a valid regex"));
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2,4}))?\b").expect("a valid regex"));
static DAY_OF_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\s+(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)(?:\s+(\d{4}))?\b")
        .expect("a valid regex")
});
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(lunedi|martedi|mercoledi|giovedi|venerdi|sabato|domenica)(\s+prossim[oa])?\b")
        .expect("a valid regex")
});
static NEXT_WEEK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:la\s+)?(?:prossima\s+settimana|settimana\s+prossima|settimana\s+che\s+viene)\b")
        .expect("a valid regex")
});
static THIS_WEEK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:in\s+)?questa\s+settimana\b").expect("a valid regex"));
static RELATIVE_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(dopodomani|domattina|domani|stamattina|stamani|stasera|oggi)\b").expect("a valid regex")
});
static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(mattina|mattinata|mattino|pomeriggio|sera|serata|ora\s+di\s+pranzo|pranzo)\b")
        .expect("a valid regex")
});

pub(super) fn read(text: &str, sent: DateTime<FixedOffset>, home: Option<chrono_tz::Tz>) -> Reading {
    let mut rest = text.to_owned();
    let today = sent.date_naive();
    let mut found = Found::default();
    if let Some(groups) = take(&mut rest, &RANGE) {
        found.range = range(&groups);
    }
    if let Some(groups) = take(&mut rest, &TIME) {
        found.clock = clock(&groups, 1, groups.get(3));
    } else if let Some(groups) = take(&mut rest, &ONE_OCLOCK) {
        let minute = if groups.get(0).is_some_and(|m| m.contains("mezza")) { 30 } else { 0 };
        found.clock = Some(Clock { hour: 13, minute, explicit: true });
    } else if take(&mut rest, &NOON).is_some() {
        found.clock = Some(Clock { hour: 12, minute: 0, explicit: true });
    }
    // After the times, so that "alle 10 ora italiana" is not ten hours long.
    found.length = length(&mut rest);
    found.day = day(&mut rest, today, &mut found.part);
    if found.part.is_none()
        && let Some(groups) = take(&mut rest, &PART)
    {
        found.part = Some(part(groups.get(1).unwrap_or("")));
    }
    found.reading(sent, Language::Italian, home)
}

/// "per un'ora", "mezz'ora", "30 minuti", "un'ora e mezza", "due ore".
fn length(text: &mut String) -> Option<Duration> {
    let minutes = |n: f64| Duration::from_secs((n * 60.0).round().max(0.0) as u64);
    if take(text, &HALF_HOUR).is_some() {
        return Some(minutes(30.0));
    }
    if let Some(groups) = take(text, &HOURS_LENGTH) {
        let hours = number(groups.get(1)?)? + if groups.get(2).is_some() { 0.5 } else { 0.0 };
        return Some(minutes(hours * 60.0));
    }
    let groups = take(text, &MINUTES)?;
    Some(minutes(groups.get(1)?.parse().ok()?))
}

/// The range's start (groups 1–2 for "tra le 14 e le 16", 3–4 for "14-16"), end (5–6) and when in
/// the day (7).
fn range(groups: &Groups) -> Option<(Clock, Clock)> {
    let when = groups.get(7);
    let start = if groups.get(1).is_some() { 1 } else { 3 };
    Some((clock(groups, start, when)?, clock(groups, 5, when)?))
}

/// The clock time in groups `first` (hour) and `first + 1` (minutes), placed in the day by `when`
/// ("del pomeriggio", "di sera").
fn clock(groups: &Groups, first: usize, when: Option<&str>) -> Option<Clock> {
    let mut hour: u32 = groups.get(first)?.parse().ok()?;
    let minute: u32 = groups.get(first + 1).map_or(Some(0), |m| m.parse().ok())?;
    let afternoon = matches!(when, Some("pomeriggio" | "sera"));
    if afternoon && hour < 12 {
        hour += 12;
    }
    // "alle 2:30" is as ambiguous as "alle 2"; "alle 02:30" and "alle 14:30" are not.
    let explicit = when.is_some() || hour >= 13 || hour == 0 || groups.get(first)?.starts_with('0');
    (hour < 24 && minute < 60).then_some(Clock { hour, minute, explicit })
}

fn part(word: &str) -> PartOfDay {
    match word {
        "pomeriggio" => PartOfDay::Afternoon,
        "sera" | "serata" => PartOfDay::Evening,
        "pranzo" | "ora di pranzo" => PartOfDay::Lunchtime,
        _ => PartOfDay::Morning,
    }
}

/// The day or days named, taken out of `text`; words that name a part of the day too ("stasera")
/// set `part`.
fn day(text: &mut String, today: NaiveDate, part: &mut Option<PartOfDay>) -> Option<Days> {
    // "24/11", but not the "14-16" of a range of hours: only a real date is taken.
    let valid = DATE.captures(text).and_then(|caps| {
        let (day, month) = (caps.get(1)?.as_str().parse().ok()?, caps.get(2)?.as_str().parse().ok()?);
        let year = caps
            .get(3)
            .and_then(|y| y.as_str().parse::<i32>().ok())
            .map(|y| if y < 100 { 2000 + y } else { y });
        super::next_date(today, day, month, year)
    });
    if let Some(date) = valid {
        take(text, &DATE);
        return Some(Days::one(date));
    }
    if let Some(groups) = take(text, &DAY_OF_MONTH) {
        let month = MONTHS.iter().position(|m| Some(*m) == groups.get(2))? as u32 + 1;
        let year = groups.get(3).and_then(|y| y.parse().ok());
        return super::next_date(today, groups.get(1)?.parse().ok()?, month, year).map(Days::one);
    }
    if take(text, &NEXT_WEEK).is_some() {
        return Some(Days::next_week(today));
    }
    if take(text, &THIS_WEEK).is_some() {
        let monday = day_plus(today, -i64::from(today.weekday().num_days_from_monday()));
        return Some(Days { from: today, to: day_plus(monday, 7) });
    }
    if let Some(groups) = take(text, &WEEKDAY) {
        let weekday = match groups.get(1)? {
            "lunedi" => Weekday::Mon,
            "martedi" => Weekday::Tue,
            "mercoledi" => Weekday::Wed,
            "giovedi" => Weekday::Thu,
            "venerdi" => Weekday::Fri,
            "sabato" => Weekday::Sat,
            _ => Weekday::Sun,
        };
        // The next one after today: on a Monday, "lunedì" is a week away.
        let ahead = (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday() - 1) % 7 + 1;
        return Some(Days::one(day_plus(today, i64::from(ahead))));
    }
    let groups = take(text, &RELATIVE_DAY)?;
    let (offset, named_part) = match groups.get(1)? {
        "oggi" => (0, None),
        "stamattina" | "stamani" => (0, Some(PartOfDay::Morning)),
        "stasera" => (0, Some(PartOfDay::Evening)),
        "domattina" => (1, Some(PartOfDay::Morning)),
        "domani" => (1, None),
        _ => (2, None),
    };
    if named_part.is_some() {
        *part = named_part;
    }
    Some(Days::one(day_plus(today, offset)))
}
