-- Fencing for live documents across server instances (issue 21): the instance that owns a
-- document's live copy (chosen by a lease in Redis) first bumps the document's `fence` here,
-- then loads it; each of its log writes carries that fence and is refused once another
-- instance has bumped it. (Several instances need PostgreSQL; SQLite keeps the table so both
-- backends share one schema and one store API.)
CREATE TABLE doc_leases (
    interview_id BLOB NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    doc TEXT NOT NULL,
    fence INTEGER NOT NULL,
    owner TEXT NOT NULL,
    PRIMARY KEY (interview_id, doc)
);
