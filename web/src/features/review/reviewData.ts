// What the review page shows, in one shape for every viewer. Interviewers get it from the
// summary export's JSON (final code, every run in full with hidden cases, the notes); observers,
// who may not export, from the interview and its run history (runs are fetched one at a time
// when opened, as they may see them; no notes, no final code).
import { getInterview } from '../../api/interviews';
import { getSummary } from '../../api/summary';
import type { Difficulty, InterviewDetail, InterviewSummary, Role } from '../../api/types';
import { listRuns } from '../room/run/api';
import type { Tally } from '../room/run/runReducer';
import type { RunSummary, RunView } from '../room/run/types';

/** Pages of the history an observer's review reads at most (20 runs a page: the newest 200, as the summary). */
const OBSERVER_HISTORY_PAGES = 10;

export interface ReviewRun {
  id: string;
  status: string;
  mode: string;
  language: string;
  requestedBy: string;
  createdAt: string;
  verdict: string | null;
  questionId: string | null;
  interviewersOnly: boolean;
  tally: Tally | null;
  /** The whole run when the review has it already (interviewers); else fetched when opened. */
  full: RunView | null;
}

export interface ReviewQuestion {
  id: string;
  title: string;
  difficulty: Difficulty;
  prompt: string;
  /** null: this viewer does not get the final code here (observers). */
  finalCode: string | null;
}

export interface ReviewData {
  role: Role;
  /** The interviewers' view: final code, full runs, notes, exports. */
  full: boolean;
  interview: InterviewDetail['interview'];
  participants: { id: string; name: string; role: Role }[];
  questions: ReviewQuestion[];
  /** The code of an interview without questions (interviewers only). */
  codeWithoutQuestion: string | null;
  /** Newest first. */
  runs: ReviewRun[];
  olderRunsLeftOut: boolean;
  /** null: not for this viewer. */
  notes: string | null;
  scores: InterviewSummary['scores'] | null;
}

export function reviewRunOfView(view: RunView): ReviewRun {
  const tests = view.tests;
  return {
    id: view.id,
    status: view.status,
    mode: view.mode,
    language: view.language,
    requestedBy: view.requested_by,
    createdAt: view.created_at,
    verdict: view.verdict,
    questionId: view.question_id,
    interviewersOnly: view.interviewers_only,
    tally: tests.length > 0 ? { passed: tests.filter((t) => t.passed === true).length, total: tests.length } : null,
    full: view,
  };
}

export function reviewRunOfSummary(summary: RunSummary): ReviewRun {
  const { tests_passed: passed, tests_total: total } = summary;
  return {
    id: summary.id,
    status: summary.status,
    mode: summary.mode,
    language: summary.language,
    requestedBy: summary.requested_by,
    createdAt: summary.created_at,
    verdict: summary.verdict,
    questionId: summary.question_id,
    interviewersOnly: summary.interviewers_only,
    tally: passed !== null && total !== null ? { passed, total } : null,
    full: null,
  };
}

/** The review of an interviewer: the interview's detail plus its summary. */
export function reviewOfSummary(detail: InterviewDetail, summary: InterviewSummary): ReviewData {
  return {
    role: detail.interview.my_role,
    full: true,
    interview: detail.interview,
    participants: summary.participants,
    questions: summary.questions.map((q) => ({
      id: q.id,
      title: q.title,
      difficulty: q.difficulty,
      prompt: q.prompt,
      finalCode: q.final_code,
    })),
    codeWithoutQuestion: summary.code_without_question,
    runs: summary.runs.map(reviewRunOfView),
    olderRunsLeftOut: summary.older_runs_left_out,
    notes: summary.notes,
    scores: summary.scores,
  };
}

/** The review of an observer: the interview's detail and its run history. */
export function reviewOfHistory(detail: InterviewDetail, runs: RunSummary[], more: boolean): ReviewData {
  return {
    role: detail.interview.my_role,
    full: false,
    interview: detail.interview,
    participants: detail.participants.map((p) => ({ id: p.id, name: p.name, role: p.role })),
    questions: detail.questions.map((q) => ({
      id: q.id,
      title: q.title,
      difficulty: q.difficulty,
      prompt: q.prompt,
      finalCode: null,
    })),
    codeWithoutQuestion: null,
    runs: runs.map(reviewRunOfSummary),
    olderRunsLeftOut: more,
    notes: null,
    scores: null,
  };
}

export function isInterviewerRole(role: Role): boolean {
  return role === 'host' || role === 'interviewer';
}

/** Loads the review as the caller may see it (the detail first: it says who they are). */
export async function loadReview(id: string, signal: AbortSignal): Promise<ReviewData> {
  const detail = await getInterview(id, { signal });
  if (detail.interview.status !== 'ended') return reviewOfHistory(detail, [], false);
  if (isInterviewerRole(detail.interview.my_role)) return reviewOfSummary(detail, await getSummary(id, signal));
  const runs: RunSummary[] = [];
  let before: string | undefined;
  for (let page = 0; page < OBSERVER_HISTORY_PAGES; page++) {
    const list = await listRuns(id, signal, before);
    runs.push(...list.runs);
    const last = list.runs[list.runs.length - 1];
    if (!list.next || !last) return reviewOfHistory(detail, runs, false);
    before = last.id;
  }
  return reviewOfHistory(detail, runs, true);
}

/** The final code a run is compared with: its question's, else the first question's (the shared
 *  `code` text), else the code of an interview without questions. */
export function finalCodeFor(review: ReviewData, run: ReviewRun): string | null {
  const own = run.questionId ? review.questions.find((q) => q.id === run.questionId) : undefined;
  return own?.finalCode ?? review.questions[0]?.finalCode ?? review.codeWithoutQuestion;
}
