//! Evaluation: an interview's rubric as the interviewers see it (created from the workspace's
//! default criteria the first time it is read), who sees which scorecards (the blind rule of
//! `policy::sees_others_scorecards`), the aggregate of the submitted ones, and what the
//! interview summary export holds (`scorecards_for_export`).

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::{InterviewRecord, ParticipantRecord, Scorecard, Store, StoreError, StoreResult, StoredRubric};
use crate::domain::{
    Criterion, Recommendation, Role, ScorecardStatus, default_rubric, policy, ratings_for_rubric, rubric_from_defaults,
};

/// An interview's rubric and whether the host may still change it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rubric {
    pub criteria: Vec<Criterion>,
    /// False once a scorecard was submitted (and for everyone but the host).
    pub editable: bool,
}

/// One criterion's scores over the submitted scorecards.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CriterionAggregate {
    pub criterion_id: String,
    pub name: String,
    /// The mean score, to two decimals; null when no submitted scorecard rates it.
    pub average: Option<f64>,
    /// Each submitted scorecard's score, in the order of `recommendations`.
    pub scores: Vec<u8>,
}

/// One submitted scorecard's recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RecommendationEntry {
    pub participant_id: Uuid,
    pub author_name: String,
    pub recommendation: Recommendation,
}

/// The submitted scorecards side by side: the average per criterion and every recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Aggregate {
    pub criteria: Vec<CriterionAggregate>,
    pub recommendations: Vec<RecommendationEntry>,
    /// How many submitted scorecards it counts.
    pub submitted: usize,
}

/// What one participant may see of an interview's scorecards.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ScorecardList {
    /// Their own (draft or submitted, once saved) first, then the others' submitted ones.
    pub scorecards: Vec<Scorecard>,
    /// Over the submitted scorecards listed; null while blind.
    pub aggregate: Option<Aggregate>,
    /// True while the caller may not see the others' scorecards (submit yours first).
    pub blind: bool,
}

/// Scorecards, rubric and aggregate for the interview summary export: every submitted
/// scorecard (drafts are nobody's but their author's).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ExportScores {
    pub rubric: Vec<Criterion>,
    pub scorecards: Vec<Scorecard>,
    pub aggregate: Aggregate,
}

/// The interview's rubric, created from its workspace's default criteria on first use.
pub async fn interview_rubric(store: &dyn Store, interview: &InterviewRecord) -> StoreResult<StoredRubric> {
    if let Some(rubric) = store.find_rubric(interview.id).await? {
        return Ok(rubric);
    }
    let defaults = match interview.workspace_id {
        Some(workspace_id) => match store.find_workspace(workspace_id).await? {
            Some(workspace) => workspace.rubric()?,
            None => default_rubric(),
        },
        None => default_rubric(),
    };
    let defaults = if defaults.is_empty() { default_rubric() } else { defaults };
    store.create_rubric(interview.id, &rubric_from_defaults(&defaults), chrono::Utc::now()).await?;
    store.find_rubric(interview.id).await?.ok_or(StoreError::NotFound("rubric"))
}

/// `scorecard` with one rating per criterion of `rubric`, in its order.
pub fn with_rubric(mut scorecard: Scorecard, rubric: &[Criterion]) -> Scorecard {
    scorecard.ratings = ratings_for_rubric(rubric, &scorecard.ratings);
    scorecard
}

/// The scorecard of `participant` as they see it: theirs as stored, or a fresh draft (nil id,
/// not stored until they save it).
pub fn own_scorecard(all: &[Scorecard], participant: &ParticipantRecord, rubric: &[Criterion]) -> Scorecard {
    let stored = all.iter().find(|s| s.participant_id == participant.id).cloned();
    let scorecard = stored.unwrap_or_else(|| Scorecard {
        id: Uuid::nil(),
        interview_id: participant.interview_id,
        participant_id: participant.id,
        author_name: participant.name.clone(),
        status: ScorecardStatus::Draft,
        ratings: Vec::new(),
        recommendation: None,
        summary: String::new(),
        submitted_at: None,
        reopened_at: None,
        reopened_by: None,
        updated_at: chrono::Utc::now(),
    });
    with_rubric(scorecard, rubric)
}

/// What `role` (participant `me`) may see of `all`: their own scorecard if saved, and — unless
/// blind — every other submitted one with the aggregate.
pub fn visible_scorecards(role: Role, me: Uuid, all: Vec<Scorecard>, rubric: &[Criterion]) -> ScorecardList {
    let own_submitted = all.iter().any(|s| s.participant_id == me && s.status == ScorecardStatus::Submitted);
    let sees_others = policy::sees_others_scorecards(role, own_submitted);
    let (own, others): (Vec<Scorecard>, Vec<Scorecard>) = all.into_iter().partition(|s| s.participant_id == me);
    let others = others.into_iter().filter(|s| sees_others && s.status == ScorecardStatus::Submitted);
    let scorecards: Vec<Scorecard> = own.into_iter().chain(others).map(|s| with_rubric(s, rubric)).collect();
    let aggregate = sees_others.then(|| aggregate(rubric, &scorecards));
    ScorecardList { scorecards, aggregate, blind: !sees_others }
}

/// The aggregate of the submitted scorecards among `scorecards`.
pub fn aggregate(rubric: &[Criterion], scorecards: &[Scorecard]) -> Aggregate {
    let submitted: Vec<&Scorecard> = scorecards.iter().filter(|s| s.status == ScorecardStatus::Submitted).collect();
    let criteria = rubric
        .iter()
        .map(|criterion| {
            let scores: Vec<u8> = submitted
                .iter()
                .filter_map(|s| s.ratings.iter().find(|r| r.criterion_id == criterion.id).and_then(|r| r.score))
                .collect();
            let average = (!scores.is_empty()).then(|| {
                let mean = scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64;
                (mean * 100.0).round() / 100.0
            });
            CriterionAggregate { criterion_id: criterion.id.clone(), name: criterion.name.clone(), average, scores }
        })
        .collect();
    let recommendations = submitted
        .iter()
        .filter_map(|s| {
            s.recommendation.map(|recommendation| RecommendationEntry {
                participant_id: s.participant_id,
                author_name: s.author_name.clone(),
                recommendation,
            })
        })
        .collect();
    Aggregate { criteria, recommendations, submitted: submitted.len() }
}

/// The rubric, every submitted scorecard and their aggregate, for the interview summary.
pub async fn scorecards_for_export(store: &dyn Store, interview_id: Uuid) -> StoreResult<ExportScores> {
    let interview = store.find_interview(interview_id).await?.ok_or(StoreError::NotFound("interview"))?;
    let rubric = interview_rubric(store, &interview).await?.criteria;
    let scorecards: Vec<Scorecard> = store
        .list_scorecards(interview_id)
        .await?
        .into_iter()
        .filter(|s| s.status == ScorecardStatus::Submitted)
        .map(|s| with_rubric(s, &rubric))
        .collect();
    let aggregate = aggregate(&rubric, &scorecards);
    Ok(ExportScores { rubric, scorecards, aggregate })
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::Rating;

    fn rubric() -> Vec<Criterion> {
        rubric_from_defaults(&default_rubric())
    }

    fn card(author: u128, status: ScorecardStatus, scores: &[Option<u8>], rec: Option<Recommendation>) -> Scorecard {
        Scorecard {
            id: Uuid::from_u128(author + 100),
            interview_id: Uuid::nil(),
            participant_id: Uuid::from_u128(author),
            author_name: format!("Author {author}"),
            status,
            ratings: rubric()
                .iter()
                .zip(scores)
                .map(|(c, s)| Rating { criterion_id: c.id.clone(), score: *s, comment: String::new() })
                .collect(),
            recommendation: rec,
            summary: String::new(),
            submitted_at: None,
            reopened_at: None,
            reopened_by: None,
            updated_at: Utc::now(),
        }
    }

    fn cards() -> Vec<Scorecard> {
        use Recommendation::*;
        use ScorecardStatus::*;
        vec![
            card(1, Submitted, &[Some(4), Some(3), Some(2), Some(1)], Some(StrongYes)),
            card(2, Draft, &[Some(1), None, None, None], Some(No)),
            card(3, Submitted, &[Some(3), Some(2), Some(2), Some(2)], Some(Yes)),
        ]
    }

    fn authors(list: &ScorecardList) -> Vec<u128> {
        list.scorecards.iter().map(|s| s.participant_id.as_u128()).collect()
    }

    #[test]
    fn the_aggregate_averages_submitted_scores_only() {
        let aggregate = aggregate(&rubric(), &cards());
        assert_eq!(aggregate.submitted, 2);
        assert_eq!(aggregate.criteria[0].average, Some(3.5));
        assert_eq!(aggregate.criteria[0].scores, [4, 3]);
        assert_eq!(aggregate.criteria[3].average, Some(1.5));
        let recs: Vec<Recommendation> = aggregate.recommendations.iter().map(|r| r.recommendation).collect();
        assert_eq!(recs, [Recommendation::StrongYes, Recommendation::Yes]);
        assert_eq!(super::aggregate(&rubric(), &[]).criteria[0].average, None);
    }

    #[test]
    fn an_interviewer_is_blind_until_they_submit() {
        let blind = visible_scorecards(Role::Interviewer, Uuid::from_u128(2), cards(), &rubric());
        assert!(blind.blind && blind.aggregate.is_none());
        assert_eq!(authors(&blind), [2]);
        let nobody = visible_scorecards(Role::Interviewer, Uuid::from_u128(9), cards(), &rubric());
        assert!(nobody.blind && nobody.scorecards.is_empty());
        let sees = visible_scorecards(Role::Interviewer, Uuid::from_u128(3), cards(), &rubric());
        assert!(!sees.blind);
        assert_eq!(authors(&sees), [3, 1], "own first, never another's draft");
        assert_eq!(sees.aggregate.unwrap().submitted, 2);
    }

    #[test]
    fn the_host_sees_every_submitted_scorecard_and_their_own_draft() {
        let host = visible_scorecards(Role::Host, Uuid::from_u128(9), cards(), &rubric());
        assert!(!host.blind);
        assert_eq!(authors(&host), [1, 3]);
        let host_with_draft = visible_scorecards(Role::Host, Uuid::from_u128(2), cards(), &rubric());
        assert_eq!(authors(&host_with_draft), [2, 1, 3]);
        assert_eq!(host_with_draft.aggregate.unwrap().submitted, 2, "the draft is not counted");
    }
}
