// A resizable split between two panes: the size of one pane in percent of their container,
// moved by dragging a separator (pointer: mouse, pen or touch) or from the keyboard (arrows by
// a step, Page Up/Down by a big step, Home/End to the smallest/largest size, as the WAI-ARIA
// window splitter pattern says), and remembered in localStorage under a key that names whose
// layout it is. The separator's parent element is the container the percentage refers to.
// SplitHandle (components/) renders the separator from `separatorProps`.
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

export interface SplitOptions {
  /** Where the size is remembered; null while there is nobody to remember it for. */
  storageKey: string | null;
  /** Size of the pane, in percent of the container, when nothing is remembered. */
  defaultValue: number;
  min: number;
  max: number;
  /**
   * The separator's orientation: a `vertical` separator splits left from right (moves along x),
   * a `horizontal` one splits top from bottom (moves along y).
   */
  orientation: 'horizontal' | 'vertical';
  /** Which pane the size is of: the one before the separator (left/top) or after it. */
  pane: 'before' | 'after';
  /**
   * Percentage points an arrow key moves it (default 2); Page Up/Down move it five times that
   * towards the start (left/up) or the end (right/down).
   */
  step?: number;
}

export interface SeparatorProps {
  role: 'separator';
  tabIndex: 0;
  'aria-orientation': 'horizontal' | 'vertical';
  'aria-valuenow': number;
  'aria-valuemin': number;
  'aria-valuemax': number;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
  onPointerDown: (event: PointerEvent<HTMLElement>) => void;
  /** Back to the default size. */
  onDoubleClick: () => void;
}

export interface ResizableSplit {
  /** The pane's size in percent of the container. */
  value: number;
  /** Sets (clamped and remembered) the pane's size. */
  setValue: (value: number) => void;
  separatorProps: SeparatorProps;
  /** True while the separator is being dragged. */
  dragging: boolean;
}

/** The localStorage key of one split of one person's layout (an account's or a candidate's id). */
export function layoutStorageKey(owner: string | null | undefined, split: string): string | null {
  return owner ? `codeview.layout.${owner}.${split}` : null;
}

export function clampSplit(value: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, value)) * 10) / 10;
}

/** The remembered size, if there is a usable one (storage may be unavailable or hold junk). */
export function readStoredSplit(key: string | null, min: number, max: number): number | null {
  if (!key) return null;
  let raw: string | null;
  try {
    raw = window.localStorage.getItem(key);
  } catch {
    return null;
  }
  const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(value) ? clampSplit(value, min, max) : null;
}

function storeSplit(key: string | null, value: number): void {
  if (!key) return;
  try {
    window.localStorage.setItem(key, String(value));
  } catch {
    // Not remembered; the split still works for this visit.
  }
}

type SplitGeometry = Pick<SplitOptions, 'min' | 'max' | 'orientation' | 'pane' | 'step'>;

/** The size a key gives, or null when the key does not move the separator. */
export function splitAfterKey(key: string, value: number, options: SplitGeometry): number | null {
  const step = options.step ?? 2;
  // Keys that move the separator towards the start (left/up) or towards the end (right/down).
  const towardsStart = options.orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
  const towardsEnd = options.orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
  // Moving the separator towards the start shrinks the pane before it and grows the one after.
  const grows = options.pane === 'before' ? 1 : -1;
  switch (key) {
    case towardsStart:
      return clampSplit(value - grows * step, options.min, options.max);
    case towardsEnd:
      return clampSplit(value + grows * step, options.min, options.max);
    case 'PageUp':
      return clampSplit(value - grows * step * 5, options.min, options.max);
    case 'PageDown':
      return clampSplit(value + grows * step * 5, options.min, options.max);
    case 'Home':
      return options.min;
    case 'End':
      return options.max;
    default:
      return null;
  }
}

/** The size that puts the separator under the pointer, within `container` (a DOMRect). */
export function splitAtPointer(
  container: Pick<DOMRect, 'left' | 'top' | 'width' | 'height'>,
  clientX: number,
  clientY: number,
  options: SplitGeometry,
): number {
  const vertical = options.orientation === 'vertical';
  const length = vertical ? container.width : container.height;
  if (length <= 0) return options.min;
  const offset = vertical ? clientX - container.left : clientY - container.top;
  const before = (offset / length) * 100;
  return clampSplit(options.pane === 'before' ? before : 100 - before, options.min, options.max);
}

export function useResizableSplit(options: SplitOptions): ResizableSplit {
  const { storageKey, defaultValue, min, max, orientation } = options;
  const initial = () => readStoredSplit(storageKey, min, max) ?? clampSplit(defaultValue, min, max);
  const [value, setState] = useState(initial);
  const [shownKey, setShownKey] = useState(storageKey);
  const [dragging, setDragging] = useState(false);
  const latest = useRef(value);
  /** Ends a drag in progress (its window listeners); also run on unmount. */
  const stopDrag = useRef<(() => void) | null>(null);
  useEffect(() => () => stopDrag.current?.(), []);

  // Someone else's layout (or the owner became known): read theirs, during render.
  if (shownKey !== storageKey) {
    setShownKey(storageKey);
    setState(initial());
  }

  const setValue = (next: number) => {
    const clamped = clampSplit(next, min, max);
    latest.current = clamped;
    setState(clamped);
    storeSplit(storageKey, clamped);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const next = splitAfterKey(event.key, value, options);
    if (next === null) return;
    event.preventDefault();
    setValue(next);
  };

  const onPointerDown = (event: PointerEvent<HTMLElement>) => {
    if (event.button !== 0) return;
    const container = event.currentTarget.parentElement;
    if (!container) return;
    event.preventDefault();
    event.currentTarget.focus();
    latest.current = value;
    setDragging(true);
    const move = (e: globalThis.PointerEvent) => {
      const next = splitAtPointer(container.getBoundingClientRect(), e.clientX, e.clientY, options);
      latest.current = next;
      setState(next);
    };
    const end = () => {
      stopDrag.current = null;
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', end);
      window.removeEventListener('pointercancel', end);
      document.documentElement.classList.remove('is-resizing', `is-resizing--${orientation}`);
      setDragging(false);
      storeSplit(storageKey, latest.current);
    };
    stopDrag.current?.();
    stopDrag.current = end;
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', end);
    window.addEventListener('pointercancel', end);
    // Keeps the page from selecting text and shows the resize cursor wherever the pointer is.
    document.documentElement.classList.add('is-resizing', `is-resizing--${orientation}`);
  };

  return {
    value,
    setValue,
    dragging,
    separatorProps: {
      role: 'separator',
      tabIndex: 0,
      'aria-orientation': orientation,
      'aria-valuenow': value,
      'aria-valuemin': min,
      'aria-valuemax': max,
      onKeyDown,
      onPointerDown,
      onDoubleClick: () => setValue(defaultValue),
    },
  };
}
