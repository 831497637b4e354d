//! Who holds the office's lock (`clerk.lock`), found without touching it: a process that works on the
//! office (the daemon, `run --once`, `replay --apply`, `backfill`) holds it for as long as it lives, and
//! the system drops it when the process ends, however it ends. So the lock, unlike the notes in the
//! database, tells a running clerk from one that was killed.
//!
//! Taking the lock to test it would make a daemon that starts at that instant refuse to start, so the
//! system's table of file locks (`/proc/locks`, Linux) is read instead.

use std::path::Path;

/// Whether a process holds the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// A process holds it; its id when the system shows it (not across PID namespaces).
    Process(Option<u32>),
    /// No process holds it (or the lock file does not exist: no clerk ever worked here).
    Nobody,
    /// The system keeps no table of locks to read.
    Unknown,
}

/// Who holds the lock at `path`.
pub fn of(path: &Path) -> Holder {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Holder::Nobody,
            Err(_) => return Holder::Unknown,
        };
        match std::fs::read_to_string("/proc/locks") {
            Ok(table) => in_table(&table, meta.dev(), meta.ino()),
            Err(_) => Holder::Unknown,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Holder::Unknown
    }
}

/// The holder of the `flock` lock on the file `(dev, ino)` in a `/proc/locks` table, whose lines read
/// `1: FLOCK  ADVISORY  WRITE 4242 fe:00:10010691 0 EOF` (`->` marks a process waiting for a lock,
/// which does not hold it).
fn in_table(table: &str, dev: u64, ino: u64) -> Holder {
    let file = format!("{:02x}:{:02x}:{ino}", major(dev), minor(dev));
    for line in table.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(1) != Some(&"FLOCK") || fields.get(5) != Some(&file.as_str()) {
            continue;
        }
        let pid = fields.get(4).and_then(|p| p.parse::<u32>().ok()).filter(|&p| p != 0);
        return Holder::Process(pid);
    }
    Holder::Nobody
}

/// The device's major number, as Linux encodes it in `st_dev`.
fn major(dev: u64) -> u64 {
    ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff)
}

/// The device's minor number, as Linux encodes it in `st_dev`.
fn minor(dev: u64) -> u64 {
    (dev & 0xff) | ((dev >> 12) & !0xff)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "1: FLOCK  ADVISORY  WRITE 21454 fe:00:6184965 0 EOF\n\
                         2: -> FLOCK  ADVISORY  WRITE 30000 fe:00:10010691 0 EOF\n\
                         3: POSIX  ADVISORY  WRITE 21433 fe:00:10010691 0 EOF\n\
                         4: FLOCK  ADVISORY  WRITE 21779 fe:00:10010691 0 EOF\n";

    #[test]
    fn the_holder_of_the_lock_on_the_file_is_found_by_device_and_inode() {
        assert_eq!(in_table(TABLE, 0xfe00, 10010691), Holder::Process(Some(21779)));
    }

    #[test]
    fn a_process_waiting_for_the_lock_or_an_fcntl_lock_is_not_a_holder() {
        let table = "2: -> FLOCK  ADVISORY  WRITE 30000 fe:00:10010691 0 EOF\n\
                     3: POSIX  ADVISORY  WRITE 21433 fe:00:10010691 0 EOF\n";
        assert_eq!(in_table(table, 0xfe00, 10010691), Holder::Nobody);
    }

    #[test]
    fn the_same_inode_on_another_device_is_another_file() {
        assert_eq!(in_table(TABLE, 0x0801, 10010691), Holder::Nobody);
    }

    #[test]
    fn a_holder_in_another_pid_namespace_has_no_id() {
        let table = "1: FLOCK  ADVISORY  WRITE 0 fe:00:42 0 EOF\n";
        assert_eq!(in_table(table, 0xfe00, 42), Holder::Process(None));
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_lock_taken_by_this_process_is_seen() {
        let dir = std::env::temp_dir().join(format!("clerk-holder-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("clerk.lock");
        let file = std::fs::File::create(&path).unwrap();
        assert_eq!(of(&path), Holder::Nobody);
        file.try_lock().unwrap();
        assert_eq!(of(&path), Holder::Process(Some(std::process::id())));
        drop(file);
        assert_eq!(of(&path), Holder::Nobody);
        std::fs::remove_dir_all(&dir).ok();
    }
}
