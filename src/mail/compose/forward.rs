//! Forwards: one incoming message passed on to people (usually a department), with Reply-To pointing
//! back at its sender so their answer reaches the customer. The attached mode's body is written here;
//! the inline mode's is in [`inline_forward`](super::inline_forward), and how the original itself
//! travels in [`embedded`](super::embedded).

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address as MailboxHeader;
use mail_builder::headers::date::Date;
use mail_builder::headers::text::Text;
use mail_builder::mime::MimePart;

use super::embedded::{embedded_message, eml_file_name};
use super::encoding::text_part;
use super::headers::{identity_mailbox, machine_headers, mailbox, one_line};
use super::inline_forward::inline_body;
use super::outbound::{serialize, unique_recipients};
use super::subject::forward_subject;
use super::validation::{
    check_address, check_identity, check_loop_value, check_mailbox, check_message_id, single_line,
};
use super::{AutoSubmitted, ComposeError, Identity, OutboundMail};
use crate::mail::message::{Address, Message};

/// How a forward carries the original.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ForwardMode {
    /// The original, unchanged except for clerk's control headers, as a message/rfc822 attachment: the
    /// recipient sees exactly what arrived, headers included. Best for invoices and anything that may be
    /// audited.
    #[default]
    Attached,
    /// The original's text quoted below a `Forwarded message` block, its attachments re-attached: easier
    /// to read on phones and in clients that show message/rfc822 poorly.
    Inline,
}

/// A forward of one incoming message to people (usually a department).
#[derive(Debug, Clone)]
pub struct Forward<'a> {
    /// The normalised original: sender, subject, date and readable text.
    pub original: &'a Message,
    /// The original exactly as received; attached mode embeds it, inline mode takes attachments from it.
    pub original_raw: &'a [u8],
    /// The assistant.
    pub from: &'a Identity,
    pub to: Vec<Address>,
    pub mode: ForwardMode,
    /// Text above the forwarded message, rendered by the caller. In attached mode a standard line is
    /// used when absent, so the recipient knows why they got it.
    pub note: Option<String>,
    /// From [`message_id`](super::message_id); without angle brackets.
    pub message_id: String,
    pub date: DateTime<Utc>,
    /// Value of [`LOOP_HEADER`](super::LOOP_HEADER).
    pub loop_header_value: String,
    /// The subject, when not [`forward_subject`] of the original (a ticket's carries its tag).
    pub subject: Option<String>,
    /// Reply-To, when not the original's sender (a ticket's names the customer and the assistant, so
    /// the staff's answer reaches both).
    pub reply_to: Option<Vec<Address>>,
}

/// Composes a forward.
///
/// From is the assistant and Reply-To the original sender (its Reply-To if it had one, else its From), so
/// a recipient who presses "reply" answers the customer, not the assistant. Subject is
/// [`forward_subject`], `Auto-Submitted: auto-generated`, `X-Auto-Response-Suppress: All` (no out-of-office
/// storms back to the assistant) and the loop header are set; the envelope sender is the assistant so
/// bounces reach someone who can act on them.
///
/// Clerk's control headers (`X-Clerk-*`) never travel with the original: attached mode strips them from
/// the embedded message, inline mode copies no headers but From, Date, Subject, To and Cc.
pub fn forward(f: &Forward<'_>) -> Result<OutboundMail, ComposeError> {
    check_identity(f.from)?;
    if f.to.is_empty() {
        return Err(ComposeError::NoRecipients);
    }
    for to in &f.to {
        check_mailbox("To", to)?;
    }
    check_message_id("Message-ID", &f.message_id)?;
    check_loop_value(&f.loop_header_value)?;

    // A text clerk read only in part cannot be quoted whole: the original goes attached, as received.
    let body = match f.mode {
        ForwardMode::Inline if !f.original.text_cut => inline_body(f)?,
        ForwardMode::Attached | ForwardMode::Inline => attached_body(f),
    };

    let mut builder = MessageBuilder::new()
        .from(identity_mailbox(f.from))
        .to(MailboxHeader::new_list(f.to.iter().map(mailbox).collect()));
    let reply_to = match &f.reply_to {
        Some(addresses) => {
            for address in addresses {
                check_mailbox("Reply-To", address)?;
            }
            addresses.iter().map(mailbox).collect()
        }
        None => original_senders(f.original),
    };
    if !reply_to.is_empty() {
        builder = builder.reply_to(MailboxHeader::new_list(reply_to));
    }
    let subject = match &f.subject {
        Some(subject) => {
            single_line("Subject", subject)?;
            subject.clone()
        }
        None => forward_subject(&f.original.subject),
    };
    builder = builder
        .subject(Text::new(subject))
        .date(Date::new(f.date.timestamp()))
        .message_id(f.message_id.as_str());
    builder = machine_headers(builder, AutoSubmitted::AutoGenerated, &f.loop_header_value).body(body);

    Ok(OutboundMail {
        message_id: f.message_id.clone(),
        envelope_from: Some(f.from.address.clone()),
        recipients: unique_recipients(&f.to),
        raw: serialize(builder),
    })
}

/// The original's Reply-To, or its From when it has none, keeping only valid addresses: an unusable
/// sender address must not stop the forward, it only leaves recipients to reply by hand. Display names
/// come from outside, so their whitespace (line breaks included) is collapsed rather than refused.
fn original_senders(original: &Message) -> Vec<MailboxHeader<'static>> {
    let senders = if original.reply_to.is_empty() { &original.from } else { &original.reply_to };
    senders
        .iter()
        .filter(|a| check_address("Reply-To", &a.email).is_ok())
        .map(|a| {
            let name = a.name.as_deref().map(one_line).filter(|n| !n.is_empty());
            MailboxHeader::new_address(name, a.email.clone())
        })
        .collect()
}

/// Attached mode: the note (or a standard line) and the original as message/rfc822.
fn attached_body<'a>(f: &Forward<'a>) -> MimePart<'a> {
    let note = f.note.clone().unwrap_or_else(|| standard_note(f));
    let (original, eight_bit) =
        embedded_message(Cow::Borrowed(f.original_raw), &eml_file_name(&f.original.subject));
    let mixed = MimePart::new("multipart/mixed", vec![text_part(&note), original]);
    if eight_bit {
        // A multipart entity must declare the widest encoding of what it contains (RFC 2045 §6.4).
        mixed.transfer_encoding("8bit")
    } else {
        mixed
    }
}

/// "Forwarded by Office Assistant: message from Anna Rossi <anna@example.com>, Tue, 1 Jul 2025 …"
fn standard_note(f: &Forward<'_>) -> String {
    let by = if f.from.name.trim().is_empty() { f.from.address.as_str() } else { f.from.name.trim() };
    let sender = if f.original.from.is_empty() {
        "an unknown sender".to_owned()
    } else {
        format_addresses(&f.original.from)
    };
    match f.original.date {
        Some(date) => format!("Forwarded by {by}: message from {sender}, {}.", date.to_rfc2822()),
        None => format!("Forwarded by {by}: message from {sender}."),
    }
}

/// `Name <address>, other@example.com` for the forwarded-message block and the standard note.
pub(super) fn format_addresses(addresses: &[Address]) -> String {
    addresses
        .iter()
        .map(|a| match a.name.as_deref().map(one_line) {
            Some(name) if !name.is_empty() => format!("{name} <{}>", a.email),
            _ => a.email.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
