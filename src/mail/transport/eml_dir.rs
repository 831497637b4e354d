//! Delivery as files: each mail written as an `.eml` into the outbox directory, named for what it is
//! (when, what kind, to whom, about what), with its envelope beside it, for clerk running embedded
//! without a mail server (and for `clerk demo`), where whoever reads the directory takes the mail on.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{SendError, TransportError};
use crate::durable::{self, sync_dir, write_atomically};
use crate::mail::compose::OutboundMail;
use crate::mail::message::Message;

/// Longest file stem the directory transport uses, so `.<stem>.envelope.json.<n>.<n>.tmp` stays well
/// within the usual 255-byte file name limit.
pub(super) const MAX_FILE_STEM: usize = 160;

/// Writes each mail as `<dir>/<name>.eml` with its envelope beside it as `<name>.envelope.json`
/// (`{"mail_from": "…" or null, "rcpt_to": […]}`). The name says what the mail is, so a person
/// finds it with `ls` (see [`file_stem`]): `20261207-101500_reply_anna@example.com_Re-Chairs-1042-9_3f2a9c1b`.
///
/// The `.eml` is a clean RFC 5322 file any mail client opens; the envelope cannot live inside it, hence
/// the sibling. Both appear atomically (written to a hidden `.…tmp` name in the same directory, fsynced,
/// renamed), and the envelope is renamed into place first, so whoever sees an `.eml` also finds its
/// envelope. A crash in between leaves an envelope without `.eml`, which readers ignore and the retry
/// overwrites. Delivery is idempotent: the name comes from the mail's stored bytes, its kind and its
/// Message-ID alone, so a second send of the same outbox row (after a kill -9, say) finds its `.eml`
/// and changes nothing.
#[derive(Debug, Clone)]
pub struct DirectoryTransport {
    dir: PathBuf,
}

impl DirectoryTransport {
    /// Creates `dir` if missing; see [`Transport::directory`](super::Transport::directory).
    pub(super) fn create(dir: PathBuf) -> Result<DirectoryTransport, TransportError> {
        fs::create_dir_all(&dir).map_err(|source| TransportError::Directory { path: dir.clone(), source })?;
        Ok(DirectoryTransport { dir })
    }

    pub(super) async fn send(&self, kind: &str, mail: &OutboundMail) -> Result<(), SendError> {
        let dir = self.dir.clone();
        let mail = mail.clone();
        let kind = kind.to_owned();
        tokio::task::spawn_blocking(move || deliver_to_directory(&dir, &kind, &mail))
            .await
            .map_err(|e| SendError::Transient(format!("writing the mail was interrupted: {e}")))?
    }
}

/// See [`DirectoryTransport`] for the file layout and the ordering guarantees.
fn deliver_to_directory(dir: &Path, kind: &str, mail: &OutboundMail) -> Result<(), SendError> {
    let failed =
        |path: &Path, e: io::Error| SendError::Transient(format!("writing {} failed: {e}", path.display()));
    fs::create_dir_all(dir).map_err(|e| failed(dir, e))?;
    let stem = file_stem(kind, mail);
    let eml_name = format!("{stem}.eml");
    let eml_path = dir.join(&eml_name);
    if eml_path.try_exists().map_err(|e| failed(&eml_path, e))? {
        return Ok(());
    }

    let envelope_name = format!("{stem}.envelope.json");
    let mut envelope = serde_json::to_vec_pretty(&serde_json::json!({
        "mail_from": mail.envelope_from,
        "rcpt_to": mail.recipients,
    }))
    .map_err(|e| failed(&dir.join(&envelope_name), e.into()))?;
    envelope.push(b'\n');
    write_atomically(dir, &envelope_name, &envelope, durable::SHARED)
        .and_then(|()| sync_dir(dir))
        .map_err(|e| failed(&dir.join(&envelope_name), e))?;
    write_atomically(dir, &eml_name, &mail.raw, durable::SHARED)
        .and_then(|()| sync_dir(dir))
        .map_err(|e| failed(&eml_path, e))
}

/// The most bytes of a mail read for its name: its header section is at the top.
const HEADER_BYTES: usize = 64 * 1024;

/// The name of a mail's files, without the extension: `TIME_KIND_RECIPIENT_SUBJECT_ID`, where TIME is
/// its Date in UTC (`20261207-101500`), KIND what the outbox calls it (`reply`, `forward`, `notice`,
/// `calendar`), RECIPIENT its first envelope recipient, SUBJECT its decoded subject shortened, and ID
/// eight hex digits of a hash of its Message-ID, which keeps two mails of one second, kind, recipient
/// and subject apart. Only letters, digits and `@.+-` are kept within a part (anything else becomes
/// `-`), so no name reaches outside the directory, hides, or holds a space.
pub(super) fn file_stem(kind: &str, mail: &OutboundMail) -> String {
    let head = mail.raw.get(..HEADER_BYTES).unwrap_or(&mail.raw);
    let end = find(head, b"\r\n\r\n").or_else(|| find(head, b"\n\n")).map_or(head.len(), |at| at + 2);
    let read = Message::parse(&head[..end]).ok();
    let time = read
        .as_ref()
        .and_then(|m| m.date)
        .map_or_else(|| "undated".to_owned(), |d| d.to_utc().format("%Y%m%d-%H%M%S").to_string());
    let subject = read.as_ref().map(|m| m.subject.as_str()).unwrap_or_default();
    let recipient = mail.recipients.first().map(String::as_str).unwrap_or_default();
    let id = crate::digest::sha256_hex_prefix(mail.message_id.as_bytes(), 4);
    let before = format!("{time}_{}_{}_", part(kind, 12, "mail"), part(recipient, 64, "nobody"));
    let room = MAX_FILE_STEM.saturating_sub(before.len() + 1 + id.len()).min(SUBJECT_BYTES);
    format!("{before}{}_{id}", part(subject, room, "no-subject"))
}

/// The most bytes of the subject in a name: enough to tell mails apart at a glance.
const SUBJECT_BYTES: usize = 48;

/// `text` as one part of a file name: letters, digits and `@.+-` kept, runs of anything else one `-`,
/// at most `most` bytes, never starting or ending with `.` or `-`; `empty` when nothing is left.
fn part(text: &str, most: usize, empty: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = if c.is_alphanumeric() || matches!(c, '@' | '.' | '+') { c } else { '-' };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        if out.len() + c.len_utf8() > most {
            break;
        }
        out.push(c);
    }
    let out = out.trim_matches(['-', '.']);
    if out.is_empty() { empty.to_owned() } else { out.to_owned() }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
