//! The benchmark's office: 50 filing rules into 5 folders, written both as clerk rules and as the same
//! rules in imapfilter's Lua, and 10,000 varied messages that exercise them.

use std::fmt::Write as _;

/// The folders the rules file into.
pub const FOLDERS: [&str; 5] = ["Vendors", "Clients", "Newsletters", "Admin", "Projects"];
/// Sender domains 0..40 have a rule; 40..60 do not (their mail stays in the INBOX unless its subject matches).
const DOMAINS: usize = 60;
const SENDER_RULES: usize = 40;
/// Subject keywords with a rule each: 40 + 10 = 50 rules.
pub const KEYWORDS: [&str; 10] = [
    "invoice",
    "meeting",
    "quotation",
    "report",
    "newsletter",
    "delivery",
    "contract",
    "payment",
    "schedule",
    "renewal",
];

/// Words for subjects and bodies; none contains a keyword or a domain as a substring, so IMAP's
/// substring SEARCH and clerk's word matching agree on every message.
const WORDS: [&str; 48] = [
    "about", "the", "project", "plans", "for", "next", "week", "please", "find", "attached", "thank", "you",
    "kind", "regards", "building", "site", "visit", "drawing", "revision", "client", "office", "studio",
    "question", "answer", "tomorrow", "monday", "friday", "budget", "estimate", "material", "window", "roof",
    "facade", "garden", "kitchen", "permit", "city", "hall", "notes", "call", "agenda", "update", "status",
    "draft", "final", "version", "sketch", "model",
];

fn folder_of_rule(rule: usize) -> &'static str {
    FOLDERS[rule % FOLDERS.len()]
}

/// `office.toml` and `bench.rules.toml` for clerk.
pub fn clerk_rules() -> (String, String) {
    let office = "[office]\nname = \"Bench Office\"\ntimezone = \"UTC\"\n\n\
                  [assistant]\naddress = \"assistant@office.test\"\n\n\
                  [[owner]]\nname = \"Owner\"\naddress = \"owner@office.test\"\n"
        .to_string();
    let mut rules = String::new();
    for d in 0..SENDER_RULES {
        let _ = write!(
            rules,
            "[[rule]]\nname = \"sender {d}\"\nwhen.from = \"*@vendor{d}.example\"\nmove = \"{}\"\n\n",
            folder_of_rule(d)
        );
    }
    for (k, keyword) in KEYWORDS.iter().enumerate() {
        let _ = write!(
            rules,
            "[[rule]]\nname = \"subject {keyword}\"\nwhen.subject = \"{keyword}\"\nmove = \"{}\"\n\n",
            folder_of_rule(SENDER_RULES + k)
        );
    }
    (office, rules)
}

/// The same 50 rules for imapfilter, after `more_rules` (Lua statements): each a server-side SEARCH
/// and one MOVE of its results, in the same order, so that as with clerk the first rule that matches a
/// message decides.
pub fn imapfilter_config(port: u16, user: &str, password: &str, more_rules: &str) -> String {
    let mut lua = format!(
        "options.timeout = 600\noptions.subscribe = false\noptions.create = true\noptions.info = false\n\
         local account = IMAP {{ server = '127.0.0.1', port = {port}, username = '{user}', password = '{password}' }}\n\
         local inbox = account.INBOX\nlocal found\n{more_rules}"
    );
    for d in 0..SENDER_RULES {
        let _ = writeln!(
            lua,
            "found = inbox:contain_from('@vendor{d}.example'); found:move_messages(account['{}'])",
            folder_of_rule(d)
        );
    }
    for (k, keyword) in KEYWORDS.iter().enumerate() {
        let _ = writeln!(
            lua,
            "found = inbox:contain_subject('{keyword}'); found:move_messages(account['{}'])",
            folder_of_rule(SENDER_RULES + k)
        );
    }
    lua
}

/// Where message `n` should end up under the rules (first match wins), `INBOX` when no rule matches.
pub fn expected_folder(n: usize) -> &'static str {
    let (domain, keyword) = shape(n);
    if domain < SENDER_RULES {
        folder_of_rule(domain)
    } else if let Some(k) = keyword {
        folder_of_rule(SENDER_RULES + k)
    } else {
        "INBOX"
    }
}

/// The sender domain and subject keyword of message `n`, from a fixed pseudo-random sequence.
fn shape(n: usize) -> (usize, Option<usize>) {
    let mut rng = fastrand::Rng::with_seed(n as u64 * 7919 + 1);
    let domain = rng.usize(..DOMAINS);
    let keyword = (rng.u8(..100) < 35).then(|| rng.usize(..KEYWORDS.len()));
    (domain, keyword)
}

/// Message `n` of the mailbox: plain or HTML-only, short or long, some with a PDF attachment.
pub fn message(n: usize) -> Vec<u8> {
    let (domain, keyword) = shape(n);
    let mut rng = fastrand::Rng::with_seed(n as u64 * 104_729 + 3);
    let words = |rng: &mut fastrand::Rng, count: usize| {
        (0..count).map(|_| WORDS[rng.usize(..WORDS.len())]).collect::<Vec<_>>().join(" ")
    };
    let subject_words = 3 + rng.usize(..5);
    let mut subject = words(&mut rng, subject_words);
    if let Some(k) = keyword {
        subject = format!("{} {subject}", KEYWORDS[k]);
    }
    let paragraph_count = 1 + rng.usize(..12);
    let paragraphs: Vec<String> = (0..paragraph_count)
        .map(|_| {
            let length = 20 + rng.usize(..60);
            words(&mut rng, length)
        })
        .collect();
    let html = rng.u8(..100) < 20;
    let attachment = rng.u8(..100) < 10;
    let mut raw = format!(
        "Return-Path: <person{n}@vendor{domain}.example>\r\nFrom: Person {n} <person{n}@vendor{domain}.example>\r\n\
         To: Office <assistant@office.test>\r\nSubject: {subject}\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\n\
         Message-ID: <bench{n}@vendor{domain}.example>\r\nMIME-Version: 1.0\r\n"
    );
    let body = if html {
        let inner: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\r\n")).collect();
        ("text/html; charset=utf-8", format!("<html><body>\r\n{inner}</body></html>\r\n"))
    } else {
        ("text/plain; charset=utf-8", paragraphs.iter().map(|p| format!("{p}\r\n\r\n")).collect())
    };
    if attachment {
        let blob: String = (0..40 + rng.usize(..200))
            .map(|_| {
                (0..76)
                    .map(|_| {
                        char::from(
                            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                                [rng.usize(..64)],
                        )
                    })
                    .collect::<String>()
                    + "\r\n"
            })
            .collect();
        let _ = write!(
            raw,
            "Content-Type: multipart/mixed; boundary=\"b{n}\"\r\n\r\n--b{n}\r\nContent-Type: {}\r\n\r\n{}\r\n--b{n}\r\n\
             Content-Type: application/pdf; name=\"plan-{n}.pdf\"\r\nContent-Disposition: attachment; filename=\"plan-{n}.pdf\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{blob}--b{n}--\r\n",
            body.0, body.1
        );
    } else {
        let _ = write!(raw, "Content-Type: {}\r\n\r\n{}", body.0, body.1);
    }
    raw.into_bytes()
}
