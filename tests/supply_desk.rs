//! The supply desk against real servers: colleagues write to the assistant's mailbox in a private
//! Dovecot, clerk runs as a process with an order run every second, and what it sends is read from
//! the colleagues', the manager's and the vendor's own mailboxes, delivered there by a real SMTP
//! server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, CUSTOMER, Clerk, Office, PASSWORD, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);
const MARCO: &str = "marco@office.test";
const LUCIA: &str = "lucia@office.test";
const OWNER: &str = "owner@office.test";
const VENDOR: &str = "orders@vendor.test";

const RULES: &str = r#"
[[rule]]
name = "supplies"
when.from = "*@office.test"
desk = "supply"

[[rule]]
name = "orders from outside"
when.text = { any = ["order", "please send"] }
desk = "supply"

[[schedule]]
name = "order run"
cron = "* * * * * *"
job = "reorder"
"#;

const CATALOG: &str = r#"
[supply]
manager = "owner@office.test"
requesters = ["*@office.test"]
approval_limit = "150.00"
vat = "22%"
ship_to = "Test Office, Via Roma 1, Roma"

[[vendor]]
name = "Cartoleria"
address = "orders@vendor.test"
minimum_order = "20.00"
lead_time = "2d"
customer_number = "TO-77"

[[item]]
sku = "PAP-A4"
name = "A4 copy paper"
names.it = "Carta A4"
aliases = ["a4 paper"]
unit = "ream"
pack_size = 5
vendor = "Cartoleria"
vendor_sku = "CC-80500"
price = "4.20"
reorder_point = 10
order_up_to = 40
order_multiple = 5

[[item]]
sku = "PEN-BLU"
name = "Blue pen"
aliases = ["blue pens"]
vendor = "Cartoleria"
price = "0.35"
reorder_point = 10
order_up_to = 50

[[item]]
sku = "PEN-RED"
name = "Red pen"
aliases = ["red pens"]
vendor = "Cartoleria"
price = "0.35"
reorder_point = 10
order_up_to = 50

[[item]]
sku = "TON-26A"
name = "Toner HP 26A"
aliases = ["hp 26a"]
unit = "cartridge"
vendor = "Cartoleria"
vendor_sku = "CF226A"
price = "89.00"
reorder_point = 0
order_up_to = 2
"#;

/// The office with its cupboard counted (20 reams, pens and toner at their levels), started.
fn office() -> (Dovecot, SmtpSink, Office, Clerk) {
    let mut users = office_users();
    users.extend([(MARCO, PASSWORD), (LUCIA, PASSWORD), (OWNER, PASSWORD), (VENDOR, PASSWORD)]);
    let dovecot = Dovecot::start(&users);
    let sink = SmtpSink::start_relaying_to(&dovecot);
    let office = Office::new(&dovecot, &sink, RULES, "");
    std::fs::write(office.dir.path().join("rules/catalog.toml"), CATALOG).unwrap();
    for (sku, count) in [("PAP-A4", "20"), ("PEN-BLU", "50"), ("PEN-RED", "50"), ("TON-26A", "2")] {
        let (ok, out) = office.command(&["stock", "set", sku, count, "--by", "test"]);
        assert!(ok, "clerk stock set {sku} {count}: {out}");
    }
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "clerk did not start watching:\n{}", clerk.log());
    (dovecot, sink, office, clerk)
}

fn mail(from: &str, name: &str, subject: &str, id: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {name} <{from}>\r\nTo: Test Office <{ASSISTANT}>\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: {}\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        chrono::Utc::now().to_rfc2822()
    )
    .into_bytes()
}

fn parse(raw: &[u8]) -> clerk::mail::message::Message {
    clerk::mail::message::Message::parse(raw).expect("clerk's mail parses")
}

/// On hand, promised and on order of `sku`, as `clerk stock` computes them.
fn level(office: &Office, sku: &str) -> (i64, i64) {
    let on_hand =
        office.query_count(&format!("SELECT coalesce(sum(on_hand), 0) FROM stock_moves WHERE sku = '{sku}'"));
    let promised = office
        .query_count(&format!("SELECT coalesce(sum(promised), 0) FROM stock_moves WHERE sku = '{sku}'"));
    (on_hand as i64, promised as i64)
}

#[test]
fn an_order_is_confirmed_reordered_confirmed_by_the_vendor_delivered_and_handed_to_who_waited() {
    let (dovecot, _sink, office, clerk) = office();

    // Marco's order: the paper from the shelf, the pens asked about.
    dovecot.deliver(
        ASSISTANT,
        &mail(
            MARCO,
            "Marco Verdi",
            "Paper and pens",
            "o1@office.test",
            "",
            "Hi,\n\n- 3 boxes of A4 paper\n- 10 pens\n\nThanks!\nMarco",
        ),
    );
    let confirmation = parse(&dovecot.wait_for_messages(MARCO, "INBOX", 1, WAIT)[0]);
    assert!(confirmation.subject.starts_with("Re: Paper and pens [REQ-"), "{}", confirmation.subject);
    assert!(
        confirmation.text.contains("15 reams of A4 copy paper (PAP-A4): ready in the cupboard"),
        "{}",
        confirmation.text
    );
    assert!(
        confirmation.text.contains("\"10 pens\": which one: Blue pen (PEN-BLU) or Red pen (PEN-RED)?"),
        "{}",
        confirmation.text
    );
    assert_eq!(level(&office, "PAP-A4"), (5, 0), "stock went down by 15");

    // Five reams left is below the reorder point: the next order run sends 35 to the vendor.
    let order_raw = dovecot.wait_for_messages(VENDOR, "INBOX", 1, WAIT).remove(0);
    let order = parse(&order_raw);
    assert!(
        order.subject.starts_with("Purchase Order PO-") && order.subject.ends_with(" – Test Office"),
        "{}",
        order.subject
    );
    let number = order.subject.split_whitespace().nth(2).unwrap().to_owned();
    assert!(order.text.contains("Customer number:     TO-77"), "{}", order.text);
    assert!(order.text.contains("CC-80500"), "{}", order.text);
    assert!(
        order.text.contains("EUR 147.00")
            && order.text.contains("VAT 22%  EUR 32.34")
            && order.text.contains("Total  EUR 179.34"),
        "{}",
        order.text
    );
    assert_eq!(order.reply_to[0].email, ASSISTANT);
    assert_eq!(order.attachments[0].name, format!("{number}.csv"));
    assert!(order.attachments[0].content_type.starts_with("text/csv"), "{:?}", order.attachments);

    // Lucia wants more paper than the shelf holds: 5 now, 5 promised from the order on its way.
    dovecot.deliver(
        ASSISTANT,
        &mail(LUCIA, "Lucia Bassi", "Carta", "o2@office.test", "", "10 risme di carta A4, grazie"),
    );
    let hers = parse(&dovecot.wait_for_messages(LUCIA, "INBOX", 1, WAIT)[0]);
    assert!(hers.text.contains("5 pronti nell'armadio, 5 ordinati"), "{}", hers.text);
    assert_eq!(level(&office, "PAP-A4"), (0, 5));

    // The vendor confirms, in the order's thread.
    let order_id = order.message_id.clone().unwrap();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            VENDOR,
            "Cartoleria",
            &format!("Re: {}", order.subject),
            "c1@vendor.test",
            &format!("In-Reply-To: <{order_id}>\r\nReferences: <{order_id}>\r\n"),
            "Good morning, we confirm your order. Delivery on 2030-01-15.\r\n\r\n> Dear Cartoleria",
        ),
    );
    let acknowledged = support::wait_until(WAIT, || {
        office.query_strings("SELECT state FROM purchase_orders") == ["acknowledged"]
    });
    assert!(acknowledged, "the vendor's confirmation did not acknowledge the order:\n{}", clerk.log());

    // The delivery comes; Marco says so. The shelf fills up and Lucia hears her paper is here.
    dovecot.deliver(
        ASSISTANT,
        &mail(
            MARCO,
            "Marco Verdi",
            "Delivery",
            "d1@office.test",
            "",
            &format!("Received {number}, all there."),
        ),
    );
    let received = support::wait_until(WAIT, || {
        office.query_strings("SELECT state FROM purchase_orders") == ["received"]
    });
    assert!(received, "the delivery was not recorded:\n{}", clerk.log());
    assert_eq!(level(&office, "PAP-A4"), (30, 0), "35 in, 5 handed to Lucia");
    let arrived = parse(&dovecot.wait_for_messages(LUCIA, "INBOX", 2, WAIT)[1]);
    assert!(arrived.text.contains("sono arrivati gli articoli della tua richiesta"), "{}", arrived.text);
    assert!(arrived.text.contains("5 risme di Carta A4 (PAP-A4)"), "{}", arrived.text);
    let (ok, stock) = office.command(&["stock"]);
    assert!(ok && stock.contains("PAP-A4") && stock.contains("30"), "{stock}");
}

#[test]
fn an_order_over_the_limit_waits_for_the_manager_and_a_strangers_order_is_not_placed() {
    let (dovecot, _sink, office, clerk) = office();

    // Two toners cost EUR 178.00, over the EUR 150.00 limit: the manager is asked, nothing moves.
    dovecot.deliver(
        ASSISTANT,
        &mail(MARCO, "Marco Verdi", "Toner", "t1@office.test", "", "2x HP 26A toner please"),
    );
    let waiting = parse(&dovecot.wait_for_messages(MARCO, "INBOX", 1, WAIT)[0]);
    assert!(waiting.text.contains("waits for Olga Owner's approval"), "{}", waiting.text);
    let ask = parse(&dovecot.wait_for_messages(OWNER, "INBOX", 1, WAIT)[0]);
    assert!(ask.subject.starts_with("Approval needed: REQ-"), "{}", ask.subject);
    assert_eq!(level(&office, "TON-26A"), (2, 0));

    // The manager approves by replying.
    let ask_id = ask.message_id.clone().unwrap();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            OWNER,
            "Olga Owner",
            &format!("Re: {}", ask.subject),
            "v1@office.test",
            &format!("In-Reply-To: <{ask_id}>\r\n"),
            "Approved.\r\n\r\nOlga",
        ),
    );
    let news = parse(&dovecot.wait_for_messages(MARCO, "INBOX", 2, WAIT)[1]);
    assert!(news.text.contains("is approved"), "{}", news.text);
    assert!(
        news.text.contains("2 cartridges of Toner HP 26A (TON-26A): ready in the cupboard"),
        "{}",
        news.text
    );
    assert_eq!(level(&office, "TON-26A"), (0, 0));

    // Someone outside the office orders: a polite answer, the manager gets the message, no request.
    dovecot.deliver(
        ASSISTANT,
        &mail(CUSTOMER, "Anna Example", "Order", "x1@example.test", "", "Please send 3 boxes of A4 paper."),
    );
    let answer = parse(&dovecot.wait_for_messages(CUSTOMER, "INBOX", 1, WAIT)[0]);
    assert!(answer.text.contains("only colleagues of the office can order supplies"), "{}", answer.text);
    let forwarded = dovecot.wait_for_messages(OWNER, "INBOX", 2, WAIT);
    assert!(
        forwarded.iter().any(|raw| parse(raw).text.contains("is not among the requesters")),
        "{}",
        clerk.log()
    );
    assert_eq!(
        office.query_count("SELECT count(*) FROM supply_requests WHERE requester = 'anna@example.test'"),
        0
    );
    assert_eq!(level(&office, "PAP-A4"), (20, 0), "nothing handed out");
}

/// The office after Marco took 15 reams and the order run sent the vendor 35: the order as the
/// vendor received it.
fn paper_ordered(dovecot: &Dovecot) -> clerk::mail::message::Message {
    dovecot.deliver(
        ASSISTANT,
        &mail(MARCO, "Marco Verdi", "Paper", "p1@office.test", "", "3 boxes of A4 paper, thanks"),
    );
    parse(&dovecot.wait_for_messages(VENDOR, "INBOX", 1, WAIT)[0])
}

/// The vendor's answer in the thread of `order`, saying `body`.
fn vendor_answers(dovecot: &Dovecot, order: &clerk::mail::message::Message, id: &str, body: &str) {
    let order_id = order.message_id.clone().unwrap();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            VENDOR,
            "Cartoleria",
            &format!("Re: {}", order.subject),
            id,
            &format!("In-Reply-To: <{order_id}>\r\nReferences: <{order_id}>\r\n"),
            body,
        ),
    );
}

#[test]
fn a_vendor_out_of_stock_until_a_date_backorders_the_order_with_that_date_and_the_manager_hears_it() {
    let (dovecot, _sink, office, clerk) = office();
    let order = paper_ordered(&dovecot);
    vendor_answers(
        &dovecot,
        &order,
        "c1@vendor.test",
        "Hello,\r\n\r\nunfortunately the A4 paper is out of stock until 15 January 2030.\r\n\r\nBest regards\r\nLuca\r\n\r\n> Dear Cartoleria",
    );
    let backordered = support::wait_until(WAIT, || {
        office.query_strings("SELECT state FROM purchase_orders WHERE sequence = 1") == ["backordered"]
    });
    assert!(backordered, "the order is not backordered:\n{}", clerk.log());
    let (ok, orders) = office.command(&["purchase-orders"]);
    assert!(ok, "{orders}");
    assert!(orders.contains("expected: Tue 15 Jan 2030"), "{orders}");
    assert!(
        orders.contains("note: unfortunately the A4 paper is out of stock until 15 January 2030."),
        "{orders}"
    );
    assert!(!orders.contains("Hello,"), "{orders}");
    let told = dovecot.wait_for_messages(OWNER, "INBOX", 2, WAIT);
    let forward =
        told.iter().map(|raw| parse(raw)).find(|m| m.text.contains("backordered")).expect("the news");
    assert!(forward.text.contains("it cannot supply it now, not before Tue 15 January"), "{}", forward.text);
}

#[test]
fn a_vendor_that_can_deliver_only_part_partly_confirms_the_order_and_the_managers_cancel_keeps_that_part() {
    let (dovecot, _sink, office, clerk) = office();
    let order = paper_ordered(&dovecot);
    vendor_answers(
        &dovecot,
        &order,
        "c1@vendor.test",
        "Buongiorno,\r\n\r\npossiamo consegnare solo 20 delle 35 risme entro venerdì.\r\n\r\nCordiali saluti",
    );
    let partly = support::wait_until(WAIT, || {
        office.query_strings("SELECT state FROM purchase_orders WHERE sequence = 1") == ["partly_confirmed"]
    });
    assert!(partly, "the order is not partly confirmed:\n{}", clerk.log());
    let (_, orders) = office.command(&["purchase-orders"]);
    assert!(orders.contains("vendor confirmed 20"), "{orders}");
    assert!(orders.contains("note: possiamo consegnare solo 20 delle 35 risme entro venerdì."), "{orders}");
    let told = dovecot.wait_for_messages(OWNER, "INBOX", 2, WAIT);
    let forward =
        told.iter().map(|raw| parse(raw)).find(|m| m.text.contains("20 of 35 coming")).expect("the news");

    // The manager cancels what the vendor cannot supply: the 20 it confirmed stay ordered (the
    // order run then orders what the shelf still lacks on a new order).
    let forward_id = forward.message_id.clone().unwrap();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            OWNER,
            "Olga Owner",
            &format!("Re: {}", forward.subject),
            "k1@office.test",
            &format!("In-Reply-To: <{forward_id}>\r\n"),
            "Cancel the rest.\r\n\r\nOlga",
        ),
    );
    let cut = support::wait_until(WAIT, || {
        office.query_strings("SELECT state FROM purchase_orders WHERE sequence = 1") == ["acknowledged"]
    });
    assert!(cut, "the rest was not cancelled:\n{}", clerk.log());
    let (_, orders) = office.command(&["purchase-orders"]);
    assert!(orders.contains("   20 PAP-A4"), "{orders}");
}

#[test]
fn the_low_stock_notice_after_an_urgent_request_says_the_order_went_out_now() {
    let (dovecot, _sink, _office, clerk) = office();
    dovecot.deliver(
        ASSISTANT,
        &mail(MARCO, "Marco Verdi", "URGENT paper", "u1@office.test", "", "4 boxes of A4 paper, asap please"),
    );
    let order = parse(&dovecot.wait_for_messages(VENDOR, "INBOX", 1, WAIT)[0]);
    let number = order.subject.split_whitespace().nth(2).unwrap().to_owned();
    let alert = parse(&dovecot.wait_for_messages(OWNER, "INBOX", 1, WAIT)[0]);
    assert!(alert.subject.starts_with("Low stock: A4 copy paper"), "{}\n{}", alert.subject, clerk.log());
    assert!(alert.text.contains(&format!("I ordered 40 from Cartoleria now ({number}).")), "{}", alert.text);
    assert!(!alert.text.contains("next order run"), "{}", alert.text);
}

#[test]
fn collect_everything_is_said_only_when_the_whole_request_is_on_the_shelf() {
    let (dovecot, _sink, _office, _clerk) = office();
    // 25 reams with 20 on the shelf: 5 are ordered; the pens are asked about.
    dovecot.deliver(
        ASSISTANT,
        &mail(MARCO, "Marco Verdi", "Order", "r1@office.test", "", "5 boxes of A4 paper\n10 pens"),
    );
    let first = parse(&dovecot.wait_for_messages(MARCO, "INBOX", 1, WAIT)[0]);
    assert!(first.text.contains("20 ready in the cupboard, 5 ordered"), "{}", first.text);
    assert!(!first.text.contains("collect everything"), "{}", first.text);

    // The answer to the question is all on the shelf, but the paper of the same request is not.
    let question_id = first.message_id.clone().unwrap();
    dovecot.deliver(
        ASSISTANT,
        &mail(
            MARCO,
            "Marco Verdi",
            &format!("Re: {}", first.subject),
            "r2@office.test",
            &format!("In-Reply-To: <{question_id}>\r\n"),
            "10 blue pens",
        ),
    );
    let second = parse(&dovecot.wait_for_messages(MARCO, "INBOX", 2, WAIT)[1]);
    assert!(
        second.text.contains("10 pieces of Blue pen (PEN-BLU): ready in the cupboard"),
        "{}",
        second.text
    );
    assert!(
        second.text.contains("Still to come from what you asked earlier in this request:"),
        "{}",
        second.text
    );
    assert!(second.text.contains("25 reams of A4 copy paper (PAP-A4): 5 ordered"), "{}", second.text);
    assert!(second.text.contains("I will write when the rest arrives"), "{}", second.text);
    assert!(!second.text.contains("collect everything"), "{}", second.text);
}
