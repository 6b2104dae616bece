// Shared e2e helpers: unique test identities and the UI steps several specs repeat.
import AxeBuilder from '@axe-core/playwright';
import { expect, type BrowserContext, type Page } from '@playwright/test';

export interface Account {
  name: string;
  email: string;
  password: string;
}

export function uniqueAccount(prefix: string): Account {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return {
    name: `${prefix} Tester`,
    email: `${prefix.toLowerCase()}-${id}@example.com`,
    password: 'correct horse battery',
  };
}

export async function registerViaUi(page: Page, account: Account): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Full name').fill(account.name);
  await page.getByLabel('Work email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('welcome')).toContainText(account.name.split(' ')[0] ?? account.name);
}

/**
 * Fails when the page scrolls sideways (the layouts must fit 360 px and up). The message names
 * the innermost elements that reach past the window's right edge, to say what to fix.
 */
export async function expectNoHorizontalOverflow(
  page: Page,
  what: string,
  { soft = false }: { soft?: boolean } = {},
): Promise<void> {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const limit = window.innerWidth + 0.5;
    // Past the edge and not clipped by a scrolling (or clipping) box that itself fits. A box
    // clips what it contains: an absolutely positioned element escapes the boxes between it
    // and its positioned ancestor (a classic source of sideways scrolling).
    const sticksOut = (el: Element) => {
      if (el.getBoundingClientRect().right <= limit) return false;
      let position = getComputedStyle(el).position;
      for (let up = el.parentElement; up; up = up.parentElement) {
        const style = getComputedStyle(up);
        const contains = position === 'absolute' ? style.position !== 'static' : position !== 'fixed';
        if (!contains) continue;
        if (style.overflowX !== 'visible' && up.getBoundingClientRect().right <= limit) return false;
        position = style.position;
      }
      return true;
    };
    const describe = (el: Element) => {
      const testId = el.getAttribute('data-testid');
      const classes =
        typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `${el.tagName.toLowerCase()}${classes}${testId ? `[data-testid=${testId}]` : ''} (right ${Math.round(el.getBoundingClientRect().right)})`;
    };
    const innermost = Array.from(document.body.querySelectorAll('*')).filter(
      (el) => sticksOut(el) && !Array.from(el.children).some(sticksOut),
    );
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      culprits: innermost.slice(0, 6).map(describe),
    };
  });
  (soft ? expect.soft : expect)(
    scrollWidth,
    `${what}: page is ${scrollWidth} px wide in a ${innerWidth} px window; past the edge: ${culprits.join(', ') || 'none found'}`,
  ).toBeLessThanOrEqual(innerWidth);
}

export async function signOutViaUi(page: Page): Promise<void> {
  await page.getByTestId('user-menu-name').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
}

// ---------- Room helpers (API set-up + Monaco) ----------

export interface LiveInterview {
  id: string;
  roomCode: string;
  inviteUrl: string;
}

/** Registers through the API; the account's session cookie lands in `context`. */
export async function registerViaApi(context: BrowserContext, baseURL: string, account: Account): Promise<void> {
  const res = await context.request.post('/api/auth/register', { data: account, headers: { Origin: baseURL } });
  expect(res.status(), await res.text()).toBe(201);
}

/**
 * Makes the account of `guest` a member of the first workspace of the account of `owner`
 * (invite + accept through the API): only members can be added to the workspace's interviews.
 */
export async function joinWorkspaceViaApi(
  owner: BrowserContext,
  guest: BrowserContext,
  baseURL: string,
  guestEmail: string,
): Promise<void> {
  const headers = { Origin: baseURL };
  const listed = await owner.request.get('/api/workspaces');
  expect(listed.status(), await listed.text()).toBe(200);
  const workspace = ((await listed.json()) as { workspaces: { id: string }[] }).workspaces[0];
  const invited = await owner.request.post(`/api/workspaces/${workspace?.id}/invites`, {
    data: { email: guestEmail, role: 'member' },
    headers,
  });
  expect(invited.status(), await invited.text()).toBe(201);
  const token = new URL(((await invited.json()) as { invite_url: string }).invite_url).pathname.split('/').pop() ?? '';
  const accepted = await guest.request.post(`/api/workspace-invites/${token}/accept`, { headers });
  expect(accepted.status(), await accepted.text()).toBe(200);
}

/** Creates an interview as the signed-in user of `context` and, unless told otherwise, starts it. */
export async function createInterviewViaApi(
  context: BrowserContext,
  baseURL: string,
  body: Record<string, unknown>,
  { start = true }: { start?: boolean } = {},
): Promise<LiveInterview> {
  const headers = { Origin: baseURL };
  const res = await context.request.post('/api/interviews', { data: body, headers });
  expect(res.status(), await res.text()).toBe(201);
  const created = (await res.json()) as { interview: { id: string; room_code: string }; candidate_invite_url: string };
  if (start) {
    const started = await context.request.post(`/api/interviews/${created.interview.id}/start`, { headers });
    expect(started.status(), await started.text()).toBe(200);
  }
  return { id: created.interview.id, roomCode: created.interview.room_code, inviteUrl: created.candidate_invite_url };
}

/** Joins as the candidate through the API; the candidate session cookie lands in `context`. */
export async function joinViaApi(
  context: BrowserContext,
  baseURL: string,
  interview: LiveInterview,
  name: string,
): Promise<void> {
  const invite = new URL(interview.inviteUrl).searchParams.get('invite') ?? '';
  const res = await context.request.post(`/api/interviews/room/${interview.roomCode}/join`, {
    data: { name, invite },
    headers: { Origin: baseURL },
  });
  expect(res.status(), await res.text()).toBe(200);
}

/**
 * The text Monaco shows in the editor with `data-testid=testId`, read from the DOM: the
 * rendered `.view-line`s in vertical order (Monaco renders spaces as U+00A0). Fine for the
 * short documents of the specs (Monaco only renders the visible lines).
 */
export async function editorText(page: Page, testId: string): Promise<string> {
  return page.getByTestId(testId).evaluate((root) => {
    const lines = Array.from(root.querySelectorAll<HTMLElement>('.view-lines .view-line'));
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
  });
}

/** Focuses the Monaco editor with `data-testid=testId` and moves the caret to the end. */
export async function focusEditorEnd(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).locator('.view-lines').click();
  await page.keyboard.press('Control+End');
}

/**
 * The states in a y-websocket awareness frame (message 1: length-prefixed update of
 * clientID, clock, JSON per client), or [] for any other frame.
 */
export function awarenessStates(frame: Buffer): unknown[] {
  let pos = 0;
  const varUint = (): number => {
    let value = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = frame[pos++];
      if (byte === undefined) throw new Error('truncated awareness frame');
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
  };
  if (varUint() !== 1) return [];
  varUint(); // the update's length
  const states: unknown[] = [];
  for (let count = varUint(); count > 0; count--) {
    varUint(); // client id
    varUint(); // clock
    const length = varUint();
    states.push(JSON.parse(frame.subarray(pos, pos + length).toString('utf8')));
    pos += length;
  }
  return states;
}

/** axe on the page as it is now: no serious or critical violation (soft: every page is checked). */
export async function expectNoSeriousAxeViolations(page: Page, what: string): Promise<void> {
  // Colours fade for 0.12 s after a colour-scheme switch (`.btn` transitions): judging contrast
  // mid-fade fails on a busy machine, so wait until no CSS transition is running.
  await page.waitForFunction(() => !document.getAnimations().some((a) => a instanceof CSSTransition));
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect.soft(serious, `${what}: axe violations`).toEqual([]);
}
