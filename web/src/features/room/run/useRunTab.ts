// Which view of the run panel is open. The person picks a tab; a newly shown run (a new run in
// the room, or one picked from the history) opens on its natural view again.
import { useState } from 'react';
import type { RunState } from './runReducer';
import { naturalTab, openTab, type RunTab } from './runViews';

export function useRunTab(shown: RunState | null): [RunTab, (tab: RunTab) => void] {
  const [chosen, setChosen] = useState<RunTab>('output');
  const shownId = shown?.id ?? null;
  const shownMode = shown?.mode ?? null;
  // The shown run as last rendered; when it changes, the choice is reset during this render
  // (React's "adjust state when a prop changes"), so no frame shows the old tab.
  const shownKey = `${shownId ?? ''}\n${shownMode ?? ''}`;
  const [seenKey, setSeenKey] = useState<string | null>(null);
  if (shownKey !== seenKey) {
    setSeenKey(shownKey);
    if (shownId) setChosen(naturalTab(shownMode));
  }
  return [openTab(chosen, shown), setChosen];
}
