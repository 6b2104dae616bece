// Unit tests for the interview form's request body.
import { describe, expect, it } from 'vitest';
import { toLocalInput } from '../../lib/format';
import { draftToInterviewInput, emptyInterviewDraft } from './interviewDraft';

const defaults = { default_language: 'python', default_duration_minutes: 60 } as const;

describe('emptyInterviewDraft', () => {
  it("starts from the workspace's language and duration", () => {
    const draft = emptyInterviewDraft({ default_language: 'go', default_duration_minutes: 45 });
    expect(draft.language).toBe('go');
    expect(draft.durationMinutes).toBe('45');
  });
});

describe('draftToInterviewInput', () => {
  it('leaves blank optional fields out when creating', () => {
    const draft = { ...emptyInterviewDraft(defaults), title: ' Screen ', durationMinutes: '' };
    expect(draftToInterviewInput(draft, 'create')).toEqual({ title: 'Screen', language: 'python', question_ids: [] });
  });

  it('sends "" for cleared text fields when editing (null would mean "keep")', () => {
    const draft = { ...emptyInterviewDraft(defaults), title: 'Screen', durationMinutes: '' };
    expect(draftToInterviewInput(draft, 'edit')).toEqual({
      title: 'Screen',
      language: 'python',
      question_ids: [],
      scheduled_at: '',
      candidate_name: '',
      candidate_email: '',
    });
  });

  it('converts the schedule to UTC and the duration to a number', () => {
    const draft = {
      ...emptyInterviewDraft(defaults),
      title: 'T',
      scheduledAt: toLocalInput('2026-12-01T09:00:00Z'),
      durationMinutes: '45',
      candidateName: ' Casey ',
      candidateEmail: 'casey@example.com',
      questionIds: ['q1', 'q2'],
      language: 'rust' as const,
    };
    expect(draftToInterviewInput(draft, 'create')).toEqual({
      title: 'T',
      language: 'rust',
      question_ids: ['q1', 'q2'],
      scheduled_at: '2026-12-01T09:00:00Z',
      duration_minutes: 45,
      candidate_name: 'Casey',
      candidate_email: 'casey@example.com',
    });
  });
});
