//! Refusing header values and addresses that would inject headers or be refused later by the
//! transport: every such value is a bug in a rule, template or configuration, so it is reported,
//! never repaired.

use super::threading::usable_id;
use super::{ComposeError, Identity, LOOP_HEADER};
use crate::mail::message::Address;

/// Refuses a header value that contains CR or LF, naming the field in the error.
///
/// Template output and values from rules pass through here before they become headers: a line break in
/// them would let whoever controls the text add headers (or a body) of their own.
pub fn single_line(field: &str, value: &str) -> Result<(), ComposeError> {
    if value.contains(['\r', '\n']) {
        Err(ComposeError::LineBreak { field: field.to_owned() })
    } else {
        Ok(())
    }
}

pub(super) fn check_identity(identity: &Identity) -> Result<(), ComposeError> {
    single_line("From display name", &identity.name)?;
    check_address("From", &identity.address)
}

pub(super) fn check_mailbox(field: &str, address: &Address) -> Result<(), ComposeError> {
    if let Some(name) = &address.name {
        single_line(&format!("{field} display name"), name)?;
    }
    check_address(field, &address.email)
}

/// Accepts what an SMTP server accepts in `RCPT TO`, using lettre's parser so that a mail composed here
/// is never refused later by the transport for its address syntax.
pub(super) fn check_address(field: &str, email: &str) -> Result<(), ComposeError> {
    single_line(field, email)?;
    email.parse::<lettre::Address>().map(drop).map_err(|e| ComposeError::InvalidAddress {
        field: field.to_owned(),
        value: email.to_owned(),
        reason: e.to_string(),
    })
}

pub(super) fn check_message_id(field: &str, id: &str) -> Result<(), ComposeError> {
    single_line(field, id)?;
    let well_formed = usable_id(id)
        && id.is_ascii()
        && id
            .split_once('@')
            .is_some_and(|(left, right)| !left.is_empty() && !right.is_empty() && !right.contains('@'));
    if well_formed {
        Ok(())
    } else {
        Err(ComposeError::InvalidMessageId { field: field.to_owned(), value: id.to_owned() })
    }
}

pub(super) fn check_loop_value(value: &str) -> Result<(), ComposeError> {
    single_line(LOOP_HEADER, value)?;
    if value.trim().is_empty() {
        return Err(ComposeError::Empty { field: LOOP_HEADER.to_owned() });
    }
    Ok(())
}
