//! A simulated client's copy of the document: a yrs `Doc` with one text, and the y-websocket
//! sync protocol around it (answer SyncStep1 with SyncStep2, apply SyncStep2 and updates,
//! ignore awareness), exactly what the npm `WebsocketProvider` does.

use anyhow::{Context, Result};
use rand::Rng;
use yrs::encoding::read::Cursor;
use yrs::sync::{Message, MessageReader, SyncMessage};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{Assoc, ClientID, Doc, GetString, ID, ReadTxn, StateVector, StickyIndex, Text, TextRef, Transact, Update};

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

/// One in this many edits first moves the cursor to a random place (a click); the others type
/// at the cursor, as people do. Typing in runs keeps a replica's text a few blocks long, so the
/// generator's own cost per edit stays flat instead of growing with the document.
const MOVE_CURSOR_ONE_IN: u32 = 20;

pub struct Replica {
    doc: Doc,
    text: TextRef,
    /// Where this client types next: just after the last letter it typed, wherever other
    /// clients' edits have moved that letter.
    cursor: Option<StickyIndex>,
}

impl Default for Replica {
    fn default() -> Self {
        let doc = Doc::new();
        let text = doc.get_or_insert_text(TEXT_NAME);
        Self { doc, text, cursor: None }
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

    /// Inserts one random letter at the cursor (now and then at a random place, see
    /// [`MOVE_CURSOR_ONE_IN`]); returns the Update frame to send and this client's clock after
    /// the edit (the peer has the edit once it has that clock).
    /// The update is the transaction's own, as the npm client sends it (`doc.on('update')`):
    /// the inserted item and the transaction's deletions, not the document's whole delete set.
    pub fn type_one_char(&mut self, rng: &mut impl Rng) -> (Vec<u8>, u32) {
        let update = {
            let mut txn = self.doc.transact_mut();
            let len = self.text.len(&txn);
            let at_cursor = self.cursor.as_ref().filter(|_| rng.random_range(0..MOVE_CURSOR_ONE_IN) != 0);
            let at = match at_cursor.and_then(|cursor| cursor.get_offset(&txn)) {
                Some(offset) => offset.index.min(len),
                None => rng.random_range(0..=len),
            };
            let letter = char::from(b'a' + rng.random_range(0..26u8));
            self.text.insert(&mut txn, at, letter.encode_utf8(&mut [0; 4]));
            txn.encode_update_v1()
        };
        let clock = self.clock_of(self.client_id());
        self.cursor = Some(StickyIndex::from_id(ID::new(self.client_id(), clock - 1), Assoc::Before));
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

    /// Appends `content` to the text; returns the Update frame to send.
    pub fn append(&mut self, content: &str) -> Vec<u8> {
        let update = {
            let mut txn = self.doc.transact_mut();
            let len = self.text.len(&txn);
            self.text.insert(&mut txn, len, content);
            txn.encode_update_v1()
        };
        Message::Sync(SyncMessage::Update(update)).encode_v1()
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    /// The update inside an Update frame built by `type_one_char`.
    fn update_of(frame: &[u8]) -> Vec<u8> {
        match Message::decode_v1(frame).expect("frame") {
            Message::Sync(SyncMessage::Update(update)) => update,
            other => panic!("not an update: {other:?}"),
        }
    }

    /// Where the letter a client typed at `clock` is now.
    fn index_of(replica: &Replica, clock: u32) -> u32 {
        let letter = StickyIndex::from_id(ID::new(replica.client_id(), clock), Assoc::After);
        letter.get_offset(&replica.doc.transact()).expect("letter").index
    }

    #[test]
    fn a_client_keeps_typing_after_its_last_letter_while_others_type() {
        let mut rng = StdRng::seed_from_u64(7);
        let (mut typist, mut other) = (Replica::default(), Replica::default());
        let (frame, _) = typist.type_one_char(&mut rng);
        other.apply(&update_of(&frame)).unwrap();
        let mut continued = 0;
        for _ in 0..200 {
            // Someone else types somewhere, often before the typist's cursor.
            let (frame, _) = other.type_one_char(&mut rng);
            typist.apply(&update_of(&frame)).unwrap();
            let (frame, clock) = typist.type_one_char(&mut rng);
            other.apply(&update_of(&frame)).unwrap();
            continued += usize::from(index_of(&typist, clock - 1) == index_of(&typist, clock - 2) + 1);
        }
        // One edit in MOVE_CURSOR_ONE_IN moves the cursor (to a random place, rarely the same).
        assert!((170..200).contains(&continued), "{continued} of 200 letters continued the typist's run");
        assert_eq!(typist.text(), other.text());
    }
}
