//! The inquiry desk against real servers: customers write to the assistant's mailbox in a private
//! Dovecot, clerk runs as a process, and what it sends is read from the customers' and the sales
//! department's own mailboxes, delivered there by a real SMTP server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ACCOUNTS, ASSISTANT, CUSTOMER, Clerk, Office, PASSWORD, office_users};
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);
const SALES: &str = "sales@office.test";
const MARIO: &str = "mario@office.test";
const SARA: &str = "sara@example.test";

const RULES: &str = r#"
[[rule]]
name = "opening hours"
when.text = { any = ["opening hours", "orari di apertura"] }
desk = "inquiry"
department = "sales"
answer = "faq/hours"

[[rule]]
name = "questions"
desk = "inquiry"
department = "sales"

[[schedule]]
name = "escalation"
cron = "* * * * * *"
job = "escalate"
"#;

fn office() -> (Dovecot, SmtpSink, Office, Clerk) {
    let mut users = office_users();
    users.extend([(SALES, PASSWORD), (MARIO, PASSWORD), (SARA, PASSWORD)]);
    let dovecot = Dovecot::start(&users);
    let sink = SmtpSink::start_relaying_to(&dovecot);
    let office = Office::new(&dovecot, &sink, RULES, "");
    let office_toml = office.dir.path().join("rules/office.toml");
    let text = std::fs::read_to_string(&office_toml).unwrap();
    let text = text.replace(
        "[departments]\n",
        &format!("[departments]\nsales = {{ address = \"{SALES}\", response_time = \"4h\" }}\n"),
    );
    std::fs::write(&office_toml, text).unwrap();
    let templates = office.dir.path().join("rules/templates");
    std::fs::create_dir_all(templates.join("faq")).unwrap();
    std::fs::write(templates.join("faq/hours.txt"), "We are open 9-17, Monday to Friday.\n").unwrap();
    std::fs::write(
        templates.join("faq/hours.it.txt"),
        "Siamo aperti dalle 9 alle 17, dal lunedì al venerdì.\n",
    )
    .unwrap();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "clerk did not start watching:\n{}", clerk.log());
    (dovecot, sink, office, clerk)
}

/// A message to the assistant; `extra` headers as written.
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

#[test]
fn a_whole_conversation_answered_acknowledged_forwarded_answered_by_staff_followed_up_and_escalated() {
    let (dovecot, _sink, office, clerk) = office();

    // An FAQ: answered at once, in a ticket marked answered.
    dovecot.deliver(
        ASSISTANT,
        &mail(CUSTOMER, "Anna Example", "Hours", "faq@example.test", "", "What are your opening hours?"),
    );
    let answer = parse(&dovecot.wait_for_messages(CUSTOMER, "INBOX", 1, WAIT)[0]);
    assert!(answer.subject.starts_with("Re: Hours [#1001-"), "{}", answer.subject);
    assert!(answer.text.contains("We are open 9-17"), "{}", answer.text);

    // Another question: acknowledged with its number and forwarded to sales.
    let question = "Could you send me an offer for 40 chairs?";
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "Anna Example", "Chairs", "q1@example.test", "", question));
    let ack = parse(&dovecot.wait_for_messages(CUSTOMER, "INBOX", 2, WAIT)[1]);
    assert!(ack.subject.starts_with("Re: Chairs [#1002-"), "{}", ack.subject);
    let tag = ack.subject.trim_start_matches("Re: Chairs ").to_owned();
    assert!(ack.text.contains(&format!("registered it as request {tag}")), "{}", ack.text);
    assert!(ack.text.contains("A colleague will answer you by "), "{}", ack.text);
    let forward_raw = dovecot.wait_for_messages(SALES, "INBOX", 1, WAIT).remove(0);
    let forward = parse(&forward_raw);
    assert_eq!(forward.subject, format!("Chairs {tag}"));
    assert!(forward.text.contains(question), "{}", forward.text);
    let reply_to: Vec<&str> = forward.reply_to.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(reply_to, [CUSTOMER, ASSISTANT]);

    // Mario at sales presses "Reply": his client writes to the Reply-To addresses, and the mail
    // server delivers it to the customer and to the assistant.
    let forward_id = forward.message_id.clone().expect("the forward has a Message-ID");
    let staff_answer = format!(
        "From: Mario Verdi <{MARIO}>\r\nTo: Anna Example <{CUSTOMER}>, Test Office <{ASSISTANT}>\r\n\
         Subject: Re: Chairs {tag}\r\nMessage-ID: <staff1@office.test>\r\nIn-Reply-To: <{forward_id}>\r\n\
         References: <{forward_id}>\r\nDate: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Dear Anna, 40 chairs are 2,400 EUR.\r\n\r\n-----Original Message-----\r\n{question}\r\n",
        chrono::Utc::now().to_rfc2822()
    );
    dovecot.deliver(CUSTOMER, staff_answer.as_bytes());
    dovecot.deliver(ASSISTANT, staff_answer.as_bytes());
    let answered = support::wait_until(WAIT, || {
        office.query_strings("SELECT state FROM tickets WHERE number = 1002") == ["answered"]
    });
    assert!(answered, "the staff answer did not mark the ticket answered:\n{}", clerk.log());
    let received = dovecot.wait_for_messages(CUSTOMER, "INBOX", 3, WAIT);
    assert_eq!(parse(&received[2]).text.lines().next(), Some("Dear Anna, 40 chairs are 2,400 EUR."));

    // Anna answers Mario (copying the assistant) with a client that keeps References: the same
    // ticket, reopened; Mario has it, so sales gets no second forward.
    let follow_up = mail(
        CUSTOMER,
        "Anna Example",
        &format!("Re: Chairs {tag}"),
        "q2@example.test",
        &format!(
            "Cc: {MARIO}\r\nIn-Reply-To: <staff1@office.test>\r\nReferences: <{forward_id}> <staff1@office.test>\r\n"
        ),
        "Can they be delivered by Friday?\r\n\r\nOn Fri, Mario Verdi wrote:\r\n> Dear Anna",
    );
    dovecot.deliver(ASSISTANT, &follow_up);
    let joined = support::wait_until(WAIT, || {
        office.query_count("SELECT count(*) FROM ticket_messages WHERE ticket = 1002 AND role = 'customer'")
            == 2
    });
    assert!(joined, "the follow-up did not join the ticket:\n{}", clerk.log());
    assert_eq!(office.query_strings("SELECT state FROM tickets WHERE number = 1002"), ["waiting"]);
    let (ok, thread) = office.command(&["ticket", &tag]);
    assert!(ok, "{thread}");
    assert!(
        thread.contains("Can they be delivered by Friday?") && !thread.contains("> Dear Anna"),
        "{thread}"
    );
    assert!(thread.contains("mario@office.test (staff)"), "{thread}");

    // Past its response time, sales is reminded once.
    office.execute("UPDATE tickets SET due_at = 1 WHERE number = 1002");
    let mails = dovecot.wait_for_messages(SALES, "INBOX", 2, WAIT);
    let reminder = parse(&mails[1]);
    assert_eq!(reminder.subject, format!("Waiting for an answer: Chairs {tag}"));
    assert!(reminder.text.contains("Can they be delivered by Friday?"), "{}", reminder.text);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(dovecot.messages(SALES, "INBOX").len(), 2, "reminded once:\n{}", clerk.log());
    assert_eq!(office.query_count("SELECT escalation FROM tickets WHERE number = 1002"), 1);
}

#[test]
fn route_hands_the_customers_messages_and_the_note_to_the_new_department() {
    let (dovecot, _sink, office, _clerk) = office();
    let question = "Could you send me a copy of invoice 2026-114?";
    dovecot
        .deliver(ASSISTANT, &mail(CUSTOMER, "Anna Example", "Invoice copy", "r1@example.test", "", question));
    let forward = parse(&dovecot.wait_for_messages(SALES, "INBOX", 1, WAIT)[0]);
    let forward_id = forward.message_id.clone().expect("the forward has a Message-ID");
    let tag = forward.subject.trim_start_matches("Invoice copy ").to_owned();
    let more = "It is the one from November, for the Milan office.";
    let follow_up = mail(
        CUSTOMER,
        "Anna Example",
        &format!("Re: Invoice copy {tag}"),
        "r2@example.test",
        "",
        &format!("{more}\r\n\r\nOn Mon, Test Office wrote:\r\n> registered"),
    );
    dovecot.deliver(ASSISTANT, &follow_up);
    // Sales gets the follow-up too: the ticket holds both messages before it is routed.
    dovecot.wait_for_messages(SALES, "INBOX", 2, WAIT);

    // Mario at sales hands it on, to the assistant alone, with a word for accounts and his signature.
    let note = "She needs the copy today; I cannot reach the archive.";
    let route = format!(
        "From: Mario Verdi <{MARIO}>\r\nTo: Test Office <{ASSISTANT}>\r\nSubject: Re: Invoice copy {tag}\r\n\
         Message-ID: <route1@office.test>\r\nIn-Reply-To: <{forward_id}>\r\nReferences: <{forward_id}>\r\n\
         Date: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n#route accounts\r\n\r\n{note}\r\n\r\n\
         Cordiali saluti,\r\nMario Verdi\r\nUfficio vendite\r\nTel. +39 02 1234567\r\n\r\n\
         -----Original Message-----\r\n{question}\r\n",
        chrono::Utc::now().to_rfc2822()
    );
    dovecot.deliver(ASSISTANT, route.as_bytes());
    let handover = parse(&dovecot.wait_for_messages(ACCOUNTS, "INBOX", 1, WAIT)[0]);
    assert_eq!(handover.subject, format!("Invoice copy {tag}"));
    let reply_to: Vec<&str> = handover.reply_to.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(reply_to, [CUSTOMER, ASSISTANT]);
    let text = &handover.text;
    let first = text.find(question).unwrap_or_else(|| panic!("the question is handed on:\n{text}"));
    let second = text.find(more).unwrap_or_else(|| panic!("the follow-up is handed on:\n{text}"));
    assert!(first < second, "oldest first:\n{text}");
    assert!(text.contains(note), "the note is handed on:\n{text}");
    assert!(!text.contains("Tel. +39 02 1234567"), "the signature stays behind:\n{text}");
    assert_eq!(
        office.query_strings(&format!("SELECT department FROM tickets WHERE number = {}", &tag[2..6])),
        ["accounts"]
    );

    // The ticket shows Mario's words without his signature.
    let (ok, thread) = office.command(&["ticket", &tag]);
    assert!(ok, "{thread}");
    assert!(thread.contains(note) && !thread.contains("Cordiali saluti"), "{thread}");
}

#[test]
fn an_italian_question_gets_the_italian_answer() {
    let (dovecot, _sink, _office, _clerk) = office();
    let text =
        "Buongiorno, vorrei sapere quali sono i vostri orari di apertura durante le feste. Grazie mille";
    dovecot.deliver(ASSISTANT, &mail(SARA, "Sara Neri", "Orari", "it1@example.test", "", text));
    let answer = parse(&dovecot.wait_for_messages(SARA, "INBOX", 1, WAIT)[0]);
    assert!(answer.text.contains("Siamo aperti dalle 9 alle 17"), "{}", answer.text);
}

#[test]
fn an_out_of_office_reply_and_a_list_message_open_no_ticket_and_get_no_answer() {
    let (dovecot, sink, office, clerk) = office();
    dovecot.deliver(
        ASSISTANT,
        &mail(CUSTOMER, "Anna Example", "Chairs", "q1@example.test", "", "An offer, please."),
    );
    let ack = parse(&dovecot.wait_for_messages(CUSTOMER, "INBOX", 1, WAIT)[0]);
    let ack_id = ack.message_id.expect("the acknowledgment has a Message-ID");

    let out_of_office = mail(
        CUSTOMER,
        "Anna Example",
        "Automatic reply: Re: Chairs",
        "oof1@example.test",
        &format!("Auto-Submitted: auto-replied\r\nIn-Reply-To: <{ack_id}>\r\n"),
        "I am out of the office until Monday.",
    );
    dovecot.deliver(ASSISTANT, &out_of_office);
    let list = mail(
        "news@lists.example.test",
        "Chair News",
        "This week in chairs",
        "list1@lists.example.test",
        "List-Id: <chairs.lists.example.test>\r\nList-Unsubscribe: <mailto:leave@lists.example.test>\r\n",
        "News about chairs.",
    );
    dovecot.deliver(ASSISTANT, &list);
    let handled = support::wait_until(WAIT, || office.journal_status_count("processed") == 3);
    assert!(handled, "{}", clerk.log());
    assert_eq!(office.query_count("SELECT count(*) FROM tickets"), 1, "only Anna's question is a ticket");
    assert_eq!(
        office.query_count("SELECT count(*) FROM ticket_messages WHERE message_id = 'oof1@example.test'"),
        0,
        "the out-of-office reply is not part of the ticket"
    );
    std::thread::sleep(Duration::from_secs(2));
    let to_customer = sink.received().iter().filter(|r| r.rcpt_tos.iter().any(|to| to == CUSTOMER)).count();
    assert_eq!(to_customer, 1, "only the acknowledgment went to Anna:\n{}", sink.log());
}
