//! Who a request in words may have invited: strangers cannot make the office write to others.
//!
//! A request from the office's own people (an address of the office, or any address in one of its
//! domains) invites everyone it names, in To, Cc or its text. A request from anyone else invites the
//! sender and those of the addresses it was sent to (To, Cc) that are the sender's own domain or the
//! office's; an address written in its text is never invited, nor is anyone else it was sent to. Those
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

/// Sorts the people a request names: `named` from its To and Cc, `in_text` written in its words.
/// The office's own calendar side and the requester are neither invited nor left out.
pub(super) fn sort(
    desk: &MeetingCase<'_>,
    requester: &Party,
    named: impl Iterator<Item = Party>,
    in_text: impl Iterator<Item = Party>,
) -> Invitees {
    let staff = of_the_office(desk, &requester.email);
    let requester_domain = domain(&requester.email);
    let mut invitees = Invitees::default();
    let named = named.map(|p| (p, false));
    let in_text = in_text.map(|p| (p, true));
    for (party, written) in named.chain(in_text).take(MAX_PEOPLE) {
        let seen = invitees.invited.iter().any(|p| p.is(&party.email))
            || invitees.left_out.iter().any(|a| a.eq_ignore_ascii_case(&party.email));
        if desk.is_ours(&party.email) || requester.is(&party.email) || seen {
            continue;
        }
        let same_domain =
            !requester_domain.is_empty() && domain(&party.email).eq_ignore_ascii_case(requester_domain);
        let may = staff || (!written && (same_domain || of_the_office(desk, &party.email)));
        if may {
            invitees.invited.push(party);
        } else {
            invitees.left_out.push(party.email);
        }
    }
    invitees
}

/// Whether `address` is one of the office's people: one of its own addresses or calendar owners, or
/// any address in one of their domains. The staff directory (issue #19) adds its people here, and
/// with it this one test decides both who counts as staff and whom a stranger may invite.
fn of_the_office(desk: &MeetingCase<'_>, address: &str) -> bool {
    let office = desk.cx.office;
    let domain = domain(address);
    !domain.is_empty()
        && office
            .own_addresses()
            .chain(office.calendars.iter().map(|c| c.owner.as_str()))
            .any(|own| own.eq_ignore_ascii_case(address) || self::domain(own).eq_ignore_ascii_case(domain))
}

/// The domain of `address`, empty when it has none.
fn domain(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, d)| d.trim())
}
