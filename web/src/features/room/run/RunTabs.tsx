// The run panel's tabs (Output, Tests, History) and the panels they open: an ARIA tablist
// (arrow keys move between tabs) whose panels stay mounted, hidden while another is open.
import type { JSX, ReactNode } from 'react';
import { onTabListKeyDown } from '../../../lib/tablistKeys';
import { tabId, tabPanelId, type RunTab, type RunTabSpec } from './runViews';

export interface RunTabListProps {
  tabs: RunTabSpec[];
  open: RunTab;
  onOpen: (tab: RunTab) => void;
}

export function RunTabList({ tabs, open, onOpen }: RunTabListProps): JSX.Element {
  return (
    <div className="tabs run-panel__tabs" role="tablist" aria-label="Run views" onKeyDown={onTabListKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={tabId(t.id)}
          className="tabs__tab run-panel__tab"
          aria-selected={t.id === open}
          aria-controls={tabPanelId(t.id)}
          tabIndex={t.id === open ? 0 : -1}
          onClick={() => onOpen(t.id)}
        >
          {t.label}
          {t.count !== undefined && <span className="tabs__count">{t.count}</span>}
        </button>
      ))}
    </div>
  );
}

export interface RunTabPanelProps {
  tab: RunTab;
  open: RunTab;
  /** Classes beside `run-panel__tabpanel`. */
  className?: string;
  children: ReactNode;
}

export function RunTabPanel({ tab, open, className, children }: RunTabPanelProps): JSX.Element {
  return (
    <div
      role="tabpanel"
      id={tabPanelId(tab)}
      aria-labelledby={tabId(tab)}
      className={className ? `run-panel__tabpanel ${className}` : 'run-panel__tabpanel'}
      hidden={tab !== open}
    >
      {children}
    </div>
  );
}
