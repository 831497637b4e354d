//! clerk's benchmark: the three figures issue #2 asks for, measured against real servers.
//!
//! 1. **Backlog**: 10,000 varied messages in a Dovecot INBOX, handled by `clerk run --once` (fetch,
//!    parse, classify against 50 rules, journal, move into 5 folders): messages per second and peak RSS,
//!    and the same mailbox, restored byte for byte, filed by imapfilter with the same rules in Lua. The
//!    ratio clerk/imapfilter is the figure that counts: machines here are noisy.
//! 2. **Latency**: 200 messages delivered one at a time to a running clerk (IDLE); for each, the time
//!    until its reply is accepted by the SMTP server: p50 and p99.
//! 3. **Parse + classify**: in-process throughput over the real-world corpus and the fixtures, one core.
//! 4. **One big message** (`bigmail`, not in the default set): peak RSS of `clerk run --once` on one
//!    message just under `max_message_size`, of four shapes.
//!
//! Run with `cargo bench --bench pipeline` (as root, with dovecot-imapd, dovecot-lmtpd,
//! python3-aiosmtpd and imapfilter installed). `CLERK_BENCH=classify,backlog,latency,bigmail` picks parts;
//! `CLERK_BENCH_MESSAGES` changes the backlog size.

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

fn main() {
    let parts = std::env::var("CLERK_BENCH").unwrap_or_else(|_| "classify,backlog,latency".into());
    for part in parts.split(',').map(str::trim) {
        match part {
            "classify" => classify::run(),
            "backlog" => backlog::run(),
            "latency" => latency::run(),
            "bigmail" => big_message::run(),
            "" => {}
            other => eprintln!("unknown part {other:?}: use classify, backlog, latency, bigmail"),
        }
    }
}

/// Runs a child to completion and returns its wall time and peak resident set (KiB), from wait4.
#[allow(clippy::zombie_processes, reason = "the child is reaped by wait4, which also gives its rusage")]
pub fn measure(mut command: std::process::Command) -> (std::time::Duration, u64, bool) {
    let started = std::time::Instant::now();
    let child = command.spawn().expect("starting the measured program");
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (elapsed, usage.ru_maxrss as u64, ok)
}
