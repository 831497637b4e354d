//! OAuth2 for mail servers that no longer take passwords (Gmail, Microsoft 365): clerk keeps a refresh
//! token in a file and turns it into short-lived access tokens itself, which IMAP and SMTP then present
//! with SASL XOAUTH2.
//!
//! A person signs in once with `clerk auth NAME` ([`sign_in`]), which stores the refresh token. From then
//! on [`TokenSource::access_token`] hands out a cached access token while it is fresh and asks the
//! provider's token endpoint for a new one shortly before it expires. Providers that rotate refresh
//! tokens (Microsoft does) get the new one written back to the file before the access token is used, so
//! a crash never leaves clerk holding only a token the provider has already retired.
//!
//! The token and client-secret files are read and written on tokio's blocking pool ([`on_disk`]): an
//! access token is asked for by IMAP and SMTP connections on the async workers, which a slow disk (and
//! the fsync of a saved token) must not stall.

pub mod sign_in;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use oauth2::basic::{BasicClient, BasicTokenResponse};
use oauth2::{
    AuthType, AuthUrl, ClientId, ClientSecret, DeviceAuthorizationUrl, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, ErrorResponseType, RefreshToken, RequestTokenError, StandardErrorResponse,
    TokenResponse as _, TokenUrl,
};
use url::Url;

use crate::durable;
use crate::secret::{Secret, SecretSource};

/// How long the token endpoint may take to answer.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// The lifetime assumed when the provider does not say (RFC 6749 makes `expires_in` optional); a token
/// that dies earlier is refused by the server, forgotten, and replaced on the next connection.
const ASSUMED_LIFETIME: Duration = Duration::from_secs(3600);

/// Renew this long before expiry at most, so a token never runs out between being handed out and being
/// presented to the server.
const RENEW_MARGIN: Duration = Duration::from_secs(60);

/// The longest lifetime believed, whatever the provider says (they give an hour).
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// One `[oauth2.NAME]` table: who clerk is to the provider, where the provider's endpoints are, what
/// clerk asks for, and where the refresh token is kept.
#[derive(Debug, Clone)]
pub struct Provider {
    /// The table's name, used in messages and by `clerk auth NAME`.
    pub name: String,
    pub client_id: String,
    /// Confidential and "installed app" clients have one (Google's do); public clients (Microsoft's
    /// device-code apps) do not.
    pub client_secret: Option<SecretSource>,
    /// Where a person signs in with a browser (authorization code flow with PKCE).
    pub authorization_url: Option<Url>,
    pub token_url: Url,
    /// Where a device code is requested (RFC 8628), for providers that offer it for mail.
    pub device_authorization_url: Option<Url>,
    pub scopes: Vec<String>,
    /// Extra query parameters for the browser sign-in: Google only hands out a refresh token with
    /// `access_type=offline`, and only again for a returning user with `prompt=consent`.
    pub authorization_params: Vec<(String, String)>,
    /// Written by `clerk auth`, read (and rewritten when the provider rotates it) by the daemon.
    pub refresh_token_file: PathBuf,
}

/// Why no access token could be had.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("[oauth2.{name}]: nobody has signed in yet ({} does not exist); run `clerk auth {name}`", file.display())]
    NotSignedIn { name: String, file: PathBuf },
    #[error("[oauth2.{name}]: cannot read the refresh token from {}: {source}", file.display())]
    ReadToken { name: String, file: PathBuf, source: std::io::Error },
    #[error("[oauth2.{name}]: cannot save the refresh token to {}: {source}", file.display())]
    SaveToken { name: String, file: PathBuf, source: std::io::Error },
    #[error(
        "[oauth2.{name}]: the provider refused: {reason}; if access was revoked or has expired, sign in \
         again with `clerk auth {name}`"
    )]
    Refused { name: String, reason: String },
    #[error("[oauth2.{name}]: {reason}")]
    Failed { name: String, reason: String },
}

/// Access tokens for one provider, shared by every connection that signs in with it. Cloning the
/// config shares it too (it sits behind an `Arc` there).
#[derive(Debug)]
pub struct TokenSource {
    provider: Provider,
    /// The cache, behind an async lock held across a refresh, so connections opening at once wait for one refresh
    /// rather than each running their own; with rotating refresh tokens a second, concurrent refresh
    /// would present a token the first one had just retired.
    cache: tokio::sync::Mutex<Cache>,
}

#[derive(Debug, Default)]
struct Cache {
    access: Option<AccessToken>,
    /// A replacement refresh token the file could not take (see [`Rotation::Unsaved`]).
    unsaved_refresh: Option<Secret>,
}

#[derive(Debug)]
struct AccessToken {
    secret: Secret,
    /// When to ask for the next one.
    renew_at: Instant,
    /// When the provider said it stops working.
    expires_at: Instant,
}

/// A client for one provider's endpoints, as the oauth2 crate types it.
pub(crate) type ProviderClient =
    BasicClient<EndpointMaybeSet, EndpointMaybeSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

impl Provider {
    /// An oauth2 client for this provider. The client identifies itself in the request body, which
    /// every provider accepts (HTTP Basic is refused by some for public clients).
    pub(crate) async fn client(&self) -> Result<ProviderClient, OAuthError> {
        let failed = |reason: String| OAuthError::Failed { name: self.name.clone(), reason };
        let client_secret = match self.client_secret.clone() {
            Some(source) => Some(
                on_disk(move || source.read())
                    .await
                    .map_err(|e| failed(format!("client secret: {e}")))?
                    .map_err(|e| failed(format!("client secret: {e}")))?,
            ),
            None => None,
        };
        let mut client = BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_auth_type(AuthType::RequestBody)
            .set_auth_uri_option(self.authorization_url.as_ref().map(|u| AuthUrl::from_url(u.clone())))
            .set_device_authorization_url_option(
                self.device_authorization_url.as_ref().map(|u| DeviceAuthorizationUrl::from_url(u.clone())),
            )
            .set_token_uri(TokenUrl::from_url(self.token_url.clone()));
        if let Some(secret) = client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose().to_owned()));
        }
        Ok(client)
    }

    /// Stores a refresh token where the daemon will look for it, readable by clerk's user alone.
    pub(crate) async fn save_refresh_token(&self, token: &str) -> Result<(), OAuthError> {
        let file = self.refresh_token_file.clone();
        let save_failed =
            |source| OAuthError::SaveToken { name: self.name.clone(), file: file.clone(), source };
        let (path, contents) = (file.clone(), format!("{token}\n"));
        on_disk(move || {
            let dir =
                path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
            std::fs::create_dir_all(dir)?;
            durable::write_atomically(dir, name, contents.as_bytes(), durable::PRIVATE)?;
            durable::sync_dir(dir)
        })
        .await
        .and_then(|written| written)
        .map_err(save_failed)
    }

    /// Whether a person has signed in (the refresh token file exists); `clerk check` and the daemon's
    /// start ask, so a missing sign-in is reported at once rather than as failed logins.
    pub fn is_signed_in(&self) -> bool {
        self.refresh_token_file.exists()
    }

    async fn refresh_token(&self) -> Result<Secret, OAuthError> {
        let (name, file) = (self.name.clone(), self.refresh_token_file.clone());
        let path = file.clone();
        let text = match on_disk(move || std::fs::read_to_string(path)).await.and_then(|read| read) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OAuthError::NotSignedIn { name, file });
            }
            Err(source) => return Err(OAuthError::ReadToken { name, file, source }),
        };
        match text.trim() {
            "" => {
                Err(OAuthError::ReadToken { name, file, source: std::io::Error::other("the file is empty") })
            }
            token => Ok(Secret::new(token)),
        }
    }

    /// The scopes clerk asks for, as the oauth2 crate wants them.
    pub(crate) fn scopes(&self) -> impl Iterator<Item = oauth2::Scope> + '_ {
        self.scopes.iter().map(|s| oauth2::Scope::new(s.clone()))
    }
}

impl TokenSource {
    pub fn new(provider: Provider) -> TokenSource {
        TokenSource { provider, cache: tokio::sync::Mutex::new(Cache::default()) }
    }

    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// A live access token: the cached one while it is fresh, else a new one from the token endpoint.
    pub async fn access_token(&self) -> Result<Secret, OAuthError> {
        let mut cache = self.cache.lock().await;
        let now = Instant::now();
        if let Some(token) = cache.access.as_ref().filter(|t| now < t.renew_at) {
            return Ok(token.secret.clone());
        }
        let refresh_token = match &cache.unsaved_refresh {
            Some(token) => token.clone(),
            None => self.provider.refresh_token().await?,
        };
        // On a task of its own, so a caller that gives up (a connection timeout, the stop) cannot cut a
        // refresh off between the provider retiring the old refresh token and clerk saving the new one.
        let provider = self.provider.clone();
        let refreshed = tokio::spawn(async move { refresh(&provider, refresh_token).await })
            .await
            .map_err(|e| self.failed(format!("the token request stopped: {e}")))?;
        match refreshed {
            Ok((token, rotation)) => {
                match rotation {
                    Rotation::None => {}
                    Rotation::Saved => cache.unsaved_refresh = None,
                    Rotation::Unsaved(token) => cache.unsaved_refresh = Some(token),
                }
                let secret = token.secret.clone();
                cache.access = Some(token);
                Ok(secret)
            }
            // A token in its renewal margin still works until it really expires.
            Err(e) => match cache.access.as_ref().filter(|t| now < t.expires_at) {
                Some(token) => {
                    tracing::warn!(oauth2 = %self.provider.name, error = %e, "cannot renew the access token yet; using the current one until it expires");
                    Ok(token.secret.clone())
                }
                None => Err(e),
            },
        }
    }

    /// Drops `token` from the cache after a server refused it (revoked, or expired earlier than the
    /// provider said), so the next connection asks for a new one.
    pub async fn forget(&self, token: &Secret) {
        let mut cache = self.cache.lock().await;
        if cache.access.as_ref().is_some_and(|t| &t.secret == token) {
            cache.access = None;
        }
    }

    fn failed(&self, reason: String) -> OAuthError {
        OAuthError::Failed { name: self.provider.name.clone(), reason }
    }
}

/// What became of a refresh token the provider replaced.
enum Rotation {
    /// It was not replaced.
    None,
    /// The new one is in the file.
    Saved,
    /// The new one could not be written: clerk keeps it in memory (and says so) rather than go back to
    /// the retired one in the file.
    Unsaved(Secret),
}

/// Exchanges `refresh_token` for an access token, saving a replacement refresh token first.
async fn refresh(provider: &Provider, refresh_token: Secret) -> Result<(AccessToken, Rotation), OAuthError> {
    let refresh_token = RefreshToken::new(refresh_token.expose().to_owned());
    let client = provider.client().await?;
    let http = http_client().map_err(|reason| OAuthError::Failed { name: provider.name.clone(), reason })?;
    let asked_at = Instant::now();
    let response = client
        .exchange_refresh_token(&refresh_token)
        .add_scopes(provider.scopes())
        .request_async(&http)
        .await
        .map_err(|e| token_error(&provider.name, &provider.token_url, e))?;
    let rotation = match response.refresh_token() {
        Some(rotated) if rotated.secret() != refresh_token.secret() => {
            match provider.save_refresh_token(rotated.secret()).await {
                Ok(()) => {
                    tracing::info!(oauth2 = %provider.name, file = %provider.refresh_token_file.display(), "saved the provider's new refresh token");
                    Rotation::Saved
                }
                Err(e) => {
                    tracing::error!(oauth2 = %provider.name, error = %e, "the provider replaced the refresh token and clerk cannot save the new one: it works until clerk stops; make the file writable or run `clerk auth` again after");
                    Rotation::Unsaved(Secret::new(rotated.secret().clone()))
                }
            }
        }
        _ => Rotation::None,
    };
    let lifetime = response.expires_in().unwrap_or(ASSUMED_LIFETIME).min(MAX_LIFETIME);
    tracing::debug!(oauth2 = %provider.name, ?lifetime, "new access token");
    let expires_at = asked_at + lifetime;
    let token = AccessToken {
        secret: Secret::new(response.access_token().secret().clone()),
        renew_at: expires_at - RENEW_MARGIN.min(lifetime / 10),
        expires_at,
    };
    Ok((token, rotation))
}

/// Runs `work`, which touches the disk, on tokio's blocking pool; a task that did not finish (it
/// panicked, or the runtime is shutting down) is an error like the disk's own.
async fn on_disk<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> std::io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| std::io::Error::other(format!("the file task stopped: {e}")))
}

/// The HTTP client for token requests: redirects are not followed (RFC 6749 section 10.6 warns against
/// handing codes and secrets on to wherever a response points), and every request has a deadline.
pub(crate) fn http_client() -> Result<oauth2::reqwest::Client, String> {
    oauth2::reqwest::Client::builder()
        .redirect(oauth2::reqwest::redirect::Policy::none())
        .timeout(HTTP_TIMEOUT)
        .build()
        .map_err(|e| format!("cannot set up HTTPS: {e}"))
}

/// Says what went wrong with a token request in the provider's own words where it gave any.
pub(crate) fn token_error<E: std::error::Error, T: ErrorResponseType + std::fmt::Display>(
    name: &str,
    url: &Url,
    error: RequestTokenError<E, StandardErrorResponse<T>>,
) -> OAuthError {
    let name = name.to_owned();
    match error {
        RequestTokenError::ServerResponse(response) => {
            let mut reason = response.error().to_string();
            if let Some(description) = response.error_description() {
                reason = format!("{reason} ({description})");
            }
            OAuthError::Refused { name, reason }
        }
        RequestTokenError::Request(e) => {
            let mut reason = format!("cannot reach {url}: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(inner) = source {
                reason = format!("{reason}: {inner}");
                source = inner.source();
            }
            OAuthError::Failed { name, reason }
        }
        // Neither the body nor the parser's message is shown: a token response that only failed to
        // parse still holds the tokens.
        RequestTokenError::Parse(e, _) => OAuthError::Failed {
            name,
            reason: format!("{url} answered with a token response clerk cannot read (at `{}`)", e.path()),
        },
        RequestTokenError::Other(reason) => OAuthError::Failed { name, reason: format!("{url}: {reason}") },
    }
}

/// The SASL XOAUTH2 initial response (Google's and Microsoft's IMAP/SMTP documentation), before base64.
pub fn xoauth2_response(user: &str, token: &Secret) -> String {
    format!("user={user}\x01auth=Bearer {}\x01\x01", token.expose())
}

/// The token response type, for the sign-in flows.
pub(crate) type Tokens = BasicTokenResponse;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_xoauth2_response_names_the_user_and_the_bearer_token() {
        assert_eq!(
            xoauth2_response("office@example.com", &Secret::new("ya29.token")),
            "user=office@example.com\x01auth=Bearer ya29.token\x01\x01"
        );
    }
}
