//! `clerk calendar`: the events of the office's calendars and rooms, recurring ones once per occurrence,
//! in each calendar's time zone. The events are put in the database as the meeting desk will store them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::process::Command;

use support::clerk::{OFFICE_RULES, Office};

const CALENDARS: &str = "\n[[calendar]]\nname = \"olga\"\nowner = \"owner@office.test\"\n\n\
                         [[room]]\nname = \"Sala Verde\"\ncapacity = 8\ntimezone = \"Europe/London\"\n";

/// An office with a calendar and a room whose database exists (one `run --once` made it).
fn office_with_calendars() -> Office {
    let office = Office::with_maildir(OFFICE_RULES, "");
    let office_toml = office.dir.path().join("rules/office.toml");
    let text = std::fs::read_to_string(&office_toml).unwrap();
    std::fs::write(&office_toml, format!("{text}{CALENDARS}")).unwrap();
    office.run_once();
    office
}

/// An event row: `start` and `end` are unix seconds.
fn event(
    calendar: &str,
    uid: &str,
    summary: &str,
    start: i64,
    end: i64,
    rrule: &str,
    status: &str,
) -> String {
    let rrule = if rrule.is_empty() { "NULL".to_string() } else { format!("'{rrule}'") };
    format!(
        "INSERT INTO events (calendar, uid, recurrence_id, sequence, summary, location, start_at, end_at, \
         timezone, rrule, exdates, status, transparent, organizer, updated_at) VALUES ('{calendar}', '{uid}', \
         0, 0, '{summary}', NULL, {start}, {end}, 'Europe/Rome', {rrule}, '', '{status}', 0, NULL, 0);"
    )
}

/// Tuesday 24 November 2026, 09:00 in Rome (08:00 UTC).
const TUESDAY_9: i64 = 1_795_507_200;

#[test]
fn the_calendar_lists_each_occurrence_in_local_time() {
    let office = office_with_calendars();
    office.execute(&event(
        "olga",
        "standup",
        "Stand-up",
        TUESDAY_9,
        TUESDAY_9 + 900,
        "FREQ=DAILY;COUNT=3",
        "confirmed",
    ));
    office.execute(&event(
        "olga",
        "anna",
        "Anna about the plans",
        TUESDAY_9 + 6 * 3600,
        TUESDAY_9 + 7 * 3600,
        "",
        "tentative",
    ));
    office.execute(&event(
        "Sala Verde",
        "anna-room",
        "Anna about the plans",
        TUESDAY_9 + 6 * 3600,
        TUESDAY_9 + 7 * 3600,
        "",
        "confirmed",
    ));

    let (ok, out) = office.command(&["calendar", "--from", "2026-11-23", "--to", "2026-11-25"]);
    assert!(ok, "{out}");
    let expected = "olga (owner@office.test), 2026-11-23 to 2026-11-25, Europe/Rome\n\
                    \x20 Tue 24 Nov 2026  09:00–09:15  Stand-up\n\
                    \x20 Tue 24 Nov 2026  15:00–16:00  Anna about the plans  [tentative]\n\
                    \x20 Wed 25 Nov 2026  09:00–09:15  Stand-up\n\
                    Sala Verde (room, 8 seats), 2026-11-23 to 2026-11-25, Europe/London\n\
                    \x20 Tue 24 Nov 2026  14:00–15:00  Anna about the plans\n";
    assert_eq!(out, expected);
}

#[test]
fn a_from_after_the_to_is_refused_naming_both() {
    let office = office_with_calendars();
    let run = Command::new(env!("CARGO_BIN_EXE_clerk"))
        .arg("--config")
        .arg(office.config())
        .args(["calendar", "--from", "2026-11-24", "--to", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("--from 2026-11-24 is after --to 2026-11-23"), "{stderr}");
}

#[test]
fn one_calendar_can_be_chosen_and_an_unknown_one_is_named() {
    let office = office_with_calendars();
    let (ok, out) = office.command(&[
        "calendar",
        "--calendar",
        "Sala Verde",
        "--from",
        "2026-11-23",
        "--to",
        "2026-11-23",
    ]);
    assert!(ok, "{out}");
    assert_eq!(out, "Sala Verde (room, 8 seats), 2026-11-23 to 2026-11-23, Europe/London\n  no events\n");

    let run = Command::new(env!("CARGO_BIN_EXE_clerk"))
        .arg("--config")
        .arg(office.config())
        .args(["calendar", "--calendar", "sala verde"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("no calendar or room `sala verde` in office.toml; there are: olga, Sala Verde"),
        "{stderr}"
    );
}

#[test]
fn a_series_every_second_stored_with_a_64_kb_title_is_one_line_and_a_note() {
    let office = office_with_calendars();
    let title = "x".repeat(64 * 1024);
    let poison = "FREQ=SECONDLY;COUNT=100000000";
    office.execute(&event("olga", "poison", &title, TUESDAY_9, TUESDAY_9 + 3600, poison, "confirmed"));
    office.execute(&event("olga", "hourly", "Hourly", TUESDAY_9, TUESDAY_9 + 60, "FREQ=HOURLY", "confirmed"));

    let (ok, out) =
        office.command(&["calendar", "--calendar", "olga", "--from", "2026-11-24", "--to", "2026-11-24"]);
    assert!(ok, "{}", &out[..out.len().min(2000)]);
    let lines: Vec<&str> = out.lines().collect();
    // The heading, the poison series' one occurrence, fifteen hours of the hourly one, the note.
    assert_eq!(lines.len(), 18, "{}", &out[..out.len().min(2000)]);
    assert_eq!(lines.iter().filter(|l| l.contains(&title)).count(), 1);
    assert_eq!(
        lines.last().copied(),
        Some(
            "  note: event poison: RRULE `FREQ=SECONDLY;COUNT=100000000`: FREQ=SECONDLY repeats more often \
             than meetings are held (at most hourly); only its first occurrence is counted"
        )
    );
}
