-- Cancelling a run: a queued run is cancelled at once; a running one is flagged with who asked,
-- and its worker (in this process or another) kills the sandbox and stores `cancelled`.
ALTER TABLE runs ADD COLUMN cancel_requested_by TEXT;
