//! A reload that cannot finish: given up at its deadline with the last good rules kept, no second one
//! started while it is stuck, the rules read again once it ends, and the stop never waiting for it.
//! The stuck reload is a rule file that is a FIFO nobody writes to, on which reading blocks.

use std::ffi::CString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::*;
use crate::rules::tests::{A_RULE, Dir};

/// How long a test waits for what must happen; only reached when it fails.
const PATIENCE: Duration = Duration::from_secs(30);

/// Everything logged on this thread, where a current-thread runtime runs the reload task.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("the log")).into_owned()
    }

    async fn wait_for(&self, text: &str) {
        let waited = tokio::time::timeout(PATIENCE, async {
            while !self.text().contains(text) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        assert!(waited.await.is_ok(), "waiting for {text:?} in:\n{}", self.text());
    }
}

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("the log").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn mkfifo(path: &Path) {
    let name = CString::new(path.as_os_str().as_bytes()).expect("a path without NUL");
    // SAFETY: `name` is a NUL-terminated path that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo {}", path.display());
}

/// Opens `fifo` for writing once a reader has it open, which lets the reader's open return; its
/// read then waits for what is written, or for the writer to close.
async fn writer_once_read(fifo: &Path) -> std::fs::File {
    let opened = tokio::time::timeout(PATIENCE, async {
        loop {
            let file = std::fs::OpenOptions::new().write(true).custom_flags(libc::O_NONBLOCK).open(fifo);
            match file {
                Ok(file) => return file,
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    });
    opened.await.expect("the reload opens the FIFO")
}

/// The rule names of the rules in force.
fn names(rules: &CurrentRules) -> Vec<String> {
    rules.get().rules.iter().map(|rule| rule.name.clone()).collect()
}

#[tokio::test]
async fn a_reload_past_its_deadline_is_given_up_and_the_rules_are_read_again_when_it_ends() {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let dir = Dir::with_rules(A_RULE);
    let rules = CurrentRules::new(dir.load());
    let (stop, stopped) = watch::channel(false);
    let task =
        tokio::spawn(keep_current(rules.clone(), dir.path().to_owned(), Duration::from_millis(200), stopped));
    // The watch is set up when the task first runs.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let fifo = dir.path().join("20.rules.toml");
    mkfifo(&fifo);
    log.wait_for("the reload did not finish in time").await;
    assert!(
        log.text().contains("step=\"reading the rules and rendering their templates\""),
        "{}",
        log.text()
    );
    assert_eq!(names(&rules), ["filing"]);

    // An edit meanwhile starts no second reload.
    dir.write("10.rules.toml", &format!("{A_RULE}[[rule]]\nname = \"second\"\nmove = \"Second\"\n"));
    log.wait_for("not read again while an earlier reload is still stuck").await;
    assert_eq!(names(&rules), ["filing"]);

    // When the stuck reload ends, the rules are read again: by then the FIFO is a rule file.
    let mut fifo_writer = writer_once_read(&fifo).await;
    std::fs::remove_file(&fifo).expect("removing the FIFO");
    dir.write("20.rules.toml", "[[rule]]\nname = \"third\"\nmove = \"Third\"\n");
    fifo_writer.write_all(b"not a rule file [").ok();
    drop(fifo_writer);
    log.wait_for("rules reloaded").await;
    assert_eq!(names(&rules), ["filing", "second", "third"]);

    stop.send(true).expect("the task listens");
    assert!(tokio::time::timeout(PATIENCE, task).await.is_ok(), "{}", log.text());
}

#[tokio::test]
async fn the_stop_does_not_wait_for_a_reload_that_hangs() {
    let dir = Dir::with_rules(A_RULE);
    let rules = CurrentRules::new(dir.load());
    let (stop, stopped) = watch::channel(false);
    let task =
        tokio::spawn(keep_current(rules.clone(), dir.path().to_owned(), Duration::from_secs(3600), stopped));
    tokio::time::sleep(Duration::from_millis(200)).await;

    let fifo = dir.path().join("20.rules.toml");
    mkfifo(&fifo);
    // The reload has the FIFO open and waits for what will never be written while the writer is held.
    let fifo_writer = writer_once_read(&fifo).await;
    stop.send(true).expect("the task listens");
    assert!(tokio::time::timeout(PATIENCE, task).await.is_ok(), "the reload task waited for its reload");
    assert_eq!(names(&rules), ["filing"]);
    // Lets the reload thread end.
    drop(fifo_writer);
}
