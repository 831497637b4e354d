//! office.toml's settings for the inquiry desk: departments with answer times, opening hours and
//! `[tickets]`.

use std::time::Duration;

use chrono::Weekday;

use super::{Dir, OFFICE};

const HOUR: Duration = Duration::from_secs(3600);

fn office_with(extra: &str) -> Dir {
    let dir = Dir::new();
    dir.write("office.toml", &format!("{OFFICE}\n{extra}"));
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    dir
}

#[test]
fn a_department_given_as_an_address_promises_one_working_day() {
    let set = office_with("").load();
    let front = &set.office.departments["front-desk"];
    assert_eq!(front.address, "info@office.example");
    assert_eq!(front.response_time, 8 * HOUR);
    assert_eq!(front.escalate_after, 16 * HOUR);
}

#[test]
fn a_department_table_sets_its_own_answer_times() {
    let office = OFFICE.replace(
        "accounts = \"accounts@office.example\"",
        "accounts = { address = \"accounts@office.example\", response_time = \"4h\", escalate_after = \"1d\" }",
    );
    let dir = Dir::new();
    dir.write("office.toml", &office);
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    let accounts = &dir.load().office.departments["accounts"];
    assert_eq!(accounts.address, "accounts@office.example");
    assert_eq!(accounts.response_time, 4 * HOUR);
    assert_eq!(accounts.escalate_after, 24 * HOUR);
}

#[test]
fn escalating_before_the_response_time_is_refused() {
    let office = OFFICE.replace(
        "accounts = \"accounts@office.example\"",
        "accounts = { address = \"accounts@office.example\", response_time = \"4h\", escalate_after = \"2h\" }",
    );
    let dir = Dir::new();
    dir.write("office.toml", &office);
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("`escalate_after` comes before `response_time`"), "{errors:?}");
}

#[test]
fn a_misspelt_department_key_is_reported_with_a_suggestion() {
    let office = OFFICE.replace(
        "accounts = \"accounts@office.example\"",
        "accounts = { address = \"accounts@office.example\", respons_time = \"4h\" }",
    );
    let dir = Dir::new();
    dir.write("office.toml", &office);
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("unknown key `departments.accounts.respons_time`, did you mean"),
        "{errors:?}"
    );
}

#[test]
fn office_hours_are_read_from_the_office_section() {
    let office = OFFICE.replace(
        "language = \"en\"\n",
        "language = \"en\"\nhours.mon = \"09:00-13:00\"\nhours.sat = \"10:00-12:00\"\n",
    );
    let dir = Dir::new();
    dir.write("office.toml", &office);
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    let hours = dir.load().office.hours;
    assert_eq!(hours.ranges(Weekday::Mon).len(), 1);
    assert_eq!(hours.ranges(Weekday::Sat).len(), 1);
    assert!(hours.ranges(Weekday::Tue).is_empty());
}

#[test]
fn tickets_settings_are_read_and_default_sensibly() {
    let defaults = office_with("").load().office.tickets;
    assert_eq!(defaults.acknowledgment, None);
    assert_eq!(defaults.reopen_within, Duration::from_secs(30 * 86_400));
    assert!(defaults.staff.is_empty());
    let set = office_with(
        "[tickets]\nreopen_within = \"7d\"\nstaff = [\"*@office.example\", \"mario@partner.example\"]\n",
    )
    .load();
    assert_eq!(set.office.tickets.reopen_within, Duration::from_secs(7 * 86_400));
    assert_eq!(set.office.tickets.staff.len(), 2);
}

#[test]
fn a_reply_beside_the_inquiry_desk_is_refused() {
    let dir = office_with("");
    dir.write("templates/ack.txt", "Thanks");
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\nreply = \"ack\"\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("10.rules.toml:4:9: the inquiry desk answers by itself"), "{errors:?}");
}

#[test]
fn a_reply_beside_the_event_desk_is_refused() {
    let dir = office_with("");
    dir.write("templates/ack.txt", "Thanks");
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"event\"\nreply = \"ack\"\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("10.rules.toml:4:9: the event desk answers by itself"), "{errors:?}");
}

#[test]
fn an_acknowledgment_template_named_in_office_toml_must_exist() {
    let dir = office_with("[tickets]\nacknowledgment = \"ticket-ack\"\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("templates/ticket-ack.txt, which is missing"), "{errors:?}");
    dir.write("templates/ticket-ack.txt", "Your ticket {{ ticket.tag }}");
    assert_eq!(dir.load().office.tickets.acknowledgment.as_deref(), Some("ticket-ack"));
}

/// The test office with `lines` added to its `[office]` table.
fn office_table_with(lines: &str) -> Dir {
    let dir = office_with("");
    dir.write("office.toml", &OFFICE.replacen("[office]\n", &format!("[office]\n{lines}"), 1));
    dir
}

#[test]
fn holidays_and_closures_close_the_office_and_its_calendars() {
    let set = office_table_with("holidays = \"it-rm\"\nclosed = [\"08-10..08-21\", \"2026-12-24\"]\n").load();
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    assert!(set.office.hours.ranges_on(day(6, 29)).is_empty(), "Saints Peter and Paul, in Rome");
    assert!(set.office.hours.ranges_on(day(12, 24)).is_empty());
    assert!(set.office.hours.ranges_on(day(8, 12)).is_empty());
}

#[test]
fn an_unknown_holiday_calendar_or_closure_is_reported_where_it_is_written() {
    let errors = office_table_with("holidays = \"IT-XX\"\nclosed = [\"Christmas\"]\n").errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("office.toml:3:") && errors[0].contains("no public-holiday calendar"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("office.toml:4:") && errors[1].contains("`Christmas` is not a day"),
        "{errors:?}"
    );
}
