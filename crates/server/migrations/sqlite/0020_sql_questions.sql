-- SQL questions: a question may carry the schema (DDL, maybe shared sample rows) that sets up
-- the database of every run of its SQL answer, before each test case's seed data. A run
-- freezes the schema it ran with, as it freezes its test cases (each case's `ordered` flag is
-- part of the JSON in `questions.test_cases` and `runs.cases`). NULL: no schema.
ALTER TABLE questions ADD COLUMN sql_schema TEXT;
ALTER TABLE runs ADD COLUMN setup_sql TEXT;
