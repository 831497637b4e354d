//! What the intent readers make of short messages, each read as the shipped office (`rules/`) would:
//! its colleagues at office.example, its catalog and vendors.

use std::sync::LazyLock;

use super::{Intent, Reading};
use crate::mail::message::Message;
use crate::rules::RuleSet;

static OFFICE: LazyLock<RuleSet> = LazyLock::new(|| {
    RuleSet::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .expect("the shipped rules load")
});

/// Reads a message from `from` with `subject` and `body`, sent on a Tuesday morning in Rome.
fn read(from: &str, subject: &str, body: &str) -> Reading {
    read_with(from, subject, "", body)
}

fn read_with(from: &str, subject: &str, headers: &str, body: &str) -> Reading {
    let raw = format!(
        "From: {from}\r\nTo: assistant@office.example\r\nSubject: {subject}\r\nDate: Tue, 12 Jan 2027 09:30:00 +0100\r\nMessage-ID: <t@example.com>\r\n{headers}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    );
    let message = Message::parse(raw.as_bytes()).expect("a test message parses");
    OFFICE.intents(&message)
}

const STRANGER: &str = "Laura Bianchi <laura.bianchi@example.com>";
const COLLEAGUE: &str = "Anna Ricci <anna.ricci@office.example>";

#[test]
fn out_of_office_replies_without_automatic_headers_are_auto_replies_in_five_languages() {
    for body in [
        "I am out of the office until 20 January with limited access to email.",
        "Sono fuori ufficio fino al 20 gennaio. Per urgenze contattare la segreteria.",
        "Ich bin bis zum 20. Januar nicht im Buero. In dringenden Faellen wenden Sie sich an Frau Weber.",
        "Je suis absent du bureau jusqu'au 20 janvier. En cas d'urgence, contactez mon collegue.",
        "Estoy fuera de la oficina hasta el 20 de enero. En caso de urgencia llame a recepcion.",
    ] {
        let reading = read(STRANGER, "Re: Meeting", body);
        assert!(reading.holds(Intent::AutoReply), "{body}: {reading:?}");
        assert!(!reading.holds(Intent::MeetingRequest), "{body}: {reading:?}");
    }
}

#[test]
fn the_servers_spam_verdict_makes_spam_whatever_the_text_asks() {
    let reading = read_with(
        STRANGER,
        "Quick meeting?",
        "X-Spam-Flag: YES\r\n",
        "Can we book a call on Thursday at 3pm to talk about SEO?",
    );
    assert!(reading.holds(Intent::Spam), "{reading:?}");
}

#[test]
fn a_request_to_meet_with_no_meeting_word_in_the_subject_is_a_meeting_request() {
    let reading =
        read(STRANGER, "", "Hi Giulia, could we have a quick call on Thursday at 3pm about the drawings?");
    assert!(reading.holds(Intent::MeetingRequest), "{reading:?}");
}

#[test]
fn thanks_for_a_meeting_already_held_asks_for_none() {
    let reading = read(
        STRANGER,
        "Yesterday's meeting",
        "Thanks for the meeting yesterday, the new layout is wonderful.",
    );
    assert!(!reading.holds(Intent::MeetingRequest), "{reading:?}");
    assert!(reading.holds(Intent::Praise), "{reading:?}");
}

#[test]
fn a_colleagues_order_is_catalog_items_with_quantities_whatever_the_verb() {
    let reading = read(COLLEAGUE, "cartoleria", "Ciao, ci servono 2 scatole di penne nere. Grazie");
    assert!(reading.holds(Intent::SupplyOrder), "{reading:?}");
    let found = reading.found.iter().find(|f| f.intent == Intent::SupplyOrder).expect("an order read");
    assert!(found.evidence.iter().any(|e| e.contains("catalog items with quantities")), "{found:?}");
}

#[test]
fn an_agenda_a_credit_card_and_the_morning_paper_order_nothing() {
    for (subject, body) in [
        ("Ordine del giorno", "Vi mando l'ordine del giorno della riunione di condominio di giovedì."),
        ("pagamento", "Posso pagare la parcella con la carta di credito?"),
        ("stamattina", "Did anyone read the paper this morning? There is a piece on the new tram line."),
    ] {
        let reading = read(COLLEAGUE, subject, body);
        assert!(!reading.holds(Intent::SupplyOrder), "{body}: {reading:?}");
    }
}

#[test]
fn a_colleagues_word_that_a_purchase_order_came_is_a_delivery_note() {
    let reading = read(COLLEAGUE, "Delivery", "Hi, received PO-2026-0002 this morning, all there.");
    assert!(reading.holds(Intent::DeliveryNote), "{reading:?}");
}

#[test]
fn a_vendor_writing_about_a_purchase_order_is_a_vendors_reply() {
    let vendor = "PrintSupply Europe <orders@printsupply.example>";
    let reading = read(vendor, "Re: PO-2027-0003", "We confirm your order; expected delivery on Friday.");
    assert!(reading.holds(Intent::VendorReply), "{reading:?}");
}

#[test]
fn a_bill_from_anyone_is_an_invoice() {
    let reading = read(
        "Billing <billing@cadsoft.example>",
        "Your invoice CS-5519",
        "Your subscription has renewed. Amount: EUR 3,240.00, paid with Visa.",
    );
    assert!(reading.holds(Intent::Invoice), "{reading:?}");
}

#[test]
fn a_legal_notice_at_the_end_of_a_message_is_not_read() {
    let reading = read(
        STRANGER,
        "Preventivo",
        "Buongiorno, vorrei un preventivo per rifare il bagno.\n\nAVVISO DI RISERVATEZZA: se avete ricevuto questa e-mail per errore, cancellatela.",
    );
    assert!(!reading.found.iter().any(|f| f.intent == Intent::MeetingCancel), "{reading:?}");
    assert!(!reading.found.iter().any(|f| f.intent == Intent::Complaint), "{reading:?}");
    assert!(reading.holds(Intent::Question), "{reading:?}");
}

#[test]
fn stationery_is_not_a_cancellation() {
    let reading = read(COLLEAGUE, "cancelleria", "Ci servono 2 scatole di penne nere dalla cancelleria.");
    assert!(!reading.found.iter().any(|f| f.intent == Intent::MeetingCancel), "{reading:?}");
}

#[test]
fn a_colleague_chatting_about_lunch_is_chat() {
    let reading = read(COLLEAGUE, "pranzo?", "Chi viene a pranzo oggi? Pizza da Gino all'una.");
    assert!(reading.holds(Intent::Chat), "{reading:?}");
}

#[test]
fn a_time_with_nothing_around_it_is_unsure() {
    let reading = read(COLLEAGUE, "giovedì", "Giovedì alle 10?");
    assert!(reading.unsure(), "{reading:?}");
    assert!(reading.summary().contains("meeting-request"), "{}", reading.summary());
}

#[test]
fn a_deadline_is_no_time_to_meet() {
    let reading = read(COLLEAGUE, "domattina", "Riesci a farci arrivare il toner entro domani alle 9?");
    assert!(!reading.holds(Intent::MeetingRequest), "{reading:?}");
}

#[test]
fn every_intent_read_says_what_it_rests_on() {
    let reading =
        read(STRANGER, "Still waiting", "This is unacceptable: I am still waiting for the drawings.");
    assert!(reading.holds(Intent::Complaint), "{reading:?}");
    assert!(reading.found.iter().all(|f| !f.evidence.is_empty() && f.confidence > 0.0), "{reading:?}");
}

#[test]
fn a_group_name_stands_for_its_desks_intents() {
    assert_eq!(
        Intent::named("meeting"),
        Some(vec![Intent::MeetingRequest, Intent::MeetingMove, Intent::MeetingCancel, Intent::MeetingChoice])
    );
    assert_eq!(Intent::named("spam"), Some(vec![Intent::Spam]));
    assert_eq!(Intent::named("sapm"), None);
}

#[test]
fn a_word_of_meeting_beside_a_question_is_not_yet_a_request_to_meet() {
    for body in [
        "Potreste mandarmi la planimetria? Grazie per la disponibilità",
        "Could you resend the invoice? See you soon",
    ] {
        let reading = read(STRANGER, "planimetria", body);
        assert!(!reading.holds(Intent::MeetingRequest), "{body}: {reading:?}");
    }
}

#[test]
fn running_out_of_something_is_no_absence_notice() {
    let reading = read(COLLEAGUE, "paper", "I'm out of A4 paper until the next order, please get 5 reams.");
    assert!(!reading.holds(Intent::AutoReply), "{reading:?}");
}

#[test]
fn thanks_in_advance_moves_no_meeting() {
    let reading = read(
        STRANGER,
        "sopralluogo",
        "Possiamo vederci giovedì 14 alle 10 per il sopralluogo? Grazie in anticipo",
    );
    assert!(reading.holds(Intent::MeetingRequest), "{reading:?}");
    assert!(!reading.found.iter().any(|f| f.intent == Intent::MeetingMove), "{reading:?}");
}

#[test]
fn a_colleagues_forward_of_a_colleagues_mail_is_no_customers_question() {
    let reading = read(
        COLLEAGUE,
        "Fwd: cena di Natale",
        "FYI\n\n---------- Forwarded message ---------\nFrom: Marco Verdi <marco.verdi@office.example>\nDate: Mon\n\nChi viene alla cena? Fatemi sapere.",
    );
    assert!(!reading.holds(Intent::Question), "{reading:?}");
}

#[test]
fn words_of_a_list_post_alone_do_not_outweigh_a_desk() {
    let reading = read(
        STRANGER,
        "sopralluogo",
        "Could we meet on Thursday 14 at 10 for the site visit? I read about you in your newsletter.",
    );
    assert!(reading.holds(Intent::MeetingRequest), "{reading:?}");
    assert!(!reading.holds(Intent::Newsletter), "{reading:?}");
}

#[test]
fn a_person_away_who_asks_something_is_read_for_what_they_ask() {
    let reading = read(
        STRANGER,
        "sopralluogo",
        "Sono in ferie fino al 20 gennaio. Al mio rientro vorrei fissare il sopralluogo in cantiere.",
    );
    assert!(!reading.holds(Intent::AutoReply), "{reading:?}");
    assert!(reading.holds(Intent::MeetingRequest), "{reading:?}");
}
