//! The words of days, months, numbers and zones the time grammar knows, in English and Italian,
//! lower case and without accents, as the text reaches it.

use chrono::Weekday;

/// The months in Italian, January first: read in requests, written in answers.
pub const ITALIAN_MONTHS: [&str; 12] = [
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

/// Months in English (and their short forms) and Italian, January first.
const MONTHS: [&[&str]; 12] = [
    &["january", "jan", "gennaio", "genn", "gen"],
    &["february", "feb", "febbraio", "febb"],
    &["march", "mar", "marzo"],
    &["april", "apr", "aprile"],
    &["may", "maggio", "mag"],
    &["june", "jun", "giugno", "giu"],
    &["july", "jul", "luglio", "lug"],
    &["august", "aug", "agosto", "ago"],
    &["september", "sep", "sept", "settembre", "sett", "set"],
    &["october", "oct", "ottobre", "ott"],
    &["november", "nov", "novembre"],
    &["december", "dec", "dicembre", "dic"],
];

/// The month `word` names, 1 for January.
pub(super) fn month(word: &str) -> Option<u32> {
    MONTHS.iter().position(|names| names.contains(&word)).and_then(|m| u32::try_from(m + 1).ok())
}

/// The weekday `word` names: full names in both languages, English short forms.
pub(super) fn weekday(word: &str) -> Option<Weekday> {
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
