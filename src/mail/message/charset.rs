//! A part's text in UTF-8, with the charset guessed when its label is missing or wrong, so that mail from
//! old or careless mailers is read as its sender wrote it rather than as replacement characters.

use std::borrow::Cow;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Encoding, MessagePart, MimeHeaders, PartType};

/// The text of a part, with the charset guessed when its label is missing or wrong.
///
/// mail-parser decodes by the declared charset and replaces undecodable bytes with U+FFFD. When that
/// happened and the label could not have been right (none, UTF-8 or ASCII on bytes that are not UTF-8,
/// or a label it does not know), the bytes are decoded again by chardetng's guess, which is what
/// Thunderbird does for the same mail. A byte-order mark (UTF-16 bodies start with one) is dropped.
pub(super) fn part_text<'a>(mail: &[u8], part: &'a MessagePart<'_>) -> Cow<'a, str> {
    let text: Cow<'a, str> = match &part.body {
        PartType::Text(text) | PartType::Html(text) => {
            if text.contains(char::REPLACEMENT_CHARACTER)
                && label_may_be_wrong(part)
                && let Some(guessed) = guess_charset(&transfer_decoded(mail, part))
            {
                Cow::Owned(guessed)
            } else {
                Cow::Borrowed(text.as_ref())
            }
        }
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => Cow::Owned(
                guess_charset(bytes).unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned()),
            ),
        },
        PartType::Message(_) | PartType::Multipart(_) => Cow::Borrowed(""),
    };
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Cow::Owned(text) if text.starts_with('\u{feff}') => {
            Cow::Owned(text['\u{feff}'.len_utf8()..].to_owned())
        }
        owned => owned,
    }
}

fn label_may_be_wrong(part: &MessagePart<'_>) -> bool {
    match part.content_type().and_then(|ct| ct.attribute("charset")) {
        None => true,
        Some(label) => {
            let label = label.trim().to_ascii_lowercase();
            matches!(label.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii")
                || charset_decoder(label.as_bytes()).is_none()
        }
    }
}

/// The part's bytes with the transfer encoding undone, before any charset decoding.
fn transfer_decoded<'a>(mail: &'a [u8], part: &MessagePart<'_>) -> Cow<'a, [u8]> {
    let body = mail.get(part.offset_body as usize..part.offset_end as usize).unwrap_or_default();
    match part.encoding {
        Encoding::None => Cow::Borrowed(body),
        Encoding::Base64 => base64_decode(body).map_or(Cow::Borrowed(body), Cow::Owned),
        Encoding::QuotedPrintable => quoted_printable_decode(body).map_or(Cow::Borrowed(body), Cow::Owned),
    }
}

/// Decodes bytes that are not valid UTF-8 by chardetng's guess; `None` when they are UTF-8 after all.
fn guess_charset(bytes: &[u8]) -> Option<String> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = encoding.decode(bytes);
    Some(text.into_owned())
}
