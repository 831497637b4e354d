//! What rule evaluation knows about one message, computed lazily and at most once.
//!
//! The folded subject and body are the expensive part of classifying, and many messages are decided
//! before any rule asks for them, so they are folded on first use. Their buffers come from a small
//! per-thread pool and go back to it when the evaluation ends, so that classifying a stream of messages
//! does not allocate for them again and again.

use std::cell::{OnceCell, RefCell};

use crate::intent::{self, Reading};
use crate::mail::message::Message;
use crate::office::Office;
use crate::supply::Catalog;
use crate::text::fold_into;

/// Reads what `msg` asks of `office`: who is staff, who is a vendor of the catalog, what can be
/// ordered.
pub(crate) fn read_intents(msg: &Message, office: &Office, catalog: Option<&Catalog>) -> Reading {
    let is_staff = |address: &str| office.is_staff(address);
    intent::read(msg, &intent::Office { is_staff: &is_staff, catalog, zone: Some(office.timezone) })
}

/// One message under evaluation.
pub(crate) struct Facts<'m> {
    msg: &'m Message,
    /// What reading the message's intents needs of the office.
    office: &'m Office,
    catalog: Option<&'m Catalog>,
    subject: OnceCell<String>,
    body: OnceCell<String>,
    automatic: OnceCell<bool>,
    intents: OnceCell<Reading>,
}

thread_local! {
    /// Fold buffers of finished evaluations, waiting to be reused.
    static BUFFERS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A text folded into a pooled buffer.
fn folded(text: &str) -> String {
    let mut buffer = BUFFERS.with(|pool| pool.borrow_mut().pop()).unwrap_or_default();
    fold_into(text, &mut buffer);
    buffer
}

/// Returns a buffer to the pool; the pool holds a few, enough for nested evaluations.
fn give_back(buffer: String) {
    BUFFERS.with(|pool| {
        let mut pool = pool.borrow_mut();
        if pool.len() < 4 {
            pool.push(buffer);
        }
    });
}

impl<'m> Facts<'m> {
    pub(crate) fn new(msg: &'m Message, office: &'m Office, catalog: Option<&'m Catalog>) -> Facts<'m> {
        Facts {
            msg,
            office,
            catalog,
            subject: OnceCell::new(),
            body: OnceCell::new(),
            automatic: OnceCell::new(),
            intents: OnceCell::new(),
        }
    }

    /// The message itself, for what needs no preparation.
    pub(crate) fn msg(&self) -> &'m Message {
        self.msg
    }

    /// The subject, folded for phrase matching.
    pub(crate) fn subject(&self) -> &str {
        self.subject.get_or_init(|| folded(&self.msg.subject))
    }

    /// The body text, folded for phrase matching.
    pub(crate) fn body(&self) -> &str {
        self.body.get_or_init(|| folded(&self.msg.text))
    }

    /// Runs `f` on `text` folded; for header values, which are rarely tested and not worth keeping.
    pub(crate) fn with_folded<T>(&self, text: &str, f: impl FnOnce(&str) -> T) -> T {
        let buffer = folded(text);
        let result = f(&buffer);
        give_back(buffer);
        result
    }

    /// The values of every header called `name`, ignoring the case of names.
    pub(crate) fn header_values<'n>(&self, name: &'n str) -> impl Iterator<Item = &'m str> + 'n
    where
        'm: 'n,
    {
        self.msg
            .headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// What the message asks, read once, when a rule first asks.
    pub(crate) fn intents(&self) -> &Reading {
        self.intents.get_or_init(|| read_intents(self.msg, self.office, self.catalog))
    }

    /// Whether the message looks machine-generated.
    pub(crate) fn automatic(&self) -> bool {
        *self.automatic.get_or_init(|| crate::guard::is_automatic(self.msg))
    }
}

impl Drop for Facts<'_> {
    fn drop(&mut self) {
        for buffer in [self.subject.take(), self.body.take()].into_iter().flatten() {
            give_back(buffer);
        }
    }
}
