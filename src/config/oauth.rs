//! `[oauth2.NAME]` tables: the OAuth2 providers mailboxes and `[smtp]` sign in with (`oauth2 = "NAME"`),
//! with presets for Google and Microsoft so an office only fills in its client id.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::errors::Problem;
use super::secrets::{logins, secret_source};
use super::{Delivery, Files, MailboxConfig, is_loopback};
use crate::secret::Credential;
use crate::secret::oauth::{Provider, TokenSource};

#[derive(Deserialize)]
pub(super) struct RawOAuth2 {
    provider: Option<Spanned<String>>,
    tenant: Option<String>,
    client_id: Option<String>,
    client_secret_file: Option<Spanned<PathBuf>>,
    client_secret_env: Option<Spanned<String>>,
    authorization_url: Option<Spanned<String>>,
    token_url: Option<Spanned<String>>,
    device_authorization_url: Option<Spanned<String>>,
    scopes: Option<Vec<String>>,
    refresh_token_file: Option<PathBuf>,
}

/// What a known provider fills in.
struct Preset {
    authorization_url: String,
    token_url: String,
    device_authorization_url: Option<String>,
    scopes: Vec<String>,
    authorization_params: Vec<(String, String)>,
}

/// Google's endpoints. Google offers the device flow, but not for the Gmail scope, so sign-in goes
/// through the browser.
fn google() -> Preset {
    Preset {
        authorization_url: "https://accounts.google.com/o/oauth2/v2/auth".into(),
        token_url: "https://oauth2.googleapis.com/token".into(),
        device_authorization_url: None,
        scopes: vec!["https://mail.google.com/".into()],
        authorization_params: vec![
            ("access_type".into(), "offline".into()),
            ("prompt".into(), "consent".into()),
        ],
    }
}

/// Microsoft identity platform (Microsoft 365, Outlook.com); `tenant` is the organisation's directory,
/// "common" by default. `offline_access` is what makes it hand out a refresh token.
fn microsoft(tenant: &str) -> Preset {
    let base = format!("https://login.microsoftonline.com/{tenant}/oauth2/v2.0");
    Preset {
        authorization_url: format!("{base}/authorize"),
        token_url: format!("{base}/token"),
        device_authorization_url: Some(format!("{base}/devicecode")),
        scopes: vec![
            "https://outlook.office.com/IMAP.AccessAsUser.All".into(),
            "https://outlook.office.com/SMTP.Send".into(),
            "offline_access".into(),
        ],
        authorization_params: Vec::new(),
    }
}

/// Every `[oauth2.NAME]` table by name; `None` for a table with problems, which are added to `problems`
/// (all of them, not the first one only).
pub(super) fn providers(
    raw: &BTreeMap<String, Spanned<RawOAuth2>>,
    base: &Path,
    database: &Path,
    files: Files,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, Option<Arc<TokenSource>>> {
    raw.iter()
        .map(|(name, spanned)| {
            let provider = provider(name, spanned, base, database, files)
                .map_err(|mut found| problems.append(&mut found))
                .ok()
                .map(|provider| Arc::new(TokenSource::new(provider)));
            (name.clone(), provider)
        })
        .collect()
}

fn provider(
    name: &str,
    spanned: &Spanned<RawOAuth2>,
    base: &Path,
    database: &Path,
    files: Files,
) -> Result<Provider, Vec<Problem>> {
    let raw = spanned.get_ref();
    let mut problems = Vec::new();
    let preset = match raw.provider.as_ref().map(|p| (p.get_ref().as_str(), p.span())) {
        None => None,
        Some(("google", _)) => Some(google()),
        Some(("microsoft", _)) => Some(microsoft(raw.tenant.as_deref().unwrap_or("common"))),
        Some((other, span)) => {
            problems.push((
                span,
                format!("`provider = \"{other}\"`: expected \"google\" or \"microsoft\", or leave it out and set the URLs"),
            ));
            None
        }
    };
    if raw.tenant.is_some() && preset.as_ref().is_none_or(|p| p.device_authorization_url.is_none()) {
        problems.push((spanned.span(), "`tenant` only applies to `provider = \"microsoft\"`".into()));
    }
    let client_id = raw.client_id.clone().unwrap_or_else(|| {
        problems.push((
            spanned.span(),
            format!("[oauth2.{name}] needs `client_id`: the id of the app registered with the provider"),
        ));
        String::new()
    });
    let mut url = |key: &str, value: &Option<Spanned<String>>, from_preset: Option<String>| {
        let (text, span) = match value {
            Some(v) => (v.get_ref().clone(), v.span()),
            None => (from_preset?, spanned.span()),
        };
        match endpoint(&text) {
            Ok(url) => Some(url),
            Err(e) => {
                problems.push((span, format!("`{key}`: {e}")));
                None
            }
        }
    };
    let authorization_url = url(
        "authorization_url",
        &raw.authorization_url,
        preset.as_ref().map(|p| p.authorization_url.clone()),
    );
    let device_authorization_url = url(
        "device_authorization_url",
        &raw.device_authorization_url,
        preset.as_ref().and_then(|p| p.device_authorization_url.clone()),
    );
    let token_url = url("token_url", &raw.token_url, preset.as_ref().map(|p| p.token_url.clone()));
    if token_url.is_none() && raw.token_url.is_none() && preset.is_none() {
        problems.push((
            spanned.span(),
            format!("[oauth2.{name}] needs `provider` (\"google\" or \"microsoft\") or `token_url`"),
        ));
    }
    let client_secret = secret_source(
        "client_secret",
        &raw.client_secret_file,
        &raw.client_secret_env,
        base,
        spanned.span(),
        files,
    )
    .transpose()
    .unwrap_or_else(|p| {
        problems.push(p);
        None
    });
    let scopes = raw.scopes.clone().or_else(|| preset.as_ref().map(|p| p.scopes.clone())).unwrap_or_default();
    let refresh_token_file = match &raw.refresh_token_file {
        Some(file) => base.join(file),
        // Beside the database: the one place clerk may write under systemd's hardening.
        None => database.parent().unwrap_or(Path::new(".")).join(format!("oauth2-{name}.token")),
    };
    match (problems.is_empty(), token_url) {
        (true, Some(token_url)) => Ok(Provider {
            name: name.to_owned(),
            client_id,
            client_secret,
            authorization_url,
            token_url,
            device_authorization_url,
            scopes,
            authorization_params: preset.map(|p| p.authorization_params).unwrap_or_default(),
            refresh_token_file,
        }),
        _ => Err(problems),
    }
}

/// An endpoint URL: HTTPS, except on the loopback interface where nothing crosses a network.
fn endpoint(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL ({e})"))?;
    let loopback = url.host_str().is_some_and(|h| is_loopback(h.trim_matches(['[', ']'])));
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(format!("`{text}` must be an https:// URL (plain http:// only to this machine)")),
    }
}

/// The provider a mailbox or `[smtp]` names with `oauth2 = "NAME"`; `Err(None)` when that table is
/// there but has problems of its own, already reported.
pub(super) fn named(
    reference: &Spanned<String>,
    providers: &BTreeMap<String, Option<Arc<TokenSource>>>,
) -> Result<Arc<TokenSource>, Option<Problem>> {
    match providers.get(reference.get_ref()) {
        Some(Some(provider)) => Ok(provider.clone()),
        Some(None) => Err(None),
        None => {
            let known: Vec<String> = providers.keys().map(|k| format!("[oauth2.{k}]")).collect();
            let known = if known.is_empty() { "there is none".to_string() } else { known.join(", ") };
            let name = reference.get_ref();
            Err(Some((
                reference.span(),
                format!("`oauth2 = \"{name}\"`: no [oauth2.{name}] table ({known})"),
            )))
        }
    }
}

/// A problem for each `[oauth2.NAME]` that accounts with different users sign in with: its one refresh
/// token belongs to one account, so the others' logins would all fail.
pub(super) fn shared_sign_ins(
    mailboxes: &[MailboxConfig],
    delivery: Option<&Delivery>,
) -> Vec<(String, String)> {
    let mut first_user: BTreeMap<&str, &str> = BTreeMap::new();
    let mut problems = Vec::new();
    for (user, credential) in logins(mailboxes, delivery) {
        let Credential::OAuth2(tokens) = credential else { continue };
        let name = tokens.provider().name.as_str();
        let first = *first_user.entry(name).or_insert(user);
        if !first.eq_ignore_ascii_case(user) && !problems.iter().any(|(n, _): &(String, String)| n == name) {
            problems.push((
                name.to_owned(),
                format!(
                    "[oauth2.{name}] signs in both {first} and {user}, but one sign-in holds one account's \
                     tokens: give each account its own [oauth2] table"
                ),
            ));
        }
    }
    problems
}
