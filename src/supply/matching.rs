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
use super::extract::{Requested, tokenize};
use super::units::unit_named;
use crate::text::plain;

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

/// How many of a line's words are weighed against each item: an item is named in a few words, and
/// a long line's tail only adds cost.
const MAX_QUERY_WORDS: usize = 16;

/// The catalog's words, weighed once per catalog.
pub struct Matcher<'c> {
    catalog: &'c Catalog,
    /// Every distinct word of the items' names, stemmed.
    vocabulary: Vec<String>,
    /// Where each word is in `vocabulary`.
    index: std::collections::HashMap<String, usize>,
    /// Each item's names, as places in `vocabulary`.
    names: Vec<Vec<Vec<usize>>>,
    /// Each item's words of all its names together.
    all_words: Vec<Vec<usize>>,
    /// Each item's SKU and vendor code, folded to letters and digits.
    codes: Vec<(String, String)>,
    /// The weight of each word of `vocabulary`.
    weights: Vec<f64>,
}

/// A way of reading a line, prepared once for comparing with every item: each word is compared with
/// each word of the catalog once, not once per item that uses it.
struct Query {
    /// Its first [`MAX_QUERY_WORDS`] words that can tell items apart.
    words: Vec<QueryWord>,
    /// Each word as a code, to compare with SKUs.
    codes: Vec<String>,
    /// The whole of it as one code ("PAP A4" for the SKU "PAP-A4").
    whole: String,
}

/// A word of a [`Query`].
struct QueryWord {
    weight: f64,
    /// How alike it is to each word of the vocabulary (see [`similar`]).
    likeness: Vec<f64>,
}

/// A name or code folded to its letters and digits, as codes are compared.
fn code(text: &str) -> String {
    plain(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

impl<'c> Matcher<'c> {
    pub fn new(catalog: &'c Catalog) -> Matcher<'c> {
        let mut vocabulary: Vec<String> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut place = |word: String| {
            *index.entry(word).or_insert_with_key(|word| {
                vocabulary.push(word.clone());
                vocabulary.len() - 1
            })
        };
        let names: Vec<Vec<Vec<usize>>> = catalog
            .items
            .iter()
            .map(|item| {
                let mut names = vec![words(&item.name)];
                names.extend(item.names.values().map(|n| words(n)));
                names.extend(item.aliases.iter().map(|a| words(a)));
                names.retain(|n| !n.is_empty());
                names.into_iter().map(|name| name.into_iter().map(&mut place).collect()).collect()
            })
            .collect();
        // How many items use each word: words few items share weigh more.
        let mut frequency = vec![0usize; vocabulary.len()];
        for item_names in &names {
            let mut seen: Vec<usize> = item_names.iter().flatten().copied().collect();
            seen.sort_unstable();
            seen.dedup();
            for word in seen {
                frequency[word] += 1;
            }
        }
        let items = catalog.items.len().max(1) as f64;
        let weights = frequency.iter().map(|n| (1.0 + items / (*n).max(1) as f64).ln()).collect();
        let codes = catalog.items.iter().map(|item| (code(&item.sku), code(&item.vendor_sku))).collect();
        let all_words = names.iter().map(|item_names| item_names.concat()).collect();
        Matcher { catalog, vocabulary, index, names, all_words, codes, weights }
    }

    /// `text` prepared for scoring against every item.
    fn query(&self, text: &str) -> Query {
        let items = self.catalog.items.len().max(1) as f64;
        let words = words(text)
            .into_iter()
            .take(MAX_QUERY_WORDS)
            .map(|word| QueryWord {
                // A word no item uses still says something, moderately.
                weight: self.index.get(&word).map_or((1.0 + items).ln() / 2.0, |at| self.weights[*at]),
                likeness: self.vocabulary.iter().map(|known| similar(&word, known)).collect(),
            })
            .collect();
        let codes = tokenize(text).iter().map(|t| code(&t.folded)).filter(|c| !c.is_empty()).collect();
        Query { words, codes, whole: code(text) }
    }

    /// What `line` names.
    pub fn find(&self, line: &Requested) -> Match<'c> {
        let mut queries = vec![line.description.clone()];
        // "stapler for the meeting room", "toner per la stampante": what it is for may not be in
        // any name; the words before it are tried alone too.
        let folded = plain(&line.description);
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
        let query = self.query(query);
        let mut candidates: Vec<Candidate<'c>> = self
            .catalog
            .items
            .iter()
            .enumerate()
            .map(|(index, item)| Candidate { item, score: self.score(index, &query) })
            .collect();
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
        candidates
    }

    /// How well `query` names item `index`: 1 for its SKU or vendor code, else the best of its names.
    /// The score rewards a line whose words (by weight) the item's names have, and a name whose words
    /// the line has.
    fn score(&self, index: usize, query: &Query) -> f64 {
        let (sku, vendor_sku) = &self.codes[index];
        let has_code = query.codes.iter().any(|c| c == sku || c == vendor_sku);
        if has_code || (!query.words.is_empty() && query.whole == *sku) {
            return 1.0;
        }
        if query.words.is_empty() {
            return 0.0;
        }
        let all = &self.all_words[index];
        let total: f64 = query.words.iter().map(|word| word.weight).sum();
        let found: f64 = query
            .words
            .iter()
            .map(|word| word.weight * all.iter().map(|at| word.likeness[*at]).fold(0.0, f64::max))
            .sum();
        let of_query = if total > 0.0 { found / total } else { 0.0 };
        let of_name = self.names[index].iter().map(|name| self.name_covered(name, query)).fold(0.0, f64::max);
        of_query * (0.5 + 0.5 * of_name)
    }

    /// How much of `name` (by weight) `query` has.
    fn name_covered(&self, name: &[usize], query: &Query) -> f64 {
        let total: f64 = name.iter().map(|at| self.weights[*at]).sum();
        let found: f64 = name
            .iter()
            .map(|at| {
                self.weights[*at] * query.words.iter().map(|word| word.likeness[*at]).fold(0.0, f64::max)
            })
            .sum();
        if total > 0.0 { found / total } else { 0.0 }
    }
}

/// The longest word, in bytes, that can be a typo of another: longer ones are no word of an item's
/// name, and comparing them letter by letter would cost the square of their length.
const LONGEST_WORD: usize = 64;

/// How alike two stemmed words are: 1 when equal; 0.9 for one that is the other with a letter or two
/// more at the end ("giall", "gial") or a typo of it (one letter wrong, missing, extra or swapped;
/// two in words of eight letters or more); else 0. Words with digits are codes and short words are
/// too easily confused ("clerk" and "clear", "matte" and "matit"): they must be equal.
fn similar(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len().max(b.len()) > LONGEST_WORD {
        return 0.0;
    }
    let coded = |w: &str| w.chars().any(|c| c.is_ascii_digit());
    let (la, lb) = (a.chars().count(), b.chars().count());
    // Both kinds of likeness below allow at most two letters more or less.
    if coded(a) || coded(b) || la.min(lb) < 4 || la.abs_diff(lb) > 2 {
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
