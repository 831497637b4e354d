//! The journal: one row per message clerk has seen, and the transaction that applies a batch of
//! handled messages with all their effects.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, now};
use crate::effects::Effect;

/// Where a message was found and what identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    /// The configured mailbox name.
    pub mailbox: String,
    pub folder: String,
    /// The message's place in the folder: `UIDVALIDITY:UID` for IMAP, the unique file name for Maildir.
    pub item: String,
    pub message_id: Option<String>,
    /// Hex SHA-256 of the raw message: with the Message-ID it recognises the same mail seen again in
    /// another folder or after a UIDVALIDITY reset.
    pub content_hash: String,
    pub sender: Option<String>,
    pub subject: String,
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Classified and handled.
    Processed {
        rule: Option<String>,
        desk: Option<String>,
        desk_options: BTreeMap<String, String>,
        /// The remarks of the guard and the desks: why a reply was held back, what a desk noted (a
        /// ticket's command, a tag from a stranger), for the log and `status`.
        notes: Vec<String>,
    },
    /// The same message (Message-ID and content) was already handled: as journal row `of`, or (`None`)
    /// as a copy earlier in the same batch, whose row is written in the same transaction.
    Duplicate { of: Option<i64> },
    /// Larger than `max_message_size`: recorded and left alone, never fetched whole.
    TooLarge { size: u64 },
    /// Could not be read or handled; kept where it is and reported.
    Failed { error: String },
}

impl Verdict {
    fn status(&self) -> &'static str {
        match self {
            Verdict::Processed { .. } => "processed",
            Verdict::Duplicate { .. } => "duplicate",
            Verdict::TooLarge { .. } => "too_large",
            Verdict::Failed { .. } => "failed",
        }
    }
}

/// A message with its verdict and effects: the unit [`Store::record`] applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub entry: JournalEntry,
    pub verdict: Verdict,
    /// Applied with the journal row (a failed message may still be moved to quarantine).
    pub effects: Vec<Effect>,
    /// The message as received, kept with a failed message so that `clerk retry` can handle it again
    /// after a fix (it may have been moved to quarantine, or deleted, by then).
    pub kept: Option<Vec<u8>>,
}

/// The highest UID a batch covers, so the folder's position moves in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub mailbox: String,
    pub folder: String,
    pub uidvalidity: u32,
    pub last_uid: u32,
}

impl Store {
    /// Applies a batch of handled messages in one transaction: journal rows, outbox rows, pending
    /// mailbox changes, reply-log entries and (when given) the folder's new position. Either all of it
    /// is stored or none of it. A message already journaled (same mailbox, folder, item) is skipped with
    /// its effects, so recording the same batch twice changes nothing.
    /// Inside [`Store::immediate`] it becomes part of the decision's transaction.
    pub fn record(&mut self, batch: &[Handled], position: Option<&Position>) -> Result<()> {
        let tx = self.conn.savepoint()?;
        let at = now();
        for handled in batch {
            record_one(&tx, handled, at)?;
        }
        if let Some(p) = position {
            tx.execute(
                "UPDATE folders SET last_uid = max(last_uid, ?1)
                 WHERE mailbox = ?2 AND folder = ?3 AND uidvalidity = ?4",
                params![p.last_uid, p.mailbox, p.folder, p.uidvalidity],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether this exact place in a folder has been journaled already.
    pub fn is_journaled(&self, mailbox: &str, folder: &str, item: &str) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM messages WHERE mailbox = ?1 AND folder = ?2 AND item = ?3")?;
        Ok(stmt.query_row(params![mailbox, folder, item], |_| Ok(())).optional()?.is_some())
    }

    /// The journal row of an earlier message with the same Message-ID and content, if any.
    pub fn find_same_message(&self, message_id: Option<&str>, content_hash: &str) -> Result<Option<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT journal_id, message_id FROM identities WHERE content_hash = ?1")?;
        let found: Option<(i64, Option<String>)> =
            stmt.query_row(params![content_hash], |row| Ok((row.get(0)?, row.get(1)?))).optional()?;
        Ok(found.filter(|(_, id)| id.as_deref() == message_id).map(|(journal_id, _)| journal_id))
    }

    /// How many messages the journal holds per status, for `status` and tests.
    pub fn journal_counts(&self) -> Result<BTreeMap<String, i64>> {
        let mut stmt = self.conn.prepare("SELECT status, count(*) FROM messages GROUP BY status")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn record_one(tx: &Connection, handled: &Handled, at: i64) -> Result<()> {
    let e = &handled.entry;
    super::in_hand::strike_off(tx, &e.mailbox, &e.folder, &e.item)?;
    let (rule, desk, options, detail) = columns(&handled.verdict);
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO messages
           (mailbox, folder, item, message_id, content_hash, sender, subject, seen_at, status,
            rule, desk, desk_options, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            e.mailbox,
            e.folder,
            e.item,
            e.message_id,
            e.content_hash,
            e.sender,
            e.subject,
            at,
            handled.verdict.status(),
            rule,
            desk,
            options,
            detail
        ])?;
    if inserted == 0 {
        return Ok(());
    }
    let journal_id = tx.last_insert_rowid();
    if let (Verdict::Failed { .. }, Some(raw)) = (&handled.verdict, &handled.kept) {
        tx.prepare_cached("INSERT OR REPLACE INTO failed_mail (journal_id, raw) VALUES (?1, zeroblob(?2))")?
            .execute(params![journal_id, raw.len() as i64])?;
        super::outbox::write_raw(tx, "failed_mail", journal_id, raw)?;
    }
    if !matches!(handled.verdict, Verdict::Duplicate { .. }) {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO identities (content_hash, message_id, journal_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![e.content_hash, e.message_id, journal_id])?;
    }
    for effect in &handled.effects {
        apply(tx, Cause::Message { journal_id, entry: e }, effect, at)?;
    }
    Ok(())
}

/// The journal columns a verdict fills: rule, desk, desk options (JSON) and detail.
fn columns(verdict: &Verdict) -> (Option<String>, Option<String>, Option<String>, Option<String>) {
    match verdict {
        Verdict::Processed { rule, desk, desk_options, notes, .. } => (
            rule.clone(),
            desk.clone(),
            (!desk_options.is_empty()).then(|| serde_json::to_string(desk_options).unwrap_or_default()),
            (!notes.is_empty()).then(|| notes.join("; ")),
        ),
        Verdict::Duplicate { of: Some(of) } => {
            (None, None, None, Some(format!("same message as journal entry {of}")))
        }
        Verdict::Duplicate { of: None } => {
            (None, None, None, Some("same message as a copy that arrived with it".to_owned()))
        }
        Verdict::TooLarge { size } => (None, None, None, Some(format!("{size} bytes"))),
        Verdict::Failed { error } => (None, None, None, Some(error.clone())),
    }
}

/// A failed message whose text was kept, as `clerk retry` takes it up again (the text itself is read
/// with [`Store::failed_text`] when its turn comes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedMail {
    pub journal_id: i64,
    pub entry: JournalEntry,
    /// The folder it was moved to (quarantine), or is about to be, if any; its moves and flags no longer
    /// apply.
    pub moved_to: Option<String>,
}

impl Store {
    /// Failed messages whose text was kept, oldest first: those of `ids`, or all when `ids` is empty.
    pub fn failed_mail(&self, ids: &[i64]) -> Result<Vec<FailedMail>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.id, m.mailbox, m.folder, m.item, m.message_id, m.content_hash, m.sender, m.subject,
                    (SELECT arg FROM mailbox_ops o WHERE o.journal_id = m.id AND o.op = 'move'
                       AND o.status IN ('done', 'pending') ORDER BY o.id DESC LIMIT 1)
             FROM messages m JOIN failed_mail f ON f.journal_id = m.id
             WHERE m.status = 'failed' AND (?1 = 0 OR m.id IN (SELECT value FROM json_each(?2)))
             ORDER BY m.id",
        )?;
        let wanted = serde_json::to_string(ids).map_err(|e| super::StoreError::Json(e.to_string()))?;
        let rows = stmt.query_map(params![ids.len() as i64, wanted], |row| {
            Ok(FailedMail {
                journal_id: row.get(0)?,
                entry: JournalEntry {
                    mailbox: row.get(1)?,
                    folder: row.get(2)?,
                    item: row.get(3)?,
                    message_id: row.get(4)?,
                    content_hash: row.get(5)?,
                    sender: row.get(6)?,
                    subject: row.get(7)?,
                },
                moved_to: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Forgets the kept text of messages that failed over `days` days ago: a retry is for the fix that
    /// follows a failure, and a month of spam that cannot be parsed should not fill the disk.
    pub fn forget_old_failed_texts(&mut self, days: i64) -> Result<usize> {
        Ok(self.conn.execute(
            "DELETE FROM failed_mail WHERE journal_id IN (SELECT id FROM messages WHERE seen_at < ?1)",
            params![now() - days * 86_400],
        )?)
    }

    /// The kept text of the message `journal_id`, if it is still failed.
    pub fn failed_text(&self, journal_id: i64) -> Result<Option<Vec<u8>>> {
        let still_failed = self
            .conn
            .prepare_cached(
                "SELECT 1 FROM failed_mail f JOIN messages m ON m.id = f.journal_id
                 WHERE f.journal_id = ?1 AND m.status = 'failed'",
            )?
            .exists(params![journal_id])?;
        if !still_failed {
            return Ok(None);
        }
        Ok(Some(super::outbox::read_raw(&self.conn, "failed_mail", journal_id)?))
    }

    /// Records what retrying the failed message `journal_id` gave, with its effects, but only if it
    /// is still failed: however many retries run at once, one is recorded. Returns whether this one
    /// was. Inside [`Store::immediate`] it joins the decision's transaction.
    pub fn record_retry(&mut self, journal_id: i64, handled: &Handled) -> Result<bool> {
        let tx = self.conn.savepoint()?;
        let at = now();
        let (rule, desk, options, detail) = columns(&handled.verdict);
        let updated = tx
            .prepare_cached(
                "UPDATE messages SET status = ?2, rule = ?3, desk = ?4, desk_options = ?5, detail = ?6
                 WHERE id = ?1 AND status = 'failed'",
            )?
            .execute(params![journal_id, handled.verdict.status(), rule, desk, options, detail])?;
        if updated == 0 {
            return Ok(false);
        }
        if !matches!(handled.verdict, Verdict::Failed { .. }) {
            tx.prepare_cached("DELETE FROM failed_mail WHERE journal_id = ?1")?
                .execute(params![journal_id])?;
        }
        if matches!(handled.verdict, Verdict::Processed { .. }) {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO identities (content_hash, message_id, journal_id) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![
                handled.entry.content_hash,
                handled.entry.message_id,
                journal_id
            ])?;
        }
        for effect in &handled.effects {
            apply(&tx, Cause::Message { journal_id, entry: &handled.entry }, effect, at)?;
        }
        tx.commit()?;
        Ok(true)
    }
}

/// What an effect comes from: a message (journaled, in a folder), or a scheduled job's run.
#[derive(Clone, Copy)]
pub(super) enum Cause<'a> {
    Message { journal_id: i64, entry: &'a JournalEntry },
    Schedule,
}

/// Applies one effect inside the caller's transaction: the one place any effect, of a message or of a
/// scheduled run, reaches the database.
pub(super) fn apply(tx: &Connection, cause: Cause<'_>, effect: &Effect, at: i64) -> Result<()> {
    let journal_id = match cause {
        Cause::Message { journal_id, .. } => Some(journal_id),
        Cause::Schedule => None,
    };
    match effect {
        Effect::Send { kind, rule, mail } => {
            let recipients = serde_json::to_string(&mail.recipients).unwrap_or_else(|_| "[]".into());
            // OR IGNORE: the Message-ID is derived from the message and the rule, so the same reply
            // queued twice (the same mail delivered to two folders) is queued once.
            let queued = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO outbox
                   (message_id, journal_id, kind, rule, envelope_from, recipients, raw,
                    next_attempt_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, zeroblob(?7), ?8, ?8)",
                )?
                .execute(params![
                    mail.message_id,
                    journal_id,
                    kind.as_str(),
                    rule,
                    mail.envelope_from,
                    recipients,
                    mail.raw.len() as i64,
                    at
                ])?;
            if queued == 1 {
                super::outbox::write_raw(tx, "outbox", tx.last_insert_rowid(), &mail.raw)?;
            }
        }
        Effect::Move { folder } => queue_op(tx, cause, "move", folder, at)?,
        Effect::Flag { flags } => queue_op(tx, cause, "flag", &flags.join(" "), at)?,
        Effect::NoteReply { sender, rule } => {
            tx.prepare_cached(
                "INSERT INTO reply_log (sender, rule, last_sent_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (sender, rule) DO UPDATE SET last_sent_at = excluded.last_sent_at",
            )?
            .execute(params![sender.to_lowercase(), rule, at])?;
        }
        Effect::PutEvent(event) => super::events::put_event(tx, event)?,
        Effect::PutProposal(proposal) => super::proposals::put_proposal(tx, proposal)?,
        Effect::CloseProposal { message_id } => super::proposals::close_proposal(tx, message_id)?,
        Effect::PutCounter(counter) => super::proposals::put_counter(tx, counter)?,
        Effect::CloseCounter { message_id } => super::proposals::close_counter(tx, message_id)?,
        Effect::Ticket(change) => super::tickets::put_ticket(tx, change, journal_id)?,
        Effect::Supply(change) => super::supply::put_supply(tx, change, journal_id)?,
        Effect::Planning(change) => super::planning::put_planning(tx, change)?,
        Effect::FollowedUp { message_id } => {
            tx.prepare_cached("UPDATE proposals SET followed_up_at = ?2 WHERE message_id = ?1")?
                .execute(params![message_id, at])?;
        }
        Effect::Escalated { ticket, level } => {
            tx.prepare_cached("UPDATE tickets SET escalation = max(escalation, ?2) WHERE number = ?1")?
                .execute(params![ticket.0, level])?;
        }
    }
    Ok(())
}

/// Queues a move or flag of the message `cause` names; a scheduled run has no message to move.
fn queue_op(tx: &Connection, cause: Cause<'_>, op: &'static str, arg: &str, at: i64) -> Result<()> {
    let Cause::Message { journal_id, entry: e } = cause else {
        return Err(super::StoreError::NoMessage(op));
    };
    tx.prepare_cached(
        "INSERT INTO mailbox_ops (journal_id, mailbox, folder, item, op, arg, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![journal_id, e.mailbox, e.folder, e.item, op, arg, at])?;
    Ok(())
}

/// A journal row as `status` and the demo show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRow {
    pub id: i64,
    pub mailbox: String,
    pub sender: Option<String>,
    pub subject: String,
    pub status: String,
    pub rule: Option<String>,
    pub desk: Option<String>,
    pub detail: Option<String>,
}

impl Store {
    /// Journal rows after `after_id`, oldest first.
    pub fn journal_after(&self, after_id: i64) -> Result<Vec<JournalRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, mailbox, sender, subject, status, rule, desk, detail FROM messages WHERE id > ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![after_id], |row| {
            Ok(JournalRow {
                id: row.get(0)?,
                mailbox: row.get(1)?,
                sender: row.get(2)?,
                subject: row.get(3)?,
                status: row.get(4)?,
                rule: row.get(5)?,
                desk: row.get(6)?,
                detail: row.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
