//! A simulated client's copy of the document: a yrs `Doc` with one text, and the y-websocket
//! sync protocol around it (answer SyncStep1 with SyncStep2, apply SyncStep2 and updates,
//! ignore awareness), exactly what the npm `WebsocketProvider` does.

use anyhow::{Context, Result};
use rand::Rng;
use yrs::encoding::read::Cursor;
use yrs::sync::{Message, MessageReader, SyncMessage};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{ClientID, Doc, GetString, ReadTxn, StateVector, Text, TextRef, Transact, Update};

/// Root text name; any name works for load, the server relays whatever the doc holds.
const TEXT_NAME: &str = "code";

/// What one inbound frame did to the replica.
#[derive(Debug, Default)]
pub struct Handled {
    /// A SyncStep2 answering the server's SyncStep1, to send back.
    pub reply: Option<Vec<u8>>,
    /// The frame carried document content (SyncStep2 or Update) that was applied.
    pub applied: bool,
    /// The frame carried the server's SyncStep2: our own handshake is complete.
    pub got_step2: bool,
}

pub struct Replica {
    doc: Doc,
    text: TextRef,
}

impl Default for Replica {
    fn default() -> Self {
        let doc = Doc::new();
        let text = doc.get_or_insert_text(TEXT_NAME);
        Self { doc, text }
    }
}

impl Replica {
    pub fn client_id(&self) -> ClientID {
        self.doc.client_id()
    }

    /// Our SyncStep1: the state vector we already have.
    pub fn sync_step1(&self) -> Vec<u8> {
        Message::Sync(SyncMessage::SyncStep1(self.doc.transact().state_vector())).encode_v1()
    }

    /// Inserts one random letter at a random position; returns the Update frame to send and
    /// this client's clock after the edit (the peer has the edit once it has that clock).
    /// The update is the transaction's own, as the npm client sends it (`doc.on('update')`):
    /// the inserted item and the transaction's deletions, not the document's whole delete set.
    pub fn type_one_char(&self, rng: &mut impl Rng) -> (Vec<u8>, u32) {
        let update = {
            let mut txn = self.doc.transact_mut();
            let len = self.text.len(&txn);
            let at = rng.random_range(0..=len);
            let letter = char::from(b'a' + rng.random_range(0..26u8));
            self.text.insert(&mut txn, at, letter.encode_utf8(&mut [0; 4]));
            txn.encode_update_v1()
        };
        let clock = self.clock_of(self.client_id());
        (Message::Sync(SyncMessage::Update(update)).encode_v1(), clock)
    }

    /// Builds a document of about `bytes` characters out of many small edits at random places
    /// (plus some deletions), like a long session would, and returns it as one Update frame.
    pub fn build_large_doc(&self, bytes: usize, rng: &mut impl Rng) -> Vec<u8> {
        const CHUNK: usize = 40;
        let line: String = (0..CHUNK).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let mut txn = self.doc.transact_mut();
        while (self.text.len(&txn) as usize) < bytes {
            let len = self.text.len(&txn);
            let at = rng.random_range(0..=len);
            self.text.insert(&mut txn, at, &line);
            if len > 100 && rng.random_range(0..4) == 0 {
                let from = rng.random_range(0..len - 10);
                self.text.remove_range(&mut txn, from, 5);
            }
        }
        drop(txn);
        let update = self.doc.transact().encode_state_as_update_v1(&StateVector::default());
        Message::Sync(SyncMessage::Update(update)).encode_v1()
    }

    /// Applies one inbound frame (which may hold several messages).
    pub fn handle(&self, frame: &[u8]) -> Result<Handled> {
        let mut handled = Handled::default();
        let mut decoder = DecoderV1::new(Cursor::new(frame));
        for message in MessageReader::new(&mut decoder) {
            match message.context("decoding a frame from the server")? {
                Message::Sync(SyncMessage::SyncStep1(sv)) => {
                    let diff = self.doc.transact().encode_diff_v1(&sv);
                    handled.reply = Some(Message::Sync(SyncMessage::SyncStep2(diff)).encode_v1());
                }
                Message::Sync(SyncMessage::SyncStep2(update)) => {
                    self.apply(&update)?;
                    handled.applied = true;
                    handled.got_step2 = true;
                }
                Message::Sync(SyncMessage::Update(update)) => {
                    self.apply(&update)?;
                    handled.applied = true;
                }
                _ => {}
            }
        }
        Ok(handled)
    }

    fn apply(&self, update: &[u8]) -> Result<()> {
        let update = Update::decode_v1(update).context("decoding an update")?;
        self.doc.transact_mut().apply_update(update).context("applying an update")?;
        Ok(())
    }

    /// How far this replica has seen `client`'s edits.
    pub fn clock_of(&self, client: ClientID) -> u32 {
        self.doc.transact().state_vector().get(&client)
    }

    pub fn text(&self) -> String {
        self.text.get_string(&self.doc.transact())
    }

    pub fn text_len(&self) -> u32 {
        self.text.len(&self.doc.transact())
    }
}
