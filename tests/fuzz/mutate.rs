//! Mutations every surface shares: bytes, lines, numbers and odd text, and the pieces they insert.
//! Each surface adds its own structural ones; these give the damage no structure predicts.

use fastrand::Rng;

/// Numbers that sit on an edge: of a type's range, of a calendar's, of zero.
pub const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-1",
    "1",
    "7",
    "12",
    "13",
    "24",
    "25",
    "29",
    "31",
    "32",
    "59",
    "60",
    "61",
    "99",
    "100",
    "255",
    "256",
    "366",
    "1000",
    "1899",
    "1900",
    "1970",
    "2027",
    "2200",
    "2201",
    "9999",
    "10000",
    "32767",
    "65535",
    "65536",
    "99999",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551616",
    "99999999999999999999999999999999",
    "00000000000000000000000000000001",
    "1e308",
    "1e-308",
    "0.5",
    "1.5",
    "1,5",
    "NaN",
    "inf",
];

/// Text that trips readers: control characters, byte-order and direction marks, combining marks,
/// other scripts, markup and template delimiters, quoting and brackets.
pub const ODD_TEXT: &[&str] = &[
    "\0",
    "\r",
    "\n",
    "\r\n",
    "\r\r\n",
    "\n\r",
    "\t",
    "\x0b",
    "\x0c",
    "\x1b[2J",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{feff}",
    "\u{fffd}",
    "\u{202e}",
    "\u{200b}",
    "\u{2028}",
    "e\u{301}\u{301}\u{301}",
    "\u{10ffff}",
    "İ",
    "ß",
    "ﬃ",
    "𝟙𝟚:𝟛𝟘",
    "１２時",
    "日本語のテキスト、明日の午後三時",
    "العربية غدا الساعة ٣",
    "Ελληνικά αύριο",
    "завтра в 15:00",
    "עברית מחר",
    "हिन्दी कल",
    "👩‍👩‍👧‍👦",
    "\"",
    "'",
    "`",
    "\\",
    "\\\\",
    "%s%n%x",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "=?",
    "?=",
    "=?utf-8?B?",
    "<",
    ">",
    "</",
    "<!--",
    "&",
    "&#",
    "&#x110000;",
    "&#99999999999;",
    "&amp;",
    "(",
    ")",
    "((((((((((",
    "))))))))))",
    "[",
    "]",
    "[[[[[[[[",
    "{",
    "}",
    ":",
    ";",
    ",",
    ".",
    "-",
    "/",
    "@",
    "#",
    "*",
    "|",
    "> ",
    "-- ",
    "=",
    "==",
    "=\n",
    "= ",
];

/// One of `items`.
pub fn one_of<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

/// One of the seeds.
pub fn seed<'a>(rng: &mut Rng, seeds: &'a [Vec<u8>]) -> &'a [u8] {
    &seeds[rng.usize(..seeds.len())]
}

/// A size that is usually small and now and then large: for repeating a piece.
pub fn count(rng: &mut Rng, most: usize) -> usize {
    match rng.u8(..10) {
        0..=5 => rng.usize(1..=4.min(most).max(1)),
        6..=8 => rng.usize(1..=100.min(most).max(1)),
        _ => rng.usize(1..=most.max(1)),
    }
}

/// A place in `input`.
pub fn place(rng: &mut Rng, input: &[u8]) -> usize {
    rng.usize(..=input.len())
}

/// Some random bytes, often ASCII.
pub fn random_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| if rng.bool() { rng.u8(0x20..0x7f) } else { rng.u8(..) }).collect()
}

/// One mutation that knows nothing of the input's structure: a byte changed, bytes inserted or taken
/// out, a range repeated or moved, a piece of another seed spliced in, odd text or an edge number put
/// in, the input cut short. Keeps the input at most `most` bytes.
pub fn bytes(rng: &mut Rng, input: &mut Vec<u8>, donors: &[Vec<u8>], most: usize) {
    match rng.u8(..11) {
        0 if !input.is_empty() => {
            let at = rng.usize(..input.len());
            input[at] ^= 1 << rng.u8(..8);
        }
        1 if !input.is_empty() => {
            let at = rng.usize(..input.len());
            input[at] = rng.u8(..);
        }
        2 => {
            let at = place(rng, input);
            let len = count(rng, 64);
            input.splice(at..at, random_bytes(rng, len));
        }
        3 if !input.is_empty() => {
            let at = rng.usize(..input.len());
            let end = (at + count(rng, 4096)).min(input.len());
            input.drain(at..end);
        }
        4 if !input.is_empty() => {
            let at = rng.usize(..input.len());
            let end = (at + count(rng, 256)).min(input.len());
            let piece = input[at..end].to_vec();
            let times = count(rng, 10_000);
            let mut repeated = Vec::with_capacity(piece.len() * times);
            for _ in 0..times {
                repeated.extend_from_slice(&piece);
            }
            input.splice(end..end, repeated);
        }
        5 if !donors.is_empty() => {
            let donor = seed(rng, donors);
            if !donor.is_empty() {
                let from = rng.usize(..donor.len());
                let to = (from + count(rng, 4096)).min(donor.len());
                let at = place(rng, input);
                input.splice(at..at, donor[from..to].iter().copied());
            }
        }
        6 => {
            let at = place(rng, input);
            let text = one_of(rng, ODD_TEXT);
            input.splice(at..at, text.bytes());
        }
        7 => numbers(rng, input),
        8 if !input.is_empty() => {
            let at = rng.usize(..input.len());
            input.truncate(at);
        }
        9 if input.len() > 1 => {
            let (a, b) = (rng.usize(..input.len()), rng.usize(..input.len()));
            input.swap(a, b);
        }
        _ => lines(rng, input, donors),
    }
    input.truncate(most);
}

/// One mutation of whole lines: one taken out, repeated, moved, or taken from another seed.
pub fn lines(rng: &mut Rng, input: &mut Vec<u8>, donors: &[Vec<u8>]) {
    let mut lines: Vec<Vec<u8>> = input.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    if lines.is_empty() {
        lines.push(Vec::new());
    }
    let at = rng.usize(..lines.len());
    match rng.u8(..5) {
        0 => {
            lines.remove(at);
        }
        1 => {
            let line = lines[at].clone();
            let times = count(rng, 5_000);
            lines.splice(at..at, std::iter::repeat_n(line, times));
        }
        2 => {
            let line = lines.remove(at);
            let to = rng.usize(..=lines.len());
            lines.insert(to, line);
        }
        3 if !donors.is_empty() => {
            let donor = seed(rng, donors);
            let donated: Vec<&[u8]> = donor.split_inclusive(|&b| b == b'\n').collect();
            if !donated.is_empty() {
                let line = donated[rng.usize(..donated.len())].to_vec();
                lines.insert(at, line);
            }
        }
        _ => {
            let line = &mut lines[at];
            let cut = rng.usize(..=line.len());
            line.truncate(cut);
        }
    }
    *input = lines.concat();
}

/// Replaces a run of digits with an edge number, or puts one in where there is none.
pub fn numbers(rng: &mut Rng, input: &mut Vec<u8>) {
    let runs: Vec<(usize, usize)> = digit_runs(input);
    let number = one_of(rng, NUMBERS).as_bytes().to_vec();
    if runs.is_empty() || rng.u8(..8) == 0 {
        let at = place(rng, input);
        input.splice(at..at, number);
    } else {
        let (start, end) = runs[rng.usize(..runs.len())];
        input.splice(start..end, number);
    }
}

/// Where the runs of ASCII digits of `input` start and end.
pub fn digit_runs(input: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut at = 0;
    while at < input.len() {
        if input[at].is_ascii_digit() {
            let start = at;
            while at < input.len() && input[at].is_ascii_digit() {
                at += 1;
            }
            runs.push((start, at));
        } else {
            at += 1;
        }
    }
    runs
}
