//! The words of days, months, numbers and zones the time grammar knows, in English and Italian,
//! lower case and without accents, as the text reaches it.

use chrono::Weekday;

/// Each month's names, January first: in English, in Italian, then the short forms people write. The
/// one list of month names clerk reads (requests, vendors' dates, order lines); letters write months
/// through chrono's locales.
const MONTHS: [(&str, &str, &[&str]); 12] = [
    ("january", "gennaio", &["jan", "genn", "gen"]),
    ("february", "febbraio", &["feb", "febb"]),
    ("march", "marzo", &["mar"]),
    ("april", "aprile", &["apr"]),
    ("may", "maggio", &["mag"]),
    ("june", "giugno", &["jun", "giu"]),
    ("july", "luglio", &["jul", "lug"]),
    ("august", "agosto", &["aug", "ago"]),
    ("september", "settembre", &["sep", "sept", "sett", "set"]),
    ("october", "ottobre", &["oct", "ott"]),
    ("november", "novembre", &["nov"]),
    ("december", "dicembre", &["dec", "dic"]),
];

/// The month `word` names in any form (lower case, without accents), 1 for January.
pub fn month(word: &str) -> Option<u32> {
    let at = MONTHS.iter().position(|(english, italian, short)| {
        *english == word || *italian == word || short.contains(&word)
    })?;
    u32::try_from(at + 1).ok()
}

/// The month `word` names written in full, in English or Italian ("december", "dicembre"), 1 for
/// January: where a short form could be another word ("set", "mar").
pub fn month_in_full(word: &str) -> Option<u32> {
    let at = MONTHS.iter().position(|(english, italian, _)| *english == word || *italian == word)?;
    u32::try_from(at + 1).ok()
}

/// The month whose English name `word` begins with, in three letters or more ("dec", "decem"), 1 for
/// January.
pub fn month_begun(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    let at = MONTHS.iter().position(|(english, ..)| english.starts_with(word))?;
    u32::try_from(at + 1).ok()
}

/// The weekday `word` names: full names in both languages, English short forms.
pub fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" | "mon" | "lunedi" => Weekday::Mon,
        "tuesday" | "tue" | "tues" | "martedi" => Weekday::Tue,
        "wednesday" | "wed" | "mercoledi" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" | "giovedi" => Weekday::Thu,
        "friday" | "fri" | "venerdi" => Weekday::Fri,
        "saturday" | "sabato" => Weekday::Sat,
        "sunday" | "domenica" => Weekday::Sun,
        _ => return None,
    })
}

/// A number written as a word, up to twelve: hours and counts of hours.
pub(super) fn small_number(word: &str) -> Option<u32> {
    const WORDS: [&[&str]; 12] = [
        &["one", "a", "an", "un", "una", "uno"],
        &["two", "due"],
        &["three", "tre"],
        &["four", "quattro"],
        &["five", "cinque"],
        &["six", "sei"],
        &["seven", "sette"],
        &["eight", "otto"],
        &["nine", "nove"],
        &["ten", "dieci"],
        &["eleven", "undici"],
        &["twelve", "dodici"],
    ];
    WORDS.iter().position(|names| names.contains(&word)).and_then(|n| u32::try_from(n + 1).ok())
}

/// A weekday's short form that is only read before its date ("merc 3", "gio 28", "sat 5th"): alone,
/// "mar" is the sea and "sun" the sun.
pub(super) fn short_weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "lun" => Weekday::Mon,
        "mar" => Weekday::Tue,
        "mer" | "merc" => Weekday::Wed,
        "gio" | "giov" => Weekday::Thu,
        "ven" => Weekday::Fri,
        "sat" | "sab" => Weekday::Sat,
        "sun" | "dom" => Weekday::Sun,
        _ => return None,
    })
}

/// A count written as a word: the numbers up to twelve and the counts of minutes people write
/// ("twenty minutes", "quarantacinque minuti").
pub(super) fn count_word(word: &str) -> Option<u32> {
    small_number(word).or(match word {
        "fifteen" | "quindici" => Some(15),
        "twenty" | "venti" => Some(20),
        "thirty" | "trenta" => Some(30),
        "forty" | "quaranta" => Some(40),
        "quarantacinque" => Some(45),
        "sixty" | "sessanta" => Some(60),
        "ninety" | "novanta" => Some(90),
        _ => None,
    })
}

/// A zone a time can be given in ("10am EST", "2pm UK time", "4pm your time"), after the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Zone {
    /// The reader's own zone: "your time", "ora italiana", "Rome time".
    Office,
    Named(chrono_tz::Tz),
}

/// The zone the words from `words[0]` name, and how many words name it.
pub(super) fn zone(words: &[&str]) -> Option<(Zone, usize)> {
    use chrono_tz::{America, Europe, Tz};
    let first = *words.first()?;
    let second = words.get(1).copied().unwrap_or("");
    let time_follows = matches!(second, "time" | "ora");
    let named = |tz: Tz| Zone::Named(tz);
    let (zone, width) = match (first, second) {
        ("your" | "vostra" | "tua" | "sua", "time" | "ora") => (Zone::Office, 2),
        ("ora" | "orario", "italiana" | "italiano" | "di" | "vostra" | "vostro") => (Zone::Office, 2),
        ("rome" | "italian" | "italy" | "roma", _) if time_follows => (Zone::Office, 2),
        ("est" | "edt" | "et" | "eastern", _) => (named(America::New_York), 1 + usize::from(time_follows)),
        ("cst" | "cdt" | "ct" | "central", _) => (named(America::Chicago), 1 + usize::from(time_follows)),
        ("pst" | "pdt" | "pt" | "pacific", _) => (named(America::Los_Angeles), 1 + usize::from(time_follows)),
        ("mst" | "mdt" | "mountain", _) => (named(America::Denver), 1 + usize::from(time_follows)),
        ("uk" | "london" | "bst", _) => (named(Europe::London), 1 + usize::from(time_follows)),
        ("gmt" | "utc", _) => (named(Tz::UTC), 1),
        ("cet" | "cest", _) => (named(Europe::Rome), 1),
        ("new", "york") => (named(America::New_York), 2 + usize::from(words.get(2) == Some(&"time"))),
        _ => return None,
    };
    Some((zone, width))
}
