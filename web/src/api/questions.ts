// Question bank endpoints (`/api/questions*`).
import { request } from './client';
import type { Category, Question, QuestionFilters, QuestionInput, Uuid } from './types';

export async function listQuestions(filters: QuestionFilters = {}, signal?: AbortSignal): Promise<Question[]> {
  const res = await request<{ questions: Question[] }>('/api/questions', {
    query: {
      workspace: filters.workspace,
      difficulty: filters.difficulty,
      category: filters.category,
      tag: filters.tag,
      q: filters.q,
    },
    ...(signal ? { signal } : {}),
  });
  return res.questions;
}

export async function getQuestion(id: Uuid, signal?: AbortSignal): Promise<Question> {
  const res = await request<{ question: Question }>(
    `/api/questions/${encodeURIComponent(id)}`,
    signal ? { signal } : {},
  );
  return res.question;
}

export async function createQuestion(input: QuestionInput): Promise<Question> {
  const res = await request<{ question: Question }>('/api/questions', { method: 'POST', body: input });
  return res.question;
}

export async function updateQuestion(id: Uuid, input: Partial<QuestionInput>): Promise<Question> {
  const res = await request<{ question: Question }>(`/api/questions/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: input,
  });
  return res.question;
}

export async function deleteQuestion(id: Uuid): Promise<void> {
  await request<undefined>(`/api/questions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Categories of the workspace's questions and the starter library (all the caller's without `workspace`). */
export async function listCategories(workspace?: Uuid, signal?: AbortSignal): Promise<Category[]> {
  const res = await request<{ categories: Category[] }>('/api/questions/categories', {
    query: { workspace },
    ...(signal ? { signal } : {}),
  });
  return res.categories;
}

/** A copy of the question in the workspace, hidden test cases included. */
export async function duplicateQuestion(id: Uuid, workspaceId: Uuid): Promise<Question> {
  const res = await request<{ question: Question }>(`/api/questions/${encodeURIComponent(id)}/duplicate`, {
    method: 'POST',
    body: { workspace_id: workspaceId },
  });
  return res.question;
}
