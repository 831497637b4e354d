//! A store shared by the daemon's tasks.
//!
//! SQLite calls block, so they run on tokio's blocking pool; the mutex serialises writers (SQLite
//! allows one at a time anyway) and every call is short: a batch commit, a queue lookup.

use std::sync::{Arc, Mutex};

use super::Store;

/// A cloneable handle to one open [`Store`].
#[derive(Clone)]
pub struct Db(Arc<Mutex<Store>>);

impl Db {
    /// Shares `store` between tasks.
    pub fn new(store: Store) -> Db {
        Db(Arc::new(Mutex::new(store)))
    }

    /// Runs `f` with the store on the blocking pool and returns its result.
    pub async fn run<R, F>(&self, f: F) -> R
    where
        F: FnOnce(&mut Store) -> R + Send + 'static,
        R: Send + 'static,
    {
        let inner = self.0.clone();
        let task = tokio::task::spawn_blocking(move || {
            // A panic while holding the lock poisons it; the store itself stays consistent because
            // every change is a transaction, so carrying on with the inner value is safe.
            let mut store = inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut store)
        });
        match task.await {
            Ok(result) => result,
            Err(join) => std::panic::resume_unwind(join.into_panic()),
        }
    }

    /// Runs `f` on the calling thread; for command-line tools and tests outside a runtime.
    pub fn blocking<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut store = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut store)
    }
}

/// The SQL that writes one numbered row of `table`: a plain INSERT when the row is new (a taken number
/// then fails, rather than one ticket or order silently replacing another), otherwise an upsert that
/// updates the row in place. `columns` lists the table's columns, its key (`key` columns) first.
pub(super) fn numbered_row_sql(table: &str, columns: &str, key: usize, new: bool) -> String {
    let names: Vec<&str> = columns.split(',').map(str::trim).collect();
    let values: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    let insert = format!("INSERT INTO {table} ({columns}) VALUES ({})", values.join(", "));
    if new {
        return insert;
    }
    let set: Vec<String> = names.iter().skip(key).map(|c| format!("{c} = excluded.{c}")).collect();
    format!("{insert} ON CONFLICT ({}) DO UPDATE SET {}", names[..key].join(", "), set.join(", "))
}
