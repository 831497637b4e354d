//! Which of the days and times a message names it asks for: "Tuesday is impossible for me, but
//! Wednesday at 10 would work" refuses Tuesday; "possiamo spostare l'appuntamento di domani alle 10 a
//! lunedì 21 alle 15?" refers to the meeting tomorrow at 10 and asks for Monday 21 at 15; "I have to
//! cancel tomorrow's meeting at 2pm" refers to a meeting and asks for none.
//!
//! Each mention gets a [`Role`] from the sentence and clause it is in:
//! - in a sentence that cancels, every mention refers to the meeting cancelled;
//! - in a sentence that moves, what comes before the word that leads to the new time ("to", "a",
//!   "al") refers to the meeting moved, and what follows is asked; sentences before the last move
//!   or cancellation that ask nothing ("I have an appointment on Wednesday at 15:00.") refer too;
//! - "instead of Tuesday", "invece di martedì" refer;
//! - a clause that refuses ("won't work", "is impossible", "non riesco", "sono impegnato") refuses
//!   what it names.

use std::sync::LazyLock;

use regex::Regex;

use super::grammar::{Mention, What};
use super::tokens::Token;

/// What a mention is to the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Asked,
    Refused,
    /// The meeting a move or cancellation is about.
    Referred,
    /// Both: the day of a meeting moved to another hour of it.
    Shared,
    /// A span from the old hour to the new ("dalle 15 alle 10").
    Moved,
}

/// Words that cancel a meeting.
pub(super) static CANCEL: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"\b(cancel\w*|call\s+(?:it\s+)?off|can'?t\s+make\s+it|cannot\s+make\s+it|annull\w*|disdir\w*|disdic\w*|cancell\w*|non\s+(?:posso|riesco)\s+piu\s+venire)\b",
    )
});

/// Whether a word [`CANCEL`] found cancels: "cancelleria" is stationery, "il cancello" a gate.
pub(super) fn cancels(word: &str) -> bool {
    !(word.starts_with("cancelleri") || matches!(word, "cancello" | "cancelli"))
}

/// Words that move a meeting.
pub(super) static MOVE: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"\b(move|moving|shift|reschedul\w*|postpone|change\s+(?:it|the\s+(?:time|day|date))|push\s+(?:it\s+|this\s+|that\s+)?(?:back|forward|to)|bring\s+(?:it\s+)?forward|another\s+(?:day|time)|sposta\w*|rimand\w*|anticip\w*|posticip\w*|cambiare\s+(?:orario|giorno|data)|un\s+altro\s+(?:giorno|orario))\b",
    )
});

/// Words of a clause that refuses the day or time it names.
static REFUSE: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(
        r"\b(won'?t\s+(?:work|be\s+possible|do)|doesn'?t\s+(?:work|suit)|does\s+not\s+(?:work|suit)|(?:isn'?t|is\s+not|not)\s+(?:possible|good|great|ideal|available|free)|impossible|no\s+good|can'?t(?:\s+do)?|cannot|unable|unavailable|(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:busy|away|out|travell?ing|on\s+holiday)|non\s+(?:riesco|posso|va|mi\s+va|e\s+possibile|sono\s+disponibil\w*|ci\s+sono|ce\s+la\s+faccio|potrei|potro)|impossibile|sono\s+(?:impegnat\w|fuori|via|in\s+ferie)|ho\s+(?:gia\s+)?(?:un|una|un')\s*(?:impegno|udienza|altro\s+appuntamento))\b",
    )
});

/// Words before a day that set it aside: "instead of Tuesday", "invece di martedì".
static INSTEAD_OF: LazyLock<Regex> = LazyLock::new(|| {
    crate::regexes::built_in(r"\b(?:instead\s+of|rather\s+than|invece\s+(?:di|del|che)|anziche)\s*$")
});

/// Words that lead from the meeting moved to its new time.
const TO_NEW: [&str; 8] = ["to", "a", "al", "alla", "ad", "until", "till", "into"];

/// The role of each of `mentions`, found in `tokens` of `text`.
pub(super) fn roles(text: &str, tokens: &[Token<'_>], mentions: &[Mention]) -> Vec<Role> {
    let span = |first: usize, last: usize| -> &str {
        match (tokens.get(first), tokens.get(last)) {
            (Some(a), Some(b)) => &text[a.start..b.end],
            _ => "",
        }
    };
    let last_sentence = tokens.last().map_or(0, |t| t.sentence);
    let sentence_span = |n: usize| -> Option<(usize, usize)> {
        let first = tokens.iter().position(|t| t.sentence == n)?;
        let last = tokens.iter().rposition(|t| t.sentence == n)?;
        Some((first, last))
    };
    // What each sentence does: (cancels, index of the token after the move word).
    let mut kinds = Vec::with_capacity(last_sentence + 1);
    for n in 0..=last_sentence {
        let Some((first, last)) = sentence_span(n) else {
            kinds.push((false, None, false));
            continue;
        };
        let words = span(first, last);
        let base = tokens[first].start;
        let cancels = CANCEL.find_iter(words).any(|w| cancels(w.as_str()));
        let moves =
            MOVE.find_iter(words).find(|w| !w.as_str().starts_with("anticipat") && w.as_str() != "anticipo");
        let moved_at = moves.map(|w| {
            let at = base + w.end();
            tokens[first..=last].iter().position(|t| t.start >= at).map_or(last + 1, |p| first + p)
        });
        kinds.push((cancels && moved_at.is_none(), moved_at, words.contains('?')));
    }
    // Whether a sentence after `n` names a day or time.
    let later_times = |n: usize| {
        mentions.iter().any(|m| {
            tokens.get(m.first).is_some_and(|t| t.sentence > n)
                && matches!(m.what, What::Day(_) | What::Clock(_) | What::Range { .. } | What::Following(_))
        })
    };
    let last_change = kinds.iter().rposition(|(cancels, moved, _)| *cancels || moved.is_some());
    mentions
        .iter()
        .map(|mention| {
            let Some(token) = tokens.get(mention.first) else { return Role::Asked };
            let (cancels, moved_at, asks) =
                kinds.get(token.sentence).copied().unwrap_or((false, None, false));
            if cancels {
                return Role::Referred;
            }
            if let Some(verb_end) = moved_at {
                let sentence_end = sentence_span(token.sentence).map_or(verb_end, |(_, last)| last + 1);
                let to_new = (verb_end..sentence_end).find(|&n| TO_NEW.contains(&tokens[n].text));
                match to_new {
                    Some(boundary) if mention.first < boundary => return Role::Referred,
                    Some(_) => {}
                    None if mention.first < verb_end => return Role::Referred,
                    // Nothing leads to a new time: "anticipare l'incontro di domani dalle 15 alle 10"
                    // moves from one hour to the other on the same day; "move our meeting on
                    // Wednesday. Could we do Thursday?" names the new time in a later sentence.
                    None => match mention.what {
                        What::Range { between: false, .. } => return Role::Moved,
                        _ if later_times(token.sentence) => return Role::Referred,
                        What::Day(_) => return Role::Shared,
                        _ => {}
                    },
                }
            } else if last_change.is_some_and(|c| token.sentence < c) && !asks {
                return Role::Referred;
            }
            let before =
                &text[tokens.get(mention.first.saturating_sub(4)).map_or(0, |t| t.start)..token.start];
            if INSTEAD_OF.is_match(before) {
                return Role::Referred;
            }
            let clause: Vec<&Token<'_>> = tokens.iter().filter(|t| t.clause == token.clause).collect();
            let refused = match (clause.first(), clause.last()) {
                (Some(a), Some(b)) => REFUSE.is_match(&text[a.start..b.end]),
                _ => false,
            };
            if refused { Role::Refused } else { Role::Asked }
        })
        .collect()
}
