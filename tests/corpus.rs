//! The shared corpus of real-world mail (`../shared/corpus`, see its SOURCES.md) read by
//! `Message::parse` and the auto-reply guard.
//!
//! Every message must parse without a panic (DESIGN.md, Testing), and the tests below pin down what clerk
//! extracts from the interesting ones: charsets that need a guess, HTML-only bodies, non-ASCII file names,
//! bounces, and iMIP methods.
//!
//! The corpus is `tests/corpus` (a byte-for-byte copy of the project's shared corpus, with its sources and
//! licences), or `$CLERK_CORPUS` if set. A missing corpus fails the tests: silently passing without it
//! would hide that nothing was checked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

use std::path::{Path, PathBuf};

use clerk::guard::{self, GuardPolicy, Suppression};
use clerk::mail::message::{Message, ParseError, ReturnPath};

fn corpus_dir() -> PathBuf {
    let dir = std::env::var_os("CLERK_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"));
    assert!(
        dir.join("eml").is_dir() && dir.join("imip").is_dir(),
        "the mail corpus is missing: expected eml/ and imip/ under {} \
         (set CLERK_CORPUS to the corpus directory)",
        dir.display()
    );
    dir
}

/// Every message file of the corpus (all of eml/ and imip/, plus any .eml/.txt at its top), sorted.
fn corpus_files() -> Vec<PathBuf> {
    let dir = corpus_dir();
    let mut files = Vec::new();
    for sub in ["eml", "imip"] {
        let found = list(&dir.join(sub), |_| true);
        assert!(!found.is_empty(), "{sub}/ of the corpus is empty");
        files.extend(found);
    }
    files.extend(list(&dir, |p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("eml") || e.eq_ignore_ascii_case("txt"))
    }));
    files.sort();
    files
}

fn list(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    entries
        .map(|entry| entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())).path())
        .filter(|p| p.is_file() && keep(p))
        .collect()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A corpus message, parsed; `name` is relative to the corpus directory (`eml/bounce.txt`).
fn corpus(name: &str) -> Message {
    let path = corpus_dir().join(name);
    Message::parse(&read(&path)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn office() -> GuardPolicy {
    GuardPolicy::for_assistant("assistant@office.example")
}

fn methods(message: &Message) -> Vec<Option<&str>> {
    message.calendars.iter().map(|c| c.method.as_deref()).collect()
}

#[test]
fn every_corpus_message_parses_and_passes_the_guard_without_panicking() {
    let mut failures = Vec::new();
    let files = corpus_files();
    for path in &files {
        let raw = read(path);
        let outcome = std::panic::catch_unwind(|| {
            Message::parse(&raw).map(|message| {
                let reasons = guard::check(&message, &office());
                let _ = guard::is_automatic(&message);
                // Display every reason: explain and the log will.
                reasons.iter().map(ToString::to_string).count()
            })
        });
        let name = path.display();
        match outcome {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => failures.push(format!("{name}: not parsed: {e}")),
            Err(_) => failures.push(format!("{name}: PANICKED")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// Truncated downloads and corrupted bytes must give a message or a clean error, never a panic: cut
/// every corpus file at many points and flip bytes at pseudo-random positions.
#[test]
fn damaged_corpus_messages_never_panic() {
    let mut failures = Vec::new();
    for path in corpus_files() {
        let raw = read(&path);
        let mut damaged: Vec<Vec<u8>> =
            (0..raw.len()).step_by(raw.len() / 40 + 1).map(|cut| raw[..cut].to_vec()).collect();
        let mut seed = raw.len() as u64 | 1;
        for _ in 0..20 {
            let mut copy = raw.clone();
            for _ in 0..8 {
                // xorshift: deterministic, so a failure is reproducible.
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                if let Some(byte) = copy.get_mut(seed as usize % raw.len().max(1)) {
                    *byte = (seed >> 32) as u8;
                }
            }
            damaged.push(copy);
        }
        for (i, input) in damaged.iter().enumerate() {
            let outcome = std::panic::catch_unwind(|| match Message::parse(input) {
                Ok(message) => {
                    guard::check(&message, &office());
                    true
                }
                Err(ParseError::Empty) => true,
                Err(ParseError::Malformed(reason)) => !reason.contains("panic"),
            });
            if !matches!(outcome, Ok(true)) {
                failures.push(format!("{} variant {i}: panicked", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn html_only_mail_gives_readable_text() {
    assert_eq!(corpus("eml/03-HTML.eml").text, "Search for huhu");
}

#[test]
fn mhtml_whose_html_is_not_the_first_related_part_still_gives_its_text() {
    let message = corpus("eml/multipart-related-mhtml.txt");
    assert_eq!(message.text, "def");
    assert!(message.attachments.iter().all(|a| a.content_type != "text/html"));
}

#[test]
fn greek_iso_8859_7_is_decoded() {
    assert!(corpus("eml/11-plaintext-greek.eml").text.contains("Search for Greek text Καλησπέρα"));
}

#[test]
fn koi8_without_a_charset_label_is_guessed() {
    let text = corpus("eml/noCharsetKOI8U.eml").text;
    assert!(text.starts_with("Моя семья"), "{text}");
}

#[test]
fn shift_jis_declared_as_utf8_is_guessed() {
    let text = corpus("eml/wronglyDeclaredShift_JIS.eml").text;
    assert!(text.starts_with("メールを簡単に。"), "{text}");
    assert!(text.contains("そんなメールソフトが Thunderbird です。"));
}

#[test]
fn iso_2022_jp_quoted_printable_is_decoded() {
    assert_eq!(
        corpus("eml/iso-2022-jp-qp.eml").text.trim(),
        "日本語の本文がQuoted Printableになっているもの"
    );
}

#[test]
fn korean_ks_c_5601_is_decoded() {
    assert_eq!(corpus("eml/ks_c_5601-1987.eml").text.trim(), "스티해");
}

#[test]
fn utf16_body_is_decoded_without_its_byte_order_mark() {
    assert_eq!(corpus("eml/body-utf16.eml").text, "Hi Magnus, here a better UTF-16 encoded mail.");
}

#[test]
fn raw_utf8_headers_are_read() {
    let message = corpus("eml/utf8_headers.eml");
    assert_eq!(message.from[0].name.as_deref(), Some("Jöhn Doe"));
    assert_eq!(message.from[0].email, "jdöe@mächine.example");
    assert_eq!(message.subject, "Säying Hello");
}

#[test]
fn encoded_cyrillic_subject_is_decoded() {
    assert_eq!(corpus("eml/forwarded_message.eml").subject, "статус");
}

#[test]
fn emoji_subject_is_decoded_and_the_mbox_line_skipped() {
    let message = corpus("eml/attachment_pdf.eml");
    assert_eq!(message.subject, "Another PDF with 🎉 Unicode chars in it 🍿");
    assert_eq!(message.return_path, ReturnPath::Address("xxxx@xxxx.com".into()));
}

#[test]
fn pdf_attachment_has_name_type_and_size() {
    let message = corpus("eml/attachment_pdf.eml");
    assert_eq!(message.attachments.len(), 1);
    let pdf = &message.attachments[0];
    assert_eq!((pdf.name.as_str(), pdf.content_type.as_str()), ("broken.pdf", "application/pdf"));
    assert!(pdf.size > 1000, "{}", pdf.size);
}

#[test]
fn non_ascii_attachment_name_is_decoded() {
    let message = corpus("eml/attachment_nonascii_filename.eml");
    let names: Vec<_> = message.attachments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["ciële.txt"]);
}

#[test]
fn attached_message_is_one_message_rfc822_attachment() {
    let message = corpus("eml/attachment_message_rfc822.eml");
    assert_eq!(message.attachments.len(), 1);
    let attached = &message.attachments[0];
    assert_eq!(attached.content_type, "message/rfc822");
    assert_eq!(attached.name, "ForwardedMessage.eml");
    assert!(attached.size > 3000);
    assert_eq!(message.text.trim(), "This is the first part.");
}

#[test]
fn unparseable_date_is_none() {
    assert_eq!(corpus("eml/bad_date_header.eml").date, None);
}

#[test]
fn byte_order_mark_before_the_headers_is_skipped() {
    let message = corpus("eml/feedback-report.txt");
    assert_eq!(message.from[0].email, "abusedesk@example.com");
}

#[test]
fn the_bounce_is_recognised_by_the_guard() {
    let message = corpus("eml/bounce.txt");
    assert_eq!(message.return_path, ReturnPath::Empty);
    assert_eq!(message.reply_target(), None);
    let reasons = guard::check(&message, &office());
    for expected in [
        Suppression::AutoSubmitted { value: "auto-replied".into() },
        Suppression::EmptyReturnPath,
        Suppression::SystemSender { header: "From", address: "MAILER-DAEMON@hmail.jitbit.com".into() },
        Suppression::Report { report_type: "delivery-status".into() },
    ] {
        assert!(reasons.contains(&expected), "{expected:?} not in {reasons:?}");
    }
    assert!(guard::is_automatic(&message));
}

#[test]
fn a_delay_warning_is_automatic() {
    let message = corpus("eml/report_422.eml");
    assert_eq!(message.header("Auto-Submitted"), Some("auto-generated (warning-timeout)"));
    assert!(guard::is_automatic(&message));
}

#[test]
fn a_read_receipt_and_an_abuse_report_are_automatic() {
    assert!(guard::is_automatic(&corpus("eml/disposition-notification.anonymized.eml")));
    assert!(guard::is_automatic(&corpus("eml/feedback-report.txt")));
}

#[test]
fn list_mail_with_an_owner_return_path_is_not_answered() {
    let message = corpus("eml/content_transfer_encoding_x_uuencode.eml");
    let reasons = guard::check(&message, &office());
    assert!(
        reasons.contains(&Suppression::SystemSender {
            header: "Return-Path",
            address: "owner-rrga-l@list.rtowest.org".into(),
        }),
        "{reasons:?}"
    );
}

#[test]
fn a_bounced_invitation_is_a_bounce_not_an_invitation() {
    let message = corpus("imip/dsn_failure_with_ics.eml");
    assert!(message.calendars.is_empty());
    assert!(guard::is_automatic(&message));
}

#[test]
fn outlook_invitation_is_a_request() {
    let message = corpus("imip/outlook-test-invite.eml");
    assert_eq!(methods(&message), [Some("REQUEST")]);
    assert!(message.calendars[0].text.contains("BEGIN:VEVENT"));
}

#[test]
fn teams_and_google_meet_invitations_are_requests() {
    assert_eq!(methods(&corpus("imip/teams-meeting-invite.eml")), [Some("REQUEST")]);
    let meet = corpus("imip/meet-meeting-invite.eml");
    assert!(!meet.calendars.is_empty());
    assert!(methods(&meet).iter().all(|m| *m == Some("REQUEST")));
}

#[test]
fn an_accepted_invitation_is_a_reply() {
    assert_eq!(methods(&corpus("imip/good_reply.eml")), [Some("REPLY")]);
}

#[test]
fn a_cancellation_is_a_cancel() {
    assert_eq!(methods(&corpus("imip/cancel-single-event.eml")), [Some("CANCEL")]);
    assert_eq!(methods(&corpus("imip/cancel-repeat-event.eml")), [Some("CANCEL")]);
}

#[test]
fn a_published_event_is_not_an_invitation() {
    assert_eq!(methods(&corpus("imip/message-non-invite.eml")), [Some("PUBLISH")]);
}

#[test]
fn the_same_calendar_as_alternative_and_ics_attachment_is_one_calendar() {
    // Lotus Notes: text/calendar with method=REQUEST in Content-Type only, plus the same text as c141520.ics.
    assert_eq!(methods(&corpus("imip/invite.eml")), [Some("REQUEST")]);
}
