//! People a request names without an address ("with Bob Bianchi and Carla Neri", "con Carla Neri",
//! "please invite Dario"), found in the office's directory (`[[staff]]` and `[[owner]]`).
//!
//! Only people named as participants are read: the names after "with"/"con" in a sentence about
//! meeting, or after "invite"/"invitare". A name is found in the directory by the whole name, or by
//! the first name or the surname alone; it is never turned into a guessed address. A name nobody in
//! the directory has is unknown, and one that several people have ("Bob", with Bob Bianchi and Bob
//! Rossi) is ambiguous: both are said in the answer, and neither is invited.

use crate::calendar::ics::Party;
use crate::calendar::phrase;
use crate::calendar::proposal::Ambiguous;
use crate::office::{Office, Person};

/// At most this many names are read from one request.
const MOST_NAMES: usize = 12;

/// Words that name the people who follow: "with", "con", "insieme a".
const WITH: &[&str] = &["with", "con", "insieme"];

/// Words that ask for the people who follow to be invited, in any sentence.
const INVITE: &[&str] = &[
    "invite",
    "invites",
    "inviting",
    "include",
    "including",
    "invitare",
    "invita",
    "invitate",
    "invitando",
    "inviti",
    "coinvolgere",
    "coinvolgete",
];

/// Words of a sentence about meeting, in which "with"/"con" names participants ("I spoke with Bob
/// last week" names nobody to invite).
const MEETING: &[&str] = &[
    "meet",
    "meeting",
    "call",
    "appointment",
    "talk",
    "chat",
    "session",
    "discuss",
    "see",
    "join",
    "riunione",
    "incontro",
    "incontrarci",
    "incontrare",
    "vederci",
    "vedere",
    "appuntamento",
    "chiamata",
    "videochiamata",
    "parlare",
    "discutere",
    "sentirci",
];

/// Words of a day asked for, which make a sentence one about meeting as its meeting words do
/// ("Tuesday at 3pm with Carla?"), as does any number.
const DAYS: &[&str] = &[
    "today",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "oggi",
    "domani",
    "dopodomani",
    "lunedi",
    "martedi",
    "mercoledi",
    "giovedi",
    "venerdi",
    "sabato",
    "domenica",
];

/// Titles before a name ("Dr.", "dott.ssa", "Sig.ra"); a full stop after one does not end the sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "dott", "dottor", "dottssa", "ssa", "ing", "arch", "avv", "sig",
    "signor", "signora", "sigra", "ra",
];

/// Other words between the trigger and a name: articles, "our colleague", "also".
const BEFORE_A_NAME: &[&str] = &[
    "the",
    "our",
    "my",
    "colleague",
    "colleagues",
    "also",
    "il",
    "la",
    "lo",
    "i",
    "gli",
    "le",
    "l",
    "nostro",
    "nostra",
    "nostri",
    "mio",
    "mia",
    "collega",
    "colleghi",
    "anche",
    "pure",
    "a",
    "al",
    "alla",
    "allo",
    "ai",
    "agli",
    "with",
];

/// Words that join names in a list.
const AND: &[&str] = &["and", "e", "ed"];

/// Capitalised words that are no one's name: greetings, pronouns, tools (days and months are
/// told by the calendar's own words, [`phrase::weekday`] and [`phrase::month_in_full`]).
const NOT_NAMES: &[&str] = &[
    "i", "you", "we", "me", "us", "voi", "lei", "noi", "te", "loro", "best", "kind", "regards", "thanks",
    "thank", "cordiali", "saluti", "distinti", "grazie", "zoom", "teams", "skype", "google", "meet",
    "office", "ufficio", "tomorrow", "today", "domani", "oggi", "please", "per",
];

/// What the names a request wrote came to.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Named {
    /// Found in the directory, one person each.
    pub(super) found: Vec<Party>,
    /// Names no one in the directory has, as written.
    pub(super) unknown: Vec<String>,
    /// Names several people have: as written, and whom they could be.
    pub(super) ambiguous: Vec<Ambiguous>,
}

/// The people `text` names as participants, looked up in `office`'s directory. Names that are
/// `already` there by address (the sender's, those of To and Cc) are left out.
pub(super) fn people(text: &str, office: &Office, already: &[&str]) -> Named {
    let directory: Vec<(Vec<String>, &Person)> = office
        .staff
        .iter()
        .map(|member| &member.person)
        .chain(&office.owners)
        .map(|person| (words_of(&person.name), person))
        .collect();
    let already: Vec<Vec<String>> = already.iter().map(|name| words_of(name)).collect();
    let mut named = Named::default();
    for Written { mut name, before_break } in names_in(text) {
        let mut people = whom(&directory, &words_of(&name)).0;
        // A name read on over a line break that no one has, whose words before the break are
        // someone's whole name, ended at the break: the next line began a sentence of its own.
        if people.is_empty()
            && let Some(before) = before_break
            && let (those, true) = whom(&directory, &words_of(&before))
        {
            (people, name) = (those, before);
        }
        let words = words_of(&name);
        if already.iter().any(|there| is_called(there, &words)) {
            continue;
        }
        match people.as_slice() {
            [] => push_once(&mut named.unknown, name),
            [one] => {
                if !named.found.iter().any(|p| p.is(&one.address)) {
                    named.found.push(Party { email: one.address.clone(), name: Some(one.name.clone()) });
                }
            }
            several => {
                if !named.ambiguous.iter().any(|a| a.written == name) {
                    let candidates = several.iter().map(|p| p.name.clone()).collect();
                    named.ambiguous.push(Ambiguous { written: name, candidates });
                }
            }
        }
    }
    named
}

/// The people of `directory` called `written`, each once, and whether they are called so by their
/// whole name.
fn whom<'p>(directory: &[(Vec<String>, &'p Person)], written: &[String]) -> (Vec<&'p Person>, bool) {
    let exact: Vec<_> = directory.iter().filter(|(name, _)| name == written).collect();
    let whole = !exact.is_empty();
    let candidates =
        if whole { exact } else { directory.iter().filter(|(name, _)| is_called(name, written)).collect() };
    let mut people: Vec<&Person> = Vec::new();
    for (_, person) in candidates {
        if !people.iter().any(|p| p.address.eq_ignore_ascii_case(&person.address)) {
            people.push(person);
        }
    }
    (people, whole)
}

/// Whether someone called `name` is the one written as `written`: the same name, the first name or
/// the surname alone, or some of the name's words in their order ("Carla Neri" for Carla Maria
/// Neri).
fn is_called(name: &[String], written: &[String]) -> bool {
    match written {
        [] => false,
        [one] => name.first() == Some(one) || name.last() == Some(one),
        [first, ..] => {
            let mut rest = name.iter();
            name.first() == Some(first) && written.iter().all(|word| rest.any(|w| w == word))
        }
    }
}

fn push_once(list: &mut Vec<String>, name: String) {
    if !list.contains(&name) {
        list.push(name);
    }
}

/// A name's words, folded ("Nicolò D'Angelo" → nicolo, d, angelo).
fn words_of(name: &str) -> Vec<String> {
    crate::text::fold(name).split_whitespace().map(str::to_owned).collect()
}

/// The narrowest width mail programs wrap plain text at is about 70 columns (mutt and Thunderbird
/// 72, Outlook 76, Gmail 78): a line that the next line's first word would have taken past this
/// was wrapped by the sender's program, and its sentence goes on. Stricter than the time reader's
/// test (a line of 40 characters): a line joined wrongly there merges two sentences' times, here
/// it would make the next sentence's first word part of a name.
const WRAP_WIDTH: usize = 66;

/// A name as a request wrote it.
struct Written {
    name: String,
    /// When the name goes on over a line the sender's mail program wrapped ("Bob⏎Bianchi"): its
    /// words before the line break.
    before_break: Option<String>,
}

/// A sentence: its words and commas, and which of them begin a line that the sender's mail program
/// wrapped onto (`wrapped[i]` for `tokens[i]`).
#[derive(Default)]
struct Sentence<'a> {
    tokens: Vec<Token<'a>>,
    wrapped: Vec<bool>,
}

impl<'a> Sentence<'a> {
    fn push(&mut self, token: Token<'a>, wrapped: bool) {
        self.tokens.push(token);
        self.wrapped.push(wrapped);
    }
}

/// One piece of a sentence.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Word(&'a str),
    /// A comma or a slash between names.
    Comma,
}

/// The names `text` writes as participants, as written.
fn names_in(text: &str) -> Vec<Written> {
    let mut names = Vec::new();
    for sentence in sentences(text) {
        let folded: Vec<String> = sentence
            .tokens
            .iter()
            .map(|t| match t {
                Token::Word(w) => crate::text::fold(w).trim().to_owned(),
                Token::Comma => ",".to_owned(),
            })
            .collect();
        let about_meeting = folded.iter().any(|w| {
            MEETING.contains(&w.as_str())
                || DAYS.contains(&w.as_str())
                || w.chars().any(|c| c.is_ascii_digit())
        });
        for (i, word) in folded.iter().enumerate() {
            let with = WITH.contains(&word.as_str()) && about_meeting;
            if with || INVITE.contains(&word.as_str()) {
                names.extend(list_after(
                    &sentence.tokens[i + 1..],
                    &sentence.wrapped[i + 1..],
                    &folded[i + 1..],
                ));
            }
        }
        if names.len() >= MOST_NAMES {
            break;
        }
    }
    names.truncate(MOST_NAMES);
    names
}

/// The names listed at the start of `tokens` ("Bob Bianchi, Carla and Dario"), `wrapped` which of
/// them begin a wrapped line, `folded` their folded forms.
fn list_after(tokens: &[Token<'_>], wrapped: &[bool], folded: &[String]) -> Vec<Written> {
    let mut names = Vec::new();
    let mut at = 0;
    loop {
        while at < tokens.len()
            && (TITLES.contains(&folded[at].as_str()) || BEFORE_A_NAME.contains(&folded[at].as_str()))
        {
            at += 1;
        }
        let start = at;
        while at < tokens.len() && at - start < 3 && is_name_word(&tokens[at]) {
            at += 1;
        }
        if at == start {
            return names;
        }
        let words = |tokens: &[Token<'_>]| {
            let words: Vec<&str> = tokens
                .iter()
                .filter_map(|t| match t {
                    Token::Word(w) => Some(*w),
                    Token::Comma => None,
                })
                .collect();
            words.join(" ")
        };
        let before_break =
            (start + 1..at).find(|&i| wrapped[i]).map(|line_break| words(&tokens[start..line_break]));
        names.push(Written { name: words(&tokens[start..at]), before_break });
        let mut joined = false;
        while at < tokens.len() && (tokens[at] == Token::Comma || AND.contains(&folded[at].as_str())) {
            at += 1;
            joined = true;
        }
        if !joined {
            return names;
        }
    }
}

/// Whether `token` can be a word of a name: capitalised ("Bianchi", "D'Angelo", "Anne-Marie"), not
/// written all in capitals ("ACME", "CEO"), and not a day, a month or a greeting.
fn is_name_word(token: &Token<'_>) -> bool {
    let Token::Word(word) = token else { return false };
    let mut chars = word.chars();
    let capital = chars.next().is_some_and(char::is_uppercase);
    let shouting = word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    let folded = crate::text::fold(word);
    let folded = folded.trim();
    capital
        && !shouting
        && !NOT_NAMES.contains(&folded)
        && phrase::weekday(folded).is_none()
        && phrase::month_in_full(folded).is_none()
}

/// `text` cut into sentences of words and commas. A full stop after a title ("Dr.", "dott.") or an
/// initial does not end a sentence, nor does the end of a line the sender's mail program wrapped.
fn sentences(text: &str) -> Vec<Sentence<'_>> {
    let mut sentences = vec![Sentence::default()];
    let mut start: Option<usize> = None;
    // Whether the next word begins a wrapped line.
    let mut on_wrapped_line = false;
    let mut line_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let inside = c.is_alphanumeric()
            || (matches!(c, '\'' | '\u{2019}' | '-')
                && start.is_some()
                && chars.peek().is_some_and(|(_, next)| next.is_alphanumeric()));
        if inside {
            start.get_or_insert(at);
            continue;
        }
        let sentence = sentences.last_mut().unwrap_or_else(|| unreachable!("never empty"));
        let word = start.take().map(|s| &text[s..at]);
        if let Some(word) = word {
            sentence.push(Token::Word(word), std::mem::take(&mut on_wrapped_line));
        }
        match c {
            ',' | '/' | '&' => sentence.push(Token::Comma, false),
            '.' if word.is_some_and(is_title_or_initial) => {}
            '\n' if wrapped(&text[line_start..at], &text[at + 1..]) => on_wrapped_line = true,
            '.' | '?' | '!' | ';' | ':' | '\n' | '(' | ')' => sentences.push(Sentence::default()),
            _ => {}
        }
        if c == '\n' {
            line_start = at + 1;
        }
    }
    if let Some(s) = start
        && let Some(sentence) = sentences.last_mut()
    {
        sentence.push(Token::Word(&text[s..]), on_wrapped_line);
    }
    sentences.retain(|s| !s.tokens.is_empty());
    sentences
}

/// Whether `line` was wrapped by the sender's mail program before `rest`, the text after it: `rest`
/// goes on with a word on the next line that would have taken `line` past [`WRAP_WIDTH`]. A blank
/// line (a new paragraph), a quote or a list's bullet begin something else.
fn wrapped(line: &str, rest: &str) -> bool {
    let next = rest.lines().next().unwrap_or_default().trim_start();
    let first_word = next.split_whitespace().next().unwrap_or_default();
    next.starts_with(char::is_alphanumeric)
        && line.trim_end().chars().count() + 1 + first_word.chars().count() > WRAP_WIDTH
}

/// Whether `word`, followed by a full stop, is a title ("Dr", "dott") or an initial ("B"), after
/// which the sentence goes on.
fn is_title_or_initial(word: &str) -> bool {
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    initial || TITLES.contains(&crate::text::fold(word).trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> Vec<String> {
        names_in(text).into_iter().map(|written| written.name).collect()
    }

    /// The standard office with Bob Bianchi, Bob Rossi and Carla Neri on its staff.
    fn office() -> Office {
        let dir = crate::rules::tests::Dir::with_rules(crate::rules::tests::A_RULE);
        let staff = "\n[[staff]]\nname = \"Bob Bianchi\"\naddress = \"bob.bianchi@office.example\"\n\
                     \n[[staff]]\nname = \"Bob Rossi\"\naddress = \"bob.rossi@office.example\"\n\
                     \n[[staff]]\nname = \"Carla Neri\"\naddress = \"carla.neri@office.example\"\n";
        dir.write("office.toml", &format!("{}{staff}", crate::rules::tests::OFFICE));
        dir.load().office
    }

    #[test]
    fn a_name_a_mail_program_wrapped_onto_the_next_line_is_read_whole() {
        let text = "Could we meet on Tuesday at 3pm to go through the budget figures with Bob\n\
                    Bianchi and Carla Neri?";
        assert_eq!(written(text), ["Bob Bianchi", "Carla Neri"]);
    }

    #[test]
    fn a_short_line_or_a_new_paragraph_ends_the_names_at_the_line_break() {
        assert_eq!(written("Could we meet on Tuesday with Bob\nAnna"), ["Bob"]);
        let text = "Could we meet on Tuesday at 3pm to go through the budget figures with Bob\n\n\
                    Carla will bring the slides.";
        assert_eq!(written(text), ["Bob"]);
    }

    #[test]
    fn a_whole_name_before_a_wrap_ends_there_when_the_next_line_begins_a_sentence() {
        let text = "Could we meet on Tuesday at 3pm to go through the figures with Bob Bianchi\n\
                    Carla will bring the slides";
        let named = people(text, &office(), &[]);
        assert_eq!(
            named.found,
            [Party { email: "bob.bianchi@office.example".into(), name: Some("Bob Bianchi".into()) }]
        );
        assert!(named.unknown.is_empty() && named.ambiguous.is_empty(), "{named:?}");
    }

    #[test]
    fn a_first_name_before_a_wrap_is_no_whole_name_and_the_name_read_on_is_said_unknown() {
        let text = "Could we meet on Tuesday at 3pm to go through the budget figures with Bob\n\
                    Verdi and the others?";
        let named = people(text, &office(), &[]);
        assert!(named.found.is_empty(), "no Bob is guessed: {named:?}");
        assert_eq!(named.unknown, ["Bob Verdi"]);
    }

    #[test]
    fn names_after_with_in_a_sentence_about_meeting_are_read() {
        assert_eq!(
            written("Could we meet on Tuesday at 3 with Bob Bianchi and Carla Neri?"),
            ["Bob Bianchi", "Carla Neri"]
        );
    }

    #[test]
    fn italian_names_after_con_are_read() {
        assert_eq!(
            written("Possiamo vederci giovedì alle 10 con Carla Neri e Dario?"),
            ["Carla Neri", "Dario"]
        );
    }

    #[test]
    fn a_list_with_commas_titles_and_colleagues_is_read() {
        assert_eq!(
            written("Please invite our colleague Dr. Bob Bianchi, Carla, and Ing. Dario Neri too."),
            ["Bob Bianchi", "Carla", "Dario Neri"]
        );
    }

    #[test]
    fn with_outside_a_sentence_about_meeting_names_nobody() {
        assert!(written("I spoke with Bob Bianchi yesterday. Can we meet on Friday?").is_empty());
    }

    #[test]
    fn pronouns_days_and_lower_case_words_are_no_names() {
        assert!(
            written("Could we meet with you on Monday with the team? Con piacere, ci vediamo.").is_empty()
        );
        assert!(written("A call with ACME about the budget?").is_empty());
    }

    #[test]
    fn a_sentence_asking_a_day_or_a_time_is_about_meeting() {
        assert_eq!(written("Tuesday at 3pm with Carla Neri?"), ["Carla Neri"]);
        assert_eq!(written("Domani con Bob?"), ["Bob"]);
    }

    #[test]
    fn insieme_alla_and_an_italian_title_lead_to_the_name() {
        assert_eq!(written("Possiamo vederci lunedì insieme alla dott.ssa Neri?"), ["Neri"]);
    }

    #[test]
    fn the_name_ends_where_the_sentence_goes_on() {
        assert_eq!(written("Meeting with Marco Conti from the bank at 3pm"), ["Marco Conti"]);
    }
}
