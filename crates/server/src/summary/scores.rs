//! The scores section of a summary: the interview's rubric, every submitted scorecard and
//! their aggregate (average per criterion, recommendations side by side). Drafts are never in
//! it. The shapes follow the scorecards API's (`Criterion`, `Scorecard`, `Aggregate`).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::Store;
use crate::error::AppResult;

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct SummaryScores {
    pub criteria: Vec<SummaryCriterion>,
    /// Submitted scorecards only.
    pub scorecards: Vec<SummaryScorecard>,
    /// `null` when no scorecard was submitted.
    pub aggregate: Option<SummaryAggregate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryCriterion {
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryScorecard {
    pub id: Uuid,
    pub author_name: String,
    pub ratings: Vec<SummaryRating>,
    /// `strong_no`, `no`, `yes` or `strong_yes`.
    pub recommendation: Option<String>,
    pub summary: String,
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryRating {
    pub criterion_id: String,
    /// 1–4.
    pub score: Option<u8>,
    pub comment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryAggregate {
    pub criteria: Vec<SummaryCriterionAverage>,
    pub recommendations: Vec<SummaryRecommendation>,
    pub submitted: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryCriterionAverage {
    pub criterion_id: String,
    pub name: String,
    pub average: Option<f64>,
    pub scores: Vec<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryRecommendation {
    pub author_name: String,
    pub recommendation: Option<String>,
}

/// The interview's scores for the summary.
// TODO(merge): scorecards_for_export — replace this placeholder with
// `crate::evaluation::scorecards_for_export(store, interview_id)` mapped into `SummaryScores`.
pub async fn scores_for_summary(_store: &dyn Store, _interview_id: Uuid) -> AppResult<SummaryScores> {
    Ok(SummaryScores::default())
}

/// How a recommendation reads to people.
pub fn recommendation_label(recommendation: &str) -> &str {
    match recommendation {
        "strong_no" => "Strong no",
        "no" => "No",
        "yes" => "Yes",
        "strong_yes" => "Strong yes",
        other => other,
    }
}
