//! Finds the messages in a client frame before yrs decodes them. yrs reserves memory for the
//! element counts a message declares (`try_reserve(count)`), so a 6-byte awareness message
//! claiming 50 million entries costs a large allocation before it fails. This walks the
//! y-websocket framing (tag, sub-tag, length-prefixed payload) with yrs' own reader, checks
//! that the first count of each payload is possible for its length, and returns each
//! message's bytes; decoding proper is still `yrs::sync::Message::decode_v1`.

use yrs::encoding::read::{Cursor, Read};
use yrs::sync::protocol::{MSG_AUTH, MSG_AWARENESS, MSG_QUERY_AWARENESS, MSG_SYNC, PERMISSION_DENIED};

use crate::error::ProtocolError;

fn malformed(e: impl std::fmt::Display) -> ProtocolError {
    ProtocolError::Malformed(e.to_string())
}

/// A v1 update: the clients count, then each client's block count up to the first client
/// that has blocks, must fit the payload (a block takes at least one byte). Counts behind
/// encoded blocks are not reachable without decoding; yrs' `try_reserve` turns those into a
/// virtual reservation that fails or is released at once.
fn check_update(payload: &[u8]) -> Result<(), ProtocolError> {
    check_count(payload, 3)?;
    let mut c = Cursor::new(payload);
    let clients: u64 = c.read_var().map_err(malformed)?;
    for _ in 0..clients {
        let blocks: u64 = c.read_var().map_err(malformed)?;
        if blocks > (payload.len() - c.next) as u64 {
            return Err(malformed(format!("declares {blocks} blocks in {} bytes", payload.len())));
        }
        if blocks > 0 {
            return Ok(());
        }
        let _client: u64 = c.read_var().map_err(malformed)?;
        let _clock: u32 = c.read_var().map_err(malformed)?;
    }
    // No blocks at all: the delete set follows (clients, then client id + ranges count).
    if c.has_content() {
        check_count(&payload[c.next..], 2)?;
        let deleters: u64 = c.read_var().map_err(malformed)?;
        if deleters > 0 {
            let _client: u64 = c.read_var().map_err(malformed)?;
            check_count(&payload[c.next..], 2)?;
        }
    }
    Ok(())
}

/// A payload whose first varint counts entries of at least `min_entry` bytes each.
fn check_count(payload: &[u8], min_entry: usize) -> Result<(), ProtocolError> {
    let mut c = Cursor::new(payload);
    let count: u64 = c.read_var().map_err(malformed)?;
    let room = (payload.len() - c.next) / min_entry;
    if count > room as u64 {
        return Err(malformed(format!("declares {count} entries in {} bytes", payload.len())));
    }
    Ok(())
}

/// The next message of `frame` starting at `*pos`, advancing `*pos` past it.
pub(crate) fn next_message<'a>(frame: &'a [u8], pos: &mut usize) -> Result<Option<&'a [u8]>, ProtocolError> {
    let mut c = Cursor { buf: frame, next: *pos };
    if !c.has_content() {
        return Ok(None);
    }
    let start = c.next;
    let tag: u8 = c.read_var().map_err(malformed)?;
    match tag {
        MSG_SYNC => {
            let sub: u8 = c.read_var().map_err(malformed)?;
            let payload = c.read_buf().map_err(malformed)?;
            match sub {
                // State vector: (client, clock) pairs of at least 2 bytes each.
                0 => check_count(payload, 2)?,
                // v1 update: per client at least (blocks count, client, clock).
                1 | 2 => check_update(payload)?,
                other => return Err(malformed(format!("unknown sync message {other}"))),
            }
        }
        MSG_AWARENESS => {
            let payload = c.read_buf().map_err(malformed)?;
            // Each entry: client id, clock, JSON string length.
            check_count(payload, 3)?;
        }
        MSG_AUTH => {
            let flag: u8 = c.read_var().map_err(malformed)?;
            if flag == PERMISSION_DENIED {
                c.read_string().map_err(malformed)?;
            }
        }
        MSG_QUERY_AWARENESS => {}
        _ => {
            c.read_buf().map_err(malformed)?;
        }
    }
    *pos = c.next;
    Ok(Some(&frame[start..c.next]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_awareness_counts_are_refused() {
        // awareness, payload of 4 bytes declaring 50_000_000 entries
        let frame = [1u8, 4, 0x80, 0xe1, 0xeb, 0x17];
        let mut pos = 0;
        assert!(next_message(&frame, &mut pos).is_err());
    }

    #[test]
    fn impossible_block_counts_are_refused() {
        // Found by cargo-fuzz: updates of 10 bytes declaring hundreds of millions of blocks,
        // for the first client and behind an empty first client.
        for frame in [
            [0u8, 2, 10, 2, 244, 255, 223, 243, 0, 127, 255, 255, 74],
            [0u8, 1, 10, 2, 0, 16, 0, 255, 255, 255, 126, 0, 0],
        ] {
            let mut pos = 0;
            assert!(next_message(&frame, &mut pos).is_err(), "{frame:?}");
        }
    }

    #[test]
    fn consecutive_messages_are_split() {
        let frame = [3u8, 3u8];
        let mut pos = 0;
        assert_eq!(next_message(&frame, &mut pos).unwrap(), Some(&[3u8][..]));
        assert_eq!(next_message(&frame, &mut pos).unwrap(), Some(&[3u8][..]));
        assert_eq!(next_message(&frame, &mut pos).unwrap(), None);
    }
}
