//! The labelled sets of office mail the accuracy tests score clerk on, and what their labels and
//! clerk's decisions say about order lines. Include it with `mod labelled;`.
//!
//! The sets are `tests/corpus/office` (the project's development set, a copy of
//! `../shared/corpus/office`), `tests/office-set` (examples of our own, in the same format) and any
//! directories named in `CLERK_OFFICE_SETS` (separated by `:`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

use clerk::effects::Effect;
use clerk::explain::Explanation;

/// Every set to score, the development set first.
pub fn sets() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sets: Vec<PathBuf> = [root.join("tests/corpus/office"), root.join("tests/office-set")]
        .into_iter()
        .filter(|d| d.is_dir())
        .collect();
    if let Ok(extra) = std::env::var("CLERK_OFFICE_SETS") {
        sets.extend(extra.split(':').filter(|d| !d.is_empty()).map(PathBuf::from));
    }
    sets
}

/// The (SKU, quantity in the item's units) lines a label gives, for an order from someone who may
/// order whose lines name items.
pub fn order_lines(label: &Value) -> Option<Vec<(String, i64)>> {
    if label.get("kind").and_then(Value::as_str) != Some("order")
        || label.get("allowed").and_then(Value::as_bool) == Some(false)
    {
        return None;
    }
    let lines: Vec<(String, i64)> = label
        .get("lines")?
        .as_array()?
        .iter()
        .filter_map(|line| Some((line.get("sku")?.as_str()?.to_owned(), line.get("qty")?.as_i64()?)))
        .collect();
    (!lines.is_empty()).then_some(lines)
}

/// The (SKU, quantity) lines of the supply requests clerk's decision opens.
pub fn lines_read(explained: &Explanation) -> Vec<(String, i64)> {
    explained
        .decision
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Supply(change) => Some(change.requests.iter().flat_map(|r| &r.lines)),
            _ => None,
        })
        .flatten()
        .map(|line| (line.sku.clone(), line.quantity))
        .collect()
}
