// The replay page against a stubbed API (real Yjs updates as history entries; Monaco stubbed
// by a <pre> of the text it is given): the code at the start, at the end and in between by the
// keyboard, the slider and the event list; the notes then; a run's output from its marker;
// playing; and who may not replay, a failed load and an empty history.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry, TimelineEvent } from '../../api/playbackTypes';
import { installFetch, sampleUser } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import { INTERVIEW_ID, runView } from '../room/run/testFixtures';
import { base64OfBytes } from './engine/base64';
import ReplayPage from './ReplayPage';

vi.mock('./ReplayEditor', () => ({
  default: ({ text, language, carets }: { text: string; language: string; carets: { slot: number }[] }) => (
    <pre data-testid="replay-editor" data-language={language} data-carets={carets.map((c) => c.slot).join(',')}>
      {text}
    </pre>
  ),
}));

const HOST = 'p-host';
const CANDIDATE = 'p-cand';
const START = Date.UTC(2026, 10, 25, 20, 0, 0);
const at = (minutes: number) => START + minutes * 60_000;
/** The `after_seq` a history request asked for (0: none). */
const afterSeq = (url: string) => Number(new URL(url, 'http://localhost').searchParams.get('after_seq') ?? 0);
const iso = (minutes: number) => new Date(at(minutes)).toISOString();

/** Entries made by real Y.Docs: each change of `steps` one entry, by its author, at its minute. */
function entriesOf(steps: { minute: number; author: string | null; change: (doc: Y.Doc) => void }[]): HistoryEntry[] {
  const doc = new Y.Doc();
  const entries: HistoryEntry[] = [];
  for (const step of steps) {
    const made: Uint8Array[] = [];
    const listen = (update: Uint8Array) => made.push(update);
    doc.on('update', listen);
    step.change(doc);
    doc.off('update', listen);
    for (const update of made)
      entries.push({
        seq: entries.length + 1,
        at_ms: at(step.minute),
        participant_id: step.author,
        update: base64OfBytes(update),
      });
  }
  return entries;
}

const codeEntries = entriesOf([
  { minute: 0, author: null, change: (d) => d.getMap('meta').set('language', 'python') },
  { minute: 5, author: CANDIDATE, change: (d) => d.getText('code').insert(0, 'def first():') },
  { minute: 10, author: CANDIDATE, change: (d) => d.getText('code').insert(12, '\n    return 1') },
  { minute: 30, author: HOST, change: (d) => d.getMap('meta').set('language', 'go') },
  { minute: 31, author: CANDIDATE, change: (d) => d.getText('code').insert(0, '// go now\n') },
]);
const notesEntries = entriesOf([
  { minute: 12, author: HOST, change: (d) => d.getText('notes').insert(0, 'Good start') },
  { minute: 45, author: HOST, change: (d) => d.getText('notes').insert(10, ', written after the end') },
]);

const timeline: TimelineEvent[] = [
  { at: iso(0), kind: 'started', participant_id: null, data: {} },
  { at: iso(1), kind: 'joined', participant_id: CANDIDATE, data: { role: 'candidate' } },
  {
    at: iso(15),
    kind: 'run_started',
    participant_id: CANDIDATE,
    data: { run_id: 'run-1', language: 'python', mode: 'run' },
  },
  {
    at: iso(15.1),
    kind: 'run_finished',
    participant_id: CANDIDATE,
    data: { run_id: 'run-1', status: 'finished', verdict: null },
  },
  { at: iso(20), kind: 'signal', participant_id: CANDIDATE, data: { kind: 'tab_hidden' } },
  { at: iso(40), kind: 'ended', participant_id: null, data: {} },
];

const detail = (status: string, myRole: string) => ({
  interview: {
    id: INTERVIEW_ID,
    workspace_id: 'w1',
    title: 'Backend pairing',
    status,
    room_code: 'abc-defg-hjk',
    language: 'python',
    scheduled_at: iso(0),
    duration_minutes: 45,
    question_ids: [],
    candidate_name: 'Cara',
    candidate_email: null,
    created_by: sampleUser.id,
    created_at: iso(-60),
    started_at: status === 'scheduled' ? null : iso(0),
    ended_at: status === 'ended' ? iso(40) : null,
    my_role: myRole,
  },
  participants: [
    { id: HOST, user_id: sampleUser.id, name: sampleUser.name, email: null, role: 'host' },
    { id: CANDIDATE, user_id: null, name: 'Cara', email: null, role: 'candidate' },
  ],
  questions: [],
  controls: {
    editor_locked: false,
    runs_disabled: false,
    candidate_autocomplete: true,
    auto_end: false,
    active_question_id: null,
  },
  email_enabled: false,
});

function stubApi({
  status = 'ended',
  role = 'host',
  code = codeEntries,
  notes = notesEntries,
  events = timeline,
  timelineStatus = 200,
}: {
  status?: string;
  role?: string;
  code?: HistoryEntry[];
  notes?: HistoryEntry[];
  events?: TimelineEvent[];
  timelineStatus?: number;
} = {}) {
  return installFetch({
    'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
    'GET /api/workspaces': () => ({ status: 200, body: { workspaces: [] } }),
    [`GET /api/interviews/${INTERVIEW_ID}`]: () => ({ status: 200, body: detail(status, role) }),
    [`GET /api/interviews/${INTERVIEW_ID}/timeline`]: () =>
      timelineStatus === 200
        ? { status: 200, body: events }
        : { status: timelineStatus, body: { error: { code: 'forbidden', message: 'Not for you.' } } },
    [`GET /api/interviews/${INTERVIEW_ID}/history/code/entries`]: () => ({
      status: 200,
      body: { doc: 'code', entries: code },
    }),
    [`GET /api/interviews/${INTERVIEW_ID}/history/notes/entries`]: () => ({
      status: 200,
      body: { doc: 'notes', entries: notes },
    }),
    'GET /api/runs/run-1': () => ({
      status: 200,
      body: { run: runView({ id: 'run-1', code: 'def first():\n    return 1', stdout: 'the output\n' }) },
    }),
  });
}

afterEach(() => vi.unstubAllGlobals());

function renderReplay(query = '') {
  return renderRoutes({ '/interviews/:id/replay': <ReplayPage /> }, `/interviews/${INTERVIEW_ID}/replay${query}`);
}

const editor = () => screen.getByTestId('replay-editor');
const elapsed = () => screen.getByTestId('replay-elapsed').textContent;

describe('ReplayPage', () => {
  it('shows the code as it was at the start, the end and in between', async () => {
    stubApi();
    renderReplay();
    expect(await screen.findByRole('heading', { name: /Replay: Backend pairing/ })).toBeTruthy();
    expect(await screen.findByTestId('replay-editor')).toBeTruthy();
    expect(editor().textContent).toBe('');
    expect(elapsed()).toBe('0:00');
    expect(screen.getByTestId('replay-time').textContent).toBe('0:00 / 40:00');

    fireEvent.keyDown(document.body, { key: 'End' });
    expect(editor().textContent).toBe('// go now\ndef first():\n    return 1');
    expect(editor().dataset['language']).toBe('go');
    expect(screen.getByTestId('replay-language').textContent).toBe('Go');
    // The final notes, with those written after the end.
    expect(screen.getByTestId('replay-notes').textContent).toBe('Good start, written after the end');

    const slider = screen.getByRole('slider', { name: 'Playhead' });
    fireEvent.keyDown(slider, { key: 'Home' });
    for (let i = 0; i < 7; i++) fireEvent.keyDown(slider, { key: 'PageUp' });
    expect(elapsed()).toBe('7:00');
    expect(slider.getAttribute('aria-valuetext')).toBe('7 minutes of 40 minutes');
    expect(editor().textContent).toBe('def first():');
    expect(editor().dataset['language']).toBe('python');
    expect(editor().dataset['carets']).toBe('1'); // Cara's caret (the second participant)
    expect(screen.getByTestId('replay-notes').textContent).toBe('No notes yet at this moment.');

    fireEvent.keyDown(document.body, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(document.body, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(document.body, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(document.body, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(document.body, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(document.body, { key: 'ArrowLeft' });
    expect(elapsed()).toBe('9:25');
    expect(editor().textContent).toBe('def first():');
    fireEvent.keyDown(document.body, { key: 'ArrowRight', shiftKey: true });
    expect(elapsed()).toBe('9:55');
    fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(editor().textContent).toBe('def first():\n    return 1');
  });

  it('opens at the moment a link names', async () => {
    stubApi();
    renderReplay('?t=10:30');
    expect(await screen.findByTestId('replay-editor')).toBeTruthy();
    expect(elapsed()).toBe('10:30');
    expect(editor().textContent).toBe('def first():\n    return 1');
  });

  it('seeks from the event list and shows the notes of that moment', async () => {
    stubApi();
    renderReplay();
    const events = await screen.findByTestId('replay-events');
    const items = within(events).getAllByTestId('replay-event');
    expect(items.map((item) => item.textContent)).toEqual([
      '0:00The interview started',
      '1:00Cara (candidate) joined',
      '15:00#1 Cara ran the code (Python) · FinishedOutput',
      '20:00Cara: Switched away from the tab',
      '40:00The interview ended',
    ]);
    await userEvent.click(within(items[3] as HTMLElement).getByRole('button', { name: /Switched away/ }));
    expect(elapsed()).toBe('20:00');
    expect(items[3]?.getAttribute('aria-current')).toBe('true');
    expect(screen.getByTestId('replay-notes').textContent).toBe('Good start');
    expect(editor().textContent).toBe('def first():\n    return 1');
  });

  it("opens a run's output from its marker", async () => {
    stubApi();
    renderReplay();
    const marker = (await screen.findAllByTestId('replay-marker-run'))[0] as HTMLElement;
    expect(marker.getAttribute('title')).toBe('Cara ran the code (Python) · Finished');
    await userEvent.click(marker);
    const run = await screen.findByTestId('replay-run');
    expect(within(run).getByRole('heading', { name: /Run #1/ })).toBeTruthy();
    expect((await within(run).findByLabelText('Stdout')).textContent).toBe('the output\n');
    expect(elapsed()).toBe('15:00');
    await userEvent.click(within(run).getByRole('button', { name: 'Close Run #1' }));
    expect(screen.queryByTestId('replay-run')).toBeNull();
  });

  it('plays, faster with ], and pauses with Space', async () => {
    stubApi();
    renderReplay();
    await screen.findByTestId('replay-editor');
    for (let i = 0; i < 5; i++) fireEvent.keyDown(document.body, { key: ']' });
    expect((screen.getByTestId('replay-speed') as HTMLSelectElement).value).toBe('32');
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(screen.getByTestId('replay-play').textContent).toContain('Pause');
    await waitFor(() => expect(elapsed()).not.toBe('0:00'));
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(screen.getByTestId('replay-play').textContent).toContain('Play');
    const paused = elapsed();
    await act(() => new Promise((resolve) => setTimeout(resolve, 100)));
    expect(elapsed()).toBe(paused);
  });

  it('follows a live interview as it refreshes, and jumps back to now after scrubbing back', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      vi.setSystemTime(at(12));
      let code = codeEntries.slice(0, 3); // up to minute 10
      const calls = installFetch({
        'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
        'GET /api/workspaces': () => ({ status: 200, body: { workspaces: [] } }),
        [`GET /api/interviews/${INTERVIEW_ID}`]: () => ({ status: 200, body: detail('live', 'interviewer') }),
        [`GET /api/interviews/${INTERVIEW_ID}/timeline`]: () => ({ status: 200, body: timeline.slice(0, 2) }),
        [`GET /api/interviews/${INTERVIEW_ID}/history/code/entries`]: (call) => ({
          status: 200,
          body: { doc: 'code', entries: code.filter((entry) => entry.seq > afterSeq(call.url)) },
        }),
        [`GET /api/interviews/${INTERVIEW_ID}/history/notes/entries`]: () => ({
          status: 200,
          body: { doc: 'notes', entries: [] },
        }),
      });
      renderReplay();
      const live = await screen.findByTestId('replay-live');
      expect(live.getAttribute('aria-pressed')).toBe('true');
      expect((await screen.findByTestId('replay-editor')).textContent).toBe('def first():\n    return 1');
      expect(screen.getByText(/refreshes every few seconds/)).toBeTruthy();

      // Scrub back: no longer following.
      fireEvent.keyDown(document.body, { key: 'Home' });
      expect(editor().textContent).toBe('');
      expect(live.getAttribute('aria-pressed')).toBe('false');
      expect(live.textContent).toContain('Jump to now');

      // The candidate types on; the next refresh brings it, and "Jump to now" shows it.
      code = codeEntries; // up to minute 31
      vi.setSystemTime(at(32));
      await act(() => vi.advanceTimersByTimeAsync(5_000));
      await waitFor(() => expect(screen.getByTestId('replay-time').textContent).toMatch(/^0:00 \/ 32:0\d$/));
      // The refresh asked for the entries after those it had.
      expect(calls.some((call) => call.url.endsWith(`/history/code/entries?after_seq=${codeEntries[2]?.seq}`))).toBe(
        true,
      );
      expect(editor().textContent).toBe('');
      await userEvent.click(live);
      expect(live.getAttribute('aria-pressed')).toBe('true');
      expect(editor().textContent).toBe('// go now\ndef first():\n    return 1');
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells an observer that the replay is for the interviewers, without asking for the history', async () => {
    const calls = stubApi({ role: 'observer' });
    renderReplay();
    expect(await screen.findByText('Only the host and the interviewers of this interview can replay it.')).toBeTruthy();
    expect(calls.some((call) => call.url.includes('/timeline') || call.url.includes('/history'))).toBe(false);
  });

  it('says so when the server refuses the replay', async () => {
    stubApi({ timelineStatus: 403 });
    renderReplay();
    expect(await screen.findByTestId('replay-forbidden')).toBeTruthy();
  });

  it('offers a retry when loading fails', async () => {
    stubApi({ timelineStatus: 500 });
    renderReplay();
    expect(await screen.findByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('says when there is nothing to replay', async () => {
    stubApi({ code: [], notes: [], events: [] });
    renderReplay();
    expect(await screen.findByText('Nothing to replay')).toBeTruthy();
  });
});
