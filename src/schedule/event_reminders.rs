//! The `event-reminders` job: one reminder to each guest who was invited to an event and has not
//! answered, once the event is `[events] remind_before` (default 7 days) away, in the event's
//! language (the letters `event/guests-reminder` and its subject).
//!
//! A guest is reminded once: the reminder's Message-ID comes from the event's number and the
//! guest's address (the outbox takes a Message-ID once), and the guest is marked reminded in the
//! same transaction as the run. The reminder's Message-ID joins the event's thread, so an answer
//! to it is counted as an answer to the invitation. An event under way or called off is left alone.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use tracing::warn;

use crate::desks::event::invitation_times;
use crate::effects::{Effect, MailKind};
use crate::mail::compose::{self, Notice, html_document};
use crate::mail::message::{Address, domain_of};
use crate::planning::{EventState, PlanningChange};
use crate::rules::{RuleSet, Schedule};
use crate::store::{Store, StoreError};

/// The reminders due at `now`, with the guests marked reminded. A letter that cannot be written is
/// logged and its guest left for the next run.
pub fn due(
    rules: &RuleSet,
    store: &Store,
    job: &Schedule,
    now: DateTime<Utc>,
) -> Result<Vec<Effect>, StoreError> {
    let office = &rules.office;
    let before = TimeDelta::from_std(office.events.remind_before).unwrap_or(TimeDelta::days(7));
    let identity = crate::actions::identity(office);
    let mut effects = Vec::new();
    let mut change = PlanningChange::default();
    for mut event in store.planned_events()? {
        if event.state == EventState::Cancelled {
            continue;
        }
        let Some((start, end)) = invitation_times(&event, office.timezone) else { continue };
        if now >= start || start - before > now {
            continue;
        }
        let language = event.reading.language;
        let mut reminded = false;
        for n in 0..event.guests.len() {
            let guest = &event.guests[n];
            if guest.invited_at.is_none() || guest.answer.is_some() || guest.reminded_at.is_some() {
                continue;
            }
            let values = json!({
                "greeting": language.greeting(guest.name.as_deref()),
                "number": event.number.tag(),
                "what": event.reading.what.clone().unwrap_or_else(|| event.number.tag()),
                "when": crate::desks::event::invitation_when(&event, start, end, office.timezone, language),
                "place": match &event.reading.place {
                    Some(crate::planning::Place::Known(name)) => Some(name.clone()),
                    _ => None,
                },
                "organiser": event.organiser_name.clone().unwrap_or_else(|| event.organiser.clone()),
                "signature": office.assistant.name,
            });
            let written =
                rules.templates.letter("event/guests-reminder", language, &values).and_then(|text| {
                    Ok((text, rules.templates.letter("event/guests-reminder-subject", language, &values)?))
                });
            let (text, subject) = match written {
                Ok(written) => written,
                Err(e) => {
                    warn!(schedule = %job.name, event = %event.number, error = %e, "event reminders: cannot write");
                    continue;
                }
            };
            let seed = format!("event reminder\0{}\0{}", event.number, guest.address);
            let notice = Notice {
                from: &identity,
                to: vec![Address { name: guest.name.clone(), email: guest.address.clone() }],
                subject: subject.trim().to_owned(),
                html: html_document(&text),
                text,
                message_id: compose::message_id(seed.as_bytes(), domain_of(&identity.address)),
                date: now,
                loop_header_value: identity.address.clone(),
            };
            match compose::notice(&notice) {
                Ok(mail) => {
                    change.threads.push((mail.message_id.clone(), event.number));
                    effects.push(Effect::Send { kind: MailKind::Notice, rule: job.name.clone(), mail });
                    event.guests[n].reminded_at = Some(now.timestamp());
                    reminded = true;
                }
                Err(e) => {
                    warn!(schedule = %job.name, event = %event.number, error = %e, "event reminders: cannot compose")
                }
            }
        }
        if reminded {
            change.events.push(event);
        }
    }
    if !change.events.is_empty() {
        effects.push(Effect::Planning(Box::new(change)));
    }
    Ok(effects)
}
