-- The journal of the document log and the entry each snapshot covers, as on SQLite (see its
-- migration). PostgreSQL's writer does not fill the journal (its WAL records rows, not pages,
-- so appending to each document's own entries costs no extra page there); the table exists so
-- that one load query serves both backends (the writer moves whatever it holds at startup).
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
