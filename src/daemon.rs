//! The daemon: wires the mailbox watchers, the intake, the outbox sender, the scheduler and the rules
//! reload together as tokio tasks, and stops them cleanly on SIGINT/SIGTERM.
//!
//! Nothing here knows how mail is read, classified or sent; it only starts the pieces with their
//! configuration and waits.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tracing::{info, warn};

use crate::config::{Config, Delivery, ImapAccount, MailboxConfig, Security, Source};
use crate::intake::{CurrentRules, Intake};
use crate::mail::transport::{SmtpLogin, SmtpSettings, Transport};
use crate::outbox::Outbox;
use crate::secret::Credential;
use crate::sources::imap::{self, Burst, FolderWatch};
use crate::sources::maildir::{self, MaildirWatch};
use crate::store::{Db, Store};

/// How long connecting to the SMTP server, and sending one mail, may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a stop may take in all (systemd's default stop timeout is 90 s; an office restarting the
/// service should not wait long). With the runtime's own short shutdown after it, clerk is gone within
/// the README's 10 seconds whatever a task is doing.
const STOP_GRACE: Duration = Duration::from_millis(9_500);
/// How long the text of a failed message is kept for `clerk retry`.
const KEEP_FAILED_DAYS: i64 = 30;
/// How long the other tasks get to finish when clerk stops because a message is stuck.
const STUCK_GRACE: Duration = Duration::from_secs(2);
/// Of that, how long the last outbox pass keeps (the mail the last batches queued).
const LAST_OUTBOX_PASS: Duration = Duration::from_secs(3);

/// Opens the office described by `config` and runs it: watching until stopped, or (`once`) handling the
/// mail waiting now and delivering the outbox before returning.
pub async fn run(config: Config, once: bool) -> anyhow::Result<()> {
    if config.mailboxes.is_empty() {
        anyhow::bail!("{} has no [[mailbox]]: there is nothing to watch", config.file.display());
    }
    let office = Office::open(config)?;
    if once { office.run_once().await } else { office.run().await }
}

/// Why the daemon stopped without being asked to.
enum Failure {
    Task(String),
    Stuck(Stuck),
}

/// The daemon stopped because a message would not finish (the watchdog's account of it): the caller
/// exits with [`crate::intake::EXIT_STUCK`] for its supervisor to start clerk again.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Stuck(pub String);

/// Whether an office may be opened while another process holds its lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Beside {
    Allowed,
    Refused,
}

/// Everything the running daemon shares.
pub struct Office {
    pub config: Config,
    pub db: Db,
    pub rules: CurrentRules,
    pub wake_outbox: Arc<Notify>,
    /// Held while the office is open, so two clerks never work one database and its mailboxes at once
    /// (`None` for a command working beside the daemon through the journal alone).
    _lock: Option<std::fs::File>,
}

impl Office {
    /// Loads the rules and opens the database named by `config`, holding the office's lock.
    pub fn open(config: Config) -> anyhow::Result<Office> {
        Office::open_with(config, Beside::Refused).map(|(office, _)| office)
    }

    /// Like [`Office::open`], but also when a daemon holds the lock: for commands whose every change
    /// goes through the journal's transactions (`clerk retry`), which serialise them with the daemon.
    /// Beside a daemon the database is not migrated. Says whether this office holds the lock (and so
    /// must deliver what it queues itself).
    pub fn open_beside_daemon(config: Config) -> anyhow::Result<(Office, bool)> {
        Office::open_with(config, Beside::Allowed)
    }

    fn open_with(config: Config, beside: Beside) -> anyhow::Result<(Office, bool)> {
        if let Some(missing) = config.missing_sign_ins().first() {
            anyhow::bail!("{missing}");
        }
        // The same bar as `clerk check` and a reload: the rules load and their embedded tests pass.
        let (rules, report) = crate::check::load_checked(&config.rules_dir).map_err(|report| {
            anyhow::anyhow!("{report}")
                .context(format!("the rules in {} fail clerk check", config.rules_dir.display()))
        })?;
        for warning in &report.warnings {
            tracing::warn!("{warning}");
        }
        // The configuration checked the folder; it may have gone since, and clerk does not make it.
        if let Some(folder) = config.database.parent().filter(|f| !f.as_os_str().is_empty() && !f.is_dir()) {
            anyhow::bail!(
                "{} is in a folder that does not exist ({}); create the folder",
                config.database.display(),
                folder.display()
            );
        }
        let lock = lock(&config.database)?;
        // Only the holder of the lock may migrate: a newer clerk must not change the schema under a
        // running older daemon.
        let store = match (&lock, beside) {
            (Some(_), _) => Store::open(&config.database)?,
            (None, Beside::Allowed) => Store::open_current(&config.database)?,
            (None, Beside::Refused) => anyhow::bail!(
                "another clerk (the daemon, or a replay --apply or backfill) is working on {}; stop it first",
                config.database.display()
            ),
        };
        let holds_lock = lock.is_some();
        let office = Office {
            config,
            db: Db::new(store),
            rules: CurrentRules::new(rules),
            wake_outbox: Arc::new(Notify::new()),
            _lock: lock,
        };
        Ok((office, holds_lock))
    }

    /// A connection of its own for one task, so that one task's work (a batch of 500 messages, decided
    /// on a snapshot) never makes another (the outbox marking a mail sent) wait on a shared mutex; SQLite
    /// in WAL mode serialises only the writes, which are short.
    fn connection(&self) -> anyhow::Result<Db> {
        Ok(Db::new(Store::open(&self.config.database)?))
    }

    /// The intake of the mailbox named `name` (as the journal calls it), with its quarantine and time
    /// budget; a mailbox no longer configured gets neither quarantine nor a budget other than the default.
    pub fn intake_of(&self, name: &str) -> Intake {
        match self.config.mailboxes.iter().find(|m| m.name == name) {
            Some(mailbox) => self.intake(&self.db, mailbox),
            None => Intake::new(
                self.db.clone(),
                self.rules.clone(),
                self.wake_outbox.clone(),
                None,
                crate::config::DEFAULT_TIME_BUDGET,
            ),
        }
    }

    /// Delivers what is due in the outbox and returns (for commands that hold the lock).
    pub async fn deliver_outbox(&self) -> anyhow::Result<usize> {
        Ok(self.outbox()?.drain().await?)
    }

    fn intake(&self, db: &Db, mailbox: &MailboxConfig) -> Intake {
        Intake::new(
            db.clone(),
            self.rules.clone(),
            self.wake_outbox.clone(),
            mailbox.quarantine.clone(),
            mailbox.time_budget,
        )
    }

    fn outbox(&self) -> anyhow::Result<Outbox> {
        let resend_uncertain = match &self.config.delivery {
            Delivery::Smtp(account) => account.resend_uncertain,
            Delivery::Directory(_) => true,
        };
        Ok(Outbox {
            db: self.connection()?,
            transport: self.transport()?,
            wake: self.wake_outbox.clone(),
            resend_uncertain,
        })
    }

    fn transport(&self) -> anyhow::Result<Transport> {
        Ok(match &self.config.delivery {
            Delivery::Directory(dir) => Transport::directory(dir)?,
            Delivery::Smtp(account) => {
                let login = match (&account.user, &account.credential) {
                    (Some(user), Some(Credential::Password(source))) => {
                        Some(SmtpLogin::Password { user: user.clone(), password: source.read()? })
                    }
                    (Some(user), Some(Credential::OAuth2(tokens))) => {
                        Some(SmtpLogin::OAuth2 { user: user.clone(), tokens: tokens.clone() })
                    }
                    _ => None,
                };
                let scheme = if account.security == Security::Tls { "smtps" } else { "smtp" };
                let url = url::Url::parse(&format!("{scheme}://{}:{}", account.host, account.port))?;
                Transport::smtp(&SmtpSettings {
                    url,
                    login,
                    ca_file: account.ca_file.clone(),
                    hello_name: None,
                    timeout: SMTP_TIMEOUT,
                })?
            }
        })
    }

    /// Runs until SIGINT or SIGTERM.
    pub async fn run(self) -> anyhow::Result<()> {
        let (stop, stopped) = watch::channel(false);
        let mut tasks = JoinSet::new();
        self.db.run(|store| store.forget_watchers()).await?;
        let forgotten = self.db.run(|store| store.forget_old_in_hand()).await?;
        if forgotten > 0 {
            info!(forgotten, "forgot messages left in hand over a week ago that never came back");
        }
        let forgotten = self.db.run(|store| store.forget_old_failed_texts(KEEP_FAILED_DAYS)).await?;
        if forgotten > 0 {
            info!(
                forgotten,
                days = KEEP_FAILED_DAYS,
                "forgot the kept text of messages that failed long ago"
            );
        }
        for mailbox in &self.config.mailboxes {
            self.spawn_watchers(mailbox, &stopped, &mut tasks)?;
        }
        let folders = tasks.len();
        let publisher = crate::feeds::publish::Publisher::new(self.connection()?, self.config.feeds.clone());
        let shelf = publisher.shelf();
        if self.config.http_listen.is_some() || self.config.feeds.dir.is_some() {
            tasks.spawn(crate::feeds::publish::run(publisher, self.rules.clone(), stopped.clone()));
        }
        if let Some(address) = self.config.http_listen {
            let listener = tokio::net::TcpListener::bind(address)
                .await
                .with_context(|| format!("cannot listen on {address} ([http] listen)"))?;
            info!(%address, "serving /metrics and the calendar feeds (`clerk feeds` prints their links)");
            tasks.spawn(crate::http::serve(listener, self.connection()?, shelf, stopped.clone()));
        }
        tasks.spawn(crate::service::report(self.connection()?, folders, stopped.clone()));
        let outbox = self.outbox()?;
        tasks.spawn(outbox.run(stopped.clone()));
        tasks.spawn(crate::schedule::run_schedules(
            self.rules.clone(),
            self.connection()?,
            self.wake_outbox.clone(),
            stopped.clone(),
        ));
        tasks.spawn(crate::reload::keep_rules_current(
            self.rules.clone(),
            self.config.rules_dir.clone(),
            stopped.clone(),
        ));
        info!(mailboxes = self.config.mailboxes.len(), "clerk is running");
        // Every task runs until the stop: one that ends before it (a panic, the HTTP listener failing) leaves
        // clerk half working, so clerk stops and exits non-zero for systemd to restart it.
        let mut stuck = crate::intake::listen_for_stuck_messages();
        let failure = tokio::select! {
            _ = wait_for_signal() => None,
            Some(ended) = tasks.join_next() => Some(Failure::Task(match ended {
                Ok(()) => "a task ended before the stop".to_string(),
                Err(e) => format!("a task failed: {e}"),
            })),
            Ok(()) = stuck.changed() => Some(Failure::Stuck(Stuck(stuck.borrow().clone().unwrap_or_default()))),
        };
        if let Some(Failure::Task(failure)) = &failure {
            tracing::error!("{failure}; stopping so that clerk can be restarted whole");
        }
        info!("stopping: no new mail is taken; finishing the batches in hand");
        stop.send(true).ok();
        let started = tokio::time::Instant::now();
        // A folder whose message is stuck will not finish its batch: the others get a short while.
        let batches = match failure {
            Some(Failure::Stuck(_)) => STUCK_GRACE,
            _ => STOP_GRACE - LAST_OUTBOX_PASS,
        };
        if tokio::time::timeout(batches, async { while tasks.join_next().await.is_some() {} }).await.is_err()
        {
            warn!("some tasks did not stop in time; nothing is lost, they resume at the next start");
        }
        // Every task must be gone before the last pass: an outbox task still working through mail it had
        // loaded would otherwise send the same rows as the pass.
        tasks.shutdown().await;
        // What the last batches queued is sent now rather than at the next start, if the server is quick.
        let last_pass = STOP_GRACE.saturating_sub(started.elapsed());
        let outbox = self.outbox()?;
        let deliver_all = async {
            let mut tried = 0;
            loop {
                match outbox.deliver_due().await? {
                    0 => return Ok::<_, crate::store::StoreError>(tried),
                    n => tried += n,
                }
            }
        };
        match tokio::time::timeout(last_pass, deliver_all).await {
            Ok(Ok(tried)) if tried > 0 => info!(tried, "outbox: last pass done"),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                warn!(error = %e, "outbox: the last pass failed; the mail is sent at the next start")
            }
            Err(_) => warn!("outbox: the last pass ran out of time; the rest is sent at the next start"),
        }
        info!("stopped");
        match failure {
            Some(Failure::Task(failure)) => Err(anyhow::anyhow!(failure)),
            Some(Failure::Stuck(stuck)) => Err(stuck.into()),
            None => Ok(()),
        }
    }

    /// Handles what is waiting in every mailbox, then delivers the outbox, and returns.
    pub async fn run_once(&self) -> anyhow::Result<()> {
        for mailbox in &self.config.mailboxes {
            match &mailbox.source {
                Source::Imap(account) => {
                    for folder in &mailbox.folders {
                        imap::sync_once(&self.folder_watch(mailbox, account, folder)?)
                            .await
                            .with_context(|| format!("mailbox {} folder {folder}", mailbox.name))?;
                    }
                }
                Source::Maildir(root) => {
                    maildir::scan(&self.maildir_watch(mailbox, root)?)
                        .await
                        .with_context(|| format!("mailbox {}", mailbox.name))?;
                }
            }
        }
        let outbox = self.outbox()?;
        outbox.drain().await?;
        if self.config.feeds.dir.is_some() {
            let mut publisher =
                crate::feeds::publish::Publisher::new(self.connection()?, self.config.feeds.clone());
            publisher.refresh(&self.rules.get().office, chrono::Utc::now()).await?;
        }
        Ok(())
    }

    /// `clerk replay --apply` and `clerk backfill`: the mail in `mailboxes` since `since` is handled like
    /// new mail through the journal (messages it already holds, handled or failed, are skipped, so an
    /// interrupted run resumes where it stopped), then the outbox is delivered. `progress` hears of each
    /// folder's listing and each committed batch. Returns how many messages were looked at.
    pub async fn replay(
        &self,
        mailboxes: &[&MailboxConfig],
        since: chrono::NaiveDate,
        progress: &dyn Fn(crate::sources::Progress),
    ) -> anyhow::Result<usize> {
        let mut count = 0;
        for mailbox in mailboxes {
            match &mailbox.source {
                Source::Imap(account) => {
                    for folder in &mailbox.folders {
                        let watch = self.folder_watch(mailbox, account, folder)?;
                        count += imap::replay_once(&watch, since, progress)
                            .await
                            .with_context(|| format!("mailbox {} folder {folder}", mailbox.name))?;
                    }
                }
                Source::Maildir(root) => {
                    count += maildir::replay_since(&self.maildir_watch(mailbox, root)?, since, progress)
                        .await
                        .with_context(|| format!("mailbox {} ({})", mailbox.name, root.display()))?;
                }
            }
        }
        self.outbox()?.drain().await?;
        Ok(count)
    }

    fn folder_watch(
        &self,
        mailbox: &MailboxConfig,
        account: &ImapAccount,
        folder: &str,
    ) -> anyhow::Result<FolderWatch> {
        let db = self.connection()?;
        Ok(FolderWatch {
            mailbox: mailbox.name.clone(),
            account: account.clone(),
            folder: folder.to_string(),
            idle: mailbox.idle,
            poll_interval: mailbox.poll_interval,
            backfill: mailbox.backfill,
            max_message_size: mailbox.max_message_size,
            burst: Burst {
                window: mailbox.burst_window,
                every: mailbox.burst_interval.max(Duration::from_millis(10)),
            },
            sink: std::sync::Arc::new(self.intake(&db, mailbox)),
            db,
        })
    }

    fn maildir_watch(&self, mailbox: &MailboxConfig, root: &std::path::Path) -> anyhow::Result<MaildirWatch> {
        let db = self.connection()?;
        Ok(MaildirWatch {
            mailbox: mailbox.name.clone(),
            root: root.to_path_buf(),
            poll_interval: mailbox.poll_interval,
            backfill: mailbox.backfill,
            max_message_size: mailbox.max_message_size,
            sink: std::sync::Arc::new(self.intake(&db, mailbox)),
            db,
        })
    }

    fn spawn_watchers(
        &self,
        mailbox: &MailboxConfig,
        stopped: &watch::Receiver<bool>,
        tasks: &mut JoinSet<()>,
    ) -> anyhow::Result<()> {
        match &mailbox.source {
            Source::Imap(account) => {
                for folder in &mailbox.folders {
                    tasks.spawn(imap::watch_folder(
                        self.folder_watch(mailbox, account, folder)?,
                        stopped.clone(),
                    ));
                }
            }
            Source::Maildir(root) => {
                tasks.spawn(maildir::watch_maildir(self.maildir_watch(mailbox, root)?, stopped.clone()));
            }
        }
        Ok(())
    }
}

/// The office's lock file beside its database (`clerk.lock` beside `clerk.db`); `clerk status` reads
/// whether a process holds it.
pub fn lock_path(database: &std::path::Path) -> std::path::PathBuf {
    database.with_extension("lock")
}

/// Takes the office's lock (`clerk.lock` beside `clerk.db`): a second daemon, or a `replay --apply` or
/// `backfill` while the daemon runs, would move the same messages and send the same mail. The system
/// releases it when the process ends, however it ends. `None` when another process holds it.
fn lock(database: &std::path::Path) -> anyhow::Result<Option<std::fs::File>> {
    let path = lock_path(database);
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

async fn wait_for_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}
