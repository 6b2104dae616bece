// Component tests for the toolbar presence list and the connection pill.
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectionStatus } from './ConnectionStatus';
import { initialConnection } from './connectionStatus';
import { Participants } from './Participants';

describe('Participants', () => {
  it('lists everyone with role and online state, and marks the viewer', () => {
    render(
      <Participants
        presence={[
          {
            participant: { id: 'a', user_id: 'u', name: 'Hana Host', email: null, role: 'host' },
            online: true,
            isSelf: true,
            color: null,
          },
          {
            participant: { id: 'b', user_id: null, name: 'Cal', email: null, role: 'candidate' },
            online: false,
            isSelf: false,
            color: null,
          },
        ]}
      />,
    );
    const items = screen.getAllByTestId('room-participant');
    expect(items.map((li) => li.getAttribute('data-online'))).toEqual(['true', 'false']);
    expect(within(items[0]!).getByText('(you)')).toBeTruthy();
    expect(items[1]!.textContent).toContain('Candidate');
    expect(items[1]!.textContent).toContain('offline');
    expect(screen.getByText('1 of 2 participants online')).toBeTruthy();
  });
});

describe('ConnectionStatus', () => {
  it('shows the refusal in words', () => {
    render(<ConnectionStatus state={{ ...initialConnection, phase: 'refused', refusedCode: 4403 }} />);
    const status = screen.getByRole('status');
    expect(status.getAttribute('data-phase')).toBe('refused');
    expect(status.textContent).toContain('You no longer have access to this room.');
  });
});
