-- Credentials people can see and end: sessions get a public id (the listing must not show
-- the hash the cookie is looked up by), and API tokens an expiry and a last-use time.
ALTER TABLE sessions ADD COLUMN id BLOB;
UPDATE sessions SET id = randomblob(16);
CREATE UNIQUE INDEX sessions_id ON sessions (id);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_participant_id ON sessions (participant_id);

-- Tokens made before expiry existed live 90 days from this upgrade. A token without an
-- expiry is refused (the lookup compares it), so a row missing one fails closed.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '+90 days');
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);
