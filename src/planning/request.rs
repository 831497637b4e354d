//! Reading a request for an event in words, English or Italian: what it is, when (a day, several
//! days, or a window to choose in, with its hours), for how many people, where, what food and for
//! which diets, and who is invited (addresses, everyone, or a group of the staff directory).
//!
//! Each part is read on its own and left out when the words do not say it; [`EventRequest::missing`]
//! names what the office must still ask. Reading is bounded like the other readers: the first
//! [`MOST_LINES`] lines, each cut at [`LINE_BYTES`].

mod catering;
mod headcount;
#[cfg(test)]
mod tests;
mod title;
mod words;

use chrono::{NaiveDate, NaiveTime, TimeDelta};

use crate::calendar::phrase;
use crate::language::Language;
use crate::text::plain;
use words::Words;

/// Lines of a request read at most (the subject is the first).
pub const MOST_LINES: usize = 60;

/// Bytes of one line read at most.
pub const LINE_BYTES: usize = 400;

/// The longest event read as days of its own; a longer stretch is a window to choose in.
const LONGEST_DAYS: u32 = 5;

/// What a request for an event asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRequest {
    /// What it is called: "Christmas dinner", "Cena di Natale"; none when only "an event" was said.
    pub what: Option<String>,
    pub when: When,
    /// How many days it lasts, when said ("a 2-day workshop", "di due giorni").
    pub days: Option<u32>,
    pub headcount: Option<Headcount>,
    pub place: Option<Place>,
    /// The meals wished, in the order of the day.
    pub meals: Vec<Meal>,
    /// "No catering": the request says no food is to be ordered.
    pub no_catering: bool,
    pub diets: Vec<Diet>,
    /// The addresses written in the request, as written; the desk decides whom it may invite.
    pub guests: Vec<String>,
    /// "The whole office", "tutto lo staff": every person of the staff directory.
    pub everyone: bool,
    /// Groups of the staff directory named ("the design team", "il gruppo cantieri").
    pub groups: Vec<String>,
    pub language: Language,
}

/// When an event is, on the office's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// On these days, `first` to `last`, from `start` to `end` each day as far as said.
    Days { first: NaiveDate, last: NaiveDate, start: Option<NaiveTime>, end: Option<NaiveTime> },
    /// Some day or days within `from` to `last`, to be chosen.
    Window { from: NaiveDate, last: NaiveDate },
    /// No day said.
    Unknown,
}

/// How many people an event is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headcount {
    pub people: u32,
    /// A round figure ("about 30", "una trentina", "25-30"), to be confirmed before food is ordered.
    pub approximate: bool,
}

/// Where a request wants its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A room or venue of the office, by the name office.toml gives it.
    Known(String),
    /// At the office, in one of its own rooms.
    Office,
    /// A kind of place in the request's words: "a restaurant near the station".
    Wish(String),
}

/// A meal or break the guests are to be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Meal {
    Breakfast,
    CoffeeBreak,
    Lunch,
    Aperitif,
    Dinner,
}

impl Meal {
    /// Every meal, in the order of the day.
    pub const ALL: [Meal; 5] =
        [Meal::Breakfast, Meal::CoffeeBreak, Meal::Lunch, Meal::Aperitif, Meal::Dinner];

    /// Its name in office.toml and in templates.
    pub fn name(self) -> &'static str {
        match self {
            Meal::Breakfast => "breakfast",
            Meal::CoffeeBreak => "coffee_break",
            Meal::Lunch => "lunch",
            Meal::Aperitif => "aperitif",
            Meal::Dinner => "dinner",
        }
    }

    /// The meal named `name` ([`Meal::name`]).
    pub fn named(name: &str) -> Option<Meal> {
        Meal::ALL.into_iter().find(|meal| meal.name() == name)
    }
}

/// A dietary need among the guests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DietaryNeed {
    Vegetarian,
    Vegan,
    GlutenFree,
    LactoseFree,
    Halal,
    Kosher,
    NutFree,
}

impl DietaryNeed {
    /// Every need, in the order letters list them.
    pub const ALL: [DietaryNeed; 7] = [
        DietaryNeed::Vegetarian,
        DietaryNeed::Vegan,
        DietaryNeed::GlutenFree,
        DietaryNeed::LactoseFree,
        DietaryNeed::Halal,
        DietaryNeed::Kosher,
        DietaryNeed::NutFree,
    ];

    /// Its name in the store and in templates.
    pub fn name(self) -> &'static str {
        match self {
            DietaryNeed::Vegetarian => "vegetarian",
            DietaryNeed::Vegan => "vegan",
            DietaryNeed::GlutenFree => "gluten_free",
            DietaryNeed::LactoseFree => "lactose_free",
            DietaryNeed::Halal => "halal",
            DietaryNeed::Kosher => "kosher",
            DietaryNeed::NutFree => "nut_free",
        }
    }

    /// The need named `name` ([`DietaryNeed::name`]).
    pub fn named(name: &str) -> Option<DietaryNeed> {
        DietaryNeed::ALL.into_iter().find(|need| need.name() == name)
    }
}

/// A dietary need, and how many have it when the request says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Diet {
    pub need: DietaryNeed,
    pub people: Option<u32>,
}

/// Something a request must say before the event can be planned, which the office asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// What the event is.
    What,
    /// Which day or days.
    Day,
    /// At what time it starts.
    Start,
    /// How many people.
    Headcount,
    /// Whom to invite.
    Guests,
}

impl Missing {
    /// Its name in templates and in `clerk events`.
    pub fn name(self) -> &'static str {
        match self {
            Missing::What => "what",
            Missing::Day => "day",
            Missing::Start => "start",
            Missing::Headcount => "headcount",
            Missing::Guests => "guests",
        }
    }
}

/// The names the office gives its places and groups, which a request may use.
#[derive(Debug, Clone, Copy, Default)]
pub struct Known<'a> {
    /// Its rooms and external venues.
    pub places: &'a [&'a str],
    /// The groups of its staff directory.
    pub groups: &'a [&'a str],
}

impl EventRequest {
    /// What must still be asked, in the order a person would ask it.
    pub fn missing(&self) -> Vec<Missing> {
        let mut missing = Vec::new();
        if self.what.is_none() {
            missing.push(Missing::What);
        }
        match self.when {
            When::Days { start: None, .. } => missing.push(Missing::Start),
            When::Days { .. } => {}
            When::Window { .. } | When::Unknown => missing.push(Missing::Day),
        }
        if self.headcount.is_none() {
            missing.push(Missing::Headcount);
        }
        if self.guests.is_empty() && !self.everyone && self.groups.is_empty() {
            missing.push(Missing::Guests);
        }
        missing
    }
}

/// The dietary needs `text` names, each once: what a guest's answer says of them ("I'm vegetarian",
/// "sono celiaca").
pub fn diets_in(text: &str) -> Vec<DietaryNeed> {
    let normal = plain(text);
    catering::diets(&Words::new(&normal)).into_iter().map(|d| d.need).collect()
}

/// Reads the request `text` (its subject on the first line), written on `sent` (the office's
/// date), naming the office's `known` places and groups.
pub fn read(text: &str, sent: NaiveDate, known: &Known<'_>) -> EventRequest {
    let text = bounded(text);
    let normal = plain(&text);
    let words = Words::new(&normal);
    let occasion = title::occasion(&text);
    let single_sitting = occasion.as_ref().is_some_and(|(_, single)| *single);
    let days = days_long(&words);
    let named = phrase::named(&text, sent);
    let (meals, no_catering) = catering::meals(&words);
    EventRequest {
        what: occasion.and_then(|(what, _)| what),
        when: when(named, days, single_sitting || WINDOW.is_match(&normal)),
        days,
        headcount: headcount::read(&words),
        place: place(&words, &normal, known),
        meals,
        no_catering,
        diets: catering::diets(&words),
        guests: crate::mail::pattern::addresses_in(&text),
        everyone: EVERYONE.is_match(&normal),
        groups: groups(&words, known),
        language: Language::of(&text),
    }
}

/// Words that make a stretch of days one to choose in: "between the 14th and the 18th", "one
/// evening next week", "tra il 10 e il 12", "il 10 o l'11".
static WINDOW: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    crate::regexes::built_in(
        r"\b(?:between|tra|fra|sometime|some time|any day|one (?:day|evening|night|afternoon|morning)|un giorno|una sera|una mattina|un pomeriggio|either|oppure)\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:or|o)\s+(?:the\s+|il\s+|l')?\d{1,2}\b",
    )
});

/// Words that invite the whole office.
static EVERYONE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    crate::regexes::built_in(
        r"\b(?:all (?:the )?(?:staff|employees|colleagues|team)|the whole (?:team|office|staff|firm|studio)|everyone (?:in|at|from) the (?:office|studio|firm)|invite everyone|tutto lo (?:studio|staff)|tutto l'ufficio|tutto il (?:team|personale|gruppo)|tutti i (?:colleghi|dipendenti)|invitare tutti|invita tutti)\b",
    )
});

/// `named` days and hours as the event's: a stretch of days is the event's own days when it is no
/// longer than the event lasts (or, unless `choose_in`, no longer than [`LONGEST_DAYS`]), else a
/// window to choose in. A one-sitting event (a dinner) is on one day: several days are a window.
fn when(named: phrase::Named, days: Option<u32>, choose_in: bool) -> When {
    let Some((first, last)) = named.days else { return When::Unknown };
    let span = u32::try_from((last - first).num_days() + 1).unwrap_or(u32::MAX);
    let end = named.end.or_else(|| {
        let start = named.start?;
        let length = TimeDelta::from_std(named.length?).ok()?;
        let (end, wrapped) = start.overflowing_add_signed(length);
        (wrapped == 0).then_some(end)
    });
    let as_days = |last| When::Days { first, last, start: named.start, end };
    match days {
        Some(long) if span == long => as_days(last),
        // "a 2-day workshop on 12 March": from that day on.
        Some(long) if span == 1 && long <= LONGEST_DAYS => {
            as_days(first + TimeDelta::days(i64::from(long) - 1))
        }
        Some(_) => When::Window { from: first, last },
        None if span == 1 => as_days(last),
        None if !choose_in && span <= LONGEST_DAYS => as_days(last),
        None => When::Window { from: first, last },
    }
}

/// How many days the event lasts: "a 2-day workshop", "two-day", "for 3 days", "di due giorni",
/// "per tre giornate". "In 10 days" and "entro 5 giorni" are when, not how long.
fn days_long(words: &Words<'_>) -> Option<u32> {
    const DAY: [&str; 6] = ["day", "days", "giorni", "giorno", "giornate", "giornata"];
    (0..words.len()).find_map(|i| {
        let word = words.word(i);
        let (count, unit_at) = match word.split_once('-') {
            Some((count, unit)) if DAY.contains(&unit) => (count_of(count)?, None),
            _ => {
                let number = words.number(i)?;
                (number.value, Some(i + number.words))
            }
        };
        if let Some(at) = unit_at
            && !DAY.contains(&words.word(at))
        {
            return None;
        }
        let before = words.word(i.wrapping_sub(1));
        let when_not_long = matches!(before, "in" | "tra" | "fra" | "within" | "entro" | "next" | "last");
        (!when_not_long && (1..=31).contains(&count)).then_some(count)
    })
}

/// A count written in one word: "2", "two", "due".
fn count_of(word: &str) -> Option<u32> {
    word.parse().ok().or_else(|| crate::supply::extract::numbers::in_words(&[word]).map(|(n, _)| n))
}

/// The place a request wants: one of the office's by name, the office itself, or a kind of place.
fn place(words: &Words<'_>, normal: &str, known: &Known<'_>) -> Option<Place> {
    let folded: Vec<(String, &str)> = known.places.iter().map(|name| (plain(name), *name)).collect();
    for i in 0..words.len() {
        if let Some((_, name)) = folded.iter().find(|(f, _)| !f.is_empty() && words.phrase_at(i, f)) {
            return Some(Place::Known((*name).to_owned()));
        }
    }
    // "Invite everyone in the office" says who, not where.
    let at_the_office = AT_THE_OFFICE.find_iter(normal).any(|found| {
        let before = normal[..found.start()].trim_end();
        !["everyone", "everybody", "all", "tutti", "colleagues", "colleghi", "people", "staff", "persone"]
            .iter()
            .any(|who| before.ends_with(who))
    });
    if at_the_office {
        return Some(Place::Office);
    }
    PLACE_WISH.captures(normal).and_then(|c| c.get(1)).map(|m| Place::Wish(m.as_str().trim().to_owned()))
}

/// Words that put an event at the office.
static AT_THE_OFFICE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    crate::regexes::built_in(
        r"\b(?:in|at) (?:the|our) (?:office|studio|meeting room|conference room)\b|\b(?:in ufficio|in sede|in studio|da noi|nei nostri uffici|nel nostro studio|in sala riunioni)\b",
    )
});

/// A kind of place wished, with the words that follow it in its clause.
static PLACE_WISH: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    crate::regexes::built_in(
        r"\b(?:at|in|presso|da|al|alla|a|an|un|una|uno)\s+(?:(?:a|an|the|un|una|uno|il|la|lo|l')\s*)?((?:nice\s+|good\s+|bel\s+|bella\s+|buon\s+)?(?:restaurant|ristorante|trattoria|pizzeria|osteria|hotel|albergo|agriturismo|terrace|terrazza|rooftop|villa|winery|cantina|garden|giardino|venue|location|wine bar|pub)\b[^.,;:!?\n]{0,40})",
    )
});

/// The groups of the staff directory a request names: "the design team", "team design", "il gruppo
/// cantieri", "the accounts department".
fn groups(words: &Words<'_>, known: &Known<'_>) -> Vec<String> {
    const BEFORE: [&str; 6] = ["team", "gruppo", "reparto", "ufficio", "group", "squadra"];
    const AFTER: [&str; 4] = ["team", "group", "department", "dept"];
    let mut found = Vec::new();
    for name in known.groups {
        let folded = plain(name);
        let length = folded.split(' ').count();
        let named = (0..words.len()).any(|i| {
            words.phrase_at(i, &folded)
                && (BEFORE.contains(&words.word(i.wrapping_sub(1)))
                    || AFTER.contains(&words.word(i + length)))
        });
        if named && !found.iter().any(|g: &String| g == name) {
            found.push((*name).to_owned());
        }
    }
    found
}

/// The first [`MOST_LINES`] lines of `text`, each cut at [`LINE_BYTES`] on a character boundary.
fn bounded(text: &str) -> String {
    let mut read = String::new();
    for line in text.lines().take(MOST_LINES) {
        let mut end = line.len().min(LINE_BYTES);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        read.push_str(&line[..end]);
        read.push('\n');
    }
    read
}
