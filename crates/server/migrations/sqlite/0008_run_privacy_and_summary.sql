-- Runs of an interviewer's own code (a reference solution, say) are for interviewers only;
-- decided when the run is queued and stored, never guessed later.
ALTER TABLE runs ADD COLUMN interviewers_only BOOLEAN NOT NULL DEFAULT FALSE;
-- A few bytes of JSON per finished run (status, verdict, counts, per audience), so the history
-- lists runs without reading their output.
ALTER TABLE runs ADD COLUMN summary TEXT;
-- Fair claiming: how many runs each interview has running, and when it was last served.
CREATE INDEX runs_interview_status ON runs (interview_id, status);
CREATE INDEX runs_interview_started ON runs (interview_id, started_at);
