//! Moves whose outcome is unknown. A `UID MOVE` is recorded as sent before it is sent; when clerk
//! crashes or the connection drops before the answer is recorded, the server may have moved the
//! messages, left them, or half moved them: Dovecot copies first and removes the originals after, and a
//! client that disconnects in between leaves a message in both folders. Sending the MOVE again would
//! then file the message twice.
//!
//! So before such a move is sent again, the destination is searched for a byte-identical copy (the
//! journaled Message-ID and SHA-256). Where one is there, only the original is removed from the source,
//! by UID (`UID EXPUNGE` touches no other message); every other message is moved again. A message is
//! never removed unless its identical copy is in the destination.
//!
//! The destination is searched at once, and the messages found there settled without delay (a copy a
//! search finds is complete, whatever the old command still does). Only the messages without a copy
//! wait [`SETTLE`] and are searched for again before they are moved again: only for them does it matter
//! whether the server is still at work on the old command. The folder handles its new mail before this
//! ([`super::folder`]), so a doubtful move never keeps a start from making progress.

use std::collections::HashSet;
use std::time::Duration;

use futures::TryStreamExt;
use tracing::{debug, info, warn};

use super::folder::{FolderWatch, timed};
use super::{ImapError, ImapSession, connect, uid_set};
use crate::store::MovedMessage;

/// How long clerk waits before searching the destination of an unanswered MOVE again, for messages
/// it did not find there at first: the server may still be carrying out the command its vanished client
/// sent (Dovecot finishes or abandons it at its next read or write).
pub const SETTLE: Duration = Duration::from_secs(3);

/// Message-IDs per search command (a nested `OR`).
const SEARCH_CHUNK: usize = 20;

/// Settles the moves into `destination` (its name on the server) that were sent without an answer,
/// `doubtful` holding each one's operation id and source UID. Those whose copy is in the destination
/// are removed from the source (on `session`, which has the source selected) and recorded as done; the
/// rest are returned, to be moved again.
pub async fn settle_doubtful(
    session: &mut ImapSession,
    watch: &FolderWatch,
    destination: &str,
    doubtful: Vec<(i64, u32)>,
) -> Result<Vec<(i64, u32)>, ImapError> {
    info!(mailbox = %watch.mailbox, folder = %watch.folder, destination, count = doubtful.len(),
          "a move was interrupted; looking for its messages in the destination before moving them again");
    if !timed("asking for capabilities", session.capabilities()).await?.has_str("UIDPLUS") {
        warn!(mailbox = %watch.mailbox, destination,
              "the server lacks UIDPLUS, so an original cannot be removed alone; moving again, which may file a message twice");
        // Without a search to settle anything, only the wait keeps the old command and the new one
        // from both copying.
        tokio::time::sleep(SETTLE).await;
        return Ok(doubtful);
    }
    let missing = remove_copied(session, watch, destination, doubtful).await?;
    if missing.is_empty() {
        return Ok(missing);
    }
    // From now, not from the sending: after a command that timed out, the server may be working on it
    // still, however long ago it was sent.
    debug!(mailbox = %watch.mailbox, destination, count = missing.len(),
           "no copy yet; waiting for the server to finish the old command before looking again");
    tokio::time::sleep(SETTLE).await;
    remove_copied(session, watch, destination, missing).await
}

/// Removes from the source the originals of `doubtful` whose identical copy is in `destination`, and
/// records their moves as done; returns the others.
async fn remove_copied(
    session: &mut ImapSession,
    watch: &FolderWatch,
    destination: &str,
    doubtful: Vec<(i64, u32)>,
) -> Result<Vec<(i64, u32)>, ImapError> {
    let ids: Vec<i64> = doubtful.iter().map(|d| d.0).collect();
    let moved = watch.db.run(move |store| store.moved_messages(&ids)).await?;
    let copies = copies_in(watch, destination, &moved).await?;
    let filed: HashSet<i64> =
        moved.iter().filter(|m| copies.contains(&m.content_hash)).map(|m| m.op_id).collect();
    let (done, again): (Vec<_>, Vec<_>) = doubtful.into_iter().partition(|d| filed.contains(&d.0));
    if !done.is_empty() {
        let set = uid_set(&done.iter().map(|d| d.1).collect::<Vec<_>>());
        timed("marking originals deleted", async {
            session.uid_store(&set, "+FLAGS.SILENT (\\Deleted)").await?.try_collect::<Vec<_>>().await
        })
        .await?;
        timed("removing originals", async { session.uid_expunge(&set).await?.try_collect::<Vec<_>>().await })
            .await?;
        let ids: Vec<i64> = done.iter().map(|d| d.0).collect();
        watch.db.run(move |store| store.finish_ops(&ids)).await?;
        info!(mailbox = %watch.mailbox, folder = %watch.folder, destination, count = done.len(),
              "the interrupted move had copied these; removed the originals");
    }
    Ok(again)
}

/// The digests of the messages in `destination` that carry one of `moved`'s Message-IDs, looked up on a
/// connection of their own so the watching one keeps its folder selected.
async fn copies_in(
    watch: &FolderWatch,
    destination: &str,
    moved: &[MovedMessage],
) -> Result<HashSet<String>, ImapError> {
    let keys: Vec<String> = moved.iter().filter_map(|m| search_key(m.message_id.as_deref()?)).collect();
    let mut digests = HashSet::new();
    if keys.is_empty() {
        return Ok(digests);
    }
    let mut session = connect(&watch.account).await?;
    match timed("examining the destination", session.examine(destination)).await {
        Ok(_) => {}
        // No such folder yet: nothing was copied into it.
        Err(ImapError::Imap(async_imap::error::Error::No(_))) => return Ok(digests),
        Err(e) => return Err(e),
    }
    for chunk in keys.chunks(SEARCH_CHUNK) {
        let query = format!("NOT LARGER {} {}", watch.max_message_size, any_message_id(chunk));
        let hits: Vec<u32> =
            timed("searching the destination", session.uid_search(&query)).await?.into_iter().collect();
        if hits.is_empty() {
            continue;
        }
        let fetched: Vec<_> = timed("fetching possible copies", async {
            session.uid_fetch(uid_set(&hits), "(UID BODY.PEEK[])").await?.try_collect().await
        })
        .await?;
        digests.extend(fetched.iter().filter_map(|f| f.body()).map(crate::digest::sha256_hex));
    }
    session.logout().await.ok();
    Ok(digests)
}

/// A Message-ID as an IMAP search string; `None` for one that cannot be sent as a quoted ASCII string
/// (its message is then simply moved again).
fn search_key(message_id: &str) -> Option<String> {
    if message_id.is_empty() || !message_id.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return None;
    }
    Some(format!("\"{}\"", message_id.replace('\\', "\\\\").replace('"', "\\\"")))
}

/// One search key matching a message whose Message-ID header contains any of `keys`.
fn any_message_id(keys: &[String]) -> String {
    let mut query = String::new();
    for (i, key) in keys.iter().enumerate() {
        if i + 1 < keys.len() {
            query.push_str("OR ");
        }
        query.push_str("HEADER Message-ID ");
        query.push_str(key);
        query.push(' ');
    }
    query.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_quoted_for_searching() {
        assert_eq!(search_key("a\"b\\c@x").as_deref(), Some(r#""a\"b\\c@x""#));
        assert_eq!(search_key("plain@example.test").as_deref(), Some("\"plain@example.test\""));
    }

    #[test]
    fn message_ids_that_cannot_be_searched_are_left_out() {
        assert_eq!(search_key("zürich@example.test"), None);
        assert_eq!(search_key("a\r\nb"), None);
        assert_eq!(search_key(""), None);
    }

    #[test]
    fn several_message_ids_make_one_nested_or() {
        let keys = vec!["\"a\"".to_string(), "\"b\"".to_string(), "\"c\"".to_string()];
        assert_eq!(
            any_message_id(&keys),
            "OR HEADER Message-ID \"a\" OR HEADER Message-ID \"b\" HEADER Message-ID \"c\""
        );
        assert_eq!(any_message_id(&keys[..1]), "HEADER Message-ID \"a\"");
    }
}
