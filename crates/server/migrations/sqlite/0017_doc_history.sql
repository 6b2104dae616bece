-- Every accepted document update is kept for the interview's lifetime (replay). Each log entry
-- carries its author: the participant whose connection sent it (NULL for changes the server
-- made: the language it seeds, starter code). Its `created_at` is the time the room accepted
-- it, which the history keeps too.
ALTER TABLE doc_updates ADD COLUMN author BLOB;
ALTER TABLE doc_journal ADD COLUMN author BLOB;

-- The history of a document: the log entries its snapshots cover, moved out of the hot tables
-- in compressed blocks (`crate::history::block`). A snapshot and the block of the entries it
-- newly covers are stored in one transaction, so every entry up to a snapshot's `seq` is in a
-- block; the entries after it are still in `doc_updates` / `doc_journal`. Small blocks (a
-- snapshot every few seconds while someone types) are repacked into large ones when the
-- document unloads. A rowid table: blocks are kilobytes, too large for a clustered key.
CREATE TABLE doc_history (
    interview_id BLOB NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL CHECK (doc IN ('code', 'notes')),
    from_seq     INTEGER NOT NULL,
    to_seq       INTEGER NOT NULL,
    first_at     TEXT NOT NULL,
    last_at      TEXT NOT NULL,
    entries      INTEGER NOT NULL,
    -- The update bytes it holds before compression (what a document's history may hold is
    -- bounded by their sum).
    bytes        INTEGER NOT NULL,
    data         BLOB NOT NULL,
    PRIMARY KEY (interview_id, doc, from_seq)
);
