-- The question bank, interviews, their questions and their participants.
CREATE TABLE questions (
    id              BLOB PRIMARY KEY NOT NULL,
    slug            TEXT UNIQUE,
    title           TEXT NOT NULL,
    prompt          TEXT NOT NULL,
    difficulty      TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    category        TEXT NOT NULL,
    tags            TEXT NOT NULL,
    starter_code    TEXT NOT NULL,
    test_cases      TEXT NOT NULL,
    reference_solution TEXT,
    builtin         BOOLEAN NOT NULL,
    created_by      BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX questions_category ON questions (category);

CREATE TABLE interviews (
    id               BLOB PRIMARY KEY NOT NULL,
    title            TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('scheduled', 'live', 'ended')),
    room_code        TEXT NOT NULL UNIQUE,
    invite_secret    TEXT NOT NULL,
    language         TEXT NOT NULL,
    scheduled_at     TEXT,
    duration_minutes INTEGER NOT NULL,
    candidate_name   TEXT,
    candidate_email  TEXT,
    created_by       BLOB NOT NULL REFERENCES users (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    started_at       TEXT,
    ended_at         TEXT
);

CREATE TABLE interview_questions (
    interview_id BLOB NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    question_id  BLOB NOT NULL REFERENCES questions (id),
    PRIMARY KEY (interview_id, position)
);

CREATE TABLE participants (
    id           BLOB PRIMARY KEY NOT NULL,
    interview_id BLOB NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    user_id      BLOB REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('host', 'interviewer', 'observer', 'candidate')),
    name         TEXT NOT NULL,
    email        TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (interview_id, user_id)
);
CREATE INDEX participants_user ON participants (user_id);
