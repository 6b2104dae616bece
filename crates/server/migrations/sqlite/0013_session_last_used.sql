-- When a session was last used (written at most every few minutes), so the account page can
-- tell a browser in use from one forgotten on another machine. NULL until first used after
-- sign-in.
ALTER TABLE sessions ADD COLUMN last_used_at TEXT;
