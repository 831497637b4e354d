//! What a vendor's answer to a purchase order says: a confirmation, a shipping notice, or bad news
//! (out of stock, back ordered, only part of it), with the date it gives and the sentences that say
//! it. Read from the new text of the answer (the quoted order below it must not count), in English
//! and Italian, after folding case and accents. Which lines of the order the news is about is the
//! desk's to settle (it knows the order); this module reads only the words.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::extract::numbers;
use super::words::date_in;
use crate::calendar::phrase::{month_in_full, weekday};
use crate::text::fold;

/// What a vendor's answer says, the gravest news first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VendorSays {
    /// Only part will come (now): some lines, or fewer of a line; the date written, if any.
    Partial(Option<NaiveDate>),
    /// It cannot supply (something) now: back in stock by the date written, if any.
    OutOfStock(Option<NaiveDate>),
    /// It is on its way, perhaps by a date.
    Shipped(Option<NaiveDate>),
    /// The order is confirmed, perhaps with a delivery date.
    Confirmed(Option<NaiveDate>),
    /// Nothing clerk understands.
    Unclear,
}

/// A vendor's answer as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorAnswer {
    pub says: VendorSays,
    /// Each "only 3 of the 10" read in the answer.
    pub shorts: Vec<Short>,
    /// The sentences (folded) that say something cannot be supplied, for the desk to find which
    /// lines they name.
    pub unavailable: Vec<String>,
    /// What the vendor said, for a person: the sentences that carry the news (or, when clerk
    /// understood nothing, the first ones that are not a greeting), as written, at most 300
    /// characters. Empty when the answer has no text.
    pub gist: String,
}

/// "only 3 of the 10", "solo 3 dei 10", "we can only ship 4": how many will come, and of how many
/// when the vendor says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Short {
    pub coming: i64,
    pub of: Option<i64>,
    /// The sentence it was read in, folded, for the desk to find which line it names.
    pub sentence: String,
}

/// Phrases that say something cannot be supplied now.
const UNAVAILABLE: &[&str] = &[
    "out of stock",
    "not in stock",
    "no stock",
    "sold out",
    "not available",
    "unavailable",
    "no longer available",
    "available again",
    "back in stock",
    "discontinued",
    "backorder",
    "backordered",
    "back order",
    "back ordered",
    "on backorder",
    "esaurito",
    "esaurita",
    "esauriti",
    "esaurite",
    "non disponibile",
    "non disponibili",
    "non e disponibile",
    "non sono disponibili",
    "non abbiamo disponibilita",
    "nuovamente disponibile",
    "di nuovo disponibile",
    "torna disponibile",
    "tornera disponibile",
    "in riassortimento",
    "fuori produzione",
    "non piu disponibile",
    "non piu disponibili",
];

/// Phrases that say only part will come. "The rest" is not one: "the rest of your order has shipped"
/// is good news.
const PARTIAL: &[&str] = &[
    "partial",
    "partially",
    "partly",
    "only part",
    "part of the order",
    "part of your order",
    "not all",
    "parziale",
    "parzialmente",
    "in parte",
    "solo parte",
    "parte dell ordine",
    "non tutto",
    "non tutti",
    "non tutte",
];

/// Words before a number that make it all that will come: "only 3", "solo 3". Not "just", which
/// as often means "recently" ("we have just shipped the 10 reams").
const ONLY: &[&str] = &["only", "solo", "soltanto", "solamente", "unicamente"];

/// Words before a number that make it a reference, not a quantity: "order 4512", "po 2026".
const CODES: &[&str] =
    &["po", "order", "ordine", "n", "no", "nr", "num", "req", "ref", "rif", "invoice", "fattura"];

/// Words after a number that make it no quantity of goods: "only 2 days", "solo 3 giorni".
const NOT_GOODS: &[&str] = &[
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "hour",
    "hours",
    "minutes",
    "working",
    "business",
    "giorno",
    "giorni",
    "settimana",
    "settimane",
    "mese",
    "mesi",
    "ora",
    "ore",
    "minuti",
    "lavorativi",
    "eur",
    "euro",
    "euros",
    "percent",
];

const SHIPPED: &[&str] = &[
    "shipped",
    "dispatched",
    "on its way",
    "on the way",
    "spedito",
    "spedita",
    "spediti",
    "spedizione",
    "in consegna",
    "partito",
    "partita",
];

const CONFIRMED: &[&str] = &[
    "confirm",
    "confirmed",
    "confirming",
    "confirmation",
    "we will deliver",
    "will be delivered",
    "delivery date",
    "noted",
    "acknowledge",
    "acknowledged",
    "conferma",
    "confermato",
    "confermiamo",
    "confermata",
    "consegna prevista",
    "data di consegna",
    "consegneremo",
    "ricevuto il vostro ordine",
    "received your order",
    "thank you for your order",
    "grazie per il vostro ordine",
    "grazie per l ordine",
];

/// Reads a vendor's answer, written on `today` (dates without a year are the next ones). The gravest
/// news wins: "confirmed, but the toner is out of stock" is out of stock, and "only 3 of the 10,
/// the rest is out of stock" is partial.
pub fn read(new_text: &str, today: NaiveDate) -> VendorAnswer {
    let text = fold(new_text);
    let has = |folded: &str, phrases: &[&str]| phrases.iter().any(|p| folded.contains(&format!(" {p} ")));
    let sentences = sentences(new_text);
    let folded: Vec<String> = sentences.iter().map(|s| fold(s)).collect();
    let shorts: Vec<Short> = folded.iter().flat_map(|s| shorts_in(s)).collect();
    // "The toner is out of stock, but the paper ships Monday": the news is the clause that says it,
    // so that the desk finds the toner's line in it and not the paper's.
    let unavailable: Vec<String> =
        folded.iter().flat_map(|s| clauses(s)).filter(|clause| has(clause, UNAVAILABLE)).collect();
    let partial = !shorts.is_empty() || has(&text, PARTIAL);
    let news = |s: &String| {
        has(s, UNAVAILABLE) || has(s, PARTIAL) || shorts.iter().any(|short| short.sentence == *s)
    };
    let told: Vec<usize> = (0..sentences.len()).filter(|&i| news(&folded[i])).collect();
    let date = |sentence: &str| date_in(sentence, today).or_else(|| relative_date(&fold(sentence), today));
    // A day said in words is the news's only in the clause that gives the news: in "the blue pens are
    // out of stock, the rest ships tomorrow" tomorrow is the rest's day, not the pens'.
    let news_clause =
        |clause: &String| has(clause, UNAVAILABLE) || has(clause, PARTIAL) || !shorts_in(clause).is_empty();
    let news_date = told.iter().find_map(|&i| {
        date_in(&sentences[i], today).or_else(|| {
            clauses(&folded[i]).iter().filter(|c| news_clause(c)).find_map(|c| relative_date(c, today))
        })
    });
    let says = if partial {
        VendorSays::Partial(news_date)
    } else if !unavailable.is_empty() {
        VendorSays::OutOfStock(news_date)
    } else if has(&text, SHIPPED) {
        VendorSays::Shipped(date(new_text))
    } else if has(&text, CONFIRMED) {
        VendorSays::Confirmed(date(new_text))
    } else {
        VendorSays::Unclear
    };
    let gist: Vec<&str> = if told.is_empty() {
        sentences.iter().take(2).map(String::as_str).collect()
    } else {
        told.iter().map(|&i| sentences[i].as_str()).collect()
    };
    VendorAnswer { says, shorts, unavailable, gist: shortened(&gist.join(" "), 300) }
}

/// The day a folded sentence names relative to `today`, written on `today`: "tomorrow", "domani",
/// "in 10 days", "tra due settimane", "entro 5 giorni lavorativi", "next week" (its Monday, the
/// earliest it can mean), "next month" (its first day), "by the end of the month", "entro fine
/// mese", "next Monday", "lunedì prossimo", "on Friday". None when the sentence names no such day,
/// or names two different ones: a date is never guessed.
fn relative_date(sentence: &str, today: NaiveDate) -> Option<NaiveDate> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let mut found: Option<NaiveDate> = None;
    for i in 0..words.len() {
        let Some(day) = relative_at(&words, i, today) else {
            continue;
        };
        match found {
            Some(other) if other != day => return None,
            _ => found = Some(day),
        }
    }
    found
}

/// The relative day a phrase starting at `words[at]` names.
fn relative_at(words: &[&str], at: usize, today: NaiveDate) -> Option<NaiveDate> {
    let word = |k: usize| words.get(at + k).copied();
    let monday_next_week = || {
        let to_monday = 7 - u64::from(today.weekday().num_days_from_monday());
        today.checked_add_days(Days::new(to_monday))
    };
    let next_month = || today.with_day(1)?.checked_add_months(Months::new(1));
    match (word(0)?, word(1), word(2)) {
        ("tomorrow" | "domani", ..) => return today.succ_opt(),
        ("dopodomani", ..) => return today.checked_add_days(Days::new(2)),
        ("next" | "prossima", Some("week" | "settimana"), _) => return monday_next_week(),
        ("settimana", Some("prossima"), _) => return monday_next_week(),
        ("next" | "prossimo", Some("month" | "mese"), _) | ("mese", Some("prossimo"), _) => {
            return next_month();
        }
        ("end", Some("of"), Some("the")) if word(3) == Some("month") => return next_month()?.pred_opt(),
        ("end", Some("of"), Some("month")) | ("fine", Some("mese"), _) => return next_month()?.pred_opt(),
        // "entro venerdì" is read below, as a weekday.
        ("in" | "within" | "tra" | "fra" | "entro", ..) => {
            if let Some(day) = in_so_many(&words[at + 1..], today) {
                return Some(day);
            }
        }
        _ => {}
    }
    // "next Monday", "prossimo lunedì", "lunedì prossimo", "on Monday", "by Friday", "entro venerdì":
    // the first such day after today.
    let named = match (word(0)?, word(1)) {
        ("next" | "on" | "by" | "prossimo" | "prossima" | "entro", Some(day)) => weekday(day),
        (day, Some("prossimo" | "prossima")) => weekday(day),
        _ => None,
    }?;
    next_weekday(today, named)
}

/// "10 days", "due settimane", "5 working days", "5 giorni lavorativi", "2 months" after "in",
/// "tra", "entro": that many days (working days skip Saturday and Sunday), weeks or months on.
fn in_so_many(words: &[&str], today: NaiveDate) -> Option<NaiveDate> {
    let (n, used) = number_at(words, 0)?;
    let n = u32::try_from(n).ok().filter(|n| *n > 0)?;
    let unit = words.get(used).copied()?;
    let working =
        matches!(unit, "working" | "business") || words.get(used + 1).is_some_and(|w| *w == "lavorativi");
    let unit = if matches!(unit, "working" | "business") { words.get(used + 1).copied()? } else { unit };
    match unit {
        "day" | "days" | "giorno" | "giorni" if working => {
            let mut day = today;
            let mut left = n;
            while left > 0 {
                day = day.succ_opt()?;
                if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                    left -= 1;
                }
            }
            Some(day)
        }
        "day" | "days" | "giorno" | "giorni" => today.checked_add_days(Days::new(u64::from(n))),
        "week" | "weeks" | "settimana" | "settimane" => today.checked_add_days(Days::new(7 * u64::from(n))),
        "month" | "months" | "mese" | "mesi" => today.checked_add_months(Months::new(n)),
        _ => None,
    }
}

/// The first `day` after `today`.
fn next_weekday(today: NaiveDate, day: Weekday) -> Option<NaiveDate> {
    let ahead = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    today.checked_add_days(Days::new(u64::from(if ahead == 0 { 7 } else { ahead })))
}

/// The sentences of `text`, a paragraph's lines joined, without greetings ("Hello,", "Buongiorno")
/// and closings ("Best regards", "Cordiali saluti") on lines of their own.
fn sentences(text: &str) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            paragraphs.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            continue;
        }
        if is_courtesy(line) {
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    paragraphs.extend((!current.is_empty()).then_some(current));
    let mut out = Vec::new();
    for paragraph in &paragraphs {
        let mut start = 0;
        let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
        for (k, &(at, c)) in chars.iter().enumerate() {
            let ends = matches!(c, '.' | '!' | '?' | ';')
                && chars.get(k + 1).is_none_or(|&(_, next)| next.is_whitespace());
            if ends {
                let end = at + c.len_utf8();
                out.push(paragraph[start..end].trim().to_owned());
                start = end;
            }
        }
        out.push(paragraph[start..].trim().to_owned());
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The clauses of a folded sentence, cut where it turns ("but", "however", "the rest", "ma", "però",
/// "mentre", "il resto"), each folded as the sentence is (a space at each end).
fn clauses(sentence: &str) -> Vec<String> {
    const TURNS: &[&str] = &[
        " but ",
        " however ",
        " whereas ",
        " while ",
        " the rest ",
        " ma ",
        " pero ",
        " mentre ",
        " invece ",
        " il resto ",
    ];
    let mut parts = vec![sentence.to_owned()];
    for turn in TURNS {
        parts = parts.iter().flat_map(|p| p.split(turn).map(|c| format!(" {} ", c.trim()))).collect();
    }
    parts
}

/// Whether `line` is only a greeting or a closing: a few words that begin with one.
fn is_courtesy(line: &str) -> bool {
    const OPENING: &[&str] = &[
        "hello",
        "hi",
        "dear",
        "good morning",
        "good afternoon",
        "good evening",
        "buongiorno",
        "buonasera",
        "salve",
        "ciao",
        "gentile",
        "gentili",
        "gentilissimo",
        "gentilissima",
        "gentilissimi",
        "egregio",
        "spett",
        "spettabile",
        "best regards",
        "kind regards",
        "regards",
        "best",
        "thanks",
        "thank you",
        "many thanks",
        "sincerely",
        "cheers",
        "cordiali saluti",
        "distinti saluti",
        "saluti",
        "grazie",
        "a presto",
    ];
    let folded = fold(line);
    // "Buongiorno, toner esaurito." greets and gives the news in one line: that is no courtesy.
    let has = |phrases: &[&str]| phrases.iter().any(|p| folded.contains(&format!(" {p} ")));
    let news = [UNAVAILABLE, PARTIAL, SHIPPED, CONFIRMED].into_iter().any(has)
        || folded.bytes().any(|b| b.is_ascii_digit());
    !news
        && folded.split_whitespace().count() <= 5
        && OPENING.iter().any(|o| folded.starts_with(&format!(" {o} ")))
}

/// The "only 3 of the 10" in one folded sentence: a number of a number ("3 of the 10", "3 out of
/// 10", "3 dei 10", "3 pezzi su 10"), or a number after "only" ("we can only ship 4", "solo 3").
/// A number of a larger number is taken with "the" or an Italian article, or with "only" in the
/// sentence ("5 reams of 80 g paper" is no partial news).
fn shorts_in(sentence: &str) -> Vec<Short> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let only_said = words.iter().any(|w| ONLY.contains(w));
    let mut shorts = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some((coming, used)) = number_at(&words, i) else {
            i += 1;
            continue;
        };
        let after = i + used;
        if let Some((of, next)) = of_number(&words, after, only_said)
            && of > coming
        {
            shorts.push(Short { coming, of: Some(of), sentence: sentence.to_owned() });
            i = next;
            continue;
        }
        let after_only = words[i.saturating_sub(4)..i].iter().any(|w| ONLY.contains(w));
        // A number next to another number is part of a date or a code ("08 01 2027", "po 2026
        // 0042" once folded), not a quantity.
        let is_number = |w: &&str| w.bytes().all(|b| b.is_ascii_digit());
        let in_a_code = words.get(after).is_some_and(is_number)
            || i.checked_sub(1).and_then(|k| words.get(k)).is_some_and(|w| is_number(w) || CODES.contains(w));
        let goods = !in_a_code
            && words.get(after).is_none_or(|w| !NOT_GOODS.contains(w) && month_in_full(w).is_none());
        if after_only && goods && coming > 0 {
            shorts.push(Short { coming, of: None, sentence: sentence.to_owned() });
        }
        i = after;
    }
    shorts
}

/// "of the 10" after a number, from `at` (up to two words, a unit, first): the larger number and
/// where reading goes on.
fn of_number(words: &[&str], at: usize, only_said: bool) -> Option<(i64, usize)> {
    for skip in 0..=2 {
        let mut k = at + skip;
        let with_article = match (words.get(k).copied(), words.get(k + 1).copied()) {
            (Some("out"), Some("of")) => {
                k += 2;
                true
            }
            (Some("dei" | "degli" | "delle" | "su" | "sui" | "sugli" | "sulle"), _) => {
                k += 1;
                true
            }
            (Some("of"), Some("the" | "your")) => {
                k += 2;
                true
            }
            (Some("of"), _) => {
                k += 1;
                false
            }
            _ => continue,
        };
        if !with_article && !only_said {
            return None;
        }
        if matches!(words.get(k).copied(), Some("the" | "your" | "i" | "gli" | "le" | "vostri" | "vostre")) {
            k += 1;
        }
        return number_at(words, k).map(|(n, used)| (n, k + used));
    }
    None
}

/// A quantity at `words[at]`, in digits or in words ("3", "tre", "ten"): its value and how many
/// words it took.
fn number_at(words: &[&str], at: usize) -> Option<(i64, usize)> {
    let word = *words.get(at)?;
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok().map(|n| (n, 1));
    }
    numbers::in_words(&words[at..]).map(|(n, used)| (i64::from(n), used))
}

/// `text` cut to at most `most` characters, at a word, with "…" when cut.
fn shortened(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_owned();
    }
    let cut: String = text.chars().take(most).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |at| &cut[..at]);
    format!("{}…", at_word.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        day(2026, 12, 7)
    }

    #[test]
    fn a_confirmation_gives_its_delivery_date() {
        assert_eq!(
            read("We confirm your order; delivery on 10/12/2026.", today()).says,
            VendorSays::Confirmed(Some(day(2026, 12, 10)))
        );
        assert_eq!(
            read("Confermiamo l'ordine, consegna prevista il 15 dicembre.", today()).says,
            VendorSays::Confirmed(Some(day(2026, 12, 15)))
        );
        assert_eq!(read("Your order has been shipped today.", today()).says, VendorSays::Shipped(None));
    }

    #[test]
    fn out_of_stock_gives_the_date_it_is_back_not_the_confirmations() {
        let answer = read(
            "Hello,\n\nwe confirm delivery on 10/12/2026 for the paper. The HP 26A toner is out of stock until 15 January.\n\nBest regards\nLuca",
            today(),
        );
        assert_eq!(answer.says, VendorSays::OutOfStock(Some(day(2027, 1, 15))));
        assert_eq!(answer.gist, "The HP 26A toner is out of stock until 15 January.");
        assert_eq!(answer.unavailable.len(), 1);
    }

    #[test]
    fn out_of_stock_is_read_in_italian_in_every_gender() {
        let answer =
            read("Buongiorno,\nla carta A4 è esaurita fino al 20 gennaio.\nCordiali saluti", today());
        assert_eq!(answer.says, VendorSays::OutOfStock(Some(day(2027, 1, 20))));
        assert_eq!(answer.gist, "la carta A4 è esaurita fino al 20 gennaio.");
        assert_eq!(
            read("Articolo momentaneamente non disponibile.", today()).says,
            VendorSays::OutOfStock(None)
        );
    }

    #[test]
    fn only_part_of_a_line_is_read_with_its_numbers() {
        let answer = read("Buongiorno,\npossiamo consegnare solo 3 dei 10 pezzi richiesti.", today());
        assert_eq!(answer.says, VendorSays::Partial(None));
        assert_eq!((answer.shorts[0].coming, answer.shorts[0].of), (3, Some(10)));
        let answer = read("We can only ship 4 reams this week, the rest by 2027-01-08.", today());
        assert_eq!(answer.says, VendorSays::Partial(Some(day(2027, 1, 8))));
        assert_eq!((answer.shorts[0].coming, answer.shorts[0].of), (4, None));
        let answer = read("Abbiamo soltanto tre cartucce su dieci.", today());
        assert_eq!((answer.shorts[0].coming, answer.shorts[0].of), (3, Some(10)));
    }

    #[test]
    fn numbers_that_are_no_partial_news_are_not_read_as_such() {
        assert!(read("We confirm 5 reams of 80 g paper.", today()).shorts.is_empty());
        assert_eq!(
            read("Confirmed: delivery in only 2 days.", today()).says,
            VendorSays::Confirmed(None),
            "a lead time is no quantity"
        );
        assert!(read("Only from 15 January, sorry: out of stock.", today()).shorts.is_empty());
    }

    #[test]
    fn just_shipped_is_a_shipping_notice_not_a_short_delivery() {
        let answer = read("We've just dispatched the 10 reams you ordered.", today());
        assert!(answer.shorts.is_empty(), "{answer:?}");
        assert!(matches!(answer.says, VendorSays::Shipped(_)), "{answer:?}");
    }

    #[test]
    fn a_date_or_an_order_number_after_only_is_no_quantity() {
        assert!(read("We can only deliver after 08/01/2027.", today()).shorts.is_empty());
        assert!(read("We can only confirm PO-2026-0042 today.", today()).shorts.is_empty());
    }

    #[test]
    fn out_of_stock_news_is_the_clause_that_says_it() {
        let answer = read("The toner is out of stock, but the paper ships Monday.", today());
        assert_eq!(answer.unavailable.len(), 1, "{answer:?}");
        assert!(answer.unavailable[0].contains("toner") && !answer.unavailable[0].contains("paper"));
    }

    #[test]
    fn news_on_the_greetings_line_is_read() {
        let answer = read("Buongiorno, toner esaurito.\nConfermiamo la carta.", today());
        assert!(matches!(answer.says, VendorSays::OutOfStock(_)), "{answer:?}");
    }

    #[test]
    fn the_gist_of_an_unclear_answer_is_its_first_words_after_the_greeting() {
        let answer = read("Hello,\n\nplease call us about this order. We have a question.\nThanks", today());
        assert_eq!(answer.says, VendorSays::Unclear);
        assert_eq!(answer.gist, "please call us about this order. We have a question.");
    }

    #[test]
    fn a_delay_in_days_or_weeks_is_counted_from_today() {
        // Monday 7 December 2026.
        assert_eq!(
            read("Sorry, that toner is out of stock, we can deliver in 10 days.", today()).says,
            VendorSays::OutOfStock(Some(day(2026, 12, 17)))
        );
        assert_eq!(
            read("Il toner è esaurito, disponibile tra due settimane.", today()).says,
            VendorSays::OutOfStock(Some(day(2026, 12, 21)))
        );
        assert_eq!(
            read("We confirm your order, delivery within 5 working days.", today()).says,
            VendorSays::Confirmed(Some(day(2026, 12, 14)))
        );
        assert_eq!(
            read("Confermiamo l'ordine, consegna entro 3 giorni lavorativi.", today()).says,
            VendorSays::Confirmed(Some(day(2026, 12, 10)))
        );
    }

    #[test]
    fn next_week_and_next_month_are_their_first_day() {
        assert_eq!(
            read("The paper is back in stock next week.", today()).says,
            VendorSays::OutOfStock(Some(day(2026, 12, 14)))
        );
        assert_eq!(
            read("La carta sarà di nuovo disponibile la settimana prossima.", today()).says,
            VendorSays::OutOfStock(Some(day(2026, 12, 14)))
        );
        assert_eq!(
            read("Toner sold out, available again next month.", today()).says,
            VendorSays::OutOfStock(Some(day(2027, 1, 1)))
        );
    }

    #[test]
    fn the_end_of_the_month_is_its_last_day() {
        assert_eq!(
            read("Le cartucce sono esaurite, le avremo entro fine mese.", today()).says,
            VendorSays::OutOfStock(Some(day(2026, 12, 31)))
        );
        assert_eq!(
            read("We confirm delivery by the end of the month.", today()).says,
            VendorSays::Confirmed(Some(day(2026, 12, 31)))
        );
    }

    #[test]
    fn a_named_weekday_is_the_next_one() {
        assert_eq!(
            read("The pens are out of stock until next Monday.", today()).says,
            VendorSays::OutOfStock(Some(day(2026, 12, 14)))
        );
        assert_eq!(
            read("Le penne sono esaurite fino a lunedì prossimo.", today()).says,
            VendorSays::OutOfStock(Some(day(2026, 12, 14)))
        );
        assert_eq!(
            read("Your order has been shipped and will arrive on Friday.", today()).says,
            VendorSays::Shipped(Some(day(2026, 12, 11)))
        );
        assert_eq!(
            read("Ordine spedito, arriva domani.", today()).says,
            VendorSays::Shipped(Some(day(2026, 12, 8)))
        );
    }

    #[test]
    fn the_day_the_rest_ships_is_not_the_day_the_missing_part_comes() {
        let answer = read("The blue pens are out of stock, the rest ships tomorrow.", today());
        assert_eq!(answer.says, VendorSays::OutOfStock(None));
        assert_eq!(answer.unavailable, [" the blue pens are out of stock "]);
        let answer = read("Le penne blu sono esaurite, il resto parte domani.", today());
        assert_eq!(answer.says, VendorSays::OutOfStock(None));
        assert_eq!(answer.unavailable, [" le penne blu sono esaurite "]);
    }

    #[test]
    fn an_unclear_or_contradictory_time_stays_unknown() {
        assert_eq!(
            read("The toner is out of stock for a while.", today()).says,
            VendorSays::OutOfStock(None)
        );
        assert_eq!(
            read("Toner esaurito, tra qualche settimana.", today()).says,
            VendorSays::OutOfStock(None)
        );
        assert_eq!(
            read("Out of stock: maybe tomorrow, maybe next week.", today()).says,
            VendorSays::OutOfStock(None)
        );
    }

    #[test]
    fn a_long_gist_is_cut_at_a_word() {
        let long = format!("The paper is out of stock {}.", "because of a strike ".repeat(30));
        let gist = read(&long, today()).gist;
        assert!(gist.chars().count() <= 301 && gist.ends_with('…'), "{gist}");
    }
}
