//! Reading hand-edited TOML files so that every mistake in a file is reported at once, each with its file,
//! line and column and what was expected.
//!
//! serde's derive stops at the first error and says little about where; people editing `office.toml` or a
//! rule file at a terminal need the whole list, pointed at the exact spot, and a suggestion when a key is
//! misspelt. So validators walk a [`Doc`] by hand: a [`Table`] hands out typed values and remembers which
//! keys were asked for, and when it goes out of scope every key nobody asked for is reported as unknown,
//! with a "did you mean" drawn from the keys that were asked for. No validator can forget that check.
//!
//! ```
//! use clerk::toml_doc::Doc;
//!
//! let text = "nmae = \"Rossi\"\nport = \"25\"\n";
//! let doc = Doc::parse("clerk.toml", text).unwrap();
//! {
//!     let root = doc.root();
//!     let _name = root.string("name");
//!     let _port = root.get("port").and_then(|port| port.expect_integer());
//! }
//! let errors: Vec<String> = doc.finish().iter().map(|d| d.to_string()).collect();
//! assert_eq!(errors, [
//!     "clerk.toml:1:1: unknown key `nmae`, did you mean `name`?",
//!     "clerk.toml:2:8: expected an integer for `port`, found a string",
//! ]);
//! ```

use std::cell::RefCell;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One problem found in a file, located by 1-based line and column (columns count characters, as
/// editors do).
///
/// A problem that concerns a whole file (it is missing, or not UTF-8) has line and column 0 and is shown
/// without them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file, as given to the reader (relative paths stay relative).
    pub file: PathBuf,
    /// 1-based line; 0 for the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 for the whole file.
    pub col: usize,
    /// What is wrong, on one line, saying what was expected.
    pub message: String,
}

impl Diagnostic {
    /// A problem with a file as a whole, where no position would help.
    pub fn whole_file(file: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { file: file.into(), line: 0, col: 0, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            let (file, line, col) = (self.file.display(), self.line, self.col);
            write!(f, "{file}:{line}:{col}: {}", self.message)
        }
    }
}

/// All the problems found while loading something, as one error value: loading reports everything wrong
/// at once, so a person can fix a file in one pass instead of one error per attempt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// A value was wrong and that was already reported to the [`Doc`]; the caller only needs to know not
/// to use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

/// Turns byte offsets into line and column; shared by TOML files and templates.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts }
    }

    /// The 1-based line and column (in characters) of byte `offset` in `text`, the text this index was
    /// built from. An offset past the end or inside a character is clamped, never a panic.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let col = text.get(start..offset).map_or(offset - start, |before| before.chars().count());
        (line, col + 1)
    }
}

/// A parsed TOML file that collects the diagnostics of everyone reading it.
pub struct Doc<'i> {
    file: PathBuf,
    text: &'i str,
    lines: LineIndex,
    root: DeTable<'i>,
    diagnostics: RefCell<Vec<Diagnostic>>,
}

impl<'i> Doc<'i> {
    /// Parses `text`, read from `file` (used in messages only). Syntax errors end the reading of the file
    /// and are all returned: a partly recovered tree would produce misleading follow-up errors.
    pub fn parse(file: impl Into<PathBuf>, text: &'i str) -> Result<Doc<'i>, Diagnostics> {
        let file = file.into();
        let lines = LineIndex::new(text);
        let (root, errors) = DeTable::parse_recoverable(text);
        if !errors.is_empty() {
            let diagnostics = errors
                .iter()
                .map(|error| {
                    let offset = error.span().map_or(0, |span| span.start);
                    let (line, col) = lines.position(text, offset);
                    Diagnostic {
                        file: file.clone(),
                        line,
                        col,
                        message: format!("TOML syntax error: {}", error.message()),
                    }
                })
                .collect();
            return Err(Diagnostics(diagnostics));
        }
        Ok(Doc { file, text, lines, root: root.into_inner(), diagnostics: RefCell::new(Vec::new()) })
    }

    /// The file name given to [`Doc::parse`].
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The top-level table.
    pub fn root(&self) -> Table<'_, 'i> {
        Table::new(self, &self.root, 0..0, String::new())
    }

    /// A diagnostic at `span` without recording it: for warnings, and for checks that can only be made
    /// once other files are read.
    pub fn diagnostic(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.lines.position(self.text, span.start);
        Diagnostic { file: self.file.clone(), line, col, message: message.into() }
    }

    /// Records an error at `span`.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) {
        let diagnostic = self.diagnostic(span, message);
        self.diagnostics.borrow_mut().push(diagnostic);
    }

    /// The 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.lines.position(self.text, offset).0
    }

    /// Everything recorded, in the order of the file.
    pub fn finish(self) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics.into_inner();
        diagnostics.sort_by_key(|d| (d.line, d.col));
        diagnostics
    }
}

/// A table being read. Keys are asked for by name; when the reader is dropped, every key that was not
/// asked for is reported as unknown, with a suggestion among the keys that were.
pub struct Table<'d, 'i> {
    doc: &'d Doc<'i>,
    table: &'d DeTable<'i>,
    span: Range<usize>,
    path: String,
    asked: RefCell<Vec<&'d str>>,
    known: RefCell<Vec<&'static str>>,
}

impl<'d, 'i> Table<'d, 'i> {
    fn new(doc: &'d Doc<'i>, table: &'d DeTable<'i>, span: Range<usize>, path: String) -> Self {
        Table { doc, table, span, path, asked: RefCell::new(Vec::new()), known: RefCell::new(Vec::new()) }
    }

    /// The document this table belongs to, to report errors that are not about one key.
    pub fn doc(&self) -> &'d Doc<'i> {
        self.doc
    }

    /// Where the table starts: its `[header]`, its `{`, or the first dotted key that made it.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The dotted path of the table as used in messages (`when`, `office`); empty for the root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The same table, with messages naming its keys from `path` instead: entries of `[[rule]]` read
    /// better as `when.from` than as `rule.when.from`, since the line already says which rule.
    pub fn with_path(mut self, path: &str) -> Self {
        self.path = path.to_owned();
        self
    }

    /// The value under `key`, marking the key as known and read.
    pub fn get(&self, key: &'static str) -> Option<Item<'d, 'i>> {
        self.known.borrow_mut().push(key);
        let (name, value) = self.table.get_key_value(key)?;
        self.asked.borrow_mut().push(name.get_ref());
        Some(Item { doc: self.doc, value, path: join(&self.path, key) })
    }

    /// Whether `key` is present, without reading it: for telling one form of a table from another.
    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// Declares keys as valid without reading them, so they are not reported as unknown; for keys that
    /// another reader of the same table handles.
    pub fn allow(&self, keys: &[&'static str]) {
        for &key in keys {
            if let Some((name, _)) = self.table.get_key_value(key) {
                self.asked.borrow_mut().push(name.get_ref());
            }
            self.known.borrow_mut().push(key);
        }
    }

    /// Every entry in the order of the file, all marked as read: for tables whose keys are data
    /// (`[departments]`, `when.header`).
    pub fn entries(&self) -> Vec<(Spanned<&'d str>, Item<'d, 'i>)> {
        let mut entries: Vec<_> = self
            .table
            .iter()
            .map(|(key, value)| {
                self.asked.borrow_mut().push(key.get_ref());
                let name = Spanned::new(key.span(), key.get_ref().as_ref());
                let item = Item { doc: self.doc, value, path: join(&self.path, key.get_ref()) };
                (name, item)
            })
            .collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        entries
    }

    /// The keys in the order of the file, without reading them.
    pub fn keys(&self) -> Vec<Spanned<&'d str>> {
        let mut keys: Vec<_> =
            self.table.keys().map(|key| Spanned::new(key.span(), key.get_ref().as_ref())).collect();
        keys.sort_by_key(|key| key.span().start);
        keys
    }

    /// Marks every key as read: for a table already reported as a whole, where a message per key
    /// would only repeat it.
    pub fn skip_rest(&self) {
        let mut asked = self.asked.borrow_mut();
        asked.extend(self.table.keys().map(|key| key.get_ref().as_ref()));
    }

    /// Whether the table has no entries at all.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Parses the value under `key` with `parse`, which reports its own errors: `Ok(None)` when the key
    /// is absent, `Err(Reported)` when `parse` found it wrong. Collecting every field this way before
    /// using `?` on any of them reports all mistakes of a table, not just the first.
    pub fn optional<T>(
        &self,
        key: &'static str,
        parse: impl FnOnce(&Item<'d, 'i>) -> Option<T>,
    ) -> Result<Option<T>, Reported> {
        match self.get(key) {
            Some(item) => parse(&item).map(Some).ok_or(Reported),
            None => Ok(None),
        }
    }

    /// A string under `key`; a value of another type is reported.
    pub fn string(&self, key: &'static str) -> Option<Spanned<&'d str>> {
        let item = self.get(key)?;
        item.expect_str().map(|s| Spanned::new(item.span(), s))
    }

    /// Like [`Table::string`], reporting a missing key at the table.
    pub fn required_string(&self, key: &'static str) -> Option<Spanned<&'d str>> {
        let value = self.string(key);
        if value.is_none() && !self.has(key) {
            self.missing(key);
        }
        value
    }

    /// A boolean under `key`; a value of another type is reported.
    pub fn bool(&self, key: &'static str) -> Option<bool> {
        self.get(key)?.expect_bool()
    }

    /// A sub-table under `key`; a value of another type is reported.
    pub fn table(&self, key: &'static str) -> Option<Table<'d, 'i>> {
        self.get(key)?.expect_table()
    }

    /// The tables of an array of tables (`[[owner]]`), or of an array of inline tables. Absent means
    /// none; anything else is reported.
    pub fn tables(&self, key: &'static str) -> Vec<Table<'d, 'i>> {
        let Some(item) = self.get(key) else {
            return Vec::new();
        };
        let Some(items) = item.as_array() else {
            item.type_error(&format!("a list of tables (written [[{key}]])"));
            return Vec::new();
        };
        items.into_iter().filter_map(|item| item.expect_table()).collect()
    }

    /// Reports that `key` is required here.
    pub fn missing(&self, key: &str) {
        let what = join(&self.path, key);
        self.doc.error(self.span(), format!("missing `{what}`"));
    }
}

impl Drop for Table<'_, '_> {
    fn drop(&mut self) {
        let asked = self.asked.borrow();
        let known = self.known.borrow();
        let mut unknown: Vec<_> =
            self.table.keys().filter(|key| !asked.contains(&key.get_ref().as_ref())).collect();
        unknown.sort_by_key(|key| key.span().start);
        for key in unknown {
            let name = join(&self.path, key.get_ref());
            let message = match did_you_mean(key.get_ref(), known.iter().copied()) {
                Some(close) => {
                    let close = join(&self.path, close);
                    format!("unknown key `{name}`, did you mean `{close}`?")
                }
                None => format!("unknown key `{name}`"),
            };
            self.doc.error(key.span(), message);
        }
    }
}

/// One value, with its position and path for messages.
#[derive(Clone)]
pub struct Item<'d, 'i> {
    doc: &'d Doc<'i>,
    value: &'d Spanned<DeValue<'i>>,
    path: String,
}

impl<'d, 'i> Item<'d, 'i> {
    /// Where the value is in the file.
    pub fn span(&self) -> Range<usize> {
        self.value.span()
    }

    /// The dotted key path of the value, as used in messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The document, to report errors that concern more than this value.
    pub fn doc(&self) -> &'d Doc<'i> {
        self.doc
    }

    /// The raw value.
    pub fn value(&self) -> &'d DeValue<'i> {
        self.value.get_ref()
    }

    /// The value's type as a message says it: "a string", "an integer", "a list", ...
    pub fn kind(&self) -> &'static str {
        match self.value() {
            DeValue::String(_) => "a string",
            DeValue::Integer(_) => "an integer",
            DeValue::Float(_) => "a float",
            DeValue::Boolean(_) => "a boolean",
            DeValue::Datetime(_) => "a date-time",
            DeValue::Array(_) => "a list",
            DeValue::Table(_) => "a table",
        }
    }

    /// Records an error at this value.
    pub fn error(&self, message: impl Into<String>) {
        self.doc.error(self.span(), message);
    }

    /// Records "expected `expected` for `path`, found `kind`".
    pub fn type_error(&self, expected: &str) {
        let (path, found) = (&self.path, self.kind());
        self.error(format!("expected {expected} for `{path}`, found {found}"));
    }

    /// The string, if the value is one.
    pub fn as_str(&self) -> Option<&'d str> {
        match self.value() {
            DeValue::String(s) => Some(s.as_ref()),
            _ => None,
        }
    }

    /// The boolean, if the value is one.
    pub fn as_bool(&self) -> Option<bool> {
        self.value().as_bool()
    }

    /// The items, if the value is a list. Items carry the path of the list: their position says which.
    pub fn as_array(&self) -> Option<Vec<Item<'d, 'i>>> {
        match self.value() {
            DeValue::Array(items) => Some(
                items.iter().map(|value| Item { doc: self.doc, value, path: self.path.clone() }).collect(),
            ),
            _ => None,
        }
    }

    /// A reader for the value, if it is a table.
    pub fn as_table(&self) -> Option<Table<'d, 'i>> {
        match self.value() {
            DeValue::Table(table) => Some(Table::new(self.doc, table, self.span(), self.path.clone())),
            _ => None,
        }
    }

    /// The string, or a type error.
    pub fn expect_str(&self) -> Option<&'d str> {
        let s = self.as_str();
        if s.is_none() {
            self.type_error("a string");
        }
        s
    }

    /// The boolean, or a type error.
    pub fn expect_bool(&self) -> Option<bool> {
        let b = self.as_bool();
        if b.is_none() {
            self.type_error("true or false");
        }
        b
    }

    /// The integer, or a type error (or a range error for integers beyond 64 bits).
    pub fn expect_integer(&self) -> Option<i64> {
        match self.value() {
            DeValue::Integer(i) => {
                let n = i64::from_str_radix(i.as_str(), i.radix()).ok();
                if n.is_none() {
                    self.error(format!("`{}` is too large a number", self.path));
                }
                n
            }
            _ => {
                self.type_error("an integer");
                None
            }
        }
    }

    /// A reader for the table, or a type error.
    pub fn expect_table(&self) -> Option<Table<'d, 'i>> {
        let table = self.as_table();
        if table.is_none() {
            self.type_error("a table");
        }
        table
    }

    /// A string or a list of strings, as a list; anything else is reported.
    pub fn strings(&self) -> Option<Vec<Spanned<&'d str>>> {
        const EXPECTED: &str = "a string or a list of strings";
        if let Some(s) = self.as_str() {
            return Some(vec![Spanned::new(self.span(), s)]);
        }
        let Some(items) = self.as_array() else {
            self.type_error(EXPECTED);
            return None;
        };
        let mut strings = Vec::with_capacity(items.len());
        let mut all_strings = true;
        for item in items {
            match item.as_str() {
                Some(s) => strings.push(Spanned::new(item.span(), s)),
                None => {
                    item.type_error(EXPECTED);
                    all_strings = false;
                }
            }
        }
        all_strings.then_some(strings)
    }
}

/// The candidate closest to `word`, if one is close enough to be what was meant.
///
/// Jaro-Winkler catches transpositions and dropped letters in longer words (`whne`, `sbject`,
/// `forwad`); an edit distance of one catches short words, where Jaro-Winkler is too strict (`tp` for
/// `to`). Anything farther is not suggested: a wrong suggestion misleads more than none.
pub fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .into_iter()
        .filter(|candidate| *candidate != word)
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|&(score, candidate)| {
            score >= 0.8 || (word.chars().count() >= 2 && strsim::osa_distance(word, candidate) <= 1)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// Appends `key` to a dotted path, quoting keys that are not bare TOML keys (`header."X Mailer"`).
fn join(path: &str, key: &str) -> String {
    let bare = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let key = if bare { key.to_owned() } else { format!("{key:?}") };
    if path.is_empty() { key } else { format!("{path}.{key}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str, read: impl Fn(&Table)) -> Vec<String> {
        let doc = match Doc::parse("f.toml", text) {
            Ok(doc) => doc,
            Err(errors) => return errors.0.iter().map(|d| d.to_string()).collect(),
        };
        read(&doc.root());
        doc.finish().iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn unknown_key_suggests_the_close_one() {
        let found = errors("[rule]\nwhne = 1\n", |root| {
            if let Some(rule) = root.table("rule") {
                rule.get("when");
            }
        });
        assert_eq!(found, ["f.toml:2:1: unknown key `rule.whne`, did you mean `rule.when`?"]);
    }

    #[test]
    fn unknown_key_far_from_every_known_one_gets_no_suggestion() {
        let found = errors("colour = 1\n", |root| {
            root.get("when");
            root.get("desk");
        });
        assert_eq!(found, ["f.toml:1:1: unknown key `colour`"]);
    }

    #[test]
    fn short_keys_are_suggested_at_one_edit() {
        assert_eq!(did_you_mean("tp", ["to", "cc", "from"]), Some("to"));
        assert_eq!(did_you_mean("sbject", ["subject", "body"]), Some("subject"));
        assert_eq!(did_you_mean("forwad", ["forward", "flag"]), Some("forward"));
        assert_eq!(did_you_mean("zzz", ["to", "cc", "from"]), None);
    }

    #[test]
    fn type_error_says_what_was_expected_and_found() {
        let found = errors("[when]\nfrom = 12\n", |root| {
            if let Some(when) = root.table("when") {
                when.get("from").and_then(|from| from.strings());
            }
        });
        assert_eq!(
            found,
            ["f.toml:2:8: expected a string or a list of strings for `when.from`, found an integer"]
        );
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let found = errors("a = 1\nb = \"open\n", |_| {});
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("f.toml:2:10: TOML syntax error"), "{found:?}");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let found = errors("x = \"è\"; y = 1\n", |_| {});
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("f.toml:1:8: "), "{found:?}");
        let text = "a = \"perché\" # x\n";
        let lines = LineIndex::new(text);
        assert_eq!(lines.position(text, text.find('#').unwrap_or(0)), (1, 14));
    }

    #[test]
    fn missing_required_key_is_reported_at_the_table() {
        let found = errors("x = 1\n[office]\ntimezone = \"Europe/Rome\"\n", |root| {
            root.get("x");
            if let Some(office) = root.table("office") {
                office.required_string("name");
                office.string("timezone");
            }
        });
        assert_eq!(found, ["f.toml:2:1: missing `office.name`"]);
    }

    #[test]
    fn dotted_and_quoted_keys_are_located_at_the_key() {
        let found = errors("when.sbject = \"x\"\nwhen.header.\"X Foo\" = 1\n", |root| {
            if let Some(when) = root.table("when") {
                when.get("subject");
                when.get("header");
            }
        });
        assert_eq!(found, ["f.toml:1:6: unknown key `when.sbject`, did you mean `when.subject`?"]);
    }

    #[test]
    fn diagnostics_display_one_per_line() {
        let all = Diagnostics(vec![
            Diagnostic::whole_file("a.toml", "missing"),
            Diagnostic { file: "b.toml".into(), line: 3, col: 7, message: "bad".into() },
        ]);
        assert_eq!(all.to_string(), "a.toml: missing\nb.toml:3:7: bad");
    }
}
