-- Room controls the interviewers set live (domain/controls.rs): the candidate's editor locked
-- (their document updates are dropped by the server), running code paused for the candidate,
-- and whether the server ends the interview by itself once its duration is over.
ALTER TABLE interviews ADD COLUMN editor_locked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE interviews ADD COLUMN runs_disabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE interviews ADD COLUMN auto_end BOOLEAN NOT NULL DEFAULT FALSE;
