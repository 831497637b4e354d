//! Which catalog item an order line names, and how sure clerk is: "HP 26A toner", "toner 26A",
//! "tonner HP 26 A" and "TON-26A" all name the same item, and "toner" alone names none of the
//! office's three toners for certain.
//!
//! Every name of an item (its SKU, the vendor's code, its names in each language, its aliases) is
//! compared with the line's words after folding case and accents, dropping filler ("please", "of",
//! "di") and reducing plurals ("risme" and "risma", "boxes" and "box"). Words match exactly, or as a
//! typo of each other (a letter wrong, missing or swapped), except words with digits, which are codes and must match
//! exactly ("26A" is not "85A"). Words that few items share count more than words many do: "26A"
//! says more than "toner". A code equal to an item's SKU or vendor code decides at once.
//!
//! The score rewards a name whose words the line covers and a line whose words the name covers;
//! a line is matched when its best item scores high and clearly above the next. Anything less is
//! asked about, with the closest items listed, never guessed.

use super::catalog::{Catalog, Item};
use super::extract::{Requested, fold_word, tokenize};
use super::units::unit_named;

/// The lowest score that names an item for certain, and how far above the next item it must be.
const SURE: (f64, f64) = (0.72, 0.12);
/// A lower score also names an item when nothing else comes near: every word of "A4 paper" is in
/// "A4 copy paper, 80 g, 500 sheets", whose other words the line need not repeat.
const CLEAR: (f64, f64) = (0.6, 0.25);
/// The lowest score worth offering as "did you mean".
const CLOSE: f64 = 0.3;
/// The best of `candidates` (sorted best first) when it is certain.
fn sure<'c>(candidates: &[Candidate<'c>]) -> Option<Candidate<'c>> {
    let (best, next) = (candidates.first()?, candidates.get(1));
    let ahead = |(score, margin): (f64, f64)| {
        best.score >= score && next.is_none_or(|n| best.score - n.score >= margin)
    };
    (ahead(SURE) || ahead(CLEAR)).then_some(*best)
}

/// An item and how well a line names it, from 0 to 1.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'c> {
    pub item: &'c Item,
    pub score: f64,
}

/// What a line names.
#[derive(Debug, Clone)]
pub enum Match<'c> {
    /// This item, for certain.
    Item(Candidate<'c>),
    /// Perhaps one of these (best first): the line is asked about.
    Unsure(Vec<Candidate<'c>>),
    /// Nothing in the catalog; the closest items, if any come near.
    Unknown(Vec<Candidate<'c>>),
}

/// The catalog's words, weighed once per catalog.
pub struct Matcher<'c> {
    catalog: &'c Catalog,
    /// Each item's names, as stemmed words.
    names: Vec<Vec<Vec<String>>>,
    /// How many items use each word, for its weight.
    frequency: std::collections::HashMap<String, usize>,
}

impl<'c> Matcher<'c> {
    pub fn new(catalog: &'c Catalog) -> Matcher<'c> {
        let names: Vec<Vec<Vec<String>>> = catalog
            .items
            .iter()
            .map(|item| {
                let mut names = vec![words(&item.name)];
                names.extend(item.names.values().map(|n| words(n)));
                names.extend(item.aliases.iter().map(|a| words(a)));
                names.retain(|n| !n.is_empty());
                names
            })
            .collect();
        let mut frequency = std::collections::HashMap::new();
        for item_names in &names {
            let mut seen: Vec<&String> = item_names.iter().flatten().collect();
            seen.sort();
            seen.dedup();
            for word in seen {
                *frequency.entry(word.clone()).or_insert(0) += 1;
            }
        }
        Matcher { catalog, names, frequency }
    }

    /// What `line` names.
    pub fn find(&self, line: &Requested) -> Match<'c> {
        let mut queries = vec![line.description.clone()];
        // "stapler for the meeting room", "toner per la stampante": what it is for may not be in
        // any name; the words before it are tried alone too.
        let folded = fold_word(&line.description);
        if let Some(at) =
            [" for ", " per ", " to ", " da ", " in "].iter().filter_map(|w| folded.find(w)).min()
            && at > 0
            && folded.is_char_boundary(at)
            && line.description.is_char_boundary(at)
            && folded.len() == line.description.len()
        {
            queries.push(line.description[..at].to_owned());
        }
        // "quattro blocchi per appunti": the unit may be part of the name.
        if let Some(unit) = &line.unit {
            queries.push(format!("{unit} {}", line.description));
        }
        // The first way of reading it that names an item for certain wins; else the line as written
        // says what is unsure.
        let mut readings = queries.iter().map(|query| self.candidates(query));
        let first = readings.next().unwrap_or_default();
        if let Some(sure) = std::iter::once(first.clone()).chain(readings).find_map(|c| sure(&c)) {
            return Match::Item(sure);
        }
        let close: Vec<Candidate<'c>> = first.iter().copied().filter(|c| c.score >= CLOSE).take(3).collect();
        match first.first() {
            Some(best) if best.score >= CLOSE => Match::Unsure(close),
            _ => Match::Unknown(close),
        }
    }

    /// Every item with how well `query` names it, best first.
    fn candidates(&self, query: &str) -> Vec<Candidate<'c>> {
        let mut candidates: Vec<Candidate<'c>> = self
            .catalog
            .items
            .iter()
            .enumerate()
            .map(|(index, item)| Candidate { item, score: self.score(index, item, query) })
            .collect();
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
        candidates
    }

    /// How well `query` names item `index`: 1 for its SKU or vendor code, else the best of its names.
    fn score(&self, index: usize, item: &Item, query: &str) -> f64 {
        let code = |text: &str| fold_word(text).chars().filter(|c| c.is_alphanumeric()).collect::<String>();
        let (sku, vendor_sku) = (code(&item.sku), code(&item.vendor_sku));
        let query_words = words(query);
        let has_code = tokenize(query).iter().any(|t| {
            let t = code(&t.folded);
            !t.is_empty() && (t == sku || t == vendor_sku)
        });
        if has_code || (!query_words.is_empty() && code(query) == sku) {
            return 1.0;
        }
        if query_words.is_empty() {
            return 0.0;
        }
        let names = &self.names[index];
        let all: Vec<String> = names.iter().flatten().cloned().collect();
        let of_query = self.covered(&query_words, &all);
        let of_name = names.iter().map(|name| self.covered(name, &query_words)).fold(0.0, f64::max);
        of_query * (0.5 + 0.5 * of_name)
    }

    /// How much of `words` (by weight) `by` has.
    fn covered(&self, words: &[String], by: &[String]) -> f64 {
        let total: f64 = words.iter().map(|w| self.weight(w)).sum();
        let found: f64 =
            words.iter().map(|w| self.weight(w) * by.iter().map(|b| similar(w, b)).fold(0.0, f64::max)).sum();
        if total > 0.0 { found / total } else { 0.0 }
    }

    /// A word's weight: high for words few items use, moderate for words no item uses.
    fn weight(&self, word: &str) -> f64 {
        let items = self.catalog.items.len().max(1) as f64;
        match self.frequency.get(word) {
            Some(n) => (1.0 + items / *n as f64).ln(),
            None => (1.0 + items).ln() / 2.0,
        }
    }
}

/// How alike two stemmed words are: 1 when equal; 0.9 for one that is the other with a letter or two
/// more at the end ("giall", "gial") or a typo of it (one letter wrong, missing, extra or swapped;
/// two in words of eight letters or more); else 0. Words with digits are codes and short words are
/// too easily confused ("clerk" and "clear", "matte" and "matit"): they must be equal.
fn similar(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let coded = |w: &str| w.chars().any(|c| c.is_ascii_digit());
    let (la, lb) = (a.chars().count(), b.chars().count());
    if coded(a) || coded(b) || la.min(lb) < 4 {
        return 0.0;
    }
    if (a.starts_with(b) || b.starts_with(a)) && la.abs_diff(lb) <= 2 {
        return 0.9;
    }
    let allowed = if la.min(lb) >= 8 { 2 } else { 1 };
    if la.min(lb) >= 5 && strsim::osa_distance(a, b) <= allowed { 0.9 } else { 0.0 }
}

/// Words that say nothing of which item: requests, articles, prepositions, in both languages.
const STOP: &[&str] = &[
    "please",
    "pls",
    "need",
    "needs",
    "want",
    "order",
    "send",
    "some",
    "the",
    "a",
    "an",
    "of",
    "for",
    "and",
    "with",
    "to",
    "in",
    "our",
    "my",
    "new",
    "more",
    "x",
    "qty",
    "di",
    "da",
    "del",
    "della",
    "dei",
    "delle",
    "degli",
    "per",
    "il",
    "la",
    "le",
    "lo",
    "gli",
    "i",
    "e",
    "ed",
    "un",
    "una",
    "uno",
    "con",
    "nuovo",
    "nuova",
    "nuovi",
    "nuove",
    "altro",
    "altri",
    "altre",
    "servono",
    "ordinare",
    "grazie",
    "thanks",
    "favore",
    "spare",
    "extra",
    "replacement",
    "ricambio",
    "scorta",
];

/// The words of a name or line that can tell items apart, folded and stemmed. "HP 26 A" is read as
/// "26a": a number followed by a lone letter is one code.
pub(crate) fn words(text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        i += 1;
        if token.mark.is_some() {
            continue;
        }
        let mut word = token.folded.clone();
        if word.chars().all(|c| c.is_ascii_digit())
            && let Some(next) = tokens.get(i).filter(|t| t.mark.is_none() && t.folded.len() == 1)
            && next.folded.chars().all(|c| c.is_ascii_alphabetic())
        {
            word.push_str(&next.folded);
            i += 1;
        }
        // Units count; they do not name: "box" is in the name of staples and of envelopes alike.
        if STOP.contains(&word.as_str()) || unit_named(&word).is_some() {
            continue;
        }
        out.push(stem(&word));
    }
    out
}

/// Plural and gender endings off, so "boxes"/"box", "risme"/"risma", "penne"/"penna",
/// "cartucce"/"cartuccia" and "batteries"/"battery" meet.
fn stem(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) || word.chars().count() <= 3 {
        return word.to_owned();
    }
    let mut w = word.to_owned();
    if let Some(base) = w.strip_suffix("ies") {
        w = format!("{base}y");
    } else if w.ends_with("xes") || w.ends_with("ches") || w.ends_with("shes") || w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") {
        w.pop();
    }
    if w.chars().count() > 4 && w.ends_with(['a', 'e', 'i', 'o']) {
        w.pop();
        if w.ends_with("ci") || w.ends_with("gi") {
            w.pop();
        }
    }
    w
}

#[cfg(test)]
mod tests;
