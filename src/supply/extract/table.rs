//! Orders written as tables: rows of a plain-text or HTML table (cells apart by tabs, `|`, `;` or
//! runs of spaces; clerk's HTML reading puts a tab between cells) and CSV attachments.
//!
//! A row is an order line when one cell is only a quantity ("3", "x3", "3 boxes"); the cells with
//! words describe the item, a cell that is only a unit says what the quantity counts, and cells that
//! look like prices ("4.20", "€ 12,60") are left out. A header row ("Item | Qty") has no quantity and
//! is read as prose, where it names nothing.

use super::{Requested, in_line};
use crate::supply::units::unit_named;
use crate::text::plain;

/// The cells of `line` when it is a row of a table with a quantity cell, else `None`.
pub(super) fn cells(line: &str) -> Option<Vec<&str>> {
    let split: Vec<&str> = if line.contains(['\t', '|', ';']) {
        line.split(['\t', '|', ';']).map(str::trim).filter(|c| !c.is_empty()).collect()
    } else if line.contains("  ") {
        line.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect()
    } else {
        return None;
    };
    let has_quantity = split.iter().any(|cell| quantity_cell(cell));
    let has_words = split.iter().any(|cell| !quantity_cell(cell) && describes(cell));
    // "3 blue pens; 2 pads" is a list in prose, not a row: more than one cell counts something.
    let counting = split.iter().filter(|cell| counts(cell)).count();
    (split.len() >= 2 && has_quantity && has_words && counting <= 1).then_some(split)
}

/// Whether a cell holds a count of its own: only a quantity, or words with a number in them
/// ("3 blue pens").
fn counts(cell: &str) -> bool {
    quantity_cell(cell) || in_line(cell).iter().any(|r| matches!(r.quantity, super::Quantity::Given(_)))
}

/// The order line in a table row's cells.
pub(super) fn row(cells: &[&str]) -> Option<Requested> {
    let quantity = cells.iter().position(|cell| quantity_cell(cell))?;
    let unit = cells.iter().position(|cell| unit_named(&plain(cell)).is_some());
    let description: Vec<&str> = (0..cells.len())
        .filter(|i| *i != quantity && Some(*i) != unit && describes(cells[*i]))
        .map(|i| cells[i])
        .collect();
    let (quantity, unit) = (cells[quantity], unit.map_or("", |u| cells[u]));
    // Read as "3 boxes A4 paper", the quantity first so it is the one taken; commas inside a cell
    // ("Paper, A4, 80 g") do not divide it.
    let line = format!("{quantity} {unit} {}", description.join(" ").replace([',', ';', '.'], " "));
    let mut read = in_line(&line).into_iter().next()?;
    read.written = cells.join(" | ");
    Some(read)
}

/// Whether a cell is only a quantity: "3", "x3", "3x", "3 boxes", "2 risme".
fn quantity_cell(cell: &str) -> bool {
    let mut words = cell.split_whitespace();
    let Some(first) = words.next() else { return false };
    let number = first.trim_start_matches(['x', 'X']).trim_end_matches(['x', 'X']);
    let is_count = !number.is_empty()
        && number.len() <= 4
        && number.bytes().all(|b| b.is_ascii_digit())
        && !number.starts_with('0');
    match (words.next(), words.next()) {
        (None, _) => is_count,
        (Some(unit), None) => is_count && unit_named(&plain(unit)).is_some(),
        _ => false,
    }
}

/// Whether a cell has words that may describe an item: letters, and not a price.
fn describes(cell: &str) -> bool {
    let price = cell.contains(['€', '$', '£'])
        || cell.split_whitespace().any(|w| {
            let w = w.trim_start_matches(['€', '$', '£']);
            let mut parts = w.split([',', '.']);
            let whole = parts.next().unwrap_or("");
            let cents = parts.next();
            cents.is_some_and(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_digit()))
                && !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
        });
    !price && cell.chars().any(char::is_alphabetic)
}

/// Header names of a CSV's quantity column, folded.
const QUANTITY_HEADERS: &[&str] =
    &["qty", "quantity", "quantita", "qta", "q.ta", "q.ty", "pezzi", "count", "amount", "numero", "n", "nr"];
/// Header names of a CSV's columns that describe the item, folded.
const ITEM_HEADERS: &[&str] = &[
    "sku",
    "code",
    "codice",
    "item",
    "articolo",
    "description",
    "descrizione",
    "product",
    "prodotto",
    "name",
    "nome",
    "article",
    "part",
    "part number",
    "cod",
    "cod.",
    "item code",
];
/// Header names of a CSV's unit column, folded.
const UNIT_HEADERS: &[&str] = &["unit", "units", "unita", "um", "u.m.", "uom"];

/// The order lines of a CSV attachment, from its first [`MAX_LINES`](super::MAX_LINES) rows: by its
/// header's column names when it has a header ("SKU;Description;Qty"), else row by row as a table
/// (see [`crate::text::csv_rows`] for the CSV dialects read).
pub fn from_csv(bytes: &[u8]) -> Vec<Requested> {
    let rows = crate::text::csv_rows(bytes, super::MAX_LINES);
    let Some(header) = rows.first() else { return Vec::new() };
    let folded: Vec<String> = header.iter().map(|h| plain(h)).collect();
    let column = |names: &[&str]| folded.iter().position(|h| names.contains(&h.as_str()));
    let quantity_column = column(QUANTITY_HEADERS);
    let item_columns: Vec<usize> = folded
        .iter()
        .enumerate()
        .filter(|(_, h)| ITEM_HEADERS.contains(&h.as_str()))
        .map(|(i, _)| i)
        .collect();
    match quantity_column {
        Some(quantity) if !item_columns.is_empty() => {
            let unit = column(UNIT_HEADERS);
            rows[1..].iter().filter_map(|row| by_header(row, quantity, &item_columns, unit)).collect()
        }
        _ => rows
            .iter()
            .filter_map(|row| {
                let cells: Vec<&str> = row.iter().map(String::as_str).filter(|c| !c.is_empty()).collect();
                let has_quantity = cells.iter().any(|c| quantity_cell(c));
                if has_quantity { self::row(&cells) } else { None }
            })
            .collect(),
    }
}

/// A CSV row read by its header's columns.
fn by_header(row: &[String], quantity: usize, items: &[usize], unit: Option<usize>) -> Option<Requested> {
    let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
    if !quantity_cell(cell(quantity)) {
        return None;
    }
    let mut cells = vec![cell(quantity)];
    if let Some(unit) = unit.filter(|u| !cell(*u).is_empty()) {
        cells.push(cell(unit));
    }
    cells.extend(items.iter().map(|i| cell(*i)).filter(|c| !c.is_empty()));
    self::row(&cells)
}
