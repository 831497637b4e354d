//! The readers of what people write: the `time_reader` (when a message asks to meet), the
//! `order_reader` (what a colleague orders, in lines, lists, tables or CSV) and the `text_readers`
//! (the quote reader that finds what a reply adds, the HTML reader, and the desks' readers of
//! commands, thanks, ratings, ticket and order numbers, vendors' verdicts and languages).
//!
//! Inputs are the texts of the office's mail and the labelled orders, with real phrases spliced in
//! and changed: numbers at their edges, impossible dates, brackets, numbered lists, long lines, other
//! scripts, phrases repeated thousands of times.
//!
//! Promised: no panic, work bounded by the input's size (the harness's time limit), and what is read
//! stays within the readers' bounds: times within the years clerk reads, a stretch that does not end
//! before it begins, a meeting's length within what a request may ask, quantities of at most 9,999, a
//! choice among those offered, the new text a part of the text.

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use fastrand::Rng;

use clerk::calendar::phrase::{self, Asked, Reading};
use clerk::language;
use clerk::mail::{html, reply_text};
use clerk::rules::RuleSet;
use clerk::supply::extract::{self, Quantity, Requested};
use clerk::supply::matching::Matcher;
use clerk::supply::purchase::OrderNumber;
use clerk::supply::reading::understand;
use clerk::supply::request::RequestNumber;
use clerk::tickets::number::TicketNumber;
use clerk::tickets::words;

use crate::corpus::Corpus;
use crate::mutate::{self, NUMBERS, ODD_TEXT, one_of};
use crate::{Surface, near_years};

/// The longest text made for a reader.
const MOST_BYTES: usize = 1_000_000;

/// The largest quantity the order reader reads.
const MAX_QUANTITY: u32 = 9_999;

pub struct TimeReader {
    seeds: Vec<Vec<u8>>,
}

impl Surface for TimeReader {
    const NAME: &'static str = "time_reader";
    const BRIEF_RUNS: usize = 300;

    fn new(corpus: &Corpus) -> TimeReader {
        let seeds =
            corpus.texts().into_iter().map(|text| format!("{}\n{text}", SENT[0]).into_bytes()).collect();
        TimeReader { seeds }
    }

    fn seeds(&self) -> &[Vec<u8>] {
        &self.seeds
    }

    /// The first line is when the message was sent (RFC 3339), the rest its text.
    fn mutate(&self, rng: &mut Rng) -> Vec<u8> {
        let (_, text) = split_sent(mutate::seed(rng, &self.seeds));
        let text = mutate_text(rng, text, &self.seeds, TIME_PHRASES);
        let sent = if rng.u8(..3) == 0 { one_of(rng, SENT) } else { SENT[0] };
        let mut input = format!("{sent}\n").into_bytes();
        input.extend_from_slice(&text);
        input
    }

    fn check(&self, input: &[u8]) -> Result<(), String> {
        let (sent, text) = split_sent(input);
        let text = String::from_utf8_lossy(text);
        let rome: Tz = chrono_tz::Europe::Rome;
        // As the meeting desk reads a request: on the calendar's clock when the sender is on it.
        let home = if input.len().is_multiple_of(2) { Some(rome) } else { None };
        within_reason(&phrase::read_in(&text, sent, home))?;
        if let Some(chosen) = phrase::choice(&text, 3).filter(|n| !(1..=3).contains(n)) {
            return Err(format!("choice {chosen} of 3 offered"));
        }
        phrase::intent(&text);
        phrase::wants_room(&text);
        Ok(())
    }
}

/// When the message of a time reader's input was sent, and its text.
fn split_sent(input: &[u8]) -> (DateTime<FixedOffset>, &[u8]) {
    let (first, rest) = match input.iter().position(|&b| b == b'\n') {
        Some(n) => (&input[..n], &input[n + 1..]),
        None => (input, &[][..]),
    };
    let default = DateTime::parse_from_rfc3339(SENT[0]).expect("the default time parses");
    match std::str::from_utf8(first).ok().and_then(|s| DateTime::parse_from_rfc3339(s.trim()).ok()) {
        Some(sent) => (sent, rest),
        None => (default, input),
    }
}

/// A reading keeps near the years clerk reads (a request sent on their last day may ask for the
/// next week), a stretch is not reversed, a length is one a request may ask for.
fn within_reason(reading: &Reading) -> Result<(), String> {
    const A_YEAR: chrono::Duration = chrono::Duration::days(366);
    match reading.asked {
        Asked::At(at) if !near_years(at, A_YEAR) => return Err(format!("read a time {at}, outside YEARS")),
        Asked::Within { from, to } if to < from || !near_years(from, A_YEAR) || !near_years(to, A_YEAR) => {
            return Err(format!("read a stretch from {from} to {to}"));
        }
        _ => {}
    }
    if let Some(length) = reading.length
        && !(std::time::Duration::from_secs(5 * 60)..=std::time::Duration::from_secs(12 * 3600))
            .contains(&length)
    {
        return Err(format!("read a length of {length:?}"));
    }
    Ok(())
}

pub struct OrderReader {
    seeds: Vec<Vec<u8>>,
    rules: &'static RuleSet,
}

impl Surface for OrderReader {
    const NAME: &'static str = "order_reader";
    const BRIEF_RUNS: usize = 300;

    fn new(corpus: &Corpus) -> OrderReader {
        let rules = RuleSet::load(&corpus.root.join("rules")).expect("the shipped rules load");
        let mut seeds: Vec<Vec<u8>> = corpus.texts().into_iter().map(String::into_bytes).collect();
        seeds.extend(ORDER_PHRASES.iter().map(|phrase| phrase.as_bytes().to_vec()));
        OrderReader { seeds, rules: Box::leak(Box::new(rules)) }
    }

    fn seeds(&self) -> &[Vec<u8>] {
        &self.seeds
    }

    fn mutate(&self, rng: &mut Rng) -> Vec<u8> {
        let seed = mutate::seed(rng, &self.seeds);
        mutate_text(rng, seed, &self.seeds, ORDER_PHRASES)
    }

    fn check(&self, input: &[u8]) -> Result<(), String> {
        let text = String::from_utf8_lossy(input);
        let catalog = self.rules.catalog.as_ref().expect("the shipped office keeps supplies");
        let matcher = Matcher::new(catalog);
        for (how, lines) in [("text", extract::lines(&text)), ("CSV", extract::from_csv(input))] {
            quantities_in_bounds(how, &lines)?;
            understand(&matcher, lines);
        }
        OrderNumber::find_in(&text);
        OrderNumber::find_short(&text);
        RequestNumber::find_in(&text);
        Ok(())
    }
}

fn quantities_in_bounds(how: &str, lines: &[Requested]) -> Result<(), String> {
    match lines.iter().find(|line| matches!(line.quantity, Quantity::Given(n) if n > MAX_QUANTITY)) {
        Some(line) => Err(format!("read a quantity over {MAX_QUANTITY} from the {how}: {:?}", line.written)),
        None => Ok(()),
    }
}

pub struct TextReaders {
    seeds: Vec<Vec<u8>>,
}

impl Surface for TextReaders {
    const NAME: &'static str = "text_readers";
    const BRIEF_RUNS: usize = 300;

    fn new(corpus: &Corpus) -> TextReaders {
        let mut seeds: Vec<Vec<u8>> = corpus.texts().into_iter().map(String::into_bytes).collect();
        for raw in corpus.mail() {
            let mail = crate::mime_target::Mail::split(&raw);
            if mail.fields.iter().any(|f| f.to_ascii_lowercase().windows(9).any(|w| w == b"text/html")) {
                seeds.push(mail.body);
            }
        }
        TextReaders { seeds }
    }

    fn seeds(&self) -> &[Vec<u8>] {
        &self.seeds
    }

    fn mutate(&self, rng: &mut Rng) -> Vec<u8> {
        let seed = mutate::seed(rng, &self.seeds);
        mutate_text(rng, seed, &self.seeds, QUOTE_PHRASES)
    }

    fn check(&self, input: &[u8]) -> Result<(), String> {
        let text = String::from_utf8_lossy(input);
        let fresh = reply_text::new_text(&text);
        let inside = text.as_ptr() as usize..=text.as_ptr() as usize + text.len();
        if !inside.contains(&(fresh.as_ptr() as usize))
            || !inside.contains(&(fresh.as_ptr() as usize + fresh.len()))
        {
            return Err("the new text is not a part of the text".into());
        }
        html::to_text(&text);
        words::commands(fresh);
        words::only_thanks(fresh, Some("Anna"));
        words::rating(fresh, Some("Anna"));
        clerk::supply::words::verdict(fresh);
        clerk::supply::words::delivered(fresh);
        clerk::supply::words::something_missing(fresh);
        let first_line = text.lines().next().unwrap_or_default();
        TicketNumber::in_subject(first_line);
        TicketNumber::without_tags(first_line);
        language::detect(&text, &["en".to_owned(), "it".to_owned()], "en");
        clerk::text::fold(&text);
        Ok(())
    }
}

/// `seed` changed one to four times: phrases spliced in and repeated, numbers at their edges, odd
/// text, brackets and list markers, long lines, lines and bytes moved. At most [`MOST_BYTES`].
fn mutate_text(rng: &mut Rng, seed: &[u8], donors: &[Vec<u8>], phrases: &[&str]) -> Vec<u8> {
    let mut text = seed.to_vec();
    for _ in 0..rng.usize(1..=4) {
        match rng.u8(..9) {
            0 | 1 => {
                let phrase = one_of(rng, phrases);
                let at = mutate::place(rng, &text);
                text.splice(at..at, phrase.bytes());
            }
            2 => {
                let phrase = one_of(rng, phrases);
                let times = mutate::count(rng, MOST_BYTES / (phrase.len() + 1));
                let glue = one_of(rng, &[" ", "\n", ", ", "", "\r\n", " and "]);
                let at = mutate::place(rng, &text);
                text.splice(at..at, vec![phrase; times].join(glue).into_bytes());
            }
            3 => mutate::numbers(rng, &mut text),
            4 => {
                let piece = one_of(
                    rng,
                    &["(", ")", "[", "]", "{", "1. ", "- ", "* ", "| ", ";", "\t", "a", "9", "1.", "(1) "],
                );
                let times = mutate::count(rng, 200_000);
                let at = mutate::place(rng, &text);
                text.splice(at..at, piece.repeat(times).into_bytes());
            }
            5 => {
                let odd = one_of(rng, ODD_TEXT);
                let times = mutate::count(rng, 10_000);
                let at = mutate::place(rng, &text);
                text.splice(at..at, odd.repeat(times).into_bytes());
            }
            6 => {
                let number = one_of(rng, NUMBERS);
                let phrase = one_of(rng, NUMBER_PHRASES).replace('N', number);
                let at = mutate::place(rng, &text);
                text.splice(at..at, phrase.into_bytes());
            }
            _ => mutate::bytes(rng, &mut text, donors, MOST_BYTES),
        }
    }
    text.truncate(MOST_BYTES);
    text
}

/// When a time reader's message was sent: the office's winter and summer time, a clock change, the
/// ends of the years read, offsets at their limits.
const SENT: &[&str] = &[
    "2027-01-18T10:00:00+01:00",
    "2027-07-12T10:00:00+02:00",
    "2027-03-28T02:30:00+01:00",
    "2027-10-31T02:30:00+02:00",
    "2027-12-31T23:59:59+00:00",
    "1900-01-01T00:00:00+00:00",
    "1899-12-31T23:00:00-01:00",
    "2200-12-31T23:59:59+00:00",
    "2200-12-31T23:00:00-23:59",
    "2027-01-18T10:00:00+23:59",
    "2027-01-18T10:00:00-23:59",
    "2028-02-29T12:00:00-05:00",
];

/// Ways to ask for a time, in English and Italian, and phrases near them.
pub const TIME_PHRASES: &[&str] = &[
    "Tuesday at 3pm",
    "tomorrow morning",
    "next week",
    "for an hour",
    "for 90 minutes",
    "between 2 and 4",
    "3pm EST",
    "10am Eastern",
    "2pm UK time",
    "at noon",
    "at midnight",
    "the 5th at 9",
    "on 31/02 at 10:00",
    "on 29 February 2100",
    "on 1/1/1",
    "on 32/13/2027",
    "on 0000-00-00",
    "on 9999-12-31 at 25:61",
    "in 99999999999 days",
    "in 3 weeks",
    "the day after tomorrow",
    "Monday or Tuesday afternoon",
    "from 9 to 17",
    "at 10am",
    "24/11 alle 15:00",
    "domani mattina",
    "dopodomani",
    "venerdì stessa ora",
    "tra le 14 e le 16",
    "la settimana prossima",
    "mezz'ora",
    "per un'ora",
    "lunedì 18 gennaio alle 10",
    "alle 15",
    "il 30 febbraio",
    "Could we meet",
    "possiamo vederci",
    "I need to cancel",
    "can we move it to Thursday?",
    "va bene la 2",
    "the second works for me",
    "in person at your office",
    "1",
    "option 3",
];

/// Ways to order, and lines that look like orders.
pub const ORDER_PHRASES: &[&str] = &[
    "2x HP 26A toner",
    "3 boxes of A4 paper",
    "10 blue pens, 10 black pens and a box of staples",
    "due risme di carta A4 e 3 scatole di graffette",
    "una risma",
    "ventitré penne",
    "(2) toner",
    "1. pens - 3",
    "- post-it x 12",
    "Item | Qty\nPAP-A4 | 5\nTON-26A | 1",
    "sku;qty\nPAP-A4;5\nTON-26A;99999",
    "sku,qty\n\"PAP-A4\",\"5\"\n",
    "PAP-A4: 3",
    "A4 paper, 3",
    "3 rolls",
    "2 blocchi",
    "8 AA batteries",
    "24 bottles of water",
    "a box of pens (blue (black (red)))",
    "[3] notebooks",
    "1) 2) 3) 4)",
    "order PO-2027-0001",
    "REQ-2027-0001",
    "PO 12",
];

/// Lines that open quoted history, and what the desks read in a reply.
pub const QUOTE_PHRASES: &[&str] = &[
    "On Mon, 18 Jan 2027 at 10:00, Anna Bianchi <anna@client.example> wrote:",
    "Il giorno lun 18 gen 2027 alle ore 10:00 Anna ha scritto:",
    "-----Original Message-----",
    "-----Messaggio originale-----",
    "________________________________",
    "From: Anna\nSent: Monday\nTo: Office\nSubject: Re:",
    "Da: Anna\nInviato: lunedì\nA: Ufficio\nOggetto: R:",
    "Sent from my iPhone",
    "-- \nAnna",
    "> quoted",
    ">>>>>>>>>>",
    "<blockquote type=\"cite\">",
    "<div class=\"gmail_quote\">",
    "<html><head><style>",
    "</head>",
    "<!--",
    "&nbsp;&amp;&lt;&#8364;&#x20AC;&bogus;",
    "<br><p><li><table><tr><td>",
    "#close",
    "#route accounts",
    "Thanks!",
    "Grazie mille",
    "5/5",
    "[#1042-7]",
    "Re: Re: Fwd: R: I:",
    "Approved.",
    "shipped",
    "out of stock",
    "consegnato",
];

/// Phrases with a number in them (`N`).
const NUMBER_PHRASES: &[&str] = &[
    "N pens",
    "at N",
    "at N:N",
    "N/N/N",
    "N-N-N",
    "on the Nth",
    "for N minutes",
    "for N hours",
    "in N days",
    "alle N",
    "N risme",
    "[#N-N]",
    "PO-N-N",
    "N.N EUR",
];
