// Binary search over sorted numbers, shared by the engine's lookups by time and by count.

/** How many of `sorted` (non-decreasing) are ≤ `x`. */
export function countAtMost(sorted: readonly number[], x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) <= x) low = mid + 1;
    else high = mid;
  }
  return low;
}
