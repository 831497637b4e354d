//! Scheduled jobs in the store: the last cron slot each `[[schedule]]` handled, and a run recorded in
//! the same transaction as the mail it queues, so a slot runs once whatever crashes.

use rusqlite::{OptionalExtension, params};

use super::journal::Cause;
use super::{Result, Store, now};
use crate::effects::Effect;

impl Store {
    /// The last slot (unix seconds) the schedule `name` handled, if it has been seen before.
    pub fn last_slot(&self, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT last_slot FROM schedule_runs WHERE name = ?1", params![name], |row| row.get(0))
            .optional()?)
    }

    /// When the schedule `name` last really ran (unix seconds), if ever.
    pub fn last_ran(&self, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT ran_at FROM schedule_runs WHERE name = ?1", params![name], |row| row.get(0))
            .optional()?
            .flatten())
    }

    /// Records that `name` handled `slot`: with `ran`, that it ran, applying the run's `effects` (the
    /// mail it queues, what it changed) in the same transaction, as a message's are; without, that the
    /// slot was passed over (first sight, or a missed run not caught up).
    pub fn record_run(&mut self, name: &str, slot: i64, ran: bool, effects: &[Effect]) -> Result<()> {
        let tx = self.conn.savepoint()?;
        let at = now();
        for effect in effects {
            super::journal::apply(&tx, Cause::Schedule, effect, at)?;
        }
        tx.execute(
            "INSERT INTO schedule_runs (name, last_slot, ran_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET last_slot = excluded.last_slot,
                 ran_at = coalesce(excluded.ran_at, ran_at)",
            params![name, slot, ran.then_some(at)],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Messages handled since `since` (unix seconds), by desk and rule (`-` for none), most first.
    pub fn handled_per_rule(&self, since: i64) -> Result<Vec<(String, String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT coalesce(desk, '-'), coalesce(rule, '-'), count(*) FROM messages
             WHERE status = 'processed' AND seen_at >= ?1 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
        )?;
        let rows = stmt.query_map(params![since], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
