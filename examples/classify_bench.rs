//! How long `RuleSet::classify` takes per message against a 50-rule set, on messages with ~5 KB
//! bodies. Run with `cargo run --release --example classify_bench`.
//!
//! Most of the messages match no rule or a late one, so every rule is tried: the worst case.

use std::hint::black_box;
use std::time::Instant;

use clerk::mail::message::{Address, Attachment, CalendarPart, Message};
use clerk::rules::RuleSet;

const OFFICE: &str = r#"
[office]
name = "Bench Office"
timezone = "Europe/Rome"
[assistant]
address = "assistant@office.example"
[[owner]]
name = "Owner"
address = "owner@office.example"
[departments]
front-desk = "info@office.example"
accounts = "accounts@office.example"
"#;

/// 50 rules of every kind; none matches the filler text, so the messages decide how far evaluation goes.
fn rules() -> String {
    let mut rules = String::new();
    let vendors = [
        "acme",
        "globex",
        "initech",
        "umbrella",
        "hooli",
        "vandelay",
        "stark",
        "wayne",
        "tyrell",
        "cyberdyne",
    ];
    for (i, vendor) in vendors.iter().enumerate() {
        rules += &format!(
            "[[rule]]\nname = \"vendor {i}\"\nwhen.from = \"*@{vendor}.example\"\n\
             when.subject = {{ any = [\"invoice\", \"fattura\", \"order confirmation\", \"ddt\"] }}\n\
             forward = \"accounts@office.example\"\nmove = \"Vendors/{vendor}\"\n\n"
        );
    }
    let subjects = [
        "toner",
        "paper",
        "cartridge",
        "stapler",
        "coffee",
        "cancelleria",
        "ordine",
        "carta",
        "penne",
        "buste",
    ];
    for (i, word) in subjects.iter().enumerate() {
        rules += &format!(
            "[[rule]]\nname = \"supply {i}\"\nwhen.from = [\"*@office.example\", \"*@branch.example\"]\n\
             when.subject = {{ any = [\"{word}\", \"{word}s\", \"urgent {word}\", \"need {word}\", \"{word}*\"] }}\n\
             desk = \"supply\"\n\n"
        );
    }
    let phrases = [
        ["opening hours", "when are you open", "orari di apertura"],
        ["parking", "where can i park", "parcheggio"],
        ["price list", "how much does", "quanto costa"],
        ["appointment", "book a meeting", "appuntamento"],
        ["complaint", "not satisfied", "reclamo"],
        ["refund", "money back", "rimborso"],
        ["job application", "curriculum vitae", "candidatura"],
        ["press inquiry", "journalist", "giornalista"],
        ["wifi password", "internet access", "password del wifi"],
        ["lost and found", "i forgot my", "ho dimenticato"],
    ];
    for (i, [a, b, c]) in phrases.iter().enumerate() {
        rules += &format!(
            "[[rule]]\nname = \"faq {i}\"\nwhen.body = {{ any = [\"{a}\", \"{b}\", \"{c}\"] }}\n\
             when.automatic = false\ndesk = \"inquiry\"\ndepartment = \"front-desk\"\n\n"
        );
    }
    let lists = ["news", "offers", "updates", "events", "digest"];
    for (i, list) in lists.iter().enumerate() {
        rules += &format!(
            "[[rule]]\nname = \"list {i}\"\nwhen.header.\"List-Id\" = {{ regex = \"{list}\\\\.\" }}\nmove = \"Lists/{list}\"\n\n"
        );
    }
    rules += "[[rule]]\nname = \"invitation\"\nwhen.calendar = \"REQUEST\"\ndesk = \"meeting\"\n\n";
    rules +=
        "[[rule]]\nname = \"cancellation\"\nwhen.calendar = [\"CANCEL\", \"REPLY\"]\ndesk = \"meeting\"\n\n";
    rules += "[[rule]]\nname = \"big\"\nwhen.size = { over = \"20MB\" }\nflag = \"$Big\"\n\n";
    rules += "[[rule]]\nname = \"pdf invoices\"\nwhen.attachment = { type = \"application/pdf\", name = \"fattura*.pdf\" }\nmove = \"Invoices\"\n\n";
    rules += "[[rule]]\nname = \"spreadsheets\"\nwhen.attachment = [{ name = \"*.xlsx\" }, { name = \"*.ods\" }]\nflag = \"$Sheet\"\n\n";
    let patterns = [
        "ticket #\\\\d{5}",
        "order no\\\\.? ?\\\\d+",
        "\\\\bPO-\\\\d{4}\\\\b",
        "iban:? ?it\\\\d\\\\d",
        "(?-i)URGENT",
    ];
    for (i, pattern) in patterns.iter().enumerate() {
        rules += &format!(
            "[[rule]]\nname = \"regex {i}\"\nwhen.text = {{ regex = \"{pattern}\" }}\nflag = \"flagged\"\n\n"
        );
    }
    for i in 0..5 {
        rules += &format!(
            "[[rule]]\nname = \"combo {i}\"\nwhen.any = [{{ from = \"boss{i}@*\" }}, {{ subject = \"escalation {i}\" }}]\n\
             when.not = {{ subject = {{ any = [\"newsletter\", \"unsubscribe\"] }} }}\ndesk = \"inquiry\"\npriority = \"urgent\"\n\n"
        );
    }
    rules
}

const FILLER: &str = "Dear team, following up on our conversation of last week about the quarterly plan, \
I am attaching the notes we took together with the list of open points. Città di Milano, perché no? \
Let me know whether the schedule for the next review still works for everybody; otherwise we can \
move it to the following Thursday afternoon. Best regards and thanks again for the help. ";

fn body(extra: &str) -> String {
    let mut text = String::new();
    while text.len() < 5000 {
        text += FILLER;
    }
    text + extra
}

fn address(email: &str) -> Vec<Address> {
    vec![Address { name: Some("Someone".into()), email: email.into() }]
}

fn messages() -> Vec<Message> {
    let base = |from: &str, subject: &str, extra: &str| Message {
        size: 6000,
        from: address(from),
        to: address("assistant@office.example"),
        subject: subject.into(),
        text: body(extra),
        headers: vec![
            ("Received".into(), "from mx.example by mx.office.example".into()),
            ("Message-ID".into(), "<x@example>".into()),
            ("Content-Type".into(), "text/plain; charset=utf-8".into()),
        ],
        ..Default::default()
    };
    let mut invitation = base("partner@law.example", "Invitation: review", "");
    invitation.calendars = vec![CalendarPart { method: Some("REQUEST".into()), text: String::new() }];
    let mut pdf = base("someone@client.example", "documents", "");
    pdf.attachments =
        vec![Attachment { name: "scan.pdf".into(), content_type: "application/pdf".into(), size: 100_000 }];
    vec![
        base("friend@elsewhere.example", "Re: quarterly plan", ""),
        base("client@gmail.example", "question", "Also, what are your opening hours?"),
        base("anna@office.example", "Ordine carta A4", ""),
        base("billing@tyrell.example", "Fattura 2024/77", ""),
        base("someone@client.example", "Re: Re: the plan", ""),
        invitation,
        pdf,
        base("boss4@x.example", "status", ""),
    ]
}

fn main() {
    let dir = std::env::temp_dir().join(format!("clerk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    std::fs::write(dir.join("office.toml"), OFFICE).expect("office.toml");
    std::fs::write(dir.join("bench.rules.toml"), rules()).expect("rules");
    let set = match RuleSet::load(&dir) {
        Ok(set) => set,
        Err(errors) => panic!("{errors}"),
    };
    let _ = std::fs::remove_dir_all(&dir);
    let messages = messages();
    for msg in &messages {
        let decided = set.classify(msg).deciding().map(|r| r.name.clone());
        println!("{:<28} -> {}", msg.subject, decided.as_deref().unwrap_or("(no rule)"));
    }

    // The best of several runs: the machine's noise only ever adds time.
    let rounds = 5_000;
    let mut best = f64::MAX;
    let mut matched = 0usize;
    for _ in 0..7 {
        let start = Instant::now();
        for _ in 0..rounds {
            for msg in &messages {
                matched += set.classify(black_box(msg)).matched.len();
            }
        }
        let per_message = start.elapsed().as_secs_f64() * 1e6 / (rounds * messages.len()) as f64;
        best = best.min(per_message);
    }
    println!(
        "{} rules, {} messages: best {best:.2} µs/message ({:.0} messages/s); {matched} matches",
        set.rules.len(),
        messages.len(),
        1e6 / best
    );
}
