//! The purchase order as the vendor receives it, and the reminder when it is overdue.
//!
//! Subject `Purchase Order PO-2026-0042 – <office>`; the PO number, the office's customer number,
//! order and requested delivery dates, ship-to and bill-to; a table of vendor SKU, description,
//! quantity, unit, unit price and line total; subtotal, VAT and total with the currency; a request to
//! confirm the delivery date and quote the PO number on the invoice. Plain text and HTML in the
//! vendor's language (English or Italian), a CSV of the lines for the vendor's system, Reply-To the
//! assistant. Its Message-ID comes from the order's number, so it is queued once however often the
//! job or the desk that sends it runs again.

use crate::language::Language;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};

use crate::mail::compose::{self, Attachment, ComposeError, Extras, Notice, OutboundMail, html_escape};
use crate::mail::message::Address;
use crate::office::Office;
use crate::rules::TemplateError;
use crate::supply::catalog::{Catalog, Vendor};
use crate::supply::money::{Money, amount_written};
use crate::supply::purchase::PurchaseOrder;
use crate::supply::units;

/// What a purchase-order mail is written from.
pub struct OrderLetter<'a> {
    pub order: &'a PurchaseOrder,
    pub vendor: &'a Vendor,
    pub catalog: &'a Catalog,
    pub office: &'a Office,
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
    fn italian(&self) -> bool {
        self.vendor.language == "it"
    }

    /// The date the vendor is asked to deliver by: its lead time in the office's working days.
    pub fn requested_delivery(&self) -> NaiveDate {
        let today = self.now.with_timezone(&self.office.timezone).date_naive();
        self.office.hours.after_days(today, self.vendor.lead_time_days)
    }

    fn date(&self, date: NaiveDate) -> String {
        let language = if self.italian() { Language::Italian } else { Language::English };
        language.day(date, "%-d %B %Y")
    }

    fn money(&self, amount: rust_decimal::Decimal) -> String {
        Money::new(amount, self.order.currency).written(&self.vendor.language)
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

/// The subject every mail of the order carries, so the vendor's replies keep its number.
pub fn subject(order: &PurchaseOrder, office: &Office) -> String {
    format!("Purchase Order {} – {}", order.number, office.name)
}

/// The purchase order itself.
pub fn purchase_order(letter: &OrderLetter<'_>) -> Result<OutboundMail, ComposeError> {
    let identity = letter.identity();
    let (text, html) = (order_text(letter), order_html(letter));
    let notice = letter.notice(&identity, subject(letter.order, letter.office), text, html, "purchase order");
    let assistant = Address {
        name: Some(letter.office.assistant.name.clone()),
        email: letter.office.assistant.address.clone(),
    };
    let csv = Attachment {
        name: format!("{}.csv", letter.order.number),
        content_type: "text/csv; charset=utf-8".into(),
        bytes: order_csv(letter.order),
    };
    compose::letter(
        &notice,
        &Extras { reply_to: vec![assistant], thread: Vec::new(), attachments: vec![csv] },
    )
}

/// One reminder of an order that is overdue, in its thread.
pub fn reminder(letter: &OrderLetter<'_>) -> Result<OutboundMail, ComposeError> {
    let identity = letter.identity();
    let order = letter.order;
    let sent = order.sent_at.and_then(|t| DateTime::<Utc>::from_timestamp(t, 0)).map(|t| t.date_naive());
    let expected =
        order.expected_at.and_then(|t| DateTime::<Utc>::from_timestamp(t, 0)).map(|t| t.date_naive());
    let (sent, expected) = (
        sent.map(|d| letter.date(d)).unwrap_or_default(),
        expected.map(|d| letter.date(d)).unwrap_or_default(),
    );
    let mut text = if letter.italian() {
        format!(
            "Gentile {},\n\nil nostro ordine {} del {sent}, con consegna prevista il {expected}, non ci è ancora arrivato.\n\
             Potete indicarci quando sarà consegnato? Trovate l'ordine qui sotto.\n\n",
            letter.vendor.name, order.number
        )
    } else {
        format!(
            "Dear {},\n\nour purchase order {} of {sent}, due for delivery on {expected}, has not reached us yet.\n\
             Could you tell us when it will be delivered? The order is below.\n\n",
            letter.vendor.name, order.number
        )
    };
    text.push_str(&lines_text(letter));
    text.push_str(&signature(letter));
    let html = compose::html_document(&text);
    let notice =
        letter.notice(&identity, format!("Re: {}", subject(order, letter.office)), text, html, "reminder");
    let assistant = Address {
        name: Some(letter.office.assistant.name.clone()),
        email: letter.office.assistant.address.clone(),
    };
    let thread = order.message_id.iter().cloned().collect();
    compose::letter(&notice, &Extras { reply_to: vec![assistant], thread, attachments: Vec::new() })
}

fn order_text(letter: &OrderLetter<'_>) -> String {
    let order = letter.order;
    let settings = &letter.catalog.settings;
    let customer = letter.vendor.customer_number.as_deref().unwrap_or("-");
    let today = letter.now.with_timezone(&letter.office.timezone).date_naive();
    let (order_date, delivery) = (letter.date(today), letter.date(letter.requested_delivery()));
    let mut text = String::new();
    if letter.italian() {
        let _ = write!(
            text,
            "Gentile {},\n\nvi preghiamo di fornirci quanto segue e di confermare la data di consegna rispondendo a questa email.\n\n\
             Ordine d'acquisto:    {}\nNostro codice cliente: {customer}\nData ordine:          {order_date}\nConsegna richiesta:   entro il {delivery}\n\n\
             Indirizzo di consegna:\n{}\n\nIntestazione fattura:\n{}\n\n",
            letter.vendor.name,
            order.number,
            indent(&settings.ship_to),
            indent(&settings.bill_to)
        );
    } else {
        let _ = write!(
            text,
            "Dear {},\n\nplease supply the following and confirm the delivery date by replying to this email.\n\n\
             Purchase order:      {}\nCustomer number:     {customer}\nOrder date:          {order_date}\nRequested delivery:  by {delivery}\n\n\
             Ship to:\n{}\n\nBill to:\n{}\n\n",
            letter.vendor.name,
            order.number,
            indent(&settings.ship_to),
            indent(&settings.bill_to)
        );
    }
    text.push_str(&lines_text(letter));
    if letter.italian() {
        let _ = writeln!(
            text,
            "Vi preghiamo di indicare il numero d'ordine {} sul documento di trasporto e sulla fattura.\n",
            order.number
        );
    } else {
        let _ = writeln!(text, "Please quote {} on your delivery note and invoice.\n", order.number);
    }
    text.push_str(&signature(letter));
    text
}

/// The table of lines with subtotal, VAT and total, in plain text.
fn lines_text(letter: &OrderLetter<'_>) -> String {
    let order = letter.order;
    let language = &letter.vendor.language;
    let head = if letter.italian() {
        ["Codice", "Descrizione", "Q.tà", "Unità", "Prezzo unit.", "Totale riga"]
    } else {
        ["Vendor SKU", "Description", "Qty", "Unit", "Unit price", "Line total"]
    };
    let rows: Vec<[String; 6]> = order
        .lines
        .iter()
        .map(|line| {
            [
                line.vendor_sku.clone(),
                line.description.clone(),
                line.quantity.to_string(),
                units::written(&line.unit, line.quantity, language),
                letter.money(line.unit_price),
                letter.money(line.total()),
            ]
        })
        .collect();
    let mut widths = head.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let pad = |cell: &str, width: usize, right: bool| {
        let fill = " ".repeat(width.saturating_sub(cell.chars().count()));
        if right { format!("{fill}{cell}") } else { format!("{cell}{fill}") }
    };
    let line = |cells: &[String]| {
        let out: Vec<String> =
            cells.iter().enumerate().map(|(i, c)| pad(c, widths[i], matches!(i, 2 | 4 | 5))).collect();
        format!("{}\n", out.join("  ").trim_end())
    };
    let mut text = line(&head.map(str::to_owned));
    text.push_str(&line(&widths.map(|w| "-".repeat(w))));
    for row in &rows {
        text.push_str(&line(row));
    }
    let rate = letter.catalog.settings.vat;
    let (subtotal, vat) = (order.subtotal(), order.vat(rate));
    let percent = amount_written(rate * rust_decimal::Decimal::ONE_HUNDRED, language);
    let percent = percent.trim_end_matches(['0']).trim_end_matches(['.', ',']);
    let labels =
        if letter.italian() { ["Imponibile", "IVA", "Totale"] } else { ["Subtotal", "VAT", "Total"] };
    let total_width: usize = widths.iter().sum::<usize>() + 10;
    for (label, amount) in [
        (labels[0].to_owned(), subtotal),
        (format!("{} {percent}%", labels[1]), vat),
        (labels[2].to_owned(), subtotal + vat),
    ] {
        let amount = letter.money(amount);
        let left = total_width.saturating_sub(amount.chars().count() + label.chars().count() + 2);
        let _ = writeln!(text, "{}{label}  {amount}", " ".repeat(left));
    }
    text.push('\n');
    text
}

fn signature(letter: &OrderLetter<'_>) -> String {
    let office = letter.office;
    let regards = if letter.italian() { "Cordiali saluti," } else { "Kind regards," };
    let on_behalf = if letter.italian() { "per" } else { "for" };
    format!("{regards}\n{}\n{on_behalf} {}\n", office.assistant.name, office.name)
}

fn indent(block: &str) -> String {
    block.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}

fn order_html(letter: &OrderLetter<'_>) -> String {
    let order = letter.order;
    let text = order_text(letter);
    // The letter's paragraphs as in the text, with the table of lines as an HTML table.
    let (before, after) = text.split_once(&lines_text(letter)).unwrap_or((&text, ""));
    let mut html = String::from("<html><body>\n");
    for block in before.split("\n\n").map(str::trim_end).filter(|b| !b.trim().is_empty()) {
        let lines: Vec<String> = block.lines().map(|l| html_escape(l.trim_start())).collect();
        let _ = writeln!(html, "<p>{}</p>", lines.join("<br>\n"));
    }
    let head = if letter.italian() {
        ["Codice", "Descrizione", "Q.tà", "Unità", "Prezzo unit.", "Totale riga"]
    } else {
        ["Vendor SKU", "Description", "Qty", "Unit", "Unit price", "Line total"]
    };
    html.push_str("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">\n<tr>");
    for h in head {
        let _ = write!(html, "<th>{}</th>", html_escape(h));
    }
    html.push_str("</tr>\n");
    for line in &order.lines {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td align=\"right\">{}</td><td>{}</td><td align=\"right\">{}</td><td align=\"right\">{}</td></tr>",
            html_escape(&line.vendor_sku),
            html_escape(&line.description),
            line.quantity,
            html_escape(&units::written(&line.unit, line.quantity, &letter.vendor.language)),
            html_escape(&letter.money(line.unit_price)),
            html_escape(&letter.money(line.total())),
        );
    }
    let rate = letter.catalog.settings.vat;
    let labels =
        if letter.italian() { ["Imponibile", "IVA", "Totale"] } else { ["Subtotal", "VAT", "Total"] };
    let (subtotal, vat) = (order.subtotal(), order.vat(rate));
    for (label, amount) in [(labels[0], subtotal), (labels[1], vat), (labels[2], subtotal + vat)] {
        let _ = writeln!(
            html,
            "<tr><td colspan=\"5\" align=\"right\"><b>{label}</b></td><td align=\"right\"><b>{}</b></td></tr>",
            html_escape(&letter.money(amount))
        );
    }
    html.push_str("</table>\n");
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
