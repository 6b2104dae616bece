// Unit tests for the export's file name.
import { describe, expect, it } from 'vitest';
import { exportFileName } from './exportFileName';

describe('exportFileName', () => {
  const day = new Date(2026, 11, 5, 23, 59);

  it('uses a file-system-safe form of the name and the local date', () => {
    expect(exportFileName('Platform Team (Berlin)', day)).toBe('codeview-platform-team-berlin-2026-12-05.json');
    expect(exportFileName('Équipe Zürich', day)).toBe('codeview-equipe-zurich-2026-12-05.json');
  });

  it('falls back when nothing of the name is usable', () => {
    expect(exportFileName('日本チーム', day)).toBe('codeview-workspace-2026-12-05.json');
    expect(exportFileName('../..', day)).toBe('codeview-workspace-2026-12-05.json');
  });
});
