// The live room against the real server in real Chromium: two browser contexts (host and
// candidate) share the Monaco editor over the y-websocket endpoint. Covers convergence of
// concurrent typing, remote cursor name labels (shown on arrival and on hover only), the
// interviewers-only notes document (and that it survives a reload), the shared language, and
// the observer's read-only view (whose cursor and selection nobody sees).
// Set-up goes through the API (the UI flow is covered by interview-flow.spec.ts).
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  awarenessStates,
  createInterviewViaApi,
  editorText,
  focusEditorEnd,
  joinViaApi,
  joinWorkspaceViaApi,
  registerViaApi,
  uniqueAccount,
  type LiveInterview,
} from './helpers';

const CODE = 'code-editor';

// Each test loads the Monaco chunk in two to four pages; on a busy 2-core machine that alone
// can take most of the default 60 s.
test.describe.configure({ timeout: 120_000 });

interface Room {
  interview: LiveInterview;
  hostContext: BrowserContext;
  host: Page;
  candidateContext: BrowserContext;
  candidate: Page;
  /** Every WebSocket URL the candidate's page opened. */
  candidateSockets: string[];
}

/** `prepare` runs as the host before the interview is made and returns more of its fields. */
async function openRoom(
  browser: Browser,
  baseURL: string,
  prepare: (hostContext: BrowserContext) => Promise<Record<string, unknown>> = async () => ({}),
): Promise<Room> {
  const hostContext = await browser.newContext();
  const hostAccount = uniqueAccount('Host');
  await registerViaApi(hostContext, baseURL, hostAccount);
  const body = await prepare(hostContext);
  const interview = await createInterviewViaApi(hostContext, baseURL, {
    title: 'Pairing room',
    language: 'python',
    candidate_name: 'Casey Candidate',
    ...body,
  });

  const candidateContext = await browser.newContext();
  await joinViaApi(candidateContext, baseURL, interview, 'Casey Candidate');

  const host = await hostContext.newPage();
  const candidate = await candidateContext.newPage();
  const candidateSockets: string[] = [];
  candidate.on('websocket', (ws) => candidateSockets.push(ws.url()));
  await Promise.all([
    host.goto(`/interviews/${interview.id}/room`),
    candidate.goto(`/interviews/${interview.id}/room`),
  ]);
  for (const page of [host, candidate]) {
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });
    await expect(page.getByTestId(CODE).locator('.view-lines')).toBeVisible();
  }
  return { interview, hostContext, host, candidateContext, candidate, candidateSockets };
}

async function closeRoom(room: Room): Promise<void> {
  await room.candidateContext.close();
  await room.hostContext.close();
}

test('host and candidate type at the same time and converge on the same text', async ({ browser, baseURL }) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate } = room;

  // Both see each other as online.
  await expect(host.getByTestId('room-participant').filter({ hasText: 'Casey Candidate' })).toHaveAttribute(
    'data-online',
    'true',
  );
  await expect(candidate.getByTestId('room-participant').filter({ hasText: 'Host Tester' })).toHaveAttribute(
    'data-online',
    'true',
  );

  // Sequential: the host writes a line, the candidate sees it and appends below.
  await focusEditorEnd(host, CODE);
  await host.keyboard.type('host_value = 1');
  await expect.poll(() => editorText(candidate, CODE)).toBe('host_value = 1');
  await focusEditorEnd(candidate, CODE);
  await candidate.keyboard.press('Enter');
  await candidate.keyboard.type('cand_value = 2');
  await expect.poll(() => editorText(host, CODE)).toBe('host_value = 1\ncand_value = 2');

  // Concurrent: both type at once, at different places.
  await host.keyboard.press('Control+Home');
  await host.keyboard.press('End');
  await Promise.all([host.keyboard.type(' + 10', { delay: 15 }), candidate.keyboard.type(' * 3', { delay: 15 })]);
  const expected = 'host_value = 1 + 10\ncand_value = 2 * 3';
  await expect.poll(() => editorText(host, CODE)).toBe(expected);
  await expect.poll(() => editorText(candidate, CODE)).toBe(expected);

  await closeRoom(room);
});

test('each side sees the other participant’s cursor with their name', async ({ browser, baseURL }) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate } = room;
  const head = (page: Page) => page.getByTestId(CODE).locator('.yRemoteSelectionHead').first();
  const after = (page: Page, property: 'content' | 'opacity') =>
    head(page).evaluate((el, p) => getComputedStyle(el, '::after')[p], property);

  // The candidate's caret arrives at the host: its name shows at once…
  await focusEditorEnd(candidate, CODE);
  await candidate.keyboard.type('x = 1');
  await expect.poll(() => after(host, 'opacity')).toBe('1');
  await expect.poll(() => after(host, 'content')).toBe('"Casey Candidate"');
  // …a thin caret, not a block…
  expect(await head(host).evaluate((el) => getComputedStyle(el).borderLeftWidth)).toBe('2px');
  // …and the label goes after its arrival delay, so it never covers the code for good.
  await expect.poll(() => after(host, 'opacity'), { timeout: 10_000 }).toBe('0');
  // Pointing at the caret brings the name back, moving away hides it again.
  await head(host).hover();
  await expect.poll(() => after(host, 'opacity')).toBe('1');
  await host.mouse.move(0, 0);
  await expect.poll(() => after(host, 'opacity')).toBe('0');

  await focusEditorEnd(host, CODE);
  await host.keyboard.press('Home');
  await expect.poll(() => after(candidate, 'content')).toBe('"Host Tester"');

  await closeRoom(room);
});

test('notes are for interviewers only and survive a reload', async ({ browser, baseURL }) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate, interview } = room;

  await expect(host.getByTestId('notes-panel')).toBeVisible();
  await expect(host.getByTestId('connection-notes')).toHaveAttribute('data-phase', 'synced');
  await expect(candidate.getByTestId('notes-panel')).toHaveCount(0);

  await focusEditorEnd(host, 'notes-editor');
  await host.keyboard.type('Strong hire: clear reasoning');
  await expect.poll(() => editorText(host, 'notes-editor')).toBe('Strong hire: clear reasoning');

  // A second tab of the host gets the notes from the server, then the first tab reloads.
  const second = await room.hostContext.newPage();
  await second.goto(`/interviews/${interview.id}/room`);
  await expect.poll(() => editorText(second, 'notes-editor'), { timeout: 20_000 }).toBe('Strong hire: clear reasoning');
  await second.close();

  await host.reload();
  await expect(host.getByTestId('connection-notes')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });
  await host.getByRole('tab', { name: 'Preview' }).click();
  await expect(host.getByTestId('notes-preview')).toContainText('Strong hire: clear reasoning');

  // The candidate never opened the notes socket.
  expect(room.candidateSockets.some((url) => url.includes('/ws/yjs/'))).toBe(true);
  expect(room.candidateSockets.filter((url) => url.endsWith('/notes'))).toEqual([]);

  await closeRoom(room);
});

test('a language change by the host reaches the candidate', async ({ browser, baseURL }) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate } = room;

  await expect(candidate.getByTestId('language-select')).toHaveValue('python');
  await host.getByTestId('language-select').selectOption('go');
  await expect(candidate.getByTestId('language-select')).toHaveValue('go');
  await expect(candidate.getByTestId(CODE)).toHaveAttribute('data-language', 'go');
  await expect(host.getByTestId(CODE)).toHaveAttribute('data-language', 'go');

  await closeRoom(room);
});

test('an observer watches read only', async ({ browser, baseURL }) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate, interview } = room;

  const observerContext = await browser.newContext();
  const observerAccount = uniqueAccount('Observer');
  await registerViaApi(observerContext, baseURL!, observerAccount);
  await joinWorkspaceViaApi(room.hostContext, observerContext, baseURL!, observerAccount.email);
  const added = await room.hostContext.request.post(`/api/interviews/${interview.id}/participants`, {
    data: { email: observerAccount.email, role: 'observer' },
    headers: { Origin: baseURL! },
  });
  expect(added.status(), await added.text()).toBe(201);

  await focusEditorEnd(host, CODE);
  await host.keyboard.type('shared = True');

  const observer = await observerContext.newPage();
  // The observer's own awareness states, as its browser sends them (y-websocket also relays
  // everyone else's states; the server ignores those).
  const observerStates: Record<string, unknown>[] = [];
  observer.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') return;
      for (const state of awarenessStates(payload) as { user?: { role?: string } }[])
        if (state?.user?.role === 'observer') observerStates.push(state);
    }),
  );
  await observer.goto(`/interviews/${interview.id}/room`);
  await expect(observer.getByTestId('connection-status')).toHaveAttribute('data-phase', 'synced', { timeout: 20_000 });
  await expect(observer.getByTestId('read-only-badge')).toBeVisible();
  await expect(observer.getByTestId('language-select')).toBeDisabled();
  await expect(observer.getByTestId('notes-panel')).toHaveCount(0);
  await expect.poll(() => editorText(observer, CODE)).toBe('shared = True');

  await focusEditorEnd(observer, CODE);
  await observer.keyboard.type('nope');
  // The observer selects everything: nobody else sees it.
  await observer.keyboard.press('Control+A');
  await observer.waitForTimeout(300);
  await host.keyboard.type('!');
  await expect.poll(() => editorText(observer, CODE)).toBe('shared = True!');
  await expect.poll(() => editorText(host, CODE)).toBe('shared = True!');
  await expect.poll(() => editorText(candidate, CODE)).toBe('shared = True!');

  // The candidate sees the observer is there, and only the host's caret: no observer caret,
  // no highlighted text.
  await expect(candidate.getByTestId('room-participant').filter({ hasText: observerAccount.name })).toHaveAttribute(
    'data-online',
    'true',
  );
  const candidateEditor = candidate.getByTestId(CODE);
  await expect(candidateEditor.locator('.yRemoteSelectionHead')).toHaveCount(1);
  const highlighted = await candidateEditor
    .locator('.yRemoteSelection')
    .evaluateAll((els) => els.reduce((sum, el) => sum + el.getBoundingClientRect().width, 0));
  expect(highlighted).toBe(0);
  // The observer's browser never even sent a selection, while it did send its presence.
  expect(observerStates.length).toBeGreaterThan(0);
  expect(observerStates.filter((state) => 'selection' in state)).toEqual([]);

  await observerContext.close();
  await closeRoom(room);
});

test('the start seeds the starter code, and an interviewer resets edited code to it for everyone', async ({
  browser,
  baseURL,
}) => {
  // A question of the host's workspace (an interview takes questions from its own workspace).
  const starter = 'def two_sum(nums, target):\n    pass';
  const room = await openRoom(browser, baseURL!, async (hostContext) => {
    const created = await hostContext.request.post('/api/questions', {
      headers: { Origin: baseURL! },
      data: {
        title: `Two sum ${Date.now()}`,
        prompt: 'Return the indices of two numbers adding up to `target`.',
        difficulty: 'easy',
        category: 'Arrays',
        starter_code: { python: starter },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const question = ((await created.json()) as { question: { id: string } }).question;
    return { question_ids: [question.id] };
  });
  const { host, candidate } = room;
  // Seeded by the server when the interview started: no button while the code is the starter.
  await expect.poll(() => editorText(candidate, CODE)).toBe(starter);
  await expect.poll(() => editorText(host, CODE)).toBe(starter);
  await expect(host.getByTestId('starter-code')).toHaveCount(0);

  await focusEditorEnd(candidate, CODE);
  await candidate.keyboard.type('\n# mine');
  await expect.poll(() => editorText(host, CODE)).toContain('# mine');
  await expect(candidate.getByTestId('starter-code')).toHaveCount(0);
  await host.getByRole('button', { name: 'Reset to starter code' }).click();
  const dialog = host.getByRole('dialog', { name: "Replace this question's code with the Python starter code?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Reset' }).click();
  await expect.poll(() => editorText(candidate, CODE)).toBe(starter);
  await expect.poll(() => editorText(host, CODE)).toBe(starter);

  await closeRoom(room);
});

test('when the interview ends the code turns read only and the candidate is let out', async ({ browser, baseURL }) => {
  const room = await openRoom(browser, baseURL!);
  const { host, candidate, interview } = room;

  await focusEditorEnd(candidate, CODE);
  await candidate.keyboard.type('answer = 42');
  await expect.poll(() => editorText(host, CODE)).toBe('answer = 42');
  await expect(host.getByTestId('read-only-badge')).toHaveCount(0);

  const ended = await room.hostContext.request.post(`/api/interviews/${interview.id}/end`, {
    headers: { Origin: baseURL! },
  });
  expect(ended.status(), await ended.text()).toBe(200);

  await expect(candidate.getByTestId('interview-ended')).toBeVisible({ timeout: 15_000 });
  await expect(host.getByTestId('read-only-badge')).toBeVisible({ timeout: 15_000 });
  await expect(host.getByTestId('language-select')).toBeDisabled();
  await expect(host.getByTestId('connection-status')).toHaveAttribute('data-phase', 'synced');
  await expect.poll(() => editorText(host, CODE)).toBe('answer = 42');

  await closeRoom(room);
});
