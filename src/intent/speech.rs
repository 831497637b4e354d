//! What someone outside the office says to it: a question or a request, a complaint, thanks and
//! praise. A person who writes to the office from outside is most often asking something, so their
//! mail starts halfway to a question; the words decide which kind.

use std::sync::LazyLock;

use super::cues::Cues;
use super::{Intent, Tally, Text, Writer};

static ASKS: LazyLock<Cues> = LazyLock::new(|| {
    Cues::new(&[
        "could you",
        "can you",
        "would you",
        "will you",
        "could i",
        "can i",
        "i would like",
        "i'd like",
        "we would like",
        "we'd like",
        "please send",
        "please let me know",
        "let me know",
        "i was wondering",
        "do you",
        "are you",
        "is it possible",
        "how much",
        "how long",
        "when will",
        "any news",
        "any update",
        "quote",
        "estimate",
        "price",
        "prices",
        "cost",
        "information",
        "info",
        "details",
        "interested in",
        "vorrei",
        "vorremmo",
        "potreste",
        "potete",
        "potrebbe",
        "puo",
        "potrei",
        "mi servirebbe",
        "ci servirebbe",
        "chiedo",
        "vi chiedo",
        "richiesta",
        "richiedere",
        "informazioni",
        "preventivo",
        "prezzo",
        "prezzi",
        "costo",
        "quanto costa",
        "quanto tempo",
        "fate",
        "avete",
        "siete",
        "novita",
        "aggiornamenti",
        "ci sono novita",
        "interessat*",
        "sapere se",
        "sapere quando",
        "mi fate sapere",
        "fatemi sapere",
    ])
});

static COMPLAINS: LazyLock<Cues> = LazyLock::new(|| {
    Cues::new(&[
        "complain*",
        "disappoint*",
        "unacceptable",
        "not acceptable",
        "still waiting",
        "still not",
        "still no",
        "not happy",
        "unhappy",
        "terrible",
        "poor service",
        "poor work",
        "refund",
        "no one has",
        "nobody has",
        "never answered",
        "no reply",
        "no answer",
        "what is going on",
        "frustrat*",
        "angry",
        "furious",
        "damage",
        "damaged",
        "crack*",
        "leak*",
        "mistake",
        "wrong",
        "reclamo",
        "lamentel*",
        "deluso",
        "delusa",
        "delusi",
        "delusione",
        "inaccettabile",
        "inammissibile",
        "ancora in attesa",
        "ancora nessun*",
        "ancora niente",
        "nessuno mi ha",
        "nessuno ci ha",
        "non e accettabile",
        "vergogna",
        "pessim*",
        "arrabbiat*",
        "rimborso",
        "danni",
        "danneggiat*",
        "crepe",
        "crepa",
        "infiltrazion*",
        "errore",
        "sbagliat*",
        "non funziona",
        "doesn't work",
        "does not work",
    ])
});

static PRAISES: LazyLock<Cues> = LazyLock::new(|| {
    Cues::new(&[
        "thank you for",
        "thanks for",
        "thanks so much",
        "many thanks",
        "great job",
        "great work",
        "excellent",
        "fantastic",
        "wonderful",
        "beautiful",
        "amazing",
        "brilliant",
        "delighted",
        "very pleased",
        "really pleased",
        "so happy",
        "very happy",
        "love the",
        "loved the",
        "impressed",
        "well done",
        "feedback",
        "grazie per",
        "grazie mille",
        "grazie di cuore",
        "complimenti",
        "bravissim*",
        "bravi",
        "ottimo lavoro",
        "ottimo",
        "splendid*",
        "bellissim*",
        "stupend*",
        "meraviglios*",
        "contentissim*",
        "molto contenti",
        "molto soddisfatt*",
        "soddisfatt*",
        "entusiast*",
        "impeccabile",
    ])
});

pub(crate) fn read(text: &Text, writer: &Writer, tally: &mut Tally) {
    if *writer != Writer::Stranger {
        return;
    }
    let all = format!("{}\n{}", text.subject, text.body);
    tally.add(Intent::Question, 1.5, "a person outside the office writes");
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
