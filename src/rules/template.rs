//! The office's text templates (`templates/**/*.txt`, minijinja), what they can see, and the rule that
//! rendered text never becomes a header line.
//!
//! A template is named by its path under `templates/` without the `.txt` extension: `reply = "ack"` is
//! `templates/ack.txt`, `answer = "faq/opening-hours"` is `templates/faq/opening-hours.txt`, and
//! `{% include "faq/footer" %}` works the same way. All templates are compiled when the rules load, so a
//! syntax error refuses the rule set instead of surfacing in the middle of the night. Unknown variables
//! are errors at render time (strict undefined), never silently empty text in a customer's reply.
//!
//! Every render is bounded, because a template is code the office writes and a loop in it must not
//! hang `clerk check`, a reload or the handling of a message: it has [`FUEL`] to spend (minijinja
//! charges each step and each byte it makes), may write at most [`MAX_OUTPUT`] bytes, and may nest
//! loops, includes and macros [`MAX_NESTING`] deep. A render stopped by a limit is an error naming the
//! template and the limit, like any other failing template.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Output, State, UndefinedBehavior, Value};
use serde::Serialize;

use crate::language::Language;
use crate::mail::compose::html_escape;
use crate::mail::message::{Address, Message};
use crate::office::Office;
use crate::toml_doc::{Diagnostic, LineIndex};

/// The work one render may do, in minijinja's fuel: about one unit per step and one per 64 bytes a
/// template makes, so a render allocates at most some 13 MB. The shipped templates spend under 60; a
/// runaway loop is stopped within a fraction of a second.
pub const FUEL: u64 = 200_000;

/// The most text one render may write: a letter of a megabyte is already no letter.
pub const MAX_OUTPUT: usize = 1_000_000;

/// How deeply loops, includes and macros may nest (an include or a macro call counts several levels):
/// enough for any letter, and far from the stack's end, so a macro that calls itself forever stops.
pub const MAX_NESTING: usize = 100;

/// The compiled templates of a rules directory.
pub struct Templates {
    env: Environment<'static>,
    dir: PathBuf,
    /// Templates whose files exist but failed to compile: already reported, so references to them
    /// must not add a "not found".
    broken: Vec<String>,
}

/// Why a template could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The template failed: an unknown variable, a bad filter argument, ...; `template` is its file
    /// (or the subject template's text) and `line` the line in it.
    #[error("{template}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Render {
        /// The template file, or the template's text when it has no file.
        template: String,
        /// The line in the template, when known.
        line: Option<usize>,
        /// What went wrong, on one line.
        message: String,
    },
}

impl Templates {
    /// Compiles every `*.txt` under `dir`, returning the problems found. A missing directory means no
    /// templates, which is an error only where a rule names one.
    pub fn load(dir: &Path) -> (Templates, Vec<Diagnostic>) {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_debug(true);
        env.set_fuel(Some(FUEL));
        env.set_recursion_limit(MAX_NESTING);
        env.set_auto_escape_callback(|name| if is_html(name) { AutoEscape::Html } else { AutoEscape::None });
        env.set_formatter(write_value);
        let mut syntax = minijinja::syntax::SyntaxConfig::builder();
        if let Ok(config) = syntax.keep_trailing_newline(true).build() {
            env.set_syntax(config);
        }
        let mut templates = Templates { env, dir: dir.to_owned(), broken: Vec::new() };
        let mut diagnostics = Vec::new();
        // The built-in letters first, so that the office's own files of the same names replace them.
        for letter in crate::letters::built_in() {
            if let Err(e) = templates.env.add_template(letter.name, letter.source) {
                diagnostics.push(Diagnostic::whole_file(
                    templates.file(letter.name),
                    format!("the built-in letter does not compile (a bug in clerk): {}", describe(&e)),
                ));
            }
        }
        let mut files = Vec::new();
        if dir.is_dir() {
            collect_files(dir, &mut files, &mut diagnostics);
        }
        files.sort();
        for file in files {
            templates.add_file(&file, &mut diagnostics);
        }
        (templates, diagnostics)
    }

    fn add_file(&mut self, file: &Path, diagnostics: &mut Vec<Diagnostic>) {
        let Some(name) = template_name(&self.dir, file) else {
            diagnostics.push(Diagnostic::whole_file(file, "not a template: template files end in `.txt`"));
            return;
        };
        let source = match fs::read(file).map(String::from_utf8) {
            Ok(Ok(source)) => source,
            Ok(Err(_)) => {
                diagnostics.push(Diagnostic::whole_file(file, "not UTF-8 text"));
                return;
            }
            Err(e) => {
                diagnostics.push(Diagnostic::whole_file(file, format!("cannot read: {e}")));
                return;
            }
        };
        let lines = LineIndex::new(&source);
        if let Err(e) = self.env.add_template_owned(name.clone(), source.clone()) {
            diagnostics.push(diagnostic(file, &source, &lines, &e));
            self.broken.push(name);
        }
    }

    /// Gives every later render `fuel` instead of [`FUEL`], to show what the templates need.
    #[cfg(test)]
    pub(crate) fn limit_fuel(&mut self, fuel: u64) {
        self.env.set_fuel(Some(fuel));
    }

    /// Whether a template file of this name exists (it may have failed to compile, which was reported
    /// when loading).
    pub fn contains(&self, name: &str) -> bool {
        self.env.get_template(name).is_ok() || self.broken.iter().any(|broken| broken == name)
    }

    /// The names of all templates, for suggestions.
    pub fn names(&self) -> Vec<&str> {
        self.env.templates().map(|(name, _)| name).collect()
    }

    /// The file a template name stands for.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.txt"))
    }

    /// Renders the template `name`.
    pub fn render(&self, name: &str, context: &TemplateContext<'_>) -> Result<String, TemplateError> {
        let template = self.env.get_template(name).map_err(|e| self.error(&e))?;
        render_bounded(&template, context).map_err(|stopped| self.stopped(name, stopped))
    }

    fn stopped(&self, name: &str, stopped: Stopped) -> TemplateError {
        match stopped {
            Stopped::Failed(e) => self.error(&e),
            Stopped::TooLong => TemplateError::Render {
                template: self.file(name).display().to_string(),
                line: None,
                message: TOO_LONG.to_owned(),
            },
        }
    }

    /// Renders the letter `name` (`letters/NAME`) in `language`: the office's or the built-in
    /// `letters/NAME.LANG` where there is one, else `letters/NAME`.
    pub fn letter(
        &self,
        name: &str,
        language: Language,
        context: &impl Serialize,
    ) -> Result<String, TemplateError> {
        let translated = format!("letters/{name}.{}", language.code());
        let name =
            if self.env.get_template(&translated).is_ok() { translated } else { format!("letters/{name}") };
        let template = self.env.get_template(&name).map_err(|e| self.error(&e))?;
        render_bounded(&template, context).map_err(|stopped| self.stopped(&name, stopped))
    }

    /// Renders a template given as text, such as a reply's `subject`.
    pub fn render_str(&self, source: &str, context: &TemplateContext<'_>) -> Result<String, TemplateError> {
        let rendered = self.env.template_from_str(source).map_err(Stopped::Failed);
        rendered.and_then(|template| render_bounded(&template, context)).map_err(|stopped| {
            TemplateError::Render {
                template: format!("template {source:?}"),
                line: None,
                message: match stopped {
                    Stopped::Failed(e) => describe(&e),
                    Stopped::TooLong => TOO_LONG.to_owned(),
                },
            }
        })
    }

    /// Compiles a template given as text, to find syntax errors at load time.
    pub(crate) fn check_source(&self, source: &str) -> Result<(), String> {
        self.env.template_from_str(source).map(drop).map_err(|e| describe(&e))
    }

    /// Renders every template in each context clerk renders it in (`uses`, from the rules: a reply
    /// knows no ticket, an inquiry answer has one), against `sample` (see [`sample_message`]); a template
    /// no rule names (an included part, or one not used yet) against every value there is; and each
    /// letter against a sample of what it is given. So an unknown variable or a failing filter refuses
    /// the rule set when it loads rather than when a customer writes.
    pub fn check_all(&self, sample: &Message, office: &Office, uses: &Uses) -> Vec<Diagnostic> {
        let everything = TemplateContext::new(sample, office, "(check)")
            .with_ticket(sample_ticket())
            .with_reading(SAMPLE_READING.to_owned());
        let mut names = self.names();
        names.sort_unstable();
        let mut found = Vec::new();
        for name in names {
            let Ok(template) = self.env.get_template(name) else { continue };
            let letter = crate::letters::built_in().find(|letter| letter.name == name);
            let renders: Vec<(Result<String, Stopped>, Option<&Use>)> = match (letter, uses.of(name)) {
                (Some(letter), _) => vec![(render_bounded(&template, &(letter.sample)()), None)],
                (None, []) => vec![(render_bounded(&template, &everything), None)],
                (None, used) => used
                    .iter()
                    .map(|used| (render_bounded(&template, &used.sample(sample, office)), Some(used)))
                    .collect(),
            };
            for (rendered, used) in renders {
                let Err(stopped) = rendered else { continue };
                let mut diagnostic = match stopped {
                    Stopped::Failed(error) => {
                        // A failing include is reported where it fails, in the included file.
                        let error = innermost(&error);
                        let file = self.file(error.name().unwrap_or(name));
                        let source = error.template_source().unwrap_or_default();
                        diagnostic(&file, source, &LineIndex::new(source), error)
                    }
                    Stopped::TooLong => Diagnostic::whole_file(self.file(name), TOO_LONG),
                };
                if let Some(used) = used {
                    diagnostic.message = format!("{} ({used})", diagnostic.message);
                }
                // A part included by several templates fails once for each; once is enough to fix it.
                let at = |d: &Diagnostic| (d.file.clone(), d.line, d.col);
                if !found.iter().any(|known| at(known) == at(&diagnostic)) {
                    found.push(diagnostic);
                }
            }
        }
        found
    }

    fn error(&self, e: &minijinja::Error) -> TemplateError {
        TemplateError::Render {
            template: e.name().map_or_else(String::new, |name| self.file(name).display().to_string()),
            line: e.line(),
            message: describe(e),
        }
    }
}

/// The error that `e` wraps deepest and that still names its template: for an include that failed,
/// the failure inside the included template.
fn innermost(e: &minijinja::Error) -> &minijinja::Error {
    let mut found = e;
    let mut cause = std::error::Error::source(e);
    while let Some(error) = cause {
        if let Some(inner) = error.downcast_ref::<minijinja::Error>()
            && inner.name().is_some()
        {
            found = inner;
        }
        cause = error.source();
    }
    found
}

/// Whether the template `name` writes HTML: its name ends in `-html` (before a language's `.LANG`),
/// as `letters/office/digest-html` and `letters/office/digest-html.it` do.
fn is_html(name: &str) -> bool {
    let name = match name.rsplit_once('.') {
        Some((stem, language)) if crate::language::is_known(language) => stem,
        _ => name,
    };
    name.ends_with("-html")
}

/// Writes a value into a template's output. In an HTML template, text is escaped as clerk escapes
/// HTML everywhere (`&`, `<`, `>` and `"`, see [`html_escape`]), so a value reads the same in a
/// letter's HTML part as in the HTML clerk writes in code; everything else is written as minijinja
/// writes it.
fn write_value(
    out: &mut Output<'_>,
    state: &mut State<'_, '_>,
    value: &Value,
) -> Result<(), minijinja::Error> {
    match (state.auto_escape(), value.as_str()) {
        (AutoEscape::Html, Some(text)) if !value.is_safe() => {
            std::fmt::Write::write_str(out, &html_escape(text)).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// Why a bounded render stopped.
enum Stopped {
    /// minijinja's error: the template failed, or ran out of fuel or nesting.
    Failed(minijinja::Error),
    /// It wrote more than [`MAX_OUTPUT`].
    TooLong,
}

/// What a render stopped at [`MAX_OUTPUT`] says.
const TOO_LONG: &str = "the text passed 1 MB and was stopped (the output limit of a template): \
                        look for a loop that runs too long";

/// Renders `template` within [`FUEL`] (set on the environment) and [`MAX_OUTPUT`].
fn render_bounded(
    template: &minijinja::Template<'_, '_>,
    context: &impl Serialize,
) -> Result<String, Stopped> {
    let mut output = Bounded { text: Vec::new(), full: false };
    let rendered = template.render_captured_to(Serde(context), &mut output);
    match rendered {
        Ok(_) => Ok(String::from_utf8(output.text)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())),
        Err(_) if output.full => Err(Stopped::TooLong),
        Err(e) => Err(Stopped::Failed(e)),
    }
}

/// A render's output that refuses to grow past [`MAX_OUTPUT`]; minijinja writes whole strings, so what
/// is kept stays UTF-8.
struct Bounded {
    text: Vec<u8>,
    /// A write was refused.
    full: bool,
}

impl io::Write for Bounded {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.text.len().saturating_add(bytes.len()) > MAX_OUTPUT {
            self.full = true;
            return Err(io::Error::other("the output limit is reached"));
        }
        self.text.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What clerk read a message to ask, as a forward's note sees it, for the same check.
const SAMPLE_READING: &str = "clerk read: inquiry (80%: \"when are you open\")";

/// Where clerk renders one of the office's templates, which decides what the template is given: a
/// rule's `reply` and a forward's `note` belong to no ticket, while the inquiry desk's answers and
/// acknowledgments always have one. `clerk check` renders each template in each of its uses, so that a
/// `{{ ticket.number }}` in a plain reply is refused before the first message it would fail on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Use {
    /// The body of rule `rule`'s `reply`: the message, the office and the rule.
    Reply { rule: String },
    /// The `note` of rule `rule`'s `forward`: the message, the office, the rule and `reading`.
    ForwardNote { rule: String },
    /// The inquiry desk's `answer` of rule `rule` (or a translation of it): the message, the office,
    /// the rule and the ticket.
    Answer { rule: String },
    /// The inquiry desk's acknowledgment of a new ticket (or a translation of it): the message, the
    /// office, the rule and the ticket.
    Acknowledgment,
}

impl Use {
    /// A sample of what the template is given in this use.
    fn sample<'a>(&'a self, message: &'a Message, office: &'a Office) -> TemplateContext<'a> {
        match self {
            Use::Reply { rule } => TemplateContext::new(message, office, rule),
            Use::ForwardNote { rule } => {
                TemplateContext::new(message, office, rule).with_reading(SAMPLE_READING.to_owned())
            }
            Use::Answer { rule } => TemplateContext::new(message, office, rule).with_ticket(sample_ticket()),
            Use::Acknowledgment => {
                TemplateContext::new(message, office, "(check)").with_ticket(sample_ticket())
            }
        }
    }

    /// Uses that give a template the same values; one of them is enough to render.
    fn same_values(&self, other: &Use) -> bool {
        matches!(
            (self, other),
            (Use::Reply { .. }, Use::Reply { .. })
                | (Use::ForwardNote { .. }, Use::ForwardNote { .. })
                | (Use::Answer { .. } | Use::Acknowledgment, Use::Answer { .. } | Use::Acknowledgment)
        )
    }
}

impl std::fmt::Display for Use {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Use::Reply { rule } => write!(
                f,
                "as the reply of rule {rule:?}, which is given `message`, `office` and `rule`, and no ticket"
            ),
            Use::ForwardNote { rule } => write!(
                f,
                "as the forward note of rule {rule:?}, which is given `message`, `office`, `rule` and \
                 `reading`, and no ticket"
            ),
            Use::Answer { rule } => write!(
                f,
                "as the inquiry desk's answer in rule {rule:?}, which is given `message`, `office`, `rule` \
                 and `ticket`"
            ),
            Use::Acknowledgment => f.write_str(
                "as the inquiry desk's acknowledgment, which is given `message`, `office`, `rule` and `ticket`",
            ),
        }
    }
}

/// Each template's uses, by template name, as the rules make them; one use per kind of values.
#[derive(Debug, Default)]
pub struct Uses(BTreeMap<String, Vec<Use>>);

impl Uses {
    /// Notes that template `name` is rendered as `used`.
    pub fn add(&mut self, name: &str, used: Use) {
        let uses = self.0.entry(name.to_owned()).or_default();
        if !uses.iter().any(|known| known.same_values(&used)) {
            uses.push(used);
        }
    }

    /// The uses of template `name`; none for a template no rule names.
    pub fn of(&self, name: &str) -> &[Use] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }
}

/// A ticket with every part filled in, for the same check: a template the inquiry desk renders may
/// use `ticket`.
pub fn sample_ticket() -> TicketContext {
    TicketContext {
        number: "1042-9".into(),
        tag: "[#1042-9]".into(),
        department: "front-desk".into(),
        due: "Monday 7 December, 12:00".into(),
        priority: "normal".into(),
    }
}

/// A message with every part a template can use filled in, to render templates against before any
/// real mail arrives.
pub fn sample_message() -> Message {
    use crate::mail::message::{Address, Attachment};
    let person = |name: &str, email: &str| Address { name: Some(name.into()), email: email.into() };
    Message {
        from: vec![person("Anna Verdi", "anna.verdi@example.com")],
        to: vec![person("Office", "assistant@office.example")],
        cc: vec![person("Marco Neri", "marco.neri@example.com")],
        subject: "Opening hours".into(),
        date: chrono::DateTime::parse_from_rfc2822("Mon, 23 Nov 2026 09:30:00 +0100").ok(),
        message_id: Some("sample.1@example.com".into()),
        text: "Good morning, when are you open on Saturday?\n\nAnna".into(),
        attachments: vec![Attachment {
            name: "map.pdf".into(),
            content_type: "application/pdf".into(),
            size: 48_213,
        }],
        ..Message::default()
    }
}

/// One line for a minijinja error: its kind and detail, or the failing expression when there is no
/// detail.
fn describe(e: &minijinja::Error) -> String {
    if let Some(limit) = limit_reached(e) {
        return limit;
    }
    let kind = e.kind();
    if let Some(detail) = e.detail() {
        return format!("{kind}: {detail}");
    }
    let expression = e
        .range()
        .and_then(|range| e.template_source()?.get(range))
        .filter(|expr| !expr.is_empty() && !expr.contains('\n'));
    match expression {
        Some(expression) => format!("{kind} (in `{expression}`)"),
        None => kind.to_string(),
    }
}

/// What a render stopped by fuel or nesting says, whether `e` is that stop or the failing include
/// around it.
fn limit_reached(e: &minijinja::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = cause {
        if let Some(e) = error.downcast_ref::<minijinja::Error>() {
            match e.kind() {
                minijinja::ErrorKind::OutOfFuel => {
                    return Some(format!(
                        "the template ran out of fuel: it did more work than any letter needs ({FUEL} steps) \
                         and was stopped; look for a loop that runs too long or a text multiplied up"
                    ));
                }
                minijinja::ErrorKind::InvalidOperation if e.detail() == Some("recursion limit exceeded") => {
                    return Some(format!(
                        "loops, includes and macros nest deeper than {MAX_NESTING} levels (a macro or \
                         include that calls itself?) and the template was stopped"
                    ));
                }
                _ => {}
            }
        }
        cause = error.source();
    }
    None
}

fn diagnostic(file: &Path, source: &str, lines: &LineIndex, e: &minijinja::Error) -> Diagnostic {
    let (line, col) = match e.range() {
        Some(range) => lines.position(source, range.start),
        None => (e.line().unwrap_or(1), 1),
    };
    Diagnostic { file: file.to_owned(), line, col, message: describe(e) }
}

/// Files under `dir`, recursively, skipping hidden files and editor backups (`.ack.txt.swp`,
/// `ack.txt~`), which are not meant to be templates.
fn collect_files(dir: &Path, files: &mut Vec<PathBuf>, diagnostics: &mut Vec<Diagnostic>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diagnostics.push(Diagnostic::whole_file(dir, format!("cannot read: {e}")));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, files, diagnostics);
        } else {
            files.push(path);
        }
    }
}

/// `dir/faq/opening-hours.txt` → `faq/opening-hours`.
fn template_name(dir: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(dir).ok()?;
    let parts: Option<Vec<&str>> = relative.iter().map(|part| part.to_str()).collect();
    let joined = parts?.join("/");
    joined.strip_suffix(".txt").map(str::to_owned)
}

/// Checks a template name written in a rule: relative, inside `templates/`, without `.txt`.
pub(crate) fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("a template name cannot be empty");
    }
    if name.starts_with('/') || name.contains('\\') || name.contains(':') {
        return Err("a template name is a relative path inside templates/, with `/` between folders");
    }
    if name.split('/').any(|part| part.is_empty() || part == "." || part == "..") {
        return Err("a template name must stay inside templates/: no `..`, `.` or empty parts");
    }
    if name.ends_with(".txt") {
        return Err("write the template name without `.txt`");
    }
    Ok(())
}

/// What a template sees: the message, the office and the rule. Desks add their own parts (ticket,
/// order, event) as they come.
#[derive(Debug, Serialize)]
pub struct TemplateContext<'a> {
    /// `message`: the mail being answered.
    pub message: MessageContext<'a>,
    /// `office`: who answers.
    pub office: OfficeContext<'a>,
    /// `rule`: which rule decided.
    pub rule: RuleContext<'a>,
    /// `ticket`: the inquiry desk's ticket the mail belongs to; undefined outside the desk, so a
    /// template that asks for it where there is none fails (and `clerk check` says so).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<TicketContext>,
    /// `reading`: one line on what clerk read the message to ask, with the evidence ("clerk read:
    /// meeting-request (56%: \"call\")"); only in a forward's note, for the person who decides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
}

/// `ticket` in templates: `Your request {{ ticket.tag }} … by {{ ticket.due }}`.
#[derive(Debug, Clone, Serialize)]
pub struct TicketContext {
    /// `1042-9`: the number with its check digit.
    pub number: String,
    /// `[#1042-9]`, as subjects carry it.
    pub tag: String,
    /// The department's name, empty when none.
    pub department: String,
    /// When an answer is promised, in the office's words and time zone ("Monday 7 December, 12:00");
    /// empty when the ticket is already answered.
    pub due: String,
    /// low, normal, high or urgent.
    pub priority: String,
}

/// `message` in templates. Missing parts are empty strings rather than undefined, so a template never
/// fails because a sender left out a header.
#[derive(Debug, Serialize)]
pub struct MessageContext<'a> {
    pub from: AddressContext<'a>,
    /// The sender's display name, or the local part of the address if there is none.
    pub from_name: &'a str,
    pub to: Vec<AddressContext<'a>>,
    pub cc: Vec<AddressContext<'a>>,
    pub subject: &'a str,
    /// RFC 2822 date as the sender gave it; empty when missing.
    pub date: String,
    /// The readable body text.
    pub text: &'a str,
    pub message_id: &'a str,
    pub attachments: Vec<AttachmentContext<'a>>,
}

/// An address in templates: `{{ message.from.name }} <{{ message.from.email }}>`.
#[derive(Debug, Serialize)]
pub struct AddressContext<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

/// An attachment in templates.
#[derive(Debug, Serialize)]
pub struct AttachmentContext<'a> {
    pub name: &'a str,
    #[serde(rename = "type")]
    pub content_type: &'a str,
    pub size: usize,
}

/// `office` in templates.
#[derive(Debug, Serialize)]
pub struct OfficeContext<'a> {
    pub name: &'a str,
    pub timezone: &'a str,
    pub language: &'a str,
    pub assistant: PersonContext<'a>,
    /// Department name → its address: `{{ office.departments.accounts }}`.
    pub departments: BTreeMap<&'a str, &'a str>,
}

/// The assistant in templates: `{{ office.assistant.name }}`.
#[derive(Debug, Serialize)]
pub struct PersonContext<'a> {
    pub name: &'a str,
    pub address: &'a str,
}

/// `rule` in templates.
#[derive(Debug, Serialize)]
pub struct RuleContext<'a> {
    pub name: &'a str,
}

impl<'a> TemplateContext<'a> {
    /// The context for answering `message` by the rule `rule_name`.
    pub fn new(message: &'a Message, office: &'a Office, rule_name: &'a str) -> TemplateContext<'a> {
        let from = message.from.first();
        let from_name = from.map_or("", |address| {
            address
                .name
                .as_deref()
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| address.email.split('@').next().unwrap_or_default())
        });
        TemplateContext {
            message: MessageContext {
                from: from.map_or(AddressContext { name: "", email: "" }, address),
                from_name,
                to: message.to.iter().map(address).collect(),
                cc: message.cc.iter().map(address).collect(),
                subject: &message.subject,
                date: message.date.map(|d| d.to_rfc2822()).unwrap_or_default(),
                text: &message.text,
                message_id: message.message_id.as_deref().unwrap_or_default(),
                attachments: message
                    .attachments
                    .iter()
                    .map(|a| AttachmentContext { name: &a.name, content_type: &a.content_type, size: a.size })
                    .collect(),
            },
            office: OfficeContext {
                name: &office.name,
                timezone: office.timezone.name(),
                language: &office.language,
                assistant: PersonContext { name: &office.assistant.name, address: &office.assistant.address },
                departments: office
                    .departments
                    .iter()
                    .map(|(n, d)| (n.as_str(), d.address.as_str()))
                    .collect(),
            },
            rule: RuleContext { name: rule_name },
            ticket: None,
            reading: None,
        }
    }

    /// The same context with what clerk read the message to ask.
    pub fn with_reading(self, reading: String) -> TemplateContext<'a> {
        TemplateContext { reading: Some(reading), ..self }
    }

    /// The same context with the ticket the mail belongs to.
    pub fn with_ticket(self, ticket: TicketContext) -> TemplateContext<'a> {
        TemplateContext { ticket: Some(ticket), ..self }
    }
}

fn address(address: &Address) -> AddressContext<'_> {
    AddressContext { name: address.name.as_deref().unwrap_or_default(), email: &address.email }
}
