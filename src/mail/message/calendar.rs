//! Calendar objects carried by a message: which parts are calendars, their iTIP method, and how an
//! identical copy is recognised, so that an invitation sent twice is read once and what it asks is known.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

/// A calendar object carried by the message (a text/calendar part or an .ics attachment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarPart {
    /// The iTIP method (`REQUEST`, `CANCEL`, `REPLY`, …), upper case, from the METHOD property or, failing
    /// that, the Content-Type `method=` parameter; `None` for a calendar without one (a plain publish).
    pub method: Option<String>,
    /// The calendar text, decoded to UTF-8.
    pub text: String,
}

pub(super) fn text_hash(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

pub(super) fn is_calendar(content_type: &str, name: &str) -> bool {
    matches!(content_type, "text/calendar" | "application/ics")
        || name.trim().rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("ics"))
}

/// The value of the calendar's METHOD property, upper case.
///
/// Lines are unfolded first (RFC 5545 §3.1: a line break followed by a space or tab continues the line),
/// since Outlook folds long lines anywhere. The property name is matched case-insensitively and may carry
/// parameters (`METHOD;X-FOO=1:REQUEST`).
pub(super) fn calendar_method(text: &str) -> Option<String> {
    unfolded_lines(text).find_map(|line| {
        let name_end = line.find([':', ';'])?;
        if !line[..name_end].trim().eq_ignore_ascii_case("METHOD") {
            return None;
        }
        let value = line[name_end..].split_once(':')?.1.trim();
        (!value.is_empty()).then(|| value.to_ascii_uppercase())
    })
}

/// The content lines of an iCalendar text, continuation lines joined; borrowed unless a line was folded.
fn unfolded_lines(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    let mut lines = text.lines().peekable();
    std::iter::from_fn(move || {
        let first = lines.next()?;
        let mut line = Cow::Borrowed(first);
        while let Some(next) = lines.next_if(|l| l.starts_with([' ', '\t'])) {
            line.to_mut().push_str(&next[1..]);
        }
        Some(line)
    })
}
