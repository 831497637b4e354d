//! clerk as a systemd service: the `Type=notify` protocol spoken to a socket the test holds (READY=1
//! once the folder is watched, STATUS=, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1 on SIGTERM), and
//! the shipped unit file checked by `systemd-analyze` (verify, and an exposure score of 2.0 or lower).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use support::clerk::{OFFICE_RULES, Office, office_users};
use support::{Dovecot, SmtpSink, TestDir};

/// The notifications received within `timeout`, until one contains `until`.
fn receive_until(socket: &UnixDatagram, until: &str, timeout: Duration) -> Vec<String> {
    let deadline = Instant::now() + timeout;
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while Instant::now() < deadline {
        socket.set_read_timeout(Some(deadline - Instant::now())).unwrap();
        match socket.recv(&mut buffer) {
            Ok(n) => {
                let text = String::from_utf8_lossy(&buffer[..n]).into_owned();
                let done = text.contains(until);
                received.push(text);
                if done {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    received
}

#[test]
fn clerk_tells_systemd_it_is_ready_alive_and_stopping() {
    let dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, "");
    let dir = TestDir::new("notify");
    let path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&path).expect("binding the notify socket");
    let mut clerk =
        office.start_with_env(&[("NOTIFY_SOCKET", path.to_str().unwrap()), ("WATCHDOG_USEC", "1000000")]);

    let ready = receive_until(&socket, "READY=1", Duration::from_secs(30));
    let last = ready.last().cloned().unwrap_or_default();
    assert!(last.contains("READY=1"), "{ready:?}\n{}", clerk.log());
    assert!(last.contains("STATUS=1 folders connected; outbox 0 waiting; 0 handled in 24 h"), "{last}");
    assert!(clerk.log().contains("watching"), "READY comes after the folder is watched");

    let alive = receive_until(&socket, "WATCHDOG=1", Duration::from_secs(5));
    assert!(alive.iter().any(|n| n.contains("WATCHDOG=1")), "{alive:?}");

    clerk.signal("TERM");
    let stopping = receive_until(&socket, "STOPPING=1", Duration::from_secs(10));
    assert!(stopping.iter().any(|n| n.contains("STOPPING=1")), "{stopping:?}");
    let (code, _) = clerk.terminate();
    assert_eq!(code, Some(0));
}

fn systemd_analyze(args: &[&str]) -> Option<(bool, String)> {
    let out = Command::new("systemd-analyze").args(args).output().ok()?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Some((out.status.success(), text))
}

/// The shipped unit with its ExecStart pointed at the binary under test, as `verify` wants it to exist.
fn unit_for_test(dir: &Path) -> std::path::PathBuf {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("systemd/clerk.service");
    let text = std::fs::read_to_string(shipped).expect("systemd/clerk.service is shipped");
    let unit = dir.join("clerk.service");
    std::fs::write(&unit, text.replace("/usr/local/bin/clerk", env!("CARGO_BIN_EXE_clerk"))).unwrap();
    unit
}

#[test]
fn the_unit_file_verifies_and_is_well_hardened() {
    let dir = TestDir::new("unit");
    let unit = unit_for_test(dir.path());
    let unit = unit.to_str().unwrap();
    let (ok, text) =
        systemd_analyze(&["verify", unit]).expect("systemd-analyze (package systemd) is installed");
    assert!(ok && text.trim().is_empty(), "systemd-analyze verify:\n{text}");

    let (_, text) = systemd_analyze(&["security", "--offline=yes", "--no-pager", unit]).unwrap();
    let score: f64 = text
        .lines()
        .find_map(|l| l.split("Overall exposure level for clerk.service: ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no exposure level in:\n{text}"));
    assert!(score <= 2.0, "exposure {score}:\n{text}");
}
