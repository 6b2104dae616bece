//! The summary as one self-contained printable HTML page: inline CSS only (no scripts, no
//! external assets — the route serves it under `default-src 'none'`), print rules that start
//! each section on a new page and keep short code blocks whole. Every piece of user text goes
//! through `html_escape`; the prompt and the notes are shown as written (pre-wrapped text),
//! never rendered as Markdown, so no markup of theirs reaches the page.

use std::fmt::Write;

use super::scores::recommendation_label;
use super::text::{html_escape as e, human_duration};
use super::words::{
    SIGNALS_INTRO, difficulty_label, kb, ms, role_label, run_headline, run_tone, signal_label, status_label,
    test_label, when, when_or_dash,
};
use super::{InterviewSummary, MAX_SUMMARY_RUNS, SummaryQuestion, SummaryScores};
use crate::domain::RunMode;
use crate::runs::views::RunView;

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 0 auto; max-width: 60rem; padding: 1.5rem; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #d0d7de; padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1rem 0 .25rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; padding: .5rem .75rem; white-space: pre-wrap; word-break: break-word; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: .25rem 0 .75rem; }
.prose { white-space: pre-wrap; }
.label { font-weight: 600; margin: .5rem 0 0; }
.muted { color: #57606a; }
.badge { display: inline-block; border-radius: 999px; padding: 0 .6rem; font-weight: 600; font-size: .85rem; border: 1px solid currentColor; }
.success { color: #1a7f37; } .danger { color: #cf222e; } .warning { color: #9a6700; } .neutral { color: #57606a; }
.run { border: 1px solid #d0d7de; border-radius: 6px; padding: .25rem 1rem .5rem; margin: 1rem 0; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  section.part { break-before: page; }
  section.part:first-of-type { break-before: auto; }
  pre, table, .run > dl, h2, h3, h4 { break-inside: avoid; }
  h2, h3, h4, .label { break-after: avoid; }
  .run { break-inside: auto; }
  .screen-only { display: none; }
}
"#;

pub fn render_html(summary: &InterviewSummary) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = e(&summary.interview.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Interview summary: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
    );
    header(&mut out, summary);
    questions(&mut out, summary);
    runs(&mut out, summary);
    signals(&mut out, summary);
    notes(&mut out, &summary.notes);
    scores(&mut out, &summary.scores);
    let _ = write!(
        out,
        "<footer class=\"muted\"><p>Generated {}.</p></footer>\n</main>\n</body>\n</html>\n",
        e(&when(summary.generated_at))
    );
    out
}

fn header(out: &mut String, summary: &InterviewSummary) {
    let i = &summary.interview;
    let _ = write!(out, "<section class=\"part\" id=\"overview\">\n<h1>Interview summary: {}</h1>\n", e(&i.title));
    out.push_str(
        "<p class=\"screen-only muted\">To save it as a PDF, print this page (Ctrl+P or \u{2318}P) and choose \
         \u{201c}Save as PDF\u{201d}.</p>\n<dl class=\"facts\">\n",
    );
    let duration = i.actual_duration_seconds.map_or_else(|| "—".into(), human_duration);
    for (term, value) in [
        ("Status", i.status.to_string()),
        ("Language", i.language.name().to_owned()),
        ("Scheduled", format!("{} ({} min planned)", when_or_dash(i.scheduled_at), i.duration_minutes)),
        ("Started", when_or_dash(i.started_at)),
        ("Ended", when_or_dash(i.ended_at)),
        ("Duration", duration),
    ] {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{}</dd>", e(&value));
    }
    let _ = write!(
        out,
        "</dl>\n<h2>Participants</h2>\n<table>\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Role</th></tr></thead>\n<tbody>\n"
    );
    for p in &summary.participants {
        let _ = writeln!(out, "<tr><td>{}</td><td>{}</td></tr>", e(&p.name), role_label(p.role));
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn questions(out: &mut String, summary: &InterviewSummary) {
    out.push_str("<section class=\"part\" id=\"questions\">\n<h2>Questions</h2>\n");
    let language = summary.interview.language.name();
    if summary.questions.is_empty() {
        out.push_str("<p class=\"muted\">No questions.</p>\n");
        if let Some(code) = &summary.code_without_question {
            let _ = writeln!(out, "<h3>Final code ({language})</h3>");
            pre(out, code);
        }
    }
    for (n, q) in summary.questions.iter().enumerate() {
        question(out, n + 1, q, language);
    }
    out.push_str("</section>\n");
}

fn question(out: &mut String, n: usize, q: &SummaryQuestion, language: &str) {
    let _ = writeln!(
        out,
        "<h3>{n}. {} <span class=\"muted\">({})</span></h3>",
        e(&q.title),
        difficulty_label(q.difficulty)
    );
    let _ = writeln!(out, "<p class=\"muted\">{} test cases ({} hidden).</p>", q.test_case_count, q.hidden_test_count);
    let _ = writeln!(out, "<h4>Prompt</h4>\n<div class=\"prose\">{}</div>", e(q.prompt.trim_end()));
    let _ = writeln!(out, "<h4>Final code ({language})</h4>");
    pre(out, &q.final_code);
}

fn runs(out: &mut String, summary: &InterviewSummary) {
    out.push_str("<section class=\"part\" id=\"runs\">\n<h2>Runs</h2>\n");
    if summary.runs.is_empty() {
        out.push_str("<p class=\"muted\">No runs.</p>\n</section>\n");
        return;
    }
    let _ = write!(out, "<p>{} runs, newest first.", summary.runs.len());
    if summary.older_runs_left_out {
        let _ = write!(out, " Older runs are left out: a summary keeps the newest {MAX_SUMMARY_RUNS}.");
    }
    if summary.run_text_truncated {
        out.push_str(" Some run text was cut to keep the summary bounded.");
    }
    out.push_str("</p>\n");
    let total = summary.runs.len();
    for (index, r) in summary.runs.iter().enumerate() {
        run(out, total - index, r, summary);
    }
    out.push_str("</section>\n");
}

fn run(out: &mut String, n: usize, r: &RunView, summary: &InterviewSummary) {
    let mode = if r.mode == RunMode::Test { "Test" } else { "Run" };
    let _ = writeln!(
        out,
        "<article class=\"run\">\n<h3>{mode} #{n}: <span class=\"badge {}\">{}</span></h3>\n<dl class=\"facts\">",
        run_tone(r),
        e(&run_headline(r))
    );
    let mut facts =
        vec![("By", r.requested_by.clone()), ("When", when(r.created_at)), ("Language", r.language.name().to_owned())];
    if let Some(question) = r.question_id.and_then(|id| summary.questions.iter().find(|q| q.id == id)) {
        facts.push(("Question", question.title.clone()));
    }
    facts.push(("Status", status_label(r.status).to_owned()));
    if let Some(verdict) = r.result.verdict {
        facts.push(("Verdict", verdict.to_string()));
    }
    facts.push(("Time", ms(r.result.time_ms)));
    facts.push(("Memory", kb(r.result.memory_kb)));
    if r.interviewers_only {
        facts.push(("Interviewers only", "an interviewer's run of their own code".into()));
    }
    if let Some(message) = &r.result.message {
        facts.push(("Message", message.clone()));
    }
    for (term, value) in facts {
        let _ = writeln!(out, "<dt>{term}</dt><dd>{}</dd>", e(&value));
    }
    out.push_str("</dl>\n");
    labelled_pre(out, "Code", &r.code);
    if r.mode == RunMode::Run {
        labelled_pre(out, "Stdin", &r.stdin);
    }
    if let Some(compile) = &r.result.compile_output {
        labelled_pre(out, "Compiler output", compile);
    }
    if r.mode == RunMode::Run {
        labelled_pre(out, "Stdout", &r.result.stdout);
        labelled_pre(out, "Stderr", &r.result.stderr);
    }
    if !r.result.tests.is_empty() {
        tests(out, r);
    }
    out.push_str("</article>\n");
}

fn tests(out: &mut String, r: &RunView) {
    out.push_str(
        "<h4>Tests</h4>\n<table>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Visibility</th>\
         <th scope=\"col\">Result</th><th scope=\"col\">Time</th><th scope=\"col\">Memory</th></tr></thead>\n<tbody>\n",
    );
    for t in &r.result.tests {
        let visibility = if t.hidden { "hidden" } else { "visible" };
        let tone = if t.passed == Some(true) { "success" } else { "danger" };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{visibility}</td><td class=\"{tone}\">{}</td><td>{}</td><td>{}</td></tr>",
            t.index + 1,
            test_label(t),
            ms(t.time_ms),
            kb(t.memory_kb)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    for t in &r.result.tests {
        let hidden = if t.hidden { " (hidden)" } else { "" };
        let _ = writeln!(out, "<h4>Test {}{hidden}: {}</h4>", t.index + 1, test_label(t));
        for (label, text) in [
            ("Input", &t.input),
            ("Expected output", &t.expected_output),
            ("Actual output", &t.actual_output),
            ("Stderr", &t.stderr),
        ] {
            if let Some(text) = text {
                labelled_pre(out, label, text);
            }
        }
    }
}

fn signals(out: &mut String, summary: &InterviewSummary) {
    out.push_str("<section class=\"part\" id=\"signals\">\n<h2>Integrity signals</h2>\n");
    if summary.signals.is_empty() {
        out.push_str("<p class=\"muted\">No integrity signals recorded.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p>{}</p>\n<table>\n<thead><tr><th scope=\"col\">Time</th><th scope=\"col\">Observed</th></tr></thead>\n<tbody>",
        e(SIGNALS_INTRO)
    );
    for s in &summary.signals {
        let _ = writeln!(out, "<tr><td>{}</td><td>{}</td></tr>", e(&when(s.at)), e(&signal_label(&s.signal)));
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn notes(out: &mut String, notes: &str) {
    out.push_str("<section class=\"part\" id=\"notes\">\n<h2>Notes</h2>\n");
    if notes.trim().is_empty() {
        out.push_str("<p class=\"muted\">No notes.</p>\n");
    } else {
        let _ = writeln!(out, "<div class=\"prose\">{}</div>", e(notes.trim_end()));
    }
    out.push_str("</section>\n");
}

fn scores(out: &mut String, scores: &SummaryScores) {
    out.push_str("<section class=\"part\" id=\"scores\">\n<h2>Scores</h2>\n");
    if !scores.rubric.is_empty() {
        out.push_str("<h3>Rubric</h3>\n<dl class=\"facts\">\n");
        for c in &scores.rubric {
            let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", e(&c.name), e(&c.description));
        }
        out.push_str("</dl>\n");
    }
    if scores.scorecards.is_empty() {
        out.push_str("<p class=\"muted\">No scorecards submitted.</p>\n</section>\n");
        return;
    }
    let name_of = |id: &str| scores.rubric.iter().find(|c| c.id == id).map_or(id, |c| c.name.as_str()).to_owned();
    for card in &scores.scorecards {
        let recommendation = card.recommendation.map_or("—", recommendation_label);
        let _ = writeln!(out, "<h3>{}: {}</h3>", e(&card.author_name), e(recommendation));
        out.push_str("<table>\n<thead><tr><th scope=\"col\">Criterion</th><th scope=\"col\">Score</th><th scope=\"col\">Comment</th></tr></thead>\n<tbody>\n");
        for rating in &card.ratings {
            let score = rating.score.map_or_else(|| "—".into(), |s| format!("{s}/4"));
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{score}</td><td class=\"prose\">{}</td></tr>",
                e(&name_of(&rating.criterion_id)),
                e(&rating.comment)
            );
        }
        out.push_str("</tbody>\n</table>\n");
        if !card.summary.trim().is_empty() {
            let _ = writeln!(out, "<div class=\"prose\">{}</div>", e(card.summary.trim_end()));
        }
    }
    let aggregate = &scores.aggregate;
    if aggregate.submitted > 0 {
        let _ = writeln!(
            out,
            "<h3>Aggregate ({} submitted)</h3>\n<table>\n<thead><tr><th scope=\"col\">Criterion</th><th scope=\"col\">Average</th><th scope=\"col\">Scores</th></tr></thead>\n<tbody>",
            aggregate.submitted
        );
        for c in &aggregate.criteria {
            let average = c.average.map_or_else(|| "—".into(), |a| format!("{a:.2}"));
            let all: Vec<String> = c.scores.iter().map(u8::to_string).collect();
            let _ = writeln!(out, "<tr><td>{}</td><td>{average}</td><td>{}</td></tr>", e(&c.name), all.join(", "));
        }
        out.push_str("</tbody>\n</table>\n<ul>\n");
        for r in &aggregate.recommendations {
            let recommendation = recommendation_label(r.recommendation);
            let _ = writeln!(out, "<li>{}: {}</li>", e(&r.author_name), e(recommendation));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn pre(out: &mut String, text: &str) {
    let _ = writeln!(out, "<pre>{}</pre>", e(text));
}

fn labelled_pre(out: &mut String, label: &str, text: &str) {
    if text.is_empty() {
        let _ = writeln!(out, "<p class=\"label\">{label}: <span class=\"muted\">(empty)</span></p>");
    } else {
        let _ = writeln!(out, "<p class=\"label\">{label}</p>");
        pre(out, text);
    }
}
