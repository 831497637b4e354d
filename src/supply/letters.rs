//! What the supply desk and the `reorder` job write to people, in English or Italian: the
//! requester's confirmation (with questions about what it did not understand), the manager's requests
//! for approval, the requester's news of a decision or of an arrival, and the low-stock alert.
//! Plain text; the callers give it a subject and send it.

use crate::language::Language;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::catalog::{Catalog, Item};
use super::money::Money;
use super::purchase::PurchaseOrder;
use super::reading::{Doubt, Unclear};
use super::request::Request;
use super::stock::Level;
use super::units;

/// How a line of a request stands, for the letters that list it.
#[derive(Debug, Clone)]
pub struct LineStatus<'c> {
    pub item: &'c Item,
    /// In the item's units.
    pub quantity: i64,
    /// Handed out now from the cupboard.
    pub from_stock: i64,
    /// When the rest is expected, when it is known.
    pub expected: Option<NaiveDate>,
    /// No number was written and one was taken.
    pub assumed: bool,
}

/// Whether to write in Italian.
fn italian(language: &str) -> bool {
    language == "it"
}

/// "Hello Marco," / "Ciao Marco,": colleagues are greeted by first name.
pub fn greeting(language: &str, name: Option<&str>) -> String {
    match (italian(language), first_name(name)) {
        (true, Some(name)) => format!("Ciao {name},"),
        (true, None) => "Buongiorno,".to_owned(),
        (false, Some(name)) => format!("Hello {name},"),
        (false, None) => "Hello,".to_owned(),
    }
}

/// "Thu 10 December" / "gio 10 dicembre".
pub fn day(date: NaiveDate, language: &str) -> String {
    let language = if italian(language) { Language::Italian } else { Language::English };
    language.day(date, "%a %-d %B")
}

/// "15 reams of A4 copy paper (PAP-A4)".
fn quantity_of(item: &Item, quantity: i64, language: &str) -> String {
    let unit = units::written(&item.unit, quantity, language);
    let of = if italian(language) { "di" } else { "of" };
    format!("{quantity} {unit} {of} {} ({})", item.name_in(language), item.sku)
}

/// The lines of a request and where each stands.
pub fn status_lines(lines: &[LineStatus<'_>], language: &str, awaiting_approval: bool) -> String {
    let it = italian(language);
    let mut text = String::new();
    for line in lines {
        let what = quantity_of(line.item, line.quantity, language);
        let waiting = line.quantity - line.from_stock;
        let when = line.expected.map(|d| day(d, language));
        let status = match (awaiting_approval, line.from_stock, waiting, &when) {
            (true, ..) => {
                if it {
                    "in attesa di approvazione".to_owned()
                } else {
                    "waiting for approval".to_owned()
                }
            }
            (false, _, 0, _) => {
                if it {
                    "pronto nell'armadio".to_owned()
                } else {
                    "ready in the cupboard".to_owned()
                }
            }
            (false, 0, _, Some(when)) => {
                if it {
                    format!("ordinato, arriva entro {when}")
                } else {
                    format!("ordered, expected by {when}")
                }
            }
            (false, 0, _, None) => {
                if it {
                    "ordinato".to_owned()
                } else {
                    "ordered".to_owned()
                }
            }
            (false, now, rest, when) => {
                let when = when
                    .as_ref()
                    .map(|w| if it { format!(", entro {w}") } else { format!(", expected by {w}") })
                    .unwrap_or_default();
                if it {
                    format!("{now} pronti nell'armadio, {rest} ordinati{when}")
                } else {
                    format!("{now} ready in the cupboard, {rest} ordered{when}")
                }
            }
        };
        let assumed = match (line.assumed, it) {
            (false, _) => "",
            (true, true) => " (quantità non indicata: ne ho contato 1)",
            (true, false) => " (no quantity given: I counted 1)",
        };
        let _ = writeln!(text, "  - {what}: {status}{assumed}");
    }
    text
}

/// The questions about lines clerk did not understand, with the closest items.
pub fn questions(unclear: &[Unclear<'_>], language: &str) -> String {
    let it = italian(language);
    let mut text = String::new();
    for line in unclear {
        let names: Vec<String> =
            line.closest.iter().map(|c| format!("{} ({})", c.item.name_in(language), c.item.sku)).collect();
        let or = if it { " o " } else { " or " };
        let why = match (line.doubt, it) {
            (Doubt::Several, false) => format!("which one: {}?", names.join(or)),
            (Doubt::Several, true) => format!("quale: {}?", names.join(or)),
            (Doubt::Unknown, false) if names.is_empty() => "the catalog has nothing like it.".to_owned(),
            (Doubt::Unknown, true) if names.is_empty() => "il catalogo non ha nulla di simile.".to_owned(),
            (Doubt::Unknown, false) => {
                format!("the catalog has nothing like it; closest: {}.", names.join(", "))
            }
            (Doubt::Unknown, true) => {
                format!("il catalogo non ha nulla di simile; i più vicini: {}.", names.join(", "))
            }
            (Doubt::Inactive, false) => format!("{} is no longer ordered.", names.join(or)),
            (Doubt::Inactive, true) => format!("{} non viene più ordinato.", names.join(or)),
            (Doubt::Unit, false) => match line.closest.first() {
                Some(c) => format!(
                    "{} is kept in {}: how many of those?",
                    c.item.name_in(language),
                    units::written(&c.item.unit, 2, language)
                ),
                None => "in which unit?".to_owned(),
            },
            (Doubt::Unit, true) => match line.closest.first() {
                Some(c) => format!(
                    "{} si tiene in {}: quante ne servono?",
                    c.item.name_in(language),
                    units::written(&c.item.unit, 2, language)
                ),
                None => "in quale unità?".to_owned(),
            },
            (Doubt::Quantity, false) => match line.closest.first() {
                Some(c) => format!(
                    "that is far more {} than the office keeps: please confirm the number.",
                    c.item.name_in(language)
                ),
                None => "please confirm the number.".to_owned(),
            },
            (Doubt::Quantity, true) => match line.closest.first() {
                Some(c) => format!(
                    "è molto più {} di quanto l'ufficio tenga: confermi il numero?",
                    c.item.name_in(language)
                ),
                None => "confermi il numero?".to_owned(),
            },
        };
        let _ = writeln!(text, "  - \"{}\": {why}", line.requested.written);
    }
    text
}

/// The requester's confirmation of `request`.
pub fn confirmation(
    request: &Request,
    lines: &[LineStatus<'_>],
    unclear: &[Unclear<'_>],
    approver: Option<&str>,
    signature: &str,
) -> String {
    let language = request.language.as_str();
    let it = italian(language);
    let mut text = format!("{}\n\n", greeting(language, request.requester_name.as_deref()));
    if !lines.is_empty() {
        let _ = write!(
            text,
            "{}\n\n{}\n",
            if it {
                format!("ho registrato la tua richiesta {}:", request.number)
            } else {
                format!("your request {} is recorded:", request.number)
            },
            status_lines(lines, language, approver.is_some())
        );
        match approver {
            Some(who) if it => {
                let _ = writeln!(
                    text,
                    "Supera il limite di spesa, quindi aspetta l'approvazione di {who}: ti scrivo appena arriva.\n"
                );
            }
            Some(who) => {
                let _ = writeln!(
                    text,
                    "It is over the spending limit, so it waits for {who}'s approval; I will write as soon as it comes.\n"
                );
            }
            None if lines.iter().all(|l| l.from_stock == l.quantity) => {
                text.push_str(if it {
                    "Puoi ritirare tutto dall'armadio delle forniture.\n\n"
                } else {
                    "You can collect everything from the supply cupboard.\n\n"
                });
            }
            None => {
                text.push_str(if it {
                    "Quello che è pronto si ritira dall'armadio delle forniture; ti scrivo quando arriva il resto.\n\n"
                } else {
                    "What is ready can be collected from the supply cupboard; I will write when the rest arrives.\n\n"
                });
            }
        }
    }
    if !unclear.is_empty() {
        text.push_str(if it {
            "Non ho capito queste righe: rispondi a questo messaggio riscrivendole, con il codice se lo conosci.\n\n"
        } else {
            "I did not understand these lines; reply to this message with them written again, with the code if you know it:\n\n"
        });
        text.push_str(&questions(unclear, language));
        text.push('\n');
    }
    text.push_str(signature);
    text
}

/// The answer to a message in which clerk found nothing to order.
pub fn nothing_found(language: &str, name: Option<&str>, catalog: &Catalog, signature: &str) -> String {
    let it = italian(language);
    let examples: Vec<String> = catalog
        .items
        .iter()
        .filter(|i| i.active)
        .take(6)
        .map(|i| format!("  - {} ({})", i.name_in(language), i.sku))
        .collect();
    format!(
        "{}\n\n{}\n\n{}\n{}\n\n{signature}",
        greeting(language, name),
        if it {
            "non ho trovato nulla da ordinare nel tuo messaggio. Scrivi un articolo per riga con la quantità, per esempio \"3 risme di carta A4\" o \"2x toner HP 26A\"."
        } else {
            "I could not find anything to order in your message. Write one item per line with its quantity, for example \"3 reams of A4 paper\" or \"2x HP 26A toner\"."
        },
        if it { "Alcuni articoli del catalogo:" } else { "Some items of the catalog:" },
        examples.join("\n")
    )
}

/// The answer to someone who may not order.
pub fn not_a_requester(language: &str, name: Option<&str>, manager: &str, signature: &str) -> String {
    let it = italian(language);
    format!(
        "{}\n\n{}\n\n{signature}",
        greeting(language, name),
        if it {
            format!(
                "solo i colleghi dell'ufficio possono ordinare forniture tramite me. Ho inoltrato il tuo messaggio a {manager}, che ti risponderà."
            )
        } else {
            format!(
                "only colleagues of the office can order supplies through me. I have passed your message to {manager}, who will get back to you."
            )
        }
    )
}

/// The manager's request to approve a colleague's request.
pub fn approve_request(
    request: &Request,
    lines: &[LineStatus<'_>],
    total: Money,
    why: &str,
    language: &str,
) -> (String, String) {
    let it = italian(language);
    let who = match &request.requester_name {
        Some(name) => format!("{name} <{}>", request.requester),
        None => request.requester.clone(),
    };
    let mut text = String::new();
    for line in lines {
        let cost = Money::new(line.item.price * rust_decimal::Decimal::from(line.quantity), total.currency);
        let _ = writeln!(
            text,
            "  - {}: {}",
            quantity_of(line.item, line.quantity, language),
            cost.written(language)
        );
    }
    if it {
        let subject =
            format!("Approvazione richiesta: {} di {who} ({})", request.number, total.written(language));
        let body = format!(
            "{who} chiede:\n\n{text}\nTotale: {} (IVA esclusa). {why}\n\nRispondi \"approvo\" oppure \"rifiuto\" (con il motivo, se vuoi, dopo i due punti).\n",
            total.written(language)
        );
        (subject, body)
    } else {
        let subject = format!("Approval needed: {} from {who} ({})", request.number, total.written(language));
        let body = format!(
            "{who} asks for:\n\n{text}\nTotal: {} before VAT. {why}\n\nReply \"approve\" or \"reject\" (with a reason after a colon, if you like).\n",
            total.written(language)
        );
        (subject, body)
    }
}

/// The manager's request to approve a purchase order over its vendor's limit.
pub fn approve_order(
    order: &PurchaseOrder,
    limit: Money,
    vat: rust_decimal::Decimal,
    language: &str,
) -> (String, String) {
    let it = italian(language);
    let total = Money::new(order.subtotal(), order.currency);
    let mut text = String::new();
    for line in &order.lines {
        let cost = Money::new(line.total(), order.currency);
        let unit = units::written(&line.unit, line.quantity, language);
        let _ = writeln!(
            text,
            "  - {} {unit} {} ({}): {}",
            line.quantity,
            line.description,
            line.sku,
            cost.written(language)
        );
    }
    let with_vat = Money::new(order.subtotal() + order.vat(vat), order.currency);
    if it {
        (
            format!("Approvazione ordine: {} a {} ({})", order.number, order.vendor, total.written(language)),
            format!(
                "L'ordine d'acquisto {} a {}:\n\n{text}\nTotale {} IVA esclusa ({} con IVA), oltre il limite di {} per questo fornitore.\n\n\
                 Rispondi \"approvo\" per inviarlo oppure \"rifiuto\" per annullarlo.\n",
                order.number,
                order.vendor,
                total.written(language),
                with_vat.written(language),
                limit.written(language)
            ),
        )
    } else {
        (
            format!("Approval needed: {} to {} ({})", order.number, order.vendor, total.written(language)),
            format!(
                "Purchase order {} to {}:\n\n{text}\nTotal {} before VAT ({} with VAT), over the limit of {} for this vendor.\n\n\
                 Reply \"approve\" to send it or \"reject\" to cancel it.\n",
                order.number,
                order.vendor,
                total.written(language),
                with_vat.written(language),
                limit.written(language)
            ),
        )
    }
}

/// The requester's news of the manager's decision.
pub fn decided(
    request: &Request,
    approved: bool,
    reason: Option<&str>,
    lines: &[LineStatus<'_>],
    signature: &str,
) -> String {
    let language = request.language.as_str();
    let it = italian(language);
    let mut text = format!("{}\n\n", greeting(language, request.requester_name.as_deref()));
    if approved {
        let _ = write!(
            text,
            "{}\n\n{}\n",
            if it {
                format!("la tua richiesta {} è stata approvata:", request.number)
            } else {
                format!("your request {} is approved:", request.number)
            },
            status_lines(lines, language, false)
        );
    } else {
        let _ = writeln!(
            text,
            "{}",
            if it {
                format!("la tua richiesta {} non è stata approvata.", request.number)
            } else {
                format!("your request {} was not approved.", request.number)
            }
        );
        if let Some(reason) = reason {
            let _ = writeln!(text, "{} {reason}", if it { "Motivo:" } else { "Reason:" });
        }
        text.push('\n');
    }
    text.push_str(signature);
    text
}

/// Each of `items` with its quantity, as a letter lists them: "15 reams of A4 copy paper (PAP-A4)".
pub fn quantities(items: &[(&Item, i64)], language: &str) -> Vec<String> {
    items.iter().map(|(item, n)| quantity_of(item, *n, language)).collect()
}

/// A colleague's first name, as colleagues are greeted ("Hello Marco,").
pub fn first_name(name: Option<&str>) -> Option<&str> {
    name.and_then(|n| n.split_whitespace().next()).filter(|n| !n.is_empty())
}

/// What the manager's alert that an item fell below its reorder point is written from (the letters
/// `supply-low-stock` and `supply-low-stock-subject`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LowStock {
    /// The item's name in the letter's language.
    pub name: String,
    pub sku: String,
    pub available: i64,
    /// The item's unit for that many, in the letter's language ("reams", "risme").
    pub unit: String,
    pub reorder_point: i64,
    /// How many went on the vendor's draft.
    pub drafted: i64,
    pub vendor: String,
}

impl LowStock {
    /// `item` at `level`, with `drafted` on its draft, written in `language`.
    pub fn of(item: &Item, level: &Level, drafted: i64, language: &str) -> LowStock {
        LowStock {
            name: item.name_in(language).to_owned(),
            sku: item.sku.clone(),
            available: level.available(),
            unit: units::written(&item.unit, level.available(), language).to_string(),
            reorder_point: item.reorder_point,
            drafted,
            vendor: item.vendor.clone(),
        }
    }
}
