//! What the event is, as the request names it: "Christmas dinner", "cena di Natale", "team lunch",
//! "pranzo aziendale", "workshop". The word for the occasion is found first; English puts what kind
//! of occasion it is before it ("the summer party"), Italian after it ("la festa di fine anno").

/// An occasion's word, and whether it is one sitting (a dinner is one evening; a workshop may run
/// over days).
const OCCASIONS: [(&str, bool); 47] = [
    ("dinner", true),
    ("lunch", true),
    ("luncheon", true),
    ("brunch", true),
    ("breakfast", true),
    ("party", true),
    ("celebration", true),
    ("reception", true),
    ("aperitif", true),
    ("drinks", true),
    ("cocktail", true),
    ("gala", true),
    ("ceremony", true),
    ("workshop", false),
    ("seminar", false),
    ("conference", false),
    ("convention", false),
    ("training", false),
    ("course", false),
    ("offsite", false),
    ("off-site", false),
    ("retreat", false),
    ("launch", true),
    ("presentation", true),
    ("meetup", true),
    ("fair", false),
    ("exhibition", false),
    ("event", false),
    ("cena", true),
    ("cenone", true),
    ("pranzo", true),
    ("festa", true),
    ("aperitivo", true),
    ("apericena", true),
    ("rinfresco", true),
    ("ricevimento", true),
    ("brindisi", true),
    ("inaugurazione", true),
    ("cerimonia", true),
    ("presentazione", true),
    ("lancio", true),
    ("seminario", false),
    ("convegno", false),
    ("conferenza", false),
    ("corso", false),
    ("formazione", false),
    ("evento", false),
];

/// Words before an English occasion's word that say which one it is, when not written with a
/// capital ("team lunch", "annual dinner").
const KINDS_BEFORE: [&str; 24] = [
    "team",
    "company",
    "staff",
    "office",
    "annual",
    "year-end",
    "end-of-year",
    "farewell",
    "welcome",
    "client",
    "clients",
    "customer",
    "partner",
    "partners",
    "product",
    "business",
    "holiday",
    "birthday",
    "networking",
    "training",
    "strategy",
    "sales",
    "kick-off",
    "summer",
];

/// Words after an Italian occasion's word that say which one it is: "pranzo aziendale".
const KINDS_AFTER: [&str; 8] =
    ["aziendale", "natalizia", "natalizio", "annuale", "estiva", "estivo", "sociale", "inaugurale"];

/// Words after "di" or "per" that say which Italian occasion it is, when not written with a
/// capital: "festa di fine anno", "aperitivo di benvenuto".
const OF_KIND: [&str; 17] = [
    "natale",
    "fine",
    "anno",
    "benvenuto",
    "addio",
    "compleanno",
    "pasqua",
    "estate",
    "inverno",
    "lavoro",
    "squadra",
    "gala",
    "capodanno",
    "carnevale",
    "ferragosto",
    "inaugurazione",
    "pensionamento",
];

/// Occasion words too general to name an event on their own.
const GENERAL: [&str; 2] = ["event", "evento"];

/// The occasion a request names: what it is called, and whether it is one sitting. Of the lines
/// that name one (the subject is the first line), the first that says which occasion it is ("cena
/// di Natale") wins over one that only names its kind ("Pranzo con Acme").
pub(super) fn occasion(text: &str) -> Option<(Option<String>, bool)> {
    let named: Vec<Occasion> = text.lines().filter_map(in_line).collect();
    let chosen = named.iter().find(|o| o.qualified).or(named.first())?;
    Some((chosen.name.clone(), chosen.single))
}

/// An occasion named in one line.
struct Occasion {
    name: Option<String>,
    single: bool,
    /// Words besides the occasion's own say which one it is.
    qualified: bool,
}

fn in_line(line: &str) -> Option<Occasion> {
    let spans = super::words::spans(line);
    let words: Vec<&str> = spans.iter().map(|&(from, to)| &line[from..to]).collect();
    let folded: Vec<String> = words.iter().map(|w| crate::text::plain(w)).collect();
    let at = folded.iter().position(|w| OCCASIONS.iter().any(|(o, _)| o == w))?;
    let single = OCCASIONS.iter().find(|(o, _)| *o == folded[at]).is_some_and(|(_, one)| *one);
    // Only words next to each other, a space apart: not "Re: offsite", nor "Hi Marco, dinner".
    let adjacent = |n: usize| line[spans[n].1..spans[n + 1].0] == *" ";
    let mut first = at;
    while first > 0
        && at - first < 3
        && adjacent(first - 1)
        && names_kind_before(words[first - 1], &folded[first - 1])
    {
        first -= 1;
    }
    let kind = |n: usize| {
        folded.get(n).is_some_and(|w| OF_KIND.contains(&w.as_str()))
            || words.get(n).is_some_and(|w| starts_capital(w))
    };
    let mut last = at;
    loop {
        let next = folded.get(last + 1).map(String::as_str);
        if next.is_some_and(|w| KINDS_AFTER.contains(&w)) {
            last += 1;
        } else if matches!(next, Some("di" | "del" | "della" | "dello" | "d" | "per")) && kind(last + 2) {
            last += 2;
            // "fine anno", "fine d'anno": a name of two words.
            if folded.get(last).is_some_and(|w| w == "fine") {
                let more = if folded.get(last + 1).is_some_and(|w| w == "d") { last + 2 } else { last + 1 };
                if folded.get(more).is_some_and(|w| w == "anno") {
                    last = more;
                }
            }
        } else {
            break;
        }
    }
    let qualified = first < at || last > at;
    let name = if !qualified && GENERAL.contains(&folded[at].as_str()) {
        None
    } else {
        Some(capitalised(&line[spans[first].0..spans[last].1]))
    };
    Some(Occasion { name, single, qualified })
}

/// Whether `word` (as written, and folded) says which occasion follows: a capital inside a
/// sentence ("a Christmas dinner") or a word of [`KINDS_BEFORE`].
fn names_kind_before(word: &str, folded: &str) -> bool {
    KINDS_BEFORE.contains(&folded)
        || (starts_capital(word) && !matches!(folded, "a" | "an" | "the" | "our" | "we" | "i" | "please"))
}

fn starts_capital(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// `text` with its first letter a capital.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
