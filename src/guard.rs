//! The auto-reply guard: decides whether clerk may answer a message automatically.
//!
//! An assistant that answers mail can start mail loops (two auto-responders answering each other), spam a
//! mailing list, answer bounces, or reply to people who only had it in Bcc. The design's "safety rules
//! that are never optional" list every situation in which clerk must stay silent; this module is their
//! single implementation. Every reason applies to a reply; which of them also keep a message out of a
//! desk's records, or hold back a calendar's answer, is one table ([`holds_back`]). Rule files can add
//! restrictions but cannot switch these off.
//!
//! A suppression only ever suppresses the *reply*: the message is still classified and processed (filed,
//! ticketed, forwarded to a person). That is why there is no "skip the whole message" kind of reason, and
//! why `X-Auto-Response-Suppress`, which Outlook also puts on ordinary human mail, is just one more reason.
//!
//! The per-sender rate limit is not here: it needs the store, so the executor applies it.

use std::fmt;

use crate::mail::compose::LOOP_HEADER;
use crate::mail::message::{Message, ReturnPath, domain_of, same_address as same};
use crate::office::Office;

/// What the guard needs to know about the office; built from `office.toml` by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardPolicy {
    /// The assistant's own address (`assistant@office.example`): replies are only sent to mail that names
    /// it as a recipient (see `require_assistant_recipient`).
    pub assistant: String,
    /// Every address clerk itself sends from or forwards to: the assistant and the department addresses.
    /// Mail *from* one of them is clerk's own mail or a forwarding loop, never answered. Exact addresses,
    /// compared ignoring case; staff members' personal addresses do not belong here, or colleagues could
    /// never get an acknowledgment.
    pub own_addresses: Vec<String>,
    /// The domain of clerk's own Message-IDs (`<clerk.HEX@office.example>`), so its own mail is recognised
    /// even when a relay strips the loop header.
    pub own_message_id_domain: String,
    /// Name of clerk's loop header, normally [`LOOP_HEADER`].
    pub loop_header: String,
    /// Only reply when the assistant is in To or Cc. RFC 3834 §2 asks this so that mail which reached the
    /// mailbox by Bcc, an alias or a list is not answered; a shared mailbox whose mail is addressed to
    /// other names may turn it off.
    pub require_assistant_recipient: bool,
}

impl GuardPolicy {
    /// The guard's view of `office`: the assistant, every address clerk sends from or forwards to,
    /// and whether replies need the assistant among the recipients.
    pub fn of(office: &Office) -> GuardPolicy {
        GuardPolicy {
            assistant: office.assistant.address.clone(),
            own_addresses: office.own_addresses().map(str::to_string).collect(),
            own_message_id_domain: domain_of(&office.assistant.address).to_string(),
            loop_header: LOOP_HEADER.to_string(),
            require_assistant_recipient: office.replies.require_assistant_recipient,
        }
    }

    /// The policy of an office whose only own address is the assistant's: Message-ID domain taken from
    /// that address, the default loop header, and the recipient check on.
    pub fn for_assistant(assistant: &str) -> GuardPolicy {
        let domain = assistant.rsplit_once('@').map_or("", |(_, d)| d);
        GuardPolicy {
            assistant: assistant.to_owned(),
            own_addresses: vec![assistant.to_owned()],
            own_message_id_domain: domain.to_owned(),
            loop_header: LOOP_HEADER.to_owned(),
            require_assistant_recipient: true,
        }
    }
}

/// One reason not to auto-reply, with the evidence from the message, so the log and `clerk explain` can
/// say exactly what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suppression {
    /// `Auto-Submitted` other than `no` (RFC 3834): the message itself is automatic.
    AutoSubmitted { value: String },
    /// `Return-Path: <>`: a bounce or notification, which must never be answered (RFC 3834 §4, RFC 5321).
    EmptyReturnPath,
    /// The From or Return-Path address is a system or no-reply mailbox (`mailer-daemon`, `noreply-x`,
    /// `owner-list`, `list-request`, `bounces`…); nobody reads replies there, or software does.
    SystemSender { header: &'static str, address: String },
    /// A `List-*` header (RFC 2369/2919): mail from a mailing list, whose subscribers must not get replies.
    MailingList { header: String, value: String },
    /// `Precedence` or `X-Precedence` bulk, list, junk or auto_reply: the sender's own mark of mass or
    /// automatic mail.
    Precedence { header: String, value: String },
    /// A header that some vendor's auto-responder adds (`X-Autoreply`, `X-Autorespond`, `X-Loop`, …).
    VendorAutoReply { header: String, value: String },
    /// A `multipart/report` (RFC 6522): a bounce (`delivery-status`), a read receipt
    /// (`disposition-notification`) or an abuse report — always machine-written.
    Report { report_type: String },
    /// `X-Failed-Recipients`: the bounce header of Exim and others.
    FailedRecipients { value: String },
    /// `X-Auto-Response-Suppress` with `All`, `OOF` or `AutoReply`: the sender asked not to be answered
    /// automatically (Microsoft's header, set by Outlook and Exchange).
    ResponseSuppressed { value: String },
    /// The sender is one of the office's own addresses.
    OwnAddress { address: String },
    /// The message carries clerk's own loop header: clerk sent it.
    OwnLoopHeader { header: String, value: String },
    /// The Message-ID is one clerk makes: clerk sent it.
    OwnMessageId { message_id: String },
    /// The assistant is not among the To/Cc recipients.
    AssistantNotRecipient { assistant: String },
    /// There is no address to reply to at all (no Return-Path, Reply-To or From).
    NoReplyAddress,
}

impl Suppression {
    /// Whether this reason shows the message was written by a machine rather than a person (it is not
    /// about the office's setup or the sender's wishes). [`is_automatic`] is the union of these.
    pub fn means_automatic(&self) -> bool {
        match self {
            Suppression::AutoSubmitted { .. }
            | Suppression::EmptyReturnPath
            | Suppression::MailingList { .. }
            | Suppression::Precedence { .. }
            | Suppression::VendorAutoReply { .. }
            | Suppression::Report { .. }
            | Suppression::FailedRecipients { .. } => true,
            Suppression::SystemSender { address, .. } => is_machine_mailbox(local_part(address)),
            Suppression::ResponseSuppressed { .. }
            | Suppression::OwnAddress { .. }
            | Suppression::OwnLoopHeader { .. }
            | Suppression::OwnMessageId { .. }
            | Suppression::AssistantNotRecipient { .. }
            | Suppression::NoReplyAddress => false,
        }
    }
}

/// One line for people: what was seen and why it matters. Values from the message are shown as written
/// but with control characters replaced and long values cut, so a hostile header cannot forge log lines.
impl fmt::Display for Suppression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Suppression::AutoSubmitted { value } => {
                write!(f, "Auto-Submitted: {} (RFC 3834)", Shown(value))
            }
            Suppression::EmptyReturnPath => {
                f.write_str("Return-Path: <> (empty envelope sender: a bounce or notification)")
            }
            Suppression::SystemSender { header, address } => {
                write!(f, "sender {} ({header}) is a system address", Shown(address))
            }
            Suppression::MailingList { header, value } => {
                write!(f, "{}: {} (mailing-list mail)", Shown(header), Shown(value))
            }
            Suppression::Precedence { header, value } => {
                write!(f, "{}: {} (bulk or automatic mail)", Shown(header), Shown(value))
            }
            Suppression::VendorAutoReply { header, value } => {
                write!(f, "{}: {} (auto-responder header)", Shown(header), Shown(value))
            }
            Suppression::Report { report_type } if report_type == "delivery-status" => {
                f.write_str("multipart/report; report-type=delivery-status (a bounce)")
            }
            Suppression::Report { report_type } => {
                write!(f, "multipart/report; report-type={} (an automatic report)", Shown(report_type))
            }
            Suppression::FailedRecipients { value } => {
                write!(f, "X-Failed-Recipients: {} (a bounce)", Shown(value))
            }
            Suppression::ResponseSuppressed { value } => write!(
                f,
                "X-Auto-Response-Suppress: {} (the sender asked for no automatic replies)",
                Shown(value)
            ),
            Suppression::OwnAddress { address } => {
                write!(f, "sender {} is one of the office's own addresses", Shown(address))
            }
            Suppression::OwnLoopHeader { header, value } => {
                write!(f, "{}: {} (clerk's own loop header: clerk sent this)", Shown(header), Shown(value))
            }
            Suppression::OwnMessageId { message_id } => {
                write!(f, "Message-ID <{}> is clerk's own", Shown(message_id))
            }
            Suppression::AssistantNotRecipient { assistant } => {
                write!(f, "{} is not among the To/Cc recipients", Shown(assistant))
            }
            Suppression::NoReplyAddress => {
                f.write_str("no address to reply to (no Return-Path, Reply-To or From)")
            }
        }
    }
}

/// Displays untrusted text safely on one line.
struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX_CHARS: usize = 200;
        for (i, c) in self.0.chars().enumerate() {
            if i == MAX_CHARS {
                return f.write_str("…");
            }
            if c.is_control() {
                f.write_str("\u{fffd}")?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// Every reason not to auto-reply to `msg`, in a stable order (the order of the design's list); empty
/// means a reply is allowed (subject to the executor's rate limit).
///
/// All reasons are collected, not just the first, so `explain` shows the whole picture. Each kind of
/// reason appears once, with its first piece of evidence; a system sender may appear twice (From and
/// Return-Path) when they differ.
pub fn check(msg: &Message, policy: &GuardPolicy) -> Vec<Suppression> {
    let mut reasons = machine_evidence(msg);

    // Without a Return-Path the reply goes to Reply-To, which must pass the same sender checks: a
    // machine mailbox or one of the office's own there would start a loop as surely as in From.
    let reply_to = match msg.return_path {
        ReturnPath::Absent => msg.reply_to.first().map(|a| a.email.as_str()),
        ReturnPath::Address(_) | ReturnPath::Empty => None,
    };
    if let Some(address) = reply_to
        && is_system_mailbox(local_part(address))
        && !reasons
            .iter()
            .any(|r| matches!(r, Suppression::SystemSender { address: seen, .. } if same(seen, address)))
    {
        reasons.push(Suppression::SystemSender { header: "Reply-To", address: address.to_owned() });
    }
    let mut own = None;
    for address in msg.from.iter().map(|a| a.email.as_str()).chain(return_path_address(msg)).chain(reply_to) {
        if own.is_none() && policy.own_addresses.iter().any(|o| same(o, address)) {
            own = Some(address);
        }
    }
    if let Some(address) = own {
        reasons.push(Suppression::OwnAddress { address: address.to_owned() });
    }
    if !policy.loop_header.is_empty()
        && let Some(value) = msg.header(&policy.loop_header)
    {
        reasons
            .push(Suppression::OwnLoopHeader { header: policy.loop_header.clone(), value: value.to_owned() });
    }
    if let Some(id) = &msg.message_id
        && is_own_message_id(id, &policy.own_message_id_domain)
    {
        reasons.push(Suppression::OwnMessageId { message_id: id.clone() });
    }
    if policy.require_assistant_recipient && !msg.to.iter().chain(&msg.cc).any(|a| a.is(&policy.assistant)) {
        reasons.push(Suppression::AssistantNotRecipient { assistant: policy.assistant.clone() });
    }
    if msg.return_path != ReturnPath::Empty && msg.reply_target().is_none() {
        reasons.push(Suppression::NoReplyAddress);
    }
    reasons
}

/// What clerk is about to do with a message, which decides which of the guard's reasons hold it
/// back: see [`holds_back`], the one table of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Mail written back to the sender: a rule's `reply`, a ticket's acknowledgment, a supply
    /// desk's answer.
    Reply,
    /// Taking the message into a desk's records at all (opening or continuing a ticket, a colleague's
    /// supply request): only mail a person wrote, and never clerk's own come back.
    Record,
    /// An iMIP answer to an invitation or a reply of the calendar's, and the meeting desk's answers to
    /// requests in words: Outlook marks every invitation it sends X-Auto-Response-Suppress, and the
    /// owner inviting the assistant, or asking it for a time, is mail clerk must answer.
    CalendarAnswer,
    /// Reading a vendor's answer to one of clerk's purchase orders: an order system's mail is
    /// automatic by nature; only a bounce, or clerk's own mail back, is no answer.
    VendorAnswer,
    /// Passing the message on to people of the office (a rule's `forward`, a ticket to its
    /// department): anything a person may want to read goes, but never clerk's own mail, which
    /// would come back again.
    Forward,
}

/// Whether `reason` holds back `answer`: the row of [`table_row`] for the reason, the column of the
/// answer.
pub fn holds_back(reason: &Suppression, answer: Answer) -> bool {
    let column = match answer {
        Answer::Reply => 0,
        Answer::Record => 1,
        Answer::CalendarAnswer => 2,
        Answer::VendorAnswer => 3,
        Answer::Forward => 4,
    };
    match table_row(reason)[column] {
        Holds::Yes => true,
        Holds::No => false,
        Holds::IfMachine => reason.means_automatic(),
    }
}

/// A cell of [`table_row`].
enum Holds {
    Yes,
    No,
    /// When the address is a machine mailbox: a `noreply` is, a `postmaster` people read is not.
    IfMachine,
}

/// Which reasons hold back which answers, one row per kind of reason.
#[rustfmt::skip]
fn table_row(reason: &Suppression) -> [Holds; 5] {
    use Holds::{IfMachine, No, Yes};
    match reason {
        //                                           Reply  Record     Calendar  Vendor  Forward
        Suppression::AutoSubmitted { .. }         => [Yes,  Yes,       Yes,      No,     No ],
        Suppression::EmptyReturnPath              => [Yes,  Yes,       Yes,      Yes,    No ],
        Suppression::SystemSender { .. }          => [Yes,  IfMachine, No,       No,     No ],
        Suppression::MailingList { .. }           => [Yes,  Yes,       Yes,      No,     No ],
        Suppression::Precedence { .. }            => [Yes,  Yes,       Yes,      No,     No ],
        Suppression::VendorAutoReply { .. }       => [Yes,  Yes,       Yes,      No,     No ],
        Suppression::Report { .. }                => [Yes,  Yes,       Yes,      Yes,    No ],
        Suppression::FailedRecipients { .. }      => [Yes,  Yes,       Yes,      Yes,    No ],
        Suppression::ResponseSuppressed { .. }    => [Yes,  No,        No,       No,     No ],
        Suppression::OwnAddress { .. }            => [Yes,  No,        No,       No,     No ],
        Suppression::OwnLoopHeader { .. }         => [Yes,  Yes,       Yes,      Yes,    Yes],
        Suppression::OwnMessageId { .. }          => [Yes,  Yes,       Yes,      Yes,    Yes],
        Suppression::AssistantNotRecipient { .. } => [Yes,  No,        No,       No,     No ],
        Suppression::NoReplyAddress               => [Yes,  No,        No,       No,     No ],
    }
}

/// The guard's reading of one message, made once when the message is decided on and consulted by
/// everything that acts on it (the rules' actions, the desks, and the last check of every mail
/// before it is queued), so that all of them apply the same reasons through the same table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    reasons: Vec<Suppression>,
}

impl Verdict {
    /// Every reason the guard finds in `msg` under `policy` (see [`check`]).
    pub fn of(msg: &Message, policy: &GuardPolicy) -> Verdict {
        Verdict { reasons: check(msg, policy) }
    }

    /// The reasons that hold back `answer`, in the order [`check`] found them.
    pub fn holding_back(&self, answer: Answer) -> impl Iterator<Item = &Suppression> {
        self.reasons.iter().filter(move |reason| holds_back(reason, answer))
    }

    /// Whether anything holds back `answer`.
    pub fn holds_back(&self, answer: Answer) -> bool {
        self.holding_back(answer).next().is_some()
    }

    /// The reasons that hold back `answer`, each in words, for notes and `explain`.
    pub fn why_not(&self, answer: Answer) -> Vec<String> {
        self.holding_back(answer).map(ToString::to_string).collect()
    }
}

/// Whether the message was sent by a machine: auto-submitted, a bounce or report, list or bulk mail, a
/// vendor auto-reply, or from a machine mailbox (`mailer-daemon`, `noreply`, list robots). Rules use it
/// as a condition (file machine mail away, never open a ticket for it).
///
/// Not automatic: `X-Auto-Response-Suppress` alone (Outlook sets it on mail people write) and mail from
/// role mailboxes people read (`postmaster`, `abuse`, `root`), which still never get an auto-reply.
pub fn is_automatic(msg: &Message) -> bool {
    machine_evidence(msg).iter().any(Suppression::means_automatic)
}

/// The signs in its headers that a machine wrote `msg` (automatic headers, an empty Return-Path, a
/// system sender, a list, a report), each as the guard names it: what the intent readers weigh.
pub fn machine_signs(msg: &Message) -> Vec<Suppression> {
    machine_evidence(msg)
}

/// The reasons that depend on the message alone, in the design's order.
fn machine_evidence(msg: &Message) -> Vec<Suppression> {
    let mut reasons = Vec::new();

    if let Some(value) =
        msg.headers_named("Auto-Submitted").find(|v| !first_token(v).eq_ignore_ascii_case("no"))
    {
        reasons.push(Suppression::AutoSubmitted { value: value.to_owned() });
    }
    if msg.return_path == ReturnPath::Empty {
        reasons.push(Suppression::EmptyReturnPath);
    }
    // The sender is the first From address (a From with several has a Sender, checked via the
    // Return-Path in practice) and the envelope sender; once each, once if they are the same.
    let from = msg.from.first().map(|a| ("From", a.email.as_str()));
    let envelope = return_path_address(msg).map(|a| ("Return-Path", a));
    let mut system: Option<&str> = None;
    for (header, address) in from.into_iter().chain(envelope) {
        if is_system_mailbox(local_part(address)) && !system.is_some_and(|seen| same(seen, address)) {
            system = Some(address);
            reasons.push(Suppression::SystemSender { header, address: address.to_owned() });
        }
    }
    if let Some((name, value)) = msg.headers.iter().find(|(name, _)| starts_with_ignore_case(name, "List-")) {
        reasons.push(Suppression::MailingList { header: name.clone(), value: value.clone() });
    }
    if let Some((name, value)) = msg.headers.iter().find(|(name, value)| {
        (name.eq_ignore_ascii_case("Precedence") || name.eq_ignore_ascii_case("X-Precedence"))
            && ["bulk", "list", "junk", "auto_reply", "auto-reply"]
                .iter()
                .any(|p| first_token(value).eq_ignore_ascii_case(p))
    }) {
        reasons.push(Suppression::Precedence { header: name.clone(), value: value.clone() });
    }
    if let Some((name, value)) = msg.headers.iter().find(|(name, value)| is_vendor_auto_reply(name, value)) {
        reasons.push(Suppression::VendorAutoReply { header: name.clone(), value: value.clone() });
    }
    if msg.content_type == "multipart/report" {
        let report_type = msg
            .content_type_params
            .iter()
            .find(|(name, _)| name == "report-type")
            .map(|(_, value)| value.to_ascii_lowercase())
            .unwrap_or_default();
        reasons.push(Suppression::Report { report_type });
    }
    if let Some(value) = msg.header("X-Failed-Recipients") {
        reasons.push(Suppression::FailedRecipients { value: value.to_owned() });
    }
    if let Some(value) = msg.headers_named("X-Auto-Response-Suppress").find(|v| {
        v.split(',').any(|t| ["all", "oof", "autoreply"].iter().any(|s| t.trim().eq_ignore_ascii_case(s)))
    }) {
        reasons.push(Suppression::ResponseSuppressed { value: value.to_owned() });
    }
    reasons
}

fn return_path_address(msg: &Message) -> Option<&str> {
    match &msg.return_path {
        ReturnPath::Address(address) => Some(address),
        ReturnPath::Absent | ReturnPath::Empty => None,
    }
}

/// The headers of auto-responders that do not set Auto-Submitted. Presence is enough, except for
/// `X-Autogenerated`, which Exchange also sets to other values (`Forward`, `Group`) on mail that may be
/// answered.
fn is_vendor_auto_reply(name: &str, value: &str) -> bool {
    const PRESENCE: [&str; 6] = [
        "X-Autoreply",
        "X-Autorespond",
        "X-AutoReply-From",
        "X-Mail-Autoreply",
        "X-Loop",
        "X-FC-Machinegenerated",
    ];
    PRESENCE.iter().any(|h| name.eq_ignore_ascii_case(h))
        || (name.eq_ignore_ascii_case("X-Autogenerated") && first_token(value).eq_ignore_ascii_case("reply"))
}

/// A mailbox that replies must not go to: software (see [`is_machine_mailbox`]) or a role address
/// people read but that must never receive automatic mail (`postmaster`, `abuse`, `root`).
fn is_system_mailbox(local: &str) -> bool {
    ["postmaster", "abuse", "root"].iter().any(|role| local.eq_ignore_ascii_case(role))
        || is_machine_mailbox(local)
}

/// A mailbox run by software, judged by its local part, ignoring case:
/// - `mailer-daemon` (also written `mailer_daemon`, `mailerdaemon`), `listserv`, `majordomo`;
/// - no-reply addresses: `noreply`, `no-reply`, `no_reply`, `donotreply`, `do-not-reply` anywhere in the
///   local part (`noreply-billing`, `no-reply+abc`, `drive-shares-noreply`), separators ignored;
/// - list robots: `owner-*` and `*-request` (RFC 2142, RFC 3834 §2);
/// - bounce handlers: `bounce`, `bounces`, `bounce(s)-*`, `*-bounce(s)`, `bounce(s)+*` (Mailman's and
///   VERP return addresses, seen in the Return-Path of list mail).
///
/// Whole words only for the rest, so `rootbeer@` or `bounced-cheques@` are people.
fn is_machine_mailbox(local: &str) -> bool {
    let local = local.to_ascii_lowercase();
    let squeezed: String = local.chars().filter(|c| !matches!(c, '-' | '_' | '.')).collect();
    let before_tag = local.split('+').next().unwrap_or_default();
    matches!(squeezed.as_str(), "mailerdaemon" | "listserv" | "majordomo")
        || squeezed.contains("noreply")
        || squeezed.contains("donotreply")
        || local.starts_with("owner-")
        || local.ends_with("-request")
        || matches!(before_tag, "bounce" | "bounces")
        || ["bounce-", "bounces-"].iter().any(|p| local.starts_with(p))
        || ["-bounce", "-bounces"].iter().any(|s| before_tag.ends_with(s))
}

fn is_own_message_id(id: &str, domain: &str) -> bool {
    !domain.is_empty()
        && id.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("clerk."))
        && id.rsplit_once('@').is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain))
}

fn local_part(address: &str) -> &str {
    address.rsplit_once('@').map_or(address, |(local, _)| local)
}

/// The value up to the first `;`, `(` or white space: `auto-replied; foo` → `auto-replied`.
fn first_token(value: &str) -> &str {
    value.split([';', '(', ' ', '\t']).find(|t| !t.is_empty()).unwrap_or_default()
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests;
