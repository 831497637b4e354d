//! `[[staff]]` in office.toml: the office's people by name, so that a request naming "Bob Bianchi"
//! or "con Carla" without an address invites them from here, and never from a guessed address.
//!
//! ```toml
//! [[staff]]
//! name = "Bob Bianchi"
//! address = "bob.bianchi@office.example"
//! calendar = "bob"            # optional: their [[calendar]], which bookings that invite them go into
//! groups = ["design"]          # optional: the groups an event may invite by name ("the design team")
//! ```

use super::{Person, address};
use crate::toml_doc::Table;

/// One of the office's people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    /// Their name as the office writes it, and their address.
    pub person: Person,
    /// The `[[calendar]]` clerk keeps for them, if any: a meeting they are invited to by name is
    /// booked there too, so their own calendar shows it.
    pub calendar: Option<String>,
    /// The groups they belong to, which an event request may invite whole.
    pub groups: Vec<String>,
}

/// Every `[[staff]]`, each `calendar` checked to be one of `calendars`; `None` when anything was
/// reported.
pub(super) fn parse(root: &Table<'_, '_>, calendars: Option<&[&str]>) -> Option<Vec<StaffMember>> {
    let members: Vec<Option<StaffMember>> = root
        .tables("staff")
        .iter()
        .map(|table| {
            let name = table.required_string("name");
            let address = address(table, "address");
            let calendar = table.string("calendar").map(|calendar| {
                let known = calendars.is_none_or(|names| names.contains(calendar.get_ref()));
                if !known {
                    table.doc().error(
                        calendar.span(),
                        format!(
                            "`{}` is not a [[calendar]] of office.toml: name one, or leave `calendar` out",
                            calendar.get_ref()
                        ),
                    );
                }
                known.then(|| calendar.get_ref().to_string())
            });
            let calendar = match (calendar, table.has("calendar")) {
                (Some(Some(name)), _) => Some(name),
                (None, false) => None,
                _ => return None,
            };
            let groups = table.optional("groups", |item| {
                let names = item.strings()?;
                let blank = names.iter().find(|n| n.get_ref().trim().is_empty());
                if let Some(blank) = blank {
                    table.doc().error(blank.span(), "a group's name cannot be empty".to_owned());
                    return None;
                }
                Some(names.iter().map(|n| n.get_ref().trim().to_owned()).collect::<Vec<_>>())
            });
            let name = name?.into_inner().trim().to_owned();
            if name.is_empty() {
                table.doc().error(table.span(), "a [[staff]] `name` cannot be empty".to_owned());
                return None;
            }
            let groups = groups.ok()?.unwrap_or_default();
            Some(StaffMember { person: Person { name, address: address? }, calendar, groups })
        })
        .collect();
    members.into_iter().collect()
}
