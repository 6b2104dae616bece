// The web's names for the runs API and the room event socket. The shapes are the server's
// (generated into api/schema.d.ts from its OpenAPI document); only the lists the UI needs
// at run time are written here, and checked against the server's unions at compile time.
import type { Exactly, Question, Schemas } from '../../../api/types';

/** Every status a run can have; `queued` and `running` are the only unfinished ones. */
export const RUN_STATUSES = [
  'queued',
  'running',
  'finished',
  'compile_error',
  'time_limit',
  'memory_limit',
  'output_limit',
  'runtime_error',
  'internal_error',
  'cancelled',
] as const;
export type RunStatus = Schemas['RunStatus'];
export type RunMode = Schemas['RunMode'];
export type OutputStream = Schemas['OutputStream'];
export type FailureReason = Schemas['FailureReason'];
export type Verdict = Schemas['Verdict'];
export type ExceededLimit = Schemas['ExceededLimit'];

/** What the panel needs of a question: `detail.questions` (a `Question`) fits. */
export type QuestionView = Pick<Question, 'id' | 'title' | 'test_cases'> & Partial<Pick<Question, 'hidden_test_count'>>;

/** One test case of a run; hidden cases seen by candidates and observers keep only the status, `passed` and `reason`. */
export type TestResultView = Schemas['TestResult'];

/** `GET /api/runs/{id}` → `{run}`: one run with its code and output. */
export type RunView = Schemas['RunView'];

/** A run in the history: no code, no output (`GET /api/runs/{id}` has those). */
export type RunSummary = Schemas['RunSummary'];

/** `GET /api/interviews/{id}/runs?limit=&before=` → a page of summaries, newest first. */
export type RunList = Schemas['RunList'];

export type CreateRunRequest = Schemas['CreateRun'];

export type QueuedRun = Schemas['QueuedRun'];

/** `GET /api/languages` → an array of these. */
export type LanguageInfo = Schemas['LanguageView'];

/** Room socket frames (`/ws/rooms/{interview_id}`). */
export type RoomEvent = Schemas['RoomEvent'];

export const ROOM_PROTOCOL_VERSION = 1;

export const RUN_STATUSES_MATCH_THE_SERVER: Exactly<(typeof RUN_STATUSES)[number], RunStatus> = true;
