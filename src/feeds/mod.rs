//! The office's published calendars: which feeds there are (each calendar's events, its free/busy,
//! each room's events), their secret links, and `clerk feeds`, which prints and rotates them.
//!
//! A feed is reached only at `/feeds/TOKEN/NAME.ics`, with a random 160-bit token per feed: whoever has
//! the link can read the feed, nobody can guess one, and rotating a token closes the old link at once.
//! [`publish`] renders the feeds when their calendars change; [`serve`] answers subscribers.

pub mod publish;
pub mod serve;

use std::fmt::Write as _;

use chrono_tz::Tz;

use crate::config::FeedSettings;
use crate::office::Office;
use crate::store::{Store, StoreError};

/// Which of a calendar's feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A calendar's events, with titles and places.
    Events,
    /// Only when a calendar is busy.
    FreeBusy,
    /// A room's events.
    Room,
    /// The office's own events (#20), from whatever calendar they are in.
    OfficeEvents,
}

/// One published feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// Its key in the store and on the command line: `calendar:NAME`, `busy:NAME`, `room:NAME` or
    /// `events`.
    pub key: String,
    /// The calendar or room whose events it shows; empty for the office's events, which are in any.
    pub calendar: String,
    pub kind: Kind,
    /// Its name in subscribers' calendar lists.
    pub title: String,
    /// The last part of its URL and its file name in `[feeds] dir`: `giulia.ics`.
    pub file: String,
    pub timezone: Tz,
}

/// Every feed of `office`: each calendar's events and free/busy, each room's events, and the
/// office's own events when it has a calendar to put them in.
pub fn catalogue(office: &Office) -> Vec<Feed> {
    let mut feeds = Vec::new();
    for calendar in &office.calendars {
        let zone = calendar.policy.timezone;
        let owner = office.owners.iter().find(|o| o.address.eq_ignore_ascii_case(&calendar.owner));
        let whose = owner.map_or(calendar.name.as_str(), |o| o.name.as_str());
        feeds.push(feed(Kind::Events, &calendar.name, format!("{whose} · {}", office.name), zone));
        feeds.push(feed(
            Kind::FreeBusy,
            &calendar.name,
            format!("{whose} (free/busy) · {}", office.name),
            zone,
        ));
    }
    for room in &office.rooms {
        feeds.push(feed(
            Kind::Room,
            &room.name,
            format!("{} · {}", room.name, office.name),
            room.policy.timezone,
        ));
    }
    if office.events_calendar().is_some() {
        feeds.push(Feed {
            key: "events".to_owned(),
            calendar: String::new(),
            kind: Kind::OfficeEvents,
            title: format!("Events · {}", office.name),
            file: "events.ics".to_owned(),
            timezone: office.timezone,
        });
    }
    // Two names can make the same file name ("Sala Verde", "sala-verde"); numbering keeps them apart.
    for i in 1..feeds.len() {
        let mut n = 2;
        let stem = feeds[i].file.trim_end_matches(".ics").to_owned();
        while feeds[..i].iter().any(|earlier| earlier.file == feeds[i].file) {
            feeds[i].file = format!("{stem}-{n}.ics");
            n += 1;
        }
    }
    feeds
}

fn feed(kind: Kind, calendar: &str, title: String, timezone: Tz) -> Feed {
    let (prefix, suffix) = match kind {
        Kind::Events => ("calendar", ""),
        Kind::FreeBusy => ("busy", "-busy"),
        Kind::Room => ("room", ""),
        Kind::OfficeEvents => ("events", ""),
    };
    let slug: String = calendar
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() { prefix.to_owned() } else { slug };
    Feed {
        key: format!("{prefix}:{calendar}"),
        calendar: calendar.to_owned(),
        kind,
        title,
        file: format!("{slug}{suffix}.ics"),
        timezone,
    }
}

/// A new unguessable token: 160 random bits, hex.
pub fn new_token() -> Result<String, FeedsError> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 20];
    ring::rand::SystemRandom::new().fill(&mut bytes).map_err(|_| FeedsError::Random)?;
    Ok(bytes.iter().fold(String::with_capacity(40), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    }))
}

/// Each feed of `feeds` with its token, giving a token to those without one (the only write, so
/// looking every second costs a read).
pub fn tokens(store: &mut Store, feeds: &[Feed]) -> Result<Vec<(Feed, String)>, FeedsError> {
    let known = store.feed_tokens()?;
    feeds
        .iter()
        .map(|feed| {
            let token = match known.get(&feed.key) {
                Some(token) => token.clone(),
                None => store.feed_token_or(&feed.key, &new_token()?)?,
            };
            Ok((feed.clone(), token))
        })
        .collect()
}

/// The base of the feeds' links: `[feeds] url`, else the `[http] listen` address.
pub fn base_url(settings: &FeedSettings, listen: Option<std::net::SocketAddr>) -> Option<String> {
    match (&settings.url, listen) {
        (Some(url), _) => Some(url.as_str().trim_end_matches('/').to_owned()),
        (None, Some(listen)) => Some(format!("http://{listen}")),
        (None, None) => None,
    }
}

/// The link of a feed with `token`, under `base`.
pub fn link(base: &str, feed: &Feed, token: &str) -> String {
    format!("{base}/feeds/{token}/{}", feed.file)
}

/// The `webcal://` form of an http(s) link, which calendar programs open as a subscription.
pub fn webcal(link: &str) -> String {
    let rest = link.strip_prefix("https://").or_else(|| link.strip_prefix("http://")).unwrap_or(link);
    format!("webcal://{rest}")
}

/// `clerk feeds`: every feed with its links, after rotating `rotate`'s token if asked.
pub fn report(
    store: &mut Store,
    office: &Office,
    settings: &FeedSettings,
    listen: Option<std::net::SocketAddr>,
    rotate: Option<&str>,
) -> Result<String, FeedsError> {
    let feeds = catalogue(office);
    if feeds.is_empty() {
        return Ok("office.toml has no [[calendar]] or [[room]]: there is nothing to publish.\n".into());
    }
    let mut rotated = None;
    if let Some(wanted) = rotate {
        let feed =
            feeds.iter().find(|f| f.key == wanted || f.file == wanted || f.file == format!("{wanted}.ics"));
        let Some(feed) = feed else {
            let known: Vec<&str> = feeds.iter().map(|f| f.key.as_str()).collect();
            return Err(FeedsError::Unknown { name: wanted.to_owned(), known: known.join(", ") });
        };
        store.set_feed_token(&feed.key, &new_token()?)?;
        rotated = Some(feed.key.clone());
    }
    let base = base_url(settings, listen);
    let mut text = String::new();
    for (feed, token) in tokens(store, &feeds)? {
        let new = if rotated.as_ref() == Some(&feed.key) {
            "  (new link; the old one no longer works)"
        } else {
            ""
        };
        let _ = writeln!(text, "{}  {}{new}", feed.key, feed.title);
        match &base {
            Some(base) => {
                let link = link(base, &feed, &token);
                let _ = writeln!(text, "  {link}\n  {}", webcal(&link));
            }
            None => {
                let _ = writeln!(text, "  /feeds/{token}/{}", feed.file);
            }
        }
        if let Some(dir) = &settings.dir {
            let _ = writeln!(text, "  {}", dir.join(&feed.file).display());
        }
    }
    if base.is_none() {
        text.push_str("\nThe daemon serves feeds only with [http] listen set in clerk.toml ([feeds] url gives the public address).\n");
    }
    Ok(text)
}

/// Why `clerk feeds` failed.
#[derive(Debug, thiserror::Error)]
pub enum FeedsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the system's random number generator failed")]
    Random,
    #[error("no feed `{name}`; there are: {known}")]
    Unknown { name: String, known: String },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::{A_RULE, Dir, OFFICE};

    fn office(extra: &str) -> Office {
        let dir = Dir::new();
        dir.write("office.toml", &format!("{OFFICE}\n{extra}"));
        dir.write("10.rules.toml", A_RULE);
        dir.load().office.clone()
    }

    #[test]
    fn the_office_events_have_a_feed_of_their_own_beside_each_calendars() {
        let feeds =
            catalogue(&office("[[calendar]]\nname = \"giulia\"\nowner = \"giulia@office.example\"\n"));
        let keys: Vec<&str> = feeds.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["calendar:giulia", "busy:giulia", "events"]);
        let events = &feeds[2];
        assert_eq!((events.kind, events.file.as_str()), (Kind::OfficeEvents, "events.ics"));
        assert_eq!(events.title, "Events · Rossi & Bianchi Studio");
    }

    #[test]
    fn an_office_without_a_calendar_has_no_events_feed() {
        let feeds = catalogue(&office("[[room]]\nname = \"Sala Verde\"\ncapacity = 8\n"));
        assert!(feeds.iter().all(|f| f.kind != Kind::OfficeEvents), "{feeds:?}");
    }
}
