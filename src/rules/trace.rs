//! Why a message was classified the way it was: every rule tried, with every condition's result, for
//! `clerk explain` (as text, like `sieve-test -t`, or as JSON).

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// One rule tried against a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleTrace {
    /// The rule's name.
    pub rule: String,
    /// The rule file and the line of its `[[rule]]`, to go and edit it.
    pub file: PathBuf,
    /// See `file`.
    pub line: usize,
    /// Whether the whole `when` held.
    pub matched: bool,
    /// Whether the rule says `continue = true`: a match does not stop the evaluation.
    pub continue_after: bool,
    /// The condition tree with each node's result.
    pub when: ConditionTrace,
}

/// One node of a condition tree and its result; children appear in the order of the rule file.
///
/// Every child is evaluated, even where evaluation for real stops early, so the trace shows all the
/// reasons at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionTrace {
    /// What the node tests, in the rule file's terms: `from matches "*@office.example"`, `any of`.
    pub condition: String,
    /// Whether the node held.
    pub result: bool,
    /// The parts of `all of`, `any of` and `not`; none for a test.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ConditionTrace>,
}

impl fmt::Display for RuleTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcome = match (self.matched, self.continue_after) {
            (false, _) => "not matched",
            (true, false) => "matched, stop",
            (true, true) => "matched, continue",
        };
        let (name, file, line) = (&self.rule, self.file.display(), self.line);
        writeln!(f, "rule {name:?} ({file}:{line}): {outcome}")?;
        self.when.write_indented(f, 1)
    }
}

impl ConditionTrace {
    fn write_indented(&self, f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
        let indent = depth * 2;
        writeln!(f, "{:indent$}{}: {}", "", self.condition, self.result)?;
        self.children.iter().try_for_each(|child| child.write_indented(f, depth + 1))
    }
}

impl fmt::Display for ConditionTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_indented(f, 0)
    }
}
