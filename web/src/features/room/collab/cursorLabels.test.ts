// Unit tests for remote name labels: they show for a while after a caret arrives, then only on
// hover (CSS), and two labels never overlap.
import { describe, expect, it } from 'vitest';
import {
  arrivingClients,
  LABEL_ARRIVAL_MS,
  labelColumns,
  labelsToShow,
  nextLabelExpiry,
  trackArrivals,
  type Caret,
} from './cursorLabels';

const caret = (clientId: number, line: number, column: number, name = 'Ann'): Caret => ({
  clientId,
  line,
  column,
  name,
});

describe('trackArrivals', () => {
  it('keeps first arrival times, adds newcomers and forgets who left', () => {
    let arrivals = trackArrivals(new Map(), [1, 2], 1000);
    arrivals = trackArrivals(arrivals, [2, 3], 5000);
    expect([...arrivals]).toEqual([
      [2, 1000],
      [3, 5000],
    ]);
    // Client 1 comes back: it arrives again.
    arrivals = trackArrivals(arrivals, [1, 2, 3], 9000);
    expect(arrivals.get(1)).toBe(9000);
  });
});

describe('arrival window', () => {
  const arrivals = new Map([
    [1, 0],
    [2, 1000],
  ]);
  it('shows a label for a few seconds after arrival, then hides it', () => {
    expect(labelsToShow([caret(1, 0, 0)], arrivals, 0)).toEqual(new Set([1]));
    expect(labelsToShow([caret(1, 0, 0)], arrivals, LABEL_ARRIVAL_MS - 1)).toEqual(new Set([1]));
    expect(labelsToShow([caret(1, 0, 0)], arrivals, LABEL_ARRIVAL_MS)).toEqual(new Set());
    expect(arrivingClients(arrivals, LABEL_ARRIVAL_MS)).toEqual([2]);
  });
  it('says when the next label hides, and nothing once all have', () => {
    expect(nextLabelExpiry(arrivals, 500)).toBe(LABEL_ARRIVAL_MS - 500);
    expect(nextLabelExpiry(arrivals, LABEL_ARRIVAL_MS + 200)).toBe(800);
    expect(nextLabelExpiry(arrivals, LABEL_ARRIVAL_MS + 1000)).toBeNull();
  });
  it('never shows a caret that has not arrived', () => {
    expect(labelsToShow([caret(7, 0, 0)], arrivals, 0)).toEqual(new Set());
  });
});

describe('labels never stack', () => {
  it('of two carets at the same place, only the newest arrival is labelled', () => {
    const arrivals = new Map([
      [1, 0],
      [2, 100],
    ]);
    expect(labelsToShow([caret(1, 3, 4), caret(2, 3, 4)], arrivals, 200)).toEqual(new Set([2]));
  });
  it('keeps labels that fit side by side or sit on other lines', () => {
    const arrivals = new Map([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    const far = labelColumns('Ann');
    const shown = labelsToShow([caret(1, 0, 0), caret(2, 0, far), caret(3, 1, 0)], arrivals, 10);
    expect(shown).toEqual(new Set([1, 2, 3]));
    // One column closer and the left label would run into the right one.
    expect(labelsToShow([caret(1, 0, 0), caret(2, 0, far - 1)], arrivals, 10).size).toBe(1);
  });
  it('measures long names by their shortened label', () => {
    expect(labelColumns('x'.repeat(100))).toBe(34);
    expect(labelColumns('  ')).toBe('Guest'.length + 2);
  });
});
