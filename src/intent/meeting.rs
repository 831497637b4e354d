//! Meetings: a request to meet rests on words of meeting ("call", "catch up", "sopralluogo", "passo
//! da voi") and a request ("can we", "riesci?"), and grows surer with a day or time still to come (the
//! meeting desk's own time reader); a move or a cancellation names one; a reply in an offer's thread
//! may choose one of the offered times. A meeting that already took place ("thanks for yesterday's
//! meeting") asks for none.

use std::sync::LazyLock;

use chrono::Utc;

use super::cues::Cues;
use super::machine::Machine;
use super::people::SOCIAL;
use super::{Intent, Tally, Text, Writer};
use crate::calendar::phrase::{self, Asked};
use crate::mail::message::Message;
use crate::mail::reply_text::request_words;

/// Words of meeting, in English and Italian.
static MEET: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/meeting-meet.txt")));

/// Asking whether someone by name is free: "is Giulia free", "are you and Marco available".
static FREE_NAMED: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::regexes::built_in(r"\b(?:is|are)\s+(?:\w+\s+){1,2}(?:free|available)\b"));

/// Wanting to talk to someone.
static TALK: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/meeting-talk.txt")));

/// Asking whether someone is free: a request to meet in other words.
static FREE: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/meeting-free.txt")));

/// A time something is wanted by.
static DEADLINE: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/meeting-deadline.txt")));

/// A meeting already arranged, written about.
static BOOKED: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/meeting-booked.txt")));

/// A proposal of a time ("can we", "how about", "riesci?").
static PROPOSE: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/meeting-propose.txt")));

/// A request or proposal: a question, "can we", "let's", "riesci?".
static REQUEST: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/meeting-request.txt")));

/// Words that put a meeting in the past: thanks for it, what followed it.
static PAST: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/meeting-past.txt")));

pub(crate) fn read(
    msg: &Message,
    text: &Text,
    writer: &Writer,
    machine: &Machine,
    zone: Option<chrono_tz::Tz>,
    tally: &mut Tally,
) {
    // A delivery or read report asks for no meeting, whatever dates the bounced message held.
    if machine.report {
        return;
    }
    let all = format!("{}\n{}", text.subject, text.body);
    let meet =
        MEET.find(&all).or_else(|| FREE.find(&all)).or_else(|| FREE_NAMED.find(&all).map(|m| m.as_str()));
    let talk = TALK.find(&all).filter(|_| meet.is_none());
    let proposes = PROPOSE.find(&all);
    let request = proposes.or_else(|| REQUEST.find(&all)).or_else(|| all.contains('?').then_some("?"));
    // Without a word of meeting, a proposal of a time is a request to meet; among colleagues, unless
    // it is cake, lunch or drinks.
    let social = *writer == Writer::Colleague && meet.is_none() && SOCIAL.find(&all).is_some();
    // "Can you get us a cartridge by tomorrow at 9?": a deadline, not a time to meet.
    let deadline = meet.is_none() && DEADLINE.find(&all).is_some();
    let proposes = proposes.filter(|_| !social && !deadline);
    let past = PAST.find(&all);
    // The time reader reads only a message that asks something or speaks of meeting, where a time
    // can make it a request to meet. An absence notice's date is its return ("until 20 January"),
    // not a time to meet.
    let worth_reading = (meet.is_some() || talk.is_some() || request.is_some()) && !machine.absent;
    let when = msg.date.filter(|_| worth_reading).map(|sent| {
        // The words the meeting desk reads, as it reads them, so that one reading serves both.
        let words = request_words(&msg.subject, !msg.in_reply_to.is_empty(), &msg.text);
        (phrase::read_in(&words, sent, zone), sent.with_timezone(&Utc))
    });
    // Times are shown on the office's clock, as its people read them.
    let local = |at: chrono::DateTime<Utc>| match zone {
        Some(zone) => at.with_timezone(&zone).format("%a %-d %b %H:%M %Z").to_string(),
        None => at.format("%a %-d %b %H:%M UTC").to_string(),
    };
    let mut points = 0.0;
    let mut evidence = Vec::new();
    if let Some(word) = meet {
        points += 2.0;
        evidence.push(format!("\"{word}\""));
    } else if let Some(word) = talk {
        points += 1.0;
        evidence.push(format!("\"{word}\""));
    }
    // A question mark beside a word of meeting ("Could you send the plans? See you on Friday") is
    // not yet a request to meet: a proposal or a time makes it one.
    if let Some(word) = request {
        points += if proposes.is_some() || (meet.is_some() && word != "?") { 1.0 } else { 0.5 };
        evidence.push(format!("a request: \"{word}\""));
    }
    if let Some((reading, sent)) = when {
        match reading.asked {
            Asked::At(_) | Asked::Within { .. } if deadline => {
                evidence.push("a time that reads as a deadline".to_owned());
            }
            Asked::At(at) if at > sent => {
                points += if meet.is_some() || proposes.is_some() { 2.0 } else { 1.5 };
                evidence.push(format!("a time to come: {}", local(at)));
            }
            Asked::Within { to, .. } if to > sent => {
                points += if meet.is_some() { 1.5 } else { 1.0 };
                evidence.push("a stretch of time to come".to_owned());
            }
            // "Following our call last week, could we meet on Thursday?": the past is context.
            Asked::At(_) | Asked::Within { .. } if proposes.is_none() => {
                points -= 1.0;
                evidence.push("a time already past".to_owned());
            }
            Asked::At(_) | Asked::Within { .. } => {}
            Asked::Nothing => {}
        }
        // What the reading set aside, for a person to check: the meeting a change names, a refusal.
        if let Asked::At(at) = reading.referred {
            evidence.push(format!("names the meeting of {}", local(at)));
        }
        if reading.refused {
            evidence.push("a day or time refused".to_owned());
        }
    }
    if let Some(word) = BOOKED.find(&all).filter(|_| proposes.is_none()) {
        points -= 3.0;
        evidence.push(format!("a meeting already arranged: \"{word}\""));
    }
    if let Some(word) = past.filter(|_| proposes.is_none()) {
        points -= 2.5;
        evidence.push(format!("a meeting already held: \"{word}\""));
    }
    if *writer == Writer::Vendor {
        points -= 1.0;
    }
    if points > 0.0 && (meet.is_some() || talk.is_some() || request.is_some()) {
        for (n, said) in evidence.into_iter().enumerate() {
            tally.add(Intent::MeetingRequest, if n == 0 { points } else { 0.0 }, said);
        }
    }
    changes(text, meet.is_some(), tally);
    choice(text, tally);
    invitation_thread(text, tally);
}

/// A reply in the thread of an invitation ("Re: Invitation: Site visit @ Tue 27 Apr", "R: Invito:"):
/// the meeting desk's, even when it only says "I'll be there".
fn invitation_thread(text: &Text, tally: &mut Tally) {
    static INVITATION: LazyLock<regex::Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"(?i)(?:invitation|invito|einladung|invitaci[oó]n|updated invitation|invito aggiornato)\s*:",
        )
    });
    if text.reply && INVITATION.is_match(&text.subject_as_written) {
        tally.add(Intent::MeetingRequest, 3.0, "a reply in the thread of an invitation");
    }
}

/// A move or a cancellation, of a meeting named or of the one whose thread this is.
fn changes(text: &Text, meet: bool, tally: &mut Tally) {
    let Some(change) = phrase::intent(&text.raw) else { return };
    let (intent, word) = match change {
        phrase::Intent::Move => (Intent::MeetingMove, "a move"),
        phrase::Intent::Cancel => (Intent::MeetingCancel, "a cancellation"),
    };
    let context = if meet {
        2.0
    } else if text.reply {
        1.5
    } else {
        0.5
    };
    tally.add(intent, 2.0 + context, format!("{word} asked{}", if meet { " of a meeting" } else { "" }));
}

/// A reply in a thread that chooses one of the times offered.
fn choice(text: &Text, tally: &mut Tally) {
    if text.reply
        && let Some(n) = phrase::choice(&text.raw, 5)
    {
        tally.add(Intent::MeetingChoice, 3.0, format!("the offered time {n} chosen"));
    }
}
