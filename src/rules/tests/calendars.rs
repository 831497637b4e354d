//! `[[calendar]]` and `[[room]]` in office.toml: their settings, defaults, and located errors.

use std::time::Duration;

use chrono::{NaiveTime, Weekday};

use super::{Dir, OFFICE};

const CALENDARS: &str = r#"
[[calendar]]
name = "giulia"
owner = "giulia@office.example"
hours.mon = "09:00-12:30, 14:00-18:00"
hours.fri = "09:00-13:00"
buffer = "10m"
min_notice = "2h"
horizon = "30d"
default_length = "45m"

[[calendar]]
name = "office"
owner = "assistant@office.example"
timezone = "Europe/London"

[[room]]
name = "Sala Verde"
capacity = 8
"#;

fn office_with(extra: &str) -> Dir {
    let dir = Dir::new();
    dir.write("office.toml", &format!("{OFFICE}{extra}"));
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    dir
}

fn at(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
}

#[test]
fn a_calendar_takes_its_hours_buffer_notice_horizon_and_meeting_length() {
    let rules = office_with(CALENDARS).load();
    let giulia = &rules.office.calendars[0];
    assert_eq!(giulia.owner, "giulia@office.example");
    assert_eq!(giulia.policy.hours.ranges(Weekday::Mon), [(at(9, 0), at(12, 30)), (at(14, 0), at(18, 0))]);
    assert!(giulia.policy.hours.ranges(Weekday::Tue).is_empty(), "a day left out is closed");
    assert_eq!(giulia.policy.buffer, Duration::from_secs(600));
    assert_eq!(giulia.policy.min_notice, Duration::from_secs(7200));
    assert_eq!(giulia.policy.horizon, Duration::from_secs(30 * 86_400));
    assert_eq!(giulia.default_length, Duration::from_secs(45 * 60));
    assert_eq!(giulia.policy.timezone, chrono_tz::Europe::Rome, "the office's zone by default");
}

#[test]
fn calendars_and_rooms_have_defaults_for_everything_but_name_owner_and_capacity() {
    let rules = office_with(CALENDARS).load();
    let office = &rules.office.calendars[1];
    assert_eq!(office.policy.timezone, chrono_tz::Europe::London);
    assert_eq!(office.policy.hours.ranges(Weekday::Thu), [(at(9, 0), at(17, 0))]);
    assert_eq!(office.policy.min_notice, Duration::from_secs(3600));
    assert_eq!(office.default_length, Duration::from_secs(30 * 60));
    let room = &rules.office.rooms[0];
    assert_eq!((room.name.as_str(), room.capacity), ("Sala Verde", 8));
}

#[test]
fn mistakes_in_calendars_and_rooms_are_reported_where_they_are() {
    let broken = CALENDARS
        .replace("hours.fri = \"09:00-13:00\"", "hours.fri = \"13:00-09:00\"\nhours.mnday = \"09:00-10:00\"")
        .replace("buffer = \"10m\"", "buffer = \"ten minutes\"")
        .replace("Europe/London", "Europe/Londn")
        .replace("capacity = 8", "capacity = 0");
    let errors = office_with(&broken).errors();
    let expected = [
        "office.toml:28:13: `hours.fri`: `13:00-09:00` ends before it starts",
        "office.toml:29:7: unknown key `calendar.hours.mnday`",
        "office.toml:30:10: `buffer = \"ten minutes\"`: write a number and a unit",
        "office.toml:38:12: unknown time zone `Europe/Londn`, did you mean `Europe/London`?",
        "office.toml:42:12: `capacity = 0`: a room seats at least one person",
    ];
    for (error, expected) in errors.iter().zip(expected) {
        assert!(error.starts_with(expected), "{error}\n  expected: {expected}…\nall: {errors:#?}");
    }
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
}

#[test]
fn a_room_needs_a_capacity_and_names_must_differ() {
    let errors = office_with("\n[[room]]\nname = \"giulia\"\n").errors();
    assert!(errors.iter().any(|e| e.contains("capacity")), "{errors:?}");
    let errors = office_with(&format!("{CALENDARS}\n[[room]]\nname = \"giulia\"\ncapacity = 2\n")).errors();
    assert!(errors.iter().any(|e| e.contains("two calendars or rooms are named `giulia`")), "{errors:?}");
}

#[test]
fn the_staff_directory_is_read_with_each_persons_calendar() {
    let dir = office_with(&format!(
        "{CALENDARS}\n[[staff]]\nname = \"Bob Bianchi\"\naddress = \"bob@office.example\"\ncalendar = \"office\"\n\n\
         [[staff]]\nname = \"Carla Neri\"\naddress = \"carla@office.example\"\n"
    ));
    let staff = dir.load().office.staff;
    let read: Vec<(&str, &str, Option<&str>)> = staff
        .iter()
        .map(|m| (m.person.name.as_str(), m.person.address.as_str(), m.calendar.as_deref()))
        .collect();
    assert_eq!(
        read,
        [("Bob Bianchi", "bob@office.example", Some("office")), ("Carla Neri", "carla@office.example", None)]
    );
}

#[test]
fn a_staff_calendar_that_is_no_calendar_is_refused_at_its_line() {
    let dir = office_with(&format!(
        "{CALENDARS}\n[[staff]]\nname = \"Bob Bianchi\"\naddress = \"bob@office.example\"\ncalendar = \"bob\"\n"
    ));
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("`bob` is not a [[calendar]] of office.toml"), "{errors:?}");
    assert!(errors[0].starts_with("office.toml:"), "{errors:?}");
}

#[test]
fn a_staff_member_without_an_address_is_refused() {
    let errors = office_with("\n[[staff]]\nname = \"Bob Bianchi\"\n").errors();
    assert!(errors.iter().any(|e| e.contains("missing `staff.address`")), "{errors:?}");
}
