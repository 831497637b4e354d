//! Order lines in a colleague's message: "3 boxes of A4 paper", "A4 paper x3", "2x HP 26A toner",
//! "- 5 pens", "due risme di carta A4", "PAP-A4: 4", a row of a table, a CSV attachment.
//!
//! Reading is in two steps. This module finds what is asked for and how much, without the catalog;
//! `matching` then says which item each line names, and how sure it is. A line with a quantity is
//! always an order line: when the catalog has nothing like it, the desk asks. A line without one
//! ("toner for the printer, please") or with only an article ("a box of staples") is an order line
//! only when it names an item clearly, so prose around the order is never asked about.
//!
//! The text read is the message's new text (the quoted history and signature split off by the
//! caller), so an order quoted in a reply is not read again.

pub(crate) mod numbers;
mod table;
#[cfg(test)]
mod tests;

use super::units::unit_named;
use crate::text::plain;

pub use table::from_csv;

/// One line of an order, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requested {
    /// The words it was read from, as written: echoed back in the confirmation and in questions.
    pub written: String,
    pub quantity: Quantity,
    /// The unit as written and folded ("boxes", "risme"), when one was given.
    pub unit: Option<String>,
    /// What is asked for, as written, without the quantity and unit.
    pub description: String,
    /// Half of one unit: "mezza scatola", "half a box" (taken when the unit halves into whole items).
    pub halved: bool,
}

/// How much a line asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// A number, in digits or words.
    Given(u32),
    /// Only an article: "a box of staples", "una risma". One, but not proof of an order line.
    Article,
    /// None at all.
    Missing,
}

impl Quantity {
    /// How many: one unless a number was given.
    pub fn value(self) -> u32 {
        match self {
            Quantity::Given(n) => n,
            Quantity::Article | Quantity::Missing => 1,
        }
    }
}

/// The largest quantity read: larger numbers are years, phone numbers, postcodes.
const MAX_QUANTITY: u32 = 9999;

/// How many lines of a message (or rows of a CSV) are read for an order: an order is a few dozen
/// lines, and what a sender writes beyond this is left to a person rather than costing time.
pub const MAX_LINES: usize = 1_000;

/// How many words and marks of a line are read: an order line is a handful of words, and a longer
/// line is prose whose tail names no item.
pub const MAX_WORDS: usize = 200;

/// The order lines in `text`, from its first [`MAX_LINES`] lines that are not blank. A line the
/// sender's mail program wrapped ("servono 2 confezioni di⏎acqua naturale") is read joined to the
/// next; a line that is only a quantity ("1 conf.", "24": a table pasted one cell a line) belongs
/// to the item on the line before it.
pub fn lines(text: &str) -> Vec<Requested> {
    let rows: Vec<&str> =
        text.lines().map(str::trim).filter(|line| !line.is_empty()).take(MAX_LINES).collect();
    let rows = unwrapped(&rows);
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let numbered = numbered_list(&rows);
    let mut found = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let row = strip_marker(row, numbered[index]);
        if let Some(cells) = table::cells(row) {
            found.extend(table::row(&cells));
            continue;
        }
        read_line(row, &mut found);
    }
    found
}

/// The shortest line a mail program wraps: a list's lines are shorter.
const WRAPPED_LINE: usize = 30;

/// `rows` with each line that the sender's mail program wrapped joined to the next: a long one that
/// ends in the middle of a phrase, on a word that cannot end one ("di", "of", "and", "two").
fn unwrapped(rows: &[&str]) -> Vec<String> {
    const OPEN: [&str; 22] = [
        "di", "da", "del", "della", "dei", "delle", "e", "ed", "per", "con", "a", "of", "and", "for", "with",
        "the", "an", "some", "il", "la", "le", "i",
    ];
    let mut joined: Vec<String> = Vec::new();
    let mut open = false;
    for row in rows {
        match joined.last_mut() {
            Some(last) if open => {
                last.push(' ');
                last.push_str(row);
            }
            _ => joined.push((*row).to_owned()),
        }
        let last_word = row.rsplit(|c: char| c.is_whitespace()).next().map(plain).unwrap_or_default();
        // A list's lines are short and each whole; a wrapped line is long.
        open = row.len() >= WRAPPED_LINE
            && (OPEN.contains(&last_word.as_str())
                || numbers::in_words(&[last_word.as_str()]).is_some_and(|(_, used)| used == 1));
    }
    joined
}

/// The order lines in one line of prose or a list: one per part ("3 pens and 2 pads").
pub(crate) fn in_line(line: &str) -> Vec<Requested> {
    let mut found = Vec::new();
    read_line(line, &mut found);
    found
}

/// Reads the order lines of `line` onto those `found` before it: a part that is only a quantity
/// completes the last of them when that one had none.
fn read_line(line: &str, found: &mut Vec<Requested>) {
    let tokens = tokenize(line);
    for part in parts(&tokens) {
        match read_part(line, part) {
            // "A4 paper, 3": a part that is only a quantity belongs to the words before it; so does
            // one that names its item only as "ne" ("sono finite le cialde, ne ordini 2 scatole").
            Some(mut read) if read.description.is_empty() || refers_back(&read.description) => {
                if let Some(previous) = found.last_mut().filter(|p| p.quantity == Quantity::Missing) {
                    // "sono finite le cialde, ne ordini 2", "we're out of staples, 3 boxes please": the
                    // quantity is of the last thing named; "penne nere per il secondo piano, mezza
                    // scatola" of all that was named.
                    if refers_back(&read.description) || says_gone(&previous.description) {
                        previous.description = last_named(&previous.description);
                    }
                    previous.quantity = read.quantity;
                    previous.halved = read.halved;
                    previous.unit = read.unit.or(previous.unit.take());
                    previous.written = format!("{}, {}", previous.written, read.written);
                } else if let Some(unit) = &read.unit {
                    // "2 blocchi", "3 rolls": the unit is all there is to go by.
                    read.description = unit_as_written(&read.written, unit);
                    found.push(read);
                }
            }
            Some(read) => found.push(read),
            None => {}
        }
    }
}

/// Whether `description` names its item only by "ne" (Italian's "of it") and a verb of ordering:
/// "ne ordini", "ne prendiamo", "ne servono".
fn refers_back(description: &str) -> bool {
    const VERBS: [&str; 18] = [
        "ordini",
        "ordina",
        "ordinate",
        "ordiniamo",
        "prendi",
        "prendiamo",
        "prendete",
        "compri",
        "compra",
        "compriamo",
        "servono",
        "serve",
        "mi",
        "ci",
        "altre",
        "altri",
        "ancora",
        "servirebbero",
    ];
    let words: Vec<String> = description.split_whitespace().map(plain).collect();
    words.first().is_some_and(|w| w == "ne") && words[1..].iter().all(|w| VERBS.contains(&w.as_str()))
}

/// Whether `description` says something ran out or broke: "we're out of staples", "sono finite le
/// cialde", "la cucitrice è rotta".
fn says_gone(description: &str) -> bool {
    description.split_whitespace().map(plain).any(|w| GONE.contains(&w.as_str()))
}

/// Words that say something ran out.
const GONE: [&str; 16] = [
    "finite",
    "finiti",
    "finita",
    "finito",
    "out",
    "empty",
    "vuota",
    "terminata",
    "rotta",
    "rotto",
    "rotti",
    "rotte",
    "broken",
    "sparita",
    "sparito",
    "dead",
];

/// The words of `description` after its last article or "out of": "in cucina sono finite le
/// cialde" names "cialde", "we're out of staples" "staples"; without one, all of it.
fn last_named(description: &str) -> String {
    const BEFORE: [&str; 17] = [
        "il", "lo", "la", "i", "gli", "le", "l", "un", "una", "the", "some", "of", "finite", "finiti",
        "finita", "finito", "more",
    ];
    const AGAIN: [&str; 5] = ["di", "nuovo", "again", "ancora", "already"];
    let mut words: Vec<&str> = description.split_whitespace().collect();
    while words.last().is_some_and(|w| AGAIN.contains(&plain(w).as_str())) {
        words.pop();
    }
    // "la carta della stampante è finita (di nuovo)": the item is what is finished.
    if words.last().is_some_and(|w| GONE.contains(&plain(w).as_str())) {
        words.pop();
        while words.last().is_some_and(|w| matches!(plain(w).as_str(), "e" | "sono" | "is" | "are" | "s")) {
            words.pop();
        }
    }
    let after = words.iter().rposition(|w| BEFORE.contains(&plain(w).as_str())).map_or(0, |at| at + 1);
    let tail = words[after..].join(" ");
    if tail.is_empty() { description.to_owned() } else { tail }
}

/// The word of `written` that folds to `unit`, as written ("Blocchi" for "blocchi").
fn unit_as_written(written: &str, unit: &str) -> String {
    let tokens = tokenize(written);
    let word = tokens.iter().find(|t| t.folded == unit);
    word.map_or_else(|| unit.to_owned(), |t| written[t.start..t.end].to_owned())
}

/// A word or mark of a line, with where it is.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// Lower case, accents dropped: "ventitre" for "Ventitré".
    pub folded: String,
    pub start: usize,
    pub end: usize,
    /// A mark that is not part of a word (`,` `:` `(`).
    pub mark: Option<char>,
}

impl Token {
    fn word(&self) -> Option<&str> {
        self.mark.is_none().then_some(self.folded.as_str())
    }
}

/// Splits a line into words and marks, the first [`MAX_WORDS`] of them. A word runs over letters and
/// digits, and over `-`, `/`, `_` and `.` between them ("PAP-A4", "post-it", "4.20"); an apostrophe
/// ends it ("un'altra").
pub(crate) fn tokenize(line: &str) -> Vec<Token> {
    let mut chars = line.char_indices().peekable();
    let mut tokens = Vec::new();
    while let Some((start, c)) = chars.next() {
        if tokens.len() == MAX_WORDS {
            break;
        }
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            let end = start + c.len_utf8();
            tokens.push(Token { folded: c.to_string(), start, end, mark: Some(c) });
            continue;
        }
        let (mut end, mut previous) = (start + c.len_utf8(), c);
        while let Some(&(at, c)) = chars.peek() {
            let joins = matches!(c, '-' | '/' | '_' | '.')
                && previous.is_alphanumeric()
                && line[at + c.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric);
            if !(c.is_alphanumeric() || joins) {
                break;
            }
            chars.next();
            (end, previous) = (at + c.len_utf8(), c);
        }
        tokens.push(Token { folded: plain(&line[start..end]), start, end, mark: None });
    }
    tokens
}

/// Where a line divides into separate order lines: at `,` `;` and sentence ends always, and at
/// "and", "e", "plus", "&" when a quantity follows ("3 pens and 2 pads", but "black and white").
fn parts(tokens: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut start = 0;
    // Inside brackets nothing divides: "6 AA batteries (2 per mouse, 3 mice)" is one line. A bracket
    // never closed (":(") opens nothing: one with no closing bracket after it.
    let last_close = tokens.iter().rposition(|t| matches!(t.mark, Some(')' | ']')));
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        match token.mark {
            Some('(' | '[') if last_close.is_some_and(|close| close > i) => depth += 1,
            Some(')' | ']') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 {
            continue;
        }
        let splits = match (token.mark, token.folded.as_str()) {
            (Some('.'), _) => !i.checked_sub(1).and_then(|p| tokens[p].word()).is_some_and(abbreviation),
            (Some(',' | ';' | '!' | '?'), _) => true,
            (Some('&' | '+'), _) | (None, "and" | "e" | "ed" | "plus" | "oltre" | "also" | "anche") => {
                let after = i
                    + 1
                    + usize::from(tokens.get(i + 1).and_then(Token::word).is_some_and(|w| OF.contains(&w)));
                quantity_at(tokens, after).is_some() || ends_in_quantity(&tokens[start..i])
            }
            _ => false,
        };
        if splits {
            parts.push(&tokens[start..i]);
            start = i + 1;
        }
    }
    parts.push(&tokens[start..]);
    parts.retain(|part| !part.is_empty());
    parts
}

/// Whether the token two before `i` is a number: `10:30` is a time, `toner: 2` a quantity.
fn word_before_is_number(tokens: &[Token], i: usize) -> bool {
    i.checked_sub(2)
        .and_then(|p| tokens.get(p))
        .and_then(Token::word)
        .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `tokens` end with a quantity, perhaps with its unit ("coffee pods x4", "tape 2 rolls"): what
/// follows is another line.
fn ends_in_quantity(tokens: &[Token]) -> bool {
    let n = tokens.len();
    // A quantity at `i` that ends where `end` is.
    let at = |i: usize, end: usize| quantity_at(tokens, i).is_some_and(|f| !f.article && i + f.used == end);
    (n >= 1 && at(n - 1, n))
        || (n >= 2 && tokens[n - 1].word().is_some_and(|w| unit_named(w).is_some()) && at(n - 2, n - 1))
}

/// Whether a period after `word` ends an abbreviation ("ea.", "pz.", "n. 3") rather than a sentence.
fn abbreviation(word: &str) -> bool {
    const SHORT: &[&str] = &[
        "n", "nr", "no", "qty", "qta", "ca", "approx", "conf", "cod", "art", "rif", "ref", "int", "tel",
        "ext",
    ];
    // A unit's short form ("pz.", "pcs.", "conf."), not a whole word ending a sentence ("2 rotoli.").
    SHORT.contains(&word) || (unit_named(word).is_some() && word.len() <= 3)
}

/// A quantity found at a token: its value, whether it is only an article, and how many tokens it took.
struct Found {
    value: u32,
    article: bool,
    used: usize,
    /// "mezza scatola", "half a box": half of the one unit that follows.
    half: bool,
}

/// Words before a number that make it something other than a quantity: a time, a date, a room.
const NOT_AFTER: &[&str] = &[
    "at",
    "alle",
    "ore",
    "by",
    "entro",
    "room",
    "sala",
    "stanza",
    "floor",
    "piano",
    "ext",
    "tel",
    "ticket",
    "il",
    "dal",
    "al",
    "since",
    "until",
    "till",
    "fino",
    "on",
    "extension",
    "interno",
    "int",
    "page",
    "pagina",
    "po",
    "req",
    "via",
    "street",
    "st",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "lunedi",
    "martedi",
    "mercoledi",
    "giovedi",
    "venerdi",
    "sabato",
    "domenica",
];

/// Words after a number that make it something other than a quantity (and the months' names).
const NOT_BEFORE: &[&str] = &[
    "am",
    "pm",
    "h",
    "o",
    "oclock",
    "minutes",
    "minuti",
    "min",
    "hours",
    "ore",
    "days",
    "day",
    "giorni",
    "giorno",
    "weeks",
    "week",
    "settimane",
    "settimana",
    "months",
    "mesi",
    "years",
    "anni",
    "eur",
    "euro",
    "euros",
    "usd",
    "dollars",
    "people",
    "persone",
    "colleagues",
    "colleghi",
    "times",
    "volte",
    "copies",
    "copie",
    "percent",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "st",
    "nd",
    "rd",
    "th",
];

/// The quantity starting at token `i`, if any.
fn quantity_at(tokens: &[Token], i: usize) -> Option<Found> {
    let token = tokens.get(i)?;
    let word = token.word()?;
    let next = tokens.get(i + 1);
    let previous = i.checked_sub(1).and_then(|p| tokens.get(p));
    // "int. 204", "tel. 555": the word before the abbreviation's period.
    let word_before = match previous {
        Some(t) if t.mark == Some('.') => i.checked_sub(2).and_then(|p| tokens.get(p)),
        other => other,
    };
    let digits = |text: &str| -> Option<u32> {
        let ok = !text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit());
        (ok && !text.starts_with('0')).then(|| text.parse().ok()).flatten().filter(|n| *n <= MAX_QUANTITY)
    };
    if let Some(value) = digits(word) {
        let next_word = next.and_then(Token::word);
        let next_mark = next.and_then(|t| t.mark);
        let month = |w: &str| crate::calendar::phrase::month_in_full(w).is_some();
        let excluded = next_word.is_some_and(|w| NOT_BEFORE.contains(&w) || month(w))
            || matches!(next_mark, Some('%' | '€' | '$' | '/' | ':'))
            || word_before.and_then(Token::word).is_some_and(|w| NOT_AFTER.contains(&w))
            || matches!(previous.and_then(|t| t.mark), Some('€' | '$' | '#' | '/' | '+'))
            || (previous.and_then(|t| t.mark) == Some(':') && word_before_is_number(tokens, i));
        return (!excluded).then_some(Found { value, article: false, used: 1, half: false });
    }
    if let Some(value) = word.strip_suffix('x').or_else(|| word.strip_prefix('x')).and_then(digits) {
        return Some(Found { value, article: false, used: 1, half: false });
    }
    let words: Vec<&str> = tokens[i..].iter().take(3).map_while(Token::word).collect();
    if let Some((value, used)) = numbers::in_words(&words) {
        return Some(Found { value, article: false, used, half: false });
    }
    // "mezza scatola", "half a box": half of one, the unit following.
    let unit_at = |n: usize| tokens.get(n).and_then(Token::word).is_some_and(|w| unit_named(w).is_some());
    let half = match word {
        "mezza" | "mezzo" if unit_at(i + 1) => Some(1),
        "half" if next.and_then(Token::word).is_some_and(|w| matches!(w, "a" | "an")) && unit_at(i + 2) => {
            Some(2)
        }
        _ => None,
    };
    if let Some(used) = half {
        return Some(Found { value: 1, article: false, used, half: true });
    }
    if matches!(word, "a" | "an" | "un" | "una" | "uno") {
        return Some(Found { value: 1, article: true, used: 1, half: false });
    }
    None
}

/// Whether the number at `i` is part of a name ("HP 305 black", "carta A4 500 fogli") rather than a
/// quantity: it follows a word of the name, and either a word of the name follows too (not a unit:
/// "A4 paper 3 boxes" is three boxes) or it is too large for a count written after a name.
fn names_a_model(part: &[Token], i: usize, found: &Found) -> bool {
    let is_content = |t: &Token| t.word().is_some_and(|w| !FILLER.contains(&w));
    let after_name = i.checked_sub(1).and_then(|p| part.get(p)).is_some_and(is_content);
    let next = part.get(i + found.used);
    let unit_next = next.and_then(Token::word).is_some_and(|w| unit_named(w).is_some());
    let name_follows = part[i + found.used..].iter().any(is_content);
    after_name && !unit_next && (name_follows || found.value >= 100)
}

/// Words that ask or thank rather than name an item: dropped from the ends of a description.
const FILLER: &[&str] = &[
    "please",
    "pls",
    "plz",
    "kindly",
    "could",
    "can",
    "would",
    "you",
    "we",
    "i",
    "need",
    "needs",
    "want",
    "like",
    "d",
    "order",
    "send",
    "get",
    "buy",
    "have",
    "has",
    "bring",
    "require",
    "us",
    "me",
    "some",
    "also",
    "the",
    "more",
    "another",
    "asap",
    "urgently",
    "urgent",
    "thanks",
    "thank",
    "thx",
    "ta",
    "grz",
    "cheers",
    "x",
    "qty",
    "quantity",
    "quantita",
    "qta",
    "n",
    "nr",
    "no",
    "of",
    "for",
    "per",
    "favore",
    "cortesia",
    "potresti",
    "potete",
    "puoi",
    "ordinare",
    "ordina",
    "ordinate",
    "ordini",
    "ordiniamo",
    "prendi",
    "prendiamo",
    "compri",
    "compra",
    "avere",
    "comprare",
    "prendere",
    "portare",
    "bisogno",
    "servono",
    "serve",
    "servirebbero",
    "ci",
    "mi",
    "vorrei",
    "vorremmo",
    "anche",
    "inoltre",
    "altri",
    "altre",
    "ancora",
    "grazie",
    "urgente",
    "di",
    "da",
    "del",
    "della",
    "dei",
    "delle",
    "degli",
    "il",
    "la",
    "le",
    "lo",
    "gli",
    "and",
    "e",
    "ed",
    "hi",
    "hello",
    "ciao",
    "salve",
    "buongiorno",
    "just",
    "only",
    "total",
    "totale",
    "with",
    "con",
    // "we're out", "too", "maybe", "would do", "basta": what is said around an item, not of it.
    "hey",
    "u",
    "re",
    "out",
    "too",
    "maybe",
    "forse",
    "do",
    "will",
    "should",
    "enough",
    "basta",
    "bastano",
];

/// The prepositions between a quantity or unit and what it counts: "3 boxes of", "due risme di".
const OF: &[&str] = &["of", "di", "da", "de", "del", "della", "dello", "dei", "degli", "delle", "d"];

/// Reads one part of a line: its quantity, unit and description. `None` when it holds neither a
/// quantity nor any word that could name an item.
fn read_part(line: &str, part: &[Token]) -> Option<Requested> {
    let first = |at: &dyn Fn(&Found) -> bool| {
        (0..part.len()).find_map(|i| {
            quantity_at(part, i)
                .filter(|f| at(f) && (f.article || !names_a_model(part, i, f)))
                .map(|f| (i, f))
        })
    };
    let found = first(&|f| !f.article).or_else(|| first(&|f| f.article));
    let written = line[part[0].start..part[part.len() - 1].end].to_owned();
    let Some((at, quantity)) = found else {
        let description = describe(line, part)?;
        return Some(Requested {
            written,
            quantity: Quantity::Missing,
            unit: None,
            description,
            halved: false,
        });
    };
    let mut next = at + quantity.used;
    let skip_marks = |next: &mut usize| {
        while part.get(*next).is_some_and(|t| matches!(t.mark, Some('×' | '*')) || t.folded == "x") {
            *next += 1;
        }
    };
    skip_marks(&mut next);
    let mut unit = None;
    if let Some(word) = part.get(next).and_then(Token::word)
        && unit_named(word).is_some()
    {
        unit = Some(word.to_owned());
        next += 1;
    }
    while part.get(next).and_then(Token::word).is_some_and(|w| OF.contains(&w)) {
        next += 1;
    }
    let after = describe(line, &part[next.min(part.len())..]);
    let before = describe(line, &part[..at]);
    // A unit before the number reads "boxes: 3" or "risme 3".
    let description = match (after, before) {
        (Some(after), _) => after,
        (None, Some(before)) => {
            let (before, unit_before) = trailing_unit(&before);
            unit = unit.or(unit_before);
            before
        }
        (None, None) => String::new(),
    };
    let halved = quantity.half;
    // "una di penne blu", "one of the blue pens": one of the packs they come in.
    let of_after = part.get(at + 1).and_then(Token::word).is_some_and(|w| matches!(w, "di" | "of"));
    if quantity.article && unit.is_none() && of_after && part.get(at).and_then(Token::word) != Some("a") {
        unit = Some("pack".to_owned());
    }
    // "a box of paper clips" counts like a number: an article with a unit is order language.
    let quantity =
        if quantity.article && unit.is_none() { Quantity::Article } else { Quantity::Given(quantity.value) };
    if quantity == Quantity::Article && description.is_empty() {
        return None;
    }
    Some(Requested { written, quantity, unit, description, halved })
}

/// The words of `tokens` that could name an item, as written in `line`: filler words ("please",
/// "we need", "x", "qty") and marks dropped from both ends. `None` when nothing is left.
fn describe(line: &str, tokens: &[Token]) -> Option<String> {
    // "2 rolls of sellotape while you're at it": a new clause is not part of the item's name.
    let end =
        tokens.iter().position(|t| t.word().is_some_and(|w| CLAUSE.contains(&w))).unwrap_or(tokens.len());
    let tokens = &tokens[..end];
    let content = |t: &Token| t.word().is_some_and(|w| !FILLER.contains(&w));
    let first = tokens.iter().position(content)?;
    let last = tokens.iter().rposition(content)?;
    let text = &line[tokens[first].start..tokens[last].end];
    // Brackets left open by the cut: "toner (HP" reads "toner HP".
    Some(text.replace(['(', ')', '[', ']'], " ").split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `description` without what the item is for ("carta A4 x le copie del concorso" → "carta A4",
/// "toner for the HP printer" → "toner"), if it says: "for", "per" or "x" before an article. What
/// an item is for can tell which it is, so this is only tried when the whole description names none.
pub fn without_purpose(description: &str) -> Option<String> {
    let words: Vec<&str> = description.split_whitespace().collect();
    let at = (1..words.len()).find(|&i| {
        matches!(plain(words[i]).as_str(), "for" | "per" | "x")
            && words.get(i + 1).is_some_and(|w| PURPOSE_ARTICLES.contains(&plain(w).as_str()))
    })?;
    Some(words[..at].join(" "))
}

/// `description` without the remark `written` makes in brackets ("2 toner HP 26A (quelli della
/// stampante grande)" → "toner HP 26A"), if it makes one and words are left. Tried, like
/// [`without_purpose`], only when the whole description names no item.
pub fn without_remark(written: &str, description: &str) -> Option<String> {
    let (open, rest) = written.split_once('(')?;
    let (remark, _) = rest.split_once(')')?;
    let remark: Vec<&str> = remark.split_whitespace().collect();
    let words: Vec<&str> = description.split_whitespace().collect();
    let at = words.windows(remark.len().max(1)).position(|w| w == remark.as_slice())?;
    let left: Vec<&str> = words[..at].iter().chain(&words[at + remark.len()..]).copied().collect();
    (!left.is_empty() && !open.trim().is_empty()).then(|| left.join(" "))
}

/// The articles after "for"/"per"/"x" that make what follows a purpose rather than a name.
const PURPOSE_ARTICLES: &[&str] =
    &["the", "our", "my", "il", "lo", "la", "le", "i", "gli", "l", "nostro", "nostra"];

/// Words that start a clause of their own after the item: what follows them is not its name.
const CLAUSE: &[&str] = &[
    "while", "if", "when", "because", "since", "so", "before", "after", "which", "that", "as", "mentre",
    "se", "quando", "perche", "poiche", "prima", "dopo", "che", "cosi",
];

/// "A4 paper boxes" → ("A4 paper", "boxes"), for a unit written before its number ("A4 paper,
/// boxes: 3"). Only a last word that is a unit is taken, and only when words remain before it.
fn trailing_unit(description: &str) -> (String, Option<String>) {
    if let Some((rest, last)) = description.rsplit_once(' ') {
        let folded = plain(last.trim_end_matches(':'));
        if unit_named(&folded).is_some() {
            return (rest.trim_end_matches([':', '-', ' ']).to_owned(), Some(folded));
        }
    }
    (description.to_owned(), None)
}

/// For each of `rows`, whether it is an item of a numbered list (1. 2. 3. or 1) 2) 3)), when the
/// numbers run in order from 1: those numbers are list markers, not quantities.
fn numbered_list(rows: &[&str]) -> Vec<bool> {
    let number = |row: &str| -> Option<u32> {
        let digits = row.find(|c: char| !c.is_ascii_digit())?;
        let mark = row[digits..].chars().next()?;
        (digits > 0 && matches!(mark, '.' | ')') && row[digits + 1..].starts_with(' '))
            .then(|| row[..digits].parse().ok())
            .flatten()
    };
    let mut marked = Vec::new();
    let mut expected = 1;
    for (index, row) in rows.iter().enumerate() {
        match number(row) {
            Some(n) if n == expected => {
                marked.push(index);
                expected += 1;
            }
            Some(1) => {
                marked.push(index);
                expected = 2;
            }
            _ => {}
        }
    }
    // A lone "1. 3 boxes of paper" is a list of one; a lone "2) toner" is not a list.
    if marked.len() == 1 && number(rows[marked[0]]) != Some(1) {
        marked.clear();
    }
    let mut numbered = vec![false; rows.len()];
    for index in marked {
        numbered[index] = true;
    }
    numbered
}

/// A line without its list marker: `- `, `* `, `• `, and `1. ` when it is part of a numbered list.
fn strip_marker(row: &str, numbered: bool) -> &str {
    // A marker is followed by a space: "+39 06 …" is a phone number, "-5" a negative.
    let row = match row.char_indices().next() {
        Some((_, c)) if "-*•·–—>+".contains(c) && row[c.len_utf8()..].starts_with(char::is_whitespace) => {
            row[c.len_utf8()..].trim_start()
        }
        _ => row,
    };
    if numbered && let Some(at) = row.find(['.', ')']) {
        return row[at + 1..].trim_start();
    }
    row
}
