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
