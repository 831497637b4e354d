//! From a classification to effects: the generic actions (`reply`, `forward`, `move`, `flag`) of the
//! matched rules, with the auto-reply guard and rate limit applied.
//!
//! Pure: it reads the rules, the message and the reply history and returns a [`Decision`]; nothing is
//! sent or stored here. The intake records the decision; `explain` prints it.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::effects::{Effect, MailKind};
use crate::guard::{Answer, Verdict};
use crate::mail::compose::{self, AutoSubmitted, Forward, Identity, OutboundMail, Reply};
use crate::mail::message::{Address, Message, domain_of};
use crate::rules::{Classification, DeskCall, Rule, RuleSet, TemplateContext};

#[cfg(test)]
mod tests;

/// When each rule last auto-replied to each sender: the rate limit's memory.
pub trait ReplyHistory {
    /// Unix seconds of the last reply `rule` sent to `sender`, if any; an error when the log cannot
    /// be read, which holds the reply back (the limit fails closed).
    fn last_reply(&self, sender: &str, rule: &str) -> Result<Option<i64>, String>;
    /// Remembers a reply decided now (before it is committed), so one batch cannot answer twice.
    fn note_reply(&mut self, sender: &str, rule: &str, at: i64);
}

/// An empty history, for dry runs that should show every reply.
pub struct NoHistory;

impl ReplyHistory for NoHistory {
    fn last_reply(&self, _: &str, _: &str) -> Result<Option<i64>, String> {
        Ok(None)
    }
    fn note_reply(&mut self, _: &str, _: &str, _: i64) {}
}

/// What handling a message amounts to.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    /// The rule that decided (the last one matched), if any.
    pub rule: Option<String>,
    /// Every rule that matched, in order (more than one only through `continue`).
    pub matched: Vec<String>,
    pub desk: Option<String>,
    pub desk_options: BTreeMap<String, String>,
    /// The deciding rule's desk call, which the desk then carries out.
    pub desk_call: Option<DeskCall>,
    pub effects: Vec<Effect>,
    /// Replies and forwards that the safety rules held back, with why.
    pub suppressed: Vec<Suppressed>,
    /// What a desk left undone, and why.
    pub notes: Vec<String>,
}

impl Decision {
    /// What the classification alone says: the rules that matched and the desk, with no effects yet.
    pub fn classified(classification: &Classification<'_>) -> Decision {
        let call = classification.desk();
        Decision {
            rule: classification.deciding().map(|r| r.name.clone()),
            matched: classification.matched.iter().map(|r| r.name.clone()).collect(),
            desk: call.map(|call| call.desk.name().to_string()),
            desk_options: call.map(desk_options).unwrap_or_default(),
            desk_call: call.cloned(),
            ..Decision::default()
        }
    }

    /// The automatic reply among the effects, if one is sent.
    pub fn reply(&self) -> Option<&OutboundMail> {
        self.effects.iter().find_map(|effect| match effect {
            Effect::Send { kind: MailKind::Reply, mail, .. } => Some(mail),
            _ => None,
        })
    }
}

/// A reply or forward that was not made, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    pub rule: String,
    pub action: &'static str,
    pub reasons: Vec<String>,
}

impl fmt::Display for Suppressed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of rule \"{}\" suppressed: {}", self.action, self.rule, self.reasons.join("; "))
    }
}

/// A rule's action could not be carried out (a template failed to render, a header would be unsafe).
/// The message is kept and reported; the rule files need fixing.
#[derive(Debug, thiserror::Error)]
#[error("rule \"{rule}\": {message}")]
pub struct ActionError {
    pub rule: String,
    pub message: String,
}

/// Decides what to do with `msg`. `raw` is the message as received (forwards attach it) and
/// `content_hash` its digest, which seeds the deterministic Message-IDs of the mail sent in reply.
pub fn decide(
    rules: &RuleSet,
    msg: &Message,
    raw: &[u8],
    content_hash: &str,
    verdict: &Verdict,
    history: &mut dyn ReplyHistory,
    now: DateTime<Utc>,
) -> Result<Decision, ActionError> {
    let classification = rules.classify(msg);
    let mut decision = Decision::classified(&classification);
    if msg.text_cut {
        decision.notes.push(format!(
            "the text is longer than {} MB: the rules and desks read its beginning, and forwards carry it whole",
            crate::mail::message::TEXT_LIMIT / 1_000_000
        ));
    }
    let guard_reasons = verdict.why_not(Answer::Reply);
    let mut destination = None;
    let mut flags: Vec<String> = Vec::new();
    for rule in &classification.matched {
        let actions = &rule.actions;
        if actions.reply.is_some() {
            reply(rules, rule, msg, content_hash, &guard_reasons, history, now, &mut decision)?;
        }
        if actions.forward.is_some() {
            forward(rules, rule, msg, raw, content_hash, verdict, now, &mut decision)?;
        }
        if let Some(folder) = &actions.move_to {
            destination = Some(folder.clone());
        }
        for flag in &actions.flags {
            if !flags.iter().any(|f| f == flag.imap()) {
                flags.push(flag.imap().to_string());
            }
        }
    }
    if !flags.is_empty() {
        decision.effects.push(Effect::Flag { flags });
    }
    if let Some(folder) = destination {
        decision.effects.push(Effect::Move { folder });
    }
    Ok(decision)
}

#[allow(clippy::too_many_arguments)]
fn reply(
    rules: &RuleSet,
    rule: &Rule,
    msg: &Message,
    content_hash: &str,
    guard_reasons: &[String],
    history: &mut dyn ReplyHistory,
    now: DateTime<Utc>,
    decision: &mut Decision,
) -> Result<(), ActionError> {
    let Some(action) = &rule.actions.reply else { return Ok(()) };
    let suppress = |reasons: Vec<String>, decision: &mut Decision| {
        decision.suppressed.push(Suppressed { rule: rule.name.clone(), action: "reply", reasons });
    };
    if !guard_reasons.is_empty() {
        suppress(guard_reasons.to_vec(), decision);
        return Ok(());
    }
    let Some(target) = msg.reply_target() else {
        suppress(vec!["the message has no address to reply to".into()], decision);
        return Ok(());
    };
    let failed = |message: String| ActionError { rule: rule.name.clone(), message };
    let limited = rate_limited(&rule.name, target, rules.reply_limit(rule), history, now);
    if let Some(why) = limited.map_err(|e| failed(e.to_string()))? {
        suppress(vec![why], decision);
        return Ok(());
    }
    let context = TemplateContext::new(msg, &rules.office, &rule.name);
    let body = rules.templates.render(&action.template, &context).map_err(|e| failed(e.to_string()))?;
    let subject = match &action.subject {
        Some(template) => {
            rules.templates.render_str(template, &context).map_err(|e| failed(e.to_string()))?
        }
        None => compose::reply_subject(&msg.subject),
    };
    let to = Address { name: display_name_for(msg, target), email: target.to_string() };
    let cc = action.cc.iter().map(|a| Address { name: None, email: a.clone() }).collect();
    let identity = identity(&rules.office);
    let message_id = compose::message_id(
        format!("{content_hash}\0reply\0{}", rule.name).as_bytes(),
        domain_of(&identity.address),
    );
    let mail = compose::reply(&Reply {
        original: msg,
        from: &identity,
        to,
        cc,
        subject,
        body,
        message_id,
        date: now,
        auto_submitted: AutoSubmitted::AutoReplied,
        loop_header_value: identity.address.clone(),
    })
    .map_err(|e| failed(e.to_string()))?;
    history.note_reply(target, &rule.name, now.timestamp());
    decision.effects.push(Effect::Send { kind: MailKind::Reply, rule: rule.name.clone(), mail });
    decision.effects.push(Effect::NoteReply { sender: target.to_string(), rule: rule.name.clone() });
    Ok(())
}

/// The reply log could not be read, so nobody can say whether a reply was sent already: the message
/// fails (and is kept for `clerk retry`) rather than risk a second reply or lose the first.
#[derive(Debug, thiserror::Error)]
#[error("the reply log cannot be read ({0}), so no reply is sent now; the message is kept for a retry")]
pub struct ReplyLogUnreadable(pub String);

/// Why `rule` may not auto-reply to `target` now: it already did less than `every` ago. The limit
/// fails closed: a reply log that cannot be read is an error, never a reason to reply.
pub(crate) fn rate_limited(
    rule: &str,
    target: &str,
    every: std::time::Duration,
    history: &dyn ReplyHistory,
    now: DateTime<Utc>,
) -> Result<Option<String>, ReplyLogUnreadable> {
    let Some(last) = history.last_reply(target, rule).map_err(ReplyLogUnreadable)? else { return Ok(None) };
    let next = last + every.as_secs() as i64;
    Ok((now.timestamp() < next).then(|| {
        let when = DateTime::from_timestamp(last, 0).map(|t| t.to_rfc3339()).unwrap_or_default();
        format!(
            "rule \"{rule}\" already replied to {target} at {when} (at most one reply every {})",
            crate::units::humanize(every)
        )
    }))
}

#[allow(clippy::too_many_arguments)]
fn forward(
    rules: &RuleSet,
    rule: &Rule,
    msg: &Message,
    raw: &[u8],
    content_hash: &str,
    verdict: &Verdict,
    now: DateTime<Utc>,
    decision: &mut Decision,
) -> Result<(), ActionError> {
    let Some(action) = &rule.actions.forward else { return Ok(()) };
    // Forwarding clerk's own mail, or mail that came from a forward's recipient, could start a loop
    // (a department's auto-reply forwarded back to the department).
    let mut reasons = verdict.why_not(Answer::Forward);
    let recipients: Vec<&String> = action.to.iter().filter(|to| !msg.from.iter().any(|f| f.is(to))).collect();
    if recipients.len() < action.to.len() {
        reasons.push("the sender is one of the forward's recipients".into());
    }
    if !reasons.is_empty() || recipients.is_empty() {
        decision.suppressed.push(Suppressed { rule: rule.name.clone(), action: "forward", reasons });
        return Ok(());
    }
    let failed = |message: String| ActionError { rule: rule.name.clone(), message };
    let note = match &action.note {
        Some(template) => {
            let context = TemplateContext::new(msg, &rules.office, &rule.name)
                .with_reading(rules.intents(msg).summary());
            Some(rules.templates.render(template, &context).map_err(|e| failed(e.to_string()))?)
        }
        None => None,
    };
    let identity = identity(&rules.office);
    let message_id = compose::message_id(
        format!("{content_hash}\0forward\0{}", rule.name).as_bytes(),
        domain_of(&identity.address),
    );
    let mail = compose::forward(&Forward {
        original: msg,
        original_raw: raw,
        from: &identity,
        to: recipients.iter().map(|a| Address { name: None, email: (*a).clone() }).collect(),
        mode: action.mode,
        note,
        message_id,
        date: now,
        loop_header_value: identity.address.clone(),
        subject: None,
        reply_to: None,
    })
    .map_err(|e| failed(e.to_string()))?;
    decision.effects.push(Effect::Send { kind: MailKind::Forward, rule: rule.name.clone(), mail });
    Ok(())
}

/// A desk call's options as the journal records them.
fn desk_options(call: &DeskCall) -> BTreeMap<String, String> {
    let mut options = BTreeMap::new();
    let fields = [("answer", &call.answer), ("department", &call.department), ("calendar", &call.calendar)];
    for (key, value) in fields {
        if let Some(value) = value {
            options.insert(key.to_string(), value.clone());
        }
    }
    if let Some(priority) = call.priority {
        options.insert("priority".into(), format!("{priority:?}").to_lowercase());
    }
    options
}

/// The assistant, as the sender of the mail clerk composes.
pub(crate) fn identity(office: &crate::office::Office) -> Identity {
    Identity { name: office.assistant.name.clone(), address: office.assistant.address.clone() }
}

/// The display name to put beside the reply's recipient: the sender's, when it is the same address.
pub(crate) fn display_name_for(msg: &Message, target: &str) -> Option<String> {
    msg.reply_to.iter().chain(&msg.from).find(|a| a.is(target)).and_then(|a| a.name.clone())
}
