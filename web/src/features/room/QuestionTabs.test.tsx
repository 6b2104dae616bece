// The question tabs per role: interviewers switch the room's question (through the controls
// API, for everyone); the candidate and observers see which question is active and cannot
// switch.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { InterviewDetail } from '../../api/types';
import type { ActiveQuestion } from './activeQuestion';
import { QuestionTabs } from './QuestionTabs';

const questions = [
  { id: 'q1', title: 'Two sum' },
  { id: 'q2', title: 'Merge intervals' },
] as unknown as InterviewDetail['questions'];

function active(activeId: string): ActiveQuestion {
  return { activeId, choose: vi.fn(() => Promise.resolve()), switching: false, error: null };
}

describe('QuestionTabs', () => {
  it('lets interviewers switch the question for everyone', async () => {
    const state = active('q1');
    render(<QuestionTabs questions={questions} active={state} canSwitch />);
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => t.getAttribute('aria-selected'))).toEqual(['true', 'false']);
    await userEvent.click(screen.getByRole('tab', { name: '2. Merge intervals' }));
    expect(state.choose).toHaveBeenCalledWith('q2');
    // The active tab is already everyone's question: clicking it again sends nothing.
    await userEvent.click(screen.getByRole('tab', { name: '1. Two sum' }));
    expect(state.choose).toHaveBeenCalledTimes(1);
  });

  it('shows the candidate and observers the active question without tabs', () => {
    render(<QuestionTabs questions={questions} active={active('q2')} canSwitch={false} />);
    expect(screen.queryByRole('tab')).toBeNull();
    expect(screen.getByTestId('question-position').textContent).toBe('Question 2 of 2');
  });

  it('shows nothing for a single question', () => {
    const { container } = render(<QuestionTabs questions={questions.slice(0, 1)} active={active('q1')} canSwitch />);
    expect(container.textContent).toBe('');
  });
});
