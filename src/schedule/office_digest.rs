//! The `digest` job: an email to the office's owners saying what clerk handled since the last digest
//! (per desk and rule), which messages failed, what waits for a person (mail held or refused in the
//! outbox), the tickets waiting for an answer by department and age, what clerk answered itself and
//! how customers rated the answers, and the day's agenda of each calendar. Plain text for every
//! client, with a simple HTML alternative. The words are the letters `office/digest`,
//! `office/digest-subject` and `office/digest-html` (see [`crate::letters`]), in the office's language.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::calendar::agenda::Days;
use crate::calendar::event::{EventStatus, Occurrence};
use crate::language::Language;
use crate::mail::compose::{self, Identity, Notice, OutboundMail};
use crate::mail::message::Address;
use crate::rules::{RuleSet, TemplateError};
use crate::store::{Store, StoreError};

/// How many failed messages the digest lists by name.
const FAILED_LISTED: usize = 20;

/// How the digest writes a moment: "Mon 23 Nov 2026 07:00", in the office's language.
const MOMENT: &str = "%a %-d %b %Y %H:%M";

/// Why a digest could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Unwritten {
    #[error("{0}")]
    Letter(#[from] TemplateError),
    #[error("{0}")]
    Compose(#[from] compose::ComposeError),
}

/// What the digest (the letters `office/digest`, `office/digest-subject` and `office/digest-html`) is
/// written from. The HTML letter escapes them as it writes them (see `crate::rules::Templates`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Digest {
    /// The office's name.
    office: String,
    /// The start of the time the digest covers, in the office's language and time zone ("Mon 23 Nov
    /// 2026 07:00").
    from: String,
    /// Its end, the digest's own time, written the same way.
    to: String,
    /// How many messages clerk handled in all.
    total: i64,
    /// The messages handled per desk and rule, most first.
    handled: Vec<Handled>,
    /// The messages that failed (the latest few).
    failed: Vec<Failed>,
    /// Mail held in the outbox for a person to look at.
    held: usize,
    /// Mail the server refused.
    refused: usize,
    /// The inquiry desk's tickets; none for an office that has had no ticket.
    tickets: Option<Tickets>,
    /// Lines about the supply cupboard; none for an office without catalog.toml.
    supply: Option<Vec<String>>,
    /// Lines about the office's events still ahead; none when there are none.
    events: Option<Vec<String>>,
    /// The calendars' agenda for the day the digest runs; none without `[[calendar]]`s.
    agenda: Option<Agenda>,
}

/// How many messages one rule handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Handled {
    /// The desk the rule handed them to; none for a rule without a desk.
    desk: Option<String>,
    rule: String,
    count: i64,
}

/// A message that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Failed {
    /// Its sender's address; empty when it had none.
    sender: String,
    subject: String,
    /// Why it failed.
    error: String,
}

/// The tickets: those waiting for an answer, by department; those clerk answered itself since the
/// last digest, and the ratings given since then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Tickets {
    /// How many tickets wait for an answer.
    waiting: usize,
    /// The waiting tickets by department, by name.
    departments: Vec<Waiting>,
    /// How many tickets clerk answered itself.
    answered_by_clerk: i64,
    /// The ratings given, by department.
    ratings: Vec<Ratings>,
}

/// The tickets of one department that wait for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Waiting {
    /// None for tickets without a department.
    department: Option<String>,
    waiting: usize,
    /// How long ago the oldest opened, in round words of the office's language ("3 days").
    oldest: String,
    /// How many are past their due time.
    overdue: usize,
}

/// The ratings customers gave one department's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Ratings {
    /// None for tickets without a department.
    department: Option<String>,
    good: i64,
    ok: i64,
    bad: i64,
}

/// The calendars' agenda for the day a digest runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Agenda {
    /// The day, in the office's language ("Tue 24 Nov 2026").
    day: String,
    calendars: Vec<CalendarDay>,
}

/// One calendar's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct CalendarDay {
    /// The calendar's name.
    name: String,
    /// A line per event ("15:00–16:00  Site visit  [tentative]").
    events: Vec<String>,
    /// What could not be expanded (a series refused or cut at a limit), a line each.
    notes: Vec<String>,
}

/// The digest for the slot `slot` of the schedule `name`, covering `since`..`slot` (unix seconds), in
/// the office's language, or `None` when the office has no owner to send it to.
pub fn mail(
    rules: &RuleSet,
    store: &Store,
    name: &str,
    since: i64,
    slot: i64,
) -> Result<Option<Result<OutboundMail, Unwritten>>, StoreError> {
    let office = &rules.office;
    if office.owners.is_empty() {
        return Ok(None);
    }
    let language = Language::from_code(&office.language);
    let local = |t: i64| {
        DateTime::<Utc>::from_timestamp(t, 0)
            .map(|at| language.date(&at.with_timezone(&office.timezone), MOMENT))
            .unwrap_or_default()
    };
    let unsent = store.unsent_mail()?;
    let handled = store.handled_per_rule(since)?;
    // The cupboard's lines are a letter of their own, so that the text and the HTML digest write
    // the same lines in the office's words.
    let supply = match &rules.catalog {
        Some(catalog) => {
            let cupboard = crate::reports::stock::digest(store, catalog, office, slot)?;
            match rules.templates.letter("office/digest-supply", language, &cupboard) {
                Ok(lines) => Some(lines.lines().map(str::to_owned).collect()),
                Err(e) => return Ok(Some(Err(e.into()))),
            }
        }
        None => None,
    };
    // The events' lines are a letter of their own too, for the same reason.
    let news = crate::reports::events::digest(store, office, slot)?;
    let events = if news.is_empty() {
        None
    } else {
        match rules.templates.letter("office/digest-events", language, &serde_json::json!({ "events": news }))
        {
            Ok(lines) => Some(lines.lines().map(str::to_owned).collect()),
            Err(e) => return Ok(Some(Err(e.into()))),
        }
    };
    let agenda = match agenda(rules, store, slot, language)? {
        Ok(agenda) => agenda,
        Err(e) => return Ok(Some(Err(e.into()))),
    };
    let digest = Digest {
        office: office.name.clone(),
        from: local(since),
        to: local(slot),
        total: handled.iter().map(|h| h.2).sum(),
        handled: handled
            .into_iter()
            .map(|(desk, rule, count)| Handled { desk: (desk != "-").then_some(desk), rule, count })
            .collect(),
        failed: store
            .failed_messages(FAILED_LISTED)?
            .into_iter()
            .filter(|m| m.seen_at >= since)
            .map(|m| Failed {
                sender: m.sender.unwrap_or_default(),
                subject: m.subject,
                error: m.error.unwrap_or_default(),
            })
            .collect(),
        held: unsent.iter().filter(|m| m.status == "uncertain").count(),
        refused: unsent.iter().filter(|m| m.status == "failed").count(),
        tickets: tickets(store, since, slot, language)?,
        supply,
        events,
        agenda,
    };
    Ok(Some(write(rules, name, slot, &digest, language)))
}

/// The digest's mail: its letters in `language`, to the owners.
fn write(
    rules: &RuleSet,
    name: &str,
    slot: i64,
    digest: &Digest,
    language: Language,
) -> Result<OutboundMail, Unwritten> {
    let office = &rules.office;
    let identity =
        Identity { name: office.assistant.name.clone(), address: office.assistant.address.clone() };
    let domain = office.assistant.address.rsplit('@').next().unwrap_or("localhost");
    let notice = Notice {
        from: &identity,
        to: office
            .owners
            .iter()
            .map(|p| Address { name: Some(p.name.clone()), email: p.address.clone() })
            .collect(),
        subject: rules.templates.letter("office/digest-subject", language, digest)?,
        text: rules.templates.letter("office/digest", language, digest)?,
        html: rules.templates.letter("office/digest-html", language, &digest)?,
        message_id: compose::message_id(format!("schedule\0{name}\0{slot}").as_bytes(), domain),
        date: DateTime::<Utc>::from_timestamp(slot, 0).unwrap_or_else(Utc::now),
        loop_header_value: office.assistant.address.clone(),
    };
    Ok(compose::notice(&notice)?)
}

/// The tickets: how many wait for an answer per department, the oldest and how many are overdue; how
/// many clerk answered itself since `since`; the ratings given since then. None for an office that
/// has had no ticket.
fn tickets(store: &Store, since: i64, slot: i64, language: Language) -> Result<Option<Tickets>, StoreError> {
    if store.highest_ticket()?.is_none() {
        return Ok(None);
    }
    let open = store.tickets(true, None)?;
    let mut departments: Vec<&str> = open.iter().map(|t| t.department.as_deref().unwrap_or("-")).collect();
    departments.sort_unstable();
    departments.dedup();
    let department = |name: &str| (name != "-").then(|| name.to_owned());
    let waiting = departments
        .into_iter()
        .map(|name| {
            let of: Vec<_> = open.iter().filter(|t| t.department.as_deref().unwrap_or("-") == name).collect();
            let oldest = of.iter().map(|t| t.opened_at).min().unwrap_or(slot);
            Waiting {
                department: department(name),
                waiting: of.len(),
                oldest: language.age(slot - oldest),
                overdue: of.iter().filter(|t| t.due_at.is_some_and(|due| due < slot)).count(),
            }
        })
        .collect();
    let ratings = store
        .ratings_since(since)?
        .into_iter()
        .map(|(name, good, ok, bad)| Ratings { department: department(&name), good, ok, bad })
        .collect();
    Ok(Some(Tickets {
        waiting: open.len(),
        departments: waiting,
        answered_by_clerk: store.answered_by_clerk_since(since)?,
        ratings,
    }))
}

/// The agenda of every calendar for the local day `slot` falls on; `None` without calendars. A series
/// that cannot be expanded, or is cut at a limit, is said in a note instead of stopping the digest.
fn agenda(
    rules: &RuleSet,
    store: &Store,
    slot: i64,
    language: Language,
) -> Result<Result<Option<Agenda>, TemplateError>, StoreError> {
    let office = &rules.office;
    if office.calendars.is_empty() {
        return Ok(Ok(None));
    }
    let at = DateTime::<Utc>::from_timestamp(slot, 0).unwrap_or_else(Utc::now);
    let day = language.date(&at.with_timezone(&office.timezone), "%a %-d %b %Y");
    let mut calendars = Vec::new();
    for calendar in &office.calendars {
        let zone = calendar.policy.timezone;
        let local_day = at.with_timezone(&zone).date_naive();
        let window = Days::window(zone, local_day, local_day);
        let days = Days::of(store.events(&calendar.name, window.0, window.1)?, window);
        let expansion = days.expand();
        let events = expansion.occurrences.iter().map(|o| {
            rules.templates.letter("office/digest-event", language, &AgendaEvent::of(o, zone, language))
        });
        let events = match events.collect::<Result<Vec<String>, TemplateError>>() {
            Ok(events) => events,
            Err(e) => return Ok(Err(e)),
        };
        calendars.push(CalendarDay {
            name: calendar.name.clone(),
            events,
            notes: expansion.cuts.iter().map(ToString::to_string).collect(),
        });
    }
    Ok(Ok(Some(Agenda { day, calendars })))
}

/// An event of the day's agenda, as the letter `office/digest-event` writes it in a line.
#[derive(Debug, Serialize)]
struct AgendaEvent<'a> {
    /// When it starts: "15:00".
    start: String,
    /// When it ends: "16:00", or "Wed 25 Nov 16:00" on another day.
    end: String,
    summary: &'a str,
    /// `confirmed`, `tentative` or `cancelled`.
    status: &'static str,
    /// It does not take the time (transparent).
    free: bool,
}

impl<'a> AgendaEvent<'a> {
    fn of(o: &'a Occurrence<'a>, zone: chrono_tz::Tz, language: Language) -> AgendaEvent<'a> {
        let (start, end) = (o.start.with_timezone(&zone), o.end.with_timezone(&zone));
        let end_format = if start.date_naive() == end.date_naive() { "%H:%M" } else { "%a %-d %b %H:%M" };
        AgendaEvent {
            start: start.format("%H:%M").to_string(),
            end: language.date(&end, end_format),
            summary: o.summary(),
            status: o.status().as_str(),
            free: !o.busy() && o.status() != EventStatus::Cancelled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest() -> Digest {
        Digest {
            office: "Studio".into(),
            from: "Mon 23 Nov 2026 07:00".into(),
            to: "Tue 24 Nov 2026 07:00".into(),
            total: 4,
            handled: vec![
                Handled { desk: Some("inquiry".into()), rule: "questions".into(), count: 3 },
                Handled { desk: None, rule: "newsletters".into(), count: 1 },
            ],
            failed: vec![Failed {
                sender: "anna@example.com".into(),
                subject: "Broken <mail>".into(),
                error: "cannot read the message".into(),
            }],
            held: 1,
            refused: 0,
            supply: Some(vec!["Low stock: 1 item".into(), "  PAP-A4 A4 copy paper: 8 available".into()]),
            events: None,
            tickets: Some(Tickets {
                waiting: 2,
                departments: vec![Waiting {
                    department: Some("front-desk".into()),
                    waiting: 2,
                    oldest: "3 days".into(),
                    overdue: 1,
                }],
                answered_by_clerk: 4,
                ratings: vec![Ratings { department: Some("front-desk".into()), good: 3, ok: 1, bad: 0 }],
            }),
            agenda: Some(Agenda {
                day: "Tue 24 Nov 2026".into(),
                calendars: vec![CalendarDay {
                    name: "giulia".into(),
                    events: vec!["09:00–09:15  Stand-up".into(), "15:00–16:00  <Anna>  [tentative]".into()],
                    notes: Vec::new(),
                }],
            }),
        }
    }

    fn letter(name: &str, values: &Digest) -> String {
        let rules = crate::rules::tests::load(crate::rules::tests::A_RULE);
        rules.templates.letter(name, Language::English, values).unwrap()
    }

    #[test]
    fn the_text_lists_work_per_desk_and_rule_failures_what_waits_and_the_agenda() {
        let text = letter("office/digest", &digest());
        assert!(text.contains("Handled: 4 messages"), "{text}");
        assert!(text.contains("    3  desk inquiry, rule questions"), "{text}");
        assert!(text.contains("    1  no desk, rule newsletters"), "{text}");
        assert!(text.contains("anna@example.com \"Broken <mail>\": cannot read the message"), "{text}");
        assert!(text.contains("1 mail held in the outbox, 0 refused"), "{text}");
        assert!(text.contains("\nTickets waiting for an answer: 2\n  front-desk: 2, the oldest"), "{text}");
        assert!(text.contains("Rated answers, front-desk: 3 good, 1 ok, 0 bad"), "{text}");
        assert!(
            text.contains("\nAgenda for Tue 24 Nov 2026:\n  giulia\n    09:00–09:15  Stand-up\n"),
            "{text}"
        );
    }

    #[test]
    fn the_html_escapes_what_came_from_mail() {
        let html = letter("office/digest-html", &Digest { office: "Studio & Co".into(), ..digest() });
        assert!(html.contains("Studio &amp; Co"), "{html}");
        assert!(html.contains("Broken &lt;mail&gt;"), "{html}");
        assert!(html.contains("<li>15:00–16:00  &lt;Anna&gt;  [tentative]</li>"), "{html}");
    }
}
