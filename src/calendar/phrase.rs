//! Reading when a message asks to meet, in its own words: "Tuesday at 3pm for an hour", "tomorrow
//! morning", "24/11 alle 15:00", "next week", "tra le 14 e le 16", in English or Italian.
//!
//! Times are read in the sender's time zone (the offset of the message's Date) unless the text names
//! one ("3pm EST"). English goes through `duckling` (a port of Facebook's Duckling), with durations,
//! ranges of hours and parts of the day taken out first, because duckling reads "for an hour" into
//! the end of an interval, "between 2 and 4" as 02:00–04:00 and "morning" as midnight to noon.
//! Italian has a grammar of its own (duckling reads "alle 15" as 01:05).
//!
//! What is read is a [`Reading`]: a time asked for, a stretch of time any part of which would do,
//! or nothing; and a length if one was given. The meeting desk turns it into a booking or proposals,
//! and echoes it back ("I read this as …") so that a person catches a misreading.
//!
//! Reading takes time in proportion to what is read, and what is read is bounded: the first
//! [`MOST_LINES`] lines, at most [`MOST_WORDS_A_LINE`] words of a line and [`MOST_WORDS`] in all, and
//! no word longer than [`LONGEST_WORD`]. A request says when it wants to meet near its top; a
//! megabyte without a newline, a run of 100,000 digits or ten thousand "at 10am" is read for its
//! first words only. Duckling, whose work grows faster than its input, reads overlapping windows
//! of [`WINDOW_WORDS`] words, and at most [`MOST_WINDOWS`] of those that hold a day or time.

mod english;
pub mod italian;

use std::sync::LazyLock;
use std::time::Duration;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;
use regex::Regex;

use crate::mail::reply_text::new_text;

#[cfg(test)]
mod tests;

/// Lines of a message read at most (the subject is the first).
pub const MOST_LINES: usize = 60;

/// Words of one line read at most.
pub const MOST_WORDS_A_LINE: usize = 60;

/// Words of a message read at most.
pub const MOST_WORDS: usize = 400;

/// Bytes of the longest word read: no date or time is longer, a link or a run of digits is.
pub const LONGEST_WORD: usize = 32;

/// The words duckling reads at once; windows overlap by half, so a phrase of up to half as many
/// words is always read whole.
pub const WINDOW_WORDS: usize = 24;

/// Windows duckling reads at most in one message, of those with a word that can tell a day or time:
/// its work on a window dense with dates and times ("the 5th at 9" over and over) reaches half a
/// second, however many such windows a sender writes.
pub const MOST_WINDOWS: usize = 3;

/// The shortest and longest meeting a request can ask for.
const SHORTEST: Duration = Duration::from_secs(5 * 60);
const LONGEST: Duration = Duration::from_secs(12 * 3600);

/// The language a request was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Italian,
}

impl Language {
    /// The opening of a letter to `name` (or to someone whose name is not known).
    pub fn greeting(self, name: Option<&str>) -> String {
        match (self, name.filter(|n| !n.is_empty())) {
            (Language::English, Some(name)) => format!("Dear {name},"),
            (Language::English, None) => "Hello,".to_owned(),
            (Language::Italian, Some(name)) => format!("Gentile {name},"),
            (Language::Italian, None) => "Buongiorno,".to_owned(),
        }
    }
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// A meeting starting then: "Tuesday at 3pm".
    At(DateTime<Utc>),
    /// Any time within: "tomorrow morning", "Thursday", "next week", "between 2 and 4".
    Within { from: DateTime<Utc>, to: DateTime<Utc> },
    /// No day or time that could be read.
    Nothing,
}

/// How a request was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub asked: Asked,
    /// "for an hour", "30 min", "mezz'ora".
    pub length: Option<Duration>,
    pub language: Language,
}

/// Reads `text`, sent at `sent` (its offset is the sender's zone).
pub fn read(text: &str, sent: DateTime<FixedOffset>) -> Reading {
    read_in(text, sent, None)
}

/// [`read`] for a sender who may be in `home` (the calendar's zone): when the message's offset is
/// `home`'s at the time it was sent, times are read in `home`, so that "3 November at 15:00" written in
/// October (summer time) is 15:00 winter time, not an hour off.
pub fn read_in(text: &str, sent: DateTime<FixedOffset>, home: Option<Tz>) -> Reading {
    let home = home.filter(|zone| zone.offset_from_utc_datetime(&sent.naive_utc()).fix() == *sent.offset());
    let normal = normalise(&bounded(text));
    // The same words are read more than once for one message (the intent readers at
    // classification, again for `explain`'s trace): the last few readings are kept on the thread,
    // since duckling can spend a second on a page dense with dates.
    let key = (normal.clone(), sent, home);
    if let Some(reading) =
        RECENT.with(|recent| recent.borrow().iter().find(|(k, _)| *k == key).map(|(_, r)| *r))
    {
        return reading;
    }
    let reading = match language(&normal) {
        Language::Italian => italian::read(&normal, sent, home),
        Language::English => english::read(&normal, sent, home),
    };
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if recent.len() == KEPT_READINGS {
            recent.remove(0);
        }
        recent.push((key, reading));
    });
    reading
}

/// How many recent readings a thread keeps.
const KEPT_READINGS: usize = 4;

/// What a reading depends on: the words read, when they were sent, the home zone.
type Read = (String, DateTime<FixedOffset>, Option<Tz>);

thread_local! {
    /// The last readings on this thread.
    static RECENT: std::cell::RefCell<Vec<(Read, Reading)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Which of `offered` numbered times a reply chooses, reading only what the reply adds above the
/// quoted mail. Only a clear choice counts: a line that is the number ("2", "option 2", "#2 please"),
/// a phrase that takes one ("va bene la 2", "I'll take the second", "scelgo la terza"), or an
/// ordinal that works ("the second works for me"). "Secondo me…", "first of all…" or "3 December"
/// are not choices.
pub fn choice(text: &str, offered: usize) -> Option<usize> {
    const WHICH: &str =
        r"([1-9]|first|second|third|fourth|fifth|prima|primo|seconda|secondo|terza|terzo|quarta|quinta)";
    static ALONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:option|opzione|number|numero|no\.?|n\.?|#)?\s*([1-9])\s*[.)!]?\s*(?:,?\s*(?:please|thanks|thank you|grazie|perfetto|ok)[.!]?)?$",
        )
        .expect("a valid regex")
    });
    static TAKES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"\b(?:va\s+bene|vanno\s+bene|ok|okay|yes|si|prefer\w*|take|choose|scelgo|go\s+with|let'?s\s+do|opto\s+per|meglio)\s+(?:for\s+)?(?:la|il|the|option|opzione|number|numero|#)?\s*{WHICH}\b"
        ))
        .expect("a valid regex")
    });
    static WORKS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"^(?:the\s+|la\s+|il\s+)?{WHICH}(?:\s+(?:one|option|opzione|orario|time|slot))?(?:[.!]?$|\s+(?:works|is\s+fine|is\s+good|suits|please|va\s+bene|mi\s+va\s+bene|andrebbe\s+bene|e\s+perfett[ao]))"
        ))
        .expect("a valid regex")
    });
    const ORDINALS: [(&str, usize); 13] = [
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("fourth", 4),
        ("fifth", 5),
        ("prima", 1),
        ("primo", 1),
        ("seconda", 2),
        ("secondo", 2),
        ("terza", 3),
        ("terzo", 3),
        ("quarta", 4),
        ("quinta", 5),
    ];
    let fresh = normalise(&bounded(new_text(text)));
    // Sentence by sentence: "Option 3 please. Can we have the drawings there?" chooses the third.
    let chosen =
        fresh.lines().flat_map(sentences).map(str::trim).filter(|l| !l.is_empty()).find_map(|line| {
            let caps =
                ALONE.captures(line).or_else(|| TAKES.captures(line)).or_else(|| WORKS.captures(line))?;
            let which = caps.get(1)?;
            // "va bene il 2/12": a date, not a choice.
            if line[which.end()..].starts_with(['/', ':', '.'])
                && line[which.end()..].chars().nth(1).is_some_and(|c| c.is_ascii_digit())
            {
                return None;
            }
            let word = which.as_str();
            word.parse::<usize>().ok().or_else(|| ORDINALS.iter().find(|(w, _)| *w == word).map(|(_, n)| *n))
        })?;
    (1..=offered).contains(&chosen).then_some(chosen)
}

/// The sentences of `line`: cut after a `.`, `!` or `?` that a space follows, so that "2.30" and
/// "3/12." stay whole.
fn sentences(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') && chars.peek().is_some_and(|(_, next)| next.is_whitespace()) {
            found.push(&line[start..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    found.push(&line[start..]);
    found
}

/// What a message in the thread of a booked meeting asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// "I need to cancel", "devo annullare".
    Cancel,
    /// "Can we move it to Thursday?", "possiamo spostarla?".
    Move,
}

/// Whether the new part of `text` asks to cancel or move a meeting.
pub fn intent(text: &str) -> Option<Intent> {
    static CANCEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(cancel\w*|call\s+(?:it\s+)?off|can'?t\s+make\s+it|cannot\s+make\s+it|annull\w*|disdir\w*|disdic\w*|cancell\w*|non\s+(?:posso|riesco)\s+piu\s+venire)\b")
            .expect("a valid regex")
    });
    static MOVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(move|moving|reschedul\w*|postpone|push\s+(?:it\s+)?back|bring\s+(?:it\s+)?forward|another\s+(?:day|time)|sposta\w*|rimand\w*|anticip\w*|posticip\w*|cambiare\s+(?:orario|giorno|data)|un\s+altro\s+(?:giorno|orario))\b")
            .expect("a valid regex")
    });
    let fresh = normalise(&bounded(new_text(text)));
    // "I can't make it Tuesday, can we move it?" asks to move: a move named wins over a cancellation.
    // "Cancelleria" is stationery, not a cancellation.
    let cancels = CANCEL.find_iter(&fresh).any(|word| !word.as_str().starts_with("cancelleri"));
    // "Grazie in anticipo" thanks in advance; it moves nothing.
    let moves = MOVE.find_iter(&fresh).any(|word| {
        let advance = word.as_str().starts_with("anticipat")
            || (word.as_str() == "anticipo" && fresh[..word.start()].trim_end().ends_with(" in"));
        !advance
    });
    if moves {
        Some(Intent::Move)
    } else if cancels {
        Some(Intent::Cancel)
    } else {
        None
    }
}

/// Whether the new part of `text` asks to meet in person, in a room of the office.
pub fn wants_room(text: &str) -> bool {
    static ROOM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(room|in\s+person|(?:come|visit)\s+(?:to\s+)?(?:you|your\s+(?:office|studio))|at\s+your\s+(?:office|studio)|sala|in\s+presenza|di\s+persona|in\s+ufficio|nel\s+vostro\s+(?:ufficio|studio)|da\s+voi|presso\s+di\s+voi)\b")
            .expect("a valid regex")
    });
    ROOM.is_match(&normalise(&bounded(new_text(text))))
}

/// What of `text` is read: its first [`MOST_LINES`] lines, each cut to [`MOST_WORDS_A_LINE`] words,
/// [`MOST_WORDS`] words in all, without words longer than [`LONGEST_WORD`]; words joined by one space.
fn bounded(text: &str) -> String {
    let mut read = String::new();
    let mut left = MOST_WORDS;
    for line in text.lines().take(MOST_LINES) {
        let words =
            line.split_whitespace().filter(|w| w.len() <= LONGEST_WORD).take(MOST_WORDS_A_LINE.min(left));
        for (n, word) in words.enumerate() {
            if n > 0 {
                read.push(' ');
            }
            read.push_str(word);
            left -= 1;
        }
        read.push('\n');
        if left == 0 {
            break;
        }
    }
    read
}

/// Lower case, accents taken off (`martedì` → `martedi`), typographic apostrophes and dashes made plain.
fn normalise(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// Italian when more of its everyday words than English ones appear.
fn language(text: &str) -> Language {
    const ITALIAN: &str = "il la le lo di del della alle dalle ci per che un una possiamo vediamo incontrarci \
        domani oggi dopodomani settimana prossima prossimo ore ora mattina pomeriggio sera e tra \
        fra va bene grazie buongiorno riunione lunedi martedi mercoledi giovedi venerdi sabato \
        domenica mezz'ora un'ora minuti verso stamattina stasera domattina novembre dicembre \
        gennaio mezzogiorno all'una";
    const ENGLISH: &str = "the at on we can could meet for an hour hours minutes tomorrow today next week morning \
        afternoon evening between and from to is are you please thanks monday tuesday wednesday \
        thursday friday saturday sunday call meeting pm am this of with would works free";
    let words = text.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty());
    let (mut italian, mut english) = (0, 0);
    for word in words {
        italian += usize::from(ITALIAN.split_whitespace().any(|w| w == word));
        english += usize::from(ENGLISH.split_whitespace().any(|w| w == word));
    }
    if italian > english { Language::Italian } else { Language::English }
}

/// A part of the day people name, as local hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartOfDay {
    Morning,
    Lunchtime,
    Afternoon,
    Evening,
}

impl PartOfDay {
    /// Its hours: what "morning" means for a meeting at an office, not midnight to noon.
    fn hours(self) -> (u32, u32) {
        match self {
            PartOfDay::Morning => (8, 12),
            PartOfDay::Lunchtime => (12, 14),
            PartOfDay::Afternoon => (13, 18),
            PartOfDay::Evening => (17, 20),
        }
    }
}

/// A clock time as written, before the day is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clock {
    hour: u32,
    minute: u32,
    /// Written with am/pm, "del pomeriggio", or on the 24-hour clock (13 and later, or with minutes
    /// given as "15:00"), so it is not to be guessed at.
    explicit: bool,
}

impl Clock {
    /// The time meant: an hour from 1 to 7 without am/pm is the afternoon, as offices meet then.
    fn time(self) -> Option<NaiveTime> {
        let hour = if !self.explicit && (1..=7).contains(&self.hour) { self.hour + 12 } else { self.hour };
        NaiveTime::from_hms_opt(hour, self.minute, 0)
    }
}

/// What a reader found, before it is made into a [`Reading`].
#[derive(Debug, Default)]
struct Found {
    day: Option<Days>,
    clock: Option<Clock>,
    range: Option<(Clock, Clock)>,
    part: Option<PartOfDay>,
    length: Option<Duration>,
    /// An exact instant from a reader that knew the zone (duckling, "3pm EST").
    instant: Option<DateTime<Utc>>,
}

/// The days a request names, as local dates, `to` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Days {
    from: NaiveDate,
    to: NaiveDate,
}

impl Days {
    fn one(day: NaiveDate) -> Days {
        Days { from: day, to: day_plus(day, 1) }
    }

    /// The week after the one `today` is in, Monday to Sunday.
    fn next_week(today: NaiveDate) -> Days {
        let monday = day_plus(today, 7 - i64::from(today.weekday().num_days_from_monday()));
        Days { from: monday, to: day_plus(monday, 7) }
    }
}

impl Found {
    /// The reading of what was found, the local times resolved in `sent`'s offset.
    fn reading(self, sent: DateTime<FixedOffset>, language: Language, home: Option<Tz>) -> Reading {
        let zone = *sent.offset();
        let at = |day: NaiveDate, time: NaiveTime| match home {
            Some(home) => home
                .from_local_datetime(&day.and_time(time))
                .earliest()
                .map_or_else(|| local(zone, day.and_time(time)), |t| t.with_timezone(&Utc)),
            None => local(zone, day.and_time(time)),
        };
        let today = sent.date_naive();
        let single_day = self.day.filter(|d| d.to - d.from == TimeDelta::days(1)).map(|d| d.from);
        // A time of day without a day: today if it is still ahead, else tomorrow.
        let day_for = |time: NaiveTime| {
            single_day.unwrap_or(if time > sent.time() { today } else { day_plus(today, 1) })
        };
        let hours = |from: NaiveTime, to: NaiveTime| {
            let day = day_for(from);
            Asked::Within { from: at(day, from), to: at(day, to) }
        };
        let asked = if let Some(instant) = self.instant {
            Asked::At(instant)
        } else if let Some(time) = self.clock.and_then(Clock::time) {
            match self.day {
                // "next week at 3pm": any of those days will do.
                Some(days) if single_day.is_none() => {
                    Asked::Within { from: at(days.from, NaiveTime::MIN), to: at(days.to, NaiveTime::MIN) }
                }
                _ => Asked::At(at(day_for(time), time)),
            }
        } else if let Some((from, to)) = self.range.and_then(|(a, b)| hours_between(a, b)) {
            hours(from, to)
        } else if let Some(part) = self.part {
            let (from, to) = part.hours();
            let (from, to) = (hour(from), hour(to));
            match self.day {
                Some(days) if single_day.is_none() => {
                    Asked::Within { from: at(days.from, from), to: at(day_plus(days.to, -1), to) }
                }
                _ => hours(from, to),
            }
        } else if let Some(days) = self.day {
            Asked::Within { from: at(days.from, NaiveTime::MIN), to: at(days.to, NaiveTime::MIN) }
        } else {
            Asked::Nothing
        };
        // A length outside what a meeting takes is a misreading ("for 10000000000 hours"), not a request.
        let length = self.length.filter(|l| (SHORTEST..=LONGEST).contains(l));
        Reading { asked, length, language }
    }
}

/// The hours from `a` to `b`: "between 2 and 4" is 14:00–16:00, the end read as the first time after
/// the start that the clock allows.
fn hours_between(a: Clock, b: Clock) -> Option<(NaiveTime, NaiveTime)> {
    let from = a.time()?;
    let to = if b.explicit {
        b.time()?
    } else {
        [b.hour, b.hour + 12]
            .into_iter()
            .filter_map(|h| NaiveTime::from_hms_opt(h, b.minute, 0))
            .find(|t| *t > from)?
    };
    (to > from).then_some((from, to))
}

/// `days` days after `date` (before it, when negative); the date itself at the end of chrono's
/// calendar, which no date read from words comes near.
fn day_plus(date: NaiveDate, days: i64) -> NaiveDate {
    TimeDelta::try_days(days).and_then(|d| date.checked_add_signed(d)).unwrap_or(date)
}

fn hour(hour: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// `time` on the sender's clock, as an instant.
fn local(zone: FixedOffset, time: NaiveDateTime) -> DateTime<Utc> {
    zone.from_local_datetime(&time).single().map_or_else(|| time.and_utc(), |t| t.with_timezone(&Utc))
}

/// The groups of the first match of `pattern` in `text` (the whole match first), blanked out of it.
fn take(text: &mut String, pattern: &Regex) -> Option<Groups> {
    let caps = pattern.captures(text)?;
    let span = caps.get(0)?.range();
    let groups = Groups(caps.iter().map(|m| m.map(|m| m.as_str().to_owned())).collect());
    text.replace_range(span, " ");
    Some(groups)
}

/// A match's groups, owned.
struct Groups(Vec<Option<String>>);

impl Groups {
    fn get(&self, n: usize) -> Option<&str> {
        self.0.get(n).and_then(Option::as_deref)
    }
}

/// Day `day` of `month` in `year`, or, without a year, the next such date from `today` on; none
/// outside the years calendars are kept in ([`crate::calendar::ics::YEARS`]).
fn next_date(today: NaiveDate, day: u32, month: u32, year: Option<i32>) -> Option<NaiveDate> {
    let date = match year {
        Some(year) => NaiveDate::from_ymd_opt(year, month, day),
        None => {
            let this_year = NaiveDate::from_ymd_opt(today.year(), month, day)?;
            if this_year >= today {
                Some(this_year)
            } else {
                NaiveDate::from_ymd_opt(today.year().checked_add(1)?, month, day)
            }
        }
    }?;
    crate::calendar::ics::YEARS.contains(&date.year()).then_some(date)
}

/// "an", "one", "two", … "twelve", "mezza", or digits, as a number.
fn number(word: &str) -> Option<f64> {
    const WORDS: &[(&str, f64)] = &[
        ("a", 1.0),
        ("an", 1.0),
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("un", 1.0),
        ("una", 1.0),
        ("uno", 1.0),
        ("un'", 1.0),
        ("due", 2.0),
        ("tre", 3.0),
        ("quattro", 4.0),
        ("half", 0.5),
        ("mezza", 0.5),
        ("mezz'", 0.5),
    ];
    WORDS.iter().find(|(w, _)| *w == word).map(|(_, n)| *n).or_else(|| word.replace(',', ".").parse().ok())
}
