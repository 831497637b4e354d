//! The meeting desk against real servers: invitations written the way Outlook writes them, and
//! requests in plain words, are delivered to the assistant's mailbox in a private Dovecot, clerk
//! answers as a running process, and the sender's mailbox receives iMIP mail that parses as the
//! calendar clients expect.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use support::clerk::{ASSISTANT, CUSTOMER, Office, PASSWORD, header, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

/// Someone outside the office and outside the customer's company, with a mailbox of her own.
const THIRD_PARTY: &str = "carla@partner.test";

/// The owner of the calendar the rules book into, with a mailbox of her own.
const OWNER: &str = "owner@office.test";

/// A colleague in the office's staff directory, with a mailbox of her own.
const COLLEAGUE: &str = "carla.neri@office.test";

/// The office's staff directory: Carla Neri, and two people called Bob.
const STAFF: &str = "\n[[staff]]\nname = \"Carla Neri\"\naddress = \"carla.neri@office.test\"\n\
    \n[[staff]]\nname = \"Bob Bianchi\"\naddress = \"bob.bianchi@office.test\"\n\
    \n[[staff]]\nname = \"Bob Rossi\"\naddress = \"bob.rossi@office.test\"\n";

const RULES: &str = r#"
[[rule]]
name = "invitations"
when.calendar = ["REQUEST", "CANCEL", "REPLY", "COUNTER"]
desk = "meeting"
calendar = "olga"

[[rule]]
name = "requests in words"
when.subject = "meeting"
desk = "meeting"
calendar = "olga"
"#;

/// Olga's calendar: open every day 08:00–20:00 in Rome, so the test's times fit whatever day it runs;
/// and a room for six, open the same hours.
const CALENDAR: &str = "\n[[calendar]]\nname = \"olga\"\nowner = \"owner@office.test\"\nbuffer = \"0m\"\n\
    min_notice = \"1h\"\nhorizon = \"30d\"\nhours.mon = \"08:00-20:00\"\nhours.tue = \"08:00-20:00\"\n\
    hours.wed = \"08:00-20:00\"\nhours.thu = \"08:00-20:00\"\nhours.fri = \"08:00-20:00\"\n\
    hours.sat = \"08:00-20:00\"\nhours.sun = \"08:00-20:00\"\n\n[[room]]\nname = \"Sala Verde\"\ncapacity = 6\n\
    hours.mon = \"08:00-20:00\"\nhours.tue = \"08:00-20:00\"\nhours.wed = \"08:00-20:00\"\n\
    hours.thu = \"08:00-20:00\"\nhours.fri = \"08:00-20:00\"\nhours.sat = \"08:00-20:00\"\n\
    hours.sun = \"08:00-20:00\"\n";

/// Two days from now at `hour`:00 in Rome, as an Outlook local time.
fn local(hour: u32) -> (String, DateTime<Utc>) {
    let day = (Utc::now() + chrono::Duration::days(2)).with_timezone(&chrono_tz::Europe::Rome).date_naive();
    let at = chrono_tz::Europe::Rome
        .with_ymd_and_hms(day.year(), day.month(), day.day(), hour, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    (format!("{}T{hour:02}0000", day.format("%Y%m%d")), at)
}

/// An invitation as Outlook sends it: Windows zone name with its VTIMEZONE, method in the
/// Content-Type and inside, the customer organising and the assistant invited.
fn outlook(method: &str, uid: &str, sequence: u32, hour: u32, id: &str) -> Vec<u8> {
    let (start, _) = local(hour);
    let (end, _) = local(hour + 1);
    format!(
        "From: Anna Example <{CUSTOMER}>\r\nTo: {ASSISTANT}\r\nSubject: Budget review\r\nMessage-ID: <{id}>\r\n\
         Date: {}\r\nX-Auto-Response-Suppress: All\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/calendar; charset=\"utf-8\"; method={method}\r\n\r\n\
         BEGIN:VCALENDAR\r\nMETHOD:{method}\r\nPRODID:Microsoft Exchange Server 2010\r\nVERSION:2.0\r\n\
         BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n\
         TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\n\
         END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
         RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
         BEGIN:VEVENT\r\nORGANIZER;CN=Anna Example:MAILTO:{CUSTOMER}\r\n\
         ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Assistant:MAILTO:{ASSISTANT}\r\n\
         SUMMARY;LANGUAGE=en-US:Budget review\r\nDTSTART;TZID=W. Europe Standard Time:{start}\r\n\
         DTEND;TZID=W. Europe Standard Time:{end}\r\nUID:{uid}\r\nCLASS:PUBLIC\r\nPRIORITY:5\r\n\
         DTSTAMP:20261120T090000Z\r\nTRANSP:OPAQUE\r\nSTATUS:CONFIRMED\r\nSEQUENCE:{sequence}\r\n\
         LOCATION;LANGUAGE=en-US:Sala Verde\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        Utc::now().to_rfc2822()
    )
    .into_bytes()
}

/// The office with its own servers; the customer's and the third party's mailboxes too.
fn office() -> (Dovecot, SmtpSink, Office, support::clerk::Clerk) {
    office_with("")
}

/// [`office`] with `config` added to clerk.toml.
fn office_with(config: &str) -> (Dovecot, SmtpSink, Office, support::clerk::Clerk) {
    office_with_staff(config, "")
}

/// [`office_with`], with `staff` added to office.toml; the owner and the colleague have mailboxes.
fn office_with_staff(config: &str, staff: &str) -> (Dovecot, SmtpSink, Office, support::clerk::Clerk) {
    let mut users = office_users();
    users.extend([(THIRD_PARTY, PASSWORD), (OWNER, PASSWORD), (COLLEAGUE, PASSWORD)]);
    let dovecot = Dovecot::start(&users);
    let sink = SmtpSink::start_relaying_to(&dovecot);
    let office = Office::new(&dovecot, &sink, RULES, "");
    office.append_config(config);
    let office_toml = office.dir.path().join("rules/office.toml");
    let text = std::fs::read_to_string(&office_toml).unwrap();
    std::fs::write(&office_toml, format!("{text}{CALENDAR}{staff}")).unwrap();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "clerk did not start watching:\n{}", clerk.log());
    (dovecot, sink, office, clerk)
}

/// The `n`th answer in the organizer's mailbox: its raw text, its calendar (unfolded) and its text.
fn answer(dovecot: &Dovecot, n: usize) -> (String, String, String) {
    let answers = dovecot.wait_for_messages(CUSTOMER, "INBOX", n, WAIT);
    let raw = &answers[n - 1];
    let parsed = clerk::mail::message::Message::parse(raw).expect("the answer parses");
    let calendar = parsed.calendars.first().map(|c| c.text.replace("\r\n ", "")).unwrap_or_default();
    (String::from_utf8_lossy(raw).into_owned(), calendar, parsed.text)
}

#[test]
fn an_outlook_invitation_is_accepted_a_conflict_declined_an_update_moves_it_and_a_cancel_removes_it() {
    let (dovecot, _sink, office, clerk) = office();

    dovecot.deliver(ASSISTANT, &outlook("REQUEST", "budget-1", 0, 10, "inv1@example.test"));
    let (raw, accepted, _) = answer(&dovecot, 1);
    assert_eq!(header(&raw, "Subject"), Some("Accepted: Budget review"), "{raw}");
    assert!(raw.contains("method=\"REPLY\""), "{raw}");
    assert!(accepted.contains("METHOD:REPLY") && accepted.contains("PARTSTAT=ACCEPTED"), "{accepted}");
    assert!(accepted.contains("UID:budget-1") && accepted.contains("ORGANIZER;CN=\"Anna Example\""));
    assert_eq!(accepted.matches("\r\nATTENDEE").count(), 1, "exactly one attendee in a REPLY");
    assert!(accepted.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin"), "{accepted}");
    assert!(!accepted.contains("VALARM"), "{accepted}");
    let (_, ten) = local(10);
    let starts = office.query_strings("SELECT start_at || ' ' || status FROM events WHERE uid = 'budget-1'");
    assert_eq!(starts, [format!("{} confirmed", ten.timestamp())]);

    dovecot.deliver(ASSISTANT, &outlook("REQUEST", "other-1", 0, 10, "inv2@example.test"));
    let (raw, declined, text) = answer(&dovecot, 2);
    assert_eq!(header(&raw, "Subject"), Some("Declined: Budget review"), "{raw}");
    assert!(declined.contains("PARTSTAT=DECLINED"), "{declined}");
    assert!(text.contains("that time is already taken") && text.contains("  3. "), "{text}");

    dovecot.deliver(ASSISTANT, &outlook("REQUEST", "budget-1", 1, 15, "inv3@example.test"));
    let (_, moved, _) = answer(&dovecot, 3);
    assert!(moved.contains("PARTSTAT=ACCEPTED") && moved.contains("SEQUENCE:1"), "{moved}");
    let (_, fifteen) = local(15);
    let starts =
        office.query_strings("SELECT start_at || ' ' || sequence FROM events WHERE uid = 'budget-1'");
    assert_eq!(starts, [format!("{} 1", fifteen.timestamp())]);

    dovecot.deliver(ASSISTANT, &outlook("CANCEL", "budget-1", 2, 15, "inv4@example.test"));
    let cancelled = support::wait_until(WAIT, || {
        office.query_strings("SELECT status FROM events WHERE uid = 'budget-1'") == ["cancelled"]
    });
    assert!(cancelled, "the cancel was not applied:\n{}", clerk.log());
    let (ok, listing) = office.command(&["calendar", "--calendar", "olga"]);
    assert!(ok, "{listing}");
    assert!(listing.contains("Budget review  [cancelled]"), "the meeting is listed as cancelled:\n{listing}");
}

/// A plain message from Anna to the assistant, sent now from Rome.
fn in_words(subject: &str, text: &str, id: &str, in_reply_to: Option<&str>) -> Vec<u8> {
    in_words_from(&format!("Anna Example <{CUSTOMER}>"), subject, text, id, in_reply_to)
}

/// A plain message from `from` to the assistant, sent now from Rome.
fn in_words_from(from: &str, subject: &str, text: &str, id: &str, in_reply_to: Option<&str>) -> Vec<u8> {
    let date = Utc::now().with_timezone(&chrono_tz::Europe::Rome).to_rfc2822();
    let thread =
        in_reply_to.map_or_else(String::new, |r| format!("In-Reply-To: <{r}>\r\nReferences: <{r}>\r\n"));
    format!(
        "From: {from}\r\nTo: {ASSISTANT}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         {thread}Date: {date}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    )
    .into_bytes()
}

/// `at` as a DTSTART line in Rome.
fn dtstart(at: DateTime<Utc>) -> String {
    format!("DTSTART;TZID=Europe/Rome:{}", at.with_timezone(&chrono_tz::Europe::Rome).format("%Y%m%dT%H%M%S"))
}

#[test]
fn a_request_in_words_for_a_free_time_is_booked_and_the_requester_gets_the_invitation() {
    let (dovecot, _sink, _office, _clerk) = office();
    let (_, three_pm) = local(15);
    let day = three_pm.with_timezone(&chrono_tz::Europe::Rome).format("%B %-d");
    let text = format!("Hello, could we meet on {day} at 3pm for an hour to go over the budget?");
    dovecot.deliver(ASSISTANT, &in_words("Meeting about the budget", &text, "words1@example.test", None));
    let (raw, invitation, body) = answer(&dovecot, 1);
    assert!(raw.contains("method=\"REQUEST\""), "{raw}");
    assert!(invitation.contains("METHOD:REQUEST"), "{invitation}");
    assert!(invitation.contains(&dtstart(three_pm)), "{invitation}");
    assert!(invitation.contains("SUMMARY:Anna Example – budget"), "{invitation}");
    assert!(body.contains("I read this as "), "{body}");
    assert_eq!(header(&raw, "In-Reply-To"), Some("<words1@example.test>"), "{raw}");
    assert_eq!(header(&raw, "Subject"), Some("Re: Meeting about the budget"), "{raw}");
    let first = body.lines().next().unwrap_or_default();
    assert!(first.starts_with("Booked: Anna Example – budget, ") && first.contains("15:00"), "{body}");
}

#[test]
fn three_free_times_are_offered_and_a_reply_choosing_the_second_books_it() {
    let (dovecot, _sink, office, _clerk) = office();
    dovecot.deliver(
        ASSISTANT,
        &in_words("Meeting", "Can we talk about the budget soon?", "words2@example.test", None),
    );
    let (raw, _, offer) = answer(&dovecot, 1);
    assert!(offer.contains("  1. ") && offer.contains("  2. ") && offer.contains("  3. "), "{offer}");
    assert!(offer.contains("I could not find a day or a time in your message."), "{offer}");
    let offer_id = header(&raw, "Message-ID").expect("the offer has a Message-ID");
    let offer_id = offer_id.trim_matches(|c| c == '<' || c == '>');

    let slots: Vec<[i64; 2]> =
        serde_json::from_str(&office.query_strings("SELECT slots FROM proposals")[0]).unwrap();
    let second = DateTime::from_timestamp(slots[1][0], 0).unwrap();
    let choice = format!("Va bene la 2, grazie.\r\n\r\nOn Mon, Office Assistant wrote:\r\n> {offer}");
    dovecot.deliver(ASSISTANT, &in_words("Re: Meeting", &choice, "words3@example.test", Some(offer_id)));
    let (raw, invitation, body) = answer(&dovecot, 2);
    assert!(invitation.contains("METHOD:REQUEST"), "{raw}");
    assert!(invitation.contains(&dtstart(second)), "{invitation}");
    assert!(body.contains("2: "), "the choice is echoed: {body}");
    let state = "SELECT CASE WHEN closed_at IS NULL THEN 'open' ELSE 'closed' END FROM proposals";
    assert_eq!(office.query_strings(state), ["closed"], "the chosen proposal is closed");
}

#[test]
fn a_request_to_meet_in_person_books_the_room_which_shows_in_the_room_feed() {
    let port = support::free_port();
    let (dovecot, _sink, office, _clerk) = office_with(&format!("[http]\nlisten = \"127.0.0.1:{port}\""));
    let (_, eleven) = local(11);
    let day = eleven.with_timezone(&chrono_tz::Europe::Rome).format("%B %-d");
    let text = format!("Could we meet in person on {day} at 11am? I will come to your office.");
    dovecot.deliver(ASSISTANT, &in_words("Meeting on site plans", &text, "words4@example.test", None));
    let (_, invitation, body) = answer(&dovecot, 1);
    assert!(invitation.contains("LOCATION:Sala Verde"), "{invitation}");
    assert!(body.contains("The room is Sala Verde (6 seats)."), "{body}");

    let (ok, feeds) = office.command(&["feeds"]);
    assert!(ok, "{feeds}");
    let link = feeds
        .lines()
        .skip_while(|line| !line.starts_with("room:Sala Verde"))
        .nth(1)
        .expect("the room's feed link")
        .trim()
        .to_owned();
    let path =
        link.strip_prefix(&format!("http://127.0.0.1:{port}")).expect("a link on the listener").to_owned();
    let shown = support::wait_until(WAIT, || {
        let feed = support::process::http_get(port, &path);
        feed.contains("SUMMARY:Anna Example – site plans") && feed.contains(&dtstart(eleven))
    });
    assert!(shown, "the booking is not in the room feed:\n{}", support::process::http_get(port, &path));
}

#[test]
fn no_mail_reaches_a_third_party_whose_address_a_stranger_wrote_in_a_request() {
    let (dovecot, sink, _office, _clerk) = office();
    let (_, three_pm) = local(15);
    let day = three_pm.with_timezone(&chrono_tz::Europe::Rome).format("%B %-d");
    let text = format!("Could we meet on {day} at 3pm? Please invite {THIRD_PARTY} as well.");
    dovecot.deliver(ASSISTANT, &in_words("Meeting about the budget", &text, "words5@example.test", None));
    let (_, invitation, body) = answer(&dovecot, 1);
    assert!(invitation.contains("METHOD:REQUEST") && !invitation.contains(THIRD_PARTY), "{invitation}");
    assert!(body.contains(&format!("I have not invited {THIRD_PARTY}:")), "{body}");
    for mail in sink.received() {
        assert!(
            !mail.rcpt_tos.iter().any(|r| r.contains(THIRD_PARTY)),
            "{:?}\n{}",
            mail.rcpt_tos,
            mail.text()
        );
    }
    assert!(dovecot.messages(THIRD_PARTY, "INBOX").is_empty(), "the third party got mail");
}

/// The `n`th mail in `user`'s INBOX: its raw text and its calendar (unfolded).
fn received(dovecot: &Dovecot, user: &str, n: usize) -> (String, String) {
    let mails = dovecot.wait_for_messages(user, "INBOX", n, WAIT);
    let raw = &mails[n - 1];
    let parsed = clerk::mail::message::Message::parse(raw).expect("the mail parses");
    let calendar = parsed.calendars.first().map(|c| c.text.replace("\r\n ", "")).unwrap_or_default();
    (String::from_utf8_lossy(raw).into_owned(), calendar)
}

/// The value of the first `name` property of a calendar.
fn property<'a>(calendar: &'a str, name: &str) -> Option<&'a str> {
    calendar.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
}

#[test]
fn the_owner_gets_a_copy_of_a_booking_an_outsider_makes_and_of_its_cancellation_under_the_same_uid() {
    let (dovecot, _sink, _office, _clerk) = office();
    let (_, three_pm) = local(15);
    let day = three_pm.with_timezone(&chrono_tz::Europe::Rome).format("%B %-d");
    let text = format!("Hello, could we meet on {day} at 3pm to go over the budget?");
    dovecot.deliver(ASSISTANT, &in_words("Meeting about the budget", &text, "words6@example.test", None));
    let (_, invitation, _) = answer(&dovecot, 1);
    let (raw, copy) = received(&dovecot, OWNER, 1);
    assert!(copy.contains("METHOD:REQUEST") && copy.contains(&dtstart(three_pm)), "{copy}");
    assert_eq!(property(&copy, "UID"), property(&invitation, "UID"), "{copy}");
    assert!(raw.contains("Anna Example"), "the owner is told who booked: {raw}");

    let cancel = "Sorry, I need to cancel.\r\n\r\n> Hello, could we meet";
    dovecot.deliver(
        ASSISTANT,
        &in_words("Re: Meeting about the budget", cancel, "words7@example.test", Some("words6@example.test")),
    );
    let (_, cancelled) = received(&dovecot, OWNER, 2);
    assert!(cancelled.contains("METHOD:CANCEL") && cancelled.contains("STATUS:CANCELLED"), "{cancelled}");
    assert_eq!(property(&cancelled, "UID"), property(&invitation, "UID"), "{cancelled}");
    assert_eq!(property(&cancelled, "SEQUENCE"), Some("1"), "{cancelled}");
}

#[test]
fn the_owner_asking_for_a_meeting_herself_is_its_one_accepted_attendee_and_gets_one_invitation() {
    let (dovecot, _sink, _office, _clerk) = office();
    let (_, ten) = local(10);
    let day = ten.with_timezone(&chrono_tz::Europe::Rome).format("%B %-d");
    let text = format!("Please set up a meeting on {day} at 10am with {CUSTOMER}.");
    let from = format!("Olga Owner <{OWNER}>");
    dovecot.deliver(
        ASSISTANT,
        &in_words_from(&from, "Meeting on the contract", &text, "own1@office.test", None),
    );
    let (_, invitation) = received(&dovecot, OWNER, 1);
    let owner_lines: Vec<&str> = invitation
        .lines()
        .filter(|l| l.starts_with("ATTENDEE") && l.to_lowercase().contains(OWNER))
        .collect();
    assert_eq!(owner_lines.len(), 1, "{invitation}");
    assert!(owner_lines[0].contains("PARTSTAT=ACCEPTED"), "{invitation}");
    let (_, anna, _) = answer(&dovecot, 1);
    assert_eq!(property(&anna, "UID"), property(&invitation, "UID"), "{anna}");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(dovecot.messages(OWNER, "INBOX").len(), 1, "the owner gets the invitation once");
}

#[test]
fn a_colleague_named_without_an_address_is_invited_from_the_staff_directory_and_an_ambiguous_name_is_asked() {
    let (dovecot, _sink, _office, _clerk) = office_with_staff("", STAFF);
    let (_, eleven) = local(11);
    let day = eleven.with_timezone(&chrono_tz::Europe::Rome).format("%B %-d");
    let text = format!("Could we meet on {day} at 11am with Carla Neri and Bob?");
    dovecot.deliver(ASSISTANT, &in_words("Meeting about the roof", &text, "words8@example.test", None));
    let (_, invitation, body) = answer(&dovecot, 1);
    let (_, hers) = received(&dovecot, COLLEAGUE, 1);
    assert_eq!(property(&hers, "UID"), property(&invitation, "UID"), "{hers}");
    assert!(invitation.to_lowercase().contains(COLLEAGUE), "{invitation}");
    assert!(!invitation.contains("bob."), "no Bob is guessed: {invitation}");
    assert!(
        body.contains("I have not invited anyone for \"Bob\": the office has Bob Bianchi, Bob Rossi"),
        "{body}"
    );
}

/// The subject of a mail, decoded.
fn subject(raw: &str) -> String {
    clerk::mail::message::Message::parse(raw.as_bytes()).expect("the mail parses").subject
}

#[test]
fn the_owner_gets_the_organizers_own_invitation_once_when_clerk_accepts_it_and_its_update_and_cancellation() {
    let (dovecot, _sink, _office, _clerk) = office();
    dovecot.deliver(ASSISTANT, &outlook("REQUEST", "outside-1", 0, 10, "out1@example.test"));
    let (raw, copy) = received(&dovecot, OWNER, 1);
    assert!(subject(&raw).starts_with("Accepted in your calendar: Budget review"), "{raw}");
    assert!(raw.contains("Anna Example"), "the owner is told who invited: {raw}");
    for line in [
        "METHOD:REQUEST",
        "PRODID:Microsoft Exchange Server 2010",
        "UID:outside-1",
        "SEQUENCE:0",
        "TZID:W. Europe Standard Time",
    ] {
        assert!(copy.contains(line), "the organizer's own calendar, {line}:\n{copy}");
    }
    let organizer = copy.lines().find(|l| l.starts_with("ORGANIZER")).unwrap_or_default();
    assert!(organizer.to_lowercase().contains(CUSTOMER), "{copy}");
    answer(&dovecot, 1);
    // The same invitation sent again (a new message, nothing changed) is no news for her calendar.
    dovecot.deliver(ASSISTANT, &outlook("REQUEST", "outside-1", 0, 10, "out1-again@example.test"));
    answer(&dovecot, 2);

    dovecot.deliver(ASSISTANT, &outlook("REQUEST", "outside-1", 1, 12, "out2@example.test"));
    let (raw, updated) = received(&dovecot, OWNER, 2);
    assert!(subject(&raw).starts_with("Updated in your calendar"), "{raw}");
    let (noon, _) = local(12);
    assert!(updated.contains("SEQUENCE:1") && updated.contains(&noon), "{updated}");

    dovecot.deliver(ASSISTANT, &outlook("CANCEL", "outside-1", 2, 12, "out3@example.test"));
    let (raw, cancelled) = received(&dovecot, OWNER, 3);
    assert!(subject(&raw).starts_with("Cancelled in your calendar"), "{raw}");
    assert!(cancelled.contains("METHOD:CANCEL") && cancelled.contains("SEQUENCE:2"), "{cancelled}");
    assert_eq!(property(&cancelled, "UID"), Some("outside-1"), "{cancelled}");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(dovecot.messages(OWNER, "INBOX").len(), 3, "one copy for each change, none for the repeat");
}

#[test]
fn an_invitation_the_owner_passes_to_clerk_herself_is_not_copied_back_to_her() {
    let (dovecot, _sink, office, _clerk) = office();
    let forwarded = String::from_utf8(outlook("REQUEST", "outside-2", 0, 11, "fwd1@office.test"))
        .unwrap()
        .replacen(&format!("From: Anna Example <{CUSTOMER}>"), &format!("From: Olga Owner <{OWNER}>"), 1);
    dovecot.deliver(ASSISTANT, forwarded.as_bytes());
    let accepted = support::wait_until(WAIT, || {
        office.query_strings("SELECT status FROM events WHERE uid = 'outside-2'") == ["confirmed"]
    });
    assert!(accepted, "clerk accepts it into her calendar");
    std::thread::sleep(Duration::from_secs(2));
    assert!(dovecot.messages(OWNER, "INBOX").is_empty(), "she has it already");
}

#[test]
fn a_colleague_named_in_a_request_for_a_busy_time_is_invited_when_the_requester_chooses_an_offered_time() {
    let (dovecot, _sink, office, _clerk) = office_with_staff("", STAFF);
    dovecot.deliver(ASSISTANT, &outlook("REQUEST", "busy-1", 0, 11, "busy1@example.test"));
    let (raw, _, _) = answer(&dovecot, 1);
    assert_eq!(header(&raw, "Subject"), Some("Accepted: Budget review"), "{raw}");

    let (_, eleven) = local(11);
    let day = eleven.with_timezone(&chrono_tz::Europe::Rome).format("%B %-d");
    let text = format!("Could we meet on {day} at 11am with Carla Neri and Bob?");
    dovecot.deliver(ASSISTANT, &in_words("Meeting about the roof", &text, "words9@example.test", None));
    let (raw, offered, offer) = answer(&dovecot, 2);
    assert!(offered.is_empty() && offer.contains("  2. "), "times are offered: {offer}");
    let offer_id = header(&raw, "Message-ID").expect("the offer has a Message-ID");
    let offer_id = offer_id.trim_matches(|c| c == '<' || c == '>');
    assert!(
        dovecot.messages(COLLEAGUE, "INBOX").is_empty(),
        "nothing is sent to Carla before a time is chosen"
    );

    let slots: Vec<[i64; 2]> =
        serde_json::from_str(&office.query_strings("SELECT slots FROM proposals")[0]).unwrap();
    let second = DateTime::from_timestamp(slots[1][0], 0).unwrap();
    let choice = format!("The second one works.\r\n\r\nOn Mon, Office Assistant wrote:\r\n> {offer}");
    dovecot.deliver(
        ASSISTANT,
        &in_words("Re: Meeting about the roof", &choice, "words10@example.test", Some(offer_id)),
    );
    let (_, invitation, body) = answer(&dovecot, 3);
    assert!(invitation.contains(&dtstart(second)), "{invitation}");
    let (_, hers) = received(&dovecot, COLLEAGUE, 1);
    assert!(hers.contains("METHOD:REQUEST") && hers.contains(&dtstart(second)), "{hers}");
    assert_eq!(property(&hers, "UID"), property(&invitation, "UID"), "{hers}");
    assert!(
        body.contains("I have not invited anyone for \"Bob\": the office has Bob Bianchi, Bob Rossi"),
        "the confirmation says again what the offer said: {body}"
    );
}
