//! The binary format of a history block: a run of a document's log entries (sequence number,
//! time, author, update), laid out in columns and compressed with zstd.
//!
//! Layout before compression (varints are LEB128; signed ones zigzag-encoded, each relative to
//! the previous entry's value, the first to 0):
//!
//! ```text
//! version (1 byte) | authors: count, 16 bytes each | entries: count
//! | seq deltas (signed) | time deltas in ms (signed) | author indexes (0 = none, i + 1)
//! | update lengths | the updates, concatenated
//! ```
//!
//! Columns compress better than rows: consecutive numbers become runs of 1s and small deltas,
//! and the updates (single-character edits of one client look alike) sit next to each other.
//! Blocks written at each snapshot are small (a few seconds of typing); `repack` merges them.

use std::io::Read;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{HistoryEntry, from_ms, to_ms};
use crate::db::HistoryBlock;

const VERSION: u8 = 1;
/// zstd's level for the blocks a live document seals (on its task: fast).
pub const LIVE_LEVEL: i32 = 3;
/// zstd's level for repacked blocks (off the hot path: smaller).
pub const REPACK_LEVEL: i32 = 12;
/// The most bytes a block may decode to: far above any block written (repacked ones stay under
/// `repack::MAX_REPACKED_RAW_BYTES`; a snapshot's covers at most a few seconds or 500 entries).
const MAX_RAW_BYTES: u64 = 1 << 30;

/// Why a stored block could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BlockError {
    #[error("the history block does not decompress: {0}")]
    Compression(#[from] std::io::Error),
    #[error("the history block is malformed: {0}")]
    Malformed(&'static str),
}

/// Encodes `entries` (in sequence order, at least one) as a block compressed at `level`.
pub fn encode(entries: &[HistoryEntry], level: i32) -> HistoryBlock {
    let (first, last) = (entries.first().expect("a block has entries"), entries.last().expect("entries"));
    let raw = encode_raw(entries);
    let data = zstd::bulk::compress(&raw, level).expect("zstd compresses into a growable buffer");
    HistoryBlock {
        from_seq: first.seq,
        to_seq: last.seq,
        first_at: first.at,
        last_at: last.at,
        entries: entries.len() as i64,
        bytes: entries.iter().map(|e| e.update.len() as i64).sum(),
        data,
    }
}

/// The entries of a stored block, in the order they were encoded.
pub fn decode(data: &[u8]) -> Result<Vec<HistoryEntry>, BlockError> {
    let mut raw = Vec::new();
    zstd::stream::read::Decoder::new(data)?.take(MAX_RAW_BYTES + 1).read_to_end(&mut raw)?;
    if raw.len() as u64 > MAX_RAW_BYTES {
        return Err(BlockError::Malformed("too large"));
    }
    decode_raw(Bytes::from(raw))
}

/// The uncompressed layout (see the module's header).
pub(crate) fn encode_raw(entries: &[HistoryEntry]) -> Vec<u8> {
    let mut authors: Vec<Uuid> = Vec::new();
    let updates_len: usize = entries.iter().map(|e| e.update.len()).sum();
    let mut out = Vec::with_capacity(updates_len + entries.len() * 6 + 32);
    out.push(VERSION);
    let indexes: Vec<u64> = entries
        .iter()
        .map(|entry| match entry.author {
            None => 0,
            Some(author) => match authors.iter().position(|a| *a == author) {
                Some(i) => i as u64 + 1,
                None => {
                    authors.push(author);
                    authors.len() as u64
                }
            },
        })
        .collect();
    put_varint(&mut out, authors.len() as u64);
    for author in &authors {
        out.extend_from_slice(author.as_bytes());
    }
    put_varint(&mut out, entries.len() as u64);
    let mut previous = 0;
    for entry in entries {
        put_signed(&mut out, entry.seq.wrapping_sub(previous));
        previous = entry.seq;
    }
    let mut previous = 0;
    for entry in entries {
        let ms = to_ms(entry.at);
        put_signed(&mut out, ms.wrapping_sub(previous));
        previous = ms;
    }
    for index in indexes {
        put_varint(&mut out, index);
    }
    for entry in entries {
        put_varint(&mut out, entry.update.len() as u64);
    }
    for entry in entries {
        out.extend_from_slice(&entry.update);
    }
    out
}

fn decode_raw(raw: Bytes) -> Result<Vec<HistoryEntry>, BlockError> {
    let mut reader = Reader { raw: &raw, pos: 0 };
    if reader.byte()? != VERSION {
        return Err(BlockError::Malformed("unknown version"));
    }
    let author_count = reader.count(16)?;
    let authors: Vec<Uuid> = (0..author_count)
        .map(|_| reader.take(16).map(|b| Uuid::from_slice(b).expect("16 bytes")))
        .collect::<Result<_, _>>()?;
    // Each entry takes at least 4 bytes of columns.
    let count = reader.count(4)?;
    let mut seqs = Vec::with_capacity(count);
    let mut previous = 0_i64;
    for _ in 0..count {
        previous = previous.wrapping_add(reader.signed()?);
        seqs.push(previous);
    }
    let mut times: Vec<DateTime<Utc>> = Vec::with_capacity(count);
    let mut previous = 0_i64;
    for _ in 0..count {
        previous = previous.wrapping_add(reader.signed()?);
        times.push(from_ms(previous).ok_or(BlockError::Malformed("time out of range"))?);
    }
    let mut authors_of = Vec::with_capacity(count);
    for _ in 0..count {
        authors_of.push(match reader.varint()? {
            0 => None,
            i => Some(*authors.get(i as usize - 1).ok_or(BlockError::Malformed("unknown author"))?),
        });
    }
    let mut lengths = Vec::with_capacity(count);
    for _ in 0..count {
        lengths.push(usize::try_from(reader.varint()?).map_err(|_| BlockError::Malformed("length"))?);
    }
    let mut entries = Vec::with_capacity(count);
    for (((seq, at), author), len) in seqs.into_iter().zip(times).zip(authors_of).zip(lengths) {
        let start = reader.pos;
        reader.take(len)?;
        entries.push(HistoryEntry { seq, at, author, update: raw.slice(start..start + len) });
    }
    if reader.pos != raw.len() {
        return Err(BlockError::Malformed("trailing bytes"));
    }
    Ok(entries)
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_signed(out: &mut Vec<u8>, value: i64) {
    put_varint(out, ((value << 1) ^ (value >> 63)) as u64);
}

struct Reader<'a> {
    raw: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, len: usize) -> Result<&[u8], BlockError> {
        let end = self.pos.checked_add(len).filter(|end| *end <= self.raw.len());
        let end = end.ok_or(BlockError::Malformed("truncated"))?;
        let taken = &self.raw[self.pos..end];
        self.pos = end;
        Ok(taken)
    }

    fn byte(&mut self) -> Result<u8, BlockError> {
        Ok(self.take(1)?[0])
    }

    fn varint(&mut self) -> Result<u64, BlockError> {
        let mut value = 0_u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(BlockError::Malformed("varint too long"))
    }

    fn signed(&mut self) -> Result<i64, BlockError> {
        let value = self.varint()?;
        Ok(((value >> 1) as i64) ^ -((value & 1) as i64))
    }

    /// A count of items taking at least `min_bytes` each: refused when the rest cannot hold them.
    fn count(&mut self, min_bytes: usize) -> Result<usize, BlockError> {
        let count = usize::try_from(self.varint()?).map_err(|_| BlockError::Malformed("count"))?;
        if count.saturating_mul(min_bytes) > self.raw.len() - self.pos {
            return Err(BlockError::Malformed("count larger than the block"));
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::test_support::typing_session;

    fn entry(seq: i64, ms: i64, author: Option<Uuid>, update: &[u8]) -> HistoryEntry {
        HistoryEntry { seq, at: from_ms(ms).unwrap(), author, update: Bytes::copy_from_slice(update) }
    }

    #[test]
    fn a_block_decodes_to_the_entries_it_was_encoded_from() {
        let (ada, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let entries = vec![
            entry(7, 1_765_000_000_000, None, b"seeded"),
            entry(8, 1_765_000_000_250, Some(ada), b"a"),
            entry(9, 1_765_000_000_249, Some(bob), b""),
            entry(10, 1_765_000_061_000, Some(ada), &[0xff; 300]),
        ];
        let block = encode(&entries, LIVE_LEVEL);
        assert_eq!((block.from_seq, block.to_seq, block.entries), (7, 10, 4));
        assert_eq!((block.first_at, block.last_at), (entries[0].at, entries[3].at));
        assert_eq!(decode(&block.data).unwrap(), entries);
    }

    #[test]
    fn damaged_blocks_are_refused_not_misread() {
        let entries = vec![entry(1, 5, None, b"abc"), entry(2, 6, None, b"def")];
        let raw = encode_raw(&entries);
        for cut in 0..raw.len() {
            assert!(decode_raw(Bytes::copy_from_slice(&raw[..cut])).is_err(), "cut at {cut}");
        }
        let mut longer = raw.clone();
        longer.push(0);
        assert!(decode_raw(Bytes::from(longer)).is_err(), "trailing byte");
        let mut unknown = raw.clone();
        unknown[0] = 2;
        assert!(decode_raw(Bytes::from(unknown)).is_err(), "unknown version");
        assert!(decode(b"not zstd").is_err());
    }

    /// zstd against LZ4 on small blocks of a typing session (those of the first design, one
    /// per snapshot, every 2 s on SQLite) and on repacked ones: `cargo test -p codeview --lib compression -- --nocapture`.
    #[test]
    fn compression_zstd_beats_lz4_on_history_blocks() {
        let entries = typing_session(2_000, 1);
        let raw_total: usize = entries.iter().map(|e| e.update.len()).sum();
        let small: Vec<&[HistoryEntry]> = entries.chunks(11).collect();
        let zstd_small: usize = small.iter().map(|c| encode(c, LIVE_LEVEL).data.len()).sum();
        let lz4_small: usize = small.iter().map(|c| lz4_flex::compress_prepend_size(&encode_raw(c)).len()).sum();
        let zstd_large: usize = entries.chunks(4096).map(|c| encode(c, REPACK_LEVEL).data.len()).sum();
        let lz4_large: usize =
            entries.chunks(4096).map(|c| lz4_flex::compress_prepend_size(&encode_raw(c)).len()).sum();
        println!(
            "{} edits, {raw_total} update bytes: blocks of 11: zstd {zstd_small}, lz4 {lz4_small}; \
             repacked: zstd {zstd_large}, lz4 {lz4_large}",
            entries.len()
        );
        assert!(zstd_small < lz4_small && zstd_large < lz4_large);
    }
}
