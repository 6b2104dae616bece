-- Per-question code: the question the room shows and edits (an interview control, changed by
-- the host and co-interviewers). NULL means the interview's first question; a question that
-- left the interview also reads as the first.
ALTER TABLE interviews ADD COLUMN active_question_id UUID;
