use super::*;

/// What a phrasing should be read as: quantity (`0` for an article alone, `-1` for none; an article
/// with a unit, "a box of", counts as 1), unit as folded
/// (empty for none) and description.
type Expected = (i64, &'static str, &'static str);

fn read(text: &str) -> Vec<Expected> {
    lines(text)
        .into_iter()
        .map(|r| {
            let quantity = match r.quantity {
                Quantity::Given(n) => i64::from(n),
                Quantity::Article => 0,
                Quantity::Missing => -1,
            };
            let unit: &'static str = match r.unit.as_deref() {
                None => "",
                Some(u) => super::super::units::unit_named(u).map_or("?", |u| u.name),
            };
            let description: &'static str = Box::leak(r.description.into_boxed_str());
            (quantity, unit, description)
        })
        .collect()
}

/// One line each, in the ways colleagues write orders in English.
const ENGLISH: &[(&str, Expected)] = &[
    ("3 boxes of A4 paper", (3, "box", "A4 paper")),
    ("3 packs of post its", (3, "pack", "post its")),
    ("8 AA batteries", (8, "", "AA batteries")),
    ("Hi, could you please order two\nboxes of A4 copy paper?", (2, "box", "A4 copy paper")),
    ("A4 paper x3", (3, "", "A4 paper")),
    ("A4 paper x 3", (3, "", "A4 paper")),
    ("2x HP 26A toner", (2, "", "HP 26A toner")),
    ("2 x HP 26A toner", (2, "", "HP 26A toner")),
    ("- 5 pens", (5, "", "pens")),
    ("* 10 blue pens", (10, "", "blue pens")),
    ("• 4 reams of copy paper", (4, "ream", "copy paper")),
    ("three boxes of staples", (3, "box", "staples")),
    ("twelve pencils", (12, "", "pencils")),
    ("twenty-five envelopes", (25, "", "envelopes")),
    ("twenty five envelopes", (25, "", "envelopes")),
    ("a dozen highlighters", (12, "", "highlighters")),
    ("two dozen pens", (24, "", "pens")),
    ("half a dozen notepads", (6, "", "notepads")),
    ("a couple of toner cartridges", (2, "", "toner cartridges")),
    ("a pair of scissors", (2, "", "scissors")),
    ("a box of staples", (1, "box", "staples")),
    ("an eraser", (0, "", "eraser")),
    ("one stapler", (1, "", "stapler")),
    ("We need 3 boxes of A4 paper", (3, "box", "A4 paper")),
    ("Could you please order 2 toners for the HP printer?", (2, "", "toners for the HP printer")),
    ("Please send 6 rolls of tape", (6, "roll", "tape")),
    ("I'd like 2 packs of sticky notes please", (2, "pack", "sticky notes")),
    ("Can you get us 4 bottles of water?", (4, "bottle", "water")),
    ("PAP-A4 x 2", (2, "", "PAP-A4")),
    ("PAP-A4: 2", (2, "", "PAP-A4")),
    ("3 x PAP-A4", (3, "", "PAP-A4")),
    ("Toner HP 26A: 2", (2, "", "Toner HP 26A")),
    ("Toner HP 26A - 2 pieces", (2, "piece", "Toner HP 26A")),
    ("toner HP 305 black x2", (2, "", "toner HP 305 black")),
    ("HP 305 black cartridge", (-1, "", "HP 305 black cartridge")),
    ("toner (2)", (2, "", "toner")),
    ("Blue pens (10 pcs)", (10, "piece", "Blue pens")),
    ("A4 paper 3 boxes", (3, "box", "A4 paper")),
    ("A4 paper, 3 boxes", (3, "box", "A4 paper")),
    ("paper A4 500 sheets", (-1, "", "paper A4 500 sheets")),
    ("qty 3 - A4 paper", (3, "", "A4 paper")),
    ("5 pcs whiteboard markers", (5, "piece", "whiteboard markers")),
    ("10 ea. AA batteries", (10, "piece", "AA batteries")),
    ("1 carton of A4 paper", (1, "carton", "A4 paper")),
    ("2 cartridges of black ink", (2, "cartridge", "black ink")),
    ("3 boxes of A4 paper asap", (3, "box", "A4 paper")),
    ("Anna needs 2 staplers", (2, "", "staplers")),
];

/// One line each, in Italian.
const ITALIAN: &[(&str, Expected)] = &[
    ("sono finite le cialde, ne ordini 2 scatole?", (2, "box", "cialde")),
    ("mi ordini mezza dozzina di blocchi A5 a quadretti", (6, "", "blocchi A5 a quadretti")),
    ("una di penne blu", (1, "pack", "penne blu")),
    ("la cucitrice è rotta, ne prendiamo 2 scatole", (2, "box", "cucitrice")),
    ("in cucina è finita la carta, ne prendiamo 3 risme", (3, "ream", "carta")),
    ("due risme di carta A4", (2, "ream", "carta A4")),
    ("3 risme di carta A4", (3, "ream", "carta A4")),
    ("carta A4 x3", (3, "", "carta A4")),
    ("carta A4 x 3", (3, "", "carta A4")),
    ("Carta A4: 3 risme", (3, "ream", "Carta A4")),
    ("3 scatole di penne blu", (3, "box", "penne blu")),
    ("cinque penne", (5, "", "penne")),
    ("venticinque buste", (25, "", "buste")),
    ("ventuno matite", (21, "", "matite")),
    ("ventitré cartelline", (23, "", "cartelline")),
    ("una dozzina di matite", (12, "", "matite")),
    ("mezza dozzina di evidenziatori", (6, "", "evidenziatori")),
    ("un paio di forbici", (2, "", "forbici")),
    ("una scatola di graffette", (1, "box", "graffette")),
    ("una risma di carta", (1, "ream", "carta")),
    ("un pacco di post-it", (1, "pack", "post-it")),
    ("ci servono 2 toner HP 26A", (2, "", "toner HP 26A")),
    ("mi servono due toner per la stampante", (2, "", "toner per la stampante")),
    ("Per favore ordinate 4 confezioni di post-it", (4, "pack", "post-it")),
    ("vorrei 2 cucitrici", (2, "", "cucitrici")),
    ("toner HP 26A: 2 pezzi", (2, "piece", "toner HP 26A")),
    ("toner HP 26A - 2 pz", (2, "piece", "toner HP 26A")),
    ("n. 3 risme carta A4", (3, "ream", "carta A4")),
    ("- 6 rotoli di nastro adesivo", (6, "roll", "nastro adesivo")),
    ("10 bottiglie d'acqua", (10, "bottle", "acqua")),
    ("2 cartucce di inchiostro nero", (2, "cartridge", "inchiostro nero")),
    ("1 cartone di carta A4", (1, "carton", "carta A4")),
    ("quattro blocchi per appunti", (4, "pad", "appunti")),
    ("dodici penne rosse", (12, "", "penne rosse")),
    ("penne rosse (12 pezzi)", (12, "piece", "penne rosse")),
    ("PAP-A4 x 2", (2, "", "PAP-A4")),
    ("Ciao, 3 risme di carta grazie", (3, "ream", "carta")),
    ("ancora 2 scatole di graffette", (2, "box", "graffette")),
    ("cucitrice", (-1, "", "cucitrice")),
    ("tre evidenziatori gialli", (3, "", "evidenziatori gialli")),
    ("sei risme di carta A3", (6, "ream", "carta A3")),
    ("otto penne nere", (8, "", "penne nere")),
];

#[test]
fn english_phrasings_are_read() {
    let mut wrong = Vec::new();
    for (text, expected) in ENGLISH {
        let got = read(text);
        if got != [*expected] {
            wrong.push(format!("{text:?}: expected {expected:?}, read {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} misread:\n{}", wrong.len(), ENGLISH.len(), wrong.join("\n"));
}

#[test]
fn italian_phrasings_are_read() {
    let mut wrong = Vec::new();
    for (text, expected) in ITALIAN {
        let got = read(text);
        if got != [*expected] {
            wrong.push(format!("{text:?}: expected {expected:?}, read {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} misread:\n{}", wrong.len(), ITALIAN.len(), wrong.join("\n"));
}

#[test]
fn the_table_has_at_least_eighty_phrasings() {
    assert!(ENGLISH.len() + ITALIAN.len() + SEVERAL.len() >= 80);
}

/// Lines, tables and lists that hold more than one order line.
const SEVERAL: &[(&str, &[Expected])] = &[
    (
        "per la sala riunioni servono 2 confezioni di\nacqua naturale e 3 scatole di capsule caffè",
        &[(2, "pack", "acqua naturale"), (3, "box", "capsule caffè")],
    ),
    (
        "Hi Marta, could you please order two\nboxes of A4 copy paper?",
        &[(-1, "", "Marta"), (2, "box", "A4 copy paper")],
    ),
    (
        "Evidenziatori gialli\n1 conf.\nPost-it 76x76\n24\nPennarelli lavagna\n2 confezioni",
        &[(1, "pack", "Evidenziatori gialli"), (24, "", "Post-it 76x76"), (2, "pack", "Pennarelli lavagna")],
    ),
    ("we're out of staples, 3 boxes please", &[(3, "box", "staples")]),
    (
        "la carta della stampante è finita di nuovo, ne servono altre due risme",
        &[(2, "ream", "carta della stampante")],
    ),
    ("could you get us some more blue pens? A box would do.", &[(1, "box", "blue pens")]),
    ("can u order more blu pens we're out, like 50", &[(50, "", "blu pens")]),
    (
        "servono buste da lettera 2 scatole e buste C4 1 scatola",
        &[(2, "box", "buste da lettera"), (1, "box", "buste C4")],
    ),
    ("3 pens and 2 notepads", &[(3, "", "pens"), (2, "", "notepads")]),
    ("3 penne e 2 blocchi", &[(3, "", "penne"), (2, "pad", "blocchi")]),
    ("Hi Clerk, 2 staplers please", &[(-1, "", "Clerk"), (2, "", "staplers")]),
    ("2 boxes of staples, 1 stapler", &[(2, "box", "staples"), (1, "", "stapler")]),
    ("3 blue pens; 2 pads", &[(3, "", "blue pens"), (2, "pad", "pads")]),
    ("toner bianco e nero x2", &[(2, "", "toner bianco e nero")]),
    (
        "1. 3 boxes of A4 paper\n2. toner HP 26A\n3. 5 pens",
        &[(3, "box", "A4 paper"), (-1, "", "toner HP 26A"), (5, "", "pens")],
    ),
    ("1) carta A4\n2) penne blu", &[(-1, "", "carta A4"), (-1, "", "penne blu")]),
    ("2) toner HP 26A", &[(2, "", "toner HP 26A")]),
    ("A4 paper\t3\nToner HP 26A\t2", &[(3, "", "A4 paper"), (2, "", "Toner HP 26A")]),
    (
        "Item | Qty\nA4 paper | 3\nBlue pens | 10",
        &[(-1, "", "Item"), (3, "", "A4 paper"), (10, "", "Blue pens")],
    ),
    ("PAP-A4 | A4 copy paper | 3 | ream | 4.20", &[(3, "ream", "PAP-A4 A4 copy paper")]),
    ("Carta A4        3 risme\nPenne blu       10", &[(3, "ream", "Carta A4"), (10, "", "Penne blu")]),
    (
        "Hello,\n\nplease order:\n- 3 boxes of A4 paper\n- 2x HP 26A toner\n\nThanks, Mario",
        &[(3, "box", "A4 paper"), (2, "", "HP 26A toner"), (-1, "", "Mario")],
    ),
    // Prose without a quantity is a line only in case it names an item (see `matching`).
    (
        "The meeting is at 3 pm on 12 December in room 4.",
        &[(-1, "", "meeting is at 3 pm on 12 December in room 4")],
    ),
    ("Call me on +39 06 1234 5678", &[(-1, "", "Call me on +39 06 1234 5678")]),
];

#[test]
fn lines_with_several_items_tables_and_lists_are_read() {
    let mut wrong = Vec::new();
    for (text, expected) in SEVERAL {
        let got = read(text);
        if got != *expected {
            wrong.push(format!("{text:?}: expected {expected:?}, read {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{} misread:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn a_csv_attachment_is_read_by_its_header() {
    let csv = "SKU;Descrizione;Quantità\nPAP-A4;Carta A4;3\nTON-26A;Toner HP 26A;2\n;;\n";
    let got: Vec<(u32, String)> =
        from_csv(csv.as_bytes()).into_iter().map(|r| (r.quantity.value(), r.description)).collect();
    assert_eq!(got, [(3, "PAP-A4 Carta A4".to_owned()), (2, "TON-26A Toner HP 26A".to_owned())]);
}

#[test]
fn a_csv_without_a_header_is_read_row_by_row() {
    let csv = "A4 paper,3\nBlue pens,10\n";
    let got: Vec<(u32, String)> =
        from_csv(csv.as_bytes()).into_iter().map(|r| (r.quantity.value(), r.description)).collect();
    assert_eq!(got, [(3, "A4 paper".to_owned()), (10, "Blue pens".to_owned())]);
}

#[test]
fn a_number_that_is_a_year_a_phone_or_a_price_is_not_a_quantity() {
    for text in ["by 2026", "tel 0612345678", "€ 4 each", "at 10 am", "within 3 days", "15% off"] {
        assert!(read(text).iter().all(|(q, _, _)| *q < 0), "{text}: {:?}", read(text));
    }
}

#[test]
fn a_line_of_a_hundred_thousand_open_brackets_is_read_as_its_order() {
    let text = format!("3 pens {}", "(".repeat(100_000));
    assert_eq!(read(&text), [(3, "", "pens")]);
}

#[test]
fn a_bracket_closed_after_many_others_still_holds_its_commas() {
    let text = format!("6 AA batteries (2 per mouse, 3 mice{})", " (".repeat(150));
    assert_eq!(read(&text).first(), Some(&(6, "", "AA batteries 2 per mouse, 3 mice")));
}

#[test]
fn a_word_of_megabytes_is_one_word() {
    let word = "a".repeat(5_000_000);
    let found = lines(&format!("3 {word}"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].quantity, Quantity::Given(3));
    assert_eq!(found[0].description.len(), word.len());
}

#[test]
fn only_the_first_words_of_a_long_line_are_read() {
    // Three words and marks an order: "3", "pens", ",".
    let found = lines(&"3 pens, ".repeat(10_000));
    assert_eq!(found.len(), MAX_WORDS.div_ceil(3));
    assert!(found.iter().all(|r| r.quantity == Quantity::Given(3) && r.description == "pens"));
}

#[test]
fn a_numbered_list_of_a_hundred_thousand_lines_is_read_to_the_line_limit() {
    let text: String = (1..=100_000).map(|n| format!("{n}. 2 boxes of staples\n")).collect();
    let found = read(&text);
    assert_eq!(found.len(), MAX_LINES);
    assert!(found.iter().all(|line| *line == (2, "box", "staples")), "{:?}", &found[..3]);
}

#[test]
fn a_csv_of_many_rows_is_read_to_the_line_limit() {
    let csv: String =
        std::iter::once("SKU;Qty\n".to_owned()).chain((0..10_000).map(|_| "PAP-A4;3\n".to_owned())).collect();
    assert_eq!(from_csv(csv.as_bytes()).len(), MAX_LINES - 1);
}

#[test]
fn half_a_box_is_half_of_one_box() {
    for text in [
        "mezza scatola di penne nere",
        "half a box of blue pens",
        "penne nere per il secondo piano, mezza scatola basta",
    ] {
        let read = lines(text);
        assert_eq!(read.len(), 1, "{text:?}: {read:?}");
        assert!(read[0].halved && read[0].quantity == Quantity::Given(1), "{text:?}: {read:?}");
        assert!(read[0].description.contains("pen"), "{text:?}: {read:?}");
    }
    assert!(!lines("mezza dozzina di matite")[0].halved, "half a dozen is six");
}

#[test]
fn what_an_item_is_for_can_be_set_aside() {
    assert_eq!(without_purpose("carta A4 x le copie del concorso").as_deref(), Some("carta A4"));
    assert_eq!(without_purpose("toner for the HP printer").as_deref(), Some("toner"));
    assert_eq!(without_purpose("carta per fotocopie"), None, "a name says what for without an article");
}

#[test]
fn a_remark_in_brackets_can_be_set_aside() {
    let written = "2 toner HP 26A (quelli della stampante grande)";
    assert_eq!(
        without_remark(written, "toner HP 26A quelli della stampante grande").as_deref(),
        Some("toner HP 26A")
    );
    assert_eq!(without_remark("2 toner", "toner"), None);
    assert_eq!(without_remark("(HP 26A)", "HP 26A"), None, "the remark is all there is");
}
