//! Opening an authenticated IMAP session: TCP, then TLS (implicit, STARTTLS, or none on loopback),
//! then AUTHENTICATE PLAIN where offered, else LOGIN; or AUTHENTICATE XOAUTH2 for an OAuth2 account.

use std::time::Duration;

use async_imap::imap_proto::{Capability, Response, Status};
use async_imap::types::UnsolicitedResponse;
use async_imap::{Client, Session};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::ImapError;
use crate::config::{ImapAccount, Security};
use crate::mail::tls::{self, MailStream};
use crate::secret::Credential;
use crate::secret::oauth::xoauth2_response;

/// How long connecting, the TLS handshake and logging in may take before the attempt is abandoned.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// An authenticated IMAP session.
pub type ImapSession = Session<MailStream>;

/// Connects and logs in, within [`CONNECT_TIMEOUT`].
pub async fn connect(account: &ImapAccount) -> Result<ImapSession, ImapError> {
    tokio::time::timeout(CONNECT_TIMEOUT, connect_inner(account))
        .await
        .map_err(|_| ImapError::Timeout(format!("connecting to {}:{}", account.host, account.port)))?
}

async fn connect_inner(account: &ImapAccount) -> Result<ImapSession, ImapError> {
    let address = format!("{}:{}", account.host, account.port);
    let tcp =
        TcpStream::connect(&address).await.map_err(|e| ImapError::Connect(format!("{address}: {e}")))?;
    tcp.set_nodelay(true).ok();
    let (mut client, mut capabilities) = match account.security {
        Security::Tls => {
            let mut client = Client::new(MailStream::Tls(Box::new(tls_handshake(account, tcp).await?)));
            let caps = read_greeting(&mut client).await?;
            (client, caps)
        }
        Security::StartTls | Security::LoopbackPlain => {
            let mut client = Client::new(MailStream::Plain(tcp));
            let mut caps = read_greeting(&mut client).await?;
            if caps.is_empty() {
                caps = query_capabilities(&mut client).await?;
            }
            let offers_starttls = caps.iter().any(|c| c == "STARTTLS");
            if account.security == Security::StartTls && !offers_starttls {
                return Err(ImapError::Insecure(format!(
                    "{address} does not offer STARTTLS; use imaps:// or a server that encrypts"
                )));
            }
            if offers_starttls {
                client.run_command_and_check_ok("STARTTLS", None).await?;
                let MailStream::Plain(tcp) = client.into_inner() else {
                    return Err(ImapError::Protocol("STARTTLS on a stream that is already TLS".into()));
                };
                client = Client::new(MailStream::Tls(Box::new(tls_handshake(account, tcp).await?)));
                caps = Vec::new();
            }
            (client, caps)
        }
    };
    if capabilities.is_empty() {
        capabilities = query_capabilities(&mut client).await?;
    }
    let refused =
        |e: async_imap::error::Error| ImapError::Login(format!("{address} as {}: {e}", account.user));
    let tokens = match &account.credential {
        Credential::OAuth2(tokens) => tokens,
        Credential::Password(source) => {
            let password = source.read().map_err(|e| ImapError::Login(e.to_string()))?;
            let session = match login_method(&capabilities) {
                LoginMethod::AuthenticatePlain => {
                    let plain = SaslResponse(format!("\0{}\0{}", account.user, password.expose()));
                    client.authenticate("PLAIN", plain).await
                }
                LoginMethod::Login => client.login(&account.user, password.expose()).await,
            };
            return session.map_err(|(e, _)| refused(e));
        }
    };
    if !capabilities.iter().any(|c| c == "AUTH=XOAUTH2") {
        return Err(ImapError::Login(format!(
            "{address} does not offer AUTH=XOAUTH2, so it cannot sign in with [oauth2.{}]",
            tokens.provider().name
        )));
    }
    // A cached token the server refuses (withdrawn before its time) is dropped and a new one tried at
    // once, on the same connection; a second refusal is the sign-in's fault and waits for the backoff.
    let mut client = client;
    let mut tries = 2;
    loop {
        let token = tokens.access_token().await.map_err(|e| ImapError::Login(e.to_string()))?;
        match client.authenticate("XOAUTH2", SaslResponse(xoauth2_response(&account.user, &token))).await {
            Ok(session) => return Ok(session),
            Err((e, returned)) => {
                tokens.forget(&token).await;
                tries -= 1;
                if tries == 0 {
                    return Err(refused(e));
                }
                tracing::info!(%address, user = %account.user, "the server refused the access token; asking for a new one");
                client = returned;
            }
        }
    }
}

/// How to present the password.
#[derive(Debug, PartialEq, Eq)]
enum LoginMethod {
    /// SASL PLAIN (RFC 4616): what servers offer most widely, and it copes with any character in the
    /// password.
    AuthenticatePlain,
    /// The IMAP LOGIN command, for servers that do not offer AUTH=PLAIN.
    Login,
}

fn login_method(capabilities: &[String]) -> LoginMethod {
    if capabilities.iter().any(|c| c.eq_ignore_ascii_case("AUTH=PLAIN")) {
        LoginMethod::AuthenticatePlain
    } else {
        LoginMethod::Login
    }
}

async fn tls_handshake(account: &ImapAccount, tcp: TcpStream) -> Result<TlsStream<TcpStream>, ImapError> {
    let config = tls::client_config(account.ca_file.as_deref()).map_err(|e| ImapError::Tls(e.to_string()))?;
    tls::handshake(config, &account.host, tcp)
        .await
        .map_err(|e| ImapError::Tls(format!("{}:{}: {e}", account.host, account.port)))
}

/// Reads the server greeting and returns the capabilities it announces, if it does.
async fn read_greeting(client: &mut Client<MailStream>) -> Result<Vec<String>, ImapError> {
    let greeting = client
        .read_response()
        .await?
        .ok_or_else(|| ImapError::Protocol("the server closed the connection before greeting".into()))?;
    match greeting.parsed() {
        Response::Data { status: Status::Ok, outcome } => Ok(match &outcome.code {
            Some(async_imap::imap_proto::ResponseCode::Capabilities(caps)) => names(caps),
            _ => Vec::new(),
        }),
        Response::Data { status: Status::PreAuth, .. } => Ok(Vec::new()),
        other => Err(ImapError::Protocol(format!("unexpected greeting: {other:?}"))),
    }
}

/// Asks for CAPABILITY before login (the unauthenticated client has no typed call for it).
async fn query_capabilities(client: &mut Client<MailStream>) -> Result<Vec<String>, ImapError> {
    let (tx, rx) = async_channel::bounded(16);
    client.run_command_and_check_ok("CAPABILITY", Some(tx)).await?;
    let mut found = Vec::new();
    while let Ok(response) = rx.try_recv() {
        if let UnsolicitedResponse::Other(data) = response
            && let Response::Capabilities(caps) = data.parsed()
        {
            found.extend(names(caps));
        }
    }
    Ok(found)
}

fn names(caps: &[Capability<'_>]) -> Vec<String> {
    caps.iter()
        .map(|c| match c {
            Capability::Imap4rev1 => "IMAP4REV1".to_string(),
            Capability::Auth(mech) => format!("AUTH={}", mech.to_ascii_uppercase()),
            Capability::Atom(atom) => atom.to_ascii_uppercase(),
        })
        .collect()
}

/// A SASL mechanism whose whole credential goes in the first response (PLAIN, XOAUTH2). Any further
/// challenge gets an empty response: for XOAUTH2 that is the server's error report, which the client
/// acknowledges so the server can answer NO.
struct SaslResponse(String);

impl async_imap::Authenticator for SaslResponse {
    type Response = String;
    fn process(&mut self, _challenge: &[u8]) -> String {
        std::mem::take(&mut self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn auth_plain_is_used_where_offered_and_the_login_command_elsewhere() {
        assert_eq!(
            login_method(&caps(&["IMAP4rev1", "AUTH=PLAIN", "AUTH=LOGIN"])),
            LoginMethod::AuthenticatePlain
        );
        assert_eq!(login_method(&caps(&["IMAP4rev1", "auth=plain"])), LoginMethod::AuthenticatePlain);
        assert_eq!(login_method(&caps(&["IMAP4rev1", "AUTH=LOGIN", "AUTH=XOAUTH2"])), LoginMethod::Login);
        assert_eq!(login_method(&caps(&["IMAP4rev1"])), LoginMethod::Login);
    }
}
