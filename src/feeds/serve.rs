//! Answering subscribers: `GET /feeds/TOKEN/NAME.ics` (and HEAD) from the [`Shelf`], gzipped for
//! those that accept it, with a 304 when the subscriber's copy is current (If-None-Match, else
//! If-Modified-Since). An unknown token is a plain 404 that says nothing about which feeds exist.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::publish::{Rendered, Shelf};

/// The handler of `/feeds/{token}/{file}`; the file name is only for people and programs that like
/// one, the token alone chooses the feed.
pub async fn feed(
    Path((token, _file)): Path<(String, String)>,
    headers: HeaderMap,
    State(shelf): State<Shelf>,
) -> Response {
    let Some(rendered) = shelf.get(&token) else {
        return (StatusCode::NOT_FOUND, "no such feed\n").into_response();
    };
    let gzip = accepts_gzip(&headers);
    let etag = if gzip { rendered.gzip_etag() } else { rendered.etag.clone() };
    let validators = [
        (header::ETAG, header_value(&etag)),
        (header::LAST_MODIFIED, header_value(&http_date(rendered.modified))),
        // Subscribers may keep it, but must ask whether it changed before using it again.
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
        (header::VARY, HeaderValue::from_static("Accept-Encoding")),
    ];
    if is_current(&headers, &rendered) {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    let disposition = header_value(&format!("inline; filename=\"{}\"", rendered.feed.file));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    if gzip {
        let encoding = [(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"))];
        (StatusCode::OK, validators, headers, encoding, rendered.gzipped.clone()).into_response()
    } else {
        (StatusCode::OK, validators, headers, rendered.body.clone()).into_response()
    }
}

/// Whether the request's Accept-Encoding takes gzip: named without `q=0`, or `*` when gzip is not
/// refused by name.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut star = false;
    let mut gzip = None;
    for value in headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()) {
        for coding in value.split(',') {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or("").to_ascii_lowercase();
            let refused = parts.any(|p| {
                let p = p.replace(' ', "").to_ascii_lowercase();
                p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0)
            });
            match name.as_str() {
                "gzip" | "x-gzip" => gzip = Some(!refused),
                "*" => star = !refused,
                _ => {}
            }
        }
    }
    gzip.unwrap_or(star)
}

/// Whether the subscriber's copy is the one served (RFC 9110 §13.2.2: If-None-Match decides when
/// present; If-Modified-Since only without it).
fn is_current(headers: &HeaderMap, rendered: &Rendered) -> bool {
    if let Some(tags) = headers.get(header::IF_NONE_MATCH) {
        let Ok(tags) = tags.to_str() else { return false };
        // Weak comparison, as If-None-Match asks: W/"x" matches "x"; either representation's tag
        // says the subscriber holds the current content.
        let gzip_etag = rendered.gzip_etag();
        return tags.split(',').map(str::trim).any(|tag| {
            let tag = tag.trim_start_matches("W/");
            tag == "*" || tag == rendered.etag || tag == gzip_etag
        });
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|since| since.to_str().ok())
        .and_then(|since| DateTime::parse_from_rfc2822(since).ok())
        .is_some_and(|since| rendered.modified <= since)
}

/// An IMF-fixdate: `Tue, 24 Nov 2026 15:00:00 GMT`.
fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::{Feed, Kind};
    use axum::body::Bytes;

    fn rendered() -> Rendered {
        Rendered {
            feed: Feed {
                key: "calendar:giulia".into(),
                calendar: "giulia".into(),
                kind: Kind::Events,
                title: "Giulia".into(),
                file: "giulia.ics".into(),
                timezone: chrono_tz::Europe::Rome,
            },
            body: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into(),
            gzipped: Bytes::new(),
            etag: "\"abc\"".into(),
            modified: DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap().with_timezone(&Utc),
        }
    }

    fn asking(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn the_same_etag_among_several_is_current() {
        assert!(is_current(&asking(header::IF_NONE_MATCH, "\"old\", \"abc\""), &rendered()));
        assert!(is_current(&asking(header::IF_NONE_MATCH, "W/\"abc\""), &rendered()));
        assert!(!is_current(&asking(header::IF_NONE_MATCH, "\"old\""), &rendered()));
    }

    #[test]
    fn a_copy_from_after_the_last_change_is_current() {
        assert!(is_current(&asking(header::IF_MODIFIED_SINCE, "Mon, 23 Nov 2026 10:00:00 GMT"), &rendered()));
        assert!(!is_current(
            &asking(header::IF_MODIFIED_SINCE, "Mon, 23 Nov 2026 09:59:59 GMT"),
            &rendered()
        ));
    }

    #[test]
    fn if_none_match_decides_over_if_modified_since() {
        let mut headers = asking(header::IF_NONE_MATCH, "\"old\"");
        headers.insert(header::IF_MODIFIED_SINCE, HeaderValue::from_static("Mon, 23 Nov 2026 10:00:00 GMT"));
        assert!(!is_current(&headers, &rendered()));
    }

    #[test]
    fn the_gzipped_bodys_etag_is_current_too() {
        assert!(is_current(&asking(header::IF_NONE_MATCH, "\"abc-gz\""), &rendered()));
    }

    #[test]
    fn gzip_is_served_to_those_that_accept_it_and_not_to_those_that_refuse_it() {
        assert!(accepts_gzip(&asking(header::ACCEPT_ENCODING, "gzip, deflate, br")));
        assert!(accepts_gzip(&asking(header::ACCEPT_ENCODING, "br;q=1.0, gzip;q=0.8")));
        assert!(!accepts_gzip(&asking(header::ACCEPT_ENCODING, "gzip;q=0, identity")));
        assert!(!accepts_gzip(&asking(header::ACCEPT_ENCODING, "identity")));
        assert!(!accepts_gzip(&HeaderMap::new()));
        assert!(!accepts_gzip(&asking(header::ACCEPT_ENCODING, "gzip;q=0, *")));
        assert!(!accepts_gzip(&asking(header::ACCEPT_ENCODING, "gzip;Q=0")));
        assert!(accepts_gzip(&asking(header::ACCEPT_ENCODING, "*")));
    }

    #[test]
    fn dates_are_written_as_http_asks() {
        assert_eq!(http_date(rendered().modified), "Mon, 23 Nov 2026 10:00:00 GMT");
    }
}
