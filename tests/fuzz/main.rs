//! The fuzz harness: every surface a sender or an office writes, fed inputs grown from real mail by
//! structural mutations, with what clerk promises about each checked on every input.
//!
//! The surfaces (one test each): `mime` (a raw message read by `Message::parse` and the auto-reply
//! guard), `icalendar` (a calendar read, expanded, published and answered), `rule_files` (a rules
//! directory with one file changed, through `clerk check`), `templates` (a template rendered),
//! `time_reader`, `order_reader` and `text_readers` (the readers of a message's words), and `office`
//! (a whole message through the shipped rules and desks as `clerk explain` runs it).
//!
//! What every input must do: not panic; take at most [`Settings::slow`] of processor time (2 s, some
//! hundred times what ordinary mail takes, so this finds work that grows out of proportion, not
//! slowness); and keep the promises its surface checks (a message's text at most `TEXT_LIMIT`, a
//! template's output at most `MAX_OUTPUT`, no reply to an address only the body names, …). An input
//! that breaks one is a finding: it is written under the tests' temporary directory
//! (`target/tmp/fuzz-findings/<surface>/`), shrunk when it is a panic or a broken promise, and the
//! test fails naming it. One that runs for a minute is saved and stops the process; one that kills it
//! (a stack overflow) is left there as `running.input`. `CLERK_FUZZ_INPUT=FILE-OR-DIR` runs only
//! those inputs, to replay a finding. Every finding kept in `tests/fuzz/regressions/<surface>/` is
//! run first, on every run.
//!
//! The seeds are the shared corpus (`../shared/corpus`, or `tests/corpus` without the office mail;
//! `$CLERK_CORPUS` chooses another) and the project's own fixtures, samples, rules and templates. Each
//! input is made by its own seeded generator, so a run is the same on every machine: `cargo test`
//! runs a few hundred inputs a surface, and `CLERK_FUZZ_RUNS`, `CLERK_FUZZ_SEED` and
//! `CLERK_FUZZ_SLOW_MS` make a longer run (see the README's Tests section).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod corpus;
mod explain_target;
mod ics_target;
mod mime_target;
mod mutate;
mod readers_target;
mod rules_target;
mod templates_target;

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use clerk::calendar::ics::YEARS;
use corpus::Corpus;
use fastrand::Rng;

/// One input surface of clerk.
pub trait Surface: Sized + 'static {
    /// Its name: the test's, and the folder of its regressions.
    const NAME: &'static str;

    /// Inputs made per run when `CLERK_FUZZ_RUNS` does not say: what `cargo test` runs in a few
    /// seconds of a debug build.
    const BRIEF_RUNS: usize;

    /// Reads the seeds and prepares what checking needs (the shipped rules, a scratch directory).
    fn new(corpus: &Corpus) -> Self;

    /// The seeds, run as they are before any mutation.
    fn seeds(&self) -> &[Vec<u8>];

    /// A new input, made from the seeds by `rng`.
    fn mutate(&self, rng: &mut Rng) -> Vec<u8>;

    /// Runs `input` through the surface; `Err` says which promise it broke.
    fn check(&self, input: &[u8]) -> Result<(), String>;
}

/// Whether `time` lies within `margin` of the years clerk reads ([`YEARS`]), which bound its
/// arithmetic. A calendar's years are read on its own clock, up to a day from UTC; a request's "next
/// week" is read from its Date, which may be the last day of them.
pub fn near_years(time: DateTime<Utc>, margin: chrono::Duration) -> bool {
    let first = Utc.with_ymd_and_hms(*YEARS.start(), 1, 1, 0, 0, 0).single().expect("a valid time");
    let last = Utc.with_ymd_and_hms(YEARS.end() + 1, 1, 1, 0, 0, 0).single().expect("a valid time");
    (first - margin..last + margin).contains(&time)
}

/// What a run does, from the environment.
struct Settings {
    /// Mutated inputs per surface.
    runs: usize,
    /// The seed every input's generator is made from.
    seed: u64,
    /// The most processor time one input may take.
    slow: Duration,
    /// Only these inputs (a file, or every file of a directory) instead of a run: to replay a finding.
    only: Option<PathBuf>,
}

/// The seed when `CLERK_FUZZ_SEED` does not give one; any fixed number does.
const DEFAULT_SEED: u64 = 0x00C1_E4C0_0015;

/// How long one input may run before the harness gives up on it, saves it and stops the process: a
/// thread that never ends cannot be taken back.
const HANG: Duration = Duration::from_secs(60);

/// Findings reported per surface at most; a run stops looking after this many.
const MOST_FINDINGS: usize = 10;

/// How long shrinking one finding may take.
const SHRINK_TIME: Duration = Duration::from_secs(60);

impl Settings {
    fn from_env(brief_runs: usize) -> Settings {
        let number = |name: &str| {
            std::env::var(name).ok().map(|value| {
                let value = value.trim().replace('_', "");
                let parsed = match value.strip_prefix("0x") {
                    Some(hex) => u64::from_str_radix(hex, 16),
                    None => value.parse(),
                };
                parsed.unwrap_or_else(|e| panic!("{name}={value}: not a number ({e})"))
            })
        };
        Settings {
            runs: number("CLERK_FUZZ_RUNS").map_or(brief_runs, |n| n as usize),
            seed: number("CLERK_FUZZ_SEED").unwrap_or(DEFAULT_SEED),
            slow: Duration::from_millis(number("CLERK_FUZZ_SLOW_MS").unwrap_or(2_000)),
            only: std::env::var_os("CLERK_FUZZ_INPUT").map(PathBuf::from),
        }
    }
}

/// Where an input came from, to name it in a report.
#[derive(Debug, Clone)]
enum Origin {
    Regression(PathBuf),
    Seed(usize),
    Mutated(usize),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Regression(path) => write!(f, "regression {}", path.display()),
            Origin::Seed(n) => write!(f, "seed {n}"),
            Origin::Mutated(n) => write!(f, "mutated input {n}"),
        }
    }
}

/// What went wrong with one input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fault {
    /// It panicked: the message and where.
    Panic(String),
    /// It broke a promise of its surface.
    Broken(String),
    /// It took more processor time than [`Settings::slow`].
    Slow(Duration),
}

impl Fault {
    /// What makes two faults the same bug, for shrinking and for counting distinct findings: the
    /// panic's place, the promise's first words (which name the desk and field, not the address).
    fn kind(&self) -> String {
        match self {
            Fault::Panic(what) => what.rsplit(" at ").next().unwrap_or(what).to_owned(),
            Fault::Broken(why) => why.chars().take(80).collect(),
            Fault::Slow(_) => "slow".to_owned(),
        }
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Panic(what) => write!(f, "panicked: {what}"),
            Fault::Broken(why) => write!(f, "broke a promise: {why}"),
            Fault::Slow(took) => write!(f, "took {:.2} s of processor time", took.as_secs_f64()),
        }
    }
}

thread_local! {
    /// Whether this thread is running an input.
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    /// Panics on this thread while it ran the input, as `message at file:line`, whether or not
    /// something inside clerk caught them.
    static PANICS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Keeps every panic of an input being run (quietly: a caught one is reported by the harness, an
/// escaped one as a finding) and passes the others to the usual hook.
fn record_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let usual = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !RUNNING.with(Cell::get) {
                return usual(info);
            }
            let what = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            let place =
                info.location().map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
            PANICS.with(|panics| panics.borrow_mut().push(format!("{what}{place}")));
        }));
    });
}

/// The input being run, for the watchdog.
type Running = Arc<Mutex<Option<(Instant, Vec<u8>)>>>;

/// Watches the inputs of one surface: one that runs past [`HANG`] is saved and the process stopped.
fn watchdog(name: &'static str, running: Running) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(1));
            if Arc::strong_count(&running) == 1 {
                return;
            }
            let guard = running.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some((started, input)) = guard.as_ref()
                && started.elapsed() > HANG
            {
                let saved = save(name, input, "hang");
                eprintln!(
                    "fuzz {name}: an input has run for over {} s and cannot be stopped; saved as {}",
                    HANG.as_secs(),
                    saved.display()
                );
                std::process::abort();
            }
        }
    });
}

/// The processor time this thread has used: the work an input takes, whatever else the machine is
/// doing (the surfaces run each input on the calling thread).
fn thread_time() -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec it is given.
    let read = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(read, 0, "the thread's processor time cannot be read");
    Duration::new(now.tv_sec.unsigned_abs(), now.tv_nsec.clamp(0, 999_999_999) as u32)
}

/// Runs one input: the fault it shows, if any, and the panics clerk caught inside while running it.
fn run_one<S: Surface>(surface: &S, input: &[u8], settings: &Settings) -> (Option<Fault>, Vec<String>) {
    PANICS.with(|panics| panics.borrow_mut().clear());
    RUNNING.with(|running| running.set(true));
    let started = thread_time();
    let outcome = catch_unwind(AssertUnwindSafe(|| surface.check(input)));
    let took = thread_time().saturating_sub(started);
    RUNNING.with(|running| running.set(false));
    let mut panics = PANICS.with(|panics| std::mem::take(&mut *panics.borrow_mut()));
    let fault = match outcome {
        Err(_) => Some(Fault::Panic(panics.pop().unwrap_or_else(|| "a panic".to_owned()))),
        Ok(Err(why)) => Some(Fault::Broken(why)),
        Ok(Ok(())) if took > settings.slow => Some(Fault::Slow(took)),
        Ok(Ok(())) => None,
    };
    (fault, panics)
}

/// Where findings are written: under the test's temporary directory, by surface.
fn findings_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-findings").join(name)
}

/// Writes `input` as a finding of `name` and returns its path.
fn save(name: &str, input: &[u8], suffix: &str) -> PathBuf {
    let dir = findings_dir(name);
    let path =
        dir.join(format!("{}.{suffix}", clerk::digest::sha256_hex(input).get(..16).unwrap_or("input")));
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, input))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

/// A smaller input with the same fault: ranges of lines, then of bytes, taken out while the fault
/// stays, for at most [`SHRINK_TIME`].
fn shrink<S: Surface>(surface: &S, input: &[u8], fault: &Fault, settings: &Settings) -> Vec<u8> {
    let started = Instant::now();
    let same =
        |candidate: &[u8]| run_one(surface, candidate, settings).0.is_some_and(|f| f.kind() == fault.kind());
    let mut best = input.to_vec();
    for by_lines in [true, false] {
        let mut chunk = best.len() / 2;
        while chunk > 0 && started.elapsed() < SHRINK_TIME {
            let mut at = 0;
            let mut shrunk = false;
            while at < best.len() && started.elapsed() < SHRINK_TIME {
                let end = if by_lines { line_end(&best, at, chunk) } else { (at + chunk).min(best.len()) };
                let mut candidate = best[..at].to_vec();
                candidate.extend_from_slice(&best[end..]);
                if same(&candidate) {
                    best = candidate;
                    shrunk = true;
                } else {
                    at = if by_lines { line_end(&best, at, 1) } else { end };
                }
            }
            if !shrunk {
                chunk /= 2;
            }
        }
    }
    best
}

/// The end of the `lines` lines starting at `at`, but at least `at + 1`.
fn line_end(input: &[u8], at: usize, lines: usize) -> usize {
    let mut end = at;
    for _ in 0..lines.max(1) {
        match input[end..].iter().position(|&b| b == b'\n') {
            Some(n) => end += n + 1,
            None => return input.len(),
        }
        if end >= input.len() {
            break;
        }
    }
    end.max(at + 1).min(input.len())
}

/// The generator of mutated input `n` of surface `name`: each input has its own, so one can be made
/// again without the ones before it.
fn generator(seed: u64, name: &str, n: usize) -> Rng {
    let mut mixed = seed ^ 0x9E37_79B9_7F4A_7C15;
    for byte in name.bytes().chain((n as u64).to_le_bytes()) {
        mixed = (mixed ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3);
    }
    Rng::with_seed(mixed)
}

/// The regression inputs of `name`, sorted.
fn regressions(name: &str) -> Vec<PathBuf> {
    inputs_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/regressions").join(name))
}

/// The file `path`, or the files of the directory `path`, sorted; none when it does not exist.
fn inputs_in(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_owned()];
    }
    let dir = path;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())).path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Fuzzes surface `S`: its regressions, its seeds, then [`Settings::runs`] mutated inputs. The error
/// names every finding.
fn fuzz<S: Surface>() -> Result<(), String> {
    let settings = Settings::from_env(S::BRIEF_RUNS);
    record_panics();
    let corpus = Corpus::find();
    let surface = S::new(&corpus);
    assert!(!surface.seeds().is_empty(), "fuzz {}: no seeds", S::NAME);
    let running: Running = Arc::new(Mutex::new(None));
    watchdog(S::NAME, running.clone());

    let started = Instant::now();
    let mut findings: Vec<String> = Vec::new();
    let mut kinds = BTreeSet::new();
    let mut caught = BTreeSet::new();
    let (mut inputs, mut slowest, mut bytes) = (0_usize, Duration::ZERO, 0_usize);
    let (replays, seeds, runs) = match &settings.only {
        Some(only) => (inputs_in(only), &[][..], 0),
        None => (regressions(S::NAME), surface.seeds(), settings.runs),
    };
    let replays = replays.into_iter().map(|path| {
        let input = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        (Origin::Regression(path), input)
    });
    let seeds = seeds.iter().enumerate().map(|(n, seed)| (Origin::Seed(n), seed.clone()));
    let mutated =
        (0..runs).map(|n| (Origin::Mutated(n), surface.mutate(&mut generator(settings.seed, S::NAME, n))));
    // The input being run is also on disk: one that kills the process (a stack overflow, which no
    // thread survives) is left there.
    let on_disk = findings_dir(S::NAME).join("running.input");
    std::fs::create_dir_all(findings_dir(S::NAME))
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", findings_dir(S::NAME).display()));
    for (origin, input) in replays.chain(seeds).chain(mutated) {
        *running.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some((Instant::now(), input.clone()));
        std::fs::write(&on_disk, &input)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", on_disk.display()));
        let one = thread_time();
        let (fault, panics) = run_one(&surface, &input, &settings);
        slowest = slowest.max(thread_time().saturating_sub(one));
        inputs += 1;
        bytes += input.len();
        caught.extend(panics.into_iter().map(|p| p.rsplit(" at ").next().unwrap_or(&p).to_owned()));
        let Some(fault) = fault else { continue };
        if !kinds.insert(fault.kind()) && !matches!(origin, Origin::Regression(_)) {
            continue;
        }
        let saved = save(S::NAME, &input, "input");
        let mut line = format!("{origin} {fault}\n    saved as {}", saved.display());
        if !matches!(fault, Fault::Slow(_)) {
            let smallest = shrink(&surface, &input, &fault, &settings);
            if smallest.len() < input.len() {
                let shrunk = save(S::NAME, &smallest, "min");
                let _ = write!(line, "\n    shrunk to {} bytes: {}", smallest.len(), shrunk.display());
            }
        }
        eprintln!("fuzz {}: {line}", S::NAME);
        findings.push(line);
        if findings.len() == MOST_FINDINGS {
            break;
        }
    }
    *running.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    let _ = std::fs::remove_file(&on_disk);
    println!(
        "fuzz {}: {inputs} inputs ({} mutated, seed {:#x}), {:.1} MB, in {:.1} s; slowest {:.3} s; {} findings",
        S::NAME,
        settings.runs,
        settings.seed,
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        slowest.as_secs_f64(),
        findings.len()
    );
    for place in &caught {
        println!("fuzz {}: a panic caught inside clerk at {place}", S::NAME);
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzz {}: {} findings:\n{}", S::NAME, findings.len(), findings.join("\n")))
    }
}

#[test]
fn mime() {
    on_fuzz_thread::<mime_target::Mime>();
}

#[test]
fn icalendar() {
    on_fuzz_thread::<ics_target::Calendar>();
}

#[test]
fn rule_files() {
    on_fuzz_thread::<rules_target::RuleFiles>();
}

#[test]
fn templates() {
    on_fuzz_thread::<templates_target::Template>();
}

#[test]
fn time_reader() {
    on_fuzz_thread::<readers_target::TimeReader>();
}

#[test]
fn order_reader() {
    on_fuzz_thread::<readers_target::OrderReader>();
}

#[test]
fn text_readers() {
    on_fuzz_thread::<readers_target::TextReaders>();
}

#[test]
fn office() {
    on_fuzz_thread::<explain_target::Office>();
}

/// Runs [`fuzz`] on a thread with the 2 MiB stack of the daemon's threads (tokio's blocking pool, the
/// reload), so that an input nested deep enough to overflow clerk's stack overflows here too.
fn on_fuzz_thread<S: Surface>() {
    let worker = std::thread::Builder::new()
        .name(format!("fuzz {}", S::NAME))
        .stack_size(2 << 20)
        .spawn(fuzz::<S>)
        .expect("a thread for the surface");
    match worker.join() {
        Ok(outcome) => outcome.unwrap_or_else(|findings| panic!("{findings}")),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
