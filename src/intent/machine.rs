//! Mail no desk handles, read from the headers first and then from its obvious signs: spam, a
//! machine's reply (out of office in English, Italian, German, French and Spanish, with or without
//! automatic headers; bounces; read receipts), newsletters, invoices and shipping notices.

use std::sync::LazyLock;

use super::cues::{Cues, fold};
use super::{Intent, Tally, Text, Writer};
use crate::mail::message::Message;

/// What the reading of machine mail tells the other readers.
pub(crate) struct Machine {
    /// The text reads as an absence notice ("I am out of the office until …").
    pub(crate) absent: bool,
    /// The text or subject bills ("invoice", "fattura", an amount due).
    pub(crate) billing: bool,
}

pub(crate) fn read(msg: &Message, text: &Text, writer: &Writer, tally: &mut Tally) -> Machine {
    spam_verdict(msg, tally);
    if *writer == Writer::Stranger {
        spam_signs(text, tally);
    }
    let absent = auto_reply(msg, text, tally);
    newsletter(msg, text, writer, tally);
    let billing = invoice(msg, text, writer, tally);
    if *writer == Writer::Stranger {
        shipping(text, tally);
    }
    Machine { absent, billing }
}

/// The server's spam verdict: `X-Spam-Flag: YES`, `X-Spam-Status: Yes`, a score of five or more,
/// an `Authentication-Results` that failed DMARC.
fn spam_verdict(msg: &Message, tally: &mut Tally) {
    for value in msg.headers_named("X-Spam-Flag") {
        if value.trim().eq_ignore_ascii_case("yes") {
            tally.add(Intent::Spam, 6.0, format!("X-Spam-Flag: {}", value.trim()));
        }
    }
    for value in msg.headers_named("X-Spam-Status") {
        if value.trim_start().get(..3).is_some_and(|v| v.eq_ignore_ascii_case("yes")) {
            tally.add(Intent::Spam, 6.0, format!("X-Spam-Status: {}", first_words(value)));
        }
    }
    for value in msg.headers_named("X-Spam-Score") {
        if value.trim().parse::<f32>().is_ok_and(|score| score >= 5.0) {
            tally.add(Intent::Spam, 4.0, format!("X-Spam-Score: {}", value.trim()));
        }
    }
    for value in msg.headers_named("X-Spam-Level") {
        if value.trim().chars().filter(|c| *c == '*').count() >= 5 {
            tally.add(Intent::Spam, 4.0, format!("X-Spam-Level: {}", value.trim()));
        }
    }
    for value in msg.headers_named("Authentication-Results") {
        let folded = value.to_ascii_lowercase();
        if folded.contains("dmarc=fail") {
            tally.add(Intent::Spam, 2.5, "Authentication-Results: dmarc=fail");
        } else if folded.contains("spf=fail") && folded.contains("dkim=fail") {
            tally.add(Intent::Spam, 2.0, "Authentication-Results: spf=fail, dkim=fail");
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
    static STRONG: LazyLock<Cues> = LazyLock::new(|| {
        Cues::new(&[
            // prizes and lures
            "you have won",
            "you've won",
            "hai vinto",
            "sei stato selezionato",
            "you have been selected",
            "claim your",
            "riscatta*",
            "gift card",
            "buono da",
            "lotter*",
            "jackpot",
            "bitcoin",
            "crypto*",
            // mailbox and payment phishing
            "verify your account",
            "verifica il tuo account",
            "conferma i tuoi dati",
            "confirm your payment",
            "confirm payment",
            "avoid suspension",
            "suspension of services",
            "account will be suspended",
            "account suspended",
            "sospensione del servizio",
            "mailbox is full",
            "casella di posta e piena",
            "la tua casella",
            "spazio disponibile",
            "storage is full",
            "password will expire",
            "password expires",
            "unusual sign in",
            "accesso insolito",
            // bulk offers and cold outreach
            "unsubscribe",
            "disiscriv*",
            "cancellami",
            "non desideri ricevere",
            "if you no longer wish",
            "opt out",
            "not the right person",
            "persona giusta",
            "seo",
            "lead generation",
            "more leads",
            "triple",
            "grow your business",
            "win more",
            "linkedin campaign*",
            "marketing campaign*",
            "ranking for",
            "first page of google",
            "prima pagina di google",
            "prezzi imbattibili",
            "ordine minimo",
            "minimum order",
            "wholesale",
            "all'ingrosso",
        ])
    });
    static WEAK: LazyLock<Cues> = LazyLock::new(|| {
        Cues::new(&[
            "click here",
            "clicca qui",
            "within 24 hours",
            "entro 24 ore",
            "act now",
            "limited time",
            "offerta limitata",
            "special price",
            "prezzo speciale",
            "special offer",
            "offerta speciale",
            "listino",
            "discount",
            "sconto",
            "free of charge",
            "gratuitamente",
            "congratulations",
            "congratulazioni",
            "overdue",
            "payment required",
            "pagamento richiesto",
            "urgent action",
            "azione richiesta",
            "action required",
            "dear customer",
            "gentile utente",
            "dear user",
            "spett.le azienda",
            "i help",
            "we help",
            "we've helped",
            "our agency",
            "la nostra agenzia",
            "15 minutes on your calendar",
            "quick call",
            "book a demo",
            "demo",
        ])
    });
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
/// receipt), an automatic-reply subject, and out-of-office wording in five languages. Returns
/// whether the text reads as an absence notice.
fn auto_reply(msg: &Message, text: &Text, tally: &mut Tally) -> bool {
    static SUBJECT: LazyLock<Cues> = LazyLock::new(|| {
        Cues::new(&[
            "automatic reply",
            "auto reply",
            "autoreply",
            "auto-reply",
            "out of office",
            "out of the office",
            "risposta automatica",
            "assente",
            "fuori ufficio",
            "automatische antwort",
            "abwesend",
            "abwesenheitsnotiz",
            "reponse automatique",
            "absence",
            "absent",
            "respuesta automatica",
            "fuera de la oficina",
            "ausente",
            "read",
            "letto",
            "gelesen",
            "lu",
            "leido",
            "undeliverable",
            "non recapitabile",
            "delivery status notification",
            "mail delivery failed",
            "returned mail",
            "unzustellbar",
            "non remis",
        ])
    });
    static ABSENT: LazyLock<Cues> = LazyLock::new(|| {
        Cues::new(&[
            // English
            "out of the office",
            "out of office",
            "i am away",
            "i'm away",
            "i am currently away",
            "i am on leave",
            "i'm on leave",
            "on annual leave",
            "on holiday until",
            "on vacation until",
            "i am travelling",
            "i am traveling",
            "limited access to email",
            "limited access to my email",
            "away from my desk",
            "on parental leave",
            "on maternity leave",
            // Italian
            "fuori ufficio",
            "sono assente",
            "saro assente",
            "assente dall'ufficio",
            "assente dallo studio",
            "sono in ferie",
            "saro in ferie",
            "in ferie fino",
            "non ho accesso alla posta",
            "non potro leggere",
            "chiuso per ferie",
            "chiuso per inventario",
            "ufficio chiuso",
            "ufficio ordini e chiuso",
            "fuori sede fino",
            // German
            "nicht im buro",
            "nicht im buero",
            "bin abwesend",
            "abwesend",
            "im urlaub",
            "ausser haus",
            "nur eingeschrankt erreichbar",
            "eingeschrankten zugriff",
            // French
            "absent du bureau",
            "absente du bureau",
            "je suis absent",
            "je suis absente",
            "en conges",
            "en vacances jusqu",
            "acces limite a mes",
            // Spanish
            "fuera de la oficina",
            "estoy fuera",
            "estare fuera",
            "estoy ausente",
            "de vacaciones",
            "acceso limitado al correo",
        ])
    });
    static RETURN: LazyLock<Cues> = LazyLock::new(|| {
        Cues::new(&[
            "until",
            "will be back",
            "on my return",
            "when i return",
            "back in the office",
            "return on",
            "fino al",
            "fino a",
            "al mio rientro",
            "rientrero",
            "rientro",
            "per urgenze",
            "in caso di urgenza",
            "for urgent",
            "if urgent",
            "for anything urgent",
            "bis zum",
            "bis einschliesslich",
            "in dringenden fallen",
            "ab dem",
            "jusqu'au",
            "de retour",
            "en cas d'urgence",
            "hasta el",
            "regresare",
            "volvere",
            "en caso de urgencia",
            "please contact",
            "contattare",
            "rivolgersi",
        ])
    });
    let mut absent = false;
    if crate::guard::is_automatic(msg) {
        tally.add(
            Intent::AutoReply,
            3.0,
            "automatic headers (Auto-Submitted, Precedence, an empty Return-Path …)",
        );
    }
    let content_type = msg.content_type.to_ascii_lowercase();
    if content_type == "multipart/report" {
        tally.add(Intent::AutoReply, 5.0, "a delivery or read report (multipart/report)");
    }
    // The whole of the subject's opening, so that "Please read:" is not "Read:".
    let opening = fold(subject_start(&msg.subject));
    if SUBJECT.find(opening.trim()).is_some_and(|cue| cue == opening.trim()) {
        tally.add(Intent::AutoReply, 2.0, format!("the subject opens with \"{}\"", opening.trim()));
    }
    if let Some(cue) = ABSENT.find(&text.body) {
        absent = true;
        let asks = text.body.contains('?');
        tally.add(Intent::AutoReply, if asks { 1.0 } else { 2.5 }, format!("\"{cue}\""));
        if let Some(back) = RETURN.find(&text.body) {
            tally.add(Intent::AutoReply, 1.0, format!("\"{back}\""));
        }
    }
    absent
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
    static CUES: LazyLock<Cues> = LazyLock::new(|| {
        Cues::new(&[
            "newsletter",
            "unsubscribe",
            "disiscriviti",
            "cancella iscrizione",
            "view in browser",
            "view this email in your browser",
            "visualizza nel browser",
            "abmelden",
            "se desinscrire",
            "darse de baja",
            "manage your preferences",
            "gestisci le preferenze",
        ])
    });
    if msg.headers.iter().any(|(name, _)| {
        name.eq_ignore_ascii_case("List-Id") || name.eq_ignore_ascii_case("List-Unsubscribe")
    }) {
        tally.add(Intent::Newsletter, 5.0, "list headers (List-Id, List-Unsubscribe)");
    }
    if *writer != Writer::Colleague {
        let count = CUES.count(&text.body, 2) + CUES.count(&text.subject, 1);
        if let Some(cue) = CUES.find(&text.body).or_else(|| CUES.find(&text.subject)) {
            tally.add(Intent::Newsletter, 1.5 * count as f32, format!("\"{cue}\""));
        }
    }
}

/// A bill or a receipt: its word in the subject or near the top, an amount, a due date. Returns
/// whether the message bills.
fn invoice(msg: &Message, text: &Text, writer: &Writer, tally: &mut Tally) -> bool {
    static BILL: LazyLock<Cues> = LazyLock::new(|| {
        Cues::new(&[
            "invoice",
            "invoices",
            "fattura",
            "fatture",
            "fattura elettronica",
            "bolletta",
            "receipt",
            "ricevuta di pagamento",
            "credit note",
            "nota di credito",
            "rechnung",
            "facture",
            "factura",
            "payment confirmation",
            "conferma di pagamento",
            "estratto conto",
            "statement of account",
        ])
    });
    static AMOUNT: LazyLock<Cues> = LazyLock::new(|| {
        Cues::new(&[
            "amount due",
            "amount",
            "total",
            "importo",
            "totale",
            "due date",
            "scadenza",
            "paid with",
            "addebito",
            "bonifico",
            "iban",
            "p.iva",
            "vat",
            "iva inclusa",
            "incl. vat",
            "eur",
            "euro",
        ])
    });
    if *writer == Writer::Colleague {
        return false;
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
    billing
}

/// A shop's or a carrier's shipping notice, from a stranger (a vendor's is a reply about an order).
fn shipping(text: &Text, tally: &mut Tally) {
    static CUES: LazyLock<Cues> = LazyLock::new(|| {
        Cues::new(&[
            "shipped",
            "has been shipped",
            "e stato spedito",
            "spedito",
            "spedita",
            "on its way",
            "in consegna",
            "out for delivery",
            "track your",
            "tracking",
            "traccia",
            "waybill",
            "lettera di vettura",
            "your parcel",
            "il tuo pacco",
            "your shipment",
            "la spedizione",
            "la tua spedizione",
            "consegna prevista",
            "scheduled delivery",
            "will be delivered",
            "sara consegnat*",
            "courier",
            "corriere",
            "versandbestatigung",
            "colis",
            "envio",
        ])
    });
    let all = format!("{}\n{}", text.subject, text.body);
    let count = CUES.count(&all, 3);
    if let Some(cue) = CUES.find(&all) {
        tally.add(Intent::ShippingNotice, 1.5 * count as f32, format!("\"{cue}\""));
    }
}
