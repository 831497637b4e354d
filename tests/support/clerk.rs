//! clerk itself as the tests run it: the real binary as a child process, with a config and a small
//! test office (rules, templates) written into a temporary directory.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{Dovecot, SmtpSink, TestDir};

/// The assistant's mailbox in every test office.
pub const ASSISTANT: &str = "assistant@office.test";
/// A customer outside the office.
pub const CUSTOMER: &str = "anna@example.test";
/// The accounts department.
pub const ACCOUNTS: &str = "accounts@office.test";
/// The password of every test user.
pub const PASSWORD: &str = "secret";

/// The users a test Dovecot needs for the test office.
pub fn office_users() -> Vec<(&'static str, &'static str)> {
    vec![(ASSISTANT, PASSWORD), (CUSTOMER, PASSWORD), (ACCOUNTS, PASSWORD)]
}

/// The test office's rules: answer questions (a plain reply, no desk), forward invoices, file
/// newsletters.
pub const OFFICE_RULES: &str = r#"
[[rule]]
name = "newsletters"
when.header."List-Id" = true
move = "Newsletters"

[[rule]]
name = "invoices"
when.subject = "invoice"
forward = "accounts@office.test"
move = "Vendors/Invoices"

[[rule]]
name = "questions"
when.subject = { any = ["question", "hours"] }
reply = "answer"
flag = "flagged"
"#;

/// A message from `from` to the assistant with `subject`.
pub fn mail(from: &str, subject: &str, id: &str) -> Vec<u8> {
    format!(
        "From: Anna Example <{from}>\r\nTo: Test Office <{ASSISTANT}>\r\nSubject: {subject}\r\n\
         Date: Mon, 23 Nov 2026 09:00:00 +0100\r\nMessage-ID: <{id}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nHello, I have a question about your opening hours.\r\n"
    )
    .into_bytes()
}

/// Copies the directory `from` into `to`, with everything under it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creating a directory to copy into");
    for entry in std::fs::read_dir(from).expect("reading a directory to copy") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copying a file");
        }
    }
}

/// The shipped office (`rules/`, as it is, with `extra_rules` in a rules file of its own when given)
/// reading the test assistant's mailbox, with mailboxes for `users` too; started and watching.
pub fn shipped_office(users: &[&'static str], extra_rules: &str) -> (Dovecot, SmtpSink, Office, Clerk) {
    let mut all = office_users();
    all.extend(users.iter().map(|user| (*user, PASSWORD)));
    let dovecot = Dovecot::start(&all);
    let sink = SmtpSink::start_relaying_to(&dovecot);
    let office = Office::new(&dovecot, &sink, "", "");
    let rules = office.dir.path().join("rules");
    std::fs::remove_dir_all(&rules).expect("removing the test office's rules");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"), &rules);
    if !extra_rules.is_empty() {
        std::fs::write(rules.join("30-test.rules.toml"), extra_rules).expect("writing the test's rules");
    }
    let clerk = office.start();
    assert!(
        clerk.wait_for_log("watching", Duration::from_secs(30)),
        "clerk did not start watching:\n{}",
        clerk.log()
    );
    (dovecot, sink, office, clerk)
}

/// The names of the files in `dir`, sorted; none if it does not exist.
pub fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// The value of the first header field `name` of a CRLF message.
pub fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.split("\r\n\r\n").next()?.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// A test office directory: clerk.toml, rules/, the database and logs.
pub struct Office {
    pub dir: TestDir,
}

impl Office {
    /// An office reading the assistant's INBOX from `dovecot` and sending through `sink`, with
    /// `extra_mailbox_settings` appended to the `[[mailbox]]` table (e.g. `"idle = false"`).
    pub fn new(dovecot: &Dovecot, sink: &SmtpSink, rules: &str, extra_mailbox_settings: &str) -> Office {
        let url = format!("imap://127.0.0.1:{}", dovecot.imap_port());
        Office::with_imap_url(&url, sink, rules, extra_mailbox_settings)
    }

    /// [`Office::new`] reading the assistant's INBOX at `url` (`imaps://localhost:…`, say).
    pub fn with_imap_url(url: &str, sink: &SmtpSink, rules: &str, extra_mailbox_settings: &str) -> Office {
        let office = Office::with_rules(rules);
        let password = office.dir.path().join("imap-password");
        std::fs::write(&password, PASSWORD).expect("writing the password file");
        // For clerk alone, as a careful office keeps it (one that others can read is warned about).
        let private = std::os::unix::fs::PermissionsExt::from_mode(0o600);
        std::fs::set_permissions(&password, private).expect("restricting the password file");
        let poll =
            if extra_mailbox_settings.contains("poll_interval") { "" } else { "poll_interval = \"1s\"\n" };
        office.write_config(&format!(
            "[[mailbox]]\nname = \"office\"\nurl = \"{url}\"\nuser = \"{ASSISTANT}\"\n\
             password_file = \"imap-password\"\n{poll}{extra_mailbox_settings}\n\n\
             [smtp]\nurl = \"smtp://127.0.0.1:{}\"\n",
            sink.port()
        ));
        office
    }

    /// An office reading the Maildir `mail/` in its directory and writing what it sends into `outbox/`
    /// as .eml files, with `extra_mailbox_settings` appended to the `[[mailbox]]` table.
    pub fn with_maildir(rules: &str, extra_mailbox_settings: &str) -> Office {
        let office = Office::with_rules(rules);
        office.write_config(&format!(
            "[[mailbox]]\nname = \"office\"\nurl = \"maildir:mail\"\npoll_interval = \"1s\"\n\
             {extra_mailbox_settings}\n\n[outbox]\ndir = \"outbox\"\n"
        ));
        office
    }

    /// The office directory with rules/ (office.toml, `rules`, the `answer` template) and no config yet.
    fn with_rules(rules: &str) -> Office {
        let dir = TestDir::new("clerk-office");
        let root = dir.path();
        std::fs::create_dir_all(root.join("rules/templates")).expect("creating the rules dir");
        std::fs::write(
            root.join("rules/office.toml"),
            format!(
                "[office]\nname = \"Test Office\"\ntimezone = \"Europe/Rome\"\nlanguage = \"en\"\n\n\
                 [assistant]\naddress = \"{ASSISTANT}\"\nname = \"Test Assistant\"\n\n\
                 [[owner]]\nname = \"Olga Owner\"\naddress = \"owner@office.test\"\n\n\
                 [departments]\naccounts = \"{ACCOUNTS}\"\n"
            ),
        )
        .expect("writing office.toml");
        std::fs::write(root.join("rules/office.rules.toml"), rules).expect("writing the rules");
        std::fs::write(
            root.join("rules/templates/answer.txt"),
            "Dear {{ message.from_name }},\n\nthank you for \"{{ message.subject }}\".\n\n{{ office.assistant.name }}\n",
        )
        .expect("writing the template");
        Office { dir }
    }

    /// Writes clerk.toml: the database and rules settings every test office shares, then `sources`.
    fn write_config(&self, sources: &str) {
        let config = format!("[database]\npath = \"clerk.db\"\n\n[rules]\ndir = \"rules\"\n\n{sources}");
        std::fs::write(self.config(), config).expect("writing clerk.toml");
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("clerk.toml")
    }

    /// Starts `clerk run` on this office; its log goes to `clerk-N.log` in the office directory.
    pub fn start(&self) -> Clerk {
        Clerk::start(&self.config(), self.dir.path(), &[])
    }

    /// [`start`](Self::start) with extra environment variables (as systemd sets them).
    pub fn start_with_env(&self, env: &[(&str, &str)]) -> Clerk {
        Clerk::start(&self.config(), self.dir.path(), env)
    }

    /// Runs `clerk run --once` to completion and returns its log.
    pub fn run_once(&self) -> String {
        let log = self.dir.path().join("clerk-once.log");
        let status = Command::new(env!("CARGO_BIN_EXE_clerk"))
            .args(["--config"])
            .arg(self.config())
            .args(["run", "--once"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("creating the log"))
            .status()
            .expect("running clerk");
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(status.success(), "clerk run --once failed:\n{text}");
        text
    }

    /// Writes `raw` into the office Maildir's `sub` directory (`new` or `cur`) under `name`.
    pub fn drop_mail(&self, sub: &str, name: &str, raw: &[u8]) -> PathBuf {
        let dir = self.dir.path().join("mail").join(sub);
        std::fs::create_dir_all(&dir).expect("creating the Maildir");
        let path = dir.join(name);
        std::fs::write(&path, raw).expect("writing a message");
        path
    }

    /// The In-Reply-To of every mail in the file outbox, sorted.
    pub fn answered(&self) -> Vec<String> {
        let outbox = self.dir.path().join("outbox");
        let mut ids: Vec<String> = files(&outbox)
            .iter()
            .filter_map(|name| {
                let raw = std::fs::read_to_string(outbox.join(name)).ok()?;
                header(&raw, "In-Reply-To").map(str::to_owned)
            })
            .collect();
        ids.sort();
        ids
    }

    /// Runs the clerk binary on this office with `args` after `--config`; returns success and stdout.
    pub fn command(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_clerk"))
            .arg("--config")
            .arg(self.config())
            .args(args)
            .output()
            .expect("running clerk");
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Adds `text` (whole tables, e.g. `[http]`) at the end of clerk.toml.
    pub fn append_config(&self, text: &str) {
        let mut config = std::fs::read_to_string(self.config()).expect("reading clerk.toml");
        config.push_str(&format!("\n{text}\n"));
        std::fs::write(self.config(), config).expect("writing clerk.toml");
    }

    /// Replaces the office's rule file (`rules/office.rules.toml`) while clerk may be running.
    pub fn write_rules(&self, rules: &str) {
        std::fs::write(self.dir.path().join("rules/office.rules.toml"), rules).expect("writing the rules");
    }

    /// Counts journal rows by status, read straight from the database.
    pub fn journal_status_count(&self, status: &str) -> usize {
        self.query_count(&format!("SELECT count(*) FROM messages WHERE status = '{status}'"))
    }

    /// The first column of every row of a query against the office database, as text.
    pub fn query_strings(&self, sql: &str) -> Vec<String> {
        let conn = rusqlite::Connection::open(self.dir.path().join("clerk.db")).expect("opening clerk.db");
        let mut stmt = conn.prepare(sql).expect("preparing the query");
        let rows = stmt.query_map([], |row| row.get::<_, String>(0)).expect("querying clerk.db");
        rows.collect::<Result<_, _>>().expect("reading the rows")
    }

    /// Changes the office database behind clerk's back, to set up a state a crash would leave.
    pub fn execute(&self, sql: &str) {
        let conn = rusqlite::Connection::open(self.dir.path().join("clerk.db")).expect("opening clerk.db");
        conn.execute_batch(sql).expect("changing clerk.db");
    }

    /// A `SELECT count(*) …` against the office database.
    pub fn query_count(&self, sql: &str) -> usize {
        let conn = rusqlite::Connection::open(self.dir.path().join("clerk.db")).expect("opening clerk.db");
        conn.query_row(sql, [], |row| row.get::<_, i64>(0)).expect("querying clerk.db") as usize
    }
}

/// A running `clerk run`; killed on drop.
pub struct Clerk {
    child: Child,
    log: PathBuf,
}

impl Clerk {
    pub fn start(config: &Path, dir: &Path, env: &[(&str, &str)]) -> Clerk {
        static RUN: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let log = dir.join(format!("clerk-{}-{n}.log", std::process::id()));
        let child = Command::new(env!("CARGO_BIN_EXE_clerk"))
            .arg("--config")
            .arg(config)
            .args(["--log", "debug", "run"])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("creating the clerk log"))
            .spawn()
            .expect("starting clerk");
        Clerk { child, log }
    }

    /// What clerk has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log contains `text`.
    pub fn wait_for_log(&self, text: &str, timeout: Duration) -> bool {
        super::wait_until(timeout, || self.log().contains(text))
    }

    /// Kills clerk the hard way, as a crash or power cut would.
    pub fn kill(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }

    /// Clerk's exit status if it has exited by itself.
    pub fn exited(&mut self) -> Option<i32> {
        self.child.try_wait().ok().flatten().map(|status| status.code().unwrap_or(-1))
    }

    /// Sends clerk a signal by name (`HUP`, `TERM`, …).
    pub fn signal(&self, name: &str) {
        super::process::signal(&[self.child.id()], name);
    }

    /// How many times the log contains `text`.
    pub fn log_count(&self, text: &str) -> usize {
        self.log().matches(text).count()
    }

    /// Sends SIGTERM and waits for clerk to exit: returns its exit code and how long it took.
    pub fn terminate(&mut self) -> (Option<i32>, Duration) {
        let asked = std::time::Instant::now();
        super::process::signal(&[self.child.id()], "TERM");
        let status = self.child.wait().expect("waiting for clerk");
        (status.code(), asked.elapsed())
    }

    /// Asks clerk to stop (SIGTERM) and waits for it.
    pub fn stop(&mut self) {
        super::process::signal(&[self.child.id()], "TERM");
        self.child.wait().ok();
    }
}

impl Drop for Clerk {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            eprintln!("--- clerk log ---\n{}", self.log());
        }
    }
}
