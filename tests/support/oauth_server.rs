//! [`OAuthServer`]: an OAuth2 authorization server on loopback (`oauth_server.py`), standing in for Google's or
//! Microsoft's: browser and device sign-in, the token endpoint, and token introspection for Dovecot and the
//! SMTP sink, so they accept exactly the access tokens it issued and only while they live.

use super::process::{address_in_use, http_get, spawn_listening};
use super::smtp_sink::PYTHON;
use super::{TestDir, free_port};
use std::path::Path;
use std::process::{Child, ChildStdin, Command};

/// The client id the server knows clerk by.
pub const CLIENT_ID: &str = "clerk-test-client";
/// Where [`OAuthServer::config_table`] tells clerk to find the client secret, beside its config.
pub const CLIENT_SECRET_FILE: &str = "oauth-client-secret";

/// How to set up an [`OAuthServer`]: `OAuthServer::builder("a@office.test").lifetime(2).start()`.
#[derive(Clone, Debug)]
pub struct OAuthServerBuilder {
    email: String,
    refresh_tokens: Vec<String>,
    lifetime_seconds: u32,
    rotate: bool,
    client_secret: Option<String>,
}

impl OAuthServerBuilder {
    /// A refresh token that works from the start, as if someone had signed in earlier.
    pub fn refresh_token(mut self, token: &str) -> Self {
        self.refresh_tokens.push(token.to_string());
        self
    }

    /// How long each access token lives (default an hour).
    pub fn lifetime(mut self, seconds: u32) -> Self {
        self.lifetime_seconds = seconds;
        self
    }

    /// Replace the refresh token on every refresh, retiring the old one (as Microsoft does).
    pub fn rotate(mut self) -> Self {
        self.rotate = true;
        self
    }

    /// Require this client secret besides [`CLIENT_ID`].
    pub fn client_secret(mut self, secret: &str) -> Self {
        self.client_secret = Some(secret.to_string());
        self
    }

    pub fn start(self) -> OAuthServer {
        OAuthServer::launch(self)
    }
}

/// A running authorization server. Dropping it stops the server and removes its directory.
pub struct OAuthServer {
    dir: TestDir,
    port: u16,
    client_secret: Option<String>,
    process: Option<(Child, ChildStdin)>,
}

impl OAuthServer {
    /// A server whose tokens all belong to `email`.
    pub fn builder(email: &str) -> OAuthServerBuilder {
        OAuthServerBuilder {
            email: email.to_string(),
            refresh_tokens: Vec::new(),
            lifetime_seconds: 3600,
            rotate: false,
            client_secret: None,
        }
    }

    fn launch(options: OAuthServerBuilder) -> OAuthServer {
        let dir = TestDir::new("oauth");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/oauth_server.py");
        for attempt in 1.. {
            let port = free_port();
            let mut command = Command::new(PYTHON);
            command.arg(&script).args(["--port", &port.to_string(), "--client-id", CLIENT_ID]);
            command.args(["--email", &options.email, "--lifetime", &options.lifetime_seconds.to_string()]);
            for token in &options.refresh_tokens {
                command.args(["--refresh-token", token]);
            }
            if let Some(secret) = &options.client_secret {
                command.args(["--client-secret", secret]);
            }
            if options.rotate {
                command.arg("--rotate");
            }
            match spawn_listening(command, &dir.path().join("oauth.log")) {
                Ok(process) => {
                    let client_secret = options.client_secret;
                    return OAuthServer { dir, port, client_secret, process: Some(process) };
                }
                Err(e) if address_in_use(&e) && attempt < 5 => continue,
                Err(e) => panic!("{e}"),
            }
        }
        unreachable!()
    }

    /// `http://127.0.0.1:PORT/PATH`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{}", self.port, path.trim_start_matches('/'))
    }

    /// The `[oauth2.NAME]` table for clerk: this server's endpoints and [`CLIENT_ID`], and, when the server
    /// wants a client secret, `client_secret_file` naming [`CLIENT_SECRET_FILE`] beside the config.
    pub fn config_table(&self, name: &str) -> String {
        let secret = if self.client_secret.is_some() {
            format!("client_secret_file = \"{CLIENT_SECRET_FILE}\"\n")
        } else {
            String::new()
        };
        format!(
            "[oauth2.{name}]\nclient_id = \"{CLIENT_ID}\"\n{secret}authorization_url = \"{}\"\ntoken_url = \"{}\"\n\
             device_authorization_url = \"{}\"\nscopes = [\"mail\", \"offline_access\"]\n",
            self.url("authorize"),
            self.url("token"),
            self.url("device")
        )
    }

    /// The client secret the server wants, if any.
    pub fn client_secret(&self) -> Option<&str> {
        self.client_secret.as_deref()
    }

    /// Makes every access token issued so far stop working at once, as a provider revoking them does.
    pub fn expire_access_tokens(&self) {
        let response = http_get(self.port, "/expire");
        assert!(response.starts_with("HTTP/1.0 200"), "{response}");
    }

    /// What the server has seen: refreshes, introspections (and how many found a live token), device polls.
    pub fn stats(&self) -> serde_json::Value {
        let response = http_get(self.port, "/stats");
        let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
        serde_json::from_str(body).unwrap_or_else(|e| panic!("/stats: {e}: {response}"))
    }

    /// A counter from [`stats`](Self::stats).
    pub fn count(&self, name: &str) -> u64 {
        self.stats()[name].as_u64().unwrap_or_else(|| panic!("no counter {name}"))
    }

    /// GET `url` (one of this server's) as a browser would, without following redirects: the whole response.
    pub fn browse(&self, url: &str) -> String {
        let origin = format!("http://127.0.0.1:{}", self.port);
        http_get(self.port, url.strip_prefix(&origin).unwrap_or(url))
    }

    /// The server's log, for diagnostics.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("oauth.log")).unwrap_or_default()
    }
}

impl Drop for OAuthServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "--- OAuth server log ---\n{}",
                super::log_tail(&self.dir.path().join("oauth.log"), 30)
            );
        }
        if let Some((mut child, _stdin)) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
