//! Meeting requests read as a careful person reads them, against real servers: the shipped office
//! (`rules/`) handling mail delivered into a private Dovecot, and its answers read from the senders'
//! mailboxes through a real SMTP server. A cancellation outside the meeting's thread finds the
//! meeting it names; a weekday with its day number moves a meeting to that date; "Option 2 works for
//! me" chooses; a sender on another clock is answered on both; a public holiday is never offered.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Utc, Weekday};

use support::clerk::{ASSISTANT, Clerk, Office};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);
const SHIPPED_ASSISTANT: &str = "assistant@office.example";
/// A customer.
const PAOLO: &str = "paolo.conti@example.com";

/// The shipped office reading the test assistant's mailbox.
fn shipped_office() -> (Dovecot, SmtpSink, Office, Clerk) {
    support::clerk::shipped_office(&[PAOLO], "")
}

/// Paolo's message to the assistant, dated `date`, with `extra` headers.
fn mail(id: &str, subject: &str, extra: &str, body: &str, date: DateTime<FixedOffset>) -> Vec<u8> {
    format!(
        "From: Paolo Conti <{PAOLO}>\r\nTo: Assistant <{SHIPPED_ASSISTANT}>\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nDate: {}\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        date.to_rfc2822()
    )
    .into_bytes()
}

fn now() -> DateTime<FixedOffset> {
    Utc::now().fixed_offset()
}

/// The office's public holidays (Rome's) this year and next.
fn holidays() -> Vec<NaiveDate> {
    let year = Utc::now().year();
    [year, year + 1]
        .iter()
        .flat_map(|y| clerk::calendar::holidays::in_year("IT-RM", *y).into_keys())
        .collect()
}

/// The first weekday from `days` days ahead on that is no holiday (and not in the August closure).
fn working_day_from(days: u64) -> NaiveDate {
    let holidays = holidays();
    let mut day = Utc::now().date_naive() + Days::new(days);
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
        || holidays.contains(&day)
        || (day.month() == 8 && (10..=21).contains(&day.day()))
    {
        day = day + Days::new(1);
    }
    day
}

/// Every mail Paolo has received, as text, once there are `count`.
fn paolos_mail(dovecot: &Dovecot, count: usize) -> Vec<String> {
    dovecot
        .wait_for_messages(PAOLO, "INBOX", count, WAIT)
        .iter()
        .map(|m| String::from_utf8_lossy(m).into_owned())
        .collect()
}

/// Books `day` at 10:00 for Paolo from his message `id`, and waits for the invitation.
fn book_at_ten(dovecot: &Dovecot, office: &Office, clerk: &Clerk, id: &str, day: NaiveDate) {
    let when = day.format("%A %-d %B");
    dovecot.deliver(
        ASSISTANT,
        &mail(id, "Meeting", "", &format!("Could we meet on {when} at 10am?\r\nPaolo"), now()),
    );
    let invitation = &paolos_mail(dovecot, 1)[0];
    assert!(invitation.contains("METHOD:REQUEST"), "{invitation}\n{}", clerk.log());
    assert_eq!(office.query_count("SELECT count(*) FROM events WHERE status = 'confirmed'"), 1);
}

#[test]
fn a_cancellation_out_of_the_thread_cancels_the_meeting_it_names() {
    let (dovecot, _sink, office, clerk) = shipped_office();
    let day = working_day_from(4);
    book_at_ten(&dovecot, &office, &clerk, "book-1@example.com", day);
    let text =
        format!("So sorry, I have to cancel our meeting on {} at 10am.\r\nPaolo", day.format("%A %-d %B"));
    dovecot.deliver(ASSISTANT, &mail("cancel-1@example.com", "Cancelling", "", &text, now()));
    let cancelled = support::wait_until(WAIT, || {
        office.query_count("SELECT count(*) FROM events WHERE status = 'cancelled'") == 1
    });
    assert!(cancelled, "the meeting was not cancelled:\n{}", clerk.log());
    assert_eq!(office.query_count("SELECT count(*) FROM events"), 1, "nothing new is booked");
    assert!(paolos_mail(&dovecot, 2)[1].contains("METHOD:CANCEL"));
}

#[test]
fn a_weekday_with_its_day_number_moves_the_meeting_to_that_date() {
    let (dovecot, _sink, office, clerk) = shipped_office();
    let first = working_day_from(4);
    book_at_ten(&dovecot, &office, &clerk, "book-2@example.com", first);
    // A later working day whose weekday comes first after the meeting on another date: "giovedì 17"
    // must be the 17th, not the next Thursday.
    let later = working_day_from(12);
    const GIORNI: [&str; 5] = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì"];
    let weekday = GIORNI[later.weekday().num_days_from_monday() as usize];
    let text = format!("Buongiorno, possiamo spostarlo a {weekday} {} alle 15?\r\nPaolo", later.day());
    let thread = "In-Reply-To: <book-2@example.com>\r\nReferences: <book-2@example.com>\r\n";
    dovecot.deliver(ASSISTANT, &mail("move-2@example.com", "Re: Meeting", thread, &text, now()));
    let moved = support::wait_until(WAIT, || {
        office.query_count("SELECT count(*) FROM events WHERE status = 'confirmed' AND sequence = 1") == 1
    });
    assert!(moved, "the meeting was not moved:\n{}", clerk.log());
    let update = &paolos_mail(&dovecot, 2)[1];
    let date = later.format("%Y%m%d").to_string();
    assert!(update.contains(&format!("DTSTART;TZID=Europe/Rome:{date}T150000")), "{update}");
}

#[test]
fn option_2_works_for_me_books_the_second_time_offered() {
    let (dovecot, _sink, office, clerk) = shipped_office();
    dovecot.deliver(
        ASSISTANT,
        &mail("vague-3@example.com", "Meeting", "", "Could we meet next week? Paolo", now()),
    );
    let offer = clerk::mail::message::Message::parse(
        dovecot.wait_for_messages(PAOLO, "INBOX", 1, WAIT)[0].as_slice(),
    )
    .expect("the offer parses");
    assert!(offer.text.contains("  2. "), "three numbered times:\n{}\n{}", offer.text, clerk.log());
    let offer_id = offer.message_id.clone().expect("the offer has a Message-ID");
    let thread = format!("In-Reply-To: <{offer_id}>\r\nReferences: <vague-3@example.com> <{offer_id}>\r\n");
    dovecot.deliver(
        ASSISTANT,
        &mail("choice-3@example.com", "Re: Meeting", &thread, "Option 2 works for me.\r\nPaolo", now()),
    );
    let invitation = &paolos_mail(&dovecot, 2)[1];
    assert!(
        invitation.contains("METHOD:REQUEST") && invitation.contains("You chose 2"),
        "{invitation}\n{}",
        clerk.log()
    );
    assert_eq!(office.query_count("SELECT count(*) FROM events WHERE status = 'confirmed'"), 1);
}

#[test]
fn a_sender_five_hours_behind_is_answered_on_both_clocks() {
    let (dovecot, _sink, _office, clerk) = shipped_office();
    let day = working_day_from(4);
    let new_york = FixedOffset::west_opt(5 * 3600).expect("an offset");
    let text = format!("Could we have a call on {} at 9am?\r\nPaolo", day.format("%A %-d %B"));
    dovecot.deliver(
        ASSISTANT,
        &mail("zone-4@example.com", "Call", "", &text, Utc::now().with_timezone(&new_york)),
    );
    let answer = clerk::mail::message::Message::parse(
        dovecot.wait_for_messages(PAOLO, "INBOX", 1, WAIT)[0].as_slice(),
    )
    .expect("the answer parses");
    // 9am in New York is 15:00 in Rome, within the office's hours.
    assert!(answer.text.contains("09:00 your time (UTC\u{2212}5) = "), "{}\n{}", answer.text, clerk.log());
    assert!(answer.text.contains("15:00"), "{}", answer.text);
}

#[test]
fn a_public_holiday_is_never_offered() {
    let (dovecot, _sink, office, clerk) = shipped_office();
    let from = Utc::now().date_naive() + Days::new(3);
    let holiday = holidays()
        .into_iter()
        .find(|d| *d >= from && !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .expect("a weekday holiday within the next two years");
    let text = format!("Could we meet on {} at 10am?\r\nPaolo", holiday.format("%A %-d %B %Y"));
    dovecot.deliver(ASSISTANT, &mail("holiday-5@example.com", "Meeting", "", &text, now()));
    let answer = clerk::mail::message::Message::parse(
        dovecot.wait_for_messages(PAOLO, "INBOX", 1, WAIT)[0].as_slice(),
    )
    .expect("the answer parses");
    assert_eq!(office.query_count("SELECT count(*) FROM events"), 0, "{}", clerk.log());
    let offered = holiday.format("%a %-d %b %Y").to_string();
    let times: Vec<&str> =
        answer.text.lines().filter(|l| l.trim_start().starts_with(char::is_numeric)).collect();
    assert!(!times.is_empty() && times.iter().all(|l| !l.contains(&offered)), "{}", answer.text);
}
