//! Merging a document's small history blocks into large ones. While someone types, live
//! documents seal a block every 10 s of typing (or 500 entries); small blocks compress poorly. When a
//! document unloads (or its interview ends), its runs of small blocks are merged and
//! recompressed harder, off the live path: each merged block replaces the blocks it came from
//! in one transaction, and a repack that races another (or finds a block gone) changes nothing.

use uuid::Uuid;

use super::HistoryEntry;
use super::block::{self, BlockError};
use super::load::HistoryError;
use crate::db::{HistoryBlock, Store};

/// The most entries a repacked block holds.
pub const MAX_REPACKED_ENTRIES: usize = 16_384;
/// The most update bytes a repacked block holds (before compression).
pub const MAX_REPACKED_RAW_BYTES: usize = 4 << 20;

/// Merges the document's runs of small blocks; returns how many merged blocks were stored.
pub async fn repack(store: &dyn Store, interview_id: Uuid, doc: &str) -> Result<usize, HistoryError> {
    let stored = store.load_history(interview_id, doc, 0).await?;
    if stored.blocks.len() < 2 {
        return Ok(0);
    }
    let plans = tokio::task::spawn_blocking(move || plan(stored.blocks)).await.map_err(|err| {
        HistoryError::Store(crate::db::StoreError::Other(anyhow::anyhow!("repack panicked: {err}")))
    })??;
    let mut stored_blocks = 0;
    for (replaced, merged) in plans {
        if store.replace_history_blocks(interview_id, doc, &replaced, &merged).await? {
            stored_blocks += 1;
        }
    }
    Ok(stored_blocks)
}

/// The merged blocks to store, each with the `from_seq` of the blocks it replaces.
fn plan(blocks: Vec<HistoryBlock>) -> Result<Vec<(Vec<i64>, HistoryBlock)>, BlockError> {
    let mut plans = Vec::new();
    let mut group = Group::default();
    for stored in blocks {
        if stored.entries as usize >= MAX_REPACKED_ENTRIES / 2 {
            // Large already: left as it is, and it ends the run before it.
            group.flush_into(&mut plans);
            continue;
        }
        let entries = block::decode(&stored.data)?;
        let bytes: usize = entries.iter().map(|e| e.update.len()).sum();
        if group.entries.len() + entries.len() > MAX_REPACKED_ENTRIES || group.bytes + bytes > MAX_REPACKED_RAW_BYTES {
            group.flush_into(&mut plans);
        }
        group.replaced.push(stored.from_seq);
        group.entries.extend(entries);
        group.bytes += bytes;
    }
    group.flush_into(&mut plans);
    Ok(plans)
}

/// A run of consecutive small blocks being merged.
#[derive(Default)]
struct Group {
    replaced: Vec<i64>,
    entries: Vec<HistoryEntry>,
    bytes: usize,
}

impl Group {
    /// Adds the merged block to `plans` if there was anything to merge, and starts over.
    fn flush_into(&mut self, plans: &mut Vec<(Vec<i64>, HistoryBlock)>) {
        let Group { replaced, mut entries, .. } = std::mem::take(self);
        if replaced.len() < 2 {
            return;
        }
        entries.sort_by_key(|entry| entry.seq);
        entries.dedup_by_key(|entry| entry.seq);
        plans.push((replaced, block::encode(&entries, block::REPACK_LEVEL)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::block::LIVE_LEVEL;
    use crate::history::test_support::typing_session;

    #[test]
    fn runs_of_small_blocks_merge_and_large_ones_stay() {
        let entries = typing_session(MAX_REPACKED_ENTRIES / 2 + 40, 2);
        let (small, rest) = entries.split_at(30);
        let (large, after) = rest.split_at(MAX_REPACKED_ENTRIES / 2);
        let blocks: Vec<HistoryBlock> = small
            .chunks(10)
            .chain([large])
            .chain(after.chunks(5))
            .map(|chunk| block::encode(chunk, LIVE_LEVEL))
            .collect();
        let small_bytes: usize = blocks[..3].iter().map(|b| b.data.len()).sum();
        let plans = plan(blocks).unwrap();
        let replaced: Vec<Vec<i64>> = plans.iter().map(|(replaced, _)| replaced.clone()).collect();
        assert_eq!(replaced, vec![vec![1, 11, 21], vec![8223, 8228]]);
        let (_, merged) = &plans[0];
        assert_eq!((merged.from_seq, merged.to_seq, merged.entries), (1, 30, 30));
        assert_eq!(block::decode(&merged.data).unwrap(), small);
        assert!(merged.data.len() < small_bytes, "merging saved nothing");
    }
}
