//! Part 4: peak memory for one big message. A message just under the default `max_message_size`
//! (25 MB) of each shape a real mailbox holds, in a Dovecot INBOX, handled by `clerk run --once` on the
//! shipped office (an invoice with a big PDF is forwarded to accounts; a customer's big message opens a
//! ticket that is forwarded whole to the front desk). Issue #15's budget: under 512 MB for any of them.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{Dovecot, SmtpSink, TestDir};

const USER: &str = "assistant@office.example";
const PASSWORD: &str = "secret";
/// Just under the default `max_message_size` of 25 MB; `CLERK_BENCH_BIG_MB` asks for another size (and
/// sets `max_message_size` just above it).
fn size() -> usize {
    std::env::var("CLERK_BENCH_BIG_MB")
        .ok()
        .and_then(|mb| mb.parse::<f64>().ok())
        .map_or(24_500_000, |mb| (mb * 1e6) as usize)
}

pub fn run() {
    let size = size();
    println!("== one big message ({:.1} MB), `clerk run --once` on the shipped office", size as f64 / 1e6);
    let shapes = shapes(size);
    for (shape, raw) in &shapes {
        measure(shape, std::slice::from_ref(raw), size);
    }
    // Four at once in one folder: fetched and handled one by one, never in one batch.
    let invoices: Vec<Vec<u8>> = (0..4).map(|n| with_id(&shapes[0].1, n)).collect();
    measure("four invoices with a PDF at once", &invoices, size);
}

/// Appends `messages` to a fresh INBOX, runs clerk over them and prints its peak RSS.
fn measure(shape: &str, messages: &[Vec<u8>], size: usize) {
    let dovecot = Dovecot::start(&[(USER, PASSWORD)]);
    let sink = SmtpSink::start();
    for raw in messages {
        dovecot.append(USER, "INBOX", raw);
    }
    let (time, rss, ok) = run_clerk(&dovecot, &sink, size);
    assert!(ok, "clerk run --once failed on the {shape} message");
    println!(
        "  {shape:<34} {:>6.1} MB in all: {:>6.2} s, peak RSS {:>6.1} MB, {} mail sent",
        messages.iter().map(Vec::len).sum::<usize>() as f64 / 1e6,
        time.as_secs_f64(),
        rss as f64 / 1024.0,
        sink.received().len()
    );
}

/// `raw` with a Message-ID of its own, so copies are not taken for one message.
fn with_id(raw: &[u8], n: usize) -> Vec<u8> {
    let marker = b"Message-ID: <";
    let at = raw.windows(marker.len()).position(|w| w == marker).map_or(0, |i| i + marker.len());
    let mut copy = raw[..at].to_vec();
    copy.extend_from_slice(format!("copy{n}.").as_bytes());
    copy.extend_from_slice(&raw[at..]);
    copy
}

/// The shapes: a PDF attachment, a long plain text, a long HTML-only body, many small attachments.
fn shapes(size: usize) -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = fastrand::Rng::with_seed(15);
    let binary: Vec<u8> = (0..size / 100 * 72).map(|_| rng.u8(..)).collect();
    let words = ["the", "invoice", "order", "delivery", "please", "office", "meeting", "paper", "thanks"];
    let mut text = String::with_capacity(size);
    while text.len() < size - 200_000 {
        for _ in 0..12 {
            text.push_str(words[rng.usize(..words.len())]);
            text.push(' ');
        }
        text.push_str("\r\n");
    }
    let mut html = String::with_capacity(size);
    html.push_str("<html><body>");
    while html.len() < size - 200_000 {
        html.push_str("<p>Dear office, <b>please</b> find the <a href=\"https://example.com/x\">order</a> below.</p>\r\n");
    }
    html.push_str("</body></html>\r\n");
    let small: Vec<Vec<u8>> = (0..2_000).map(|_| (0..size / 2_900).map(|_| rng.u8(..)).collect()).collect();
    vec![
        ("invoice with a PDF (forwarded)", invoice(&binary)),
        ("customer's long plain text (ticket)", customer("text/plain; charset=utf-8", text.as_bytes())),
        ("customer's long HTML-only mail (ticket)", customer("text/html; charset=utf-8", html.as_bytes())),
        ("invoice with 2,000 attachments", many_parts(&small)),
    ]
}

fn invoice(pdf: &[u8]) -> Vec<u8> {
    let mut raw = head("billing@acme-supplies.example", "Invoice 2026-1187", "big-invoice");
    raw.push_str("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n");
    raw.push_str(
        "Content-Type: text/plain; charset=utf-8\r\n\r\nPlease find the invoice attached.\r\n--b1\r\n",
    );
    raw.push_str(
        "Content-Type: application/pdf; name=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
    );
    base64_lines(pdf, &mut raw);
    raw.push_str("--b1--\r\n");
    raw.into_bytes()
}

fn many_parts(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut raw = head("billing@acme-supplies.example", "Invoice 2026-1188", "many-parts");
    raw.push_str("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n");
    raw.push_str("Content-Type: text/plain; charset=utf-8\r\n\r\nThe scans, one per page.\r\n");
    for (n, part) in parts.iter().enumerate() {
        raw.push_str(&format!(
            "--b1\r\nContent-Type: image/jpeg; name=\"page{n}.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ));
        base64_lines(part, &mut raw);
    }
    raw.push_str("--b1--\r\n");
    raw.into_bytes()
}

fn customer(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut raw = head("marco.conti@example.com", "A question about my order", "big-question");
    raw.push_str(&format!("Content-Type: {content_type}\r\n\r\n"));
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(body);
    raw
}

fn head(from: &str, subject: &str, id: &str) -> String {
    format!(
        "From: Sender <{from}>\r\nTo: {USER}\r\nSubject: {subject}\r\nMessage-ID: <{id}@example.com>\r\n\
         Date: Mon, 7 Dec 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n"
    )
}

fn base64_lines(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for line in bytes.chunks(57) {
        for chunk in line.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out.push_str("\r\n");
    }
}

fn run_clerk(dovecot: &Dovecot, sink: &SmtpSink, size: usize) -> (std::time::Duration, u64, bool) {
    let dir = TestDir::new("clerk-bench-big");
    let root = dir.path();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    crate::write_password(&root.join("password"), PASSWORD);
    std::fs::write(
        root.join("clerk.toml"),
        format!(
            "[rules]\ndir = \"{}\"\n\n[[mailbox]]\nname = \"bench\"\nurl = \"imap://127.0.0.1:{}\"\n\
             user = \"{USER}\"\npassword_file = \"password\"\nbackfill = \"all\"\n\
             max_message_size = {}\n\n\
             [smtp]\nurl = \"smtp://127.0.0.1:{}\"\n",
            rules.display(),
            dovecot.imap_port(),
            size.max(24_500_000) + 500_000,
            sink.port()
        ),
    )
    .expect("writing clerk.toml");
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk"));
    command.arg("--config").arg(root.join("clerk.toml")).args(["--log", "warn", "run", "--once"]);
    command.stdout(Stdio::null());
    crate::measure(command)
}
