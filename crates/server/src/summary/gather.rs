//! Gathers an interview's summary from the store and the live documents: participants, the
//! questions with their final code, the newest runs as an interviewer sees them (hidden test
//! cases in full), the candidate's integrity signals, the notes and the scores. Run text is bounded by one budget
//! (`text::MAX_RUN_TEXT_BYTES`), spent on the newest runs first.

use chrono::Utc;
use codeview_collab::DocKind;
use uuid::Uuid;

use super::scores::scores_for_summary;
use super::text::{MAX_RUN_TEXT_BYTES, TextBudget};
use super::{InterviewSummary, MAX_SUMMARY_RUNS, SummaryInterview, SummaryParticipant, SummaryQuestion, SummarySignal};
use crate::db::InterviewRecord;
use crate::domain::{Language, Role};
use crate::error::AppResult;
use crate::realtime::types::DocKey;
use crate::runs::views::RunView;
use crate::state::AppState;
use crate::timeline::event::TimelineDetail;

/// The summary of `interview`, as of now.
pub async fn gather_summary(state: &AppState, interview: InterviewRecord) -> AppResult<InterviewSummary> {
    let id = interview.id;
    let participants = state
        .store
        .list_participants(id)
        .await?
        .into_iter()
        .map(|p| SummaryParticipant { id: p.id, name: p.name, role: p.role })
        .collect();
    let question_ids = state.store.interview_question_ids(id).await?;
    let codes = state.live_docs.read_question_code(id, &question_ids).await?;
    // The room may have switched language since the interview was created.
    let language = state.live_docs.read_language(id).await?.and_then(|l| Language::parse(&l).ok());
    let mut questions = Vec::new();
    for (question_id, final_code) in question_ids.iter().zip(codes.iter()) {
        if let Some(question) = state.store.find_question(*question_id).await? {
            let content = question.content;
            questions.push(SummaryQuestion {
                id: question.id,
                title: content.title,
                difficulty: content.difficulty,
                prompt: content.prompt,
                test_case_count: content.test_cases.len(),
                hidden_test_count: content.test_cases.iter().filter(|c| c.hidden).count(),
                final_code: final_code.clone(),
            });
        }
    }
    let code_without_question = if question_ids.is_empty() { codes.into_iter().next() } else { None };
    let (runs, older_runs_left_out, run_text_truncated) = newest_runs(state, id).await?;
    let signals = integrity_signals(state, id).await?;
    let notes = state.live_docs.read_text(DocKey { interview_id: id, kind: DocKind::Notes }).await?;
    let scores = scores_for_summary(&*state.store, id).await?;
    Ok(InterviewSummary {
        interview: SummaryInterview {
            id,
            title: interview.title,
            status: interview.status,
            language: language.unwrap_or(interview.language),
            scheduled_at: interview.scheduled_at,
            duration_minutes: interview.duration_minutes,
            started_at: interview.started_at,
            ended_at: interview.ended_at,
            actual_duration_seconds: interview
                .started_at
                .zip(interview.ended_at)
                .map(|(start, end)| (end - start).num_seconds().max(0)),
        },
        participants,
        questions,
        code_without_question,
        runs,
        older_runs_left_out,
        run_text_truncated,
        signals,
        notes,
        scores,
        generated_at: Utc::now(),
    })
}

/// The newest runs (all of them, interviewers-only ones included) in full as the host sees
/// them, whether older ones were left out, and whether run text was cut.
async fn newest_runs(state: &AppState, interview_id: Uuid) -> AppResult<(Vec<RunView>, bool, bool)> {
    let mut listed = state.store.list_runs(interview_id, true, None, MAX_SUMMARY_RUNS as i64 + 1).await?;
    let left_out = listed.len() > MAX_SUMMARY_RUNS;
    listed.truncate(MAX_SUMMARY_RUNS);
    let mut budget = TextBudget::new(MAX_RUN_TEXT_BYTES);
    let mut runs = Vec::with_capacity(listed.len());
    // One run's full record at a time: memory stays at the budget plus one run.
    for summary in listed {
        let Some(record) = state.store.find_run(summary.id).await? else { continue };
        let mut run = RunView::new(record, Role::Host);
        bound_run_text(&mut run, &mut budget);
        runs.push(run);
    }
    Ok((runs, left_out, budget.cut))
}

/// The interview's integrity signals (bounded by `timeline::signals`' cap), oldest first.
async fn integrity_signals(state: &AppState, interview_id: Uuid) -> AppResult<Vec<SummarySignal>> {
    let events = state.store.list_events(interview_id).await?;
    Ok(events
        .into_iter()
        .filter_map(|event| match event.detail {
            TimelineDetail::Signal(signal) => Some(SummarySignal { at: event.at, signal }),
            _ => None,
        })
        .collect())
}

fn bound_run_text(run: &mut RunView, budget: &mut TextBudget) {
    budget.take(&mut run.code);
    budget.take(&mut run.stdin);
    let result = &mut run.result;
    budget.take_opt(&mut result.compile_output);
    budget.take(&mut result.stdout);
    budget.take(&mut result.stderr);
    for test in &mut result.tests {
        budget.take_opt(&mut test.input);
        budget.take_opt(&mut test.expected_output);
        budget.take_opt(&mut test.actual_output);
        budget.take_opt(&mut test.stderr);
    }
}
