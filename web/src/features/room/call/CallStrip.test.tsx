import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFetch } from '../../../test/fetchMock';
import { FakeWebSocket } from '../../../test/fakeWebSocket';
import type { RoomEvent } from '../run/types';
import type { CallEvent, CallPeer } from './callProtocol';
import { CallStrip } from './CallStrip';
import { callShortcutOf } from './useCallShortcuts';
import { FakeMediaDevices, installFakeWebRtc } from './fakeWebRtc';

const INTERVIEW = 'iv-call';
let devices: FakeMediaDevices;

beforeEach(() => {
  window.localStorage.clear();
  window.sessionStorage.clear();
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
  devices = installFakeWebRtc();
  Object.defineProperty(navigator, 'mediaDevices', { value: devices, configurable: true });
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  installFetch({
    [`GET /api/interviews/${INTERVIEW}/ice`]: () => ({ status: 200, body: { ice_servers: [], ttl_seconds: 600 } }),
  });
});
afterEach(() => vi.unstubAllGlobals());

const peer = (peer_id: string, name: string, role: CallPeer['role'], audio = true): CallPeer => ({
  peer_id,
  participant_id: `part-${peer_id}`,
  name,
  role,
  media: { audio, video: true, screen_stream: null },
  may_send:
    role === 'observer' ? { audio: false, video: false, screen: false } : { audio: true, video: true, screen: true },
});

function openRoom(props: Partial<Parameters<typeof CallStrip>[0]> = {}) {
  const view = render(<CallStrip interviewId={INTERVIEW} role="host" owner="user-1" ended={false} {...props} />);
  const socket = FakeWebSocket.latest();
  socket.open();
  const emit = (...events: CallEvent[]) => socket.emit(...(events as unknown as RoomEvent[]));
  const sent = () => socket.sent.map((frame) => JSON.parse(frame) as { type: string; [key: string]: unknown });
  return { ...view, socket, emit, sent };
}

describe('CallStrip', () => {
  it('shows how many are in the call, and joins in one click', async () => {
    const { emit, sent } = openRoom();
    emit({ type: 'call_state', v: 1, peers: [peer('b1', 'Bo', 'candidate'), peer('c1', 'Cy', 'interviewer')] });
    const join = await screen.findByRole('button', { name: /Join call · 2 in call/ });
    await userEvent.click(join);
    await waitFor(() => expect(sent().map((m) => m.type)).toEqual(['call_join']));
    expect(devices.userMediaCalls).toEqual([{ audio: true, video: true }]);
    expect(screen.getByRole('status').textContent).toBe('Joining…');
  });

  it('once in: mute (sends call_media), camera, screen, devices and leave; our tile is mirrored and muted', async () => {
    const { emit, sent } = openRoom();
    await userEvent.click(await screen.findByTestId('call-join'));
    await waitFor(() => expect(sent()).toHaveLength(1));
    emit(
      { type: 'call_welcome', v: 1, peer_id: 'a1', may_send: { audio: true, video: true, screen: true } },
      { type: 'call_state', v: 1, peers: [peer('a1', 'Ada', 'host'), peer('b1', 'Bo', 'candidate', false)] },
    );
    const mute = await screen.findByTestId('call-mute');
    expect(mute.textContent).toBe('Mute');
    expect(screen.getByTestId('call-camera').textContent).toBe('Camera off');
    expect(screen.getByTestId('call-screen').textContent).toBe('Share screen');
    screen.getByTestId('call-leave');

    const tiles = screen.getAllByTestId('call-tile');
    expect(tiles.map((t) => [t.dataset['peerId'], t.dataset['kind']])).toEqual([
      ['a1', 'camera'],
      ['b1', 'camera'],
    ]);
    const own = tiles[0]!.querySelector('video')!;
    expect(own.muted).toBe(true);
    expect(own.classList.contains('call-tile__video--mirrored')).toBe(true);
    expect(own.hasAttribute('data-remote')).toBe(false);
    expect(tiles[1]!.querySelector('video')?.getAttribute('data-remote')).toBe('true');
    within(tiles[1]!).getByRole('img', { name: 'Microphone off' });
    expect(tiles[1]?.getAttribute('data-participant-id')).toBe('part-b1');

    await userEvent.click(mute);
    expect(sent().filter((m) => m.type === 'call_media')).toMatchObject([{ media: { audio: false, video: true } }]);
    expect(screen.getByTestId('call-mute').textContent).toBe('Unmute');
    expect(JSON.parse(window.localStorage.getItem('codeview.layout.user-1.room.call') ?? '{}')).toMatchObject({
      muted: true,
    });

    await userEvent.click(screen.getByTestId('call-leave'));
    expect(sent().filter((m) => m.type === 'call_leave')).toEqual([{ type: 'call_leave', v: 1 }]);
    screen.getByTestId('call-join');
    expect(devices.handedOut.every((t) => t.readyState === 'ended')).toBe(true);
  });

  it('remembers a collapsed strip; the buttons stay', async () => {
    const first = openRoom();
    await userEvent.click(await screen.findByTestId('call-join'));
    await waitFor(() => expect(first.sent()).toHaveLength(1));
    first.emit({ type: 'call_welcome', v: 1, peer_id: 'a1', may_send: { audio: true, video: true, screen: true } });
    await userEvent.click(await screen.findByRole('button', { name: 'Hide video' }));
    expect(screen.getByTestId('call-strip').classList.contains('call-strip--collapsed')).toBe(true);
    screen.getByTestId('call-mute');
    first.unmount();
    // Leaving the room (not a reload) forgets that this tab was in the call.
    await waitFor(() => expect(window.sessionStorage.length).toBe(0));

    const second = openRoom();
    await userEvent.click(await screen.findByTestId('call-join'));
    await waitFor(() => expect(second.sent()).toHaveLength(1));
    second.emit({ type: 'call_welcome', v: 1, peer_id: 'a2', may_send: { audio: true, video: true, screen: true } });
    expect((await screen.findByRole('button', { name: 'Show video' })).getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByTestId('call-strip').classList.contains('call-strip--collapsed')).toBe(true);
  });

  it('joins again by itself after a reload of a tab that was in the call', async () => {
    window.sessionStorage.setItem(`codeview.call.in.${INTERVIEW}`, '1');
    const { sent } = openRoom();
    await waitFor(() => expect(sent().map((m) => m.type)).toEqual(['call_join']));
  });

  it("gives the host Allow to speak on an observer's tile", async () => {
    const { emit, sent } = openRoom();
    await userEvent.click(await screen.findByTestId('call-join'));
    await waitFor(() => expect(sent()).toHaveLength(1));
    emit(
      { type: 'call_welcome', v: 1, peer_id: 'a1', may_send: { audio: true, video: true, screen: true } },
      { type: 'call_state', v: 1, peers: [peer('a1', 'Ada', 'host'), peer('o1', 'Olive', 'observer')] },
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Allow to speak' }));
    expect(sent().filter((m) => m.type === 'call_permit')).toEqual([
      { type: 'call_permit', v: 1, participant_id: 'part-o1', speak: true },
    ]);
  });

  it('an observer joins without asking for a camera and gets no send buttons', async () => {
    const { emit, sent } = openRoom({ role: 'observer' });
    await userEvent.click(await screen.findByTestId('call-join'));
    await waitFor(() => expect(sent()).toHaveLength(1));
    emit({ type: 'call_welcome', v: 1, peer_id: 'o1', may_send: { audio: false, video: false, screen: false } });
    await screen.findByTestId('call-leave');
    expect(devices.getUserMedia).not.toHaveBeenCalled();
    expect(screen.queryByTestId('call-mute')).toBeNull();
    expect(screen.queryByTestId('call-camera')).toBeNull();
    expect(screen.queryByTestId('call-screen')).toBeNull();
  });

  it('says what to do when the camera is blocked, and offers joining without it', async () => {
    devices.failures.both = new DOMException('denied', 'NotAllowedError');
    const { sent } = openRoom();
    await userEvent.click(await screen.findByTestId('call-join'));
    const problem = await screen.findByTestId('call-error');
    expect(problem.textContent).toContain('Camera and microphone are blocked for this site.');
    await userEvent.click(within(problem).getByRole('button', { name: 'Join without camera and microphone' }));
    await waitFor(() => expect(sent()).toEqual([{ type: 'call_join', v: 1, media: expect.anything() }]));
    expect(sent()[0]?.['media']).toEqual({ audio: false, video: false, screen_stream: null });
  });

  it('cannot be joined once the interview has ended', async () => {
    openRoom({ ended: true });
    expect((await screen.findByTestId<HTMLButtonElement>('call-join')).disabled).toBe(true);
  });
});

describe('callShortcutOf', () => {
  it('reads Ctrl/⌘+Shift+M and Ctrl/⌘+Shift+E', () => {
    const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
      callShortcutOf({ key: k, ctrlKey: true, metaKey: false, shiftKey: true, altKey: false, ...mods });
    expect(key('M')).toBe('mute');
    expect(key('E', { ctrlKey: false, metaKey: true })).toBe('camera');
    expect(key('M', { shiftKey: false })).toBeNull();
    expect(key('M', { altKey: true })).toBeNull();
  });
});
