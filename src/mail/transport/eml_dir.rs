//! Delivery as files: each mail written as an `.eml` named after its Message-ID into the outbox
//! directory, with its envelope beside it, for clerk running embedded without a mail server (and for
//! `clerk demo`), where whoever reads the directory takes the mail on.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{SendError, TransportError};
use crate::durable::{self, sync_dir, write_atomically};
use crate::mail::compose::OutboundMail;

/// Longest file stem the directory transport uses, so `.<stem>.envelope.json.<n>.<n>.tmp` stays well
/// within the usual 255-byte file name limit.
pub(super) const MAX_FILE_STEM: usize = 160;

/// Writes each mail as `<dir>/<message-id>.eml` with its envelope beside it as
/// `<message-id>.envelope.json` (`{"mail_from": "…" or null, "rcpt_to": […]}`).
///
/// The `.eml` is a clean RFC 5322 file any mail client opens; the envelope cannot live inside it, hence
/// the sibling. Both appear atomically (written to a hidden `.…tmp` name in the same directory, fsynced,
/// renamed), and the envelope is renamed into place first, so whoever sees an `.eml` also finds its
/// envelope. A crash in between leaves an envelope without `.eml`, which readers ignore and the retry
/// overwrites. Delivery is idempotent by Message-ID: a second send of a mail whose `.eml` exists
/// changes nothing.
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

    pub(super) async fn send(&self, mail: &OutboundMail) -> Result<(), SendError> {
        let dir = self.dir.clone();
        let mail = mail.clone();
        tokio::task::spawn_blocking(move || deliver_to_directory(&dir, &mail))
            .await
            .map_err(|e| SendError::Transient(format!("writing the mail was interrupted: {e}")))?
    }
}

/// See [`DirectoryTransport`] for the file layout and the ordering guarantees.
fn deliver_to_directory(dir: &Path, mail: &OutboundMail) -> Result<(), SendError> {
    let failed =
        |path: &Path, e: io::Error| SendError::Transient(format!("writing {} failed: {e}", path.display()));
    fs::create_dir_all(dir).map_err(|e| failed(dir, e))?;
    let stem = file_stem(&mail.message_id);
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

/// A file name for a Message-ID: the id itself when it is made of safe characters, otherwise the id with
/// unsafe characters replaced plus a hash of the real id, so two different ids never share a file and
/// no id can name a path outside the directory or a hidden file.
pub(super) fn file_stem(message_id: &str) -> String {
    let safe: String = message_id
        .chars()
        .enumerate()
        .map(|(at, c)| {
            let allowed =
                c.is_ascii_alphanumeric() || matches!(c, '@' | '-' | '_' | '+' | '=') || (c == '.' && at > 0);
            if allowed { c } else { '_' }
        })
        .collect();
    if safe == message_id && !safe.is_empty() && safe.len() <= MAX_FILE_STEM {
        return safe;
    }
    let hash = crate::digest::sha256_hex_prefix(message_id.as_bytes(), 8);
    let kept = safe.get(..MAX_FILE_STEM.min(safe.len())).unwrap_or_default();
    format!("{kept}-{hash}")
}
