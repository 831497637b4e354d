//! What a message asks of the office, read by clerk's own readers: a meeting, supplies, an answer,
//! or nothing at all (an invoice, a shipping notice, a newsletter, an automatic reply, spam, chat
//! between colleagues).
//!
//! Keywords in a subject route a quarter of real office mail to the wrong desk: half the requests to
//! meet say nothing of meeting in the subject, colleagues order with words no list holds, and "the
//! agenda" (`ordine del giorno`), "a credit card" (`carta di credito`) or "thanks for yesterday's
//! meeting" look like a desk's keyword and ask nothing of it. So each intent rests on several weak
//! signals, each worth some points and each kept as evidence: the headers (spam verdicts, automatic
//! mail, lists), who writes (a colleague, a vendor of the catalog, a stranger), and the new text of
//! the message (quotes, signatures and disclaimers left out; a colleague's forward read for what it
//! forwards) as the desks' readers see it: a day or time (the time reader), catalog items with
//! quantities (the order reader), a purchase order's number, and the speech acts around them (a
//! request, a cancellation, thanks, a complaint). Points make a confidence; an intent [holds] when it
//! is sure and leads the others, and a message none of whose intents is sure enough, or whose two
//! leading intents want different desks, is [unsure]: the shipped rules send it to a person rather
//! than act on a guess.
//!
//! Reading is bounded like the desks' readers: the first [`MOST_LINES`] lines of the new text, each
//! cut to [`LINE_BYTES`], so a megabyte of text costs what its top does.
//!
//! [holds]: Reading::holds
//! [unsure]: Reading::unsure

mod cues;
mod machine;
mod meeting;
mod people;
mod speech;
mod supply;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::mail::message::Message;
use crate::supply::Catalog;

pub use people::Writer;

/// Lines of the new text read at most.
pub const MOST_LINES: usize = 80;

/// Bytes of one line read at most.
pub const LINE_BYTES: usize = 400;

/// The confidence from which an intent is taken as what the message asks.
pub const SURE: f32 = 0.6;

/// The confidence from which an intent that is not sure still makes the message one for a person.
pub const UNSURE: f32 = 0.4;

/// Something a message can ask for, or be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Intent {
    /// A request to meet: with a time, a stretch of time, or none yet.
    MeetingRequest,
    /// A request to move a meeting.
    MeetingMove,
    /// A meeting called off.
    MeetingCancel,
    /// One of the times clerk offered, chosen ("the second one works").
    MeetingChoice,
    /// An order for items of the catalog.
    SupplyOrder,
    /// Word that an order arrived, whole or in part.
    DeliveryNote,
    /// A vendor's answer about an order: confirmed, shipped, late, out of stock.
    VendorReply,
    /// A question or request from outside the office.
    Question,
    /// A complaint.
    Complaint,
    /// Thanks, praise or feedback, asking for nothing.
    Praise,
    /// A bill or a receipt, for the accounts.
    Invoice,
    /// A shop's or a carrier's word that a parcel is on its way.
    ShippingNotice,
    /// A newsletter or mailing list post.
    Newsletter,
    /// A machine's answer: out of office, a bounce, a read receipt, a notification.
    AutoReply,
    /// Unsolicited mail: by the server's verdict or by its obvious signs.
    Spam,
    /// Colleagues talking among themselves, asking nothing of the assistant.
    Chat,
}

/// The desk an intent belongs to: intents of one desk do not compete with each other, and a rule
/// can name a desk's intents at once (`when.intent = "meeting"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// The meeting desk's: requests, moves, cancellations, choices.
    Meeting,
    /// The supply desk's: orders, deliveries, vendors' replies.
    Supply,
    /// The inquiry desk's: questions, complaints, praise.
    Inquiry,
    /// Mail no desk handles: bills, parcels, lists, machines, spam, chat.
    Nothing,
}

impl Intent {
    /// Every intent, in the order the README lists them.
    pub const ALL: [Intent; 16] = [
        Intent::MeetingRequest,
        Intent::MeetingMove,
        Intent::MeetingCancel,
        Intent::MeetingChoice,
        Intent::SupplyOrder,
        Intent::DeliveryNote,
        Intent::VendorReply,
        Intent::Question,
        Intent::Complaint,
        Intent::Praise,
        Intent::Invoice,
        Intent::ShippingNotice,
        Intent::Newsletter,
        Intent::AutoReply,
        Intent::Spam,
        Intent::Chat,
    ];

    /// The name rules use (`when.intent = "supply-order"`).
    pub fn name(self) -> &'static str {
        match self {
            Intent::MeetingRequest => "meeting-request",
            Intent::MeetingMove => "meeting-move",
            Intent::MeetingCancel => "meeting-cancel",
            Intent::MeetingChoice => "meeting-choice",
            Intent::SupplyOrder => "supply-order",
            Intent::DeliveryNote => "delivery-note",
            Intent::VendorReply => "vendor-reply",
            Intent::Question => "question",
            Intent::Complaint => "complaint",
            Intent::Praise => "praise",
            Intent::Invoice => "invoice",
            Intent::ShippingNotice => "shipping-notice",
            Intent::Newsletter => "newsletter",
            Intent::AutoReply => "auto-reply",
            Intent::Spam => "spam",
            Intent::Chat => "chat",
        }
    }

    /// The desk this intent belongs to.
    pub fn group(self) -> Group {
        match self {
            Intent::MeetingRequest | Intent::MeetingMove | Intent::MeetingCancel | Intent::MeetingChoice => {
                Group::Meeting
            }
            Intent::SupplyOrder | Intent::DeliveryNote | Intent::VendorReply => Group::Supply,
            Intent::Question | Intent::Complaint | Intent::Praise => Group::Inquiry,
            Intent::Invoice
            | Intent::ShippingNotice
            | Intent::Newsletter
            | Intent::AutoReply
            | Intent::Spam
            | Intent::Chat => Group::Nothing,
        }
    }

    /// The intents `name` stands for: one intent, or a group's (`meeting`, `supply`, `inquiry`).
    pub fn named(name: &str) -> Option<Vec<Intent>> {
        let group = match name {
            "meeting" => Some(Group::Meeting),
            "supply" => Some(Group::Supply),
            "inquiry" => Some(Group::Inquiry),
            _ => None,
        };
        match group {
            Some(group) => Some(Intent::ALL.into_iter().filter(|i| i.group() == group).collect()),
            None => Intent::ALL.into_iter().find(|i| i.name() == name).map(|i| vec![i]),
        }
    }

    /// Whether this intent is what a message *is* rather than what it asks: spam, a machine's reply
    /// and a list post hold whatever else the text seems to ask, when the headers say so.
    fn stands_alone(self) -> bool {
        matches!(self, Intent::Spam | Intent::AutoReply | Intent::Newsletter)
    }
}

/// What the office knows that reading needs: who is a colleague, who is a vendor, what is in the
/// catalog.
pub struct Office<'o> {
    /// Whether an address is someone of the office (its own addresses, its staff).
    pub is_staff: &'o dyn Fn(&str) -> bool,
    /// The catalog, when the office keeps supplies.
    pub catalog: Option<&'o Catalog>,
    /// The office's time zone, which the meeting desk reads times in.
    pub zone: Option<chrono_tz::Tz>,
}

/// One intent as read, with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    /// What was read.
    pub intent: Intent,
    /// From 0 to 1; [`SURE`] and above is taken as what the message asks.
    pub confidence: f32,
    /// The signals it rests on, each as words of the message or what a reader found in them.
    pub evidence: Vec<String>,
    /// Whether the headers say so (the server's spam verdict, automatic-reply or list headers). Only
    /// then does spam, an automatic reply or a list post hold whatever else the text seems to ask:
    /// words alone ("unsubscribe me", "I'm out of A4 paper") compete with the other intents.
    pub headers: bool,
}

/// Every intent read in a message, most confident first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reading {
    /// Every intent with any points in its favour, most confident first.
    pub found: Vec<Found>,
}

impl Reading {
    /// The intent read with the highest confidence, if any.
    pub fn leading(&self) -> Option<&Found> {
        self.found.first()
    }

    /// Whether the message asks for (or is) `intent`: it is sure, and no intent of another desk is
    /// read as strongly. What the headers say a message is (spam, a machine's reply, a list post)
    /// holds on its own.
    pub fn holds(&self, intent: Intent) -> bool {
        let Some(found) = self.found.iter().find(|f| f.intent == intent) else { return false };
        if found.confidence < SURE {
            return false;
        }
        if found.vouched() {
            return true;
        }
        self.found
            .iter()
            .filter(|f| !f.vouched() && f.intent.group() != intent.group())
            .all(|f| f.confidence < found.confidence)
    }

    /// Whether the readers found something the message may ask of a desk that acts (a meeting to
    /// book, move or cancel; supplies to order or receive) but cannot say so for sure: no intent
    /// holds, and one of those is read at [`UNSURE`] or above, or two desks equally strongly. A
    /// stranger's message that only may be a question is not unsure: answering it is the inquiry
    /// desk's everyday work, and acts on nothing.
    pub fn unsure(&self) -> bool {
        if self.found.iter().any(|f| f.vouched() && f.confidence >= SURE) {
            return false;
        }
        let holds = self.found.iter().any(|f| self.holds(f.intent));
        !holds
            && self
                .found
                .iter()
                .any(|f| f.confidence >= UNSURE && matches!(f.intent.group(), Group::Meeting | Group::Supply))
    }

    /// One line on what clerk read, for the person an unsure message goes to.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self
            .found
            .iter()
            .filter(|f| f.confidence >= UNSURE)
            .take(3)
            .map(|f| {
                let why = f.evidence.first().map(String::as_str).unwrap_or("");
                format!("{} ({:.0}%: {why})", f.intent.name(), f.confidence * 100.0)
            })
            .collect();
        if parts.is_empty() {
            parts.push("nothing it could act on".to_owned());
        }
        format!("clerk read: {}", parts.join("; "))
    }
}

impl Found {
    /// Whether this is what the message is by its headers, which holds on its own.
    fn vouched(&self) -> bool {
        self.headers && self.intent.stands_alone()
    }
}

/// Points gathered per intent while reading, turned into confidences at the end.
#[derive(Default)]
struct Tally {
    points: Vec<(Intent, f32, Vec<String>)>,
    /// The intents the headers vouch for.
    vouched: Vec<Intent>,
}

impl Tally {
    /// Adds `points` (negative ones count against) to `intent`, resting on `said`.
    fn add(&mut self, intent: Intent, points: f32, said: impl Into<String>) {
        let said = said.into();
        match self.points.iter_mut().find(|(i, _, _)| *i == intent) {
            Some((_, total, evidence)) => {
                *total += points;
                evidence.push(said);
            }
            None => self.points.push((intent, points, vec![said])),
        }
    }

    /// Adds `points` to `intent` on the word of the headers (see [`Found::headers`]).
    fn vouch(&mut self, intent: Intent, points: f32, said: impl Into<String>) {
        self.add(intent, points, said);
        if !self.vouched.contains(&intent) {
            self.vouched.push(intent);
        }
    }

    /// The most points any intent `of` has gathered so far.
    fn strongest(&self, of: impl Fn(Intent) -> bool) -> f32 {
        self.points
            .iter()
            .filter(|(intent, _, _)| of(*intent))
            .map(|(_, points, _)| *points)
            .fold(0.0, f32::max)
    }

    /// Confidences: `points / (points + 2)`, so three points make [`SURE`] and each more adds less.
    fn into_reading(self) -> Reading {
        let vouched = self.vouched;
        let mut found: Vec<Found> = self
            .points
            .into_iter()
            .filter(|(_, points, _)| *points > 0.0)
            .map(|(intent, points, evidence)| Found {
                intent,
                confidence: points / (points + 2.0),
                evidence,
                headers: vouched.contains(&intent),
            })
            .collect();
        found.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.intent.cmp(&b.intent)));
        Reading { found }
    }
}

/// What the readers see of a message: its subject and new text, folded for matching.
pub(crate) struct Text {
    /// The subject without `Re:`/`Fwd:` marks, folded.
    pub(crate) subject: String,
    /// The subject as written, for the numbers clerk puts in subjects (`[#1042-9]`, `REQ-2027-0012`).
    pub(crate) subject_as_written: String,
    /// The new text, bounded and folded: lower case, without accents, one space between words.
    pub(crate) body: String,
    /// The new text as written (bounded), for the readers that want case and digits as they are.
    pub(crate) raw: String,
    /// Whether the subject marks a reply (`Re:`, `R:`, `AW:`) or the message names one it answers.
    pub(crate) reply: bool,
    /// Whether this is a colleague's forward of mail from outside the office, read as its author
    /// wrote it.
    pub(crate) forwarded: bool,
}

/// Reads what `msg` asks of `office`.
pub fn read(msg: &Message, office: &Office<'_>) -> Reading {
    let writer = Writer::of(msg, office);
    let text = people::text_of(msg, &writer, office);
    let mut tally = Tally::default();
    let machine = machine::read(msg, &text, &writer, &mut tally);
    supply::read(msg, &text, &writer, &machine, office, &mut tally);
    meeting::read(msg, &text, &writer, &machine, office.zone, &mut tally);
    // What a colleague forwards is read as its author wrote it: a customer's complaint stays one.
    let speaker = if text.forwarded { Writer::Stranger } else { writer };
    speech::read(&text, &speaker, &mut tally);
    people::read_chat(&text, &speaker, &mut tally);
    tally.into_reading()
}
