//! Who a request in words may have invited: strangers cannot make the office write to others.
//!
//! A request from the office's own people (an address of the office, or any address in one of its
//! domains) invites everyone it names, in To, Cc or its text. A request from anyone else invites the
//! sender and those of the addresses it was sent to (To, Cc) that are the sender's own domain or the
//! office's; an address written in its text is never invited, nor is anyone else it was sent to.
//! People of the office's directory named without an address are invited for anyone: the office
//! writes to its own people, at the address it keeps for them. Those
//! left out are named back to the sender, who may forward the invitation to them: the office writes
//! only to people who asked it, or who belong to it or to the sender's organisation.

use crate::calendar::ics::Party;

use super::MeetingCase;

/// At most this many addresses of a request are looked at, so that one message cannot make the
/// office's address send invitations to a crowd.
const MAX_PEOPLE: usize = 12;

/// The people of a request besides its sender: those invited, and those left out.
#[derive(Debug, Default)]
pub(super) struct Invitees {
    pub(super) invited: Vec<Party>,
    /// Addresses named by a stranger that the office does not write to.
    pub(super) left_out: Vec<String>,
}

/// How a request names someone.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Naming {
    /// In To or Cc.
    Addressed,
    /// An address written in its words.
    Written,
    /// A name found in the office's directory.
    Directory,
}

/// Sorts the people a request names: `named` from its To and Cc, `in_text` written in its words,
/// `by_name` found in the office's directory by the names it wrote. The calendar's own side (its
/// owner, the assistant, the office's shared addresses) and the requester are neither invited nor
/// left out; the office's other owners are invited like staff.
pub(super) fn sort(
    desk: &MeetingCase<'_>,
    requester: &Party,
    named: impl Iterator<Item = Party>,
    in_text: impl Iterator<Item = Party>,
    by_name: impl Iterator<Item = Party>,
) -> Invitees {
    let staff = of_the_office(desk, &requester.email);
    let requester_domain = domain(&requester.email);
    let mut invitees = Invitees::default();
    let named = named.map(|p| (p, Naming::Addressed));
    let in_text = in_text.map(|p| (p, Naming::Written));
    let by_name = by_name.map(|p| (p, Naming::Directory));
    for (party, naming) in named.chain(by_name).chain(in_text).take(MAX_PEOPLE) {
        let seen = invitees.invited.iter().any(|p| p.is(&party.email))
            || invitees.left_out.iter().any(|a| a.eq_ignore_ascii_case(&party.email));
        if desk.hosts(&party.email) || requester.is(&party.email) || seen {
            continue;
        }
        let same_domain =
            !requester_domain.is_empty() && domain(&party.email).eq_ignore_ascii_case(requester_domain);
        let may = staff
            || naming == Naming::Directory
            || (naming == Naming::Addressed && (same_domain || of_the_office(desk, &party.email)));
        if may {
            invitees.invited.push(party);
        } else {
            invitees.left_out.push(party.email);
        }
    }
    invitees
}

/// Whether `address` is one of the office's people: one of its own addresses or calendar owners, or
/// any address in one of their domains, or one of `[[staff]]` (by their address alone: a colleague
/// at a public provider does not make all its users the office's). This one test decides both who
/// counts as staff and whom a stranger may invite.
fn of_the_office(desk: &MeetingCase<'_>, address: &str) -> bool {
    let office = desk.cx.office;
    let domain = domain(address);
    let listed = office.staff.iter().any(|member| member.person.address.eq_ignore_ascii_case(address));
    listed
        || !domain.is_empty()
            && office.own_addresses().chain(office.calendars.iter().map(|c| c.owner.as_str())).any(|own| {
                own.eq_ignore_ascii_case(address) || self::domain(own).eq_ignore_ascii_case(domain)
            })
}

/// The domain of `address`, empty when it has none.
fn domain(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, d)| d.trim())
}
