// Component tests for the interviewers' weaker-sandbox banner against a fake room socket: an
// interviewer told by the hello sees what is missing, until a later hello says otherwise; a
// candidate gets nothing at all, not even a socket, whatever a hello would say.
import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../../../test/fakeWebSocket';
import { ev } from '../run/testFixtures';
import { SandboxWarning, type RunIsolation } from './SandboxWarning';

const ID = 'iv1';
const degraded: RunIsolation = { level: 'degraded', missing: ['memory_cgroup', 'pids_cgroup'] };

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

describe('SandboxWarning', () => {
  it('tells an interviewer what the sandbox lacks', async () => {
    render(<SandboxWarning interviewId={ID} role="host" />);
    const ws = FakeWebSocket.latest();
    ws.open();
    expect(screen.queryByTestId('sandbox-warning')).toBeNull();
    ws.emit({ type: 'hello', v: 1, interview_id: ID, participant_id: 'p-host', role: 'host', sandbox: degraded });
    const banner = await screen.findByTestId('sandbox-warning');
    expect(banner.textContent).toContain('Code runs in a weaker sandbox.');
    expect(banner.textContent).toContain('a memory limit for the whole run, a process-count limit');
    expect(banner.textContent).toContain('Only interviewers see this.');
  });

  it('goes away when a later hello (after a reconnect) reports no weaker sandbox', async () => {
    render(<SandboxWarning interviewId={ID} role="interviewer" />);
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.emit({ type: 'hello', v: 1, interview_id: ID, participant_id: 'p-co', role: 'interviewer', sandbox: degraded });
    expect(await screen.findByTestId('sandbox-warning')).toBeTruthy();
    ws.emit(ev.hello('p-co', 'interviewer'));
    await waitFor(() => expect(screen.queryByTestId('sandbox-warning')).toBeNull());
  });

  it('never tells a candidate or an observer, and does not even listen', () => {
    for (const role of ['candidate', 'observer']) {
      const { unmount } = render(<SandboxWarning interviewId={ID} role={role} />);
      expect(FakeWebSocket.instances).toHaveLength(0);
      expect(screen.queryByTestId('sandbox-warning')).toBeNull();
      unmount();
    }
  });
});
