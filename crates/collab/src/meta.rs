//! The shared `meta` Y.Map of the code document. Its `language` key is the live document's language:
//! the browser's selector writes it, every peer sees the change, and the server seeds it when
//! the interview is created. Values that are not strings (a hostile client can write any) read
//! as "no language". Also the helpers that read and fill the document's texts.

use yrs::{Any, GetString, Map, Out, ReadTxn, Text, TransactionMut, WriteTxn};

/// Name of the root Y.Map shared by the browser.
pub(crate) const META: &str = "meta";
/// Key of the language inside [`META`].
pub(crate) const LANGUAGE: &str = "language";

/// The language in `meta`, if it holds a string.
pub fn read_language<T: ReadTxn>(txn: &T) -> Option<String> {
    let map = txn.get_map(META)?;
    match map.get(txn, LANGUAGE)? {
        Out::Any(Any::String(s)) => Some(s.to_string()),
        _ => None,
    }
}

pub(crate) fn write_language(txn: &mut TransactionMut<'_>, language: &str) {
    let map = txn.get_or_insert_map(META);
    map.insert(txn, LANGUAGE, language);
}

/// The content of the Y.Text `name` ("" when the document has none).
pub fn read_text<T: ReadTxn>(txn: &T, name: &str) -> String {
    txn.get_text(name).map(|t| t.get_string(txn)).unwrap_or_default()
}

/// Writes `content` into the Y.Text `name` if it is empty (creating it).
pub(crate) fn fill_if_empty(txn: &mut TransactionMut<'_>, name: &str, content: &str) {
    let text = txn.get_or_insert_text(name);
    if text.len(txn) == 0 {
        text.insert(txn, 0, content);
    }
}
