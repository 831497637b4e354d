//! The auto-reply guard: decides whether clerk may answer a message automatically.
//!
//! An assistant that answers mail can start mail loops (two auto-responders answering each other), spam a
//! mailing list, answer bounces, or reply to people who only had it in Bcc. The design's "safety rules
//! that are never optional" list every situation in which clerk must stay silent; this module is their
//! single implementation, applied by the executor to every reply a rule or desk asks for. Rule files can
//! add restrictions but cannot switch these off.
//!
//! A suppression only ever suppresses the *reply*: the message is still classified and processed (filed,
//! ticketed, forwarded to a person). That is why there is no "skip the whole message" kind of reason, and
//! why `X-Auto-Response-Suppress`, which Outlook also puts on ordinary human mail, is just one more reason.
//!
//! The per-sender rate limit is not here: it needs the store, so the executor applies it.

use std::fmt;

use crate::mail::message::{Message, ReturnPath, same_address as same};

/// The header clerk puts on everything it sends, so it recognises its own mail coming back.
pub const DEFAULT_LOOP_HEADER: &str = "X-Clerk-Loop";

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
    /// Name of clerk's loop header, normally [`DEFAULT_LOOP_HEADER`].
    pub loop_header: String,
    /// Only reply when the assistant is in To or Cc. RFC 3834 §2 asks this so that mail which reached the
    /// mailbox by Bcc, an alias or a list is not answered; a shared mailbox whose mail is addressed to
    /// other names may turn it off.
    pub require_assistant_recipient: bool,
}

impl GuardPolicy {
    /// The policy of an office whose only own address is the assistant's: Message-ID domain taken from
    /// that address, the default loop header, and the recipient check on.
    pub fn for_assistant(assistant: &str) -> GuardPolicy {
        let domain = assistant.rsplit_once('@').map_or("", |(_, d)| d);
        GuardPolicy {
            assistant: assistant.to_owned(),
            own_addresses: vec![assistant.to_owned()],
            own_message_id_domain: domain.to_owned(),
            loop_header: DEFAULT_LOOP_HEADER.to_owned(),
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

    let mut own = None;
    for address in msg.from.iter().map(|a| a.email.as_str()).chain(return_path_address(msg)) {
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

/// Whether the message was sent by a machine: auto-submitted, a bounce or report, list or bulk mail, a
/// vendor auto-reply, or from a machine mailbox (`mailer-daemon`, `noreply`, list robots). Rules use it
/// as a condition (file machine mail away, never open a ticket for it).
///
/// Not automatic: `X-Auto-Response-Suppress` alone (Outlook sets it on mail people write) and mail from
/// role mailboxes people read (`postmaster`, `abuse`, `root`), which still never get an auto-reply.
pub fn is_automatic(msg: &Message) -> bool {
    machine_evidence(msg).iter().any(Suppression::means_automatic)
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
mod tests {
    use super::*;

    const ASSISTANT: &str = "assistant@office.example";

    fn policy() -> GuardPolicy {
        GuardPolicy {
            own_addresses: vec![ASSISTANT.into(), "accounts@office.example".into()],
            ..GuardPolicy::for_assistant(ASSISTANT)
        }
    }

    /// An ordinary message from a person to the assistant, with `extra` header lines added.
    fn human_mail(extra: &str) -> Message {
        let raw = format!(
            "Return-Path: <anna@example.com>\n\
             From: Anna Rossi <anna@example.com>\n\
             To: Office <assistant@office.example>\n\
             Subject: Opening hours\n\
             Message-ID: <CAF1234@mail.example.com>\n\
             {extra}\
             Content-Type: text/plain; charset=utf-8\n\
             \n\
             When are you open on Saturday?\n"
        );
        Message::parse(raw.as_bytes()).expect("test mail parses")
    }

    fn reasons(extra: &str) -> Vec<Suppression> {
        check(&human_mail(extra), &policy())
    }

    fn only_reason(extra: &str) -> Suppression {
        let mut found = reasons(extra);
        assert_eq!(found.len(), 1, "expected one reason, got {found:?}");
        found.remove(0)
    }

    fn with_sender(from: &str, return_path: &str) -> Vec<Suppression> {
        let raw =
            format!("Return-Path: <{return_path}>\nFrom: {from}\nTo: {ASSISTANT}\nSubject: x\n\nbody\n");
        check(&Message::parse(raw.as_bytes()).expect("parses"), &policy())
    }

    #[test]
    fn ordinary_human_mail_may_be_answered() {
        assert_eq!(reasons(""), []);
        assert!(!is_automatic(&human_mail("")));
    }

    #[test]
    fn auto_submitted_suppresses() {
        assert_eq!(
            only_reason("Auto-Submitted: auto-replied\n"),
            Suppression::AutoSubmitted { value: "auto-replied".into() }
        );
        assert!(is_automatic(&human_mail("Auto-Submitted: auto-generated\n")));
    }

    #[test]
    fn auto_submitted_parameters_are_ignored() {
        assert!(matches!(
            only_reason("Auto-Submitted: Auto-Generated; type=warning (timeout)\n"),
            Suppression::AutoSubmitted { .. }
        ));
        assert_eq!(reasons("Auto-Submitted: No ; comment\n"), []);
    }

    #[test]
    fn auto_submitted_no_is_allowed() {
        assert_eq!(reasons("Auto-Submitted: no\n"), []);
    }

    #[test]
    fn empty_return_path_suppresses() {
        let raw = format!("Return-Path: <>\nFrom: anna@example.com\nTo: {ASSISTANT}\n\nx\n");
        let msg = Message::parse(raw.as_bytes()).expect("parses");
        assert_eq!(check(&msg, &policy()), [Suppression::EmptyReturnPath]);
        assert!(is_automatic(&msg));
    }

    #[test]
    fn system_senders_are_never_answered() {
        for local in [
            "mailer-daemon",
            "MAILER-DAEMON",
            "postmaster",
            "abuse",
            "root",
            "noreply",
            "no-reply",
            "no_reply",
            "donotreply",
            "do-not-reply",
            "noreply-billing",
            "no-reply+abc",
            "drive-shares-noreply",
            "listserv",
            "majordomo",
            "owner-office-news",
            "office-news-request",
            "bounces",
            "bounce-123-anna=example.com",
            "office-news-bounces",
            "bounces+anna=example.com",
        ] {
            let address = format!("{local}@example.net");
            assert_eq!(
                with_sender(&address, "anna@example.com"),
                [Suppression::SystemSender { header: "From", address: address.clone() }],
                "{local}"
            );
        }
    }

    #[test]
    fn a_system_return_path_suppresses_even_with_a_human_from() {
        assert_eq!(
            with_sender("anna@example.com", "news-bounces@lists.example.org"),
            [Suppression::SystemSender {
                header: "Return-Path",
                address: "news-bounces@lists.example.org".into()
            }]
        );
    }

    #[test]
    fn a_system_sender_in_both_from_and_return_path_is_one_reason() {
        assert_eq!(with_sender("noreply@example.net", "NoReply@example.net").len(), 1);
    }

    #[test]
    fn addresses_merely_containing_a_system_word_are_people() {
        for local in [
            "rootbeer",
            "root.canal",
            "abusive.poet",
            "postmasters-guild",
            "bounced-cheques",
            "requester",
            "owner",
            "daemon-hunter",
            "anna",
        ] {
            assert_eq!(with_sender(&format!("{local}@example.net"), "anna@example.com"), [], "{local}");
        }
    }

    #[test]
    fn role_mailboxes_are_not_automatic_but_machine_mailboxes_are() {
        let from = |address: &str| {
            Message::parse(format!("From: {address}\nTo: {ASSISTANT}\n\nx\n").as_bytes()).expect("parses")
        };
        assert!(!is_automatic(&from("postmaster@example.net")));
        assert!(!is_automatic(&from("root@example.net")));
        assert!(is_automatic(&from("noreply@example.net")));
        assert!(is_automatic(&from("MAILER-DAEMON@example.net")));
    }

    #[test]
    fn any_list_header_suppresses_once() {
        assert_eq!(
            only_reason("List-Id: Office news <news.example.org>\nList-Unsubscribe: <mailto:u@x>\n"),
            Suppression::MailingList {
                header: "List-Id".into(),
                value: "Office news <news.example.org>".into()
            }
        );
        assert!(matches!(
            only_reason("list-post: <mailto:news@example.org>\n"),
            Suppression::MailingList { .. }
        ));
    }

    #[test]
    fn precedence_bulk_list_junk_and_auto_reply_suppress() {
        for value in ["bulk", "list", "junk", "auto_reply", "BULK"] {
            for header in ["Precedence", "X-Precedence"] {
                assert_eq!(
                    only_reason(&format!("{header}: {value}\n")),
                    Suppression::Precedence { header: header.into(), value: value.into() }
                );
            }
        }
    }

    #[test]
    fn other_precedence_values_are_allowed() {
        assert_eq!(reasons("Precedence: first-class\n"), []);
        assert_eq!(reasons("Precedence: normal\n"), []);
    }

    #[test]
    fn vendor_auto_reply_headers_suppress() {
        for header in [
            "X-Autoreply: yes",
            "X-Autorespond: on vacation",
            "X-AutoReply-From: anna@example.com",
            "X-Mail-Autoreply: 1",
            "X-Autogenerated: Reply",
            "X-Loop: anna@example.com",
            "X-FC-MachineGenerated: true",
        ] {
            assert!(
                matches!(only_reason(&format!("{header}\n")), Suppression::VendorAutoReply { .. }),
                "{header}"
            );
        }
    }

    #[test]
    fn x_autogenerated_other_than_reply_is_allowed() {
        assert_eq!(reasons("X-Autogenerated: Forward\n"), []);
    }

    #[test]
    fn a_delivery_status_report_is_a_bounce() {
        let raw = format!(
            "From: anna@example.com\nTo: {ASSISTANT}\n\
             Content-Type: multipart/report; report-type=Delivery-Status; boundary=b\n\n\
             --b\nContent-Type: text/plain\n\nfailed\n--b--\n"
        );
        let msg = Message::parse(raw.as_bytes()).expect("parses");
        let found = check(&msg, &policy());
        assert_eq!(found, [Suppression::Report { report_type: "delivery-status".into() }]);
        assert_eq!(found[0].to_string(), "multipart/report; report-type=delivery-status (a bounce)");
        assert!(is_automatic(&msg));
    }

    #[test]
    fn a_read_receipt_report_is_automatic_too() {
        let raw = format!(
            "From: anna@example.com\nTo: {ASSISTANT}\n\
             Content-Type: multipart/report; report-type=disposition-notification; boundary=b\n\n\
             --b\nContent-Type: text/plain\n\nread\n--b--\n"
        );
        let msg = Message::parse(raw.as_bytes()).expect("parses");
        assert!(matches!(check(&msg, &policy())[..], [Suppression::Report { .. }]));
    }

    #[test]
    fn x_failed_recipients_is_a_bounce() {
        assert!(matches!(
            only_reason("X-Failed-Recipients: bob@example.net\n"),
            Suppression::FailedRecipients { .. }
        ));
    }

    #[test]
    fn auto_response_suppress_all_oof_or_autoreply_suppresses_the_reply() {
        for value in ["All", "OOF", "DR, RN, NRN, OOF, AutoReply", "autoreply"] {
            assert_eq!(
                only_reason(&format!("X-Auto-Response-Suppress: {value}\n")),
                Suppression::ResponseSuppressed { value: value.into() },
                "{value}"
            );
        }
    }

    #[test]
    fn auto_response_suppress_of_receipts_only_is_allowed() {
        assert_eq!(reasons("X-Auto-Response-Suppress: DR, RN, NRN\n"), []);
    }

    #[test]
    fn auto_response_suppress_alone_does_not_make_mail_automatic() {
        assert!(!is_automatic(&human_mail("X-Auto-Response-Suppress: All\n")));
    }

    #[test]
    fn mail_from_an_own_address_is_not_answered() {
        assert_eq!(
            with_sender("Accounts@Office.example", "accounts@office.example"),
            [Suppression::OwnAddress { address: "Accounts@Office.example".into() }]
        );
    }

    #[test]
    fn clerks_loop_header_suppresses() {
        assert_eq!(
            only_reason("x-clerk-loop: assistant@office.example\n"),
            Suppression::OwnLoopHeader {
                header: DEFAULT_LOOP_HEADER.into(),
                value: "assistant@office.example".into()
            }
        );
    }

    #[test]
    fn clerks_own_message_id_suppresses() {
        let raw = format!(
            "From: anna@example.com\nTo: {ASSISTANT}\nMessage-ID: <clerk.9f2c41@office.example>\n\nx\n"
        );
        let msg = Message::parse(raw.as_bytes()).expect("parses");
        assert_eq!(
            check(&msg, &policy()),
            [Suppression::OwnMessageId { message_id: "clerk.9f2c41@office.example".into() }]
        );
    }

    #[test]
    fn a_clerk_like_message_id_from_another_domain_is_allowed() {
        let raw =
            format!("From: anna@example.com\nTo: {ASSISTANT}\nMessage-ID: <clerk.9f2c41@example.com>\n\nx\n");
        let msg = Message::parse(raw.as_bytes()).expect("parses");
        assert_eq!(check(&msg, &policy()), []);
    }

    #[test]
    fn a_human_reply_to_clerks_mail_is_allowed() {
        assert_eq!(reasons("In-Reply-To: <clerk.9f2c41@office.example>\n"), []);
    }

    #[test]
    fn assistant_only_in_bcc_is_not_answered() {
        let raw = "From: anna@example.com\nTo: sales@example.org\nCc: bob@example.org\n\nx\n";
        let msg = Message::parse(raw.as_bytes()).expect("parses");
        assert_eq!(
            check(&msg, &policy()),
            [Suppression::AssistantNotRecipient { assistant: ASSISTANT.into() }]
        );
    }

    #[test]
    fn assistant_in_cc_counts_as_recipient() {
        let raw = format!("From: anna@example.com\nTo: sales@example.org\nCc: {ASSISTANT}\n\nx\n");
        let msg = Message::parse(raw.as_bytes()).expect("parses");
        assert_eq!(check(&msg, &policy()), []);
    }

    #[test]
    fn the_recipient_check_can_be_turned_off_for_shared_mailboxes() {
        let raw = "From: anna@example.com\nTo: frontdesk@example.org\n\nx\n";
        let msg = Message::parse(raw.as_bytes()).expect("parses");
        let shared = GuardPolicy { require_assistant_recipient: false, ..policy() };
        assert_eq!(check(&msg, &shared), []);
    }

    #[test]
    fn a_message_without_any_sender_address_cannot_be_answered() {
        let raw = format!("To: {ASSISTANT}\nSubject: who am I\n\nx\n");
        let msg = Message::parse(raw.as_bytes()).expect("parses");
        assert_eq!(check(&msg, &policy()), [Suppression::NoReplyAddress]);
    }

    #[test]
    fn every_reason_is_reported_in_a_stable_order() {
        let found = reasons(
            "X-Auto-Response-Suppress: All\nPrecedence: bulk\nList-Id: <l.example.org>\n\
             Auto-Submitted: auto-generated\nX-Clerk-Loop: 1\n",
        );
        let kinds: Vec<_> =
            found.iter().map(|s| s.to_string().split(':').next().unwrap_or_default().to_owned()).collect();
        assert_eq!(
            kinds,
            ["Auto-Submitted", "List-Id", "Precedence", "X-Auto-Response-Suppress", "X-Clerk-Loop"]
        );
    }

    #[test]
    fn display_is_one_readable_line_even_for_hostile_values() {
        assert_eq!(
            Suppression::AutoSubmitted { value: "auto-replied".into() }.to_string(),
            "Auto-Submitted: auto-replied (RFC 3834)"
        );
        assert_eq!(
            Suppression::SystemSender { header: "From", address: "mailer-daemon@x.example".into() }
                .to_string(),
            "sender mailer-daemon@x.example (From) is a system address"
        );
        let hostile = Suppression::VendorAutoReply {
            header: "X-Loop".into(),
            value: format!("a\r\nINFO forged line{}", "x".repeat(500)),
        }
        .to_string();
        assert!(!hostile.contains(['\r', '\n']));
        assert!(hostile.chars().count() < 300);
    }
}
