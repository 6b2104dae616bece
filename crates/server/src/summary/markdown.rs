//! The summary as Markdown: headings per section, tables for participants, tests and scores,
//! fenced code with its language tag. Names and titles are escaped (`md_inline`); code and
//! output sit in fences longer than any backtick run inside them, so no text can close its
//! fence. The prompt and the notes are Markdown already and are kept as written.

use std::fmt::Write;

use super::scores::recommendation_label;
use super::text::{fence_for, human_duration, md_inline};
use super::words::{
    SIGNALS_INTRO, difficulty_label, kb, ms, role_label, run_headline, signal_label, status_label, test_label, when,
    when_or_dash,
};
use super::{InterviewSummary, MAX_SUMMARY_RUNS, SummaryQuestion, SummaryScores};
use crate::domain::RunMode;
use crate::runs::views::RunView;

pub fn render_markdown(summary: &InterviewSummary) -> String {
    let mut out = String::new();
    header(&mut out, summary);
    questions(&mut out, summary);
    runs(&mut out, summary);
    signals(&mut out, summary);
    notes(&mut out, &summary.notes);
    scores(&mut out, &summary.scores);
    let _ = writeln!(out, "---\n\n_Generated {}._", when(summary.generated_at));
    out
}

fn header(out: &mut String, summary: &InterviewSummary) {
    let i = &summary.interview;
    let _ = writeln!(out, "# Interview summary: {}\n", md_inline(&i.title));
    let _ = writeln!(out, "- **Status:** {}", i.status);
    let _ = writeln!(out, "- **Language:** {}", i.language.name());
    let _ = writeln!(out, "- **Scheduled:** {} ({} min planned)", when_or_dash(i.scheduled_at), i.duration_minutes);
    let _ = writeln!(out, "- **Started:** {}", when_or_dash(i.started_at));
    let _ = writeln!(out, "- **Ended:** {}", when_or_dash(i.ended_at));
    let duration = i.actual_duration_seconds.map_or_else(|| "—".into(), human_duration);
    let _ = writeln!(out, "- **Duration:** {duration}\n");
    let _ = writeln!(out, "## Participants\n\n| Name | Role |\n|---|---|");
    for p in &summary.participants {
        let _ = writeln!(out, "| {} | {} |", md_inline(&p.name), role_label(p.role));
    }
    out.push('\n');
}

fn questions(out: &mut String, summary: &InterviewSummary) {
    let _ = writeln!(out, "## Questions\n");
    let language = summary.interview.language;
    if summary.questions.is_empty() {
        let _ = writeln!(out, "_No questions._\n");
        if let Some(code) = &summary.code_without_question {
            let _ = writeln!(out, "### Final code ({})\n", language.name());
            code_block(out, code, language.id());
        }
    }
    for (n, q) in summary.questions.iter().enumerate() {
        question(out, n + 1, q, summary);
    }
}

fn question(out: &mut String, n: usize, q: &SummaryQuestion, summary: &InterviewSummary) {
    let language = summary.interview.language;
    let _ = writeln!(out, "### {n}. {} ({})\n", md_inline(&q.title), difficulty_label(q.difficulty));
    let _ = writeln!(out, "{} test cases ({} hidden).\n", q.test_case_count, q.hidden_test_count);
    let _ = writeln!(out, "#### Prompt\n\n{}\n", q.prompt.trim_end());
    let _ = writeln!(out, "#### Final code ({})\n", language.name());
    code_block(out, &q.final_code, language.id());
}

fn runs(out: &mut String, summary: &InterviewSummary) {
    let _ = writeln!(out, "## Runs\n");
    if summary.runs.is_empty() {
        let _ = writeln!(out, "_No runs._\n");
        return;
    }
    let _ = writeln!(out, "{} runs, newest first.", summary.runs.len());
    if summary.older_runs_left_out {
        let _ = writeln!(out, " Older runs are left out: a summary keeps the newest {MAX_SUMMARY_RUNS}.");
    }
    if summary.run_text_truncated {
        let _ = writeln!(out, " Some run text was cut to keep the summary bounded.");
    }
    out.push('\n');
    let total = summary.runs.len();
    for (index, r) in summary.runs.iter().enumerate() {
        run(out, total - index, r, summary);
    }
}

fn run(out: &mut String, n: usize, r: &RunView, summary: &InterviewSummary) {
    let mode = if r.mode == RunMode::Test { "Test" } else { "Run" };
    let _ = writeln!(out, "### {mode} #{n}: {}\n", run_headline(r));
    let _ = writeln!(out, "- **By:** {}", md_inline(&r.requested_by));
    let _ = writeln!(out, "- **When:** {}", when(r.created_at));
    let _ = writeln!(out, "- **Language:** {}", r.language.name());
    if let Some(question) = r.question_id.and_then(|id| summary.questions.iter().find(|q| q.id == id)) {
        let _ = writeln!(out, "- **Question:** {}", md_inline(&question.title));
    }
    let _ = writeln!(out, "- **Status:** {}", status_label(r.status));
    if let Some(verdict) = r.result.verdict {
        let _ = writeln!(out, "- **Verdict:** {verdict}");
    }
    let _ = writeln!(out, "- **Time:** {} · **Memory:** {}", ms(r.result.time_ms), kb(r.result.memory_kb));
    if r.interviewers_only {
        let _ = writeln!(out, "- **Interviewers only:** an interviewer's run of their own code");
    }
    if let Some(message) = &r.result.message {
        let _ = writeln!(out, "- **Message:** {}", md_inline(message));
    }
    out.push('\n');
    let _ = writeln!(out, "**Code**\n");
    code_block(out, &r.code, r.language.id());
    if r.mode == RunMode::Run {
        labelled_block(out, "Stdin", &r.stdin);
    }
    if let Some(compile) = &r.result.compile_output {
        labelled_block(out, "Compiler output", compile);
    }
    if r.mode == RunMode::Run {
        labelled_block(out, "Stdout", &r.result.stdout);
        labelled_block(out, "Stderr", &r.result.stderr);
    }
    if !r.result.tests.is_empty() {
        tests(out, r);
    }
}

fn tests(out: &mut String, r: &RunView) {
    let _ = writeln!(out, "**Tests**\n\n| # | Visibility | Result | Time | Memory |\n|---|---|---|---|---|");
    for t in &r.result.tests {
        let visibility = if t.hidden { "hidden" } else { "visible" };
        let _ = writeln!(
            out,
            "| {} | {visibility} | {} | {} | {} |",
            t.index + 1,
            test_label(t),
            ms(t.time_ms),
            kb(t.memory_kb)
        );
    }
    out.push('\n');
    for t in &r.result.tests {
        let hidden = if t.hidden { " (hidden)" } else { "" };
        let _ = writeln!(out, "**Test {}{hidden}: {}**\n", t.index + 1, test_label(t));
        for (label, text) in [
            ("Input", &t.input),
            ("Expected output", &t.expected_output),
            ("Actual output", &t.actual_output),
            ("Stderr", &t.stderr),
        ] {
            if let Some(text) = text {
                labelled_block(out, label, text);
            }
        }
    }
}

fn signals(out: &mut String, summary: &InterviewSummary) {
    let _ = writeln!(out, "## Integrity signals\n");
    if summary.signals.is_empty() {
        let _ = writeln!(out, "_No integrity signals recorded._\n");
        return;
    }
    let _ = writeln!(out, "{SIGNALS_INTRO}\n\n| Time | Observed |\n|---|---|");
    for s in &summary.signals {
        let _ = writeln!(out, "| {} | {} |", when(s.at), md_inline(&signal_label(&s.signal)));
    }
    out.push('\n');
}

fn notes(out: &mut String, notes: &str) {
    let _ = writeln!(out, "## Notes\n");
    if notes.trim().is_empty() {
        let _ = writeln!(out, "_No notes._\n");
    } else {
        let _ = writeln!(out, "{}\n", notes.trim_end());
    }
}

fn scores(out: &mut String, scores: &SummaryScores) {
    let _ = writeln!(out, "## Scores\n");
    if !scores.rubric.is_empty() {
        let _ = writeln!(out, "Rubric:\n");
        for c in &scores.rubric {
            let _ = writeln!(out, "- **{}**: {}", md_inline(&c.name), md_inline(&c.description));
        }
        out.push('\n');
    }
    if scores.scorecards.is_empty() {
        let _ = writeln!(out, "_No scorecards submitted._\n");
        return;
    }
    let name_of = |id: &str| scores.rubric.iter().find(|c| c.id == id).map_or(id, |c| c.name.as_str()).to_owned();
    for card in &scores.scorecards {
        let recommendation = card.recommendation.map_or("—", recommendation_label);
        let _ = writeln!(out, "### {}: {recommendation}\n", md_inline(&card.author_name));
        let _ = writeln!(out, "| Criterion | Score | Comment |\n|---|---|---|");
        for rating in &card.ratings {
            let score = rating.score.map_or_else(|| "—".into(), |s| format!("{s}/4"));
            let _ = writeln!(
                out,
                "| {} | {score} | {} |",
                md_inline(&name_of(&rating.criterion_id)),
                md_inline(&rating.comment)
            );
        }
        out.push('\n');
        if !card.summary.trim().is_empty() {
            let _ = writeln!(out, "{}\n", md_inline(&card.summary));
        }
    }
    let aggregate = &scores.aggregate;
    if aggregate.submitted > 0 {
        let _ = writeln!(
            out,
            "### Aggregate ({} submitted)\n\n| Criterion | Average | Scores |\n|---|---|---|",
            aggregate.submitted
        );
        for c in &aggregate.criteria {
            let average = c.average.map_or_else(|| "—".into(), |a| format!("{a:.2}"));
            let all: Vec<String> = c.scores.iter().map(u8::to_string).collect();
            let _ = writeln!(out, "| {} | {average} | {} |", md_inline(&c.name), all.join(", "));
        }
        out.push('\n');
        for r in &aggregate.recommendations {
            let recommendation = recommendation_label(r.recommendation);
            let _ = writeln!(out, "- {}: {recommendation}", md_inline(&r.author_name));
        }
        out.push('\n');
    }
}

/// `text` in a fence it cannot close, tagged with `tag`.
fn code_block(out: &mut String, text: &str, tag: &str) {
    let fence = fence_for(text);
    let body = text.strip_suffix('\n').unwrap_or(text);
    let _ = writeln!(out, "{fence}{tag}\n{body}\n{fence}\n");
}

fn labelled_block(out: &mut String, label: &str, text: &str) {
    if text.is_empty() {
        let _ = writeln!(out, "**{label}:** _(empty)_\n");
    } else {
        let _ = writeln!(out, "**{label}**\n");
        code_block(out, text, "text");
    }
}
