// Per-case results of a test run: pass/fail, time and memory, and — for cases the viewer may
// see — input, expected and actual output side by side with differing lines marked, and for
// SQL the server's table diff (columns, missing and unexpected rows) above them. Hidden
// cases are "Hidden test #n"; candidates and observers get only pass/fail for them (the server
// has already removed their content).
import { runHeadline } from './headline';
import { sanitizeOutput } from './output';
import type { RunState } from './runReducer';
import { caseOutcome, formatKb, formatMs } from './status';
import type { QuestionView, TestResultView } from './types';

interface Row {
  index: number;
  hidden: boolean;
  status: string;
  passed: boolean | null;
  time_ms: number | null;
  memory_kb: number | null;
  detail: TestResultView | null;
}

/** Rows from the stored result, or from `run_case` events while the run is going. */
export function testRows(run: RunState, question: QuestionView | undefined, isInterviewer: boolean): Row[] {
  if (run.result && run.result.tests.length > 0) {
    return run.result.tests.map((t) => ({ ...t, detail: t }));
  }
  return Object.entries(run.cases)
    .map(([key, c]) => {
      const index = Number(key);
      // Interviewers receive every case of the question, in order, so hidden-ness is known.
      const hidden = isInterviewer ? (question?.test_cases[index]?.hidden ?? false) : false;
      return { index, hidden, ...c, detail: null };
    })
    .sort((a, b) => a.index - b.index);
}

/** How many cases the run has: the stored count, else what the question says. */
export function expectedCaseCount(
  run: RunState,
  question: QuestionView | undefined,
  isInterviewer: boolean,
): number | null {
  if (run.result && run.result.tests.length > 0) return run.result.tests.length;
  if (run.summary?.tests_total) return run.summary.tests_total;
  if (!question) return null;
  return isInterviewer ? question.test_cases.length : question.test_cases.length + (question.hidden_test_count ?? 0);
}

export function TestResults({
  run,
  question,
  isInterviewer,
}: {
  run: RunState;
  question: QuestionView | undefined;
  isInterviewer: boolean;
}) {
  const rows = testRows(run, question, isInterviewer);
  const total = Math.max(expectedCaseCount(run, question, isInterviewer) ?? rows.length, rows.length);
  const passed = rows.filter((r) => r.passed === true).length;
  const done = run.result !== null;
  // Coloured like the run's headline: green only when every case passed.
  const tone = done ? runHeadline(run.status, run.verdict, { passed, total }).tone : 'neutral';

  return (
    <section className="run-tests" aria-label="Test results" data-testid="test-results">
      <p className={`run-tests__summary run-tone--${tone}`} data-testid="test-summary">
        {passed}/{total} passed{done ? '' : ' so far'}
      </p>
      {rows.length === 0 && !done && <p className="muted small">Waiting for the first test case…</p>}
      <ol className="run-tests__list">
        {rows.map((row) => (
          <TestRow key={row.index} row={row} isInterviewer={isInterviewer} />
        ))}
      </ol>
    </section>
  );
}

function TestRow({ row, isInterviewer }: { row: Row; isInterviewer: boolean }) {
  const outcome = caseOutcome(row.status, row.passed, row.detail ?? {});
  const name = row.hidden ? `Hidden test #${row.index + 1}` : `Test #${row.index + 1}`;
  // Candidates and observers get no numbers for hidden cases (the server sends none).
  const restricted = row.hidden && !isInterviewer;
  const head = (
    <>
      <span className={`run-case__mark run-tone--${outcome.tone}`} aria-hidden="true">
        {row.passed === true ? '✓' : row.passed === false ? '✗' : '•'}
      </span>
      <span className="run-case__name">{name}</span>
      <span className={`run-pill run-tone--${outcome.tone}`}>{outcome.label}</span>
      {!restricted && (
        <span className="run-case__stats muted small">
          {formatMs(row.time_ms)} · {formatKb(row.memory_kb)}
        </span>
      )}
    </>
  );
  const detail = row.detail;
  const hasDetail = !restricted && detail !== null && (detail.input != null || detail.actual_output !== null);
  return (
    <li
      className="run-case"
      data-testid="test-case"
      data-hidden={row.hidden ? 'true' : 'false'}
      data-passed={String(row.passed)}
    >
      {hasDetail && detail ? (
        <details>
          <summary className="run-case__head">{head}</summary>
          <CaseDetail detail={detail} />
        </details>
      ) : (
        <div className="run-case__head">{head}</div>
      )}
    </li>
  );
}

function CaseDetail({ detail }: { detail: TestResultView }) {
  const expected = detail.expected_output ?? '';
  const actual = detail.actual_output ?? '';
  const bad = differingLines(expected, actual);
  return (
    <div className="run-case__detail">
      {detail.diff ? (
        <div className="run-case__block" data-testid="table-diff">
          <div className="run-case__label">What differs</div>
          <pre className="run-case__pre run-diff">{sanitizeOutput(detail.diff)}</pre>
        </div>
      ) : null}
      <Block title="Input" text={detail.input ?? ''} />
      <div className="run-case__compare">
        <Block title="Expected" text={expected} />
        <div className="run-case__block">
          <div className="run-case__label">Actual</div>
          <pre className="run-case__pre">
            {splitLines(actual).map((line, i) => (
              <span key={i} className={bad.has(i) ? 'run-diff--bad' : undefined}>
                {sanitizeOutput(line)}
                {'\n'}
              </span>
            ))}
          </pre>
        </div>
      </div>
      {detail.stderr ? <Block title="stderr" text={detail.stderr} tone="stderr" /> : null}
    </div>
  );
}

function Block({ title, text, tone }: { title: string; text: string; tone?: 'stderr' }) {
  return (
    <div className="run-case__block">
      <div className="run-case__label">{title}</div>
      <pre className={`run-case__pre${tone ? ` run-out--${tone}` : ''}`}>
        {text ? sanitizeOutput(text) : <span className="muted">(empty)</span>}
      </pre>
    </div>
  );
}

function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Indices of actual-output lines that differ from the expected line at the same position,
 * compared as the runner does (trailing whitespace and trailing blank lines ignored).
 */
export function differingLines(expected: string, actual: string): Set<number> {
  const trimBlank = (lines: string[]) => {
    const out = lines.map((l) => l.trimEnd());
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  };
  const want = trimBlank(splitLines(expected));
  const got = splitLines(actual).map((l) => l.trimEnd());
  const bad = new Set<number>();
  got.forEach((line, i) => {
    if (i >= want.length ? line !== '' : line !== want[i]) bad.add(i);
  });
  return bad;
}
