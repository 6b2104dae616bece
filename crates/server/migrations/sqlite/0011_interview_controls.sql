-- Interview controls: what the interviewers allow the candidate in the room, stored on the
-- interview so the server enforces it and a candidate cannot turn it back on. The first one
-- is the editor's autocomplete (suggestions, snippets, the TypeScript service's completions).
ALTER TABLE interviews ADD COLUMN candidate_autocomplete BOOLEAN NOT NULL DEFAULT TRUE;
