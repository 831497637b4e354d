//! `[feeds]` in clerk.toml: where subscribers reach the published calendars, where static copies are
//! written, and how much of each calendar a feed holds.
//!
//! ```toml
//! [feeds]
//! url = "https://office.example/clerk"   # the public address of [http] listen, for the links
//! dir = "/var/www/calendars"             # also write every feed here as NAME.ics
//! past = "30d"                           # events that ended up to this long ago
//! ahead = "365d"                         # events up to this far ahead
//! refresh = "1h"                         # how often subscribers are asked to fetch again
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::errors::Problem;
use super::quantities::{DurationValue, duration};

/// How the office's calendars are published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSettings {
    /// The address subscribers use to reach `[http] listen`, without a trailing slash; when not set,
    /// `http://` and the listen address.
    pub url: Option<url::Url>,
    /// A directory that gets every feed as an .ics file, rewritten atomically on every change.
    pub dir: Option<PathBuf>,
    /// How far back a feed reaches.
    pub past: Duration,
    /// How far ahead a feed reaches.
    pub ahead: Duration,
    /// REFRESH-INTERVAL and X-PUBLISHED-TTL.
    pub refresh: Duration,
}

impl Default for FeedSettings {
    fn default() -> FeedSettings {
        FeedSettings {
            url: None,
            dir: None,
            past: Duration::from_secs(30 * 86_400),
            ahead: Duration::from_secs(365 * 86_400),
            refresh: Duration::from_secs(3600),
        }
    }
}

#[derive(Deserialize, Default)]
pub(super) struct RawFeeds {
    url: Option<Spanned<String>>,
    dir: Option<PathBuf>,
    past: Option<Spanned<DurationValue>>,
    ahead: Option<Spanned<DurationValue>>,
    refresh: Option<Spanned<DurationValue>>,
}

/// Reads `[feeds]`, relative paths taken from `base`; every problem is added to `problems`.
pub(super) fn settings(raw: &RawFeeds, base: &Path, problems: &mut Vec<Problem>) -> FeedSettings {
    let defaults = FeedSettings::default();
    let past = duration(&raw.past, "past", defaults.past, problems);
    let ahead = duration(&raw.ahead, "ahead", defaults.ahead, problems);
    let refresh = duration(&raw.refresh, "refresh", defaults.refresh, problems);
    if refresh < Duration::from_secs(60) {
        let at = raw.refresh.as_ref().map_or(0..0, Spanned::span);
        problems.push((at, "`refresh` must be at least a minute: subscribers would fetch constantly".into()));
    }
    let url = raw.url.as_ref().and_then(|text| match url::Url::parse(text.get_ref().trim_end_matches('/')) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url),
        _ => {
            let message = format!(
                "`url`: {:?} is not an http:// or https:// address, e.g. \"https://office.example/clerk\"",
                text.get_ref()
            );
            problems.push((text.span(), message));
            None
        }
    });
    FeedSettings { url, dir: raw.dir.as_ref().map(|dir| base.join(dir)), past, ahead, refresh }
}
