// What each timeline event says, in words, for the event list and the scrub bar's tooltips,
// and which group it belongs to (the list's filter and the markers' look). A run is one item
// at its start, told with its outcome (its `run_finished` gives the headline). Integrity
// signals are told as facts — what happened, how long, how much — never as a judgement.
import type { SignalData } from '../../api/playbackTypes';
import type { Role } from '../../api/types';
import { formatDuration } from '../room/timer/interviewClock';
import { runHeadline } from '../room/run/headline';
import { languageLabel, type Tone } from '../room/run/status';
import type { TimedEvent } from './engine/timeline';

export type EventGroup = 'run' | 'code' | 'people' | 'signal' | 'session' | 'notes';

export const EVENT_GROUP_LABELS: Record<EventGroup, string> = {
  run: 'Runs',
  code: 'Questions and languages',
  people: 'Joins and leaves',
  signal: 'Signals',
  session: 'Start, end and controls',
  notes: 'Notes',
};

export interface Person {
  name: string;
  role: Role;
}

/** Who is who, by participant id. */
export type People = ReadonlyMap<string, Person>;

export interface RunOutcome {
  status: string;
  verdict: string | null;
}

/** A timeline event as the page tells it. */
export interface ToldEvent {
  key: string;
  atMs: number;
  group: EventGroup;
  /** One sentence. */
  text: string;
  participantId: string | null;
  /** Runs: which one (its output opens from the list and its marker). */
  runId?: string;
  /** Runs: the headline's tone once it finished. */
  tone?: Tone;
}

const ROLE_WORDS: Record<string, string> = {
  host: 'host',
  interviewer: 'interviewer',
  candidate: 'candidate',
  observer: 'observer',
};

function nameOf(people: People, id: string | null, fallback = 'Someone'): string {
  return (id && people.get(id)?.name) || fallback;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
const seconds = (ms: number) => formatDuration(Math.round(ms / 1000));

/** An integrity signal in words: a fact, never a verdict ("Pasted 240 characters from outside the editor"). */
export function signalText(signal: SignalData): string {
  const length = typeof signal.length === 'number' ? plural(signal.length, 'character') : null;
  const lasted = typeof signal.duration_ms === 'number' ? seconds(signal.duration_ms) : null;
  switch (signal.kind) {
    case 'paste':
      return `Pasted ${length ?? 'text'}${signal.external === true ? ' from outside the editor' : signal.external === false ? ' copied in the editor' : ''}`;
    case 'copy': {
      const share = typeof signal.share === 'number' ? `${Math.round(signal.share * 100)} % of the code` : 'code';
      return `Copied ${share}${length ? ` (${length})` : ''}`;
    }
    case 'tab_hidden':
      return 'Switched away from the tab';
    case 'tab_visible':
      return lasted ? `Came back to the tab after ${lasted}` : 'Came back to the tab';
    case 'focus_lost':
      return 'The window lost focus';
    case 'focus_gained':
      return lasted ? `The window had focus again after ${lasted}` : 'The window had focus again';
    case 'large_insert':
      return `${length ? length.charAt(0).toUpperCase() + length.slice(1) : 'Text'} arrived at once, with no paste reported`;
    default:
      return 'Signal';
  }
}

const CONTROL_WORDS: Record<string, [on: string, off: string]> = {
  editor_locked: ["locked the candidate's editor", "unlocked the candidate's editor"],
  runs_disabled: ['paused running code for the candidate', 'let the candidate run code again'],
  candidate_autocomplete: ["turned the candidate's autocomplete on", "turned the candidate's autocomplete off"],
  auto_end: ['turned on ending when time is up', 'turned off ending when time is up'],
};

function controlText(changes: Record<string, unknown>): string {
  const parts = Object.entries(changes).map(([field, value]) => {
    const words = CONTROL_WORDS[field];
    if (words && typeof value === 'boolean') return value ? words[0] : words[1];
    return `changed ${field.replace(/_/g, ' ')}`;
  });
  return parts.length > 0 ? parts.join(', ') : 'changed the controls';
}

function questionText(questions: readonly { id: string; title: string }[], id: string | null): string {
  const index = id === null ? 0 : questions.findIndex((q) => q.id === id);
  const question = questions[index];
  return question ? `question ${index + 1}: ${question.title}` : 'another question';
}

/**
 * The events as the list tells them, in time order: one item per run (at its start, with its
 * outcome), `run_finished` folded into it.
 */
export function tellEvents(
  events: readonly TimedEvent[],
  people: People,
  questions: readonly { id: string; title: string }[],
): ToldEvent[] {
  const outcomes = new Map<string, RunOutcome>();
  for (const { event } of events)
    if (event.kind === 'run_finished')
      outcomes.set(event.data.run_id, { status: event.data.status, verdict: event.data.verdict });

  const told: ToldEvent[] = [];
  for (const { atMs, event, key } of events) {
    const who = nameOf(people, event.participant_id);
    const base = { key, atMs, participantId: event.participant_id };
    switch (event.kind) {
      case 'started':
        told.push({ ...base, group: 'session', text: 'The interview started' });
        break;
      case 'ended':
        told.push({ ...base, group: 'session', text: 'The interview ended' });
        break;
      case 'joined':
      case 'left': {
        const role = ROLE_WORDS[event.data.role] ?? event.data.role;
        told.push({
          ...base,
          group: 'people',
          text: `${who} (${role}) ${event.kind === 'joined' ? 'joined' : 'left'}`,
        });
        break;
      }
      case 'language_changed': {
        const language = languageLabel(event.data.language);
        told.push({
          ...base,
          group: 'code',
          text: event.participant_id
            ? `${who} switched the language to ${language}`
            : `The language became ${language}`,
        });
        break;
      }
      case 'question_changed':
        told.push({ ...base, group: 'code', text: `${who} opened ${questionText(questions, event.data.question_id)}` });
        break;
      case 'control_changed':
        told.push({ ...base, group: 'session', text: `${who} ${controlText(event.data.changes)}` });
        break;
      case 'run_started': {
        const outcome = outcomes.get(event.data.run_id);
        const headline = outcome
          ? runHeadline(outcome.status, event.data.mode === 'test' ? outcome.verdict : null, null)
          : null;
        const what = event.data.mode === 'test' ? 'ran the tests' : 'ran the code';
        told.push({
          ...base,
          group: 'run',
          text: `${who} ${what} (${languageLabel(event.data.language)})${headline ? ` · ${headline.label}` : ''}`,
          runId: event.data.run_id,
          ...(headline ? { tone: headline.tone } : {}),
        });
        break;
      }
      case 'run_finished':
        break;
      case 'note_edited':
        told.push({ ...base, group: 'notes', text: `${who} edited the notes (${plural(event.data.edits, 'change')})` });
        break;
      case 'signal':
        told.push({ ...base, group: 'signal', text: `${who}: ${signalText(event.data)}` });
        break;
    }
  }
  return told;
}

/** The run events' ids, in time order, numbered as the review numbers them (Run #1 first). */
export function runNumbers(events: readonly TimedEvent[]): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const { event } of events)
    if (event.kind === 'run_started' && !numbers.has(event.data.run_id))
      numbers.set(event.data.run_id, numbers.size + 1);
  return numbers;
}

/** The key of the last event at or before `atMs` (the current one), or null before the first. */
export function currentEventKey(told: readonly ToldEvent[], atMs: number): string | null {
  let low = 0;
  let high = told.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((told[mid] as ToldEvent).atMs <= atMs) low = mid + 1;
    else high = mid;
  }
  return low === 0 ? null : (told[low - 1] as ToldEvent).key;
}
