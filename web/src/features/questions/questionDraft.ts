// The editable form state of a question and its conversion to and from the API shapes.
// Test-case rows carry a local `key` so React can keep focus right while rows are added/removed.
import { LANGUAGES, type Difficulty, type Language, type Question, type QuestionInput } from '../../api/types';
import type { FieldErrors } from '../../api/client';
import { parseTags, validateQuestion } from '../../lib/validation';

export interface TestCaseRow {
  key: string;
  /** The server's id for a case that already exists (kept on edit). */
  id?: string;
  input: string;
  expected_output: string;
  hidden: boolean;
  /** SQL answers: whether the result's rows must come in the expected order. */
  ordered: boolean;
}

export interface QuestionDraft {
  title: string;
  prompt: string;
  difficulty: Difficulty;
  category: string;
  tagsText: string;
  starterCode: Record<Language, string>;
  testCases: TestCaseRow[];
  /** The SQL schema of a question answered in SQL; blank for none. */
  sqlSchema: string;
}

let rowCounter = 0;
export function newRowKey(): string {
  rowCounter += 1;
  return `tc-${rowCounter}`;
}

export function emptyTestCase(): TestCaseRow {
  return { key: newRowKey(), input: '', expected_output: '', hidden: false, ordered: true };
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
    // No blank row to start with: a row is there because someone added it, and is then sent.
    testCases: [],
    sqlSchema: '',
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
      ordered: tc.ordered ?? true,
    })),
    sqlSchema: q.sql_schema ?? '',
  };
}

/** Sends every test-case row (a blank new one is refused by `validateQuestionDraft`), drops empty starter code, trims the text fields. */
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
    test_cases: d.testCases.map(({ id, input, expected_output, hidden, ordered }) =>
      id ? { id, input, expected_output, hidden, ordered } : { input, expected_output, hidden, ordered },
    ),
    // Blank removes the schema (the server stores none).
    sql_schema: d.sqlSchema,
  };
}

/** Whether the question is answered in SQL: it has a schema or a SQL starter. */
export function isSqlDraft(d: QuestionDraft): boolean {
  return d.sqlSchema.trim() !== '' || d.starterCode.sql.trim() !== '';
}

export const BLANK_TEST_CASE = 'This test case is empty: fill in its input or expected output, or remove it.';

/**
 * The form's checks: the details (lib/validation) and no blank new test case, so that nothing
 * typed is lost and nothing blank is saved unnoticed. A saved case left blank on purpose (it has
 * an id) stays as it is. Errors come under the server's names, `test_cases[i].input`.
 */
export function validateQuestionDraft(d: QuestionDraft): FieldErrors {
  const errors = validateQuestion(d.title, d.prompt, d.category);
  d.testCases.forEach((row, i) => {
    if (!row.id && !row.input.trim() && !row.expected_output.trim()) errors[`test_cases[${i}].input`] = BLANK_TEST_CASE;
  });
  return errors;
}

/** The control id of the first test-case cell with an error, for focus. */
export function firstTestCaseErrorId(rows: TestCaseRow[], fields: FieldErrors): string | undefined {
  for (const [i, row] of rows.entries()) {
    if (testCaseFieldError(fields, i, 'input')) return `${row.key}-input`;
    if (testCaseFieldError(fields, i, 'expected_output')) return `${row.key}-expected`;
  }
  return undefined;
}

/** Whether an error key belongs to the test case at `index` (both of the server's spellings). */
export function isTestCaseErrorOf(key: string, index: number): boolean {
  return key.startsWith(`test_cases[${index}].`) || key.startsWith(`test_cases.${index}.`);
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
