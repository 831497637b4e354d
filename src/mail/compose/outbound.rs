//! Finishing an [`OutboundMail`](super::OutboundMail): the envelope's recipients, once each, and the
//! message bytes exactly as the outbox stores and the SMTP server receives them.

use mail_builder::MessageBuilder;

use crate::mail::message::Address;

/// Order-preserving, case-insensitive de-duplication of envelope recipients.
pub(super) fn unique_recipients<'a>(addresses: impl IntoIterator<Item = &'a Address>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for address in addresses {
        if !out.iter().any(|seen| seen.eq_ignore_ascii_case(&address.email)) {
            out.push(address.email.clone());
        }
    }
    out
}

pub(super) fn serialize(builder: MessageBuilder<'_>) -> Vec<u8> {
    let mut raw = Vec::new();
    builder.serialize(&mut raw);
    // What an SMTP server stores ends with CRLF; ending with one here keeps the stored bytes identical.
    if !raw.ends_with(b"\r\n") {
        raw.extend_from_slice(b"\r\n");
    }
    raw
}
