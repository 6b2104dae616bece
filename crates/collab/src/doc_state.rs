//! The live document's document together with its last *verified* state. `base` is a full-state
//! encoding that is known to decode and re-encode; `deltas` are the updates accepted since,
//! each already broadcast and handed to the durable log. Together they are both the recovery
//! point (a poisoned document is rebuilt from them) and the cache that answers a new joiner
//! without a full encode: `SyncStep2(base)` followed by the deltas as ordinary updates.

use bytes::Bytes;
use yrs::sync::Awareness;
use yrs::{Doc, ReadTxn, StateVector, Transact, TransactionMut};

use crate::frames;
use crate::guard::guarded;
use crate::replay::{self, ApplyFailure, EMPTY_UPDATE, apply_checked, verify};
use crate::roots::Roots;
use crate::types::{ConnId, DocKind};

/// One accepted change, kept until the next checkpoint. Kept small (48 bytes): a live document
/// holds up to `Limits::checkpoint_every_updates` of them.
#[derive(Clone)]
pub(crate) struct Delta {
    /// The `sync/update` frame broadcast for it.
    pub frame: Bytes,
    /// The connection it came from (`None`: the server or the durable log).
    pub from: Option<ConnId>,
}

impl Delta {
    /// The v1 update inside `frame` (same allocation), for the durable log.
    pub fn update(&self) -> Bytes {
        frames::update_payload(&self.frame)
    }
}

/// What became of a client's update.
pub(crate) enum Applied {
    /// Integrated: broadcast and persist this.
    Accepted(Delta),
    /// Nothing new in it.
    Nothing,
    /// Refused for missing dependencies (see [`DocState::apply_remote`]); `rebuilt` when
    /// that showed only after applying, so the document had to be rebuilt (O(document)).
    MissingDependencies { rebuilt: bool },
}

/// What a rebuild had to remove from the live document's state.
pub(crate) struct Recovery {
    /// Connections whose already-broadcast updates were removed.
    pub culprits: Vec<ConnId>,
    /// The new verified full state, when removed updates had already reached the log.
    pub replace_log: Option<Bytes>,
}

pub(crate) struct DocState {
    /// Owns the `Doc` (yrs' `Awareness` insists on owning it) and the awareness states.
    pub awareness: Awareness,
    /// Last verified full state (v1).
    base: Bytes,
    /// `SyncStep2(base)`, built on first use so live documents nobody joins never pay for it.
    base_frame: Option<Bytes>,
    /// `SyncStep2(base + deltas)` for joiners, until the next delta.
    deltas_frame: Option<Bytes>,
    /// Changes accepted since `base`, in order.
    deltas: Vec<Delta>,
    /// Bytes of the updates in `deltas`.
    deltas_bytes: usize,
    /// Raw bytes accepted since `base` (an upper bound on growth, pending parts included).
    growth: usize,
    /// The `SyncStep2` answer for the last state vector asked about, while the document is
    /// unchanged: after a restart every client reconnects with the same state vector.
    sv_reply: Option<(StateVector, Bytes)>,
    /// The root types the document holds: a client's update may add only allowed ones.
    roots: Roots,
}

impl DocState {
    pub fn from_replay(r: replay::Replay, kind: DocKind) -> Self {
        let roots = Roots::of(kind, &r.doc.transact());
        DocState {
            roots,
            awareness: Awareness::new(r.doc),
            base: r.full,
            base_frame: None,
            deltas_frame: None,
            deltas: Vec::new(),
            deltas_bytes: 0,
            growth: 0,
            sv_reply: None,
        }
    }

    pub fn doc(&self) -> &Doc {
        self.awareness.doc()
    }

    /// Upper bound on the encoded document size.
    pub fn approx_size(&self) -> usize {
        self.base.len() + self.growth
    }

    /// Whether folding the deltas into `base` is due: after as many update bytes as the
    /// verified state holds (so verification costs O(1) per byte accepted, amortized), and
    /// at the latest after `max_count` updates (bounds per-document memory for small documents).
    /// `slack` multiplies both thresholds.
    pub fn checkpoint_due(&self, max_count: usize, min_bytes: usize, slack: usize) -> bool {
        self.deltas.len() >= max_count.saturating_mul(slack)
            || self.deltas_bytes >= self.base.len().max(min_bytes).saturating_mul(slack)
    }

    /// Integrates a client's update. On `Err` the document is back at its state before the call
    /// and the second field says what a rebuild removed. Documents up to
    /// `eager_verify_bytes` are fully verified before the update counts as accepted (cheap
    /// while they are small, and it keeps the joiner cache fresh).
    ///
    /// Updates whose dependencies the live document lacks are dropped, not parked: a y-websocket
    /// client only sends one when it typed before answering our `SyncStep1`, and its
    /// `SyncStep2`, which follows, carries the same content. Parked items are what fuzzed
    /// poison is made of, and a document holding them does not reload faithfully.
    /// An update creating a root type the document may not hold, or more than `max_roots`,
    /// is refused (`roots`).
    pub fn apply_remote(
        &mut self,
        raw: &[u8],
        from: ConnId,
        eager_verify_bytes: usize,
        max_roots: usize,
    ) -> Result<Applied, (String, Option<Recovery>)> {
        match apply_checked(self.doc(), raw, true, Some((&self.roots, max_roots))) {
            Ok(delta) if delta == EMPTY_UPDATE => Ok(Applied::Nothing),
            Ok(delta) => {
                let verified = if self.approx_size() <= eager_verify_bytes {
                    match verify(self.doc()) {
                        Ok(full) => Some(full),
                        Err(e) => return Err((e, Some(self.rebuild()))),
                    }
                } else {
                    None
                };
                let accepted = self.accept(delta, raw.len(), Some(from));
                if let Some(full) = verified {
                    self.set_base(Bytes::from(full));
                }
                Ok(accepted.map_or(Applied::Nothing, Applied::Accepted))
            }
            Err(ApplyFailure::Missing { touched: false }) => Ok(Applied::MissingDependencies { rebuilt: false }),
            Err(ApplyFailure::Missing { touched: true }) => {
                let recovery = self.rebuild();
                if recovery.replace_log.is_some() {
                    return Err(("missing dependencies".into(), Some(recovery)));
                }
                Ok(Applied::MissingDependencies { rebuilt: true })
            }
            Err(ApplyFailure::Decode(e)) => Err((e, None)),
            Err(ApplyFailure::Broken(e)) => Err((e, Some(self.rebuild()))),
        }
    }

    pub fn has_pending(&self) -> bool {
        self.read(|txn| txn.has_missing_updates()).unwrap_or(true)
    }

    /// Applies a change made by the server itself (e.g. the language).
    pub fn apply_local(
        &mut self,
        change: impl FnOnce(&mut TransactionMut<'_>),
    ) -> Result<Option<Delta>, (String, Recovery)> {
        let result = guarded(|| {
            let mut txn = self.doc().try_transact_mut().map_err(|e| e.to_string())?;
            change(&mut txn);
            let delta = txn.encode_update_v1();
            drop(txn);
            Ok::<_, String>(delta)
        });
        match result {
            Ok(Ok(delta)) => {
                let len = delta.len();
                Ok(self.accept(delta, len, None))
            }
            Ok(Err(e)) | Err(e) => Err((e, self.rebuild())),
        }
    }

    fn accept(&mut self, delta: Vec<u8>, raw_len: usize, from: Option<ConnId>) -> Option<Delta> {
        self.growth += raw_len;
        self.refresh_roots();
        if delta == EMPTY_UPDATE {
            // Nothing integrated (duplicate, or parked as pending until its dependencies
            // arrive; the pending part is counted in `growth` and included in full encodes).
            return None;
        }
        self.sv_reply = None;
        self.deltas_frame = None;
        self.deltas_bytes += delta.len();
        let accepted = Delta { frame: frames::update(&delta), from };
        self.deltas.push(accepted.clone());
        Some(accepted)
    }

    /// Frames answering a peer's `SyncStep1`. A joiner with an empty state vector gets one
    /// `SyncStep2` holding `base` and the deltas since, merged (cost proportional to the
    /// document only once per change, then cached). It must be one message: y-websocket
    /// reports `synced` as soon as it applies the `SyncStep2`, so a joiner must not learn the
    /// recent changes only from a later frame. Others get a computed diff.
    ///
    /// The state vector is first reduced to what changes the answer (see [`Self::relevant`]),
    /// so joiners naming clients the live document has never seen share the cached full state.
    pub fn answer_step1(&mut self, sv: &StateVector) -> (Vec<Bytes>, Option<Recovery>) {
        let sv = &self.relevant(sv);
        if sv.is_empty() {
            if self.deltas.is_empty() {
                let base = self.base.clone();
                return (vec![self.base_frame.get_or_insert_with(|| frames::sync_step2(&base)).clone()], None);
            }
            if self.deltas_frame.is_none() {
                let updates = std::iter::once(self.base.clone()).chain(self.deltas.iter().map(|d| d.update()));
                self.deltas_frame = match guarded(|| yrs::merge_updates_v1(updates)) {
                    Ok(Ok(update)) => Some(frames::sync_step2(&update)),
                    // Our own updates should always merge; if not, encode from the document below.
                    _ => None,
                };
            }
            if let Some(frame) = &self.deltas_frame {
                return (vec![frame.clone()], None);
            }
        }
        if let Some((cached_sv, frame)) = &self.sv_reply
            && cached_sv == sv
        {
            return (vec![frame.clone()], None);
        }
        let mut recovery = None;
        for _ in 0..2 {
            let diff = guarded(|| {
                let txn = self.doc().try_transact().map_err(|e| e.to_string())?;
                Ok::<_, String>(txn.encode_state_as_update_v1(sv))
            });
            if let Ok(Ok(diff)) = diff {
                let frame = frames::sync_step2(&diff);
                self.sv_reply = Some((sv.clone(), frame.clone()));
                return (vec![frame], recovery);
            }
            recovery = Some(self.rebuild());
        }
        // Even the rebuilt document cannot answer this state vector: answer with the full
        // state, which a Yjs peer merges just the same.
        let (frames, r) = self.answer_step1(&StateVector::default());
        (frames, recovery.or(r))
    }

    /// `sv` without the entries that do not change a diff against this document: clients it
    /// has never seen, zero clocks, and clocks past its own (clamped). The diff for the result
    /// is the same bytes, and a peer that has nothing of the live document's (whatever else it holds)
    /// gets the shared full state instead of an encode of its own. O(clients in `sv`).
    fn relevant(&mut self, sv: &StateVector) -> StateVector {
        if sv.is_empty() {
            return StateVector::default();
        }
        let ours = self.state_vector();
        sv.iter()
            .map(|(client, clock)| (*client, (*clock).min(ours.get(client))))
            .filter(|(_, clock)| *clock > 0)
            .collect()
    }

    /// The live document's state vector (for our own `SyncStep1`).
    pub fn state_vector(&mut self) -> StateVector {
        for _ in 0..2 {
            let sv = guarded(|| self.doc().try_transact().map(|t| t.state_vector()));
            if let Ok(Ok(sv)) = sv {
                return sv;
            }
            let _ = self.rebuild();
        }
        StateVector::default()
    }

    /// Verifies the whole document (a full encode) and folds the deltas into `base`.
    /// Returns what had to be removed if the document turned out to be poisoned.
    pub fn checkpoint(&mut self) -> Option<Recovery> {
        if self.deltas.is_empty() && self.growth == 0 {
            return None;
        }
        match verify(self.doc()) {
            Ok(full) => {
                self.set_base(Bytes::from(full));
                None
            }
            Err(_) => Some(self.rebuild()),
        }
    }

    /// Verified full state for compaction.
    pub fn snapshot(&mut self) -> (Bytes, Option<Recovery>) {
        let recovery = self.checkpoint();
        (self.base.clone(), recovery)
    }

    fn set_base(&mut self, full: Bytes) {
        self.base = full;
        self.base_frame = None;
        self.deltas_frame = None;
        // A fresh vector, not `clear()`: the old capacity would stay allocated per live document.
        self.deltas = Vec::new();
        self.deltas_bytes = 0;
        self.growth = 0;
    }

    /// Replaces the document with `base` + `deltas`, leaving out whatever poisons it.
    pub fn rebuild(&mut self) -> Recovery {
        let owned: Vec<Bytes> = self.deltas.iter().map(Delta::update).collect();
        let updates: Vec<&[u8]> = owned.iter().map(|u| &u[..]).collect();
        let r = replay::replay(Some(&self.base), &updates);
        let mut culprits: Vec<ConnId> = r.rejected.iter().filter_map(|(i, _)| self.deltas[*i].from).collect();
        culprits.sort();
        culprits.dedup();
        let removed_any = !r.rejected.is_empty() || r.base_rejected.is_some();
        *self.awareness.doc_mut() = r.doc;
        self.refresh_roots();
        self.sv_reply = None;
        self.set_base(r.full);
        Recovery { culprits, replace_log: removed_any.then(|| self.base.clone()) }
    }

    fn refresh_roots(&mut self) {
        let roots = &mut self.roots;
        let _ = guarded(|| self.awareness.doc().try_transact().map(|txn| roots.refresh(&txn)));
    }

    /// Reads something from the document; `None` if the read panics.
    pub fn read<T>(&self, f: impl FnOnce(&yrs::Transaction<'_>) -> T) -> Option<T> {
        guarded(|| self.doc().try_transact().ok().map(|t| f(&t))).ok().flatten()
    }
}
