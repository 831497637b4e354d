//! Compiling regular expressions, the one place that does: clerk's own patterns, fixed in the source,
//! and the ones rule files write (`regex = "…"`), which are the office's input and get an error.

use regex::{Regex, RegexBuilder};

/// Compiles one of clerk's own patterns (a `LazyLock` static beside the reader that uses it).
///
/// A pattern fixed in the source either compiles or is a bug that the first unit test reading with it
/// finds, so there is no error to hand on: this is the only `expect` outside tests, and the reason it
/// may be one.
pub fn built_in(pattern: &str) -> Regex {
    compile(&RegexBuilder::new(pattern))
}

/// [`built_in`] for a pattern bigger than the regex crate's default limit allows (the cue lists,
/// hundreds of phrases in one alternation).
pub fn built_in_sized(pattern: &str, size_limit: usize) -> Regex {
    compile(RegexBuilder::new(pattern).size_limit(size_limit))
}

#[allow(clippy::expect_used, reason = "a pattern fixed in the source; see `built_in`")]
fn compile(builder: &RegexBuilder) -> Regex {
    builder.build().expect("clerk's own patterns compile")
}

/// Compiles a pattern a rule file wrote: case-insensitive, as every text condition is. The error is
/// the regex crate's reason, one line, for the file:line report.
pub fn from_rules(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern).case_insensitive(true).build().map_err(|e| match e {
        regex::Error::Syntax(detail) => {
            let reason =
                detail.lines().find_map(|line| line.strip_prefix("error: ")).unwrap_or("syntax error");
            format!("invalid regex `{pattern}`: {reason}")
        }
        e => format!("regex `{pattern}` cannot be used: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_files_pattern_matches_whatever_the_case() {
        assert!(from_rules("invoice #\\d+").is_ok_and(|r| r.is_match("INVOICE #12")));
    }

    #[test]
    fn a_broken_rule_file_pattern_says_what_is_wrong_on_one_line() {
        let error = from_rules("(unclosed").err().unwrap_or_default();
        assert!(error.starts_with("invalid regex `(unclosed`: "), "{error}");
        assert!(!error.contains('\n'), "{error}");
    }
}
