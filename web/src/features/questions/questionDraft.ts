// The editable form state of a question and its conversion to and from the API shapes.
// Test-case rows carry a local `key` so React can keep focus right while rows are added/removed.
import { LANGUAGES, type Difficulty, type Language, type Question, type QuestionInput } from '../../api/types';
import { parseTags } from '../../lib/validation';

export interface TestCaseRow {
  key: string;
  /** The server's id for a case that already exists (kept on edit). */
  id?: string;
  input: string;
  expected_output: string;
  hidden: boolean;
}

export interface QuestionDraft {
  title: string;
  prompt: string;
  difficulty: Difficulty;
  category: string;
  tagsText: string;
  starterCode: Record<Language, string>;
  testCases: TestCaseRow[];
}

let rowCounter = 0;
export function newRowKey(): string {
  rowCounter += 1;
  return `tc-${rowCounter}`;
}

export function emptyTestCase(): TestCaseRow {
  return { key: newRowKey(), input: '', expected_output: '', hidden: false };
}

function emptyStarterCode(): Record<Language, string> {
  const code = {} as Record<Language, string>;
  for (const l of LANGUAGES) code[l] = '';
  return code;
}

export function emptyDraft(): QuestionDraft {
  return {
    title: '',
    prompt: '',
    difficulty: 'easy',
    category: '',
    tagsText: '',
    starterCode: emptyStarterCode(),
    testCases: [emptyTestCase()],
  };
}

export function questionToDraft(q: Question): QuestionDraft {
  const starterCode = emptyStarterCode();
  for (const l of LANGUAGES) starterCode[l] = q.starter_code[l] ?? '';
  return {
    title: q.title,
    prompt: q.prompt,
    difficulty: q.difficulty,
    category: q.category,
    tagsText: q.tags.join(', '),
    starterCode,
    testCases: q.test_cases.map((tc) => ({
      key: newRowKey(),
      id: tc.id,
      input: tc.input,
      expected_output: tc.expected_output,
      hidden: tc.hidden,
    })),
  };
}

/** Drops fully blank test-case rows and empty starter code; trims the text fields. */
export function draftToInput(d: QuestionDraft): QuestionInput {
  const starter_code: Partial<Record<Language, string>> = {};
  for (const l of LANGUAGES) {
    if (d.starterCode[l].trim()) starter_code[l] = d.starterCode[l];
  }
  return {
    title: d.title.trim(),
    prompt: d.prompt,
    difficulty: d.difficulty,
    category: d.category.trim(),
    tags: parseTags(d.tagsText),
    starter_code,
    test_cases: d.testCases
      .filter(isFilled)
      .map(({ id, input, expected_output, hidden }) =>
        id ? { id, input, expected_output, hidden } : { input, expected_output, hidden },
      ),
  };
}

function isFilled(row: TestCaseRow): boolean {
  return Boolean(row.input.trim() || row.expected_output.trim());
}

/**
 * For each editor row, its index in the submitted `test_cases` (blank rows are dropped, so
 * the server's `test_cases[i]` errors must be mapped back), or -1 for a dropped row.
 */
export function submittedIndexes(rows: TestCaseRow[]): number[] {
  let next = 0;
  return rows.map((row) => (isFilled(row) ? next++ : -1));
}

/**
 * Maps server field errors such as `test_cases[2].expected_output` or `test_cases.2.input`
 * to the row index and column, so the editor can show them next to the right cell.
 */
export function testCaseFieldError(
  fields: Record<string, string>,
  index: number,
  column: 'input' | 'expected_output',
): string | undefined {
  return fields[`test_cases[${index}].${column}`] ?? fields[`test_cases.${index}.${column}`];
}
