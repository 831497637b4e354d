//! Case-insensitive glob patterns (for addresses, attachment names and types) and the check that an
//! address written in a rule file is one mailbox and nothing else.
//!
//! Globs are hand-rolled rather than taken from globset: that crate is built for paths (`/` has a
//! meaning, matching goes through a regex), while here the common patterns are `*@office.example` and
//! `anna@*`, which a suffix or prefix comparison answers without any allocation.

use std::fmt;

/// A compiled glob: `*` any run of characters, `?` one character, `[abc]`, `[a-z]`, `[!abc]` one
/// character of (or not of) a set. Matching ignores case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    written: String,
    shape: Shape,
    /// The domain every address it matches has, when the pattern ends in `@` and a plain domain.
    domain: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// No wildcard at all: a case-insensitive comparison.
    Exact(String),
    /// `literal*`.
    Prefix(String),
    /// `*literal`, the literal stored reversed to compare from the end.
    Suffix(String),
    /// Anything else, token by token.
    General(Vec<Token>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Char(char),
    AnyChar,
    AnyRun,
    Class { negated: bool, ranges: Vec<(char, char)> },
}

/// Why a glob cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GlobError {
    /// A `[` without its `]`.
    #[error("unclosed `[` in pattern `{0}`")]
    UnclosedClass(String),
    /// An empty string, which would only match an empty name.
    #[error("empty pattern")]
    Empty,
}

impl Glob {
    /// Compiles `pattern`; letters are lowered here so matching only lowers the text.
    pub fn new(pattern: &str) -> Result<Glob, GlobError> {
        if pattern.is_empty() {
            return Err(GlobError::Empty);
        }
        let tokens = tokenize(pattern)?;
        let domain = domain(&tokens);
        let shape = if let Some(literal) = literal(&tokens) {
            Shape::Exact(literal)
        } else if let [Token::AnyRun, rest @ ..] = tokens.as_slice()
            && let Some(literal) = literal(rest)
        {
            Shape::Suffix(literal.chars().rev().collect())
        } else if let [rest @ .., Token::AnyRun] = tokens.as_slice()
            && let Some(literal) = literal(rest)
        {
            Shape::Prefix(literal)
        } else {
            Shape::General(tokens)
        };
        Ok(Glob { written: pattern.to_owned(), shape, domain })
    }

    /// The domain, lower-cased, of every address the glob matches (`office.example` for
    /// `*@office.example` and `anna@office.example`), when it names one: the rule index files address
    /// tests under it and looks up each address by [`domain_key`].
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// Whether `text` matches, ignoring case.
    pub fn matches(&self, text: &str) -> bool {
        match &self.shape {
            Shape::Exact(literal) => folded_eq(literal.chars(), text.chars()),
            Shape::Prefix(literal) => starts_with_folded(text.chars(), literal),
            Shape::Suffix(reversed) => starts_with_folded(text.chars().rev(), reversed),
            Shape::General(tokens) => matches_tokens(tokens, text),
        }
    }
}

impl fmt::Display for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.written)
    }
}

/// The plain characters after the pattern's last `@`, when there are some and nothing else follows it:
/// a text that matches ends in `@` and them, so its part after its own last `@` is exactly them.
fn domain(tokens: &[Token]) -> Option<String> {
    let at = tokens.iter().rposition(|token| *token == Token::Char('@'))?;
    literal(&tokens[at + 1..]).filter(|domain| !domain.is_empty())
}

/// The part of `address` after its last `@`, lowered as globs lower it, to look up the globs whose
/// [`Glob::domain`] it is; `None` without an `@`, where no such glob matches.
pub fn domain_key(address: &str) -> Option<String> {
    let (_, domain) = address.rsplit_once('@')?;
    Some(domain.chars().map(fold_char).collect())
}

/// The text of a run of plain characters, or `None` if any token is a wildcard.
fn literal(tokens: &[Token]) -> Option<String> {
    tokens
        .iter()
        .map(|token| match token {
            Token::Char(c) => Some(*c),
            _ => None,
        })
        .collect()
}

fn tokenize(pattern: &str) -> Result<Vec<Token>, GlobError> {
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '*' if tokens.last() == Some(&Token::AnyRun) => continue,
            '*' => Token::AnyRun,
            '?' => Token::AnyChar,
            '[' => class(&mut chars).ok_or_else(|| GlobError::UnclosedClass(pattern.to_owned()))?,
            c => Token::Char(fold_char(c)),
        });
    }
    Ok(tokens)
}

/// Reads a class after its `[`; `]` right after the opening (or after `!`) is a member, as in shells.
fn class(chars: &mut std::str::Chars<'_>) -> Option<Token> {
    let mut negated = false;
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = chars.next()?;
        match c {
            '!' | '^' if first && !negated => {
                negated = true;
                continue;
            }
            ']' if !first => return Some(Token::Class { negated, ranges }),
            _ => {}
        }
        first = false;
        let low = fold_char(c);
        let mut ahead = chars.clone();
        match (ahead.next(), ahead.next()) {
            (Some('-'), Some(high)) if high != ']' => {
                *chars = ahead;
                ranges.push((low, fold_char(high)));
            }
            _ => ranges.push((low, low)),
        }
    }
}

/// Lower-cases one character. Characters whose lower case is several characters (rare outside Turkish
/// dotted capitals) keep only the first, which is what matters for comparison.
fn fold_char(c: char) -> char {
    if c.is_ascii() { c.to_ascii_lowercase() } else { c.to_lowercase().next().unwrap_or(c) }
}

fn folded_eq(pattern: impl Iterator<Item = char>, text: impl Iterator<Item = char>) -> bool {
    pattern.eq(text.map(fold_char))
}

fn starts_with_folded(mut text: impl Iterator<Item = char>, literal: &str) -> bool {
    literal.chars().all(|p| text.next().map(fold_char) == Some(p))
}

impl Token {
    fn accepts(&self, c: char) -> bool {
        match self {
            Token::Char(p) => *p == c,
            Token::AnyChar => true,
            Token::AnyRun => false,
            Token::Class { negated, ranges } => {
                ranges.iter().any(|&(low, high)| low <= c && c <= high) != *negated
            }
        }
    }
}

/// The classic wildcard walk: on a mismatch, go back to the last `*` and let it swallow one more
/// character. Linear in practice, and without allocation.
fn matches_tokens(tokens: &[Token], text: &str) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    loop {
        if let Some(token) = tokens.get(p) {
            if *token == Token::AnyRun {
                p += 1;
                resume = Some((p, t));
                continue;
            }
            if let Some(c) = text[t..].chars().next()
                && token.accepts(fold_char(c))
            {
                p += 1;
                t += c.len_utf8();
                continue;
            }
        } else if t == text.len() {
            return true;
        }
        let Some((after_star, swallowed)) = resume else {
            return false;
        };
        let Some(c) = text[swallowed..].chars().next() else {
            return false;
        };
        p = after_star;
        t = swallowed + c.len_utf8();
        resume = Some((p, t));
    }
}

/// The mail addresses written in `text`, lower-cased, in the order written: what a request names
/// by address in its words rather than in its headers.
pub fn addresses_in(text: &str) -> Vec<String> {
    static ADDRESS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::regexes::built_in(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
    });
    ADDRESS.find_iter(text).map(|m| m.as_str().trim_end_matches('.').to_lowercase()).collect()
}

/// Why an address in a rule file is not usable as one mailbox.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{address}` is not a mail address: {reason}")]
pub struct AddressError {
    /// The address as written.
    pub address: String,
    /// What is wrong with it, for the message.
    pub reason: &'static str,
}

/// Checks that `address` is one bare addr-spec (`local@domain`): no display name, no second address
/// after a comma, and no CR or LF that would let a value break out of its header.
pub fn check_address(address: &str) -> Result<(), AddressError> {
    let fail = |reason| Err(AddressError { address: address.to_owned(), reason });
    if address.contains(['\r', '\n']) {
        return fail("it contains a line break");
    }
    if address.contains(',') {
        return fail("it contains a comma; give several addresses as a list");
    }
    if address.contains(['<', '>', '(', ')', '"', ';', '\\', '[', ']']) {
        return fail("write the bare address, without name, angle brackets or quotes");
    }
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail("it contains a space or control character");
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return fail("it has no `@`");
    };
    if local.is_empty() || domain.is_empty() || domain.contains('@') || local.contains('@') {
        return fail("it needs exactly one `@` with text on both sides");
    }
    if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
        return fail("the domain is malformed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(pattern: &str) -> Glob {
        match Glob::new(pattern) {
            Ok(glob) => glob,
            Err(e) => panic!("{pattern}: {e}"),
        }
    }

    #[test]
    fn domain_glob_matches_any_local_part_ignoring_case() {
        let g = glob("*@office.example");
        assert!(g.matches("anna@office.example"));
        assert!(g.matches("Anna@Office.EXAMPLE"));
        assert!(!g.matches("anna@office.example.com"));
        assert!(!g.matches("anna@backoffice.example.org"));
    }

    #[test]
    fn a_glob_names_the_domain_of_every_address_it_matches_when_it_ends_in_one() {
        let domain = |pattern: &str| glob(pattern).domain().map(str::to_owned);
        assert_eq!(domain("*@Office.Example").as_deref(), Some("office.example"));
        assert_eq!(domain("anna@office.example").as_deref(), Some("office.example"));
        assert_eq!(domain("sales-*@office.example").as_deref(), Some("office.example"));
        assert_eq!(domain("anna@*"), None);
        assert_eq!(domain("*@*.example"), None);
        assert_eq!(domain("*@office.[a-z]"), None);
        assert_eq!(domain_key("Anna@OFFICE.example").as_deref(), Some("office.example"));
        assert_eq!(domain_key("\"a@b\"@office.example").as_deref(), Some("office.example"));
        assert_eq!(domain_key("no-domain"), None);
    }

    #[test]
    fn local_part_glob_matches_any_domain() {
        let g = glob("anna@*");
        assert!(g.matches("ANNA@x.example"));
        assert!(!g.matches("annabel@x.example"));
    }

    #[test]
    fn exact_address_matches_ignoring_case_only() {
        let g = glob("Giulia@office.example");
        assert!(g.matches("giulia@OFFICE.example"));
        assert!(!g.matches("giulia@office.example.it"));
    }

    #[test]
    fn question_mark_and_classes_match_one_character() {
        assert!(glob("user?@x.example").matches("user7@x.example"));
        assert!(!glob("user?@x.example").matches("user@x.example"));
        assert!(glob("[ab]*@x.example").matches("Bob@x.example"));
        assert!(glob("[a-c]*@x.example").matches("carl@x.example"));
        assert!(!glob("[!a-c]*@x.example").matches("carl@x.example"));
        assert!(glob("*-request@*").matches("list-request@lists.example"));
        assert!(glob("*.pdf").matches("Fattura 12.PDF"));
        assert!(glob("application/*").matches("application/pdf"));
    }

    #[test]
    fn stars_backtrack() {
        assert!(glob("*a*b*c").matches("xxaxxbxxbxxc"));
        assert!(!glob("*a*b*c").matches("xxaxxbxxbxx"));
        assert!(glob("ü*@*").matches("Über@x.example"));
    }

    #[test]
    fn unclosed_class_is_refused() {
        assert_eq!(Glob::new("[ab@x"), Err(GlobError::UnclosedClass("[ab@x".into())));
    }

    #[test]
    fn address_must_be_one_bare_mailbox() {
        assert!(check_address("accounts@office.example").is_ok());
        for bad in [
            "accounts",
            "a@b@c",
            "Anna <anna@x.example>",
            "a@x.example, b@x.example",
            "a@x.example\r\nBcc: evil@x.example",
            "@x.example",
            "a@",
        ] {
            assert!(check_address(bad).is_err(), "{bad}");
        }
    }
}
