-- Every accepted document update is kept for the interview's lifetime (replay); see SQLite's
-- migration for the design. Each log entry carries its author (the participant whose
-- connection sent it; NULL for changes the server made).
ALTER TABLE doc_updates ADD COLUMN author UUID;
ALTER TABLE doc_journal ADD COLUMN author UUID;

-- The entries a document's snapshots cover, in compressed blocks (`crate::history::block`),
-- each stored in the transaction of the snapshot that newly covers its entries.
CREATE TABLE doc_history (
    interview_id UUID NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    doc          TEXT NOT NULL CHECK (doc IN ('code', 'notes')),
    from_seq     BIGINT NOT NULL,
    to_seq       BIGINT NOT NULL,
    first_at     TIMESTAMPTZ NOT NULL,
    last_at      TIMESTAMPTZ NOT NULL,
    entries      BIGINT NOT NULL,
    -- The update bytes it holds before compression.
    bytes        BIGINT NOT NULL,
    data         BYTEA NOT NULL,
    PRIMARY KEY (interview_id, doc, from_seq)
);
