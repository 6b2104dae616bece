-- The browser a session signed in from (its User-Agent, cut at 256 characters), so the
-- account page can tell the signed-in browsers apart. NULL for sessions made before this and
-- for clients that sent none.
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
