//! Which language a customer writes in, so the answer comes in the same one: detected by whatlang
//! among the languages the office has answers in, falling back to the office's own language.
//!
//! Detection is restricted to the languages offered: a short Italian question must not be taken for
//! Spanish and then answered in the office language because there is no Spanish answer.

use whatlang::{Detector, Lang};

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
        .unwrap_or(fallback)
        .to_owned()
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
