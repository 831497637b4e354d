//! An event's catering (#20): the order to a `[[caterer]]` for the headcount, the time and the
//! place, with the dietary needs counted, and a new headcount sent again.
//!
//! - **Proposal.** Once the reading has meals, the day with its start, an exact headcount and a
//!   place (a room, a venue or the office), the answer to the organiser proposes the order: the
//!   caterer (the one the organiser names, the one proposed before, or the only one configured;
//!   with several and none named it asks which), the menu or price per person for each meal, the
//!   diets and the cost. Nothing goes to the caterer.
//! - **Order.** The organiser's "order the catering" / "ordina il catering" in the event's
//!   thread (not a first request, not negated, not a question) sends the order to the caterer in
//!   its language; the cost is kept with the event.
//! - **New headcount.** After the order, a reply with an exact new headcount sends the caterer the
//!   amended order in the order's thread.
//! - **Caterer's answers** in that thread go to the organiser as they are.
//!
//! The final headcount is the `final-headcount` job's (`schedule::final_headcount`).

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use regex::Regex;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{Context, DeskError, Outcome, PlanningView};
use crate::effects::{Effect, MailKind};
use crate::language::Language;
use crate::mail::compose::{self, Extras, Notice, OutboundMail};
use crate::mail::message::{Address, Message};
use crate::office::Office;
use crate::office::events::Caterer;
use crate::planning::request::{Diet, Meal, Place, When};
use crate::planning::{Catering, CateringState, EventNumber, PlannedEvent};
use crate::rules::{RuleSet, Templates};
use crate::supply::money::Money;
use crate::text::plain;

/// The dietary needs the caterer is told: the request's for now; the guests' answers add theirs
/// once they are counted.
pub fn counted_diets(event: &PlannedEvent) -> Vec<Diet> {
    event.reading.diets.clone()
}

/// Whether the organiser's `text` tells the office to order the catering: "order the catering",
/// "go ahead with the catering", "ordina il catering", "procedi con il catering". A sentence that
/// negates it ("don't order the catering yet") or asks ("should we order the catering?") does not.
pub fn asks_to_order(text: &str) -> bool {
    static ORDER: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"\b(?:(?:order|book|confirm)\s+(?:the\s+)?(?:catering|food|buffet)|go ahead with (?:the )?(?:catering|food|order)|(?:ordina|ordinate|conferma|confermate|prenota|prenotate)\s+(?:pure\s+)?(?:il\s+|lo\s+)?(?:catering|rinfresco|buffet)|(?:procedi|procedete|vai|andate)\s+(?:pure\s+)?(?:con|col)\s+(?:il\s+)?(?:catering|rinfresco|buffet|l'ordine))\b",
        )
    });
    static HOLD: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"\b(?:don't|dont|do not|not yet|never|wait|hold off|before you|non|ancora no|aspetta|aspettate|prima di)\b",
        )
    });
    static ASKING: LazyLock<Regex> = LazyLock::new(|| {
        crate::regexes::built_in(
            r"^(?:should|shall|do|does|when|how|(?:can|could|would) (?:we|i)|dobbiamo|devo|possiamo|posso|quando|come|vuoi)\b",
        )
    });
    let text = plain(text);
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let end = rest.find(['.', '!', '?', ';', '\n']).map_or(rest.len(), |i| i + 1);
        let (sentence, after) = rest.split_at(end);
        rest = after;
        let question = sentence.ends_with('?') || ASKING.is_match(sentence.trim_start());
        if ORDER.is_match(sentence) && !question && !HOLD.is_match(sentence) {
            return true;
        }
    }
    false
}

/// The final headcount for `event`'s `catering`: the headcount last sent less the guests who said
/// they will not come, and never fewer than those who said they will. Guests who have not answered
/// are still counted: food short of the people is worse than food left over.
pub fn final_count(event: &PlannedEvent, catering: &Catering) -> u32 {
    let answered = |answer: bool| {
        u32::try_from(event.guests.iter().filter(|g| g.answer == Some(answer)).count()).unwrap_or(u32::MAX)
    };
    catering.headcount.saturating_sub(answered(false)).max(answered(true))
}

/// What `caterer` charges for `event`'s meals for `people`; none when a meal has no price.
pub fn cost(caterer: &Caterer, event: &PlannedEvent, people: u32) -> Option<Money> {
    offer(caterer, &event.reading.meals, people, days_of(event)).1
}

/// The mails of an order's thread, oldest first: the order, and the latest when it is another.
pub fn order_thread(catering: &Catering) -> Vec<String> {
    let mut thread: Vec<String> = catering.order_id.iter().cloned().collect();
    thread.extend(catering.last_id.iter().filter(|l| catering.order_id.as_ref() != Some(*l)).cloned());
    thread
}

/// What the catering adds to the desk's answer and store.
#[derive(Debug, Default)]
pub struct Planned {
    /// The paragraph for the organiser's letter (`event/catering`), when the event wants food.
    pub letter: Option<String>,
    /// The mail to the caterer.
    pub effects: Vec<Effect>,
    /// The catering as it now is, when it changed.
    pub catering: Option<Catering>,
    /// Mails of the event's conversation (the caterer's answers come back in their thread).
    pub threads: Vec<String>,
    pub notes: Vec<String>,
    /// Whether the caterer has the order, now or from before.
    pub ordered: bool,
}

/// A meal as offered: its menu, or the caterer's price per person, and what it costs for everyone.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    meal: Meal,
    menu: Option<String>,
    price: Option<Money>,
}

/// The caterer's offer for `meals` on `days` days for `people`: a line per meal and the cost, none
/// when a meal has no price.
fn offer(caterer: &Caterer, meals: &[Meal], people: u32, days: u32) -> (Vec<Line>, Option<Money>) {
    let lines: Vec<Line> = meals
        .iter()
        .map(|&meal| match caterer.menus.iter().find(|m| m.meal == Some(meal)) {
            Some(menu) => Line { meal, menu: Some(menu.name.clone()), price: Some(menu.price_per_person) },
            None => Line { meal, menu: None, price: caterer.price_per_person },
        })
        .collect();
    let mut total: Option<Money> = None;
    for line in &lines {
        let Some(price) = line.price else { return (lines, None) };
        let cost = price.amount.saturating_mul(Decimal::from(people)).saturating_mul(Decimal::from(days));
        total = match total {
            None => Some(Money { amount: cost, currency: price.currency }),
            Some(sum) if sum.currency == price.currency => Some(Money { amount: sum.amount + cost, ..sum }),
            // Menus in two currencies have no one total.
            Some(_) => return (lines, None),
        };
    }
    (lines, total)
}

/// The caterer of an event: the one `text` names, else the one proposed before, else the only one.
enum Choice<'a> {
    One(&'a Caterer),
    /// Several and none named: the organiser is asked which.
    Several,
    None,
}

fn choose<'a>(office: &'a Office, text: &str, before: Option<&Catering>) -> Choice<'a> {
    let caterers = &office.events.caterers;
    let text = plain(text);
    let named = caterers.iter().find(|c| {
        let name = plain(&c.name);
        !name.is_empty() && text.contains(&name)
    });
    let before = before.and_then(|b| caterers.iter().find(|c| c.name == b.caterer));
    match (named.or(before), caterers.as_slice()) {
        (Some(caterer), _) => Choice::One(caterer),
        (None, [only]) => Choice::One(only),
        (None, []) => Choice::None,
        (None, _) => Choice::Several,
    }
}

/// How many days the event lasts, for the meals of each.
fn days_of(event: &PlannedEvent) -> u32 {
    match event.reading.when {
        When::Days { first, last, .. } => u32::try_from((last - first).num_days() + 1).unwrap_or(1).max(1),
        _ => 1,
    }
}

/// What the catering still needs of the reading before it can be ordered.
fn missing(event: &PlannedEvent) -> Vec<&'static str> {
    let r = &event.reading;
    let mut missing = Vec::new();
    if !matches!(r.when, When::Days { start: Some(_), .. }) {
        missing.push("time");
    }
    match r.headcount {
        Some(h) if !h.approximate => {}
        Some(_) => missing.push("exact_headcount"),
        None => missing.push("headcount"),
    }
    if !matches!(r.place, Some(Place::Known(_) | Place::Office)) {
        missing.push("place");
    }
    missing
}

/// The catering part of the desk's answer to the organiser about `event` (its reading merged),
/// whose catering was `before`; `text` is what the organiser wrote now, `continued` whether it
/// continues the event (a first request orders nothing).
pub fn plan(
    cx: &Context<'_>,
    event: &PlannedEvent,
    before: Option<Catering>,
    text: &str,
    continued: bool,
) -> Result<Planned, DeskError> {
    let mut planned = Planned::default();
    let r = &event.reading;
    let office = &cx.rules.office;
    let ordered = before.as_ref().is_some_and(|b| b.state.ordered());
    if !ordered && (r.no_catering || r.meals.is_empty()) {
        return Ok(planned);
    }
    let language = r.language;
    let choice = match &before {
        Some(b) if ordered => match office.events.caterers.iter().find(|c| c.name == b.caterer) {
            Some(caterer) => Choice::One(caterer),
            None => {
                planned.notes.push(format!(
                    "event desk: {}: the caterer `{}` is no longer in office.toml; nothing sent to it",
                    event.number, b.caterer
                ));
                return Ok(planned);
            }
        },
        _ => choose(office, text, before.as_ref()),
    };
    let caterer = match choice {
        Choice::None => return Ok(planned),
        Choice::Several => {
            let names: Vec<&str> = office.events.caterers.iter().map(|c| c.name.as_str()).collect();
            let values = json!({ "state": "choose", "caterers": names });
            planned.letter = Some(paragraph(cx, language, values)?);
            return Ok(planned);
        }
        Choice::One(caterer) => caterer,
    };
    let missing = missing(event);
    let days = days_of(event);
    let people = r.headcount.map_or(0, |h| h.people);
    let (lines, cost) = offer(caterer, &r.meals, people, days);
    let now = cx.now.timestamp();
    let values = |state: &str, previous: Option<u32>| {
        json!({
            "state": state,
            "caterer": caterer.name,
            "missing": missing,
            "headcount": people,
            "previous": previous,
            "days": days,
            "meals": lines_values(&lines, language.code()),
            "diets": diets_values(&counted_diets(event)),
            "cost": cost.map(|c| c.written(language.code())),
        })
    };

    if let Some(before) = before.filter(|b| b.state.ordered()) {
        planned.ordered = true;
        let exact = r.headcount.filter(|h| !h.approximate).map(|h| h.people);
        match exact {
            Some(people) if people != before.headcount => {
                let seed = format!("{}\0event\0catering amended {}", cx.content_hash, event.number);
                let id = mail_id(office, &seed);
                let catering = Catering {
                    state: CateringState::Amended,
                    headcount: people,
                    cost,
                    last_id: Some(id.clone()),
                    updated_at: now,
                    ..before.clone()
                };
                let thread = order_thread(&before);
                let order = OrderKind::Amended { previous: before.headcount };
                let mail = order_mail(
                    office,
                    &cx.rules.templates,
                    event,
                    &catering,
                    caterer,
                    order,
                    id.clone(),
                    thread,
                    cx.now,
                )?;
                planned.effects.push(Effect::Send { kind: MailKind::Notice, rule: cx.rule.to_owned(), mail });
                planned.threads.push(id);
                planned.letter = Some(paragraph(cx, language, values("amended", Some(before.headcount)))?);
                planned.notes.push(format!(
                    "event desk: {}: the new headcount {people} (was {}) sent to {}",
                    event.number, before.headcount, caterer.name
                ));
                planned.catering = Some(catering);
            }
            _ => {
                let mut values = values("standing", None);
                values["headcount"] = json!(before.headcount);
                values["cost"] = json!(before.cost.map(|c| c.written(language.code())));
                planned.letter = Some(paragraph(cx, language, values)?);
            }
        }
        return Ok(planned);
    }

    let asked = continued && asks_to_order(text);
    if !missing.is_empty() {
        planned.letter =
            Some(paragraph(cx, language, values(if asked { "not_yet" } else { "waiting" }, None))?);
        if asked {
            planned.notes.push(format!(
                "event desk: {}: the catering is not ordered: still to know {}",
                event.number,
                missing.join(", ")
            ));
        }
        return Ok(planned);
    }
    let mut catering = Catering {
        number: event.number,
        caterer: caterer.name.clone(),
        state: CateringState::Proposed,
        headcount: people,
        cost,
        order_id: None,
        last_id: None,
        final_headcount: None,
        ordered_at: None,
        updated_at: now,
    };
    if asked {
        let seed = format!("{}\0event\0catering order {}", cx.content_hash, event.number);
        let id = mail_id(office, &seed);
        catering.state = CateringState::Ordered;
        catering.ordered_at = Some(now);
        planned.ordered = true;
        catering.order_id = Some(id.clone());
        catering.last_id = Some(id.clone());
        let mail = order_mail(
            office,
            &cx.rules.templates,
            event,
            &catering,
            caterer,
            OrderKind::Order,
            id.clone(),
            Vec::new(),
            cx.now,
        )?;
        planned.effects.push(Effect::Send { kind: MailKind::Notice, rule: cx.rule.to_owned(), mail });
        planned.threads.push(id);
        planned.letter = Some(paragraph(cx, language, values("ordered", None))?);
        planned.notes.push(format!(
            "event desk: {}: catering ordered from {} for {people}",
            event.number, caterer.name
        ));
    } else {
        planned.letter = Some(paragraph(cx, language, values("proposal", None))?);
    }
    planned.catering = Some(catering);
    Ok(planned)
}

fn paragraph(cx: &Context<'_>, language: Language, values: Value) -> Result<String, DeskError> {
    Ok(cx.rules.templates.letter("event/catering", language, &values)?)
}

fn mail_id(office: &Office, seed: &str) -> String {
    compose::message_id(seed.as_bytes(), crate::mail::message::domain_of(&office.assistant.address))
}

fn lines_values(lines: &[Line], language: &str) -> Vec<Value> {
    lines
        .iter()
        .map(|l| json!({ "meal": l.meal.name(), "menu": l.menu, "price": l.price.map(|p| p.written(language)) }))
        .collect()
}

fn diets_values(diets: &[Diet]) -> Vec<Value> {
    diets.iter().map(|d| json!({ "need": d.need.name(), "people": d.people })).collect()
}

/// Which mail to the caterer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKind {
    /// The order itself.
    Order,
    /// A new headcount after the order, which was for `previous`.
    Amended { previous: u32 },
    /// The final headcount, before the event.
    Final,
}

/// The mail to `caterer` about `event`'s `catering` (its headcount is the one to send), in the
/// caterer's language, with the Message-ID `id`, answering `thread` (oldest first).
#[allow(clippy::too_many_arguments, reason = "the desk and the job each have these apart")]
pub fn order_mail(
    office: &Office,
    templates: &Templates,
    event: &PlannedEvent,
    catering: &Catering,
    caterer: &Caterer,
    kind: OrderKind,
    id: String,
    thread: Vec<String>,
    now: DateTime<Utc>,
) -> Result<OutboundMail, DeskError> {
    let code = caterer.language.as_deref().unwrap_or(&office.language);
    let language = Language::from_code(code);
    let r = &event.reading;
    let day = |d: NaiveDate| language.day(d, "%A %-d %B %Y");
    let (first, last, start, end) = match r.when {
        When::Days { first, last, start, end } => (Some(first), (last != first).then_some(last), start, end),
        _ => (None, None, None, None),
    };
    let time = |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
    let (place, at_office) = match &r.place {
        Some(Place::Known(name)) => (name.clone(), office.rooms.iter().any(|room| &room.name == name)),
        _ => (office.name.clone(), true),
    };
    let (lines, _) = offer(caterer, &r.meals, catering.headcount, days_of(event));
    let (kind_name, previous) = match kind {
        OrderKind::Order => ("order", None),
        OrderKind::Amended { previous } => ("amended", Some(previous)),
        OrderKind::Final => ("final", None),
    };
    let values = json!({
        "kind": kind_name,
        "caterer": caterer.name,
        "number": event.number.tag(),
        "what": r.what,
        "first": first.map(day),
        "last": last.map(day),
        "start": time(start),
        "end": time(end),
        "place": place,
        "at_office": at_office,
        "office": office.name,
        "headcount": catering.headcount,
        "previous": previous,
        "meals": lines_values(&lines, code),
        "diets": diets_values(&counted_diets(event)),
        "cost": catering.cost.map(|c| c.written(code)),
        "signature": office.assistant.name,
    });
    let text = templates.letter("event/catering-order", language, &values)?;
    let subject = templates.letter("event/catering-order-subject", language, &values)?;
    let identity = crate::actions::identity(office);
    let notice = Notice {
        from: &identity,
        to: vec![Address { name: Some(caterer.name.clone()), email: caterer.address.clone() }],
        subject: subject.trim().to_owned(),
        html: compose::html_document(&text),
        text,
        message_id: id,
        date: now,
        loop_header_value: office.assistant.address.clone(),
    };
    let assistant =
        Address { name: Some(office.assistant.name.clone()), email: office.assistant.address.clone() };
    Ok(compose::letter(&notice, &Extras { reply_to: vec![assistant], thread, attachments: Vec::new() })?)
}

/// The event a caterer's mail belongs to: an answer in the thread of an order clerk sent it.
pub fn conversation(
    rules: &RuleSet,
    msg: &Message,
    view: &dyn PlanningView,
) -> Result<Option<EventNumber>, DeskError> {
    let Some(caterer) = caterer_of(rules, msg) else { return Ok(None) };
    let ids: Vec<String> = msg.in_reply_to.iter().chain(&msg.references).cloned().collect();
    let Some(number) = view.thread(&ids)? else { return Ok(None) };
    Ok(view.catering(number)?.filter(|c| c.caterer == caterer.name).map(|_| number))
}

fn caterer_of<'r>(rules: &'r RuleSet, msg: &Message) -> Option<&'r Caterer> {
    let sender = msg.from.first()?;
    rules.office.events.caterers.iter().find(|c| c.address.eq_ignore_ascii_case(&sender.email))
}

/// A caterer's answer in its order's thread (a confirmation, a question): forwarded to the
/// organiser as it is, not read further. `None` when the message is not one.
pub fn caterers_answer(cx: &Context<'_>, view: &dyn PlanningView) -> Result<Option<Outcome>, DeskError> {
    let Some(number) = conversation(cx.rules, cx.msg, view)? else { return Ok(None) };
    let Some(event) = view.event(number)? else { return Ok(None) };
    let Some(caterer) = caterer_of(cx.rules, cx.msg) else { return Ok(None) };
    let organiser = Address { name: event.organiser_name.clone(), email: event.organiser.clone() };
    let note = format!(
        "{} answered about the catering of event {number} ({}). Their message is below; clerk has not acted on it.",
        caterer.name,
        event.reading.what.as_deref().unwrap_or("untitled"),
    );
    let mut outcome = Outcome::default();
    let forward = cx.forward_inline(vec![organiser], note, "event forward\0caterer")?;
    let mut change = crate::planning::PlanningChange::default();
    // The organiser's reply to the forward continues the event, as a reply to the desk's answers does.
    if let Effect::Send { mail, .. } = &forward {
        change.threads.push((mail.message_id.clone(), number));
    }
    outcome.effects.push(forward);
    if let Some(id) = &cx.msg.message_id {
        change.threads.push((id.clone(), number));
    }
    outcome.effects.push(Effect::Planning(Box::new(change)));
    outcome
        .notes
        .push(format!("event desk: {}'s answer about {number} passed to {}", caterer.name, event.organiser));
    Ok(Some(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organiser_orders_the_catering_in_english_and_italian() {
        for said in [
            "Order the catering, thanks",
            "Great, please go ahead with the catering.",
            "ok, order the food from Buffet Roma",
            "Perfetto, ordina il catering.",
            "Procedi pure con il catering, grazie",
            "Va bene: procedete con il rinfresco",
            "Could you order the catering, please",
        ] {
            assert!(asks_to_order(said), "{said}");
        }
    }

    #[test]
    fn a_negation_or_a_question_orders_nothing() {
        for said in [
            "Don't order the catering yet.",
            "Please do not order the catering until Marco confirms",
            "Should we order the catering?",
            "Can we order the catering on Monday",
            "Non ordinare ancora il catering.",
            "Dobbiamo ordinare il catering?",
            "Aspetta prima di ordinare il catering",
            "The catering looks fine.",
        ] {
            assert!(!asks_to_order(said), "{said}");
        }
    }

    #[test]
    fn one_sentence_orders_even_when_another_asks() {
        assert!(asks_to_order("Is the coffee good? Anyway, order the catering."));
    }
}
