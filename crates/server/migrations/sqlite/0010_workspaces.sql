-- Workspaces: a hiring team's questions, interviews and members. Every question except the
-- starter library and every interview belongs to one workspace; people belong to workspaces
-- as owner, admin or member, and are added by single-use invites.
CREATE TABLE workspaces (
    id                       BLOB PRIMARY KEY NOT NULL,
    name                     TEXT NOT NULL,
    default_language         TEXT NOT NULL,
    default_duration_minutes INTEGER NOT NULL,
    -- JSON: [{"name", "description"}], the rubric new interviews start from.
    default_rubric           TEXT NOT NULL,
    -- Code runs a day across the workspace's interviews; NULL: only the server's quotas.
    runs_per_day             INTEGER,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL
);

CREATE TABLE workspace_members (
    workspace_id BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX workspace_members_user ON workspace_members (user_id);

-- Only the SHA-256 of an invite's token is stored, as for sessions.
CREATE TABLE workspace_invites (
    id           BLOB PRIMARY KEY NOT NULL,
    workspace_id BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    token_hash   TEXT NOT NULL UNIQUE,
    invited_by   BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    accepted_at  TEXT,
    accepted_by  BLOB REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX workspace_invites_workspace ON workspace_invites (workspace_id);

-- SQLite cannot add a NOT NULL foreign key column; the store always sets it.
ALTER TABLE questions ADD COLUMN workspace_id BLOB REFERENCES workspaces (id) ON DELETE CASCADE;
ALTER TABLE interviews ADD COLUMN workspace_id BLOB REFERENCES workspaces (id) ON DELETE CASCADE;
CREATE INDEX questions_workspace ON questions (workspace_id);
CREATE INDEX interviews_workspace ON interviews (workspace_id);

-- Existing data moves into a personal workspace of each account, whose id is the account's
-- id (ids are only unique keys; new workspaces get their own).
INSERT INTO workspaces (id, name, default_language, default_duration_minutes, default_rubric, runs_per_day, created_at, updated_at)
SELECT id, name || '''s workspace', 'python', 60,
       '[{"name":"Problem solving","description":"Understands the problem, finds a working approach, reasons about complexity."},{"name":"Code quality","description":"Readable, well-structured, idiomatic code."},{"name":"Communication","description":"Explains their thinking, asks clarifying questions, takes hints."},{"name":"Testing & edge cases","description":"Tests their code and handles edge cases."}]',
       NULL, created_at, created_at
FROM users;
INSERT INTO workspace_members (workspace_id, user_id, role, created_at)
SELECT id, id, 'owner', created_at FROM users;
-- A question whose author's account is gone keeps no workspace: interviews that use it still
-- show it, the bank does not.
UPDATE questions SET workspace_id = created_by WHERE NOT builtin AND created_by IS NOT NULL;
UPDATE interviews SET workspace_id = created_by;
