//! Time zones as calendar files name them. Besides IANA names, clients write Windows names
//! ("W. Europe Standard Time", Outlook and Exchange), shortened Windows names ("Eastern", "FLE"), and
//! IANA names behind a vendor prefix ("/softwarestudio.org/Tzfile/America/Chicago", Evolution;
//! "/mozilla.org/20070129_1/Europe/Rome", old Thunderbird). Windows names are mapped through the Unicode
//! CLDR table (the localzone crate), taking each zone's main IANA city.

use std::str::FromStr;

use chrono_tz::Tz;

/// The zone a TZID names, or `None` when it names none clerk knows (an old Outlook display name such
/// as "Canberra, Melbourne, Sydney": the calendar's own VTIMEZONE then has to say what it is).
pub fn zone(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim().trim_matches('"').trim();
    if tzid.is_empty() {
        return None;
    }
    if let Ok(zone) = Tz::from_str(tzid) {
        return Some(zone);
    }
    // A vendor prefix: the IANA name is the last one or two path segments.
    let segments: Vec<&str> = tzid.split('/').filter(|s| !s.is_empty()).collect();
    for take in [3, 2, 1] {
        if segments.len() > take
            && let Ok(zone) = Tz::from_str(&segments[segments.len() - take..].join("/"))
        {
            return Some(zone);
        }
    }
    let windows =
        |name: &str| localzone::win_zone_to_iana(name, Some("001")).and_then(|iana| Tz::from_str(iana).ok());
    windows(tzid).or_else(|| windows(&format!("{tzid} Standard Time")))
}

/// `local` on `zone`'s clock as an instant: the earlier of a time the autumn change repeats, and a
/// time the spring change skips read as an hour later (02:30 on the night the clocks go forward is
/// 03:30), as calendar programs do.
pub fn resolve_local(zone: Tz, local: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            let later = local.checked_add_signed(chrono::TimeDelta::hours(1))?;
            zone.from_local_datetime(&later).earliest()
        })
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&chrono::Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_and_their_old_aliases_are_taken_as_they_are() {
        assert_eq!(zone("Europe/Rome"), Some(chrono_tz::Europe::Rome));
        assert_eq!(zone("US/Pacific"), Some(chrono_tz::US::Pacific));
        assert_eq!(zone("\"Australia/Brisbane\""), Some(chrono_tz::Australia::Brisbane));
    }

    #[test]
    fn windows_names_map_to_their_main_city() {
        assert_eq!(zone("W. Europe Standard Time"), Some(chrono_tz::Europe::Berlin));
        assert_eq!(zone("Romance Standard Time"), Some(chrono_tz::Europe::Paris));
        assert_eq!(zone("Eastern Standard Time"), Some(chrono_tz::America::New_York));
        assert_eq!(zone("GMT Standard Time"), Some(chrono_tz::Europe::London));
    }

    #[test]
    fn shortened_windows_names_are_completed() {
        assert_eq!(zone("Eastern"), Some(chrono_tz::America::New_York));
        assert_eq!(zone("FLE"), Some(chrono_tz::Europe::Kiev));
    }

    #[test]
    fn vendor_prefixes_are_taken_off() {
        assert_eq!(zone("/softwarestudio.org/Tzfile/America/Chicago"), Some(chrono_tz::America::Chicago));
        assert_eq!(zone("/mozilla.org/20070129_1/Europe/Rome"), Some(chrono_tz::Europe::Rome));
        assert_eq!(
            zone("/freeassociation.sourceforge.net/America/Argentina/Buenos_Aires"),
            Some(chrono_tz::America::Argentina::Buenos_Aires)
        );
    }

    #[test]
    fn display_names_and_nonsense_name_no_zone() {
        assert_eq!(zone("Canberra, Melbourne, Sydney"), None);
        assert_eq!(zone("Pacific Time (US & Canada), Tijuana"), None);
        assert_eq!(zone(""), None);
        assert_eq!(zone("Mars/Olympus_Mons"), None);
    }

    /// Every TZID in the corpus's calendar files resolves, except the old Outlook display names, whose
    /// VTIMEZONE blocks carry the rules.
    #[test]
    fn every_tzid_of_the_corpus_is_known_or_a_display_name() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        let mut seen = 0;
        for dir in ["ics", "imip"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let text =
                    String::from_utf8_lossy(&std::fs::read(entry.unwrap().path()).unwrap()).into_owned();
                for line in text.lines() {
                    let Some(rest) = line.split_once("TZID=").map(|(_, r)| r) else { continue };
                    let tzid = if let Some(quoted) = rest.strip_prefix('"') {
                        quoted.split('"').next().unwrap_or_default()
                    } else {
                        rest.split([':', ';']).next().unwrap_or_default()
                    };
                    // Quoted-printable leftovers in raw mail (=3D) are not TZIDs.
                    if tzid.is_empty() || tzid.starts_with("3D") {
                        continue;
                    }
                    seen += 1;
                    let display_name = tzid.contains(',');
                    assert!(zone(tzid).is_some() || display_name, "TZID {tzid:?} names no zone");
                }
            }
        }
        assert!(seen > 10, "the corpus has calendars with TZIDs");
    }
}
