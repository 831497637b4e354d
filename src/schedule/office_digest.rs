//! The `digest` job: an email to the office's owners saying what clerk handled since the last digest
//! (per desk and rule), which messages failed, what waits for a person (mail held or refused in the
//! outbox), the tickets waiting for an answer by department and age, what clerk answered itself and
//! how customers rated the answers, and the day's agenda of each calendar. Plain text for every client, with a simple HTML
//! alternative.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use crate::calendar::agenda::{Days, line};
use crate::mail::compose::{self, Identity, Notice, OutboundMail, html_escape};
use crate::mail::message::Address;
use crate::rules::RuleSet;
use crate::store::{Store, StoreError};

/// How many failed messages the digest lists by name.
const FAILED_LISTED: usize = 20;

/// What one digest reports.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Contents {
    /// (desk, rule, count), most first.
    handled: Vec<(String, String, i64)>,
    /// (sender, subject, error) of messages that failed.
    failed: Vec<(String, String, String)>,
    held: usize,
    refused: usize,
    /// Lines about the inquiry desk's tickets; none for an office that has had no ticket.
    tickets: Option<Vec<String>>,
    /// Lines about the supply cupboard; none for an office without catalog.toml.
    supply: Option<Vec<String>>,
    /// Without `[[calendar]]`s, none.
    agenda: Option<DayAgenda>,
}

/// The calendars' agenda for the day a digest runs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DayAgenda {
    day: String,
    /// (calendar, a line per event that day).
    calendars: Vec<(String, Vec<String>)>,
}

/// The digest for the slot `slot` of the schedule `name`, covering `since`..`slot` (unix seconds), or
/// `None` when the office has no owner to send it to.
pub fn mail(
    rules: &RuleSet,
    store: &Store,
    name: &str,
    since: i64,
    slot: i64,
) -> Result<Option<Result<OutboundMail, compose::ComposeError>>, StoreError> {
    let office = &rules.office;
    if office.owners.is_empty() {
        return Ok(None);
    }
    let unsent = store.unsent_mail()?;
    let contents = Contents {
        handled: store.handled_per_rule(since)?,
        failed: store
            .failed_messages(FAILED_LISTED)?
            .into_iter()
            .filter(|m| m.seen_at >= since)
            .map(|m| (m.sender.unwrap_or_default(), m.subject, m.error.unwrap_or_default()))
            .collect(),
        held: unsent.iter().filter(|m| m.status == "uncertain").count(),
        refused: unsent.iter().filter(|m| m.status == "failed").count(),
        tickets: ticket_lines(store, since, slot)?,
        supply: match &rules.catalog {
            Some(catalog) => Some(crate::reports::stock::digest(store, catalog, office, slot)?),
            None => None,
        },
        agenda: agenda(rules, store, slot)?,
    };
    let local =
        |t: i64| crate::units::local_time(office.timezone, t, "%a %-d %b %Y %H:%M").unwrap_or_default();
    let (from, to) = (local(since), local(slot));
    let identity =
        Identity { name: office.assistant.name.clone(), address: office.assistant.address.clone() };
    let domain = office.assistant.address.rsplit('@').next().unwrap_or("localhost");
    let notice = Notice {
        from: &identity,
        to: office
            .owners
            .iter()
            .map(|p| Address { name: Some(p.name.clone()), email: p.address.clone() })
            .collect(),
        subject: format!("{}: what clerk did since {from}", office.name),
        text: text(&office.name, &from, &to, &contents),
        html: html(&office.name, &from, &to, &contents),
        message_id: compose::message_id(format!("schedule\0{name}\0{slot}").as_bytes(), domain),
        date: DateTime::<Utc>::from_timestamp(slot, 0).unwrap_or_else(Utc::now),
        loop_header_value: office.assistant.address.clone(),
    };
    Ok(Some(compose::notice(&notice)))
}

/// The tickets: how many wait for an answer per department, the oldest and how many are overdue; how
/// many clerk answered itself since `since`; the ratings given since then.
fn ticket_lines(store: &Store, since: i64, slot: i64) -> Result<Option<Vec<String>>, StoreError> {
    if store.highest_ticket()?.is_none() {
        return Ok(None);
    }
    let open = store.tickets(true, None)?;
    let mut lines = vec![format!("Tickets waiting for an answer: {}", open.len())];
    let mut departments: Vec<&str> = open.iter().map(|t| t.department.as_deref().unwrap_or("-")).collect();
    departments.sort_unstable();
    departments.dedup();
    for department in departments {
        let of: Vec<_> =
            open.iter().filter(|t| t.department.as_deref().unwrap_or("-") == department).collect();
        let oldest = of.iter().map(|t| t.opened_at).min().unwrap_or(slot);
        let overdue = of.iter().filter(|t| t.due_at.is_some_and(|due| due < slot)).count();
        let name = if department == "-" { "no department" } else { department };
        lines.push(format!(
            "  {name}: {}, the oldest opened {} ago, {overdue} overdue",
            of.len(),
            crate::units::humanize_roughly(slot - oldest)
        ));
    }
    lines.push(format!("Answered by clerk itself: {}", store.answered_by_clerk_since(since)?));
    for (department, good, ok, bad) in store.ratings_since(since)? {
        let name = if department == "-" { "no department".to_owned() } else { department };
        lines.push(format!("Rated answers, {name}: {good} good, {ok} ok, {bad} bad"));
    }
    Ok(Some(lines))
}

/// The agenda of every calendar for the local day `slot` falls on; `None` without calendars. A series
/// that cannot be expanded, or is cut at a limit, is said in a `note:` line instead of stopping the
/// digest.
fn agenda(rules: &RuleSet, store: &Store, slot: i64) -> Result<Option<DayAgenda>, StoreError> {
    let office = &rules.office;
    if office.calendars.is_empty() {
        return Ok(None);
    }
    let at = DateTime::<Utc>::from_timestamp(slot, 0).unwrap_or_else(Utc::now);
    let day = at.with_timezone(&office.timezone).format("%a %-d %b %Y").to_string();
    let mut calendars = Vec::new();
    for calendar in &office.calendars {
        let zone = calendar.policy.timezone;
        let local_day = at.with_timezone(&zone).date_naive();
        let window = Days::window(zone, local_day, local_day);
        let days = Days::of(store.events(&calendar.name, window.0, window.1)?, window);
        let expansion = days.expand();
        let mut lines: Vec<String> = expansion.occurrences.iter().map(|o| line(o, zone)).collect();
        if lines.is_empty() {
            lines.push("nothing booked".to_owned());
        }
        lines.extend(expansion.cuts.iter().map(|cut| format!("note: {cut}")));
        calendars.push((calendar.name.clone(), lines));
    }
    Ok(Some(DayAgenda { day, calendars }))
}

fn text(office: &str, from: &str, to: &str, c: &Contents) -> String {
    let total: i64 = c.handled.iter().map(|h| h.2).sum();
    let mut out = format!("{office}: clerk's digest, {from} to {to}\n\nHandled: {total} message(s)\n");
    for (desk, rule, count) in &c.handled {
        let desk = if desk == "-" { "no desk".to_string() } else { format!("desk {desk}") };
        let _ = writeln!(out, "  {count:>5}  {desk}, rule {rule}");
    }
    out.push_str(if c.failed.is_empty() { "\nFailed: none\n" } else { "\nFailed:\n" });
    for (sender, subject, error) in &c.failed {
        let _ = writeln!(out, "  {sender} \"{subject}\": {error}");
    }
    let _ = writeln!(
        out,
        "\nWaiting for a person: {} mail(s) held in the outbox, {} refused (see `clerk outbox`)",
        c.held, c.refused
    );
    for lines in [&c.tickets, &c.supply].into_iter().flatten() {
        out.push('\n');
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
    if let Some(DayAgenda { day, calendars }) = &c.agenda {
        let _ = writeln!(out, "\nAgenda for {day}:");
        for (calendar, lines) in calendars {
            let _ = writeln!(out, "  {calendar}");
            for line in lines {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    out
}

fn html(office: &str, from: &str, to: &str, c: &Contents) -> String {
    let total: i64 = c.handled.iter().map(|h| h.2).sum();
    let mut out = format!(
        "<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif\">\n<h2>{}: clerk's digest</h2>\n<p>{} to {}</p>\n\
         <h3>Handled: {total} message(s)</h3>\n<table>\n",
        html_escape(office),
        html_escape(from),
        html_escape(to)
    );
    for (desk, rule, count) in &c.handled {
        let desk = if desk == "-" { "no desk".to_string() } else { format!("desk {desk}") };
        let _ = writeln!(
            out,
            "<tr><td align=\"right\">{count}</td><td>{}, rule {}</td></tr>",
            html_escape(&desk),
            html_escape(rule)
        );
    }
    out.push_str("</table>\n<h3>Failed</h3>\n");
    if c.failed.is_empty() {
        out.push_str("<p>none</p>\n");
    } else {
        out.push_str("<ul>\n");
        for (sender, subject, error) in &c.failed {
            let _ = writeln!(
                out,
                "<li>{} &ldquo;{}&rdquo;: {}</li>",
                html_escape(sender),
                html_escape(subject),
                html_escape(error)
            );
        }
        out.push_str("</ul>\n");
    }
    let _ = write!(
        out,
        "<h3>Waiting for a person</h3>\n<p>{} mail(s) held in the outbox, {} refused (see <code>clerk outbox</code>)</p>\n",
        c.held, c.refused
    );
    for (title, lines) in [("Tickets", &c.tickets), ("Supplies", &c.supply)] {
        let Some(lines) = lines else { continue };
        let _ = writeln!(out, "<h3>{title}</h3>\n<pre>");
        for line in lines {
            let _ = writeln!(out, "{}", html_escape(line));
        }
        out.push_str("</pre>\n");
    }
    if let Some(DayAgenda { day, calendars }) = &c.agenda {
        let _ = writeln!(out, "<h3>Agenda for {}</h3>", html_escape(day));
        for (calendar, lines) in calendars {
            let _ = writeln!(out, "<p><b>{}</b></p>\n<ul>", html_escape(calendar));
            for line in lines {
                let _ = writeln!(out, "<li>{}</li>", html_escape(line));
            }
            out.push_str("</ul>\n");
        }
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents() -> Contents {
        Contents {
            handled: vec![("inquiry".into(), "questions".into(), 3), ("-".into(), "newsletters".into(), 1)],
            failed: vec![(
                "anna@example.com".into(),
                "Broken <mail>".into(),
                "cannot read the message".into(),
            )],
            held: 1,
            refused: 0,
            supply: Some(vec!["Low stock: 1 item(s)".into(), "  PAP-A4 A4 copy paper: 8 available".into()]),
            tickets: Some(vec![
                "Tickets waiting for an answer: 2".into(),
                "  front-desk: 2, the oldest opened 3 days ago, 1 overdue".into(),
                "Answered by clerk itself: 4".into(),
                "Rated answers, front-desk: 3 good, 1 ok, 0 bad".into(),
            ]),
            agenda: Some(DayAgenda {
                day: "Tue 24 Nov 2026".into(),
                calendars: vec![(
                    "giulia".into(),
                    vec!["09:00–09:15  Stand-up".into(), "15:00–16:00  <Anna>  [tentative]".into()],
                )],
            }),
        }
    }

    #[test]
    fn the_text_lists_work_per_desk_and_rule_failures_what_waits_and_the_agenda() {
        let text = text("Studio", "Mon 23 Nov 2026 07:00", "Tue 24 Nov 2026 07:00", &contents());
        assert!(text.contains("Handled: 4 message(s)"), "{text}");
        assert!(text.contains("    3  desk inquiry, rule questions"), "{text}");
        assert!(text.contains("    1  no desk, rule newsletters"), "{text}");
        assert!(text.contains("anna@example.com \"Broken <mail>\": cannot read the message"), "{text}");
        assert!(text.contains("1 mail(s) held in the outbox, 0 refused"), "{text}");
        assert!(text.contains("\nTickets waiting for an answer: 2\n  front-desk: 2, the oldest"), "{text}");
        assert!(text.contains("Rated answers, front-desk: 3 good, 1 ok, 0 bad"), "{text}");
        assert!(
            text.contains("\nAgenda for Tue 24 Nov 2026:\n  giulia\n    09:00–09:15  Stand-up\n"),
            "{text}"
        );
    }

    #[test]
    fn the_html_escapes_what_came_from_mail() {
        let html = html("Studio & Co", "a", "b", &contents());
        assert!(html.contains("Studio &amp; Co"), "{html}");
        assert!(html.contains("Broken &lt;mail&gt;"), "{html}");
        assert!(html.contains("<li>15:00–16:00  &lt;Anna&gt;  [tentative]</li>"), "{html}");
    }
}
