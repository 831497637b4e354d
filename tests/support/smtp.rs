//! A minimal blocking SMTP and LMTP client: how the harness delivers mail into Dovecot (LMTP, the way an MTA
//! does) and how tests send mail to the SMTP sink. One call is one transaction; every reply code is checked.

use super::encoding::{base64, crlf};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Smtp,
    /// LMTP (RFC 2033): `LHLO` instead of `EHLO`, and one reply per recipient after the data.
    Lmtp,
}

/// Sends one message to 127.0.0.1:`port`; `Err` names the step the server refused and quotes its reply.
///
/// `mail_from` may be empty (the null sender `<>` of bounces and auto-replies). `raw` may have any line
/// endings; it is sent with CRLF and dot-stuffed. `auth` logs in with `AUTH PLAIN` first.
pub fn send(
    protocol: Protocol,
    port: u16,
    mail_from: &str,
    rcpt_tos: &[&str],
    raw: &[u8],
    auth: Option<(&str, &str)>,
) -> Result<(), String> {
    let mut session = Session::connect(protocol, port)?;
    session.expect("the greeting", None, 220)?;
    let hello = match protocol {
        Protocol::Smtp => "EHLO harness.test",
        Protocol::Lmtp => "LHLO harness.test",
    };
    session.expect(hello, Some(hello), 250)?;
    if let Some((user, password)) = auth {
        let token = base64(format!("\0{user}\0{password}").as_bytes());
        session.expect("AUTH PLAIN", Some(&format!("AUTH PLAIN {token}")), 235)?;
    }
    session.expect("MAIL FROM", Some(&format!("MAIL FROM:<{mail_from}>")), 250)?;
    for rcpt in rcpt_tos {
        session.expect(&format!("RCPT TO:<{rcpt}>"), Some(&format!("RCPT TO:<{rcpt}>")), 250)?;
    }
    session.expect("DATA", Some("DATA"), 354)?;
    let mut data = dot_stuff(&crlf(raw));
    data.extend_from_slice(b".\r\n");
    session.write(&data)?;
    // LMTP answers the data once per recipient: each mailbox can accept or refuse on its own.
    let answers: Vec<String> = match protocol {
        Protocol::Smtp => vec!["the message data".to_string()],
        Protocol::Lmtp => rcpt_tos.iter().map(|rcpt| format!("the message data for {rcpt}")).collect(),
    };
    for what in answers {
        session.expect(&what, None, 250)?;
    }
    // The message is accepted at this point; a failing QUIT changes nothing.
    let _ = session.expect("QUIT", Some("QUIT"), 221);
    Ok(())
}

/// Doubles a leading `.` on every line, so a line with a single dot in the body does not end the data.
pub fn dot_stuff(crlf_text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(crlf_text.len() + 16);
    let mut at_line_start = true;
    for &b in crlf_text {
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        at_line_start = b == b'\n';
    }
    out
}

struct Session {
    protocol: Protocol,
    port: u16,
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Session {
    fn connect(protocol: Protocol, port: u16) -> Result<Session, String> {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
            .map_err(|e| format!("{protocol:?} connect to {addr}: {e}"))?;
        // Generous: Dovecot's LMTP may fsync; a test waiting longer than this has a bug to report, not hide.
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("setting a socket read timeout");
        // Commands are written whole: Nagle's algorithm would only add delayed-ACK pauses on loopback.
        stream.set_nodelay(true).expect("setting TCP_NODELAY");
        let writer = stream.try_clone().expect("cloning a TcpStream for writing");
        Ok(Session { protocol, port, reader: BufReader::new(stream), writer })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.writer
            .write_all(bytes)
            .map_err(|e| format!("{:?} port {}: write failed: {e}", self.protocol, self.port))
    }

    /// Sends `command` (if any) and reads one reply, which must have code `want`.
    fn expect(&mut self, what: &str, command: Option<&str>, want: u16) -> Result<(), String> {
        if let Some(command) = command {
            self.write(format!("{command}\r\n").as_bytes())?;
        }
        let (code, text) =
            self.read_reply().map_err(|e| format!("{:?} port {}: {what}: {e}", self.protocol, self.port))?;
        if code == want {
            Ok(())
        } else {
            Err(format!("{:?} port {}: {what} refused: {text}", self.protocol, self.port))
        }
    }

    /// Reads a possibly multi-line reply (`250-…` lines, then `250 …`): its code and all of its text.
    fn read_reply(&mut self) -> Result<(u16, String), String> {
        let mut text = String::new();
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => return Err(format!("connection closed by the server after {text:?}")),
                Ok(_) => {}
                Err(e) => return Err(format!("reading the reply: {e} (so far {text:?})")),
            }
            let code = line.get(..3).and_then(|c| c.parse::<u16>().ok());
            let Some(code) = code else {
                return Err(format!("malformed reply line {line:?}"));
            };
            text.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok((code, text.trim_end().to_string()));
            }
        }
    }
}
