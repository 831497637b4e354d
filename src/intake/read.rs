//! Reading a fetched batch: each message's digest and parse, the costly work that needs no store, done
//! on up to four threads. A message whose parse panics is a failure of that message only.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{Content, Fetched};
use crate::mail::message::Message;

/// A fetched message with its digest and its parse (or why it cannot be read).
pub(super) struct Read {
    pub fetched: Fetched,
    pub content_hash: String,
    pub parsed: Result<Message, String>,
    /// What a plain look at the header tells, for the journal, when there is no parse to tell it.
    pub glance: Glance,
}

/// The Message-ID, sender and subject of a message as its header lines say them, found without
/// parsing: for a message that cannot be parsed, or that clerk will not parse again because it stopped
/// clerk before, so that `clerk status` can still name it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Glance {
    pub message_id: Option<String>,
    pub sender: Option<String>,
    pub subject: String,
}

/// How much of a header a glance reads.
const GLANCE_BYTES: usize = 64 * 1024;

impl Glance {
    fn of(raw: &[u8]) -> Glance {
        let head = &raw[..raw.len().min(GLANCE_BYTES)];
        let head = String::from_utf8_lossy(head);
        let mut glance = Glance::default();
        for line in head.lines().take_while(|l| !l.trim().is_empty()) {
            let Some((name, value)) = line.split_once(':') else { continue };
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "message-id" if glance.message_id.is_none() => {
                    let id = value.trim_start_matches('<').trim_end_matches('>');
                    glance.message_id = (!id.is_empty()).then(|| id.chars().take(250).collect());
                }
                "from" if glance.sender.is_none() => {
                    let address = value.rsplit_once('<').map_or(value, |(_, a)| a.trim_end_matches('>'));
                    glance.sender = address.contains('@').then(|| address.trim().chars().take(250).collect());
                }
                "subject" if glance.subject.is_empty() => glance.subject = value.chars().take(250).collect(),
                _ => {}
            }
        }
        glance
    }
}

impl Read {
    /// The bytes clerk has of the message: all of it, or only the header of one too large to fetch.
    pub fn raw(&self) -> &[u8] {
        raw_of(&self.fetched)
    }
}

/// Reads one message: its digest and its parse, with the parser's panics caught.
pub(super) fn read(fetched: Fetched) -> Read {
    let raw = raw_of(&fetched);
    let content_hash = crate::digest::sha256_hex(raw);
    let parsed = match catch_unwind(AssertUnwindSafe(|| Message::parse(raw))) {
        Ok(Ok(msg)) => Ok(msg),
        Ok(Err(e)) => Err(format!("cannot read the message: {e}")),
        Err(panic) => Err(format!("cannot read the message: {}", super::fault::panic_reason(&*panic))),
    };
    let glance = if parsed.is_ok() { Glance::default() } else { Glance::of(raw) };
    Read { fetched, content_hash, parsed, glance }
}

/// A message clerk does not parse (it stopped clerk before), with `why`.
pub(super) fn unread(fetched: Fetched, why: String) -> Read {
    let raw = raw_of(&fetched);
    let (content_hash, glance) = (crate::digest::sha256_hex(raw), Glance::of(raw));
    Read { fetched, content_hash, parsed: Err(why), glance }
}

fn raw_of(fetched: &Fetched) -> &[u8] {
    match &fetched.content {
        Content::Whole(raw) => raw,
        Content::TooLarge { header, .. } => header,
    }
}

/// Reads a batch on up to four threads (parsing is most of the CPU a message costs), in order.
pub(super) fn read_all(batch: Vec<Fetched>) -> Vec<Read> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    if threads < 2 || batch.len() < 32 {
        return batch.into_iter().map(read).collect();
    }
    let per_thread = batch.len().div_ceil(threads);
    let mut chunks: Vec<Vec<Fetched>> = Vec::with_capacity(threads);
    let mut rest = batch.into_iter();
    loop {
        let chunk: Vec<Fetched> = rest.by_ref().take(per_thread).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(read).collect::<Vec<_>>()))
            .collect();
        // `read` catches the parser's panics, so a worker only fails on a bug here; pass it on.
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glance_names_a_message_from_its_header_lines_alone() {
        let raw = b"Received: x\r\nFrom: \"Anna\" <anna@example.com>\r\nSubject: Broken\r\n\
                    Message-ID: <a1@example.com>\r\n\r\nFrom: not@header.example\r\n";
        let glance = Glance::of(raw);
        assert_eq!(glance.message_id.as_deref(), Some("a1@example.com"));
        assert_eq!(glance.sender.as_deref(), Some("anna@example.com"));
        assert_eq!(glance.subject, "Broken");
    }

    #[test]
    fn a_glance_at_bytes_that_are_no_message_finds_nothing() {
        assert_eq!(Glance::of(&[0xff; 100_000]), Glance::default());
    }
}
