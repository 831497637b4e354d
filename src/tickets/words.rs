//! What the words of a ticket's messages say to clerk: the staff's commands (`#route accounts`,
//! `#close`), a customer's reply that only says thanks, and a one-word rating of an answer.
//!
//! Both are read from a message's new text only (the quoted history split off first), so a command or
//! a "thank you" quoted from an earlier message is never taken again.

use crate::text::fold;

/// A command a staff member writes on a line of its own at the top of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `#route NAME`: hand the ticket to another department.
    Route(String),
    /// `#close`: nothing more is owed; a later reply from the customer opens a new ticket.
    Close,
}

/// How many lines at the top of a reply are looked at for commands. Commands further down would be
/// part of the answer's text (an answer explaining "#close" to a colleague must not close anything).
const COMMAND_LINES: usize = 5;

/// The commands at the top of `new_text`: the first lines that are not blank, up to the first line that
/// is not a command. `#route` without a name is reported as `Err` with what was written.
pub fn commands(new_text: &str) -> Vec<Result<Command, String>> {
    let mut found = Vec::new();
    for line in new_text.lines().map(str::trim).filter(|l| !l.is_empty()).take(COMMAND_LINES) {
        let Some(rest) = line.strip_prefix('#') else { break };
        let mut words = rest.split_whitespace();
        match words.next().map(str::to_ascii_lowercase).as_deref() {
            Some("close") => found.push(Ok(Command::Close)),
            Some("route") => match words.next() {
                Some(name) => found.push(Ok(Command::Route(name.to_owned()))),
                None => found.push(Err(line.to_owned())),
            },
            // "#1042 is the ticket" and the like: not a command, and the answer starts here.
            _ => break,
        }
    }
    found
}

/// What `new_text` says beside its commands: the text after the command lines at its top (the note a
/// staff member writes with `#route`: "she needs a copy of the invoice"), trimmed; empty when there
/// is none.
pub fn beside_commands(new_text: &str) -> &str {
    let mut rest = new_text;
    let mut commands = 0;
    while let Some((line, after)) = rest.split_once('\n').or((!rest.is_empty()).then_some((rest, ""))) {
        let line = line.trim();
        if !line.is_empty() {
            let command = commands < COMMAND_LINES && matches!(self::commands(line).as_slice(), [_]);
            if !command {
                break;
            }
            commands += 1;
        }
        rest = after;
    }
    rest.trim()
}

/// Thanks in the languages the office's customers write, after folding case and accents.
const THANKS: &[&str] = &[
    "thanks",
    "thank you",
    "thank you very much",
    "thanks a lot",
    "many thanks",
    "cheers",
    "great",
    "perfect",
    "ok",
    "ok thanks",
    "ok thank you",
    "grazie",
    "grazie mille",
    "molte grazie",
    "grazie tante",
    "perfetto",
    "ok grazie",
    "va bene grazie",
    "ricevuto grazie",
    "got it thanks",
];

/// Words that may follow the thanks without adding anything ("Thanks, Anna", "grazie, saluti").
const CLOSINGS: &[&str] = &[
    "best",
    "regards",
    "kind regards",
    "best regards",
    "cordiali saluti",
    "saluti",
    "a presto",
    "bye",
    "ciao",
];

/// Whether `new_text` says thanks and nothing else, so it does not reopen an answered ticket. A name
/// or a closing after the thanks is allowed; a question or any second sentence is not.
pub fn only_thanks(new_text: &str, sender_name: Option<&str>) -> bool {
    said(new_text, sender_name).is_some_and(|said| THANKS.contains(&said.as_str()))
}

/// How a customer rates the answer to their ticket, by replying with one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    Good,
    Ok,
    Bad,
}

impl Rating {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Good => "good",
            Rating::Ok => "ok",
            Rating::Bad => "bad",
        }
    }

    pub fn from_name(name: &str) -> Option<Rating> {
        match name {
            "good" => Some(Rating::Good),
            "ok" => Some(Rating::Ok),
            "bad" => Some(Rating::Bad),
            _ => None,
        }
    }
}

/// The one-word ratings, English and Italian, after folding case and accents.
const RATINGS: &[(&str, Rating)] = &[
    ("good", Rating::Good),
    ("very good", Rating::Good),
    ("great", Rating::Good),
    ("excellent", Rating::Good),
    ("buono", Rating::Good),
    ("bene", Rating::Good),
    ("molto bene", Rating::Good),
    ("ottimo", Rating::Good),
    ("ok", Rating::Ok),
    ("okay", Rating::Ok),
    ("fine", Rating::Ok),
    ("so so", Rating::Ok),
    ("discreto", Rating::Ok),
    ("sufficiente", Rating::Ok),
    ("cosi cosi", Rating::Ok),
    ("bad", Rating::Bad),
    ("poor", Rating::Bad),
    ("terrible", Rating::Bad),
    ("male", Rating::Bad),
    ("cattivo", Rating::Bad),
    ("scarso", Rating::Bad),
    ("pessimo", Rating::Bad),
];

/// The rating `new_text` gives, when it is one of the rating words and nothing else (a name or a
/// closing may follow).
pub fn rating(new_text: &str, sender_name: Option<&str>) -> Option<Rating> {
    let said = said(new_text, sender_name)?;
    RATINGS.iter().find(|(word, _)| *word == said).map(|(_, rating)| *rating)
}

/// What `new_text` says in folded words, without the sender's name or a closing after it; `None` for
/// a question or an empty text.
fn said(new_text: &str, sender_name: Option<&str>) -> Option<String> {
    if new_text.contains('?') {
        return None;
    }
    let folded = fold(new_text);
    let name = sender_name.map(fold).unwrap_or_default();
    // A set, so that a long name and a long text cost their lengths, not their product.
    let names: std::collections::HashSet<&str> = name.split_whitespace().collect();
    let mut words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !names.contains(w))
        .collect();
    let mut trimmed = true;
    while trimmed {
        trimmed = false;
        for closing in CLOSINGS {
            let closing: Vec<&str> = closing.split(' ').collect();
            if words.len() > closing.len() && words.ends_with(&closing) {
                words.truncate(words.len() - closing.len());
                trimmed = true;
            }
        }
    }
    let said = words.join(" ");
    (!said.is_empty()).then_some(said)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_at_the_top_are_read_in_order() {
        assert_eq!(
            commands("#route accounts\n#close\n\nAnswer text"),
            vec![Ok(Command::Route("accounts".into())), Ok(Command::Close)]
        );
        assert_eq!(commands("\n  #CLOSE  \nThanks Anna"), vec![Ok(Command::Close)]);
    }

    #[test]
    fn a_command_below_the_answer_is_part_of_the_answer() {
        assert!(commands("Dear Anna,\n#close\n").is_empty());
        assert!(commands("#1042 is yours\n#close").is_empty());
    }

    #[test]
    fn a_route_without_a_department_is_reported() {
        assert_eq!(commands("#route\n"), vec![Err("#route".into())]);
    }

    #[test]
    fn the_words_beside_the_commands_are_what_follows_them() {
        assert_eq!(
            beside_commands("#route accounts\n\nShe needs a copy of invoice 114.\nThanks"),
            "She needs a copy of invoice 114.\nThanks"
        );
        assert_eq!(beside_commands("  #route accounts\n#close\n"), "");
        assert_eq!(beside_commands("Dear Anna,\n#close"), "Dear Anna,\n#close");
    }

    #[test]
    fn thanks_alone_and_with_a_name_or_closing_is_only_thanks() {
        for text in [
            "Thanks!",
            "Thank you very much.",
            "grazie mille",
            "Grazie, Anna",
            "Thanks a lot\n\nBest regards,\nAnna",
            "OK, thanks",
        ] {
            assert!(only_thanks(text, Some("Anna Example")), "{text:?}");
        }
    }

    #[test]
    fn one_word_replies_rate_the_answer_in_english_and_italian() {
        let cases = [
            ("Good", Some(Rating::Good)),
            ("ottimo!", Some(Rating::Good)),
            ("OK\n\nAnna", Some(Rating::Ok)),
            ("così così", Some(Rating::Ok)),
            ("Bad.", Some(Rating::Bad)),
            ("pessimo, saluti", Some(Rating::Bad)),
            ("Good morning, one more question", None),
            ("bad?", None),
        ];
        for (text, expected) in cases {
            assert_eq!(rating(text, Some("Anna Example")), expected, "{text:?}");
        }
    }

    #[test]
    fn thanks_from_a_sender_with_a_name_of_a_hundred_thousand_words_is_only_thanks() {
        let name = "Anna ".repeat(100_000);
        assert!(only_thanks(&format!("Thanks, {name}"), Some(&name)));
        assert_eq!(rating(&format!("Good {name}"), Some(&name)), Some(Rating::Good));
    }

    #[test]
    fn thanks_with_a_question_or_more_to_say_is_not() {
        for text in [
            "Thanks, but what about Saturday?",
            "Thanks. One more thing: can I bring my dog",
            "Grazie, ma non funziona",
            "",
            "The invoice is wrong",
        ] {
            assert!(!only_thanks(text, Some("Anna Example")), "{text:?}");
        }
    }
}
