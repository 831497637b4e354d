//! Quantities written in words, English and Italian: "three", "twenty-five", "a dozen", "half a
//! dozen", "a couple of", "due", "venticinque", "una dozzina", "un paio di". Read from folded words
//! (lower case, no accents), so "ventitré" and "Ventitre" are the same.

/// A quantity in words at the start of `words`: its value and how many words it took. An article
/// ("a", "un") is not read here: it is a weaker kind of quantity (see `extract`).
pub fn in_words(words: &[&str]) -> Option<(u32, usize)> {
    let first = *words.first()?;
    let second = words.get(1).copied();
    let third = words.get(2).copied();
    // Phrases of more than one word first.
    match (first, second, third) {
        ("half", Some("a"), Some("dozen")) | ("mezza", Some("dozzina"), _) => {
            return Some((6, if first == "half" { 3 } else { 2 }));
        }
        ("a", Some("dozen"), _) | ("una", Some("dozzina"), _) => return Some((12, 2)),
        ("a", Some("couple"), _) | ("a", Some("pair"), _) | ("un", Some("paio"), _) => {
            // "a couple of", "un paio di": the preposition is the caller's to skip.
            return Some((2, 2));
        }
        _ => {}
    }
    let (value, mut used) = single(first)?;
    // "two dozen", "due dozzine".
    if matches!(second, Some("dozen" | "dozens" | "dozzine" | "dozzina")) {
        return Some((value * 12, used + 1));
    }
    // "twenty five", "twenty-five" (one token with its hyphen), "one hundred".
    let mut value = value;
    if (20..100).contains(&value)
        && value % 10 == 0
        && let Some((ones, 1)) = second.and_then(single)
        && (1..10).contains(&ones)
    {
        value += ones;
        used += 1;
    } else if value < 10 && matches!(second, Some("hundred")) {
        value *= 100;
        used += 1;
    }
    Some((value, used))
}

/// One word: "seven", "twenty-five", "sette", "venticinque", "cento", "dozen".
fn single(word: &str) -> Option<(u32, usize)> {
    if let Some((tens, ones)) = word.split_once('-') {
        let (tens, _) = single(tens)?;
        let (ones, _) = single(ones)?;
        return ((20..100).contains(&tens) && tens % 10 == 0 && (1..10).contains(&ones))
            .then_some((tens + ones, 1));
    }
    if let Some(value) = english(word).or_else(|| italian(word)) {
        return Some((value, 1));
    }
    None
}

fn english(word: &str) -> Option<u32> {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    if let Some(n) = ONES.iter().position(|w| *w == word).filter(|n| *n > 0) {
        return Some(n as u32);
    }
    if let Some(n) = TENS.iter().position(|w| *w == word) {
        return Some(20 + 10 * n as u32);
    }
    match word {
        "dozen" => Some(12),
        "hundred" => Some(100),
        _ => None,
    }
}

/// Italian numbers to 99 are one word: tens and ones run together, the tens losing their vowel
/// before "uno" and "otto" (ventuno, ventotto); "tre" at the end takes an accent, folded away.
fn italian(word: &str) -> Option<u32> {
    const ONES: [&str; 20] = [
        "zero",
        "uno",
        "due",
        "tre",
        "quattro",
        "cinque",
        "sei",
        "sette",
        "otto",
        "nove",
        "dieci",
        "undici",
        "dodici",
        "tredici",
        "quattordici",
        "quindici",
        "sedici",
        "diciassette",
        "diciotto",
        "diciannove",
    ];
    const TENS: [&str; 8] =
        ["venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta"];
    if let Some(n) = ONES.iter().position(|w| *w == word).filter(|n| *n > 0) {
        return Some(n as u32);
    }
    if matches!(word, "una" | "un") {
        return None;
    }
    if word == "cento" {
        return Some(100);
    }
    if word == "dozzina" {
        return Some(12);
    }
    for (index, tens) in TENS.iter().enumerate() {
        let value = 20 + 10 * index as u32;
        if word == *tens {
            return Some(value);
        }
        let stem = &tens[..tens.len() - 1];
        let Some(rest) = word.strip_prefix(stem) else { continue };
        let ones = match rest {
            "uno" => 1,
            "otto" => 8,
            _ => {
                let rest = rest.strip_prefix(&tens[tens.len() - 1..])?;
                ONES[2..10].iter().position(|w| *w == rest)? as u32 + 2
            }
        };
        return Some(value + ones);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<(u32, usize)> {
        let words: Vec<&str> = text.split(' ').collect();
        in_words(&words)
    }

    #[test]
    fn english_numbers_are_read_with_their_compounds() {
        assert_eq!(read("three boxes"), Some((3, 1)));
        assert_eq!(read("twelve"), Some((12, 1)));
        assert_eq!(read("twenty-five pens"), Some((25, 1)));
        assert_eq!(read("twenty five pens"), Some((25, 2)));
        assert_eq!(read("one hundred sheets"), Some((100, 2)));
    }

    #[test]
    fn dozens_and_couples_are_numbers() {
        assert_eq!(read("a dozen pens"), Some((12, 2)));
        assert_eq!(read("two dozen pens"), Some((24, 2)));
        assert_eq!(read("half a dozen pens"), Some((6, 3)));
        assert_eq!(read("a couple of toners"), Some((2, 2)));
        assert_eq!(read("una dozzina di matite"), Some((12, 2)));
        assert_eq!(read("mezza dozzina di penne"), Some((6, 2)));
        assert_eq!(read("un paio di forbici"), Some((2, 2)));
    }

    #[test]
    fn italian_numbers_are_read_as_one_word() {
        assert_eq!(read("due risme"), Some((2, 1)));
        assert_eq!(read("quattordici"), Some((14, 1)));
        assert_eq!(read("venticinque"), Some((25, 1)));
        assert_eq!(read("ventuno"), Some((21, 1)));
        assert_eq!(read("trentotto"), Some((38, 1)));
        assert_eq!(read("ventitre"), Some((23, 1)));
        assert_eq!(read("cento"), Some((100, 1)));
    }

    #[test]
    fn other_words_and_articles_are_not_numbers() {
        for text in ["a box", "un pacco", "una risma", "toner", "tre-x", "ventix", "zero"] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
