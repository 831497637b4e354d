//! How accounts sign in: a password from a file or an environment variable, or an `[oauth2]` provider.
//! clerk.toml holds only these references, never a secret, and this is where they are resolved and
//! checked — the files readable, the variables set, the sign-ins done, the secret files kept private.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;

use super::errors::Problem;
use super::{Config, Delivery, Files, ImapAccount, MailboxConfig, SmtpAccount, Source, oauth, readable_file};
use crate::secret::oauth::TokenSource;
use crate::secret::{Credential, SecretSource};

impl Config {
    /// One message for each OAuth2 provider an account signs in with that nobody has signed in to yet
    /// (`clerk auth NAME` not run): `clerk check` reports them and the daemon refuses to start, instead
    /// of failing every login.
    pub fn missing_sign_ins(&self) -> Vec<String> {
        let mut used: Vec<&crate::secret::oauth::Provider> = logins(&self.mailboxes, Some(&self.delivery))
            .filter_map(|(_, credential)| match credential {
                Credential::OAuth2(tokens) => Some(tokens.provider()),
                Credential::Password(_) => None,
            })
            .collect();
        used.sort_by(|a, b| a.name.cmp(&b.name));
        used.dedup_by(|a, b| a.name == b.name);
        used.into_iter()
            .filter(|p| !p.is_signed_in())
            .map(|p| {
                let error = crate::secret::oauth::OAuthError::NotSignedIn {
                    name: p.name.clone(),
                    file: p.refresh_token_file.clone(),
                };
                format!("{}: {error}", self.file.display())
            })
            .collect()
    }

    /// The files named here that hold a secret — password files, OAuth client secret and refresh-token
    /// files — that users other than the file's owner and group can read or change. `clerk check` and
    /// the daemon's start warn about each, as ssh does about a private key.
    pub fn open_secret_files(&self) -> Vec<crate::secret::OpenSecretFile> {
        let mut files: Vec<(String, &Path)> = Vec::new();
        for mailbox in &self.mailboxes {
            if let Source::Imap(ImapAccount {
                credential: Credential::Password(SecretSource::File(f)), ..
            }) = &mailbox.source
            {
                files.push((format!("mailbox `{}` password_file", mailbox.name), f));
            }
        }
        if let Delivery::Smtp(SmtpAccount {
            credential: Some(Credential::Password(SecretSource::File(f))),
            ..
        }) = &self.delivery
        {
            files.push(("[smtp] password_file".into(), f));
        }
        for (name, tokens) in &self.oauth2 {
            let provider = tokens.provider();
            if let Some(SecretSource::File(f)) = &provider.client_secret {
                files.push((format!("[oauth2.{name}] client_secret_file"), f));
            }
            files.push((format!("[oauth2.{name}] refresh_token_file"), &provider.refresh_token_file));
        }
        let mut seen = std::collections::HashSet::new();
        files.retain(|(_, path)| seen.insert(*path));
        files.into_iter().filter_map(|(what, path)| crate::secret::open_to_others(&what, path)).collect()
    }
}

/// Every account clerk signs in to, as (user, credential): the IMAP mailboxes, then `[smtp]`.
pub(super) fn logins<'c>(
    mailboxes: &'c [MailboxConfig],
    delivery: Option<&'c Delivery>,
) -> impl Iterator<Item = (&'c str, &'c Credential)> {
    let imap = mailboxes.iter().filter_map(|m| match &m.source {
        Source::Imap(account) => Some((account.user.as_str(), &account.credential)),
        Source::Maildir(_) => None,
    });
    let smtp = match delivery {
        Some(Delivery::Smtp(account)) => account.user.as_deref().zip(account.credential.as_ref()),
        _ => None,
    };
    imap.chain(smtp)
}

/// The `[oauth2.NAME]` tables by name, `None` for one with problems (see [`oauth::providers`]).
pub(super) type Providers = BTreeMap<String, Option<Arc<TokenSource>>>;

/// A password (from a file or the environment) or an OAuth2 provider; `None` when none is given.
pub(super) fn credential(
    file: &Option<Spanned<PathBuf>>,
    env: &Option<Spanned<String>>,
    oauth2: &Option<Spanned<String>>,
    base: &Path,
    span: &std::ops::Range<usize>,
    files: Files,
    providers: &Providers,
) -> Result<Option<Credential>, Vec<Problem>> {
    let password =
        secret_source("password", file, env, base, span.clone(), files).transpose().map_err(|p| vec![p])?;
    match (password, oauth2) {
        (Some(_), Some(reference)) => Err(vec![(
            reference.span(),
            "set a password (`password_file`, `password_env`) or `oauth2`, not both".into(),
        )]),
        (Some(password), None) => Ok(Some(Credential::Password(password))),
        (None, Some(reference)) => oauth::named(reference, providers)
            .map(|p| Some(Credential::OAuth2(p)))
            .map_err(|p| p.into_iter().collect()),
        (None, None) => Ok(None),
    }
}

/// A secret from `{key}_file` or `{key}_env`; `None` when neither is set.
pub(super) fn secret_source(
    key: &str,
    file: &Option<Spanned<PathBuf>>,
    env: &Option<Spanned<String>>,
    base: &Path,
    span: std::ops::Range<usize>,
    files: Files,
) -> Option<Result<SecretSource, Problem>> {
    match (file, env) {
        (Some(_), Some(_)) => Some(Err((span, format!("set `{key}_file` or `{key}_env`, not both")))),
        (Some(f), None) => {
            Some(readable_file(f, &format!("{key}_file"), base, files).map(SecretSource::File))
        }
        (None, Some(e)) => {
            let name = e.get_ref();
            if files == Files::Check && std::env::var_os(name).is_none() {
                let message = format!("`{key}_env`: the environment variable {name} is not set");
                return Some(Err((e.span(), message)));
            }
            Some(Ok(SecretSource::Env(name.clone())))
        }
        (None, None) => None,
    }
}
