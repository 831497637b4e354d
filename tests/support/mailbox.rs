//! Putting mail into a [`Dovecot`] the way the world does (LMTP delivery, IMAP APPEND) and looking at a user's
//! mailbox the way a person's mail program does (IMAP, read-only), plus UIDVALIDITY changes.

use super::dovecot::Dovecot;
use super::imap::{Imap, Response, list_name, mailbox};
use super::smtp::{Protocol, send};
use super::wait_until;
use std::time::Duration;

/// A message as stored in a folder.
#[derive(Clone, Debug)]
pub struct Stored {
    pub uid: u32,
    /// e.g. `\Seen`, `\Flagged`, `$Forwarded`.
    pub flags: Vec<String>,
    /// The message as Dovecot stores it: LMTP delivery prepends `Return-Path:` (the envelope sender),
    /// `Delivered-To:` and `Received:` to what was sent.
    pub raw: Vec<u8>,
}

impl Dovecot {
    /// Delivers `raw` to `rcpt` over LMTP, the envelope sender being the address in the message's `From:`
    /// (as a sending MTA would). Use [`Dovecot::deliver_from`] for another sender or the null sender.
    pub fn deliver(&self, rcpt: &str, raw: &[u8]) {
        let from = from_address(raw).unwrap_or_else(|| {
            panic!(
                "deliver(): the message has no From: address to use as envelope sender; use deliver_from()"
            )
        });
        self.deliver_from(&from, rcpt, raw);
    }

    /// Delivers `raw` to `rcpt` over LMTP with envelope sender `mail_from` (`""` for `<>`). Dovecot records
    /// it as `Return-Path:`. Panics with the server's reply and the log if the delivery is refused.
    pub fn deliver_from(&self, mail_from: &str, rcpt: &str, raw: &[u8]) {
        if let Err(e) = send(Protocol::Lmtp, self.lmtp_port(), mail_from, &[rcpt], raw, None) {
            panic!("LMTP delivery to {rcpt} failed: {e}\n{}", self.log_tail());
        }
    }

    /// An IMAP session logged in as `user`.
    pub fn imap(&self, user: &str) -> Imap {
        let mut imap = Imap::connect(self.imap_port());
        imap.login(user, self.password(user));
        imap
    }

    /// All folders of `user`, as names (decoded from modified UTF-7; hierarchy joined by [`Dovecot::separator`]).
    pub fn folders(&self, user: &str) -> Vec<String> {
        let mut imap = self.imap(user);
        let folders =
            imap.ok("LIST \"\" \"*\"").iter().filter(|r| r.is_untagged("LIST")).map(list_name).collect();
        imap.logout();
        folders
    }

    /// The messages in `user`'s `folder`, in UID order, as stored (see [`Stored::raw`]). Panics, listing the
    /// folders there are, if the folder does not exist.
    pub fn messages(&self, user: &str, folder: &str) -> Vec<Vec<u8>> {
        self.fetch(user, folder).into_iter().map(|m| m.raw).collect()
    }

    /// Like [`Dovecot::messages`], with UIDs and flags.
    pub fn fetch(&self, user: &str, folder: &str) -> Vec<Stored> {
        self.try_fetch(user, folder).unwrap_or_else(|e| {
            panic!(
                "{user}'s folder {folder:?}: {e}; the folders are {:?}\n{}",
                self.folders(user),
                self.log_tail()
            )
        })
    }

    /// Waits until `user`'s `folder` exists and holds at least `count` messages; returns them all. On timeout
    /// it panics showing what is there and the log.
    pub fn wait_for_messages(
        &self,
        user: &str,
        folder: &str,
        count: usize,
        timeout: Duration,
    ) -> Vec<Vec<u8>> {
        let mut last = Err(String::from("not looked yet"));
        // One session for all the polling: a login per poll would flood the log the test may need.
        let mut imap = self.imap(user);
        let arrived = wait_until(timeout, || {
            last = fetch_in(&mut imap, folder);
            last.as_ref().is_ok_and(|messages| messages.len() >= count)
        });
        match last {
            Ok(messages) if arrived => messages.into_iter().map(|m| m.raw).collect(),
            Ok(messages) => panic!(
                "{user}'s {folder:?} has {} messages after {timeout:?}, expected {count}:\n{}\n{}",
                messages.len(),
                messages.iter().map(|m| summary(&m.raw)).collect::<Vec<_>>().join("\n"),
                self.log_tail()
            ),
            Err(e) => panic!(
                "{user}'s {folder:?} still unreadable after {timeout:?}: {e}; folders: {:?}\n{}",
                self.folders(user),
                self.log_tail()
            ),
        }
    }

    /// The UIDVALIDITY of `user`'s `folder`.
    pub fn uidvalidity(&self, user: &str, folder: &str) -> u32 {
        let mut imap = self.imap(user);
        let responses = imap.ok(&format!("STATUS {} (UIDVALIDITY)", mailbox(folder)));
        imap.logout();
        let status = responses.iter().find(|r| r.is_untagged("STATUS")).expect("STATUS sends * STATUS");
        number_after(&status.text, "UIDVALIDITY ")
            .unwrap_or_else(|| panic!("no UIDVALIDITY in {:?}", status.text))
    }

    /// APPENDs `raw` to `user`'s `folder`, creating the folder if it is missing; returns the new UID.
    pub fn append(&self, user: &str, folder: &str, raw: &[u8]) -> u32 {
        self.append_dated(user, folder, raw, None)
    }

    /// [`append`](Self::append) with the internal date set (IMAP `date-time`, `"01-Jan-2020 10:00:00 +0000"`).
    pub fn append_dated(&self, user: &str, folder: &str, raw: &[u8], date: Option<&str>) -> u32 {
        let mut imap = self.imap(user);
        // CREATE of an existing folder answers NO [ALREADYEXISTS]: fine, the folder is there either way.
        let _ = imap.run(&format!("CREATE {}", mailbox(folder)));
        let uid = imap
            .append_dated(folder, raw, date)
            .unwrap_or_else(|e| panic!("APPEND to {folder:?} failed: {e}\n{}", self.log_tail()));
        imap.logout();
        uid.expect("Dovecot answers APPEND with APPENDUID")
    }

    /// Gives `user`'s `folder` a new UIDVALIDITY (the old one + 1), keeping its messages, as happens when a
    /// server's index is rebuilt or a mailbox is restored; returns the new value. Clients must notice and must
    /// not treat the messages as new mail. A session that has the folder selected is disconnected by Dovecot
    /// ("IMAP session state is inconsistent, please relogin") at its next command; one in IDLE only when the
    /// folder next changes, so a test should deliver a message afterwards to wake the client under test.
    pub fn change_uidvalidity(&self, user: &str, folder: &str) -> u32 {
        let before = self.uidvalidity(user, folder);
        let messages_before = self.messages(user, folder);
        let new = before.wrapping_add(1).max(1);
        self.doveadm(&["mailbox", "update", "-u", user, "--uid-validity", &new.to_string(), folder]);
        let after = self.uidvalidity(user, folder);
        assert_eq!(after, new, "doveadm mailbox update did not change {folder:?}'s UIDVALIDITY");
        assert_eq!(self.messages(user, folder), messages_before, "changing UIDVALIDITY lost messages");
        after
    }

    fn try_fetch(&self, user: &str, folder: &str) -> Result<Vec<Stored>, String> {
        let mut imap = self.imap(user);
        let messages = fetch_in(&mut imap, folder);
        imap.logout();
        messages
    }
}

/// The messages in `folder`, read in an open session; `Err` if the folder cannot be opened.
fn fetch_in(imap: &mut Imap, folder: &str) -> Result<Vec<Stored>, String> {
    // EXAMINE, not SELECT: looking must not change \Recent or anything else a client under test may see.
    imap.run(&format!("EXAMINE {}", mailbox(folder)))?;
    let search = imap.ok("UID SEARCH ALL");
    let uids: Vec<String> = search
        .iter()
        .filter(|r| r.is_untagged("SEARCH"))
        .flat_map(|r| r.text.split(' ').skip(2).map(str::to_string).collect::<Vec<_>>())
        .collect();
    let mut messages = Vec::new();
    if !uids.is_empty() {
        let fetched = imap.ok(&format!("UID FETCH {} (UID FLAGS BODY.PEEK[])", uids.join(",")));
        messages =
            fetched.iter().filter(|r| r.is_untagged_fetch() && !r.literals.is_empty()).map(stored).collect();
        messages.sort_by_key(|m| m.uid);
    }
    Ok(messages)
}

/// `* 1 FETCH (UID 7 FLAGS (\Seen) BODY[] {247})` with its literal.
fn stored(response: &Response) -> Stored {
    let text = &response.text;
    let uid = number_after(text, "UID ").unwrap_or_else(|| panic!("no UID in {text:?}"));
    let flags = text
        .split_once("FLAGS (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(flags, _)| flags.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    Stored { uid, flags, raw: response.literals[0].clone() }
}

fn number_after(text: &str, key: &str) -> Option<u32> {
    let rest = &text[text.find(key)? + key.len()..];
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// The address in the `From:` header (folded lines joined), e.g. `a@b` from `From: "A" <a@b>`.
pub fn from_address(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let header_end = text.find("\r\n\r\n").or_else(|| text.find("\n\n")).unwrap_or(text.len());
    let unfolded = text[..header_end].replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ");
    let value = unfolded.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("from").then(|| value.to_string())
    })?;
    if let Some((_, rest)) = value.rsplit_once('<') {
        return rest.split_once('>').map(|(address, _)| address.trim().to_string());
    }
    value.split([' ', ',', '\t']).find(|word| word.contains('@')).map(str::to_string)
}

/// One line describing a message (its Subject), for panic messages.
fn summary(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let subject =
        text.lines().find(|l| l.to_ascii_lowercase().starts_with("subject:")).unwrap_or("(no Subject)");
    format!("  {} bytes, {subject}", raw.len())
}
