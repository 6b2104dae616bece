//! The summary of an interview for its hiring team (`GET /api/interviews/{id}/summary`): one
//! typed record, `InterviewSummary`, gathered once (`gather`) and written three ways — JSON
//! (the record itself), Markdown (`markdown`) and a self-contained printable HTML page
//! (`html`). It is the interviewers' view: hidden test cases are included in full.
//!
//! - `gather`: reads the interview, its questions, final code, runs, integrity signals, notes
//!   and scores.
//! - `scores`: the scores section's shape (rubric, submitted scorecards, aggregate).
//! - `text`: the bound on run text and the escaping the renderers share; `words`: how both
//!   written summaries say statuses, times and sizes.

pub mod gather;
pub mod html;
pub mod markdown;
pub mod scores;
pub mod text;
pub mod words;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{Difficulty, InterviewStatus, Language, Role};
use crate::runs::views::RunView;
use crate::timeline::event::SignalData;
pub use scores::SummaryScores;

/// At most this many runs (the newest) are in a summary.
pub const MAX_SUMMARY_RUNS: usize = 200;

/// Everything the hiring team keeps of one interview.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewSummary {
    pub interview: SummaryInterview,
    pub participants: Vec<SummaryParticipant>,
    /// In the interview's order, each with its final code.
    pub questions: Vec<SummaryQuestion>,
    /// The code of an interview without questions (`null` when it has questions).
    pub code_without_question: Option<String>,
    /// The newest runs first, at most 200 (`MAX_SUMMARY_RUNS`); hidden test cases included.
    pub runs: Vec<RunView>,
    /// The interview has older runs than these (a summary keeps the newest 200).
    pub older_runs_left_out: bool,
    /// Run text (code, stdin, output) was cut to keep the summary bounded.
    pub run_text_truncated: bool,
    /// The candidate's integrity signals, oldest first: evidence to look at, not a verdict.
    pub signals: Vec<SummarySignal>,
    /// The interviewers' private notes (Markdown).
    pub notes: String,
    pub scores: SummaryScores,
    pub generated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryInterview {
    pub id: Uuid,
    pub title: String,
    pub status: InterviewStatus,
    /// The interview's language (the code's, unless switched in the room).
    pub language: Language,
    pub scheduled_at: Option<DateTime<Utc>>,
    /// Planned length.
    pub duration_minutes: i32,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// From the actual start to the end (`null` until both happened).
    pub actual_duration_seconds: Option<i64>,
}

/// An integrity signal about the candidate, with its server time.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummarySignal {
    pub at: DateTime<Utc>,
    pub signal: SignalData,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryParticipant {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryQuestion {
    pub id: Uuid,
    pub title: String,
    pub difficulty: Difficulty,
    /// Markdown.
    pub prompt: String,
    pub test_case_count: usize,
    pub hidden_test_count: usize,
    /// The question's code when the summary was made.
    pub final_code: String,
}

/// The three ways a summary is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryFormat {
    Markdown,
    Json,
    Html,
}

impl SummaryFormat {
    pub fn parse(raw: &str) -> Result<SummaryFormat, String> {
        match raw.trim() {
            "md" => Ok(SummaryFormat::Markdown),
            "json" => Ok(SummaryFormat::Json),
            "html" => Ok(SummaryFormat::Html),
            _ => Err("must be one of: md, json, html".into()),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            SummaryFormat::Markdown => "md",
            SummaryFormat::Json => "json",
            SummaryFormat::Html => "html",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            SummaryFormat::Markdown => "text/markdown; charset=utf-8",
            SummaryFormat::Json => "application/json",
            SummaryFormat::Html => "text/html; charset=utf-8",
        }
    }
}

impl InterviewSummary {
    /// The file name's stem: the title in lowercase words joined by `-` (ASCII letters and
    /// digits only, so it is safe in a header), or `interview`.
    pub fn slug(&self) -> String {
        text::slug(&self.interview.title)
    }
}
