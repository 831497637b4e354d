//! Writing a file so that a crash leaves either its old content or its new content, never a mix: the
//! outbox directory's `.eml` files and the OAuth2 refresh tokens both depend on it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Permissions for a file anyone on the machine may read (the umask still applies).
pub const SHARED: u32 = 0o666;

/// Permissions for a secret: the owner alone reads it, from the moment it exists.
pub const PRIVATE: u32 = 0o600;

/// Writes `bytes` to `dir/name` so that the name shows either nothing (or the old content) or all of
/// them, even across a crash: a hidden temporary file in the same directory (rename is only atomic
/// within a file system), created with `mode` and fsynced before the rename. Call [`sync_dir`] to make
/// the rename itself durable.
pub fn write_atomically(dir: &Path, name: &str, bytes: &[u8], mode: u32) -> io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let temporary =
        dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    let result = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&temporary)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temporary, dir.join(name)));
    if result.is_err() {
        // Best effort: a leftover hidden .tmp file is harmless, the error that matters is `result`.
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Makes the renames in `dir` durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}
