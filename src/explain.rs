//! `clerk explain`: a dry run of one message through the rules, as a readable report or JSON.
//!
//! It shows every rule tried with each condition's result (like `sieve-test -t`), the decision, any
//! safety check that held a reply back, and every effect including the full text of mail that would be
//! sent: as a person reads it (headers and body decoded, attachments listed), or as the bytes that
//! would leave ([`MailView::Raw`], `--raw`). Nothing is sent or stored.

use std::fmt;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::actions::{Decision, ReplyHistory};
use crate::desks::supply::NoSupply;
use crate::desks::{Incoming, NoCalendars, NoTickets, Views};
use crate::effects::Effect;
use crate::handling;
use crate::intent::{self, Reading};
use crate::mail::message::{Message, ParseError};
use crate::rules::{RuleSet, RuleTrace};
use crate::store::{Store, StoreError};

/// Everything `explain` reports about one message.
pub struct Explanation {
    pub message: Message,
    pub trace: Vec<RuleTrace>,
    pub decision: Decision,
    /// Why the matched rules' actions cannot be carried out (a template failing on this message, a
    /// header that would be unsafe): the daemon records such a message as failed and leaves it.
    pub failure: Option<String>,
    /// Whether the reply limit was checked against the office's reply log.
    pub reply_log_read: bool,
    /// What clerk read the message to ask, with the evidence, as `when.intent` sees it.
    pub intents: Reading,
}

/// Runs `raw` through `rules` without touching anything. The reply limit and the calendars are
/// checked against the office's database (`office`, read and never written) when there is one.
pub fn explain(rules: &RuleSet, raw: &[u8], office: Option<&ReplyLog>) -> Result<Explanation, ParseError> {
    explain_at(rules, raw, office, Utc::now())
}

/// [`explain`] as if the message were handled at `now`: how a labelled set of mail written for
/// another month is scored as it would have been handled when it arrived.
pub fn explain_at(
    rules: &RuleSet,
    raw: &[u8],
    office: Option<&ReplyLog>,
    now: DateTime<Utc>,
) -> Result<Explanation, ParseError> {
    let message = Message::parse(raw)?;
    let (trace, intents) = rules.explain_and_read(&message);
    let hash = crate::digest::sha256_hex(raw);
    let reply_log_read = office.is_some();
    let empty = ReplyLog(None);
    let log = office.unwrap_or(&empty);
    let views = match &log.0 {
        Some(store) => Views { calendars: store, tickets: store, supply: store, planning: store },
        None => Views {
            calendars: &NoCalendars,
            tickets: &NoTickets,
            supply: &NoSupply,
            planning: &crate::desks::event::NoPlanning,
        },
    };
    let incoming = Incoming { msg: &message, raw, content_hash: &hash, now };
    let decided = handling::decide(rules, &incoming, &views, &mut &*log).map_err(|e| e.to_string());
    let (decision, failure) = match decided {
        Ok(decision) => (decision, None),
        Err(e) => (Decision::classified(&rules.classify(&message)), Some(e)),
    };
    Ok(Explanation { message, trace, decision, failure, reply_log_read, intents })
}

/// The replies an office's database remembers, for a dry run: looked up, never added to.
pub struct ReplyLog(Option<Store>);

impl ReplyLog {
    /// The reply log of the database at `path`, opened read-only; empty when clerk has not run yet
    /// and there is no database.
    pub fn open(path: &Path) -> Result<ReplyLog, StoreError> {
        if path.exists() {
            Store::open_read_only(path).map(|store| ReplyLog(Some(store)))
        } else {
            Ok(ReplyLog(None))
        }
    }
}

/// Looked up through a shared reference, so the rules and the desk can both read it in one dry run.
impl ReplyHistory for &ReplyLog {
    fn last_reply(&self, sender: &str, rule: &str) -> Result<Option<i64>, String> {
        match self.0.as_ref() {
            Some(store) => store.last_reply(sender, rule).map_err(|e| e.to_string()),
            None => Ok(None),
        }
    }

    fn note_reply(&mut self, _: &str, _: &str, _: i64) {}
}

impl Explanation {
    /// The `--json` form. `rule`, `desk` and `intents` are a stable interface; the rest may grow.
    pub fn to_json(&self) -> serde_json::Value {
        let d = &self.decision;
        json!({
            "rule": d.rule,
            "desk": d.desk,
            "desk_options": d.desk_options,
            "matched": d.matched,
            "effects": d.effects.iter().map(effect_json).collect::<Vec<_>>(),
            "suppressed": d.suppressed,
            "notes": d.notes,
            "failure": self.failure,
            "intents": {
                "found": self.intents.found,
                "holds": self.intents.found.iter().filter(|f| self.intents.holds(f.intent)).map(|f| f.intent).collect::<Vec<_>>(),
                "unsure": self.intents.unsure(),
            },
            "trace": self.trace,
        })
    }
}

fn effect_json(effect: &Effect) -> serde_json::Value {
    match effect {
        Effect::Send { kind, rule, mail } => {
            let read = Message::parse(&mail.raw).ok();
            json!({
                "type": kind.as_str(),
                "rule": rule,
                "message_id": mail.message_id,
                "envelope_from": mail.envelope_from,
                "recipients": mail.recipients,
                "text": String::from_utf8_lossy(&mail.raw),
                "subject": read.as_ref().map(|m| m.subject.clone()),
                "body": read.as_ref().map(|m| m.text.replace("\r\n", "\n")),
            })
        }
        Effect::Move { folder } => json!({ "type": "move", "folder": folder }),
        Effect::Flag { flags } => json!({ "type": "flag", "flags": flags }),
        Effect::NoteReply { sender, rule } => {
            json!({ "type": "record_reply", "sender": sender, "rule": rule })
        }
        Effect::PutEvent(event) => json!({
            "type": "event",
            "calendar": event.calendar,
            "uid": event.uid,
            "sequence": event.sequence,
            "status": event.status.as_str(),
            "summary": event.summary,
            "start": event.start.to_rfc3339(),
            "end": event.end.to_rfc3339(),
            "timezone": event.timezone.name(),
        }),
        Effect::PutProposal(proposal) => json!({
            "type": "proposal",
            "calendar": proposal.calendar,
            "requester": proposal.requester.email,
            "slots": proposal.slots.iter().map(|s| [s.start.to_rfc3339(), s.end.to_rfc3339()]).collect::<Vec<_>>(),
            "expires": proposal.expires.to_rfc3339(),
        }),
        Effect::CloseProposal { message_id } => json!({ "type": "close_proposal", "message_id": message_id }),
        Effect::PutCounter(counter) => json!({
            "type": "counter",
            "calendar": counter.calendar,
            "uid": counter.uid,
            "proposer": counter.proposer.email,
            "slot": [counter.slot.start.to_rfc3339(), counter.slot.end.to_rfc3339()],
            "reference": counter.reference,
        }),
        Effect::CloseCounter { message_id } => json!({ "type": "close_counter", "message_id": message_id }),
        Effect::Ticket(change) => json!({
            "type": "ticket",
            "ticket": change.ticket,
            "messages": change.entries,
        }),
        Effect::Supply(change) => json!({
            "type": "supply",
            "requests": change.requests,
            "orders": change.orders,
            "stock": change.moves,
            "low": change.low,
        }),
        Effect::Planning(change) => json!({ "type": "event", "events": change.summary() }),
        Effect::FollowedUp { message_id } => json!({ "type": "followed_up", "message_id": message_id }),
        Effect::Escalated { ticket, level } => {
            json!({ "type": "escalated", "ticket": ticket.tag(), "level": level })
        }
    }
}

/// What clerk read the message to ask: each intent with its confidence and evidence.
fn write_intents(f: &mut fmt::Formatter<'_>, reading: &Reading) -> fmt::Result {
    if reading.found.is_empty() {
        writeln!(f, "Read as: nothing clerk recognises")?;
    } else {
        writeln!(f, "Read as (intents, most confident first; {:.0}% is sure):", intent::SURE * 100.0)?;
        for found in &reading.found {
            let mark = if reading.holds(found.intent) { "holds" } else { "     " };
            writeln!(
                f,
                "  {mark} {:<16} {:>3.0}%  {}",
                found.intent.name(),
                found.confidence * 100.0,
                found.evidence.join("; ")
            )?;
        }
        if reading.unsure() {
            writeln!(f, "  unsure: no intent is sure enough to act on; a person should look")?;
        }
    }
    writeln!(f)
}

/// How the report shows the mail clerk would send.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MailView {
    /// As a person reads it: headers decoded (RFC 2047), the text without quoted-printable or
    /// base64, attachments listed, calendar parts shown as their text.
    #[default]
    Readable,
    /// The bytes as they would be sent, for checking encodings and headers exactly.
    Raw,
}

/// The report of an [`Explanation`] with the mail shown one way or the other.
pub struct Report<'a> {
    explanation: &'a Explanation,
    view: MailView,
}

impl Explanation {
    /// The report, with the mail clerk would send shown as `view` says. `Display` on the
    /// explanation itself is the readable report.
    pub fn report(&self, view: MailView) -> Report<'_> {
        Report { explanation: self, view }
    }
}

/// Headers of the MIME structure, which say how the body is encoded rather than anything a reader
/// needs: the readable view shows the decoded body instead.
const MIME_HEADERS: [&str; 3] = ["mime-version", "content-type", "content-transfer-encoding"];

/// One mail clerk would send, as `view` says, each line indented under its effect.
fn write_mail(f: &mut fmt::Formatter<'_>, raw: &[u8], view: MailView) -> fmt::Result {
    let parsed = match view {
        MailView::Readable => Message::parse(raw).ok(),
        MailView::Raw => None,
    };
    let Some(mail) = parsed else {
        for line in String::from_utf8_lossy(raw).lines() {
            writeln!(f, "     {line}")?;
        }
        return Ok(());
    };
    for (name, value) in &mail.headers {
        if !MIME_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            writeln!(f, "     {name}: {value}")?;
        }
    }
    writeln!(f)?;
    for line in mail.text.lines() {
        writeln!(f, "     {line}")?;
    }
    for attachment in mail.attachments.iter().filter(|a| !a.content_type.starts_with("text/calendar")) {
        let name = if attachment.name.is_empty() { "(no name)" } else { attachment.name.as_str() };
        writeln!(f, "     [attached: {name}, {}, {} bytes]", attachment.content_type, attachment.size)?;
    }
    for calendar in &mail.calendars {
        writeln!(f, "     [calendar, {}:]", calendar.method.as_deref().unwrap_or("no method"))?;
        for line in calendar.text.lines() {
            writeln!(f, "     {line}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.report(MailView::Readable).fmt(f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let this = self.explanation;
        let m = &this.message;
        let from = m.from.first().map(ToString::to_string).unwrap_or_else(|| "(no sender)".into());
        writeln!(
            f,
            "Message {} from {from}",
            m.message_id.as_deref().map(|i| format!("<{i}>")).unwrap_or_default()
        )?;
        let addresses = |list: &[crate::mail::message::Address]| {
            list.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        };
        if !m.to.is_empty() {
            writeln!(f, "  To: {}", addresses(&m.to))?;
        }
        if !m.cc.is_empty() {
            writeln!(f, "  Cc: {}", addresses(&m.cc))?;
        }
        if let Some(date) = m.date {
            writeln!(f, "  Date: {}", date.to_rfc2822())?;
        }
        writeln!(f, "  Subject: {}", m.subject)?;
        writeln!(f)?;
        write_intents(f, &this.intents)?;
        writeln!(f, "Rules tried, in order:")?;
        for trace in &this.trace {
            write!(f, "{trace}")?;
        }
        writeln!(f)?;
        let d = &this.decision;
        match &d.rule {
            Some(rule) => writeln!(f, "Decision: rule \"{rule}\"")?,
            None => writeln!(f, "Decision: no rule matched; the message is left where it is")?,
        }
        if d.matched.len() > 1 {
            writeln!(
                f,
                "  (matched, in order: {})",
                d.matched.iter().map(|r| format!("\"{r}\"")).collect::<Vec<_>>().join(", ")
            )?;
        }
        match &d.desk {
            Some(desk) => {
                let options: Vec<String> =
                    d.desk_options.iter().map(|(k, v)| format!("{k} = {v:?}")).collect();
                let options =
                    if options.is_empty() { String::new() } else { format!(" ({})", options.join(", ")) };
                writeln!(f, "  Desk: {desk}{options}")?;
            }
            None => writeln!(f, "  Desk: none")?,
        }
        if !d.notes.is_empty() {
            writeln!(f)?;
            writeln!(f, "Notes from the desk:")?;
            for note in &d.notes {
                writeln!(f, "  - {note}")?;
            }
        }
        if !d.suppressed.is_empty() {
            writeln!(f)?;
            writeln!(f, "Held back by the safety rules:")?;
            for s in &d.suppressed {
                writeln!(f, "  - {s}")?;
            }
        }
        writeln!(f)?;
        if let Some(failure) = &this.failure {
            writeln!(f, "Cannot be carried out: {failure}")?;
            writeln!(f, "  (clerk would record the message as failed and leave it where it is)")?;
        } else if d.effects.is_empty() {
            writeln!(f, "Effects: none")?;
        } else {
            writeln!(f, "Effects:")?;
        }
        for (n, effect) in d.effects.iter().enumerate() {
            match effect {
                Effect::Send { kind, mail, .. } => {
                    let sender = mail.envelope_from.as_deref().unwrap_or("<>");
                    writeln!(
                        f,
                        "  {}. {} to {} (envelope sender {sender})",
                        n + 1,
                        kind.as_str(),
                        mail.recipients.join(", ")
                    )?;
                    writeln!(f, "     ----- 8< -----")?;
                    write_mail(f, &mail.raw, self.view)?;
                    writeln!(f, "     ----- 8< -----")?;
                }
                Effect::Move { folder } => writeln!(f, "  {}. move to folder \"{folder}\"", n + 1)?,
                Effect::Flag { flags } => writeln!(f, "  {}. set flags {}", n + 1, flags.join(" "))?,
                Effect::NoteReply { sender, rule } => {
                    writeln!(f, "  {}. remember that \"{rule}\" answered {sender} (reply rate limit)", n + 1)?
                }
                Effect::PutEvent(event) => {
                    writeln!(f, "  {}. calendar \"{}\": {event}", n + 1, event.calendar)?
                }
                Effect::PutProposal(proposal) => writeln!(
                    f,
                    "  {}. hold {} offered times for {} until {} (calendar \"{}\")",
                    n + 1,
                    proposal.slots.len(),
                    proposal.requester.email,
                    proposal.expires.to_rfc3339(),
                    proposal.calendar
                )?,
                Effect::CloseProposal { message_id } => {
                    writeln!(f, "  {}. close the proposal <{message_id}>", n + 1)?
                }
                Effect::PutCounter(counter) => writeln!(
                    f,
                    "  {}. hold the new time {} proposed for {} ({}) until the owner of calendar \"{}\" answers",
                    n + 1,
                    counter.proposer.email,
                    counter.uid,
                    counter.slot.start.to_rfc3339(),
                    counter.calendar
                )?,
                Effect::CloseCounter { message_id } => {
                    writeln!(f, "  {}. close the question <{message_id}>", n + 1)?
                }
                Effect::FollowedUp { message_id } => {
                    writeln!(f, "  {}. remember the follow-up of the offer <{message_id}>", n + 1)?
                }
                Effect::Escalated { ticket, level } => {
                    writeln!(f, "  {}. ticket {} escalated to level {level}", n + 1, ticket.tag())?
                }
                Effect::Planning(change) => {
                    for (i, line) in change.summary().iter().enumerate() {
                        let number = if i == 0 { format!("{}.", n + 1) } else { String::new() };
                        writeln!(f, "  {number:3} {line}")?;
                    }
                }
                Effect::Supply(change) => {
                    for (i, line) in change.summary().iter().enumerate() {
                        let number = if i == 0 { format!("{}.", n + 1) } else { String::new() };
                        writeln!(f, "  {number:3} {line}")?;
                    }
                }
                Effect::Ticket(change) => {
                    let t = &change.ticket;
                    let department =
                        t.department.as_deref().map(|d| format!(", department {d}")).unwrap_or_default();
                    writeln!(
                        f,
                        "  {}. ticket {} is {} ({} priority{department}), with {} new",
                        n + 1,
                        t.number.tag(),
                        t.state.as_str(),
                        t.priority.name(),
                        crate::units::counted(change.entries.len() as u64, "message")
                    )?
                }
            }
        }
        writeln!(f)?;
        if this.reply_log_read {
            writeln!(f, "Nothing was sent or stored.")
        } else {
            writeln!(
                f,
                "Nothing was sent or stored. (No reply log was read: give a config to check the reply limit.)"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::Dir;

    const QUESTION: &[u8] = b"From: Anna <anna@example.com>\r\nTo: assistant@office.example\r\n\
        Subject: A question\r\nMessage-ID: <q@example.com>\r\n\r\nHello\r\n";

    fn rules(template: &str) -> (Dir, RuleSet) {
        let dir =
            Dir::with_rules("[[rule]]\nname = \"questions\"\nwhen.subject = \"question\"\nreply = \"ack\"\n");
        dir.write("templates/ack.txt", template);
        let set = dir.load();
        (dir, set)
    }

    #[test]
    fn a_rule_whose_actions_fail_on_this_message_is_still_traced_and_the_failure_shown() {
        // Fine on the sample the rules are checked against; this message has no attachment.
        let (_dir, set) = rules("See {{ message.attachments[0].name }}\n");
        let explanation = explain(&set, QUESTION, None).expect("the message parses");
        assert_eq!(explanation.decision.rule.as_deref(), Some("questions"));
        let report = explanation.to_string();
        assert!(report.contains("Rules tried, in order:"), "{report}");
        assert!(report.contains("Cannot be carried out: rule \"questions\": "), "{report}");
        assert!(explanation.to_json()["failure"].is_string());
    }

    #[test]
    fn a_sender_whose_display_name_carries_a_line_break_is_answered_on_one_line() {
        let dir = Dir::with_rules(
            "[[rule]]\nname = \"questions\"\nwhen.subject = \"question\"\ndesk = \"inquiry\"\n\
             department = \"front-desk\"\n",
        );
        let set = dir.load();
        let raw = b"From: =?utf-8?q?Anna=0D=0ABcc:_victim@evil.example?= <anna@example.com>\r\n\
            Reply-To: =?utf-8?q?Anna=0AX-Injected:_1?= <anna@example.com>\r\n\
            To: assistant@office.example\r\nSubject: A question\r\nMessage-ID: <q@example.com>\r\n\r\nHello\r\n";
        let explanation = explain(&set, raw, None).expect("the message parses");
        assert_eq!(explanation.failure, None);
        let report = explanation.to_string();
        assert!(report.contains("To: \"Anna X-Injected: 1\" <anna@example.com>"), "{report}");
        assert!(!report.lines().any(|l| l.trim_start().starts_with("Bcc:")), "{report}");
        assert!(!report.lines().any(|l| l.trim_start().starts_with("X-Injected:")), "{report}");
    }

    #[test]
    fn mail_clerk_would_send_is_shown_decoded_and_with_raw_as_its_bytes() {
        let (_dir, set) = rules("Il caffè è pronto — grazie, {{ message.from_name }}.\n");
        let raw = b"From: =?utf-8?q?Nicol=C3=B2?= <nicolo@example.com>\r\nTo: assistant@office.example\r\n\
            Subject: =?utf-8?q?A_question_about_caff=C3=A8?=\r\nMessage-ID: <q@example.com>\r\n\r\nHello\r\n";
        let explanation = explain(&set, raw, None).expect("the message parses");
        let readable = explanation.to_string();
        assert!(readable.contains("     Subject: Re: A question about caffè\n"), "{readable}");
        assert!(readable.contains("     To: Nicolò <nicolo@example.com>\n"), "{readable}");
        assert!(readable.contains("     Il caffè è pronto — grazie, Nicolò.\n"), "{readable}");
        assert!(!readable.contains("=?utf-8?") && !readable.contains("=C3"), "{readable}");
        let bytes = explanation.report(MailView::Raw).to_string();
        assert!(bytes.contains("Content-Transfer-Encoding: quoted-printable"), "{bytes}");
        assert!(bytes.contains("=C3=A8"), "{bytes}");
        let json = explanation.to_json();
        assert_eq!(json["effects"][0]["body"], "Il caffè è pronto — grazie, Nicolò.\n");
    }

    #[test]
    fn without_a_reply_log_the_report_says_the_limit_was_not_checked() {
        let (_dir, set) = rules("Thanks\n");
        let report = explain(&set, QUESTION, None).expect("the message parses").to_string();
        assert!(
            report.ends_with("(No reply log was read: give a config to check the reply limit.)\n"),
            "{report}"
        );
        let log = ReplyLog(None);
        let report = explain(&set, QUESTION, Some(&log)).expect("the message parses").to_string();
        assert!(report.ends_with("Nothing was sent or stored.\n"), "{report}");
    }
}
