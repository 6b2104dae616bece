// Component tests for the interviewers' weaker-sandbox banner against a fake room socket: an
// interviewer told by the hello sees what is missing; a hello without it shows nothing; a
// candidate gets nothing at all, not even a socket, whatever a hello would say.
import { render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '../../../test/fakeWebSocket';
import { ev } from '../run/testFixtures';
import { SandboxWarning } from './SandboxWarning';

const ID = 'iv1';
const degraded = { level: 'degraded', missing: ['memory_cgroup', 'pids_cgroup'] } as const;

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
});
afterEach(() => vi.unstubAllGlobals());

describe('SandboxWarning', () => {
  it('tells an interviewer what the sandbox lacks', () => {
    render(<SandboxWarning interviewId={ID} role="host" />);
    const ws = FakeWebSocket.latest();
    ws.open();
    expect(screen.queryByTestId('sandbox-warning')).toBeNull();
    ws.emit({ ...ev.hello('p-host', 'host'), sandbox: degraded });
    const banner = screen.getByTestId('sandbox-warning');
    expect(banner.textContent).toContain('Code runs in a weaker sandbox.');
    expect(banner.textContent).toContain('a memory limit for the whole run, a process-count limit');
    expect(banner.textContent).toContain('Only interviewers see this.');
  });

  it('shows nothing when the hello reports no weaker sandbox', () => {
    render(<SandboxWarning interviewId={ID} role="interviewer" />);
    const ws = FakeWebSocket.latest();
    ws.open();
    ws.emit(ev.hello('p-co', 'interviewer'));
    expect(screen.queryByTestId('sandbox-warning')).toBeNull();
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
