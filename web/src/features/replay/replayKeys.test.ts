// The shortcuts: what each key does, and where the page leaves keys to the focused control.
import { describe, expect, it } from 'vitest';
import { keyAction, shortcutApplies } from './replayKeys';

const key = (
  k: string,
  mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {},
) => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('keyAction', () => {
  it('maps Space, the arrows (Shift: 30 s), [ ] and Home/End', () => {
    expect(keyAction(key(' '))).toEqual({ type: 'toggle' });
    expect(keyAction(key('ArrowLeft'))).toEqual({ type: 'seekBy', ms: -5_000 });
    expect(keyAction(key('ArrowRight', { shiftKey: true }))).toEqual({ type: 'seekBy', ms: 30_000 });
    expect(keyAction(key('['))).toEqual({ type: 'speed', direction: -1 });
    expect(keyAction(key(']'))).toEqual({ type: 'speed', direction: 1 });
    expect(keyAction(key('Home'))).toEqual({ type: 'start' });
    expect(keyAction(key('End'))).toEqual({ type: 'end' });
    expect(keyAction(key('a'))).toBeNull();
    expect(keyAction(key('ArrowLeft', { ctrlKey: true }))).toBeNull();
  });
});

describe('shortcutApplies', () => {
  const place = (html: string, selector: string) => {
    document.body.innerHTML = html;
    return document.querySelector(selector);
  };
  const toggle = { type: 'toggle' } as const;
  const back = { type: 'seekBy', ms: -5_000 } as const;

  it('acts on the page and leaves fields their keys', () => {
    expect(shortcutApplies(document.body, back)).toBe(true);
    expect(shortcutApplies(place('<input type="text">', 'input'), toggle)).toBe(false);
    expect(shortcutApplies(place('<select></select>', 'select'), back)).toBe(false);
    expect(shortcutApplies(place('<textarea></textarea>', 'textarea'), back)).toBe(false);
  });

  it('leaves Space to buttons and links, and the caret keys to the read-only editor', () => {
    expect(shortcutApplies(place('<button>x</button>', 'button'), toggle)).toBe(false);
    expect(shortcutApplies(place('<button>x</button>', 'button'), back)).toBe(true);
    expect(shortcutApplies(place('<input type="checkbox">', 'input'), back)).toBe(true);
    const editor = place('<div class="monaco-editor"><textarea></textarea></div>', 'textarea');
    expect(shortcutApplies(editor, toggle)).toBe(true);
    expect(shortcutApplies(editor, back)).toBe(false);
  });
});
