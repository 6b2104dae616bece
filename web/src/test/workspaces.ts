// Workspace fixtures for component tests: a workspace with sensible defaults and the stubbed
// routes of a signed-in person who belongs to some workspaces.
import type { Workspace } from '../api/types';
import { sampleUser } from './fetchMock';

export function sampleWorkspace(overrides: Partial<Workspace> = {}): Workspace {
  return {
    id: 'w1',
    name: 'Platform team',
    my_role: 'owner',
    default_language: 'python',
    default_duration_minutes: 60,
    default_rubric: [{ name: 'Problem solving', description: 'Breaks the problem down.' }],
    runs_per_day: null,
    member_count: 2,
    created_at: '2026-11-25T10:00:00Z',
    updated_at: '2026-11-25T10:00:00Z',
    ...overrides,
  };
}

/** `GET /api/auth/me` (signed in as sampleUser) and `GET /api/workspaces` answering `workspaces`. */
export function signedInWith(workspaces: Workspace[]) {
  return {
    'GET /api/auth/me': () => ({ status: 200, body: { user: sampleUser } }),
    'GET /api/workspaces': () => ({ status: 200, body: { workspaces } }),
  };
}
