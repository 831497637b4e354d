//! clerk's benchmark: the three figures issue #2 asks for, measured against real servers.
//!
//! 1. **Backlog**: 10,000 varied messages in a Dovecot INBOX, handled by `clerk run --once` (fetch,
//!    parse, classify against 50 rules, journal, move into 5 folders): messages per second and peak RSS,
//!    and the same mailbox, restored byte for byte, filed by imapfilter with the same rules in Lua. The
//!    ratio clerk/imapfilter is the figure that counts: machines here are noisy.
//! 2. **Latency**: 200 messages delivered one at a time to a running clerk (IDLE); for each, the time
//!    until its reply is accepted by the SMTP server: p50 and p99.
//! 3. **Parse + classify**: in-process throughput over the real-world corpus and the fixtures, one core,
//!    and over generated office mail with 51, 250 and 1,000 rules.
//! 4. **One big message** (`bigmail`, not in the default set): peak RSS of `clerk run --once` on one
//!    message just under `max_message_size`, of four shapes.
//! 5. **Scale** (`scale`, not in the default set): the backlog by mailbox size and rule count, clerk
//!    against imapfilter and a bare FETCH, interleaved (see `scale.rs`).
//!
//! Run with `cargo bench --bench pipeline` (as root, with dovecot-imapd, dovecot-lmtpd,
//! python3-aiosmtpd and imapfilter installed). `CLERK_BENCH=classify,backlog,latency,bigmail,scale` picks
//! parts; `CLERK_BENCH_MESSAGES` changes the backlog size.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

#[path = "../../tests/support/mod.rs"]
mod support;

/// The allocator the clerk binary uses (src/main.rs), so the in-process figures match the daemon's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod backlog;
mod big_message;
mod classify;
mod latency;
mod office;
mod rule_sets;
mod scale;

fn main() {
    let parts = std::env::var("CLERK_BENCH").unwrap_or_else(|_| "classify,backlog,latency".into());
    for part in parts.split(',').map(str::trim) {
        match part {
            "classify" => classify::run(),
            "backlog" => backlog::run(),
            "latency" => latency::run(),
            "bigmail" => big_message::run(),
            "scale" => scale::run(),
            "" => {}
            other => eprintln!("unknown part {other:?}: use classify, backlog, latency, bigmail, scale"),
        }
    }
}

/// Runs a child to completion and returns its wall time, its peak resident set (KiB) and whether it
/// succeeded.
///
/// The peak comes from GNU time (`/usr/bin/time -f %M`), which starts the program from its own small
/// process. Taken from wait4 on a child of this process, it would be at least this process's own peak:
/// a spawned child starts in the parent's memory, and Linux carries that high-water mark across exec.
/// Writes the mailbox password for clerk alone to read, as a careful office keeps it (clerk warns
/// about one that others can read, which would only add noise to the figures).
pub fn write_password(path: &std::path::Path, password: &str) {
    std::fs::write(path, password).expect("writing the password");
    let private = std::os::unix::fs::PermissionsExt::from_mode(0o600);
    std::fs::set_permissions(path, private).expect("restricting the password file");
}

pub fn measure(command: std::process::Command) -> (std::time::Duration, u64, bool) {
    let report = std::env::temp_dir().join(format!("clerk-bench-rss-{}", std::process::id()));
    let mut timed = std::process::Command::new("/usr/bin/time");
    timed.arg("-f").arg("%M").arg("-o").arg(&report).arg(command.get_program()).args(command.get_args());
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(name, value),
            None => timed.env_remove(name),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        timed.current_dir(dir);
    }
    timed.stdout(std::process::Stdio::null());
    let started = std::time::Instant::now();
    let status = timed.status().expect("starting /usr/bin/time (Debian package `time`)");
    let elapsed = started.elapsed();
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    std::fs::remove_file(&report).ok();
    let peak = text.lines().filter_map(|l| l.trim().parse::<u64>().ok()).next_back().unwrap_or(0);
    (elapsed, peak, status.success())
}
