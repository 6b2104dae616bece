//! Test harness: in-memory yrs clients speaking y-websocket to a `LiveDoc`, with a tiny "network"
//! that carries out `Effects` the way the socket adapter will (persist, reply, broadcast to
//! others, close). Clients answer with yrs' own `DefaultProtocol`, so they are real peers.

use std::collections::BTreeMap;

use codeview_collab::yrs::sync::{Awareness, DefaultProtocol, Message, Protocol, SyncMessage};
use codeview_collab::yrs::updates::encoder::Encode;
use codeview_collab::yrs::{Doc, GetString, OffsetKind, Options, ReadTxn, Text, Transact};
use codeview_collab::{ConnId, ConnPermissions, DocKind, Effects, Identity, LiveDoc};

pub fn identity(id: &str) -> Identity {
    Identity {
        participant_id: id.to_owned(),
        name: format!("name-{id}"),
        role: "candidate".to_owned(),
        color: "#123456".to_owned(),
    }
}

pub fn perms(id: &str, can_write: bool) -> ConnPermissions {
    ConnPermissions { can_write, shares_cursor: true, held_by_editor_lock: false, identity: identity(id) }
}

/// An observer: reads the document, shows up in awareness, shares no cursor.
pub fn observer(id: &str) -> ConnPermissions {
    let mut identity = identity(id);
    identity.role = "observer".to_owned();
    ConnPermissions { can_write: false, shares_cursor: false, held_by_editor_lock: false, identity }
}

/// A browser-like peer: its own doc + awareness, an inbox of frames from the server.
pub struct Client {
    pub awareness: Awareness,
    pub inbox: Vec<Vec<u8>>,
    pub outbox: Vec<Vec<u8>>,
    pub connected: bool,
}

impl Client {
    pub fn new() -> Self {
        let doc = Doc::with_options(Options { offset_kind: OffsetKind::Utf16, ..Options::default() });
        Client { awareness: Awareness::new(doc), inbox: Vec::new(), outbox: Vec::new(), connected: false }
    }

    pub fn doc(&self) -> &Doc {
        self.awareness.doc()
    }

    pub fn text(&self) -> String {
        let txn = self.doc().transact();
        txn.get_text("code").map(|t| t.get_string(&txn)).unwrap_or_default()
    }

    /// What the y-websocket provider sends when its socket opens.
    pub fn hello(&mut self) {
        let sv = self.doc().transact().state_vector();
        self.outbox.push(Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1());
        if self.awareness.local_state_raw().is_some() {
            self.send_awareness();
        }
    }

    pub fn send_awareness(&mut self) {
        let id = self.awareness.client_id();
        let update = self.awareness.update_with_clients([id]).unwrap();
        self.outbox.push(Message::Awareness(update).encode_v1());
    }

    /// A local edit: insert at a char index (clamped), sent as an update.
    pub fn insert(&mut self, index: u32, s: &str) {
        let text = self.doc().get_or_insert_text("code");
        let mut txn = self.doc().transact_mut();
        let len = text.len(&txn);
        text.insert(&mut txn, index.min(len), s);
        let update = txn.encode_update_v1();
        drop(txn);
        self.send_update(update);
    }

    pub fn delete(&mut self, index: u32, n: u32) {
        let text = self.doc().get_or_insert_text("code");
        let mut txn = self.doc().transact_mut();
        let len = text.len(&txn);
        if index >= len {
            return;
        }
        text.remove_range(&mut txn, index, n.min(len - index));
        let update = txn.encode_update_v1();
        drop(txn);
        self.send_update(update);
    }

    /// Like the y-websocket provider: local updates go out only while connected; offline
    /// edits reach the live document through the sync exchange on the next connect.
    fn send_update(&mut self, update: Vec<u8>) {
        if self.connected {
            self.outbox.push(Message::Sync(SyncMessage::Update(update)).encode_v1());
        }
    }

    /// Processes the inbox like the provider does: one message per frame.
    pub fn process(&mut self) {
        for frame in std::mem::take(&mut self.inbox) {
            let replies = DefaultProtocol.handle(&mut self.awareness, &frame).unwrap();
            for r in replies {
                self.outbox.push(r.encode_v1());
            }
        }
    }
}

/// A live document and its clients, with effects carried out in order.
pub struct Net {
    pub room: LiveDoc,
    pub kind: DocKind,
    pub clients: BTreeMap<u64, Client>,
    /// The durable store: snapshot + log, as the adapter would keep it.
    pub snapshot: Option<Vec<u8>>,
    pub log: Vec<Vec<u8>>,
    pub closed: Vec<u64>,
    next_conn: u64,
    pub conn_of: BTreeMap<u64, ConnId>,
}

impl Net {
    pub fn new(kind: DocKind) -> Self {
        Net {
            room: LiveDoc::new(kind),
            kind,
            clients: BTreeMap::new(),
            snapshot: None,
            log: Vec::new(),
            closed: Vec::new(),
            next_conn: 0,
            conn_of: BTreeMap::new(),
        }
    }

    pub fn add_client(&mut self, key: u64) {
        self.clients.insert(key, Client::new());
    }

    pub fn connect(&mut self, key: u64, perms: ConnPermissions) {
        self.next_conn += 1;
        let conn = ConnId(self.next_conn);
        self.conn_of.insert(key, conn);
        let first = self.room.connect(conn, perms);
        let client = self.clients.get_mut(&key).unwrap();
        client.connected = true;
        client.inbox.extend(first.into_iter().map(|b| b.to_vec()));
        client.hello();
    }

    pub fn disconnect(&mut self, key: u64) {
        let client = self.clients.get_mut(&key).unwrap();
        if !client.connected {
            return;
        }
        client.connected = false;
        client.outbox.clear();
        client.inbox.clear();
        let conn = self.conn_of.remove(&key).unwrap();
        let fx = self.room.disconnect(conn);
        self.apply(None, fx);
    }

    /// Carries out effects the way the adapter must: persist first, then send, then close.
    pub fn apply(&mut self, from: Option<u64>, fx: Effects) {
        if let Some(full) = &fx.replace_log {
            self.snapshot = Some(full.to_vec());
            self.log.clear();
        }
        self.log.extend(fx.persist.iter().map(|u| u.to_vec()));
        if let Some(key) = from
            && let Some(c) = self.clients.get_mut(&key)
        {
            c.inbox.extend(fx.reply.iter().map(|b| b.to_vec()));
        }
        for (key, c) in self.clients.iter_mut() {
            if c.connected && Some(*key) != from {
                c.inbox.extend(fx.broadcast.iter().map(|b| b.to_vec()));
            }
        }
        let mut to_close: Vec<u64> = Vec::new();
        if std::env::var_os("COLLAB_DEBUG").is_some() && (fx.close.is_some() || !fx.close_others.is_empty()) {
            eprintln!("close {from:?}: {:?} others {:?}", fx.close, fx.close_others);
        }
        if fx.close.is_some() {
            to_close.extend(from);
        }
        for conn in &fx.close_others {
            to_close.extend(self.conn_of.iter().filter(|(_, c)| *c == conn).map(|(k, _)| *k));
        }
        for key in to_close {
            self.closed.push(key);
            self.disconnect(key);
        }
    }

    /// Sends one client's outbox to the live document.
    pub fn flush_client(&mut self, key: u64) {
        let frames = std::mem::take(&mut self.clients.get_mut(&key).unwrap().outbox);
        for frame in frames {
            let Some(&conn) = self.conn_of.get(&key) else {
                return;
            };
            let fx = self.room.receive(conn, &frame);
            self.apply(Some(key), fx);
        }
    }

    /// Delivers everything until no frames move.
    pub fn settle(&mut self) {
        loop {
            let mut moved = false;
            let keys: Vec<u64> = self.clients.keys().copied().collect();
            for key in keys {
                let c = self.clients.get_mut(&key).unwrap();
                if !c.connected {
                    continue;
                }
                if !c.inbox.is_empty() {
                    moved = true;
                    c.process();
                }
                if !self.clients[&key].outbox.is_empty() {
                    moved = true;
                    self.flush_client(key);
                }
            }
            if !moved {
                break;
            }
        }
    }

    /// Simulates a server restart: compact or not, then load from the store.
    pub fn restart(&mut self, compact: bool) {
        if compact {
            let (snap, fx) = self.room.snapshot();
            assert!(fx.close_others.is_empty());
            self.snapshot = Some(snap.to_vec());
            self.log.clear();
        }
        let keys: Vec<u64> = self.clients.keys().copied().collect();
        for key in &keys {
            let c = self.clients.get_mut(key).unwrap();
            c.connected = false;
            c.inbox.clear();
            c.outbox.clear();
        }
        self.conn_of.clear();
        let (room, report) = LiveDoc::load(self.kind, self.snapshot.as_deref(), self.log.iter().map(|u| u.as_slice()));
        assert!(report.is_clean(), "{report:?}");
        self.room = room;
    }

    pub fn room_text(&self) -> String {
        self.room.text()
    }
}
