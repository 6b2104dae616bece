-- The document log keyed by document: `seq` is numbered per document by the room that appends
-- (as on SQLite, where the log is clustered by document). Existing values, unique across the
-- table, stay valid and keep their order; the primary key replaces the separate index.
ALTER TABLE doc_updates ALTER COLUMN seq DROP DEFAULT;
DROP SEQUENCE doc_updates_seq_seq;
ALTER TABLE doc_updates DROP CONSTRAINT doc_updates_pkey;
ALTER TABLE doc_updates ADD PRIMARY KEY (interview_id, doc, seq);
DROP INDEX doc_updates_doc;
