//! Reading the words around an event's invitations, in English and Italian: the organiser's "send
//! the invitations" / "manda gli inviti", and a guest's plain answer ("yes, I'll come", "non potrò
//! esserci") with the diet it tells ("I'm vegetarian", "sono celiaca").
//!
//! Both readers act only on what is said outright: a question ("should we send the invitations?"),
//! a negation ("don't send them yet"), a condition ("if the venue confirms, invite them") or a
//! doubt ("I might come") is no command and no answer, so that nothing is sent or counted on a
//! guess. Only the new text of a reply is to be given (the quoted letter says the very words).

use super::request::{self, DietaryNeed};
use crate::text::plain;

/// The organiser's words asking for the invitations to go out, folded.
const SEND: [&str; 24] = [
    "send the invitations",
    "send out the invitations",
    "send the invitation",
    "send the invites",
    "send out the invites",
    "send invitations",
    "send out invitations",
    "send them the invitation",
    "send them the invitations",
    "invite them",
    "go ahead and invite",
    "go ahead with the invitations",
    "manda gli inviti",
    "mandate gli inviti",
    "manda pure gli inviti",
    "invia gli inviti",
    "inviate gli inviti",
    "invia pure gli inviti",
    "spedisci gli inviti",
    "manda l'invito",
    "invia l'invito",
    "invitali",
    "invitateli",
    "procedi con gli inviti",
];

/// Words that make a sentence with a command in it no command now: a negation, a wait, a condition,
/// or the organiser doing it herself.
const NOT_NOW: [&str; 26] = [
    "not",
    "don't",
    "dont",
    "never",
    "wait",
    "hold off",
    "hold on",
    "if",
    "once",
    "as soon as",
    "myself",
    "ourselves",
    "i'll",
    "i will",
    "we'll",
    "we will",
    "non",
    "mai",
    "aspetta",
    "aspettate",
    "aspettiamo",
    "se",
    "appena",
    "quando",
    "io",
    "noi",
];

/// A guest's words for coming, folded.
const YES: [&str; 38] = [
    "i'll come",
    "i will come",
    "i'll be there",
    "i will be there",
    "i'll attend",
    "i will attend",
    "i'll join",
    "i will join",
    "count me in",
    "i'm in",
    "i accept",
    "happy to come",
    "glad to come",
    "i'd love to come",
    "i would love to come",
    "i'm coming",
    "i am coming",
    "i can come",
    "i can make it",
    "i'll make it",
    "see you there",
    "ci saro",
    "ci saremo",
    "volentieri",
    "partecipero",
    "parteciperemo",
    "verro",
    "vengo",
    "veniamo",
    "ci sono",
    "accetto",
    "conta su di me",
    "contate su di me",
    "con piacere",
    "sara un piacere",
    "will attend",
    "will be there",
    "will come",
];

/// A guest's words for not coming, folded. Read first and taken out, so that the "ci sarò" of "non
/// ci sarò" is not a yes.
const NO: [&str; 37] = [
    "can't make it",
    "cannot make it",
    "won't make it",
    "can't come",
    "cannot come",
    "can't attend",
    "cannot attend",
    "won't be able",
    "will not be able",
    "not be able",
    "unable to attend",
    "unable to come",
    "not able to come",
    "won't be there",
    "will not be there",
    "not coming",
    "count me out",
    "have to decline",
    "must decline",
    "i decline",
    "i'll miss",
    "unfortunately not",
    "unfortunately no",
    "sadly not",
    "non potro",
    "non potremo",
    "non posso",
    "non possiamo",
    "non riesco",
    "non riusciro",
    "non ci saro",
    "non ci saremo",
    "non vengo",
    "non verro",
    "non partecipero",
    "purtroppo no",
    "non ce la faccio",
];

/// Words of doubt: an answer with one of them is no answer.
const DOUBT: [&str; 14] = [
    "maybe",
    "perhaps",
    "might",
    "not sure",
    "probably",
    "depends",
    "i'll try",
    "i will try",
    "forse",
    "non so",
    "non sono sicur",
    "probabilmente",
    "dipende",
    "vediamo",
];

/// What a guest's answer says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GuestAnswer {
    /// They come (`true`) or not (`false`); none when the words do not say it plainly.
    pub comes: Option<bool>,
    /// The diet they told.
    pub diet: Option<DietaryNeed>,
    /// They ask something, which a person must answer.
    pub asks: bool,
}

/// Whether the organiser's `text` asks for the invitations to go out now.
pub fn asks_to_invite(text: &str) -> bool {
    sentences(&plain(text)).iter().any(|(sentence, question)| {
        !question
            && SEND.iter().any(|phrase| has(sentence, phrase))
            && !NOT_NOW.iter().any(|word| has(sentence, word))
            && !sentence.split_whitespace().any(|w| w.ends_with("n't"))
    })
}

/// What a guest's answer `text` says: whether they come, their diet, whether they ask something.
pub fn read_answer(text: &str) -> GuestAnswer {
    let folded = plain(text);
    let mut answer = GuestAnswer::default();
    let (mut yes, mut no, mut doubt) = (false, false, false);
    for (sentence, question) in sentences(&folded) {
        if question {
            answer.asks = true;
            continue;
        }
        let mut rest = sentence.clone();
        for phrase in NO {
            if has(&rest, phrase) {
                no = true;
                rest = rest.replace(phrase, " ");
            }
        }
        yes |= YES.iter().any(|phrase| has(&rest, phrase));
        doubt |= DOUBT.iter().any(|phrase| has(&rest, phrase));
        if answer.diet.is_none() {
            answer.diet = request::diets_in(&sentence).into_iter().next();
        }
    }
    // "Yes!", "Sì, grazie", "No, mi dispiace": the first word of the answer.
    match folded.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()) {
        Some("yes" | "si") => yes = true,
        Some("no") => no = true,
        _ => {}
    }
    answer.comes = match (yes, no) {
        _ if doubt => None,
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    answer
}

/// The sentences of folded `text`, each with whether it is a question (ends with `?`).
fn sentences(text: &str) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '.' | '!' | '?' | ';' | '\n' => {
                if !current.trim().is_empty() {
                    found.push((format!(" {} ", current.trim()), c == '?'));
                }
                current.clear();
            }
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        found.push((format!(" {} ", current.trim()), false));
    }
    found
}

/// Whether `phrase` stands in `sentence` as whole words.
fn has(sentence: &str, phrase: &str) -> bool {
    sentence.match_indices(phrase).any(|(at, _)| {
        let before = sentence[..at].chars().next_back();
        let after = sentence[at + phrase.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '\'')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '\'')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organisers_send_the_invitations_is_a_command_in_both_languages() {
        for text in [
            "Looks good, please send the invitations.",
            "Great. Send out the invites!",
            "ok invite them",
            "Perfetto, manda gli inviti.",
            "Grazie, invia pure gli inviti",
            "Va bene, invitali.",
        ] {
            assert!(asks_to_invite(text), "{text}");
        }
    }

    #[test]
    fn a_negation_a_question_or_a_condition_sends_nothing() {
        for text in [
            "Don't send the invitations yet.",
            "Please do not send the invitations until the venue confirms",
            "Should we send the invitations?",
            "Can you send the invites now?",
            "If the venue confirms, send the invitations.",
            "I'll send the invitations myself.",
            "Non mandare ancora gli inviti.",
            "Mandiamo gli inviti? Manda gli inviti?",
            "Aspetta a mandare gli inviti, manda gli inviti lunedì",
            "Se la sala è libera, invia gli inviti.",
            "We'll be 25 people, please invite everyone in the office.",
        ] {
            assert!(!asks_to_invite(text), "{text}");
        }
    }

    #[test]
    fn plain_yes_answers_count_as_coming() {
        for text in [
            "Yes, I'll come!",
            "Count me in. Thanks for organising",
            "Hi Chiara, I’ll be there.",
            "Ci sarò, grazie!",
            "Volentieri :)",
            "Sì, vengo.",
        ] {
            assert_eq!(read_answer(text).comes, Some(true), "{text}");
        }
    }

    #[test]
    fn plain_no_answers_count_as_not_coming() {
        for text in [
            "Sorry, I can't make it.",
            "Unfortunately I won't be able to attend.",
            "Non potrò esserci, mi dispiace.",
            "Purtroppo no.",
            "Purtroppo non ci sarò",
            "No, sorry, I'm away that week.",
        ] {
            assert_eq!(read_answer(text).comes, Some(false), "{text}");
        }
    }

    #[test]
    fn a_doubt_a_mixed_answer_or_only_a_question_is_no_answer() {
        for text in [
            "I might come, not sure yet.",
            "Forse ci sarò.",
            "I'll come on Friday but I can't make it on Saturday.",
            "Can I come with my partner?",
            "Thanks for the invitation.",
        ] {
            assert_eq!(read_answer(text).comes, None, "{text}");
        }
    }

    #[test]
    fn a_diet_told_is_read_and_a_question_is_noticed() {
        let answer = read_answer("Yes, I'll come. I'm vegetarian, by the way.");
        assert_eq!(
            (answer.comes, answer.diet, answer.asks),
            (Some(true), Some(DietaryNeed::Vegetarian), false)
        );
        let answer = read_answer("Ci sarò! Sono celiaca.");
        assert_eq!(answer.diet, Some(DietaryNeed::GlutenFree));
        let answer = read_answer("Count me in. Will there be vegan options?");
        assert_eq!((answer.comes, answer.diet, answer.asks), (Some(true), None, true));
    }
}
