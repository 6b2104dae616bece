// The interviewers' side of the room: the private notes and their own scorecard as two tabs.
// The notes stay mounted while the Scorecard tab is shown (their socket and cursor stay), and
// the scorecard loads the first time its tab is opened, then stays (its autosave with it).
import { useState, type ReactNode } from 'react';
import type { Role } from '../../api/types';
import { onTabListKeyDown } from '../../lib/tablistKeys';
import { ScorecardsSection } from './ScorecardsSection';
import './evaluation.css';

type Tab = 'notes' | 'scorecard';
const LABELS: Record<Tab, string> = { notes: 'Notes', scorecard: 'Scorecard' };

export function RoomSidePanel({
  interviewId,
  role,
  notes,
}: {
  interviewId: string;
  role: Role | null;
  notes: ReactNode;
}) {
  const [tab, setTab] = useState<Tab>('notes');
  const [scorecardOpened, setScorecardOpened] = useState(false);
  const select = (next: Tab) => {
    setTab(next);
    if (next === 'scorecard') setScorecardOpened(true);
  };
  return (
    <div className="room-side" data-testid="room-side">
      <div
        className="tabs tabs--compact room-side__tabs"
        role="tablist"
        aria-label="Interviewer panel"
        onKeyDown={onTabListKeyDown}
      >
        {(['notes', 'scorecard'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            className="tabs__tab"
            id={`room-side-tab-${t}`}
            aria-controls={`room-side-pane-${t}`}
            aria-selected={tab === t}
            tabIndex={tab === t ? 0 : -1}
            onClick={() => select(t)}
          >
            {LABELS[t]}
          </button>
        ))}
      </div>
      <div
        className="room-side__pane"
        id="room-side-pane-notes"
        role="tabpanel"
        aria-labelledby="room-side-tab-notes"
        hidden={tab !== 'notes'}
      >
        {notes}
      </div>
      <div
        className="room-side__pane room-side__pane--scroll"
        id="room-side-pane-scorecard"
        role="tabpanel"
        aria-labelledby="room-side-tab-scorecard"
        hidden={tab !== 'scorecard'}
      >
        {scorecardOpened && <ScorecardsSection interviewId={interviewId} role={role} />}
      </div>
    </div>
  );
}
