//! The seeds: the shared corpus of real mail and calendars, and the project's own fixtures, samples,
//! rules and templates.
//!
//! The corpus is `$CLERK_CORPUS` if set, else `../shared/corpus` beside the project (where CI keeps it,
//! with the office's labelled mail), else `tests/corpus` (the project's copy of its real-world part).
//! A missing corpus fails the run: fuzzing without the real mail would check little.

use std::path::{Path, PathBuf};

use clerk::mail::message::Message;

/// The seed files, read once per surface.
pub struct Corpus {
    /// The corpus directory (`eml/`, `imip/`, `ics/`, perhaps `office/eml/`).
    pub dir: PathBuf,
    /// The project's root.
    pub root: PathBuf,
}

impl Corpus {
    pub fn find() -> Corpus {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let dir = match std::env::var_os("CLERK_CORPUS") {
            Some(dir) => PathBuf::from(dir),
            None if root.join("../shared/corpus/eml").is_dir() => root.join("../shared/corpus"),
            None => root.join("tests/corpus"),
        };
        for sub in ["eml", "imip", "ics"] {
            assert!(
                dir.join(sub).is_dir(),
                "the corpus is missing: expected {sub}/ under {} (set CLERK_CORPUS to the corpus directory)",
                dir.display()
            );
        }
        Corpus { dir, root }
    }

    /// Every message: the corpus's real-world and office mail, the fixtures and the rules' samples.
    pub fn mail(&self) -> Vec<Vec<u8>> {
        let mut mail = Vec::new();
        for dir in [self.dir.join("eml"), self.dir.join("imip"), self.dir.join("office/eml")] {
            mail.extend(read_all(&dir, |_| true));
        }
        for dir in ["tests/fixtures", "rules/samples"] {
            mail.extend(read_all(&self.root.join(dir), |path| path.extension().is_some_and(|e| e == "eml")));
        }
        mail
    }

    /// The office's own mail (`office/eml`), or the fixtures and samples when the corpus has none:
    /// the words people write to an office.
    pub fn office_mail(&self) -> Vec<Vec<u8>> {
        let mut mail = read_all(&self.dir.join("office/eml"), |_| true);
        for dir in ["tests/fixtures", "rules/samples"] {
            mail.extend(read_all(&self.root.join(dir), |path| path.extension().is_some_and(|e| e == "eml")));
        }
        mail
    }

    /// Every calendar: the corpus's .ics files and the calendar parts of its messages.
    pub fn calendars(&self) -> Vec<Vec<u8>> {
        let mut calendars = read_all(&self.dir.join("ics"), |_| true);
        for raw in self.mail() {
            if let Ok(message) = Message::parse(&raw) {
                calendars.extend(message.calendars.into_iter().map(|part| part.text.into_bytes()));
            }
        }
        calendars.sort();
        calendars.dedup();
        calendars
    }

    /// The readable texts of the office's mail and the labelled orders of `tests/fixtures/supply`:
    /// what the readers of words are given.
    pub fn texts(&self) -> Vec<String> {
        let mut texts: Vec<String> = self
            .office_mail()
            .iter()
            .filter_map(|raw| Message::parse(raw).ok())
            .flat_map(|message| [message.subject, message.text])
            .filter(|text| !text.trim().is_empty())
            .collect();
        #[derive(serde::Deserialize)]
        struct Labelled {
            message: Vec<Case>,
        }
        #[derive(serde::Deserialize)]
        struct Case {
            text: String,
        }
        for file in read_all(&self.root.join("tests/fixtures/supply"), |_| true) {
            let text = String::from_utf8(file).expect("the labelled orders are UTF-8");
            let labelled: Labelled = toml::from_str(&text).expect("the labelled orders parse");
            texts.extend(labelled.message.into_iter().map(|case| case.text));
        }
        texts
    }
}

/// The contents of the files in `dir` that `keep` takes, sorted by name; none when it does not exist.
pub fn read_all(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())).path())
        .filter(|path| path.is_file() && keep(path))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())))
        .collect()
}
