//! How many people an event is for: "for 30 people", "per 25 persone", "una trentina di ospiti",
//! "lunch for 12", "saremo in 40", "we'll be about 20", "35 of us", "12 clients and 8 colleagues".
//!
//! A number counts as people only beside a word for people or in a phrase that gives a party its
//! size: "for 2 days", "per le 20", "for 20:30" and "in 10 days" are no headcount. Where a request
//! names several groups, a group joined to the one before ("12 clients and 8 colleagues") adds to
//! it; otherwise the largest count is the event's ("30 people, 3 of them vegetarian").

use super::Headcount;
use super::words::{Number, Words};

/// Words for people that a count stands before.
const PEOPLE: [&str; 38] = [
    "people",
    "persons",
    "person",
    "guests",
    "guest",
    "participants",
    "attendees",
    "delegates",
    "colleagues",
    "employees",
    "clients",
    "customers",
    "partners",
    "adults",
    "children",
    "kids",
    "covers",
    "seats",
    "pax",
    "staff",
    "persone",
    "ospiti",
    "invitati",
    "partecipanti",
    "colleghi",
    "colleghe",
    "dipendenti",
    "clienti",
    "collaboratori",
    "adulti",
    "bambini",
    "coperti",
    "posti",
    "iscritti",
    "relatori",
    "speakers",
    "ragazzi",
    "individui",
];

/// Words after a count that make it something other than people: time, money, amounts.
const NOT_PEOPLE: [&str; 34] = [
    "am",
    "pm",
    "h",
    "hours",
    "hour",
    "minutes",
    "mins",
    "min",
    "days",
    "day",
    "nights",
    "night",
    "weeks",
    "week",
    "months",
    "month",
    "years",
    "ore",
    "ora",
    "minuti",
    "giorni",
    "giorno",
    "giornate",
    "notti",
    "settimane",
    "mesi",
    "anni",
    "euro",
    "eur",
    "dollars",
    "percent",
    "o",
    "of",
    "di",
];

/// The headcount `words` ask for.
pub(super) fn read(words: &Words<'_>) -> Option<Headcount> {
    let mut best: Option<Headcount> = None;
    let mut last_group: Option<(usize, Headcount)> = None;
    for i in 0..words.len() {
        let Some((count, end)) =
            counted_group(words, i).or_else(|| of_us(words, i)).or_else(|| party_of(words, i))
        else {
            continue;
        };
        // "12 clients and 8 colleagues": one party of two groups.
        let count = match last_group {
            Some((after, before)) if joins(words, after, i) => Headcount {
                people: before.people.saturating_add(count.people),
                approximate: before.approximate || count.approximate,
            },
            _ => count,
        };
        last_group = Some((end, count));
        if best.is_none_or(|b| count.people > b.people) {
            best = Some(count);
        }
    }
    best
}

/// A count followed by a word for people at `i` ("30 people", "una trentina di ospiti", "25
/// persone circa", "30 hungry guests"), and the word after it.
fn counted_group(words: &Words<'_>, i: usize) -> Option<(Headcount, usize)> {
    let number = words.number(i)?;
    let mut at = i + number.words;
    if matches!(words.word(at), "di" | "of") && number.approximate {
        at += 1;
    }
    // One word may stand between, in the same clause: "30 hungry guests", "25 nostri clienti".
    let noun = if PEOPLE.contains(&words.word(at)) {
        at
    } else if PEOPLE.contains(&words.word(at + 1)) && words.one_clause(i, at + 1) && !is_count(words, at) {
        at + 1
    } else {
        return None;
    };
    let approximate = number.approximate || is_about(words, i) || words.word(noun + 1) == "circa";
    Some((headcount(number, approximate)?, noun + 1))
}

/// A count of the writer's own party: "35 of us", "in 12 di noi".
fn of_us(words: &Words<'_>, i: usize) -> Option<(Headcount, usize)> {
    let number = words.number(i)?;
    let at = i + number.words;
    let us = matches!((words.word(at), words.word(at + 1)), ("of", "us") | ("di", "noi"));
    let approximate = number.approximate || is_about(words, i);
    us.then(|| headcount(number, approximate)).flatten().map(|count| (count, at + 2))
}

/// A party's size said without a word for people: "lunch for 30", "cena per 25", "a table for
/// 8", "saremo in 40", "siamo una ventina", "we'll be about 20", "party of 12".
fn party_of(words: &Words<'_>, i: usize) -> Option<(Headcount, usize)> {
    let lead = words.word(i);
    let mut at = i + 1;
    let fits = match lead {
        "for" | "per" => true,
        "saremo" | "siamo" | "saranno" | "sarete" => {
            if words.word(at) == "in" {
                at += 1;
            }
            true
        }
        "be" | "are" => matches!(words.word(i.wrapping_sub(1)), "we" | "ll" | "will" | "there" | "shall"),
        "of" => matches!(words.word(i.wrapping_sub(1)), "party" | "group"),
        _ => false,
    };
    if !fits {
        return None;
    }
    let about = matches!(words.word(at), "about" | "around" | "roughly" | "approximately" | "circa" | "some");
    if about {
        at += 1;
    }
    // "for the 30 of us" reads as well as "for 30".
    if matches!(words.word(at), "una" | "un" | "a") && words.number(at + 1).is_some_and(|n| n.approximate) {
        at += 1;
    }
    let number = words.number(at)?;
    let after = at + number.words;
    let next = words.word(after);
    if NOT_PEOPLE.contains(&next) || words.gap_after(after - 1).starts_with(['%', '€', '$', ':', '/']) {
        return None;
    }
    // A year ("for 2027") is no party.
    if !number.approximate && (1900..2200).contains(&number.value) {
        return None;
    }
    // "for 30 people" is read by `counted_group`, with the word it names.
    if PEOPLE.contains(&next) {
        return None;
    }
    Some((headcount(number, about || number.approximate)?, after))
}

/// Whether the words between `after` (the end of one group) and `next` (the start of another) join
/// them into one party: "and", "e", "plus", "+", "più", "as well as".
fn joins(words: &Words<'_>, after: usize, next: usize) -> bool {
    match next.checked_sub(after) {
        Some(1) => matches!(words.word(after), "and" | "e" | "plus" | "piu" | "ed"),
        Some(0) => words.gap_after(after.saturating_sub(1)).contains('+'),
        _ => false,
    }
}

/// Whether the word before `i` makes its count a round figure.
fn is_about(words: &Words<'_>, i: usize) -> bool {
    let before = words.word(i.wrapping_sub(1));
    matches!(before, "about" | "around" | "roughly" | "approximately" | "circa" | "some" | "una" | "un")
}

fn is_count(words: &Words<'_>, i: usize) -> bool {
    words.number(i).is_some()
}

/// A headcount of at least two people: one person is a meeting, not an event.
fn headcount(number: Number, approximate: bool) -> Option<Headcount> {
    (number.value >= 2).then_some(Headcount { people: number.value, approximate })
}
