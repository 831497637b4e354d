//! The `mime` surface: a raw message as a mailbox hands it over, read by `Message::parse` and the
//! auto-reply guard.
//!
//! Mutations work on the message's structure: header fields duplicated, dropped, folded, made huge,
//! given line breaks and NULs, broken encoded words and charsets; bodies wrapped in multiparts nested
//! deep, left unterminated, split into thousands of parts, given broken base64 or quoted-printable.
//!
//! Promised: no panic; the text at most `TEXT_LIMIT`; subject and display names on one line;
//! `size` the input's; a parsed message goes through the guard and the quote reader.

use fastrand::Rng;

use clerk::guard::{self, GuardPolicy};
use clerk::mail::message::{Message, ParseError, TEXT_LIMIT};
use clerk::mail::reply_text;

use crate::Surface;
use crate::corpus::Corpus;
use crate::mutate::{self, one_of};

/// The largest message made: enough to pass the text limit and test that reading stays linear, and
/// well below the `max_message_size` a mailbox fetches whole.
pub const MOST_BYTES: usize = 3_000_000;

pub struct Mime {
    seeds: Vec<Vec<u8>>,
    calendars: Vec<Vec<u8>>,
}

impl Surface for Mime {
    const NAME: &'static str = "mime";
    const BRIEF_RUNS: usize = 400;

    fn new(corpus: &Corpus) -> Mime {
        Mime { seeds: corpus.mail(), calendars: corpus.calendars() }
    }

    fn seeds(&self) -> &[Vec<u8>] {
        &self.seeds
    }

    fn mutate(&self, rng: &mut Rng) -> Vec<u8> {
        let mut mail = Mail::split(mutate::seed(rng, &self.seeds));
        for _ in 0..rng.usize(1..=4) {
            mail.mutate(rng, &self.seeds, &self.calendars);
        }
        let mut raw = mail.join();
        if rng.u8(..4) == 0 {
            mutate::bytes(rng, &mut raw, &self.seeds, MOST_BYTES);
        }
        raw.truncate(MOST_BYTES);
        raw
    }

    fn check(&self, input: &[u8]) -> Result<(), String> {
        let message = match Message::parse(input) {
            Ok(message) => message,
            Err(ParseError::Empty | ParseError::Malformed(_)) => return Ok(()),
        };
        promises(&message, input)?;
        guard::check(&message, &GuardPolicy::for_assistant("assistant@office.example"));
        reply_text::new_text(&message.text);
        Ok(())
    }
}

/// What a parsed message promises about itself.
pub fn promises(message: &Message, raw: &[u8]) -> Result<(), String> {
    if message.size != raw.len() {
        return Err(format!("size {} for a message of {} bytes", message.size, raw.len()));
    }
    if message.text.len() > TEXT_LIMIT {
        return Err(format!("a text of {} bytes, over TEXT_LIMIT", message.text.len()));
    }
    if message.subject.chars().any(char::is_control) {
        return Err(format!("a subject with a control character: {:?}", clip(&message.subject)));
    }
    let addresses = message.from.iter().chain(&message.to).chain(&message.cc).chain(&message.reply_to);
    for name in addresses.filter_map(|address| address.name.as_deref()) {
        if name.chars().any(char::is_control) {
            return Err(format!("a display name with a control character: {:?}", clip(name)));
        }
    }
    Ok(())
}

/// The start of `text`, for a report.
pub fn clip(text: &str) -> String {
    text.chars().take(120).collect()
}

/// A message taken apart into its header fields and body, to be mutated and put together again.
pub struct Mail {
    /// Each field whole, continuation lines included, without its line break.
    pub fields: Vec<Vec<u8>>,
    pub body: Vec<u8>,
    /// The line break the message uses.
    pub eol: &'static [u8],
}

impl Mail {
    pub fn split(raw: &[u8]) -> Mail {
        let eol: &'static [u8] = if raw.windows(2).any(|w| w == b"\r\n") { b"\r\n" } else { b"\n" };
        let end = raw
            .windows(2)
            .position(|w| w == b"\n\n")
            .map(|n| (n + 1, n + 2))
            .into_iter()
            .chain(raw.windows(4).position(|w| w == b"\r\n\r\n").map(|n| (n + 2, n + 4)))
            .min();
        let (head, body) = match end {
            Some((head_end, body_start)) => (&raw[..head_end], raw[body_start..].to_vec()),
            None => (raw, Vec::new()),
        };
        let mut fields: Vec<Vec<u8>> = Vec::new();
        for line in head.split_inclusive(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            match fields.last_mut() {
                Some(field) if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') => {
                    field.extend_from_slice(eol);
                    field.extend_from_slice(line);
                }
                _ => fields.push(line.to_vec()),
            }
        }
        Mail { fields, body, eol }
    }

    pub fn join(&self) -> Vec<u8> {
        let mut raw = Vec::with_capacity(self.body.len() + 2048);
        for field in &self.fields {
            raw.extend_from_slice(field);
            raw.extend_from_slice(self.eol);
        }
        raw.extend_from_slice(self.eol);
        raw.extend_from_slice(&self.body);
        raw
    }

    /// The index of the field called `name`, ignoring case.
    fn find(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|field| {
            field.len() > name.len()
                && field[..name.len()].eq_ignore_ascii_case(name.as_bytes())
                && field[name.len()] == b':'
        })
    }

    /// Sets the field `name` (replacing the first of that name, or adding it at the top).
    pub fn set(&mut self, name: &str, value: &[u8]) {
        let mut field = format!("{name}: ").into_bytes();
        field.extend_from_slice(value);
        match self.find(name) {
            Some(at) => self.fields[at] = field,
            None => self.fields.insert(0, field),
        }
    }

    fn remove(&mut self, name: &str) {
        while let Some(at) = self.find(name) {
            self.fields.remove(at);
        }
    }

    /// One structural mutation.
    pub fn mutate(&mut self, rng: &mut Rng, donors: &[Vec<u8>], calendars: &[Vec<u8>]) {
        match rng.u8(..16) {
            0 if !self.fields.is_empty() => {
                let field = self.fields[rng.usize(..self.fields.len())].clone();
                let times = mutate::count(rng, 2_000);
                let at = rng.usize(..=self.fields.len());
                self.fields.splice(at..at, std::iter::repeat_n(field, times));
            }
            1 if !self.fields.is_empty() => {
                self.fields.remove(rng.usize(..self.fields.len()));
            }
            2 if !self.fields.is_empty() => {
                let at = rng.usize(..self.fields.len());
                let folded = fold(rng, &self.fields[at], self.eol);
                self.fields[at] = folded;
            }
            3 if !self.fields.is_empty() => {
                let at = rng.usize(..self.fields.len());
                let piece = one_of(rng, HUGE_PIECES);
                let times = mutate::count(rng, 200_000 / piece.len().max(1));
                self.fields[at].extend_from_slice(piece.repeat(times).as_bytes());
            }
            4 if !self.fields.is_empty() => {
                let at = rng.usize(..self.fields.len());
                let field = &mut self.fields[at];
                let place = mutate::place(rng, field);
                field.splice(place..place, one_of(rng, INJECTED).bytes());
            }
            5 => {
                let name = one_of(rng, &["Subject", "From", "To", "Cc", "Reply-To", "Sender", "Comments"]);
                let value = encoded_word(rng);
                self.set(name, value.as_bytes());
            }
            6 => {
                let name = one_of(rng, ADDRESS_FIELDS);
                let value = one_of(rng, ADDRESSES);
                let times = mutate::count(rng, 5_000);
                let value = vec![value; times].join(", ");
                self.set(name, value.as_bytes());
            }
            7 => {
                let name = one_of(rng, &["Date", "Message-ID", "In-Reply-To", "References", "Return-Path"]);
                let value = one_of(rng, ODD_VALUES);
                let times = if name == "References" { mutate::count(rng, 5_000) } else { 1 };
                self.set(name, vec![value; times].join(" ").as_bytes());
            }
            8 => {
                let value = format!("{}; charset=\"{}\"", one_of(rng, CONTENT_TYPES), one_of(rng, CHARSETS));
                self.set("Content-Type", value.as_bytes());
            }
            9 => self.transfer_encoding(rng),
            10 => self.multipart(rng, donors, calendars),
            11 => {
                let calendar = mutate::seed(rng, calendars).to_vec();
                self.remove("Content-Transfer-Encoding");
                let method =
                    one_of(rng, &["REQUEST", "CANCEL", "REPLY", "COUNTER", "PUBLISH", "", "request"]);
                self.set("Content-Type", format!("text/calendar; method={method}; charset=utf-8").as_bytes());
                self.body = calendar;
            }
            12 => {
                let piece = one_of(rng, BODY_PIECES);
                let times = mutate::count(rng, MOST_BYTES / piece.len().max(1) / 2);
                let at = mutate::place(rng, &self.body);
                self.body.splice(at..at, piece.repeat(times).into_bytes());
            }
            13 => {
                let value = format!("{}; {}", one_of(rng, CONTENT_TYPES), one_of(rng, PARAMETERS));
                self.set(one_of(rng, &["Content-Type", "Content-Disposition"]), value.as_bytes());
            }
            14 => {
                let donor = Mail::split(mutate::seed(rng, donors));
                self.body = donor.body;
            }
            _ => {
                let len = mutate::count(rng, 80);
                let mut field = mutate::random_bytes(rng, len);
                field.extend_from_slice(b": ");
                field.extend_from_slice(one_of(rng, mutate::ODD_TEXT).as_bytes());
                let at = rng.usize(..=self.fields.len());
                self.fields.insert(at, field);
            }
        }
    }

    /// A Content-Transfer-Encoding, with the body encoded by it and then often damaged.
    fn transfer_encoding(&mut self, rng: &mut Rng) {
        let encoding = one_of(
            rng,
            &["base64", "quoted-printable", "x-uuencode", "8bit", "binary", "7bit", "bas e64", ""],
        );
        self.set("Content-Transfer-Encoding", encoding.as_bytes());
        match encoding {
            "base64" if rng.bool() => {
                let mut encoded = base64(&self.body);
                damage(rng, &mut encoded, b"=!-_\r\n ");
                self.body = encoded;
            }
            "quoted-printable" if rng.bool() => {
                let mut encoded = quoted_printable(&self.body);
                damage(rng, &mut encoded, b"=ZZ\r\n\t");
                self.body = encoded;
            }
            _ => {}
        }
    }

    /// Wraps the body, or puts together a new one, in multipart structure: nested deep, with many
    /// parts, a missing or repeated end, boundaries that are empty, long or inside the text.
    fn multipart(&mut self, rng: &mut Rng, donors: &[Vec<u8>], calendars: &[Vec<u8>]) {
        let eol = std::str::from_utf8(self.eol).unwrap_or("\n");
        let depth = if rng.u8(..4) == 0 { mutate::count(rng, 2_000) } else { 1 };
        let parts = mutate::count(rng, 3_000);
        let boundary = match rng.u8(..6) {
            0 => String::new(),
            1 => "b".repeat(rng.usize(60..2_000)),
            2 => "--".to_owned(),
            3 => "a b\tc".to_owned(),
            _ => format!("fuzz{}", rng.u32(..)),
        };
        let kind = one_of(
            rng,
            &["mixed", "alternative", "related", "report; report-type=delivery-status", "digest", "signed"],
        );
        let close = rng.u8(..4) != 0;
        let mut inner = std::mem::take(&mut self.body);
        let mut inner_type = self
            .find("Content-Type")
            .map(|at| self.fields[at].clone())
            .unwrap_or_else(|| b"Content-Type: text/plain".to_vec());
        for level in 0..depth {
            let b = format!("{boundary}{level}");
            let mut body = Vec::new();
            let count = if level == 0 { parts } else { 1 };
            for n in 0..count {
                if body.len() > MOST_BYTES {
                    break;
                }
                body.extend_from_slice(format!("--{b}{eol}").as_bytes());
                if n == 0 {
                    body.extend_from_slice(&inner_type);
                    body.extend_from_slice(eol.as_bytes());
                    body.extend_from_slice(eol.as_bytes());
                    body.extend_from_slice(&inner);
                } else {
                    match rng.u8(..4) {
                        0 => {
                            let calendar = mutate::seed(rng, calendars);
                            body.extend_from_slice(
                                format!("Content-Type: text/calendar; method=REQUEST{eol}{eol}").as_bytes(),
                            );
                            body.extend_from_slice(calendar);
                        }
                        1 => {
                            let donor = Mail::split(mutate::seed(rng, donors));
                            body.extend_from_slice(
                                format!("Content-Type: message/rfc822{eol}{eol}").as_bytes(),
                            );
                            body.extend_from_slice(&donor.join());
                        }
                        2 => body.extend_from_slice(eol.as_bytes()),
                        _ => {
                            let ct = one_of(rng, CONTENT_TYPES);
                            let cte = one_of(rng, &["base64", "quoted-printable", "8bit"]);
                            let len = mutate::count(rng, 2_000);
                            let data = mutate::random_bytes(rng, len);
                            body.extend_from_slice(
                                format!("Content-Type: {ct}{eol}Content-Transfer-Encoding: {cte}{eol}{eol}")
                                    .as_bytes(),
                            );
                            body.extend_from_slice(&data);
                        }
                    }
                }
                body.extend_from_slice(eol.as_bytes());
            }
            if close || level > 0 {
                body.extend_from_slice(format!("--{b}--{eol}").as_bytes());
            }
            if body.len() > MOST_BYTES {
                break;
            }
            inner = body;
            inner_type = format!("Content-Type: multipart/{kind}; boundary=\"{b}\"").into_bytes();
        }
        self.remove("Content-Transfer-Encoding");
        let value = inner_type.strip_prefix(b"Content-Type: ").unwrap_or(&inner_type).to_vec();
        self.set("Content-Type", &value);
        self.set("MIME-Version", b"1.0");
        self.body = inner;
    }
}

/// `field` with line breaks and white space put in at some of its spaces, or anywhere.
fn fold(rng: &mut Rng, field: &[u8], eol: &[u8]) -> Vec<u8> {
    let mut folded = Vec::with_capacity(field.len() + 64);
    let anywhere = rng.u8(..4) == 0;
    for &b in field {
        if (b == b' ' || anywhere) && rng.u8(..3) == 0 {
            folded.extend_from_slice(eol);
            folded.extend_from_slice(if rng.bool() { b" " } else { b"\t" });
            if rng.u8(..8) == 0 {
                folded.extend_from_slice(eol);
                folded.push(b' ');
            }
        }
        folded.push(b);
    }
    folded
}

/// An RFC 2047 encoded word, often broken: wrong encoding letter, bad base64, unknown charset, no end.
fn encoded_word(rng: &mut Rng) -> String {
    let charset = one_of(rng, CHARSETS);
    let encoding = one_of(rng, &["B", "Q", "b", "q", "X", ""]);
    let text: String = match rng.u8(..4) {
        0 => "SGVsbG8gd29ybGQ".to_owned(),
        1 => "=E2=82=AC_=C3=28_=0D=0ABcc:_x@evil.example".to_owned(),
        2 => {
            let len = mutate::count(rng, 200);
            String::from_utf8_lossy(&mutate::random_bytes(rng, len)).into_owned()
        }
        _ => "////////////////++++===".to_owned(),
    };
    let end = if rng.u8(..4) == 0 { "" } else { "?=" };
    let word = format!("=?{charset}?{encoding}?{text}{end}");
    let times = mutate::count(rng, 2_000);
    vec![word; times].join(if rng.bool() { " " } else { "" })
}

/// Base64 of `bytes` in lines of 76.
fn base64(bytes: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(bytes.len() * 4 / 3 + 4);
    for (n, chunk) in bytes.chunks(3).enumerate() {
        if n > 0 && n % 19 == 0 {
            out.extend_from_slice(b"\r\n");
        }
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(ALPHABET[(v >> 18) as usize & 63]);
        out.push(ALPHABET[(v >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 { ALPHABET[(v >> 6) as usize & 63] } else { b'=' });
        out.push(if chunk.len() > 2 { ALPHABET[v as usize & 63] } else { b'=' });
    }
    out
}

/// Quoted-printable of `bytes`, soft line breaks included.
fn quoted_printable(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    let mut line = 0;
    for &b in bytes {
        if line > 72 {
            out.extend_from_slice(b"=\r\n");
            line = 0;
        }
        if b == b'\n' {
            out.push(b);
            line = 0;
        } else if (b.is_ascii_graphic() && b != b'=') || b == b' ' {
            out.push(b);
            line += 1;
        } else {
            out.extend_from_slice(format!("={b:02X}").as_bytes());
            line += 3;
        }
    }
    out
}

/// Breaks an encoded body in a few places with `marks`, or cuts it short.
fn damage(rng: &mut Rng, encoded: &mut Vec<u8>, marks: &[u8]) {
    for _ in 0..rng.usize(..4) {
        if encoded.is_empty() {
            return;
        }
        let at = rng.usize(..encoded.len());
        if rng.u8(..4) == 0 {
            encoded.truncate(at);
        } else {
            encoded.insert(at, marks[rng.usize(..marks.len())]);
        }
    }
}

/// Pieces repeated to make a header value huge.
const HUGE_PIECES: &[&str] = &[
    "a",
    " ",
    "x@y.example, ",
    "<id@example.com> ",
    "=?utf-8?B?w6k=?= ",
    "((((((",
    "\"",
    "\\",
    "; a=b",
    ",",
    "é",
];

/// What is put into a header value: line breaks that would start a new field, NULs, lone CRs.
const INJECTED: &[&str] = &[
    "\r\nBcc: x@evil.example",
    "\nTo: x@evil.example",
    "\r",
    "\n",
    "\0",
    "\r\n\r\n",
    "\r\n ",
    "\u{85}",
    "\u{2028}",
    "=?utf-8?q?=0D=0ABcc:_x@evil.example?=",
];

const ADDRESS_FIELDS: &[&str] = &["From", "To", "Cc", "Reply-To", "Sender", "Return-Path", "Bcc"];

/// Address values at and past the edge of RFC 5322.
const ADDRESSES: &[&str] = &[
    "assistant@office.example",
    "giulia.rossi@office.example",
    "Anna <anna@client.example>",
    "\"Rossi, Anna\" <anna@client.example>",
    "group: a@b.example, c@d.example;",
    "undisclosed-recipients:;",
    "<>",
    "<@relay.example:anna@client.example>",
    "anna@[127.0.0.1]",
    "a@b",
    "@",
    "<<<anna@client.example>>>",
    "\"unterminated <anna@client.example>",
    "(comment (nested (deeper))) anna@client.example",
    "((((((((((((((((((((((((((((((((",
    "=?utf-8?B?QW5uYQ0KQmNjOiB4QGV2aWwuZXhhbXBsZQ==?= <anna@client.example>",
    "Anna\r\n <anna@client.example>",
    "anna@client.example\0",
    "mailer-daemon@mx.example",
    "noreply@vendor.example",
    "ordini@cartoleria-roma.example",
    "very.long.local.part.that.goes.on.and.on.and.on.and.on.and.on.and.on.and.on.and.on@example.com",
    "\u{202e}moc.elpmaxe@anna",
];

/// Values for Date, Message-ID, References and Return-Path.
const ODD_VALUES: &[&str] = &[
    "Mon, 32 Foo 99999 25:61:61 +9999",
    "Tue, 1 Jan 0000 00:00:00 -2400",
    "Fri, 31 Dec 9999 23:59:59 +1400",
    "Thu, 1 Jan 1970 00:00:00 +0000",
    "Mon, 18 Jan 2027 10:00:00 +0100",
    "Sat, 29 Feb 2100 12:00:00 +0000",
    "1 Jan 1900 00:00 GMT",
    "Wed, 14 Jan 2027 09:30:00 -0800 (PST)",
    "",
    "<>",
    "<a@b>",
    "<<a@b>>",
    "a@b",
    "<id-without-end@example.com",
    "<@>",
    "<\0@x>",
    "<x@y> <x@y> <x@y>",
    "(comment)",
];

const CONTENT_TYPES: &[&str] = &[
    "text/plain",
    "text/html",
    "text/calendar; method=REQUEST",
    "application/ics; name=\"invite.ics\"",
    "multipart/mixed",
    "multipart/alternative; boundary=\"\"",
    "multipart/report; report-type=delivery-status",
    "message/rfc822",
    "message/delivery-status",
    "application/octet-stream",
    "image/png",
    "text/",
    "/",
    ";;;;",
    "text/plain; format=flowed; delsp=yes",
    "TEXT/HTML",
];

const CHARSETS: &[&str] = &[
    "utf-8",
    "UTF8",
    "us-ascii",
    "iso-8859-1",
    "windows-1252",
    "koi8-u",
    "iso-2022-jp",
    "shift_jis",
    "ks_c_5601-1987",
    "gb18030",
    "big5",
    "utf-16",
    "utf-16le",
    "utf-7",
    "x-unknown",
    "",
    "\"",
    "utf-8\0",
    "unicode-1-1-utf-7",
];

/// Content-Type and Content-Disposition parameters, some broken (RFC 2231 continuations, quotes).
const PARAMETERS: &[&str] = &[
    "name*0*=utf-8''%E2%82; name*1*=%AC.ics",
    "name*=utf-8''%ZZ%",
    "filename=\"unterminated",
    "filename=invite.ics",
    "name=\"=?utf-8?B?aW52aXRlLmljcw==?=\"",
    "boundary=",
    "charset",
    "=",
    "a=b; a=c; a=d",
    "filename*99999999999=x",
];

/// Pieces put into bodies: long lines, no line breaks, markup, quotes, format=flowed.
const BODY_PIECES: &[&str] = &[
    "a",
    "word ",
    "\n",
    "\r\n",
    "> ",
    "<div>",
    "<blockquote>",
    "&amp;",
    "&#",
    "<",
    "=\r\n",
    "Could we meet on Tuesday at 3pm? ",
    "Please order 3 boxes of A4 paper (PAP-A4) ",
    "(",
    "1. ",
    "On Mon, 18 Jan 2027, Anna wrote:\n",
    "flowed \n",
    "\u{feff}",
];
