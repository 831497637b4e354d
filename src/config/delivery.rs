//! `[smtp]` or `[outbox]`: how the mail clerk writes leaves — submitted to an SMTP server, or written as
//! files into a directory (the default, beside the config).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::errors::Problem;
use super::secrets::{Providers, credential};
use super::servers::{Security, server};
use super::{Files, readable_file};
use crate::secret::Credential;

/// How outbound mail leaves.
#[derive(Debug, Clone)]
pub enum Delivery {
    Smtp(SmtpAccount),
    /// Written as `.eml` files into this directory (the embedded default).
    Directory(PathBuf),
}

/// An SMTP submission account.
#[derive(Debug, Clone)]
pub struct SmtpAccount {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub user: Option<String>,
    /// Present exactly when `user` is.
    pub credential: Option<Credential>,
    pub ca_file: Option<PathBuf>,
    /// Send a mail whose delivery a crash left in doubt again (a possible duplicate) instead of holding
    /// it for a person to release. Default false: clerk never sends the same mail twice on its own.
    pub resend_uncertain: bool,
}

#[derive(Deserialize)]
pub(super) struct RawSmtp {
    url: Spanned<String>,
    resend_uncertain: Option<bool>,
    user: Option<String>,
    password_file: Option<Spanned<PathBuf>>,
    password_env: Option<Spanned<String>>,
    oauth2: Option<Spanned<String>>,
    ca_file: Option<Spanned<PathBuf>>,
}

#[derive(Deserialize)]
pub(super) struct RawOutbox {
    dir: PathBuf,
}

/// The way mail leaves: `[smtp]`, `[outbox]`, or the `outbox` directory beside the config when neither
/// is set; `None` when the tables have problems, which are added to `problems`.
pub(super) fn delivery(
    smtp: Option<&Spanned<RawSmtp>>,
    outbox: Option<&RawOutbox>,
    base: &Path,
    files: Files,
    providers: &Providers,
    problems: &mut Vec<Problem>,
) -> Option<Delivery> {
    match (smtp, outbox) {
        (Some(smtp), Some(_)) => {
            problems
                .push((smtp.span(), "both [smtp] and [outbox] are set: choose one way to send mail".into()));
            None
        }
        (Some(smtp), None) => match smtp_account(smtp.get_ref(), base, files, providers) {
            Ok(account) => Some(Delivery::Smtp(account)),
            Err(mut found) => {
                problems.append(&mut found);
                None
            }
        },
        (None, Some(outbox)) => Some(Delivery::Directory(base.join(&outbox.dir))),
        (None, None) => Some(Delivery::Directory(base.join("outbox"))),
    }
}

fn smtp_account(
    raw: &RawSmtp,
    base: &Path,
    files: Files,
    providers: &Providers,
) -> Result<SmtpAccount, Vec<Problem>> {
    let span = raw.url.span();
    let (host, port, security) =
        server(raw.url.get_ref(), "smtps", 465, "smtp", 587).map_err(|e| vec![(span.clone(), e)])?;
    let credential =
        credential(&raw.password_file, &raw.password_env, &raw.oauth2, base, &span, files, providers)?;
    if raw.user.is_some() != credential.is_some() {
        return Err(vec![(
            span,
            "[smtp] needs both `user` and a password (`password_file` or `password_env`) or `oauth2`, or \
             neither"
                .into(),
        )]);
    }
    Ok(SmtpAccount {
        host,
        port,
        security,
        user: raw.user.clone(),
        credential,
        ca_file: raw
            .ca_file
            .as_ref()
            .map(|p| readable_file(p, "ca_file", base, files))
            .transpose()
            .map_err(|p| vec![p])?,
        resend_uncertain: raw.resend_uncertain.unwrap_or(false),
    })
}
