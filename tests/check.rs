//! `clerk check` on the shipped office and on copies of it with one mistake each: the mistake is
//! reported at its file:line:col (or as expected-versus-got for a test) and the exit code is 1.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::TestDir;
use support::clerk::copy_dir;

/// Runs clerk with `args`; returns the exit code and stdout + stderr.
fn clerk(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_clerk")).args(args).output().expect("running clerk");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// A copy of the shipped rules directory, to break.
fn shipped_copy() -> (TestDir, PathBuf) {
    let dir = TestDir::new("check");
    let rules = dir.path().join("rules");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"), &rules);
    (dir, rules)
}

/// Replaces the one occurrence of `old` in `file` by `new`.
fn edit(file: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert_eq!(text.matches(old).count(), 1, "{old:?} in {}", file.display());
    std::fs::write(file, text.replacen(old, new, 1)).unwrap();
}

/// The 1-based line of `file` that contains `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines().position(|l| l.contains(needle)).expect("the needle is in the file") + 1
}

fn check(rules: &Path) -> (i32, String) {
    clerk(&["check", "--rules", rules.to_str().unwrap()])
}

#[test]
fn the_shipped_office_passes() {
    let (_dir, rules) = shipped_copy();
    let (code, out) = check(&rules);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("16 rules, 22 of 22 tests passed."), "{out}");
    assert!(!out.contains("warning"), "{out}");
}

#[test]
fn a_typoed_key_is_reported_at_its_line_and_column() {
    let (_dir, rules) = shipped_copy();
    let file = rules.join("20-desks.rules.toml");
    edit(&file, "department = \"front-desk\"\nanswer", "departmnet = \"front-desk\"\nanswer");
    let (code, out) = check(&rules);
    assert_eq!(code, 1, "{out}");
    let at = format!("20-desks.rules.toml:{}:1: ", line_of(&file, "departmnet"));
    assert!(out.lines().any(|l| l.contains(&at) && l.contains("departmnet")), "expected {at} in:\n{out}");
    assert!(out.contains("department"), "a suggestion: {out}");
}

#[test]
fn a_bad_regex_is_reported_at_its_line() {
    let (_dir, rules) = shipped_copy();
    let file = rules.join("20-desks.rules.toml");
    edit(&file, "when.intent = \"supply-order\"", "when.from = { regex = \"(unclosed\" }");
    let (code, out) = check(&rules);
    assert_eq!(code, 1, "{out}");
    let at = format!("20-desks.rules.toml:{}:", line_of(&file, "(unclosed"));
    assert!(out.lines().any(|l| l.contains(&at) && l.contains("regex")), "expected {at} in:\n{out}");
}

#[test]
fn an_unknown_template_variable_is_reported_in_the_template() {
    let (_dir, rules) = shipped_copy();
    let file = rules.join("templates/acknowledgment.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("message.from_name", "message.from_nmae", 1)).unwrap();
    let (code, out) = check(&rules);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("templates/acknowledgment.txt:1:"), "{out}");
}

#[test]
fn a_template_that_loops_far_past_its_fuel_fails_check_at_its_line() {
    let (_dir, rules) = shipped_copy();
    let file = rules.join("templates/acknowledgment.txt");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ i * j }}{% endfor %}{% endfor %}\n",
    );
    std::fs::write(&file, text).unwrap();
    let (code, out) = check(&rules);
    assert_eq!(code, 1, "{out}");
    let at = format!("templates/acknowledgment.txt:{}:", line_of(&file, "range(100000)"));
    assert!(
        out.lines().any(|l| l.starts_with("error: ") && l.contains(&at) && l.contains("ran out of fuel")),
        "expected {at} in:\n{out}"
    );
}

#[test]
fn a_rules_directory_without_rules_fails_check_unless_the_office_allows_it() {
    let (_dir, rules) = shipped_copy();
    for file in ["10-filing.rules.toml", "20-desks.rules.toml", "90-fallback.rules.toml"] {
        std::fs::remove_file(rules.join(file)).unwrap();
    }
    let (code, out) = check(&rules);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("no rule files (*.rules.toml): every message would be recorded as handled"),
        "{out}"
    );

    std::fs::write(rules.join("10-filing.rules.toml"), "# the rules will come\n").unwrap();
    let (code, out) = check(&rules);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no [[rule]] in its rule files"), "{out}");

    let office = rules.join("office.toml");
    let text = std::fs::read_to_string(&office).unwrap();
    std::fs::write(&office, format!("{text}\n[rules]\nallow_empty = true\n")).unwrap();
    let (code, out) = check(&rules);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 rules, 0 of 0 tests passed."), "{out}");
}

#[test]
fn a_failing_embedded_test_shows_expected_and_got() {
    let (_dir, rules) = shipped_copy();
    let file = rules.join("20-desks.rules.toml");
    edit(
        &file,
        "expect = { rule = \"supply order\", desk = \"supply\" }",
        "expect = { rule = \"meeting request\", desk = \"supply\" }",
    );
    let (code, out) = check(&rules);
    assert_eq!(code, 1, "{out}");
    let at = format!("20-desks.rules.toml:{}: ", line_of(&file, "samples/supply-toner.eml") - 1);
    let expected = "test expected rule \"meeting request\", got rule \"supply order\"";
    assert!(
        out.lines().any(|l| l.starts_with("FAIL: ") && l.contains(&at) && l.ends_with(expected)),
        "{out}"
    );
    assert!(out.contains("21 of 22 tests passed"), "{out}");
}

#[test]
fn a_rule_an_earlier_one_shadows_is_a_warning_not_a_failure() {
    let (_dir, rules) = shipped_copy();
    std::fs::write(
        rules.join("15-late.rules.toml"),
        "[[rule]]\nname = \"too late\"\nwhen.intent = \"spam\"\nwhen.subject = \"invoice\"\nmove = \"Late\"\n",
    )
    .unwrap();
    let (code, out) = check(&rules);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("warning: ") && out.contains("rule \"too late\" can never match"), "{out}");
    assert!(out.contains("no test expects these rules to decide: too late"), "{out}");
}

#[test]
fn the_configuration_is_checked_with_the_files_it_names() {
    let (dir, rules) = shipped_copy();
    let config = dir.path().join("clerk.toml");
    std::fs::write(
        &config,
        format!(
            "[rules]\ndir = {:?}\n\n[[mailbox]]\nname = \"office\"\nurl = \"imaps://mail.example:993\"\n\
             user = \"assistant\"\npassword_file = \"missing-password\"\n",
            rules.display().to_string()
        ),
    )
    .unwrap();
    let (code, out) = clerk(&["--config", config.to_str().unwrap(), "check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("clerk.toml:8:") && out.contains("missing-password"), "{out}");

    std::fs::write(dir.path().join("missing-password"), "secret").unwrap();
    let (code, out) = clerk(&["--config", config.to_str().unwrap(), "check"]);
    assert_eq!(code, 0, "{out}");
}

/// A config whose IMAP password is in `password`, beside it, with these permission bits.
fn config_with_password_file(mode: u32) -> (TestDir, PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let (dir, rules) = shipped_copy();
    let config = dir.path().join("clerk.toml");
    std::fs::write(
        &config,
        format!(
            "[rules]\ndir = {:?}\n\n[[mailbox]]\nname = \"office\"\nurl = \"imaps://mail.example:993\"\n\
             user = \"assistant\"\npassword_file = \"password\"\n",
            rules.display().to_string()
        ),
    )
    .unwrap();
    let password = dir.path().join("password");
    std::fs::write(&password, "secret\n").unwrap();
    std::fs::set_permissions(&password, std::fs::Permissions::from_mode(mode)).unwrap();
    (dir, config, password)
}

#[test]
fn a_password_file_others_can_read_is_warned_about_with_its_mode_and_the_fix() {
    let (_dir, config, password) = config_with_password_file(0o644);
    let (code, out) = clerk(&["--config", config.to_str().unwrap(), "check"]);
    assert_eq!(code, 0, "a warning, not an error: {out}");
    let warning = format!(
        "warning: mailbox `office` password_file {0} holds a secret and others can read it (mode 0644); \
         restrict it: chmod 600 {0}, or chmod o-rwx {0} if clerk reads it through its group",
        password.display()
    );
    assert!(out.contains(&warning), "{out}");
    assert!(out.contains("1 warning."), "{out}");
}

#[test]
fn a_password_file_for_clerk_alone_is_not_warned_about() {
    let (_dir, config, _password) = config_with_password_file(0o600);
    let (code, out) = clerk(&["--config", config.to_str().unwrap(), "check"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("warning"), "{out}");
}

#[test]
fn a_ticket_in_a_plain_reply_template_fails_check_at_its_line() {
    let (_dir, rules) = shipped_copy();
    std::fs::write(
        rules.join("15-thanks.rules.toml"),
        "[[rule]]\nname = \"thanks\"\nwhen.subject = \"thank you\"\nreply = \"thanks\"\n",
    )
    .unwrap();
    let template = rules.join("templates/thanks.txt");
    std::fs::write(&template, "Thank you for writing.\nYour request is {{ ticket.number }}.\n").unwrap();
    let (code, out) = check(&rules);
    assert_eq!(code, 1, "{out}");
    let at = "templates/thanks.txt:2:";
    assert!(
        out.lines().any(|l| l.starts_with("error: ")
            && l.contains(at)
            && l.contains("`ticket")
            && l.contains("as the reply of rule \"thanks\"")),
        "expected {at} naming `ticket` and the rule in:\n{out}"
    );

    // The same words as the inquiry desk's answer, which has a ticket, pass.
    std::fs::write(
        rules.join("15-thanks.rules.toml"),
        "[[rule]]\nname = \"thanks\"\nwhen.subject = \"thank you\"\ndesk = \"inquiry\"\nanswer = \"thanks\"\n",
    )
    .unwrap();
    let (code, out) = check(&rules);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_forward_note_that_asks_for_a_ticket_fails_check_at_its_line() {
    let (_dir, rules) = shipped_copy();
    let file = rules.join("templates/unsure.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}Ticket: {{{{ ticket.tag }}}}\n")).unwrap();
    let (code, out) = check(&rules);
    assert_eq!(code, 1, "{out}");
    let at = format!("templates/unsure.txt:{}:", line_of(&file, "ticket.tag"));
    assert!(
        out.lines()
            .any(|l| l.contains(&at) && l.contains("as the forward note of rule \"unsure: to a person\"")),
        "expected {at} in:\n{out}"
    );
}

#[test]
fn every_mistake_in_the_configuration_is_reported_at_once() {
    let (dir, rules) = shipped_copy();
    let config = dir.path().join("clerk.toml");
    std::fs::write(
        &config,
        format!(
            "[database]\npath = \"state/clerk.db\"\n\n[rules]\ndir = {:?}\n\n[[mailbox]]\nname = \"office\"\n\
             url = \"maildir:inbox\"\npoll_intervall = \"1m\"\n\n[log]\nlevl = \"info\"\n",
            rules.display().to_string()
        ),
    )
    .unwrap();
    let (code, out) = clerk(&["--config", config.to_str().unwrap(), "check"]);
    assert_eq!(code, 1, "{out}");
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 3, "{out}");
    assert!(
        errors[0].contains("clerk.toml:2:8: `path`: ")
            && errors[0].contains("state/clerk.db is in a folder that does not exist")
    );
    assert!(
        errors[1].contains("clerk.toml:10:1: unknown key")
            && errors[1].contains("did you mean `mailbox.poll_interval`?")
    );
    assert!(
        errors[2].contains("clerk.toml:13:1: unknown key") && errors[2].contains("did you mean `log.level`?")
    );
    assert!(!dir.path().join("state").exists(), "no folder made");
}

#[test]
fn wrong_values_in_three_sections_are_all_reported_with_their_lines() {
    let (dir, rules) = shipped_copy();
    let config = dir.path().join("clerk.toml");
    std::fs::write(
        &config,
        format!(
            "[rules]\ndir = {:?}\n\n[[mailbox]]\nname = \"office\"\nurl = \"maildir:inbox\"\nidle = \"yes\"\n\n\
             [feeds]\nrefresh = false\n\n[http]\nlisten = 8080\n",
            rules.display().to_string()
        ),
    )
    .unwrap();
    let (code, out) = clerk(&["--config", config.to_str().unwrap(), "check"]);
    assert_eq!(code, 1, "{out}");
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 3, "{out}");
    assert!(
        errors[0].contains("clerk.toml:7:8: expected true or false for `mailbox.idle`, found \"yes\""),
        "{out}"
    );
    assert!(
        errors[1].contains("clerk.toml:10:11: expected a period") && errors[1].ends_with("found false"),
        "{out}"
    );
    assert!(errors[2].contains("clerk.toml:13:10: expected a string for `http.listen`, found 8080"), "{out}");
}
