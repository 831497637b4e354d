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
    AuthorizationCode, CsrfToken, PkceCodeChallenge, RedirectUrl, StandardDeviceAuthorizationResponse,
    TokenResponse as _,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

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
    provider.save_refresh_token(refresh_token.secret()).await?;
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
    let client = provider.client().await?;
    let http = http_client().map_err(failed)?;
    let url = provider
        .device_authorization_url
        .clone()
        .ok_or_else(|| failed("no `device_authorization_url`: sign in with --browser".into()))?;
    let details: StandardDeviceAuthorizationResponse = client
        .exchange_device_code()
        .map_err(|e| failed(e.to_string()))?
        .add_scopes(provider.scopes())
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
    let client = provider.client().await?.set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .map_err(|_| failed("no `authorization_url` to sign in at".into()))?
        .add_scopes(provider.scopes())
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
    let answer = tokio::select! {
        answer = redirected(&listener, state.secret()) => {
            answer.map_err(|e| failed(format!("waiting for the browser: {e}")))?
        }
        answer = pasted(state.secret()) => answer,
    };
    let code = answer.map_err(|reason| OAuthError::Refused { name: name.clone(), reason })?;
    client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .map_err(|e| token_error(name, &provider.token_url, e))
}

/// What an address the browser came back to (or the person pasted) says.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// The authorization code.
    Code(String),
    /// The person or the provider said no, in the provider's words.
    Refused(String),
    /// The answer to some other sign-in (its state is not the one clerk sent): never taken.
    OtherSignIn,
    /// Not an answer at all.
    Invalid,
}

/// Reads the answer from the whole address, the address without its scheme, or a bare code as some
/// providers show it. The state is checked before anything else, so only an answer to this sign-in
/// can end it.
fn answer(returned: &str, state: &str) -> Answer {
    let returned = returned.trim();
    let query = match returned.split_once('?') {
        Some((_, query)) => query,
        None if returned.contains('=') => returned,
        None => {
            let code_like = !returned.is_empty()
                && returned.chars().all(|c| c.is_ascii_alphanumeric() || "-._~/+%".contains(c));
            return if code_like { Answer::Code(returned.to_owned()) } else { Answer::Invalid };
        }
    };
    let query = query.split('#').next().unwrap_or_default();
    let query: HashMap<_, _> = url::form_urlencoded::parse(query.as_bytes()).collect();
    if query.get("state").map(|s| s.as_ref()) != Some(state) {
        return Answer::OtherSignIn;
    }
    if let Some(error) = query.get("error") {
        let description = query.get("error_description").map(|d| format!(" ({d})")).unwrap_or_default();
        return Answer::Refused(format!("{error}{description}"));
    }
    query.get("code").map_or(Answer::Invalid, |code| Answer::Code(code.to_string()))
}

/// Waits for the browser to come back with this sign-in's answer and shows it a short page; returns
/// the code, or the refusal. Anything else (a favicon, an answer to another sign-in) is turned away
/// and the wait goes on.
async fn redirected(listener: &TcpListener, state: &str) -> std::io::Result<Result<String, String>> {
    loop {
        let (mut stream, _) = listener.accept().await?;
        let Ok(Ok(target)) = tokio::time::timeout(REQUEST_TIMEOUT, request_target(&mut stream)).await else {
            continue;
        };
        // Only a query is an answer here: a bare path (a favicon) is not a code.
        let answer = if target.contains('?') { answer(&target, state) } else { Answer::Invalid };
        let (status, body) = match answer {
            Answer::Code(_) | Answer::Refused(_) => {
                ("200 OK", "clerk has the answer; you can close this page and go back to clerk.")
            }
            Answer::OtherSignIn => {
                ("400 Bad Request", "This is not the answer to the sign-in clerk waits for.")
            }
            Answer::Invalid => ("404 Not Found", "Not found."),
        };
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        // The browser may already have gone; the answer is what matters.
        let _ = stream.write_all(response.as_bytes()).await;
        match answer {
            Answer::Code(code) => return Ok(Ok(code)),
            Answer::Refused(reason) => return Ok(Err(reason)),
            Answer::OtherSignIn | Answer::Invalid => {}
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

/// The answer the person pastes: lines are read until one is this sign-in's answer, saying what is
/// wrong with the others. Read on a thread of its own: tokio's stdin would keep the runtime from
/// shutting down while it waits. With stdin closed this never finishes, and the browser has to come back.
async fn pasted(state: &str) -> Result<String, String> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    while let Some(line) = rx.recv().await {
        match answer(&line, state) {
            Answer::Code(code) => return Ok(code),
            Answer::Refused(reason) => return Err(reason),
            Answer::OtherSignIn => say("That address answers another sign-in; paste the one from this link:"),
            Answer::Invalid if line.trim().is_empty() => {}
            Answer::Invalid => say("That is neither the address nor a code; paste the whole address:"),
        }
    }
    std::future::pending().await
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
        let answer = answer("http://127.0.0.1:4711/?code=4%2F0Ab&state=xyz&scope=mail", "xyz");
        assert_eq!(answer, Answer::Code("4/0Ab".to_string()));
    }

    #[test]
    fn an_address_pasted_without_its_scheme_is_still_read_and_checked() {
        assert_eq!(answer("127.0.0.1:4711/?code=abc&state=xyz", "xyz"), Answer::Code("abc".into()));
        assert_eq!(answer("127.0.0.1:4711/?code=abc&state=other", "xyz"), Answer::OtherSignIn);
    }

    #[test]
    fn an_answer_to_another_sign_in_is_never_taken_not_even_a_refusal() {
        assert_eq!(answer("http://127.0.0.1:4711/?code=abc&state=other", "xyz"), Answer::OtherSignIn);
        assert_eq!(answer("http://127.0.0.1:4711/?error=access_denied", "xyz"), Answer::OtherSignIn);
    }

    #[test]
    fn a_refusal_is_reported_in_the_providers_words() {
        let answer = answer(
            "http://127.0.0.1:4711/?error=access_denied&error_description=The+user+said+no&state=xyz",
            "xyz",
        );
        assert_eq!(answer, Answer::Refused("access_denied (The user said no)".into()));
    }

    #[test]
    fn a_pasted_bare_code_is_taken_as_it_is_and_prose_is_not() {
        assert_eq!(answer("  4/0AbCd-ef\n", "xyz"), Answer::Code("4/0AbCd-ef".to_string()));
        assert_eq!(answer("it did not work", "xyz"), Answer::Invalid);
    }
}
