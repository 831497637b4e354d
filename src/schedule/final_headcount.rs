//! The `final-headcount` job: each ordered catering's caterer gets the final number of people once,
//! `[events] final_headcount_before` (default 3d) before the event starts, in the order's thread.
//!
//! The count is the headcount last sent less the guests who said they will not come, never fewer
//! than those who said they will (see `desks::event::catering::final_count`). The mail's Message-ID comes from the event's
//! number alone, and the catering is marked sent in the transaction that queues it, so an event's
//! final headcount goes once whatever crashes and however often the job runs. An event that has
//! begun by the time a run gets to it is passed over.

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use tracing::warn;

use crate::desks::event::catering::{self, OrderKind};
use crate::mail::compose::OutboundMail;
use crate::planning::request::When;
use crate::planning::{Catering, CateringState, EventState, PlannedEvent};
use crate::rules::{RuleSet, Schedule};
use crate::store::{Store, StoreError};

/// A final headcount to send, and the catering as it is once sent.
#[derive(Debug)]
pub struct Due {
    pub mail: OutboundMail,
    pub catering: Catering,
}

/// The final headcounts due at `now`.
pub fn due(
    rules: &RuleSet,
    store: &Store,
    job: &Schedule,
    now: DateTime<Utc>,
) -> Result<Vec<Due>, StoreError> {
    let office = &rules.office;
    let before = TimeDelta::from_std(office.events.final_headcount_before).unwrap_or(TimeDelta::days(3));
    let mut due = Vec::new();
    for ordered in store.caterings_awaiting_final()? {
        let Some(event) = store.planned_event(ordered.number)? else { continue };
        let Some(starts) = starts(&event, office.timezone) else { continue };
        if event.state == EventState::Cancelled || starts <= now || starts - now > before {
            continue;
        }
        let Some(caterer) = office.events.caterers.iter().find(|c| c.name == ordered.caterer) else {
            warn!(schedule = %job.name, event = %event.number, caterer = %ordered.caterer, "final-headcount: the caterer is no longer in office.toml");
            continue;
        };
        let count = catering::final_count(&event, &ordered);
        let id = crate::mail::compose::message_id(
            format!("final headcount\0{}", event.number).as_bytes(),
            crate::mail::message::domain_of(&office.assistant.address),
        );
        let sent = Catering {
            state: CateringState::FinalSent,
            headcount: count,
            cost: catering::cost(caterer, &event, count),
            last_id: Some(id.clone()),
            final_headcount: Some(count),
            updated_at: now.timestamp(),
            ..ordered.clone()
        };
        let thread = catering::order_thread(&ordered);
        match catering::order_mail(
            office,
            &rules.templates,
            &event,
            &sent,
            caterer,
            OrderKind::Final,
            id,
            thread,
            now,
        ) {
            Ok(mail) => due.push(Due { mail, catering: sent }),
            Err(e) => {
                warn!(schedule = %job.name, event = %event.number, error = %e, "final-headcount: cannot write the mail")
            }
        }
    }
    Ok(due)
}

/// When `event` starts: its first day at its start time (midnight when none), on the office's clock.
fn starts(event: &PlannedEvent, zone: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let When::Days { first, start, .. } = event.reading.when else { return None };
    let local = first.and_time(start.unwrap_or(NaiveTime::MIN));
    local.and_local_timezone(zone).earliest().map(|t| t.with_timezone(&Utc))
}
