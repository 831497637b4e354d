//! What someone outside the office says to it: a question or a request, a complaint, thanks and
//! praise. A person who writes to the office from outside is most often asking something, so their
//! mail starts halfway to a question; the words decide which kind.

use std::sync::LazyLock;

use super::cues::Cues;
use super::{Group, Intent, Tally, Text, Writer};
use crate::tickets::TicketNumber;

static ASKS: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/speech-asks.txt")));

static QUOTE: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/speech-quote.txt")));

static COMPLAINS: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/speech-complains.txt")));

static PRAISES: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/speech-praises.txt")));

pub(crate) fn read(text: &Text, writer: &Writer, tally: &mut Tally) {
    if *writer != Writer::Stranger {
        return;
    }
    let all = format!("{}\n{}", text.subject, text.body);
    // When a meeting or an order is read, the question mark is most likely theirs ("Tuesday at 10?"),
    // and only words that ask something else make a question.
    let desk_read = tally.strongest(|intent| matches!(intent.group(), Group::Meeting | Group::Supply)) >= 2.5;
    // Writing from outside explains a message only when nothing else does: an absence notice, a
    // bill or a parcel's journey is read as that.
    let explained = desk_read || tally.strongest(|intent| intent.group() == Group::Nothing) >= 2.5;
    let base = if explained { 1.0 } else { 2.0 };
    tally.add(Intent::Question, base, "a person outside the office writes");
    if let Some(ticket) = TicketNumber::in_subject(&text.subject_as_written) {
        tally.add(Intent::Question, 2.0, format!("a reply about ticket {}", ticket.tag()));
    }
    if let Some(cue) = ASKS.find(&all) {
        tally.add(Intent::Question, 1.5, format!("\"{cue}\""));
    }
    if let Some(cue) = QUOTE.find(&all) {
        tally.add(Intent::Question, 1.5, format!("a price or a quote: \"{cue}\""));
    }
    if !desk_read && (text.body.contains('?') || text.subject.contains('?')) {
        tally.add(Intent::Question, 1.0, "a question mark");
    }
    let complaints = COMPLAINS.count(&all, 3);
    if let Some(cue) = COMPLAINS.find(&all) {
        tally.add(Intent::Complaint, 1.5 + 1.5 * complaints as f32, format!("\"{cue}\""));
    }
    let praise = PRAISES.count(&all, 3);
    if let Some(cue) = PRAISES.find(&all) {
        tally.add(Intent::Praise, 1.0 + 1.0 * praise as f32, format!("\"{cue}\""));
    }
}
