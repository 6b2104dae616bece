// The interview's runs, newest first: who ran what, when, in which language and how it went
// (its headline: a test run's verdict, else its status; from the history's summaries, a page
// at a time). Choosing one shows its output and test results in the panel, which fetches them
// then.
import { headlineOf } from './headline';
import type { PanelState } from './runReducer';
import { languageLabel } from './status';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function when(iso: string | undefined, fallbackMs: number | null): string {
  const date = iso ? new Date(iso) : fallbackMs !== null ? new Date(fallbackMs) : null;
  return date && !Number.isNaN(date.getTime()) ? time.format(date) : '';
}

export interface RunHistoryProps {
  state: PanelState;
  shownId: string | null;
  onSelect: (id: string) => void;
  /** Loading the next (older) page. */
  older: 'idle' | 'loading' | 'error';
  onLoadOlder: () => void;
}

export function RunHistory({ state, shownId, onSelect, older, onLoadOlder }: RunHistoryProps) {
  if (state.order.length === 0) return <p className="muted small run-history__empty">No runs yet.</p>;
  return (
    <>
      <ol className="run-history" data-testid="run-history" aria-label="Run history">
        {state.order.map((id) => {
          const run = state.runs[id];
          if (!run) return null;
          const headline = headlineOf(run);
          return (
            <li key={id}>
              <button
                type="button"
                className="run-history__item"
                aria-current={id === shownId ? 'true' : undefined}
                onClick={() => onSelect(id)}
                data-testid="run-history-item"
              >
                <span className="run-history__who">{run.requestedBy ?? 'Someone'}</span>
                <span className="run-history__what muted small">
                  {run.mode === 'test' ? 'Test' : 'Run'} · {run.language ? languageLabel(run.language) : '…'} ·{' '}
                  {when(run.createdAt ?? undefined, run.queuedAt)}
                </span>
                <span className={`run-pill run-tone--${headline.tone}`} data-testid="run-history-headline">
                  {headline.label}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      {state.olderCursor !== null && (
        <div className="run-history__more">
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={onLoadOlder}
            disabled={older === 'loading'}
            data-testid="run-history-older"
          >
            {older === 'loading' ? 'Loading…' : 'Show older runs'}
          </button>
          {older === 'error' && (
            <span className="small run-tone--danger" role="alert">
              Could not load older runs.
            </span>
          )}
        </div>
      )}
    </>
  );
}
