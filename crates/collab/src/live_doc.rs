//! [`LiveDoc`]: one live document and its connections, driven by the adapter one call at a time. A
//! live document is plain data (no tasks, no locks, no I/O): the adapter owns it in one task, feeds
//! it frames and events, and carries out the returned [`Effects`]. Every input from a client is
//! checked (sizes, permissions, ownership) and every yrs call that sees client bytes is
//! panic-guarded, so one hostile client can at worst get itself disconnected.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::Decode;

use crate::doc_state::{Applied, DocState, Recovery};
use crate::effects::{CloseReason, Effects};
use crate::error::ProtocolError;
use crate::guard::guarded;
use crate::inbound::next_message;
use crate::limits::Limits;
use crate::load_report::{LoadReport, SkippedUpdate};
use crate::presence::{Presence, Sender, user_json};
use crate::replay::replay;
use crate::types::{ConnId, ConnPermissions, DocKind};
use crate::{frames, meta, roots};

/// One connected socket as the live document sees it.
struct Conn {
    id: ConnId,
    can_write: bool,
    /// True for the candidate: the editor lock drops their document updates.
    held_by_editor_lock: bool,
    /// False for observers: their awareness states keep only `user`.
    shares_cursor: bool,
    participant: Arc<str>,
    /// The `user` object (JSON text) forced into this connection's awareness states.
    user: Box<str>,
    /// When this connection may next trigger an immediate awareness broadcast.
    next_awareness: Option<Instant>,
    /// Updates refused for missing dependencies that count against the limit.
    dropped_updates: usize,
    /// Whether the client has answered our SyncStep1 (sent a SyncStep2).
    synced: bool,
}

/// A live collaborative document: a yrs doc, awareness, and the connections editing it.
pub struct LiveDoc {
    kind: DocKind,
    limits: Limits,
    /// The document, its verified state and the joiner cache.
    doc: DocState,
    /// Awareness ownership and flood coalescing.
    presence: Presence,
    /// Connections; a live document has a handful, so a vector beats a map in time and memory.
    conns: Vec<Conn>,
    /// Set for ended interviews: every document update is dropped.
    read_only: bool,
    /// Set while the interviewers lock the candidate's editor: updates of connections
    /// `held_by_editor_lock` are dropped.
    editor_locked: bool,
}

impl LiveDoc {
    /// An empty live document.
    pub fn new(kind: DocKind) -> LiveDoc {
        Self::load(kind, None, std::iter::empty()).0
    }

    /// A live document rebuilt from its stored snapshot and the update log written after it. Never
    /// fails: entries that do not decode, do not integrate or poison the document are left
    /// out and listed in the report.
    pub fn load<'a>(
        kind: DocKind,
        snapshot: Option<&[u8]>,
        updates: impl IntoIterator<Item = &'a [u8]>,
    ) -> (LiveDoc, LoadReport) {
        let updates: Vec<&[u8]> = updates.into_iter().collect();
        let r = replay(snapshot, &updates);
        let report = LoadReport {
            snapshot_rejected: r.base_rejected.clone(),
            skipped_updates: r
                .rejected
                .iter()
                .map(|(index, reason)| SkippedUpdate { index: *index, reason: reason.clone() })
                .collect(),
        };
        let room = LiveDoc {
            kind,
            limits: Limits::default(),
            doc: DocState::from_replay(r, kind),
            presence: Presence::default(),
            conns: Vec::new(),
            read_only: false,
            editor_locked: false,
        };
        (room, report)
    }

    /// Replaces the limits (e.g. from the server's configuration).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    pub fn kind(&self) -> DocKind {
        self.kind
    }

    /// Makes the document read-only for everyone (an ended interview), or writable again.
    pub fn set_read_only(&mut self, read_only: bool) {
        self.read_only = read_only;
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Locks (or unlocks) the editor for the connections `held_by_editor_lock`: from now on
    /// their document updates are dropped (or accepted again), on sockets already open too.
    pub fn set_editor_locked(&mut self, locked: bool) {
        self.editor_locked = locked;
    }

    pub fn is_editor_locked(&self) -> bool {
        self.editor_locked
    }

    /// Number of connected sockets; an empty live document can be persisted and unloaded.
    pub fn connection_count(&self) -> usize {
        self.conns.len()
    }

    /// Registers a connection and returns the frames to send it first: the live document's
    /// `SyncStep1` (so the client uploads what the live document lacks) and the current awareness.
    /// Reusing a live `conn` id replaces that connection's permissions.
    pub fn connect(&mut self, conn: ConnId, perms: ConnPermissions) -> Vec<Bytes> {
        let c = Conn {
            id: conn,
            can_write: perms.can_write,
            held_by_editor_lock: perms.held_by_editor_lock,
            shares_cursor: perms.shares_cursor,
            participant: Arc::from(perms.identity.participant_id.as_str()),
            user: user_json(&perms.identity),
            next_awareness: None,
            dropped_updates: 0,
            synced: false,
        };
        match self.conns.iter_mut().find(|c| c.id == conn) {
            Some(existing) => *existing = c,
            None => self.conns.push(c),
        }
        let mut out = vec![frames::sync_step1(&self.doc.state_vector())];
        out.extend(Presence::all(&self.doc.awareness));
        out
    }

    /// Forgets a connection; the broadcast removes its cursors from everyone else.
    pub fn disconnect(&mut self, conn: ConnId) -> Effects {
        let mut fx = Effects::default();
        self.conns.retain(|c| c.id != conn);
        fx.broadcast.extend(self.presence.disconnect(&mut self.doc.awareness, conn));
        fx
    }

    /// Handles one binary frame from `conn`, using the current time for awareness pacing.
    pub fn receive(&mut self, conn: ConnId, frame: &[u8]) -> Effects {
        self.receive_at(conn, frame, Instant::now())
    }

    /// Handles one binary frame from `conn` at time `now`. A frame normally holds one
    /// message; several are processed in order. The first bad one sets `close` and stops,
    /// but the effects of the messages before it are kept (they may already be in the doc).
    pub fn receive_at(&mut self, conn: ConnId, frame: &[u8], now: Instant) -> Effects {
        let mut fx = Effects::default();
        let Some(idx) = self.conns.iter().position(|c| c.id == conn) else {
            fx.close = Some(CloseReason::Protocol(ProtocolError::UnknownConnection));
            return fx;
        };
        if frame.len() > self.limits.max_frame_bytes {
            fx.close = Some(CloseReason::Protocol(ProtocolError::FrameTooLarge {
                len: frame.len(),
                max: self.limits.max_frame_bytes,
            }));
            return fx;
        }
        let mut pos = 0;
        while fx.close.is_none() {
            let bytes = match next_message(frame, &mut pos) {
                Ok(Some(bytes)) => bytes,
                Ok(None) => break,
                Err(e) => {
                    fx.close = Some(CloseReason::Protocol(e));
                    break;
                }
            };
            match guarded(|| Message::decode_v1(bytes)) {
                Ok(Ok(message)) => self.handle(idx, message, now, &mut fx),
                Ok(Err(e)) => fx.close = Some(CloseReason::Protocol(ProtocolError::Malformed(e.to_string()))),
                Err(panic) => fx.close = Some(CloseReason::Protocol(ProtocolError::Malformed(panic))),
            }
        }
        if self.checkpoint_due(4) {
            // The adapter should call `maintain` when idle; this bounds memory if it does not.
            let recovery = self.doc.checkpoint();
            self.absorb(recovery, Some(conn), &mut fx);
        }
        fx
    }

    fn handle(&mut self, idx: usize, message: Message, now: Instant, fx: &mut Effects) {
        let conn = self.conns[idx].id;
        match message {
            Message::Sync(SyncMessage::SyncStep1(sv)) => {
                let (frames, recovery) = self.doc.answer_step1(&sv);
                fx.reply.extend(frames);
                self.absorb(recovery, Some(conn), fx);
            }
            Message::Sync(SyncMessage::SyncStep2(update)) => {
                self.apply_update(idx, &update, fx);
                // Whatever it held, the client has now answered our SyncStep1: from here on
                // it has no reason to send an update with missing dependencies.
                self.conns[idx].synced = true;
            }
            Message::Sync(SyncMessage::Update(update)) => self.apply_update(idx, &update, fx),
            Message::Awareness(update) => {
                let c = &mut self.conns[idx];
                let sender = Sender {
                    conn,
                    participant: &c.participant,
                    user: &c.user,
                    shares_cursor: c.shares_cursor,
                    next_broadcast: &mut c.next_awareness,
                };
                fx.broadcast.extend(self.presence.receive(&mut self.doc.awareness, update, sender, &self.limits, now));
            }
            Message::AwarenessQuery => fx.reply.extend(Presence::all(&self.doc.awareness)),
            // Auth is server → client only; custom tags are other extensions. The reference
            // server ignores both, and so do we.
            Message::Auth(_) | Message::Custom(..) => {}
        }
    }

    /// A document update (sync step 2 or update) from the connection at `idx`.
    fn apply_update(&mut self, idx: usize, update: &[u8], fx: &mut Effects) {
        let conn = self.conns[idx].id;
        let c = &self.conns[idx];
        if self.read_only || !c.can_write || (self.editor_locked && c.held_by_editor_lock) {
            // Dropped without closing: observers' editors also answer our SyncStep1, and a
            // candidate may have typed just before the lock reached their editor.
            return;
        }
        if update.len() > self.limits.max_update_bytes {
            fx.close = Some(CloseReason::Protocol(ProtocolError::UpdateTooLarge {
                len: update.len(),
                max: self.limits.max_update_bytes,
            }));
            return;
        }
        if self.doc.approx_size() + update.len() > self.limits.max_doc_bytes {
            // The estimate over-counts; a checkpoint measures the real size first.
            let recovery = self.doc.checkpoint();
            self.absorb(recovery, Some(conn), fx);
            if self.doc.approx_size() + update.len() > self.limits.max_doc_bytes {
                fx.close = Some(CloseReason::Protocol(ProtocolError::DocTooLarge { max: self.limits.max_doc_bytes }));
                return;
            }
        }
        match self.doc.apply_remote(update, conn, self.limits.eager_verify_bytes, self.limits.max_root_types) {
            Ok(Applied::Accepted(delta)) => {
                fx.persist.push(delta.update());
                fx.broadcast.push(delta.frame);
            }
            Ok(Applied::Nothing) => {}
            Ok(Applied::MissingDependencies { rebuilt }) => {
                // Legitimate before the client's SyncStep2 (it typed before answering
                // ours; the SyncStep2 brings the same content), so those are free
                // unless they cost a rebuild. After it, or costing rebuilds, a stream
                // of them is someone making the live document work for nothing.
                let c = &mut self.conns[idx];
                if rebuilt || c.synced {
                    c.dropped_updates += 1;
                }
                if c.dropped_updates > self.limits.max_dropped_updates_per_conn {
                    fx.close = Some(CloseReason::Protocol(ProtocolError::RejectedUpdate(
                        "too many updates with missing dependencies".into(),
                    )));
                }
            }
            Err((reason, recovery)) => {
                fx.close = Some(CloseReason::Protocol(ProtocolError::RejectedUpdate(reason)));
                self.absorb(recovery, Some(conn), fx);
            }
        }
    }

    /// Turns what a rebuild removed into effects: close whoever sent removed updates, and
    /// replace the durable log if removed updates had reached it.
    fn absorb(&mut self, recovery: Option<Recovery>, sender: Option<ConnId>, fx: &mut Effects) {
        let Some(recovery) = recovery else { return };
        if recovery.replace_log.is_some() {
            fx.replace_log = recovery.replace_log;
        }
        for culprit in recovery.culprits {
            if Some(culprit) == sender {
                if fx.close.is_none() {
                    fx.close = Some(CloseReason::Protocol(ProtocolError::RejectedUpdate(
                        "an earlier update poisoned the document".into(),
                    )));
                }
            } else if !fx.close_others.contains(&culprit) {
                fx.close_others.push(culprit);
            }
        }
    }

    /// Sends merged awareness updates that are due. Broadcast goes to every connection.
    pub fn tick(&mut self, now: Instant) -> Effects {
        let mut fx = Effects::default();
        fx.broadcast.extend(self.presence.tick(&self.doc.awareness, now));
        fx
    }

    /// When `tick` next has work, if ever.
    pub fn next_tick(&self) -> Option<Instant> {
        self.presence.next_deadline()
    }

    /// Whether `maintain` is due: `Limits::checkpoint_every_updates` updates, or as many update
    /// bytes as the verified document holds, have been accepted since the last verification (then
    /// it costs O(1) per accepted byte, amortized). Joiners do not need it (they get the cached
    /// state plus the recent updates merged), so it is about bounding memory and re-checking the
    /// document, and can wait for an idle moment.
    pub fn needs_maintenance(&self) -> bool {
        self.checkpoint_due(1)
    }

    fn checkpoint_due(&self, slack: usize) -> bool {
        self.doc.checkpoint_due(self.limits.checkpoint_every_updates, self.limits.checkpoint_min_bytes, slack)
    }

    /// Verifies the whole document (a full encode) and refreshes the joiner cache. Cost is
    /// proportional to the document; call it when the connection queue is idle, not per edit.
    /// `close_others` names connections whose already-applied updates had to be removed.
    pub fn maintain(&mut self) -> Effects {
        let mut fx = Effects::default();
        let recovery = self.doc.checkpoint();
        self.absorb(recovery, None, &mut fx);
        fx
    }

    /// The verified full state (a v1 update) for compaction: store it as the snapshot, then
    /// delete the log entries persisted before this call. The effects are non-empty only if
    /// verification removed poisoned updates (close the named connections).
    pub fn snapshot(&mut self) -> (Bytes, Effects) {
        let (state, recovery) = self.doc.snapshot();
        let mut fx = Effects::default();
        self.absorb(recovery, None, &mut fx);
        fx.replace_log = None;
        (state, fx)
    }

    /// The language in the shared `meta` map, if one is set.
    pub fn language(&self) -> Option<String> {
        self.doc.read(|txn| meta::read_language(txn)).flatten()
    }

    /// Sets the shared language as the server (e.g. at creation). Persist and broadcast the
    /// effects like a client's update; `broadcast` goes to every connection.
    pub fn set_language(&mut self, language: &str) -> Effects {
        self.change_locally(|txn| meta::write_language(txn, language))
    }

    /// Writes each `(text name, content)` into that Y.Text if it is empty, in one transaction
    /// (the server seeding starter code: typed code is never overwritten, and a retry changes
    /// nothing). Names the document may not hold (`roots::allows_root`) are skipped. Persist
    /// and broadcast the effects like [`Self::set_language`]'s.
    pub fn fill_empty_texts(&mut self, texts: &[(String, String)]) -> Effects {
        let kind = self.kind;
        self.change_locally(|txn| {
            for (name, content) in texts {
                if content.is_empty() || !roots::allows_root(kind, name) {
                    continue;
                }
                meta::fill_if_empty(txn, name, content);
            }
        })
    }

    /// Carries out a change made by the server itself, as effects to persist and broadcast.
    fn change_locally(&mut self, change: impl FnOnce(&mut yrs::TransactionMut<'_>)) -> Effects {
        let mut fx = Effects::default();
        match self.doc.apply_local(change) {
            Ok(Some(delta)) => {
                fx.persist.push(delta.update());
                fx.broadcast.push(delta.frame.clone());
            }
            Ok(None) => {}
            Err((_, recovery)) => self.absorb(Some(recovery), None, &mut fx),
        }
        fx
    }

    /// Whether the document holds updates parked for missing dependencies. Legitimate
    /// clients cause this only briefly (a socket dropped mid-send; the next sync fills the
    /// gap). While it lasts, a reload may integrate the parked items differently, so
    /// `snapshot()` → `load` is exact only when this is false. Worth a metric.
    pub fn has_pending_updates(&self) -> bool {
        self.doc.has_pending()
    }

    /// The document's main text (`code` or `notes`). The code document holds one text per
    /// question (`roots::code_text_name`); `code` is the first question's.
    pub fn text(&self) -> String {
        self.named_text(self.kind.text_name())
    }

    /// The content of the Y.Text `name` ("" when the document has none).
    pub fn named_text(&self, name: &str) -> String {
        self.doc.read(|txn| meta::read_text(txn, name)).unwrap_or_default()
    }
}
