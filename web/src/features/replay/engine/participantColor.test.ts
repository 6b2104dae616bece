// The replay's colours are the room's: the server's `color_for` (values computed from its rule).
import { describe, expect, it } from 'vitest';
import { FALLBACK_COLORS } from '../../room/collab/cursorStyles';
import { participantColor } from './participantColor';

describe('participantColor', () => {
  it("matches the server's colour for a participant id", () => {
    expect(participantColor('00000000-0000-0000-0000-000000000001')).toBe('#2563eb');
    expect(participantColor('6f1c2b7e-9a4d-4e3b-8c2f-1d2e3f405162')).toBe('#e11d48');
    expect(participantColor('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF')).toBe('#7c3aed');
  });

  it('gives any other id a palette colour', () => {
    expect(FALLBACK_COLORS).toContain(participantColor('not-a-uuid'));
  });
});
