//! OAuth2 sign-in against real servers: Dovecot takes AUTH XOAUTH2 through its oauth2 passdb and the SMTP
//! sink takes only XOAUTH2, both checking each token with a local authorization server, which also serves
//! `clerk auth`'s device-code and browser sign-ins. No password is configured anywhere.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::clerk::{ASSISTANT, CUSTOMER, OFFICE_RULES, Office, mail, office_users};
use support::oauth_server::{CLIENT_SECRET_FILE, OAuthServer};
use support::process::http_get;
use support::{Dovecot, SmtpSink};

const WAIT: Duration = Duration::from_secs(30);

/// A Dovecot, an SMTP sink and an office that sign in to both with `[oauth2.office]` from `server`.
fn oauth_office(server: &OAuthServer) -> (Dovecot, SmtpSink, Office) {
    let dovecot = Dovecot::builder().users(&office_users()).oauth2(&server.url("introspect")).start();
    let sink = SmtpSink::builder().xoauth2(&server.url("introspect")).start();
    let office = Office::new(&dovecot, &sink, OFFICE_RULES, "backfill = \"all\"");
    let config = std::fs::read_to_string(office.config()).unwrap();
    assert!(config.contains("password_file = \"imap-password\"\n"), "{config}");
    std::fs::write(
        office.config(),
        config.replace("password_file = \"imap-password\"\n", "oauth2 = \"office\"\n"),
    )
    .unwrap();
    if let Some(secret) = server.client_secret() {
        std::fs::write(office.dir.path().join(CLIENT_SECRET_FILE), secret).unwrap();
    }
    // [smtp] is the config's last table: these lines join it.
    office.append_config(&format!(
        "user = \"{ASSISTANT}\"\noauth2 = \"office\"\n\n{}",
        server.config_table("office")
    ));
    (dovecot, sink, office)
}

fn token_file(office: &Office) -> std::path::PathBuf {
    office.dir.path().join("oauth2-office.token")
}

/// `clerk auth` with its stdout piped (and stdin, to paste into).
fn start_auth(office: &Office, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_clerk"))
        .arg("--config")
        .arg(office.config())
        .arg("auth")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting clerk auth")
}

/// Reads clerk's output until a line satisfies `wanted`; returns that line (trimmed).
fn read_until(lines: &mut impl Iterator<Item = String>, wanted: impl Fn(&str) -> bool) -> String {
    lines.map(|l| l.trim().to_string()).find(|l| wanted(l)).expect("clerk auth ended before saying it")
}

/// Waits for `clerk auth` to finish; panics with its stderr if it fails or takes longer than [`WAIT`].
fn finish(mut child: Child) {
    let started = Instant::now();
    while child.try_wait().expect("waiting for clerk auth").is_none() {
        if started.elapsed() > WAIT {
            child.kill().ok();
            panic!("clerk auth did not finish in {WAIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("clerk auth's output");
    assert!(output.status.success(), "clerk auth failed: {}", String::from_utf8_lossy(&output.stderr));
}

fn stdout_lines(child: &mut Child) -> impl Iterator<Item = String> + Send + use<> {
    BufReader::new(child.stdout.take().expect("piped stdout")).lines().map_while(Result::ok)
}

/// The value of `name` in the Location header of an HTTP response.
fn location(response: &str) -> String {
    response
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap_or_else(|| panic!("no redirect: {response}"))
        .trim()
        .to_string()
}

#[test]
fn a_mailbox_signed_in_with_oauth2_is_read_and_answered_over_xoauth2() {
    let server = OAuthServer::builder(ASSISTANT).refresh_token("rt-office").start();
    let (dovecot, sink, office) = oauth_office(&server);
    std::fs::write(token_file(&office), "rt-office\n").unwrap();
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q1@example.test"));

    let clerk = office.start();
    let replies = sink.wait_for(1, WAIT);
    assert_eq!(replies[0].rcpt_tos, vec![CUSTOMER.to_string()]);
    assert_eq!(replies[0].auth_login.as_deref(), Some(ASSISTANT), "the sink takes XOAUTH2 only");
    assert!(dovecot.log().contains("method=XOAUTH2"), "{}", dovecot.log());
    // IMAP and SMTP shared one access token: one refresh for both.
    assert_eq!(server.count("refreshes"), 1, "{}", clerk.log());
}

#[test]
fn an_expired_access_token_is_renewed_when_clerk_connects_again() {
    let server = OAuthServer::builder(ASSISTANT).refresh_token("rt-office").lifetime(3).start();
    let (mut dovecot, sink, office) = oauth_office(&server);
    std::fs::write(token_file(&office), "rt-office\n").unwrap();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());
    let first = server.count("refreshes");

    // The token clerk logged in with dies; a restarted server makes clerk log in again.
    std::thread::sleep(Duration::from_secs(4));
    dovecot.stop();
    dovecot.start_again();
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q2@example.test"));

    sink.wait_for(1, WAIT);
    assert!(server.count("refreshes") > first, "{}", clerk.log());
}

#[test]
fn an_access_token_a_server_refuses_early_is_dropped_and_replaced() {
    let server = OAuthServer::builder(ASSISTANT).refresh_token("rt-office").start();
    let (mut dovecot, sink, office) = oauth_office(&server);
    std::fs::write(token_file(&office), "rt-office\n").unwrap();
    let clerk = office.start();
    assert!(clerk.wait_for_log("watching", WAIT), "{}", clerk.log());
    assert_eq!(server.count("refreshes"), 1);

    // The token has an hour left by clerk's clock, but the provider has withdrawn it.
    server.expire_access_tokens();
    dovecot.stop();
    dovecot.start_again();
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q8@example.test"));

    sink.wait_for(1, WAIT);
    assert_eq!(server.count("refreshes"), 2, "{}", clerk.log());
}

#[test]
fn a_revoked_sign_in_is_reported_with_what_to_do_and_mail_waits() {
    let server = OAuthServer::builder(ASSISTANT).start();
    let (dovecot, _sink, office) = oauth_office(&server);
    std::fs::write(token_file(&office), "rt-revoked\n").unwrap();
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q3@example.test"));

    let clerk = office.start();
    let told = "the provider refused: invalid_grant (Token has been expired or revoked.); if access was revoked \
                or has expired, sign in again with `clerk auth office`";
    assert!(clerk.wait_for_log(told, WAIT), "{}", clerk.log());
    assert_eq!(dovecot.messages(ASSISTANT, "INBOX").len(), 1);
}

#[test]
fn without_a_sign_in_clerk_check_and_run_say_to_run_clerk_auth() {
    let server = OAuthServer::builder(ASSISTANT).start();
    let (_dovecot, _sink, office) = oauth_office(&server);
    let said = "[oauth2.office]: nobody has signed in yet";

    let (passed, report) = office.command(&["check"]);
    assert!(!passed && report.contains(said) && report.contains("run `clerk auth office`"), "{report}");
    let run =
        Command::new(env!("CARGO_BIN_EXE_clerk")).arg("--config").arg(office.config()).arg("run").output();
    let run = run.expect("running clerk");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains(said), "{}", String::from_utf8_lossy(&run.stderr));
}

#[test]
fn clerk_auth_with_a_device_code_saves_a_private_refresh_token_the_daemon_then_uses() {
    let server = OAuthServer::builder(ASSISTANT).start();
    let (dovecot, sink, office) = oauth_office(&server);

    let mut auth = start_auth(&office, &["office"]);
    let mut lines = stdout_lines(&mut auth);
    read_until(&mut lines, |l| l == server.url("device-login"));
    let code = read_until(&mut lines, |l| l.len() == 9 && l.as_bytes()[4] == b'-');
    // The person types the code on the provider's page and agrees.
    assert!(server.browse(&format!("/approve?user_code={code}")).starts_with("HTTP/1.0 200"));
    std::thread::spawn(move || lines.for_each(drop));
    finish(auth);

    let mode = std::fs::metadata(token_file(&office)).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q4@example.test"));
    office.run_once();
    assert_eq!(sink.wait_for(1, WAIT)[0].auth_login.as_deref(), Some(ASSISTANT));
}

#[test]
fn clerk_auth_in_a_browser_takes_the_code_the_browser_brings_back() {
    let server = OAuthServer::builder(ASSISTANT).client_secret("desktop-app-secret").start();
    let (dovecot, sink, office) = oauth_office(&server);

    let mut auth = start_auth(&office, &["office", "--browser"]);
    let mut lines = stdout_lines(&mut auth);
    let link = read_until(&mut lines, |l| l.starts_with(&server.url("authorize")));
    std::thread::spawn(move || lines.for_each(drop));
    // The browser: the provider sends it back to clerk's loopback port with the code.
    let back = location(&server.browse(&link));
    let (port, path) = back.trim_start_matches("http://127.0.0.1:").split_once('/').unwrap();
    let port: u16 = port.parse().unwrap();
    // An answer to some other sign-in is turned away, and clerk goes on waiting.
    let stranger = http_get(port, "/?code=planted&state=not-this-one");
    assert!(stranger.starts_with("HTTP/1.1 400"), "{stranger}");
    let page = http_get(port, &format!("/{path}"));
    assert!(page.contains("you can close this page"), "{page}");
    finish(auth);

    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q5@example.test"));
    office.run_once();
    assert_eq!(sink.wait_for(1, WAIT)[0].auth_login.as_deref(), Some(ASSISTANT));
}

#[test]
fn clerk_auth_takes_the_address_pasted_from_a_browser_on_another_computer() {
    let server = OAuthServer::builder(ASSISTANT).start();
    let (_dovecot, _sink, office) = oauth_office(&server);

    let mut auth = start_auth(&office, &["office", "--browser"]);
    let mut lines = stdout_lines(&mut auth);
    let link = read_until(&mut lines, |l| l.starts_with(&server.url("authorize")));
    std::thread::spawn(move || lines.for_each(drop));
    let back = location(&server.browse(&link));
    writeln!(auth.stdin.as_mut().unwrap(), "{back}").unwrap();
    finish(auth);

    assert!(std::fs::read_to_string(token_file(&office)).unwrap().starts_with("rt-"));
}

#[test]
fn a_rotated_refresh_token_is_saved_so_the_next_start_can_use_it() {
    let server = OAuthServer::builder(ASSISTANT).refresh_token("rt-first").rotate().start();
    let (dovecot, sink, office) = oauth_office(&server);
    std::fs::write(token_file(&office), "rt-first\n").unwrap();

    dovecot.deliver(ASSISTANT, &mail(CUSTOMER, "A question", "q6@example.test"));
    office.run_once();
    let rotated = std::fs::read_to_string(token_file(&office)).unwrap();
    assert_ne!(rotated.trim(), "rt-first");
    // "rt-first" no longer works: the second run can only sign in with the saved one.
    dovecot.deliver(ASSISTANT, &mail("bob@example.test", "Another question", "q7@example.test"));
    office.run_once();
    assert_eq!(sink.wait_for(2, WAIT).len(), 2);
}
