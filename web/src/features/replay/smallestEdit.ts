// The one edit between two versions of a text (their common start and end kept): how the
// replay's editor moves from one moment to the next without resetting its view. Never cuts a
// surrogate pair (an emoji) in two.

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** The single edit that turns `before` into `after`: [start, end of the replaced part in `before`, new text]. */
export function smallestEdit(before: string, after: string): [number, number, string] {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && isHigh(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (
    end < shorter - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  if (end > 0 && isLow(before.charCodeAt(before.length - end))) end--;
  return [start, before.length - end, after.slice(start, after.length - end)];
}
