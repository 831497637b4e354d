//! Specifications of the store: atomic batches, idempotent replays, the outbox lifecycle.

use std::collections::BTreeMap;

use super::*;
use crate::effects::{Effect, MailKind};
use crate::mail::compose::OutboundMail;

fn entry(item: &str) -> JournalEntry {
    JournalEntry {
        mailbox: "office".into(),
        folder: "INBOX".into(),
        item: item.into(),
        message_id: Some(format!("{item}@example.com")),
        content_hash: format!("hash-{item}"),
        sender: Some("anna@example.com".into()),
        subject: "Hello".into(),
    }
}

fn reply(id: &str) -> Effect {
    Effect::Send {
        kind: MailKind::Reply,
        rule: "ack".into(),
        mail: OutboundMail {
            message_id: id.into(),
            envelope_from: None,
            recipients: vec!["anna@example.com".into()],
            raw: b"Subject: Re: Hello\r\n\r\nThanks\r\n".to_vec(),
        },
    }
}

fn processed(item: &str, effects: Vec<Effect>) -> Handled {
    let verdict = Verdict::Processed {
        rule: Some("ack".into()),
        desk: None,
        desk_options: BTreeMap::new(),
        notes: vec![],
    };
    Handled { entry: entry(item), verdict, effects, kept: None }
}

#[test]
fn a_fresh_database_is_migrated_to_the_latest_schema() {
    let store = Store::open_in_memory().unwrap();
    let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version as usize, schema::latest_version());
}

#[test]
fn a_database_from_a_newer_clerk_is_refused() {
    let dir = tempdir();
    let path = dir.join("clerk.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    assert!(matches!(Store::open(&path), Err(StoreError::TooNew { found: 99, .. })));
}

#[test]
fn a_read_only_store_reads_but_never_migrates() {
    let dir = tempdir();
    let path = dir.join("clerk.db");
    drop(rusqlite::Connection::open(&path).unwrap());
    assert!(matches!(Store::open_read_only(&path), Err(StoreError::Outdated { found: 0, .. })));

    let mut store = Store::open(&path).unwrap();
    let note = Effect::NoteReply { sender: "anna@example.com".into(), rule: "ack".into() };
    store.record(&[processed("1", vec![note])], None).unwrap();
    drop(store);
    let reader = Store::open_read_only(&path).unwrap();
    assert!(reader.last_reply("anna@example.com", "ack").unwrap().is_some());
    assert!(reader.conn.execute("DELETE FROM reply_log", []).is_err(), "writes are refused");
}

#[test]
fn recording_a_message_queues_its_reply_and_moves() {
    let mut store = Store::open_in_memory().unwrap();
    let handled = processed("7:1", vec![reply("r1@office.example"), Effect::Move { folder: "Done".into() }]);
    store.record(&[handled], None).unwrap();
    assert!(store.is_journaled("office", "INBOX", "7:1").unwrap());
    let due = store.due_mail(now(), 10).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].message_id, "r1@office.example");
    assert_eq!(due[0].envelope_from, None);
    let ops = store.pending_ops("office", "INBOX").unwrap();
    assert_eq!(ops.len(), 1);
    assert_eq!((ops[0].op.as_str(), ops[0].arg.as_str()), ("move", "Done"));
}

#[test]
fn recording_the_same_message_twice_applies_its_effects_once() {
    let mut store = Store::open_in_memory().unwrap();
    let handled = processed("7:1", vec![reply("r1@office.example")]);
    store.record(std::slice::from_ref(&handled), None).unwrap();
    store.record(&[handled], None).unwrap();
    assert_eq!(store.due_mail(now(), 10).unwrap().len(), 1);
    assert_eq!(store.journal_counts().unwrap()["processed"], 1);
}

#[test]
fn the_same_reply_from_two_copies_of_a_message_is_queued_once() {
    let mut store = Store::open_in_memory().unwrap();
    let a = processed("7:1", vec![reply("r1@office.example")]);
    let b = processed("7:2", vec![reply("r1@office.example")]);
    store.record(&[a, b], None).unwrap();
    assert_eq!(store.due_mail(now(), 10).unwrap().len(), 1);
}

#[test]
fn a_batch_moves_the_folder_position_forward_only() {
    let mut store = Store::open_in_memory().unwrap();
    let state = FolderState { uidvalidity: 7, last_uid: 10, watch_since: 0, backlog_until: 0 };
    store.set_folder_state("office", "INBOX", state).unwrap();
    let position =
        |last_uid| Position { mailbox: "office".into(), folder: "INBOX".into(), uidvalidity: 7, last_uid };
    store.record(&[], Some(&position(15))).unwrap();
    assert_eq!(store.folder_state("office", "INBOX").unwrap().unwrap().last_uid, 15);
    store.record(&[], Some(&position(12))).unwrap();
    assert_eq!(store.folder_state("office", "INBOX").unwrap().unwrap().last_uid, 15);
}

#[test]
fn a_position_under_an_old_uidvalidity_is_ignored() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .set_folder_state(
            "office",
            "INBOX",
            FolderState { uidvalidity: 8, last_uid: 0, watch_since: 0, backlog_until: 0 },
        )
        .unwrap();
    let stale = Position { mailbox: "office".into(), folder: "INBOX".into(), uidvalidity: 7, last_uid: 99 };
    store.record(&[], Some(&stale)).unwrap();
    assert_eq!(store.folder_state("office", "INBOX").unwrap().unwrap().last_uid, 0);
}

#[test]
fn a_message_seen_again_is_found_by_message_id_and_content() {
    let mut store = Store::open_in_memory().unwrap();
    store.record(&[processed("7:1", vec![])], None).unwrap();
    let found = store.find_same_message(Some("7:1@example.com"), "hash-7:1").unwrap();
    assert!(found.is_some());
    assert_eq!(store.find_same_message(Some("7:1@example.com"), "other").unwrap(), None);
}

#[test]
fn mail_interrupted_while_sending_goes_back_to_the_queue() {
    let mut store = Store::open_in_memory().unwrap();
    store.record(&[processed("7:1", vec![reply("r1@x")])], None).unwrap();
    let id = store.due_mail(now(), 1).unwrap()[0].id;
    store.count_attempt(id).unwrap();
    store.mark_sending(id).unwrap();
    assert!(store.due_mail(now(), 10).unwrap().is_empty());
    assert_eq!(store.settle_interrupted_mail(true).unwrap(), vec!["r1@x".to_string()]);
    let again = store.due_mail(now(), 10).unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 1));
}

#[test]
fn mail_interrupted_mid_delivery_is_held_until_released() {
    let mut store = Store::open_in_memory().unwrap();
    store.record(&[processed("7:1", vec![reply("r1@x")])], None).unwrap();
    let id = store.due_mail(now(), 1).unwrap()[0].id;
    store.mark_sending(id).unwrap();
    assert_eq!(store.settle_interrupted_mail(false).unwrap(), vec!["r1@x".to_string()]);
    assert!(store.due_mail(now(), 10).unwrap().is_empty(), "held mail is not sent again by itself");
    assert_eq!(store.outbox_counts().unwrap()["uncertain"], 1);
    assert!(store.release_mail("<r1@x>").unwrap());
    assert_eq!(store.due_mail(now(), 10).unwrap().len(), 1);
}

#[test]
fn a_temporary_failure_delays_the_next_attempt() {
    let mut store = Store::open_in_memory().unwrap();
    store.record(&[processed("7:1", vec![reply("r1@x")])], None).unwrap();
    let id = store.due_mail(now(), 1).unwrap()[0].id;
    store.mark_sending(id).unwrap();
    store.retry_mail_at(id, "451 try later", now() + 60).unwrap();
    assert!(store.due_mail(now(), 10).unwrap().is_empty());
    assert_eq!(store.next_mail_due().unwrap(), Some(now() + 60));
    store.mark_sent(id).unwrap();
    assert_eq!(store.outbox_counts().unwrap()["sent"], 1);
}

#[test]
fn replies_are_remembered_per_sender_and_rule() {
    let mut store = Store::open_in_memory().unwrap();
    let note = Effect::NoteReply { sender: "Anna@Example.com".into(), rule: "ack".into() };
    store.record(&[processed("7:1", vec![note])], None).unwrap();
    assert!(store.last_reply("anna@example.com", "ack").unwrap().is_some());
    assert!(store.last_reply("anna@example.com", "other").unwrap().is_none());
}

#[test]
fn finished_operations_leave_the_pending_list() {
    let mut store = Store::open_in_memory().unwrap();
    let flag = Effect::Flag { flags: vec!["\\Flagged".into()] };
    store.record(&[processed("7:1", vec![flag])], None).unwrap();
    let ops = store.pending_ops("office", "INBOX").unwrap();
    store.finish_ops(&[ops[0].id]).unwrap();
    assert!(store.pending_ops("office", "INBOX").unwrap().is_empty());
}

#[test]
fn a_move_sent_without_an_answer_stays_pending_and_in_doubt() {
    let mut store = Store::open_in_memory().unwrap();
    store.record(&[processed("7:1", vec![Effect::Move { folder: "Done".into() }])], None).unwrap();
    let id = store.pending_ops("office", "INBOX").unwrap()[0].id;
    store.mark_moves_sent(&[id], 1_700_000_000_123).unwrap();
    let ops = store.pending_ops("office", "INBOX").unwrap();
    assert_eq!(ops[0].sent_at_ms, Some(1_700_000_000_123));
    let moved = store.moved_messages(&[id]).unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].content_hash, "hash-7:1");
}

#[test]
fn a_refused_move_is_no_longer_in_doubt() {
    let mut store = Store::open_in_memory().unwrap();
    store.record(&[processed("7:1", vec![Effect::Move { folder: "Done".into() }])], None).unwrap();
    let id = store.pending_ops("office", "INBOX").unwrap()[0].id;
    store.mark_moves_sent(&[id], 5).unwrap();
    store.fail_op(id, "NO [TRYCREATE]", false).unwrap();
    let ops = store.pending_ops("office", "INBOX").unwrap();
    assert_eq!((ops[0].sent_at_ms, ops[0].attempts), (None, 1));
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("clerk-store-{}-{}", std::process::id(), fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A database as clerk left it before a vendor's bad news had states of its own (13 migrations),
/// holding one purchase order in `state`, with its lines as they were written then.
fn database_before_backorders(state: &str) -> std::path::PathBuf {
    let path = tempdir().join("clerk.db");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    schema::migrate_to(&mut conn, 13).unwrap();
    let lines = r#"[{"sku":"PAP-A4","vendor_sku":"CC-80500","description":"Carta A4","quantity":35,"unit":"ream","unit_price":"4.20","received":0}]"#;
    conn.execute(
        "INSERT INTO purchase_orders (year, sequence, vendor, state, currency, lines, urgent, created_at,
         updated_at, expected_at, message_id) VALUES (2026, 1, 'Cartoleria', ?1, 'EUR', ?2, 0, 1, 1, 100, '<po@x>')",
        rusqlite::params![state, lines],
    )
    .unwrap();
    path
}

#[test]
fn an_order_written_before_backorders_existed_reads_the_same_after_the_migration() {
    let store = Store::open(&database_before_backorders("acknowledged")).unwrap();
    let order =
        store.purchase_order(crate::supply::OrderNumber { year: 2026, sequence: 1 }).unwrap().unwrap();
    assert_eq!(order.state, crate::supply::OrderState::Acknowledged);
    assert_eq!((order.lines[0].quantity, order.lines[0].confirmed), (35, None));
    assert_eq!(order.expected_at, Some(100));
}

#[test]
fn a_database_holding_an_order_state_clerk_does_not_know_is_refused_not_read_as_a_draft() {
    let path = database_before_backorders("lost");
    assert!(Store::open(&path).is_err(), "the migration checks every state");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 13, "nothing of the refused migration is left");
}

#[test]
fn a_watchers_state_keeps_its_start_until_it_changes() {
    let mut store = Store::open_in_memory().unwrap();
    store.note_watch("office", "INBOX", "connected", None).unwrap();
    store.conn.execute("UPDATE watch_status SET changed_at = 100", []).unwrap();
    store.note_watch("office", "INBOX", "connected", None).unwrap();
    assert_eq!(store.watch_statuses().unwrap()[0].since, 100, "the same state keeps its start");
    store.note_watch("office", "INBOX", "reconnecting", Some("connection refused")).unwrap();
    store.note_sync("office", "INBOX").unwrap();
    let status = &store.watch_statuses().unwrap()[0];
    assert_eq!(
        (status.state.as_str(), status.detail.as_deref()),
        ("reconnecting", Some("connection refused"))
    );
    assert!(status.since > 100 && status.last_sync.is_some());
}

#[test]
fn failed_messages_and_handled_counts_per_desk_are_listed() {
    let mut store = Store::open_in_memory().unwrap();
    store.record(&[processed("7:1", vec![])], None).unwrap();
    let failed = Handled {
        entry: entry("7:2"),
        verdict: Verdict::Failed { error: "broken MIME".into() },
        effects: vec![],
        kept: Some(b"Subject: broken\r\n\r\n".to_vec()),
    };
    store.record(&[failed], None).unwrap();
    assert_eq!(store.handled_per_desk(0).unwrap()["-"], 1);
    let listed = store.failed_messages(10).unwrap();
    assert_eq!((listed[0].item.as_str(), listed[0].error.as_deref()), ("7:2", Some("broken MIME")));
}

mod events {
    use chrono::{DateTime, TimeZone, Utc};

    use crate::calendar::event::{Event, EventStatus, occurrences};
    use crate::calendar::ics::{Attendee, PartStat, Party};
    use crate::store::Store;

    fn rome(d: u32, h: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap().with_timezone(&Utc)
    }

    fn event(uid: &str, start: DateTime<Utc>) -> Event {
        Event {
            calendar: "giulia".into(),
            uid: uid.into(),
            recurrence_id: None,
            sequence: 0,
            summary: format!("About {uid}"),
            location: Some("Sala Verde".into()),
            start,
            end: start + chrono::TimeDelta::hours(1),
            timezone: chrono_tz::Europe::Rome,
            rrule: None,
            exdates: Vec::new(),
            status: EventStatus::Confirmed,
            transparent: false,
            organizer: Some("giulia.rossi@office.example".into()),
            attendees: vec![Attendee {
                party: Party { email: "anna@client.example".into(), name: Some("Anna".into()) },
                partstat: PartStat::Tentative,
            }],
        }
    }

    #[test]
    fn events_come_back_as_they_were_stored_with_the_series_that_reach_the_window() {
        let mut store = Store::open_in_memory().unwrap();
        let mut weekly = event("weekly", rome(2, 9));
        weekly.rrule = Some("FREQ=WEEKLY".into());
        weekly.exdates = vec![rome(9, 9)];
        let mut moved = event("weekly", rome(17, 15));
        moved.recurrence_id = Some(rome(16, 9));
        let early = event("early", rome(3, 10));
        let late = event("late", rome(24, 10));
        for e in [&weekly, &moved, &early, &late] {
            store.put_event(e).unwrap();
        }

        let found = store.events("giulia", rome(16, 0), rome(25, 0)).unwrap();
        assert_eq!(found.len(), 3, "the series, its moved instance and the late event; not the early one");
        assert!(found.contains(&weekly) && found.contains(&moved) && found.contains(&late));
        let starts: Vec<_> =
            occurrences(&found, rome(16, 0), rome(25, 0)).occurrences.iter().map(|o| o.start).collect();
        assert_eq!(starts, [rome(17, 15), rome(23, 9), rome(24, 10)]);
        assert!(store.events("office", rome(1, 0), rome(30, 0)).unwrap().is_empty(), "per calendar");
    }

    #[test]
    fn an_update_replaces_the_event_with_the_same_uid() {
        let mut store = Store::open_in_memory().unwrap();
        store.put_event(&event("m1", rome(24, 15))).unwrap();
        let mut update = event("m1", rome(26, 15));
        update.sequence = 1;
        store.put_event(&update).unwrap();
        assert_eq!(store.events("giulia", rome(1, 0), rome(30, 0)).unwrap(), [update]);
    }
}

mod numbered_rows {
    use crate::store::Store;
    use crate::tickets::Priority;
    use crate::tickets::{Ticket, TicketChange, TicketNumber, TicketState};

    fn ticket(customer: &str, opened: bool) -> TicketChange {
        TicketChange {
            ticket: Ticket {
                number: TicketNumber(1001),
                state: TicketState::New,
                customer: customer.into(),
                customer_name: None,
                department: None,
                priority: Priority::Normal,
                subject: format!("A question from {customer}"),
                language: "en".into(),
                opened_at: 100,
                updated_at: 100,
                due_at: None,
                escalate_at: None,
                answered_at: None,
                acknowledged: false,
                escalation: 0,
                rating: None,
                rated_at: None,
            },
            entries: vec![],
            opened,
        }
    }

    #[test]
    fn a_new_ticket_whose_number_is_taken_is_refused_rather_than_written_over_the_other() {
        let mut store = Store::open_in_memory().unwrap();
        store.put_ticket(&ticket("anna@example.com", true)).unwrap();
        assert!(store.put_ticket(&ticket("bruno@example.com", true)).is_err());
        let kept = store.ticket(TicketNumber(1001)).unwrap().expect("the first ticket");
        assert_eq!(kept.customer, "anna@example.com");
    }

    #[test]
    fn a_change_to_a_ticket_updates_it_in_place() {
        let mut store = Store::open_in_memory().unwrap();
        store.put_ticket(&ticket("anna@example.com", true)).unwrap();
        let mut answered = ticket("anna@example.com", false);
        answered.ticket.state = TicketState::Answered;
        store.put_ticket(&answered).unwrap();
        assert_eq!(store.ticket(TicketNumber(1001)).unwrap().expect("ticket").state, TicketState::Answered);
    }
}

#[test]
fn an_offer_held_before_the_names_left_out_were_kept_reads_as_leaving_nothing_out() {
    let path = tempdir().join("clerk.db");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    schema::migrate_to(&mut conn, 14).unwrap();
    conn.execute(
        "INSERT INTO proposals (message_id, calendar, requester, participants, summary, slots, language,
         created_at, expires_at, room) VALUES ('offer@x', 'office', '{\"email\":\"anna@client.example\",\"name\":null}',
         '[]', 'Budget review', '[[100,200]]', 'en', 1, 300, 0)",
        [],
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let offer = store.open_proposal(&["offer@x".to_owned()]).unwrap().expect("the offer is still open");
    assert_eq!(offer.left_out, crate::calendar::proposal::LeftOut::default());
}
