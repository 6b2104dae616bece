-- A snapshot's *open history block*: the entries after the document's newest sealed block
-- (`doc_history`) up to the snapshot, in the block format (`crate::history::block`); NULL when
-- there is none. Every entry a snapshot covers is in a sealed block or in its open block. The
-- row is rewritten at each snapshot anyway, so keeping the open entries here costs the live
-- path almost nothing; a `doc_history` row is written only when they are sealed (every 30 s
-- of typing, 500 entries or 16 KiB, and when the document unloads).
ALTER TABLE doc_snapshots ADD COLUMN open_history BLOB;
