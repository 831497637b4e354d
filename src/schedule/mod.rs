//! Scheduled jobs: each `[[schedule]]` of the rules runs at the times its cron expression gives, in the
//! office's time zone.
//!
//! The last slot (cron time) each schedule handled is kept in the store, and a slot's run commits in
//! the same transaction as the mail it queues, whose Message-ID comes from the schedule and the slot:
//! a slot runs once whatever crashes. A schedule seen for the first time starts from now (past slots are
//! not run). After downtime, the latest missed slot runs once at start when `catch_up` is on (a week
//! away does not send seven digests) and is passed over otherwise.

pub mod escalate;
pub mod event_reminders;
pub mod final_headcount;
pub mod follow_ups;
pub mod office_digest;
pub mod reminders;
pub mod reorder;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, watch};
use tracing::{error, info, warn};

use crate::effects::{Effect, MailKind};
use crate::intake::CurrentRules;
use crate::rules::{Job, RuleSet, Schedule};
use crate::store::{Db, Store, StoreError};

/// How often the schedules are looked at even when no slot is near, so a clock that jumps (a suspended
/// machine, a time sync) is noticed within this; reloaded rules are noticed at once.
const LOOK_AGAIN: Duration = Duration::from_secs(60);
/// A slot found this late (clerk was busy or asleep) still counts as on time for `catch_up = false`.
const ON_TIME: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// The shortest wait between two looks at the schedules.
const MIN_WAIT: Duration = Duration::from_millis(250);
/// How far back a missed slot is looked for.
const LOOK_BACK: chrono::TimeDelta = chrono::TimeDelta::days(35);

/// Runs the schedules of the rules in force until `stopped` turns true, waking `outbox` when a job
/// queued mail.
pub async fn run_schedules(
    rules: CurrentRules,
    db: Db,
    outbox: Arc<Notify>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut changes = rules.changes();
    loop {
        let set = changes.borrow_and_update().clone();
        let mut next: Option<DateTime<Utc>> = None;
        for schedule in &set.schedules {
            match tick(&set, schedule, &db, Utc::now()).await {
                Ok((queued, upcoming)) => {
                    if queued {
                        outbox.notify_one();
                    }
                    next = match (next, upcoming) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                Err(e) => {
                    warn!(schedule = %schedule.name, error = %e, "schedule: cannot read or record its runs")
                }
            }
        }
        let until_next = next.and_then(|t| (t - Utc::now()).to_std().ok()).unwrap_or(Duration::ZERO);
        // The floor keeps a clock oddity (a slot that is already due again) from becoming a busy loop.
        let wait = if next.is_some() { until_next.min(LOOK_AGAIN) } else { LOOK_AGAIN }.max(MIN_WAIT);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = changes.changed() => {}
            _ = stopped.changed() => return,
        }
    }
}

/// Handles one schedule at `now`: runs or passes over its due slot. Returns whether mail was queued,
/// and its next slot.
async fn tick(
    set: &Arc<RuleSet>,
    schedule: &Schedule,
    db: &Db,
    now: DateTime<Utc>,
) -> Result<(bool, Option<DateTime<Utc>>), StoreError> {
    let upcoming = schedule.next_slot(set.office.timezone, now);
    let name = schedule.name.clone();
    let Some(last) = db.run(move |store| store.last_slot(&name)).await? else {
        let name = schedule.name.clone();
        db.run(move |store| store.record_run(&name, now.timestamp(), false, &[])).await?;
        info!(schedule = %schedule.name, cron = %schedule.written, next = ?upcoming, "schedule: first seen; runs from now on");
        return Ok((false, upcoming));
    };
    let Some(slot) = latest_slot(set, schedule, last, now) else {
        return Ok((false, upcoming));
    };
    let slot_ts = slot.timestamp();
    if !schedule.catch_up && now - slot > ON_TIME {
        let name = schedule.name.clone();
        db.run(move |store| store.record_run(&name, slot_ts, false, &[])).await?;
        info!(schedule = %schedule.name, slot = %slot, "schedule: a run was missed while clerk was down; catch_up = false, so it is passed over");
        return Ok((false, upcoming));
    }
    let (set, job) = (set.clone(), schedule.clone());
    // One IMMEDIATE transaction from the first read to the last write: a job that numbers an order or
    // counts a stock level decides on what no folder's batch can change under it.
    let queued = db
        .run(move |store| {
            store.decide_under_lock(|store| -> Result<bool, StoreError> {
                let effects = run_job(&set, store, &job, slot_ts, now)?;
                store.record_run(&job.name, slot_ts, true, &effects)?;
                Ok(effects.iter().any(|effect| matches!(effect, Effect::Send { .. })))
            })
        })
        .await?;
    info!(schedule = %schedule.name, job = %schedule.job, slot = %slot, queued, "schedule: ran");
    Ok((queued, upcoming))
}

/// Runs `job` for the slot at `slot` (unix seconds): what it does, as effects for the store to apply
/// with the run, in the same transaction, as a message's effects are applied with the message.
fn run_job(
    set: &RuleSet,
    store: &mut Store,
    job: &Schedule,
    slot: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Effect>, StoreError> {
    let notice = |mail| Effect::Send { kind: MailKind::Notice, rule: job.name.clone(), mail };
    let since = store.last_ran(&job.name)?.unwrap_or(slot - 86_400);
    let effects = match job.job {
        Job::Digest => match office_digest::mail(set, store, &job.name, since, slot)? {
            None => {
                warn!(schedule = %job.name, "schedule: the office has no owner to send the digest to");
                Vec::new()
            }
            Some(Err(e)) => {
                error!(schedule = %job.name, error = %e, "schedule: the digest cannot be composed");
                Vec::new()
            }
            Some(Ok(mail)) => vec![notice(mail)],
        },
        Job::Reminders => reminders::mails(set, store, job, slot, now)?.into_iter().map(notice).collect(),
        Job::FollowUps => follow_ups::due(set, store, job, now)?
            .into_iter()
            .flat_map(|due| [notice(due.mail), Effect::FollowedUp { message_id: due.offer }])
            .collect(),
        Job::Escalate => {
            let found = escalate::due(set, store, job, now)?;
            let skipped =
                found.skipped.into_iter().map(|(ticket, level)| Effect::Escalated { ticket, level });
            let due = found.due.into_iter().flat_map(|due| {
                [notice(due.mail), Effect::Escalated { ticket: due.ticket, level: due.level }]
            });
            skipped.chain(due).collect()
        }
        Job::FinalHeadcount => final_headcount::due(set, store, job, now)?
            .into_iter()
            .flat_map(|due| {
                let change =
                    crate::planning::PlanningChange { catering: vec![due.catering], ..Default::default() };
                [notice(due.mail), Effect::Planning(Box::new(change))]
            })
            .collect(),
        Job::Reorder => {
            let run = reorder::run(set, store, job, slot, now)?;
            std::iter::once(Effect::Supply(Box::new(run.change)))
                .chain(run.mails.into_iter().map(notice))
                .collect()
        }
        Job::EventReminders => event_reminders::due(set, store, job, now)?,
    };
    Ok(effects)
}

/// The latest slot after `last` (unix seconds) and not after `now`, looking at most [`LOOK_BACK`] back.
fn latest_slot(set: &RuleSet, schedule: &Schedule, last: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    const BOUND: usize = 100_000;
    let zone = set.office.timezone;
    let last = DateTime::<Utc>::from_timestamp(last, 0)?;
    let scan = |from: DateTime<Utc>| {
        let slots = schedule.cron.after(&from.with_timezone(&zone)).take_while(|t| *t <= now).take(BOUND);
        // An ambiguous local time (the autumn clock change) can map to an instant before `last`.
        slots.fold((0, None), |(n, latest), slot| {
            let slot = slot.with_timezone(&Utc);
            (n + 1, if slot > last { Some(slot) } else { latest })
        })
    };
    match scan(last.max(now - LOOK_BACK)) {
        // Only a schedule of seconds has that many slots in the look-back: the last hour tells its latest.
        (BOUND, _) => scan(last.max(now - chrono::TimeDelta::hours(1))).1,
        (_, latest) => latest,
    }
}

#[cfg(test)]
mod tests;
