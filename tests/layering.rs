//! The house's layering: no two top-level modules of `src/` import each other, directly or through
//! others. A cycle inside one module's folder is that module's own business; a cycle between modules
//! is a knot every later change has to cut through (see the README's "Layout").
//!
//! The graph is read from the source text: every `crate::name` path and every `use crate::{…}` group,
//! outside comments and test code (`tests.rs`, `tests/` folders, `#[cfg(test)] mod …` blocks at the
//! end of a file), which may import whatever it tests with.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that fails to unwrap has failed, as it should"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// `module → (imported module → one file that imports it)`.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

#[test]
fn top_level_modules_import_each_other_without_a_cycle() {
    let graph = import_graph(Path::new("src"));
    assert!(graph.len() > 10, "read only {} modules from src/", graph.len());
    let cycles: Vec<String> = knots(&graph).into_iter().map(|knot| describe(&graph, &knot)).collect();
    assert!(cycles.is_empty(), "top-level modules import each other in a circle:\n{}", cycles.join("\n"));
}

#[test]
fn the_cycle_check_sees_a_cycle_through_a_third_module() {
    let mut graph = Graph::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        graph.entry(from.into()).or_default().insert(to.into(), format!("{from}.rs"));
    }
    assert_eq!(knots(&graph), [vec!["a".to_string(), "b".into(), "c".into()]]);
}

#[test]
fn imports_are_read_from_paths_and_groups_but_not_comments_or_tests() {
    let source = "//! see crate::gamma\nuse crate::alpha::X;\nuse crate::{beta::Y, delta};\n#[cfg(test)]\n\
                  use crate::eta;\n#[cfg(test)]\nmod tests;\nfn f() { crate::epsilon::go(); }\n#[cfg(test)]\n\
                  mod tests {\n    use crate::zeta;\n}\n";
    let found = imported(source);
    assert_eq!(found, ["alpha", "beta", "delta", "epsilon"].map(String::from).into_iter().collect());
}

/// The modules under `src` (a `name.rs` or `name/` beside `lib.rs`) and what each imports.
fn import_graph(src: &Path) -> Graph {
    let mut graph = Graph::new();
    let modules: BTreeSet<String> = entries(src)
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_owned();
            (path.is_dir() || path.extension().is_some_and(|e| e == "rs")).then_some(name)
        })
        .filter(|name| name != "lib" && name != "main")
        .collect();
    for module in &modules {
        let mut files = Vec::new();
        let file = src.join(format!("{module}.rs"));
        if file.is_file() {
            files.push(file);
        }
        collect_rust_files(&src.join(module), &mut files);
        let edges = graph.entry(module.clone()).or_default();
        for file in files.iter().filter(|f| !is_test_file(f)) {
            let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            for target in imported(&text) {
                if &target != module && modules.contains(&target) {
                    edges.entry(target).or_insert_with(|| file.display().to_string());
                }
            }
        }
    }
    graph
}

fn entries(dir: &Path) -> impl Iterator<Item = PathBuf> {
    let read = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    read.map(|entry| entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display())).path())
}

fn collect_rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    if !dir.is_dir() {
        return;
    }
    for path in entries(dir) {
        if path.is_dir() {
            collect_rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

fn is_test_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "tests.rs") || path.components().any(|c| c.as_os_str() == "tests")
}

/// The top-level modules `source` names through `crate::`.
fn imported(source: &str) -> BTreeSet<String> {
    let mut code = String::new();
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            // An inline test module runs to the end of the file; any other item is one line.
            match lines.next() {
                Some(item) if item.contains("mod ") && item.trim_end().ends_with('{') => break,
                _ => continue,
            }
        }
        code.push_str(line.split("//").next().unwrap_or(""));
        code.push('\n');
    }
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = closing_brace(group);
            for part in split_top_level(&group[..end]) {
                found.extend(first_name(part));
            }
            rest = &group[end..];
        } else {
            found.extend(first_name(rest));
        }
    }
    found
}

/// Where the group that `text` opens (just after its `{`) closes.
fn closing_brace(text: &str) -> usize {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return at,
            '}' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

/// The items of a `use` group, split at the commas outside nested groups.
fn split_top_level(group: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0usize, 0);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&group[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&group[start..]);
    parts
}

fn first_name(path: &str) -> Option<String> {
    let name: String = path.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty() && name != "self").then_some(name)
}

/// The strongly connected groups of more than one module (Tarjan's algorithm), each sorted.
fn knots(graph: &Graph) -> Vec<Vec<String>> {
    struct Walk<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        knots: Vec<Vec<String>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, module: &'g str) {
            let index = self.index.len();
            self.index.insert(module, index);
            self.low.insert(module, index);
            self.stack.push(module);
            for next in self.graph.get(module).into_iter().flat_map(|edges| edges.keys()) {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[module].min(self.low[next]);
                    self.low.insert(module, low);
                } else if self.stack.contains(&next) {
                    let low = self.low[module].min(self.index[next]);
                    self.low.insert(module, low);
                }
            }
            if self.low[module] == self.index[module] {
                let at = self.stack.iter().rposition(|m| *m == module).unwrap_or(0);
                let mut knot: Vec<String> = self.stack.drain(at..).map(str::to_owned).collect();
                if knot.len() > 1 {
                    knot.sort();
                    self.knots.push(knot);
                }
            }
        }
    }
    let mut walk =
        Walk { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), knots: Vec::new() };
    for module in graph.keys() {
        if !walk.index.contains_key(module.as_str()) {
            walk.visit(module);
        }
    }
    walk.knots
}

/// The knot's modules and, for each import inside it, a file that makes it.
fn describe(graph: &Graph, knot: &[String]) -> String {
    let mut text = format!("  {}:", knot.join(", "));
    for from in knot {
        for (to, file) in &graph[from] {
            if knot.contains(to) {
                text.push_str(&format!("\n    {from} → {to} ({file})"));
            }
        }
    }
    text
}
