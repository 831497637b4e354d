//! The Return-Path header: the envelope sender, which decides where an automatic reply may go and
//! whether one may go at all.

/// What the Return-Path header said: it tells an automatic reply where it may go (RFC 3834 §4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ReturnPath {
    /// No Return-Path header (mail read from a Maildir that no MTA delivered, for example).
    #[default]
    Absent,
    /// `Return-Path: <>`: a bounce or other mail that must never be answered. A Return-Path header with
    /// no address at all is read the same way, because it cannot be answered either.
    Empty,
    /// The envelope sender.
    Address(String),
}

/// Reads `<address>`, `<>` or a bare address, ignoring an obsolete source route (`<@relay:user@host>`).
pub(super) fn return_path(value: &str) -> ReturnPath {
    let inner = match value.find('<') {
        Some(open) => value[open + 1..].split('>').next().unwrap_or_default(),
        None => value.split_whitespace().next().unwrap_or_default(),
    };
    let inner = match inner.trim().strip_prefix('@') {
        Some(route) => route.split_once(':').map_or("", |(_, address)| address),
        None => inner.trim(),
    };
    if inner.is_empty() { ReturnPath::Empty } else { ReturnPath::Address(inner.to_owned()) }
}
