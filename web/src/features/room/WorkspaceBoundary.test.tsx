// Component test: a workspace chunk that fails to load shows a reload prompt, not a blank room.
import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { WorkspaceBoundary } from './WorkspaceBoundary';

function Broken(): never {
  throw new TypeError('Failed to fetch dynamically imported module');
}

describe('WorkspaceBoundary', () => {
  it('replaces a workspace that failed to load with a reload prompt', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <WorkspaceBoundary>
        <Broken />
      </WorkspaceBoundary>,
    );
    expect(screen.getByTestId('workspace-error').textContent).toContain('The editor could not be loaded.');
    expect(screen.getByRole('button', { name: 'Reload' })).toBeTruthy();
  });
});
