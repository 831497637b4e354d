//! `[[calendar]]` and `[[room]]` in office.toml: the calendars clerk keeps and the rooms it books.
//!
//! ```toml
//! [[calendar]]
//! name = "giulia"                       # unique among calendars and rooms
//! owner = "giulia@office.example"
//! timezone = "Europe/Rome"              # default: the office's
//! hours.mon = "09:00-12:30, 14:00-18:00"   # per weekday, mon … sun; a day left out is closed;
//! hours.tue = "09:00-12:30, 14:00-18:00"   #   without `hours`, Monday to Friday 09:00-17:00
//! buffer = "10m"                        # kept free around meetings (default 0)
//! min_notice = "2h"                     # default 1h
//! horizon = "60d"                       # how far ahead (default 60d)
//! default_length = "30m"                # default 30m
//!
//! [[room]]
//! name = "Sala Verde"
//! capacity = 8
//! # hours, timezone, buffer, min_notice, horizon as for a calendar
//! ```

use std::time::Duration;

use chrono_tz::Tz;

use super::{address, zone};
use crate::calendar::availability::Policy;
use crate::calendar::hours::{DAY_KEYS, WorkingHours, parse_day};
use crate::calendar::{CalendarConfig, Room};
use crate::toml_doc::Table;

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(86_400);

/// Every `[[calendar]]` and `[[room]]`; `None` when anything was reported.
pub(super) fn parse(
    root: &Table<'_, '_>,
    office_zone: Option<Tz>,
) -> Option<(Vec<CalendarConfig>, Vec<Room>)> {
    let calendars: Vec<Option<CalendarConfig>> =
        root.tables("calendar").iter().map(|t| calendar(t, office_zone)).collect();
    let rooms: Vec<Option<Room>> = root.tables("room").iter().map(|t| room(t, office_zone)).collect();
    let calendars: Vec<CalendarConfig> = calendars.into_iter().collect::<Option<_>>()?;
    let rooms: Vec<Room> = rooms.into_iter().collect::<Option<_>>()?;
    let mut names: Vec<&str> =
        calendars.iter().map(|c| c.name.as_str()).chain(rooms.iter().map(|r| r.name.as_str())).collect();
    names.sort_unstable();
    if let Some(twice) = names.windows(2).find(|w| w[0] == w[1]) {
        root.doc().error(0..0, format!("two calendars or rooms are named `{}`: names must differ", twice[0]));
        return None;
    }
    Some((calendars, rooms))
}

fn calendar(table: &Table<'_, '_>, office_zone: Option<Tz>) -> Option<CalendarConfig> {
    let name = name(table);
    let owner = address(table, "owner");
    let policy = policy(table, office_zone);
    let default_length = period(table, "default_length", Duration::from_secs(30 * 60), false);
    Some(CalendarConfig { name: name?, owner: owner?, policy: policy?, default_length: default_length? })
}

fn room(table: &Table<'_, '_>, office_zone: Option<Tz>) -> Option<Room> {
    let name = name(table);
    let capacity = match table.get("capacity") {
        Some(item) => item.expect_integer().and_then(|n| match u32::try_from(n) {
            Ok(n) if n > 0 => Some(n),
            _ => {
                item.error(format!("`capacity = {n}`: a room seats at least one person"));
                None
            }
        }),
        None => {
            table.missing("capacity");
            None
        }
    };
    let policy = policy(table, office_zone);
    Some(Room { name: name?, capacity: capacity?, policy: policy? })
}

fn name(table: &Table<'_, '_>) -> Option<String> {
    let name = table.required_string("name")?;
    if name.get_ref().trim().is_empty() {
        table.doc().error(name.span(), "`name` must not be empty");
        return None;
    }
    Some(name.get_ref().trim().to_owned())
}

/// The availability settings a calendar and a room share.
fn policy(table: &Table<'_, '_>, office_zone: Option<Tz>) -> Option<Policy> {
    let timezone = match table.get("timezone") {
        Some(item) => zone(&item),
        None => office_zone,
    };
    let hours = match table.get("hours") {
        None => Some(WorkingHours::default()),
        Some(item) => {
            item.expect_table().and_then(|days| working_hours(&days, "no meeting could ever be booked"))
        }
    };
    let buffer = period(table, "buffer", Duration::ZERO, true);
    let min_notice = period(table, "min_notice", HOUR, true);
    let horizon = period(table, "horizon", 60 * DAY, false);
    Some(Policy {
        timezone: timezone?,
        hours: hours?,
        buffer: buffer?,
        min_notice: min_notice?,
        horizon: horizon?,
    })
}

/// `hours.mon` … `hours.sun`; `all_closed` says what an office closed every day could not do.
pub(super) fn working_hours(days: &Table<'_, '_>, all_closed: &str) -> Option<WorkingHours> {
    let mut hours = WorkingHours::closed();
    let mut ok = true;
    for (key, day) in DAY_KEYS {
        let Some(item) = days.get(key) else { continue };
        match item.expect_str().map(|text| (text, parse_day(text))) {
            Some((_, Ok(ranges))) => hours.set(day, ranges),
            Some((_, Err(e))) => {
                item.error(format!("`hours.{key}`: {e}"));
                ok = false;
            }
            None => ok = false,
        }
    }
    if ok && !hours.is_open_sometime() {
        days.doc().error(days.span(), format!("`hours` leaves every day closed: {all_closed}"));
        return None;
    }
    ok.then_some(hours)
}

/// An optional period under `key`: `default` when absent; zero only where `zero_ok`.
fn period(table: &Table<'_, '_>, key: &'static str, default: Duration, zero_ok: bool) -> Option<Duration> {
    let Some(item) = table.get(key) else { return Some(default) };
    let text = item.expect_str()?;
    match crate::units::parse_duration(text) {
        Some(d) if zero_ok || !d.is_zero() => Some(d),
        _ => {
            item.error(format!("`{key} = \"{text}\"`: {}", crate::units::DURATION_HINT));
            None
        }
    }
}
