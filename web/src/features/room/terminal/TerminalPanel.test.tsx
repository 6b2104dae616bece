// Component tests for the terminal tab on the room socket (a fake WebSocket): a candidate starts
// in the mode picked (button and Ctrl+Alt+Enter), sees the session running, stops it, and reads
// a refusal in words until dismissing it; an observer is told why they cannot type or start.
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../../api/types';
import { FakeWebSocket } from '../../../test/fakeWebSocket';
import type { RoomEvent } from '../run/types';
import { TerminalPanel } from './TerminalPanel';
import { useRoomTerminal } from './useRoomTerminal';

function Harness({ role, interviewId }: { role: Role; interviewId: string }) {
  const room = useRoomTerminal(
    { interviewId, role, live: true, selfParticipantId: 'p-me', isInterviewer: role === 'host', runsDisabled: false },
    () => undefined,
  );
  return <TerminalPanel terminal={room.terminal} canUse={room.canUse} startReason={room.startReason} open={false} />;
}

const sentMessages = (socket: FakeWebSocket) => socket.sent.map((frame) => JSON.parse(frame) as { type: string });
const event = (value: object) => value as unknown as RoomEvent;

describe('TerminalPanel', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('lets the candidate start in the mode picked, stop, and read a refusal', async () => {
    render(<Harness role="candidate" interviewId="iv-term-1" />);
    const socket = FakeWebSocket.latest();
    const start = screen.getByRole('button', { name: /Run interactively/ });
    expect(start).toHaveProperty('disabled', true);
    socket.open();
    expect(start).toHaveProperty('disabled', false);
    await userEvent.selectOptions(screen.getByLabelText('Input'), 'raw');
    await userEvent.click(start);
    expect(sentMessages(socket)).toEqual([{ type: 'terminal_start', v: 1, mode: 'raw' }]);
    expect(screen.getByTestId('terminal-status').textContent).toBe('Starting…');

    socket.emit(
      event({
        type: 'terminal_started',
        v: 1,
        session_id: 's1',
        language: 'python',
        mode: 'raw',
        started_by: 'p-me',
        started_at: 't',
      }),
    );
    expect(await screen.findByText('Running · python · raw mode')).toBeTruthy();
    expect(start).toHaveProperty('disabled', true);
    await userEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(sentMessages(socket).at(-1)).toEqual({ type: 'terminal_stop', v: 1, session_id: 's1' });

    socket.emit(event({ type: 'terminal_error', v: 1, code: 'rate_limited', message: 'Slow down.' }));
    expect(await screen.findByText('Too fast: some input was not sent')).toBeTruthy();
    expect(screen.getByText('Slow down.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('terminal-error')).toBeNull();

    socket.emit(
      event({
        type: 'terminal_ended',
        v: 1,
        session_id: 's1',
        reason: 'stopped',
        exit_code: null,
        message: 'Stopped.',
      }),
    );
    expect(await screen.findByText('Ended: Stopped.')).toBeTruthy();
    expect(start).toHaveProperty('disabled', false);
  });

  it('starts on Ctrl+Alt+Enter from anywhere', () => {
    render(<Harness role="host" interviewId="iv-term-2" />);
    const socket = FakeWebSocket.latest();
    socket.open();
    fireEvent.keyDown(document.body, { key: 'Enter', ctrlKey: true, altKey: true });
    expect(sentMessages(socket)).toEqual([{ type: 'terminal_start', v: 1, mode: 'line' }]);
  });

  it('tells an observer why they cannot type or start', () => {
    render(<Harness role="observer" interviewId="iv-term-3" />);
    FakeWebSocket.latest().open();
    expect(screen.getByTestId('terminal-hint').textContent).toMatch(/Observers see the terminal/);
    expect(screen.getByRole('button', { name: /Run interactively/ })).toHaveProperty('disabled', true);
    expect(screen.getByLabelText('Input')).toHaveProperty('disabled', true);
    fireEvent.keyDown(document.body, { key: 'Enter', ctrlKey: true, altKey: true });
    expect(FakeWebSocket.latest().sent).toEqual([]);
  });
});
