//! Colleagues' requests: the order read and confirmed with a number, what the shelf holds handed out,
//! the rest promised and ordered; the manager's verdict on a request over the limit; and the polite
//! answer to someone who may not order.

use mail_parser::{MessageParser, MimeHeaders};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{SupplyCase, SupplyView, purchasing};
use crate::actions::ReplyHistory;
use crate::desks::DeskError;
use crate::mail::compose;
use crate::mail::message::Address;
use crate::supply::letters::{self, LineStatus};
use crate::supply::matching::Matcher;
use crate::supply::reading::{Reading, understand};
use crate::supply::stock::{Move, Reason};
use crate::supply::words::Verdict;
use crate::supply::{Item, Money, Request, RequestLine, RequestNumber, RequestState, Thread, extract};
use crate::tickets::Priority;

/// A message from someone who may order: a new request, or more lines for one of theirs (the answer
/// to clerk's questions).
pub(super) fn request(
    desk: &mut SupplyCase<'_>,
    thread: Option<Thread>,
    history: &mut dyn ReplyHistory,
) -> Result<(), DeskError> {
    let matcher = Matcher::new(desk.catalog);
    let reading = read(desk, &matcher);
    let language = crate::language::detect(
        desk.new_text,
        &["en".to_owned(), "it".to_owned()],
        &desk.cx.rules.office.language,
    );
    if reading.is_empty() {
        desk.note("no order line found: the sender is asked to write one per line");
        let values =
            letters::nothing_found(&language, desk.sender.name.as_deref(), desk.catalog, &desk.signature());
        let body = write(desk, "supply/nothing-found", &language, &values)?;
        desk.reply("nothing found", compose::reply_subject(&desk.cx.msg.subject), body, history)?;
        return Ok(());
    }
    let earlier = match thread {
        Some(Thread::Request(number)) => desk.seen().request(number)?.filter(|r| {
            r.requester.eq_ignore_ascii_case(&desk.sender.email)
                && matches!(r.state, RequestState::Waiting | RequestState::Done)
        }),
        _ => None,
    };
    let new_lines: Vec<RequestLine> = reading
        .understood
        .iter()
        .map(|line| RequestLine {
            sku: line.item.sku.clone(),
            quantity: line.quantity,
            issued: 0,
            written: line.requested.written.clone(),
        })
        .collect();
    let over = over_the_limit(desk, &new_lines);
    // Lines that need the manager's approval wait in a request of their own: the approval covers
    // exactly them, and the earlier request's lines are not handed out or promised twice.
    let mut request = match earlier.filter(|_| over.is_none() || new_lines.is_empty()) {
        Some(request) => request,
        None => Request {
            number: desk.open_request()?,
            state: RequestState::Waiting,
            requester: desk.sender.email.to_lowercase(),
            requester_name: desk.sender.name.clone().filter(|n| !n.trim().is_empty()),
            language,
            subject: desk.cx.msg.subject.clone(),
            urgent: is_urgent(desk),
            lines: Vec::new(),
            opened_at: desk.cx.now.timestamp(),
            updated_at: desk.cx.now.timestamp(),
        },
    };
    let number = request.number;
    let subject = tagged(&compose::reply_subject(&desk.cx.msg.subject), number);
    // Each message of a request is answered (the guard still applies): the key holds the message.
    let key = format!("{number} {}", desk.cx.content_hash.get(..16).unwrap_or(desk.cx.content_hash));
    if reading.understood.is_empty() {
        desk.note(format!(
            "{} unclear, nothing understood: the sender is asked",
            crate::units::counted(reading.unclear.len() as u64, "line")
        ));
        let values = letters::confirmation(&request, &[], &[], &reading.unclear, None, &desk.signature());
        let body = write(desk, "supply/confirmation", &request.language, &values)?;
        desk.reply(&format!("questions {key}"), subject, body, history)?;
        return Ok(());
    }
    let first_new = request.lines.len();
    request.lines.extend(new_lines);
    request.updated_at = desk.cx.now.timestamp();
    let assumed: Vec<bool> = reading.understood.iter().map(|u| u.assumed).collect();
    let mut more = Vec::new();
    let statuses = if let Some(why) = &over {
        request.state = RequestState::AwaitingApproval;
        let statuses = pending(desk, &request.lines[first_new..], &assumed);
        let total = cost(desk, &request.lines[first_new..]);
        let office_language = &desk.cx.rules.office.language;
        let values = letters::approve_request(
            &request,
            &statuses,
            total,
            why.reason(office_language),
            office_language,
        );
        let approval_subject = write(desk, "supply/approve-request-subject", office_language, &values)?;
        let text = write(desk, "supply/approve-request", office_language, &values)?;
        desk.note(format!("{number} waits for the manager's approval: {why}"));
        more.push(desk.letter(
            desk.manager(),
            approval_subject,
            text,
            Vec::new(),
            &format!("approve {number}"),
        )?);
        statuses
    } else {
        let statuses = fulfil(desk, &mut request, first_new)?;
        statuses.into_iter().zip(&assumed).map(|(s, a)| LineStatus { assumed: *a, ..s }).collect()
    };
    desk.note(format!(
        "{number}: {} understood, {} asked about",
        crate::units::counted(reading.understood.len() as u64, "line"),
        reading.unclear.len()
    ));
    let approver = over.as_ref().map(|_| desk.manager_name());
    let earlier = still_to_come(desk, &request.lines[..first_new])?;
    let values = letters::confirmation(
        &request,
        &statuses,
        &earlier,
        &reading.unclear,
        approver.as_deref(),
        &desk.signature(),
    );
    let body = write(desk, "supply/confirmation", &request.language, &values)?;
    desk.put_request(request);
    if let Some(id) = desk.reply(&key, subject, body, history)? {
        more.push(id);
    }
    desk.remember(Thread::Request(number), more);
    Ok(())
}

/// The manager's verdict on a request waiting for approval.
pub(super) fn decide(
    desk: &mut SupplyCase<'_>,
    number: RequestNumber,
    verdict: Verdict,
) -> Result<(), DeskError> {
    let Some(mut request) = desk.seen().request(number)? else {
        desk.note(format!("{number}: no such request"));
        return Ok(());
    };
    if request.state != RequestState::AwaitingApproval {
        desk.note(format!("{number} is {}: nothing waits for a verdict", request.state.as_str()));
        return Ok(());
    }
    let requester = Address { name: request.requester_name.clone(), email: request.requester.clone() };
    let subject = tagged(&compose::reply_subject(&request.subject), number);
    request.updated_at = desk.cx.now.timestamp();
    let values = match verdict {
        Verdict::Approve => {
            desk.note(format!("{number} approved by {}", desk.sender.email));
            request.state = RequestState::Waiting;
            let statuses = fulfil(desk, &mut request, 0)?;
            letters::decided(&request, true, None, &statuses, &desk.signature())
        }
        Verdict::Reject(reason) => {
            desk.note(format!("{number} rejected by {}", desk.sender.email));
            request.state = RequestState::Rejected;
            letters::decided(&request, false, reason.as_deref(), &[], &desk.signature())
        }
    };
    let text = write(desk, "supply/decided", &request.language, &values)?;
    desk.put_request(request);
    let id = desk.letter(requester, subject, text, Vec::new(), &format!("decided {number}"))?;
    desk.remember(Thread::Request(number), [id]);
    Ok(())
}

/// Someone who may not order: a polite answer, and the manager gets the message.
pub(super) fn stranger(desk: &mut SupplyCase<'_>, history: &mut dyn ReplyHistory) -> Result<(), DeskError> {
    let language = crate::language::detect(
        desk.new_text,
        &["en".to_owned(), "it".to_owned()],
        &desk.cx.rules.office.language,
    );
    desk.note(format!("{} may not order supplies: passed to the manager", desk.sender.email));
    let manager = desk.manager_name();
    let values = letters::not_a_requester(desk.sender.name.as_deref(), &manager, &desk.signature());
    let body = write(desk, "supply/not-a-requester", &language, &values)?;
    desk.reply("not a requester", compose::reply_subject(&desk.cx.msg.subject), body, history)?;
    let note = format!(
        "{} asked for supplies but is not among the requesters in catalog.toml; nothing was ordered. Their message is below.",
        desk.sender.email
    );
    desk.forward_to_manager(note, "stranger")
}

/// The letter `name` (`letters/NAME`) to someone who writes `language`, written from `values`.
fn write(
    desk: &SupplyCase<'_>,
    name: &str,
    language: &str,
    values: &impl Serialize,
) -> Result<String, DeskError> {
    Ok(desk.cx.rules.templates.letter(name, letters::language(language), values)?)
}

/// The order lines of the message: its new text and CSV attachments, else a forward's forwarded
/// message, else its subject.
fn read<'c>(desk: &SupplyCase<'c>, matcher: &Matcher<'c>) -> Reading<'c> {
    let mut lines = extract::lines(desk.new_text);
    lines.extend(csv_attachments(desk.cx.raw).iter().flat_map(|csv| extract::from_csv(csv)));
    let reading = understand(matcher, lines);
    if !reading.is_empty() {
        return reading;
    }
    // A forward's order is the forwarded message's: "Puoi ordinare questo per Chiara?" over Chiara's lines.
    let forwarded = crate::mail::forwarded::is_forward(&desk.cx.msg.subject)
        .then(|| crate::mail::forwarded::body(&desk.cx.msg.text))
        .flatten()
        .map(|body| understand(matcher, extract::lines(crate::mail::reply_text::new_text(body))));
    if let Some(reading) = forwarded.filter(|r| !r.is_empty()) {
        return reading;
    }
    let topic = compose::reply_subject(&desk.cx.msg.subject);
    understand(matcher, extract::lines(topic.trim_start_matches("Re: ")))
}

/// The contents of the message's CSV attachments (the event desk reads guest lists from them).
pub(in crate::desks) fn csv_attachments(raw: &[u8]) -> Vec<Vec<u8>> {
    let Some(parsed) = MessageParser::default().parse(raw) else { return Vec::new() };
    parsed
        .attachments()
        .filter(|part| {
            let named = part.attachment_name().is_some_and(|n| n.to_ascii_lowercase().ends_with(".csv"));
            let typed = part.content_type().is_some_and(|ct| {
                ct.ctype().eq_ignore_ascii_case("text")
                    && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("csv"))
            });
            named || typed
        })
        .map(|part| part.contents().to_vec())
        .collect()
}

/// Whether the request cannot wait for the next order run: the rule says so (priority high or
/// urgent), or the colleague does ("urgent", "urgente", "asap").
fn is_urgent(desk: &SupplyCase<'_>) -> bool {
    let by_rule = desk.cx.call.priority.is_some_and(|p| matches!(p, Priority::High | Priority::Urgent));
    let text = crate::text::fold(&format!("{} {}", desk.cx.msg.subject, desk.new_text));
    let said = ["urgent", "urgente", "urgently", "asap", "subito", "al piu presto", "as soon as possible"]
        .iter()
        .any(|w| text.contains(&format!(" {w} ")));
    by_rule || said
}

/// Why `lines` need the manager's approval, if they do.
fn over_the_limit<'c>(desk: &SupplyCase<'c>, lines: &[RequestLine]) -> Option<OverLimit<'c>> {
    let settings = &desk.catalog.settings;
    let total = cost(desk, lines);
    if let Some(limit) = settings.approval_limit
        && total.amount > limit
    {
        return Some(OverLimit::Total(Money::new(limit, settings.currency)));
    }
    lines.iter().find_map(|line| {
        let item = desk.catalog.item(&line.sku)?;
        let most = item.max_per_request?;
        (line.quantity > i64::from(most)).then_some(OverLimit::Line { quantity: line.quantity, item, most })
    })
}

/// Why a request needs the manager's approval.
enum OverLimit<'c> {
    /// Its total is over the catalog's approval limit, this.
    Total(Money),
    /// A line asks for more of an item than one request may take.
    Line { quantity: i64, item: &'c Item, most: u32 },
}

impl OverLimit<'_> {
    /// The reason as the letter to the manager is given it, in `language`.
    fn reason(&self, language: &str) -> letters::WhyApproval {
        match self {
            OverLimit::Total(limit) => letters::WhyApproval {
                limit: Some(limit.written(language)),
                quantity: None,
                item: None,
                most: None,
            },
            OverLimit::Line { quantity, item, most } => letters::WhyApproval {
                limit: None,
                quantity: Some(*quantity),
                item: Some(item.name_in(language).to_owned()),
                most: Some(*most),
            },
        }
    }
}

/// The reason in the desk's note, for the log and `explain`.
impl std::fmt::Display for OverLimit<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OverLimit::Total(limit) => write!(f, "It is over the approval limit of {limit}."),
            OverLimit::Line { quantity, item, most } => {
                write!(f, "{quantity} of {} is more than the {most} one request may take.", item.name)
            }
        }
    }
}

/// What `lines` cost at the catalog's prices, before VAT.
fn cost(desk: &SupplyCase<'_>, lines: &[RequestLine]) -> Money {
    let amount: Decimal = lines
        .iter()
        .filter_map(|l| desk.catalog.item(&l.sku).map(|item| item.price * Decimal::from(l.quantity)))
        .sum();
    Money::new(amount, desk.catalog.settings.currency)
}

/// The lines as they stand while waiting for approval: nothing handed out.
fn pending<'c>(desk: &SupplyCase<'c>, lines: &[RequestLine], assumed: &[bool]) -> Vec<LineStatus<'c>> {
    lines
        .iter()
        .zip(assumed.iter().chain(std::iter::repeat(&false)))
        .filter_map(|(line, assumed)| {
            let item = desk.catalog.item(&line.sku)?;
            Some(LineStatus {
                item,
                quantity: line.quantity,
                from_stock: 0,
                expected: None,
                assumed: *assumed,
            })
        })
        .collect()
}

/// Hands out the lines of `request` from `first` on: from the shelf what it holds, the rest promised
/// and put on its vendor's draft. Returns where each line stands.
fn fulfil<'c>(
    desk: &mut SupplyCase<'c>,
    request: &mut Request,
    first: usize,
) -> Result<Vec<LineStatus<'c>>, DeskError> {
    let reference = request.number.tag();
    let mut touched: Vec<String> = Vec::new();
    for line in &mut request.lines[first..] {
        let level = super::level(&desk.seen(), &line.sku)?;
        let give = line.waiting().min(level.available().max(0));
        let rest = line.waiting() - give;
        let at = desk.cx.now.timestamp();
        let person = Some(request.requester.clone());
        if give > 0 {
            let reference = Some(reference.clone());
            desk.change.moves.push(Move {
                sku: line.sku.clone(),
                on_hand: -give,
                promised: 0,
                reason: Reason::Issued,
                reference,
                person: person.clone(),
                at,
            });
            line.issued += give;
        }
        if rest > 0 {
            let reference = Some(reference.clone());
            desk.change.moves.push(Move {
                sku: line.sku.clone(),
                on_hand: 0,
                promised: rest,
                reason: Reason::Promised,
                reference,
                person,
                at,
            });
        }
        if !touched.iter().any(|s| s.eq_ignore_ascii_case(&line.sku)) {
            touched.push(line.sku.clone());
        }
    }
    for sku in &touched {
        if let Some(item) = desk.catalog.item(sku) {
            purchasing::restock(desk, item, request.urgent)?;
        }
    }
    if request.urgent {
        purchasing::send_urgent(desk, &touched)?;
    }
    request.state = if request.waits() { RequestState::Waiting } else { RequestState::Done };
    let mut statuses = Vec::new();
    for line in &request.lines[first..] {
        let Some(item) = desk.catalog.item(&line.sku) else { continue };
        let expected = if line.waiting() > 0 { purchasing::expected(desk, item)? } else { None };
        statuses.push(LineStatus {
            item,
            quantity: line.quantity,
            from_stock: line.issued,
            expected,
            assumed: false,
        });
    }
    Ok(statuses)
}

/// Where the `lines` of a request's earlier messages that still wait for a delivery stand.
fn still_to_come<'c>(desk: &SupplyCase<'c>, lines: &[RequestLine]) -> Result<Vec<LineStatus<'c>>, DeskError> {
    let mut statuses = Vec::new();
    for line in lines.iter().filter(|l| l.waiting() > 0) {
        let Some(item) = desk.catalog.item(&line.sku) else { continue };
        statuses.push(LineStatus {
            item,
            quantity: line.quantity,
            from_stock: line.issued,
            expected: purchasing::expected(desk, item)?,
            assumed: false,
        });
    }
    Ok(statuses)
}

/// `subject` with the request's number, unless it has it already.
fn tagged(subject: &str, number: RequestNumber) -> String {
    if RequestNumber::find_in(subject) == Some(number) {
        subject.to_owned()
    } else {
        format!("{subject} [{number}]")
    }
}
