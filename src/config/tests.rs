//! Specifications of clerk.toml loading: defaults, URL schemes and located errors.

use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/etc/clerk/clerk.toml"))
}

fn errors(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn an_empty_config_is_the_embedded_default() {
    let config = parse("").unwrap();
    assert_eq!(config.database, Path::new("/etc/clerk/clerk.db"));
    assert_eq!(config.rules_dir, Path::new("/etc/clerk/rules"));
    assert!(matches!(config.delivery, Delivery::Directory(ref d) if d == Path::new("/etc/clerk/outbox")));
}

#[test]
fn an_imaps_mailbox_gets_the_documented_defaults() {
    let config = parse(
        r#"
        [[mailbox]]
        name = "office"
        url = "imaps://imap.example.com"
        user = "assistant@example.com"
        password_env = "IMAP_PASSWORD"
        "#,
    )
    .unwrap();
    let m = &config.mailboxes[0];
    assert_eq!(m.folders, vec!["INBOX"]);
    assert!(m.idle);
    assert_eq!(m.poll_interval, Duration::from_secs(60));
    assert_eq!(m.backfill, Backfill::None);
    assert_eq!(m.max_message_size, 25_000_000);
    let Source::Imap(account) = &m.source else { panic!("expected IMAP") };
    assert_eq!(
        (account.host.as_str(), account.port, account.security),
        ("imap.example.com", 993, Security::Tls)
    );
}

#[test]
fn plain_imap_to_a_remote_host_requires_starttls() {
    let config = parse(
        "[[mailbox]]\nname = \"a\"\nurl = \"imap://mail.example.com\"\nuser = \"u\"\npassword_env = \"P\"\n",
    )
    .unwrap();
    let Source::Imap(account) = &config.mailboxes[0].source else { panic!() };
    assert_eq!((account.port, account.security), (143, Security::StartTls));
}

#[test]
fn plain_imap_on_loopback_may_go_without_tls() {
    let config = parse(
        "[[mailbox]]\nname = \"a\"\nurl = \"imap://127.0.0.1:1143\"\nuser = \"u\"\npassword_env = \"P\"\n",
    )
    .unwrap();
    let Source::Imap(account) = &config.mailboxes[0].source else { panic!() };
    assert_eq!((account.port, account.security), (1143, Security::LoopbackPlain));
}

#[test]
fn a_maildir_url_is_relative_to_the_config_file() {
    let config = parse("[[mailbox]]\nname = \"local\"\nurl = \"maildir:mail/inbox\"\n").unwrap();
    assert!(
        matches!(&config.mailboxes[0].source, Source::Maildir(p) if p == Path::new("/etc/clerk/mail/inbox"))
    );
}

#[test]
fn an_unknown_key_is_reported_with_its_line() {
    let message = errors("[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\npoll_intervall = 5\n");
    assert!(message.starts_with("/etc/clerk/clerk.toml:4:1: unknown field `poll_intervall`"), "{message}");
}

#[test]
fn a_bad_scheme_is_reported_at_the_url() {
    let message = errors(
        "[[mailbox]]\nname = \"a\"\nurl = \"pop3://mail.example.com\"\nuser = \"u\"\npassword_env = \"P\"\n",
    );
    assert!(message.starts_with("/etc/clerk/clerk.toml:3:7: unsupported scheme `pop3`"), "{message}");
}

#[test]
fn a_password_in_the_url_is_refused_without_repeating_it() {
    let message = errors(
        "[[mailbox]]\nname = \"a\"\nurl = \"imaps://u:hunter2@mail.example.com\"\nuser = \"u\"\npassword_env = \"P\"\n",
    );
    assert!(message.contains("not in the URL"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}

#[test]
fn every_mailbox_error_is_reported_at_once() {
    let message = errors(
        "[[mailbox]]\nname = \"a\"\nurl = \"imaps://x\"\n\n[[mailbox]]\nname = \"b\"\nurl = \"maildir:/m\"\nbackfill = \"yesterday\"\n",
    );
    assert_eq!(message.lines().count(), 2, "{message}");
    assert!(message.contains(":3:7: an IMAP mailbox needs `user`"), "{message}");
    assert!(message.contains(":8:12: `backfill = \"yesterday\"`"), "{message}");
}

#[test]
fn backfill_accepts_a_start_date() {
    let config =
        parse("[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\nbackfill = \"since:2026-01-31\"\n").unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    assert_eq!(config.mailboxes[0].backfill, Backfill::Since(day));
}

#[test]
fn smtp_and_outbox_together_are_refused() {
    let message = errors("[smtp]\nurl = \"smtps://smtp.example.com\"\n\n[outbox]\ndir = \"out\"\n");
    assert!(message.contains("choose one"), "{message}");
}

#[test]
fn smtp_defaults_to_submission_with_starttls() {
    let config =
        parse("[smtp]\nurl = \"smtp://smtp.example.com\"\nuser = \"u\"\npassword_file = \"pw\"\n").unwrap();
    let Delivery::Smtp(smtp) = config.delivery else { panic!() };
    assert_eq!((smtp.port, smtp.security), (587, Security::StartTls));
    assert_eq!(smtp.password, Some(SecretSource::File("/etc/clerk/pw".into())));
}

#[test]
fn sizes_and_durations_take_units() {
    let config =
        parse("[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\npoll_interval = \"5m\"\nmax_message_size = \"10MB\"\n").unwrap();
    assert_eq!(config.mailboxes[0].poll_interval, Duration::from_secs(300));
    assert_eq!(config.mailboxes[0].max_message_size, 10_000_000);
}

#[test]
fn a_duplicate_key_is_shown_with_its_line() {
    let message = errors("[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\nname = \"b\"\n");
    assert!(message.starts_with("/etc/clerk/clerk.toml:4:1: duplicate key: `name = \"b\"`"), "{message}");
}
