//! Reading when a message asks to meet, in its own words: "Tuesday at 3pm for an hour", "tomorrow
//! morning", "24/11 alle 15:00", "next week", "tra le 14 e le 16", "Wednesday 16 at half past nine",
//! "possiamo spostarlo a giovedì 17 alle 15?", in English or Italian.
//!
//! One grammar reads both languages: the text is cut into tokens ([`tokens`]), the days, clock
//! times, spans, lengths and parts of the day are found in them ([`grammar`]), and each is given a
//! role from the sentence around it ([`roles`]): asked for, refused ("Tuesday is impossible"), or
//! the meeting a move or cancellation refers to. What is asked for becomes a [`Reading`].
//!
//! Times are read on the sender's clock: the offset of the message's Date, or a zone the text names
//! ("10am EST", "4pm your time"). A Date in UTC (`+0000`, as Exchange and many webmail clients
//! stamp it) says little about where the sender is, so those are read in the office's zone.
//!
//! Reading takes time in proportion to what is read, and what is read is bounded: the first
//! [`MOST_LINES`] lines, at most [`MOST_WORDS_A_LINE`] words of a line and [`MOST_WORDS`] in all, and
//! no word longer than [`LONGEST_WORD`]. A request says when it wants to meet near its top; a
//! megabyte without a newline, a run of 100,000 digits or ten thousand "at 10am" is read for its
//! first words only.

mod grammar;
mod roles;
mod tokens;
mod words;

pub use words::{month_begun, month_in_full, weekday};

use roles::Role;

use std::sync::LazyLock;
use std::time::Duration;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;
use regex::Regex;

use crate::language::Language;
use crate::mail::reply_text::new_text;
use crate::text::plain;

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

/// The shortest and longest meeting a request can ask for.
const SHORTEST: Duration = Duration::from_secs(5 * 60);
const LONGEST: Duration = Duration::from_secs(12 * 3600);

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
    /// "for an hour", "30 min", "mezz'ora", or the span of "from 2:30 to 4pm".
    pub length: Option<Duration>,
    pub language: Language,
    /// The meeting a move or cancellation names: "cancel tomorrow's meeting at 2pm", "spostare
    /// l'appuntamento di domani alle 10 a …".
    pub referred: Asked,
    /// The hours of each day a window is asked in ("next week in the afternoon"), as local times.
    pub daily: Option<(NaiveTime, NaiveTime)>,
    /// Whether a day or time was named and refused ("Tuesday is impossible for me").
    pub refused: bool,
    /// The zone the times were read in, when the sender's clock is not the office's: their Date's
    /// offset, or a zone the text names.
    pub senders_zone: Option<FixedOffset>,
    /// The start's hour was written without am/pm ("at 7", "alle 8"): it may be twelve hours off,
    /// and the calendar's working hours say which half of the day is meant.
    pub either_half: bool,
}

impl Reading {
    /// A reading of one start and nothing more: a time chosen from an offer.
    pub fn at(start: DateTime<Utc>, language: Language) -> Reading {
        Reading {
            asked: Asked::At(start),
            length: None,
            language,
            referred: Asked::Nothing,
            daily: None,
            refused: false,
            senders_zone: None,
            either_half: false,
        }
    }
}

/// Reads `text`, sent at `sent` (its offset is the sender's zone).
pub fn read(text: &str, sent: DateTime<FixedOffset>) -> Reading {
    read_in(text, sent, None)
}

/// [`read`] for a sender who may be in `home` (the office's zone): when the message's offset is
/// `home`'s at the time it was sent, or UTC, times are read in `home`, so that "3 November at
/// 15:00" written in October (summer time) is 15:00 winter time, not an hour off.
pub fn read_in(text: &str, sent: DateTime<FixedOffset>, office: Option<Tz>) -> Reading {
    read_about(text, sent, office, None)
}

/// [`read_in`] for a message about the meeting starting at `meeting` (a reply in its thread): what
/// the text names relative to the meeting it refers to ("venerdì stessa ora", "the following
/// Monday") is read relative to that one when the text names no other.
pub fn read_about(
    text: &str,
    sent: DateTime<FixedOffset>,
    office: Option<Tz>,
    meeting: Option<DateTime<Utc>>,
) -> Reading {
    let home = office.filter(|zone| {
        let offset = *sent.offset();
        offset.local_minus_utc() == 0 || zone.offset_from_utc_datetime(&sent.naive_utc()).fix() == offset
    });
    let normal = plain(&bounded(text));
    // The same words are read more than once for one message (the intent readers at
    // classification, again for `explain`'s trace): the last few readings are kept on the thread.
    let key = (normal.clone(), sent, office, meeting);
    if let Some(reading) =
        RECENT.with(|recent| recent.borrow().iter().find(|(k, _)| *k == key).map(|(_, r)| *r))
    {
        return reading;
    }
    let tokens = tokens::tokens(&normal);
    let mentions = grammar::mentions(&tokens, sent.date_naive());
    let roles = roles::roles(&normal, &tokens, &mentions);
    let found = Found::of(&tokens, &mentions, &roles, Role::Asked);
    let referred = Found::of(&tokens, &mentions, &roles, Role::Referred);
    let refused = roles.contains(&Role::Refused);
    let zones = Zones { office, home };
    let reading = found.reading(&referred, meeting, sent, Language::of(&normal), zones, refused);
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

/// What a reading depends on: the words read, when they were sent, the office's zone, the meeting.
type Read = (String, DateTime<FixedOffset>, Option<Tz>, Option<DateTime<Utc>>);

thread_local! {
    /// The last readings on this thread.
    static RECENT: std::cell::RefCell<Vec<(Read, Reading)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The days and hours a text names as written, on the office's clock, before a meeting's reading
/// makes them one start or a window: "12-13 March, 9 to 5" is two days with those hours, where a
/// request to meet would read any time of the two days. The event planner decides for itself what
/// its days and hours mean.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Named {
    /// The first and the last day named, the same for one day.
    pub days: Option<(NaiveDate, NaiveDate)>,
    /// The time something starts: "at 8pm", or the first of "from 9 to 5".
    pub start: Option<NaiveTime>,
    /// The time it ends, when a span was written: the second of "from 9 to 5".
    pub end: Option<NaiveTime>,
    /// A length written apart ("for three hours"), when no end was.
    pub length: Option<Duration>,
    /// The hours of a part of the day named ("in the morning", "a pranzo").
    pub part: Option<(NaiveTime, NaiveTime)>,
}

/// What [`Named`] days and hours `text`, written on `sent`, asks for.
pub fn named(text: &str, sent: NaiveDate) -> Named {
    let normal = plain(&bounded(text));
    let tokens = tokens::tokens(&normal);
    let mentions = grammar::mentions(&tokens, sent);
    let roles = roles::roles(&normal, &tokens, &mentions);
    let found = Found::of(&tokens, &mentions, &roles, Role::Asked);
    let following = found.following.map(|weekday| Days::one(next_weekday(sent, weekday)));
    let days = found.day.or(following).filter(|_| !found.no_day).map(|d| (d.from, day_plus(d.to, -1)));
    let span = found.range.filter(|(_, _, between)| !between).and_then(|(a, b, _)| hours_between(a, b));
    let start = found.clock.and_then(Clock::time).or(span.map(|(from, _)| from));
    let end = span.map(|(_, to)| to).filter(|_| found.clock.is_none());
    let length = found.length.map(|m| Duration::from_secs(u64::from(m) * 60)).filter(|_| end.is_none());
    Named { days, start, end, length, part: found.part.map(PartOfDay::hours) }
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
        crate::regexes::built_in(
            r"^(?:option|opzione|number|numero|no\.?|n\.?|#)?\s*([1-9])\s*[.)!]?\s*(?:,?\s*(?:please|thanks|thank you|grazie|perfetto|ok)[.!]?)?$",
        )
    });
    static TAKES: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(&format!(
            r"\b(?:va\s+(?:bene|benissimo)|vanno\s+bene|ok|okay|yes|si|prefer\w*|take|choose|scelgo|go\s+with|let'?s\s+do|opto\s+per|meglio)\s+(?:for\s+)?(?:la|il|the|option|opzione|number|numero|#)?\s*{WHICH}\b"
        ))
    });
    static WORKS: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(&format!(
            r"^(?:the\s+|la\s+|il\s+|l')?(?:option\s+|opzione\s+|number\s+|numero\s+|no\.?\s*|n\.?\s*|#\s*)?{WHICH}(?:\s+(?:one|option|opzione|orario|time|slot))?(?:[.!]?$|\s+(?:works|would\s+work|is\s+(?:fine|good|ok|okay|perfect|great|best)|would\s+be\s+(?:fine|good|great|perfect|best)|sounds\s+good|suits|please|va\s+(?:benissimo|bene)|mi\s+va\s+bene|andrebbe\s+bene|e\s+perfett[ao]|e\s+ok|per\s+me\s+va\s+bene))"
        ))
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
    let fresh = plain(&bounded(new_text(text)));
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

/// Which of the times `offered` (their starts) a reply chooses: by number or word as [`choice`]
/// reads, or by naming the day or time of exactly one of them ("the Tuesday one", "the 3pm works",
/// "giovedì alle 15 va bene"), read on `office`'s clock as of `sent`.
pub fn choice_among(
    text: &str,
    sent: DateTime<FixedOffset>,
    office: Tz,
    offered: &[DateTime<Utc>],
) -> Option<usize> {
    use grammar::What;
    if let Some(n) = choice(text, offered.len()) {
        return Some(n);
    }
    let fresh = plain(&bounded(new_text(text)));
    let tokens = tokens::tokens(&fresh);
    let mentions = grammar::mentions(&tokens, sent.date_naive());
    let roles = roles::roles(&fresh, &tokens, &mentions);
    let named: Vec<What> = mentions
        .iter()
        .zip(&roles)
        .filter(|(m, role)| **role == Role::Asked && !matches!(m.what, What::Length(_)))
        .map(|(m, _)| m.what)
        .collect();
    if named.is_empty() || roles.contains(&Role::Refused) {
        return None;
    }
    let fits = |start: &DateTime<Utc>| {
        let local = start.with_timezone(&office).naive_local();
        let (day, time) = (local.date(), local.time());
        named.iter().all(|what| match what {
            // "Tuesday" is read as the next one; an offer may be on a later Tuesday.
            What::Day(days) => match days.single() {
                Some(named) => {
                    named == day || (named.weekday() == day.weekday() && (named - day).num_days().abs() < 14)
                }
                None => days.from <= day && day < days.to,
            },
            What::Clock(clock) => clock.time() == Some(time),
            What::Part(part) => {
                let (from, to) = part.hours();
                from <= time && time < to
            }
            _ => false,
        })
    };
    let mut fitting = offered.iter().enumerate().filter(|(_, start)| fits(start)).map(|(n, _)| n + 1);
    match (fitting.next(), fitting.next()) {
        (Some(n), None) => Some(n),
        _ => None,
    }
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

/// Whether the new part of `text` declines every time offered: "none of these work", "nessuno va
/// bene", "neither suits me".
pub fn declines(text: &str) -> bool {
    static NONE: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"\b(none\s+of|neither|no\s+good|don'?t\s+(?:work|suit)|nessun[oa]?|non\s+(?:vanno|va)\s+bene|non\s+(?:posso|riesco)|can'?t\s+(?:do|make)\s+(?:any|those|these|them))\b",
        )
    });
    NONE.is_match(&plain(&bounded(new_text(text))))
}

/// Whether the new part of `text` says yes or no to a question put to it (a calendar owner asked
/// whether to take a new time an attendee proposed): `Some(true)` for "yes", "ok, go ahead", "sì,
/// va bene"; `Some(false)` for "no", "keep it as it is", "no, lascia così"; `None` when it says
/// neither, or both, or hesitates ("not sure yet", "I don't know", "non so ancora", "forse"):
/// "no problem" and "nessun problema" are a yes, read first. Nothing is guessed: a caller asks
/// again on `None`.
pub fn consent(text: &str) -> Option<bool> {
    static AGREEING: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(r"\b(no\s+problem|non\s+c'e\s+problema|nessun\s+problema|don'?t\s+mind)\b")
    });
    static UNSURE: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"\b(not\s+(?:sure|yet|certain)|unsure|don'?t\s+know|do\s+not\s+know|no\s+idea|maybe|perhaps|might|let\s+me|think|non\s+(?:so|lo\s+so|sono\s+sicur\w*|ancora)|forse|magari|vediamo|ci\s+penso|pensarci)\b",
        )
    });
    static NO: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"\b(no|nope|decline|refuse|reject|don'?t|do\s+not|keep\s+(?:it|the)|not\s+(?:possible|ok|okay|fine|good)|can'?t|cannot|non|rifiut\w*|impossibile|lascia\w*|mantieni\w*)\b",
        )
    });
    static YES: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"\b(yes|yep|yeah|ok|okay|fine|sure|agreed?|accept\w*|approved?|go\s+ahead|move\s+it|that\s+works|works\s+for\s+me|si|va\s+bene|d'accordo|accett\w*|conferm\w*|perfetto|certo|sposta\w*|procedi)\b",
        )
    });
    let fresh = plain(&bounded(new_text(text)));
    if UNSURE.is_match(&fresh) {
        return None;
    }
    let fresh = AGREEING.replace_all(&fresh, " yes ");
    let no = NO.is_match(&fresh);
    let yes = YES.is_match(&NO.replace_all(&fresh, " "));
    match (yes, no) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
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
    use roles::{CANCEL, MOVE};
    let fresh = plain(&bounded(new_text(text)));
    // "I can't make it Tuesday, can we move it?" asks to move: a move named wins over a cancellation.
    let cancels = CANCEL.find_iter(&fresh).any(|word| roles::cancels(word.as_str()));
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
        crate::regexes::built_in(
            r"\b(room|in\s+person|(?:come|visit)\s+(?:to\s+)?(?:you|your\s+(?:office|studio))|at\s+your\s+(?:office|studio)|sala|in\s+presenza|di\s+persona|in\s+ufficio|nel\s+vostro\s+(?:ufficio|studio)|da\s+voi|presso\s+di\s+voi)\b",
        )
    });
    ROOM.is_match(&plain(&bounded(new_text(text))))
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
    fn hours(self) -> (NaiveTime, NaiveTime) {
        let (from, to) = match self {
            PartOfDay::Morning => (8, 12),
            PartOfDay::Lunchtime => (12, 14),
            PartOfDay::Afternoon => (13, 18),
            PartOfDay::Evening => (17, 20),
        };
        (hour(from), hour(to))
    }
}

/// A clock time as written, before the day is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clock {
    hour: u32,
    minute: u32,
    /// Written with am/pm, "del pomeriggio", or on the 24-hour clock (13 and later, or "09:30"), so
    /// it is not to be guessed at.
    explicit: bool,
    /// A zone written after it: "10am EST", "16:00 ora italiana".
    zone: Option<words::Zone>,
}

impl Clock {
    /// The time meant. An hour from 1 to 7 without am/pm is the afternoon: offices meet between eight
    /// in the morning and seven in the evening, and "at 3" is three in the afternoon there.
    fn time(self) -> Option<NaiveTime> {
        let hour = if !self.explicit && (1..=7).contains(&self.hour) { self.hour + 12 } else { self.hour };
        NaiveTime::from_hms_opt(hour, self.minute, 0)
    }
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

    /// The one day these are, if they are one.
    fn single(self) -> Option<NaiveDate> {
        (self.to - self.from == TimeDelta::days(1)).then_some(self.from)
    }
}

/// What was found in one role, before it is made into a [`Reading`].
#[derive(Debug, Default)]
struct Found {
    day: Option<Days>,
    /// "the following Monday": after the day referred to.
    following: Option<chrono::Weekday>,
    clock: Option<Clock>,
    range: Option<(Clock, Clock, bool)>,
    part: Option<PartOfDay>,
    length: Option<u32>,
    same_time: bool,
    /// A day was named that no meeting can be on.
    no_day: bool,
}

impl Found {
    /// What the mentions of `role` name. A day and a time named in the same sentence go together
    /// ("Thursday at 10"), before a day and a time found apart, and of the days of that sentence the
    /// one in the time's clause, or the nearest ("I'm in Rome from Wednesday - could I come at half
    /// four on Thursday?"); otherwise the first of each counts. A time on the reader's own clock
    /// ("4pm your time") beats one on another clock.
    fn of(tokens: &[tokens::Token<'_>], mentions: &[grammar::Mention], roles: &[Role], role: Role) -> Found {
        use grammar::What;
        /// A mention as it stands for the role, and where it is.
        struct Named {
            sentence: usize,
            clause: usize,
            at: usize,
            what: What,
        }
        // A day shared by the old and new time stands for both, and a span moved from one hour to
        // another gives each its end.
        let chosen: Vec<Named> = mentions
            .iter()
            .zip(roles)
            .filter_map(|(m, r)| {
                let what = match (*r, m.what) {
                    (r, what) if r == role => what,
                    (Role::Shared, what) => what,
                    (Role::Moved, What::Range { from, to, .. }) => {
                        What::Clock(if role == Role::Referred { from } else { to })
                    }
                    _ => return None,
                };
                let token = tokens.get(m.first)?;
                Some(Named { sentence: token.sentence, clause: token.clause, at: m.first, what })
            })
            .collect();
        let is_day = |m: &Named| matches!(m.what, What::Day(_) | What::Following(_) | What::NoDay);
        let is_time = |m: &Named| matches!(m.what, What::Clock(_) | What::Range { .. } | What::SameTime);
        let paired = chosen.iter().map(|m| m.sentence).find(|s| {
            chosen.iter().any(|m| m.sentence == *s && is_day(m))
                && chosen.iter().any(|m| m.sentence == *s && is_time(m))
        });
        let pair_time = paired.and_then(|s| chosen.iter().find(|m| m.sentence == s && is_time(m)));
        let pair_day = pair_time.and_then(|time| {
            chosen
                .iter()
                .enumerate()
                .filter(|(_, m)| m.sentence == time.sentence && is_day(m))
                .min_by_key(|(_, m)| (m.clause != time.clause, m.at.abs_diff(time.at)))
                .map(|(n, _)| n)
        });
        let in_pair = |s: usize| paired.is_none_or(|p| p == s);
        // A clock on the reader's own clock first, within the pair's sentence.
        let own_clock = chosen.iter().find_map(|m| match m.what {
            What::Clock(c) if in_pair(m.sentence) && c.zone == Some(words::Zone::Office) => Some(c),
            _ => None,
        });
        let mut found = Found::default();
        for (n, named) in chosen.iter().enumerate() {
            let here = in_pair(named.sentence);
            let day_free = found.day.is_none() && found.following.is_none() && !found.no_day;
            let the_day = day_free && here && pair_day.is_none_or(|d| d == n);
            let time_free = found.clock.is_none() && found.range.is_none();
            match named.what {
                What::Day(days) if the_day => found.day = Some(days),
                What::NoDay if the_day => found.no_day = true,
                What::Following(weekday) if the_day => found.following = Some(weekday),
                What::Clock(clock) if time_free && here => found.clock = Some(own_clock.unwrap_or(clock)),
                What::Range { from, to, between } if time_free && here => {
                    found.range = Some((from, to, between))
                }
                What::SameTime if here => found.same_time = true,
                What::Part(part) if found.part.is_none() => found.part = Some(part),
                What::Length(minutes) if found.length.is_none() && plausible(minutes) => {
                    found.length = Some(minutes)
                }
                _ => {}
            }
        }
        found
    }

    /// The reading of what was found, the local times resolved on the sender's clock; `referred` is
    /// what the meeting moved or cancelled was named as, for "same time" and "the following Monday",
    /// and `meeting` the start of the one whose thread this is, when the text names none.
    fn reading(
        self,
        referred: &Found,
        meeting: Option<DateTime<Utc>>,
        sent: DateTime<FixedOffset>,
        language: Language,
        zones: Zones,
        refused: bool,
    ) -> Reading {
        let old = match (referred.resolve(None, sent, zones.clock_of(referred.time_clock(), sent)), meeting) {
            (Asked::Nothing, Some(start)) => Asked::At(start),
            (old, _) => old,
        };
        let clock = zones.clock_of(self.time_clock().or(referred.time_clock()), sent);
        let mut asked = self.resolve(Some(&old), sent, clock);
        let mut length = self.length.map(|m| Duration::from_secs(u64::from(m) * 60));
        // "from 2:30 to 4pm" is a meeting of that span, unless a length was asked apart ("half an
        // hour between 2 and 4").
        if let (Some((_, _, false)), Asked::Within { from: start, to: end }) = (self.range, asked)
            && length.is_none_or(|l| TimeDelta::from_std(l).is_ok_and(|l| l >= end - start))
        {
            asked = Asked::At(start);
            length = (end - start).to_std().ok();
        }
        let daily = match (asked, self.part) {
            (Asked::Within { from, to }, Some(part)) if to - from > TimeDelta::days(1) => Some(part.hours()),
            _ => None,
        };
        // The sender's clock, when it is not the office's at the time asked.
        let when = match asked {
            Asked::At(at) | Asked::Within { from: at, .. } => at,
            Asked::Nothing => sent.with_timezone(&Utc),
        };
        let named = self.time_clock().or(referred.time_clock()).and_then(|c| c.zone);
        let theirs = match named {
            Some(words::Zone::Named(_)) => Some(clock.offset_at(when)),
            // A Date in UTC says nothing of where the sender is.
            _ => Some(*sent.offset()).filter(|offset| offset.local_minus_utc() != 0),
        };
        let senders_zone = zones.office.zip(theirs).and_then(|(office, theirs)| {
            (theirs != office.offset_from_utc_datetime(&when.naive_utc()).fix()).then_some(theirs)
        });
        let length = length.filter(|l| (SHORTEST..=LONGEST).contains(l));
        let either_half = matches!(asked, Asked::At(_))
            && self.clock.is_some_and(|c| !c.explicit && (1..=12).contains(&c.hour) && c.zone.is_none());
        Reading { asked, length, language, referred: old, daily, refused, senders_zone, either_half }
    }

    /// The clock the times are read on.
    fn time_clock(&self) -> Option<Clock> {
        self.clock.or(self.range.map(|(from, _, _)| from))
    }

    /// What was found as an instant or a stretch of time, resolved on `zone`'s clock; `old` is the
    /// meeting referred to.
    fn resolve(&self, old: Option<&Asked>, sent: DateTime<FixedOffset>, zone: LocalClock) -> Asked {
        if self.no_day {
            return Asked::Nothing;
        }
        let at = |day: NaiveDate, time: NaiveTime| zone.at(day.and_time(time));
        let local_old = |t: DateTime<Utc>| zone.local(t);
        let today = zone.local(sent.with_timezone(&Utc)).date();
        let now = zone.local(sent.with_timezone(&Utc)).time();
        // "the following Monday": after the day of the meeting referred to, or after today.
        let day = self.day.or_else(|| {
            let weekday = self.following?;
            let after = match old {
                Some(Asked::At(t)) | Some(Asked::Within { from: t, .. }) => local_old(*t).date(),
                _ => today,
            };
            Some(Days::one(next_weekday(after, weekday)))
        });
        // "same time": the clock of the meeting referred to.
        let old_time = match old {
            Some(Asked::At(t)) => Some(local_old(*t).time()),
            _ => None,
        };
        let clock_time = self.clock.and_then(Clock::time).or(old_time.filter(|_| self.same_time));
        let single_day = day.and_then(Days::single);
        // A time of day without a day: today if it is still ahead, else tomorrow.
        let day_for =
            |time: NaiveTime| single_day.unwrap_or(if time > now { today } else { day_plus(today, 1) });
        let hours = |from: NaiveTime, to: NaiveTime| {
            let day = day_for(from);
            Asked::Within { from: at(day, from), to: at(day, to) }
        };
        if let Some(time) = clock_time {
            return match day {
                // "next week at 3pm": any of those days will do.
                Some(days) if single_day.is_none() => {
                    Asked::Within { from: at(days.from, NaiveTime::MIN), to: at(days.to, NaiveTime::MIN) }
                }
                _ => Asked::At(at(day_for(time), time)),
            };
        }
        if let Some((from, to)) = self.range.and_then(|(a, b, _)| hours_between(a, b)) {
            return hours(from, to);
        }
        if let Some(part) = self.part {
            let (from, to) = part.hours();
            return match day {
                Some(days) if single_day.is_none() => {
                    Asked::Within { from: at(days.from, from), to: at(day_plus(days.to, -1), to) }
                }
                _ => hours(from, to),
            };
        }
        match day {
            Some(days) => {
                Asked::Within { from: at(days.from, NaiveTime::MIN), to: at(days.to, NaiveTime::MIN) }
            }
            None => Asked::Nothing,
        }
    }
}

/// The zones a message is read with: the office's, and the one its Date says the sender is in when
/// that is the office's too (or UTC, which says nothing).
#[derive(Debug, Clone, Copy)]
struct Zones {
    office: Option<Tz>,
    home: Option<Tz>,
}

impl Zones {
    /// The clock a time written with `clock`'s words is on: a zone it names, else the sender's.
    fn clock_of(self, clock: Option<Clock>, sent: DateTime<FixedOffset>) -> LocalClock {
        match (clock.and_then(|c| c.zone), self.office, self.home) {
            (Some(words::Zone::Named(zone)), _, _) => LocalClock::Named(zone),
            (Some(words::Zone::Office), Some(office), _) => LocalClock::Named(office),
            (_, _, Some(home)) => LocalClock::Named(home),
            _ => LocalClock::Fixed(*sent.offset()),
        }
    }
}

/// The clock local times are read on.
#[derive(Debug, Clone, Copy)]
enum LocalClock {
    Fixed(FixedOffset),
    Named(Tz),
}

impl LocalClock {
    /// Its offset from UTC at `instant`.
    fn offset_at(self, instant: DateTime<Utc>) -> FixedOffset {
        match self {
            LocalClock::Fixed(offset) => offset,
            LocalClock::Named(zone) => zone.offset_from_utc_datetime(&instant.naive_utc()).fix(),
        }
    }

    /// `time` on this clock as an instant; a time the clock skips (the spring change) is read as
    /// the moment after the gap.
    fn at(self, time: NaiveDateTime) -> DateTime<Utc> {
        match self {
            LocalClock::Fixed(zone) => zone
                .from_local_datetime(&time)
                .single()
                .map_or_else(|| time.and_utc(), |t| t.with_timezone(&Utc)),
            LocalClock::Named(zone) => crate::calendar::zones::resolve_local(zone, time),
        }
    }

    /// `instant` on this clock.
    fn local(self, instant: DateTime<Utc>) -> NaiveDateTime {
        match self {
            LocalClock::Fixed(zone) => instant.with_timezone(&zone).naive_local(),
            LocalClock::Named(zone) => instant.with_timezone(&zone).naive_local(),
        }
    }
}

/// Whether a meeting can take `minutes`: a length outside that is a misreading ("for 10000000000
/// hours"), not a request.
fn plausible(minutes: u32) -> bool {
    (SHORTEST..=LONGEST).contains(&Duration::from_secs(u64::from(minutes) * 60))
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
/// The first `weekday` after `after`: "the following Monday".
fn next_weekday(after: NaiveDate, weekday: chrono::Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - after.weekday().num_days_from_monday() - 1) % 7 + 1;
    day_plus(after, i64::from(ahead))
}

fn day_plus(date: NaiveDate, days: i64) -> NaiveDate {
    TimeDelta::try_days(days).and_then(|d| date.checked_add_signed(d)).unwrap_or(date)
}

fn hour(hour: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN)
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
