//! Part 1: a 10,000-message backlog filed by clerk and by imapfilter from the same restored mailbox.

use std::os::unix::fs::{MetadataExt, chown};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::office::{self, FOLDERS};
use crate::support::{Dovecot, TestDir};

pub const USER: &str = "assistant@office.test";
pub const PASSWORD: &str = "secret";

pub fn run() {
    let count: usize =
        std::env::var("CLERK_BENCH_MESSAGES").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let mut dovecot = Dovecot::start(&[(USER, PASSWORD)]);
    let pristine = prepare_mailbox(&mut dovecot, count);
    let expected = expected_counts(count);
    println!(
        "== backlog: {count} messages in a Dovecot INBOX, 50 rules filing into {} folders",
        FOLDERS.len()
    );

    let mut rounds = Vec::new();
    for round in 1..=2 {
        restore(&mut dovecot, &pristine);
        let (clerk_time, clerk_rss) = run_clerk(&dovecot, "");
        check_filing(&dovecot, &expected, "clerk");
        restore(&mut dovecot, &pristine);
        let (filter_time, filter_rss) = run_imapfilter(&dovecot, "");
        check_filing(&dovecot, &expected, "imapfilter");
        let clerk_rate = count as f64 / clerk_time.as_secs_f64();
        let filter_rate = count as f64 / filter_time.as_secs_f64();
        println!(
            "  round {round}: clerk {clerk_rate:>7.0} messages/s ({:.2} s, peak RSS {:.1} MB) | imapfilter {filter_rate:>6.0} messages/s ({:.2} s, peak RSS {:.1} MB) | ratio {:.2}",
            clerk_time.as_secs_f64(),
            clerk_rss as f64 / 1024.0,
            filter_time.as_secs_f64(),
            filter_rss as f64 / 1024.0,
            clerk_rate / filter_rate
        );
        rounds.push((clerk_rate, clerk_rss, filter_rate));
    }
    let best = rounds.iter().map(|r| r.0 / r.2).fold(0.0, f64::max);
    let peak = rounds.iter().map(|r| r.1).max().unwrap_or(0) as f64 / 1024.0;
    println!("  best ratio clerk/imapfilter {best:.2}; clerk peak RSS {peak:.1} MB");
}

/// Fills the INBOX with `count` messages (written into the Maildir, as a local delivery agent would),
/// creates the folders, lets Dovecot index it all, and keeps a copy of the whole home directory.
pub fn prepare_mailbox(dovecot: &mut Dovecot, count: usize) -> PathBuf {
    let mut imap = dovecot.imap(USER);
    for folder in FOLDERS {
        imap.ok(&format!("CREATE {folder}"));
    }
    imap.ok("SELECT INBOX");
    imap.logout();
    let maildir = home(dovecot).join("Maildir");
    let owner = std::fs::metadata(&maildir).expect("Dovecot created the Maildir");
    let new = maildir.join("new");
    for n in 0..count {
        // Named as Dovecot's own delivery names files: S= is the size, W= the size with CRLF line ends
        // (the messages already have them), so IMAP's RFC822.SIZE needs no file read.
        let raw = office::message(n);
        let path = new.join(format!("1795400000.M{n}P1.bench,S={0},W={0}", raw.len()));
        std::fs::write(&path, &raw).expect("writing a message");
        chown(&path, Some(owner.uid()), Some(owner.gid())).expect("handing the message to the mail user");
    }
    let status = dovecot.doveadm(&["mailbox", "status", "-u", USER, "messages", "INBOX"]);
    assert!(status.contains(&count.to_string()), "Dovecot sees {status:?}, expected {count} messages");
    dovecot.stop();
    let pristine = dovecot.dir().join(format!("home.pristine.{count}"));
    copy(&dovecot.dir().join("home"), &pristine);
    dovecot.start_again();
    pristine
}

fn home(dovecot: &Dovecot) -> PathBuf {
    dovecot.dir().join("home").join(USER)
}

/// Puts the mailbox back exactly as prepared.
pub fn restore(dovecot: &mut Dovecot, pristine: &Path) {
    dovecot.stop();
    let home = dovecot.dir().join("home");
    std::fs::remove_dir_all(&home).expect("removing the used mailbox");
    copy(pristine, &home);
    dovecot.start_again();
}

fn copy(from: &Path, to: &Path) {
    let status = Command::new("cp").arg("-a").arg(from).arg(to).status().expect("running cp");
    assert!(status.success(), "cp -a {} {} failed", from.display(), to.display());
}

/// `clerk run --once` on the INBOX with the 50 filing rules after `more_rules` (clerk's TOML).
pub fn run_clerk(dovecot: &Dovecot, more_rules: &str) -> (Duration, u64) {
    let office_dir = TestDir::new("clerk-bench-office");
    let root = office_dir.path();
    let (office_toml, rules_toml) = office::clerk_rules();
    std::fs::create_dir_all(root.join("rules")).expect("creating the rules dir");
    std::fs::write(root.join("rules/office.toml"), office_toml).expect("writing office.toml");
    std::fs::write(root.join("rules/bench.rules.toml"), format!("{more_rules}{rules_toml}"))
        .expect("writing the rules");
    crate::write_password(&root.join("password"), PASSWORD);
    std::fs::write(
        root.join("clerk.toml"),
        format!(
            "[[mailbox]]\nname = \"bench\"\nurl = \"imap://127.0.0.1:{}\"\nuser = \"{USER}\"\n\
             password_file = \"password\"\nbackfill = \"all\"\n",
            dovecot.imap_port()
        ),
    )
    .expect("writing clerk.toml");
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk"));
    command.arg("--config").arg(root.join("clerk.toml")).args(["--log", "warn", "run", "--once"]);
    command.stdout(Stdio::null());
    let (time, rss, ok) = crate::measure(command);
    assert!(ok, "clerk run --once failed");
    (time, rss)
}

/// imapfilter on the INBOX with `more_rules` (Lua) before the 50 filing rules.
pub fn run_imapfilter(dovecot: &Dovecot, more_rules: &str) -> (Duration, u64) {
    let dir = TestDir::new("clerk-bench-imapfilter");
    let config = dir.path().join("config.lua");
    std::fs::write(&config, office::imapfilter_config(dovecot.imap_port(), USER, PASSWORD, more_rules))
        .expect("writing the Lua");
    let mut command = Command::new("imapfilter");
    command.arg("-c").arg(&config).env("HOME", dir.path()).stdout(Stdio::null());
    let (time, rss, ok) = crate::measure(command);
    assert!(ok, "imapfilter failed");
    (time, rss)
}

/// How many messages each folder should hold after filing.
pub fn expected_counts(count: usize) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&str, usize)> = std::iter::once("INBOX").chain(FOLDERS).map(|f| (f, 0)).collect();
    for n in 0..count {
        let folder = office::expected_folder(n);
        if let Some(entry) = counts.iter_mut().find(|(f, _)| *f == folder) {
            entry.1 += 1;
        }
    }
    counts
}

/// Checks that the tool filed every message where the rules say, so both did the same work.
pub fn check_filing(dovecot: &Dovecot, expected: &[(&str, usize)], tool: &str) {
    for (folder, count) in expected {
        let status = dovecot.doveadm(&["mailbox", "status", "-u", USER, "messages", folder]);
        let found: usize =
            status.rsplit("messages=").next().and_then(|n| n.trim().parse().ok()).unwrap_or(usize::MAX);
        assert_eq!(found, *count, "{tool} left {found} messages in {folder}, expected {count} ({status:?})");
    }
}
