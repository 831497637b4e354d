//! Test support: real mail servers on loopback for clerk's integration tests.
//!
//! Include it from an integration test with `mod support;`. Everything here is blocking and std-only, so it
//! works the same from `#[test]` and `#[tokio::test]` functions. Every server gets its own free ports and its
//! own temporary directory, so tests can run in parallel threads; every process is stopped when its handle is
//! dropped, also when the test panics.
//!
//! - [`Dovecot`]: a private Dovecot (IMAP, optional IMAPS, LMTP) with mail delivery and mailbox reading.
//! - [`SmtpSink`]: a real SMTP server (aiosmtpd) that keeps every message and can relay it into Dovecot.
//! - [`oauth_server::OAuthServer`]: an OAuth2 authorization server whose tokens Dovecot and the sink accept.
//! - [`imap::Imap`], [`smtp::send`]: the small protocol clients the two use, open to tests too.
//!
//! Worth knowing when writing a test (measured on Debian 12, Dovecot 2.3.19, aiosmtpd 1.4.3):
//! - A Dovecot starts in about 0.1 s and stops in about 0.1 s; an SMTP sink starts in about 0.15 s.
//! - An IDLE session hears of a delivery about 0.5 s after it (Dovecot's fixed notify delay).
//! - Delivered messages gain `Return-Path:` (the envelope sender), `Delivered-To:` and `Received:` on top.
//! - Folder names use Dovecot's default separator `.` (`Vendors.Invoices`) unless `.separator('/')`.
//! - The harness runs as root (Dovecot's mail processes then run as `nobody`) or as an ordinary user
//!   (every Dovecot process runs as that user, without chroot).
//! - Every call blocks its thread. In a `#[tokio::test]` that runs clerk's daemon in the same runtime, use
//!   `flavor = "multi_thread"` (or `spawn_blocking`): on the default current-thread runtime a harness wait
//!   stops the daemon it is waiting for.

// Each integration test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod clerk;
pub mod dovecot;
pub mod dovecot_config;
pub mod encoding;
pub mod imap;
pub mod mailbox;
pub mod oauth_server;
pub mod process;
pub mod smtp;
pub mod smtp_sink;
pub mod tls;

// Re-exported for the tests; a test binary that does not name one of them must not warn about it.
#[allow(unused_imports)]
pub use dovecot::Dovecot;
#[allow(unused_imports)]
pub use smtp_sink::{Received, SmtpSink};

use std::collections::HashSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A loopback TCP port that was free a moment ago.
///
/// Binds 127.0.0.1:0, reads the port and closes the socket. The port is never handed out twice by one test
/// process, because the kernel may give a just-closed port to the next `bind(0)` before the first server has
/// started listening on it. A server that still loses the race retries with a new port (see the servers).
pub fn free_port() -> u16 {
    static HANDED_OUT: Mutex<Option<HashSet<u16>>> = Mutex::new(None);
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("binding 127.0.0.1:0 to find a free port")
            .port();
        let mut handed_out = HANDED_OUT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if handed_out.get_or_insert_with(HashSet::new).insert(port) {
            return port;
        }
    }
}

/// Polls `condition` every 20 ms until it is true (returns `true`) or `timeout` has passed (returns `false`).
pub fn wait_until(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// True when the environment asks to keep test directories for inspection (`CLERK_KEEP_TEST_DIRS=1`).
pub fn keep_test_dirs() -> bool {
    std::env::var_os("CLERK_KEEP_TEST_DIRS").is_some_and(|value| !value.is_empty() && value != "0")
}

/// A fresh directory under the system temp dir, removed on drop unless `CLERK_KEEP_TEST_DIRS` is set.
///
/// It is mode 0755: Dovecot's mail processes run as `nobody` and must be able to traverse it.
pub struct TestDir {
    path: PathBuf,
}

impl TestDir {
    pub fn new(kind: &str) -> TestDir {
        use std::os::unix::fs::PermissionsExt;
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        // Short names: Dovecot puts unix sockets in here and socket paths are limited to 108 bytes.
        let path = std::env::temp_dir().join(format!(
            "clerk-{kind}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        // A directory left over from an earlier process with the same pid is stale: start clean.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path)
            .unwrap_or_else(|e| panic!("creating test directory {}: {e}", path.display()));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("chmod 0755 {}: {e}", path.display()));
        TestDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        if keep_test_dirs() {
            eprintln!("CLERK_KEEP_TEST_DIRS: keeping {}", self.path.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// The last `lines` lines of a log file (or a note that it cannot be read), for panic messages.
pub fn log_tail(path: &Path, lines: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        }
        Err(e) => format!("(cannot read {}: {e})", path.display()),
    }
}
