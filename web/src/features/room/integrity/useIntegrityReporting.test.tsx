// Tests of the candidate's reporting as the room wires it: the hook with a stand-in editor, the
// page's room socket (a fake WebSocket) and a stubbed fetch. Pastes from outside vs copied in the
// editor, nothing from a read-only editor or its find box, tab and window absences with their
// durations, the copy share threshold, the POST when the socket is not open (and a 429 taken
// quietly), and nothing at all when disabled or unmounted.
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignalReport } from '../../../api/signalTypes';
import { FakeWebSocket } from '../../../test/fakeWebSocket';
import { installFetch, type Call } from '../../../test/fetchMock';
import { listenToRoom } from '../run/roomEventConnection';
import { fakeEditor, type FakeEditor } from './fakeEditor';
import { FOCUS_GRACE_MS, MERGE_WINDOW_MS } from './signalReporter';
import { RATE_LIMITED_PAUSE_MS } from './signalTransport';
import { useIntegrityReporting } from './useIntegrityReporting';

const ID = 'iv1';
let visibility: DocumentVisibilityState = 'visible';
let editors: FakeEditor[] = [];
let stopListening: (() => void) | null = null;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});

afterEach(() => {
  stopListening?.();
  stopListening = null;
  for (const editor of editors) editor.remove();
  editors = [];
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** The page's room socket for the interview, open. */
function openRoomSocket(): FakeWebSocket {
  stopListening = listenToRoom(ID, { onEvents: () => undefined });
  const ws = FakeWebSocket.latest();
  ws.open();
  return ws;
}

/** The reports sent on the socket. */
function sentReports(ws: FakeWebSocket): SignalReport[] {
  return ws.sent.map((frame) => {
    const message = JSON.parse(frame) as { type: string; v: number; signal: SignalReport };
    expect(message.type).toBe('signal');
    expect(message.v).toBe(1);
    return message.signal;
  });
}

function reporting(text: string, enabled = true) {
  const editor = fakeEditor(text);
  editors.push(editor);
  const hook = renderHook(({ on }) => useIntegrityReporting(ID, on), { initialProps: { on: enabled } });
  const detach = hook.result.current?.(editor);
  return { editor, hook, detach };
}

function setVisibility(state: DocumentVisibilityState) {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
}

const later = (ms: number) => act(() => vi.advanceTimersByTime(ms));

describe('pastes', () => {
  it('marks a paste external unless the text was copied or cut from the editor', () => {
    const ws = openRoomSocket();
    const { editor } = reporting('def solve(xs):\n    return sorted(xs)\n# helper line\n');
    editor.select(0, 14); // "def solve(xs):"
    editor.copy();
    editor.select(editor.text.length, editor.text.length);
    editor.paste('def solve(xs):');
    later(MERGE_WINDOW_MS);
    editor.paste('import numpy as np\n');
    later(MERGE_WINDOW_MS);
    editor.select(15, 37); // "    return sorted(xs)\n"
    editor.copy('cut');
    editor.paste('    return sorted(xs)\r\n');
    expect(sentReports(ws)).toEqual([
      { kind: 'paste', length: 14, external: false },
      { kind: 'paste', length: 19, external: true },
      { kind: 'paste', length: 23, external: false },
    ]);
  });

  it('counts characters as the server does (code points), and reports Monaco’s own paste once', () => {
    const ws = openRoomSocket();
    const { editor } = reporting('');
    editor.contextMenuPaste('héllo 👋');
    expect(sentReports(ws)).toEqual([{ kind: 'paste', length: 7, external: true }]);
  });

  it('reports nothing for a paste into a read-only editor or into the editor’s find box', () => {
    const ws = openRoomSocket();
    const { editor } = reporting('x = 1\n');
    editor.readOnly = true;
    editor.paste('locked out');
    later(MERGE_WINDOW_MS);
    editor.contextMenuPaste('locked out');
    editor.readOnly = false;
    editor.pasteIntoFind('needle');
    expect(sentReports(ws)).toEqual([]);
  });
});

describe('copies', () => {
  it('reports a copy of at least half the document with its length and share', () => {
    const ws = openRoomSocket();
    const text = 'a'.repeat(60) + '\n' + 'b'.repeat(39); // 100 characters
    const { editor } = reporting(text);
    editor.select(0, 49);
    editor.copy();
    later(MERGE_WINDOW_MS);
    expect(sentReports(ws)).toEqual([]);
    editor.select(0, 50);
    editor.copy();
    later(MERGE_WINDOW_MS);
    editor.select(0, 100);
    editor.copy('cut');
    expect(sentReports(ws)).toEqual([
      { kind: 'copy', length: 50, share: 0.5 },
      { kind: 'copy', length: 100, share: 1 },
    ]);
  });
});

describe('tab and window', () => {
  it('reports leaving the tab and coming back with how long it was hidden', () => {
    const ws = openRoomSocket();
    reporting('');
    act(() => setVisibility('hidden'));
    later(72_000);
    act(() => setVisibility('visible'));
    expect(sentReports(ws)).toEqual([{ kind: 'tab_hidden' }, { kind: 'tab_visible', duration_ms: 72_000 }]);
  });

  it('reports the window losing focus after the grace period, not again when the tab hides, and its return', () => {
    const ws = openRoomSocket();
    reporting('');
    // A tab switch: blur, then hidden at once → only the tab.
    act(() => {
      window.dispatchEvent(new Event('blur'));
      setVisibility('hidden');
    });
    later(5000);
    act(() => {
      setVisibility('visible');
      window.dispatchEvent(new Event('focus'));
    });
    // Another application in front for 40 s.
    act(() => window.dispatchEvent(new Event('blur')));
    later(40_000);
    act(() => window.dispatchEvent(new Event('focus')));
    expect(sentReports(ws)).toEqual([
      { kind: 'tab_hidden' },
      { kind: 'tab_visible', duration_ms: 5000 },
      { kind: 'focus_lost' },
      { kind: 'focus_gained', duration_ms: 40_000 },
    ]);
    expect(FOCUS_GRACE_MS).toBeLessThan(40_000);
  });

  it('reports the tab hidden at once when the room opens in a background tab', () => {
    const ws = openRoomSocket();
    visibility = 'hidden';
    reporting('');
    expect(sentReports(ws)).toEqual([{ kind: 'tab_hidden' }]);
  });
});

describe('delivery', () => {
  it('falls back to POST when the room socket is not open, and takes a 429 quietly', async () => {
    let answer = 202;
    const calls: Call[] = installFetch({
      'POST /api/interviews/iv1/signals': () =>
        answer === 202
          ? { status: 202, body: {} }
          : { status: 429, body: { error: { code: 'rate_limited', message: 'Too many requests' } } },
    });
    stopListening = listenToRoom(ID, { onEvents: () => undefined }); // connecting, not open
    const { editor } = reporting('');
    editor.paste('from a website');
    await act(async () => undefined);
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['POST', '/api/interviews/iv1/signals', { kind: 'paste', length: 14, external: true }],
    ]);
    expect(FakeWebSocket.latest().sent).toEqual([]);

    answer = 429;
    act(() => setVisibility('hidden'));
    await act(async () => undefined);
    expect(calls).toHaveLength(2);
    // Paused after the 429: nothing is sent for a while, and nothing is thrown.
    act(() => setVisibility('visible'));
    await act(async () => undefined);
    expect(calls).toHaveLength(2);
    later(RATE_LIMITED_PAUSE_MS);
    answer = 202;
    act(() => setVisibility('hidden'));
    await act(async () => undefined);
    expect(calls.map((c) => (c.body as SignalReport).kind)).toEqual(['paste', 'tab_hidden', 'tab_hidden']);
  });

  it('reports nothing when disabled, nor after unmounting', () => {
    const ws = openRoomSocket();
    const { hook } = reporting('', false);
    expect(hook.result.current).toBeUndefined();
    act(() => setVisibility('hidden'));
    act(() => setVisibility('visible'));
    hook.rerender({ on: true });
    hook.unmount();
    act(() => setVisibility('hidden'));
    expect(sentReports(ws)).toEqual([]);
  });

  it('stops watching the editor once detached', () => {
    const ws = openRoomSocket();
    const { editor, detach } = reporting('');
    detach?.();
    editor.paste('after detach');
    editor.contextMenuPaste('after detach');
    expect(sentReports(ws)).toEqual([]);
  });
});
