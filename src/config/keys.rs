//! The keys `clerk.toml` knows, checked all at once before its values are read: every unknown key in
//! the file is reported at its line and column with the known key it is closest to, as rule files are
//! (see [`crate::toml_doc`]). serde stops at the first unknown field; a person fixing a config at a
//! terminal needs the whole list. The known keys are read from the `Raw*` structs serde fills, so this
//! check cannot fall behind them.

use std::cell::Cell;
use std::path::Path;

use serde::Deserialize;
use serde::de::{Deserializer, Visitor};

use super::{RawConfig, delivery, feeds, mailboxes, monitoring, oauth, paths};
use crate::toml_doc::{Diagnostic, Diagnostics, Doc, Table};

/// Every unknown key of the config `text` read from `file`, in the order of the file; or, when the
/// text is not TOML, every syntax error.
pub(super) fn unknown_keys(file: &Path, text: &str) -> Result<Vec<Diagnostic>, Diagnostics> {
    let doc = Doc::parse(file, text)?;
    {
        let root = doc.root();
        root.allow(fields_of::<RawConfig>());
        let section = |key: &'static str, fields: &'static [&'static str]| {
            if let Some(table) = root.get(key).and_then(|item| item.as_table()) {
                table.allow(fields);
            }
        };
        section("database", fields_of::<paths::RawDatabase>());
        section("rules", fields_of::<paths::RawRules>());
        section("smtp", fields_of::<delivery::RawSmtp>());
        section("outbox", fields_of::<delivery::RawOutbox>());
        section("log", fields_of::<monitoring::RawLog>());
        section("http", fields_of::<monitoring::RawHttp>());
        section("feeds", fields_of::<feeds::RawFeeds>());
        let mailboxes = root.get("mailbox").and_then(|item| item.as_array()).unwrap_or_default();
        for mailbox in mailboxes.iter().filter_map(|item| item.as_table()) {
            mailbox.allow(fields_of::<mailboxes::RawMailbox>());
        }
        // `[oauth2.NAME]`: the names are the office's, the keys inside each are clerk's.
        let providers = root.get("oauth2").and_then(|item| item.as_table());
        for (_, provider) in providers.as_ref().map(Table::entries).unwrap_or_default() {
            if let Some(provider) = provider.as_table() {
                provider.allow(fields_of::<oauth::RawOAuth2>());
            }
        }
    }
    Ok(doc.finish().into_iter().map(with_hint).collect())
}

/// The tables of office.toml, written into clerk.toml by mistake, are sent to their file.
fn with_hint(mut diagnostic: Diagnostic) -> Diagnostic {
    const OFFICE_TABLES: [&str; 5] = ["assistant", "office", "owner", "departments", "replies"];
    if OFFICE_TABLES.iter().any(|table| diagnostic.message.starts_with(&format!("unknown key `{table}`"))) {
        diagnostic.message.push_str(
            "; the office, its assistant, owners and departments are described in office.toml in the \
             rules directory",
        );
    }
    diagnostic
}

/// The field names of the struct `T`, as its derived `Deserialize` tells a deserializer.
pub(super) fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let fields = Cell::new(&[][..]);
    // The reader stops as soon as it has the names: the error is expected and means nothing.
    let _stopped = T::deserialize(FieldNames(&fields));
    fields.get()
}

/// A deserializer that reads nothing and notes the field names of the struct asked of it.
struct FieldNames<'a>(&'a Cell<&'static [&'static str]>);

/// What [`FieldNames`] answers every request with, once it has noted the names.
#[derive(Debug)]
struct Noted;

impl std::fmt::Display for Noted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the field names are noted; nothing is read")
    }
}

impl std::error::Error for Noted {}

impl serde::de::Error for Noted {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Noted
    }
}

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = Noted;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Noted> {
        Err(Noted)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Noted> {
        self.0.set(fields);
        Err(Noted)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}
