//! A private Dovecot for one test: starting, stopping and restarting it. (Its configuration is in
//! `dovecot_config.rs`; putting mail in and reading it out is in `mailbox.rs`.)

use super::dovecot_config::{DovecotBuilder, Ports, config_text, write_users_and_dirs};
use super::process::{address_in_use, greets, pids_with_cmdline_prefix, port_accepts, signal};
use super::tls::{Cert, self_signed_cert};
use super::{TestDir, free_port, log_tail, wait_until};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

const DOVECOT: &str = "/usr/sbin/dovecot";
const DOVEADM: &str = "/usr/bin/doveadm";
const INSTALL_HINT: &str = "apt-get install dovecot-imapd dovecot-lmtpd";

/// A running private Dovecot. Dropping it stops every process of it and removes its directory.
pub struct Dovecot {
    // Stopped in `Drop::drop`, which runs before the fields are dropped: the directory goes last.
    dir: TestDir,
    options: DovecotBuilder,
    instance: String,
    imap_port: u16,
    lmtp_port: u16,
    imaps_port: Option<u16>,
    cert: Option<Cert>,
    master: Option<Child>,
    startup: Duration,
}

impl Dovecot {
    /// A Dovecot with these `(address, password)` users, IMAP and LMTP on loopback, IDLE on, no TLS.
    pub fn start(users: &[(&str, &str)]) -> Dovecot {
        Dovecot::builder().users(users).start()
    }

    pub fn builder() -> DovecotBuilder {
        DovecotBuilder {
            users: Vec::new(),
            tls: false,
            idle: true,
            separator: '.',
            oauth2_introspection: None,
        }
    }

    pub(super) fn launch(options: DovecotBuilder) -> Dovecot {
        static INSTANCES: AtomicU32 = AtomicU32::new(0);
        let dir = TestDir::new("dovecot");
        let instance = format!("clerk-{}-{}", std::process::id(), INSTANCES.fetch_add(1, Ordering::Relaxed));
        let cert = options.tls.then(|| {
            std::fs::create_dir(dir.path().join("tls")).expect("creating the tls directory");
            self_signed_cert(&dir.path().join("tls"))
        });
        let mut dovecot = Dovecot {
            dir,
            options,
            instance,
            imap_port: 0,
            lmtp_port: 0,
            imaps_port: None,
            cert,
            master: None,
            startup: Duration::ZERO,
        };
        write_users_and_dirs(&dovecot.options, dovecot.dir());
        // Another process may take a port between `free_port()` and Dovecot's bind: then try other ports.
        for attempt in 1.. {
            dovecot.imap_port = free_port();
            dovecot.lmtp_port = free_port();
            dovecot.imaps_port = dovecot.options.tls.then(free_port);
            let ports = Ports { imap: dovecot.imap_port, lmtp: dovecot.lmtp_port, imaps: dovecot.imaps_port };
            let config =
                config_text(&dovecot.options, dovecot.dir(), &dovecot.instance, ports, dovecot.cert.as_ref());
            std::fs::write(dovecot.conf_path(), config).expect("writing dovecot.conf");
            match dovecot.spawn_and_wait() {
                Ok(()) => return dovecot,
                Err(e) if address_in_use(&e) && attempt < 5 => dovecot.kill_all(),
                Err(e) => panic!("{e}"),
            }
        }
        unreachable!()
    }

    pub fn imap_port(&self) -> u16 {
        self.imap_port
    }

    pub fn lmtp_port(&self) -> u16 {
        self.lmtp_port
    }

    /// The implicit-TLS IMAP port; only with `.tls(true)`.
    pub fn imaps_port(&self) -> u16 {
        self.imaps_port.expect("imaps_port(): start Dovecot with Dovecot::builder().tls(true)")
    }

    /// The PEM certificate the server presents, for a client to trust as its only root; only with `.tls(true)`.
    pub fn cert_path(&self) -> &Path {
        &self.cert.as_ref().expect("cert_path(): start Dovecot with Dovecot::builder().tls(true)").cert
    }

    /// The instance's directory: `dovecot.conf`, `users`, `dovecot.log`, `home/USER/Maildir`, `tls/`.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn conf_path(&self) -> PathBuf {
        self.dir().join("dovecot.conf")
    }

    /// The folder hierarchy separator (see [`DovecotBuilder::separator`]).
    pub fn separator(&self) -> char {
        self.options.separator
    }

    /// The password of `user`; panics for a user this Dovecot does not have.
    pub fn password(&self, user: &str) -> &str {
        let found = self.options.users.iter().find(|(name, _)| name == user);
        let names: Vec<&str> = self.options.users.iter().map(|(name, _)| name.as_str()).collect();
        &found.unwrap_or_else(|| panic!("{user:?} is not a user of this Dovecot; its users are {names:?}")).1
    }

    /// How long the last start took until IMAP greeted.
    pub fn startup_time(&self) -> Duration {
        self.startup
    }

    pub fn is_running(&self) -> bool {
        self.master.is_some()
    }

    /// The whole Dovecot log (logins, deliveries, errors), for a failing test's diagnostics.
    pub fn log(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(self.dir().join("dovecot.log")).unwrap_or_default())
            .into_owned()
    }

    /// The last lines of the log, labelled, for panic messages.
    pub fn log_tail(&self) -> String {
        format!(
            "--- last lines of {} ---\n{}",
            self.dir().join("dovecot.log").display(),
            log_tail(&self.dir().join("dovecot.log"), 40)
        )
    }

    /// Stops every process of this instance (SIGTERM, SIGKILL after 5 s) and waits until its ports are closed.
    /// Open IMAP sessions are ended with `* BYE Server shutting down.`, as when a real server goes down.
    pub fn stop(&mut self) {
        assert!(self.master.is_some(), "stop(): Dovecot is not running");
        if let Err(e) = self.shutdown() {
            panic!("{e}\n{}", self.log_tail());
        }
    }

    /// Starts the stopped instance again: same config, same ports, same mail.
    pub fn start_again(&mut self) {
        assert!(self.master.is_none(), "start_again(): Dovecot is already running");
        if let Err(e) = self.spawn_and_wait() {
            panic!("{e}");
        }
    }

    /// Runs `doveadm -c CONF ARGS…` on this instance and returns its stdout; panics with its stderr on failure.
    pub fn doveadm(&self, args: &[&str]) -> String {
        let output = Command::new(DOVEADM)
            .arg("-c")
            .arg(self.conf_path())
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("running {DOVEADM} ({INSTALL_HINT}): {e}"));
        assert!(
            output.status.success(),
            "doveadm {args:?} failed: {}{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            self.log_tail()
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Starts the master in the foreground (`-F`) as our child, so it is in the test's process group and a
    /// Ctrl-C on `cargo test` reaches it too, then waits until IMAP greets and LMTP answers.
    fn spawn_and_wait(&mut self) -> Result<(), String> {
        let started = Instant::now();
        let stderr_path = self.dir().join("dovecot.stderr");
        let stderr = File::create(&stderr_path).expect("creating dovecot.stderr");
        let master = Command::new(DOVECOT)
            .arg("-F")
            .arg("-c")
            .arg(self.conf_path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {DOVECOT} ({INSTALL_HINT}): {e}"));
        self.master = Some(master);
        let deadline = started + Duration::from_secs(10);
        loop {
            let exited = self.master.as_mut().and_then(|m| m.try_wait().ok().flatten());
            if let Some(status) = exited {
                self.master = None;
                self.kill_all();
                return Err(format!(
                    "dovecot exited at startup ({status}); stderr:\n{}\n{}",
                    log_tail(&stderr_path, 20),
                    self.log_tail()
                ));
            }
            let imaps_ready = self.imaps_port.is_none_or(port_accepts);
            if greets(self.imap_port, "* OK") && greets(self.lmtp_port, "220") && imaps_ready {
                self.startup = started.elapsed();
                return Ok(());
            }
            if Instant::now() > deadline {
                self.kill_all();
                return Err(format!(
                    "dovecot did not greet on IMAP port {} within 10 s\n{}",
                    self.imap_port,
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM to the master and all its processes at once (the master alone takes a second and leaves
    /// logged-in IMAP processes running), SIGKILL after 5 s; then waits for the ports to close.
    fn shutdown(&mut self) -> Result<(), String> {
        let prefix = format!("dovecot-{}/", self.instance);
        let Some(mut master) = self.master.take() else {
            return Ok(());
        };
        let mut all_gone = |sig: &str| {
            wait_until(Duration::from_secs(5), || {
                let master_running = matches!(master.try_wait(), Ok(None));
                let mut pids = pids_with_cmdline_prefix(&prefix);
                if master_running {
                    pids.push(master.id());
                }
                // Signal again each round: the master may have started a process after the first scan.
                signal(&pids, sig);
                pids.is_empty()
            })
        };
        let gone = all_gone("TERM") || all_gone("KILL");
        let _ = master.kill();
        let _ = master.wait();
        if !gone {
            return Err(format!(
                "dovecot instance {} did not stop: {:?}",
                self.instance,
                pids_with_cmdline_prefix(&prefix)
            ));
        }
        let ports = [Some(self.imap_port), Some(self.lmtp_port), self.imaps_port];
        if !wait_until(Duration::from_secs(5), || !ports.iter().flatten().any(|port| port_accepts(*port))) {
            return Err(format!("dovecot stopped but its ports {ports:?} still accept connections"));
        }
        Ok(())
    }

    /// Best-effort cleanup after a failed start.
    fn kill_all(&mut self) {
        if let Err(e) = self.shutdown() {
            eprintln!("{e}");
        }
        signal(&pids_with_cmdline_prefix(&format!("dovecot-{}/", self.instance)), "KILL");
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // cargo test shows this output for the failing test only.
            eprintln!(
                "dovecot on IMAP port {} (dir {})\n{}",
                self.imap_port,
                self.dir().display(),
                self.log_tail()
            );
        }
        // Never panic in drop: a second panic while unwinding would abort the whole test binary.
        if let Err(e) = self.shutdown() {
            eprintln!("{e}");
        }
    }
}
