-- Code runs: a durable queue (workers claim `queued` rows) and the run history.
CREATE TABLE runs (
    id             BLOB PRIMARY KEY NOT NULL,
    interview_id   BLOB NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    participant_id BLOB NOT NULL,
    requested_by   TEXT NOT NULL,
    language       TEXT NOT NULL,
    mode           TEXT NOT NULL CHECK (mode IN ('run', 'test')),
    code           TEXT NOT NULL,
    stdin          TEXT NOT NULL,
    question_id    BLOB,
    cases          TEXT NOT NULL,
    status         TEXT NOT NULL,
    result         TEXT,
    claimed_by     TEXT,
    created_at     TEXT NOT NULL,
    started_at     TEXT,
    heartbeat_at   TEXT,
    finished_at    TEXT
);
CREATE INDEX runs_queue ON runs (status, created_at);
CREATE INDEX runs_interview ON runs (interview_id, created_at);
