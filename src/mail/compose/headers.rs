//! Header fields shared by every mail clerk composes: the assistant and the recipients as mailboxes, the
//! marks of machine-made mail, the checked head of a mail to a list of people, and outside text
//! collapsed onto one line before it becomes part of a header.

use chrono::{DateTime, Utc};
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address as MailboxHeader;
use mail_builder::headers::date::Date;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;

use super::validation::{check_identity, check_loop_value, check_mailbox, check_message_id, single_line};
use super::{AutoSubmitted, ComposeError, Identity, LOOP_HEADER};
use crate::mail::message::Address;

/// Collapses all whitespace, line breaks included, to single spaces and trims the ends.
pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks and writes the headers of mail clerk starts to a list of people (notices, iMIP): From, To,
/// Subject, Date and Message-ID, with the loop value checked for [`machine_headers`].
pub(super) fn to_list<'x>(
    from: &'x Identity,
    to: &'x [Address],
    subject: &'x str,
    message_id: &'x str,
    date: DateTime<Utc>,
    loop_value: &str,
) -> Result<MessageBuilder<'x>, ComposeError> {
    check_identity(from)?;
    if to.is_empty() {
        return Err(ComposeError::NoRecipients);
    }
    for to in to {
        check_mailbox("To", to)?;
    }
    single_line("Subject", subject)?;
    check_message_id("Message-ID", message_id)?;
    check_loop_value(loop_value)?;
    Ok(MessageBuilder::new()
        .from(identity_mailbox(from))
        .to(MailboxHeader::new_list(to.iter().map(mailbox).collect()))
        .subject(Text::new(subject))
        .date(Date::new(date.timestamp()))
        .message_id(message_id))
}

/// The headers that mark a mail as machine-made, so robots (Outlook's out-of-office included) leave it
/// alone and clerk's guard recognises it when it comes back.
pub(super) fn machine_headers<'x>(
    builder: MessageBuilder<'x>,
    kind: AutoSubmitted,
    loop_value: &'x str,
) -> MessageBuilder<'x> {
    builder
        .header("Auto-Submitted", Raw::new(kind.header_value()))
        .header("X-Auto-Response-Suppress", Raw::new("All"))
        .header(LOOP_HEADER, Text::new(loop_value))
}

pub(super) fn identity_mailbox(identity: &Identity) -> MailboxHeader<'_> {
    let name = Some(identity.name.trim()).filter(|n| !n.is_empty());
    MailboxHeader::new_address(name, identity.address.as_str())
}

pub(super) fn mailbox(address: &Address) -> MailboxHeader<'_> {
    let name = address.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    MailboxHeader::new_address(name, address.email.as_str())
}
