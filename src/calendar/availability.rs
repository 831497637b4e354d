//! Free time: whether a meeting fits a calendar, and where the next ones would. A slot fits when it
//! lies within one of the day's working ranges, starts no sooner than the minimum notice, ends within
//! the booking horizon, and keeps the buffer clear of every busy occurrence.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::zones::resolve_local;
use chrono_tz::Tz;

use super::event::Occurrence;
use super::hours::WorkingHours;

/// Meetings start on quarter hours.
const STEP_SECONDS: i64 = 15 * 60;

/// When a calendar takes meetings: the part of a calendar's settings availability depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub timezone: Tz,
    pub hours: WorkingHours,
    /// Kept free before and after every meeting.
    pub buffer: Duration,
    /// How far ahead of now a meeting must be asked for.
    pub min_notice: Duration,
    /// How far ahead meetings may be booked.
    pub horizon: Duration,
}

/// A stretch of time, start included, end excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Why a slot does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// It has begun already: no notice makes a past time bookable, and the asker is told so in
    /// those words rather than of the notice meetings need.
    Past,
    /// It starts before the minimum notice allows; the earliest start is given.
    TooSoon { earliest: DateTime<Utc> },
    /// It ends after the booking horizon; the latest end is given.
    TooFarAhead { latest: DateTime<Utc> },
    /// It is not within one working range of its day.
    OutsideHours,
    /// It meets a busy occurrence (or its buffer).
    Busy,
}

/// A calendar's busy time, each occurrence widened by the buffer, merged and sorted, so that a
/// search asks "what is busy here" with a binary search.
#[derive(Debug, Clone, Default)]
pub struct Busy {
    blocks: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Busy {
    /// The busy occurrences of `occurrences` (cancelled and transparent ones make no time busy).
    pub fn new(occurrences: &[Occurrence<'_>], buffer: Duration) -> Busy {
        let buffer = TimeDelta::from_std(buffer).unwrap_or(TimeDelta::zero());
        let widened = |o: &Occurrence<'_>| {
            let start = o.start.checked_sub_signed(buffer).unwrap_or(o.start);
            (start, o.end.checked_add_signed(buffer).unwrap_or(o.end))
        };
        let mut blocks: Vec<_> = occurrences.iter().filter(|o| o.busy()).map(widened).collect();
        blocks.sort_unstable();
        let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(blocks.len());
        for (start, end) in blocks {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Busy { blocks: merged }
    }

    /// The end of the first busy block that overlaps `start..end`.
    fn overlap_end(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let first = self.blocks.partition_point(|&(_, block_end)| block_end <= start);
        self.blocks.get(first).filter(|&&(block_start, _)| block_start < end).map(|&(_, block_end)| block_end)
    }
}

impl Policy {
    /// Whether `slot` can be booked at `now`.
    pub fn check(&self, busy: &Busy, now: DateTime<Utc>, slot: Slot) -> Result<(), Unavailable> {
        if slot.start < now {
            return Err(Unavailable::Past);
        }
        let earliest = later(now, self.min_notice);
        if slot.start < earliest {
            return Err(Unavailable::TooSoon { earliest });
        }
        let latest = later(now, self.horizon);
        if slot.end > latest {
            return Err(Unavailable::TooFarAhead { latest });
        }
        let day = slot.start.with_timezone(&self.timezone).date_naive();
        if !self.ranges(day).any(|(from, to)| from <= slot.start && slot.end <= to) {
            return Err(Unavailable::OutsideHours);
        }
        match busy.overlap_end(slot.start, slot.end) {
            Some(_) => Err(Unavailable::Busy),
            None => Ok(()),
        }
    }

    /// Up to `want` free slots of `length`, earliest first. With `spread`, on different days where the
    /// horizon allows (proposals that give a choice), else the earliest that fit.
    pub fn free_slots(
        &self,
        busy: &Busy,
        now: DateTime<Utc>,
        length: Duration,
        want: usize,
        spread: bool,
    ) -> Vec<Slot> {
        self.free_slots_from(busy, now, now, length, want, spread)
    }

    /// [`Policy::free_slots`] starting no earlier than `from` (notice still counts from `now`): free
    /// times within a stretch a request named ("next week").
    pub fn free_slots_from(
        &self,
        busy: &Busy,
        now: DateTime<Utc>,
        from: DateTime<Utc>,
        length: Duration,
        want: usize,
        spread: bool,
    ) -> Vec<Slot> {
        let length = delta(length);
        let earliest = round_up(later(now, self.min_notice).max(from));
        let latest = later(now, self.horizon);
        let first_day = earliest.with_timezone(&self.timezone).date_naive();
        let last_day = latest.with_timezone(&self.timezone).date_naive();
        let days = || first_day.iter_days().take_while(move |d| *d <= last_day);
        let fits_in = |from: DateTime<Utc>, to: DateTime<Utc>, each: &mut dyn FnMut(Slot) -> bool| {
            let to = to.min(latest);
            let mut start = round_up(from.max(earliest));
            while start + length <= to {
                match busy.overlap_end(start, start + length) {
                    Some(busy_until) => start = round_up(busy_until),
                    None => {
                        if !each(Slot { start, end: start + length }) {
                            return;
                        }
                        start += length;
                    }
                }
            }
        };
        let mut found: Vec<Slot> = Vec::new();
        if spread {
            for day in days() {
                let mut first = None;
                for (from, to) in self.ranges(day) {
                    fits_in(from, to, &mut |slot| {
                        first = Some(slot);
                        false
                    });
                    if first.is_some() {
                        break;
                    }
                }
                found.extend(first);
                if found.len() >= want {
                    return found;
                }
            }
        }
        'days: for day in days() {
            for (from, to) in self.ranges(day) {
                let mut full = false;
                fits_in(from, to, &mut |slot| {
                    if !found.contains(&slot) {
                        found.push(slot);
                    }
                    full = found.len() >= want;
                    !full
                });
                if full {
                    break 'days;
                }
            }
        }
        found.sort_unstable();
        found
    }

    /// The working ranges of a local day, in UTC.
    fn ranges(&self, day: NaiveDate) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        self.hours.ranges_on(day).iter().map(move |&(from, to)| {
            (resolve_local(self.timezone, day.and_time(from)), resolve_local(self.timezone, day.and_time(to)))
        })
    }
}

fn delta(duration: Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

/// `duration` after `t`, at most a century: a horizon of a million weeks means "no limit", and taken
/// literally it would overflow the calendar.
fn later(t: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 86_400);
    t + delta(duration.min(CENTURY))
}

/// The next quarter hour from `t` (itself if it is one).
fn round_up(t: DateTime<Utc>) -> DateTime<Utc> {
    let seconds = t.timestamp();
    let rounded = (seconds + STEP_SECONDS - 1).div_euclid(STEP_SECONDS) * STEP_SECONDS;
    DateTime::from_timestamp(rounded, 0).unwrap_or(t)
}

#[cfg(test)]
mod tests;
