// Builders for run-panel tests: a stored run (`RunView`), one of its test results, its history
// summary (`RunSummary`) and room events, with defaults. Typed by the server's schema, so a
// fixture cannot drift from what the server sends.
import type { Role } from '../../../api/types';
import type {
  OutputStream,
  RoomEvent,
  RunMode,
  RunStatus,
  RunSummary,
  RunView,
  TestResultView,
  Verdict,
} from './types';

export const INTERVIEW_ID = '11111111-1111-1111-1111-111111111111';
export const CANDIDATE_ID = '22222222-2222-2222-2222-222222222222';
export const HOST_ID = '33333333-3333-3333-3333-333333333333';

export function runView(overrides: Partial<RunView> = {}): RunView {
  return {
    id: 'run-1',
    interview_id: INTERVIEW_ID,
    status: 'finished',
    language: 'python',
    mode: 'run',
    participant_id: CANDIDATE_ID,
    requested_by: 'Casey Candidate',
    question_id: null,
    interviewers_only: false,
    code: 'print(1)',
    stdin: '',
    created_at: '2026-11-25T21:00:00Z',
    started_at: '2026-11-25T21:00:00Z',
    finished_at: '2026-11-25T21:00:01Z',
    verdict: null,
    stdout: '',
    stderr: '',
    exit_code: 0,
    signal: null,
    limit: null,
    time_ms: 20,
    memory_kb: 9000,
    compile_output: null,
    message: null,
    output_truncated: false,
    tests: [],
    isolation: null,
    ...overrides,
  };
}

export function testResult(overrides: Partial<TestResultView> = {}): TestResultView {
  return {
    index: 0,
    test_case_id: null,
    hidden: false,
    status: 'finished',
    passed: true,
    reason: null,
    time_ms: 10,
    memory_kb: 8000,
    exit_code: 0,
    signal: null,
    limit: null,
    output_truncated: false,
    input: 'in',
    expected_output: 'out',
    actual_output: 'out',
    stderr: '',
    diff: null,
    ...overrides,
  };
}

export function runSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'run-1',
    interview_id: INTERVIEW_ID,
    status: 'finished',
    language: 'python',
    mode: 'run',
    participant_id: CANDIDATE_ID,
    requested_by: 'Casey Candidate',
    question_id: null,
    interviewers_only: false,
    created_at: '2026-11-25T21:00:00Z',
    started_at: '2026-11-25T21:00:00Z',
    finished_at: '2026-11-25T21:00:01Z',
    verdict: null,
    time_ms: 20,
    memory_kb: 9000,
    tests_passed: null,
    tests_total: null,
    output_truncated: false,
    ...overrides,
  };
}

export const ev = {
  hello: (participant_id: string, role: Role = 'candidate'): RoomEvent => ({
    type: 'hello',
    v: 1,
    interview_id: INTERVIEW_ID,
    participant_id,
    role,
    sandbox: null,
  }),
  queued: (
    run_id: string,
    requested_by = 'Casey Candidate',
    mode: RunMode = 'run',
    participant_id = CANDIDATE_ID,
  ): RoomEvent => ({
    type: 'run_queued',
    v: 1,
    run_id,
    language: 'python',
    mode,
    participant_id,
    requested_by,
  }),
  started: (run_id: string): RoomEvent => ({ type: 'run_started', v: 1, run_id }),
  out: (run_id: string, text: string, stream: OutputStream = 'stdout', kase: number | null = 0): RoomEvent => ({
    type: 'run_output',
    v: 1,
    run_id,
    case: kase,
    stream,
    text,
  }),
  kase: (run_id: string, kase: number, passed: boolean | null, status: RunStatus = 'finished'): RoomEvent => ({
    type: 'run_case',
    v: 1,
    run_id,
    case: kase,
    status,
    passed,
    reason: passed === false ? 'wrong_answer' : null,
    time_ms: 10,
    memory_kb: 8000,
  }),
  finished: (run_id: string, status: RunStatus = 'finished', verdict: Verdict | null = null): RoomEvent => ({
    type: 'run_finished',
    v: 1,
    run_id,
    status,
    verdict,
  }),
};
