// Everything that happened, in order, with its time since the start: each item seeks there;
// a run also opens its output. The item at (or last before) the playhead is marked current and
// kept in view inside the list's own scroll box (the page never scrolls for it). A filter picks
// one group (runs, signals, joins and leaves…). Rendered again only when the current item or
// the list changes, not on every frame of playback.
import { memo, useEffect, useId, useRef, useState } from 'react';
import { EmptyState } from '../../components/PageHeader';
import { EVENT_GROUP_LABELS, type EventGroup, type ToldEvent } from './eventWords';
import { clockText } from './replayTime';

export interface EventListProps {
  told: readonly ToldEvent[];
  startMs: number;
  currentKey: string | null;
  runNumbers: ReadonlyMap<string, number>;
  onSeek: (atMs: number) => void;
  onOpenRun: (runId: string, atMs: number) => void;
}

type Filter = EventGroup | 'all';

export const EventList = memo(function EventList({
  told,
  startMs,
  currentKey,
  runNumbers,
  onSeek,
  onOpenRun,
}: EventListProps) {
  const [filter, setFilter] = useState<Filter>('all');
  const filterId = useId();
  const box = useRef<HTMLOListElement>(null);
  const groups = (Object.keys(EVENT_GROUP_LABELS) as EventGroup[]).filter((group) =>
    told.some((event) => event.group === group),
  );
  const shown = filter === 'all' ? told : told.filter((event) => event.group === filter);

  useEffect(() => {
    const list = box.current;
    const item = list?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!list || !item) return;
    const top = item.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
  }, [currentKey, filter]);

  if (told.length === 0) return <EmptyState title="Nothing on the timeline">No events were recorded.</EmptyState>;
  return (
    <div className="replay-events">
      <div className="replay-events__filter">
        <label htmlFor={filterId} className="muted small">
          Show
        </label>
        <select
          id={filterId}
          className="select select--small"
          value={filter}
          onChange={(event) => setFilter(event.target.value as Filter)}
          data-testid="replay-event-filter"
        >
          <option value="all">Everything ({told.length})</option>
          {groups.map((group) => (
            <option key={group} value={group}>
              {EVENT_GROUP_LABELS[group]} ({told.filter((event) => event.group === group).length})
            </option>
          ))}
        </select>
      </div>
      <ol ref={box} className="replay-events__list" aria-label="Timeline events" data-testid="replay-events">
        {shown.map((event) => {
          const current = event.key === currentKey;
          const number = event.runId ? runNumbers.get(event.runId) : undefined;
          return (
            <li
              key={event.key}
              className={`replay-event replay-event--${event.group}${current ? ' replay-event--current' : ''}`}
              aria-current={current ? 'true' : undefined}
              data-testid="replay-event"
            >
              <button type="button" className="replay-event__seek" onClick={() => onSeek(event.atMs)}>
                <span className="replay-event__time">{clockText(event.atMs - startMs)}</span>
                <span className={`replay-event__text${event.tone ? ` run-tone--${event.tone}` : ''}`}>
                  {number !== undefined && <strong>#{number} </strong>}
                  {event.text}
                </span>
              </button>
              {event.runId && (
                <button
                  type="button"
                  className="btn btn--ghost btn--small replay-event__open"
                  onClick={() => onOpenRun(event.runId as string, event.atMs)}
                  aria-label={`Show the output of run #${number ?? ''}`}
                >
                  Output
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
});
