//! The `templates` surface: a template as an office writes it, rendered for a real message.
//!
//! Mutations put minijinja constructs into the shipped templates and into hand-written ones: loops
//! over huge ranges and nested loops, macros that call themselves, includes of themselves, filters
//! with extreme arguments, arithmetic at the integers' edges, string and list repetition, and the
//! syntax broken anywhere.
//!
//! Promised: no panic; a render gives text of at most `MAX_OUTPUT` bytes or a `TemplateError` that
//! says what went wrong; and it stops within the harness's time limit (fuel).

use fastrand::Rng;

use clerk::mail::message::Message;
use clerk::rules::RuleSet;
use clerk::rules::template::{MAX_OUTPUT, TemplateContext, TemplateError, sample_ticket};

use crate::Surface;
use crate::corpus::{Corpus, read_all};
use crate::mutate::{self, one_of};

/// The longest template made.
const MOST_BYTES: usize = 200_000;

pub struct Template {
    seeds: Vec<Vec<u8>>,
    rules: RuleSet,
    messages: Vec<Message>,
}

impl Surface for Template {
    const NAME: &'static str = "templates";
    const BRIEF_RUNS: usize = 400;

    fn new(corpus: &Corpus) -> Template {
        let rules = RuleSet::load(&corpus.root.join("rules")).expect("the shipped rules load");
        let mut seeds = read_all(&corpus.root.join("rules/templates"), |_| true);
        seeds.extend(read_all(&corpus.root.join("rules/templates/faq"), |_| true));
        seeds.extend(SNIPPETS.iter().map(|snippet| snippet.as_bytes().to_vec()));
        let messages =
            corpus.office_mail().iter().take(40).filter_map(|raw| Message::parse(raw).ok()).collect();
        Template { seeds, rules, messages }
    }

    fn seeds(&self) -> &[Vec<u8>] {
        &self.seeds
    }

    fn mutate(&self, rng: &mut Rng) -> Vec<u8> {
        mutate_template(rng, &self.seeds)
    }

    fn check(&self, input: &[u8]) -> Result<(), String> {
        let source = String::from_utf8_lossy(input);
        // Which message the template answers depends on the input, so that a replay is the same.
        let message = &self.messages[input.len() % self.messages.len()];
        let context = TemplateContext::new(message, &self.rules.office, "fuzz").with_ticket(sample_ticket());
        match self.rules.templates.render_str(&source, &context) {
            Ok(text) if text.len() > MAX_OUTPUT => {
                Err(format!("{} bytes rendered, over MAX_OUTPUT", text.len()))
            }
            Ok(_) => Ok(()),
            Err(TemplateError::Render { message, .. }) if message.trim().is_empty() => {
                Err("a template error that says nothing".into())
            }
            Err(TemplateError::Render { .. }) => Ok(()),
        }
    }
}

/// A mutated template: constructs put in at random places, one to four times; sometimes the text
/// damaged too.
pub fn mutate_template(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut text = mutate::seed(rng, seeds).to_vec();
    for _ in 0..rng.usize(1..=4) {
        let construct = construct(rng);
        // Mostly between tags, so that the construct runs rather than breaking the tag it lands in.
        let outside = between_tags(&text);
        let at =
            if rng.u8(..8) == 0 { mutate::place(rng, &text) } else { outside[rng.usize(..outside.len())] };
        if rng.u8(..8) == 0 {
            let end = (at + rng.usize(..64)).min(text.len());
            text.splice(at..end, construct.into_bytes());
        } else {
            text.splice(at..at, construct.into_bytes());
        }
    }
    if rng.u8(..4) == 0 {
        mutate::bytes(rng, &mut text, seeds, MOST_BYTES);
    }
    text.truncate(MOST_BYTES);
    text
}

/// The places in `text` that are not inside a `{{ }}`, `{% %}` or `{# #}`; the end at least.
fn between_tags(text: &[u8]) -> Vec<usize> {
    let mut places = Vec::new();
    let mut at = 0;
    while at < text.len() {
        places.push(at);
        let close: Option<&[u8]> = match text.get(at..at + 2) {
            Some(b"{{") => Some(b"}}"),
            Some(b"{%") => Some(b"%}"),
            Some(b"{#") => Some(b"#}"),
            _ => None,
        };
        at = match close {
            Some(close) => {
                text[at + 2..].windows(2).position(|w| w == close).map_or(text.len(), |n| at + 2 + n + 2)
            }
            None => at + 1,
        };
    }
    places.push(text.len());
    places
}

/// One minijinja construct, its numbers and names drawn from edges and from what templates see.
fn construct(rng: &mut Rng) -> String {
    let n = one_of(rng, mutate::NUMBERS);
    let variable = one_of(rng, VARIABLES);
    let filter = one_of(rng, FILTERS).replace('N', n);
    let depth = mutate::count(rng, 5_000);
    match rng.u8(..14) {
        0 => format!("{{% for i in range({n}) %}}{{{{ i }}}}{{% endfor %}}"),
        1 => format!(
            "{{% for a in range({n}) %}}{{% for b in range({n}) %}}{{% for c in range({n}) %}}.{{% endfor %}}{{% endfor %}}{{% endfor %}}"
        ),
        2 => "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}".to_owned(),
        3 => format!("{{{{ {variable}|{filter} }}}}"),
        4 => format!("{{{{ {variable} * {n} }}}}"),
        5 => format!(
            "{{{{ {n} {} {n} }}}}",
            one_of(rng, &["+", "-", "*", "/", "//", "%", "**", "~", "==", "<"])
        ),
        6 => format!("{{% set x = [{variable}] * {n} %}}{{{{ x|length }}}}"),
        7 => format!(
            "{{% include \"{}\" %}}",
            one_of(
                rng,
                &["acknowledgment", "faq/opening-hours", "missing", "../office", "", "acknowledgment.txt"]
            )
        ),
        8 => "{% for i in range(10) %}".repeat(depth) + &"{% endfor %}".repeat(depth),
        9 => "{% if true %}".repeat(depth) + &"{% endif %}".repeat(depth),
        10 => "(".repeat(depth) + "1" + &")".repeat(depth),
        11 => format!("{{{{ {} }}}}", "[".repeat(depth) + &"]".repeat(depth)),
        12 => one_of(rng, BROKEN).to_owned(),
        _ => format!("{{% filter {filter} %}}{{{{ {variable} }}}}{{% endfilter %}}"),
    }
}

/// What templates see, and some of what they do not.
const VARIABLES: &[&str] = &[
    "message.text",
    "message.subject",
    "message.from_name",
    "message.from.email",
    "message.to",
    "message.attachments",
    "message.date",
    "office.name",
    "office.departments",
    "office.assistant.name",
    "ticket.tag",
    "ticket.due",
    "rule.name",
    "undefined_thing",
    "message.nothing.deeper",
    "\"text\"",
    "'é'",
    "[1, 2, 3]",
    "{'a': 1}",
    "none",
    "range(3)",
    "9223372036854775807",
    "-9223372036854775808",
    "1.7976931348623157e308",
    "loop",
];

/// Filters, with `N` for an edge number.
const FILTERS: &[&str] = &[
    "upper",
    "title",
    "length",
    "reverse",
    "sort",
    "unique",
    "join(\"N\")",
    "replace(\"a\", \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\")",
    "replace(\"\", \"x\")",
    "indent(N)",
    "indent(width=N, first=true)",
    "truncate(N)",
    "round(N)",
    "int",
    "float",
    "abs",
    "first",
    "last",
    "batch(N)",
    "slice(N)",
    "wordcount",
    "format(N)",
    "default(N)",
    "dictsort",
    "items",
    "list",
    "string",
    "trim",
    "split",
    "tojson",
    "pprint",
    "urlencode",
    "escape",
    "safe",
    "center(N)",
    "lines",
    "min",
    "max",
    "sum",
    "map(attribute=\"email\")",
    "select(\"odd\")",
    "groupby(\"name\")",
    "nonexistent_filter",
];

/// Syntax broken in the ways an editor leaves it.
const BROKEN: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "{{ }}",
    "{% for %}",
    "{% endfor %}",
    "{% if %}",
    "{% macro %}",
    "{% raw %}",
    "{% extends \"acknowledgment\" %}",
    "{% block a %}{% block a %}{% endblock %}{% endblock %}",
    "{% call m() %}x{% endcall %}",
    "{{ message.subject|upper(1, 2, 3) }}",
    "{{ 1/0 }}",
    "{{ 9223372036854775807 + 1 }}",
    "{{ -9223372036854775808 // -1 }}",
    "{{ -9223372036854775808 % -1 }}",
    "{{ 2 ** 9999 }}",
    "{{ 10 ** 400 }}",
    "{{ range(9223372036854775807)|length }}",
    "{{ range(0, 10, 0) }}",
    "{{ \"%s\" * 1000000000 }}",
    "{{ [0] * 9223372036854775807 }}",
    "{{ ''.join }}",
    "{{ message.__class__ }}",
    "{% set x = x %}{{ x }}",
    "{% for i in range(100000000) %}{% endfor %}",
    "{% for i in range(1000000) %}{{ message.text }}{% endfor %}",
    "{% set ns = namespace(a=1) %}{% for i in range(999999) %}{% set ns.a = ns.a * 2 %}{% endfor %}{{ ns.a }}",
    "{{ \"x\" ~ \"y\" * 99999999 }}",
    "{{ message.text|replace(\"\", message.text) }}",
    "{{ message.text|indent(99999999) }}",
    "{{ message.text|center(99999999) }}",
    "{{ message.text|truncate(-1) }}",
    "{{ 1.5|round(-400) }}",
    "{{ 1e308 * 10 }}",
    "{{ (1e308 * 10)|int }}",
    "{{ 'nan'|float|int }}",
];

/// Templates to grow mutations from besides the shipped ones: the constructs an office uses.
const SNIPPETS: &[&str] = &[
    "Dear {{ message.from_name }},\n{% for a in message.attachments %}- {{ a.name }} ({{ a.size }} bytes)\n{% endfor %}",
    "{% macro line(label, value) %}{{ label }}: {{ value }}\n{% endmacro %}{{ line(\"Subject\", message.subject) }}",
    "{% if message.text|length > 100 %}{{ message.text[:100] }}…{% else %}{{ message.text }}{% endif %}",
    "{% for name, address in office.departments|dictsort %}{{ name }} <{{ address }}>\n{% endfor %}",
    "{{ message.subject|replace(\"Re:\", \"\")|trim|title }} {{ ticket.tag }}",
    "{% set parts = message.text|split(\"\\n\") %}{{ parts|length }} lines",
];
