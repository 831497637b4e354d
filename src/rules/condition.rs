//! The condition tree of a rule (`when`), and its evaluation against one message.
//!
//! Everything that can be prepared is prepared at load time (globs, folded phrases, regexes), and the
//! children of `all`/`any` are ordered cheapest first, since evaluation stops at the first child that
//! decides. Per message, the folded subject and body are computed at most once, and only if some
//! condition asks for them (see `facts`). Traces put the children back in the order of the file.

use std::borrow::Cow;
use std::fmt;

use regex::Regex;

use super::facts::Facts;
use super::text::Phrase;
use super::trace::ConditionTrace;
use crate::intent::Intent;
use crate::mail::message::{Address, Message};
use crate::mail::pattern::Glob;

/// A condition over a message: a tree of `all`/`any`/`not` over tests of one field each.
#[derive(Debug, Clone)]
pub struct Condition {
    node: Node,
    /// Byte offset in the rule file, to show conditions in the order they were written.
    at: usize,
    cost: u8,
}

#[derive(Debug, Clone)]
enum Node {
    Always,
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Test(Test),
}

/// One test of one field of the message.
#[derive(Debug, Clone)]
pub(crate) enum Test {
    Address(AddressField, AddressPattern),
    Phrase(TextField, Phrase),
    Regex(TextField, Regex),
    HeaderPresent(String, bool),
    Attachment(AttachmentTest),
    Calendar(CalendarTest),
    Size {
        over: Option<Bytes>,
        under: Option<Bytes>,
    },
    Automatic(bool),
    /// `intent = "…"`: the name as written and the intents it stands for; holds when one of them does.
    Intent(String, Vec<Intent>),
    /// `unsure = true`: the readers found something but cannot say what for sure.
    Unsure(bool),
}

/// The address fields a rule can test; `Recipients` is To and Cc together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddressField {
    From,
    To,
    Cc,
    Recipients,
    ReplyTo,
}

#[derive(Debug, Clone)]
pub(crate) enum AddressPattern {
    Glob(Glob),
    /// Run on the lower-cased address.
    Regex(Regex),
}

/// The text fields a rule can test; `Text` is the subject or the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TextField {
    Subject,
    Body,
    Text,
    Header(String),
}

#[derive(Debug, Clone)]
pub(crate) enum AttachmentTest {
    /// `attachment = true` / `false`.
    Any(bool),
    /// `{ type = "…", name = "…" }`: one attachment matches both given globs.
    Matching { content_type: Option<Glob>, name: Option<Glob> },
}

#[derive(Debug, Clone)]
pub(crate) enum CalendarTest {
    /// `calendar = true` / `false`.
    Any(bool),
    /// `calendar = "REQUEST"`, upper case.
    Method(String),
}

/// A size as written (`"5MB"`) and in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bytes {
    pub(crate) bytes: u64,
    pub(crate) written: String,
}

impl Condition {
    /// The condition of a rule without `when`: it matches every message.
    pub(crate) fn always() -> Condition {
        Condition { node: Node::Always, at: 0, cost: 0 }
    }

    pub(crate) fn test(test: Test, at: usize) -> Condition {
        let cost = test.cost();
        Condition { node: Node::Test(test), at, cost }
    }

    /// All of `items`; a single item stands for itself.
    pub(crate) fn all(items: Vec<Condition>, at: usize) -> Condition {
        Condition::group(items, at, Node::All)
    }

    /// Any of `items`; a single item stands for itself.
    pub(crate) fn any(items: Vec<Condition>, at: usize) -> Condition {
        Condition::group(items, at, Node::Any)
    }

    pub(crate) fn not(item: Condition, at: usize) -> Condition {
        let cost = item.cost;
        Condition { node: Node::Not(Box::new(item)), at, cost }
    }

    fn group(mut items: Vec<Condition>, at: usize, node: fn(Vec<Condition>) -> Node) -> Condition {
        if items.len() == 1
            && let Some(item) = items.pop()
        {
            return item;
        }
        items.sort_by_key(|item| item.cost);
        let cost = items.iter().map(|item| item.cost).max().unwrap_or(0);
        Condition { node: node(items), at, cost }
    }

    /// Whether every message that satisfies `self` also satisfies `other`, as far as their structure
    /// shows: `true` is certain, `false` proves nothing. How a rule shadowed by an earlier one is found.
    ///
    /// Each comparison of two parts spends one of `steps`, and `None` says they ran out: with `any` and
    /// `all` nested on both sides, the parts to compare grow exponentially with the depth.
    pub(crate) fn implies(&self, other: &Condition, steps: &mut u64) -> Option<bool> {
        *steps = steps.checked_sub(1)?;
        if matches!(other.node, Node::Always) {
            return Some(true);
        }
        if let Node::All(items) = &other.node
            && every(items, |item| self.implies(item, steps))?
        {
            return Some(true);
        }
        if let Node::Any(items) = &other.node
            && some(items, |item| self.implies(item, steps))?
        {
            return Some(true);
        }
        if let Node::All(items) = &self.node
            && some(items, |item| item.implies(other, steps))?
        {
            return Some(true);
        }
        if let Node::Any(items) = &self.node
            && every(items, |item| item.implies(other, steps))?
        {
            return Some(true);
        }
        match (&self.node, &other.node) {
            // Not a ⇒ not b exactly when b ⇒ a.
            (Node::Not(mine), Node::Not(theirs)) => theirs.implies(mine, steps),
            // Tests are shown in full (field, pattern, flags), so the same text is the same test.
            (Node::Test(mine), Node::Test(theirs)) => Some(mine.to_string() == theirs.to_string()),
            _ => Some(false),
        }
    }

    /// Tests of which one holds whenever the condition does, picked among those `cost` prices (the
    /// ones it can look up cheaply), with the sum of their prices: what the rule index looks up before
    /// it evaluates the rule. `None` when the condition can hold without any of them (no conditions,
    /// `not`, or a test it does not price).
    ///
    /// `any` needs one of its items' tests; `all` needs those of any one item, and the cheapest is taken.
    pub(crate) fn necessary_tests<'c>(
        &'c self,
        cost: &impl Fn(&Test) -> Option<u32>,
    ) -> Option<(Vec<&'c Test>, u32)> {
        match &self.node {
            Node::Always | Node::Not(_) => None,
            Node::Test(test) => cost(test).map(|price| (vec![test], price)),
            Node::Any(items) => items.iter().try_fold((Vec::new(), 0), |(mut tests, total), item| {
                let (more, price) = item.necessary_tests(cost)?;
                tests.extend(more);
                Some((tests, total + price))
            }),
            Node::All(items) => {
                items.iter().filter_map(|item| item.necessary_tests(cost)).min_by_key(|(_, price)| *price)
            }
        }
    }

    pub(crate) fn eval(&self, facts: &Facts<'_>) -> bool {
        match &self.node {
            Node::Always => true,
            Node::All(items) => items.iter().all(|item| item.eval(facts)),
            Node::Any(items) => items.iter().any(|item| item.eval(facts)),
            Node::Not(item) => !item.eval(facts),
            Node::Test(test) => test.eval(facts),
        }
    }

    /// Evaluates every part, without stopping early, to show why the condition holds or not.
    pub(crate) fn trace(&self, facts: &Facts<'_>) -> ConditionTrace {
        let (children, result) = match &self.node {
            Node::Always => (Vec::new(), true),
            Node::All(items) => {
                let children = trace_all(items, facts);
                let result = children.iter().all(|c| c.result);
                (children, result)
            }
            Node::Any(items) => {
                let children = trace_all(items, facts);
                let result = children.iter().any(|c| c.result);
                (children, result)
            }
            Node::Not(item) => {
                let child = item.trace(facts);
                let result = !child.result;
                (vec![child], result)
            }
            Node::Test(test) => (Vec::new(), test.eval(facts)),
        };
        ConditionTrace { condition: self.to_string(), result, children }
    }
}

/// Whether `holds` is true of every item; `None` as soon as it cannot tell.
fn every(items: &[Condition], mut holds: impl FnMut(&Condition) -> Option<bool>) -> Option<bool> {
    for item in items {
        if !holds(item)? {
            return Some(false);
        }
    }
    Some(true)
}

/// Whether `holds` is true of some item; `None` as soon as it cannot tell.
fn some(items: &[Condition], mut holds: impl FnMut(&Condition) -> Option<bool>) -> Option<bool> {
    for item in items {
        if holds(item)? {
            return Some(true);
        }
    }
    Some(false)
}

fn trace_all(items: &[Condition], facts: &Facts<'_>) -> Vec<ConditionTrace> {
    let mut in_file_order: Vec<&Condition> = items.iter().collect();
    in_file_order.sort_by_key(|item| item.at);
    in_file_order.iter().map(|item| item.trace(facts)).collect()
}

/// One line of a trace: what the node tests, without its children.
impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.node {
            Node::Always => f.write_str("no conditions: matches every message"),
            Node::All(_) => f.write_str("all of"),
            Node::Any(_) => f.write_str("any of"),
            Node::Not(_) => f.write_str("not"),
            Node::Test(test) => test.fmt(f),
        }
    }
}

impl Test {
    /// A rough relative cost, to try cheap tests first.
    fn cost(&self) -> u8 {
        match self {
            Test::Size { .. } => 0,
            Test::HeaderPresent(..) | Test::Attachment(_) | Test::Calendar(_) => 1,
            Test::Address(_, AddressPattern::Glob(_)) => 1,
            Test::Address(_, AddressPattern::Regex(_)) | Test::Automatic(_) => 2,
            Test::Phrase(field, _) => field.cost() + 1,
            // The readers read the whole message (dates, catalog lines): the dearest test by far.
            Test::Intent(..) | Test::Unsure(_) => 9,
            Test::Regex(field, _) => field.cost() + 2,
        }
    }

    fn eval(&self, facts: &Facts<'_>) -> bool {
        let msg = facts.msg();
        match self {
            Test::Address(field, pattern) => field.addresses(msg).any(|address| match pattern {
                AddressPattern::Glob(glob) => glob.matches(&address.email),
                AddressPattern::Regex(regex) => regex.is_match(&lowercase(&address.email)),
            }),
            Test::Phrase(field, phrase) => match field {
                TextField::Subject => phrase.is_in(facts.subject()),
                TextField::Body => phrase.is_in(facts.body()),
                TextField::Text => phrase.is_in(facts.subject()) || phrase.is_in(facts.body()),
                TextField::Header(name) => facts
                    .header_values(name)
                    .any(|value| facts.with_folded(value, |folded| phrase.is_in(folded))),
            },
            Test::Regex(field, regex) => match field {
                TextField::Subject => regex.is_match(&msg.subject),
                TextField::Body => regex.is_match(&msg.text),
                TextField::Text => regex.is_match(&msg.subject) || regex.is_match(&msg.text),
                TextField::Header(name) => facts.header_values(name).any(|v| regex.is_match(v)),
            },
            Test::HeaderPresent(name, present) => facts.header_values(name).next().is_some() == *present,
            Test::Attachment(AttachmentTest::Any(present)) => msg.attachments.is_empty() != *present,
            Test::Attachment(AttachmentTest::Matching { content_type, name }) => {
                msg.attachments.iter().any(|attachment| {
                    content_type.as_ref().is_none_or(|glob| glob.matches(&attachment.content_type))
                        && name.as_ref().is_none_or(|glob| glob.matches(&attachment.name))
                })
            }
            Test::Calendar(CalendarTest::Any(present)) => msg.calendars.is_empty() != *present,
            Test::Calendar(CalendarTest::Method(method)) => msg
                .calendars
                .iter()
                .any(|calendar| calendar.method.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(method))),
            Test::Size { over, under } => {
                let size = msg.size as u64;
                over.as_ref().is_none_or(|over| size > over.bytes)
                    && under.as_ref().is_none_or(|under| size < under.bytes)
            }
            Test::Automatic(automatic) => facts.automatic() == *automatic,
            Test::Intent(_, intents) => intents.iter().any(|intent| facts.intents().holds(*intent)),
            Test::Unsure(unsure) => facts.intents().unsure() == *unsure,
        }
    }
}

impl fmt::Display for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Test::Address(field, AddressPattern::Glob(glob)) => write!(f, "{field} matches {glob}"),
            Test::Address(field, AddressPattern::Regex(regex)) => {
                write!(f, "{field} matches regex {:?}", regex.as_str())
            }
            Test::Phrase(field, phrase) => write!(f, "{field} contains {phrase}"),
            Test::Regex(field, regex) => write!(f, "{field} matches regex {:?}", regex.as_str()),
            Test::HeaderPresent(name, true) => write!(f, "header {name:?} is present"),
            Test::HeaderPresent(name, false) => write!(f, "header {name:?} is absent"),
            Test::Attachment(AttachmentTest::Any(true)) => f.write_str("has an attachment"),
            Test::Attachment(AttachmentTest::Any(false)) => f.write_str("has no attachment"),
            Test::Attachment(AttachmentTest::Matching { content_type, name }) => {
                f.write_str("has an attachment")?;
                if let Some(glob) = content_type {
                    write!(f, " of type {glob}")?;
                }
                if let Some(glob) = name {
                    write!(f, " named {glob}")?;
                }
                Ok(())
            }
            Test::Calendar(CalendarTest::Any(true)) => f.write_str("has a calendar part"),
            Test::Calendar(CalendarTest::Any(false)) => f.write_str("has no calendar part"),
            Test::Calendar(CalendarTest::Method(method)) => {
                write!(f, "calendar method is {method:?}")
            }
            Test::Size { over, under } => {
                f.write_str("size")?;
                if let Some(over) = over {
                    write!(f, " over {} ({} bytes)", over.written, over.bytes)?;
                }
                if let Some(under) = under {
                    let and = if over.is_some() { " and" } else { "" };
                    write!(f, "{and} under {} ({} bytes)", under.written, under.bytes)?;
                }
                Ok(())
            }
            Test::Automatic(true) => f.write_str("is automatic (machine-generated)"),
            Test::Automatic(false) => f.write_str("is not automatic"),
            Test::Intent(name, _) => write!(f, "asks for {name:?}"),
            Test::Unsure(true) => f.write_str("is unsure (the readers cannot say for sure what it asks)"),
            Test::Unsure(false) => f.write_str("is not unsure"),
        }
    }
}

impl AddressField {
    pub(crate) fn addresses(self, msg: &Message) -> impl Iterator<Item = &Address> {
        let (first, second): (&[Address], &[Address]) = match self {
            AddressField::From => (&msg.from, &[]),
            AddressField::To => (&msg.to, &[]),
            AddressField::Cc => (&msg.cc, &[]),
            AddressField::Recipients => (&msg.to, &msg.cc),
            AddressField::ReplyTo => (&msg.reply_to, &[]),
        };
        first.iter().chain(second)
    }
}

impl fmt::Display for AddressField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressField::From => "from",
            AddressField::To => "to",
            AddressField::Cc => "cc",
            AddressField::Recipients => "recipients",
            AddressField::ReplyTo => "reply_to",
        })
    }
}

impl TextField {
    fn cost(&self) -> u8 {
        match self {
            TextField::Subject => 1,
            TextField::Header(_) => 2,
            TextField::Body | TextField::Text => 3,
        }
    }
}

impl fmt::Display for TextField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextField::Subject => f.write_str("subject"),
            TextField::Body => f.write_str("body"),
            TextField::Text => f.write_str("text"),
            TextField::Header(name) => write!(f, "header {name:?}"),
        }
    }
}

fn lowercase(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_uppercase) { Cow::Owned(s.to_lowercase()) } else { Cow::Borrowed(s) }
}
