//! The time grammar: the days, clock times, spans, lengths and parts of the day a request names, in
//! English or Italian, found in its tokens with where each one is. Which of them the sender asks
//! for, refuses or refers to is decided afterwards ([`super::roles`]), from the sentence around it.
//!
//! Days are resolved against the day the message was sent: a weekday with a day number is that
//! date ("Wednesday 16" is the 16th, whatever weekday comes first), "next Tuesday" is the Tuesday of
//! next week, a week is its working days, Monday to Friday.

use chrono::{Datelike, NaiveDate, Weekday};

use super::tokens::{Kind, Token};
use super::words;
use super::{Clock, Days, PartOfDay, day_plus};

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum What {
    Day(Days),
    /// "the following Monday": the first such weekday after the day of the meeting referred to.
    Following(Weekday),
    Clock(Clock),
    /// Two clock times: a span to meet in ("from 2:30 to 4pm") or, with `between`, a window any
    /// part of which would do ("tra le 14 e le 16").
    Range {
        from: Clock,
        to: Clock,
        between: bool,
    },
    /// A length, in minutes.
    Length(u32),
    Part(PartOfDay),
    /// "same time", "stessa ora": the time of the meeting referred to.
    SameTime,
    /// A date written that no meeting can be on ("01/01/5000", "31/02"): its time has no day.
    NoDay,
}

/// One thing named, and the token where its words start.
#[derive(Debug, Clone, Copy)]
pub(super) struct Mention {
    pub what: What,
    pub first: usize,
}

/// Every mention in `tokens`, in order, none overlapping; `today` is the day the message was sent.
pub(super) fn mentions(tokens: &[Token<'_>], today: NaiveDate) -> Vec<Mention> {
    let g = Grammar { t: tokens, today };
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let read = g
            .range(i)
            .or_else(|| g.length(i))
            .or_else(|| g.clock(i))
            .or_else(|| g.day(i))
            .or_else(|| g.part(i))
            .or_else(|| g.same_time(i));
        match read {
            Some((what, end)) => {
                found.push(Mention { what, first: i });
                // "domattina", "tonight": a day that names a part of it too.
                if let Some(part) = implied_part(g.word(i)) {
                    found.push(Mention { what: What::Part(part), first: i });
                }
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    found
}

/// Whether `word` after a number says what the number counts, so that it is no day of the month.
fn is_unit(word: &str) -> bool {
    matches!(
        word,
        "am" | "pm"
            | "h"
            | "min"
            | "mins"
            | "minute"
            | "minutes"
            | "minuti"
            | "hour"
            | "hours"
            | "hrs"
            | "ora"
            | "ore"
            | "people"
            | "persons"
            | "persone"
            | "pax"
    )
}

fn implied_part(word: &str) -> Option<PartOfDay> {
    match word {
        "domattina" | "stamattina" | "stamani" => Some(PartOfDay::Morning),
        "stasera" | "tonight" => Some(PartOfDay::Evening),
        _ => None,
    }
}

/// The tokens, read.
struct Grammar<'t, 'a> {
    t: &'t [Token<'a>],
    today: NaiveDate,
}

impl Grammar<'_, '_> {
    /// The word at `i`, or "" where there is none.
    fn word(&self, i: usize) -> &str {
        self.t.get(i).filter(|t| t.kind == Kind::Word).map_or("", |t| t.text)
    }

    /// The token at `i` whatever it is, or "".
    fn text(&self, i: usize) -> &str {
        self.t.get(i).map_or("", |t| t.text)
    }

    /// The number at `i`, if it is one of at most four digits.
    fn number(&self, i: usize) -> Option<u32> {
        self.t
            .get(i)
            .filter(|t| t.kind == Kind::Number && t.text.len() <= 4)
            .and_then(|t| t.text.parse().ok())
    }

    /// Whether the tokens at `i` and `i + 1` touch, as in "15:30" or "3pm".
    fn touching(&self, i: usize) -> bool {
        matches!((self.t.get(i), self.t.get(i + 1)), (Some(a), Some(b)) if a.end == b.start)
    }

    /// The index after the words `words` at `i`, if they are there.
    fn words(&self, i: usize, words: &[&str]) -> Option<usize> {
        words.iter().enumerate().all(|(n, w)| self.text(i + n) == *w).then_some(i + words.len())
    }

    /// Skips any of `optional` words at `i`, one after another.
    fn skip(&self, mut i: usize, optional: &[&str]) -> usize {
        while optional.contains(&self.text(i)) {
            i += 1;
        }
        i
    }

    // ---- clock times ----

    /// A clock time at `i`, after a word that announces one ("at", "alle", "ore", "h", "verso le") or
    /// written so that it can only be one ("15:30", "3pm", "noon", "half past nine").
    fn clock(&self, i: usize) -> Option<(What, usize)> {
        let cue = self.clock_cue(i);
        let (clock, end, evident) = self.clock_at(cue.unwrap_or(i), cue.is_some())?;
        if cue.is_none() && !evident && !self.hour_that_suits(i, end) {
            return None;
        }
        let (clock, end) = self.qualified(clock, end);
        Some((What::Clock(clock), end))
    }

    /// Whether the bare number at `i` (its words ending at `end`) opens a clause to say that hour
    /// suits: "11 is still good for me", "10 works", "le 11 vanno bene".
    fn hour_that_suits(&self, i: usize, end: usize) -> bool {
        let opens = i == 0 || self.t.get(i - 1).zip(self.t.get(i)).is_some_and(|(a, b)| a.clause != b.clause);
        let suits = matches!(
            self.word(end),
            "is" | "works" | "would" | "suits" | "sounds" | "va" | "andrebbe" | "vanno"
        );
        opens && suits && self.number(i).is_some_and(|h| (7..=20).contains(&h))
    }

    /// Where a clock time starts after the words that announce it at `i`, if there are any.
    fn clock_cue(&self, i: usize) -> Option<usize> {
        let after = match self.word(i) {
            "at" | "alle" | "ore" | "h" | "around" | "about" | "verso" | "circa" | "dopo" | "entro" => i + 1,
            "all" if self.text(i + 1) == "'" => i + 2,
            "a" if matches!(self.word(i + 1), "mezzogiorno") => i + 1,
            "per" | "prima" if self.word(i + 1) == "le" => i + 1,
            _ if self.text(i) == "@" => i + 1,
            _ => return None,
        };
        // "dopo"/"entro"/"prima" only as "dopo le 15": not "dopo 3 giorni".
        if matches!(self.word(i), "dopo" | "entro" | "prima") && self.word(after) != "le" {
            return None;
        }
        Some(self.skip(after, &["le", "ore", "around", "about", "circa", "the", "h"]))
    }

    /// A clock time's words at `i`: the clock, where it ends, and whether it reads as a time with no
    /// word before it. `cued` when a word before announced a time, so that a bare "3" counts.
    fn clock_at(&self, i: usize, cued: bool) -> Option<(Clock, usize, bool)> {
        let clock = |hour: u32, minute: u32, explicit: bool| Clock { hour, minute, explicit, zone: None };
        match self.word(i) {
            "noon" | "midday" | "mezzogiorno" => {
                let (minute, end) = self.past_hour(i + 1);
                return Some((clock(12, minute, true), end, true));
            }
            "half" | "quarter" => {
                let minute = if self.word(i) == "half" { 30 } else { 15 };
                let (to, hour_at) = match self.word(i + 1) {
                    "past" => (false, i + 2),
                    "to" => (true, i + 2),
                    // "half four": half past, as the British say it.
                    _ if minute == 30 => (false, i + 1),
                    _ => return None,
                };
                let (hour, end) = self.hour_word(hour_at)?;
                let (hour, minute) = if to { ((hour + 11) % 12, 60 - minute) } else { (hour, minute) };
                let (clock, end) = self.meridiem(clock(hour, minute, false), end);
                return Some((clock, end, true));
            }
            _ => {}
        }
        let (hour, after_hour, digits) = match self.number(i) {
            Some(hour) => (hour, i + 1, true),
            None if cued || self.text(i + 1) == "o" => {
                let (hour, end) = self.hour_word(i)?;
                (hour, end, false)
            }
            None => return None,
        };
        if hour > 24 {
            return None;
        }
        let mut evident = false;
        let (mut minute, mut end) = (0, after_hour);
        // "15:30", "15.30", "9,30" (written close) — a second number of two digits.
        if digits
            && matches!(self.text(after_hour), ":" | "." | ",")
            && self.touching(i)
            && self.touching(after_hour)
            && self.t.get(after_hour + 1).is_some_and(|t| t.kind == Kind::Number && t.text.len() == 2)
        {
            minute = self.number(after_hour + 1)?;
            evident = self.text(after_hour) == ":";
            end = after_hour + 2;
        } else {
            let (words_minute, words_end) = self.past_hour(after_hour);
            if words_end > after_hour {
                minute = words_minute;
                end = words_end;
                evident = !digits;
            }
        }
        // "alle dieci meno un quarto", "alle 10 meno 10": minutes before the hour.
        let before = self
            .words(end, &["meno", "un", "quarto"])
            .or_else(|| self.words(end, &["meno", "quarto"]))
            .map(|after| (15, after))
            .or_else(|| {
                let minutes = self.number(end + 1).filter(|m| (1..=30).contains(m))?;
                (self.word(end) == "meno").then_some((minutes, end + 2))
            });
        let mut hour = hour;
        if let Some((minutes, after)) = before.filter(|_| minute == 0 && hour > 0) {
            hour -= 1;
            minute = 60 - minutes;
            end = after;
            evident = true;
        }
        if minute >= 60 {
            return None;
        }
        // "o'clock"
        if let Some(next) = self.words(end, &["o", "'", "clock"]) {
            end = next;
            evident = true;
        }
        let written_zero = digits && self.text(i).starts_with('0') && self.text(i).len() == 2;
        let explicit = hour >= 13 || hour == 0 || written_zero;
        let (clock, meridiem_end) = self.meridiem(clock(hour % 24, minute, explicit), end);
        evident |= meridiem_end > end;
        Some((clock, meridiem_end, evident))
    }

    /// An hour in words at `i` ("nine", "tre", "una"), with where it ends.
    fn hour_word(&self, i: usize) -> Option<(u32, usize)> {
        let word = self.word(i);
        if matches!(word, "a" | "an" | "un") {
            return None;
        }
        words::small_number(word).map(|h| (h, i + 1)).or_else(|| self.number(i).map(|h| (h, i + 1)))
    }

    /// Minutes said after the hour: "e mezza", "e un quarto", "meno un quarto" (as 45, the hour
    /// then one less — read by the caller as written), "thirty", "e trenta"; `(0, i)` when none.
    fn past_hour(&self, i: usize) -> (u32, usize) {
        let read = [
            (&["e", "mezza"][..], 30),
            (&["e", "mezzo"], 30),
            (&["e", "trenta"], 30),
            (&["e", "un", "quarto"], 15),
            (&["e", "quarto"], 15),
            (&["e", "quindici"], 15),
            (&["e", "tre", "quarti"], 45),
            (&["e", "quarantacinque"], 45),
            (&["thirty"], 30),
            (&["fifteen"], 15),
            (&["forty", "five"], 45),
            (&["and", "a", "half"], 30),
        ];
        let said = read.iter().find_map(|(words, minute)| self.words(i, words).map(|end| (*minute, end)));
        // "alle 10 e 30", "alle 9 e 45".
        let digits = || {
            let minute = self.t.get(i + 1).filter(|t| t.kind == Kind::Number && t.text.len() == 2)?;
            let minute: u32 = minute.text.parse().ok().filter(|m| (1..60).contains(m))?;
            (self.word(i) == "e" && !matches!(self.word(i + 2), "minuti" | "min")).then_some((minute, i + 2))
        };
        said.or_else(digits).unwrap_or((0, i))
    }

    /// The clock placed in the day by "am"/"pm", "a.m.", at `i`, with where those words end.
    fn meridiem(&self, clock: Clock, i: usize) -> (Clock, usize) {
        let (pm, end) = match self.word(i) {
            "am" => (false, i + 1),
            "pm" => (true, i + 1),
            "a" | "p" if self.text(i + 1) == "." && self.word(i + 2) == "m" => {
                (self.word(i) == "p", self.skip(i + 3, &["."]))
            }
            _ => return (clock, i),
        };
        if clock.hour > 12 || clock.hour == 0 {
            return (clock, i);
        }
        let hour = match (pm, clock.hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
        (Clock { hour, explicit: true, ..clock }, end)
    }

    /// The clock placed in the day and zone by the words after it: "del pomeriggio", "in the
    /// morning", "EST", "(4pm your time)".
    fn qualified(&self, mut clock: Clock, i: usize) -> (Clock, usize) {
        let mut end = i;
        let part = match (self.word(i), self.word(i + 1), self.word(i + 2)) {
            ("del" | "di" | "nel", "pomeriggio" | "sera", _) => Some((true, i + 2)),
            ("del" | "di" | "nel", "mattino" | "mattina", _) => Some((false, i + 2)),
            ("in", "the", "afternoon" | "evening") => Some((true, i + 3)),
            ("in", "the", "morning") => Some((false, i + 3)),
            _ => None,
        };
        if let Some((afternoon, after)) = part {
            if afternoon && clock.hour < 12 {
                clock.hour += 12;
            }
            clock.explicit = true;
            end = after;
        }
        let rest: Vec<&str> = (end..end + 3).map(|n| self.word(n)).collect();
        if let Some((zone, width)) = words::zone(&rest) {
            clock.zone = Some(zone);
            end += width;
        }
        (clock, end)
    }

    // ---- spans of hours ----

    /// "from 2:30 to 4pm", "between 2 and 4", "tra le 14 e le 16", "dalle 10 alle 11.30", "14-16",
    /// "2-4pm".
    fn range(&self, i: usize) -> Option<(What, usize)> {
        let (start, between) = match self.word(i) {
            "between" | "tra" | "fra" => (self.skip(i + 1, &["le", "ore"]), true),
            "from" | "dalle" | "da" => (self.skip(i + 1, &["le", "ore"]), false),
            "dall" if self.text(i + 1) == "'" => (i + 2, false),
            "ore" | "h" | "alle" => (i + 1, false),
            _ if self.number(i).is_some() => (i, false),
            _ => return None,
        };
        let cued = start > i;
        let (from, after_from, from_evident) = self.clock_at(start, cued)?;
        let joined = match self.text(after_from) {
            "-" | "to" | "till" | "until" | "alle" | "and" | "e" | "a" => after_from + 1,
            _ => return None,
        };
        // "e" and "and" only join the two ends of "between" and "tra".
        if matches!(self.text(after_from), "and" | "e") && !between {
            return None;
        }
        let to_start = self.skip(joined, &["le", "ore"]);
        let (to, after_to, to_evident) = self.clock_at(to_start, true)?;
        if !(cued || from_evident || to_evident) {
            return None;
        }
        let (to, end) = self.qualified(to, after_to);
        let mut from = Clock { zone: to.zone, ..from };
        // "2-4pm": the start is on the end's side of noon when it can be.
        if !from.explicit && to.explicit && to.hour >= 12 && from.hour + 12 < to.hour {
            from.hour += 12;
            from.explicit = true;
        }
        Some((What::Range { from, to, between }, end))
    }

    // ---- lengths ----

    /// "for an hour", "30 min", "1h30", "half an hour", "un'ora e mezza", "un paio d'ore",
    /// "a 90-minute meeting", "un'oretta".
    fn length(&self, i: usize) -> Option<(What, usize)> {
        let start = self.skip(i, &["for", "per", "about", "circa", "around"]);
        let (minutes, end) = self.length_at(start)?;
        // "in 2 hours", "tra due ore", "2 hours ago", "24 ore prima": when, not how long.
        if matches!(self.word(i.wrapping_sub(1)), "in" | "tra" | "fra" | "entro" | "within")
            || matches!(self.word(end), "ago" | "fa" | "before" | "prima" | "later" | "dopo" | "notice")
        {
            return None;
        }
        Some((What::Length(minutes), end))
    }

    fn length_at(&self, i: usize) -> Option<(u32, usize)> {
        if let Some(end) = self
            .words(i, &["half", "an", "hour"])
            .or_else(|| self.words(i, &["half", "hour"]))
            .or_else(|| self.words(i, &["a", "half", "hour"]))
            .or_else(|| self.words(i, &["mezz", "'", "ora"]))
            .or_else(|| self.words(i, &["mezzora"]))
            .or_else(|| self.words(i, &["mezz", "'", "oretta"]))
            .or_else(|| self.words(i, &["una", "mezz", "'", "ora"]))
            .or_else(|| self.words(i, &["una", "mezzora"]))
        {
            return Some((30, end));
        }
        if let Some(end) = self
            .words(i, &["a", "couple", "of", "hours"])
            .or_else(|| self.words(i, &["couple", "of", "hours"]))
            .or_else(|| self.words(i, &["un", "paio", "d", "'", "ore"]))
            .or_else(|| self.words(i, &["un", "paio", "di", "ore"]))
        {
            return Some((120, end));
        }
        // "EC1M 5PA" is a postcode, not a minute: a count starts a word.
        if i > 0 && self.touching(i - 1) && self.t.get(i - 1).is_some_and(|t| t.kind == Kind::Word) {
            return None;
        }
        let (count, after) = self.count(i)?;
        // "un'ora", "un'oretta".
        let after = self.skip(after, &["'"]);
        let unit = self.word(after);
        let (mut minutes, mut end) = match unit {
            "hour" | "hours" | "hr" | "hrs" | "ora" | "ore" | "oretta" | "orette" => {
                (count * 60.0, after + 1)
            }
            "h" if self.touching(i) || self.t.get(i).is_some_and(|t| t.kind == Kind::Number) => {
                (count * 60.0, after + 1)
            }
            "minute" | "minutes" | "min" | "mins" | "minuti" | "minuto" | "m" => (count, after + 1),
            "-" if matches!(self.word(after + 1), "minute" | "hour") => {
                let per = if self.word(after + 1) == "hour" { 60.0 } else { 1.0 };
                (count * per, after + 2)
            }
            _ => return None,
        };
        // "a minute" is no meeting's length, and "ora" after "un" alone is; "2 ora" is not Italian.
        if (matches!(self.word(i), "a" | "an") && minutes < 60.0) || (unit == "ora" && count != 1.0) {
            return None;
        }
        if minutes >= 60.0 {
            // "and a half", "e mezza", "e mezzo", "30" (1h30), "and 15 minutes", "e 30 minuti".
            if let Some(next) = self
                .words(end, &["and", "a", "half"])
                .or_else(|| self.words(end, &["e", "mezza"]))
                .or_else(|| self.words(end, &["e", "mezzo"]))
            {
                minutes += 30.0;
                end = next;
            } else {
                let joined = self.skip(end, &["and", "e"]);
                if let Some(extra) = self.number(joined).filter(|m| *m < 60) {
                    let after_extra = joined + 1;
                    let unit = self.word(after_extra);
                    if matches!(unit, "minutes" | "minute" | "min" | "mins" | "minuti" | "m") {
                        minutes += f64::from(extra);
                        end = after_extra + 1;
                    } else if unit == "h" || joined == end && self.touching(end - 1) {
                        minutes += f64::from(extra);
                        end = after_extra;
                    }
                }
            }
        }
        Some((minutes.round() as u32, end))
    }

    /// A count at `i`: digits ("90", "1.5", "1,5") or a word ("an", "two", "un", "due").
    fn count(&self, i: usize) -> Option<(f64, usize)> {
        if let Some(n) = self.number(i) {
            if matches!(self.text(i + 1), "." | ",") && self.touching(i) && self.touching(i + 1) {
                let decimals = self.t.get(i + 2).filter(|t| t.kind == Kind::Number && t.text.len() == 1)?;
                let tenth: f64 = decimals.text.parse().ok()?;
                return Some((f64::from(n) + tenth / 10.0, i + 3));
            }
            return Some((f64::from(n), i + 1));
        }
        // "forty five minutes", "forty-five".
        let tens = words::count_word(self.word(i))?;
        if tens == 40 {
            let five = self.skip(i + 1, &["-"]);
            if matches!(self.word(five), "five") {
                return Some((45.0, five + 1));
            }
        }
        Some((f64::from(tens), i + 1))
    }

    // ---- days ----

    /// A day or days named at `i`.
    fn day(&self, i: usize) -> Option<(What, usize)> {
        self.day_span(i).or_else(|| self.one_day(i))
    }

    /// Two days and those between: "between Wednesday and Friday", "tra mercoledì 7 e venerdì 9
    /// aprile", "dal 7 al 9 aprile", "from Monday to Wednesday", "Wednesday or Thursday", "domani o
    /// dopodomani".
    fn day_span(&self, i: usize) -> Option<(What, usize)> {
        const ORDINAL: [&str; 4] = ["st", "nd", "rd", "th"];
        let lead = matches!(self.word(i), "between" | "tra" | "fra" | "from" | "dal" | "da" | "dalla");
        let start = if lead { self.skip(i + 1, &["il", "the", "on"]) } else { i };
        // The first day may be a bare number that takes its month from the second: "dal 7 al 9 aprile".
        let first = match self.one_day(start) {
            Some((What::Day(days), end)) => Some((days, end)),
            Some(_) => return None,
            None => None,
        };
        // Without a lead word, a bare day number joined to a whole date ("22-23 March", "3rd and
        // 4th of February", "il 3 e 4 febbraio") is a span too.
        let bare = self.number(start).filter(|d| first.is_none() && (1..=31).contains(d));
        if first.is_none() && bare.is_none() {
            return None;
        }
        let after_first = first.map_or_else(|| self.skip(start + 1, &ORDINAL), |(_, end)| end);
        let joined = match self.word(after_first) {
            "or" | "o" | "oppure" => true,
            "and" | "e" | "to" | "a" | "al" | "alla" | "until" | "till" => lead || bare.is_some(),
            _ => self.text(after_first) == "-" && (lead || bare.is_some()),
        };
        if !joined {
            return None;
        }
        let second_at = self.skip(after_first + 1, &["il", "the", "on"]);
        let (second, end) = match self.one_day(second_at) {
            // Unled, the second must be a date of its own month, a few days after the first.
            Some((What::Day(second), end))
                if lead
                    || first.is_some()
                    || bare.is_some_and(|day| {
                        second
                            .single()
                            .is_some_and(|date| (1..=6).contains(&(i64::from(date.day()) - i64::from(day))))
                    }) =>
            {
                (second, end)
            }
            Some(_) => return None,
            None if !lead => return None,
            // "between the 14th and the 17th", "dal 7 al 9": two days of the month, written as days
            // (an article or an ordinal says so; "between 2 and 4" is read as hours before this).
            None => {
                let first_day = bare?;
                let written_as_days =
                    |at: usize, article: bool| article || ORDINAL.contains(&self.word(at + 1));
                let articled = |at: usize| at > 0 && matches!(self.word(at - 1), "the" | "il" | "dal" | "al");
                if !(written_as_days(start, articled(start))
                    && written_as_days(second_at, articled(second_at)))
                {
                    return None;
                }
                let day = self.number(second_at).filter(|d| (1..=31).contains(d) && *d > first_day)?;
                let from = self.next_day_of_month(first_day)?;
                let date = NaiveDate::from_ymd_opt(from.year(), from.month(), day)?;
                (Days::one(date), self.skip(second_at + 1, &ORDINAL))
            }
        };
        let first = match (first, bare) {
            (Some((days, _)), _) => days,
            (None, Some(day)) => {
                Days::one(NaiveDate::from_ymd_opt(second.from.year(), second.from.month(), day)?)
            }
            (None, None) => return None,
        };
        let (from, to) = (first.from.min(second.from), first.to.max(second.to));
        Some((What::Day(Days { from, to }), end))
    }

    /// One day, or the days of a week or month, named at `i`.
    fn one_day(&self, i: usize) -> Option<(What, usize)> {
        self.relative_day(i)
            .or_else(|| self.named_weekday(i))
            .or_else(|| self.week(i))
            .or_else(|| self.date(i).map(|(date, end)| (What::Day(Days::one(date)), end)))
            .or_else(|| self.unusable_date(i))
            .or_else(|| self.after_day(i))
            .or_else(|| self.month(i))
    }

    /// "today", "tomorrow", "the day after tomorrow", "domani", "dopodomani", "domattina", "stasera".
    fn relative_day(&self, i: usize) -> Option<(What, usize)> {
        let (ahead, end) = if let Some(end) = self.words(i, &["day", "after", "tomorrow"]) {
            (2, end)
        } else {
            let ahead = match self.word(i) {
                "today" | "oggi" | "tonight" | "stamattina" | "stamani" | "stasera" | "stanotte" => 0,
                "tomorrow" | "tomorow" | "tommorow" | "tommorrow" | "tmrw" | "domani" | "domattina" => 1,
                "dopodomani" => 2,
                _ => return None,
            };
            (ahead, i + 1)
        };
        Some((What::Day(Days::one(day_plus(self.today, ahead))), end))
    }

    /// A weekday, alone or with its date: "Tuesday", "next Tuesday", "martedì prossimo", "Wednesday
    /// the 16th", "giovedì 17", "Tuesday Jan 19", "venerdì 22 gennaio", "the following Monday".
    fn named_weekday(&self, i: usize) -> Option<(What, usize)> {
        let (lead, at) = match self.word(i) {
            "next" | "prossimo" | "prossima" => ("next", i + 1),
            "this" | "questo" | "questa" | "coming" => ("this", i + 1),
            "following" | "successivo" => ("following", i + 1),
            "last" | "scorso" | "scorsa" => ("last", i + 1),
            _ => ("", i),
        };
        let short = words::short_weekday(self.word(at));
        let weekday = words::weekday(self.word(at)).or(short)?;
        let mut end = at + 1;
        // "venerdì prossimo" is the coming Friday; "next Friday", "il prossimo venerdì" next week's.
        let trail = match self.word(end) {
            "prossimo" | "prossima" => "coming",
            "successivo" | "seguente" | "dopo" => "following",
            "scorso" | "scorsa" => "last",
            _ => "",
        };
        if !trail.is_empty() {
            end += 1;
        }
        let lead = if lead.is_empty() { trail } else { lead };
        // Its date, when one follows: the date wins over the weekday's next turn.
        let dated = self.skip(end, &[",", "the", "il", "on"]);
        if let Some((date, after)) = self.date(dated).or_else(|| self.day_number(dated, weekday)) {
            return Some((What::Day(Days::one(date)), after));
        }
        if short.is_some() {
            return None;
        }
        let today = self.today.weekday().num_days_from_monday();
        let wanted = weekday.num_days_from_monday();
        let date = match lead {
            "next" => day_plus(self.today, i64::from(7 - today + wanted)),
            "this" => day_plus(self.today, i64::from((7 + wanted - today) % 7)),
            "last" => day_plus(self.today, -i64::from((7 + today - wanted - 1) % 7 + 1)),
            "following" => return Some((What::Following(weekday), end)),
            _ => day_plus(self.today, i64::from((7 + wanted - today - 1) % 7 + 1)),
        };
        Some((What::Day(Days::one(date)), end))
    }

    /// A day of the month alone after a weekday ("giovedì 17", "Friday the 22nd"): the next date from
    /// today with that number that falls on `weekday`, or the next with that number at all.
    fn day_number(&self, i: usize, weekday: Weekday) -> Option<(NaiveDate, usize)> {
        let day = self.number(i).filter(|d| (1..=31).contains(d))?;
        // Not the hour of "Tuesday 10:30" or "martedì 15.30".
        if matches!(self.text(i + 1), ":" | ".") && self.t.get(i + 2).is_some_and(|t| t.kind == Kind::Number)
        {
            return None;
        }
        // Nor "Friday 2-4pm", "Thursday, 30 mins", "Monday 3 people".
        let cue = self.word(i + 1) == "h" && self.number(i + 2).is_some();
        if self.text(i + 1) == "-" || (is_unit(self.word(i + 1)) && !cue) {
            return None;
        }
        let end = self.skip(i + 1, &["st", "nd", "rd", "th"]);
        let candidates: Vec<NaiveDate> = (0..14)
            .filter_map(|m| {
                let first = self.today.with_day(1)?.checked_add_months(chrono::Months::new(m))?;
                NaiveDate::from_ymd_opt(first.year(), first.month(), day)
            })
            .filter(|d| *d >= self.today)
            .collect();
        let date = candidates
            .iter()
            .take(3)
            .find(|d| d.weekday() == weekday)
            .or_else(|| candidates.first())
            .copied()?;
        Some((date, end))
    }

    /// A date: "24/11", "24/11/2026", "2026-11-24", "3 December", "the 3rd of December", "December
    /// 3rd, 2026", "il 3 dicembre 2026", "3 dic".
    fn date(&self, i: usize) -> Option<(NaiveDate, usize)> {
        if let Some(found) = self.numeric_date(i) {
            return Some(found);
        }
        if let Some(day) = self.number(i).filter(|d| (1..=31).contains(d)) {
            let at = self.skip(i + 1, &["st", "nd", "rd", "th", "of", "di"]);
            let month = words::month(self.word(at))?;
            let (year, end) = self.year(at + 1);
            return Some((self.next_date(day, month, year)?, end));
        }
        let month = words::month(self.word(i))?;
        let at = self.skip(i + 1, &["the"]);
        let day = self.number(at).filter(|d| (1..=31).contains(d))?;
        // "May 3 people": only a date when nothing says otherwise; "Jan 19 at 10" is.
        let end = self.skip(at + 1, &["st", "nd", "rd", "th"]);
        let (year, end) = self.year(self.skip(end, &[","]));
        Some((self.next_date(day, month, year)?, end))
    }

    /// A year at `i` (four digits, 1900–2200) and where it ends; none and `i` otherwise.
    fn year(&self, i: usize) -> (Option<i32>, usize) {
        match self
            .t
            .get(i)
            .filter(|t| t.kind == Kind::Number && t.text.len() == 4)
            .and_then(|t| t.text.parse().ok())
        {
            Some(year) => (Some(year), i + 1),
            None => (None, i),
        }
    }

    /// A date written in full that is no day a meeting can be on: "01/01/5000", "31/02/2027", "5 May
    /// 2500".
    fn unusable_date(&self, i: usize) -> Option<(What, usize)> {
        self.t.get(i).filter(|t| t.kind == Kind::Number)?;
        let sep = self.text(i + 1);
        let end = if matches!(sep, "/" | "-" | ".") && self.touching(i) && self.text(i + 3) == sep {
            i + 5
        } else {
            let at = self.skip(i + 1, &["st", "nd", "rd", "th", "of", "di"]);
            words::month(self.word(at))?;
            at + 2
        };
        self.t.get(end - 1).filter(|t| t.kind == Kind::Number && t.text.len() == 4)?;
        Some((What::NoDay, end))
    }

    /// "24/11", "24/11/26", "24-11-2026", "24.11.2026", "2026-11-24": written close.
    fn numeric_date(&self, i: usize) -> Option<(NaiveDate, usize)> {
        let first = self.t.get(i).filter(|t| t.kind == Kind::Number)?;
        let sep = self.text(i + 1);
        if !matches!(sep, "/" | "-" | ".") || !self.touching(i) || !self.touching(i + 1) {
            return None;
        }
        let second = self.number(i + 2)?;
        let third = (self.text(i + 3) == sep && self.touching(i + 2) && self.touching(i + 3))
            .then(|| self.t.get(i + 4).filter(|t| t.kind == Kind::Number))
            .flatten();
        if first.text.len() == 4 {
            // 2026-11-24
            let year: i32 = first.text.parse().ok()?;
            let day = third.and_then(|t| t.text.parse().ok())?;
            let date = NaiveDate::from_ymd_opt(year, second, day)?;
            return crate::calendar::ics::YEARS.contains(&date.year()).then_some((date, i + 5));
        }
        let day: u32 = first.text.parse().ok()?;
        match third {
            Some(year) => {
                let year: i32 = year.text.parse().ok()?;
                let year = if year < 100 { 2000 + year } else { year };
                let date = NaiveDate::from_ymd_opt(year, second, day)?;
                crate::calendar::ics::YEARS.contains(&date.year()).then_some((date, i + 5))
            }
            // "14-16" is a span of hours, "15.30" a time: only "/" makes a date without a year.
            None if sep == "/" => Some((self.next_date(day, second, None)?, i + 3)),
            None => None,
        }
    }

    /// The date `day`/`month` of `year`, or the next one from today without a year.
    fn next_date(&self, day: u32, month: u32, year: Option<i32>) -> Option<NaiveDate> {
        super::next_date(self.today, day, month, year)
    }

    /// "next week", "this week", "la prossima settimana", "the first week of February", "la prima
    /// settimana di febbraio", "early March", "inizio marzo", "the week of the 15th".
    fn week(&self, i: usize) -> Option<(What, usize)> {
        let monday = |day: NaiveDate| day_plus(day, -i64::from(day.weekday().num_days_from_monday()));
        let working = |monday: NaiveDate| Days { from: monday, to: day_plus(monday, 5) };
        let this_monday = monday(self.today);
        let next = ["next", "following", "prossima", "successiva"];
        let at = self.skip(i, &["the", "la", "in", "nella"]);
        if next.contains(&self.word(at)) && matches!(self.word(at + 1), "week" | "settimana") {
            return Some((What::Day(working(day_plus(this_monday, 7))), at + 2));
        }
        if matches!(self.word(at), "week" | "settimana") && next.contains(&self.word(at + 1)) {
            return Some((What::Day(working(day_plus(this_monday, 7))), at + 2));
        }
        if let Some(end) = self.words(at, &["settimana", "che", "viene"]) {
            return Some((What::Day(working(day_plus(this_monday, 7))), end));
        }
        if matches!(self.word(at), "this" | "questa") && matches!(self.word(at + 1), "week" | "settimana") {
            // Its working days still to come; on a weekend, the week that is about to start.
            let days = Days { from: self.today, to: day_plus(this_monday, 5) };
            let days = if days.to > days.from { days } else { working(day_plus(this_monday, 7)) };
            return Some((What::Day(days), at + 2));
        }
        // The nth week of a month.
        let nth = match self.word(at) {
            "first" | "prima" | "early" | "inizio" | "primi" => Some(0),
            "second" | "seconda" => Some(1),
            "third" | "terza" => Some(2),
            "fourth" | "quarta" => Some(3),
            "last" | "ultima" | "end" | "fine" => Some(4),
            _ => None,
        };
        if let Some(nth) = nth {
            let mut month_at = self.skip(at + 1, &["week", "settimana", "of", "di", "del", "mese", "'"]);
            if self.word(month_at) == "month" {
                month_at += 1;
            }
            let month = words::month(self.word(month_at))?;
            let (year, end) = self.year(month_at + 1);
            let first = self.next_date(1, month, year).or_else(|| {
                let this = NaiveDate::from_ymd_opt(self.today.year(), month, 1)?;
                (this.month() == self.today.month()).then_some(this)
            })?;
            let first_monday = if first.weekday().num_days_from_monday() >= 5 {
                day_plus(monday(first), 7)
            } else {
                monday(first)
            };
            let week = if nth == 4 {
                let last = first.checked_add_months(chrono::Months::new(1)).map(|d| day_plus(d, -1))?;
                working(monday(last))
            } else {
                working(day_plus(first_monday, 7 * nth))
            };
            // The first week starts on the 1st, not on the Monday before it.
            let from = week.from.max(first);
            return Some((What::Day(Days { from, ..week }), end));
        }
        // "the week of the 15th", "la settimana del 15".
        let of = self.words(at, &["week", "of", "the"]).or_else(|| self.words(at, &["settimana", "del"]))?;
        let (date, end) = self.date_or_day_of_month(of)?;
        Some((What::Day(working(monday(date))), end))
    }

    /// A date at `i`, or a day of the month alone ("15th", "15"): the next such day from today.
    fn date_or_day_of_month(&self, i: usize) -> Option<(NaiveDate, usize)> {
        self.date(i).or_else(|| {
            let day = self.number(i).filter(|d| (1..=31).contains(d))?;
            let end = self.skip(i + 1, &["st", "nd", "rd", "th"]);
            Some((self.next_day_of_month(day)?, end))
        })
    }

    /// Day `day` of this month, or of the next month that has it, from today on.
    fn next_day_of_month(&self, day: u32) -> Option<NaiveDate> {
        (0..3).find_map(|m| {
            let first = self.today.with_day(1)?.checked_add_months(chrono::Months::new(m))?;
            NaiveDate::from_ymd_opt(first.year(), first.month(), day).filter(|d| *d >= self.today)
        })
    }

    /// "after the 15th", "dopo il 15": the week after that day.
    fn after_day(&self, i: usize) -> Option<(What, usize)> {
        let at = self.words(i, &["after", "the"]).or_else(|| self.words(i, &["dopo", "il"]))?;
        let (date, end) = self.date_or_day_of_month(at)?;
        let from = day_plus(date, 1);
        Some((What::Day(Days { from, to: day_plus(from, 7) }), end))
    }

    /// "the 22nd", "on the 3rd", "il 22" (before a time or the end of a phrase): a day of this month
    /// or the next.
    fn bare_day(&self, i: usize) -> Option<(NaiveDate, usize)> {
        let (at, italian) = match self.word(i) {
            "the" => (i + 1, false),
            "il" => (i + 1, true),
            _ => return None,
        };
        let day = self.number(at).filter(|d| (1..=31).contains(d))?;
        let suffix = matches!(self.word(at + 1), "st" | "nd" | "rd" | "th");
        let end = if suffix { at + 2 } else { at + 1 };
        let follows_time =
            matches!(self.word(end), "alle" | "at" | "ore" | "in" | "di" | "dalle" | "tra" | "verso")
                || matches!(self.text(end), "," | "?" | "!" | "")
                || (self.text(end) == "." && self.t.get(end + 1).is_none_or(|t| t.kind != Kind::Number));
        if !(suffix || (italian && follows_time)) {
            return None;
        }
        Some((self.next_day_of_month(day)?, end))
    }

    /// "in February", "a febbraio", "nel mese di marzo": the month's days; or a bare day number.
    fn month(&self, i: usize) -> Option<(What, usize)> {
        if let Some((date, end)) = self.bare_day(i) {
            return Some((What::Day(Days::one(date)), end));
        }
        let at = match self.word(i) {
            "in" | "a" | "during" | "durante" => i + 1,
            "nel" if self.words(i + 1, &["mese", "di"]).is_some() => i + 3,
            _ => return None,
        };
        let month = words::month(self.word(at))?;
        // "a mar" (the sea), "in may" as a verb: only full month names.
        if self.word(at).len() < 4 && self.word(at) != "may" {
            return None;
        }
        let (year, end) = self.year(at + 1);
        let first = self.next_date(1, month, year).or_else(|| {
            let this = NaiveDate::from_ymd_opt(self.today.year(), month, 1)?;
            (this.month() == self.today.month()).then_some(this)
        })?;
        let next = first.checked_add_months(chrono::Months::new(1))?;
        Some((What::Day(Days { from: first.max(self.today), to: next }), end))
    }

    // ---- parts of the day ----

    /// "morning", "in the afternoon", "di mattina", "pomeriggio", "all'ora di pranzo".
    fn part(&self, i: usize) -> Option<(What, usize)> {
        let at = self.skip(i, &["in", "the", "di", "nel", "nella", "la", "il"]);
        let part = match self.word(at) {
            "morning" | "mornings" | "mattina" | "mattinata" | "mattino" | "mattine" => PartOfDay::Morning,
            "afternoon" | "afternoons" | "pomeriggio" | "pomeriggi" => PartOfDay::Afternoon,
            "evening" | "sera" | "serata" => PartOfDay::Evening,
            "lunch" | "lunchtime" | "pranzo" => PartOfDay::Lunchtime,
            _ => {
                let end = self.words(at, &["ora", "di", "pranzo"])?;
                return Some((What::Part(PartOfDay::Lunchtime), end));
            }
        };
        let end = if self.word(at + 1) == "time" && part == PartOfDay::Lunchtime { at + 2 } else { at + 1 };
        Some((What::Part(part), end))
    }

    /// "same time", "stessa ora", "stesso orario", "alla stessa ora".
    fn same_time(&self, i: usize) -> Option<(What, usize)> {
        let at = self.skip(i, &["at", "the", "alla", "allo"]);
        let end = self
            .words(at, &["same", "time"])
            .or_else(|| self.words(at, &["same", "hour"]))
            .or_else(|| self.words(at, &["stessa", "ora"]))
            .or_else(|| self.words(at, &["stesso", "orario"]))?;
        Some((What::SameTime, end))
    }
}
