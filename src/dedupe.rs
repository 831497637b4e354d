//! `clerk dedupe`: the records behind the auto-reply limit for one sender, shown in the office's time
//! with when the next reply can go, or forgotten so that sender's next message is answered again (after
//! a test, or when a customer says they never got the answer).

use std::fmt::Write;

use chrono_tz::Tz;

use crate::rules::RuleSet;
use crate::store::{Store, StoreError};

/// What `clerk dedupe show ADDRESS` prints; `rules` (when they load) give each rule's limit, `now` is
/// unix seconds.
pub fn show(store: &Store, rules: Option<&RuleSet>, sender: &str, now: i64) -> Result<String, StoreError> {
    let records = store.replies_to(sender)?;
    if records.is_empty() {
        return Ok(format!(
            "No auto-reply to {sender} is on record: their next message that asks for one gets it.\n"
        ));
    }
    let zone = rules.map_or(Tz::UTC, |rules| rules.office.timezone);
    let mut out = format!("Auto-replies to {sender} on record:\n");
    for record in records {
        let _ = write!(out, "  rule {:?}: last {}", record.rule, local(zone, record.last_sent_at));
        let rule = rules.and_then(|rules| Some((rules, rules.rules.iter().find(|r| r.name == record.rule)?)));
        match rule {
            Some((rules, rule)) => {
                let next = record.last_sent_at + rules.reply_limit(rule).as_secs() as i64;
                if next > now {
                    let _ = write!(out, "; the next reply can go from {}", local(zone, next));
                } else {
                    let _ = write!(out, "; the next message that asks for a reply gets one");
                }
            }
            None if rules.is_some() => out.push_str(" (no rule has this name any more)"),
            None => {}
        }
        out.push('\n');
    }
    Ok(out)
}

/// What `clerk dedupe reset ADDRESS` does and prints.
pub fn reset(store: &mut Store, sender: &str) -> Result<String, StoreError> {
    Ok(match store.forget_replies_to(sender)? {
        0 => format!("No auto-reply to {sender} was on record; nothing changed.\n"),
        n => format!(
            "Forgot {} for {sender}: their next message that asks for a reply gets one.\n",
            crate::units::counted(n as u64, "auto-reply record")
        ),
    })
}

fn local(zone: Tz, unix: i64) -> String {
    crate::units::local_time(zone, unix, "%Y-%m-%d %H:%M %Z").unwrap_or_else(|| format!("(unix time {unix})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effects::Effect;
    use crate::store::{Handled, JournalEntry, Verdict};

    fn store_with_reply(sender: &str, rule: &str) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let entry = JournalEntry {
            mailbox: "office".into(),
            folder: "INBOX".into(),
            item: "7:1".into(),
            message_id: None,
            content_hash: "hash".into(),
            sender: Some(sender.into()),
            subject: "Hello".into(),
        };
        let verdict = Verdict::Processed {
            rule: Some(rule.into()),
            desk: None,
            desk_options: Default::default(),
            notes: vec![],
        };
        let effects = vec![Effect::NoteReply { sender: sender.into(), rule: rule.into() }];
        store.record(&[Handled { entry, verdict, effects, kept: None }], None).unwrap();
        store
    }

    #[test]
    fn a_sender_without_records_is_told_so() {
        let store = Store::open_in_memory().unwrap();
        let out = show(&store, None, "anna@example.com", 0).unwrap();
        assert!(out.starts_with("No auto-reply to anna@example.com"), "{out}");
    }

    #[test]
    fn records_are_shown_per_rule_whatever_the_case_of_the_address() {
        let store = store_with_reply("Anna@Example.com", "ack");
        let out = show(&store, None, "anna@EXAMPLE.com", 0).unwrap();
        assert!(out.contains("rule \"ack\": last "), "{out}");
    }

    #[test]
    fn reset_forgets_every_rule_for_the_sender() {
        let mut store = store_with_reply("anna@example.com", "ack");
        assert!(reset(&mut store, "ANNA@example.com").unwrap().starts_with("Forgot 1 auto-reply record for"));
        assert!(store.replies_to("anna@example.com").unwrap().is_empty());
        assert!(reset(&mut store, "anna@example.com").unwrap().contains("nothing changed"));
    }
}
