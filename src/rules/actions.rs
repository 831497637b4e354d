//! Reading a rule's actions (`desk` and its options, `reply`, `forward`, `move`, `flag`) and checking
//! every name they refer to: desks, templates, departments, addresses, folders, flags.
//!
//! ```toml
//! desk = "inquiry"                  # inquiry | meeting | supply; then the desk's options:
//! answer = "faq/opening-hours"      #   a template the desk may answer with
//! department = "front-desk"         #   a department of office.toml
//! calendar = "office"               #   the calendar to book into (a `[[calendar]]` of office.toml)
//! on_conflict = "decline"           #   an invitation for busy time: decline | tentative
//! accept_counter = false            #   take an attendee's proposed new time by itself when free
//! priority = "high"                 #   low | normal | high | urgent
//!
//! reply = "ack"                     # templates/ack.txt, or:
//! reply = { template = "ack", subject = "Re: {{ message.subject }}", cc = ["x@y.example"], every = "7d" }
//!
//! forward = "accounts@office.example"         # or a list, or:
//! forward = { to = ["a@x.example"], mode = "inline", note = "forward-note" }   # mode: attached (default) | inline
//!
//! move = "Vendors/Invoices"         # IMAP folder: not empty, one line, no `*` or `%`
//! flag = ["seen", "$Invoice"]       # seen | flagged | answered | a custom keyword (IMAP atom)
//! ```
//!
//! A rule needs at least one of `desk`, `reply`, `forward`, `move`, `flag`; the desk options need a
//! `desk`.

use std::cell::RefCell;

use super::rule::{Actions, Desk, DeskCall, Flag, Forward, ForwardMode, OnConflict, Reply};
use super::template::{TemplateContext, Templates, check_name, sample_message};
use crate::mail::pattern::check_address;
use crate::office::{Office, duration};
use crate::tickets::Priority;
use crate::toml_doc::{Diagnostic, Item, Reported, Table, did_you_mean};

/// The keys that make a rule do something.
pub(crate) const ACTION_KEYS: [&str; 5] = ["desk", "reply", "forward", "move", "flag"];

/// Options that only mean something to a desk.
const DESK_OPTIONS: [&str; 6] =
    ["answer", "department", "calendar", "priority", "on_conflict", "accept_counter"];

/// What actions are checked against.
pub(crate) struct Refs<'a> {
    /// `None` when office.toml itself failed: departments are then not checked, rather than all
    /// reported as unknown.
    pub office: Option<&'a Office>,
    pub templates: &'a Templates,
    pub warnings: &'a RefCell<Vec<Diagnostic>>,
    /// Whether the rules directory has a `catalog.toml` (read or not: a broken one is reported there).
    pub has_catalog: bool,
}

/// Reads the actions of a `[[rule]]` table.
pub(crate) fn parse_actions(rule: &Table<'_, '_>, refs: &Refs<'_>) -> Result<Actions, Reported> {
    let desk = rule.optional("desk", desk);
    let answer = rule.optional("answer", |item| template(item, refs));
    let department = rule.optional("department", |item| department(item, refs));
    let calendar = rule.optional("calendar", |item| calendar(item, refs));
    let on_conflict = rule.optional("on_conflict", on_conflict);
    let accept_counter = rule.optional("accept_counter", |item| item.expect_bool());
    let priority = rule.optional("priority", priority);
    let reply = rule.optional("reply", |item| reply(item, refs));
    let forward = rule.optional("forward", |item| forward(item, refs));
    let move_to = rule.optional("move", folder);
    let flags = rule.optional("flag", |item| flags(item, refs));

    let mut options_without_desk = false;
    if !rule.has("desk") {
        for option in DESK_OPTIONS {
            if let Some(item) = rule.get(option) {
                item.error(format!("`{option}` is an option of a desk, but this rule has no `desk`"));
                options_without_desk = true;
            }
        }
    }

    let (answer, department, calendar, priority) = (answer?, department?, calendar?, priority?);
    let (on_conflict, accept_counter) = (on_conflict?, accept_counter?);
    let desk = desk?.map(|desk| DeskCall {
        desk,
        answer,
        department,
        calendar,
        priority,
        on_conflict,
        accept_counter,
    });
    let actions = Actions {
        desk,
        reply: reply?,
        forward: forward?,
        move_to: move_to?,
        flags: flags?.unwrap_or_default(),
    };
    if options_without_desk {
        return Err(Reported);
    }
    if actions.desk.as_ref().is_some_and(|d| d.desk == Desk::Inquiry) && !inquiry_fits(rule, &actions, refs) {
        return Err(Reported);
    }
    let meeting = actions.desk.as_ref().is_some_and(|d| d.desk == Desk::Meeting);
    if meeting
        && let (Some(office), Some(item)) = (refs.office, rule.get("desk"))
        && office.calendars.is_empty()
    {
        item.error("the meeting desk books into a calendar: add a [[calendar]] to office.toml");
        return Err(Reported);
    }
    // The event desk answers the organiser itself, with its reading: a `reply` would be a second mail.
    let event = actions.desk.as_ref().is_some_and(|d| d.desk == Desk::Event);
    if event
        && actions.reply.is_some()
        && let Some(item) = rule.get("reply")
    {
        item.error("the event desk answers by itself with what it read: leave `reply` out");
        return Err(Reported);
    }
    let supply = actions.desk.as_ref().is_some_and(|d| d.desk == Desk::Supply);
    if supply
        && !refs.has_catalog
        && let Some(item) = rule.get("desk")
    {
        item.error("the supply desk orders from a catalog: add catalog.toml to the rules directory");
        return Err(Reported);
    }
    Ok(actions)
}

/// The inquiry desk answers by itself (an acknowledgment, or the rule's `answer`), so a `reply` beside
/// it would send the customer a second mail; and the acknowledgment template office.toml names must
/// exist.
fn inquiry_fits(rule: &Table<'_, '_>, actions: &Actions, refs: &Refs<'_>) -> bool {
    let mut fits = true;
    if actions.reply.is_some()
        && let Some(item) = rule.get("reply")
    {
        item.error(
            "the inquiry desk answers by itself: write `answer = \"…\"` for an answer it gives, or leave \
             `reply` out and it acknowledges the ticket",
        );
        fits = false;
    }
    if let (Some(office), Some(item)) = (refs.office, rule.get("desk"))
        && let Some(name) = &office.tickets.acknowledgment
        && !refs.templates.contains(name)
    {
        item.error(format!(
            "the inquiry desk acknowledges new tickets with templates/{name}.txt, which is missing \
             (`[tickets] acknowledgment` in office.toml names it)"
        ));
        fits = false;
    }
    fits
}

/// Reports an unknown name with the close valid one ("unknown desk `suply`, did you mean `supply`?"),
/// or the list of valid names when none is close.
fn unknown(item: &Item<'_, '_>, what: &str, name: &str, valid: &[&str]) {
    let hint = match did_you_mean(name, valid.iter().copied()) {
        Some(close) => format!(", did you mean `{close}`?"),
        None if valid.is_empty() => String::new(),
        None => format!(" (one of: {})", valid.join(", ")),
    };
    item.error(format!("unknown {what} `{name}`{hint}"));
}

fn desk(item: &Item<'_, '_>) -> Option<Desk> {
    let name = item.expect_str()?;
    let desk = Desk::from_name(name);
    if desk.is_none() {
        unknown(item, "desk", name, &Desk::ALL.map(Desk::name));
    }
    desk
}

fn priority(item: &Item<'_, '_>) -> Option<Priority> {
    let name = item.expect_str()?;
    let priority = Priority::from_name(name);
    if priority.is_none() {
        unknown(item, "priority", name, &Priority::NAMES);
    }
    priority
}

fn on_conflict(item: &Item<'_, '_>) -> Option<OnConflict> {
    let name = item.expect_str()?;
    let choice = OnConflict::from_name(name);
    if choice.is_none() {
        unknown(item, "on_conflict choice", name, &OnConflict::NAMES);
    }
    choice
}

/// A calendar of office.toml's `[[calendar]]` tables.
fn calendar(item: &Item<'_, '_>, refs: &Refs<'_>) -> Option<String> {
    let name = item.expect_str()?;
    if let Some(office) = refs.office
        && !office.calendars.iter().any(|c| c.name == name)
    {
        let names: Vec<&str> = office.calendars.iter().map(|c| c.name.as_str()).collect();
        unknown(item, "calendar", name, &names);
        return None;
    }
    Some(name.to_owned())
}

/// A reference to a template, which must exist.
fn template(item: &Item<'_, '_>, refs: &Refs<'_>) -> Option<String> {
    let name = item.expect_str()?;
    if let Err(reason) = check_name(name) {
        item.error(format!("bad template name `{name}`: {reason}"));
        return None;
    }
    if refs.templates.contains(name) {
        return Some(name.to_owned());
    }
    let file = refs.templates.file(name);
    let hint = did_you_mean(name, refs.templates.names())
        .map(|close| format!(", did you mean `{close}`?"))
        .unwrap_or_default();
    item.error(format!("template `{name}` not found (no file {}){hint}", file.display()));
    None
}

fn department(item: &Item<'_, '_>, refs: &Refs<'_>) -> Option<String> {
    let name = item.expect_str()?;
    if let Some(office) = refs.office
        && !office.departments.contains_key(name)
    {
        let names: Vec<&str> = office.departments.keys().map(String::as_str).collect();
        unknown(item, "department", name, &names);
        return None;
    }
    Some(name.to_owned())
}

/// One address or a list of them, each a bare mailbox.
fn addresses(item: &Item<'_, '_>) -> Option<Vec<String>> {
    let strings = item.strings()?;
    if strings.is_empty() {
        item.error(format!("`{}` is an empty list", item.path()));
        return None;
    }
    let checked: Vec<Option<String>> = strings
        .iter()
        .map(|address| match check_address(address.get_ref()) {
            Ok(()) => Some(address.get_ref().to_string()),
            Err(e) => {
                item.doc().error(address.span(), e.to_string());
                None
            }
        })
        .collect();
    checked.into_iter().collect()
}

/// `reply = "ack"` or `reply = { template = "ack", subject = "…", cc = [...], every = "7d" }`.
fn reply(item: &Item<'_, '_>, refs: &Refs<'_>) -> Option<Reply> {
    if item.as_str().is_some() {
        return Some(Reply { template: template(item, refs)?, subject: None, cc: Vec::new(), every: None });
    }
    let Some(table) = item.as_table() else {
        item.type_error("a template name or a table like { template = \"ack\", every = \"7d\" }");
        return None;
    };
    let template_name = table.optional("template", |item| template(item, refs));
    if !table.has("template") {
        table.missing("template");
    }
    let subject = table.optional("subject", |item| subject(item, refs));
    let cc = table.optional("cc", addresses);
    let every = table.optional("every", |item| {
        let every = duration(item)?;
        if let Some(limit) = refs.office.map(|office| office.replies.limit).filter(|&limit| every < limit) {
            let warning = format!(
                "`every` is shorter than the office's reply limit ({}, `[replies] limit` in office.toml) \
                 and has no effect: a rule can only lengthen it",
                crate::units::humanize(limit)
            );
            refs.warnings.borrow_mut().push(item.doc().diagnostic(item.span(), warning));
        }
        Some(every)
    });
    Some(Reply {
        template: template_name.ok().flatten()?,
        subject: subject.ok()?,
        cc: cc.ok()?.unwrap_or_default(),
        every: every.ok()?,
    })
}

/// A subject template: compiled now to report its syntax errors with the rule.
fn subject(item: &Item<'_, '_>, refs: &Refs<'_>) -> Option<String> {
    let source = item.expect_str()?;
    if let Err(e) = refs.templates.check_source(source) {
        item.error(format!("bad subject template: {e}"));
        return None;
    }
    if let Some(office) = refs.office {
        let sample = sample_message();
        match refs.templates.render_str(source, &TemplateContext::new(&sample, office, "(check)")) {
            Err(e) => {
                item.error(format!("the subject template fails on a sample message: {e}"));
                return None;
            }
            Ok(subject) if subject.contains(['\r', '\n']) => {
                item.error("a subject must be one line: this template writes a line break");
                return None;
            }
            Ok(_) => {}
        }
    }
    Some(source.to_owned())
}

/// `forward = "a@x"`, a list, or `{ to = [...], mode = "attached" | "inline", note = "template" }`.
fn forward(item: &Item<'_, '_>, refs: &Refs<'_>) -> Option<Forward> {
    let Some(table) = item.as_table() else {
        if item.as_str().is_none() && item.as_array().is_none() {
            item.type_error(
                "an address, a list of addresses, or a table like { to = [...], mode = \"inline\" }",
            );
            return None;
        }
        return Some(Forward { to: addresses(item)?, mode: ForwardMode::default(), note: None });
    };
    let to = table.optional("to", addresses);
    if !table.has("to") {
        table.missing("to");
    }
    let mode = table.optional("mode", |item| match item.expect_str()? {
        "attached" => Some(ForwardMode::Attached),
        "inline" => Some(ForwardMode::Inline),
        other => {
            unknown(item, "forward mode", other, &["attached", "inline"]);
            None
        }
    });
    let note = table.optional("note", |item| template(item, refs));
    Some(Forward { to: to.ok().flatten()?, mode: mode.ok()?.unwrap_or_default(), note: note.ok()? })
}

/// An IMAP folder name to move to: not empty, one line, and no LIST wildcards (`*`, `%`), which would
/// make the name mean several folders.
fn folder(item: &Item<'_, '_>) -> Option<String> {
    let name = item.expect_str()?;
    let problem = if name.trim().is_empty() {
        Some("cannot be empty")
    } else if name.chars().any(char::is_control) {
        Some("cannot contain line breaks or control characters")
    } else if name.contains(['*', '%']) {
        Some("cannot contain `*` or `%`")
    } else {
        None
    };
    match problem {
        Some(problem) => {
            item.error(format!("folder name `{}` {problem}", name.escape_debug()));
            None
        }
        None => Some(name.to_owned()),
    }
}

/// `flag = "flagged"` or a list: the system flags by name, anything else a custom keyword.
fn flags(item: &Item<'_, '_>, refs: &Refs<'_>) -> Option<Vec<Flag>> {
    const SYSTEM: [&str; 3] = ["seen", "flagged", "answered"];
    let names = item.strings()?;
    let mut flags = Vec::new();
    let mut ok = true;
    for name in &names {
        let text = *name.get_ref();
        let flag = match text.to_ascii_lowercase().as_str() {
            "seen" => Flag::Seen,
            "flagged" => Flag::Flagged,
            "answered" => Flag::Answered,
            _ if is_atom(text) => {
                if let Some(close) = did_you_mean(&text.to_ascii_lowercase(), SYSTEM) {
                    let warning =
                        format!("`{text}` will be set as a custom keyword; did you mean `{close}`?");
                    refs.warnings.borrow_mut().push(item.doc().diagnostic(name.span(), warning));
                }
                Flag::Keyword(text.to_owned())
            }
            _ => {
                item.doc().error(
                    name.span(),
                    format!(
                        "`{}` is not a flag: use seen, flagged, answered, or a keyword of printable ASCII \
                         without spaces or any of ( ) {{ % * \" \\ ]",
                        text.escape_debug()
                    ),
                );
                ok = false;
                continue;
            }
        };
        flags.push(flag);
    }
    ok.then_some(flags)
}

/// An IMAP atom (RFC 3501): printable ASCII without specials, and not a `\` system flag.
fn is_atom(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_graphic() && !b"(){%*\"\\]".contains(&b))
}
