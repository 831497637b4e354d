//! Mailbox addresses: the [`Address`] type and how addresses are compared, read from a header and
//! checked, so that every part of clerk treats the same mailbox as the same and never writes to one that
//! cannot take mail.

use std::borrow::Cow;
use std::fmt;

use mail_parser::HeaderValue;

use super::header::one_line;

/// A mailbox address with its display name, as written by the sender (the name on one line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// Display name, decoded (`"Anna Rossi"`) and on one line (see the subject), if any.
    pub name: Option<String>,
    /// The address itself (`anna@example.com`), as written; compare with [`Address::is`].
    pub email: String,
}

impl Address {
    /// Whether this is `email`, ignoring case.
    ///
    /// Mail systems treat the whole address case-insensitively in practice (the local part is
    /// case-sensitive only in theory), and senders' clients change case freely, so an exact comparison
    /// would miss the same person.
    pub fn is(&self, email: &str) -> bool {
        same_address(&self.email, email)
    }

    /// The part after the last `@` (`example.com`), or `None` for an address without a domain such as
    /// a bare `MAILER-DAEMON`.
    pub fn domain(&self) -> Option<&str> {
        self.email.rsplit_once('@').map(|(_, domain)| domain).filter(|d| !d.is_empty())
    }

    /// The part before the last `@` (`anna`), or the whole address when it has no `@`.
    pub fn local_part(&self) -> &str {
        self.email.rsplit_once('@').map_or(self.email.as_str(), |(local, _)| local)
    }
}

/// `Name <email>`, or just `email` without a name; the name is quoted when it contains characters that
/// RFC 5322 only allows in quotes (`"Rossi, Anna" <anna@example.com>`).
///
/// This is for people (logs, `explain`, templates). Outgoing headers are built by the composer, which
/// also RFC 2047-encodes non-ASCII names.
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            None => f.write_str(&self.email),
            Some(name) if name.chars().any(needs_quoting) => {
                f.write_str("\"")?;
                for c in name.chars() {
                    if c == '"' || c == '\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                write!(f, "\" <{}>", self.email)
            }
            Some(name) => write!(f, "{name} <{}>", self.email),
        }
    }
}

/// RFC 5322 `specials`: a phrase containing one of these must be a quoted string.
fn needs_quoting(c: char) -> bool {
    matches!(c, '(' | ')' | '<' | '>' | '[' | ']' | ':' | ';' | '@' | '\\' | ',' | '.' | '"')
}

/// Whether two addresses are the same mailbox, ignoring case (see [`Address::is`]).
pub(crate) fn same_address(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a.eq_ignore_ascii_case(b) || (!a.is_ascii() && a.to_lowercase() == b.to_lowercase())
}

/// The addresses of an address header that mail can be sent to.
pub(super) fn addresses(value: &HeaderValue<'_>) -> Vec<Address> {
    let Some(list) = value.as_address() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|addr| {
            let email = addr.address.as_deref()?.trim();
            can_be_sent_to(email).then(|| Address {
                name: addr.name.as_deref().map(one_line).filter(|n| !n.is_empty()).map(Cow::into_owned),
                email: email.to_owned(),
            })
        })
        .collect()
}

/// The domain of `address` (what follows the `@`; the whole text when there is none): the domain
/// clerk's own Message-IDs carry, and what tells staff from outsiders.
pub fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map(|(_, d)| d).unwrap_or(address)
}

/// Whether mail can be addressed to `address` (SMTP would take it in `RCPT TO`). An address of the
/// message that cannot (`<anna@cli ent.example>`) is left out: a Reply-To, so that answers go to From
/// instead of failing; a From, so that the message has no sender to answer rather than an answer that
/// cannot be written. Calendars keep to it for their organizers and attendees too.
pub fn can_be_sent_to(address: &str) -> bool {
    address.parse::<lettre::Address>().is_ok()
}
