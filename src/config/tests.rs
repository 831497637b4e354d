//! Specifications of clerk.toml loading: defaults, URL schemes and located errors.

use std::time::Duration;

use super::*;
use crate::secret::{Credential, SecretSource};

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
    assert!(
        message.starts_with(
            "/etc/clerk/clerk.toml:4:1: unknown key `mailbox.poll_intervall`, did you mean `mailbox.poll_interval`?"
        ),
        "{message}"
    );
}

#[test]
fn every_unknown_key_is_reported_at_once_each_with_a_suggestion() {
    let message = errors(
        "[databse]\npath = \"clerk.db\"\n\n\
         [[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\npoll_intervall = \"5m\"\n\n\
         [smtp]\nurl = \"smtp://127.0.0.1:2525\"\npasword_file = \"pw\"\n\n\
         [oauth2.work]\nprovider = \"google\"\nclient_idd = \"x\"\n",
    );
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines,
        [
            "/etc/clerk/clerk.toml:1:2: unknown key `databse`, did you mean `database`?",
            "/etc/clerk/clerk.toml:7:1: unknown key `mailbox.poll_intervall`, did you mean `mailbox.poll_interval`?",
            "/etc/clerk/clerk.toml:11:1: unknown key `smtp.pasword_file`, did you mean `smtp.password_file`?",
            "/etc/clerk/clerk.toml:13:1: [oauth2.work] needs `client_id`: the id of the app registered with the \
             provider",
            "/etc/clerk/clerk.toml:15:1: unknown key `oauth2.work.client_idd`, did you mean `oauth2.work.client_id`?",
        ],
        "{message}"
    );
}

#[test]
fn unknown_keys_and_wrong_values_are_reported_together() {
    let message = errors("[log]\nlevel = \"clerk=loud\"\n\n[http]\nlisten = \"127.0.0.1:8025\"\nlistn = 1\n");
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 2, "{message}");
    assert!(lines[0].starts_with("/etc/clerk/clerk.toml:2:9: `level`"), "{message}");
    assert!(lines[1].starts_with("/etc/clerk/clerk.toml:6:1: unknown key `http.listn`"), "{message}");
}

#[test]
fn the_keys_checked_are_the_fields_serde_reads() {
    let fields = super::keys::fields_of::<super::mailboxes::RawMailbox>();
    assert!(fields.contains(&"poll_interval") && fields.contains(&"max_message_size"), "{fields:?}");
    assert!(super::keys::fields_of::<RawConfig>().contains(&"oauth2"));
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
    assert!(
        matches!(smtp.credential, Some(Credential::Password(SecretSource::File(ref f))) if f == Path::new("/etc/clerk/pw"))
    );
}

const MICROSOFT: &str = r#"
[oauth2.m365]
provider = "microsoft"
tenant = "contoso.onmicrosoft.com"
client_id = "00000000-1111-2222-3333-444444444444"

[[mailbox]]
name = "office"
url = "imaps://outlook.office365.com"
user = "assistant@contoso.example"
oauth2 = "m365"

[smtp]
url = "smtp://smtp.office365.com"
user = "assistant@contoso.example"
oauth2 = "m365"
"#;

#[test]
fn a_microsoft_provider_fills_in_its_endpoints_scopes_and_the_token_file_beside_the_database() {
    let config = parse(MICROSOFT).unwrap();
    let provider = config.oauth2["m365"].provider();
    let base = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0";
    assert_eq!(provider.token_url.as_str(), format!("{base}/token"));
    assert_eq!(
        provider.device_authorization_url.as_ref().map(|u| u.as_str()),
        Some(&*format!("{base}/devicecode"))
    );
    assert!(provider.scopes.iter().any(|s| s == "offline_access"), "{:?}", provider.scopes);
    assert_eq!(provider.refresh_token_file, Path::new("/etc/clerk/oauth2-m365.token"));
}

#[test]
fn mailboxes_and_smtp_that_name_a_provider_share_its_tokens() {
    let config = parse(MICROSOFT).unwrap();
    let Source::Imap(account) = &config.mailboxes[0].source else { panic!("expected IMAP") };
    let Credential::OAuth2(imap) = &account.credential else { panic!("expected OAuth2") };
    let Delivery::Smtp(smtp) = &config.delivery else { panic!("expected SMTP") };
    let Some(Credential::OAuth2(smtp)) = &smtp.credential else { panic!("expected OAuth2") };
    assert!(Arc::ptr_eq(imap, smtp));
}

#[test]
fn a_provider_without_a_preset_needs_a_token_url() {
    let message = errors("[oauth2.own]\nclient_id = \"x\"\n");
    assert!(message.contains("clerk.toml:1:1: [oauth2.own] needs `provider`"), "{message}");
}

#[test]
fn a_token_url_must_be_https_except_on_loopback() {
    let message = errors("[oauth2.own]\nclient_id = \"x\"\ntoken_url = \"http://auth.example.com/token\"\n");
    assert!(
        message.contains("clerk.toml:3:13: `token_url`: `http://auth.example.com/token` must be an https://"),
        "{message}"
    );
    assert!(parse("[oauth2.own]\nclient_id = \"x\"\ntoken_url = \"http://127.0.0.1:8080/token\"\n").is_ok());
}

#[test]
fn a_mailbox_naming_a_missing_provider_is_told_which_there_are() {
    let text = MICROSOFT.replace("oauth2 = \"m365\"\n\n[smtp]", "oauth2 = \"google\"\n\n[smtp]");
    let message = errors(&text);
    assert!(message.contains("`oauth2 = \"google\"`: no [oauth2.google] table ([oauth2.m365])"), "{message}");
}

#[test]
fn a_password_and_oauth2_together_are_refused() {
    let text =
        MICROSOFT.replace("oauth2 = \"m365\"\n\n[smtp]", "oauth2 = \"m365\"\npassword_env = \"P\"\n\n[smtp]");
    let message = errors(&text);
    assert!(message.contains("not both"), "{message}");
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
    assert!(
        message.starts_with("/etc/clerk/clerk.toml:4:1: TOML syntax error: duplicate key: `name = \"b\"`"),
        "{message}"
    );
}

/// Writes `text` as clerk.toml into a fresh directory (with a rules/ beside it) and loads it.
fn load_written(text: &str) -> Result<Config, ConfigError> {
    let dir = std::env::temp_dir().join(format!("clerk-config-{}-{}", std::process::id(), fastrand::u64(..)));
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("pw"), "secret\n").unwrap();
    std::fs::write(dir.join("clerk.toml"), text).unwrap();
    let loaded = Config::load(&dir.join("clerk.toml"));
    std::fs::remove_dir_all(&dir).ok();
    loaded
}

const IMAP: &str =
    "[[mailbox]]\nname = \"office\"\nurl = \"imaps://imap.example.com\"\nuser = \"a@example.com\"\n";

#[test]
fn loading_checks_that_the_files_named_can_be_read() {
    assert!(load_written(&format!("{IMAP}password_file = \"pw\"\n")).is_ok());
    let error = load_written(&format!("{IMAP}password_file = \"missing-pw\"\n")).unwrap_err().to_string();
    assert!(error.contains("clerk.toml:5:17: `password_file`: cannot read "), "{error}");
    assert!(error.contains("missing-pw"), "{error}");
    let error = load_written(&format!("{IMAP}password_file = \"pw\"\nca_file = \"ca.pem\"\n"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("clerk.toml:6:11: `ca_file`: cannot read "), "{error}");
}

#[test]
fn loading_checks_that_a_password_variable_is_set() {
    let error = load_written(&format!("{IMAP}password_env = \"CLERK_TEST_SURELY_UNSET\"\n")).unwrap_err();
    assert!(
        error.to_string().contains(
            "clerk.toml:5:16: `password_env`: the environment variable CLERK_TEST_SURELY_UNSET is not set"
        ),
        "{error}"
    );
}

#[test]
fn a_database_in_a_folder_that_does_not_exist_is_an_error_naming_it() {
    let error = load_written("[database]\npath = \"state/clerk.db\"\n").unwrap_err().to_string();
    assert!(error.contains("clerk.toml:2:8: `path`: "), "{error}");
    assert!(error.contains("state/clerk.db is in a folder that does not exist ("), "{error}");
    assert!(load_written("[database]\npath = \"rules/clerk.db\"\n").is_ok(), "an existing folder will do");
}

#[test]
fn loading_checks_that_the_rules_directory_exists() {
    let error = load_written("[rules]\ndir = \"elsewhere\"\n").unwrap_err().to_string();
    assert!(error.contains("clerk.toml:2:7: `dir`: no rules directory at "), "{error}");
}

#[test]
fn a_value_of_the_wrong_type_says_what_was_expected_and_what_was_found() {
    let error = errors("[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\nidle = \"yes\"\n");
    assert_eq!(error, "/etc/clerk/clerk.toml:4:8: expected true or false for `mailbox.idle`, found \"yes\"");
}

#[test]
fn every_wrong_value_is_reported_at_once_with_the_unknown_keys_in_file_order() {
    let message = errors(
        "[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\nidle = \"yes\"\npoll_interval = true\n\n\
         [feeds]\nrefresh = [1]\nreffresh = \"1m\"\n\n\
         [log]\nlevel = 5\n",
    );
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines,
        [
            "/etc/clerk/clerk.toml:4:8: expected true or false for `mailbox.idle`, found \"yes\"",
            "/etc/clerk/clerk.toml:5:17: expected a period such as \"60s\" or \"5m\", or a number of seconds \
             for `mailbox.poll_interval`, found true",
            "/etc/clerk/clerk.toml:8:11: expected a period such as \"60s\" or \"5m\", or a number of seconds \
             for `feeds.refresh`, found a list",
            "/etc/clerk/clerk.toml:9:1: unknown key `feeds.reffresh`, did you mean `feeds.refresh`?",
            "/etc/clerk/clerk.toml:12:9: expected a string for `log.level`, found 5",
        ],
        "{message}"
    );
}

#[test]
fn a_negative_period_is_refused_at_its_value() {
    let error = errors("[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\ntime_budget = -5\n");
    assert!(
        error.ends_with(
            "4:15: expected a period such as \"60s\" or \"5m\", or a number of seconds for \
         `mailbox.time_budget`, found -5"
        ),
        "{error}"
    );
}

#[test]
fn a_required_value_of_the_wrong_type_is_reported_once_not_again_as_missing() {
    let message = errors("[smtp]\nurl = 25\n\n[[mailbox]]\nname = 7\nurl = \"maildir:/m\"\n");
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines,
        [
            "/etc/clerk/clerk.toml:2:7: expected a string for `smtp.url`, found 25",
            "/etc/clerk/clerk.toml:5:8: expected a string for `mailbox.name`, found 7",
        ],
        "{message}"
    );
}

#[test]
fn a_missing_required_key_is_reported_at_its_table() {
    let message = errors("[[mailbox]]\nname = \"a\"\n\n[log]\nlevel = 5\n");
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 2, "{message}");
    assert!(lines[0].starts_with("/etc/clerk/clerk.toml:1:") && lines[0].ends_with("missing `mailbox.url`"));
    assert!(lines[1].starts_with("/etc/clerk/clerk.toml:5:9: expected a string for `log.level`"));
}

#[test]
fn a_check_that_would_repeat_a_wrong_value_is_left_out() {
    let message = errors(
        "[[mailbox]]\nname = \"a\"\nurl = \"imaps://imap.example.com\"\nuser = 5\npassword_env = \"P\"\n",
    );
    assert_eq!(message, "/etc/clerk/clerk.toml:4:8: expected a string for `mailbox.user`, found 5");
}

#[test]
fn office_tables_in_the_config_point_to_office_toml() {
    let error = errors("[assistant]\naddress = \"a@b.example\"\n");
    assert!(error.contains("are described in office.toml in the rules directory"), "{error}");
}

#[test]
fn a_bad_poll_interval_or_folder_list_is_reported_at_its_key() {
    let error =
        errors("[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\npoll_interval = \"0s\"\nfolders = []\n");
    assert!(error.contains("4:17: `poll_interval` must be longer than zero"), "{error}");
    assert!(error.contains("5:11: `folders` must list at least one non-empty folder name"), "{error}");
}

#[test]
fn the_log_level_can_be_set_in_the_config() {
    assert_eq!(parse("[log]\nlevel = \"debug\"\n").unwrap().log_level.as_deref(), Some("debug"));
    assert_eq!(parse("").unwrap().log_level, None);
}

#[test]
fn a_bad_log_level_is_reported_at_its_key() {
    let text = errors("[log]\nlevel = \"clerk=loud\"\n");
    assert!(text.starts_with("/etc/clerk/clerk.toml:2:9: `level`: "), "{text}");
}

#[test]
fn the_http_listener_is_an_address_and_port() {
    let config = parse("[http]\nlisten = \"127.0.0.1:8025\"\n").unwrap();
    assert_eq!(config.http_listen, Some("127.0.0.1:8025".parse().unwrap()));
    let text = errors("[http]\nlisten = \"localhost\"\n");
    assert!(
        text.starts_with("/etc/clerk/clerk.toml:2:10: `listen`: \"localhost\" is not an address and port"),
        "{text}"
    );
}

#[test]
fn one_sign_in_cannot_serve_two_users() {
    let text = MICROSOFT.replace(
        "[smtp]\nurl = \"smtp://smtp.office365.com\"\nuser = \"assistant@contoso.example\"",
        "[smtp]\nurl = \"smtp://smtp.office365.com\"\nuser = \"someone.else@contoso.example\"",
    );
    let message = errors(&text);
    assert!(message.contains("clerk.toml:2:1: [oauth2.m365] signs in both assistant@contoso.example and someone.else@contoso.example"), "{message}");
}

#[test]
fn a_max_message_size_over_the_memory_budget_is_refused_at_its_line() {
    let text = errors("[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\nmax_message_size = \"100MB\"\n");
    assert!(text.contains(":4:") && text.contains("at most 50MB"), "{text}");
}

#[test]
fn a_time_budget_of_zero_is_refused_and_the_default_is_ten_seconds() {
    let text = errors("[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\ntime_budget = \"0s\"\n");
    assert!(text.contains("`time_budget` must be longer than zero"), "{text}");
    let config = parse("[[mailbox]]\nname = \"a\"\nurl = \"maildir:/m\"\n").unwrap();
    assert_eq!(config.mailboxes[0].time_budget, Duration::from_secs(10));
}
