// Loads what the replay needs and keeps it current: the interview (who may replay it: host and
// interviewers), its timeline, and the code and notes documents' histories, built into
// DocHistory engines a slice at a time (the page stays responsive and shows progress). While
// the interview is live it polls all of it every 5 s and appends what is new; a listing that
// no longer starts with what was applied (the server merged entries) is built again.
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { getInterview } from '../../api/interviews';
import type { HistoryEntry } from '../../api/playbackTypes';
import type { InterviewDetail } from '../../api/types';
import { DocHistory } from './engine/docHistory';
import { timedEvents, type TimedEvent } from './engine/timeline';
import { getHistoryEntries, getTimeline } from '../../api/playback';

export const LIVE_POLL_MS = 5_000;
/** Entries applied between two yields to the browser while building. */
const BUILD_SLICE = 2_000;

export interface ReplayData {
  detail: InterviewDetail;
  code: DocHistory;
  notes: DocHistory;
  events: TimedEvent[];
  /** Grows whenever new entries or events arrived (the engines grow in place). */
  version: number;
  /** When the data was last fetched (client clock, ms): "now" for a live interview. */
  fetchedAtMs: number;
  /** The last refresh failed (the data shown is older); null when it worked. */
  refreshError: string | null;
}

export type ReplayLoad =
  | { phase: 'loading'; progress: number | null }
  | { phase: 'forbidden' }
  | { phase: 'error'; error: unknown }
  | { phase: 'ready'; data: ReplayData };

export function canReplay(detail: InterviewDetail): boolean {
  const role = detail.interview.my_role;
  return role === 'host' || role === 'interviewer';
}

const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Applies `entries` to `history` a slice at a time, yielding to the browser in between. */
async function appendInSlices(
  history: DocHistory,
  entries: readonly HistoryEntry[],
  signal: AbortSignal,
  onSlice: (applied: number) => void,
): Promise<void> {
  for (let from = 0; from < entries.length && !signal.aborted; from += BUILD_SLICE) {
    history.append(entries.slice(from, from + BUILD_SLICE));
    onSlice(Math.min(entries.length, from + BUILD_SLICE));
    if (from + BUILD_SLICE < entries.length) await nextFrame();
  }
}

export function useReplayData(interviewId: string): { load: ReplayLoad; retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ key: string; load: ReplayLoad }>({
    key: `${interviewId}#${attempt}`,
    load: { phase: 'loading', progress: null },
  });
  // A new interview (or a retry) starts over: adjusted while rendering, not in the effect.
  const key = `${interviewId}#${attempt}`;
  if (state.key !== key) setState({ key, load: { phase: 'loading', progress: null } });

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const show = (load: ReplayLoad) => {
      if (!signal.aborted) setState({ key, load });
    };

    const run = async () => {
      let detail = await getInterview(interviewId, { signal });
      if (!canReplay(detail)) return show({ phase: 'forbidden' });
      // Grown in place: each refresh asks for the entries after the last one applied (the
      // history of an interview only grows).
      const code = new DocHistory();
      const notes = new DocHistory();
      let events: TimedEvent[] = [];
      let version = 0;

      const refresh = async (first: boolean) => {
        const fetchedAtMs = Date.now();
        const [timeline, codeListing, notesListing, fresh] = await Promise.all([
          getTimeline(interviewId, { signal }),
          getHistoryEntries(interviewId, 'code', code.lastSeq ?? 0, signal),
          getHistoryEntries(interviewId, 'notes', notes.lastSeq ?? 0, signal),
          first ? detail : getInterview(interviewId, { signal }),
        ]);
        detail = fresh;
        const total = codeListing.entries.length + notesListing.entries.length;
        const before = code.length + notes.length;
        const progress = (applied: number) => {
          if (first && total > BUILD_SLICE) show({ phase: 'loading', progress: applied / total });
        };
        await appendInSlices(code, codeListing.entries, signal, progress);
        await appendInSlices(notes, notesListing.entries, signal, (applied) => progress(code.length + applied));
        if (first || code.length + notes.length !== before || timeline.length !== events.length) {
          events = timedEvents(timeline);
          version++;
        }
        show({ phase: 'ready', data: { detail, code, notes, events, version, fetchedAtMs, refreshError: null } });
      };

      await refresh(true);
      while (detail.interview.status === 'live') {
        await sleep(LIVE_POLL_MS, signal);
        if (signal.aborted) return;
        try {
          await refresh(false);
        } catch (error) {
          if (signal.aborted) return;
          // Access gone (removed from the interview): say so. Anything else: keep what is shown and try again.
          if (error instanceof ApiError && (error.status === 403 || error.status === 404)) throw error;
          const refreshError = errorMessage(error);
          setState((current) =>
            current.key === key && current.load.phase === 'ready'
              ? { key, load: { phase: 'ready', data: { ...current.load.data, refreshError } } }
              : current,
          );
        }
      }
    };

    run().catch((error: unknown) => {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status === 403) show({ phase: 'forbidden' });
      else show({ phase: 'error', error });
    });
    return () => controller.abort();
  }, [interviewId, key]);

  return {
    load: state.key === key ? state.load : { phase: 'loading', progress: null },
    retry: () => setAttempt((n) => n + 1),
  };
}
