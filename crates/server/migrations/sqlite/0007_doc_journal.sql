-- The document log's recent entries go to a journal in arrival order: an append adds to the
-- journal's last page, which a commit writes once whatever the number of documents in it
-- (appending to each document's own page in `doc_updates` wrote one page per document per
-- commit). Rooms snapshot every few seconds; the journal is then trimmed from its oldest end,
-- and what no snapshot covers by then is moved into `doc_updates`. No index: a document's
-- entries are found by a scan of the few seconds the journal holds.
CREATE TABLE doc_journal (
    id           INTEGER PRIMARY KEY,
    interview_id BLOB NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL CHECK (doc IN ('code', 'notes')),
    seq          INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);

-- The newest log entry a snapshot covers (entries up to it are in the snapshot). Existing
-- snapshots cover no entry still stored: compaction deleted the ones they cover.
ALTER TABLE doc_snapshots ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
