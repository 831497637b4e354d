//! Deciding and recording as one: an IMMEDIATE transaction around the reads a decision rests on and
//! the writes that record it.
//!
//! A decision reads the store (the highest ticket number, the bookings of an hour, the reply log) and
//! its record writes what was decided. Between the two, another connection (another folder's watcher,
//! a scheduled job, `clerk retry`) could commit the same number or book the same hour. `BEGIN
//! IMMEDIATE` takes SQLite's write lock before the first read, so what a decision read is still true
//! when it is recorded; other writers wait (the busy timeout) rather than interleave.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use super::{Store, StoreError};

impl Store {
    /// Runs `work` inside one IMMEDIATE transaction and commits what it wrote; an error or a panic
    /// rolls everything back. Writes inside `work` that open their own transaction use savepoints,
    /// so they become part of this one.
    pub fn immediate<T, E>(&mut self, work: impl FnOnce(&mut Store) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if !self.conn.is_autocommit() {
            // Left open by work that was abandoned half way: nothing of it was committed.
            self.conn.execute_batch("ROLLBACK").map_err(StoreError::from)?;
        }
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(StoreError::from)?;
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
            tracing::warn!(error = %e, "cannot roll back a transaction; the connection is reopened by its next use");
        }
    }
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
