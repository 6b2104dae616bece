//! The scores section of a summary: the interview's rubric, every submitted scorecard and
//! their aggregate (average per criterion, recommendations side by side), as
//! `evaluation::scorecards_for_export` gathers them (drafts are never in it), and how a
//! recommendation reads to people.

use uuid::Uuid;

use crate::db::Store;
use crate::domain::Recommendation;
use crate::error::AppResult;
pub use crate::evaluation::ExportScores as SummaryScores;

/// The interview's scores for the summary.
pub async fn scores_for_summary(store: &dyn Store, interview_id: Uuid) -> AppResult<SummaryScores> {
    Ok(crate::evaluation::scorecards_for_export(store, interview_id).await?)
}

/// How a recommendation reads to people.
pub fn recommendation_label(recommendation: Recommendation) -> &'static str {
    match recommendation {
        Recommendation::StrongNo => "Strong no",
        Recommendation::No => "No",
        Recommendation::Yes => "Yes",
        Recommendation::StrongYes => "Strong yes",
    }
}
