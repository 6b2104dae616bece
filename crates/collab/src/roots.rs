//! The root shared types a document may hold, and which Y.Text holds which question's code.
//!
//! The code document keeps one Y.Text per question of the interview: `"code"` for the first
//! question (by position) and for an interview without questions, so external Yjs clients and
//! everything that reads `"code"` keep working, and `"code:{question_id}"` for every other
//! question. Next to them, Y.Map `"meta"` (the language). The notes document holds `"notes"`.
//! The web client writes the same rule in `web/src/features/room/collab/codeTexts.ts`.
//!
//! A root type is created by the first update that names it and is never removed, so a client
//! naming new roots could grow every reload and every joiner's state without bound: a live
//! document refuses an update that creates a root outside these names, or more roots than
//! `Limits::max_root_types`, like any other hostile update (the sender is closed).

use std::sync::Arc;

use yrs::ReadTxn;

use crate::meta::META;
use crate::types::DocKind;

/// The Y.Text of the interview's first question (and of an interview without questions).
pub const CODE_TEXT: &str = DocKind::Code.text_name();
/// The prefix of every other question's Y.Text: `"code:{question_id}"`.
pub const CODE_TEXT_PREFIX: &str = "code:";
/// The notes document's Y.Text.
pub const NOTES_TEXT: &str = DocKind::Notes.text_name();

/// The Y.Text holding a question's code: `"code"` for the interview's first question (or when
/// there is no question), else `"code:{question_id}"`. `question_id` is the canonical
/// lowercase, hyphenated UUID (as the API writes it).
pub fn code_text_name(question_id: Option<&str>, is_first: bool) -> String {
    match question_id {
        Some(id) if !is_first => format!("{CODE_TEXT_PREFIX}{id}"),
        _ => CODE_TEXT.to_owned(),
    }
}

/// The Y.Text of each of the interview's questions, in their order; one `"code"` for an
/// interview without questions.
pub fn code_text_names<S: AsRef<str>>(question_ids: &[S]) -> Vec<String> {
    if question_ids.is_empty() {
        return vec![CODE_TEXT.to_owned()];
    }
    question_ids.iter().enumerate().map(|(i, id)| code_text_name(Some(id.as_ref()), i == 0)).collect()
}

/// Whether a document of `kind` may hold a root type named `name`.
pub fn allows_root(kind: DocKind, name: &str) -> bool {
    match kind {
        DocKind::Code => {
            name == CODE_TEXT || name == META || name.strip_prefix(CODE_TEXT_PREFIX).is_some_and(is_canonical_uuid)
        }
        DocKind::Notes => name == NOTES_TEXT,
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in lowercase hex, the only spelling the API uses.
fn is_canonical_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

/// The root names a live document holds, to tell which roots an update created.
#[derive(Debug)]
pub(crate) struct Roots {
    kind: DocKind,
    known: Vec<Arc<str>>,
}

impl Roots {
    pub fn of<T: ReadTxn>(kind: DocKind, txn: &T) -> Roots {
        let mut roots = Roots { kind, known: Vec::new() };
        roots.refresh(txn);
        roots
    }

    /// Takes the document's current roots as known. Roots loaded from the store count as
    /// known whatever their names: they were accepted before.
    pub fn refresh<T: ReadTxn>(&mut self, txn: &T) {
        if txn.root_refs().count() != self.known.len() {
            self.known = txn.root_refs().map(|(name, _)| Arc::from(name)).collect();
        }
    }

    /// `Err` when `txn` holds roots that are not known and not allowed for this document, or
    /// more than `max` roots. O(roots) per call; O(roots²) only when a root was added.
    pub fn check<T: ReadTxn>(&self, txn: &T, max: usize) -> Result<(), String> {
        let count = txn.root_refs().count();
        if count == self.known.len() {
            return Ok(());
        }
        if count > max {
            return Err(format!("the document may hold at most {max} root types"));
        }
        for (name, _) in txn.root_refs() {
            if !allows_root(self.kind, name) && !self.known.iter().any(|known| &**known == name) {
                return Err(format!("root type {name:?} is not allowed in this document"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q1: &str = "0190a5f4-1b2c-7d3e-8f40-123456789abc";
    const Q2: &str = "0190a5f4-1b2c-7d3e-8f40-123456789abd";

    #[test]
    fn the_first_question_keeps_the_plain_code_text() {
        assert_eq!(code_text_name(Some(Q1), true), "code");
        assert_eq!(code_text_name(Some(Q2), false), format!("code:{Q2}"));
        assert_eq!(code_text_name(None, false), "code");
        assert_eq!(code_text_names(&[Q1, Q2]), vec!["code".to_owned(), format!("code:{Q2}")]);
        assert_eq!(code_text_names::<&str>(&[]), vec!["code".to_owned()]);
    }

    #[test]
    fn only_the_documents_own_roots_are_allowed() {
        for name in ["code", "meta", &format!("code:{Q1}")] {
            assert!(allows_root(DocKind::Code, name), "{name}");
            assert!(!allows_root(DocKind::Notes, name), "{name}");
        }
        assert!(allows_root(DocKind::Notes, "notes"));
        for name in [
            "notes",
            "list",
            "code:",
            "code:x",
            "Code",
            &format!("code:{}", Q1.to_uppercase()),
            &format!("code:{Q1}0"),
            &format!("code:{}", Q1.replace('-', "_")),
            &format!("meta:{Q1}"),
        ] {
            assert!(!allows_root(DocKind::Code, name), "{name}");
        }
    }
}
