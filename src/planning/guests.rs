//! A guest list attached as a spreadsheet (CSV): one guest a row, found by the cell that is a mail
//! address, named by the header's name columns ("Name", "Nome e cognome", "First name" + "Last
//! name", "Nome" + "Cognome") or, without a header, by the row's other cells.
//!
//! A row without an address is no guest (there is no one to invite), and it is counted so that the
//! answer can say how many rows were left out rather than drop them silently.

use crate::mail::pattern::check_address;
use crate::text::{csv_rows, plain};

/// Rows of a guest list read at most.
pub const MOST_GUESTS: usize = 2_000;

/// One guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    pub name: Option<String>,
    /// Lower case, checked to be one mailbox.
    pub address: String,
}

/// A guest list as read: the guests, each address once, and how many rows had no address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuestList {
    pub guests: Vec<Guest>,
    pub without_address: usize,
}

/// Header names of a whole name, folded.
const NAME: [&str; 6] = ["name", "full name", "nome", "nome e cognome", "nominativo", "guest"];
/// Header names of a first name, folded.
const FIRST: [&str; 3] = ["first name", "given name", "firstname"];
/// Header names of a family name, folded.
const LAST: [&str; 5] = ["last name", "surname", "family name", "lastname", "cognome"];

/// The guests of the CSV file `bytes`.
pub fn from_csv(bytes: &[u8]) -> GuestList {
    let rows = csv_rows(bytes, MOST_GUESTS + 1);
    let Some(first_row) = rows.first() else { return GuestList::default() };
    let header = !first_row.iter().any(|cell| is_address(cell));
    let folded: Vec<String> = first_row.iter().map(|cell| plain(cell)).collect();
    let column = |names: &[&str]| folded.iter().position(|h| names.contains(&h.as_str())).filter(|_| header);
    let (last, whole) = (column(&LAST), column(&NAME));
    // "Nome" beside "Cognome" is a first name.
    let (whole, first) = match (whole, column(&FIRST), last) {
        (Some(nome), None, Some(_)) if folded[nome] == "nome" => (None, Some(nome)),
        (whole, first, _) => (whole, first),
    };
    let mut list = GuestList::default();
    for row in rows.iter().skip(usize::from(header)) {
        if row.iter().all(|cell| cell.is_empty()) {
            continue;
        }
        let Some(at) = row.iter().position(|cell| is_address(cell)) else {
            list.without_address += 1;
            continue;
        };
        let address = row[at].to_lowercase();
        let cell =
            |i: Option<usize>| i.and_then(|i| row.get(i)).map(String::as_str).filter(|c| !c.is_empty());
        let name = match (cell(whole), cell(first), cell(last)) {
            (Some(name), _, _) => Some(name.to_owned()),
            (None, Some(first), Some(last)) => Some(format!("{first} {last}")),
            (None, one, other) if header => one.or(other).map(str::to_owned),
            _ => {
                let others: Vec<&str> = row
                    .iter()
                    .enumerate()
                    .filter(|(i, c)| *i != at && !c.is_empty())
                    .map(|(_, c)| c.as_str())
                    .collect();
                (!others.is_empty()).then(|| others.join(" "))
            }
        };
        if !list.guests.iter().any(|g| g.address == address) {
            list.guests.push(Guest { name, address });
        }
    }
    list
}

fn is_address(cell: &str) -> bool {
    cell.contains('@') && check_address(cell).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guest(name: Option<&str>, address: &str) -> Guest {
        Guest { name: name.map(str::to_owned), address: address.to_owned() }
    }

    #[test]
    fn a_list_with_a_header_names_each_guest_by_its_name_column() {
        let list = from_csv(
            b"Name,Email,Company\nAnna Ricci,Anna@Client.example,Ricci Srl\nBob Lee,bob@x.example,\n",
        );
        assert_eq!(
            list.guests,
            [guest(Some("Anna Ricci"), "anna@client.example"), guest(Some("Bob Lee"), "bob@x.example")]
        );
        assert_eq!(list.without_address, 0);
    }

    #[test]
    fn an_italian_sheet_joins_nome_and_cognome() {
        let list = from_csv("\u{feff}Nome;Cognome;E-mail\nCarla;Neri;carla@neri.example\n".as_bytes());
        assert_eq!(list.guests, [guest(Some("Carla Neri"), "carla@neri.example")]);
    }

    #[test]
    fn a_list_without_a_header_names_guests_by_their_other_cells() {
        let list = from_csv(b"Marco Conti;marco@conti.example\nluca@bianchi.example\n");
        assert_eq!(
            list.guests,
            [guest(Some("Marco Conti"), "marco@conti.example"), guest(None, "luca@bianchi.example")]
        );
    }

    #[test]
    fn rows_without_an_address_are_counted_and_a_repeated_address_kept_once() {
        let list = from_csv(b"Name,Email\nAnna,anna@a.example\nPiero,\nAnna R.,ANNA@a.example\n,\n");
        assert_eq!(list.guests, [guest(Some("Anna"), "anna@a.example")]);
        assert_eq!(list.without_address, 1);
    }
}
