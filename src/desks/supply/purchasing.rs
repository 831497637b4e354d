//! The supply desk's side of purchasing: what runs low goes on its vendor's draft (and the manager
//! hears of it once), urgent drafts go at once, the manager's verdict on an order over its vendor's
//! limit, the vendor's answers, and deliveries, which restock the shelf and reach the requesters.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::ordering::{self, Dispatched};
use super::restock;
use super::{SupplyCase, SupplyView};
use crate::actions::ReplyHistory;
use crate::desks::DeskError;
use crate::language::Language;
use crate::mail::message::Address;
use crate::supply::letters;
use crate::supply::matching::Matcher;
use crate::supply::reading::understand;
use crate::supply::stock::{Move, Reason};
use crate::supply::vendor_answer::{self, Short, VendorSays};
use crate::supply::words::{self, Verdict};
use crate::supply::{
    Item, OrderLine, OrderNumber, OrderState, PurchaseOrder, RequestState, Thread, Vendor, extract,
};

/// After stock of `item` changed: what it lacks goes on its vendor's draft, and the manager is told
/// once when it falls below its reorder point (by [`tell_low`], once the message's orders are sent).
pub(super) fn restock(desk: &mut SupplyCase<'_>, item: &Item, urgent: bool) -> Result<(), DeskError> {
    let office = &desk.cx.rules.office;
    let done =
        restock::restock(desk.view, &mut desk.change, desk.catalog, item, urgent, desk.cx.now, office)?;
    if let Some((number, need)) = done.drafted {
        desk.note(format!("{need} of {} put on draft {number} to {}", item.sku, item.vendor));
    }
    desk.low.extend(done.alert);
    Ok(())
}

/// The manager's low-stock alerts of this message, written once its orders have gone (or not), so
/// each says what became of its order: "ordered now (PO-2026-0001)" after an urgent request.
pub(super) fn tell_low(desk: &mut SupplyCase<'_>) -> Result<(), DeskError> {
    for low in std::mem::take(&mut desk.low) {
        let low = restock::settle(low, &desk.seen(), desk.catalog)?;
        let (subject, text) = restock::alert_letter(desk.cx.rules, &low)?;
        desk.letter(desk.manager(), subject, text, Vec::new(), &format!("low {}", low.sku))?;
    }
    Ok(())
}

/// Sends at once the drafts that hold any of `skus`: an urgent request does not wait for the order
/// run (the vendor's minimum and the manager's limit still hold).
pub(super) fn send_urgent(desk: &mut SupplyCase<'_>, skus: &[String]) -> Result<(), DeskError> {
    let drafts = desk.seen().orders(&[OrderState::Draft])?;
    let holds =
        |d: &PurchaseOrder| d.lines.iter().any(|l| skus.iter().any(|s| s.eq_ignore_ascii_case(&l.sku)));
    for draft in drafts.into_iter().filter(holds) {
        dispatch(desk, draft)?;
    }
    Ok(())
}

/// Sends `order`, puts it to the manager when over its vendor's limit, or leaves it to wait.
pub(super) fn dispatch(desk: &mut SupplyCase<'_>, order: PurchaseOrder) -> Result<(), DeskError> {
    let Some(vendor) = desk.catalog.vendor(&order.vendor) else {
        desk.note(format!("{}: vendor {} is not in the catalog; not sent", order.number, order.vendor));
        return Ok(());
    };
    let number = order.number;
    let office = &desk.cx.rules.office;
    let templates = &desk.cx.rules.templates;
    match ordering::dispatch(order, vendor, desk.catalog, office, templates, desk.cx.now)
        .map_err(|e| DeskError::Letter(format!("{number}: {e}")))?
    {
        Dispatched::Sent(sent, mail) => {
            desk.note(format!("{number} sent to {}", vendor.address));
            desk.remember_only(Thread::Order(number), [mail.message_id.clone()]);
            desk.send(mail);
            desk.put_order(sent);
        }
        Dispatched::Ask(asked, subject, text) => {
            let id = desk.letter(desk.manager(), subject, text, Vec::new(), &format!("approve {number}"))?;
            desk.note(format!("{number} is over {}'s limit: the manager is asked", vendor.name));
            desk.remember_only(Thread::Order(number), [id]);
            desk.put_order(asked);
        }
        Dispatched::Asked => desk.note(format!("{number} still waits for the manager's approval")),
        Dispatched::Waits(why) => desk.note(format!("{number} waits: {why}")),
    }
    Ok(())
}

/// When what waits for `item` is expected: the date its open order promises, else the next order run
/// plus the vendor's lead time.
pub(super) fn expected(desk: &SupplyCase<'_>, item: &Item) -> Result<Option<NaiveDate>, DeskError> {
    let office = &desk.cx.rules.office;
    let orders = desk.seen().orders(&OrderState::OPEN)?;
    let holding = orders
        .iter()
        .find(|o| o.lines.iter().any(|l| l.sku.eq_ignore_ascii_case(&item.sku) && l.outstanding() > 0));
    let local = |t: i64| {
        DateTime::<Utc>::from_timestamp(t, 0).map(|t| t.with_timezone(&office.timezone).date_naive())
    };
    if let Some(order) = holding
        && order.state.is_out()
    {
        return Ok(order.expected_at.and_then(local));
    }
    let Some(vendor) = desk.catalog.vendor(&item.vendor) else { return Ok(None) };
    let Some(run) = desk.cx.rules.next_run(crate::rules::Job::Reorder, desk.cx.now) else {
        return Ok(None);
    };
    let run_day = run.with_timezone(&office.timezone).date_naive();
    Ok(Some(office.hours.after_days(run_day, vendor.lead_time_days)))
}

/// The manager's verdict on a purchase order over its vendor's limit.
pub(super) fn decide(
    desk: &mut SupplyCase<'_>,
    number: OrderNumber,
    verdict: Verdict,
) -> Result<(), DeskError> {
    let Some(mut order) = desk.seen().order(number)? else {
        desk.note(format!("{number}: no such purchase order"));
        return Ok(());
    };
    if order.state.is_out() && matches!(verdict, Verdict::Reject(_)) {
        return cut(desk, order, verdict);
    }
    if order.state != OrderState::Draft {
        desk.note(format!("{number} is {}: nothing waits for a verdict", order.state.as_str()));
        return Ok(());
    }
    desk.remember(Thread::Order(number), []);
    order.updated_at = desk.cx.now.timestamp();
    match verdict {
        Verdict::Approve => {
            desk.note(format!("{number} approved by {}", desk.sender.email));
            order.state = OrderState::Approved;
            dispatch(desk, order)
        }
        Verdict::Reject(reason) => {
            desk.note(format!("{number} cancelled by {}", desk.sender.email));
            order.state = OrderState::Cancelled;
            order.note = reason;
            desk.put_order(order);
            Ok(())
        }
    }
}

/// The manager's "cancel" of an order the vendor still owes: what the vendor said it cannot supply
/// (or, when it said nothing of the kind, everything that has not come) is no longer expected, so
/// the next order run orders what the shelf lacks again. What a partly confirmed order still has
/// coming stays ordered.
fn cut(desk: &mut SupplyCase<'_>, mut order: PurchaseOrder, verdict: Verdict) -> Result<(), DeskError> {
    let number = order.number;
    desk.remember(Thread::Order(number), []);
    // Only what the vendor confirmed by number is kept; news of a part without numbers leaves
    // nothing known to be coming, so the rest is cancelled as for any other order.
    let partly =
        order.state == OrderState::PartlyConfirmed && order.lines.iter().any(|l| l.confirmed.is_some());
    for line in &mut order.lines {
        let coming = if partly { line.confirmed.unwrap_or(line.quantity) } else { line.received };
        line.quantity = coming.max(line.received);
        line.confirmed = None;
    }
    order.lines.retain(|l| l.quantity > 0);
    order.state = if order.lines.is_empty() {
        OrderState::Cancelled
    } else if order.all_received() {
        OrderState::Received
    } else {
        OrderState::Acknowledged
    };
    order.updated_at = desk.cx.now.timestamp();
    if let Verdict::Reject(Some(reason)) = verdict {
        order.note = Some(reason);
    }
    desk.note(format!("{number}: the rest cancelled by {} ({})", desk.sender.email, order.state.as_str()));
    desk.put_order(order);
    Ok(())
}

/// A vendor's answer about one of its orders: a confirmation or shipping notice updates the order;
/// news that it cannot supply the order now makes it backordered, and news that only part will come
/// makes it partly confirmed (each with the date the vendor gives, or none: the old promise no longer
/// holds), and the manager decides whether to wait or cancel; an answer clerk does not understand
/// changes nothing and goes to the manager too.
pub(super) fn vendor_reply(
    desk: &mut SupplyCase<'_>,
    mut order: PurchaseOrder,
    vendor: &Vendor,
) -> Result<(), DeskError> {
    let number = order.number;
    desk.remember(Thread::Order(number), []);
    let office = &desk.cx.rules.office;
    let today = desk.cx.now.with_timezone(&office.timezone).date_naive();
    let noon = |date: NaiveDate| {
        Some(crate::calendar::zones::resolve_local(office.timezone, date.and_hms_opt(12, 0, 0)?).timestamp())
    };
    let answer = vendor_answer::read(desk.new_text, today);
    let now = desk.cx.now.timestamp();
    if !order.state.is_out() {
        // A late word about an order received, cancelled or not yet sent reopens nothing: the
        // manager reads it and decides.
        desk.note(format!(
            "{number}: {} wrote about it while it is {}: passed to the manager",
            vendor.name,
            order.state.as_str()
        ));
        let values = VendorNews {
            vendor: vendor.name.clone(),
            number: number.to_string(),
            news: "closed",
            state: order.state.as_str(),
            until: None,
            lines: Vec::new(),
            unsure: false,
            said: answer.gist,
        };
        let note = desk.cx.rules.templates.letter("supply/vendor-news", office_language(desk), &values)?;
        return desk.forward_to_manager(note, &format!("vendor {number}"));
    }
    order.updated_at = now;
    let bad_news = match answer.says {
        VendorSays::Confirmed(date) | VendorSays::Shipped(date) => {
            if order.state == OrderState::Backordered {
                // The vendor has it again: what it said it could not supply is coming after all.
                order.lines.iter_mut().for_each(|l| l.confirmed = None);
            }
            if matches!(order.state, OrderState::Sent | OrderState::Backordered) {
                order.state = OrderState::Acknowledged;
            }
            order.acknowledged_at.get_or_insert(now);
            if let Some(at) = date.and_then(noon) {
                order.expected_at = Some(at);
            }
            let when = date.map(|d| format!(", delivery {d}")).unwrap_or_default();
            let what = if matches!(answer.says, VendorSays::Shipped(_)) { "shipped" } else { "confirmed" };
            desk.note(format!("{number}: {} {what} it{when} ({})", vendor.name, order.state.as_str()));
            desk.put_order(order);
            return Ok(());
        }
        VendorSays::OutOfStock(date) | VendorSays::Partial(date) => Some(date),
        VendorSays::Unclear => None,
    };
    let mut unsure = false;
    if let Some(date) = bad_news {
        let named =
            |sentence: &str, line: &OrderLine| names_line(sentence, line, desk.catalog.item(&line.sku));
        let mut told = vec![false; order.lines.len()];
        for sentence in &answer.unavailable {
            for (k, line) in order.lines.iter_mut().enumerate() {
                if named(sentence, line) {
                    line.confirmed = Some(line.received);
                    told[k] = true;
                }
            }
        }
        for short in &answer.shorts {
            match short_line(&order, short, &named) {
                Some(k) => {
                    let line = &mut order.lines[k];
                    line.confirmed = Some((line.received + short.coming).min(line.quantity));
                    told[k] = true;
                }
                None => unsure = true,
            }
        }
        let all_told = told.iter().all(|t| *t);
        let nothing_placed = !told.iter().any(|t| *t);
        order.state = match answer.says {
            VendorSays::OutOfStock(_) if all_told || nothing_placed => OrderState::Backordered,
            _ => OrderState::PartlyConfirmed,
        };
        // Of an order of several lines the news names none of, or of partial news that gives no
        // quantity, clerk cannot say what is coming: it says so rather than guess.
        if nothing_placed && (order.lines.len() > 1 || matches!(answer.says, VendorSays::Partial(_))) {
            unsure = true;
        }
        // Every line is out of stock only when the news names them all or the order has one line;
        // of an order of several that the news names none of, clerk says it cannot tell.
        if order.state == OrderState::Backordered && !unsure {
            for line in order.lines.iter_mut().filter(|l| l.confirmed.is_none()) {
                line.confirmed = Some(line.received);
            }
        }
        order.acknowledged_at.get_or_insert(now);
        order.expected_at = date.and_then(noon);
    }
    order.note = Some(answer.gist.clone()).filter(|g| !g.is_empty());
    let state = order.state;
    let what = match bad_news {
        None => "wrote something clerk could not read as a confirmation or a shipping notice".to_owned(),
        Some(_) => format!("sent bad news, the order is {}", state.as_str()),
    };
    desk.note(format!("{number}: {} {what}: passed to the manager", vendor.name));
    let language = office_language(desk);
    let values = VendorNews {
        vendor: vendor.name.clone(),
        number: number.to_string(),
        news: if bad_news.is_some() { state.as_str() } else { "unclear" },
        state: state.as_str(),
        until: bad_news.flatten().map(|d| letters::day(d, &desk.cx.rules.office.language)),
        lines: order
            .lines
            .iter()
            .filter_map(|line| {
                let coming = line.confirmed?;
                Some(NewsLine {
                    item: format!("{} ({})", line.description, line.sku),
                    ordered: line.quantity,
                    coming,
                })
            })
            .collect(),
        unsure,
        said: answer.gist,
    };
    let note = desk.cx.rules.templates.letter("supply/vendor-news", language, &values)?;
    desk.put_order(order);
    desk.forward_to_manager(note, &format!("vendor {number}"))
}

/// The line of `order` a "only 3 of the 10" is about: the one its sentence names, else the only
/// line of that many, else the order's only line; none when clerk cannot tell.
fn short_line(
    order: &PurchaseOrder,
    short: &Short,
    named: &dyn Fn(&str, &OrderLine) -> bool,
) -> Option<usize> {
    let only = |found: Vec<usize>| (found.len() == 1).then(|| found[0]);
    let by_name: Vec<usize> =
        (0..order.lines.len()).filter(|&k| named(&short.sentence, &order.lines[k])).collect();
    if !by_name.is_empty() {
        return only(by_name);
    }
    if let Some(of) = short.of {
        let by_count: Vec<usize> = (0..order.lines.len())
            .filter(|&k| order.lines[k].quantity == of || order.lines[k].outstanding() == of)
            .collect();
        return only(by_count);
    }
    only((0..order.lines.len()).collect())
}

/// Whether the folded `sentence` names `line`: its SKU, the vendor's code, its description, or the
/// catalog item's names and aliases.
fn names_line(sentence: &str, line: &OrderLine, item: Option<&Item>) -> bool {
    let mut names = vec![line.sku.as_str(), line.vendor_sku.as_str(), line.description.as_str()];
    if let Some(item) = item {
        names.push(item.name.as_str());
        names.extend(item.names.values().map(String::as_str));
        names.extend(item.aliases.iter().map(String::as_str));
    }
    names.iter().map(|n| crate::text::fold(n)).any(|n| n.trim().len() > 1 && sentence.contains(n.as_str()))
}

/// What the note on a vendor's answer forwarded to the manager (`letters/supply/vendor-news`) is
/// written from.
#[derive(Serialize)]
struct VendorNews {
    vendor: String,
    /// The purchase order: `PO-2026-0042`.
    number: String,
    /// What clerk read: `backordered` (it cannot supply it now), `partly_confirmed` (only part
    /// will come), `unclear` (clerk could not tell; the order is unchanged) or `closed` (the order
    /// is no longer, or not yet, owed by the vendor; unchanged).
    news: &'static str,
    /// The order's state after the news (`backordered`, `received`, …).
    state: &'static str,
    /// The date the vendor gives for what it cannot supply now ("Fri 15 January"), or none.
    until: Option<String>,
    /// The lines the news is about, each with how many were ordered and are coming.
    lines: Vec<NewsLine>,
    /// Clerk could not tell which lines (some of) the news is about.
    unsure: bool,
    /// What the vendor said, in its words (the sentences that carry the news).
    said: String,
}

/// A line of an order as the vendor's news leaves it.
#[derive(Serialize)]
struct NewsLine {
    /// The line as the order describes it, with the office's code: "Carta A4 (PAP-A4)".
    item: String,
    ordered: i64,
    coming: i64,
}

/// A colleague's "received PO-2026-0012": the lines named (or everything outstanding) go on the
/// shelf, the requests waiting for them are handed what came, oldest first, and each requester hears.
pub(super) fn delivery(
    desk: &mut SupplyCase<'_>,
    number: OrderNumber,
    history: &mut dyn ReplyHistory,
) -> Result<(), DeskError> {
    let Some(mut order) = desk.seen().order(number)? else {
        desk.note(format!("{number}: no such purchase order"));
        return Ok(());
    };
    if !order.state.is_out() {
        desk.note(format!("{number} is {}: no delivery is owed", order.state.as_str()));
        return Ok(());
    }
    desk.remember(Thread::Order(number), []);
    let received = match received_lines(desk, &order) {
        Received::Lines(lines) => lines,
        Received::Unclear(unnumbered) => {
            desk.note(match unnumbered.is_empty() {
                true => format!(
                    "{number}: the delivery says something is missing without saying what came: asked"
                ),
                false => format!(
                    "{number}: the delivery names {} without saying how many came: asked",
                    unnumbered.join(", ")
                ),
            });
            let values =
                DeliveryUnclear { number: number.to_string(), unnumbered, signature: desk.signature() };
            let body =
                desk.cx.rules.templates.letter("supply/delivery-unclear", office_language(desk), &values)?;
            let subject = crate::mail::compose::reply_subject(&desk.cx.msg.subject);
            desk.reply(&format!("delivery unclear {number}"), subject, body, history)?;
            return Ok(());
        }
    };
    let now = desk.cx.now.timestamp();
    let person = Some(desk.sender.email.to_lowercase());
    let mut came: Vec<(String, i64)> = Vec::new();
    for (sku, quantity) in received {
        let Some(line) = order.line_mut(&sku) else { continue };
        let quantity = quantity.min(line.outstanding());
        if quantity <= 0 {
            continue;
        }
        line.received += quantity;
        desk.change.moves.push(Move {
            sku: line.sku.clone(),
            on_hand: quantity,
            promised: 0,
            reason: Reason::Delivered,
            reference: Some(number.tag()),
            person: person.clone(),
            at: now,
        });
        came.push((line.sku.clone(), quantity));
    }
    if came.is_empty() {
        desk.note(format!("{number}: nothing outstanding matches the delivery"));
        return Ok(());
    }
    order.state = if order.all_received() { OrderState::Received } else { OrderState::PartlyReceived };
    if order.all_received() {
        order.received_at = Some(now);
    }
    order.updated_at = now;
    desk.note(format!(
        "{number}: {} received ({})",
        came.iter().map(|(s, q)| format!("{q} {s}")).collect::<Vec<_>>().join(", "),
        order.state.as_str()
    ));
    desk.put_order(order);
    hand_out(desk, &came)?;
    for (sku, _) in &came {
        if let Some(item) = desk.catalog.item(sku) {
            let level = super::level(&desk.seen(), sku)?;
            if level.available() >= item.reorder_point && desk.seen().is_low(sku)? {
                desk.change.low.push((item.sku.clone(), false));
            }
        }
    }
    let lines =
        came.iter().map(|(sku, quantity)| DeliveredLine { quantity: *quantity, sku: sku.clone() }).collect();
    let values = DeliveryRecorded { number: number.to_string(), lines, signature: desk.signature() };
    let body = desk.cx.rules.templates.letter("supply/delivery-recorded", office_language(desk), &values)?;
    let subject = crate::mail::compose::reply_subject(&desk.cx.msg.subject);
    desk.reply(&format!("delivery {number}"), subject, body, history)?;
    Ok(())
}

/// The language of the office, which answers about deliveries are written in.
fn office_language(desk: &SupplyCase<'_>) -> Language {
    letters::language(&desk.cx.rules.office.language)
}

/// What a delivery message says came.
enum Received {
    /// These lines, with their quantities.
    Lines(Vec<(String, i64)>),
    /// It names these items of the order without a quantity, or (none) says something is missing:
    /// clerk asks.
    Unclear(Vec<String>),
}

/// What the answer to a delivery clerk could not read (`letters/supply/delivery-unclear`) is
/// written from.
#[derive(Serialize)]
struct DeliveryUnclear {
    /// The purchase order: `PO-2026-0042`.
    number: String,
    /// The items it names without saying how many came, as written; empty when it says something
    /// is missing without saying what came.
    unnumbered: Vec<String>,
    signature: String,
}

/// What the answer to a delivery recorded (`letters/supply/delivery-recorded`) is written from.
#[derive(Serialize)]
struct DeliveryRecorded {
    number: String,
    /// What came: each `quantity` and `sku`.
    lines: Vec<DeliveredLine>,
    signature: String,
}

/// One line of a delivery recorded.
#[derive(Serialize)]
struct DeliveredLine {
    quantity: i64,
    sku: String,
}

/// What the delivery message says came: the order's lines it names with a quantity; everything
/// outstanding when it names none of them at all; a question when it names some without a number.
fn received_lines(desk: &SupplyCase<'_>, order: &PurchaseOrder) -> Received {
    let matcher = Matcher::new(desk.catalog);
    let reading = understand(&matcher, extract::lines(desk.new_text));
    let on_order = |sku: &str| order.lines.iter().any(|l| l.sku.eq_ignore_ascii_case(sku));
    let mentioned: Vec<_> = reading.understood.iter().filter(|u| on_order(&u.item.sku)).collect();
    let unnumbered: Vec<String> =
        mentioned.iter().filter(|u| u.assumed).map(|u| u.requested.written.clone()).collect();
    if !unnumbered.is_empty() {
        return Received::Unclear(unnumbered);
    }
    if mentioned.is_empty() && words::something_missing(desk.new_text) {
        return Received::Unclear(Vec::new());
    }
    if mentioned.is_empty() {
        return Received::Lines(order.lines.iter().map(|l| (l.sku.clone(), l.outstanding())).collect());
    }
    Received::Lines(mentioned.iter().map(|u| (u.item.sku.clone(), u.quantity)).collect())
}

/// Hands what `came` to the requests waiting for it, oldest first, and tells each requester.
fn hand_out(desk: &mut SupplyCase<'_>, came: &[(String, i64)]) -> Result<(), DeskError> {
    let now = desk.cx.now.timestamp();
    for mut request in desk.seen().open_requests()? {
        if request.state != RequestState::Waiting {
            continue;
        }
        let mut given: Vec<(&Item, i64)> = Vec::new();
        for line in &mut request.lines {
            if !came.iter().any(|(s, _)| s.eq_ignore_ascii_case(&line.sku)) {
                continue;
            }
            // Whatever is on the shelf now serves the requests that waited for it, oldest first.
            let free = super::level(&desk.seen(), &line.sku)?.on_hand.max(0);
            let give = line.waiting().min(free);
            if give <= 0 {
                continue;
            }
            line.issued += give;
            let reference = Some(request.number.tag());
            let person = Some(request.requester.clone());
            desk.change.moves.push(Move {
                sku: line.sku.clone(),
                on_hand: -give,
                promised: -give,
                reason: Reason::Issued,
                reference,
                person,
                at: now,
            });
            if let Some(item) = desk.catalog.item(&line.sku) {
                given.push((item, give));
            }
        }
        if given.is_empty() {
            continue;
        }
        let waits = request.waits();
        if !waits {
            request.state = RequestState::Done;
        }
        request.updated_at = now;
        let number = request.number;
        let requester = Address { name: request.requester_name.clone(), email: request.requester.clone() };
        let subject = format!("{} [{number}]", crate::mail::compose::reply_subject(&request.subject));
        let arrived = Arrived {
            name: letters::first_name(request.requester_name.as_deref()),
            request: number.to_string(),
            items: letters::quantities(&given, &request.language),
            still_waiting: waits,
            signature: desk.signature(),
        };
        let text = desk.cx.rules.templates.letter(
            "supply/arrived",
            Language::from_code(&request.language),
            &arrived,
        )?;
        desk.put_request(request);
        let id = desk.letter(requester, subject, text, Vec::new(), &format!("arrived {number}"))?;
        desk.remember_only(Thread::Request(number), [id]);
    }
    Ok(())
}

/// What the letter `supply-arrived` is written from.
#[derive(serde::Serialize)]
struct Arrived<'a> {
    /// The requester's first name, if known.
    name: Option<&'a str>,
    request: String,
    /// Each item that came, with its quantity ("15 reams of A4 copy paper (PAP-A4)").
    items: Vec<String>,
    /// Whether more of the request is still to come.
    still_waiting: bool,
    signature: String,
}
