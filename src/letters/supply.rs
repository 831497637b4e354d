//! The supply desk's letters: to colleagues (the confirmation of a request, with questions about what
//! clerk did not understand; the manager's decision; news of what arrived), to the manager (requests
//! and purchase orders to approve, low-stock alerts), and to vendors (the purchase order and its
//! reminder).

use serde_json::{Value, json};

use super::{Letter, letter};

/// The supply desk's letters.
pub const LETTERS: &[[Letter; 2]] = &[
    letter!("supply/arrived", arrived),
    letter!("supply/delivery-recorded", delivery_recorded),
    letter!("supply/delivery-unclear", delivery_unclear),
    letter!("supply/vendor-news", vendor_news),
    letter!("supply/low-stock", low_stock),
    letter!("supply/low-stock-subject", low_stock),
    letter!("supply/confirmation", confirmation),
    letter!("supply/nothing-found", nothing_found),
    letter!("supply/not-a-requester", not_a_requester),
    letter!("supply/approve-request", approve_request),
    letter!("supply/approve-request-subject", approve_request),
    letter!("supply/approve-order", approve_order),
    letter!("supply/approve-order-subject", approve_order),
    letter!("supply/decided", decided),
    letter!("supply/purchase-order", purchase_order),
    letter!("supply/purchase-order-subject", order_subject),
    letter!("supply/order-reminder", order_reminder),
    letter!("supply/order-lines", order_lines),
    letter!("supply/order-lines-html", order_lines),
];

/// An item that fell below its reorder point: what it is, how many are left (in its unit), the
/// reorder point, how many are on its order and to which vendor, how many were on order already,
/// the order (or none) and what became of it (`now`, `approval`, `minimum`, `next_run`, `nothing`).
fn low_stock() -> Value {
    json!({
        "name": "A4 copy paper",
        "sku": "PAP-A4",
        "available": 3,
        "unit": "reams",
        "reorder_point": 10,
        "drafted": 40,
        "vendor": "Cartoleria Roma",
        "on_order": 0,
        "order": "PO-2026-0042",
        "ordered": "now",
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

/// A colleague's request as recorded: whom to (first name), the request, its lines and where each
/// stands (the item with its quantity, how many are handed out and how many ordered, when those are
/// expected, whether the quantity was assumed), who must approve it (or none), whether everything is
/// ready, whether something is, whether something is still to come, the lines of earlier messages
/// still to come (as the lines), the lines not understood (as written, why, the closest items, the closest one's name and
/// unit), who signs.
fn confirmation() -> Value {
    json!({
        "name": "Marco",
        "request": "REQ-2026-0007",
        "lines": [
            {"item": "15 reams of A4 copy paper (PAP-A4)", "from_stock": 15, "waiting": 0, "expected": null, "assumed": false},
            {"item": "1 cartridge of Toner HP 26A (TON-26A)", "from_stock": 0, "waiting": 1, "expected": "Fri 11 December", "assumed": true},
        ],
        "approver": null,
        "all_ready": false,
        "some_ready": true,
        "awaited": true,
        "earlier": [
            {"item": "10 pieces of Blue pen (PEN-BLU)", "from_stock": 4, "waiting": 6, "expected": "Fri 11 December", "assumed": false},
        ],
        "questions": [
            {"written": "10 pens", "doubt": "several", "closest": ["Blue pen (PEN-BLU)", "Red pen (PEN-RED)"], "item": "Blue pen", "unit": "pieces"},
        ],
        "signature": "Office Assistant",
    })
}

/// The answer to a message with nothing to order in it: whom to (first name), some items of the
/// catalog, who signs.
fn nothing_found() -> Value {
    json!({
        "name": "Marco",
        "examples": ["A4 copy paper (PAP-A4)", "Blue pen (PEN-BLU)", "Toner HP 26A (TON-26A)"],
        "signature": "Office Assistant",
    })
}

/// The answer to someone who may not order: whom to (first name), who got their message, who signs.
fn not_a_requester() -> Value {
    json!({"name": "Paolo", "manager": "Giulia Rossi", "signature": "Office Assistant"})
}

/// A request over the limit, to the manager: the request, who asks (address and name, or none), the
/// lines with their costs, the total and why it needs approval.
fn approve_request() -> Value {
    json!({
        "request": "REQ-2026-0007",
        "requester": "marco.verdi@office.example",
        "requester_name": "Marco Verdi",
        "lines": [
            {"item": "2 cartridges of Toner HP 26A (TON-26A)", "cost": "EUR 178.00"},
            {"item": "5 reams of A4 copy paper (PAP-A4)", "cost": "EUR 21.00"},
        ],
        "total": "EUR 199.00",
        "why": {"limit": "EUR 150.00", "quantity": null, "item": null, "most": null},
    })
}

/// A purchase order over its vendor's limit, to the manager: the order, the vendor, the lines (how
/// many, the unit, the description, the SKU, the cost), the total before and with VAT, the limit.
fn approve_order() -> Value {
    json!({
        "number": "PO-2026-0042",
        "vendor": "PrintSupply",
        "lines": [
            {"quantity": 4, "unit": "cartridges", "description": "Toner HP 26A", "sku": "TON-26A", "cost": "EUR 356.00"},
        ],
        "total": "EUR 356.00",
        "with_vat": "EUR 434.32",
        "limit": "EUR 300.00",
    })
}

/// The manager's decision, to the requester: whom to (first name), the request, whether approved,
/// the reason given (or none), where each line stands (as in the confirmation), who signs.
fn decided() -> Value {
    json!({
        "name": "Marco",
        "request": "REQ-2026-0007",
        "approved": true,
        "reason": null,
        "lines": [
            {"item": "2 cartridges of Toner HP 26A (TON-26A)", "from_stock": 1, "waiting": 1, "expected": "Fri 11 December", "assumed": false},
        ],
        "signature": "Office Assistant",
    })
}

/// The subject of an order's mails: the order and the office.
fn order_subject() -> Value {
    json!({"number": "PO-2026-0042", "office": "Rossi & Bianchi Studio"})
}

/// The table of an order's lines: each line (the vendor's code, the description, how many, the unit,
/// the unit price, the line's total), then the subtotal, the VAT rate and VAT, and the total.
fn order_lines() -> Value {
    json!({
        "lines": [
            {"vendor_sku": "CC-80500", "description": "Carta A4", "quantity": 35, "unit": "risme", "unit_price": "EUR 4,20", "total": "EUR 147,00"},
            {"vendor_sku": "BP-50", "description": "Penna blu", "quantity": 10, "unit": "pezzi", "unit_price": "EUR 0,35", "total": "EUR 3,50"},
        ],
        "subtotal": "EUR 150,50",
        "vat_rate": "22",
        "vat": "EUR 33,11",
        "total": "EUR 183,61",
    })
}

/// The table as the letters are given it.
const TABLE: &str = "\
Codice    Descrizione  Q.tà  Unità  Prezzo unit.  Totale riga
--------  -----------  ----  -----  ------------  -----------
CC-80500  Carta A4       35  risme      EUR 4,20   EUR 147,00
BP-50     Penna blu      10  pezzi      EUR 0,35     EUR 3,50
                                       Imponibile  EUR 150,50
                                           IVA 22%  EUR 33,11
                                           Totale  EUR 183,61

";

/// The purchase order: the vendor, the order, the office's customer number (or none), the order and
/// delivery dates, where to deliver and whom to invoice (one line each), the table of lines, who
/// signs and for whom.
fn purchase_order() -> Value {
    json!({
        "vendor": "Cartoleria Roma",
        "number": "PO-2026-0042",
        "customer_number": "RB-2291",
        "order_date": "7 dicembre 2026",
        "delivery": "9 dicembre 2026",
        "ship_to": ["Rossi & Bianchi Studio", "Via Roma 1", "00100 Roma"],
        "bill_to": ["Rossi & Bianchi Studio", "Via Roma 1", "00100 Roma"],
        "table": TABLE,
        "assistant": "Office Assistant",
        "office": "Rossi & Bianchi Studio",
    })
}

/// The reminder of an overdue order: the vendor, the order, when it was sent and due, the table of
/// lines, who signs and for whom.
fn order_reminder() -> Value {
    json!({
        "vendor": "Cartoleria Roma",
        "number": "PO-2026-0042",
        "sent": "7 dicembre 2026",
        "expected": "9 dicembre 2026",
        "table": TABLE,
        "assistant": "Office Assistant",
        "office": "Rossi & Bianchi Studio",
    })
}

/// A delivery recorded: the purchase order, what came (each `quantity` and `sku`), who signs.
fn delivery_recorded() -> Value {
    json!({
        "number": "PO-2026-0042",
        "lines": [{"quantity": 10, "sku": "PAP-A4"}, {"quantity": 2, "sku": "TON-HP"}],
        "signature": "Office Assistant\n",
    })
}

/// A delivery clerk could not read: the purchase order, the items named without a quantity (empty
/// when the message says something is missing without saying what came), who signs.
fn delivery_unclear() -> Value {
    json!({ "number": "PO-2026-0042", "unnumbered": ["toner"], "signature": "Office Assistant\n" })
}

/// A vendor's answer passed to the manager: the vendor, the order, what clerk read (`backordered`,
/// `partly_confirmed`, `unclear`, or `closed` for an order no longer owed), its state, the date the vendor gives (or none), the lines the news is about
/// (each with how many were ordered and are coming), whether clerk could not tell which lines, and
/// the vendor's words.
fn vendor_news() -> Value {
    json!({
        "vendor": "Cartoleria Roma",
        "number": "PO-2026-0042",
        "news": "partly_confirmed",
        "state": "partly_confirmed",
        "until": "Fri 15 January",
        "lines": [{"item": "Carta A4 (PAP-A4)", "ordered": 10, "coming": 3}],
        "unsure": false,
        "said": "Possiamo consegnare solo 3 dei 10 pezzi richiesti.",
    })
}
