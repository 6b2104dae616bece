// Component tests for the run panel against a stubbed fetch and a fake room socket.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../../../test/fakeWebSocket';
import { installFetch, type Call } from '../../../test/fetchMock';
import { RunPanel, type RunPanelProps } from './RunPanel';
import { CANDIDATE_ID, INTERVIEW_ID, ev, runSummary, runView, testResult } from './testFixtures';
import type { RunSummary, RunView } from './types';

/** A response the test hands out when it chooses. */
function deferred() {
  let resolve: (answer: { status: number; body?: unknown }) => void = () => {};
  const promise = new Promise<{ status: number; body?: unknown }>((r) => (resolve = r));
  return { promise, resolve: (answer: { status: number; body?: unknown }) => resolve(answer) };
}

const LANGUAGES = [
  { id: 'python', name: 'Python', version: '3.11.2', available: true },
  { id: 'go', name: 'Go', version: '1.19', available: false, reason: 'go is not installed' },
];

const QUESTION = {
  id: 'q1',
  title: 'Sum',
  test_cases: [{ id: 't1', input: '1 2', expected_output: '3', hidden: false }],
  hidden_test_count: 1,
};

function props(overrides: Partial<RunPanelProps> = {}): RunPanelProps {
  return {
    interviewId: INTERVIEW_ID,
    language: 'python',
    canRun: true,
    isInterviewer: false,
    getCode: () => 'print("hi")',
    questions: [QUESTION],
    ...overrides,
  };
}

interface Server {
  calls: Call[];
  /** What GET /api/runs/{id} answers (by id). */
  results: Map<string, RunView>;
  history: RunSummary[];
  /** The older page, after the history's last run. */
  older: RunSummary[];
  /** How many of the next requests for the history's first page fail (503). */
  historyFailures: number;
}

function server(extra: Parameters<typeof installFetch>[0] = {}): Server {
  const results = new Map<string, RunView>();
  const s: Server = { calls: [], results, history: [], older: [], historyFailures: 0 };
  s.calls = installFetch({
    'GET /api/languages': () => ({ status: 200, body: LANGUAGES }),
    [`GET /api/interviews/${INTERVIEW_ID}/runs`]: (call) => {
      if (call.url.includes('before=')) return { status: 200, body: { runs: s.older, next: null } };
      if (s.historyFailures > 0) {
        s.historyFailures -= 1;
        return { status: 503, body: { error: { code: 'unavailable', message: 'Try again.' } } };
      }
      return { status: 200, body: { runs: s.history, next: s.older.length > 0 ? 'older' : null } };
    },
    // Stored runs answer from `results`; one not stored yet is a server failure.
    ...Object.fromEntries(
      ['old', 'r0'].map((id) => [
        `GET /api/runs/${id}`,
        () => {
          const run = results.get(id);
          return run
            ? { status: 200, body: { run } }
            : {
                status: 500,
                body: { error: { code: 'internal_error', message: 'Something went wrong on our side.' } },
              };
        },
      ]),
    ),
    [`POST /api/interviews/${INTERVIEW_ID}/runs`]: () => ({
      status: 202,
      body: { run: { id: 'r1', status: 'queued' } },
    }),
    'GET /api/runs/r1': () => ({
      status: 200,
      body: { run: results.get('r1') ?? runView({ id: 'r1', status: 'running' }) },
    }),
    'POST /api/runs/r1/cancel': () => ({ status: 200, body: { run: runView({ id: 'r1', status: 'running' }) } }),
    ...extra,
  });
  return s;
}

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('RunPanel', () => {
  it('runs the code and streams output live to the console, then shows the stored status', async () => {
    const s = server();
    // The long-poll for our own run answers once the result exists.
    s.results.set('r1', runView({ id: 'r1', stdout: 'hello\nbye\n', stderr: 'warn\n' }));
    render(<RunPanel {...props()} />);
    const ws = FakeWebSocket.latest();
    expect(ws.url).toBe(`ws://${window.location.host}/ws/rooms/${INTERVIEW_ID}`);
    ws.open();
    expect(await screen.findByText('Python 3.11.2')).toBeTruthy();

    s.results.delete('r1');
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    const post = s.calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ language: 'python', code: 'print("hi")', mode: 'run' });

    ws.emit(
      ev.queued('r1', 'Casey Candidate'),
      ev.started('r1'),
      ev.out('r1', 'hello\n'),
      ev.out('r1', 'warn\n', 'stderr'),
    );
    const console = await screen.findByTestId('run-output');
    await waitFor(() => expect(console.textContent).toContain('warn'));
    expect(screen.getByTestId('run-status').textContent).toBe('Running…');
    expect(screen.getByTestId('run-who').textContent).toContain('Casey Candidate');
    expect(console.querySelector('[data-stream="stderr"]')?.textContent).toBe('warn\n');
    expect(console.querySelector('[data-stream="stdout"]')?.textContent).toBe('hello\n');

    ws.emit(ev.out('r1', 'bye\n'));
    s.results.set('r1', runView({ id: 'r1', stdout: 'hello\nbye\n', stderr: 'warn\n' }));
    s.history = [runSummary({ id: 'r1' })];
    ws.emit(ev.finished('r1'));
    await waitFor(() => expect(screen.getByTestId('run-status').textContent).toBe('Finished'));
    await waitFor(() => expect(screen.getByTestId('run-footer').textContent).toContain('Process exited with code 0'));
    // Live (interleaved) output is kept.
    expect(console.textContent).toBe('hello\nwarn\nbye\nProcess exited with code 0');
    expect(within(screen.getByTestId('run-history')).getByText('Casey Candidate')).toBeTruthy();
  });

  it('opens an older run from the history tab, fetching its output then', async () => {
    const s = server();
    s.history = [runSummary({ id: 'old', requested_by: 'Ada' })];
    s.results.set('old', runView({ id: 'old', stdout: 'stored output\n', requested_by: 'Ada' }));
    render(<RunPanel {...props()} />);
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.emit(ev.queued('r1', 'Casey'), ev.started('r1'), ev.out('r1', 'live\n'));
    await waitFor(() => expect(screen.getByTestId('run-output').textContent).toContain('live'));
    await userEvent.click(screen.getByRole('tab', { name: /History/ }));
    expect(screen.getByRole('tab', { name: /History/ }).getAttribute('aria-selected')).toBe('true');
    await userEvent.click(screen.getByRole('button', { name: /Ada/ }));
    expect(screen.getByRole('tab', { name: 'Output' }).getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(screen.getByTestId('run-output').textContent).toContain('stored output'));
    expect(screen.getByTestId('run-who').textContent).toContain('Ada');
    expect(s.calls.filter((c) => c.url === '/api/runs/old')).toHaveLength(1);
  });

  it("shows an error with Retry when a run's output cannot be loaded", async () => {
    const s = server();
    s.history = [runSummary({ id: 'old', requested_by: 'Ada' })];
    render(<RunPanel {...props()} />);
    expect(await screen.findByTestId('run-detail-error')).toBeTruthy();
    s.results.set('old', runView({ id: 'old', stdout: 'second try\n' }));
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getByTestId('run-output').textContent).toContain('second try'));
    expect(screen.queryByTestId('run-detail-error')).toBeNull();
  });

  it('loads older runs of the history on demand', async () => {
    const s = server();
    s.history = [runSummary({ id: 'old', requested_by: 'Ada', mode: 'test', tests_passed: 1, tests_total: 3 })];
    s.older = [runSummary({ id: 'older', requested_by: 'Bea' })];
    s.results.set('old', runView({ id: 'old', mode: 'test' }));
    render(<RunPanel {...props()} />);
    await userEvent.click(screen.getByRole('tab', { name: /History/ }));
    const history = await screen.findByTestId('run-history');
    expect(within(history).getByText(/1\/3/)).toBeTruthy();
    expect(within(history).queryByText('Bea')).toBeNull();
    await userEvent.click(screen.getByTestId('run-history-older'));
    await waitFor(() => expect(within(screen.getByTestId('run-history')).getByText('Bea')).toBeTruthy());
    expect(s.calls.some((c) => c.url.includes('before=old'))).toBe(true);
    expect(screen.queryByTestId('run-history-older')).toBeNull();
  });

  it('renders output as text only, with control characters made visible', async () => {
    server();
    render(<RunPanel {...props()} />);
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.emit(ev.queued('r1'), ev.out('r1', '<img src=x onerror="window.bad=1"><b>bold</b>\u001b[31m\u0000'));
    await waitFor(() => expect(screen.getByTestId('run-output').textContent).toContain('<b>bold</b>␛[31m␀'));
    const console = screen.getByTestId('run-output');
    expect(console.querySelector('img')).toBeNull();
    expect(console.querySelector('b')).toBeNull();
  });

  it('runs on Ctrl+Enter even when the editor swallows the key', async () => {
    const s = server();
    render(
      <>
        <textarea aria-label="Editor" onKeyDown={(e) => e.stopPropagation()} />
        <RunPanel {...props()} />
      </>,
    );
    await screen.findByText('Python 3.11.2');
    await userEvent.click(screen.getByLabelText('Editor'));
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(s.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    await userEvent.keyboard('{Meta>}{Shift>}{Enter}{/Shift}{/Meta}');
    await waitFor(() => expect(s.calls.filter((c) => c.method === 'POST')).toHaveLength(2));
    expect(s.calls.filter((c) => c.method === 'POST')[1]?.body).toMatchObject({ mode: 'test', question_id: 'q1' });
  });

  it('sends stdin with Run when given', async () => {
    const s = server();
    render(<RunPanel {...props()} />);
    await userEvent.click(screen.getByRole('button', { name: /stdin/ }));
    await userEvent.type(screen.getByPlaceholderText(/Input passed to the program/), '5');
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() =>
      expect(s.calls.find((c) => c.method === 'POST')?.body).toMatchObject({ stdin: '5', mode: 'run' }),
    );
  });

  it('shows the server message for an exhausted budget and field errors', async () => {
    server({
      [`POST /api/interviews/${INTERVIEW_ID}/runs`]: () => ({
        status: 429,
        body: { error: { code: 'rate_limited', message: 'Too many requests; try again in 60 s.' } },
      }),
    });
    render(<RunPanel {...props()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    const alert = await screen.findByTestId('run-error');
    expect(alert.textContent).toContain('Too many requests; try again in 60 s.');
  });

  it('lists 422 fields', async () => {
    server({
      [`POST /api/interviews/${INTERVIEW_ID}/runs`]: () => ({
        status: 422,
        body: {
          error: { code: 'validation', message: 'Invalid request.', fields: { code: 'there is no code to run' } },
        },
      }),
    });
    render(<RunPanel {...props()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect((await screen.findByTestId('run-error')).textContent).toContain('code: there is no code to run');
  });

  it('tells observers why they cannot run, but shows them the room output', async () => {
    server();
    render(<RunPanel {...props({ canRun: false })} />);
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.emit({ type: 'hello', v: 1, interview_id: INTERVIEW_ID, participant_id: 'p', role: 'observer', sandbox: null });
    await waitFor(() =>
      expect(screen.getByTestId('run-disabled-reason').textContent).toBe("Observers can't run code."),
    );
    expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Test' }) as HTMLButtonElement).disabled).toBe(true);
    ws.emit(ev.queued('r1', 'Ada'), ev.started('r1'), ev.out('r1', 'shared\n'));
    await waitFor(() => expect(screen.getByTestId('run-output').textContent).toContain('shared'));
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it("disables the candidate's Run and Test while the interviewer has paused running code", async () => {
    server();
    const { rerender } = render(<RunPanel {...props({ runsDisabled: true })} />);
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.emit({
      type: 'hello',
      v: 1,
      interview_id: INTERVIEW_ID,
      participant_id: CANDIDATE_ID,
      role: 'candidate',
      sandbox: null,
    });
    await waitFor(() =>
      expect(screen.getByTestId('run-disabled-reason').textContent).toBe('The interviewer has paused running code.'),
    );
    expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Test' }) as HTMLButtonElement).disabled).toBe(true);
    rerender(<RunPanel {...props({ runsDisabled: false })} />);
    await waitFor(() => expect(screen.queryByTestId('run-disabled-reason')).toBeNull());
    expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('disables Run with the reason when the language is unavailable', async () => {
    server();
    render(<RunPanel {...props({ language: 'go' })} />);
    await waitFor(() =>
      expect(screen.getByTestId('run-disabled-reason').textContent).toBe('Go is unavailable: go is not installed.'),
    );
  });

  it('cancels a running run and shows Cancelled', async () => {
    const s = server();
    render(<RunPanel {...props({ isInterviewer: true })} />);
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.emit(ev.queued('r1', 'Ada'), ev.started('r1'));
    await screen.findByTestId('run-elapsed');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(s.calls.some((c) => c.method === 'POST' && c.url === '/api/runs/r1/cancel')).toBe(true));
    s.results.set('r1', runView({ id: 'r1', status: 'cancelled', exit_code: null, message: 'Cancelled by Ada.' }));
    ws.emit(ev.finished('r1', 'cancelled'));
    await waitFor(() => expect(screen.getByTestId('run-status').textContent).toBe('Cancelled'));
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    await waitFor(() => expect(screen.getByTestId('run-footer').textContent).toBe('Cancelled by Ada.'));
  });

  it('lets a candidate cancel only their own runs', async () => {
    server();
    render(<RunPanel {...props()} />);
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.emit(ev.queued('other', 'Ada'), ev.started('other'));
    await screen.findByTestId('run-elapsed');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(await screen.findByRole('button', { name: 'Cancel' })).toBeTruthy();
  });

  it('lets a candidate cancel their own run after a reload', async () => {
    const s = server();
    s.history = [runSummary({ id: 'before-reload', status: 'running', finished_at: null })];
    render(<RunPanel {...props()} />);
    const ws = FakeWebSocket.latest();
    ws.open();
    await screen.findByTestId('run-elapsed');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    ws.emit(ev.hello(CANDIDATE_ID));
    expect(await screen.findByRole('button', { name: 'Cancel' })).toBeTruthy();
  });

  it('shows per-case results with hidden cases labelled for candidates', async () => {
    const s = server();
    render(<RunPanel {...props()} />);
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.emit(ev.queued('r1', 'Casey', 'test'), ev.started('r1'), ev.kase('r1', 0, true));
    expect((await screen.findByTestId('test-summary')).textContent).toBe('1/2 passed so far');
    s.results.set(
      'r1',
      runView({
        id: 'r1',
        mode: 'test',
        verdict: 'failed',
        question_id: 'q1',
        tests: [
          testResult({
            index: 0,
            test_case_id: 't1',
            hidden: false,
            status: 'finished',
            passed: true,
            time_ms: 12,
            memory_kb: 9000,
            input: '1 2',
            expected_output: '3',
            actual_output: '3\n',
            stderr: '',
          }),
          testResult({
            index: 1,
            test_case_id: 't2',
            hidden: true,
            status: 'finished',
            passed: false,
            time_ms: 11,
            memory_kb: 9000,
            input: null,
            expected_output: null,
            actual_output: null,
            stderr: null,
          }),
        ],
      }),
    );
    ws.emit(ev.kase('r1', 1, false), ev.finished('r1', 'finished', 'failed'));
    await waitFor(() => expect(screen.getByTestId('test-summary').textContent).toBe('1/2 passed'));
    expect(screen.getByRole('tab', { name: /Tests/ }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tab', { name: /Tests/ }).textContent).toBe('Tests1/2');
    const rows = screen.getAllByTestId('test-case');
    expect(rows[0]?.textContent).toContain('Test #1');
    expect(rows[1]?.textContent).toContain('Hidden test #2');
    expect(rows[1]?.textContent).toContain('Wrong answer');
    expect(rows[1]?.textContent).not.toContain('ms');
    // Visible cases expand to input / expected / actual.
    await userEvent.click(within(rows[0]!).getByText('Test #1'));
    expect(rows[0]?.textContent).toContain('Expected');
    expect(rows[0]?.querySelector('details')?.open).toBe(true);
  });

  it('headlines a failed test run with its verdict everywhere, never a green "Finished"', async () => {
    // The stored run and the history answer only when the test says so.
    const held = { run: deferred(), history: deferred() };
    const s = server({
      'GET /api/runs/r1': () => held.run.promise,
      [`GET /api/interviews/${INTERVIEW_ID}/runs`]: () => held.history.promise,
    });
    render(<RunPanel {...props()} />);
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.emit(ev.hello(CANDIDATE_ID));
    ws.emit(
      ev.queued('r1', 'Casey', 'test'),
      ev.started('r1'),
      ev.kase('r1', 0, false),
      ev.kase('r1', 1, false, 'runtime_error'),
      ev.kase('r1', 2, false, 'time_limit'),
      ev.finished('r1', 'finished', 'failed'),
    );
    // The room event alone gives the verdict, in red.
    await waitFor(() => expect(screen.getByTestId('run-status').textContent).toBe('No tests passed · 0/3'));
    expect(screen.getByTestId('run-status').className).toContain('run-tone--danger');
    // The stored run is asked for once the finish arrives (its fetch may start a tick later).
    await waitFor(() => expect(s.calls.some((c) => c.url === '/api/runs/r1')).toBe(true));

    const cases = [
      testResult({ index: 0, passed: false, status: 'finished' }),
      testResult({ index: 1, passed: false, status: 'runtime_error', exit_code: 1 }),
      testResult({
        index: 2,
        passed: false,
        status: 'time_limit',
        exit_code: null,
        signal: 9,
        time_ms: 2004,
        limit: { kind: 'cpu_time', value: 2000 },
      }),
    ];
    held.run.resolve({
      status: 200,
      body: { run: runView({ id: 'r1', mode: 'test', verdict: 'failed', tests: cases }) },
    });
    await waitFor(() => expect(screen.getByTestId('run-footer').textContent).toBe('0 of 3 tests passed'));
    expect(screen.getByTestId('test-summary').className).toContain('run-tone--danger');
    const rows = screen.getAllByTestId('test-case');
    expect(rows[0]?.textContent).toContain('Wrong answer');
    expect(rows[1]?.textContent).toContain('Runtime error (exit code 1)');
    expect(rows[2]?.textContent).toContain('Time limit exceeded (2 s CPU)');
    expect(rows[2]?.textContent).not.toContain('SIGKILL');

    held.history.resolve({
      status: 200,
      body: {
        runs: [runSummary({ id: 'r1', mode: 'test', verdict: 'failed', tests_passed: 0, tests_total: 3 })],
        next: null,
      },
    });
    await userEvent.click(screen.getByRole('tab', { name: /History/ }));
    const headline = await screen.findByTestId('run-history-headline');
    expect(headline.textContent).toBe('No tests passed · 0/3');
    expect(headline.className).toContain('run-tone--danger');
    expect(screen.getByTestId('run-panel').textContent).not.toContain('Finished');
  });

  it('says which limit stopped a plain run instead of the signal', async () => {
    const s = server();
    s.history = [runSummary({ id: 'old', status: 'time_limit', requested_by: 'Ada' })];
    s.results.set(
      'old',
      runView({
        id: 'old',
        status: 'time_limit',
        exit_code: null,
        signal: 9,
        time_ms: 12,
        stdout: 'waiting\n',
        limit: { kind: 'wall_time', value: 5000 },
      }),
    );
    render(<RunPanel {...props()} />);
    // Killed on the wall clock, having used 12 ms of CPU: the words name the limit, not the use.
    await waitFor(() =>
      expect(screen.getByTestId('run-footer').textContent).toBe('Time limit exceeded (5 s wall clock)'),
    );
    expect(screen.getByTestId('run-status').textContent).toBe('Time limit exceeded');
    expect(screen.getByTestId('run-output').textContent).not.toContain('SIGKILL');
  });

  it('notes a dropped socket, reconnects and reloads the history', async () => {
    const s = server();
    render(<RunPanel {...props()} />);
    const first = FakeWebSocket.latest();
    first.open();
    await waitFor(() => expect(s.calls.filter((c) => c.url.endsWith('/runs') && c.method === 'GET')).toHaveLength(1));
    first.drop();
    expect(screen.getByTestId('run-socket-down').textContent).toContain('disconnected');
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 2000 });
    FakeWebSocket.latest().open();
    expect(screen.queryByTestId('run-socket-down')).toBeNull();
    FakeWebSocket.latest().emit(ev.hello(CANDIDATE_ID));
    await waitFor(() => expect(s.calls.filter((c) => c.url.endsWith('/runs') && c.method === 'GET')).toHaveLength(2));
  });

  describe('catching up after missed events', () => {
    /** The room as the test starts: run r0 seen live on a connected socket, finished and shown. */
    async function afterAFirstRun(s: Server) {
      s.results.set('r0', runView({ id: 'r0', stdout: 'first\n', requested_by: 'Ada' }));
      render(<RunPanel {...props({ isInterviewer: true })} />);
      const ws = FakeWebSocket.latest();
      ws.open();
      ws.emit(ev.hello(CANDIDATE_ID));
      ws.emit(ev.queued('r0', 'Ada'), ev.started('r0'), ev.out('r0', 'first\n'));
      s.history = [runSummary({ id: 'r0', requested_by: 'Ada' })];
      ws.emit(ev.finished('r0'));
      await waitFor(() => expect(screen.getByTestId('run-footer').textContent).toContain('exited with code 0'));
      expect(screen.getByTestId('run-output').textContent).toContain('first');
      return ws;
    }

    /** While the socket was away, Bea ran r1 and it finished. */
    function missedRun(s: Server) {
      s.results.set('r1', runView({ id: 'r1', stdout: 'second\n', requested_by: 'Bea' }));
      s.history = [runSummary({ id: 'r1', requested_by: 'Bea' }), runSummary({ id: 'r0', requested_by: 'Ada' })];
    }

    it('shows a run started while the socket was reconnecting, once it is back', async () => {
      const s = server();
      const first = await afterAFirstRun(s);
      first.drop();
      missedRun(s);
      await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 2000 });
      const second = FakeWebSocket.latest();
      second.open();
      second.emit(ev.hello(CANDIDATE_ID));
      await waitFor(() => expect(screen.getByTestId('run-output').textContent).toContain('second'));
      expect(screen.getByTestId('run-who').textContent).toContain('Bea');
      expect(screen.getByTestId('run-output').textContent).not.toContain('first');
      expect(s.calls.some((c) => c.url === '/api/runs/r1')).toBe(true);
    });

    it('catches up on resync too', async () => {
      const s = server();
      const ws = await afterAFirstRun(s);
      missedRun(s);
      ws.emit({ type: 'resync', v: 1 });
      await waitFor(() => expect(screen.getByTestId('run-output').textContent).toContain('second'));
      expect(screen.getByTestId('run-who').textContent).toContain('Bea');
    });

    it('asks again when the history fails right after the reconnect', async () => {
      const s = server();
      const first = await afterAFirstRun(s);
      first.drop();
      missedRun(s);
      s.historyFailures = 1;
      await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 2000 });
      const second = FakeWebSocket.latest();
      second.open();
      second.emit(ev.hello(CANDIDATE_ID));
      await waitFor(() => expect(screen.getByTestId('run-output').textContent).toContain('second'), {
        timeout: 3000,
      });
      expect(s.historyFailures).toBe(0);
    });

    it('keeps an older run the person chose in the history', async () => {
      const s = server();
      s.results.set('old', runView({ id: 'old', stdout: 'chosen\n', requested_by: 'Cy' }));
      const first = await afterAFirstRun(s);
      s.history = [...s.history, runSummary({ id: 'old', requested_by: 'Cy' })];
      first.emit({ type: 'resync', v: 1 });
      await userEvent.click(screen.getByRole('tab', { name: /History/ }));
      await userEvent.click(await screen.findByRole('button', { name: /Cy/ }));
      await waitFor(() => expect(screen.getByTestId('run-output').textContent).toContain('chosen'));
      first.drop();
      missedRun(s);
      s.history = [...s.history, runSummary({ id: 'old', requested_by: 'Cy' })];
      await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 2000 });
      const second = FakeWebSocket.latest();
      second.open();
      second.emit(ev.hello(CANDIDATE_ID));
      await waitFor(() => expect(within(screen.getByTestId('run-history')).getByText('Bea')).toBeTruthy());
      expect(screen.getByTestId('run-output').textContent).toContain('chosen');
      expect(screen.getByTestId('run-who').textContent).toContain('Cy');
    });

    it('updates a shown run that finished while the socket was away', async () => {
      const s = server();
      render(<RunPanel {...props({ isInterviewer: true })} />);
      const first = FakeWebSocket.latest();
      first.open();
      first.emit(ev.hello(CANDIDATE_ID));
      first.emit(ev.queued('r1', 'Bea'), ev.started('r1'), ev.out('r1', 'partial\n'));
      await waitFor(() => expect(screen.getByTestId('run-status').textContent).toBe('Running…'));
      first.drop();
      s.results.set('r1', runView({ id: 'r1', status: 'runtime_error', exit_code: 3, stdout: 'partial\nrest\n' }));
      s.history = [runSummary({ id: 'r1', status: 'runtime_error', requested_by: 'Bea' })];
      await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 2000 });
      const second = FakeWebSocket.latest();
      second.open();
      second.emit(ev.hello(CANDIDATE_ID));
      await waitFor(() => expect(screen.getByTestId('run-output').textContent).toContain('rest'));
      expect(screen.getByTestId('run-status').textContent).toBe('Runtime error');
    });
  });

  it('does not reconnect after the server refuses the socket', async () => {
    server();
    render(<RunPanel {...props()} />);
    FakeWebSocket.latest().drop(4403);
    expect(await screen.findByText('Live output unavailable')).toBeTruthy();
    await new Promise((r) => setTimeout(r, 700));
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('closes its socket when unmounted', () => {
    server();
    const { unmount } = render(<RunPanel {...props()} />);
    const ws = FakeWebSocket.latest();
    unmount();
    expect(ws.closedByClient).toBe(true);
  });
});
