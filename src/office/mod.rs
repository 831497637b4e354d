//! The office as configured, read from the rules directory: `office.toml` (who the assistant is, whom
//! it works for, opening hours, holidays and closures, the departments and where their mail goes,
//! calendars and rooms, the auto-reply limits the office sets for itself) and `catalog.toml` (the
//! supply cupboard's items and vendors). Plain types, checked at load with file:line errors; this
//! module knows nothing of rules, desks or the store, which all read it.
//!
//! `office.toml`:
//!
//! ```toml
//! [office]
//! name = "Rossi & Bianchi Studio"
//! timezone = "Europe/Rome"        # IANA name
//! language = "en"                 # default "en"
//! hours.mon = "09:00-13:00"       # opening hours, mon … sun (default Mon-Fri 09:00-17:00)
//! holidays = "IT-RM"              # public holidays: a country, or a region ("GB-SCT", "DE-BY")
//! closed = ["12-24..01-06", "2027-08-09..2027-08-20"]  # closures: every year, or once
//! [assistant]
//! address = "assistant@office.example"
//! name = "Office Assistant"       # default: the office's name
//! [[owner]]                       # one or more
//! name = "Giulia Rossi"
//! address = "giulia@office.example"
//! [departments]                   # name -> address, or a table (see `departments`)
//! front-desk = "info@office.example"
//! sales = { address = "sales@office.example", response_time = "4h" }
//! [tickets]                       # the inquiry desk (see `departments`)
//! reopen_within = "30d"
//! [replies]
//! limit = "1d"                    # one auto-reply per sender and rule per period (default 1d)
//! require_assistant_recipient = true
//! also_own = ["billing@office.example"]
//! [rules]
//! allow_empty = true              # run without any [[rule]] (default false: refused)
//! [[staff]]                       # the office's people by name (see `staff`)
//! name = "Bob Bianchi"
//! address = "bob@office.example"
//! [events]                        # the event desk, its venues and caterers (see `events`)
//! organisers = ["chiara@office.example"]
//! ```

mod calendars;
pub mod catalog;
pub mod departments;
pub mod events;
pub mod staff;

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use chrono_tz::Tz;

use self::departments::{Department, TicketPolicy, office_hours, parse_departments, parse_tickets};
use crate::calendar::hours::{ClosedPeriod, Closures, WorkingHours};
use crate::mail::pattern::check_address;
use crate::toml_doc::{Doc, Item, Table, did_you_mean};

/// How long a sender waits for a second auto-reply from the same rule unless `[replies] limit` says
/// otherwise.
pub const DEFAULT_REPLY_LIMIT: Duration = Duration::from_secs(24 * 60 * 60);

/// The office the assistant works for.
#[derive(Debug, Clone, PartialEq)]
pub struct Office {
    /// The office's name, as signed in mail.
    pub name: String,
    /// Where the office is: working hours, dates in replies and schedules are in this zone.
    pub timezone: Tz,
    /// Default language of the office's mail, a BCP 47 tag such as `en` or `it`.
    pub language: String,
    /// The mailbox clerk reads and writes from.
    pub assistant: Person,
    /// The people the assistant works for; at least one.
    pub owners: Vec<Person>,
    /// When the office is open: answer times are counted in these hours.
    pub hours: WorkingHours,
    /// Department name → where its tickets go and how soon it answers (`department = "accounts"`).
    pub departments: BTreeMap<String, Department>,
    /// `[tickets]`: how the inquiry desk keeps conversations.
    pub tickets: TicketPolicy,
    /// `[replies]`.
    pub replies: ReplyPolicy,
    /// `[[calendar]]`: the calendars clerk keeps.
    pub calendars: Vec<crate::calendar::CalendarConfig>,
    /// `[[room]]`: the rooms and venues it books.
    pub rooms: Vec<crate::calendar::Room>,
    /// `[[staff]]`: the office's people by name, whom a request may name without an address.
    pub staff: Vec<staff::StaffMember>,
    /// `[events]`, `[[venue]]`, `[[caterer]]`: what the event desk plans with.
    pub events: events::EventSettings,
    /// `[rules] allow_empty`: the office means to run without any `[[rule]]`. Without rules every
    /// message is recorded as handled with nothing done, never to be looked at again, so a rules
    /// directory emptied by mistake is refused unless this says so.
    pub allow_empty_rules: bool,
}

/// A named mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Display name.
    pub name: String,
    /// Bare address, checked to be one mailbox.
    pub address: String,
}

/// Limits on auto-replies that the office adds to the guard's fixed ones; it can tighten, never
/// loosen, what the guard enforces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyPolicy {
    /// At most one auto-reply per sender and rule within this period; a rule's `every` can lengthen it.
    pub limit: Duration,
    /// Whether mail that does not name the assistant in To or Cc gets no auto-reply (it came through a
    /// list or a Bcc). Off only for shared mailboxes whose mail names other addresses.
    pub require_assistant_recipient: bool,
    /// Further addresses that belong to the office: never auto-replied, like the assistant's own.
    pub also_own: Vec<String>,
}

impl Office {
    /// Every address that belongs to the office (assistant, owners, departments, `also_own`): mail from
    /// them is never auto-replied, which keeps clerk from answering itself or its colleagues in a loop.
    pub fn own_addresses(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.assistant.address.as_str())
            .chain(self.owners.iter().map(|owner| owner.address.as_str()))
            .chain(self.departments.values().map(|d| d.address.as_str()))
            .chain(self.replies.also_own.iter().map(String::as_str))
    }

    /// Whether `address` is one of [`Office::own_addresses`], ignoring case.
    pub fn is_own(&self, address: &str) -> bool {
        self.own_addresses().any(|own| own.eq_ignore_ascii_case(address))
    }

    /// Whether `address` is someone of the office: one of its own addresses, or staff by `[tickets]
    /// staff` (default: the assistant's domain). Not the domain of every own address: an owner at a
    /// public provider would make all its users colleagues.
    pub fn is_staff(&self, address: &str) -> bool {
        if self.is_own(address) {
            return true;
        }
        if self.tickets.staff.is_empty() {
            let domain = crate::mail::message::domain_of(&self.assistant.address);
            return crate::mail::message::domain_of(address).eq_ignore_ascii_case(domain);
        }
        self.tickets.staff.iter().any(|glob| glob.matches(address))
    }
}

/// Reads `office.toml`; `None` when anything was reported.
pub(crate) fn parse_office(doc: &Doc<'_>) -> Option<Office> {
    let root = doc.root();
    let office = section(&root, "office");
    let assistant = section(&root, "assistant");
    let owners = root.tables("owner");
    let departments = root.table("departments");
    let replies = root.table("replies");
    let tickets = root.table("tickets");
    let rules = root.table("rules");

    let name = office.as_ref().and_then(|t| t.required_string("name"));
    let timezone = office.as_ref().and_then(|t| timezone(t));
    let language = match office.as_ref().and_then(|t| t.get("language")) {
        Some(item) => language(&item),
        None => Some("en".to_owned()),
    };
    let assistant = assistant.as_ref().and_then(|t| {
        let address = address(t, "address")?;
        let name = t.string("name");
        Some((address, name))
    });
    let no_owner_given =
        root.get("owner").is_none_or(|item| item.as_array().is_some_and(|list| list.is_empty()));
    if owners.is_empty() && no_owner_given {
        doc.error(0..0, "missing `[[owner]]`: name at least one person the assistant works for");
    }
    let owners: Vec<Option<Person>> = owners.iter().map(person).collect();
    let hours = office.as_ref().map_or(Some(WorkingHours::default()), office_hours);
    let departments = departments.map_or(Some(BTreeMap::new()), |t| parse_departments(&t));
    let tickets = tickets.map_or(Some(TicketPolicy::default()), |t| parse_tickets(&t));
    let replies = match replies {
        Some(table) => reply_policy(&table),
        None => Some(ReplyPolicy {
            limit: DEFAULT_REPLY_LIMIT,
            require_assistant_recipient: true,
            also_own: Vec::new(),
        }),
    };

    let allow_empty_rules = match rules.as_ref().and_then(|t| t.get("allow_empty")) {
        Some(item) => item.expect_bool(),
        None => Some(false),
    };

    let calendars = self::calendars::parse(&root, timezone);
    let calendar_names: Option<Vec<&str>> =
        calendars.as_ref().map(|(calendars, _)| calendars.iter().map(|c| c.name.as_str()).collect());
    let staff = self::staff::parse(&root, calendar_names.as_deref());
    let room_names: Option<Vec<&str>> =
        calendars.as_ref().map(|(_, rooms)| rooms.iter().map(|r| r.name.as_str()).collect());
    let events = self::events::parse(&root, &owners, calendar_names.as_deref(), room_names.as_deref());
    let closures = office.as_ref().map_or(Some(Closures::default()), closures);

    let name = name?.into_inner().to_owned();
    let (address, assistant_name) = assistant?;
    let (mut calendars, mut rooms) = calendars?;
    // Holidays and closures close every calendar and room too: nothing is offered on them.
    let closures = closures?;
    let mut hours = hours?;
    hours.close_on(&closures);
    for policy in calendars.iter_mut().map(|c| &mut c.policy).chain(rooms.iter_mut().map(|r| &mut r.policy)) {
        policy.hours.close_on(&closures);
    }
    Some(Office {
        assistant: Person {
            name: assistant_name.map_or_else(|| name.clone(), |n| n.into_inner().to_owned()),
            address,
        },
        name,
        timezone: timezone?,
        language: language?,
        owners: owners.into_iter().collect::<Option<_>>()?,
        hours,
        departments: departments?,
        tickets: tickets?,
        replies: replies?,
        calendars,
        rooms,
        staff: staff?,
        events: events?,
        allow_empty_rules: allow_empty_rules?,
    })
}

/// `holidays = "IT-RM"` and `closed = ["2026-08-10..2026-08-21", "12-24..01-06"]` of `[office]`.
fn closures(office: &Table<'_, '_>) -> Option<Closures> {
    let holidays = match office.get("holidays") {
        Some(item) => item.expect_str().and_then(|code| {
            if !crate::calendar::holidays::knows(code) {
                let hint =
                    crate::toml_doc::did_you_mean(&code.to_uppercase(), crate::calendar::holidays::codes())
                        .map_or_else(String::new, |close| format!(" Did you mean `{close}`?"));
                item.error(format!(
                    "`{code}` is no public-holiday calendar clerk knows: give a country (\"IT\", \"GB\", \"US\", \"DE\") or a region (\"IT-RM\", \"GB-SCT\", \"DE-BY\").{hint}"
                ));
                None
            } else {
                Some(Some(code.to_uppercase()))
            }
        }),
        None => Some(None),
    };
    let periods = match office.get("closed") {
        Some(item) => {
            let written = item.strings().unwrap_or_default();
            let read: Vec<Option<ClosedPeriod>> = written
                .iter()
                .map(|text| {
                    let period = ClosedPeriod::parse(text.get_ref());
                    if period.is_none() {
                        office.doc().error(
                            text.span(),
                            format!(
                                "`{}` is not a day or a period the office is closed: write \"2026-12-24\", \"2026-08-10..2026-08-21\", or \"12-24..01-06\" for every year",
                                text.get_ref()
                            ),
                        );
                    }
                    period
                })
                .collect();
            read.into_iter().collect::<Option<Vec<_>>>()?
        }
        None => Vec::new(),
    };
    Some(Closures { holidays: holidays?, periods })
}

/// A required section: reported at the top of the file when missing.
fn section<'d, 'i>(root: &Table<'d, 'i>, key: &'static str) -> Option<Table<'d, 'i>> {
    let table = root.table(key);
    if table.is_none() && !root.has(key) {
        root.doc().error(0..0, format!("missing `[{key}]`"));
    }
    table
}

fn timezone(office: &Table<'_, '_>) -> Option<Tz> {
    match office.get("timezone") {
        Some(item) => zone(&item),
        None => {
            office.missing("timezone");
            None
        }
    }
}

/// An IANA time zone name, with a suggestion when it is misspelt.
pub(super) fn zone(item: &Item<'_, '_>) -> Option<Tz> {
    let value = item.expect_str()?;
    match Tz::from_str(value) {
        Ok(tz) => Some(tz),
        Err(_) => {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
            let hint = did_you_mean(value, names)
                .map(|close| format!(", did you mean `{close}`?"))
                .unwrap_or_else(|| " (an IANA name like \"Europe/Rome\")".to_owned());
            item.error(format!("unknown time zone `{value}`{hint}"));
            None
        }
    }
}

pub(super) fn language(item: &Item<'_, '_>) -> Option<String> {
    let tag = item.expect_str()?;
    let mut subtags = tag.split('-');
    let primary_ok = subtags
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    let rest_ok = subtags.all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Some(tag.to_owned())
    } else {
        item.error(format!("`{tag}` is not a language tag (like \"en\", \"it\" or \"pt-BR\")"));
        None
    }
}

fn person(table: &Table<'_, '_>) -> Option<Person> {
    let name = table.required_string("name");
    let address = address(table, "address");
    Some(Person { name: name?.into_inner().to_owned(), address: address? })
}

/// A required address under `key`, checked to be one bare mailbox.
pub(super) fn address(table: &Table<'_, '_>, key: &'static str) -> Option<String> {
    let value = table.required_string(key)?;
    checked_address(table.doc(), value.get_ref(), value.span())
}

pub(super) fn checked_address(doc: &Doc<'_>, address: &str, span: std::ops::Range<usize>) -> Option<String> {
    match check_address(address) {
        Ok(()) => Some(address.to_owned()),
        Err(e) => {
            doc.error(span, e.to_string());
            None
        }
    }
}

fn reply_policy(table: &Table<'_, '_>) -> Option<ReplyPolicy> {
    let limit = match table.get("limit") {
        Some(item) => duration(&item),
        None => Some(DEFAULT_REPLY_LIMIT),
    };
    let also_own = match table.get("also_own") {
        Some(item) => item.strings().and_then(|addresses| {
            let checked: Vec<_> =
                addresses.iter().map(|a| checked_address(table.doc(), a.get_ref(), a.span())).collect();
            checked.into_iter().collect::<Option<Vec<_>>>()
        }),
        None => Some(Vec::new()),
    };
    let require_assistant_recipient = match table.get("require_assistant_recipient") {
        Some(item) => item.expect_bool(),
        None => Some(true),
    };
    Some(ReplyPolicy {
        limit: limit?,
        require_assistant_recipient: require_assistant_recipient?,
        also_own: also_own?,
    })
}

/// A period such as `"1d"`, `"12h"`, `"1w"` or `"1d12h"`: units `s`, `m`, `h`, `d`, `w`; more than zero.
pub(crate) fn duration(item: &Item<'_, '_>) -> Option<Duration> {
    let text = item.expect_str()?;
    let parsed = crate::units::parse_duration(text).filter(|d| !d.is_zero());
    if parsed.is_none() {
        item.error(format!("`{text}` is not a period: {}", crate::units::DURATION_HINT));
    }
    parsed
}
