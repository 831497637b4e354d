//! `/metrics` on the daemon's HTTP listener: messages by desk and rule, the outbox, IMAP reconnects and
//! the processing-time histogram, in Prometheus' text format. Against a real Dovecot and SMTP server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::time::Duration;

use support::clerk::{ASSISTANT, CUSTOMER, OFFICE_RULES, Office, mail, office_users};
use support::process::http_get as get;
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn metrics_show_the_work_the_outbox_the_reconnects_and_the_processing_time() {
    let mut dovecot = Dovecot::start(&office_users());
    let sink = SmtpSink::start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, "");
    let port = support::free_port();
    office.append_config(&format!("[http]\nlisten = \"127.0.0.1:{port}\""));
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q@example.test"));
    sink.wait_for(1, WAIT);

    let sent =
        support::wait_until(WAIT, || get(port, "/metrics").contains("clerk_outbox_mail{status=\"sent\"} 1"));
    let metrics = get(port, "/metrics");
    assert!(sent, "{metrics}");
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    assert!(metrics.contains("text/plain; version=0.0.4"), "{metrics}");
    assert!(
        metrics.contains("clerk_messages_total{status=\"processed\",desk=\"-\",rule=\"questions\"} 1\n"),
        "{metrics}"
    );
    assert!(metrics.contains("clerk_processing_seconds_count 1\n"), "{metrics}");
    assert!(
        metrics.contains("clerk_imap_reconnects_total{mailbox=\"office\",folder=\"INBOX\"} 0\n"),
        "{metrics}"
    );

    dovecot.stop();
    // Each retry while the server is away counts again, so any count from 1 up is right.
    let reconnects = || {
        let metrics = get(port, "/metrics");
        let line = metrics.lines().find(|l| l.starts_with("clerk_imap_reconnects_total{"))?.to_string();
        line.rsplit(' ').next()?.parse::<u64>().ok()
    };
    let counted = support::wait_until(WAIT, || reconnects().is_some_and(|n| n >= 1));
    assert!(counted, "{}\n{}", get(port, "/metrics"), clerk.log());
}
