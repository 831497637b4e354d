//! Process plumbing the servers share: sending signals without libc, finding a Dovecot instance's processes,
//! and checking whether a port accepts connections or greets.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Duration;

/// Sends `signal` (a name such as `TERM` or `KILL`) to `pids`, ignoring pids that are already gone.
///
/// std can only SIGKILL its own children; Dovecot's processes are grandchildren and deserve a SIGTERM first,
/// so this goes through the shell's `kill` builtin (dash is always there, `/bin/kill` is not).
pub fn signal(pids: &[u32], signal: &str) {
    if pids.is_empty() {
        return;
    }
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -s {signal} \"$@\" 2>/dev/null; exit 0"))
        .arg("sh")
        .args(pids.iter().map(u32::to_string))
        .status();
    if let Err(e) = status {
        eprintln!("could not run sh to send SIG{signal} to {pids:?}: {e}");
    }
}

/// The live processes whose command line starts with `prefix`.
///
/// Dovecot names every process it starts `dovecot-INSTANCE/SERVICE` (with `instance_name = INSTANCE`), and its
/// mail processes outlive the master: a logged-in IMAP session keeps running after the master exits. A unique
/// instance name per test makes this an exact list of one instance's processes. Zombies have an empty command
/// line and so are not listed: they hold no ports and no files.
pub fn pids_with_cmdline_prefix(prefix: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(Path::new("/proc").join(pid.to_string()).join("cmdline"))
                .is_ok_and(|cmdline| cmdline.starts_with(prefix.as_bytes()))
        })
        .collect()
}

/// True when something accepts TCP connections on 127.0.0.1:`port`.
pub fn port_accepts(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

/// True when 127.0.0.1:`port` accepts a connection and its first line starts with `prefix` (`* OK`, `220`).
pub fn greets(port: u16, prefix: &str) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).is_ok() && line.starts_with(prefix)
}

/// True for a server's complaint that its port is taken (Dovecot and Python word it differently).
pub fn address_in_use(error: &str) -> bool {
    error.to_ascii_lowercase().contains("address already in use")
}

/// Starts one of the Python test servers, which prints "listening" once its port is bound and exits when
/// its stdin closes: the returned stdin is that lifeline. Its stderr goes to `log`. An error (with the log's
/// tail) when it exits before listening, e.g. because another process took the port.
pub fn spawn_listening(mut command: Command, log: &Path) -> Result<(Child, ChildStdin), String> {
    let log_file = File::options().create(true).append(true).open(log).expect("opening the server's log");
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("starting {command:?} (apt-get install python3-aiosmtpd): {e}"))?;
    let stdin = child.stdin.take().expect("piped stdin");
    // If it dies first, stdout closes and nothing is read.
    let mut line = String::new();
    let _ = BufReader::new(child.stdout.take().expect("piped stdout")).read_line(&mut line);
    if line.trim() != "listening" {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("{command:?} did not start:\n{}", super::log_tail(log, 20)));
    }
    Ok((child, stdin))
}

/// GET `path` from 127.0.0.1:`port` over plain HTTP/1.1; returns the whole response, headers included
/// (a body that is not UTF-8 lossily).
pub fn http_get(port: u16, path: &str) -> String {
    http_get_with(port, path, &[])
}

/// [`http_get`] with extra request headers.
pub fn http_get_with(port: u16, path: &str, headers: &[(&str, &str)]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connecting to the HTTP server");
    let extra: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}Connection: close\r\n\r\n")
        .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("reading the HTTP response");
    // A gzipped body is not text; the headers, which the tests read, are.
    String::from_utf8_lossy(&response).into_owned()
}
