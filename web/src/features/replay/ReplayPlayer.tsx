// The replay itself, once its data is in: the read-only editor with the code as it was at the
// playhead (the question the room had open, or one picked here; the language of that moment;
// each author's caret in their room colour), the controls and the scrub bar under it, and
// beside it (below it on narrow screens) the run opened from a marker, the notes as they were
// then and the list of events. Keyboard shortcuts act anywhere on the page (replayKeys.ts).
// While the interview is live the playhead can follow it ("Live") as the data refreshes.
import { lazy, Suspense, useCallback, useEffect, useEffectEvent, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { LANGUAGES, type Language } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { languageLabel } from '../room/run/status';
import { activeQuestionId, codeTextName } from '../room/collab/codeTexts';
import { caretCss } from './caretStyles';
import { participantColor } from './engine/participantColor';
import { initialPlayback, seek, stepSpeed, togglePlaying, type Span } from './engine/playback';
import { PlayTimeMap, idleStretches } from './engine/playTime';
import { QuestionTrack, sessionBounds } from './engine/timeline';
import { EventList } from './EventList';
import { currentEventKey, runNumbers, tellEvents, type People } from './eventWords';
import { markersOf, type Marker } from './markers';
import type { ReplayCaret } from './ReplayEditor';
import { keyAction, REPLAY_SHORTCUTS, shortcutApplies, type KeyAction } from './replayKeys';
import { ReplayRun } from './ReplayRun';
import { clockText, openingSecond } from './replayTime';
import { ScrubBar } from './ScrubBar';
import { Transport } from './Transport';
import { usePlayback } from './usePlayback';
import type { ReplayData } from './useReplayData';

const ReplayEditor = lazy(() => import('./ReplayEditor'));

/** An author's name label shows while their latest change is this recent at the playhead. */
const CARET_LABEL_MS = 8_000;
/** The colour class of an author who is not (or no longer) a participant. */
const UNKNOWN_AUTHOR = { name: 'Former participant', color: '#6b7280' };
const FOLLOW_ROOM = 'room';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function ReplayPlayer({ data }: { data: ReplayData }) {
  const { interview, questions, participants } = data.detail;
  const live = interview.status === 'live';
  const questionPickerId = useId();

  const people: People = useMemo(
    () => new Map(participants.map((p) => [p.id, { name: p.name, role: p.role }])),
    [participants],
  );
  const slots = useMemo(() => new Map(participants.map((p, index) => [p.id, index])), [participants]);
  const caretStyles = useMemo(
    () =>
      caretCss([
        ...participants.map((p, slot) => ({ slot, name: p.name, color: participantColor(p.id) })),
        { slot: participants.length, ...UNKNOWN_AUTHOR },
      ]),
    [participants],
  );
  const questionIds = useMemo(() => questions.map((q) => q.id), [questions]);

  // The session's span and its idle stretches (they grow with a live interview's data).
  const bounds = useMemo(
    () =>
      sessionBounds({
        startedAt: interview.started_at ?? null,
        endedAt: interview.ended_at ?? null,
        firstActivityMs: Math.min(
          data.code.timeOf(0) ?? Infinity,
          data.notes.timeOf(0) ?? Infinity,
          data.events[0]?.atMs ?? Infinity,
        ),
        lastCodeMs: data.code.timeOf(data.code.length - 1) ?? null,
        lastActivityMs: Math.max(
          data.code.timeOf(data.code.length - 1) ?? -Infinity,
          data.events[data.events.length - 1]?.atMs ?? -Infinity,
        ),
        nowMs: data.fetchedAtMs,
      }),
    [data, interview.started_at, interview.ended_at],
  );
  const stretches = useMemo(
    () =>
      idleStretches(
        [...data.code.entryTimes(), ...data.notes.entryTimes(), ...data.events.map((e) => e.atMs)],
        bounds.startMs,
        bounds.endMs,
      ),
    [data, bounds],
  );
  const [skipIdle, setSkipIdle] = useState(true);
  const span: Span = useMemo(
    () => ({ ...bounds, map: new PlayTimeMap(bounds.startMs, bounds.endMs, skipIdle ? stretches : []) }),
    [bounds, stretches, skipIdle],
  );

  // The clock: from `?t=` (seconds since the start) when given, else the start (the end while
  // live, following it: the playhead then stays at the end).
  const [searchParams] = useSearchParams();
  const [opening] = useState(() => openingSecond(searchParams.get('t')));
  const [playback, setPlayback] = usePlayback(span, () =>
    initialPlayback(opening !== null ? bounds.startMs + opening * 1000 : live ? bounds.endMs : bounds.startMs),
  );
  const [following, setFollowing] = useState(live && opening === null);
  const followingNow = live && following;
  if (followingNow && (playback.positionMs !== span.endMs || playback.playing))
    setPlayback({ ...playback, positionMs: span.endMs, playing: false });
  const positionMs = Math.min(Math.max(playback.positionMs, span.startMs), span.endMs);

  const seekTo = useCallback(
    (ms: number) => {
      setFollowing(live && ms >= span.endMs);
      setPlayback((current) => seek(current, ms, span));
    },
    [live, span, setPlayback],
  );
  const toggle = () => {
    setFollowing(false);
    setPlayback((current) => togglePlaying(followingNow ? { ...current, positionMs: span.endMs } : current, span));
  };

  // What the playhead shows.
  const codeState = useMemo(() => data.code.stateAt(positionMs), [data, positionMs]);
  const notesText = useMemo(
    // At the end: the final notes, including those written after the interview ended.
    () => data.notes.stateAt(positionMs >= span.endMs ? Infinity : positionMs).texts.get('notes') ?? '',
    [data, positionMs, span.endMs],
  );
  const questionTrack = useMemo(() => new QuestionTrack(data.events), [data]);
  const [questionChoice, setQuestionChoice] = useState<string>(FOLLOW_ROOM);
  const roomQuestion = activeQuestionId(questionIds, questionTrack.questionAt(positionMs));
  const shownQuestion = questionChoice === FOLLOW_ROOM ? roomQuestion : questionChoice;
  const textName = codeTextName(questionIds, shownQuestion);
  const text = codeState.texts.get(textName) ?? '';
  const language = isLanguage(codeState.language) ? codeState.language : interview.language;
  const questionIndex = questions.findIndex((q) => q.id === shownQuestion);

  const authors = useMemo(() => {
    const byAuthor = codeState.cursors.get(textName);
    if (!byAuthor) return [];
    let latest: string | null = null;
    let latestAt = -Infinity;
    for (const [id, cursor] of byAuthor)
      if (cursor.atMs > latestAt) {
        latest = id;
        latestAt = cursor.atMs;
      }
    return [...byAuthor].map(([id, cursor]) => ({
      id,
      name: people.get(id)?.name ?? UNKNOWN_AUTHOR.name,
      color: people.has(id) ? participantColor(id) : UNKNOWN_AUTHOR.color,
      caret: {
        slot: slots.get(id) ?? participants.length,
        index: Math.min(cursor.index, text.length),
        recent: positionMs - cursor.atMs < CARET_LABEL_MS,
        latest: id === latest,
      } satisfies ReplayCaret,
    }));
  }, [codeState, textName, text.length, positionMs, people, slots, participants.length]);
  const carets = useMemo(() => authors.map((author) => author.caret), [authors]);

  // The timeline: words, markers, the current event, and the run opened from it.
  const told = useMemo(() => tellEvents(data.events, people, questions), [data, people, questions]);
  const markers = useMemo(() => markersOf(told, span.startMs, span.endMs), [told, span.startMs, span.endMs]);
  const numbers = useMemo(() => runNumbers(data.events), [data]);
  const currentKey = currentEventKey(told, positionMs);
  const [shownRun, setShownRun] = useState<{ id: string; atMs: number } | null>(null);
  const openRun = useCallback(
    (runId: string, atMs: number) => {
      seekTo(atMs);
      setPlayback((current) => ({ ...current, playing: false }));
      setShownRun({ id: runId, atMs });
    },
    [seekTo, setPlayback],
  );
  const onMarker = useCallback(
    (marker: Marker) => (marker.runId ? openRun(marker.runId, marker.atMs) : seekTo(marker.atMs)),
    [openRun, seekTo],
  );

  // Keyboard shortcuts, anywhere on the page.
  const perform = (action: KeyAction) => {
    if (action.type === 'toggle') toggle();
    else if (action.type === 'seekBy') seekTo(positionMs + action.ms);
    else if (action.type === 'speed') setPlayback((current) => stepSpeed(current, action.direction));
    else seekTo(action.type === 'start' ? span.startMs : span.endMs);
  };
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented) return;
    const action = keyAction(event);
    if (!action || !shortcutApplies(event.target, action)) return;
    event.preventDefault();
    perform(action);
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const elapsedMs = positionMs - span.startMs;
  const nothingYet = data.code.length === 0;
  return (
    <div className="replay__layout">
      <style>{caretStyles}</style>
      <section className="replay__stage" aria-label="Code replay">
        <div className="replay__toolbar">
          {questions.length > 1 ? (
            <label className="replay__question" htmlFor={questionPickerId}>
              <span className="muted small">Question</span>
              <select
                id={questionPickerId}
                className="select select--small"
                value={questionChoice}
                onChange={(event) => setQuestionChoice(event.target.value)}
                data-testid="replay-question"
              >
                <option value={FOLLOW_ROOM}>As in the room</option>
                {questions.map((q, index) => (
                  <option key={q.id} value={q.id}>
                    {index + 1}. {q.title}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <span className="replay__shown muted small" data-testid="replay-shown-question">
            {questionIndex >= 0
              ? `Question ${questionIndex + 1} of ${questions.length}: ${questions[questionIndex]?.title ?? ''}`
              : 'Code'}
          </span>
          <span className="badge" data-testid="replay-language">
            {languageLabel(language)}
          </span>
          <ul className="replay__authors" aria-label="Authors of this code" data-testid="replay-authors">
            {authors.map((author) => (
              <li key={author.id} className={author.caret.recent ? 'replay__author--typing' : undefined}>
                <span className="replay__swatch" style={{ background: author.color }} aria-hidden="true" />
                {author.name}
                {author.caret.recent && <span className="muted small"> typing</span>}
              </li>
            ))}
          </ul>
        </div>
        <div className="replay__editor">
          {nothingYet ? (
            <EmptyState title="No code yet">
              {live
                ? 'Nobody has written code yet; this refreshes every few seconds.'
                : 'Nobody wrote code in this interview.'}
            </EmptyState>
          ) : (
            <Suspense fallback={<LoadingBlock label="Loading the editor…" />}>
              <ReplayEditor
                text={text}
                language={language}
                carets={carets}
                ariaLabel={`Code at ${clockText(elapsedMs)} (read only)`}
              />
            </Suspense>
          )}
        </div>
        <Transport
          playing={playback.playing}
          elapsedMs={elapsedMs}
          totalMs={span.endMs - span.startMs}
          speed={playback.speed}
          skipIdle={skipIdle}
          following={live ? followingNow : null}
          disabled={span.endMs <= span.startMs}
          onToggle={toggle}
          onSpeed={(speed) => setPlayback((current) => ({ ...current, speed }))}
          onSkipIdle={setSkipIdle}
          onFollow={(follow) => (follow ? seekTo(span.endMs) : setFollowing(false))}
        />
        <ScrubBar
          startMs={span.startMs}
          endMs={span.endMs}
          positionMs={positionMs}
          markers={markers}
          idle={skipIdle ? stretches : []}
          onSeek={seekTo}
          onMarker={onMarker}
        />
        <p className="replay__keys muted small" data-testid="replay-keys">
          {REPLAY_SHORTCUTS.map((shortcut, index) => (
            <span key={shortcut.keys}>
              {index > 0 && ' · '}
              <kbd>{shortcut.keys}</kbd> {shortcut.what}
            </span>
          ))}
        </p>
        {data.refreshError && (
          <Alert tone="warning" title="Could not refresh the replay.">
            {data.refreshError} It tries again every few seconds.
          </Alert>
        )}
      </section>
      <div className="replay__side">
        {shownRun && (
          <ReplayRun
            key={shownRun.id}
            runId={shownRun.id}
            number={numbers.get(shownRun.id)}
            atMs={shownRun.atMs - span.startMs}
            onClose={() => setShownRun(null)}
          />
        )}
        <Card title="Notes" aside={<span className="muted small">at {clockText(elapsedMs)}</span>}>
          {data.notes.length === 0 ? (
            <p className="muted">No notes were written.</p>
          ) : notesText.trim() ? (
            <pre className="replay-notes" tabIndex={0} aria-label="Notes at the playhead" data-testid="replay-notes">
              {notesText}
            </pre>
          ) : (
            <p className="muted" data-testid="replay-notes">
              No notes yet at this moment.
            </p>
          )}
        </Card>
        <Card title="Timeline" aside={<span className="muted small">{told.length}</span>}>
          <EventList
            told={told}
            startMs={span.startMs}
            currentKey={currentKey}
            runNumbers={numbers}
            onSeek={seekTo}
            onOpenRun={openRun}
          />
        </Card>
      </div>
    </div>
  );
}
