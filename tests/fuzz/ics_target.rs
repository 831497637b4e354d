//! The `icalendar` surface: a calendar as an invitation carries it, read, expanded over windows,
//! published in the feeds and answered.
//!
//! Mutations work on content lines: property values at and past their edges (DURATION, COUNT,
//! INTERVAL, years and months out of range, bad TZIDs, RRULE combinations, thousands of EXDATEs,
//! offsets, triggers), events repeated, components nested deep or left unterminated, lines folded
//! anywhere (inside a UTF-8 character too).
//!
//! Promised: no panic; what is read lies within clerk's bounds (years, length, EXDATEs, events,
//! SEQUENCE, a rule clerk can expand); an expansion holds at most its limits and only occurrences
//! in its window; and whatever clerk writes from what it read (feeds, an invitation, a reply, a
//! cancellation) clerk can read again, with the same UID and times.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use fastrand::Rng;

use clerk::calendar::agenda;
use clerk::calendar::event::{Event, WINDOW_LIMIT, occurrences};
use clerk::calendar::feed::{self, Heading, Stamped, Window};
use clerk::calendar::ics::{
    self, ItipEvent, LONGEST_EVENT, MOST_EVENTS, MOST_EXDATES, PartStat, Party, SEQUENCES,
};
use clerk::calendar::itip::{self, Meeting};
use clerk::calendar::recurrence::Rule;

use crate::corpus::Corpus;
use crate::mutate::{self, NUMBERS, one_of};
use crate::{Surface, near_years};

/// The largest calendar made.
const MOST_BYTES: usize = 2_000_000;

/// The zone of the office, for floating times.
const ROME: Tz = chrono_tz::Europe::Rome;

pub struct Calendar {
    seeds: Vec<Vec<u8>>,
}

impl Surface for Calendar {
    const NAME: &'static str = "icalendar";
    const BRIEF_RUNS: usize = 400;

    fn new(corpus: &Corpus) -> Calendar {
        Calendar { seeds: corpus.calendars() }
    }

    fn seeds(&self) -> &[Vec<u8>] {
        &self.seeds
    }

    fn mutate(&self, rng: &mut Rng) -> Vec<u8> {
        mutate_calendar(rng, &self.seeds)
    }

    fn check(&self, input: &[u8]) -> Result<(), String> {
        let text = String::from_utf8_lossy(input);
        let Ok(read) = ics::read(&text, Some("REQUEST"), ROME) else {
            return Ok(());
        };
        if read.events.len() > MOST_EVENTS {
            return Err(format!("{} events read, over MOST_EVENTS", read.events.len()));
        }
        if read.problems.len() > 21 {
            return Err(format!("{} lines of problems", read.problems.len()));
        }
        for event in &read.events {
            within_bounds(event)?;
        }
        let events: Vec<Event> = read.events.iter().map(|event| event.to_event("giulia")).collect();
        // A feed's window (396 days) from the day before the first event: where the events are.
        if let Some(first) = read.events.first() {
            let (from, to) = (first.start - Duration::days(1), first.start + Duration::days(395));
            expand(&events, from, to)?;
            publish(&events, Window { from, to })?;
        }
        for event in read.events.iter().take(20) {
            answer(event)?;
        }
        Ok(())
    }
}

/// An event as read lies within what clerk reads.
fn within_bounds(event: &ItipEvent) -> Result<(), String> {
    let uid = crate::mime_target::clip(&event.uid);
    for (what, time) in [("start", event.start), ("end", event.end)] {
        if !near_years(time, Duration::days(1)) {
            return Err(format!("event {uid}: its {what} {time} is outside YEARS"));
        }
    }
    if event.end < event.start || event.end - event.start > LONGEST_EVENT {
        return Err(format!("event {uid}: from {} to {}", event.start, event.end));
    }
    if event.exdates.len() > MOST_EXDATES {
        return Err(format!("event {uid}: {} EXDATEs", event.exdates.len()));
    }
    if !SEQUENCES.contains(&event.sequence) {
        return Err(format!("event {uid}: SEQUENCE {}", event.sequence));
    }
    if let Some(rrule) = &event.rrule
        && let Err(why) = Rule::new(rrule, event.start, event.timezone)
    {
        return Err(format!("event {uid}: its RRULE {rrule} was read but is refused: {why}"));
    }
    Ok(())
}

/// The occurrences of a window keep within their limits and the window.
fn expand(events: &[Event], from: DateTime<Utc>, to: DateTime<Utc>) -> Result<(), String> {
    let expansion = occurrences(events, from, to);
    if expansion.occurrences.len() > WINDOW_LIMIT {
        return Err(format!("{} occurrences in one window", expansion.occurrences.len()));
    }
    if let Some(o) = expansion.occurrences.iter().find(|o| o.start >= to || o.end <= from) {
        return Err(format!("an occurrence {}–{} outside the window {from}–{to}", o.start, o.end));
    }
    agenda::lines(&expansion, ROME);
    Ok(())
}

/// The feeds of the events are calendars clerk can read again.
fn publish(events: &[Event], window: Window) -> Result<(), String> {
    let heading =
        Heading { title: "giulia".into(), timezone: ROME, refresh: std::time::Duration::from_secs(3600) };
    let stamped: Vec<Stamped> = events
        .iter()
        .map(|event| Stamped { event: event.clone(), changed: utc(2027, 1, 4), description: None })
        .collect();
    for (kind, body) in [
        ("events", feed::events(&heading, &stamped, window)),
        ("free/busy", feed::free_busy(&heading, &stamped, window)),
    ] {
        if let Err(e) = ics::read(&body.text, None, ROME) {
            return Err(format!("the {kind} feed clerk wrote cannot be read again: {e}"));
        }
    }
    Ok(())
}

/// What clerk writes to answer or pass on an event reads back as the same event.
fn answer(event: &ItipEvent) -> Result<(), String> {
    let meeting = Meeting::from_received(event);
    let stamp = utc(2027, 1, 4);
    let assistant = Party { email: "assistant@office.example".into(), name: Some("Assistant".into()) };
    let written = [
        ("invitation", itip::request(&meeting, stamp)),
        ("reply", itip::reply(&meeting, &assistant, PartStat::Accepted, Some("See you; \"then\"\n"), stamp)),
        ("cancellation", itip::cancel(&meeting, stamp)),
    ];
    for (kind, text) in written {
        let read = ics::read(&text, None, ROME).map_err(|e| {
            format!(
                "the {kind} clerk wrote for {} cannot be read again: {e}",
                crate::mime_target::clip(&event.uid)
            )
        })?;
        let again = read.events.iter().find(|e| e.uid == event.uid);
        let same =
            again.is_some_and(|e| e.start == event.start && (kind == "cancellation" || e.end == event.end));
        if !same {
            return Err(format!(
                "the {kind} clerk wrote for {} reads back as {:?} (problems: {:?})",
                crate::mime_target::clip(&event.uid),
                again.map(|e| (e.start, e.end)),
                read.problems
            ));
        }
    }
    Ok(())
}

fn utc(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 0, 0, 0).single().expect("a valid date")
}

/// A mutated calendar: one of the seeds, changed one to four times.
pub fn mutate_calendar(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let seed = String::from_utf8_lossy(mutate::seed(rng, seeds)).into_owned();
    let mut lines = unfold(&seed);
    for _ in 0..rng.usize(1..=4) {
        mutate_lines(rng, &mut lines);
    }
    let mut text = fold(rng, &lines);
    if rng.u8(..5) == 0 {
        mutate::bytes(rng, &mut text, seeds, MOST_BYTES);
    }
    text.truncate(MOST_BYTES);
    text
}

/// The content lines of a calendar, folded lines joined.
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        match (line.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ => lines.push(line.to_owned()),
        }
    }
    lines
}

/// The lines written back, with CRLF or LF, folded at 75 bytes or anywhere (inside a character too).
fn fold(rng: &mut Rng, lines: &[String]) -> Vec<u8> {
    let eol: &[u8] = if rng.u8(..4) == 0 { b"\n" } else { b"\r\n" };
    let width = match rng.u8(..4) {
        0 => Some(rng.usize(1..80)),
        1 => Some(75),
        _ => None,
    };
    let mut out = Vec::new();
    for line in lines {
        match width {
            Some(width) => {
                for (n, chunk) in line.as_bytes().chunks(width).enumerate() {
                    if n > 0 {
                        out.extend_from_slice(eol);
                        out.push(b' ');
                    }
                    out.extend_from_slice(chunk);
                }
            }
            None => out.extend_from_slice(line.as_bytes()),
        }
        out.extend_from_slice(eol);
    }
    out
}

/// Indices of the lines that are properties of a VEVENT (not BEGIN or END).
fn event_properties(lines: &[String]) -> Vec<usize> {
    let mut inside = 0_i32;
    let mut found = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("BEGIN:VEVENT") {
            inside += 1;
        } else if upper.starts_with("END:VEVENT") {
            inside -= 1;
        } else if inside > 0 {
            found.push(n);
        }
    }
    found
}

/// Where a new property of an event may go: after a BEGIN:VEVENT, or after the first line.
fn in_event(rng: &mut Rng, lines: &[String]) -> usize {
    let begins: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.eq_ignore_ascii_case("BEGIN:VEVENT"))
        .map(|(n, _)| n + 1)
        .collect();
    if begins.is_empty() { lines.len().min(1) } else { begins[rng.usize(..begins.len())] }
}

/// Sets property `name` of an event to `value`: replacing one of that name, or adding it.
fn set(rng: &mut Rng, lines: &mut Vec<String>, name: &str, value: &str) {
    let same: Vec<usize> = event_properties(lines)
        .into_iter()
        .filter(|&n| {
            let line = lines[n].as_bytes();
            line.len() > name.len()
                && line[..name.len()].eq_ignore_ascii_case(name.as_bytes())
                && matches!(line[name.len()], b':' | b';')
        })
        .collect();
    let line = format!("{name}{value}");
    if !same.is_empty() && rng.u8(..4) != 0 {
        lines[same[rng.usize(..same.len())]] = line;
    } else {
        let at = in_event(rng, lines);
        lines.insert(at, line);
    }
}

/// One structural mutation of a calendar's lines.
fn mutate_lines(rng: &mut Rng, lines: &mut Vec<String>) {
    match rng.u8(..16) {
        0 => {
            let value = one_of(rng, DURATIONS);
            set(rng, lines, "DURATION", &format!(":{value}"));
        }
        1 | 2 => {
            let name = one_of(rng, &["DTSTART", "DTEND", "RECURRENCE-ID", "DUE", "DTSTAMP"]);
            let value = format!("{}:{}", one_of(rng, TIME_PARAMETERS), one_of(rng, TIMES));
            set(rng, lines, name, &value);
        }
        3 | 4 => {
            let rule = rrule(rng);
            set(rng, lines, "RRULE", &format!(":{rule}"));
        }
        5 => {
            let times = mutate::count(rng, 5_000);
            let values: Vec<&str> = (0..times).map(|_| one_of(rng, TIMES)).collect();
            if rng.bool() {
                set(rng, lines, "EXDATE", &format!(":{}", values.join(",")));
            } else {
                let at = in_event(rng, lines);
                let parameter = one_of(rng, TIME_PARAMETERS);
                lines.splice(at..at, values.iter().map(|v| format!("EXDATE{parameter}:{v}")));
            }
        }
        6 => {
            let name = one_of(rng, &["SEQUENCE", "PRIORITY", "PERCENT-COMPLETE", "REPEAT"]);
            let value = one_of(rng, NUMBERS);
            set(rng, lines, name, &format!(":{value}"));
        }
        7 => {
            let name = one_of(rng, &["TZOFFSETFROM", "TZOFFSETTO", "TRIGGER", "TRIGGER;RELATED=END", "TZID"]);
            let value = one_of(rng, OFFSETS);
            let at = lines.iter().position(|l| l.starts_with(name)).unwrap_or_else(|| in_event(rng, lines));
            if at < lines.len() && lines[at].starts_with(name) {
                lines[at] = format!("{name}:{value}");
            } else {
                lines.insert(at, format!("{name}:{value}"));
            }
        }
        8 => {
            let name = one_of(rng, &["SUMMARY", "LOCATION", "DESCRIPTION", "COMMENT", "UID"]);
            let piece = one_of(rng, TEXT_PIECES);
            let times = mutate::count(rng, 70_000 / piece.len().max(1));
            set(rng, lines, name, &format!(":{}", piece.repeat(times)));
        }
        9 => {
            let times = mutate::count(rng, 3_000);
            let at = in_event(rng, lines);
            let attendee = one_of(rng, ATTENDEES);
            lines.splice(at..at, (0..times).map(|n| attendee.replace("{n}", &n.to_string())));
        }
        10 => {
            // An event repeated: the same UID (overrides), or new ones.
            let Some(begin) = lines.iter().position(|l| l.eq_ignore_ascii_case("BEGIN:VEVENT")) else {
                return;
            };
            let Some(end) = lines[begin..].iter().position(|l| l.eq_ignore_ascii_case("END:VEVENT")) else {
                return;
            };
            let block: Vec<String> = lines[begin..=begin + end].to_vec();
            let times = mutate::count(rng, 2_000);
            let renumber = rng.bool();
            let mut copies = Vec::with_capacity(block.len() * times);
            for n in 0..times {
                for line in &block {
                    if renumber && line.to_ascii_uppercase().starts_with("UID") {
                        copies.push(format!("UID:copy-{n}@fuzz.example"));
                    } else {
                        copies.push(line.clone());
                    }
                }
            }
            let at = begin + end + 1;
            lines.splice(at..at, copies);
        }
        11 => {
            // Components nested deep, or begun and never ended.
            let depth = mutate::count(rng, 20_000);
            let name = one_of(rng, &["VALARM", "VEVENT", "VTIMEZONE", "STANDARD", "X-FOO", "VCALENDAR"]);
            let at = in_event(rng, lines);
            let ended = rng.bool();
            let mut nested = vec![format!("BEGIN:{name}"); depth];
            if ended {
                nested.extend(std::iter::repeat_n(format!("END:{name}"), depth));
            }
            lines.splice(at..at, nested);
        }
        12 if !lines.is_empty() => {
            // A line taken out: often one that matters.
            let wanted = one_of(
                rng,
                &[
                    "DTSTART",
                    "DTEND",
                    "UID",
                    "END:VEVENT",
                    "END:VCALENDAR",
                    "BEGIN:VEVENT",
                    "METHOD",
                    "TZID",
                    "ORGANIZER",
                ],
            );
            match lines.iter().position(|l| l.starts_with(wanted)) {
                Some(at) => {
                    lines.remove(at);
                }
                None => {
                    lines.remove(rng.usize(..lines.len()));
                }
            }
        }
        13 => {
            let name = one_of(rng, &["METHOD", "STATUS", "TRANSP", "CLASS", "VERSION", "CALSCALE"]);
            let value = one_of(
                rng,
                &[
                    "REQUEST",
                    "CANCEL",
                    "REPLY",
                    "COUNTER",
                    "DECLINECOUNTER",
                    "PUBLISH",
                    "ADD",
                    "REFRESH",
                    "CANCELLED",
                    "TENTATIVE",
                    "TRANSPARENT",
                    "",
                    "request",
                    "2.0",
                    "1.0",
                    "HEBREW",
                ],
            );
            let line = format!("{name}:{value}");
            match lines.iter().position(|l| l.starts_with(name)) {
                Some(at) => lines[at] = line,
                None => {
                    let at = lines.len().min(1);
                    lines.insert(at, line);
                }
            }
        }
        14 if !lines.is_empty() => {
            // Parameters broken: unterminated quotes, many of them, stray separators.
            let at = rng.usize(..lines.len());
            let parameter = one_of(rng, PARAMETERS);
            let times = mutate::count(rng, 1_000);
            if let Some(colon) = lines[at].find([':', ';']) {
                lines[at].insert_str(colon, &parameter.repeat(times));
            }
        }
        _ if !lines.is_empty() => {
            let at = rng.usize(..lines.len());
            let mut line = std::mem::take(&mut lines[at]).into_bytes();
            mutate::numbers(rng, &mut line);
            lines[at] = String::from_utf8_lossy(&line).into_owned();
        }
        _ => lines.push("BEGIN:VCALENDAR".into()),
    }
}

/// A recurrence rule built of parts at and past their edges.
fn rrule(rng: &mut Rng) -> String {
    let mut parts = vec![format!(
        "FREQ={}",
        one_of(
            rng,
            &["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY", "FORTNIGHTLY", ""]
        )
    )];
    for _ in 0..rng.usize(..5) {
        let part = match rng.u8(..12) {
            0 => format!("COUNT={}", one_of(rng, NUMBERS)),
            1 => format!("INTERVAL={}", one_of(rng, NUMBERS)),
            2 => format!("UNTIL={}", one_of(rng, TIMES)),
            3 => format!(
                "BYDAY={}",
                one_of(rng, &["MO,TU,WE,TH,FR", "-5MO", "53FR", "+1SU", "-1SA", "0MO", "XX", "MO,MO,MO", ""])
            ),
            4 => format!(
                "BYMONTHDAY={}",
                one_of(
                    rng,
                    &[
                        "-31",
                        "31",
                        "0",
                        "32",
                        "30",
                        "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"
                    ]
                )
            ),
            5 => format!("BYYEARDAY={}", one_of(rng, &["366", "-366", "0", "367", "1"])),
            6 => format!("BYWEEKNO={}", one_of(rng, &["53", "-53", "0", "54", "1"])),
            7 => format!("BYMONTH={}", one_of(rng, &["13", "0", "2", "1,2,3,4,5,6,7,8,9,10,11,12", "-1"])),
            8 => format!("BYSETPOS={}", one_of(rng, &["-1", "366", "-366", "0", "1,2,3"])),
            9 => format!(
                "BYHOUR={}",
                one_of(
                    rng,
                    &["0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23", "24", "9", "-1"]
                )
            ),
            10 => format!(
                "BYMINUTE={}",
                one_of(
                    rng,
                    &[
                        "0,15,30,45",
                        "60",
                        "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30",
                        "59"
                    ]
                )
            ),
            _ => format!("WKST={}", one_of(rng, &["MO", "SU", "XX"])),
        };
        parts.push(part);
    }
    rng.shuffle(&mut parts);
    parts.join(";")
}

const DURATIONS: &[&str] = &[
    "P99999999W",
    "P9999999999999999999D",
    "-P1D",
    "PT0S",
    "P",
    "PT",
    "P1Y",
    "P0D",
    "PT99999999999H",
    "P2W3D",
    "-PT1H",
    "+P1D",
    "P1DT",
    "PT1H30M",
    "P731D",
    "P732D",
    "P104W",
    "P105W",
    "PT-1H",
    "1 hour",
];

const TIMES: &[&str] = &[
    "00000101T000000Z",
    "00010101T000000",
    "18991231T235959Z",
    "19000101",
    "19700101T000000Z",
    "20270118T100000",
    "20270118T100000Z",
    "20270118",
    "20270229T100000",
    "20270230",
    "20271301T000000",
    "20270132T000000",
    "20270115T256161",
    "20270115T240000",
    "20270328T023000",
    "20271031T023000",
    "22001231T235959Z",
    "22010101T000000Z",
    "99991231T235959Z",
    "2027-01-15T10:00:00",
    "",
    "T",
    "20270118T1000",
    "20270118T100000+0100",
    "-20270118",
];

const TIME_PARAMETERS: &[&str] = &[
    "",
    ";TZID=Europe/Rome",
    ";TZID=America/New_York",
    ";TZID=\"W. Europe Standard Time\"",
    ";TZID=(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
    ";TZID=Not/AZone",
    ";TZID=",
    ";TZID=\"unterminated",
    ";VALUE=DATE",
    ";VALUE=DATE-TIME",
    ";VALUE=PERIOD",
    ";TZID=Europe/Rome;VALUE=DATE",
    ";TZID=Etc/GMT+14",
    ";TZID=/mozilla.org/20050126_1/Europe/Rome",
];

const OFFSETS: &[&str] = &[
    "+0100",
    "+9999",
    "-2400",
    "+0000",
    "-0000",
    "+235959",
    "+2400",
    "garbage",
    "",
    "-P99999999W",
    "-PT15M",
    "P99999999W",
    "20270118T090000Z",
    "Europe/Rome",
    "Customized Time Zone",
];

const TEXT_PIECES: &[&str] = &[
    "a",
    "é",
    "\\n",
    "\\,",
    "\\;",
    "\\\\",
    "\\",
    "\u{202e}",
    "日本",
    " ",
    ",",
    ";",
    "\"",
    "<b>",
    "mailto:x@y.example ",
];

const ATTENDEES: &[&str] = &[
    "ATTENDEE;CN=Guest {n};PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:guest{n}@client.example",
    "ATTENDEE;PARTSTAT=ACCEPTED:MAILTO:assistant@office.example",
    "ATTENDEE:mailto:",
    "ATTENDEE;CN=\"unterminated:mailto:x{n}@y.example",
    "ATTENDEE;PARTSTAT=WHATEVER;DELEGATED-FROM=\"mailto:a@b\":mailto:c{n}@d.example",
    "ORGANIZER;CN=Boss;SENT-BY=\"mailto:sec@client.example\":mailto:boss@client.example",
    "ORGANIZER:mailto:giulia.rossi@office.example",
    "ORGANIZER:",
];

const PARAMETERS: &[&str] =
    &[";X-A=\"", ";X-A=b", ";;", ";=", ";X-A=\"a:b\"", ";CN=\"é\"", ";X-A=a,b,c", ";TZID"];
