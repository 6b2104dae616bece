// useResizableSplit: the key and pointer arithmetic, clamping, what localStorage holds (and
// junk in it), and the hook driving a real separator (SplitHandle) by keyboard and by drag.
import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { SplitHandle } from '../components/SplitHandle';
import {
  clampSplit,
  layoutStorageKey,
  readStoredSplit,
  splitAfterKey,
  splitAtPointer,
  useResizableSplit,
  type SplitOptions,
} from './useResizableSplit';

afterEach(() => {
  window.localStorage.clear();
  document.documentElement.className = '';
});

const runPane = { min: 20, max: 75, orientation: 'horizontal', pane: 'after' } as const;
const leftPane = { min: 18, max: 50, orientation: 'vertical', pane: 'before' } as const;

describe('splitAfterKey', () => {
  it('grows the pane after a horizontal separator when it moves up', () => {
    expect(splitAfterKey('ArrowUp', 40, runPane)).toBe(42);
    expect(splitAfterKey('ArrowDown', 40, runPane)).toBe(38);
    expect(splitAfterKey('PageUp', 40, runPane)).toBe(50);
    expect(splitAfterKey('PageDown', 40, runPane)).toBe(30);
  });

  it('grows the pane before a vertical separator when it moves right', () => {
    expect(splitAfterKey('ArrowRight', 30, leftPane)).toBe(32);
    expect(splitAfterKey('ArrowLeft', 30, leftPane)).toBe(28);
    expect(splitAfterKey('ArrowLeft', 30, { ...leftPane, step: 5 })).toBe(25);
  });

  it('goes to the smallest and largest size with Home and End', () => {
    expect(splitAfterKey('Home', 40, runPane)).toBe(20);
    expect(splitAfterKey('End', 40, runPane)).toBe(75);
  });

  it('stays within the limits', () => {
    expect(splitAfterKey('ArrowUp', 74, runPane)).toBe(75);
    expect(splitAfterKey('PageDown', 22, runPane)).toBe(20);
  });

  it('ignores other keys, and arrows across its orientation', () => {
    expect(splitAfterKey('Enter', 40, runPane)).toBeNull();
    expect(splitAfterKey('ArrowLeft', 40, runPane)).toBeNull();
    expect(splitAfterKey('ArrowUp', 30, leftPane)).toBeNull();
  });
});

describe('splitAtPointer', () => {
  const box = { left: 100, top: 50, width: 1000, height: 500 };

  it('measures the pane after a horizontal separator from the bottom', () => {
    expect(splitAtPointer(box, 0, 350, runPane)).toBe(40);
  });

  it('measures the pane before a vertical separator from the left', () => {
    expect(splitAtPointer(box, 400, 0, leftPane)).toBe(30);
  });

  it('clamps, and copes with an empty container', () => {
    expect(splitAtPointer(box, 0, 60, runPane)).toBe(75);
    expect(splitAtPointer(box, 5000, 0, leftPane)).toBe(50);
    expect(splitAtPointer({ ...box, height: 0 }, 0, 60, runPane)).toBe(20);
  });
});

describe('storage', () => {
  it('names the owner and the split in the key, and has none without an owner', () => {
    expect(layoutStorageKey('user-1', 'room.run')).toBe('codeview.layout.user-1.room.run');
    expect(layoutStorageKey(null, 'room.run')).toBeNull();
    expect(layoutStorageKey('', 'room.run')).toBeNull();
  });

  it('reads a stored size, clamped, and ignores junk', () => {
    window.localStorage.setItem('k', '55.5');
    expect(readStoredSplit('k', 20, 75)).toBe(55.5);
    window.localStorage.setItem('k', '99');
    expect(readStoredSplit('k', 20, 75)).toBe(75);
    for (const junk of ['', 'wide', 'NaN', 'Infinity']) {
      window.localStorage.setItem('k', junk);
      expect(readStoredSplit('k', 20, 75)).toBeNull();
    }
    expect(readStoredSplit('missing', 20, 75)).toBeNull();
    expect(readStoredSplit(null, 20, 75)).toBeNull();
  });

  it('rounds to a tenth of a percent', () => {
    expect(clampSplit(33.333, 0, 100)).toBe(33.3);
  });
});

/** A container with a run pane under a separator, like the room's code column. */
function Harness({ initialOwner = 'user-1', ...options }: Partial<SplitOptions> & { initialOwner?: string | null }) {
  const [owner, setOwner] = useState(initialOwner);
  const split = useResizableSplit({
    ...runPane,
    defaultValue: 40,
    storageKey: layoutStorageKey(owner, 'room.run'),
    ...options,
  });
  return (
    <div data-testid="container">
      <SplitHandle split={split} label="Resize the run panel" controls="run" valueText={`${split.value}%`} />
      <div id="run" />
      <button type="button" onClick={() => setOwner('user-2')}>
        switch owner
      </button>
    </div>
  );
}

/** jsdom has no PointerEvent; React reads what it needs from a MouseEvent of the same name. */
function pointerDown(button: number): MouseEvent {
  return new MouseEvent('pointerdown', { button, bubbles: true, cancelable: true });
}

function separator(): HTMLElement {
  return screen.getByRole('separator', { name: 'Resize the run panel' });
}

describe('useResizableSplit with SplitHandle', () => {
  it('is a focusable separator that says its size and limits', () => {
    render(<Harness />);
    const handle = separator();
    expect(handle.tabIndex).toBe(0);
    expect(handle.getAttribute('aria-orientation')).toBe('horizontal');
    expect(handle.getAttribute('aria-valuenow')).toBe('40');
    expect(handle.getAttribute('aria-valuemin')).toBe('20');
    expect(handle.getAttribute('aria-valuemax')).toBe('75');
    expect(handle.getAttribute('aria-valuetext')).toBe('40%');
    expect(handle.getAttribute('aria-controls')).toBe('run');
  });

  it('moves with the keyboard and remembers the size for its owner', () => {
    render(<Harness />);
    const handle = separator();
    fireEvent.keyDown(handle, { key: 'ArrowUp' });
    fireEvent.keyDown(handle, { key: 'ArrowUp' });
    expect(handle.getAttribute('aria-valuenow')).toBe('44');
    expect(window.localStorage.getItem('codeview.layout.user-1.room.run')).toBe('44');
    fireEvent.keyDown(handle, { key: 'End' });
    expect(handle.getAttribute('aria-valuenow')).toBe('75');
    fireEvent.keyDown(handle, { key: 'Home' });
    expect(handle.getAttribute('aria-valuenow')).toBe('20');
    expect(window.localStorage.getItem('codeview.layout.user-1.room.run')).toBe('20');
  });

  it('does not swallow keys it does not use', () => {
    render(<Harness />);
    const notUsed = fireEvent.keyDown(separator(), { key: 'Tab' });
    const used = fireEvent.keyDown(separator(), { key: 'ArrowDown' });
    expect(notUsed).toBe(true);
    expect(used).toBe(false);
  });

  it('starts from the remembered size, and from the default without one', () => {
    window.localStorage.setItem('codeview.layout.user-1.room.run', '60');
    const { unmount } = render(<Harness />);
    expect(separator().getAttribute('aria-valuenow')).toBe('60');
    unmount();
    render(<Harness initialOwner={null} />);
    expect(separator().getAttribute('aria-valuenow')).toBe('40');
  });

  it("reads another owner's layout when the owner changes", () => {
    window.localStorage.setItem('codeview.layout.user-2.room.run', '66');
    render(<Harness />);
    expect(separator().getAttribute('aria-valuenow')).toBe('40');
    fireEvent.click(screen.getByRole('button', { name: 'switch owner' }));
    expect(separator().getAttribute('aria-valuenow')).toBe('66');
  });

  it('follows a drag, remembers where it ends, and stops following after', () => {
    render(<Harness />);
    const container = screen.getByTestId('container');
    container.getBoundingClientRect = () =>
      ({ left: 0, top: 100, width: 800, height: 400, right: 800, bottom: 500, x: 0, y: 100 }) as DOMRect;
    const handle = separator();
    fireEvent(handle, pointerDown(0));
    expect(document.activeElement).toBe(handle);
    expect(handle.className).toContain('split-handle--dragging');
    expect(document.documentElement.classList.contains('is-resizing')).toBe(true);

    // 300 px from the top of a 400 px container: the pane under it is 25 %.
    act(() => void window.dispatchEvent(new MouseEvent('pointermove', { clientX: 10, clientY: 400 })));
    expect(handle.getAttribute('aria-valuenow')).toBe('25');
    act(() => void window.dispatchEvent(new MouseEvent('pointermove', { clientX: 10, clientY: 200 })));
    expect(handle.getAttribute('aria-valuenow')).toBe('75');
    expect(window.localStorage.getItem('codeview.layout.user-1.room.run')).toBeNull();

    act(() => void window.dispatchEvent(new MouseEvent('pointerup')));
    expect(window.localStorage.getItem('codeview.layout.user-1.room.run')).toBe('75');
    expect(document.documentElement.classList.contains('is-resizing')).toBe(false);
    expect(handle.className).not.toContain('split-handle--dragging');

    act(() => void window.dispatchEvent(new MouseEvent('pointermove', { clientX: 10, clientY: 400 })));
    expect(handle.getAttribute('aria-valuenow')).toBe('75');
  });

  it('ignores drags with other buttons', () => {
    render(<Harness />);
    fireEvent(separator(), pointerDown(2));
    expect(document.documentElement.classList.contains('is-resizing')).toBe(false);
  });

  it('goes back to the default on double-click', () => {
    window.localStorage.setItem('codeview.layout.user-1.room.run', '60');
    render(<Harness />);
    fireEvent.doubleClick(separator());
    expect(separator().getAttribute('aria-valuenow')).toBe('40');
    expect(window.localStorage.getItem('codeview.layout.user-1.room.run')).toBe('40');
  });

  it('still resizes when storage refuses to write', () => {
    const original = Storage.prototype.setItem;
    Storage.prototype.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    try {
      render(<Harness />);
      fireEvent.keyDown(separator(), { key: 'ArrowUp' });
      expect(separator().getAttribute('aria-valuenow')).toBe('42');
    } finally {
      Storage.prototype.setItem = original;
    }
  });
});
