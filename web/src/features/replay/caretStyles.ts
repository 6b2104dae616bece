// Per-author CSS for the replay's carets (Monaco decorations with the class
// `replay-caret replay-caret-{slot}`): each author's colour on the 2 px caret and on the name
// label, which shows while they are typing (replay.css). Names are user-written: they only
// ever appear inside a CSS string, escaped by the room's `cssString`, and the result is a
// <style> element's text (never parsed as HTML).
import { cssString, cursorLabel, normalizeColor } from '../room/collab/cursorStyles';

export interface CaretStyle {
  slot: number;
  name: string;
  color: string;
}

export function caretCss(styles: readonly CaretStyle[]): string {
  return styles
    .filter((style) => Number.isSafeInteger(style.slot) && style.slot >= 0)
    .map(({ slot, name, color }) => {
      const hex = normalizeColor(color) ?? '#4f46e5';
      return (
        `.replay-caret-${slot}{border-color:${hex};}\n` +
        `.replay-caret-${slot}::after{content:${cssString(cursorLabel(name))};background-color:${hex};}`
      );
    })
    .join('\n');
}
