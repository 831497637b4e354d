//! The values of clerk.toml read all at once: every value serde cannot read (of the wrong type, out of
//! range) is reported at its line and column with what was expected and what was found, not just the
//! first. serde stops at the first such value; so each one it stops at is noted, taken out of a working
//! copy of the document, and the reading tried again until the rest reads. A table that then lacks a
//! key it requires, because that key's value was taken out, is taken out whole: its own checks would
//! only repeat the error.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::errors::Problem;

/// What [`read`] found.
pub(super) struct Read<T> {
    /// The values that could be read; none when reading could not go on.
    pub value: Option<T>,
    /// Each value that could not be read, at its place.
    pub problems: Vec<Problem>,
    /// The keys taken out, each with the stretch of text of the table it was in: a later check of
    /// that table naming the key would only repeat the error.
    pub taken: Vec<(Range<usize>, String)>,
}

/// One step from a table or list down to a value in it.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Reads `text` as `T`, reporting every value it cannot read.
pub(super) fn read<T: for<'de> Deserialize<'de>>(text: &str) -> Read<T> {
    let mut found = Read { value: None, problems: Vec::new(), taken: Vec::new() };
    let mut root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            found.problems.push((e.span().unwrap_or(0..0), e.message().to_owned()));
            return found;
        }
    };
    // Where a key was taken out, as (the table's own span, the key), to know a "missing field" that
    // follows for what was already reported.
    let mut emptied: Vec<(Range<usize>, String)> = Vec::new();
    loop {
        let error = match T::deserialize(toml::de::Deserializer::from(root.clone())) {
            Ok(value) => {
                found.value = Some(value);
                return found;
            }
            Err(error) => error,
        };
        let message = error.message().trim().to_owned();
        let Some(span) = error.span() else {
            found.problems.push((0..0, message));
            return found;
        };
        let mut path = Vec::new();
        if !deepest(root.get_ref(), &span, &mut path) {
            found.problems.push((span, message));
            return found;
        }
        let missing = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`'));
        if missing.is_none() {
            // A wrong value inside a list or an inline table makes the whole key wrong.
            while path.len() > 1 && !matches!(path.last(), Some(Step::Key(_))) {
                path.pop();
            }
        }
        let table = node(root.get_ref(), &path[..path.len().saturating_sub(1)]);
        let table_span = table.map(extent);
        let dotted = dotted(&path);
        match missing {
            Some(key) if emptied.iter().any(|(at, k)| *at == span && k == key) => {}
            Some(key) => {
                let what = if dotted.is_empty() { key.to_owned() } else { format!("{dotted}.{key}") };
                found.problems.push((span.clone(), format!("missing `{what}`")));
            }
            None => found.problems.push((span.clone(), plain(&message, &dotted))),
        }
        if let (Some(Step::Key(key)), Some(table)) = (path.last(), table) {
            emptied.push((table.span(), key.clone()));
            found.taken.push((table_span.unwrap_or_else(|| table.span()), key.clone()));
        }
        if !take_out(root.get_mut(), &path) {
            return found;
        }
    }
}

/// Finds in `table` the innermost value whose span holds `span`, its path appended to `path`.
fn deepest(table: &DeTable<'_>, span: &Range<usize>, path: &mut Vec<Step>) -> bool {
    for (key, value) in table.iter() {
        path.push(Step::Key(key.get_ref().to_string()));
        if deepest_value(value, span, path) {
            return true;
        }
        path.pop();
    }
    false
}

fn deepest_value(value: &Spanned<DeValue<'_>>, span: &Range<usize>, path: &mut Vec<Step>) -> bool {
    let inside = match value.get_ref() {
        DeValue::Table(table) => deepest(table, span, path),
        DeValue::Array(items) => items.iter().enumerate().any(|(i, item)| {
            path.push(Step::Index(i));
            let found = deepest_value(item, span, path);
            if !found {
                path.pop();
            }
            found
        }),
        _ => false,
    };
    inside || (value.span().start <= span.start && span.end <= value.span().end)
}

/// The value at `path` under the root (the root itself for an empty path: `None`, it has no span).
fn node<'a, 'i>(root: &'a DeTable<'i>, path: &[Step]) -> Option<&'a Spanned<DeValue<'i>>> {
    let (first, rest) = path.split_first()?;
    let Step::Key(key) = first else { return None };
    let mut at = root.get(key.as_str())?;
    for step in rest {
        at = match (step, at.get_ref()) {
            (Step::Key(key), DeValue::Table(table)) => table.get(key.as_str())?,
            (Step::Index(i), DeValue::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(at)
}

/// The stretch of text a value covers with everything in it: a `[table]`'s own span is its header.
fn extent(value: &Spanned<DeValue<'_>>) -> Range<usize> {
    let mut all = value.span();
    let mut widen = |span: Range<usize>| {
        all.start = all.start.min(span.start);
        all.end = all.end.max(span.end);
    };
    match value.get_ref() {
        DeValue::Table(table) => {
            for (key, value) in table.iter() {
                widen(key.span());
                widen(extent(value));
            }
        }
        DeValue::Array(items) => items.iter().for_each(|item| widen(extent(item))),
        _ => {}
    }
    all
}

/// Removes the value at `path`; false when there was none.
fn take_out(table: &mut DeTable<'_>, path: &[Step]) -> bool {
    match path {
        [Step::Key(key)] => table.remove(key.as_str()).is_some(),
        [Step::Key(key), rest @ ..] => match table.get_mut(key.as_str()) {
            Some(value) => take_out_value(value.get_mut(), rest),
            None => false,
        },
        _ => false,
    }
}

fn take_out_value(value: &mut DeValue<'_>, path: &[Step]) -> bool {
    match (value, path) {
        (DeValue::Table(table), _) => take_out(table, path),
        (DeValue::Array(items), [Step::Index(i)]) if *i < items.len() => {
            let mut kept = DeArray::new();
            for (k, item) in items.iter().enumerate() {
                if k != *i {
                    kept.push(item.clone());
                }
            }
            *items = kept;
            true
        }
        (DeValue::Array(items), [Step::Index(i), rest @ ..]) => match items.get_mut(*i) {
            Some(item) => take_out_value(item.get_mut(), rest),
            None => false,
        },
        _ => false,
    }
}

/// The keys of `path` joined with dots, as messages name them (`mailbox.idle`: the line says which
/// mailbox).
fn dotted(path: &[Step]) -> String {
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|step| match step {
            Step::Key(key) => Some(key.as_str()),
            Step::Index(_) => None,
        })
        .collect();
    keys.join(".")
}

/// serde's "invalid type: string \"yes\", expected a boolean" as a person reads it: "expected true or
/// false for `mailbox.idle`, found \"yes\"".
fn plain(message: &str, key: &str) -> String {
    let said = message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: "));
    match said.and_then(|said| said.split_once(", expected ")) {
        Some((found, expected)) => {
            format!("expected {} for `{key}`, found {}", expected_words(expected), found_words(found))
        }
        None => format!("`{key}`: {message}"),
    }
}

fn expected_words(expected: &str) -> String {
    match expected {
        "a boolean" => "true or false".to_owned(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, 0 or more".to_owned(),
        "a sequence" => "a list".to_owned(),
        "a map" => "a table".to_owned(),
        "path string" => "a path (a string)".to_owned(),
        other => other.to_owned(),
    }
}

/// serde's `string "yes"`, `integer `5``, `boolean `true``, `sequence`, `map` as the value itself or
/// its kind.
fn found_words(found: &str) -> String {
    if let Some(text) = found.strip_prefix("string ") {
        return text.to_owned();
    }
    for kind in ["integer ", "boolean ", "floating point "] {
        if let Some(value) = found.strip_prefix(kind) {
            return value.trim_matches('`').to_owned();
        }
    }
    match found {
        "sequence" => "a list".to_owned(),
        "map" => "a table".to_owned(),
        other => other.to_owned(),
    }
}
