//! Ticket numbers: short, with a check digit, written in subjects as `[#1042-9]`.
//!
//! The check digit (Damm's algorithm) catches every single mistyped digit and every swap of two
//! neighbouring digits, so a subject that happens to hold "[#1024-7]" never joins ticket 1042, and a
//! number a person retypes wrong is not taken for another ticket.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

/// Damm's quasigroup of order 10.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// A ticket's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TicketNumber(pub u32);

impl TicketNumber {
    /// The check digit written after the number.
    pub fn check_digit(self) -> u8 {
        self.0
            .to_string()
            .bytes()
            .fold(0, |interim, digit| DAMM[usize::from(interim)][usize::from(digit - b'0')])
    }

    /// The tag a subject carries: `[#1042-9]`.
    pub fn tag(self) -> String {
        format!("[#{self}]")
    }

    /// `subject` without any ticket tags (valid or not), so a new ticket's tag does not join an old one.
    pub fn without_tags(subject: &str) -> String {
        let stripped = tag_pattern().replace_all(subject, "");
        stripped.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The ticket a subject names by its tag, whatever prefixes ("Re:", "AW:", "R:", "Rif:", "I:",
    /// "VS:", "Fwd:") and spacing clients add; a tag whose check digit is wrong names none.
    pub fn in_subject(subject: &str) -> Option<TicketNumber> {
        tag_pattern().captures_iter(subject).find_map(|caps| {
            let number = TicketNumber(caps.get(1)?.as_str().parse().ok()?);
            let check: u8 = caps.get(2)?.as_str().parse().ok()?;
            (number.check_digit() == check).then_some(number)
        })
    }
}

/// `[#1042-9]` with loose spacing; the number and the check digit captured.
fn tag_pattern() -> &'static Regex {
    static TAG: LazyLock<Regex> =
        LazyLock::new(|| crate::regexes::built_in(r"\[\s*#\s*(\d{1,9})\s*-\s*(\d)\s*\]"));
    &TAG
}

impl serde::Serialize for TicketNumber {
    /// As people write it, `"1042-9"`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for TicketNumber {
    /// `1042-9`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.0, self.check_digit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_digit_is_damms() {
        // The worked example of Damm's algorithm: 572 has check digit 4.
        assert_eq!(TicketNumber(572).check_digit(), 4);
        assert_eq!(TicketNumber(1042).to_string(), format!("1042-{}", TicketNumber(1042).check_digit()));
    }

    #[test]
    fn every_single_digit_mistake_and_neighbour_swap_is_caught() {
        for n in [1042u32, 57_311, 900_001] {
            let good = TicketNumber(n);
            let digits: Vec<u8> = n.to_string().bytes().map(|b| b - b'0').collect();
            let number = |d: &[u8]| d.iter().fold(0u32, |acc, x| acc * 10 + u32::from(*x));
            for i in 0..digits.len() {
                for wrong in 0..10u8 {
                    let mut typo = digits.clone();
                    if typo[i] == wrong || (i == 0 && wrong == 0) {
                        continue;
                    }
                    typo[i] = wrong;
                    assert_ne!(TicketNumber(number(&typo)).check_digit(), good.check_digit(), "{typo:?}");
                }
                if i + 1 < digits.len() && digits[i] != digits[i + 1] && !(i == 0 && digits[1] == 0) {
                    let mut swapped = digits.clone();
                    swapped.swap(i, i + 1);
                    assert_ne!(
                        TicketNumber(number(&swapped)).check_digit(),
                        good.check_digit(),
                        "{swapped:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_subject_names_its_ticket_through_any_prefixes() {
        let tag = TicketNumber(1042).tag();
        for subject in [
            format!("Re: Question about opening hours {tag}"),
            format!("AW: R: Rif: I: VS: Fwd: {tag} Question"),
            format!("RE: Question [ # 1042 - {} ]", TicketNumber(1042).check_digit()),
        ] {
            assert_eq!(TicketNumber::in_subject(&subject), Some(TicketNumber(1042)), "{subject}");
        }
    }

    #[test]
    fn a_tag_with_a_wrong_check_digit_or_without_brackets_names_no_ticket() {
        let wrong = (TicketNumber(1042).check_digit() + 1) % 10;
        assert_eq!(TicketNumber::in_subject(&format!("Re: [#1042-{wrong}]")), None);
        assert_eq!(TicketNumber::in_subject("Invoice 1042-9 for order 44120"), None);
        assert_eq!(TicketNumber::in_subject("Re: Question"), None);
    }
}
