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
}

impl Read {
    /// The bytes clerk has of the message: all of it, or only the header of one too large to fetch.
    pub fn raw(&self) -> &[u8] {
        match &self.fetched.content {
            Content::Whole(raw) => raw,
            Content::TooLarge { header, .. } => header,
        }
    }
}

fn read(fetched: Fetched) -> Read {
    let raw = match &fetched.content {
        Content::Whole(raw) => raw.as_slice(),
        Content::TooLarge { header, .. } => header.as_slice(),
    };
    let content_hash = crate::digest::sha256_hex(raw);
    let parsed = match catch_unwind(AssertUnwindSafe(|| Message::parse(raw))) {
        Ok(Ok(msg)) => Ok(msg),
        Ok(Err(e)) => Err(format!("cannot read the message: {e}")),
        Err(panic) => Err(format!("cannot read the message: {}", super::fault::panic_reason(&*panic))),
    };
    Read { fetched, content_hash, parsed }
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
