//! Part 2: arrival-to-reply latency, one message at a time: with IDLE, and polling without it (where
//! every poll must see the mail that came before it: p99 within the interval and 100 ms).

use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use crate::support::{Dovecot, SmtpSink, TestDir};

const USER: &str = "assistant@office.test";
const PASSWORD: &str = "secret";
const MESSAGES: usize = 200;

pub fn run() {
    println!(
        "== latency: {MESSAGES} messages delivered one at a time to a running clerk, until each reply is accepted by SMTP"
    );
    measure("IDLE + burst polling (default)", "poll_interval = \"1h\"\n");
    measure("IDLE only (burst_window = 0)", "poll_interval = \"1h\"\nburst_window = \"0s\"\n");
    measure("polling every 1 s, no IDLE", "idle = false\nburst_window = \"0s\"\npoll_interval = \"1s\"\n");
}

fn measure(what: &str, mailbox_settings: &str) {
    let dovecot = Dovecot::start(&[(USER, PASSWORD)]);
    let sink = SmtpSink::start();
    let office = TestDir::new("clerk-bench-latency");
    let root = office.path();
    std::fs::create_dir_all(root.join("rules/templates")).expect("creating the rules dir");
    std::fs::write(
        root.join("rules/office.toml"),
        "[office]\nname = \"Bench Office\"\ntimezone = \"UTC\"\n[assistant]\naddress = \"assistant@office.test\"\n\
         [[owner]]\nname = \"Owner\"\naddress = \"owner@office.test\"\n",
    )
    .expect("writing office.toml");
    std::fs::write(root.join("rules/answer.rules.toml"), "[[rule]]\nname = \"answer\"\nreply = \"ack\"\n")
        .expect("writing the rules");
    std::fs::write(root.join("rules/templates/ack.txt"), "Thank you, {{ message.from_name }}.\n")
        .expect("writing the template");
    crate::write_password(&root.join("password"), PASSWORD);
    std::fs::write(
        root.join("clerk.toml"),
        format!(
            "[[mailbox]]\nname = \"bench\"\nurl = \"imap://127.0.0.1:{}\"\nuser = \"{USER}\"\npassword_file = \"password\"\n\
             {mailbox_settings}\n[smtp]\nurl = \"smtp://127.0.0.1:{}\"\n",
            dovecot.imap_port(),
            sink.port()
        ),
    )
    .expect("writing clerk.toml");
    let log = root.join("clerk.log");
    let mut clerk = Command::new(env!("CARGO_BIN_EXE_clerk"))
        .arg("--config")
        .arg(root.join("clerk.toml"))
        .args(["--log", if std::env::var_os("CLERK_BENCH_LOG").is_some() { "debug" } else { "info" }, "run"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("creating the log"))
        .spawn()
        .expect("starting clerk");
    let watching = crate::support::wait_until(Duration::from_secs(30), || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("watching"))
    });
    assert!(watching, "clerk did not start");

    let mut latencies = Vec::with_capacity(MESSAGES);
    let mut delivery = Vec::with_capacity(MESSAGES);
    for n in 0..MESSAGES {
        let raw = format!(
            "From: Sender {n} <sender{n}@example.test>\r\nTo: {USER}\r\nSubject: Question {n}\r\n\
             Message-ID: <latency{n}@example.test>\r\n\r\nA question.\r\n"
        );
        let sent = SystemTime::now();
        dovecot.deliver(USER, raw.as_bytes());
        delivery.push(sent.elapsed().unwrap_or_default());
        let arrived = crate::support::wait_until(Duration::from_secs(30), || reply_count(&sink) > n);
        assert!(arrived, "no reply to message {n}:\n{}", std::fs::read_to_string(&log).unwrap_or_default());
        let accepted = reply_time(&sink, n);
        latencies.push(accepted.duration_since(sent).unwrap_or_default());
    }
    if std::env::var_os("CLERK_BENCH_LOG").is_some() {
        eprintln!("{}", std::fs::read_to_string(&log).unwrap_or_default());
    }
    clerk.kill().ok();
    clerk.wait().ok();
    latencies.sort();
    delivery.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {what:<32} p50 {:.0} ms, p90 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        ms(latencies[MESSAGES / 2]),
        ms(latencies[MESSAGES * 9 / 10]),
        ms(latencies[MESSAGES * 99 / 100]),
        ms(latencies[MESSAGES - 1])
    );
    println!(
        "  {:<32} (of which the LMTP delivery into the mailbox: p50 {:.0} ms)",
        "",
        ms(delivery[MESSAGES / 2])
    );
}

fn reply_count(sink: &SmtpSink) -> usize {
    std::fs::read_dir(sink.mail_dir())
        .map(|d| {
            d.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "eml")).count()
        })
        .unwrap_or(0)
}

/// When the sink stored reply `n` (its file is written before the server answers 250).
fn reply_time(sink: &SmtpSink, n: usize) -> SystemTime {
    let mut files: Vec<_> = std::fs::read_dir(sink.mail_dir())
        .expect("reading the sink")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    let path = &files[n];
    std::fs::metadata(path).and_then(|m| m.modified()).expect("reading the reply's time")
}
