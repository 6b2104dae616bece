-- What happened in an interview that no other table keeps, for its timeline: participants'
-- room sockets opening and closing (`joined`, `left`), changes of the active question and of
-- the other controls, and the candidate's integrity signals. `data` is the event's JSON
-- (its shape is the timeline's, per kind). Everything goes with the interview.
CREATE TABLE interview_events (
    id             BLOB PRIMARY KEY NOT NULL,
    interview_id   BLOB NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    at             TEXT NOT NULL,
    kind           TEXT NOT NULL
                   CHECK (kind IN ('joined', 'left', 'question_changed', 'control_changed', 'signal')),
    -- Who did it (no foreign key: a removed participant's events stay, as their runs do).
    participant_id BLOB,
    data           TEXT NOT NULL
);
-- Counting one kind (the caps) and listing in time order.
CREATE INDEX interview_events_kind ON interview_events (interview_id, kind, at);
