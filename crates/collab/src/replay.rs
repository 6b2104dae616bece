//! Building a document from stored or previously accepted updates while refusing poison.
//! Used by `LiveDoc::load` (snapshot + log) and by live recovery (last verified state + updates
//! accepted since). Every update is applied under [`guarded`]; the result must survive a full
//! encode, and when it does not, a binary search over prefixes finds the update that broke
//! it. The outcome is always a loadable document: at worst an empty one.

use bytes::Bytes;
use std::collections::BTreeMap;
use yrs::updates::decoder::Decode;

use yrs::types::ToJson;
use yrs::{Any, Doc, GetString, OffsetKind, Options, ReadTxn, StateVector, Transact, Update};

use crate::guard::guarded;
use crate::roots::Roots;

/// A v1 update made of no blocks and no deletions: what yrs encodes for a no-op transaction.
pub(crate) const EMPTY_UPDATE: [u8; 2] = [0, 0];

/// Why applying one update failed, and whether the document is still trustworthy.
#[derive(Debug)]
pub(crate) enum ApplyFailure {
    /// The bytes did not decode; the document was not touched.
    Decode(String),
    /// Integration failed or panicked; the document may be half-changed and must be rebuilt.
    Broken(String),
    /// The update depends on items the document does not have (yrs would park it as
    /// pending). `touched`: it was applied before this showed, so the document must be
    /// rebuilt without it.
    Missing { touched: bool },
}

/// A fresh document. Offsets count UTF-16 code units, like the browser's Yjs.
pub(crate) fn new_doc() -> Doc {
    Doc::with_options(Options { offset_kind: OffsetKind::Utf16, ..Options::default() })
}

/// Decodes and integrates `raw` into `doc`, returning what the transaction actually changed
/// (a v1 update, [`EMPTY_UPDATE`] when nothing was new). The returned update is checked to
/// decode again, because it is what peers and the durable log receive. With
/// `refuse_missing`, updates with missing dependencies are refused instead of parked. With
/// `roots` (the document's known roots and the most it may hold), an update that creates a
/// root the document may not hold is refused (the document must then be rebuilt).
pub(crate) fn apply_checked(
    doc: &Doc,
    raw: &[u8],
    refuse_missing: bool,
    roots: Option<(&Roots, usize)>,
) -> Result<Vec<u8>, ApplyFailure> {
    let update = match guarded(|| Update::decode_v1(raw)) {
        Ok(Ok(update)) => update,
        Ok(Err(e)) => return Err(ApplyFailure::Decode(e.to_string())),
        Err(panic) => return Err(ApplyFailure::Decode(panic)),
    };
    if refuse_missing {
        // The cheap case: the update starts past what the document has of some client.
        let gap = guarded(|| {
            let sv = doc.try_transact().ok()?.state_vector();
            Some(update.state_vector_lower().iter().any(|(client, &clock)| clock > sv.get(client)))
        });
        match gap {
            Ok(Some(false)) => {}
            Ok(Some(true)) => return Err(ApplyFailure::Missing { touched: false }),
            Ok(None) => return Err(ApplyFailure::Broken("document locked".into())),
            Err(panic) => return Err(ApplyFailure::Decode(panic)),
        }
    }
    let applied = guarded(|| {
        // `try_` so a lock left held by an earlier failure shows up as an error, not a hang.
        let mut txn = doc.try_transact_mut().map_err(|e| format!("document locked: {e}"))?;
        txn.apply_update(update).map_err(|e| e.to_string())?;
        if let Some((roots, max)) = roots {
            roots.check(&txn, max)?;
        }
        let delta = txn.encode_update_v1();
        // Commit (cleanup, GC, block merging) happens on drop; keep it inside the guard.
        drop(txn);
        Ok::<_, String>(delta)
    });
    let delta = match applied {
        Ok(Ok(delta)) => delta,
        Ok(Err(e)) | Err(e) => return Err(ApplyFailure::Broken(e)),
    };
    let settled = guarded(|| doc.try_transact().is_ok_and(|t| !t.has_missing_updates()));
    if refuse_missing && settled != Ok(true) {
        // Missing origins or deletions of unknown items: only visible after integrating.
        return Err(ApplyFailure::Missing { touched: true });
    }
    match guarded(|| Update::decode_v1(&delta).is_ok()) {
        Ok(true) => Ok(delta),
        Ok(false) => Err(ApplyFailure::Broken("re-encoded update does not decode".into())),
        Err(panic) => Err(ApplyFailure::Broken(panic)),
    }
}

/// The full state of `doc` as a v1 update; `Err` when encoding panics (a poisoned document).
pub(crate) fn full_state(doc: &Doc) -> Result<Vec<u8>, String> {
    guarded(|| {
        let txn = doc.try_transact().map_err(|e| format!("document locked: {e}"))?;
        let mut full = txn.encode_state_as_update_v1(&StateVector::default());
        // Live documents keep it as their verified state: no spare capacity (1 KB+ per idle live
        // document).
        full.shrink_to_fit();
        Ok(full)
    })
    .and_then(|r| r)
}

/// The full state of `doc`, checked to be *faithful*: loading it into a fresh document gives the
/// same state vector and the same content (once nothing is parked as pending). Some hostile update
/// sequences leave a document whose encoding loses data on reload (an item integrated live that
/// reloads as pending or garbage-collected); a live document in that state would silently change on
/// its next restart, so the full state only counts as verified when it survives the round trip.
pub(crate) fn verify(doc: &Doc) -> Result<Vec<u8>, String> {
    let full = full_state(doc)?;
    let copy = new_doc();
    apply_checked(&copy, &full, false, None).map_err(failure_text)?;
    let same = guarded(|| {
        let txn = doc.try_transact().map_err(|e| e.to_string())?;
        let copy_txn = copy.try_transact().map_err(|e| e.to_string())?;
        if txn.has_missing_updates() {
            // Parked items (missing dependencies) are integrated in a different order on
            // reload, so the two sides legitimately differ until the dependencies arrive;
            // legitimate clients cause this briefly when a socket drops mid-send. Only the
            // encode and reload themselves are checked then; a settled document is compared.
            return Ok(());
        }
        if txn.state_vector() != copy_txn.state_vector() {
            return Err("state vector changes on reload".to_owned());
        }
        if render(&txn) != render(&copy_txn) {
            return Err("content changes on reload".to_owned());
        }
        Ok(())
    });
    match same {
        Ok(Ok(())) => Ok(full),
        Ok(Err(e)) | Err(e) => Err(format!("unfaithful full state: {e}")),
    }
}

/// The visible content of every root, rendered the same way whatever type the root was read
/// as (a root's type is local, not part of the encoding; an untyped root renders as nothing
/// through `Out::to_json`): its sequence as text, its map entries as JSON.
fn render(txn: &yrs::Transaction<'_>) -> BTreeMap<String, (String, Any)> {
    txn.root_refs()
        .map(|(name, _)| {
            let text = txn.get_text(name).map(|t| t.get_string(txn)).unwrap_or_default();
            let map = txn.get_map(name).map(|m| m.to_json(txn)).unwrap_or(Any::Null);
            (name.to_owned(), (text, map))
        })
        // Roots the server only looked at exist locally without content.
        .filter(|(_, (text, map))| !text.is_empty() || !matches!(map, Any::Map(m) if m.is_empty()))
        .collect()
}

/// Result of [`replay`].
pub(crate) struct Replay {
    /// The rebuilt document.
    pub doc: Doc,
    /// Its verified full state.
    pub full: Bytes,
    /// Why the base was refused (the document then starts empty), if it was.
    pub base_rejected: Option<String>,
    /// Indices into `updates` that were refused, with reasons, in index order.
    pub rejected: Vec<(usize, String)>,
}

/// Rebuilds a document from `base` followed by `updates`, leaving out whatever does not decode,
/// does not integrate, or makes the full state panic or unfaithful (see [`verify`]).
pub(crate) fn replay(base: Option<&[u8]>, updates: &[&[u8]]) -> Replay {
    let mut base_rejected = None;
    let mut rejected: Vec<(usize, String)> = Vec::new();
    // Each round refuses at least one input, so this terminates; the bound is a backstop.
    for _ in 0..=updates.len() + 1 {
        let use_base = if base_rejected.is_none() { base } else { None };
        let is_rejected = |i: usize, rejected: &[(usize, String)]| rejected.iter().any(|r| r.0 == i);
        let doc = new_doc();
        if let Some(b) = use_base
            && let Err(e) = apply_checked(&doc, b, false, None)
        {
            base_rejected = Some(failure_text(e));
            continue;
        }
        let mut restart = false;
        for (i, u) in updates.iter().enumerate() {
            if is_rejected(i, &rejected) {
                continue;
            }
            match apply_checked(&doc, u, false, None) {
                Ok(_) => {}
                Err(ApplyFailure::Decode(e)) => rejected.push((i, e)),
                Err(f @ (ApplyFailure::Broken(_) | ApplyFailure::Missing { .. })) => {
                    let e = failure_text(f);
                    rejected.push((i, e));
                    restart = true;
                    break;
                }
            }
        }
        if restart {
            continue;
        }
        let reason = match verify(&doc) {
            Ok(full) => {
                rejected.sort_by_key(|r| r.0);
                return Replay { doc, full: Bytes::from(full), base_rejected, rejected };
            }
            Err(e) => e,
        };
        // Find the shortest prefix of the kept updates that fails verification.
        let kept: Vec<usize> = (0..updates.len()).filter(|&i| !is_rejected(i, &rejected)).collect();
        let prefix_poisoned = |len: usize| {
            let doc = new_doc();
            if let Some(b) = use_base {
                let _ = apply_checked(&doc, b, false, None);
            }
            for &i in &kept[..len] {
                let _ = apply_checked(&doc, updates[i], false, None);
            }
            verify(&doc).is_err()
        };
        if kept.is_empty() || prefix_poisoned(0) {
            base_rejected = Some(reason);
            continue;
        }
        let (mut ok, mut bad) = (0, kept.len());
        while bad - ok > 1 {
            let mid = ok + (bad - ok) / 2;
            if prefix_poisoned(mid) {
                bad = mid;
            } else {
                ok = mid;
            }
        }
        rejected.push((kept[bad - 1], reason));
    }
    // Unreachable in practice: every round above refused something. Stay loadable anyway.
    let doc = new_doc();
    let full = full_state(&doc).unwrap_or_else(|_| EMPTY_UPDATE.to_vec());
    Replay {
        doc,
        full: Bytes::from(full),
        base_rejected: base_rejected.or(Some("replay did not settle".into())),
        rejected: (0..updates.len()).map(|i| (i, "replay did not settle".into())).collect(),
    }
}

pub(crate) fn failure_text(f: ApplyFailure) -> String {
    match f {
        ApplyFailure::Decode(e) | ApplyFailure::Broken(e) => e,
        ApplyFailure::Missing { .. } => "missing dependencies".to_owned(),
    }
}
