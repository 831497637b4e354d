//! Compiling a rule's `when` table into a [`Condition`], reporting every mistake at its position.
//!
//! All fields of a `when` must hold; a rule without `when` matches every message.
//!
//! ```toml
//! when.from = "*@office.example"      # also to, cc, recipients (to or cc), reply_to:
//!                                     #   globs on the bare address, ignoring case (* ? [a-z] [!a-z])
//! when.subject = "opening hours"      # also body, text (subject or body): words and phrases,
//!                                     #   ignoring case, accents and punctuation; "order*" is a prefix
//! when.header."List-Id" = "news"      # a text match on the header's values; true: present, false: absent
//! when.attachment = { type = "application/pdf", name = "*.pdf" }   # or true / false
//! when.calendar = "REQUEST"           # the iTIP method of a calendar part; true: any calendar part
//! when.size = { over = "5MB", under = "20MB" }   # kB, MB, GB = 1000-based; KiB, MiB, GiB; or bytes
//! when.automatic = false              # machine-generated mail (auto-replies, bounces, lists)
//! when.intent = "supply-order"        # what the message asks, read by clerk (see `crate::intent`);
//!                                     #   also a desk's group: "meeting", "supply", "inquiry"
//! when.unsure = true                  # the readers found something but cannot say what for sure
//!
//! when.any = [{ from = "*@a.example" }, { subject = "urgent" }]   # combinations of when-tables
//! when.all = [...]
//! when.not = { from = "boss@office.example" }
//! ```
//!
//! Every field accepts the same value forms, which nest: a plain value, a list (any of them),
//! `{ any = [...] }`, `{ all = [...] }`, `{ not = ... }`, and for address, text and header fields
//! `{ regex = "..." }` (case-insensitive unless it starts with `(?-i)`; on the original text for text
//! fields, on the lower-cased address for address fields). An address field holds when any of the
//! message's addresses in it matches.

use regex::Regex;

use super::condition::{
    AddressField, AddressPattern, AttachmentTest, Bytes, CalendarTest, Condition, Test, TextField,
};
use super::text::Phrase;
use crate::intent::Intent;
use crate::mail::pattern::Glob;
use crate::toml_doc::{Item, Table, did_you_mean};
use toml::de::DeValue;

/// The keys of a `when` table and what each one is.
const FIELDS: &[(&str, Field)] = &[
    ("from", Field::Value(Kind::Address(AddressField::From))),
    ("to", Field::Value(Kind::Address(AddressField::To))),
    ("cc", Field::Value(Kind::Address(AddressField::Cc))),
    ("recipients", Field::Value(Kind::Address(AddressField::Recipients))),
    ("reply_to", Field::Value(Kind::Address(AddressField::ReplyTo))),
    ("subject", Field::Value(Kind::Text(TextField::Subject))),
    ("body", Field::Value(Kind::Text(TextField::Body))),
    ("text", Field::Value(Kind::Text(TextField::Text))),
    ("header", Field::Headers),
    ("attachment", Field::Value(Kind::Attachment)),
    ("calendar", Field::Value(Kind::Calendar)),
    ("size", Field::Value(Kind::Size)),
    ("automatic", Field::Value(Kind::Automatic)),
    ("intent", Field::Value(Kind::Intent)),
    ("unsure", Field::Value(Kind::Unsure)),
    ("any", Field::Any),
    ("all", Field::All),
    ("not", Field::Not),
];

/// A key of a `when` table.
enum Field {
    /// A message field, whose value takes the value forms.
    Value(Kind),
    /// `header`, a table of header names.
    Headers,
    /// `any`, `all`, `not`: combinations of `when`-like tables.
    Any,
    All,
    Not,
}

/// The keys that make a table a value form rather than a field's own table.
const FORMS: &[&str] = &["any", "all", "not", "regex"];

/// Compiles a `when` table (or an item of `when.any`/`when.all`/`when.not`): all its fields must hold.
/// Returns `None` when anything in it was reported.
pub(crate) fn compile_when(table: &Table<'_, '_>) -> Option<Condition> {
    if table.is_empty() {
        let path = table.path();
        table.doc().error(
            table.span(),
            format!("`{path}` is empty: give it conditions, or leave it out to match every message"),
        );
        return None;
    }
    let mut conditions = Vec::new();
    let mut ok = true;
    for (key, field) in FIELDS {
        let Some(item) = table.get(key) else {
            continue;
        };
        let at = item.span().start;
        let condition = match field {
            Field::Value(kind) => value_form(kind, &item),
            Field::Headers => compile_headers(&item),
            Field::Not => item
                .expect_table()
                .and_then(|inner| compile_when(&inner))
                .map(|inner| Condition::not(inner, at)),
            Field::Any => compile_when_list(&item).map(|items| Condition::any(items, at)),
            Field::All => compile_when_list(&item).map(|items| Condition::all(items, at)),
        };
        match condition {
            Some(condition) => conditions.push(condition),
            None => ok = false,
        }
    }
    ok.then(|| Condition::all(conditions, table.span().start))
}

/// The items of `when.any = [ {...}, {...} ]` and `when.all = [...]`.
fn compile_when_list(item: &Item<'_, '_>) -> Option<Vec<Condition>> {
    let Some(items) = item.as_array() else {
        item.type_error("a list of tables like [ { from = \"…\" }, { subject = \"…\" } ]");
        return None;
    };
    let mut conditions = Vec::new();
    let mut ok = true;
    for entry in &items {
        match entry.expect_table().and_then(|table| compile_when(&table)) {
            Some(condition) => conditions.push(condition),
            None => ok = false,
        }
    }
    if conditions.is_empty() && ok {
        item.error(format!("`{}` is an empty list", item.path()));
        return None;
    }
    ok.then_some(conditions)
}

/// `when.header."List-Id" = ...`: one condition per header name, all of which must hold.
fn compile_headers(item: &Item<'_, '_>) -> Option<Condition> {
    let table = item.expect_table()?;
    let mut conditions = Vec::new();
    let mut ok = true;
    for (name, value) in table.entries() {
        let valid =
            !name.get_ref().is_empty() && name.get_ref().bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if !valid {
            table.doc().error(
                name.span(),
                format!("`{}` is not a header name (printable ASCII without spaces or `:`)", name.get_ref()),
            );
            ok = false;
            continue;
        }
        match value_form(&Kind::Header(name.get_ref().to_string()), &value) {
            Some(condition) => conditions.push(condition),
            None => ok = false,
        }
    }
    if conditions.is_empty() && ok {
        item.error(format!("`{}` is empty", item.path()));
        return None;
    }
    ok.then(|| Condition::all(conditions, item.span().start))
}

/// What a plain value means, by field.
enum Kind {
    Address(AddressField),
    Text(TextField),
    Header(String),
    Attachment,
    Calendar,
    Size,
    Automatic,
    Intent,
    Unsure,
}

impl Kind {
    /// For type errors: what the field accepts.
    fn expected(&self) -> &'static str {
        match self {
            Kind::Address(_) | Kind::Text(_) => "a string or a list of strings",
            Kind::Header(_) => "a string, a list of strings, or true/false",
            Kind::Attachment => "true/false or a table like { type = \"application/pdf\", name = \"*.pdf\" }",
            Kind::Calendar => "a method like \"REQUEST\", a list of methods, or true/false",
            Kind::Size => "a table like { over = \"5MB\" } or { under = \"100kB\" }",
            Kind::Automatic | Kind::Unsure => "true or false",
            Kind::Intent => "an intent like \"meeting-request\" or a desk like \"supply\", or a list of them",
        }
    }
}

/// Compiles one value of a field in any of the value forms.
fn value_form(kind: &Kind, item: &Item<'_, '_>) -> Option<Condition> {
    let at = item.span().start;
    if item.as_array().is_some() {
        return each_value(kind, item).map(|conditions| Condition::any(conditions, at));
    }
    let Some(table) = item.as_table() else {
        return scalar(kind, item).map(|test| Condition::test(test, at));
    };
    let forms: Vec<&str> = FORMS.iter().copied().filter(|form| table.has(form)).collect();
    table.allow(FORMS);
    match forms.as_slice() {
        [] if matches!(kind, Kind::Attachment) => {
            attachment_table(&table).map(|test| Condition::test(test, at))
        }
        [] if matches!(kind, Kind::Size) => size_table(&table).map(|test| Condition::test(test, at)),
        [] => {
            // A misspelt form (`anyy`) is best reported as an unknown key with its suggestion; any
            // other table is the wrong type altogether, and one message says so.
            let misspelt_form =
                table.keys().iter().any(|key| did_you_mean(key.get_ref(), FORMS.iter().copied()).is_some());
            if !misspelt_form {
                item.type_error(kind.expected());
                table.skip_rest();
            }
            None
        }
        [form] => {
            let inner = table.get(form)?;
            match *form {
                "any" => each_value(kind, &inner).map(|items| Condition::any(items, at)),
                "all" => each_value(kind, &inner).map(|items| Condition::all(items, at)),
                "not" => value_form(kind, &inner).map(|c| Condition::not(c, at)),
                _ => regex(kind, &inner).map(|test| Condition::test(test, at)),
            }
        }
        _ => {
            let path = item.path();
            item.error(format!(
                "`{path}` has {}: use one per table, and nest tables to combine them",
                forms.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" and ")
            ));
            None
        }
    }
}

/// The values of a list (a single value counts as a list of one), each compiled even after an error so
/// that all of them are reported.
fn each_value(kind: &Kind, item: &Item<'_, '_>) -> Option<Vec<Condition>> {
    let items = item.as_array().unwrap_or_else(|| vec![item.clone()]);
    if items.is_empty() {
        item.error(format!("`{}` is an empty list", item.path()));
        return None;
    }
    let compiled: Vec<Option<Condition>> = items.iter().map(|i| value_form(kind, i)).collect();
    compiled.into_iter().collect()
}

/// A plain (non-table, non-list) value of a field.
fn scalar(kind: &Kind, item: &Item<'_, '_>) -> Option<Test> {
    match (kind, item.as_str(), item.as_bool()) {
        (Kind::Address(field), Some(pattern), _) => address_glob(*field, pattern, item),
        (Kind::Text(field), Some(phrase), _) => phrase_test(field.clone(), phrase, item),
        (Kind::Header(name), Some(phrase), _) => phrase_test(TextField::Header(name.clone()), phrase, item),
        (Kind::Header(name), _, Some(present)) => Some(Test::HeaderPresent(name.clone(), present)),
        (Kind::Attachment, _, Some(present)) => Some(Test::Attachment(AttachmentTest::Any(present))),
        (Kind::Calendar, _, Some(present)) => Some(Test::Calendar(CalendarTest::Any(present))),
        (Kind::Calendar, Some(method), _) => calendar_method(method, item),
        (Kind::Automatic, _, Some(automatic)) => Some(Test::Automatic(automatic)),
        (Kind::Unsure, _, Some(unsure)) => Some(Test::Unsure(unsure)),
        (Kind::Intent, Some(name), _) => intent(name, item),
        _ => {
            item.type_error(kind.expected());
            None
        }
    }
}

fn address_glob(field: AddressField, pattern: &str, item: &Item<'_, '_>) -> Option<Test> {
    let has_wildcard = pattern.contains(['*', '?', '[']);
    if !pattern.contains('@') && !has_wildcard {
        item.error(format!(
            "`{pattern}` can never match an address: write `name@domain`, or a pattern like `*@domain`"
        ));
        return None;
    }
    match Glob::new(pattern) {
        Ok(glob) => Some(Test::Address(field, AddressPattern::Glob(glob))),
        Err(e) => {
            item.error(e.to_string());
            None
        }
    }
}

fn phrase_test(field: TextField, phrase: &str, item: &Item<'_, '_>) -> Option<Test> {
    match Phrase::new(phrase) {
        Ok(phrase) => Some(Test::Phrase(field, phrase)),
        Err(e) => {
            item.error(e.to_string());
            None
        }
    }
}

/// `intent = "supply-order"`: one intent, or every intent of a desk (`"supply"`).
fn intent(name: &str, item: &Item<'_, '_>) -> Option<Test> {
    if let Some(intents) = Intent::named(name) {
        return Some(Test::Intent(name.to_owned(), intents));
    }
    let names = Intent::ALL.iter().map(|i| i.name()).chain(["meeting", "supply", "inquiry"]);
    let hint = match did_you_mean(name, names) {
        Some(near) => format!("; did you mean `{near}`?"),
        None => format!(
            "; the intents are {} (or a desk: meeting, supply, inquiry)",
            Intent::ALL.iter().map(|i| i.name()).collect::<Vec<_>>().join(", ")
        ),
    };
    item.error(format!("`{name}` is not an intent{hint}"));
    None
}

fn calendar_method(method: &str, item: &Item<'_, '_>) -> Option<Test> {
    let valid = !method.is_empty() && method.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
    if !valid {
        item.error(format!(
            "`{method}` is not a calendar method (REQUEST, REPLY, CANCEL, PUBLISH, COUNTER, ...)"
        ));
        return None;
    }
    Some(Test::Calendar(CalendarTest::Method(method.to_ascii_uppercase())))
}

/// `{ regex = "..." }`: case-insensitive unless the pattern says `(?-i)`.
fn regex(kind: &Kind, item: &Item<'_, '_>) -> Option<Test> {
    let regex = compile_regex(item.expect_str()?, item)?;
    let test = match kind {
        Kind::Address(field) => Some(Test::Address(*field, AddressPattern::Regex(regex))),
        Kind::Text(field) => Some(Test::Regex(field.clone(), regex)),
        Kind::Header(name) => Some(Test::Regex(TextField::Header(name.clone()), regex)),
        Kind::Attachment | Kind::Calendar | Kind::Size | Kind::Automatic | Kind::Intent | Kind::Unsure => {
            None
        }
    };
    if test.is_none() {
        item.error(format!("`regex` is not available for `{}`", parent(item.path())));
    }
    test
}

/// Compiles a regex from a rule file, reporting a syntax error on one line.
fn compile_regex(pattern: &str, item: &Item<'_, '_>) -> Option<Regex> {
    crate::regexes::from_rules(pattern).map_err(|reason| item.error(reason)).ok()
}

fn parent(path: &str) -> &str {
    path.rsplit_once('.').map_or(path, |(parent, _)| parent)
}

/// `attachment = { type = "…", name = "…" }`.
fn attachment_table(table: &Table<'_, '_>) -> Option<Test> {
    let content_type = table.get("type").map(|item| glob(&item));
    let name = table.get("name").map(|item| glob(&item));
    match (content_type, name) {
        (None, None) => {
            let message = format!("`{}` needs `type`, `name` or both", table.path());
            table.doc().error(table.span(), message);
            None
        }
        (Some(None), _) | (_, Some(None)) => None,
        (content_type, name) => Some(Test::Attachment(AttachmentTest::Matching {
            content_type: content_type.flatten(),
            name: name.flatten(),
        })),
    }
}

/// `size = { over = "…", under = "…" }`.
fn size_table(table: &Table<'_, '_>) -> Option<Test> {
    let over = table.get("over").map(|item| size(&item));
    let under = table.get("under").map(|item| size(&item));
    match (over, under) {
        (None, None) => {
            let message = format!("`{}` needs `over`, `under` or both", table.path());
            table.doc().error(table.span(), message);
            None
        }
        (Some(None), _) | (_, Some(None)) => None,
        (over, under) => Some(Test::Size { over: over.flatten(), under: under.flatten() }),
    }
}

fn glob(item: &Item<'_, '_>) -> Option<Glob> {
    match Glob::new(item.expect_str()?) {
        Ok(glob) => Some(glob),
        Err(e) => {
            item.error(e.to_string());
            None
        }
    }
}

/// A size: an integer of bytes, or a string with a unit. `kB`, `MB`, `GB` are powers of 1000, as mail
/// programs and disks show sizes; `KiB`, `MiB`, `GiB` are powers of 1024 for whoever needs them.
fn size(item: &Item<'_, '_>) -> Option<Bytes> {
    match item.value() {
        DeValue::String(text) => {
            let bytes = crate::units::parse_size(text);
            if bytes.is_none() {
                item.error(format!("`{text}` is not a size: {}", crate::units::SIZE_HINT));
            }
            bytes.map(|bytes| Bytes { bytes, written: text.to_string() })
        }
        DeValue::Integer(_) => match u64::try_from(item.expect_integer()?) {
            Ok(bytes) => Some(Bytes { bytes, written: bytes.to_string() }),
            Err(_) => {
                item.error("a size cannot be negative");
                None
            }
        },
        _ => {
            item.type_error("a size like \"5MB\" or a number of bytes");
            None
        }
    }
}
