-- Scorecards: each interview's rubric (the criteria its interviewers rate the candidate on)
-- and one scorecard per host or co-interviewer, with a 1–4 rating and a comment per criterion,
-- an overall recommendation and a summary. Everything goes with the interview.

-- An interview's rubric, copied from its workspace's default the first time it is read.
CREATE TABLE interview_rubrics (
    interview_id UUID PRIMARY KEY REFERENCES interviews (id) ON DELETE CASCADE,
    -- Set by the first submitted scorecard: from then on the criteria no longer change.
    locked_at    TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE rubric_criteria (
    interview_id UUID NOT NULL REFERENCES interview_rubrics (interview_id) ON DELETE CASCADE,
    -- A slug (e.g. `problem_solving`), stable while the criterion exists.
    id           TEXT NOT NULL,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (interview_id, id)
);

CREATE TABLE scorecards (
    id             UUID PRIMARY KEY,
    interview_id   UUID NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    participant_id UUID NOT NULL UNIQUE REFERENCES participants (id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    recommendation TEXT CHECK (recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')),
    summary        TEXT NOT NULL,
    submitted_at   TIMESTAMPTZ,
    -- The last time the host reopened it, and the host's name then.
    reopened_at    TIMESTAMPTZ,
    reopened_by    TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX scorecards_interview ON scorecards (interview_id);

-- A rating goes with its criterion: removing a criterion from a rubric removes its ratings.
CREATE TABLE scorecard_ratings (
    scorecard_id UUID NOT NULL REFERENCES scorecards (id) ON DELETE CASCADE,
    interview_id UUID NOT NULL,
    criterion_id TEXT NOT NULL,
    score        INTEGER CHECK (score BETWEEN 1 AND 4),
    comment      TEXT NOT NULL,
    PRIMARY KEY (scorecard_id, criterion_id),
    FOREIGN KEY (interview_id, criterion_id) REFERENCES rubric_criteria (interview_id, id) ON DELETE CASCADE
);
CREATE INDEX scorecard_ratings_criterion ON scorecard_ratings (interview_id, criterion_id);
