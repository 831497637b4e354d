//! The `reminders` job: an email to the people of each meeting in the office's calendars a while
//! (`before`) before it starts, once; in Italian when the office's language is. The words are the
//! letters `reminder` and `reminder-subject` (see [`crate::letters`]), which an office may rewrite.
//!
//! Each run looks at the occurrences starting from its slot to `before` after it. A reminder's
//! Message-ID comes from the meeting's UID and the occurrence's start, and the outbox takes a
//! Message-ID once, so a meeting is reminded once however often the job runs, and again only if it
//! moves. A meeting already under way when a late run gets to it is not reminded.

use crate::language::Language;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use tracing::warn;

use crate::calendar::event::{EventStatus, occurrences, span_abbreviated};
use crate::calendar::ics::PartStat;
use crate::mail::compose::{self, Identity, Notice, OutboundMail, html_document};
use crate::mail::message::Address;
use crate::rules::{RuleSet, Schedule};
use crate::store::{Store, StoreError};

/// The reminders due at `slot` (unix seconds) for the meetings of every `[[calendar]]`; meetings that
/// have begun by `now` are passed over. A calendar that cannot be read is logged and skipped.
pub fn mails(
    rules: &RuleSet,
    store: &Store,
    job: &Schedule,
    slot: i64,
    now: DateTime<Utc>,
) -> Result<Vec<OutboundMail>, StoreError> {
    let office = &rules.office;
    let from = DateTime::<Utc>::from_timestamp(slot, 0).unwrap_or(now).max(now);
    let before = TimeDelta::from_std(job.before).unwrap_or(TimeDelta::hours(1));
    let to = from.checked_add_signed(before).unwrap_or(from);
    let identity =
        Identity { name: office.assistant.name.clone(), address: office.assistant.address.clone() };
    let domain = crate::mail::message::domain_of(&office.assistant.address);
    let mut mails = Vec::new();
    for calendar in &office.calendars {
        let events = store.events(&calendar.name, from, to)?;
        let due = occurrences(&events, from, to);
        for cut in &due.cuts {
            warn!(schedule = %job.name, calendar = %calendar.name, "reminders: {cut}");
        }
        for occurrence in
            due.occurrences.iter().filter(|o| o.start >= from && o.status() != EventStatus::Cancelled)
        {
            let event = occurrence.event;
            let mut people: Vec<Address> = Vec::new();
            let invited = event.attendees.iter().filter(|a| a.partstat != PartStat::Declined);
            let emails = invited.map(|a| (a.party.name.clone(), a.party.email.clone()));
            let owner = office.owners.iter().find(|o| o.address.eq_ignore_ascii_case(&calendar.owner));
            let owner = (owner.map(|o| o.name.clone()), calendar.owner.clone());
            for (name, email) in std::iter::once(owner).chain(emails) {
                if !office.assistant.address.eq_ignore_ascii_case(&email)
                    && !people.iter().any(|p| p.email.eq_ignore_ascii_case(&email))
                {
                    people.push(Address { name, email });
                }
            }
            let language = Language::from_code(&office.language);
            let zone = calendar.policy.timezone;
            let letter = Reminder {
                summary: occurrence.summary(),
                when: span_abbreviated(occurrence.start, occurrence.end, zone, language),
                location: event.location.as_deref(),
                signature: &office.assistant.name,
            };
            let written = rules.templates.letter("meeting/reminder", language, &letter).and_then(|text| {
                Ok((text, rules.templates.letter("meeting/reminder-subject", language, &letter)?))
            });
            let (text, subject) = match written {
                Ok(written) => written,
                Err(e) => {
                    warn!(schedule = %job.name, uid = %occurrence.uid(), error = %e, "reminders: cannot write");
                    continue;
                }
            };
            let notice = Notice {
                from: &identity,
                to: people,
                subject,
                html: html_document(&text),
                text,
                message_id: compose::message_id(
                    format!("reminder\0{}\0{}", occurrence.uid(), occurrence.start.timestamp()).as_bytes(),
                    domain,
                ),
                date: now,
                loop_header_value: office.assistant.address.clone(),
            };
            match compose::notice(&notice) {
                Ok(mail) => mails.push(mail),
                Err(e) => {
                    warn!(schedule = %job.name, uid = %occurrence.uid(), error = %e, "reminders: cannot compose")
                }
            }
        }
    }
    Ok(mails)
}

/// What a reminder letter (`letters/reminder`, `letters/reminder-subject`) is written from.
#[derive(Serialize)]
struct Reminder<'a> {
    summary: &'a str,
    /// "Tue 24 Nov 2026 15:00–16:00 CET", in the letter's language.
    when: String,
    location: Option<&'a str>,
    signature: &'a str,
}

#[cfg(test)]
mod tests;
