//! Keeping the feeds current: every second the publisher looks at each calendar's version and renders
//! again only the feeds whose calendar changed (or whose window of dates moved on at midnight), so
//! subscribers are served a body rendered once per change. A new body gets a strong ETag over its bytes
//! and a Last-Modified later than the one before, and is written to `[feeds] dir` if one is set.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use tokio::sync::watch;
use tracing::{info, warn};

use super::{Feed, FeedsError, Kind, tokens};
use crate::calendar::agenda::Days;
use crate::calendar::feed::{self, Heading, Stamped, Window};
use crate::config::FeedSettings;
use crate::intake::CurrentRules;
use crate::office::Office;
use crate::store::{Db, Published};

/// How often the publisher looks for changes: a change shows in the feeds within this.
const LOOK_EVERY: Duration = Duration::from_secs(1);

/// Google Calendar drops feeds larger than this; the log says so when one is.
const GOOGLE_LIMIT: usize = 1_000_000;

/// One feed as served: its bytes, gzipped too, and their validators.
#[derive(Debug)]
pub struct Rendered {
    pub feed: Feed,
    pub body: Bytes,
    /// The body gzipped, for the subscribers that accept it: a tenth of the bytes.
    pub gzipped: Bytes,
    /// Strong, quoted: `"3f2a…"`; the gzipped body's is `"3f2a…-gz"`, as a strong ETag names one
    /// representation.
    pub etag: String,
    pub modified: DateTime<Utc>,
}

impl Rendered {
    /// The ETag of the gzipped body.
    pub fn gzip_etag(&self) -> String {
        format!("{}-gz\"", self.etag.trim_end_matches('"'))
    }
}

/// The rendered feeds by token: what the HTTP side serves. The publisher replaces the whole map, so a
/// reader never sees half a change.
#[derive(Debug, Clone, Default)]
pub struct Shelf(Arc<RwLock<Arc<ByToken>>>);

/// Rendered feeds by their tokens.
type ByToken = HashMap<String, Arc<Rendered>>;

impl Shelf {
    /// The feed whose token is `token`.
    pub fn get(&self, token: &str) -> Option<Arc<Rendered>> {
        let map = self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        map.get(token).cloned()
    }

    fn replace(&self, map: ByToken) {
        *self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(map);
    }
}

/// What a rendered body depends on: the same basis gives the same bytes.
#[derive(Debug, Clone, PartialEq)]
struct Basis {
    version: i64,
    window: Window,
    feed: Feed,
    refresh: Duration,
}

/// Renders the feeds and keeps the [`Shelf`] current.
pub struct Publisher {
    db: Db,
    settings: FeedSettings,
    shelf: Shelf,
    rendered: HashMap<String, (Basis, Arc<Rendered>)>,
}

impl Publisher {
    pub fn new(db: Db, settings: FeedSettings) -> Publisher {
        Publisher { db, settings, shelf: Shelf::default(), rendered: HashMap::new() }
    }

    /// The shelf this publisher fills, for the HTTP side.
    pub fn shelf(&self) -> Shelf {
        self.shelf.clone()
    }

    /// One look: renders the feeds of `office` whose basis changed, and puts every feed on the shelf
    /// under its current token. Returns how many were rendered.
    pub async fn refresh(&mut self, office: &Office, now: DateTime<Utc>) -> Result<usize, FeedsError> {
        let feeds = super::catalogue(office);
        let (tokens, versions) = self
            .db
            .run(move |store| Ok::<_, FeedsError>((tokens(store, &feeds)?, store.calendar_versions()?)))
            .await?;
        let mut shelf = HashMap::new();
        let mut rendered = 0;
        for (feed, token) in tokens {
            // The office's events are in any calendar: any change may be one of theirs.
            let version = match feed.kind {
                Kind::OfficeEvents => versions.values().sum(),
                _ => versions.get(&feed.calendar).copied().unwrap_or(0),
            };
            let basis = Basis {
                version,
                window: window(&self.settings, now, feed.timezone),
                feed: feed.clone(),
                refresh: self.settings.refresh,
            };
            let current = match self.rendered.get(&feed.key) {
                Some((was, body)) if *was == basis => body.clone(),
                _ => match self.render(&basis, now).await {
                    Ok(body) => {
                        rendered += 1;
                        self.rendered.insert(feed.key.clone(), (basis, body.clone()));
                        body
                    }
                    Err(e) => {
                        warn!(feed = %feed.key, error = %e, "cannot render the feed; still serving the last one");
                        match self.rendered.get(&feed.key) {
                            Some((_, body)) => body.clone(),
                            None => continue,
                        }
                    }
                },
            };
            shelf.insert(token, current);
        }
        self.shelf.replace(shelf);
        Ok(rendered)
    }

    async fn render(&self, basis: &Basis, now: DateTime<Utc>) -> Result<Arc<Rendered>, RenderError> {
        let (calendar, window, kind) = (basis.feed.calendar.clone(), basis.window, basis.feed.kind);
        let events: Vec<Stamped> = self
            .db
            .run(move |store| match kind {
                Kind::OfficeEvents => store.planned_stamped(window.from, window.to),
                _ => store.stamped_events(&calendar, window.from, window.to),
            })
            .await?;
        let heading = Heading {
            title: basis.feed.title.clone(),
            timezone: basis.feed.timezone,
            refresh: basis.refresh,
        };
        let (body, gzipped) = tokio::task::spawn_blocking(move || {
            let body = match kind {
                Kind::Events | Kind::Room | Kind::OfficeEvents => feed::events(&heading, &events, window),
                Kind::FreeBusy => feed::free_busy(&heading, &events, window),
            };
            let gzipped = gzip(body.text.as_bytes()).map_err(RenderError::Gzip)?;
            Ok::<_, RenderError>((body, gzipped))
        })
        .await
        .map_err(|e| RenderError::Panicked(e.to_string()))??;
        for cut in &body.cuts {
            warn!(feed = %basis.feed.key, "{cut}");
        }
        let body = body.text;
        let etag = etag(body.as_bytes());
        let key = basis.feed.key.clone();
        let published = self.db.run(move |store| store.published(&key)).await?;
        let modified = match &published {
            Some(was) if was.etag == etag => was.modified,
            Some(was) => now.max(was.modified + TimeDelta::seconds(1)),
            None => now,
        };
        let modified = DateTime::from_timestamp(modified.timestamp(), 0).unwrap_or(modified);
        if published.as_ref().is_none_or(|was| was.etag != etag) {
            let (key, new) = (basis.feed.key.clone(), Published { etag: etag.clone(), modified });
            self.db.run(move |store| store.set_published(&key, &new)).await?;
            info!(feed = %basis.feed.key, bytes = body.len(), "feed published");
        }
        if body.len() > GOOGLE_LIMIT {
            warn!(
                feed = %basis.feed.key,
                bytes = body.len(),
                "the feed is over 1 MB, which Google Calendar refuses: shorten [feeds] past or ahead"
            );
        }
        let body = Bytes::from(body);
        if let Some(dir) = &self.settings.dir {
            // Creating, writing and fsyncing a file blocks: done on the blocking pool, so that the
            // async workers go on serving subscribers and mail meanwhile.
            let (target, file, bytes) = (dir.clone(), basis.feed.file.clone(), body.clone());
            let written = tokio::task::spawn_blocking(move || write_atomically(&target, &file, &bytes))
                .await
                .unwrap_or_else(|e| Err(std::io::Error::other(e)));
            if let Err(e) = written {
                warn!(feed = %basis.feed.key, dir = %dir.display(), error = %e, "cannot write the feed's file");
            }
        }
        Ok(Arc::new(Rendered {
            feed: basis.feed.clone(),
            body,
            gzipped: Bytes::from(gzipped),
            etag,
            modified,
        }))
    }
}

/// Why a feed could not be rendered.
#[derive(Debug, thiserror::Error)]
enum RenderError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("rendering failed: {0}")]
    Panicked(String),
    #[error("cannot gzip the feed: {0}")]
    Gzip(std::io::Error),
}

fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body)?;
    encoder.finish()
}

/// A strong ETag: the first 128 bits of the body's SHA-256, quoted.
fn etag(body: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, body);
    let hex: String = digest.as_ref()[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Writes `dir/file` so that a web server serving it sends the old feed or the new one, never part of
/// one; readable by all, as a published file is meant to be.
fn write_atomically(dir: &Path, file: &str, body: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    crate::durable::write_atomically(dir, file, body, 0o644)
}

/// The window of a feed rendered at `now`: from `past` before today to `ahead` after it, in whole
/// days of the feed's own zone (a calendar kept in Rome shows Rome's days), so that it moves once a
/// day, at that zone's midnight, and an event just after local midnight is in or out with its day.
fn window(settings: &FeedSettings, now: DateTime<Utc>, zone: Tz) -> Window {
    let today = now.with_timezone(&zone).date_naive();
    let days = |d: Duration| chrono::Days::new(d.as_secs() / 86_400);
    let first = today.checked_sub_days(days(settings.past)).unwrap_or(NaiveDate::MIN);
    let last = today.checked_add_days(days(settings.ahead)).unwrap_or(NaiveDate::MAX);
    let (from, to) = Days::window(zone, first, last);
    Window { from, to }
}

/// Keeps the feeds of the rules in force current until `stopped` turns true.
pub async fn run(mut publisher: Publisher, rules: CurrentRules, mut stopped: watch::Receiver<bool>) {
    let mut failing = false;
    while !*stopped.borrow() {
        let current = rules.get();
        match publisher.refresh(&current.office, Utc::now()).await {
            Ok(_) => failing = false,
            // Said once per stretch of failures, not every second.
            Err(e) if !failing => {
                warn!(error = %e, "cannot bring the feeds up to date; serving the last ones");
                failing = true;
            }
            Err(_) => {}
        }
        tokio::select! {
            _ = tokio::time::sleep(LOOK_EVERY) => {}
            _ = stopped.changed() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(past_days: u64, ahead_days: u64) -> FeedSettings {
        FeedSettings {
            past: Duration::from_secs(past_days * 86_400),
            ahead: Duration::from_secs(ahead_days * 86_400),
            ..FeedSettings::default()
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).expect("a test instant")
    }

    #[test]
    fn a_feed_window_runs_from_local_midnight_to_local_midnight() {
        // 23:30 UTC on 7 December is already 00:30 on the 8th in Rome: Rome's today is the 8th.
        let window = window(&settings(1, 2), at("2026-12-07T23:30:00Z"), chrono_tz::Europe::Rome);
        assert_eq!(window.from, at("2026-12-06T23:00:00Z"), "midnight of the 7th in Rome");
        assert_eq!(window.to, at("2026-12-10T23:00:00Z"), "midnight after the 10th in Rome");
    }

    #[test]
    fn a_feed_window_moves_at_the_zones_midnight_not_at_utcs() {
        let zone = chrono_tz::America::New_York;
        let before = window(&settings(0, 0), at("2026-12-08T04:59:00Z"), zone);
        let after = window(&settings(0, 0), at("2026-12-08T05:00:00Z"), zone);
        assert_eq!(before.from, at("2026-12-07T05:00:00Z"));
        assert_eq!(after.from, at("2026-12-08T05:00:00Z"));
    }

    #[test]
    fn a_feed_window_reaching_beyond_the_calendar_is_cut_not_a_panic() {
        let window =
            window(&settings(u64::MAX / 86_400, u64::MAX / 86_400), at("2026-12-07T12:00:00Z"), Tz::UTC);
        assert!(window.from < window.to);
    }
}
