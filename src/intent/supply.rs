//! Supplies: an order is catalog items with quantities (the supply desk's own order reader finds
//! them), whatever verb asks for them; a delivery note names a purchase order and says it came; a
//! vendor's reply comes from a vendor of the catalog about an order.
//!
//! "Ordine del giorno" (an agenda), "carta di credito" (a credit card) and "the paper this morning"
//! name no item with a quantity, so they order nothing.

use std::sync::LazyLock;

use super::cues::Cues;
use super::machine::Machine;
use super::{Intent, Office, Tally, Text, Writer};
use crate::mail::message::Message;
use crate::supply::extract;
use crate::supply::matching::Matcher;
use crate::supply::purchase::OrderNumber;
use crate::supply::reading::{Doubt, understand};
use crate::supply::request::RequestNumber;

/// The lines read for an order at most.
const ORDER_LINES: usize = 30;

/// The most words of a line read as an order line rather than a sentence.
const ORDER_LINE_WORDS: usize = 10;

/// Verbs and phrases that ask for supplies, in English and Italian.
static ASK: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/supply-ask.txt")));

/// Words that say something ran out: weaker than asking.
static SHORT: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/supply-short.txt")));

/// Words that say an order came.
static CAME: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/supply-came.txt")));

/// A vendor's words about an order's state.
static STATUS: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/supply-status.txt")));

pub(crate) fn read(
    msg: &Message,
    text: &Text,
    writer: &Writer,
    machine: &Machine,
    office: &Office<'_>,
    tally: &mut Tally,
) {
    let all = format!("{}\n{}", msg.subject, text.raw);
    let order = OrderNumber::find_in(&all)
        .map(|n| n.tag())
        .or_else(|| OrderNumber::find_short(&all).map(|n| format!("PO-{n:04}")))
        .or_else(|| {
            // A vendor answering the purchase order clerk sent: its Message-ID is in the thread.
            msg.in_reply_to
                .iter()
                .chain(&msg.references)
                .find_map(|id| OrderNumber::find_in(id))
                .map(|n| n.tag())
        });
    // A colleague answering the assistant about a supply request (its number is in the subject).
    if *writer == Writer::Colleague
        && !machine.absent
        && let Some(request) = RequestNumber::find_in(&text.subject_as_written)
    {
        tally.add(Intent::SupplyOrder, 3.0, format!("a reply about supply request {}", request.tag()));
    }
    match writer {
        Writer::Vendor => vendor_reply(text, order.as_deref(), machine, tally),
        Writer::Colleague => delivery(text, order.as_deref(), tally),
        Writer::Stranger => {}
    }
    if *writer != Writer::Vendor
        && let Some(catalog) = office.catalog
    {
        let has_csv = msg.attachments.iter().any(|a| {
            a.content_type.eq_ignore_ascii_case("text/csv") || a.name.to_ascii_lowercase().ends_with(".csv")
        });
        ordered(text, writer, has_csv, catalog, tally);
    }
}

/// A vendor's answer about an order, unless it is an absence notice or a bill.
fn vendor_reply(text: &Text, order: Option<&str>, machine: &Machine, tally: &mut Tally) {
    if machine.absent || machine.report || machine.bill_in_subject {
        return;
    }
    let status = STATUS.find(&text.body).or_else(|| STATUS.find(&text.subject));
    if machine.billing && status.is_none_or(|s| s.starts_with("your") || s.contains("ordine")) {
        return;
    }
    if let Some(order) = order {
        tally.add(Intent::VendorReply, 3.0, format!("a vendor of the catalog writes about {order}"));
    } else {
        tally.add(Intent::VendorReply, 1.0, "a vendor of the catalog writes");
    }
    if let Some(status) = status {
        tally.add(Intent::VendorReply, 1.5, format!("\"{status}\""));
    }
}

/// A colleague's word that an order came.
fn delivery(text: &Text, order: Option<&str>, tally: &mut Tally) {
    let came = CAME.find(&text.body).or_else(|| CAME.find(&text.subject));
    match (order, came) {
        (Some(order), Some(came)) => {
            tally.add(Intent::DeliveryNote, 4.0, format!("{order} and \"{came}\""));
        }
        (Some(order), None) => tally.add(Intent::DeliveryNote, 1.5, format!("{order} named")),
        (None, Some(came)) if came.starts_with("deliver") || came.starts_with("consegn") => {
            tally.add(Intent::DeliveryNote, 1.0, format!("\"{came}\", without an order's number"));
        }
        _ => {}
    }
}

/// Catalog items with quantities, read by the supply desk's order reader.
fn ordered(text: &Text, writer: &Writer, has_csv: bool, catalog: &crate::supply::Catalog, tally: &mut Tally) {
    let matcher = Matcher::new(catalog);
    // An order is near the top, and a line said twice orders nothing more: each line is weighed
    // against the catalog once, and the first ORDER_LINES only.
    let mut seen = std::collections::HashSet::new();
    let head: String = format!("{}\n{}", text.subject, text.raw)
        .lines()
        .filter(|line| seen.insert(line.trim().to_owned()))
        .take(ORDER_LINES)
        .flat_map(|line| [line, "\n"])
        .collect();
    let reading = understand(&matcher, extract::lines(&head));
    // A line of an order is short ("2 boxes of pens"); a sentence that happens to hold an item and a
    // number ("just a note to say …") is prose and counts less.
    let (lines, prose): (Vec<_>, Vec<_>) = reading
        .understood
        .iter()
        .filter(|line| !line.assumed)
        .partition(|line| line.requested.written.split_whitespace().count() <= ORDER_LINE_WORDS);
    let counted: Vec<String> = lines
        .iter()
        .map(|line| format!("{} × {} (\"{}\")", line.quantity, line.item.sku, line.requested.written.trim()))
        .collect();
    let named = reading.understood.iter().filter(|line| line.assumed).count() + prose.len();
    let unclear = reading.unclear.len();
    let asked = ASK.find(&text.body).or_else(|| ASK.find(&text.subject));
    let short = SHORT.find(&text.body).or_else(|| SHORT.find(&text.subject));
    // A line clerk would ask about counts for more when it names an item of the catalog in some way
    // ("24 bottles" of water kept in packs), or is asked for ("ne servono altre due risme"), than when
    // the catalog has nothing like it and nothing asks ("manca la corrente dalle 9 alle 13").
    let unclear_points: f32 = reading
        .unclear
        .iter()
        .take(2)
        .map(|line| if line.doubt == Doubt::Unknown && asked.is_none() { 0.5 } else { 1.0 })
        .sum();
    let csv = *writer == Writer::Colleague && has_csv;
    if counted.is_empty() && named == 0 && unclear == 0 && !csv {
        return;
    }
    // A stranger's mail names things for many reasons; only items counted out order.
    if *writer == Writer::Stranger && counted.is_empty() {
        return;
    }
    let mut points = 0.0;
    let mut evidence = Vec::new();
    if let Some(first) = counted.first() {
        points += 3.0 + 0.5 * (counted.len().min(4) - 1) as f32;
        evidence.push(format!("catalog items with quantities: {first}{}", more(counted.len())));
    } else if named > 0 {
        points += 1.5;
        evidence.push("a catalog item named without a quantity".to_owned());
    }
    if unclear > 0 {
        points += if counted.is_empty() { unclear_points } else { unclear_points / 2.0 };
        let lines = crate::units::counted(unclear as u64, "line");
        evidence.push(format!("{lines} with a quantity clerk would ask about"));
    }
    if csv {
        points += 2.5;
        evidence.push("a CSV attachment from a colleague".to_owned());
    }
    if let Some(verb) = asked {
        points += 1.5;
        evidence.push(format!("\"{verb}\""));
    } else if let Some(words) = short {
        // Running out says why an order is made, when there is one ("out of staples, 3 boxes"); alone
        // it may be the power, the time or the patience.
        let beside_an_order = !counted.is_empty() || unclear_points >= 1.0;
        points += if beside_an_order { 1.5 } else { 1.0 };
        evidence.push(format!("\"{words}\""));
    }
    if *writer == Writer::Colleague {
        points += 0.5;
        evidence.push("from a colleague".to_owned());
    }
    for (n, said) in evidence.into_iter().enumerate() {
        tally.add(Intent::SupplyOrder, if n == 0 { points } else { 0.0 }, said);
    }
}

fn more(count: usize) -> String {
    if count > 1 { format!(" and {} more", count - 1) } else { String::new() }
}
