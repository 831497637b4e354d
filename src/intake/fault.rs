//! What went wrong inside clerk's own code while it handled one message, said so that an operator can
//! act on it: a panic becomes a reason with its place in the source ("clerk failed at
//! src/calendar/ics.rs:120: …") instead of a lost connection.
//!
//! Debug builds (the ones the integration tests run) also read `CLERK_TEST_FAULTS`, a comma-separated
//! list of `panic:WORD`, `hang:WORD` and `slow:WORD`: a message whose subject contains WORD then
//! panics, never finishes, or takes a fifth of a second, which is how the tests feed clerk a poison
//! message whose flaw no fix can remove. Release builds ignore it.

use std::any::Any;
use std::cell::RefCell;
use std::sync::Once;

thread_local! {
    /// Where the last panic on this thread happened, kept by the hook for the reason.
    static LAST_PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs, once per process, a panic hook that remembers where each panic happened (for
/// [`panic_reason`]) before the usual report.
pub fn remember_panic_places() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let place = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
            LAST_PANIC_AT.with(|last| *last.borrow_mut() = place);
            previous(info);
        }));
    });
}

/// The reason to record for a panic caught on this thread.
pub fn panic_reason(payload: &(dyn Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string());
    match LAST_PANIC_AT.with(|last| last.borrow_mut().take()) {
        Some(place) => format!("clerk failed at {place}: {what} (a bug in clerk; please report it)"),
        None => format!("clerk failed: {what} (a bug in clerk; please report it)"),
    }
}

/// A fault a test asks for: what to do to a message whose subject contains the word.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fault {
    Panic(String),
    Hang(String),
    /// Takes a fifth of a second, for the time budget's tests.
    Slow(String),
}

/// The faults `CLERK_TEST_FAULTS` asks for, read once.
fn asked() -> &'static [Fault] {
    static ASKED: std::sync::OnceLock<Vec<Fault>> = std::sync::OnceLock::new();
    ASKED.get_or_init(|| {
        let spec = std::env::var("CLERK_TEST_FAULTS").unwrap_or_default();
        spec.split(',').filter_map(parse).collect()
    })
}

fn parse(fault: &str) -> Option<Fault> {
    match fault.split_once(':')? {
        ("panic", word) => Some(Fault::Panic(word.to_string())),
        ("hang", word) => Some(Fault::Hang(word.to_string())),
        ("slow", word) => Some(Fault::Slow(word.to_string())),
        _ => None,
    }
}

/// In debug builds, panics, hangs or dawdles as `CLERK_TEST_FAULTS` (or a unit test) asks for a
/// message with this subject.
pub fn injected(subject: &str) {
    if !cfg!(debug_assertions) {
        return;
    }
    #[cfg(test)]
    let extra = UNIT_FAULTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    #[cfg(not(test))]
    let extra: Vec<Fault> = Vec::new();
    for fault in asked().iter().chain(&extra) {
        match fault {
            Fault::Panic(word) if subject.contains(word.as_str()) => panic!("injected fault for a test"),
            Fault::Hang(word) if subject.contains(word.as_str()) => loop {
                std::thread::sleep(std::time::Duration::from_secs(1));
            },
            Fault::Slow(word) if subject.contains(word.as_str()) => {
                std::thread::sleep(std::time::Duration::from_millis(200))
            }
            _ => {}
        }
    }
}

/// Faults the unit tests ask for without touching the process's environment.
#[cfg(test)]
static UNIT_FAULTS: std::sync::Mutex<Vec<Fault>> = std::sync::Mutex::new(Vec::new());

/// Asks for `fault` (`panic:WORD`, `hang:WORD`, `slow:WORD`) in this test process; pick a word
/// no other test's subject contains.
#[cfg(test)]
pub fn inject_for_unit_tests(fault: &str) {
    if let Some(fault) = parse(fault) {
        UNIT_FAULTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(fault);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_is_told_with_its_place_in_the_source() {
        remember_panic_places();
        let caught = std::panic::catch_unwind(|| {
            let starts: Vec<u8> = Vec::new();
            starts.first().copied().expect("an event without a start")
        });
        let reason = panic_reason(caught.err().as_deref().expect("it panicked"));
        assert!(reason.contains("an event without a start"), "{reason}");
        assert!(reason.contains("src/intake/fault.rs:"), "{reason}");
    }
}
