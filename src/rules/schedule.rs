//! `[[schedule]]` entries in rule files: a job the office wants done at the times a cron expression
//! gives, in the office's time zone.
//!
//! ```toml
//! [[schedule]]
//! name = "morning digest"     # required, unique across the rule files
//! cron = "0 7 * * Mon-Fri"    # min hour day-of-month month day-of-week (or six/seven fields, seconds first)
//! job = "digest"              # what to do: digest, reminders, follow-ups, escalate, reorder or
//!                             # final-headcount
//! catch_up = true             # after downtime, a missed run runs once at start (the default)
//! before = "1h"               # reminders: how long before a meeting its reminder goes (default 1h);
//!                             # follow-ups: how long before offered times expire they are recalled
//! ```

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::toml_doc::{Diagnostic, Reported, Table, did_you_mean};

/// One `[[schedule]]`.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Unique; the last run is remembered under it.
    pub name: String,
    /// The rule file and the line of the `[[schedule]]`.
    pub file: PathBuf,
    /// See `file`.
    pub line: usize,
    /// When it runs.
    pub cron: cron::Schedule,
    /// `cron` as written, for messages.
    pub written: String,
    pub job: Job,
    /// Whether a run missed while clerk was down happens once at the next start.
    pub catch_up: bool,
    /// For `reminders`: how long before a meeting its reminder goes; for `follow-ups`, how long before
    /// offered times expire the follow-up goes.
    pub before: std::time::Duration,
}

/// How long before a meeting its reminder goes unless the schedule says `before`.
pub const DEFAULT_REMINDER_LEAD: std::time::Duration = std::time::Duration::from_secs(3600);

/// The jobs a schedule can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// An email to the owners: what clerk handled since the last digest, what failed, what waits.
    Digest,
    /// An email to each meeting's people a while (`before`) before it starts, once per meeting.
    Reminders,
    /// One reminder to whoever was offered times to meet and has not chosen, a while (`before`)
    /// before the offer expires.
    FollowUps,
    /// A reminder to the department of each ticket waiting past its response time, and a note to the
    /// owners past its `escalate_after`; once each.
    Escalate,
    /// The supply cupboard's purchase orders: drafts sent to their vendors (or put to the manager
    /// when over the vendor's limit), and one reminder of each overdue order.
    Reorder,
    /// One reminder to each invited guest of an event who has not answered, `[events]
    /// remind_before` before it starts.
    EventReminders,
    /// Each ordered catering's final headcount to its caterer, `[events] final_headcount_before` the
    /// event; once per event.
    FinalHeadcount,
}

impl Schedule {
    /// Its first slot after `now`, on the office's clock (`zone`).
    pub fn next_slot(&self, zone: chrono_tz::Tz, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // At the autumn clock change the cron crate gives an ambiguous local time as its earlier
        // instant, which can already be past: only a slot after now is next.
        self.cron.after(&now.with_timezone(&zone)).take(4).map(|t| t.with_timezone(&Utc)).find(|t| *t > now)
    }
}

impl Job {
    /// Every job, for validation and suggestions.
    pub const ALL: [Job; 7] = [
        Job::Digest,
        Job::Reminders,
        Job::FollowUps,
        Job::Escalate,
        Job::Reorder,
        Job::EventReminders,
        Job::FinalHeadcount,
    ];

    /// The name used in rule files.
    pub fn name(self) -> &'static str {
        match self {
            Job::Digest => "digest",
            Job::Reminders => "reminders",
            Job::FollowUps => "follow-ups",
            Job::Escalate => "escalate",
            Job::Reorder => "reorder",
            Job::EventReminders => "event-reminders",
            Job::FinalHeadcount => "final-headcount",
        }
    }
}

impl fmt::Display for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A cron expression as the cron crate reads it (seconds first); a classic five-field line
/// (`min hour day month weekday`) gets a leading `0` for the seconds.
pub fn parse_cron(text: &str) -> Result<cron::Schedule, String> {
    let fields = text.split_whitespace().count();
    let full = if fields == 5 { format!("0 {text}") } else { text.to_string() };
    if !(5..=7).contains(&fields) {
        return Err(format!(
            "a cron expression has five fields (min hour day-of-month month day-of-week, e.g. \"0 7 * * Mon-Fri\"), or six or seven with seconds first; this has {fields}"
        ));
    }
    cron::Schedule::from_str(&full).map_err(|e| format!("not a cron expression: {e}"))
}

/// Reads a `[[schedule]]` table; problems are reported to its document.
pub(crate) fn parse_schedule(table: &Table<'_, '_>) -> Result<(Schedule, Diagnostic), Reported> {
    let doc = table.doc();
    let name = table.required_string("name");
    let cron = table.required_string("cron").and_then(|text| match parse_cron(text.get_ref()) {
        Ok(schedule) => Some((schedule, text.get_ref().to_string())),
        Err(message) => {
            doc.error(text.span(), format!("`cron`: {message}"));
            None
        }
    });
    let job = table.required_string("job").and_then(|text| {
        let found = Job::ALL.into_iter().find(|job| job.name() == *text.get_ref());
        if found.is_none() {
            let names: Vec<&str> = Job::ALL.iter().map(|job| job.name()).collect();
            let hint = did_you_mean(text.get_ref(), names.iter().copied())
                .map_or_else(String::new, |name| format!(", did you mean `{name}`?"));
            doc.error(
                text.span(),
                format!("unknown job `{}`{hint} (the jobs are: {})", text.get_ref(), names.join(", ")),
            );
        }
        found
    });
    let catch_up = table.optional("catch_up", |item| item.expect_bool())?;
    let before = table.optional("before", crate::office::duration)?;
    if let (
        Some(Job::Digest | Job::Escalate | Job::Reorder | Job::EventReminders | Job::FinalHeadcount),
        Some(item),
    ) = (job, table.get("before"))
    {
        item.error(
            "`before` is for job = \"reminders\" (how long before a meeting) or \"follow-ups\" (before offered times expire); event-reminders use `[events] remind_before`",
        );
        return Err(Reported);
    }
    let (name, (cron, written), job) = (name.ok_or(Reported)?, cron.ok_or(Reported)?, job.ok_or(Reported)?);
    if name.get_ref().trim().is_empty() {
        doc.error(name.span(), "a schedule name cannot be empty");
        return Err(Reported);
    }
    let schedule = Schedule {
        name: name.get_ref().to_string(),
        file: doc.file().to_owned(),
        line: doc.line(table.span().start),
        cron,
        written,
        job,
        catch_up: catch_up.unwrap_or(true),
        before: before.unwrap_or(DEFAULT_REMINDER_LEAD),
    };
    Ok((schedule, doc.diagnostic(name.span(), "")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_field_lines_run_at_second_zero() {
        let schedule = parse_cron("30 7 * * Mon-Fri").unwrap();
        let after =
            chrono::DateTime::parse_from_rfc3339("2026-11-23T08:00:00Z").unwrap().with_timezone(&chrono::Utc);
        let next = schedule.after(&after).next().unwrap();
        assert_eq!(next.to_rfc3339(), "2026-11-24T07:30:00+00:00");
    }

    #[test]
    fn seconds_first_lines_are_taken_as_they_are() {
        assert!(parse_cron("*/5 * * * * *").is_ok());
    }

    #[test]
    fn a_wrong_number_of_fields_says_what_a_cron_line_looks_like() {
        let error = parse_cron("daily").unwrap_err();
        assert!(error.contains("five fields"), "{error}");
    }
}
