//! `clerk explain`: a dry run of one message through the rules, as a readable report or JSON.
//!
//! It shows every rule tried with each condition's result (like `sieve-test -t`), the decision, any
//! safety check that held a reply back, and every effect including the full text of mail that would be
//! sent. Nothing is sent or stored.

use std::fmt;

use chrono::Utc;
use serde_json::json;

use crate::actions::{self, Decision, NoHistory};
use crate::effects::Effect;
use crate::mail::message::{Message, ParseError};
use crate::rules::{RuleSet, RuleTrace};

/// Everything `explain` reports about one message.
pub struct Explanation {
    pub message: Message,
    pub trace: Vec<RuleTrace>,
    pub decision: Decision,
}

/// Why a message could not be explained.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error("cannot read the message: {0}")]
    Parse(#[from] ParseError),
    #[error("{0}")]
    Action(#[from] actions::ActionError),
}

/// Runs `raw` through `rules` without touching anything. The reply rate limit is not consulted (a dry
/// run has no history), so a reply shown here may still be held back by it in the daemon.
pub fn explain(rules: &RuleSet, raw: &[u8]) -> Result<Explanation, ExplainError> {
    let message = Message::parse(raw)?;
    let trace = rules.explain(&message);
    let hash = crate::digest::sha256_hex(raw);
    let decision = actions::decide(rules, &message, raw, &hash, &mut NoHistory, Utc::now())?;
    Ok(Explanation { message, trace, decision })
}

impl Explanation {
    /// The `--json` form. `rule` and `desk` are a stable interface; the rest may grow.
    pub fn to_json(&self) -> serde_json::Value {
        let d = &self.decision;
        json!({
            "rule": d.rule,
            "desk": d.desk,
            "desk_options": d.desk_options,
            "matched": d.matched,
            "effects": d.effects.iter().map(effect_json).collect::<Vec<_>>(),
            "suppressed": d.suppressed,
            "trace": self.trace,
        })
    }
}

fn effect_json(effect: &Effect) -> serde_json::Value {
    match effect {
        Effect::Send { kind, rule, mail } => json!({
            "type": kind.as_str(),
            "rule": rule,
            "message_id": mail.message_id,
            "envelope_from": mail.envelope_from,
            "recipients": mail.recipients,
            "text": String::from_utf8_lossy(&mail.raw),
        }),
        Effect::Move { folder } => json!({ "type": "move", "folder": folder }),
        Effect::Flag { flags } => json!({ "type": "flag", "flags": flags }),
        Effect::NoteReply { sender, rule } => {
            json!({ "type": "record_reply", "sender": sender, "rule": rule })
        }
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.message;
        let from = m.from.first().map(ToString::to_string).unwrap_or_else(|| "(no sender)".into());
        writeln!(
            f,
            "Message {} from {from}",
            m.message_id.as_deref().map(|i| format!("<{i}>")).unwrap_or_default()
        )?;
        writeln!(f, "  Subject: {}", m.subject)?;
        writeln!(f)?;
        writeln!(f, "Rules tried, in order:")?;
        for trace in &self.trace {
            write!(f, "{trace}")?;
        }
        writeln!(f)?;
        let d = &self.decision;
        match &d.rule {
            Some(rule) => writeln!(f, "Decision: rule \"{rule}\"")?,
            None => writeln!(f, "Decision: no rule matched; the message is left where it is")?,
        }
        if d.matched.len() > 1 {
            writeln!(
                f,
                "  (matched, in order: {})",
                d.matched.iter().map(|r| format!("\"{r}\"")).collect::<Vec<_>>().join(", ")
            )?;
        }
        match &d.desk {
            Some(desk) => {
                let options: Vec<String> =
                    d.desk_options.iter().map(|(k, v)| format!("{k} = {v:?}")).collect();
                let options =
                    if options.is_empty() { String::new() } else { format!(" ({})", options.join(", ")) };
                writeln!(f, "  Desk: {desk}{options}")?;
            }
            None => writeln!(f, "  Desk: none")?,
        }
        if !d.suppressed.is_empty() {
            writeln!(f)?;
            writeln!(f, "Held back by the safety rules:")?;
            for s in &d.suppressed {
                writeln!(f, "  - {s}")?;
            }
        }
        writeln!(f)?;
        if d.effects.is_empty() {
            writeln!(f, "Effects: none")?;
        } else {
            writeln!(f, "Effects:")?;
        }
        for (n, effect) in d.effects.iter().enumerate() {
            match effect {
                Effect::Send { kind, mail, .. } => {
                    let sender = mail.envelope_from.as_deref().unwrap_or("<>");
                    writeln!(
                        f,
                        "  {}. {} to {} (envelope sender {sender})",
                        n + 1,
                        kind.as_str(),
                        mail.recipients.join(", ")
                    )?;
                    writeln!(f, "     ----- 8< -----")?;
                    for line in String::from_utf8_lossy(&mail.raw).lines() {
                        writeln!(f, "     {line}")?;
                    }
                    writeln!(f, "     ----- 8< -----")?;
                }
                Effect::Move { folder } => writeln!(f, "  {}. move to folder \"{folder}\"", n + 1)?,
                Effect::Flag { flags } => writeln!(f, "  {}. set flags {}", n + 1, flags.join(" "))?,
                Effect::NoteReply { sender, rule } => {
                    writeln!(f, "  {}. remember that \"{rule}\" answered {sender} (reply rate limit)", n + 1)?
                }
            }
        }
        writeln!(f)?;
        writeln!(f, "Nothing was sent or stored. (A dry run does not consult the reply rate limit.)")
    }
}
