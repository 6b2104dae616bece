-- The document log stored by document: one B-tree keyed (interview_id, doc, seq), no rowid, no
-- separate index, no AUTOINCREMENT counter. An append then writes one page (the document's
-- last leaf) instead of three (the table's last leaf, the index leaf, sqlite_sequence), and a
-- compaction deletes a contiguous run of rows instead of rows scattered over the whole table.
-- `seq` is now numbered per document by the room that appends (existing values, unique across
-- the table, stay valid and keep their order).
CREATE TABLE doc_updates_by_doc (
    interview_id BLOB NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL CHECK (doc IN ('code', 'notes')),
    seq          INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (interview_id, doc, seq)
) WITHOUT ROWID;

INSERT INTO doc_updates_by_doc (interview_id, doc, seq, data, created_at)
SELECT interview_id, doc, seq, data, created_at FROM doc_updates;

DROP TABLE doc_updates;
ALTER TABLE doc_updates_by_doc RENAME TO doc_updates;
