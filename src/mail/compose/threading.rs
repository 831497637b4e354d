//! Message-IDs and threading: the deterministic id clerk gives each mail (what makes sending
//! exactly-once), and the In-Reply-To and References it copies from the message it answers so clients
//! place the answer in its thread.

use mail_builder::MessageBuilder;

use crate::mail::message::Message;

/// Longest References chain a reply carries. Long threads otherwise grow the header without bound; like
/// RFC 5537 §3.4.4 for news, we keep the thread root and the most recent ids, which is what clients use to
/// place a message in its thread.
const MAX_REFERENCES: usize = 11;

/// Longest Message-ID we copy from incoming mail into threading headers. Real ids are well below this; a
/// longer one is either broken or hostile and could not be folded within the 998-octet line limit anyway.
const MAX_ID_LEN: usize = 250;

/// A deterministic Message-ID: `clerk.` + the first 32 hex digits of SHA-256(`seed`) + `@` + `domain`.
///
/// Exactly-once sending relies on it: the executor derives the seed from what caused the mail (incoming
/// Message-ID and content hash, rule, effect index), so processing the same message again after a crash
/// yields the same id, and the outbox recognises the mail as already queued. The `clerk.` prefix and the
/// domain also let the guard recognise clerk's own mail when it comes back.
pub fn message_id(seed: &[u8], domain: &str) -> String {
    format!("clerk.{}@{domain}", crate::digest::sha256_hex_prefix(seed, 16))
}

/// Whether an id from incoming mail can be copied into In-Reply-To/References. Sloppy ids without `@`
/// still thread in practice, so only what would break the header is refused.
pub(super) fn usable_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && !id.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
}

/// The threading headers of a reply, per RFC 5322 §3.6.4.
pub(super) struct Threading {
    in_reply_to: Option<String>,
    references: Vec<String>,
}

impl Threading {
    /// In-Reply-To is the parent's Message-ID; References is the parent's References (or, when it has
    /// none, its single In-Reply-To id) followed by the parent's Message-ID, trimmed to the root and the
    /// most recent ids.
    pub(super) fn of(parent: &Message) -> Threading {
        let parent_id = parent.message_id.as_deref().filter(|id| usable_id(id));
        let ancestors: &[String] = if !parent.references.is_empty() {
            &parent.references
        } else if parent.in_reply_to.len() == 1 {
            &parent.in_reply_to
        } else {
            &[]
        };
        let mut chain: Vec<String> = Vec::with_capacity(ancestors.len() + 1);
        for id in ancestors {
            if usable_id(id) && Some(id.as_str()) != parent_id && !chain.contains(id) {
                chain.push(id.clone());
            }
        }
        chain.extend(parent_id.map(str::to_owned));
        if chain.len() > MAX_REFERENCES {
            chain.drain(1..chain.len() - (MAX_REFERENCES - 1));
        }
        Threading { in_reply_to: parent_id.map(str::to_owned), references: chain }
    }

    /// Adds In-Reply-To and References, each when there is something to say.
    pub(super) fn write(self, mut builder: MessageBuilder<'_>) -> MessageBuilder<'_> {
        if let Some(parent) = self.in_reply_to {
            builder = builder.in_reply_to(parent);
        }
        if !self.references.is_empty() {
            builder = builder.references(self.references);
        }
        builder
    }
}
