//! The `office` surface: a whole message through the shipped office, as the daemon handles it and
//! `clerk explain` shows it: parsed, classified by the rules in `rules/`, decided (the auto-reply
//! guard, templates, the meeting, inquiry and supply desks reading the words, calendars and orders),
//! recorded in the office's database, and explained as text and JSON.
//!
//! The database is an office at work: every office message of the corpus handled in order, so the
//! desks find tickets, booked meetings, offers and orders to join. Each input is recorded inside a
//! transaction that is then rolled back, so every input meets the same office and a finding replays
//! alone. The time is the message's own Date within January and February 2027 (when the office mail
//! was written), else a fixed morning, so a replay decides the same.
//!
//! Mutations mix the other surfaces': MIME structure, a calendar part mutated as in `icalendar`,
//! words for the time, order and quote readers spliced into the body, subjects and senders the rules
//! look for.
//!
//! Promised: no panic; no rule action or desk fails on the message (what a sender writes is answered,
//! refused or noted, never a failure that leaves the message to an operator); the decision is
//! recorded without a database error (an error there would make the daemon fetch the message again
//! forever); every mail clerk would send parses, has no line
//! break or NUL where its header section could be split, and goes only to addresses the message's
//! header, its calendars or the office's files name, never to one only a stranger's body names; every event
//! kept lies within the years clerk reads.

use std::cell::RefCell;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use fastrand::Rng;

use clerk::actions::{Decision, NoHistory};
use clerk::desks::{Incoming, Views};
use clerk::effects::Effect;
use clerk::explain::Explanation;
use clerk::handling::{self, HandlingError};
use clerk::mail::message::{Message, ReturnPath};
use clerk::rules::RuleSet;
use clerk::store::{Handled, JournalEntry, Store, StoreError, Verdict};

use crate::corpus::Corpus;
use crate::mime_target::{MOST_BYTES, Mail, clip, promises};
use crate::mutate::{self, one_of};
use crate::readers_target::{ORDER_PHRASES, QUOTE_PHRASES, TIME_PHRASES};
use crate::{Surface, near_years};

pub struct Office {
    seeds: Vec<Vec<u8>>,
    calendars: Vec<Vec<u8>>,
    rules: RuleSet,
    store: RefCell<Store>,
    /// Every address the office's own files and the senders of its own mail name, lower case.
    known: String,
}

impl Surface for Office {
    const NAME: &'static str = "office";
    const BRIEF_RUNS: usize = 400;

    fn new(corpus: &Corpus) -> Office {
        let rules = RuleSet::load(&corpus.root.join("rules")).expect("the shipped rules load");
        let mut store = Store::open_in_memory().expect("an office database");
        // The people of the office's own mail are in its database (a requester told that the order
        // arrived), so clerk may write to them as it may to those its files name.
        let mut senders = String::new();
        for (n, raw) in corpus.office_mail().iter().enumerate() {
            let Ok(message) = Message::parse(raw) else { continue };
            for address in &message.from {
                senders.push_str(&address.email);
                senders.push('\n');
            }
            let handled = decide(&rules, &store, &message, raw, &format!("1:{n}"))
                .unwrap_or_else(|e| panic!("office message {n} cannot be decided: {e}"));
            store.immediate(|s| s.record(&[handled], None)).expect("an office message is recorded");
        }
        let known = ["office.toml", "catalog.toml"]
            .iter()
            .map(|file| {
                std::fs::read_to_string(corpus.root.join("rules").join(file)).expect("the office's files")
            })
            .chain([senders])
            .collect::<String>()
            .to_lowercase();
        Office {
            seeds: corpus.mail(),
            calendars: corpus.calendars(),
            rules,
            store: RefCell::new(store),
            known,
        }
    }

    fn seeds(&self) -> &[Vec<u8>] {
        &self.seeds
    }

    fn mutate(&self, rng: &mut Rng) -> Vec<u8> {
        let mut mail = Mail::split(mutate::seed(rng, &self.seeds));
        for _ in 0..rng.usize(1..=3) {
            match rng.u8(..8) {
                0 | 1 => mail.mutate(rng, &self.seeds, &self.calendars),
                2 | 3 => {
                    let phrases = one_of(rng, &[TIME_PHRASES, ORDER_PHRASES, QUOTE_PHRASES]);
                    let phrase = one_of(rng, phrases);
                    let times = mutate::count(rng, 20_000);
                    let at = mutate::place(rng, &mail.body);
                    mail.body.splice(at..at, vec![phrase; times].join("\n").into_bytes());
                }
                4 => {
                    let subject = format!("{} {}", one_of(rng, SUBJECTS), one_of(rng, TIME_PHRASES));
                    mail.set("Subject", subject.as_bytes());
                }
                5 => {
                    let from = one_of(rng, SENDERS);
                    mail.set("From", from.as_bytes());
                    if rng.bool() {
                        mail.set("To", b"Assistant <assistant@office.example>");
                    }
                }
                6 => {
                    let calendar = crate::ics_target::mutate_calendar(rng, &self.calendars);
                    mail.set("Content-Type", b"text/calendar; method=REQUEST; charset=utf-8");
                    mail.set("Content-Transfer-Encoding", b"8bit");
                    mail.body = calendar;
                }
                _ => {
                    let body = mail.body.clone();
                    mail.body = body;
                    mutate::lines(rng, &mut mail.body, &self.seeds);
                }
            }
        }
        let mut raw = mail.join();
        if rng.u8(..6) == 0 {
            mutate::bytes(rng, &mut raw, &self.seeds, MOST_BYTES);
        }
        raw.truncate(MOST_BYTES);
        raw
    }

    fn check(&self, input: &[u8]) -> Result<(), String> {
        let Ok(message) = Message::parse(input) else {
            return Ok(());
        };
        promises(&message, input)?;
        let mut store = self.store.borrow_mut();
        let handled = decide(&self.rules, &store, &message, input, "2:1")?;
        if let Verdict::Failed { error } = &handled.verdict {
            return Err(format!("the desk failed on the message, which fails it whole: {error}"));
        }
        if let Verdict::Processed { rule, desk, desk_options, notes } = &handled.verdict {
            let decision = Decision {
                rule: rule.clone(),
                desk: desk.clone(),
                desk_options: desk_options.clone(),
                effects: handled.effects.clone(),
                notes: notes.clone(),
                ..Decision::default()
            };
            let (trace, intents) = self.rules.explain_and_read(&message);
            let explanation = Explanation {
                message: message.clone(),
                trace,
                decision,
                failure: None,
                reply_log_read: true,
                intents,
            };
            explanation.to_string();
            explanation.to_json().to_string();
        }
        self.sent_only_where_allowed(&message, &handled.effects)?;
        // Recorded, then rolled back so that the next input meets the same office.
        let recorded = store.immediate(|s| -> Result<(), Recorded> {
            s.record(&[handled], None).map_err(Recorded::Failed)?;
            Err(Recorded::RolledBack)
        });
        match recorded {
            Err(Recorded::RolledBack) | Ok(()) => Ok(()),
            Err(Recorded::Failed(e)) => Err(format!("the decision cannot be recorded: {e}")),
        }
    }
}

/// How recording a decision for a check ended.
enum Recorded {
    RolledBack,
    Failed(StoreError),
}

impl From<StoreError> for Recorded {
    fn from(e: StoreError) -> Recorded {
        Recorded::Failed(e)
    }
}

impl Office {
    /// Every mail goes to addresses the message's header, its calendars or the office name; it parses
    /// and its header section cannot be split. Every event lies within the years read.
    fn sent_only_where_allowed(&self, message: &Message, effects: &[Effect]) -> Result<(), String> {
        let mut named = String::new();
        let addresses = message.from.iter().chain(&message.to).chain(&message.cc).chain(&message.reply_to);
        for address in addresses.chain(&message.sender) {
            named.push_str(&address.email.to_lowercase());
            named.push('\n');
        }
        if let ReturnPath::Address(address) = &message.return_path {
            named.push_str(&address.to_lowercase());
        }
        // The office's own people may invite whoever their request names, in its text too.
        let requester = message.reply_to.first().or(message.from.first());
        if requester.is_some_and(|r| {
            self.rules
                .office
                .own_addresses()
                .chain(self.rules.office.calendars.iter().map(|c| c.owner.as_str()))
                .any(|own| domain(own).eq_ignore_ascii_case(domain(&r.email)))
        }) {
            named.push_str(&message.text.to_lowercase());
        }
        for calendar in &message.calendars {
            // Unfolded, as an address folded across two lines is still the one written.
            let unfolded = calendar
                .text
                .replace("\r\n ", "")
                .replace("\r\n\t", "")
                .replace("\n ", "")
                .replace("\n\t", "");
            named.push_str(&unfolded.to_lowercase());
        }
        for effect in effects {
            match effect {
                Effect::Send { kind, mail, .. } => {
                    let kind = kind.as_str();
                    if mail.recipients.is_empty() {
                        return Err(format!("a {kind} to nobody"));
                    }
                    for recipient in &mail.recipients {
                        let recipient = recipient.to_lowercase();
                        if !named.contains(&recipient) && !self.known.contains(&recipient) {
                            return Err(format!(
                                "a {kind} to {recipient}, whom neither the message's addresses nor the office name"
                            ));
                        }
                    }
                    whole_header(kind, &mail.raw)?;
                    let sent =
                        Message::parse(&mail.raw).map_err(|e| format!("a {kind} clerk cannot read: {e}"))?;
                    if sent.subject.chars().any(char::is_control) {
                        return Err(format!("a {kind} with a control character in its subject"));
                    }
                }
                Effect::PutEvent(event)
                    if !near_years(event.start, chrono::Duration::days(366))
                        || !near_years(event.end, chrono::Duration::days(366)) =>
                {
                    return Err(format!("an event kept from {} to {}", event.start, event.end));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The header section of a mail clerk writes cannot have been split by what a sender wrote: lines end
/// in CRLF, no NUL, every line a field or its continuation, no Bcc, one From, To and Subject.
fn whole_header(kind: &str, raw: &[u8]) -> Result<(), String> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..end]);
    let broken = |why: &str| Err(format!("a {kind} whose header {why}: {}", clip(&head)));
    if head.contains('\0') {
        return broken("has a NUL");
    }
    let mut seen: Vec<String> = Vec::new();
    for line in head.split("\r\n") {
        if line.contains(['\r', '\n']) {
            return broken("has a bare line break");
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            return broken("has a line that is no field");
        };
        seen.push(name.trim().to_ascii_lowercase());
    }
    if seen.iter().any(|name| name == "bcc") {
        return broken("has a Bcc");
    }
    for once in ["from", "to", "subject"] {
        if seen.iter().filter(|name| *name == once).count() > 1 {
            return broken(&format!("has more than one {once}"));
        }
    }
    Ok(())
}

/// The domain of `address`, empty when it has none.
fn domain(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, domain)| domain)
}

/// What the daemon decides for `message` (classification, actions, desks) at the message's own time,
/// against `store`, as the journal keeps it.
fn decide(
    rules: &RuleSet,
    store: &Store,
    message: &Message,
    raw: &[u8],
    item: &str,
) -> Result<Handled, String> {
    let hash = clerk::digest::sha256_hex(raw);
    let now = when(message);
    let mut history = NoHistory;
    let views = Views { calendars: store, tickets: store, supply: store, planning: store };
    let incoming = Incoming { msg: message, raw, content_hash: &hash, now };
    let outcome = match handling::decide(rules, &incoming, &views, &mut history) {
        Err(HandlingError::Action(e)) => return Err(e.to_string()),
        outcome => outcome,
    };
    let entry = JournalEntry {
        mailbox: "office".into(),
        folder: "INBOX".into(),
        item: item.into(),
        message_id: message.message_id.clone(),
        content_hash: hash.clone(),
        sender: message.from.first().map(|a| a.email.clone()),
        subject: message.subject.clone(),
    };
    let handled = match outcome {
        Ok(decision) => Handled {
            entry,
            verdict: Verdict::Processed {
                rule: decision.rule,
                desk: decision.desk,
                desk_options: decision.desk_options,
                notes: decision.suppressed.iter().map(ToString::to_string).chain(decision.notes).collect(),
            },
            effects: decision.effects,
            kept: None,
        },
        Err(e) => Handled {
            entry,
            verdict: Verdict::Failed { error: e.to_string() },
            effects: Vec::new(),
            kept: Some(raw.to_vec()),
        },
    };
    Ok(handled)
}

/// When the office reads `message`: its own Date when that falls in January or February 2027, else a
/// fixed Monday morning of that time.
fn when(message: &Message) -> DateTime<Utc> {
    let fixed = Utc.with_ymd_and_hms(2027, 1, 18, 8, 0, 0).single().expect("a valid time");
    message
        .date
        .map(|date| date.with_timezone(&Utc))
        .filter(|date| date.year() == 2027 && date.month() <= 2)
        .unwrap_or(fixed)
}

/// Subjects the shipped rules look for.
const SUBJECTS: &[&str] = &[
    "meeting",
    "Riunione",
    "appointment",
    "order",
    "toner",
    "ordine cancelleria",
    "invoice",
    "fattura",
    "Re: [#1001-9]",
    "Re: PO-2027-0001",
    "opening hours",
    "orari di apertura",
    "",
];

/// Senders: staff, vendors, strangers, robots.
const SENDERS: &[&str] = &[
    "Marco Verdi <marco.verdi@office.example>",
    "Giulia Rossi <giulia.rossi@office.example>",
    "Cartoleria Centrale <ordini@cartoleria-centrale.example>",
    "PrintSupply <orders@printsupply.example>",
    "Anna Bianchi <anna.bianchi@client.example>",
    "stranger@elsewhere.example",
    "MAILER-DAEMON@mx.example",
    "noreply@calendar.example",
    "\"=?utf-8?B?QW5uYQ0KQmNjOiB4QGV2aWwuZXhhbXBsZQ==?=\" <anna@client.example>",
];
