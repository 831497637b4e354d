//! The supply desk's letters: news of what arrived for a colleague's request, and low-stock alerts.

use serde_json::{Value, json};

use super::{Letter, letter};

/// The supply desk's letters.
pub const LETTERS: &[[Letter; 2]] = &[
    letter!("supply/arrived", arrived),
    letter!("supply/low-stock", low_stock),
    letter!("supply/low-stock-subject", low_stock),
];

/// An item that fell below its reorder point: what it is, how many are left (in its unit), the
/// reorder point, how many went on the draft and to which vendor.
fn low_stock() -> Value {
    json!({
        "name": "A4 copy paper",
        "sku": "PAP-A4",
        "available": 3,
        "unit": "reams",
        "reorder_point": 10,
        "drafted": 40,
        "vendor": "Cartoleria Roma",
    })
}

/// What came for a colleague's request: whom to (first name), the request, the items, whether more
/// is to come, who signs.
fn arrived() -> Value {
    json!({
        "name": "Marco",
        "request": "REQ-2026-0007",
        "items": ["15 reams of A4 copy paper (PAP-A4)", "2 boxes of blue pens (PEN-BLU)"],
        "still_waiting": false,
        "signature": "Office Assistant",
    })
}
