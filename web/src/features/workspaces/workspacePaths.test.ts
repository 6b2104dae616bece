// Unit tests for where the workspace switcher goes from each kind of page.
import { describe, expect, it } from 'vitest';
import { invitePeoplePath, switchTarget } from './workspacePaths';

describe('switchTarget', () => {
  it('keeps the list filters but the category and names the new workspace', () => {
    expect(switchTarget('/', '?tab=past&workspace=a&q=x', 'b')).toBe('/?tab=past&workspace=b&q=x');
    expect(switchTarget('/questions', '?category=Graphs&difficulty=hard', 'b')).toBe(
      '/questions?difficulty=hard&workspace=b',
    );
  });

  it('keeps settings on settings and sends question pages to the bank', () => {
    expect(switchTarget('/workspaces/a/settings', '', 'b c')).toBe('/workspaces/b%20c/settings');
    expect(switchTarget('/questions/q1/edit', '', 'b')).toBe('/questions?workspace=b');
  });

  it('sends every other page to the dashboard', () => {
    expect(switchTarget('/interviews/i1', '', 'b')).toBe('/?workspace=b');
    expect(switchTarget('/interviews/new', '', 'b')).toBe('/?workspace=b');
  });
});

describe('invitePeoplePath', () => {
  it('points at the invite section of the settings page', () => {
    expect(invitePeoplePath('w1')).toBe('/workspaces/w1/settings#invite');
  });
});
