//! Rule sets of a chosen size, for the rule-count axis of part 3: the 50 filing rules of `office`,
//! after as many other rules as make up the count, of the kinds an office that has grown its rules
//! keeps (gmailctl users keep hundreds): clients by domain or address, project references in subjects,
//! phrases in bodies, a known vendor writing about one client, mailing lists by header.
//!
//! The added rules come first, so every message that no added rule takes is tried against all of
//! them, as in an office whose specific rules precede its general filing. They use words and domains
//! that the generated office mail never contains, so each message is still filed as `office` says:
//! the rule count changes what classifying costs, not what it decides.

use std::fmt::Write as _;

const CLIENTS: [&str; 20] = [
    "bright", "harbor", "granite", "willow", "summit", "cedar", "silver", "maple", "north", "quarry",
    "lantern", "meadow", "orchard", "falcon", "copper", "juniper", "beacon", "aurora", "pioneer", "crescent",
];
const TRADES: [&str; 10] =
    ["water", "stone", "works", "field", "point", "bridge", "gate", "ridge", "craft", "mill"];
const PHRASES: [&str; 8] = [
    "purchase order number",
    "tender documents",
    "site inspection",
    "structural engineer",
    "planning consent",
    "snagging list",
    "retention release",
    "variation order",
];

/// `bench.rules.toml` with `count` rules (at least the 50 filing rules).
pub fn clerk_rules(count: usize) -> String {
    let mut rules = String::new();
    for i in 0..count.saturating_sub(50) {
        let client = format!("{}{}", CLIENTS[i % CLIENTS.len()], TRADES[(i / CLIENTS.len()) % TRADES.len()]);
        let code = 1000 + i;
        let _ = writeln!(rules, "[[rule]]\nname = \"office rule {i}\"");
        let _ = match i % 10 {
            0 => writeln!(rules, "when.from = \"*@{client}{i}.example\""),
            1 => {
                writeln!(rules, "when.from = [\"accounts@{client}{i}.example\", \"ceo@{client}{i}.example\"]")
            }
            2 => writeln!(rules, "when.subject = {{ any = [\"prj {code}\", \"ref {client} {code}\"] }}"),
            // A vendor of the generated mail, about a client it never names: a candidate for that
            // vendor's mail that full evaluation turns down.
            3 => writeln!(rules, "when.from = \"*@vendor{}.example\"\nwhen.subject = \"{client}\"", i % 40),
            4 => writeln!(
                rules,
                "when.body = {{ any = [\"{} {code}\", \"{client} account\"] }}",
                PHRASES[i % PHRASES.len()]
            ),
            5 => writeln!(rules, "when.text = \"{client} {code}\""),
            6 => writeln!(rules, "when.recipients = \"{client}{i}@office.test\""),
            7 => {
                writeln!(rules, "when.subject = \"{client}{i}*\"\nwhen.not = {{ from = \"*@office.test\" }}")
            }
            // A mailing list by its List-Id: no word or address to look up first, tried on every message.
            8 if i % 50 == 8 => writeln!(rules, "when.header.\"List-Id\" = \"{client}{i}\""),
            8 => writeln!(
                rules,
                "when.any = [{{ from = \"*@{client}{i}.example\" }}, {{ subject = \"{client}{i}\" }}]"
            ),
            _ => writeln!(rules, "when.from = \"*@{client}{i}.example\"\nwhen.attachment = true"),
        };
        let _ = writeln!(rules, "move = \"Clients\"\n");
    }
    rules
}

/// The same added rules as [`clerk_rules`] in imapfilter's Lua, in the same order, each a server-side
/// search of the INBOX (`+` is or, `*` and, `-` and not) whose results are moved, as the filing rules
/// are. imapfilter cannot search for attachments: "has an attachment" is a `multipart/mixed` message,
/// which is exact for the generated mail.
pub fn imapfilter_rules(count: usize) -> String {
    let mut lua = String::new();
    for i in 0..count.saturating_sub(50) {
        let client = format!("{}{}", CLIENTS[i % CLIENTS.len()], TRADES[(i / CLIENTS.len()) % TRADES.len()]);
        let code = 1000 + i;
        let found = match i % 10 {
            0 => format!("inbox:contain_from('@{client}{i}.example')"),
            1 => format!(
                "inbox:contain_from('accounts@{client}{i}.example') + inbox:contain_from('ceo@{client}{i}.example')"
            ),
            2 => {
                format!("inbox:contain_subject('prj {code}') + inbox:contain_subject('ref {client} {code}')")
            }
            3 => {
                format!("inbox:contain_from('@vendor{}.example') * inbox:contain_subject('{client}')", i % 40)
            }
            4 => format!(
                "inbox:contain_body('{} {code}') + inbox:contain_body('{client} account')",
                PHRASES[i % PHRASES.len()]
            ),
            5 => format!("inbox:contain_message('{client} {code}')"),
            6 => format!(
                "inbox:contain_to('{client}{i}@office.test') + inbox:contain_cc('{client}{i}@office.test')"
            ),
            7 => format!("inbox:contain_subject('{client}{i}') - inbox:contain_from('@office.test')"),
            8 if i % 50 == 8 => format!("inbox:contain_field('List-Id', '{client}{i}')"),
            8 => format!("inbox:contain_from('@{client}{i}.example') + inbox:contain_subject('{client}{i}')"),
            _ => format!(
                "inbox:contain_from('@{client}{i}.example') * inbox:contain_field('Content-Type', 'multipart/mixed')"
            ),
        };
        let _ = writeln!(lua, "found = {found}; found:move_messages(account['Clients'])");
    }
    lua
}
