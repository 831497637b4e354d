//! Deciding and recording as one, without letting a slow decision hold the database.
//!
//! A decision reads the store (the highest ticket number, the bookings of an hour, the reply log) and
//! its record writes what was decided. Between the two, another connection (another folder's watcher,
//! a scheduled job, `clerk retry`) could record the same number or book the same hour.
//!
//! Holding SQLite's write lock from the first read would prevent that, but then a message that takes
//! long to decide (or never finishes) would keep every other writer waiting: the outbox could not mark
//! a mail sent, another folder could not record anything. So [`Store::decide_and_record`] decides on a
//! read snapshot, without the lock, notes the *decision clock* (a counter every recorded decision
//! moves), and records under the lock (`BEGIN IMMEDIATE`) only if the clock has not moved; if it has,
//! it decides again under the lock, where nothing can move it, and records that. Writes that are not
//! decisions (the outbox's progress, a watcher's status) do not move the clock, so they never make a
//! batch decide twice.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use rusqlite::{Connection, ErrorCode};

use super::{Store, StoreError};

impl StoreError {
    /// Another connection held the database longer than the busy timeout: worth trying again, never
    /// a reason to give up on a message.
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Sqlite(e)
            if matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)))
    }
}

impl Store {
    /// Decides with `decide` on a snapshot of the store, then records with `record` in one IMMEDIATE
    /// transaction, deciding again there first if another decision was recorded in between. `decide`
    /// runs once, or twice in that case.
    pub fn decide_and_record<D, R, E>(
        &mut self,
        mut decide: impl FnMut(&Store) -> Result<D, E>,
        record: impl FnOnce(&mut Store, D) -> Result<R, E>,
    ) -> Result<R, E>
    where
        E: From<StoreError>,
    {
        let (seen, decided) = self.transaction("BEGIN", |store| -> Result<(i64, D), E> {
            let seen = decision_clock(&store.conn)?;
            Ok((seen, decide(store)?))
        })?;
        self.immediate(|store| {
            let decided = if decision_clock(&store.conn)? == seen { decided } else { decide(store)? };
            move_decision_clock(&store.conn)?;
            record(store, decided)
        })
    }

    /// Runs `work` inside one IMMEDIATE transaction and commits what it wrote; an error or a panic
    /// rolls everything back. Writes inside `work` that open their own transaction use savepoints,
    /// so they become part of this one. For work that decides too, the decision clock is moved (see
    /// [`Store::decide_and_record`]).
    pub fn immediate<T, E>(&mut self, work: impl FnOnce(&mut Store) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        self.transaction("BEGIN IMMEDIATE", work)
    }

    /// [`Store::immediate`] for work that decides under the lock from the start (a scheduled job: quick,
    /// and written by no sender), moving the decision clock.
    pub fn decide_under_lock<T, E>(&mut self, work: impl FnOnce(&mut Store) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        self.immediate(|store| {
            move_decision_clock(&store.conn)?;
            work(store)
        })
    }

    fn transaction<T, E>(
        &mut self,
        begin: &str,
        work: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if !self.conn.is_autocommit() {
            return Err(StoreError::Nested.into());
        }
        self.conn.execute_batch(begin).map_err(StoreError::from)?;
        match catch_unwind(AssertUnwindSafe(|| work(self))) {
            Ok(Ok(value)) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => Ok(value),
                Err(e) => {
                    self.roll_back();
                    Err(StoreError::from(e).into())
                }
            },
            Ok(Err(e)) => {
                self.roll_back();
                Err(e)
            }
            Err(panic) => {
                self.roll_back();
                resume_unwind(panic)
            }
        }
    }

    fn roll_back(&mut self) {
        if !self.conn.is_autocommit()
            && let Err(e) = self.conn.execute_batch("ROLLBACK")
        {
            // SQLite rolls back itself when the statement that failed was the COMMIT of a full disk;
            // anything else left open is refused by the next transaction as nested.
            tracing::warn!(error = %e, "cannot roll back a transaction");
        }
    }
}

/// The decision clock's reading.
fn decision_clock(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.prepare_cached("SELECT n FROM decision_clock WHERE id = 0")?.query_row([], |row| row.get(0))?)
}

/// Moves the decision clock, in the transaction that records a decision or changes what decisions
/// read (a stock count, a reset reply limit).
pub(super) fn move_decision_clock(conn: &Connection) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE decision_clock SET n = n + 1 WHERE id = 0")?.execute([])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(store: &Store) -> i64 {
        store.conn.query_row("SELECT count(*) FROM reply_log", [], |row| row.get(0)).unwrap_or(-1)
    }

    fn note(store: &Store, sender: &str) {
        store
            .conn
            .execute("INSERT INTO reply_log (sender, rule, last_sent_at) VALUES (?1, 'r', 1)", [sender])
            .expect("insert");
    }

    #[test]
    fn what_the_work_wrote_is_committed_when_it_succeeds() {
        let mut store = Store::open_in_memory().expect("store");
        store
            .immediate(|s| {
                note(s, "a@example.com");
                Ok::<_, StoreError>(())
            })
            .expect("commit");
        assert_eq!(count(&store), 1);
    }

    #[test]
    fn an_error_rolls_back_everything_the_work_wrote() {
        let mut store = Store::open_in_memory().expect("store");
        let result = store.immediate(|s| {
            note(s, "a@example.com");
            Err::<(), _>(StoreError::Json("no".into()))
        });
        assert!(result.is_err());
        assert_eq!(count(&store), 0);
    }

    #[test]
    fn a_panic_rolls_back_and_leaves_the_connection_usable() {
        let mut store = Store::open_in_memory().expect("store");
        let panicked = catch_unwind(AssertUnwindSafe(|| {
            store.immediate(|s| -> Result<(), StoreError> {
                note(s, "a@example.com");
                panic!("in the middle of a decision")
            })
        }));
        assert!(panicked.is_err());
        assert_eq!(count(&store), 0);
        store
            .immediate(|s| {
                note(s, "b@example.com");
                Ok::<_, StoreError>(())
            })
            .expect("the next transaction");
        assert_eq!(count(&store), 1);
    }

    #[test]
    fn a_second_writer_waits_for_the_decision_to_be_recorded() {
        let dir = std::env::temp_dir().join(format!("clerk-immediate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("clerk.db");
        let mut first = Store::open(&path).expect("first");
        let mut second = Store::open(&path).expect("second");
        second.conn.busy_timeout(std::time::Duration::from_millis(50)).expect("timeout");
        first
            .immediate(|s| {
                let _ = count(s);
                let blocked = second.immediate(|s2| {
                    note(s2, "b@example.com");
                    Ok::<_, StoreError>(())
                });
                assert!(blocked.is_err(), "another connection cannot write while a decision is open");
                note(s, "a@example.com");
                Ok::<_, StoreError>(())
            })
            .expect("commit");
        assert_eq!(count(&second), 1);
        std::fs::remove_dir_all(&dir).ok();
    }
}
