-- The document log's recent entries go to a journal in arrival order, as on SQLite (see its
-- migration): rooms snapshot every few seconds, the journal is trimmed from its oldest end,
-- and what no snapshot covers by then is moved into `doc_updates`. Only the append-ordered
-- key is indexed; a document's entries are found by a scan of the few seconds it holds.
CREATE TABLE doc_journal (
    id           BIGSERIAL PRIMARY KEY,
    interview_id UUID NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL CHECK (doc IN ('code', 'notes')),
    seq          BIGINT NOT NULL,
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

-- The newest log entry a snapshot covers. Existing snapshots cover no entry still stored.
ALTER TABLE doc_snapshots ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
