//! How much an update inserts: the characters (UTF-16 code units, as Yjs counts them; one per
//! map entry or embed) of the items it adds and does not itself delete. For the large-insert
//! signal, which looks only at updates long enough to hold `at_least` characters.

use codeview_collab::yrs::Update;
use codeview_collab::yrs::updates::decoder::Decode;

/// The characters `update` inserts, when it may insert at least `at_least` of them (cheap
/// check first: every character takes at least a byte); `None` below that, or when it does
/// not decode.
pub fn inserted_chars(update: &[u8], at_least: usize) -> Option<usize> {
    if update.len() < at_least {
        return None;
    }
    let decoded = std::panic::catch_unwind(|| Update::decode_v1(update)).ok()?.ok()?;
    let inserted = decoded.insertions(false);
    let total = inserted.iter().flat_map(|(_, ranges)| ranges.iter().map(|r| (r.end - r.start) as usize)).sum();
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use codeview_collab::yrs::{Doc, Text, Transact, WriteTxn};

    fn insert(doc: &Doc, content: &str) -> Vec<u8> {
        let mut txn = doc.transact_mut();
        let text = txn.get_or_insert_text("code");
        text.push(&mut txn, content);
        txn.encode_update_v1()
    }

    #[test]
    fn counts_the_characters_an_update_inserts() {
        let doc = Doc::new();
        let pasted = "fn main() { println!(\"hello\"); }\n".repeat(10);
        assert_eq!(inserted_chars(&insert(&doc, &pasted), 200), Some(pasted.len()));
        assert_eq!(inserted_chars(&insert(&doc, "x"), 200), None, "too short to hold 200");
        assert_eq!(inserted_chars(&insert(&doc, "y"), 1), Some(1));
        let deletion = {
            let mut txn = doc.transact_mut();
            let text = txn.get_or_insert_text("code");
            text.remove_range(&mut txn, 0, 300);
            txn.encode_update_v1()
        };
        assert_eq!(inserted_chars(&deletion, 0), Some(0), "a deletion inserts nothing");
        assert_eq!(inserted_chars(&[0xff; 300], 200), None, "not an update");
    }
}
