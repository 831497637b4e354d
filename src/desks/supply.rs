//! The supply desk: the office's supply cupboard. Colleagues email what they need; clerk reads the
//! order against the catalog, hands out what the shelf holds, orders the rest from the vendor, and
//! writes back with a request number. It keeps the stock ledger, puts what runs low on draft purchase
//! orders, follows the vendors' answers and the deliveries, and tells each requester when their
//! items arrive.
//!
//! - **Who may order.** `[supply] requesters` (default: the assistant's domain) and the manager.
//!   Anyone else gets a polite answer, and the manager gets their message.
//! - **Reading.** Only the new text of a message (and a CSV attachment) is read, so a quoted order is
//!   never ordered again; a line clerk is unsure of is asked about, never guessed.
//! - **Approval.** A request over `[supply] approval_limit`, or asking for more of an item than
//!   `max_per_request`, waits for the manager's "approve" or "reject"; so does a purchase order over
//!   its vendor's limit.
//! - **Conversations.** Every message clerk sends about a request or an order is remembered, so the
//!   manager's verdict, a vendor's confirmation and a colleague's "received PO-2026-0012" find theirs;
//!   the numbers in subjects are a fallback.
//! - **Machines** never order. A vendor's order system may confirm an order (its mail is often
//!   automatic), but a bounce changes nothing.

pub mod order_mail;
pub mod ordering;
mod purchasing;
mod requests;
pub mod restock;
#[cfg(test)]
mod tests;
mod view;

use chrono::Datelike;

pub use self::view::{BatchSupply, NoSupply, SupplyView, level};
pub(super) use requests::csv_attachments;

use super::{Context, DeskError, Outcome};
use crate::actions::ReplyHistory;
use crate::effects::{Effect, MailKind};
use crate::guard::Answer;
use crate::mail::compose::{self, AutoSubmitted, Extras, Notice, Reply};
use crate::mail::message::{Address, Message};
use crate::mail::reply_text;
use crate::rules::RuleSet;
use crate::supply::{Catalog, OrderNumber, RequestNumber, SupplyChange, Thread, words};

/// Handles one message routed to the supply desk (or continuing one of its conversations).
pub fn handle(
    cx: &Context<'_>,
    view: &dyn SupplyView,
    history: &mut dyn ReplyHistory,
) -> Result<Outcome, DeskError> {
    let Some(catalog) = &cx.rules.catalog else {
        return Ok(Outcome::note("supply desk: nothing done: the rules directory has no catalog.toml"));
    };
    let Some(sender) = cx.msg.from.first() else {
        return Ok(Outcome::note("supply desk: nothing done: the message has no sender"));
    };
    let mut desk = SupplyCase {
        cx,
        catalog,
        view,
        sender,
        new_text: reply_text::new_text(&cx.msg.text),
        change: SupplyChange::default(),
        outcome: Outcome::default(),
        low: Vec::new(),
    };
    desk.route(history)?;
    purchasing::tell_low(&mut desk)?;
    Ok(desk.finish())
}

/// The request or order a message continues, for mail a rule handed elsewhere: a vendor's answer to a
/// purchase order, the manager's verdict, a colleague's follow-up. Calendar mail is left to its rules.
pub fn conversation(
    rules: &RuleSet,
    msg: &Message,
    view: &dyn SupplyView,
) -> Result<Option<Thread>, DeskError> {
    if rules.catalog.is_none() || !msg.calendars.is_empty() {
        return Ok(None);
    }
    let ids: Vec<String> = msg.in_reply_to.iter().chain(&msg.references).cloned().collect();
    Ok(view.thread(&ids)?)
}

/// A message at the supply desk, with what the desk has found out about it so far.
struct SupplyCase<'a> {
    cx: &'a Context<'a>,
    catalog: &'a Catalog,
    view: &'a dyn SupplyView,
    sender: &'a Address,
    /// What the message says that is new: the quoted history and signature split off.
    new_text: &'a str,
    /// What the message changes, as decided so far.
    change: SupplyChange,
    outcome: Outcome,
    /// The low-stock alerts the message causes, written last (when its orders have gone).
    low: Vec<crate::supply::letters::LowStock>,
}

impl<'a> SupplyCase<'a> {
    /// Decides what the message is: a vendor's answer, the manager's verdict, a delivery, a request.
    fn route(&mut self, history: &mut dyn ReplyHistory) -> Result<(), DeskError> {
        let msg = self.cx.msg;
        let ids: Vec<String> = msg.in_reply_to.iter().chain(&msg.references).cloned().collect();
        let thread = match self.seen().thread(&ids)? {
            Some(thread) => Some(thread),
            None => self
                .order_named(&msg.subject)?
                .or(self.order_named(self.new_text)?)
                .map(Thread::Order)
                .or_else(|| RequestNumber::find_in(&msg.subject).map(Thread::Request)),
        };
        let vendor = self.catalog.vendor_at(&self.sender.email);
        if let (Some(vendor), Some(Thread::Order(number))) = (vendor, thread)
            && let Some(order) = self.seen().order(number)?
            && order.vendor == vendor.name
        {
            if let Some(reason) = self.cx.guard.holding_back(Answer::VendorAnswer).next() {
                self.note(format!("{number}: nothing done: {reason}"));
                return Ok(());
            }
            return purchasing::vendor_reply(self, order, vendor);
        }
        let machine = self.cx.guard.why_not(Answer::Record);
        if !machine.is_empty() {
            self.note(format!("nothing done: {}", machine.join("; ")));
            return Ok(());
        }
        let manager = self.is_manager();
        let requester = manager || self.is_requester();
        if manager && let (Some(verdict), Some(thread)) = (words::verdict(self.new_text), thread) {
            return match thread {
                Thread::Request(number) => requests::decide(self, number, verdict),
                Thread::Order(number) => purchasing::decide(self, number, verdict),
            };
        }
        if requester
            && words::delivered(self.new_text)
            && let Some(Thread::Order(number)) = thread
        {
            return purchasing::delivery(self, number, history);
        }
        // Word that an order came which clerk cannot find ("arrivato il PO-0007" with no such order):
        // a person matches it; it is never a new request for what it lists.
        let names_an_order = OrderNumber::find_in(&msg.subject).is_some()
            || OrderNumber::find_in(self.new_text).is_some()
            || OrderNumber::find_short(&msg.subject).is_some()
            || OrderNumber::find_short(self.new_text).is_some();
        if thread.is_none() && names_an_order && words::delivered(self.new_text) {
            self.note(
                "a delivery for a purchase order clerk does not know: passed to the manager".to_owned(),
            );
            let note = format!(
                "{} wrote that an order came, but clerk knows no purchase order by the number they give; their message is below.",
                self.sender.email
            );
            return self.forward_to_manager(note, "delivery");
        }
        if let Some(vendor) = vendor {
            let note = format!(
                "{} ({}) wrote to the assistant about something that is not an order clerk knows; their message is below.",
                vendor.name, self.sender.email
            );
            self.note(format!(
                "a message from vendor {} about no known order: passed to the manager",
                vendor.name
            ));
            return self.forward_to_manager(note, "vendor");
        }
        if requester {
            return requests::request(self, thread, history);
        }
        requests::stranger(self, history)
    }

    /// The order `text` names: `PO-2026-0042`, or the short `PO-0042` for the newest order with that
    /// sequence, preferring one a vendor still owes.
    fn order_named(&self, text: &str) -> Result<Option<OrderNumber>, DeskError> {
        if let Some(number) = OrderNumber::find_in(text) {
            return Ok(Some(number));
        }
        let Some(sequence) = OrderNumber::find_short(text) else { return Ok(None) };
        let mut orders: Vec<_> =
            self.seen().orders(&[])?.into_iter().filter(|o| o.number.sequence == sequence).collect();
        orders.sort_by_key(|o| (o.state.is_out(), o.number.year));
        Ok(orders.last().map(|o| o.number))
    }

    fn finish(mut self) -> Outcome {
        if self.change != SupplyChange::default() {
            self.outcome.effects.push(Effect::Supply(Box::new(self.change)));
        }
        self.outcome
    }

    /// The store as this message has changed it so far.
    fn seen(&self) -> BatchSupply<'_> {
        BatchSupply { store: self.view, pending: vec![self.change.clone()] }
    }

    fn is_manager(&self) -> bool {
        self.sender.is(&self.catalog.settings.manager)
    }

    /// Whether the sender may order: `[supply] requesters`, else the assistant's domain.
    fn is_requester(&self) -> bool {
        let requesters = &self.catalog.settings.requesters;
        let address = &self.sender.email;
        if requesters.is_empty() {
            let domain = crate::mail::message::domain_of(&self.cx.rules.office.assistant.address);
            return crate::mail::message::domain_of(address).eq_ignore_ascii_case(domain);
        }
        requesters.iter().any(|glob| glob.matches(address))
    }

    /// The year numbers are counted in: the office's.
    fn year(&self) -> i32 {
        self.cx.now.with_timezone(&self.cx.rules.office.timezone).year()
    }

    /// The number of a request this message opens: the next of the year.
    fn open_request(&mut self) -> Result<RequestNumber, DeskError> {
        let year = self.year();
        let (highest, _) = self.seen().highest_numbers(year)?;
        let number = RequestNumber { year, sequence: highest + 1 };
        self.change.opened.push(Thread::Request(number));
        Ok(number)
    }

    /// Puts `order` into the change, replacing an earlier version of it.
    fn put_order(&mut self, order: crate::supply::PurchaseOrder) {
        self.change.orders.retain(|o| o.number != order.number);
        self.change.orders.push(order);
    }

    /// Puts `request` into the change, replacing an earlier version of it.
    fn put_request(&mut self, request: crate::supply::Request) {
        self.change.requests.retain(|r| r.number != request.number);
        self.change.requests.push(request);
    }

    /// Remembers that the message (and `more` of clerk's own) belong to `thread`.
    fn remember(&mut self, thread: Thread, more: impl IntoIterator<Item = String>) {
        let own = self.cx.msg.message_id.clone();
        self.remember_only(thread, own.into_iter().chain(more));
    }

    /// Remembers that the mail `ids` (clerk's own) belong to `thread`.
    fn remember_only(&mut self, thread: Thread, ids: impl IntoIterator<Item = String>) {
        for id in ids {
            if !self.change.threads.iter().any(|(i, _)| *i == id) {
                self.change.threads.push((id, thread));
            }
        }
    }

    /// An automatic answer to the sender, with the guard and the reply limit (per `key`: a request's
    /// number, so each request is confirmed once) applied; its Message-ID, or `None` (with a note)
    /// when it may not go.
    fn reply(
        &mut self,
        key: &str,
        subject: String,
        body: String,
        history: &mut dyn ReplyHistory,
    ) -> Result<Option<String>, DeskError> {
        let cx = self.cx;
        let why = cx.guard.why_not(Answer::Reply);
        if !why.is_empty() {
            self.note(format!("no answer to {}: {}", self.sender.email, why.join("; ")));
            return Ok(None);
        }
        let Some(target) = cx.msg.reply_target().map(str::to_owned) else {
            self.note("no answer: the message has no address to reply to");
            return Ok(None);
        };
        let limit_key = format!("{} {key}", cx.rule);
        let limit = cx.rules.office.replies.limit;
        if let Some(why) = crate::actions::rate_limited(&limit_key, &target, limit, history, cx.now)? {
            self.note(format!("no answer: {why}"));
            return Ok(None);
        }
        let identity = crate::actions::identity(&cx.rules.office);
        let seed = format!("{}\0supply\0{key}", cx.content_hash);
        let mail = compose::reply(&Reply {
            original: cx.msg,
            from: &identity,
            to: Address { name: crate::actions::display_name_for(cx.msg, &target), email: target.clone() },
            cc: Vec::new(),
            subject,
            body,
            message_id: compose::message_id(
                seed.as_bytes(),
                crate::mail::message::domain_of(&identity.address),
            ),
            date: cx.now,
            auto_submitted: AutoSubmitted::AutoReplied,
            loop_header_value: identity.address.clone(),
        })
        .map_err(|e| DeskError::Letter(e.to_string()))?;
        history.note_reply(&target, &limit_key, cx.now.timestamp());
        let id = mail.message_id.clone();
        self.outcome.effects.push(Effect::Send { kind: MailKind::Reply, rule: cx.rule.to_owned(), mail });
        self.outcome.effects.push(Effect::NoteReply { sender: target, rule: limit_key });
        Ok(Some(id))
    }

    /// A letter clerk starts to `to` (the manager, a requester, a vendor), in `thread`; its
    /// Message-ID. `seed` says what it is, so a re-run composes the same one.
    fn letter(
        &mut self,
        to: Address,
        subject: String,
        text: String,
        thread: Vec<String>,
        seed: &str,
    ) -> Result<String, DeskError> {
        let cx = self.cx;
        let office = &cx.rules.office;
        let identity = crate::actions::identity(office);
        let notice = Notice {
            from: &identity,
            to: vec![to],
            subject,
            html: compose::html_document(&text),
            text,
            message_id: compose::message_id(
                format!("{}\0supply\0{seed}", cx.content_hash).as_bytes(),
                crate::mail::message::domain_of(&identity.address),
            ),
            date: cx.now,
            loop_header_value: identity.address.clone(),
        };
        let mail = compose::letter(&notice, &Extras { thread, ..Extras::default() })
            .map_err(|e| DeskError::Letter(e.to_string()))?;
        let id = mail.message_id.clone();
        self.outcome.effects.push(Effect::Send { kind: MailKind::Notice, rule: cx.rule.to_owned(), mail });
        Ok(id)
    }

    /// Sends `mail` (a purchase order, a reminder) as a notice of this message.
    fn send(&mut self, mail: compose::OutboundMail) {
        self.outcome.effects.push(Effect::Send {
            kind: MailKind::Notice,
            rule: self.cx.rule.to_owned(),
            mail,
        });
    }

    /// The message forwarded to the manager, inline with its attachments, with `note` on top.
    fn forward_to_manager(&mut self, note: String, seed: &str) -> Result<(), DeskError> {
        let forward =
            self.cx.forward_inline(vec![self.manager()], note, &format!("supply forward\0{seed}"))?;
        self.outcome.effects.push(forward);
        Ok(())
    }

    fn manager(&self) -> Address {
        let address = &self.catalog.settings.manager;
        let office = &self.cx.rules.office;
        let name =
            office.owners.iter().find(|o| o.address.eq_ignore_ascii_case(address)).map(|o| o.name.clone());
        Address { name, email: address.clone() }
    }

    /// The manager's name for letters ("Giulia Rossi"), else the address.
    fn manager_name(&self) -> String {
        let manager = self.manager();
        manager.name.unwrap_or(manager.email)
    }

    fn signature(&self) -> String {
        format!("{}\n", self.cx.rules.office.assistant.name)
    }

    fn note(&mut self, note: impl Into<String>) {
        self.outcome.notes.push(format!("supply desk: {}", note.into()));
    }
}
