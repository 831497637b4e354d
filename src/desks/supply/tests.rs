//! The supply desk as a pure function, whole conversations at a time: each message classified by the
//! rules, run through the desks against a store that holds what the earlier messages left, and its
//! supply changes stored as the intake would.

use chrono::{DateTime, TimeZone, Utc};

use crate::actions::NoHistory;
use crate::effects::{Effect, MailKind};
use crate::mail::compose::OutboundMail;
use crate::mail::message::Message;
use crate::rules::tests::{Dir, OFFICE};
use crate::rules::{Job, RuleSet};
use crate::store::Store;
use crate::supply::stock::{Move, Reason};
use crate::supply::{OrderNumber, OrderState, RequestNumber, RequestState, SupplyChange};

const CATALOG: &str = r#"
[supply]
requesters = ["*@office.example"]
approval_limit = "150.00"
vat = "22%"
ship_to = "Via Roma 1, Roma"

[[vendor]]
name = "Cartoleria"
address = "ordini@cartoleria.example"
language = "it"
minimum_order = "20.00"
lead_time = "2d"
customer_number = "RB-2291"

[[vendor]]
name = "PrintSupply"
address = "orders@printsupply.example"
minimum_order = "50.00"
lead_time = "3d"
approval_limit = "300.00"

[[item]]
sku = "PAP-A4"
name = "A4 copy paper"
names.it = "Carta A4"
aliases = ["a4 paper", "carta a4"]
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

[[item]]
sku = "PEN-RED"
name = "Red pen"
aliases = ["red pens"]
vendor = "Cartoleria"
price = "0.35"

[[item]]
sku = "TON-26A"
name = "Toner HP 26A"
aliases = ["hp 26a"]
unit = "cartridge"
vendor = "PrintSupply"
vendor_sku = "CF226A"
price = "89.00"
reorder_point = 1
order_up_to = 2
"#;

const RULES: &str = r#"
[[rule]]
name = "supplies"
when.from = "*@office.example"
desk = "supply"

[[schedule]]
name = "order run"
cron = "0 0 9 * * Mon-Fri"
job = "reorder"
"#;

fn office() -> (Dir, RuleSet) {
    let dir = Dir::new();
    dir.write("office.toml", OFFICE);
    dir.write("catalog.toml", CATALOG);
    dir.write("10.rules.toml", RULES);
    let set = dir.load();
    (dir, set)
}

/// Monday 7 December 2026, 10:00 in Rome.
fn now() -> DateTime<Utc> {
    chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap().with_timezone(&Utc)
}

fn mail(from: &str, subject: &str, id: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Marco Verdi <{from}>\r\nTo: assistant@office.example\r\nSubject: {subject}\r\n\
         Message-ID: <{id}>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0100\r\n{headers}\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// What one message did.
struct Handled {
    effects: Vec<Effect>,
    notes: Vec<String>,
}

impl Handled {
    fn sent(&self, kind: MailKind) -> Vec<&OutboundMail> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send { kind: k, mail, .. } if *k == kind => Some(mail),
                _ => None,
            })
            .collect()
    }

    /// The mail to `address`, as its recipient reads it.
    fn to(&self, address: &str) -> Vec<Message> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send { mail, .. } if mail.recipients.iter().any(|r| r == address) => {
                    Some(Message::parse(&mail.raw).unwrap())
                }
                _ => None,
            })
            .collect()
    }

    fn change(&self) -> Option<&SupplyChange> {
        self.effects.iter().find_map(|e| match e {
            Effect::Supply(change) => Some(&**change),
            _ => None,
        })
    }
}

/// Runs `raw` through the rules and the desks against `store`, then stores its supply change.
fn handle(rules: &RuleSet, store: &mut Store, raw: &[u8], at: DateTime<Utc>) -> Handled {
    handle_with(rules, store, raw, at, &mut NoHistory)
}

/// [`handle`] with a reply log, which may last across messages.
fn handle_with(
    rules: &RuleSet,
    store: &mut Store,
    raw: &[u8],
    at: DateTime<Utc>,
    replies: &mut dyn crate::actions::ReplyHistory,
) -> Handled {
    let msg = Message::parse(raw).unwrap();
    let hash = crate::digest::sha256_hex(raw);
    let incoming = crate::desks::Incoming { msg: &msg, raw, content_hash: &hash, now: at };
    let views = crate::desks::Views {
        calendars: &crate::desks::NoCalendars,
        tickets: &*store,
        supply: &*store,
        planning: &*store,
    };
    let decision = crate::handling::decide(rules, &incoming, &views, replies).unwrap();
    let handled = Handled { effects: decision.effects, notes: decision.notes };
    if let Some(change) = handled.change() {
        store.put_supply(change).unwrap();
    }
    handled
}

/// Puts `count` of `sku` on the shelf, as `clerk stock set` would.
fn shelve(store: &mut Store, sku: &str, count: i64) {
    let counted = Move {
        sku: sku.into(),
        on_hand: count,
        promised: 0,
        reason: Reason::Counted,
        reference: None,
        person: None,
        at: 0,
    };
    store.put_supply(&SupplyChange { moves: vec![counted], ..SupplyChange::default() }).unwrap();
}

/// A store whose cupboard is full, so that only what a test takes or counts runs low.
fn stocked() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 40);
    shelve(&mut store, "TON-26A", 2);
    store
}

/// Runs the reorder job at `at` and stores what it changed; its mail.
fn reorder(rules: &RuleSet, store: &mut Store, at: DateTime<Utc>) -> Vec<OutboundMail> {
    let job = rules.schedules.iter().find(|s| s.job == Job::Reorder).unwrap();
    let run = crate::schedule::reorder::run(rules, store, job, at.timestamp(), at).unwrap();
    store.put_supply(&run.change).unwrap();
    run.mails
}

const FIRST: RequestNumber = RequestNumber { year: 2026, sequence: 1 };
const PO: OrderNumber = OrderNumber { year: 2026, sequence: 1 };

#[test]
fn an_order_the_shelf_covers_is_handed_out_and_confirmed() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 30);
    let raw = mail(
        "marco@office.example",
        "Paper",
        "o1@office.example",
        "",
        "Hi,\n\n- 3 boxes of A4 paper\n\nThanks!\nMarco",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    let reply = &handled.to("marco@office.example")[0];
    assert_eq!(reply.subject, "Re: Paper [REQ-2026-0001]");
    assert!(
        reply.text.contains("15 reams of A4 copy paper (PAP-A4): ready in the cupboard"),
        "{}",
        reply.text
    );
    assert_eq!(store.stock_level("PAP-A4").unwrap().on_hand, 15);
    assert_eq!(store.supply_request(FIRST).unwrap().unwrap().state, RequestState::Done);
    assert!(
        store.purchase_orders(&[]).unwrap().is_empty(),
        "15 left is above the reorder point: {:?}",
        handled.notes
    );
}

#[test]
fn what_the_shelf_lacks_is_promised_and_put_on_the_vendors_draft() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail("marco@office.example", "Toner", "o1@office.example", "", "1x HP 26A toner please");
    let handled = handle(&rules, &mut store, &raw, now());
    let level = store.stock_level("TON-26A").unwrap();
    assert_eq!((level.on_hand, level.promised, level.drafted), (0, 1, 3), "back to 2 after the one promised");
    let draft = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!(
        (draft.state, draft.vendor.as_str(), draft.lines[0].quantity),
        (OrderState::Draft, "PrintSupply", 3)
    );
    let reply = &handled.to("marco@office.example")[0];
    // The next order run is Tuesday 8 December at 09:00; three working days later is Friday.
    assert!(reply.text.contains("ordered, expected by Fri 11 December"), "{}", reply.text);
    let alert = &handled.to("giulia@office.example")[0];
    assert_eq!(alert.subject, "Low stock: Toner HP 26A (TON-26A)");
}

#[test]
fn the_low_stock_alert_fires_once_until_the_item_recovers() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 12);
    let first = handle(
        &rules,
        &mut store,
        &mail("marco@office.example", "Paper", "o1@office.example", "", "5 reams of A4 paper"),
        now(),
    );
    assert_eq!(first.to("giulia@office.example").len(), 1, "{:?}", first.notes);
    let second = handle(
        &rules,
        &mut store,
        &mail("anna@office.example", "Paper", "o2@office.example", "", "2 reams of A4 paper"),
        now(),
    );
    assert!(second.to("giulia@office.example").is_empty(), "told once");
    assert!(store.is_low("PAP-A4").unwrap());
}

#[test]
fn a_line_that_fits_several_items_is_asked_about_not_guessed() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 30);
    let raw = mail("marco@office.example", "Order", "o1@office.example", "", "2 reams of A4 paper\n10 pens");
    let handled = handle(&rules, &mut store, &raw, now());
    let reply = &handled.to("marco@office.example")[0];
    assert!(
        reply.text.contains("\"10 pens\": which one: Blue pen (PEN-BLU) or Red pen (PEN-RED)?"),
        "{}",
        reply.text
    );
    let request = store.supply_request(FIRST).unwrap().unwrap();
    assert_eq!(request.lines.len(), 1, "only the paper is ordered: {:?}", request.lines);
    // The answer in the thread adds the line to the same request.
    let answer = mail(
        "marco@office.example",
        "Re: Order [REQ-2026-0001]",
        "o2@office.example",
        &format!("In-Reply-To: <{}>\r\n", handled.sent(MailKind::Reply)[0].message_id),
        "10 blue pens\n\n> 10 pens",
    );
    let handled = handle(&rules, &mut store, &answer, now());
    let request = store.supply_request(FIRST).unwrap().unwrap();
    let texts: Vec<String> = handled.to("marco@office.example").iter().map(|m| m.text.clone()).collect();
    assert_eq!(
        request.lines.iter().map(|l| l.sku.as_str()).collect::<Vec<_>>(),
        ["PAP-A4", "PEN-BLU"],
        "{:?} {texts:?}",
        handled.notes
    );
}

#[test]
fn someone_who_may_not_order_gets_a_polite_answer_and_nothing_is_ordered() {
    let (dir, _) = office();
    dir.write("10.rules.toml", &RULES.replace("when.from = \"*@office.example\"\n", ""));
    let rules = dir.load();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail("someone@example.com", "Paper", "x1@example.com", "", "3 boxes of A4 paper");
    let handled = handle(&rules, &mut store, &raw, now());
    let reply = &handled.to("someone@example.com")[0];
    assert!(reply.text.contains("only colleagues of the office can order supplies"), "{}", reply.text);
    assert_eq!(handled.sent(MailKind::Forward)[0].recipients, ["giulia@office.example"]);
    assert!(handled.change().is_none(), "nothing ordered");
}

#[test]
fn an_order_over_the_limit_waits_for_the_managers_approval_then_goes_ahead() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail("marco@office.example", "Toner", "o1@office.example", "", "2x HP 26A toner");
    let handled = handle(&rules, &mut store, &raw, now());
    let approval = handled
        .sent(MailKind::Notice)
        .into_iter()
        .find(|m| m.recipients == ["giulia@office.example"])
        .unwrap()
        .clone();
    let letter = Message::parse(&approval.raw).unwrap();
    assert!(
        letter.subject.starts_with("Approval needed: REQ-2026-0001 from Marco Verdi"),
        "{}",
        letter.subject
    );
    assert!(letter.text.contains("over the approval limit of EUR 150.00"), "{}", letter.text);
    assert_eq!(store.supply_request(FIRST).unwrap().unwrap().state, RequestState::AwaitingApproval);
    assert_eq!(store.stock_level("TON-26A").unwrap().promised, 0, "nothing moves before the approval");

    let verdict = mail(
        "giulia@office.example",
        &format!("Re: {}", letter.subject),
        "v1@office.example",
        &format!("In-Reply-To: <{}>\r\n", approval.message_id),
        "Approved.\n\n> Reply approve or reject",
    );
    let handled = handle(&rules, &mut store, &verdict, now());
    assert_eq!(
        store.supply_request(FIRST).unwrap().unwrap().state,
        RequestState::Waiting,
        "{:?}",
        handled.notes
    );
    assert_eq!(store.stock_level("TON-26A").unwrap().promised, 2);
    let news = &handled.to("marco@office.example")[0];
    assert!(news.text.contains("your request REQ-2026-0001 is approved"), "{}", news.text);
}

#[test]
fn a_rejected_request_orders_nothing() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let handled = handle(
        &rules,
        &mut store,
        &mail("marco@office.example", "Toner", "o1@office.example", "", "2x HP 26A toner"),
        now(),
    );
    let approval = handled.sent(MailKind::Notice)[0].message_id.clone();
    let verdict = mail(
        "giulia@office.example",
        "Re: Approval needed",
        "v1@office.example",
        &format!("In-Reply-To: <{approval}>\r\n"),
        "Reject: we have two in the archive",
    );
    let handled = handle(&rules, &mut store, &verdict, now());
    assert_eq!(store.supply_request(FIRST).unwrap().unwrap().state, RequestState::Rejected);
    assert!(store.purchase_orders(&[]).unwrap().is_empty());
    let news = &handled.to("marco@office.example")[0];
    assert!(news.text.contains("Reason: we have two in the archive"), "{}", news.text);
}

#[test]
fn automatic_mail_orders_nothing() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    let raw = mail(
        "marco@office.example",
        "Out of office",
        "a1@office.example",
        "Auto-Submitted: auto-replied\r\n",
        "3 boxes of A4 paper",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    assert!(handled.effects.is_empty(), "{:?}", handled.effects);
    assert!(handled.notes.iter().any(|n| n.contains("nothing done")), "{:?}", handled.notes);
}

#[test]
fn the_order_run_sends_a_draft_and_the_vendors_confirmation_acknowledges_it() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 8);
    let mails = reorder(&rules, &mut store, now());
    let po = mails
        .iter()
        .find(|m| m.recipients == ["ordini@cartoleria.example"])
        .expect("the order to the vendor");
    let sent = Message::parse(&po.raw).unwrap();
    assert_eq!(sent.subject, "Purchase Order PO-2026-0001 – Rossi & Bianchi Studio");
    assert!(sent.text.contains("CC-80500"), "{}", sent.text);
    assert!(sent.text.contains("EUR 147,00"), "35 reams at 4.20, in Italian: {}", sent.text);
    assert_eq!(sent.attachments[0].name, "PO-2026-0001.csv");
    assert_eq!(store.purchase_order(PO).unwrap().unwrap().state, OrderState::Sent);
    assert!(reorder(&rules, &mut store, now()).iter().all(|m| m.message_id != po.message_id), "sent once");

    let confirmation = mail(
        "ordini@cartoleria.example",
        "Re: Purchase Order PO-2026-0001",
        "c1@cartoleria.example",
        &format!("In-Reply-To: <{}>\r\n", po.message_id),
        "Buongiorno, confermiamo l'ordine. Consegna prevista il 10/12/2026.",
    );
    let handled = handle(&rules, &mut store, &confirmation, now());
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!(order.state, OrderState::Acknowledged, "{:?}", handled.notes);
    let expected = chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 12, 10, 12, 0, 0).unwrap().timestamp();
    assert_eq!(order.expected_at, Some(expected));
}

#[test]
fn a_vendor_that_cannot_supply_is_passed_to_the_manager() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 8);
    let po = reorder(&rules, &mut store, now())
        .into_iter()
        .find(|m| m.recipients == ["ordini@cartoleria.example"])
        .unwrap();
    let answer = mail(
        "ordini@cartoleria.example",
        "Re: Purchase Order PO-2026-0001",
        "c1@cartoleria.example",
        &format!("In-Reply-To: <{}>\r\n", po.message_id),
        "La carta A4 è esaurita fino a gennaio.",
    );
    let handled = handle(&rules, &mut store, &answer, now());
    assert_eq!(handled.sent(MailKind::Forward)[0].recipients, ["giulia@office.example"]);
    assert!(store.purchase_order(PO).unwrap().unwrap().note.unwrap().contains("esaurita"));
}

#[test]
fn a_delivery_restocks_and_tells_the_requesters() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 2);
    handle(
        &rules,
        &mut store,
        &mail("marco@office.example", "Paper", "o1@office.example", "", "5 reams of A4 paper"),
        now(),
    );
    assert_eq!(store.stock_level("PAP-A4").unwrap().promised, 3);
    reorder(&rules, &mut store, now());
    let delivered =
        mail("anna@office.example", "Delivery", "d1@office.example", "", "Received PO-2026-0001, all there.");
    let handled = handle(&rules, &mut store, &delivered, now());
    let level = store.stock_level("PAP-A4").unwrap();
    // 2 on the shelf, 3 promised: 45 ordered to bring it back to 40; 3 of them handed to Marco.
    assert_eq!((level.on_hand, level.promised, level.on_order), (42, 0, 0), "{:?}", handled.notes);
    assert_eq!(store.purchase_order(PO).unwrap().unwrap().state, OrderState::Received);
    assert_eq!(store.supply_request(FIRST).unwrap().unwrap().state, RequestState::Done);
    let news = &handled.to("marco@office.example")[0];
    assert!(news.text.contains("3 reams of A4 copy paper (PAP-A4)"), "{}", news.text);
    assert!(!store.is_low("PAP-A4").unwrap(), "recovered");
}

#[test]
fn an_urgent_request_sends_its_order_at_once() {
    let (_dir, rules) = office();
    let mut store = stocked();
    shelve(&mut store, "PAP-A4", -40);
    let raw = mail(
        "marco@office.example",
        "URGENT paper",
        "o1@office.example",
        "",
        "10 reams of A4 paper, urgent please",
    );
    let handled = handle(&rules, &mut store, &raw, now());
    assert_eq!(handled.to("ordini@cartoleria.example").len(), 1, "{:?}", handled.notes);
    assert_eq!(store.purchase_order(PO).unwrap().unwrap().state, OrderState::Sent);
}

#[test]
fn a_draft_over_the_vendors_limit_is_put_to_the_manager_and_sent_when_approved() {
    let (_dir, rules) = office();
    let mut store = stocked();
    shelve(&mut store, "TON-26A", -5);
    let mails = reorder(&rules, &mut store, now());
    let ask = mails
        .iter()
        .find(|m| {
            m.recipients == ["giulia@office.example"]
                && String::from_utf8_lossy(&m.raw).contains("Approval needed: PO-2026-0001")
        })
        .expect("asked");
    assert!(mails.iter().all(|m| m.recipients != ["orders@printsupply.example"]), "not sent before approval");
    assert!(reorder(&rules, &mut store, now()).is_empty(), "asked once");
    let verdict = mail(
        "giulia@office.example",
        "Re: Approval needed",
        "v1@office.example",
        &format!("In-Reply-To: <{}>\r\n", ask.message_id),
        "ok",
    );
    let handled = handle(&rules, &mut store, &verdict, now());
    assert_eq!(handled.to("orders@printsupply.example").len(), 1, "{:?}", handled.notes);
    assert_eq!(store.purchase_order(PO).unwrap().unwrap().state, OrderState::Sent);
}

#[test]
fn a_draft_below_the_vendors_minimum_waits() {
    let (_dir, rules) = office();
    let mut store = stocked();
    handle(
        &rules,
        &mut store,
        &mail("marco@office.example", "Pens", "o1@office.example", "", "4 blue pens"),
        now(),
    );
    let mails = reorder(&rules, &mut store, now());
    let recipients: Vec<&[String]> = mails.iter().map(|m| m.recipients.as_slice()).collect();
    assert!(mails.is_empty(), "EUR 1.40 is below Cartoleria's minimum of EUR 20.00: {recipients:?}");
    assert_eq!(store.purchase_order(PO).unwrap().unwrap().state, OrderState::Draft);
}

#[test]
fn an_overdue_order_gets_one_reminder() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 8);
    let po = reorder(&rules, &mut store, now())
        .into_iter()
        .find(|m| m.recipients == ["ordini@cartoleria.example"])
        .unwrap();
    let later = now() + chrono::Duration::days(7);
    let reminders = reorder(&rules, &mut store, later);
    let reminder = Message::parse(
        &reminders.iter().find(|m| m.recipients == ["ordini@cartoleria.example"]).unwrap().raw,
    )
    .unwrap();
    assert_eq!(reminder.in_reply_to, [po.message_id]);
    assert!(reminder.text.contains("non ci è ancora arrivato"), "{}", reminder.text);
    assert!(reorder(&rules, &mut store, later + chrono::Duration::days(1)).is_empty(), "once");
}

#[test]
fn the_digest_reports_low_stock_open_orders_and_this_months_spending() {
    let (_dir, rules) = office();
    let mut store = stocked();
    shelve(&mut store, "PAP-A4", -32);
    reorder(&rules, &mut store, now());
    let catalog = rules.catalog.as_ref().unwrap();
    let cupboard = crate::reports::stock::digest(&store, catalog, &rules.office, now().timestamp()).unwrap();
    let text = rules
        .templates
        .letter("office/digest-supply", crate::language::Language::English, &cupboard)
        .unwrap();
    assert!(
        text.contains(
            "Low stock: 1 item\n  PAP-A4 A4 copy paper: 8 available (reorder point 10), 35 on order"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Open purchase orders: 1\n  PO-2026-0001 to Cartoleria: sent, expected Wed 9 Dec, EUR 147.00"
        ),
        "{text}"
    );
    assert!(
        text.contains("Spent this month (orders sent and events, before VAT):\n  Cartoleria: EUR 147.00"),
        "{text}"
    );
}

/// A reply log kept in memory, as the intake keeps one per batch over the store's.
#[derive(Default)]
struct Replies(std::collections::HashMap<(String, String), i64>);

impl crate::actions::ReplyHistory for Replies {
    fn last_reply(&self, sender: &str, rule: &str) -> Result<Option<i64>, String> {
        Ok(self.0.get(&(sender.to_owned(), rule.to_owned())).copied())
    }

    fn note_reply(&mut self, sender: &str, rule: &str, at: i64) {
        self.0.insert((sender.to_owned(), rule.to_owned()), at);
    }
}

#[test]
fn the_answer_to_a_question_is_confirmed_too() {
    let (_dir, rules) = office();
    let mut store = stocked();
    let mut replies = Replies::default();
    let first = handle_with(
        &rules,
        &mut store,
        &mail("marco@office.example", "Order", "o1@office.example", "", "2 reams of A4 paper\n10 pens"),
        now(),
        &mut replies,
    );
    let question = first.sent(MailKind::Reply)[0].message_id.clone();
    let answer = mail(
        "marco@office.example",
        "Re: Order [REQ-2026-0001]",
        "o2@office.example",
        &format!("In-Reply-To: <{question}>\r\n"),
        "10 blue pens",
    );
    let second = handle_with(&rules, &mut store, &answer, now(), &mut replies);
    let reply = &second.to("marco@office.example")[0];
    assert!(reply.text.contains("10 pieces of Blue pen (PEN-BLU)"), "{}", reply.text);
}

#[test]
fn a_follow_up_over_the_limit_is_a_request_of_its_own() {
    let (_dir, rules) = office();
    let mut store = stocked();
    let first = handle(
        &rules,
        &mut store,
        &mail("marco@office.example", "Toner", "o1@office.example", "", "1x HP 26A toner"),
        now(),
    );
    let confirmation = first.sent(MailKind::Reply)[0].message_id.clone();
    let more = mail(
        "marco@office.example",
        "Re: Toner",
        "o2@office.example",
        &format!("In-Reply-To: <{confirmation}>\r\n"),
        "Sorry, 2x HP 26A toner more",
    );
    handle(&rules, &mut store, &more, now());
    let second = RequestNumber { year: 2026, sequence: 2 };
    assert_eq!(
        store.supply_request(FIRST).unwrap().unwrap().lines.len(),
        1,
        "the first request is left as it was"
    );
    assert_eq!(store.supply_request(second).unwrap().unwrap().state, RequestState::AwaitingApproval);
    let ask = store.supply_thread(&["o2@office.example".into()]).unwrap();
    assert_eq!(ask, Some(crate::supply::Thread::Request(second)));
    let approval =
        mail("giulia@office.example", "Re: Approval", "v1@office.example", "", "Approve REQ-2026-0002");
    let approval = String::from_utf8(approval)
        .unwrap()
        .replace("Subject: Re: Approval", "Subject: Re: Approval [REQ-2026-0002]");
    handle(&rules, &mut store, approval.as_bytes(), now());
    let level = store.stock_level("TON-26A").unwrap();
    assert_eq!(
        (level.on_hand, level.promised),
        (0, 1),
        "1 handed out first, then 1 and 1 promised: each line once"
    );
}

/// The stocked office with A4 paper below its reorder point and its purchase order sent.
fn paper_on_order() -> (Dir, RuleSet, Store) {
    let (dir, rules) = office();
    let mut store = stocked();
    shelve(&mut store, "PAP-A4", -32);
    reorder(&rules, &mut store, now());
    (dir, rules, store)
}

/// Anna's message about a delivery, saying `text`, handled now.
fn delivery_news(rules: &RuleSet, store: &mut Store, text: &str) -> Handled {
    let note = mail("anna@office.example", "Delivery", "d1@office.example", "", text);
    handle(rules, store, &note, now())
}

#[test]
fn a_delivery_that_names_an_item_without_a_number_is_asked_about() {
    let (_dir, rules, mut store) = paper_on_order();
    let handled = delivery_news(&rules, &mut store, "Received PO-0001 but the A4 paper is missing.");
    assert_eq!(store.purchase_order(PO).unwrap().unwrap().state, OrderState::Sent, "{:?}", handled.notes);
    assert!(handled.to("anna@office.example")[0].text.contains("so I recorded nothing"));
    let partial = mail(
        "anna@office.example",
        "Delivery",
        "d2@office.example",
        "",
        "Received PO-0001: 10 reams of A4 paper",
    );
    handle(&rules, &mut store, &partial, now());
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!((order.state, order.lines[0].received), (OrderState::PartlyReceived, 10));
}

#[test]
fn an_order_the_manager_refused_is_not_drafted_again_until_the_stock_changes() {
    let (_dir, rules) = office();
    let mut store = stocked();
    shelve(&mut store, "TON-26A", -5);
    let ask = reorder(&rules, &mut store, now())
        .into_iter()
        .find(|m| String::from_utf8_lossy(&m.raw).contains("Approval needed: PO-2026-0001"))
        .unwrap();
    let no = mail(
        "giulia@office.example",
        "Re: Approval needed",
        "v1@office.example",
        &format!("In-Reply-To: <{}>\r\n", ask.message_id),
        "No, we have toner in the archive.",
    );
    let handled = handle(&rules, &mut store, &no, now());
    assert_eq!(
        store.purchase_order(PO).unwrap().unwrap().state,
        OrderState::Cancelled,
        "{:?}",
        handled.notes
    );
    assert!(reorder(&rules, &mut store, now()).is_empty(), "not asked again");
    let later = now() + chrono::Duration::minutes(1);
    let counted = Move {
        sku: "TON-26A".into(),
        on_hand: 1,
        promised: 0,
        reason: Reason::Counted,
        reference: None,
        person: None,
        at: later.timestamp(),
    };
    store.put_supply(&SupplyChange { moves: vec![counted], ..SupplyChange::default() }).unwrap();
    let asked_again = reorder(&rules, &mut store, later);
    assert!(
        asked_again.iter().any(|m| String::from_utf8_lossy(&m.raw).contains("PO-2026-0002")),
        "a count changes the stock"
    );
}

#[test]
fn the_manager_cancels_what_a_vendor_cannot_supply() {
    let (_dir, rules) = office();
    let mut store = stocked();
    shelve(&mut store, "PAP-A4", -32);
    reorder(&rules, &mut store, now());
    assert_eq!(store.stock_level("PAP-A4").unwrap().on_order, 35);
    let cancel = mail(
        "giulia@office.example",
        "Re: PO-2026-0001",
        "v1@office.example",
        "",
        "Cancel PO-2026-0001: they are out of stock",
    );
    handle(&rules, &mut store, &cancel, now());
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!((order.state, order.note.as_deref()), (OrderState::Cancelled, Some("they are out of stock")));
    assert_eq!(store.stock_level("PAP-A4").unwrap().on_order, 0);
}

#[test]
fn the_low_stock_alert_fires_again_after_the_item_recovered() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 12);
    handle(
        &rules,
        &mut store,
        &mail("marco@office.example", "Paper", "o1@office.example", "", "5 reams of A4 paper"),
        now(),
    );
    reorder(&rules, &mut store, now());
    handle(
        &rules,
        &mut store,
        &mail("anna@office.example", "Delivery", "d1@office.example", "", "Received PO-2026-0001"),
        now(),
    );
    assert!(!store.is_low("PAP-A4").unwrap(), "recovered");
    shelve(&mut store, "PAP-A4", -32);
    let again = handle(
        &rules,
        &mut store,
        &mail("marco@office.example", "Paper", "o2@office.example", "", "5 reams of A4 paper"),
        now(),
    );
    assert_eq!(again.to("giulia@office.example").len(), 1, "{:?}", again.notes);
}

#[test]
fn an_offices_own_purchase_order_is_what_the_vendor_receives() {
    let (dir, _) = office();
    dir.write(
        "templates/letters/supply/purchase-order.it.txt",
        "Spettabile {{ vendor }},\nvi ordiniamo (ordine {{ number }}):\n\n{{ table }}Grazie,\n{{ assistant }}\n",
    );
    let rules = dir.load();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 8);
    let mails = reorder(&rules, &mut store, now());
    let po = mails.iter().find(|m| m.recipients == ["ordini@cartoleria.example"]).expect("the order");
    let text = Message::parse(&po.raw).unwrap().text.replace("\r\n", "\n");
    assert!(
        text.starts_with("Spettabile Cartoleria,\nvi ordiniamo (ordine PO-2026-0001):\n\nCodice "),
        "{text}"
    );
    assert!(text.ends_with("Totale  EUR 179,34\n\nGrazie,\nOffice Assistant\n"), "{text}");
}

#[test]
fn an_order_whose_letter_fails_is_not_sent_and_stays_a_draft() {
    let (dir, _) = office();
    // Fine on the sample, whose address has three lines; the office's has one.
    dir.write("templates/letters/supply/purchase-order.txt", "Deliver to {{ ship_to[2] }}\n");
    let rules = dir.load();
    let mut store = stocked();
    shelve(&mut store, "TON-26A", -2);
    let mails = reorder(&rules, &mut store, now());
    let recipients: Vec<&[String]> = mails.iter().map(|m| m.recipients.as_slice()).collect();
    assert!(!recipients.contains(&["orders@printsupply.example".to_owned()].as_slice()), "{recipients:?}");
    let draft = store.purchase_orders(&[]).unwrap().into_iter().find(|o| o.vendor == "PrintSupply");
    assert_eq!(draft.map(|o| o.state), Some(OrderState::Draft));
}

#[test]
fn a_failing_letter_is_an_error_naming_its_template_not_a_mail() {
    let (dir, _) = office();
    // Fine on the sample, whose address has three lines; the office's has one.
    dir.write("templates/letters/supply/purchase-order.it.txt", "Consegna a {{ ship_to[2] }}\n");
    let rules = dir.load();
    let catalog = rules.catalog.as_ref().unwrap();
    let vendor = catalog.vendor("Cartoleria").unwrap();
    let paper = catalog.item("PAP-A4").unwrap();
    let draft = super::ordering::add_to_draft(&[], paper, vendor, 35, PO, now().timestamp());
    let dispatched =
        super::ordering::dispatch(draft, vendor, catalog, &rules.office, &rules.templates, now());
    let error = dispatched.map(|_| ()).unwrap_err();
    assert!(matches!(error, super::order_mail::LetterError::Template(_)), "{error:?}");
    assert!(error.to_string().contains("templates/letters/supply/purchase-order.it.txt"), "{error}");
}

/// The names of the values in `value`, and of those in its lists' items (`lines.item`).
fn value_names(value: &serde_json::Value) -> std::collections::BTreeSet<String> {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .flat_map(|(name, inner)| {
                let inner: Vec<String> =
                    value_names(inner).into_iter().map(|n| format!("{name}.{n}")).collect();
                std::iter::once(name.clone()).chain(inner)
            })
            .collect(),
        serde_json::Value::Array(items) => items.iter().flat_map(value_names).collect(),
        _ => std::collections::BTreeSet::new(),
    }
}

#[test]
fn each_supply_letters_sample_has_the_values_the_desk_gives_it() {
    use super::order_mail::{OrderReminder, OrderSubject, OrderTable, PurchaseOrderLetter, TableLine};
    use crate::supply::letters::{self, LineStatus};
    use crate::supply::matching::Matcher;
    use crate::supply::reading::understand;

    let (_dir, rules) = office();
    let catalog = rules.catalog.as_ref().unwrap();
    let paper = catalog.item("PAP-A4").unwrap();
    let request = crate::supply::Request {
        number: FIRST,
        state: RequestState::Waiting,
        requester: "marco@office.example".into(),
        requester_name: Some("Marco Verdi".into()),
        language: "en".into(),
        subject: "Paper".into(),
        urgent: false,
        lines: Vec::new(),
        opened_at: 0,
        updated_at: 0,
    };
    let lines = [LineStatus { item: paper, quantity: 2, from_stock: 1, expected: None, assumed: false }];
    let reading = understand(&Matcher::new(catalog), crate::supply::extract::lines("10 pens"));
    assert!(!reading.unclear.is_empty());
    let money = crate::supply::Money::new(rust_decimal::Decimal::ONE, catalog.settings.currency);
    let mut order = crate::supply::PurchaseOrder::draft(PO, "Cartoleria", catalog.settings.currency, 0);
    order.lines.push(crate::supply::OrderLine {
        sku: "PAP-A4".into(),
        vendor_sku: "CC-80500".into(),
        description: "Carta A4".into(),
        quantity: 35,
        unit: "ream".into(),
        unit_price: "4.20".parse().unwrap(),
        received: 0,
        confirmed: None,
    });
    let level = crate::supply::stock::Level { on_hand: 3, promised: 0, on_order: 0, drafted: 0 };
    let text = String::new;
    let table = OrderTable {
        lines: vec![TableLine {
            vendor_sku: text(),
            description: text(),
            quantity: 1,
            unit: text(),
            unit_price: text(),
            total: text(),
        }],
        subtotal: text(),
        vat_rate: text(),
        vat: text(),
        total: text(),
    };
    fn given(values: impl serde::Serialize) -> std::collections::BTreeSet<String> {
        value_names(&serde_json::to_value(values).unwrap())
    }
    let why = letters::WhyApproval { limit: None, quantity: None, item: None, most: None };
    let approve_request = given(letters::approve_request(&request, &lines, money, why, "en"));
    let approve_order = given(letters::approve_order(&order, money, rust_decimal::Decimal::ZERO, "en"));
    let purchase_order = PurchaseOrderLetter {
        vendor: text(),
        number: text(),
        customer_number: None,
        order_date: text(),
        delivery: text(),
        ship_to: vec![text()],
        bill_to: vec![text()],
        table: text(),
        assistant: text(),
        office: text(),
    };
    let reminder = OrderReminder {
        vendor: text(),
        number: text(),
        sent: text(),
        expected: text(),
        table: text(),
        assistant: text(),
        office: text(),
    };
    let values = [
        (
            "supply/confirmation",
            given(letters::confirmation(&request, &lines, &lines, &reading.unclear, None, "A")),
        ),
        ("supply/nothing-found", given(letters::nothing_found("en", None, catalog, "A"))),
        ("supply/not-a-requester", given(letters::not_a_requester(None, "G", "A"))),
        ("supply/approve-request", approve_request.clone()),
        ("supply/approve-request-subject", approve_request),
        ("supply/approve-order", approve_order.clone()),
        ("supply/approve-order-subject", approve_order),
        ("supply/decided", given(letters::decided(&request, true, None, &lines, "A"))),
        ("supply/low-stock", given(letters::LowStock::of(paper, &level, 1, Some(PO), "en"))),
        ("supply/order-lines", given(&table)),
        ("supply/order-lines-html", given(&table)),
        ("supply/purchase-order-subject", given(OrderSubject { number: text(), office: text() })),
        ("supply/purchase-order", given(purchase_order)),
        ("supply/order-reminder", given(reminder)),
    ];
    for (name, given) in values {
        let letter = crate::letters::built_in().find(|l| l.name == format!("letters/{name}")).unwrap();
        assert_eq!(value_names(&(letter.sample)()), given, "{name}");
    }
}

#[test]
fn the_answer_to_a_delivery_lists_what_was_recorded() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", -40);
    reorder(&rules, &mut store, now());
    let delivered =
        mail("anna@office.example", "Delivery", "d1@office.example", "", "Received PO-2026-0001, all there.");
    let handled = handle(&rules, &mut store, &delivered, now());
    let answer = &handled.to("anna@office.example")[0];
    assert!(
        answer
            .text
            .replace("\r\n", "\n")
            .starts_with("Recorded the delivery of PO-2026-0001:\n\n  - 80 PAP-A4\n\n"),
        "{}",
        answer.text
    );
}

#[test]
fn a_delivery_that_says_something_is_missing_is_answered_with_what_to_write() {
    let (_dir, rules, mut store) = paper_on_order();
    let handled = delivery_news(&rules, &mut store, "Received PO-0001 but something is missing.");
    let text = handled.to("anna@office.example")[0].text.replace("\r\n", "\n");
    assert!(
        text.starts_with(&format!(
            "Your message about {PO} says something is missing without saying what came, so I recorded nothing.\n\
             Reply with what arrived, one line each with its quantity, for example \"received {PO}: 10 reams of A4 paper\",\n\
             or \"received {PO}\" alone when everything came.\n\n"
        )),
        "{text}"
    );
}

/// The vendor's answer to the order `paper_on_order` sent, saying `text`, handled now.
fn vendor_answer(rules: &RuleSet, store: &mut Store, text: &str) -> Handled {
    let order = store.purchase_order(PO).unwrap().unwrap();
    let answer = mail(
        "ordini@cartoleria.example",
        "Re: Purchase Order PO-2026-0001",
        "c1@cartoleria.example",
        &format!("In-Reply-To: <{}>\r\n", order.message_id.unwrap()),
        text,
    );
    handle(rules, store, &answer, now())
}

/// The digest's lines about the cupboard, in English.
fn digest(rules: &RuleSet, store: &Store) -> String {
    let catalog = rules.catalog.as_ref().unwrap();
    let cupboard = crate::reports::stock::digest(store, catalog, &rules.office, now().timestamp()).unwrap();
    rules.templates.letter("office/digest-supply", crate::language::Language::English, &cupboard).unwrap()
}

#[test]
fn out_of_stock_until_a_date_backorders_the_order_and_the_digest_gives_the_new_date() {
    let (_dir, rules, mut store) = paper_on_order();
    assert!(digest(&rules, &store).contains("PO-2026-0001 to Cartoleria: sent, expected Wed 9 Dec"));
    let handled = vendor_answer(
        &rules,
        &mut store,
        "Buongiorno,\n\nla carta A4 è esaurita fino al 15 gennaio, ci scusiamo.\n\nCordiali saluti\nLuca",
    );
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!(order.state, OrderState::Backordered, "{:?}", handled.notes);
    let back = chrono_tz::Europe::Rome.with_ymd_and_hms(2027, 1, 15, 12, 0, 0).unwrap().timestamp();
    assert_eq!(order.expected_at, Some(back));
    assert_eq!(order.note.as_deref(), Some("la carta A4 è esaurita fino al 15 gennaio, ci scusiamo."));
    let text = digest(&rules, &store);
    assert!(text.contains("PO-2026-0001 to Cartoleria: backordered, expected Fri 15 Jan"), "{text}");
    assert!(!text.contains("9 Dec"), "{text}");
    let forward = &handled.to("giulia@office.example")[0];
    assert!(
        forward
            .text
            .contains("it cannot supply it now, not before Fri 15 January. The order is now backordered."),
        "{}",
        forward.text
    );
    assert!(forward.text.contains("reply \"cancel PO-2026-0001\""), "{}", forward.text);
}

#[test]
fn out_of_stock_without_a_date_leaves_no_date_promised() {
    let (_dir, rules, mut store) = paper_on_order();
    vendor_answer(&rules, &mut store, "Hello,\nsorry, this item is currently out of stock.\nRegards");
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!((order.state, order.expected_at), (OrderState::Backordered, None));
    let text = digest(&rules, &store);
    assert!(text.contains("PO-2026-0001 to Cartoleria: backordered, EUR 147.00"), "{text}");
}

#[test]
fn a_vendor_that_delivers_only_part_of_a_line_partly_confirms_it_and_the_report_says_so() {
    let (_dir, rules, mut store) = paper_on_order();
    vendor_answer(
        &rules,
        &mut store,
        "Buongiorno,\n\npossiamo consegnare solo 20 delle 35 risme entro il 10/12/2026.\n\nSaluti",
    );
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!(order.state, OrderState::PartlyConfirmed);
    assert_eq!(order.lines[0].confirmed, Some(20));
    let catalog = rules.catalog.as_ref().unwrap();
    let report = crate::reports::stock::orders(&store, catalog, &rules.office, true).unwrap();
    assert!(report.contains("PO-2026-0001  partly_confirmed"), "{report}");
    assert!(report.contains("received 0, vendor confirmed 20"), "{report}");
    assert!(report.contains("expected: Thu 10 Dec 2026"), "{report}");
    assert!(
        report.contains("note: possiamo consegnare solo 20 delle 35 risme entro il 10/12/2026."),
        "{report}"
    );
    assert!(!report.contains("Buongiorno"), "{report}");
}

/// An office that keeps blue pens too (at least 10, up to 50), with paper and pens low and their
/// order of two lines sent to Cartoleria.
fn paper_and_pens_on_order() -> (Dir, RuleSet, Store) {
    let dir = Dir::new();
    dir.write("office.toml", OFFICE);
    let pens = "name = \"Blue pen\"\naliases = [\"blue pens\"]\nvendor = \"Cartoleria\"\nprice = \"0.35\"\n";
    let kept = format!("{pens}reorder_point = 10\norder_up_to = 50\n");
    assert!(CATALOG.contains(pens));
    dir.write("catalog.toml", &CATALOG.replace(pens, &kept));
    dir.write("10.rules.toml", RULES);
    let rules = dir.load();
    let mut store = stocked();
    shelve(&mut store, "PAP-A4", -32);
    shelve(&mut store, "PEN-BLU", 5);
    reorder(&rules, &mut store, now());
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!((order.state, order.lines.len()), (OrderState::Sent, 2), "{order:?}");
    (dir, rules, store)
}

#[test]
fn out_of_stock_news_about_one_line_of_two_partly_confirms_the_order() {
    let (_dir, rules, mut store) = paper_and_pens_on_order();
    let handled = vendor_answer(
        &rules,
        &mut store,
        "We confirm the paper. The blue pens are out of stock until 2027-01-20.",
    );
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!(order.state, OrderState::PartlyConfirmed, "{:?}", handled.notes);
    let confirmed: Vec<_> = order.lines.iter().map(|l| (l.sku.as_str(), l.confirmed)).collect();
    assert!(
        confirmed.contains(&("PEN-BLU", Some(0))) && confirmed.contains(&("PAP-A4", None)),
        "{confirmed:?}"
    );
    let forward = &handled.to("giulia@office.example")[0];
    assert!(forward.text.contains("0 of 45 coming"), "{}", forward.text);
}

#[test]
fn a_partial_answer_clerk_cannot_place_on_a_line_asks_the_manager_to_read_it() {
    let (_dir, rules, mut store) = paper_and_pens_on_order();
    let handled = vendor_answer(&rules, &mut store, "We can only ship 7 this week.");
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!(order.state, OrderState::PartlyConfirmed);
    assert!(order.lines.iter().all(|l| l.confirmed.is_none()), "no line is guessed: {order:?}");
    let forward = &handled.to("giulia@office.example")[0];
    assert!(
        forward.text.contains("I could not tell which lines of the order this is about"),
        "{}",
        forward.text
    );
}

#[test]
fn a_confirmation_after_a_backorder_acknowledges_the_order_again() {
    let (_dir, rules, mut store) = paper_on_order();
    vendor_answer(&rules, &mut store, "The paper is out of stock.");
    let confirmation = mail(
        "ordini@cartoleria.example",
        "Re: Purchase Order PO-2026-0001",
        "c2@cartoleria.example",
        &format!("In-Reply-To: <{}>\r\n", store.purchase_order(PO).unwrap().unwrap().message_id.unwrap()),
        "Good news: the paper is back, we confirm delivery on 2026-12-18.",
    );
    handle(&rules, &mut store, &confirmation, now());
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!((order.state, order.lines[0].confirmed), (OrderState::Acknowledged, None));
}

#[test]
fn the_low_stock_alert_of_an_urgent_request_says_the_order_went_now() {
    let (_dir, rules) = office();
    let mut store = stocked();
    shelve(&mut store, "PAP-A4", -40);
    let raw =
        mail("marco@office.example", "Paper", "o1@office.example", "", "10 reams of A4 paper, urgent please");
    let handled = handle(&rules, &mut store, &raw, now());
    let alert = &handled.to("giulia@office.example")[0];
    assert!(alert.text.contains("I ordered 50 from Cartoleria now (PO-2026-0001)."), "{}", alert.text);
    assert!(!alert.text.contains("next order run"), "{}", alert.text);
}

#[test]
fn the_low_stock_alert_of_a_request_says_its_draft_goes_with_the_next_order_run() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 12);
    let raw = mail("marco@office.example", "Paper", "o1@office.example", "", "5 reams of A4 paper");
    let handled = handle(&rules, &mut store, &raw, now());
    let alert = &handled.to("giulia@office.example")[0];
    assert!(
        alert.text.contains(
            "I put 35 on the draft order PO-2026-0001 to Cartoleria, which goes out with the next order run."
        ),
        "{}",
        alert.text
    );
}

#[test]
fn the_order_runs_low_stock_alert_says_the_order_went_in_that_run() {
    let (_dir, rules) = office();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 8);
    let mails = reorder(&rules, &mut store, now());
    let alert = mails.iter().find(|m| m.recipients == ["giulia@office.example"]).expect("the alert");
    let alert = Message::parse(&alert.raw).unwrap();
    assert!(alert.text.contains("I ordered 35 from Cartoleria now (PO-2026-0001)."), "{}", alert.text);
}

#[test]
fn the_low_stock_alert_of_a_draft_below_the_vendors_minimum_says_it_waits_for_it() {
    let dir = Dir::new();
    dir.write("office.toml", OFFICE);
    dir.write("catalog.toml", &CATALOG.replace(r#"minimum_order = "20.00""#, r#"minimum_order = "500.00""#));
    dir.write("10.rules.toml", RULES);
    let rules = dir.load();
    let mut store = Store::open_in_memory().unwrap();
    shelve(&mut store, "PAP-A4", 8);
    shelve(&mut store, "TON-26A", 2);
    let mails = reorder(&rules, &mut store, now());
    let alert = mails.iter().find(|m| m.recipients == ["giulia@office.example"]).expect("the alert");
    let alert = Message::parse(&alert.raw).unwrap();
    assert!(
        alert.text.contains(
            "I put 35 on the draft order PO-2026-0001 to Cartoleria, which goes out once it reaches the vendor's minimum order."
        ),
        "{}",
        alert.text
    );
}

#[test]
fn a_request_with_nothing_on_the_shelf_is_not_told_to_collect_anything() {
    let (_dir, rules) = office();
    let mut store = stocked();
    let raw = mail("marco@office.example", "Pens", "o1@office.example", "", "20 blue pens");
    let reply = &handle(&rules, &mut store, &raw, now()).to("marco@office.example")[0];
    assert!(
        reply.text.contains("Nothing of it is in the cupboard yet: I will write when it arrives."),
        "{}",
        reply.text
    );
    assert!(!reply.text.contains("collect"), "{}", reply.text);
}

#[test]
fn a_request_with_a_question_is_not_told_it_can_collect_everything() {
    let (_dir, rules) = office();
    let mut store = stocked();
    let raw = mail("marco@office.example", "Order", "o1@office.example", "", "2 reams of A4 paper\n10 pens");
    let reply = &handle(&rules, &mut store, &raw, now()).to("marco@office.example")[0];
    assert!(
        reply.text.contains("What is ready can be collected from the supply cupboard."),
        "{}",
        reply.text
    );
    assert!(!reply.text.contains("when the rest arrives"), "nothing is to come: {}", reply.text);
    assert!(!reply.text.contains("everything"), "{}", reply.text);
}

#[test]
fn the_answer_to_a_question_says_what_of_the_request_is_still_awaited() {
    let (_dir, rules) = office();
    let mut store = stocked();
    let mut replies = Replies::default();
    let first = handle_with(
        &rules,
        &mut store,
        &mail("marco@office.example", "Order", "o1@office.example", "", "20 blue pens\n10 pens"),
        now(),
        &mut replies,
    );
    let question = first.sent(MailKind::Reply)[0].message_id.clone();
    let answer = mail(
        "marco@office.example",
        "Re: Order [REQ-2026-0001]",
        "o2@office.example",
        &format!("In-Reply-To: <{question}>\r\n"),
        "Sorry, I meant 2 reams of A4 paper",
    );
    let second = handle_with(&rules, &mut store, &answer, now(), &mut replies);
    let reply = &second.to("marco@office.example")[0];
    assert!(
        reply.text.contains("2 reams of A4 copy paper (PAP-A4): ready in the cupboard"),
        "{}",
        reply.text
    );
    assert!(
        reply.text.contains("Still to come from what you asked earlier in this request:")
            && reply.text.contains("  - 20 pieces of Blue pen (PEN-BLU): 20 ordered"),
        "{}",
        reply.text
    );
    assert!(
        reply.text.contains(
            "What is ready can be collected from the supply cupboard; I will write when the rest arrives."
        ),
        "{}",
        reply.text
    );
    assert!(!reply.text.contains("collect everything"), "{}", reply.text);
}

#[test]
fn the_managers_cancel_of_a_partly_confirmed_order_keeps_what_is_still_coming() {
    let (_dir, rules, mut store) = paper_on_order();
    vendor_answer(&rules, &mut store, "We can only deliver 20 of the 35 reams.");
    let cancel =
        mail("giulia@office.example", "Re: PO-2026-0001", "v1@office.example", "", "Cancel PO-2026-0001");
    handle(&rules, &mut store, &cancel, now());
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!((order.state, order.lines[0].quantity), (OrderState::Acknowledged, 20));
    assert_eq!(store.stock_level("PAP-A4").unwrap().on_order, 20);
}

#[test]
fn out_of_stock_news_that_names_no_line_of_several_is_not_put_on_any_line() {
    let (_dir, rules, mut store) = paper_and_pens_on_order();
    let handled = vendor_answer(&rules, &mut store, "Sorry, one item of your order is out of stock.");
    let order = store.purchase_order(PO).unwrap().unwrap();
    assert_eq!(order.state, OrderState::Backordered);
    assert!(order.lines.iter().all(|l| l.confirmed.is_none()), "no line is guessed: {order:?}");
    let forward = &handled.to("giulia@office.example")[0];
    assert!(
        forward.text.contains("I could not tell which lines of the order this is about"),
        "{}",
        forward.text
    );
}

#[test]
fn a_vendors_late_bad_news_about_a_cancelled_order_reopens_nothing() {
    let (_dir, rules, mut store) = paper_on_order();
    let cancel =
        mail("giulia@office.example", "Re: PO-2026-0001", "v3@office.example", "", "Cancel PO-2026-0001");
    handle(&rules, &mut store, &cancel, now());
    assert_eq!(store.purchase_order(PO).unwrap().unwrap().state, OrderState::Cancelled);
    let handled = vendor_answer(&rules, &mut store, "Sorry, the A4 paper is out of stock until 15 January.");
    assert_eq!(store.purchase_order(PO).unwrap().unwrap().state, OrderState::Cancelled);
    let forward = &handled.to("giulia@office.example")[0];
    assert!(forward.text.contains("but the order is cancelled: I changed nothing."), "{}", forward.text);
    assert!(!forward.text.contains("reply \"cancel"), "{}", forward.text);
}

#[test]
fn partial_news_without_numbers_is_said_unsure_and_a_cancel_cancels_what_has_not_come() {
    let (_dir, rules, mut store) = paper_on_order();
    let handled = vendor_answer(&rules, &mut store, "We can deliver only part of the order for now.");
    assert_eq!(store.purchase_order(PO).unwrap().unwrap().state, OrderState::PartlyConfirmed);
    let forward = &handled.to("giulia@office.example")[0];
    assert!(forward.text.contains("or how many will come"), "{}", forward.text);
    assert!(forward.text.contains("To cancel everything of it that has not come"), "{}", forward.text);
    let cancel =
        mail("giulia@office.example", "Re: PO-2026-0001", "v2@office.example", "", "Cancel PO-2026-0001");
    handle(&rules, &mut store, &cancel, now());
    assert_eq!(store.purchase_order(PO).unwrap().unwrap().state, OrderState::Cancelled);
}
