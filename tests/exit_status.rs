//! The exit statuses the README promises: 0 when the command did what was asked, 2 when it could not
//! (a mistyped command line, a configuration that cannot be found). `clerk check`'s 1 for a problem
//! found is tested in tests/check.rs, the stuck message's 70 in tests/poison.rs.

#![allow(clippy::expect_used, reason = "a test that fails to unwrap has failed, as it should")]

use std::process::{Command, Output};

fn clerk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clerk")).args(args).output().expect("running clerk")
}

#[test]
fn help_exits_0() {
    assert_eq!(clerk(&["--help"]).status.code(), Some(0));
}

#[test]
fn a_command_clerk_does_not_know_exits_2_and_says_so() {
    let out = clerk(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("frobnicate"));
}

#[test]
fn a_config_that_is_not_there_exits_2_naming_it() {
    let out = clerk(&["--config", "/nonexistent/clerk.toml", "status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/clerk.toml"));
}
