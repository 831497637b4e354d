//! Languages: which one a person writes in, so the answer comes in the same one, and the languages
//! clerk writes its own letters in ([`Language`]), with their dates.
//!
//! There is one detector, whatlang, restricted to the languages on offer: a short Italian question
//! must not be taken for Spanish and then answered in the office language because there is no
//! Spanish answer. Below a confidence it says nothing and the caller's fallback holds.

use chrono::{DateTime, NaiveDate, TimeZone};
use whatlang::{Detector, Lang};

/// A language clerk writes its own letters in (meeting answers, supply letters, notices).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Italian,
}

impl Language {
    /// `time` written with `format` (chrono's), with the weekday and month names of this language.
    pub fn date<Tz: TimeZone>(self, time: &DateTime<Tz>, format: &str) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        match self {
            Language::English => time.format(format).to_string(),
            Language::Italian => time.format_localized(format, chrono::Locale::it_IT).to_string(),
        }
    }

    /// `date` written with `format`, with the weekday and month names of this language.
    pub fn day(self, date: NaiveDate, format: &str) -> String {
        match self {
            Language::English => date.format(format).to_string(),
            Language::Italian => date.format_localized(format, chrono::Locale::it_IT).to_string(),
        }
    }

    /// An exact length of time in words of this language: "2 hours", "2 ore" (a calendar's notice
    /// or horizon; see [`crate::units::humanize`]).
    pub fn length(self, length: std::time::Duration) -> String {
        match self {
            Language::English => crate::units::humanize(length),
            Language::Italian => {
                let (n, one, more) = match length.as_secs() {
                    s if s % 86_400 == 0 => (s / 86_400, "giorno", "giorni"),
                    s if s % 3600 == 0 => (s / 3600, "ora", "ore"),
                    s if s % 60 == 0 => (s / 60, "minuto", "minuti"),
                    s => (s, "secondo", "secondi"),
                };
                format!("{n} {}", if n == 1 { one } else { more })
            }
        }
    }

    /// An age or a wait in round words of this language: "3 days", "3 giorni" (see
    /// [`crate::units::humanize_roughly`]).
    pub fn age(self, seconds: i64) -> String {
        match self {
            Language::English => crate::units::humanize_roughly(seconds),
            Language::Italian => match seconds.max(0) {
                s if s >= 2 * 86_400 => format!("{} giorni", s / 86_400),
                s if s >= 2 * 3600 => format!("{} ore", s / 3600),
                s if s >= 3600 => "un'ora".to_owned(),
                s => format!("{} minuti", s / 60),
            },
        }
    }

    /// The opening of a letter to `name` (or to someone whose name is not known).
    pub fn greeting(self, name: Option<&str>) -> String {
        match (self, name.filter(|n| !n.is_empty())) {
            (Language::English, Some(name)) => format!("Dear {name},"),
            (Language::English, None) => "Hello,".to_owned(),
            (Language::Italian, Some(name)) => format!("Gentile {name},"),
            (Language::Italian, None) => "Buongiorno,".to_owned(),
        }
    }
}

impl Language {
    /// The language `text` is written in, of the two clerk writes; English when it cannot tell.
    pub fn of(text: &str) -> Language {
        Language::from_code(&detect(text, &["en".to_owned(), "it".to_owned()], "en"))
    }

    /// The language with this ISO 639-1 code (`office.language`, a ticket's language); English for
    /// any clerk does not write its own letters in.
    pub fn from_code(code: &str) -> Language {
        if code.eq_ignore_ascii_case("it") { Language::Italian } else { Language::English }
    }

    /// Its ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Italian => "it",
        }
    }
}

/// Languages answers can be written in: ISO 639-1 codes as template names carry them
/// (`faq/opening-hours.it`), with whatlang's name for each.
const KNOWN: &[(&str, Lang)] = &[
    ("en", Lang::Eng),
    ("it", Lang::Ita),
    ("de", Lang::Deu),
    ("fr", Lang::Fra),
    ("es", Lang::Spa),
    ("pt", Lang::Por),
    ("nl", Lang::Nld),
];

/// Below this confidence the office's language is used: a one-line "Hello?" says nothing.
const MIN_CONFIDENCE: f64 = 0.3;

/// The language of `text` among `offered` (ISO 639-1 codes), or `fallback` when it is not clearly
/// one of them.
pub fn detect(text: &str, offered: &[String], fallback: &str) -> String {
    let allow: Vec<Lang> =
        KNOWN.iter().filter(|(code, _)| offered.iter().any(|o| o == code)).map(|(_, lang)| *lang).collect();
    if allow.len() < 2 {
        return fallback.to_owned();
    }
    Detector::with_allowlist(allow)
        .detect(text)
        .filter(|info| info.confidence() >= MIN_CONFIDENCE)
        .and_then(|info| code(info.lang()))
        .or_else(|| by_everyday_words(text, offered))
        .unwrap_or(fallback)
        .to_owned()
}

/// Everyday words of the languages clerk writes in, for texts too short for whatlang to be sure of
/// ("giovedì alle 15", "stasera"): the language with more of its words, if one has more.
const EVERYDAY: &[(&str, &str)] = &[
    (
        "it",
        "il la le lo di del della alle dalle ci per che un una possiamo vediamo incontrarci domani oggi \
         dopodomani settimana prossima prossimo ore ora mattina pomeriggio sera e tra fra va bene grazie \
         buongiorno riunione lunedi martedi mercoledi giovedi venerdi sabato domenica mezz'ora un'ora \
         minuti verso stamattina stasera domattina novembre dicembre gennaio mezzogiorno all'una",
    ),
    (
        "en",
        "the at on we can could meet for an hour hours minutes tomorrow today next week morning afternoon \
         evening between and from to is are you please thanks monday tuesday wednesday thursday friday \
         saturday sunday call meeting pm am this of with would works free",
    ),
];

fn by_everyday_words(text: &str, offered: &[String]) -> Option<&'static str> {
    let plain = crate::text::plain(text);
    let words: Vec<&str> =
        plain.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).collect();
    let mut counts =
        EVERYDAY.iter().filter(|(code, _)| offered.iter().any(|o| o == code)).map(|(code, list)| {
            (words.iter().filter(|w| list.split_whitespace().any(|l| l == **w)).count(), *code)
        });
    let first = counts.next()?;
    let (best, tied) = counts.fold((first, false), |(best, tied), next| match next.0.cmp(&best.0) {
        std::cmp::Ordering::Greater => (next, false),
        std::cmp::Ordering::Equal => (best, true),
        std::cmp::Ordering::Less => (best, tied),
    });
    (best.0 > 0 && !tied).then_some(best.1)
}

fn code(lang: Lang) -> Option<&'static str> {
    KNOWN.iter().find(|(_, l)| *l == lang).map(|(code, _)| *code)
}

/// Whether `code` is a language [`detect`] can recognise, so a template named `name.CODE` is taken
/// for a translation rather than part of the name.
pub fn is_known(code: &str) -> bool {
    KNOWN.iter().any(|(c, _)| *c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both() -> Vec<String> {
        vec!["en".into(), "it".into()]
    }

    #[test]
    fn an_italian_question_is_italian() {
        let text =
            "Buongiorno, vorrei sapere quali sono i vostri orari di apertura durante le feste di Natale.";
        assert_eq!(detect(text, &both(), "en"), "it");
    }

    #[test]
    fn an_english_question_is_english() {
        let text = "Hello, could you tell me when your office is open during the Christmas holidays?";
        assert_eq!(detect(text, &both(), "it"), "en");
    }

    #[test]
    fn with_one_language_offered_there_is_nothing_to_choose() {
        let text = "Buongiorno, vorrei sapere quali sono i vostri orari di apertura.";
        assert_eq!(detect(text, &["en".to_string()], "en"), "en");
    }

    #[test]
    fn a_text_too_short_to_tell_gets_the_office_language() {
        assert_eq!(detect("?", &both(), "it"), "it");
    }
}
