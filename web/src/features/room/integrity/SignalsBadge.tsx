// The interviewers' quiet view of the candidate's integrity signals, in the room's top bar: a
// plain badge-like button ("2 signals"; no colour of alarm, no sound, nothing announced by
// itself) that opens a list of what was noted, newest first, each with its time into the
// interview and a plain description, under a reminder that a signal is evidence, not a verdict.
// Rendered for hosts and interviewers only (the server sends the events to nobody else). The
// list closes on Escape (focus back on the button) or a click elsewhere; it fits 360 px.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Role } from '../../../api/types';
import { signalEntries, type SignalEntry } from './roomSignals';
import { describeSignalEntry, signalCountText, signalTime } from './signalWords';
import { useRoomSignals } from './useRoomSignals';
import './integrity.css';

export interface SignalsBadgeProps {
  interviewId: string;
  /** The viewer's role: only hosts and interviewers see anything. */
  role: Role | null;
  /** When the interview started (RFC 3339), for times into the interview. */
  startedAt: string | null | undefined;
  /** The interview is still going (someone away may yet come back). */
  live: boolean;
}

export function SignalsBadge({ role, ...props }: SignalsBadgeProps) {
  if (role !== 'host' && role !== 'interviewer') return null;
  return <InterviewerSignals {...props} />;
}

function InterviewerSignals({ interviewId, startedAt, live }: Omit<SignalsBadgeProps, 'role'>) {
  const signals = useRoomSignals(interviewId);
  const entries = useMemo(() => signalEntries(signals), [signals]);
  const [open, setOpen] = useState(false);
  /** How many entries there were when the list was last open: more since then are "new". */
  const [seen, setSeen] = useState(0);
  if (open && seen !== entries.length) setSeen(entries.length);
  const fresh = !open && entries.length > seen;
  const panelId = useId();
  const titleId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const count = signalCountText(entries.length);

  useEffect(() => {
    if (!open) return undefined;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !root.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    event.preventDefault();
    setOpen(false);
    button.current?.focus();
  };

  return (
    <div className="signals" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className={`btn btn--ghost btn--small signals__button${fresh ? ' signals__button--fresh' : ''}`}
        aria-label={`${count}: integrity signals from the candidate's browser`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((was) => !was)}
        data-testid="signals-badge"
        data-count={entries.length}
      >
        {count}
      </button>
      <div
        id={panelId}
        className="signals__panel"
        role="region"
        aria-labelledby={titleId}
        hidden={!open}
        data-testid="signals-panel"
      >
        <h2 className="signals__title" id={titleId}>
          Integrity signals
        </h2>
        <p className="signals__hint">
          Evidence, not a verdict: a paste may be the candidate&apos;s own snippet, a tab switch allowed documentation.
          Ask them about it.
        </p>
        {entries.length === 0 ? (
          <p className="signals__empty">Nothing noted so far.</p>
        ) : (
          <ol className="signals__list" aria-label="Signals, newest first, with their time into the interview">
            {entries
              .map((entry, index) => ({ entry, index }))
              .reverse()
              .map(({ entry, index }) => (
                <SignalItem key={index} entry={entry} startedAt={startedAt} live={live} />
              ))}
          </ol>
        )}
      </div>
    </div>
  );
}

function SignalItem({
  entry,
  startedAt,
  live,
}: {
  entry: SignalEntry;
  startedAt: string | null | undefined;
  live: boolean;
}) {
  const time = signalTime(entry.atMs, startedAt);
  return (
    <li className="signals__item" data-testid="signal-entry" data-type={entry.type}>
      <time className="signals__time" dateTime={new Date(entry.atMs).toISOString()} title={time.clock}>
        {time.label}
      </time>
      <span className="signals__text">{describeSignalEntry(entry, live)}</span>
    </li>
  );
}
