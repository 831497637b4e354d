//! The purchase order as the vendor receives it, and the reminder when it is overdue.
//!
//! Subject `Purchase Order PO-2026-0042 – <office>`; the PO number, the office's customer number,
//! order and requested delivery dates, ship-to and bill-to; a table of vendor SKU, description,
//! quantity, unit, unit price and line total; subtotal, VAT and total with the currency; a request to
//! confirm the delivery date and quote the PO number on the invoice. Plain text and HTML in the
//! vendor's language (English or Italian), a CSV of the lines for the vendor's system, Reply-To the
//! assistant. Its Message-ID comes from the order's number, so it is queued once however often the
//! job or the desk that sends it runs again.
//!
//! The words and the layout are the letters `supply/purchase-order`, `supply/purchase-order-subject`,
//! `supply/order-reminder` and the table of lines in both (`supply/order-lines`, and
//! `supply/order-lines-html` for the HTML part); here their values are gathered, the dates, quantities
//! and prices written as the vendor reads them.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::mail::compose::{self, Attachment, ComposeError, Extras, Notice, OutboundMail, html_escape};
use crate::mail::message::Address;
use crate::office::Office;
use crate::rules::{TemplateError, Templates};
use crate::supply::catalog::{Catalog, Vendor};
use crate::supply::letters;
use crate::supply::money::{Money, amount_written};
use crate::supply::purchase::PurchaseOrder;
use crate::supply::units;

/// What a purchase-order mail is written from.
pub struct OrderLetter<'a> {
    pub order: &'a PurchaseOrder,
    pub vendor: &'a Vendor,
    pub catalog: &'a Catalog,
    pub office: &'a Office,
    /// The letters, the office's own where it has them.
    pub templates: &'a Templates,
    pub now: DateTime<Utc>,
}

/// Why a mail about an order could not be written.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    /// Its letter failed (an office's template, most likely).
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Compose(#[from] ComposeError),
}

impl OrderLetter<'_> {
    /// The date the vendor is asked to deliver by: its lead time in the office's working days.
    pub fn requested_delivery(&self) -> NaiveDate {
        let today = self.now.with_timezone(&self.office.timezone).date_naive();
        self.office.hours.after_days(today, self.vendor.lead_time_days)
    }

    /// "7 December 2026" / "7 dicembre 2026".
    fn date(&self, date: NaiveDate) -> String {
        letters::language(&self.vendor.language).day(date, "%-d %B %Y")
    }

    fn money(&self, amount: rust_decimal::Decimal) -> String {
        Money::new(amount, self.order.currency).written(&self.vendor.language)
    }

    /// Renders the letter `name` in the vendor's language.
    fn write(&self, name: &str, values: &impl Serialize) -> Result<String, TemplateError> {
        self.templates.letter(name, letters::language(&self.vendor.language), values)
    }

    /// The subject every mail of the order carries, so the vendor's replies keep its number.
    fn subject(&self) -> Result<String, TemplateError> {
        let values = OrderSubject { number: self.order.number.to_string(), office: self.office.name.clone() };
        self.write("supply/purchase-order-subject", &values)
    }

    /// The order's lines and totals, written as the vendor reads them.
    fn table(&self) -> OrderTable {
        let order = self.order;
        let language = &self.vendor.language;
        let rate = self.catalog.settings.vat;
        let (subtotal, vat) = (order.subtotal(), order.vat(rate));
        let percent = amount_written(rate * rust_decimal::Decimal::ONE_HUNDRED, language);
        OrderTable {
            lines: order
                .lines
                .iter()
                .map(|line| TableLine {
                    vendor_sku: line.vendor_sku.clone(),
                    description: line.description.clone(),
                    quantity: line.quantity,
                    unit: units::written(&line.unit, line.quantity, language),
                    unit_price: self.money(line.unit_price),
                    total: self.money(line.total()),
                })
                .collect(),
            subtotal: self.money(subtotal),
            vat_rate: percent.trim_end_matches(['0']).trim_end_matches(['.', ',']).to_owned(),
            vat: self.money(vat),
            total: self.money(subtotal + vat),
        }
    }

    fn identity(&self) -> compose::Identity {
        crate::actions::identity(self.office)
    }

    fn notice<'i>(
        &self,
        identity: &'i compose::Identity,
        subject: String,
        text: String,
        html: String,
        seed: &str,
    ) -> Notice<'i> {
        Notice {
            from: identity,
            to: vec![Address { name: Some(self.vendor.name.clone()), email: self.vendor.address.clone() }],
            subject,
            text,
            html,
            message_id: compose::message_id(
                format!("{seed}\0{}", self.order.number).as_bytes(),
                crate::mail::message::domain_of(&self.office.assistant.address),
            ),
            date: self.now,
            loop_header_value: self.office.assistant.address.clone(),
        }
    }
}

/// What the subject of an order's mails is written from (the letter `supply/purchase-order-subject`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderSubject {
    /// The order's number: `PO-2026-0042`.
    pub number: String,
    /// The office's name.
    pub office: String,
}

/// What the table of an order's lines is written from (the letters `supply/order-lines` and
/// `supply/order-lines-html`, which escapes them as it writes them): the amounts in the order's currency, written
/// as the vendor reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderTable {
    pub lines: Vec<TableLine>,
    /// The total before VAT: "EUR 147.00".
    pub subtotal: String,
    /// The VAT rate in percent, without trailing zeros: "22", "4,5".
    pub vat_rate: String,
    /// The VAT: "EUR 32.34".
    pub vat: String,
    /// The total with VAT: "EUR 179.34".
    pub total: String,
}

/// A line of an order's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableLine {
    /// The vendor's code for the item: `CC-80500`.
    pub vendor_sku: String,
    /// The item as the order describes it, in the vendor's language.
    pub description: String,
    pub quantity: i64,
    /// The item's unit for that many: "reams", "risme".
    pub unit: String,
    /// "EUR 4.20".
    pub unit_price: String,
    /// What the line costs: "EUR 147.00".
    pub total: String,
}

/// What the purchase order is written from (the letter `supply/purchase-order`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurchaseOrderLetter {
    /// The vendor's name.
    pub vendor: String,
    /// The order's number: `PO-2026-0042`.
    pub number: String,
    /// The office's customer number with the vendor, or none when it has none.
    pub customer_number: Option<String>,
    /// Today: "7 December 2026".
    pub order_date: String,
    /// The date the vendor is asked to deliver by, after its lead time: "9 December 2026".
    pub delivery: String,
    /// Where to deliver, one line each.
    pub ship_to: Vec<String>,
    /// Whom to invoice, one line each.
    pub bill_to: Vec<String>,
    /// The lines as a table with the totals (the letter `supply/order-lines`), ending with a blank
    /// line.
    pub table: String,
    /// The assistant's name, who signs.
    pub assistant: String,
    /// The office's name, for whom.
    pub office: String,
}

/// What the reminder of an overdue order is written from (the letter `supply/order-reminder`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderReminder {
    /// The vendor's name.
    pub vendor: String,
    /// The order's number: `PO-2026-0042`.
    pub number: String,
    /// When it was sent: "7 December 2026"; empty when not known.
    pub sent: String,
    /// When it was due: "9 December 2026"; empty when not known.
    pub expected: String,
    /// The lines as a table with the totals (the letter `supply/order-lines`), ending with a blank
    /// line.
    pub table: String,
    /// The assistant's name, who signs.
    pub assistant: String,
    /// The office's name, for whom.
    pub office: String,
}

/// The purchase order itself.
pub fn purchase_order(letter: &OrderLetter<'_>) -> Result<OutboundMail, LetterError> {
    let identity = letter.identity();
    let table = letter.table();
    let lines = letter.write("supply/order-lines", &table)?;
    let text = letter.write("supply/purchase-order", &order_values(letter, lines.clone()))?;
    let html_table = letter.write("supply/order-lines-html", &table)?;
    let html = order_html(&text, &lines, &html_table);
    let notice = letter.notice(&identity, letter.subject()?, text, html, "purchase order");
    let assistant = Address {
        name: Some(letter.office.assistant.name.clone()),
        email: letter.office.assistant.address.clone(),
    };
    let csv = Attachment {
        name: format!("{}.csv", letter.order.number),
        content_type: "text/csv; charset=utf-8".into(),
        bytes: order_csv(letter.order),
    };
    Ok(compose::letter(
        &notice,
        &Extras { reply_to: vec![assistant], thread: Vec::new(), attachments: vec![csv] },
    )?)
}

/// One reminder of an order that is overdue, in its thread.
pub fn reminder(letter: &OrderLetter<'_>) -> Result<OutboundMail, LetterError> {
    let identity = letter.identity();
    let order = letter.order;
    let day = |t: Option<i64>| {
        t.and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
            .map(|t| letter.date(t.date_naive()))
            .unwrap_or_default()
    };
    let values = OrderReminder {
        vendor: letter.vendor.name.clone(),
        number: order.number.to_string(),
        sent: day(order.sent_at),
        expected: day(order.expected_at),
        table: letter.write("supply/order-lines", &letter.table())?,
        assistant: letter.office.assistant.name.clone(),
        office: letter.office.name.clone(),
    };
    let text = letter.write("supply/order-reminder", &values)?;
    let html = compose::html_document(&text);
    let notice = letter.notice(&identity, format!("Re: {}", letter.subject()?), text, html, "reminder");
    let assistant = Address {
        name: Some(letter.office.assistant.name.clone()),
        email: letter.office.assistant.address.clone(),
    };
    let thread = order.message_id.iter().cloned().collect();
    Ok(compose::letter(&notice, &Extras { reply_to: vec![assistant], thread, attachments: Vec::new() })?)
}

/// The purchase order's values, with its table already written.
fn order_values(letter: &OrderLetter<'_>, table: String) -> PurchaseOrderLetter {
    let settings = &letter.catalog.settings;
    let today = letter.now.with_timezone(&letter.office.timezone).date_naive();
    PurchaseOrderLetter {
        vendor: letter.vendor.name.clone(),
        number: letter.order.number.to_string(),
        customer_number: letter.vendor.customer_number.clone(),
        order_date: letter.date(today),
        delivery: letter.date(letter.requested_delivery()),
        ship_to: settings.ship_to.lines().map(str::to_owned).collect(),
        bill_to: settings.bill_to.lines().map(str::to_owned).collect(),
        table,
        assistant: letter.office.assistant.name.clone(),
        office: letter.office.name.clone(),
    }
}

/// The HTML part: the letter's paragraphs as in `text`, with its table of lines (`table` in the text)
/// as the HTML table `html_table`.
fn order_html(text: &str, table: &str, html_table: &str) -> String {
    let (before, after) = text.split_once(table).unwrap_or((text, ""));
    let mut html = String::from("<html><body>\n");
    for block in before.split("\n\n").map(str::trim_end).filter(|b| !b.trim().is_empty()) {
        let lines: Vec<String> = block.lines().map(|l| html_escape(l.trim_start())).collect();
        let _ = writeln!(html, "<p>{}</p>", lines.join("<br>\n"));
    }
    html.push_str(html_table);
    for block in after.split("\n\n").map(str::trim_end).filter(|b| !b.trim().is_empty()) {
        let lines: Vec<String> = block.lines().map(html_escape).collect();
        let _ = writeln!(html, "<p>{}</p>", lines.join("<br>\n"));
    }
    html.push_str("</body></html>\n");
    html
}

/// The lines as CSV (comma-separated, a header row, amounts with a point), for the vendor's system.
pub fn order_csv(order: &PurchaseOrder) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let currency = order.currency.code().to_owned();
    let mut rows: Vec<Vec<String>> = vec![
        [
            "po_number",
            "vendor_sku",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "line_total",
            "currency",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for line in &order.lines {
        rows.push(vec![
            order.number.tag(),
            line.vendor_sku.clone(),
            line.description.clone(),
            line.quantity.to_string(),
            line.unit.clone(),
            line.unit_price.to_string(),
            format!("{:.2}", line.total()),
            currency.clone(),
        ]);
    }
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(&row);
    }
    writer.into_inner().unwrap_or_default()
}
