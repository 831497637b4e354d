//! The quoting styles of the common clients: each reply's new text, and nothing of the quote.

use super::new_text;

const CASES: &[(&str, &str, &str)] = &[
    (
        "Gmail",
        "Thanks, Tuesday works.\n\nOn Mon, 23 Nov 2026 at 10:05, Office Assistant <assistant@office.example> wrote:\n> 1. Tue 24 Nov\n> 2. Wed 25 Nov\n",
        "Thanks, Tuesday works.",
    ),
    (
        "Gmail, the introduction over two lines",
        "2\n\nOn Mon, 23 Nov 2026 at 10:05, Office Assistant <assistant@office.example>\nwrote:\n\n> 1. Tue\n",
        "2",
    ),
    (
        "Apple Mail",
        "Perfect, see you then.\n\n> On 23 Nov 2026, at 10:05, Office Assistant <assistant@office.example> wrote:\n> \n> Dear Anna,\n",
        "Perfect, see you then.",
    ),
    (
        "Outlook",
        "Please route this to accounts.\n\n________________________________\nFrom: Office Assistant <assistant@office.example>\nSent: Monday, November 23, 2026 10:05 AM\nTo: Anna Bianchi <anna@client.example>\nSubject: Re: Invoice [#1042-7]\n\nDear Anna,\n",
        "Please route this to accounts.",
    ),
    (
        "Outlook in Italian, without a rule",
        "Va bene la 2.\n\nDa: Office Assistant <assistant@office.example>\nInviato: lunedì 23 novembre 2026 10:05\nA: Anna Bianchi <anna@client.example>\nOggetto: Riunione\n",
        "Va bene la 2.",
    ),
    ("Outlook, old style", "#close\n\n-----Original Message-----\nFrom: Anna\nSent: Monday\n", "#close"),
    (
        "Thunderbird in Italian",
        "Grazie mille!\n\nIl 23/11/2026 10:05, Office Assistant ha scritto:\n> Gentile Anna,\n",
        "Grazie mille!",
    ),
    (
        "Gmail in Italian",
        "Perfetto.\n\nIl giorno lun 23 nov 2026 alle ore 10:05 Office Assistant <assistant@office.example> ha scritto:\n> Gentile Anna,\n",
        "Perfetto.",
    ),
    (
        "Yahoo",
        "Option 3 please\n\nOn Monday, November 23, 2026, 10:05:31 AM GMT+1, Office Assistant <assistant@office.example> wrote:\n\nDear Anna,\n",
        "Option 3 please",
    ),
    ("an iPhone", "Ok, thanks\n\nSent from my iPhone\n\n> On 23 Nov 2026 …\n", "Ok, thanks"),
    ("an Italian phone", "Ok grazie\n\nInviato da iPhone\n", "Ok grazie"),
    ("a signature", "See you Tuesday.\n\n-- \nAnna Bianchi\nClient Ltd\n", "See you Tuesday."),
    (
        "no quote at all",
        "Could we meet on Tuesday at 3pm?\nFrom the studio we can walk over.\n",
        "Could we meet on Tuesday at 3pm?\nFrom the studio we can walk over.",
    ),
];

#[test]
fn each_clients_quote_and_signature_are_split_off() {
    for (client, text, new) in CASES {
        assert_eq!(new_text(text), *new, "{client}");
    }
}

#[test]
fn a_line_of_megabytes_without_spaces_is_new_text() {
    let text = "é".repeat(2_500_000);
    assert_eq!(new_text(&text), text);
}

#[test]
fn a_quote_after_a_line_of_megabytes_is_still_split_off() {
    let long = "On ".to_owned() + &"é".repeat(2_500_000);
    let text = format!("{long}\n\nOn Mon, 23 Nov 2026, Anna <anna@client.example> wrote:\n> earlier\n");
    assert_eq!(new_text(&text), long);
}

#[test]
fn a_line_too_long_to_introduce_a_quote_is_text_but_a_quoted_line_of_any_length_is_a_quote() {
    let intro = format!("On Monday {} wrote:", "Anna ".repeat(1_000));
    assert_eq!(new_text(&format!("Yes.\n{intro}\nmore")), format!("Yes.\n{intro}\nmore"));
    assert_eq!(new_text(&format!("Yes.\n> {}\n", "x".repeat(1_000_000))), "Yes.");
}

#[test]
fn a_reply_written_below_the_quote_is_the_new_text() {
    let text = "Il 28/01/2027 10:15 Giulia Rossi ha scritto:\n> Cara Silvia, lunedì alle 15?\n\nBuongiorno Giulia,\nlunedì non riesco, facciamo martedì?\nSilvia\n";
    assert_eq!(new_text(text), "Buongiorno Giulia,\nlunedì non riesco, facciamo martedì?\nSilvia");
}

#[test]
fn a_reply_below_the_quote_ends_at_the_next_quote_or_signature() {
    let text = "On Mon, Giulia wrote:\n> one\n> two\nYes, Tuesday.\n-- \nTom\n";
    assert_eq!(new_text(text), "Yes, Tuesday.");
}

#[test]
fn a_forwarded_header_block_with_nothing_above_is_no_new_text() {
    let text = "From: Anna <anna@example.com>\nSent: Monday\nTo: Giulia\nSubject: hi\n\nOld words\n";
    assert_eq!(new_text(text), "");
}

#[test]
fn a_quote_with_nothing_below_leaves_an_empty_part_of_the_text() {
    let text = ">";
    let fresh = new_text(text);
    assert!(fresh.is_empty());
    assert_eq!(
        fresh.as_ptr() as usize,
        text.as_ptr() as usize + text.len(),
        "a part of the text, not a literal"
    );
}
