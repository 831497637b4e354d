//! Deciding what to do with one message, the one path every message takes whether it is handled
//! (the intake), explained (`clerk explain`) or tested (`[[test]]`s): the guard reads it once, the
//! matched rules' actions and then the desk they chose decide their effects, and the guard has the
//! last word over every mail among them.
//!
//! That last word is what makes the guard one guard: whichever rule or desk wrote a mail, it is held
//! back here when the guard's table says so for its kind ([`Answer::Reply`] for a reply,
//! [`Answer::CalendarAnswer`] for calendar mail and the meeting desk's answers). Mail to the office's own people (forwards,
//! notices) is not an answer to the sender and is never held back here. The desks also consult the
//! same [`Verdict`] earlier, to decide what to record and to say in their notes why they stayed silent.

use crate::actions::{self, ActionError, Decision, ReplyHistory, Suppressed};
use crate::desks::{self, DeskError, Incoming, Views};
use crate::effects::{Effect, MailKind};
use crate::guard::{Answer, GuardPolicy, Verdict};
use crate::rules::{Desk, RuleSet};

/// Why a message could not be decided on; nothing of its decision is kept.
#[derive(Debug, thiserror::Error)]
pub enum HandlingError {
    #[error(transparent)]
    Action(#[from] ActionError),
    #[error(transparent)]
    Desk(#[from] DeskError),
}

/// Decides what to do with `incoming`: every effect, with what was held back and why.
pub fn decide(
    rules: &RuleSet,
    incoming: &Incoming<'_>,
    views: &Views<'_>,
    history: &mut dyn ReplyHistory,
) -> Result<Decision, HandlingError> {
    let verdict = Verdict::of(incoming.msg, &GuardPolicy::of(&rules.office));
    let Incoming { msg, raw, content_hash, now } = *incoming;
    let mut decision = actions::decide(rules, msg, raw, content_hash, &verdict, history, now)?;
    desks::run(rules, incoming, &verdict, &mut decision, views, history)?;
    hold_back(&verdict, &mut decision);
    Ok(decision)
}

/// The guard's last word: removes every mail the verdict holds back for its kind, with the note of
/// the reply limit that went with it, and says why in the decision.
fn hold_back(verdict: &Verdict, decision: &mut Decision) {
    // The meeting desk's plain answers (times offered, a question back) answer a request for a time,
    // which the calendar's owner may send herself: they are calendar answers.
    // So are the event desk's answers to an organiser's request.
    let asked = decision
        .desk_call
        .as_ref()
        .map(|call| call.desk)
        .filter(|d| matches!(d, Desk::Meeting | Desk::Event));
    let mut held: Vec<(String, Vec<String>)> = Vec::new();
    decision.effects.retain(|effect| {
        let Effect::Send { kind, rule, mail } = effect else { return true };
        let (answer, action) = match kind {
            MailKind::Reply if asked == Some(Desk::Meeting) => {
                (Answer::CalendarAnswer, "meeting desk's answer")
            }
            MailKind::Reply if asked == Some(Desk::Event) => (Answer::CalendarAnswer, "event desk's answer"),
            MailKind::Reply => (Answer::Reply, "reply"),
            MailKind::Calendar => (Answer::CalendarAnswer, "calendar answer"),
            MailKind::Forward | MailKind::Notice => return true,
        };
        let reasons = verdict.why_not(answer);
        if reasons.is_empty() {
            return true;
        }
        decision.suppressed.push(Suppressed { rule: rule.clone(), action, reasons });
        held.push((rule.clone(), mail.recipients.clone()));
        false
    });
    decision.effects.retain(|effect| match effect {
        Effect::NoteReply { sender, rule } => {
            !held.iter().any(|(held_rule, to)| rule.starts_with(held_rule.as_str()) && to.contains(sender))
        }
        _ => true,
    });
}

#[cfg(test)]
mod tests;
