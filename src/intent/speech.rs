//! What someone outside the office says to it: a question or a request, a complaint, thanks and
//! praise. A person who writes to the office from outside is most often asking something, so their
//! mail starts halfway to a question; the words decide which kind.

use std::sync::LazyLock;

use super::cues::Cues;
use super::{Intent, Tally, Text, Writer};

static ASKS: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/speech-asks.txt")));

static COMPLAINS: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/speech-complains.txt")));

static PRAISES: LazyLock<Cues> = LazyLock::new(|| Cues::list(include_str!("cues/speech-praises.txt")));

pub(crate) fn read(text: &Text, writer: &Writer, tally: &mut Tally) {
    if *writer != Writer::Stranger {
        return;
    }
    let all = format!("{}\n{}", text.subject, text.body);
    tally.add(Intent::Question, 2.0, "a person outside the office writes");
    if let Some(cue) = ASKS.find(&all) {
        tally.add(Intent::Question, 1.5, format!("\"{cue}\""));
    }
    if text.body.contains('?') || text.subject.contains('?') {
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
