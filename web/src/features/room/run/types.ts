// Wire shapes of the runs API and of the room event socket, as the server sends them
// (crates/server/src/http/runs.rs, runs/results.rs, runs/events.rs). No logic here.
import type { Question, Timestamp, Uuid } from '../../../api/types';

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
export type RunStatus = (typeof RUN_STATUSES)[number];

export type RunMode = 'run' | 'test';
export type OutputStream = 'stdout' | 'stderr' | 'compile';

/** What the panel needs of a question: `detail.questions` (a `Question`) fits. */
export type QuestionView = Pick<Question, 'id' | 'title' | 'test_cases'> & Partial<Pick<Question, 'hidden_test_count'>>;

/** Why a test case failed, coarsely: all a hidden case tells candidates and observers. */
export type FailureReason = 'wrong_answer' | 'time' | 'memory' | 'crash';

export interface TestResultView {
  index: number;
  test_case_id: Uuid | null;
  hidden: boolean;
  /** For hidden cases seen by candidates and observers: only finished, time_limit, memory_limit or runtime_error. */
  status: string;
  passed: boolean | null;
  reason?: FailureReason | string | null;
  /** Null for hidden cases when the viewer is a candidate or an observer (as is every content field). */
  time_ms: number | null;
  memory_kb: number | null;
  exit_code?: number | null;
  signal?: number | null;
  /** This case's output was cut to fit the run's stored output (1 MiB per run). */
  output_truncated?: boolean;
  input?: string | null;
  expected_output?: string | null;
  actual_output: string | null;
  stderr: string | null;
}

/** `GET /api/runs/{id}` → `{run}`: one run with its code and output. */
export interface RunView {
  id: Uuid;
  interview_id: Uuid;
  /** A `RunStatus`, typed loosely so a status added later still renders. */
  status: string;
  language: string;
  mode: RunMode | string;
  participant_id: Uuid;
  requested_by: string;
  question_id: Uuid | null;
  /** An interviewer's run of their own code: only interviewers see it. */
  interviewers_only?: boolean;
  code: string;
  stdin: string;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  verdict: string | null;
  stdout: string;
  stderr: string;
  exit_code: number | null;
  signal: number | null;
  time_ms: number | null;
  memory_kb: number | null;
  compile_output: string | null;
  message: string | null;
  /** Some output was cut to fit the stored limit (1 MiB per run; the text says where). */
  output_truncated?: boolean;
  tests: TestResultView[];
}

/** A run in the history: no code, no output (`GET /api/runs/{id}` has those). */
export interface RunSummary {
  id: Uuid;
  interview_id: Uuid;
  status: string;
  language: string;
  mode: RunMode | string;
  participant_id: Uuid;
  requested_by: string;
  question_id: Uuid | null;
  interviewers_only: boolean;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  verdict: string | null;
  time_ms: number | null;
  memory_kb: number | null;
  tests_passed: number | null;
  tests_total: number | null;
  output_truncated: boolean;
}

/** `GET /api/interviews/{id}/runs?limit=&before=` → a page of summaries, newest first. */
export interface RunList {
  runs: RunSummary[];
  /** The path of the next (older) page, or null on the last page. */
  next: string | null;
}

export interface CreateRunRequest {
  language: string;
  code: string;
  stdin?: string;
  mode: RunMode;
  question_id?: Uuid;
}

export interface QueuedRun {
  run: { id: Uuid; status: 'queued' };
}

/** `GET /api/languages` → an array of these. */
export interface LanguageInfo {
  id: string;
  name: string;
  version: string;
  available: boolean;
  reason?: string;
}

/** Room socket frames (`/ws/rooms/{interview_id}`), protocol version 1. */
export type RoomEvent =
  | { type: 'hello'; v: number; interview_id: Uuid; participant_id: Uuid; role: string }
  | {
      type: 'run_queued';
      v: number;
      run_id: Uuid;
      language: string;
      mode: string;
      participant_id: Uuid;
      requested_by: string;
    }
  | { type: 'run_started'; v: number; run_id: Uuid }
  | { type: 'run_output'; v: number; run_id: Uuid; case: number | null; stream: OutputStream | string; text: string }
  | {
      type: 'run_case';
      v: number;
      run_id: Uuid;
      case: number;
      status: string;
      passed: boolean | null;
      reason?: string | null;
      /** Null for hidden cases, except for interviewers. */
      time_ms: number | null;
      memory_kb: number | null;
    }
  | { type: 'run_finished'; v: number; run_id: Uuid; status: string; verdict: string | null }
  | { type: 'status'; v: number; status: string }
  | { type: 'resync'; v: number };

export const ROOM_PROTOCOL_VERSION = 1;
