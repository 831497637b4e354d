//! The rule set compiled for classifying: which rules can possibly match a message, found without
//! trying every rule.
//!
//! Most rules of a large office need a word in a field or an address of a domain, and most messages
//! have few of those. For each rule the index keeps such tests, one of which holds whenever the rule
//! does ([`Condition::necessary_tests`]). Per message it looks them all up at once: every phrase of the
//! subject (and of the body) in one Aho-Corasick pass over the folded text, and every address glob
//! under its domain. Only the rules whose tests were found, and the rules it cannot look up (a `not`,
//! a size, a regex, an intent...), are then evaluated, in file order, as before; the others could not
//! have matched. So the first match, `continue` and what matched are exactly those of trying every rule.
//!
//! The body is looked up only when evaluation reaches a rule that needs it and no other test of that
//! rule was found: a message decided by its sender is never folded.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::condition::{AddressField, AddressPattern, Condition, Test, TextField};
use super::facts::Facts;
use crate::mail::pattern::{Glob, domain_key};

/// The folded texts whose phrases are looked up, each a bit of [`RuleIndex::needs`].
const SUBJECT: u8 = 1;
const BODY: u8 = 2;

/// What it costs to look up a test, to pick the cheapest of an `all`: an address under its domain or
/// a word of the subject costs little; the body must be folded, often a thousand times the subject.
fn cost(test: &Test) -> Option<u32> {
    match test {
        Test::Address(_, AddressPattern::Glob(glob)) => Some(if glob.domain().is_some() { 1 } else { 3 }),
        Test::Phrase(field, _) => match texts(field)? {
            SUBJECT => Some(1),
            BODY => Some(8),
            _ => Some(9),
        },
        _ => None,
    }
}

/// The folded texts a phrase of `field` is looked up in; header values are not looked up.
fn texts(field: &TextField) -> Option<u8> {
    match field {
        TextField::Subject => Some(SUBJECT),
        TextField::Body => Some(BODY),
        TextField::Text => Some(SUBJECT | BODY),
        TextField::Header(_) => None,
    }
}

/// A set of rules by their position, one bit each.
type Rules = Vec<u64>;

fn insert(rules: &mut Rules, rule: usize) {
    if let Some(word) = rules.get_mut(rule / 64) {
        *word |= 1 << (rule % 64);
    }
}

fn contains(rules: &Rules, rule: usize) -> bool {
    rules.get(rule / 64).is_some_and(|word| word & (1 << (rule % 64)) != 0)
}

/// The rules of a rule set that each of its tests may let through, and how to find those tests in a
/// message.
#[derive(Debug, Default)]
pub(crate) struct RuleIndex {
    rule_count: usize,
    /// Rules that are tried on every message: nothing to look up shows they cannot match.
    always: Rules,
    /// Rules that need the subject's or the body's phrases looked up, and which of the two (bits).
    lazy: Rules,
    needs: Vec<u8>,
    subject: Phrases,
    body: Phrases,
    addresses: Vec<(AddressField, Addresses)>,
}

/// The phrases of one folded text.
#[derive(Debug, Default)]
struct Phrases {
    /// One pattern per distinct [`super::text::Phrase::needle`]; `None` when the field has none.
    matcher: Option<AhoCorasick>,
    /// The rules each pattern lets through.
    rules: Vec<Vec<usize>>,
}

/// The address globs of one field.
#[derive(Debug, Default)]
struct Addresses {
    /// Globs that name a domain, under it.
    by_domain: HashMap<String, Vec<(Glob, Vec<usize>)>>,
    /// The others (`anna@*`), tried on every address of the field.
    others: Vec<(Glob, Vec<usize>)>,
}

/// Collects phrases while the index is built.
#[derive(Default)]
struct PhraseList {
    needles: Vec<String>,
    rules: Vec<Vec<usize>>,
    ids: HashMap<String, usize>,
}

impl PhraseList {
    fn add(&mut self, needle: String, rule: usize) {
        let id = *self.ids.entry(needle.clone()).or_insert_with(|| {
            self.needles.push(needle);
            self.rules.push(Vec::new());
            self.rules.len() - 1
        });
        if let Some(rules) = self.rules.get_mut(id) {
            rules.push(rule);
        }
    }

    /// The matcher; should it not build (a set of phrases far beyond any office's), its rules are
    /// tried on every message instead, as they were before there was an index.
    fn build(self, always: &mut Rules) -> Phrases {
        if self.needles.is_empty() {
            return Phrases::default();
        }
        match AhoCorasick::builder().match_kind(MatchKind::Standard).build(&self.needles) {
            Ok(matcher) => Phrases { matcher: Some(matcher), rules: self.rules },
            Err(e) => {
                tracing::warn!("rule phrases cannot be looked up together, every such rule is tried: {e}");
                self.rules.iter().flatten().for_each(|&rule| insert(always, rule));
                Phrases::default()
            }
        }
    }
}

impl Addresses {
    fn add(&mut self, glob: &Glob, rule: usize) {
        let globs = match glob.domain() {
            Some(domain) => self.by_domain.entry(domain.to_owned()).or_default(),
            None => &mut self.others,
        };
        // Rules often repeat a glob (`*@office.example` for staff): one test for all of them.
        match globs.iter_mut().find(|(known, _)| known == glob) {
            Some((_, rules)) => rules.push(rule),
            None => globs.push((glob.clone(), vec![rule])),
        }
    }

    /// Lets through the rules of every glob that one of `field`'s addresses in the message matches.
    fn look_up(&self, field: AddressField, facts: &Facts<'_>, found: &mut Rules) {
        for address in field.addresses(facts.msg()) {
            let email = address.email.as_str();
            let by_domain = domain_key(email).and_then(|domain| self.by_domain.get(&domain));
            for (glob, rules) in by_domain.into_iter().flatten().chain(&self.others) {
                if glob.matches(email) {
                    rules.iter().for_each(|&rule| insert(found, rule));
                }
            }
        }
    }
}

impl Phrases {
    /// Lets through the rules of every phrase whose needle is in `folded`.
    fn look_up(&self, folded: &str, found: &mut Rules) {
        let Some(matcher) = &self.matcher else {
            return;
        };
        // A common word occurs many times; its rules are let through once.
        let mut seen = vec![false; self.rules.len()];
        for hit in matcher.find_overlapping_iter(folded) {
            let id = hit.pattern().as_usize();
            if let Some(first) = seen.get_mut(id).filter(|seen| !**seen) {
                *first = true;
                self.rules.get(id).into_iter().flatten().for_each(|&rule| insert(found, rule));
            }
        }
    }
}

impl RuleIndex {
    /// Indexes the `when` of each rule, in evaluation order.
    pub(crate) fn new<'c>(conditions: impl Iterator<Item = &'c Condition>) -> RuleIndex {
        let conditions: Vec<&Condition> = conditions.collect();
        let rule_count = conditions.len();
        let empty = vec![0; rule_count.div_ceil(64)];
        let (mut always, mut lazy) = (empty.clone(), empty);
        let mut needs = vec![0; rule_count];
        let (mut subject, mut body) = (PhraseList::default(), PhraseList::default());
        let mut addresses: Vec<(AddressField, Addresses)> = Vec::new();
        for (rule, condition) in conditions.into_iter().enumerate() {
            let Some((tests, _)) = condition.necessary_tests(&cost) else {
                insert(&mut always, rule);
                continue;
            };
            for test in tests {
                match test {
                    Test::Address(field, AddressPattern::Glob(glob)) => {
                        let at = match addresses.iter().position(|(known, _)| known == field) {
                            Some(at) => at,
                            None => {
                                addresses.push((*field, Addresses::default()));
                                addresses.len() - 1
                            }
                        };
                        if let Some((_, globs)) = addresses.get_mut(at) {
                            globs.add(glob, rule);
                        }
                    }
                    Test::Phrase(field, phrase) if let Some(texts) = texts(field) => {
                        if texts & SUBJECT != 0 {
                            subject.add(phrase.needle(), rule);
                        }
                        if texts & BODY != 0 {
                            body.add(phrase.needle(), rule);
                        }
                        needs[rule] |= texts;
                        insert(&mut lazy, rule);
                    }
                    // `cost` prices no other test, so `necessary_tests` gives none.
                    _ => insert(&mut always, rule),
                }
            }
        }
        let subject = subject.build(&mut always);
        let body = body.build(&mut always);
        RuleIndex { rule_count, always, lazy, needs, subject, body, addresses }
    }

    /// The positions of the rules that may match the message of `facts`, in order; every rule that
    /// matches is among them.
    pub(crate) fn candidates<'i, 'f, 'm>(&'i self, facts: &'f Facts<'m>) -> Candidates<'i, 'f, 'm> {
        let mut found = self.always.clone();
        for (field, globs) in &self.addresses {
            globs.look_up(*field, facts, &mut found);
        }
        Candidates { index: self, facts, found, pending: SUBJECT | BODY, next: 0 }
    }
}

/// The rules that may match one message, found as evaluation goes: see [`RuleIndex::candidates`].
pub(crate) struct Candidates<'i, 'f, 'm> {
    index: &'i RuleIndex,
    facts: &'f Facts<'m>,
    /// Rules let through so far.
    found: Rules,
    /// The folded texts not yet looked up.
    pending: u8,
    /// The position from which to go on.
    next: usize,
}

impl Candidates<'_, '_, '_> {
    fn look_up(&mut self, texts: u8) {
        if texts & SUBJECT != 0 {
            self.index.subject.look_up(self.facts.subject(), &mut self.found);
        }
        if texts & BODY != 0 {
            self.index.body.look_up(self.facts.body(), &mut self.found);
        }
        self.pending &= !texts;
    }
}

impl Iterator for Candidates<'_, '_, '_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.next < self.index.rule_count {
            let word = self.next / 64;
            let mut bits = self.found.get(word).copied().unwrap_or(0);
            if self.pending != 0 {
                bits |= self.index.lazy.get(word).copied().unwrap_or(0);
            }
            bits &= u64::MAX << (self.next % 64);
            if bits == 0 {
                self.next = (word + 1) * 64;
                continue;
            }
            let rule = word * 64 + bits.trailing_zeros() as usize;
            self.next = rule + 1;
            if !contains(&self.found, rule) {
                // A rule whose phrases are not looked up yet: look them up now, for it and the rest.
                let texts = self.index.needs.get(rule).copied().unwrap_or(0) & self.pending;
                self.look_up(texts);
                if !contains(&self.found, rule) {
                    continue;
                }
            }
            return Some(rule);
        }
        None
    }
}
