-- Collaborative documents: an append-only update log per document, compacted into snapshots.
CREATE TABLE doc_updates (
    seq          BIGSERIAL PRIMARY KEY,
    interview_id UUID NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL CHECK (doc IN ('code', 'notes')),
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX doc_updates_doc ON doc_updates (interview_id, doc, seq);

CREATE TABLE doc_snapshots (
    interview_id UUID NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL CHECK (doc IN ('code', 'notes')),
    data         BYTEA NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (interview_id, doc)
);
