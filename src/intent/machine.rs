//! Mail no desk handles, read from the headers first and then from its obvious signs: spam, a
//! machine's reply (out of office in English, Italian, German, French and Spanish, with or without
//! automatic headers; bounces; read receipts), newsletters, invoices and shipping notices.

use std::sync::LazyLock;

use super::cues::{Cues, fold};
use super::{Intent, Tally, Text, Writer};
use crate::guard::Suppression;
use crate::mail::message::Message;

/// What the reading of machine mail tells the other readers.
pub(crate) struct Machine {
    /// The text reads as an absence notice ("I am out of the office until …").
    pub(crate) absent: bool,
    /// The text or subject bills ("invoice", "fattura", an amount due).
    pub(crate) billing: bool,
    /// The subject names a bill: the message is one, whatever else it says of the order.
    pub(crate) bill_in_subject: bool,
    /// The message is a delivery or read report (multipart/report): a receipt, not an answer.
    pub(crate) report: bool,
}

pub(crate) fn read(msg: &Message, text: &Text, writer: &Writer, tally: &mut Tally) -> Machine {
    spam_verdict(msg, tally);
    if *writer == Writer::Stranger {
        spam_signs(text, tally);
    }
    let Signs { absent, report } = auto_reply(msg, text, tally);
    newsletter(msg, text, writer, tally);
    let (billing, bill_in_subject) = invoice(msg, text, writer, tally);
    if *writer == Writer::Stranger {
        shipping(text, tally);
    }
    Machine { absent, billing, bill_in_subject, report }
}

/// The server's spam verdict: `X-Spam-Flag: YES`, `X-Spam-Status: Yes`, a score of five or more,
/// an `Authentication-Results` that failed DMARC.
fn spam_verdict(msg: &Message, tally: &mut Tally) {
    for value in msg.headers_named("X-Spam-Flag") {
        if value.trim().eq_ignore_ascii_case("yes") {
            tally.vouch(Intent::Spam, 6.0, format!("X-Spam-Flag: {}", value.trim()));
        }
    }
    for value in msg.headers_named("X-Spam-Status") {
        if value.trim_start().get(..3).is_some_and(|v| v.eq_ignore_ascii_case("yes")) {
            tally.vouch(Intent::Spam, 6.0, format!("X-Spam-Status: {}", first_words(value)));
        }
    }
    for value in msg.headers_named("X-Spam-Score") {
        if value.trim().parse::<f32>().is_ok_and(|score| score >= 5.0) {
            tally.vouch(Intent::Spam, 4.0, format!("X-Spam-Score: {}", value.trim()));
        }
    }
    for value in msg.headers_named("X-Spam-Level") {
        if value.trim().chars().filter(|c| *c == '*').count() >= 5 {
            tally.vouch(Intent::Spam, 4.0, format!("X-Spam-Level: {}", value.trim()));
        }
    }
    for value in msg.headers_named("Authentication-Results") {
        let folded = value.to_ascii_lowercase();
        if folded.contains("dmarc=fail") {
            tally.vouch(Intent::Spam, 2.5, "Authentication-Results: dmarc=fail");
        } else if folded.contains("spf=fail") && folded.contains("dkim=fail") {
            tally.vouch(Intent::Spam, 2.0, "Authentication-Results: spf=fail, dkim=fail");
        }
    }
}

fn first_words(value: &str) -> String {
    value.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

/// The obvious signs of spam a filter let through, from strangers only: a prize, a mailbox "about
/// to be closed", a payment "to avoid suspension", a cold sales pitch, a bulk offer with a way to
/// stop receiving it. One sign is not enough; two are.
fn spam_signs(text: &Text, tally: &mut Tally) {
    static STRONG: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/machine-strong.txt")));
    static WEAK: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/machine-weak.txt")));
    let all = format!("{}\n{}", text.subject, text.body);
    let strong = STRONG.count(&all, 3);
    let weak = WEAK.count(&all, 3);
    if strong + weak == 0 {
        return;
    }
    let points = 2.0 * strong as f32 + 1.0 * weak as f32;
    let first = STRONG.find(&all).or_else(|| WEAK.find(&all)).unwrap_or_default();
    let evidence = format!("signs of spam from a stranger: \"{first}\" and {} more", strong + weak - 1);
    tally.add(Intent::Spam, points, evidence);
}

/// A machine's reply: the automatic headers clerk's guard knows, a report (a bounce, a read
/// receipt), an automatic-reply subject, and out-of-office wording in five languages.
fn auto_reply(msg: &Message, text: &Text, tally: &mut Tally) -> Signs {
    static SUBJECT: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/machine-subject.txt")));
    static ABSENT: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/machine-absent.txt")));
    static RETURN: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/machine-return.txt")));
    let mut absent = false;
    let mut report = false;
    for sign in crate::guard::machine_signs(msg) {
        let points = match &sign {
            // A list is a newsletter's sign, read there.
            Suppression::MailingList { .. } => continue,
            Suppression::Report { .. } => {
                report = true;
                5.0
            }
            // A no-reply sender may be a web form passing on a person's question.
            Suppression::SystemSender { .. } => 1.5,
            // Outlook asks not to be answered automatically on every invitation it sends.
            Suppression::ResponseSuppressed { .. } => 1.0,
            Suppression::Precedence { value, .. } if !value.to_ascii_lowercase().contains("auto") => 1.5,
            _ => 3.0,
        };
        // Weak signs count, but only a machine's own mark says for sure that a machine wrote it.
        if points >= 3.0 {
            tally.vouch(Intent::AutoReply, points, sign.to_string());
        } else {
            tally.add(Intent::AutoReply, points, sign.to_string());
        }
    }
    // The whole of the subject's opening, so that "Please read:" is not "Read:".
    let opening = fold(subject_start(&msg.subject));
    if SUBJECT.find(opening.trim()).is_some_and(|cue| cue == opening.trim()) {
        tally.add(Intent::AutoReply, 2.0, format!("the subject opens with \"{}\"", opening.trim()));
    }
    if let Some(cue) = ABSENT.find(&text.body) {
        // "Sono in ferie fino al 20; al rientro vorrei fissare il sopralluogo" is a person writing,
        // away or not: their request is read as any other.
        let asks = text.body.contains('?') || ASKS.find(&text.body).is_some();
        absent = !asks;
        tally.add(Intent::AutoReply, if asks { 1.0 } else { 2.5 }, format!("\"{cue}\""));
        if let Some(back) = RETURN.find(&text.body) {
            tally.add(Intent::AutoReply, 1.0, format!("\"{back}\""));
        }
    }
    Signs { absent, report }
}

/// A person asking something in their own words.
static ASKS: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/machine-asks.txt")));

/// What the reading of a machine's reply found.
struct Signs {
    absent: bool,
    report: bool,
}

/// The start of a subject, where clients put "Automatic reply:" and "Read:", up to its first colon.
fn subject_start(subject: &str) -> &str {
    match subject.find(':') {
        Some(at) if at <= 40 => &subject[..at],
        _ => "",
    }
}

/// A newsletter: list headers, or a stranger's text that can be unsubscribed from.
fn newsletter(msg: &Message, text: &Text, writer: &Writer, tally: &mut Tally) {
    static CUES: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/machine-newsletter.txt")));
    if msg.headers.iter().any(|(name, _)| {
        name.eq_ignore_ascii_case("List-Id") || name.eq_ignore_ascii_case("List-Unsubscribe")
    }) {
        tally.vouch(Intent::Newsletter, 5.0, "list headers (List-Id, List-Unsubscribe)");
    }
    if *writer != Writer::Colleague {
        let count = CUES.count(&text.body, 2) + CUES.count(&text.subject, 1);
        if let Some(cue) = CUES.find(&text.body).or_else(|| CUES.find(&text.subject)) {
            tally.add(Intent::Newsletter, 1.5 * count as f32, format!("\"{cue}\""));
        }
    }
}

/// A bill or a receipt: its word in the subject or near the top, an amount, a due date. Returns
/// whether the message bills, and whether its subject does.
fn invoice(msg: &Message, text: &Text, writer: &Writer, tally: &mut Tally) -> (bool, bool) {
    static BILL: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/machine-bill.txt")));
    static AMOUNT: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/machine-amount.txt")));
    if *writer == Writer::Colleague {
        return (false, false);
    }
    let in_subject = BILL.find(&text.subject);
    let in_body = BILL.find(&text.body);
    if let Some(cue) = in_subject {
        tally.add(Intent::Invoice, 2.5, format!("\"{cue}\" in the subject"));
    } else if let Some(cue) = in_body {
        tally.add(Intent::Invoice, 1.5, format!("\"{cue}\""));
    }
    let billing = in_subject.is_some() || in_body.is_some();
    if billing {
        if let Some(cue) = AMOUNT.find(&text.body) {
            tally.add(Intent::Invoice, 1.0, format!("\"{cue}\""));
        }
        if msg.attachments.iter().any(|a| a.content_type.eq_ignore_ascii_case("application/pdf")) {
            tally.add(Intent::Invoice, 0.5, "a PDF attached");
        }
    }
    (billing, in_subject.is_some())
}

/// A shop's or a carrier's shipping notice, from a stranger (a vendor's is a reply about an order).
fn shipping(text: &Text, tally: &mut Tally) {
    static CUES: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/machine-shipping.txt")));
    let all = format!("{}\n{}", text.subject, text.body);
    let count = CUES.count(&all, 3);
    if let Some(cue) = CUES.find(&all) {
        tally.add(Intent::ShippingNotice, 1.5 * count as f32, format!("\"{cue}\""));
    }
    // A notice says so in its subject ("Your order #AB-20931 has shipped").
    if let Some(cue) = CUES.find(&text.subject) {
        tally.add(Intent::ShippingNotice, 1.0, format!("\"{cue}\" in the subject"));
    }
}
