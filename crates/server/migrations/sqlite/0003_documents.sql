-- Collaborative documents: an append-only update log per document, compacted into snapshots.
CREATE TABLE doc_updates (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id BLOB NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL CHECK (doc IN ('code', 'notes')),
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX doc_updates_doc ON doc_updates (interview_id, doc, seq);

CREATE TABLE doc_snapshots (
    interview_id BLOB NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL CHECK (doc IN ('code', 'notes')),
    data         BLOB NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (interview_id, doc)
);
