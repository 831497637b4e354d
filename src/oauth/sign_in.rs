//! `clerk auth NAME`: a person signs in to the provider once, and clerk keeps the refresh token.
//!
//! Two ways, both standard for programs without a web server of their own:
//! - the device flow (RFC 8628), where the provider offers it for mail (Microsoft): clerk shows a short
//!   code, the person enters it on the provider's page from any computer or phone;
//! - the browser flow (authorization code with PKCE, RFC 7636, redirected to loopback as RFC 8252
//!   describes), for the rest (Google): clerk shows a link, and after the person agrees the browser is
//!   sent back to a port clerk listens on. When that browser runs on another computer the page cannot
//!   load; the person copies its address from the address bar and pastes it into clerk instead.

use std::collections::HashMap;
use std::io::Write as _;
use std::time::Duration;

use oauth2::{
    AuthorizationCode, CsrfToken, PkceCodeChallenge, RedirectUrl, Scope, StandardDeviceAuthorizationResponse,
    TokenResponse as _,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use url::Url;

use super::{OAuthError, Provider, Tokens, http_client, token_error};

/// How the person signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Enter a short code on the provider's page.
    Device,
    /// Open a link and agree; the browser comes back to clerk.
    Browser,
}

/// The largest request head clerk reads from the browser coming back.
const MAX_REQUEST: usize = 16 * 1024;

/// How long one browser connection may take to send its request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Walks a person through signing in and saves the refresh token; `flow` defaults to the device flow
/// where the provider has one.
pub async fn sign_in(provider: &Provider, flow: Option<Flow>) -> Result<(), OAuthError> {
    let flow = flow.unwrap_or(match provider.device_authorization_url {
        Some(_) => Flow::Device,
        None => Flow::Browser,
    });
    let tokens = match flow {
        Flow::Device => device(provider).await?,
        Flow::Browser => browser(provider).await?,
    };
    let refresh_token = tokens.refresh_token().ok_or_else(|| OAuthError::Failed {
        name: provider.name.clone(),
        reason: "the provider signed you in but gave no refresh token, so clerk could not stay signed in; \
                 check the scopes (Microsoft needs `offline_access`)"
            .into(),
    })?;
    provider.save_refresh_token(refresh_token.secret())?;
    say(&format!(
        "\nSigned in. The refresh token is in {} (readable by this user only); clerk renews its access \
         from it.",
        provider.refresh_token_file.display()
    ));
    Ok(())
}

async fn device(provider: &Provider) -> Result<Tokens, OAuthError> {
    let name = &provider.name;
    let failed = |reason: String| OAuthError::Failed { name: name.clone(), reason };
    let client = provider.client()?;
    let http = http_client().map_err(failed)?;
    let url = provider
        .device_authorization_url
        .clone()
        .ok_or_else(|| failed("no `device_authorization_url`: sign in with --browser".into()))?;
    let details: StandardDeviceAuthorizationResponse = client
        .exchange_device_code()
        .map_err(|e| failed(e.to_string()))?
        .add_scopes(scopes(provider))
        .request_async(&http)
        .await
        .map_err(|e| token_error(name, &url, e))?;
    say(&format!(
        "To let clerk use [oauth2.{name}], open\n\n    {}\n\nand enter the code\n\n    {}\n",
        details.verification_uri().as_str(),
        details.user_code().secret()
    ));
    if let Some(complete) = details.verification_uri_complete() {
        say(&format!("(or open {} , which has the code in it)\n", complete.secret()));
    }
    say(&format!(
        "Waiting for you to finish; the code works for {} minutes.",
        details.expires_in().as_secs().div_ceil(60)
    ));
    client
        .exchange_device_access_token(&details)
        .request_async(&http, tokio::time::sleep, None)
        .await
        .map_err(|e| token_error(name, &provider.token_url, e))
}

async fn browser(provider: &Provider) -> Result<Tokens, OAuthError> {
    let name = &provider.name;
    let failed = |reason: String| OAuthError::Failed { name: name.clone(), reason };
    let http = http_client().map_err(failed)?;
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| failed(format!("cannot listen on 127.0.0.1 for the browser: {e}")))?;
    let port = listener.local_addr().map_err(|e| failed(e.to_string()))?.port();
    let redirect =
        RedirectUrl::new(format!("http://127.0.0.1:{port}/")).map_err(|e| failed(e.to_string()))?;
    let client = provider.client()?.set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .map_err(|_| failed("no `authorization_url` to sign in at".into()))?
        .add_scopes(scopes(provider))
        .set_pkce_challenge(challenge);
    for (key, value) in &provider.authorization_params {
        request = request.add_extra_param(key, value);
    }
    let (url, state) = request.url();
    say(&format!(
        "To let clerk use [oauth2.{name}], open this link in a browser and agree:\n\n{url}\n\n\
         Afterwards the browser goes to 127.0.0.1:{port}. If that page does not load (the browser runs on \
         another computer), copy its whole address from the address bar and paste it here:"
    ));
    let returned = tokio::select! {
        returned = redirected(&listener) => returned.map_err(|e| failed(format!("waiting for the browser: {e}")))?,
        pasted = pasted() => pasted,
    };
    let code = authorization_code(&returned, state.secret()).map_err(|reason| match reason {
        Answer::Refused(reason) => OAuthError::Refused { name: name.clone(), reason },
        Answer::Invalid(reason) => failed(reason),
    })?;
    client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .map_err(|e| token_error(name, &provider.token_url, e))
}

fn scopes(provider: &Provider) -> impl Iterator<Item = Scope> + '_ {
    provider.scopes.iter().map(|s| Scope::new(s.clone()))
}

/// What the provider's answer to the browser sign-in says, if it is not a code.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// The person or the provider said no.
    Refused(String),
    /// Not an answer to this sign-in.
    Invalid(String),
}

/// The code from the address the browser was sent back to (or that the person pasted, which may also be
/// the bare code). The state must be the one clerk sent, so an answer to someone else's sign-in is
/// never taken for this one.
fn authorization_code(returned: &str, state: &str) -> Result<String, Answer> {
    let returned = returned.trim();
    let Ok(url) = Url::parse(returned) else {
        if !returned.is_empty() && !returned.contains(char::is_whitespace) {
            return Ok(returned.to_owned());
        }
        return Err(Answer::Invalid(format!("`{returned}` is neither the address nor the code")));
    };
    let query: HashMap<_, _> = url.query_pairs().collect();
    if let Some(error) = query.get("error") {
        let description = query.get("error_description").map(|d| format!(" ({d})")).unwrap_or_default();
        return Err(Answer::Refused(format!("{error}{description}")));
    }
    if query.get("state").map(|s| s.as_ref()) != Some(state) {
        return Err(Answer::Invalid(
            "the address is not the answer to this sign-in (its state differs)".into(),
        ));
    }
    query.get("code").map(|c| c.to_string()).ok_or_else(|| Answer::Invalid("the address has no code".into()))
}

/// Waits for the browser to come back with the code (or an error), answers it with a short page, and
/// returns the address it asked for. Other requests (a favicon) get a 404 and the wait goes on.
async fn redirected(listener: &TcpListener) -> std::io::Result<String> {
    loop {
        let (mut stream, _) = listener.accept().await?;
        let Ok(Ok(target)) = tokio::time::timeout(REQUEST_TIMEOUT, request_target(&mut stream)).await else {
            continue;
        };
        let is_answer = target.contains("code=") || target.contains("error=");
        let (status, body) = if is_answer {
            ("200 OK", "clerk has the answer; you can close this page and go back to clerk.")
        } else {
            ("404 Not Found", "Not found.")
        };
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        // The browser may already have gone; the address it asked for is what matters.
        let _ = stream.write_all(response.as_bytes()).await;
        if is_answer {
            return Ok(format!("http://127.0.0.1{target}"));
        }
    }
}

/// The request target (`/?code=…&state=…`) of an HTTP request.
async fn request_target(stream: &mut tokio::net::TcpStream) -> std::io::Result<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REQUEST {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.lines().next().unwrap_or("").split_whitespace();
    match (words.next(), words.next()) {
        (Some("GET"), Some(target)) if target.starts_with('/') => Ok(target.to_owned()),
        _ => Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "not a GET request")),
    }
}

/// A line the person pastes. Read on a thread of its own: tokio's stdin would keep the runtime from
/// shutting down while it waits. With stdin closed this never finishes, and the browser has to come back.
async fn pasted() -> String {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
            let _ = tx.send(line);
        }
    });
    match rx.await {
        Ok(line) => line,
        Err(_) => std::future::pending().await,
    }
}

fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    // The person needs to see this before clerk waits; a closed stdout leaves nothing to do about it.
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_taken_from_the_address_the_browser_came_back_to() {
        let code = authorization_code("http://127.0.0.1:4711/?code=4%2F0Ab&state=xyz&scope=mail", "xyz");
        assert_eq!(code, Ok("4/0Ab".to_string()));
    }

    #[test]
    fn an_address_answering_another_sign_in_is_refused() {
        let code = authorization_code("http://127.0.0.1:4711/?code=abc&state=other", "xyz");
        assert!(matches!(code, Err(Answer::Invalid(_))), "{code:?}");
    }

    #[test]
    fn a_refusal_is_reported_in_the_providers_words() {
        let code = authorization_code(
            "http://127.0.0.1:4711/?error=access_denied&error_description=The+user+said+no&state=xyz",
            "xyz",
        );
        assert_eq!(code, Err(Answer::Refused("access_denied (The user said no)".into())));
    }

    #[test]
    fn a_pasted_bare_code_is_taken_as_it_is() {
        assert_eq!(authorization_code("  4/0AbCd-ef\n", "xyz"), Ok("4/0AbCd-ef".to_string()));
    }
}
