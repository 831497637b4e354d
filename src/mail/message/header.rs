//! Header fields as readable values: names as the sender wrote them, text unfolded and RFC 2047-decoded
//! (on one line where it goes into replies), message ids and dates, for every header and not only the
//! ones mail-parser knows.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use mail_parser::HeaderValue;
use mail_parser::parsers::MessageStream;

/// The header name as the sender wrote it (mail-parser canonicalises the ones it knows).
pub(super) fn header_name(mail: &[u8], header: &mail_parser::Header<'_>) -> String {
    let field = mail.get(header.offset_field as usize..header.offset_start as usize).unwrap_or_default();
    let field = field.strip_suffix(b":").unwrap_or(field).trim_ascii();
    match std::str::from_utf8(field) {
        Ok(name) => name.to_owned(),
        Err(_) => String::from_utf8_lossy(field).into_owned(),
    }
}

/// A raw header value unfolded and RFC 2047-decoded, as readable text.
///
/// Folding line breaks and the white space around them become one space; white space inside a line is
/// kept. mail-parser's unstructured-text decoder does this too, but it needs a final line break and
/// allocates per token, so it is only used when there is an encoded word to decode.
pub(super) fn header_text(raw: &[u8]) -> String {
    if raw.windows(2).any(|w| w == b"=?") {
        return decode_encoded_words(raw);
    }
    let text = match std::str::from_utf8(raw) {
        Ok(text) => Cow::Borrowed(text),
        // Raw 8-bit headers that are not UTF-8 (old mailers' Latin-1): keep what can be read.
        Err(_) => String::from_utf8_lossy(raw),
    };
    let text = text.trim();
    if !text.contains('\n') {
        return text.to_owned();
    }
    let mut unfolded = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !unfolded.is_empty() {
            unfolded.push(' ');
        }
        unfolded.push_str(line);
    }
    unfolded
}

fn decode_encoded_words(raw: &[u8]) -> String {
    let decoded = if raw.ends_with(b"\n") {
        MessageStream::new(raw).parse_unstructured()
    } else {
        // The last header of a message without a body may lack its line break.
        let mut terminated = Vec::with_capacity(raw.len() + 1);
        terminated.extend_from_slice(raw);
        terminated.push(b'\n');
        return text_of(MessageStream::new(&terminated).parse_unstructured());
    };
    text_of(decoded)
}

fn text_of(value: HeaderValue<'_>) -> String {
    value.into_text().map(Cow::into_owned).unwrap_or_default()
}

/// Text from a header made one line: a line break or other control character (an RFC 2047 word can
/// carry any, `=?utf-8?q?Anna=0D=0ABcc:?=`) and the white space around it become one space.
///
/// The subject and display names go into replies, forwards, logs and the journal; a line break there
/// would make every reply to the message refused as header injection, so the whole message failed.
/// A calendar's SUMMARY, LOCATION and names go the same ways. Text without control characters is
/// returned as it is, inner white space included.
pub(crate) fn one_line(text: &str) -> Cow<'_, str> {
    let text = text.trim();
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut line = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()) {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    Cow::Owned(line)
}

pub(super) fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.to_string()],
        HeaderValue::TextList(ids) => ids.iter().map(|id| id.to_string()).collect(),
        _ => Vec::new(),
    }
}

pub(super) fn to_chrono(date: &mail_parser::DateTime) -> Option<DateTime<FixedOffset>> {
    if !date.is_valid() {
        return None;
    }
    let offset = i32::from(date.tz_hour) * 3600 + i32::from(date.tz_minute) * 60;
    let zone = FixedOffset::east_opt(if date.tz_before_gmt { -offset } else { offset })?;
    let day = NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())?;
    let time = NaiveTime::from_hms_opt(date.hour.into(), date.minute.into(), date.second.into())?;
    zone.from_local_datetime(&day.and_time(time)).single()
}
