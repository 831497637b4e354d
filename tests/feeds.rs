//! The published calendars, served by a running clerk and read by real clients: HTTP validators and
//! 304s, python3-icalendar parsing each feed, and vdirsyncer (http storage) syncing a feed for khal to
//! list with the right local times.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Tz;
use clerk::calendar::event::{Event, EventStatus};
use support::clerk::{Clerk, OFFICE_RULES, Office};
use support::process::{http_get, http_get_with};

const WAIT: Duration = Duration::from_secs(30);
const ROME: Tz = chrono_tz::Europe::Rome;

const CALENDARS: &str = "\n[[calendar]]\nname = \"olga\"\nowner = \"owner@office.test\"\n\
    hours.mon = \"09:00-18:00\"\n\n[[room]]\nname = \"Sala Verde\"\ncapacity = 8\n";

/// `days` from today at `hour`:00 in Rome.
fn rome(days: i64, hour: u32) -> DateTime<Utc> {
    let day = (Utc::now() + chrono::Duration::days(days)).with_timezone(&ROME).date_naive();
    ROME.with_ymd_and_hms(day.year(), day.month(), day.day(), hour, 0, 0).unwrap().with_timezone(&Utc)
}

fn event(calendar: &str, uid: &str, summary: &str, start: DateTime<Utc>, minutes: i64) -> Event {
    Event {
        calendar: calendar.into(),
        uid: uid.into(),
        recurrence_id: None,
        sequence: 0,
        summary: summary.into(),
        location: None,
        start,
        end: start + chrono::Duration::minutes(minutes),
        timezone: ROME,
        rrule: None,
        exdates: Vec::new(),
        status: EventStatus::Confirmed,
        transparent: false,
        organizer: None,
        attendees: Vec::new(),
    }
}

/// The office's events: a meeting in three days, a weekly stand-up with one week off, a cancelled
/// meeting, one beyond the feeds' year ahead, and a booking of the room.
fn seed(database: &Path) {
    let mut store = clerk::store::Store::open(database).unwrap();
    let mut budget = event("olga", "budget@office.test", "Budget review", rome(3, 15), 60);
    budget.location = Some("Sala Verde".into());
    budget.attendees = vec![clerk::calendar::ics::Attendee {
        party: clerk::calendar::ics::Party { email: "anna@example.test".into(), name: None },
        partstat: clerk::calendar::ics::PartStat::Accepted,
    }];
    let mut standup = event("olga", "standup@office.test", "Stand-up", rome(1, 9), 30);
    standup.rrule = Some("FREQ=WEEKLY;COUNT=6".into());
    standup.exdates = vec![rome(8, 9)];
    let mut dropped = event("olga", "dropped@office.test", "Dropped plan", rome(4, 11), 60);
    dropped.status = EventStatus::Cancelled;
    let far = event("olga", "far@office.test", "Far future", rome(800, 10), 60);
    let room = event("Sala Verde", "budget@office.test", "Budget review", rome(3, 15), 60);
    for e in [budget, standup, dropped, far, room] {
        store.put_event(&e).unwrap();
    }
}

/// A running clerk serving the seeded office's feeds on a free port.
struct Published {
    office: Office,
    _clerk: Clerk,
    port: u16,
}

impl Published {
    fn start() -> Published {
        let office = Office::with_maildir(OFFICE_RULES, "");
        let office_toml = office.dir.path().join("rules/office.toml");
        let text = std::fs::read_to_string(&office_toml).unwrap();
        std::fs::write(&office_toml, format!("{text}{CALENDARS}")).unwrap();
        let port = support::free_port();
        office
            .append_config(&format!("[http]\nlisten = \"127.0.0.1:{port}\"\n\n[feeds]\ndir = \"published\""));
        seed(&office.dir.path().join("clerk.db"));
        let clerk = office.start();
        assert!(clerk.wait_for_log("calendar feeds", WAIT), "clerk did not start serving:\n{}", clerk.log());
        let published = Published { office, _clerk: clerk, port };
        let path = published.path("calendar:olga");
        let served = support::wait_until(WAIT, || http_get(port, &path).starts_with("HTTP/1.1 200"));
        assert!(served, "the feed was not served:\n{}", published._clerk.log());
        published
    }

    /// The path of `feed`'s link, as `clerk feeds` prints it.
    fn path(&self, feed: &str) -> String {
        let (ok, out) = self.office.command(&["feeds"]);
        assert!(ok, "clerk feeds failed:\n{out}");
        let mut lines = out.lines().skip_while(|line| !line.starts_with(&format!("{feed} ")));
        let link = lines.nth(1).unwrap_or_else(|| panic!("no link for {feed} in:\n{out}")).trim();
        let prefix = format!("http://127.0.0.1:{}", self.port);
        link.strip_prefix(&prefix).unwrap_or_else(|| panic!("{link} is not under {prefix}")).to_owned()
    }

    fn link(&self, feed: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.path(feed))
    }
}

fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[test]
fn a_feed_carries_validators_and_an_unchanged_one_is_answered_304() {
    let feeds = Published::start();
    let path = feeds.path("calendar:olga");
    let full = http_get(feeds.port, &path);
    assert!(full.starts_with("HTTP/1.1 200"), "{full}");
    assert_eq!(header(&full, "content-type"), Some("text/calendar; charset=utf-8"));
    let etag = header(&full, "etag").expect("an ETag").to_owned();
    let modified = header(&full, "last-modified").expect("a Last-Modified").to_owned();
    assert!(etag.starts_with('"') && !etag.starts_with("W/"), "a strong ETag: {etag}");

    let by_tag = http_get_with(feeds.port, &path, &[("If-None-Match", &etag)]);
    assert!(by_tag.starts_with("HTTP/1.1 304"), "{by_tag}");
    assert_eq!(header(&by_tag, "etag"), Some(etag.as_str()));
    let by_date = http_get_with(feeds.port, &path, &[("If-Modified-Since", &modified)]);
    assert!(by_date.starts_with("HTTP/1.1 304"), "{by_date}");
    let other = http_get_with(feeds.port, &path, &[("If-None-Match", "\"something else\"")]);
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");
}

#[test]
fn a_subscriber_that_accepts_gzip_gets_the_feed_gzipped_with_its_own_etag() {
    let feeds = Published::start();
    let path = feeds.path("calendar:olga");
    let gzipped = http_get_with(feeds.port, &path, &[("Accept-Encoding", "gzip, deflate")]);
    assert!(gzipped.starts_with("HTTP/1.1 200"), "{gzipped}");
    assert_eq!(header(&gzipped, "content-encoding"), Some("gzip"));
    assert_eq!(header(&gzipped, "vary"), Some("Accept-Encoding"));
    let etag = header(&gzipped, "etag").unwrap();
    assert!(etag.ends_with("-gz\""), "{etag}");
    let plain = http_get(feeds.port, &path);
    assert_ne!(header(&plain, "etag"), Some(etag), "two representations, two strong ETags");
    let again = http_get_with(feeds.port, &path, &[("Accept-Encoding", "gzip"), ("If-None-Match", etag)]);
    assert!(again.starts_with("HTTP/1.1 304"), "{again}");
}

#[test]
fn a_change_to_the_calendar_gives_a_new_etag_and_a_later_last_modified() {
    let feeds = Published::start();
    let path = feeds.path("calendar:olga");
    let before = http_get(feeds.port, &path);
    let etag = header(&before, "etag").unwrap().to_owned();
    let modified = DateTime::parse_from_rfc2822(header(&before, "last-modified").unwrap()).unwrap();

    let mut store = clerk::store::Store::open(&feeds.office.dir.path().join("clerk.db")).unwrap();
    store.put_event(&event("olga", "new@office.test", "Site visit", rome(5, 10), 60)).unwrap();
    let changed = support::wait_until(WAIT, || http_get(feeds.port, &path).contains("Site visit"));
    assert!(changed, "the new event never showed");
    let after = http_get_with(feeds.port, &path, &[("If-None-Match", &etag)]);
    assert!(after.starts_with("HTTP/1.1 200"), "{after}");
    assert_ne!(header(&after, "etag"), Some(etag.as_str()));
    let later = DateTime::parse_from_rfc2822(header(&after, "last-modified").unwrap()).unwrap();
    assert!(later > modified, "{later} is not after {modified}");
    let file = std::fs::read_to_string(feeds.office.dir.path().join("published/olga.ics")).unwrap();
    assert!(file.contains("Site visit"), "the static copy was not rewritten:\n{file}");
}

#[test]
fn an_unknown_or_rotated_token_finds_nothing() {
    let feeds = Published::start();
    let old = feeds.path("calendar:olga");
    let guessed = http_get(feeds.port, "/feeds/0000000000000000000000000000000000000000/olga.ics");
    assert!(guessed.starts_with("HTTP/1.1 404"), "{guessed}");

    let (ok, out) = feeds.office.command(&["feeds", "--rotate", "calendar:olga"]);
    assert!(ok && out.contains("(new link; the old one no longer works)"), "{out}");
    let new = feeds.path("calendar:olga");
    assert_ne!(new, old);
    let closed = support::wait_until(WAIT, || http_get(feeds.port, &old).starts_with("HTTP/1.1 404"));
    assert!(closed, "the old link still works");
    assert!(http_get(feeds.port, &new).starts_with("HTTP/1.1 200"));
    assert!(feeds.office.command(&["feeds"]).1.contains(&format!("webcal://127.0.0.1:{}{new}", feeds.port)));
}

/// Runs Debian's python3 (the one python3-icalendar is installed for) with `script`, the feeds' links as arguments; panics with its output on failure.
fn python(script: &str, args: &[String]) -> String {
    let out = Command::new(support::smtp_sink::PYTHON)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("running python3");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "python3 failed:\n{text}");
    text
}

const READ_FEEDS: &str = r#"
import sys, urllib.request, icalendar
for link in sys.argv[1:]:
    body = urllib.request.urlopen(link).read()
    cal = icalendar.Calendar.from_ical(body)
    print("CALENDAR", cal.get("X-WR-CALNAME"), cal.get("X-WR-TIMEZONE"), cal.get("METHOD"),
          len(body), "zones:", ",".join(str(z.get("TZID")) for z in cal.walk("VTIMEZONE")))
    for e in sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("DTSTART")):
        start = e.decoded("DTSTART")
        print("EVENT", e.get("UID"), "|", e.get("SUMMARY"), "|", start.isoformat(), "|",
              e.get("LOCATION"), "|", e.get("RRULE").to_ical().decode() if e.get("RRULE") else None, "|",
              len(e.get("EXDATE").dts) if e.get("EXDATE") else 0, "|", e.get("ATTENDEE"))
"#;

#[test]
fn python_icalendar_reads_every_feed() {
    let feeds = Published::start();
    let links: Vec<String> =
        ["calendar:olga", "busy:olga", "room:Sala Verde"].iter().map(|f| feeds.link(f)).collect();
    let out = python(READ_FEEDS, &links);
    let sections: Vec<&str> = out.split("CALENDAR ").skip(1).collect();
    assert_eq!(sections.len(), 3, "{out}");

    let calendar = sections[0];
    assert!(calendar.starts_with("Olga Owner · Test Office Europe/Rome PUBLISH"), "{out}");
    assert!(calendar.contains("zones: Europe/Rome"), "{out}");
    let budget = rome(3, 15).with_timezone(&ROME).format("%Y-%m-%dT%H:%M:%S%:z").to_string();
    assert!(calendar.contains(&format!("EVENT budget@office.test | Budget review | {budget}")), "{out}");
    assert!(calendar.contains("| Sala Verde | None | 0 | None"), "no attendees are published: {out}");
    assert!(calendar.contains("EVENT standup@office.test | Stand-up |"), "{out}");
    assert!(calendar.contains("FREQ=WEEKLY;COUNT=6 | 1 |"), "the week off is an EXDATE: {out}");
    assert!(!calendar.contains("Dropped plan"), "a cancelled event is left out: {out}");
    assert!(!calendar.contains("Far future"), "an event beyond the window is left out: {out}");

    let busy = sections[1];
    assert!(busy.starts_with("Olga Owner (free/busy) · Test Office"), "{out}");
    let blocks = busy.lines().filter(|line| line.starts_with("EVENT ")).count();
    // Five stand-ups (six, one week off) and the budget review.
    assert_eq!(blocks, 6, "{out}");
    assert!(busy.lines().filter(|l| l.starts_with("EVENT ")).all(|l| l.contains("| Busy |")), "{out}");
    assert!(!busy.contains("Budget review") && !busy.contains("Sala Verde |"), "{out}");

    let room = sections[2];
    assert!(room.starts_with("Sala Verde · Test Office"), "{out}");
    assert!(room.contains("EVENT budget@office.test | Budget review"), "{out}");
}

#[test]
fn khal_lists_the_events_vdirsyncer_fetched_in_its_own_local_time() {
    let feeds = Published::start();
    let home = feeds.office.dir.path().join("client");
    let local = home.join("calendars/olga");
    std::fs::create_dir_all(&local).unwrap();
    let vdirsyncer = home.join("vdirsyncer.conf");
    std::fs::write(
        &vdirsyncer,
        format!(
            "[general]\nstatus_path = \"{status}\"\n\n[pair olga]\na = \"olga_remote\"\nb = \"olga_local\"\n\
             collections = null\n\n[storage olga_remote]\ntype = \"http\"\nurl = \"{link}\"\n\n\
             [storage olga_local]\ntype = \"filesystem\"\npath = \"{local}\"\nfileext = \".ics\"\n",
            status = home.join("status").display(),
            link = feeds.link("calendar:olga"),
            local = local.display(),
        ),
    )
    .unwrap();
    let khal = home.join("khal.conf");
    std::fs::write(
        &khal,
        format!(
            "[calendars]\n[[olga]]\npath = {}\n\n[locale]\nlocal_timezone = America/New_York\n\
             default_timezone = America/New_York\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n\
             longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n",
            local.display()
        ),
    )
    .unwrap();
    let run = |program: &str, args: &[&str]| {
        let out = Command::new(program)
            .args(args)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .output()
            .unwrap_or_else(|e| panic!("running {program}: {e}"));
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{program} {args:?} failed:\n{text}");
        text
    };
    let config = vdirsyncer.to_string_lossy().into_owned();
    run("vdirsyncer", &["-c", &config, "discover"]);
    run("vdirsyncer", &["-c", &config, "sync"]);

    let day = rome(3, 15).with_timezone(&chrono_tz::America::New_York);
    let listed = run(
        "khal",
        &[
            "-c",
            &khal.to_string_lossy(),
            "list",
            &day.format("%Y-%m-%d").to_string(),
            "1d",
            "--format",
            "{start-time} {title}",
        ],
    );
    let expected = format!("{} Budget review", day.format("%H:%M"));
    assert!(listed.lines().any(|line| line.trim() == expected), "wanted `{expected}` in:\n{listed}");
}
