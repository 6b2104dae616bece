// Unit tests for the remote-cursor CSS: only hex colours get through and names cannot escape the CSS string.
import { describe, expect, it } from 'vitest';
import { cssString, cursorLabel, normalizeColor, remoteCursorCss } from './cursorStyles';

describe('normalizeColor', () => {
  it('accepts hex colours only', () => {
    expect(normalizeColor('#2563EB')).toBe('#2563eb');
    expect(normalizeColor('#abc')).toBe('#aabbcc');
    expect(normalizeColor('red')).toBeNull();
    expect(normalizeColor('#2563eb;} body{display:none')).toBeNull();
    expect(normalizeColor('url(x)')).toBeNull();
  });
});

describe('cssString', () => {
  it('keeps plain names readable', () => {
    expect(cssString("Ann O'Neil")).toBe('"Ann O\'Neil"');
  });
  it('escapes anything that could end the string or the rule', () => {
    const out = cssString('a"b\\c}\n</style><img>');
    expect(out).toBe('"a\\22 b\\5c c\\7d \\a \\3c \\2f style\\3e \\3c img\\3e "');
    expect(out.slice(1, -1)).not.toMatch(/["{};<>\n]/);
  });
  it('escapes non-ASCII by code point', () => {
    expect(cssString('Zoë 🙂')).toBe('"Zo\\eb  \\1f642 "');
  });
});

describe('cursorLabel', () => {
  it('falls back for blank names and truncates long ones', () => {
    expect(cursorLabel('  ')).toBe('Guest');
    expect(Array.from(cursorLabel('x'.repeat(100)))).toHaveLength(32);
  });
});

describe('remoteCursorCss', () => {
  it('writes one colour and label per client', () => {
    const css = remoteCursorCss([
      { clientId: 42, user: { id: 'p', name: 'Hana "H"', role: 'host', color: '#2563eb' } },
    ]);
    expect(css).toContain('.yRemoteSelection-42{background-color:#2563eb33;}');
    expect(css).toContain('.yRemoteSelectionHead-42{border-color:#2563eb;}');
    expect(css).toContain('.yRemoteSelectionHead-42::after{content:"Hana \\22 H\\22 ";background-color:#2563eb;}');
  });
  it('keeps labels hidden (room.css) except for carets that just arrived', () => {
    const peers = [
      { clientId: 1, user: { id: 'a', name: 'A', role: 'host', color: '#2563eb' } },
      { clientId: 2, user: { id: 'b', name: 'B', role: 'candidate', color: '#16a34a' } },
    ];
    expect(remoteCursorCss(peers)).not.toContain('opacity');
    const css = remoteCursorCss(peers, new Set([2]));
    expect(css).toContain('.monaco-editor .yRemoteSelectionHead-2::after{opacity:1;}');
    expect(css).not.toContain('yRemoteSelectionHead-1::after{opacity');
  });
  it('replaces a hostile colour with a palette colour', () => {
    const css = remoteCursorCss([
      { clientId: 3, user: { id: 'p', name: 'X', role: '', color: 'red;}*{display:none' } },
    ]);
    expect(css).not.toContain('display');
    expect(css).toMatch(/background-color:#[0-9a-f]{6}33;/);
  });
});
