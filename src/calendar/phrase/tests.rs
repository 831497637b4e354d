//! The phrasings clerk must read, in English and Italian: each line is a request and how it is read,
//! sent on Monday 23 November 2026 at 09:00 in Rome (+01:00).

use chrono::{DateTime, FixedOffset};

use super::*;

fn sent() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-23T09:00:00+01:00").unwrap()
}

/// The reading as a line on the sender's clock: `at Tue 24 Nov 15:00`, `within Tue 24 Nov 08:00 –
/// Tue 24 Nov 12:00`, `nothing`; then `, 60 min` when a length was read.
fn line(reading: &Reading) -> String {
    let zone = *sent().offset();
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%a %-d %b %H:%M").to_string();
    let asked = match reading.asked {
        Asked::At(t) => format!("at {}", local(t)),
        Asked::Within { from, to } => format!("within {} – {}", local(from), local(to)),
        Asked::Nothing => "nothing".to_owned(),
    };
    match reading.length {
        Some(length) => format!("{asked}, {} min", length.as_secs() / 60),
        None => asked,
    }
}

const ENGLISH: &[(&str, &str)] = &[
    ("Can we meet Tuesday at 3pm?", "at Tue 24 Nov 15:00"),
    ("Tuesday at 3pm for an hour", "at Tue 24 Nov 15:00, 60 min"),
    ("Could we meet on Tuesday at 3?", "at Tue 24 Nov 15:00"),
    ("How about Wednesday at 10am?", "at Wed 25 Nov 10:00"),
    ("Thursday 14:30 works for me", "at Thu 26 Nov 14:30"),
    ("tomorrow at 11", "at Tue 24 Nov 11:00"),
    ("tomorrow at 9:30 for 30 minutes", "at Tue 24 Nov 09:30, 30 min"),
    ("tomorrow morning", "within Tue 24 Nov 08:00 – Tue 24 Nov 12:00"),
    ("tomorrow afternoon", "within Tue 24 Nov 13:00 – Tue 24 Nov 18:00"),
    ("this afternoon", "within Mon 23 Nov 13:00 – Mon 23 Nov 18:00"),
    ("Friday morning for half an hour", "within Fri 27 Nov 08:00 – Fri 27 Nov 12:00, 30 min"),
    ("next week", "within Mon 30 Nov 00:00 – Sat 5 Dec 00:00"),
    ("sometime next week for 45 min", "within Mon 30 Nov 00:00 – Sat 5 Dec 00:00, 45 min"),
    ("Tuesday between 2 and 4", "within Tue 24 Nov 14:00 – Tue 24 Nov 16:00"),
    ("between 2 and 4 on Thursday", "within Thu 26 Nov 14:00 – Thu 26 Nov 16:00"),
    ("Wednesday from 10 to 12", "at Wed 25 Nov 10:00, 120 min"),
    ("Friday 2-4pm", "at Fri 27 Nov 14:00, 120 min"),
    ("on 24/11 at 15:00", "at Tue 24 Nov 15:00"),
    ("December 3rd at 10am", "at Thu 3 Dec 10:00"),
    ("on the 2nd of December at 4pm", "at Wed 2 Dec 16:00"),
    ("Thursday", "within Thu 26 Nov 00:00 – Fri 27 Nov 00:00"),
    ("next Tuesday at 3pm", "at Tue 1 Dec 15:00"),
    ("at noon tomorrow", "at Tue 24 Nov 12:00"),
    ("tomorrow at lunchtime", "within Tue 24 Nov 12:00 – Tue 24 Nov 14:00"),
    ("at 4pm today", "at Mon 23 Nov 16:00"),
    ("Monday at 10 for 2 hours", "at Mon 30 Nov 10:00, 120 min"),
    ("a 90 minute meeting on Wednesday at 2pm", "at Wed 25 Nov 14:00, 90 min"),
    ("Tuesday 3pm, 1h30", "at Tue 24 Nov 15:00, 90 min"),
    ("an hour and a half on Friday at 11", "at Fri 27 Nov 11:00, 90 min"),
    ("Can we have a call about the budget?", "nothing"),
    ("Let's talk soon, for 20 mins", "nothing, 20 min"),
    ("Tuesday at 3pm EST", "at Tue 24 Nov 21:00"),
    ("any day between the 14th and the 17th", "within Mon 14 Dec 00:00 – Fri 18 Dec 00:00"),
    ("on 22-23 December", "within Tue 22 Dec 00:00 – Thu 24 Dec 00:00"),
    ("at 3pm", "at Mon 23 Nov 15:00"),
    ("at 8", "at Tue 24 Nov 08:00"),
    ("tomorrow at 2:30", "at Tue 24 Nov 14:30"),
    ("tomorrow at 02:30", "at Tue 24 Nov 02:30"),
    ("Tuesday between 2:30 and 4", "within Tue 24 Nov 14:30 – Tue 24 Nov 16:00"),
    ("Tuesday at 3pm for 10000000000 hours", "at Tue 24 Nov 15:00"),
    ("next week at 3pm", "within Mon 30 Nov 00:00 – Sat 5 Dec 00:00"),
    ("10 December at 3pm", "at Thu 10 Dec 15:00"),
    ("on the 3rd of December at 11am", "at Thu 3 Dec 11:00"),
    ("Are you free Wednesday afternoon?", "within Wed 25 Nov 13:00 – Wed 25 Nov 18:00"),
    ("in the morning on Thursday, 30 mins", "within Thu 26 Nov 08:00 – Thu 26 Nov 12:00, 30 min"),
    ("Wednesday 16 at 10am", "at Wed 16 Dec 10:00"),
    ("Tuesday is impossible for me, but Wednesday at 10 would work", "at Wed 25 Nov 10:00"),
    ("Is this Friday at 10:30 possible?", "at Fri 27 Nov 10:30"),
    ("half past nine tomorrow", "at Tue 24 Nov 09:30"),
    ("Tuesday from 2:30 to 4pm", "at Tue 24 Nov 14:30, 90 min"),
    ("next week in the afternoon", "within Mon 30 Nov 13:00 – Fri 4 Dec 18:00"),
    ("any morning after the 15th", "within Wed 16 Dec 08:00 – Tue 22 Dec 12:00"),
    ("Thursday at 10am EST", "at Thu 26 Nov 16:00"),
    ("Thursday at 2pm UK time", "at Thu 26 Nov 15:00"),
    ("Tuesday at 10am Eastern (4pm your time)", "at Tue 24 Nov 16:00"),
    ("Friday the 4th of December at 11", "at Fri 4 Dec 11:00"),
    ("the 30th at 3", "at Mon 30 Nov 15:00"),
    ("at a quarter to ten on Friday", "at Fri 27 Nov 09:45"),
    ("tomorow at 12", "at Tue 24 Nov 12:00"),
    ("could I pop by at half four on Thursday?", "at Thu 26 Nov 16:30"),
    ("on 01/12 at 9:15", "at Tue 1 Dec 09:15"),
    ("Dec 3rd, 10am", "at Thu 3 Dec 10:00"),
    ("twenty minutes on Monday at 11", "at Mon 30 Nov 11:00, 20 min"),
    ("forty-five minutes, Thursday 9:30", "at Thu 26 Nov 09:30, 45 min"),
    ("Wednesday or Thursday morning", "within Wed 25 Nov 08:00 – Thu 26 Nov 12:00"),
    ("could we meet on Thursday the 26th\nat 10am?", "at Thu 26 Nov 10:00"),
    ("I'm in Rome from Wednesday - could I come by at 4pm on Thursday?", "at Thu 26 Nov 16:00"),
    ("Friday doesn't work. 11 is still good for me on Monday", "at Mon 30 Nov 11:00"),
];

const ITALIAN: &[(&str, &str)] = &[
    ("il 3 e 4 dicembre", "within Thu 3 Dec 00:00 – Sat 5 Dec 00:00"),
    ("Possiamo vederci martedì alle 15?", "at Tue 24 Nov 15:00"),
    ("martedì alle 15 per un'ora", "at Tue 24 Nov 15:00, 60 min"),
    ("24/11 alle 15:00", "at Tue 24 Nov 15:00"),
    ("il 24/11 alle 15.30", "at Tue 24 Nov 15:30"),
    ("domani alle 11", "at Tue 24 Nov 11:00"),
    ("domani alle 3 del pomeriggio", "at Tue 24 Nov 15:00"),
    ("domani mattina", "within Tue 24 Nov 08:00 – Tue 24 Nov 12:00"),
    ("domattina per mezz'ora", "within Tue 24 Nov 08:00 – Tue 24 Nov 12:00, 30 min"),
    ("giovedì pomeriggio", "within Thu 26 Nov 13:00 – Thu 26 Nov 18:00"),
    ("stasera", "within Mon 23 Nov 17:00 – Mon 23 Nov 20:00"),
    ("oggi pomeriggio", "within Mon 23 Nov 13:00 – Mon 23 Nov 18:00"),
    ("la prossima settimana", "within Mon 30 Nov 00:00 – Sat 5 Dec 00:00"),
    ("settimana prossima per 45 minuti", "within Mon 30 Nov 00:00 – Sat 5 Dec 00:00, 45 min"),
    ("martedì tra le 14 e le 16", "within Tue 24 Nov 14:00 – Tue 24 Nov 16:00"),
    ("mercoledì dalle 10 alle 12", "at Wed 25 Nov 10:00, 120 min"),
    ("venerdì tra le 2 e le 4 del pomeriggio", "within Fri 27 Nov 14:00 – Fri 27 Nov 16:00"),
    ("il 3 dicembre alle 10", "at Thu 3 Dec 10:00"),
    ("lunedì 30 novembre alle 9:30", "at Mon 30 Nov 09:30"),
    ("giovedì", "within Thu 26 Nov 00:00 – Fri 27 Nov 00:00"),
    ("lunedì alle 10", "at Mon 30 Nov 10:00"),
    ("dopodomani a mezzogiorno", "at Wed 25 Nov 12:00"),
    ("domani all'una", "at Tue 24 Nov 13:00"),
    ("venerdì alle ore 16 per due ore", "at Fri 27 Nov 16:00, 120 min"),
    ("mercoledì alle 14, un'ora e mezza", "at Wed 25 Nov 14:00, 90 min"),
    ("martedì verso le 17", "at Tue 24 Nov 17:00"),
    ("1/12 alle 11", "at Tue 1 Dec 11:00"),
    ("Possiamo fissare una riunione per parlare del progetto?", "nothing"),
    ("ci vediamo questa settimana", "within Mon 23 Nov 00:00 – Sat 28 Nov 00:00"),
    ("oggi alle 16", "at Mon 23 Nov 16:00"),
    ("venerdì prossimo alle 10", "at Fri 27 Nov 10:00"),
    ("15/01/2027 alle 9", "at Fri 15 Jan 09:00"),
    ("giovedì all'ora di pranzo", "within Thu 26 Nov 12:00 – Thu 26 Nov 14:00"),
    ("mercoledì tra le 14-16", "within Wed 25 Nov 14:00 – Wed 25 Nov 16:00"),
    ("giovedì ore 15:00-16:00", "at Thu 26 Nov 15:00, 60 min"),
    ("martedì alle 10 ora italiana", "at Tue 24 Nov 10:00"),
    ("domani alle 2:30", "at Tue 24 Nov 14:30"),
    ("possiamo spostarlo a giovedì 17 alle 15?", "at Thu 17 Dec 15:00"),
    ("lunedì proprio non riesco, facciamo martedì alle 14:30?", "at Tue 24 Nov 14:30"),
    ("domani alle nove e mezza", "at Tue 24 Nov 09:30"),
    ("giovedì alle 15 per un paio d'ore", "at Thu 26 Nov 15:00, 120 min"),
    ("giovedì alle tre del pomeriggio", "at Thu 26 Nov 15:00"),
    ("il 22 alle 10", "at Tue 22 Dec 10:00"),
    ("giovedì o venerdì mattina", "within Thu 26 Nov 08:00 – Fri 27 Nov 12:00"),
    ("tra martedì 1 e giovedì 3 dicembre", "within Tue 1 Dec 00:00 – Fri 4 Dec 00:00"),
    ("dal 1 al 3 dicembre", "within Tue 1 Dec 00:00 – Fri 4 Dec 00:00"),
    ("alle 10 e 30 di martedì", "at Tue 24 Nov 10:30"),
    ("alle dieci meno un quarto lunedì", "at Mon 30 Nov 09:45"),
    ("merc 25 alle 10", "at Wed 25 Nov 10:00"),
    ("giovedì 26 h 15.30", "at Thu 26 Nov 15:30"),
    ("ci vorrà un'oretta, venerdì alle 11", "at Fri 27 Nov 11:00, 60 min"),
    ("nella prima settimana di dicembre", "within Tue 1 Dec 00:00 – Sat 5 Dec 00:00"),
    ("venerdì 27 a mezzogiorno, mezz'ora basta", "at Fri 27 Nov 12:00, 30 min"),
];

#[test]
fn every_english_and_italian_phrasing_is_read_as_meant() {
    let mut wrong = Vec::new();
    for (language, table) in [(Language::English, ENGLISH), (Language::Italian, ITALIAN)] {
        for (text, expected) in table {
            let reading = read(text, sent());
            let got = line(&reading);
            if got != *expected || reading.language != language {
                wrong.push(format!(
                    "{text:?}: expected {expected} ({language:?}), got {got} ({:?})",
                    reading.language
                ));
            }
        }
    }
    assert!(ENGLISH.len() + ITALIAN.len() >= 60);
    assert!(
        wrong.is_empty(),
        "{} of {} misread:\n{}",
        wrong.len(),
        ENGLISH.len() + ITALIAN.len(),
        wrong.join("\n")
    );
}

/// The asked and referred times of a reading, as lines.
fn asked_and_referred(text: &str) -> (String, String) {
    let reading = read(text, sent());
    let referred = Reading { asked: reading.referred, length: None, ..reading };
    (line(&reading), line(&referred))
}

#[test]
fn a_cancellation_names_the_meeting_it_cancels_and_asks_for_none() {
    for (text, referred) in [
        ("so sorry but I have to cancel tomorrow's meeting at 2pm", "at Tue 24 Nov 14:00"),
        ("devo annullare la riunione di giovedì 17 alle 11", "at Thu 17 Dec 11:00"),
    ] {
        assert_eq!(asked_and_referred(text), ("nothing".to_owned(), referred.to_owned()), "{text:?}");
    }
}

#[test]
fn a_move_keeps_the_old_time_apart_from_the_new() {
    for (text, asked, referred) in [
        (
            "possiamo spostare l'appuntamento di domani alle 10 a lunedì 21 alle 15?",
            "at Mon 21 Dec 15:00",
            "at Tue 24 Nov 10:00",
        ),
        (
            "I have an appointment on Wednesday 25 Nov at 15:00. Could we push it to the following Monday, same time?",
            "at Mon 30 Nov 15:00",
            "at Wed 25 Nov 15:00",
        ),
        (
            "è possibile anticipare l'incontro di domani dalle 15 alle 10?",
            "at Tue 24 Nov 10:00",
            "at Tue 24 Nov 15:00",
        ),
        (
            "I have to move our meeting on Thursday (26 November, 10:00). Could we do Friday the 27th at the same time instead?",
            "at Fri 27 Nov 10:00",
            "at Thu 26 Nov 10:00",
        ),
    ] {
        assert_eq!(asked_and_referred(text), (asked.to_owned(), referred.to_owned()), "{text:?}");
    }
}

#[test]
fn a_refused_day_is_marked_refused() {
    assert!(read("Tuesday is impossible for me, but Wednesday at 10 would work", sent()).refused);
    assert!(!read("Can we meet Tuesday at 3pm?", sent()).refused);
    // "cantiere" is a building site, not "can't".
    assert!(!read("giovedì alle 8:30 in cantiere", sent()).refused);
}

#[test]
fn a_time_on_another_clock_says_whose() {
    let rome = chrono_tz::Europe::Rome;
    let new_york = DateTime::parse_from_rfc3339("2026-11-23T09:00:00-05:00").unwrap();
    let reading = read_in("Thursday at 10am", new_york, Some(rome));
    assert_eq!(reading.senders_zone, Some(FixedOffset::west_opt(5 * 3600).unwrap()));
    let utc = DateTime::parse_from_rfc3339("2026-11-23T09:00:00+00:00").unwrap();
    let reading = read_in("Thursday at 10am", utc, Some(rome));
    assert_eq!(reading.senders_zone, None, "a Date in UTC is read on the office's clock");
    assert_eq!(line(&reading), "at Thu 26 Nov 10:00");
}

#[test]
fn a_reply_chooses_an_offered_time_by_number_or_by_word() {
    for (reply, chosen) in [
        ("2", Some(2)),
        ("Option 2 please", Some(2)),
        ("The second works for me.", Some(2)),
        ("va bene la 2", Some(2)),
        ("Va bene la seconda, grazie", Some(2)),
        ("#3", Some(3)),
        ("1\n\nOn Mon, 23 Nov 2026, Office Assistant wrote:\n> 1. Tue 24 Nov\n> 2. Wed 25 Nov", Some(1)),
        ("Thanks!\n\n> 2. Wed 25 Nov", None),
        ("4", None),
        ("None of these work, sorry", None),
        ("Secondo me nessuna va bene", None),
        ("First of all, none of these work", None),
        ("3 December would be better", None),
        ("va bene il 2/12?", None),
        ("I'll take the third", Some(3)),
        ("Option 1.", Some(1)),
        ("Option 3 please. Can we have the structural drawings on the table?", Some(3)),
        ("We could do 2.30 instead. Thanks", None),
        ("Option 3 works for me", Some(3)),
        ("option 2 is good", Some(2)),
        ("Number 2 is fine", Some(2)),
        ("la prima", Some(1)),
        ("L'opzione 2 va benissimo", Some(2)),
    ] {
        assert_eq!(choice(reply, 3), chosen, "{reply:?}");
    }
}

#[test]
fn a_reply_chooses_an_offered_time_by_naming_its_day_or_its_hour() {
    let rome = chrono_tz::Europe::Rome;
    // Offered: Tue 24 Nov 10:00, Wed 25 Nov 15:00, Thu 26 Nov 15:00 (Rome).
    let offered: Vec<DateTime<Utc>> =
        ["2026-11-24T10:00:00+01:00", "2026-11-25T15:00:00+01:00", "2026-11-26T15:00:00+01:00"]
            .iter()
            .map(|t| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc))
            .collect();
    for (reply, chosen) in [
        ("The Tuesday one, please", Some(1)),
        ("giovedì va bene", Some(3)),
        ("the 10am works", Some(1)),
        ("the 3pm works", None),
        ("Wednesday at 3pm is perfect", Some(2)),
        ("in the morning", Some(1)),
        ("Tuesday doesn't work for me", None),
        ("Friday?", None),
        ("Thanks, see you", None),
    ] {
        assert_eq!(choice_among(reply, sent(), rome, &offered), chosen, "{reply:?}");
    }
}

#[test]
fn a_message_about_a_booked_meeting_asks_to_cancel_or_move_it() {
    for (text, intent_read) in [
        ("Sorry, I need to cancel.", Some(Intent::Cancel)),
        ("I can't make it after all", Some(Intent::Cancel)),
        ("Purtroppo devo annullare", Some(Intent::Cancel)),
        ("Dobbiamo disdire l'appuntamento", Some(Intent::Cancel)),
        ("Can we move it to Thursday?", Some(Intent::Move)),
        ("Could we reschedule?", Some(Intent::Move)),
        ("Possiamo spostarlo a giovedì?", Some(Intent::Move)),
        ("Thanks, see you then!", None),
        ("Thanks!\n\n> can we move it?", None),
        ("I can't make it Tuesday, can we move it to Thursday at 3pm?", Some(Intent::Move)),
    ] {
        assert_eq!(intent(text), intent_read, "{text:?}");
    }
}

#[test]
fn meeting_in_person_asks_for_a_room() {
    for (text, room) in [
        ("I can come to your office on Tuesday", true),
        ("Let's meet in person", true),
        ("We need a room for six", true),
        ("Possiamo vederci in ufficio?", true),
        ("Vengo da voi martedì", true),
        ("A quick call on Tuesday?", false),
    ] {
        assert_eq!(wants_room(text), room, "{text:?}");
    }
}

#[test]
fn a_date_across_the_change_to_winter_time_is_read_on_the_calendars_clock() {
    let summer = DateTime::parse_from_rfc3339("2026-10-20T09:00:00+02:00").unwrap();
    let rome = chrono_tz::Europe::Rome;
    let fifteen = DateTime::parse_from_rfc3339("2026-11-03T15:00:00+01:00").unwrap().with_timezone(&Utc);
    assert_eq!(read_in("il 3/11 alle 15", summer, Some(rome)).asked, Asked::At(fifteen));
    // Someone whose clock is not the calendar's keeps their own offset.
    let elsewhere = DateTime::parse_from_rfc3339("2026-10-20T09:00:00+03:00").unwrap();
    let theirs = DateTime::parse_from_rfc3339("2026-11-03T15:00:00+03:00").unwrap().with_timezone(&Utc);
    assert_eq!(read_in("il 3/11 alle 15", elsewhere, Some(rome)).asked, Asked::At(theirs));
}

#[test]
fn a_megabyte_without_a_newline_is_read_for_its_first_words() {
    let text = format!("Can we meet Tuesday at 3pm? {}", "lorem ipsum ".repeat(90_000));
    assert_eq!(line(&read(&text, sent())), "at Tue 24 Nov 15:00");
    assert_eq!(line(&read(&"x".repeat(1 << 20), sent())), "nothing");
}

#[test]
fn a_run_of_100000_digits_is_no_time() {
    assert_eq!(line(&read(&"1".repeat(100_000), sent())), "nothing");
    let text = format!("Tuesday at 3pm, ref. {}", "7".repeat(100_000));
    assert_eq!(line(&read(&text, sent())), "at Tue 24 Nov 15:00");
}

#[test]
fn ten_thousand_times_at_10am_is_read_as_the_first() {
    assert_eq!(line(&read(&"at 10am ".repeat(10_000), sent())), "at Mon 23 Nov 10:00");
    assert_eq!(line(&read(&"at 10am\n".repeat(10_000), sent())), "at Mon 23 Nov 10:00");
}

#[test]
fn a_time_written_after_the_words_read_is_not_read() {
    let text = format!("{}Tuesday at 3pm", "lorem ".repeat(MOST_WORDS));
    assert_eq!(line(&read(&text, sent())), "nothing");
    let text = format!("{}Tuesday at 3pm", "lorem\n".repeat(MOST_LINES));
    assert_eq!(line(&read(&text, sent())), "nothing");
}

#[test]
fn a_request_after_many_numbers_is_still_read() {
    let after_numbers = format!("{}Tuesday at 3pm", "lorem 7\n".repeat(24));
    assert_eq!(line(&read(&after_numbers, sent())), "at Tue 24 Nov 15:00");
}

#[test]
fn sixty_lines_of_the_5th_at_9_are_read_as_the_first() {
    assert_eq!(line(&read(&"the 5th at 9\n".repeat(MOST_LINES), sent())), "at Sat 5 Dec 09:00");
}

#[test]
fn years_written_backwards_are_no_stretch_of_days() {
    assert_eq!(line(&read("2026-1899", sent())), "nothing");
    assert_eq!(line(&read("2026-1899, or Tuesday at 3pm", sent())), "at Tue 24 Nov 15:00");
}

#[test]
fn a_request_anywhere_in_the_words_read_is_read_whole() {
    for filler in [1, 11, 23, 35, MOST_WORDS_A_LINE - 5] {
        let text = format!("{}next Tuesday at 3pm", "lorem ".repeat(filler));
        assert_eq!(line(&read(&text, sent())), "at Tue 1 Dec 15:00", "after {filler} words");
    }
}

#[test]
fn cancelling_moving_and_choosing_read_only_the_first_words_of_a_huge_reply() {
    let huge = format!("Thanks!\n{}", "lorem ipsum ".repeat(90_000));
    assert_eq!(intent(&format!("{huge} can we move it?")), None);
    assert_eq!(intent(&format!("Can we move it? {huge}")), Some(Intent::Move));
    assert_eq!(choice(&format!("2\n{huge}"), 3), Some(2));
    assert!(!wants_room(&format!("{huge} in person")));
}

#[test]
fn a_date_outside_the_years_calendars_keep_is_not_read() {
    // A day named that cannot be met on leaves its time without a day: nothing to book.
    assert_eq!(line(&read("15/01/3000 alle 9", sent())), "nothing");
    assert_eq!(line(&read("on 01/01/5000 at 3pm", sent())), "nothing");
    assert_eq!(line(&read("on 5 May 2500 at 3pm", sent())), "nothing");
}

#[test]
fn this_week_on_a_weekend_is_the_week_about_to_start() {
    let sunday = DateTime::parse_from_rfc3339("2026-11-29T10:00:00+01:00").unwrap();
    let zone = *sunday.offset();
    let reading = read("Can we meet this week?", sunday);
    let Asked::Within { from, to } = reading.asked else { panic!("{reading:?}") };
    assert!(from < to);
    assert_eq!(from.with_timezone(&zone).format("%a %-d %b").to_string(), "Mon 30 Nov");
    assert_eq!(to.with_timezone(&zone).format("%a %-d %b").to_string(), "Sat 5 Dec");
}

#[test]
fn an_owners_yes_or_no_is_read_in_english_and_italian_and_anything_else_is_not_guessed() {
    for yes in [
        "Yes, please.",
        "OK, go ahead",
        "Sure, move it.",
        "No problem!",
        "Sì, va bene",
        "d'accordo",
        "Nessun problema, spostala",
    ] {
        assert_eq!(consent(yes), Some(true), "{yes}");
    }
    for no in
        ["No.", "No, keep it as it is", "Decline it please", "No, lascia così", "Non è possibile", "rifiuta"]
    {
        assert_eq!(consent(no), Some(false), "{no}");
    }
    for unclear in [
        "Let me think about it",
        "Ci penso e ti faccio sapere",
        "Non so, va bene forse",
        "",
        "I'm not sure yet",
        "I don't know yet",
        "No idea, ask Marco",
        "Non so ancora",
        "Maybe",
    ] {
        assert_eq!(consent(unclear), None, "{unclear}");
    }
    let quoted = "Thanks\n\nOn Mon, Assistant wrote:\n> Answer yes to move it";
    assert_eq!(consent(quoted), None, "the quote is not the answer");
}
