//! `[log]` and `[http]`: how the running daemon can be watched — how much it logs, and where it serves
//! `/metrics`.

use std::net::SocketAddr;

use serde::Deserialize;
use toml::Spanned;

use super::errors::Problem;

#[derive(Deserialize, Default)]
pub(super) struct RawHttp {
    listen: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
pub(super) struct RawLog {
    level: Option<Spanned<String>>,
}

/// `[log] level`, checked to be a level the logger understands; a bad one is a problem at it.
pub(super) fn log_level(raw: RawLog, problems: &mut Vec<Problem>) -> Option<String> {
    let level = raw.level?;
    if let Err(e) = crate::logging::check_level(level.get_ref()) {
        problems.push((level.span(), format!("`level`: {e}")));
    }
    Some(level.into_inner())
}

/// `[http] listen`: an address and port; a bad one is a problem at it.
pub(super) fn http_listen(raw: &RawHttp, problems: &mut Vec<Problem>) -> Option<SocketAddr> {
    raw.listen.as_ref().and_then(|listen| match listen.get_ref().parse() {
        Ok(address) => Some(address),
        Err(_) => {
            let message = format!(
                "`listen`: {:?} is not an address and port, e.g. \"127.0.0.1:8025\"",
                listen.get_ref()
            );
            problems.push((listen.span(), message));
            None
        }
    })
}
