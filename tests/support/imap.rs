//! A small blocking IMAP4rev1 client, enough to look into a mailbox the way a person's mail program does:
//! tagged commands, untagged responses, literals (`{n}\r\n` + n bytes) and synchronising literals for APPEND.
//! It is deliberately not clerk's IMAP code: tests must not check clerk with clerk.

use super::encoding::{crlf, mutf7_decode, mutf7_encode};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// One server response: its text with each literal left as its `{n}` marker, and the literals in order.
#[derive(Debug, Clone)]
pub struct Response {
    pub text: String,
    pub literals: Vec<Vec<u8>>,
}

impl Response {
    /// True for an untagged response of this kind, e.g. `is_untagged("LIST")` for `* LIST …`.
    pub fn is_untagged(&self, kind: &str) -> bool {
        let mut words = self.text.split(' ');
        words.next() == Some("*") && words.next().is_some_and(|w| w.eq_ignore_ascii_case(kind))
    }

    /// `* 3 FETCH (…)`
    pub fn is_untagged_fetch(&self) -> bool {
        let mut words = self.text.split(' ');
        words.next() == Some("*")
            && words.next().is_some()
            && words.next().is_some_and(|w| w.eq_ignore_ascii_case("FETCH"))
    }
}

pub struct Imap {
    port: u16,
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    next_tag: u32,
    /// The server's greeting line, e.g. `* OK [CAPABILITY …] Dovecot (Debian) ready.`
    pub greeting: String,
}

impl Imap {
    /// Connects to 127.0.0.1:`port` and reads the greeting, which must be `* OK`.
    pub fn connect(port: u16) -> Imap {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("IMAP connect to {addr}: {e}"));
        // Commands are written whole: Nagle's algorithm would only add delayed-ACK pauses on loopback.
        stream.set_nodelay(true).expect("setting TCP_NODELAY");
        let writer = stream.try_clone().expect("cloning a TcpStream for writing");
        let mut imap =
            Imap { port, reader: BufReader::new(stream), writer, next_tag: 1, greeting: String::new() };
        imap.set_timeout(Duration::from_secs(15));
        let greeting = imap.read_response();
        assert!(greeting.text.starts_with("* OK"), "IMAP port {port} greeted with {:?}", greeting.text);
        imap.greeting = greeting.text;
        imap
    }

    /// How long a read may wait for the server before the test panics (15 s unless changed).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.reader.get_ref().set_read_timeout(Some(timeout)).expect("setting a socket read timeout");
    }

    pub fn login(&mut self, user: &str, password: &str) {
        self.ok(&format!("LOGIN {} {}", quote(user), quote(password)));
    }

    /// The capabilities the server lists now (before or after login: they differ).
    pub fn capabilities(&mut self) -> Vec<String> {
        let responses = self.ok("CAPABILITY");
        let line =
            responses.iter().find(|r| r.is_untagged("CAPABILITY")).expect("CAPABILITY sends * CAPABILITY");
        line.text.split(' ').skip(2).map(str::to_string).collect()
    }

    /// Runs `command` and returns its untagged responses; `Err` is the tagged `NO`/`BAD` line.
    pub fn run(&mut self, command: &str) -> Result<Vec<Response>, String> {
        let tag = self.start(command);
        self.finish(&tag)
    }

    /// Runs `command`, panicking with the server's answer unless it is `OK`.
    pub fn ok(&mut self, command: &str) -> Vec<Response> {
        let port = self.port;
        self.run(command).unwrap_or_else(|e| panic!("IMAP port {port}: {command:?} failed: {e}"))
    }

    /// Sends a tagged command without waiting for the answer (for IDLE); returns the tag.
    pub fn start(&mut self, command: &str) -> String {
        let tag = format!("h{}", self.next_tag);
        self.next_tag += 1;
        self.send(format!("{tag} {command}\r\n").as_bytes());
        tag
    }

    /// Reads responses up to the tagged completion of `tag`: the untagged ones, or `Err` with a `NO`/`BAD`.
    pub fn finish(&mut self, tag: &str) -> Result<Vec<Response>, String> {
        self.finish_with_status(tag).map(|(untagged, _)| untagged)
    }

    /// Like [`Imap::finish`], also returning the tagged `OK` line (its response code may carry data).
    fn finish_with_status(&mut self, tag: &str) -> Result<(Vec<Response>, String), String> {
        let mut untagged = Vec::new();
        loop {
            let response = self.read_response();
            match response.text.strip_prefix(tag).and_then(|rest| rest.strip_prefix(' ')) {
                Some(status) if status.starts_with("OK") => return Ok((untagged, response.text)),
                Some(_) => return Err(response.text),
                None => untagged.push(response),
            }
        }
    }

    /// Writes bytes as they are (e.g. `DONE\r\n` to end IDLE).
    pub fn send(&mut self, bytes: &[u8]) {
        let port = self.port;
        self.writer.write_all(bytes).unwrap_or_else(|e| panic!("IMAP port {port}: write failed: {e}"));
    }

    /// Reads one whole response, following literals: a line ending in `{n}` is followed by n raw bytes and then
    /// the rest of the same response.
    pub fn read_response(&mut self) -> Response {
        let mut response = Response { text: String::new(), literals: Vec::new() };
        loop {
            let mut line = Vec::new();
            let port = self.port;
            match self.reader.read_until(b'\n', &mut line) {
                Ok(0) => panic!("IMAP port {port}: connection closed; partial response {:?}", response.text),
                Ok(_) => {}
                Err(e) => {
                    panic!("IMAP port {port}: reading a response: {e}; partial response {:?}", response.text)
                }
            }
            while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                line.pop();
            }
            let line = String::from_utf8_lossy(&line).into_owned();
            let literal_len = line
                .strip_suffix('}')
                .and_then(|l| l.rsplit_once('{'))
                .and_then(|(_, n)| n.parse::<usize>().ok());
            response.text.push_str(&line);
            let Some(len) = literal_len else {
                return response;
            };
            let mut literal = vec![0; len];
            self.reader
                .read_exact(&mut literal)
                .unwrap_or_else(|e| panic!("IMAP port {port}: reading a {len}-byte literal: {e}"));
            response.literals.push(literal);
        }
    }

    /// `APPEND`s a message (line endings made CRLF) and returns its UID if the server says it (UIDPLUS's
    /// `APPENDUID`; Dovecot does); `Err` is the server's refusal, e.g. for a folder that does not exist.
    pub fn append(&mut self, folder: &str, raw: &[u8]) -> Result<Option<u32>, String> {
        self.append_dated(folder, raw, None)
    }

    /// [`append`](Self::append) with the message's internal date (the arrival time IMAP keeps) set to
    /// `date`, written as IMAP's `date-time`: `"01-Jan-2020 10:00:00 +0000"`.
    pub fn append_dated(
        &mut self,
        folder: &str,
        raw: &[u8],
        date: Option<&str>,
    ) -> Result<Option<u32>, String> {
        let message = crlf(raw);
        let date = date.map(|d| format!(" \"{d}\"")).unwrap_or_default();
        // A synchronising literal: the server says `+` before the bytes, or refuses (e.g. no such folder).
        let tag = self.start(&format!("APPEND {}{date} {{{}}}", mailbox(folder), message.len()));
        let go_ahead = self.read_response();
        if !go_ahead.text.starts_with('+') {
            return Err(go_ahead.text);
        }
        let mut literal_and_end = message;
        literal_and_end.extend_from_slice(b"\r\n");
        self.send(&literal_and_end);
        let (_, status) = self.finish_with_status(&tag)?;
        // `h3 OK [APPENDUID <uidvalidity> <uid>] Append completed.`
        let uid = status
            .split_once("[APPENDUID ")
            .and_then(|(_, code)| code.split([' ', ']']).nth(1)?.parse().ok());
        Ok(uid)
    }

    pub fn logout(mut self) {
        let _ = self.run("LOGOUT");
    }
}

/// An IMAP quoted string. Test data only: CR, LF and non-ASCII are refused rather than sent as literals.
pub fn quote(s: &str) -> String {
    assert!(s.is_ascii() && !s.contains(['\r', '\n']), "cannot send {s:?} as an IMAP quoted string");
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A folder name as a command argument: modified UTF-7, quoted.
pub fn mailbox(name: &str) -> String {
    quote(&mutf7_encode(name))
}

/// The folder name in a `* LIST (flags) "delimiter" name` response, decoded from modified UTF-7.
pub fn list_name(response: &Response) -> String {
    let after_flags = response.text.split_once(") ").map(|(_, rest)| rest).unwrap_or_default();
    // The delimiter is a quoted character (possibly an escaped one) or NIL.
    let name = if let Some(rest) = after_flags.strip_prefix("NIL ") {
        rest
    } else {
        let rest = after_flags.strip_prefix('"').unwrap_or(after_flags);
        let rest = rest.strip_prefix('\\').unwrap_or(rest);
        rest.get(3..).unwrap_or_default()
    };
    let wire = if name.starts_with('{') {
        String::from_utf8_lossy(response.literals.last().expect("a literal mailbox name")).into_owned()
    } else if let Some(quoted) = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        quoted.replace("\\\"", "\"").replace("\\\\", "\\")
    } else {
        name.to_string()
    };
    mutf7_decode(&wire).unwrap_or_else(|e| panic!("server sent a bad mailbox name: {e}"))
}
