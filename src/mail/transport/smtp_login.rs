//! Signing in to the SMTP server (SMTP AUTH): with a password, or with an OAuth2 access token over
//! XOAUTH2, renewing a token the server refused, so that a provider's expiring tokens need no attention.

use std::sync::Arc;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::AsyncSmtpConnection;

use super::SendError;
use super::failure::classify;
use crate::secret::Secret;
use crate::secret::oauth::TokenSource;

/// SASL mechanisms clerk offers, in order of preference; both need TLS (or loopback) to be safe, which
/// the connection security rules guarantee.
const MECHANISMS: [Mechanism; 2] = [Mechanism::Plain, Mechanism::Login];

/// Who clerk signs in to the SMTP server as, and how.
#[derive(Debug, Clone)]
pub enum SmtpLogin {
    /// SASL PLAIN (or LOGIN where PLAIN is not offered) with a password.
    Password { user: String, password: Secret },
    /// SASL XOAUTH2 with an access token from the provider, asked for on every new connection so an
    /// expired one is renewed.
    OAuth2 { user: String, tokens: Arc<TokenSource> },
}

impl SmtpLogin {
    /// AUTH on a connection that is already secured as the settings demand; `server` names the server
    /// in messages.
    pub(super) async fn sign_in(
        &self,
        connection: &mut AsyncSmtpConnection,
        server: &str,
    ) -> Result<(), SendError> {
        match self {
            SmtpLogin::Password { user, password } => {
                let credentials = Credentials::new(user.clone(), password.expose().to_owned());
                connection.auth(&MECHANISMS, &credentials).await.map_err(|e| classify(&e, server))?;
            }
            SmtpLogin::OAuth2 { user, tokens } => {
                if !connection.server_info().supports_auth_mechanism(Mechanism::Xoauth2) {
                    return Err(SendError::Transient(format!(
                        "{server}: the server does not offer AUTH XOAUTH2, so [oauth2.{}] cannot sign in",
                        tokens.provider().name
                    )));
                }
                let token = tokens.access_token().await.map_err(|e| SendError::Transient(e.to_string()))?;
                let credentials = Credentials::new(user.clone(), token.expose().to_owned());
                if let Err(e) = connection.auth(&[Mechanism::Xoauth2], &credentials).await {
                    tokens.forget(&token).await;
                    // A refused token comes back as an error challenge lettre cannot answer.
                    let reason = if e.is_client() {
                        "the access token was refused".to_string()
                    } else {
                        e.to_string()
                    };
                    return Err(SendError::Transient(format!("{server}: XOAUTH2 as {user}: {reason}")));
                }
            }
        }
        Ok(())
    }
}
