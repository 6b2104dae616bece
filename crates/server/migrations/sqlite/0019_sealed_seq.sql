-- The newest log entry a sealed history block holds (`crate::history::uncovered`): entries up
-- to it may leave the log (the journal's trim drops them, a seal deletes them from
-- `doc_updates`); the later ones stay in the log, even those a snapshot covers, until a seal
-- (every 10 s of typing or 500 entries, and when the document unloads). Snapshots in between
-- then write no history row: one per snapshot cost live latency. Until now a snapshot stored
-- the block of every entry it covered, so its `seq` is sealed.
ALTER TABLE doc_snapshots ADD COLUMN sealed_seq INTEGER NOT NULL DEFAULT 0;
UPDATE doc_snapshots SET sealed_seq = seq;
