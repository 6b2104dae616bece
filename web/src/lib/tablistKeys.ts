// Arrow-key support for a role="tablist": Left/Right (and Home/End) move to and activate the
// neighbouring tab, as the WAI-ARIA tabs pattern expects.
import type { KeyboardEvent } from 'react';

export function onTabListKeyDown(e: KeyboardEvent<HTMLElement>): void {
  const keys = ['ArrowLeft', 'ArrowRight', 'Home', 'End'];
  if (!keys.includes(e.key)) return;
  const tabs = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('[role="tab"]:not([disabled])'));
  const current = tabs.findIndex((t) => t === document.activeElement);
  if (current === -1 || tabs.length === 0) return;
  e.preventDefault();
  const last = tabs.length - 1;
  const next =
    e.key === 'Home'
      ? 0
      : e.key === 'End'
        ? last
        : e.key === 'ArrowLeft'
          ? current === 0
            ? last
            : current - 1
          : current === last
            ? 0
            : current + 1;
  const target = tabs[next];
  target?.focus();
  target?.click();
}
