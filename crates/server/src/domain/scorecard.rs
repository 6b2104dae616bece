//! Scorecard vocabulary: an interview's rubric (criteria with stable slug ids), a scorecard's
//! status and recommendation, and the checks of what the host and the interviewers send: a
//! rubric (the limits of a workspace's default rubric, in [`super::rubric`]), a draft
//! (ratings 1–4 or none, for criteria of the rubric, each at most once; comments at most 4,000
//! characters, the summary at most 10,000) and what a submission still lacks.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::interview::string_enum;
use super::{FieldCheck, FieldErrors, InvalidFields, RubricCriterion, rubric};

string_enum!(
    /// Where a scorecard is: a `draft` its author edits, or `submitted` (locked until the host
    /// reopens it).
    ScorecardStatus { Draft => "draft", Submitted => "submitted" }
);

string_enum!(
    /// The overall recommendation of a scorecard.
    Recommendation { StrongNo => "strong_no", No => "no", Yes => "yes", StrongYes => "strong_yes" }
);

pub const MAX_COMMENT: usize = 4_000;
pub const MAX_SUMMARY: usize = 10_000;
pub const MIN_SCORE: i64 = 1;
pub const MAX_SCORE: i64 = 4;

/// One criterion of an interview's rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct Criterion {
    /// A slug such as `problem_solving`, stable while the criterion exists.
    pub id: String,
    pub name: String,
    pub description: String,
}

/// A criterion as the host sends it: with the id of a criterion it keeps, without one for a
/// new criterion (the server gives it a slug of its name).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// The ids of the default criteria (the workspace default's names), as the issue names them.
const KNOWN_IDS: &[(&str, &str)] = &[
    ("Problem solving", "problem_solving"),
    ("Code quality", "code_quality"),
    ("Communication", "communication"),
    ("Testing & edge cases", "testing"),
];

/// A slug of `name`: lower-case ASCII letters and digits joined by `_`, at most 40 characters
/// (`criterion` when nothing is left).
pub fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('_');
    if slug.is_empty() { "criterion".into() } else { slug.into() }
}

/// An id for a criterion named `name` that is none of `taken`.
fn fresh_id(name: &str, taken: &HashSet<String>) -> String {
    let known = KNOWN_IDS.iter().find(|(known, _)| known.eq_ignore_ascii_case(name)).map(|(_, id)| (*id).to_owned());
    let base = known.unwrap_or_else(|| slug(name));
    (1..)
        .map(|n| if n == 1 { base.clone() } else { format!("{base}_{n}") })
        .find(|id| !taken.contains(id))
        .expect("some id is free")
}

/// An interview's first rubric, from its workspace's default criteria: all of them as they
/// are (both kinds of rubric have the same limits, so a valid default is a valid rubric).
pub fn rubric_from_defaults(defaults: &[RubricCriterion]) -> Vec<Criterion> {
    let mut taken = HashSet::new();
    defaults
        .iter()
        .map(|c| {
            let id = fresh_id(&c.name, &taken);
            taken.insert(id.clone());
            Criterion { id, name: c.name.clone(), description: c.description.clone() }
        })
        .collect()
}

/// Checks a new rubric against the `current` one: criteria that name an id keep it (it must be
/// one of `current`), new ones get a fresh slug (never the id of a criterion removed now, whose
/// ratings go with it).
pub fn parse_rubric_change(current: &[Criterion], raw: Vec<CriterionInput>) -> Result<Vec<Criterion>, InvalidFields> {
    let mut check = FieldCheck::default();
    if !rubric::check_count(&mut check, "criteria", raw.len()) {
        return Err(check.finish().expect_err("failed"));
    }
    let texts =
        rubric::check_criteria(&mut check, "criteria", raw.iter().map(|c| (c.name.as_str(), c.description.as_str())));
    let mut kept = HashSet::new();
    for (i, input) in raw.iter().enumerate() {
        if let Some(id) = &input.id {
            if !current.iter().any(|c| &c.id == id) {
                check.fail(&format!("criteria[{i}].id"), "is not a criterion of this rubric");
            } else if !kept.insert(id.clone()) {
                check.fail(&format!("criteria[{i}].id"), "is given twice");
            }
        }
    }
    check.finish()?;
    let mut taken: HashSet<String> = current.iter().map(|c| c.id.clone()).collect();
    let criteria = raw
        .into_iter()
        .zip(texts)
        .map(|(input, text)| {
            let (name, description) = text.expect("checked");
            let id = input.id.unwrap_or_else(|| {
                let id = fresh_id(&name, &taken);
                taken.insert(id.clone());
                id
            });
            Criterion { id, name, description }
        })
        .collect();
    Ok(criteria)
}

/// A rating as an interviewer sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    pub criterion_id: String,
    /// 1–4, or null while undecided.
    pub score: Option<i64>,
    #[serde(default)]
    pub comment: String,
}

/// A checked rating: a criterion of the rubric, a score 1–4 or none, a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Rating {
    pub criterion_id: String,
    /// 1 (poor) to 4 (excellent); null while undecided.
    #[schema(minimum = 1, maximum = 4)]
    pub score: Option<u8>,
    pub comment: String,
}

/// A checked draft: what an interviewer's `PUT …/scorecards/me` stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftContent {
    pub ratings: Vec<Rating>,
    pub recommendation: Option<Recommendation>,
    pub summary: String,
}

/// Free text kept as typed (an autosaved draft is not trimmed under its author's cursor):
/// at most `max` characters, no control characters but newlines and tabs.
fn free_text(raw: &str, max: usize) -> Result<String, String> {
    if raw.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if raw.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err("must not contain control characters".into());
    }
    Ok(raw.to_owned())
}

/// Checks a draft against the interview's rubric; ratings come back in the rubric's order.
pub fn parse_draft(
    rubric: &[Criterion],
    ratings: Vec<RatingInput>,
    recommendation: Option<Recommendation>,
    summary: &str,
) -> Result<DraftContent, InvalidFields> {
    let mut check = FieldCheck::default();
    let mut seen = HashSet::new();
    let mut parsed = Vec::with_capacity(ratings.len());
    for (i, input) in ratings.into_iter().enumerate() {
        let field = format!("ratings[{i}]");
        if !rubric.iter().any(|c| c.id == input.criterion_id) {
            check.fail(&format!("{field}.criterion_id"), "is not a criterion of this interview's rubric");
        } else if !seen.insert(input.criterion_id.clone()) {
            check.fail(&format!("{field}.criterion_id"), "is rated twice");
        }
        let score = match input.score {
            None => Some(None),
            Some(score) if (MIN_SCORE..=MAX_SCORE).contains(&score) => Some(Some(score as u8)),
            Some(_) => {
                check.fail(&format!("{field}.score"), format!("must be between {MIN_SCORE} and {MAX_SCORE}, or null"));
                None
            }
        };
        let comment = check.take(&format!("{field}.comment"), free_text(&input.comment, MAX_COMMENT));
        if let (Some(score), Some(comment)) = (score, comment) {
            parsed.push(Rating { criterion_id: input.criterion_id, score, comment });
        }
    }
    let summary = check.take("summary", free_text(summary, MAX_SUMMARY));
    check.finish()?;
    let position = |r: &Rating| rubric.iter().position(|c| c.id == r.criterion_id);
    parsed.sort_by_key(position);
    Ok(DraftContent { ratings: parsed, recommendation, summary: summary.expect("checked") })
}

/// What a scorecard still lacks to be submitted: every criterion without a score (named) and
/// the recommendation. Empty when it may be submitted.
pub fn missing_for_submit(
    rubric: &[Criterion],
    ratings: &[Rating],
    recommendation: Option<Recommendation>,
) -> FieldErrors {
    let mut missing = FieldErrors::new();
    for criterion in rubric {
        let scored = ratings.iter().any(|r| r.criterion_id == criterion.id && r.score.is_some());
        if !scored {
            missing.insert(format!("ratings.{}", criterion.id), format!("“{}” needs a score", criterion.name));
        }
    }
    if recommendation.is_none() {
        missing.insert("recommendation".into(), "is required to submit".into());
    }
    missing
}

/// Every criterion of `rubric` with its rating in `ratings`, or an empty one.
pub fn ratings_for_rubric(rubric: &[Criterion], ratings: &[Rating]) -> Vec<Rating> {
    rubric
        .iter()
        .map(|c| {
            ratings.iter().find(|r| r.criterion_id == c.id).cloned().unwrap_or(Rating {
                criterion_id: c.id.clone(),
                score: None,
                comment: String::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::default_rubric;
    use crate::domain::rubric::{MAX_CRITERIA, MAX_CRITERION_DESCRIPTION, MAX_CRITERION_NAME};

    fn rubric() -> Vec<Criterion> {
        rubric_from_defaults(&default_rubric())
    }

    fn input(id: Option<&str>, name: &str) -> CriterionInput {
        CriterionInput { id: id.map(Into::into), name: name.into(), description: String::new() }
    }

    fn rating(criterion_id: &str, score: Option<i64>) -> RatingInput {
        RatingInput { criterion_id: criterion_id.into(), score, comment: String::new() }
    }

    #[test]
    fn the_default_rubric_has_the_issues_ids() {
        let ids: Vec<String> = rubric().into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["problem_solving", "code_quality", "communication", "testing"]);
    }

    #[test]
    fn the_largest_workspace_default_is_copied_whole() {
        let defaults: Vec<RubricCriterion> = (0..MAX_CRITERIA)
            .map(|i| RubricCriterion {
                name: format!("{i}{}", "n".repeat(MAX_CRITERION_NAME - 2)),
                description: "d".repeat(MAX_CRITERION_DESCRIPTION),
            })
            .collect();
        let rubric = rubric_from_defaults(&defaults);
        assert_eq!(rubric.len(), MAX_CRITERIA, "no criterion dropped");
        assert!(rubric.iter().zip(&defaults).all(|(c, d)| c.name == d.name && c.description == d.description));
        // …and it is a rubric the host may save back unchanged.
        let unchanged = rubric
            .iter()
            .map(|c| CriterionInput {
                id: Some(c.id.clone()),
                name: c.name.clone(),
                description: c.description.clone(),
            })
            .collect();
        assert_eq!(parse_rubric_change(&rubric, unchanged).unwrap(), rubric);
    }

    #[test]
    fn slugs_are_plain_and_bounded() {
        assert_eq!(slug("  System Design (API)!"), "system_design_api");
        assert_eq!(slug("Ünïcode"), "n_code");
        assert_eq!(slug("!!!"), "criterion");
        assert!(slug(&"x".repeat(100)).len() <= 40);
    }

    #[test]
    fn a_rubric_change_keeps_ids_and_gives_new_criteria_fresh_ones() {
        let current = rubric();
        let changed = parse_rubric_change(
            &current,
            vec![input(Some("communication"), "Talking"), input(None, "Problem solving")],
        )
        .unwrap();
        assert_eq!(changed[0].id, "communication");
        assert_eq!(changed[0].name, "Talking");
        // A removed criterion's id is not reused: its ratings go with it.
        assert_eq!(changed[1].id, "problem_solving_2");
    }

    #[test]
    fn a_rubric_change_is_checked() {
        let current = rubric();
        let err = parse_rubric_change(&current, vec![]).unwrap_err();
        assert!(err.0.contains_key("criteria"));
        let most = (0..MAX_CRITERIA).map(|i| input(None, &format!("C{i}"))).collect();
        assert_eq!(parse_rubric_change(&current, most).unwrap().len(), MAX_CRITERIA);
        let too_many = (0..=MAX_CRITERIA).map(|i| input(None, &format!("C{i}"))).collect();
        assert!(parse_rubric_change(&current, too_many).unwrap_err().0.contains_key("criteria"));
        let err = parse_rubric_change(
            &current,
            vec![
                input(Some("nope"), "A"),
                input(None, "b"),
                input(None, "B"),
                input(None, &"n".repeat(MAX_CRITERION_NAME + 1)),
            ],
        )
        .unwrap_err();
        assert_eq!(
            err.0.keys().collect::<Vec<_>>(),
            ["criteria[0].id", "criteria[2].name", "criteria[3].name"],
            "{err:?}"
        );
        let long =
            CriterionInput { id: None, name: "A".into(), description: "d".repeat(MAX_CRITERION_DESCRIPTION + 1) };
        assert!(parse_rubric_change(&current, vec![long]).unwrap_err().0.contains_key("criteria[0].description"));
    }

    #[test]
    fn drafts_are_checked_against_the_rubric() {
        let rubric = rubric();
        let ok =
            parse_draft(&rubric, vec![rating("testing", Some(4)), rating("problem_solving", None)], None, "").unwrap();
        assert_eq!(ok.ratings[0].criterion_id, "problem_solving", "rubric order");
        let err = parse_draft(
            &rubric,
            vec![rating("elegance", Some(2)), rating("testing", Some(5)), rating("testing", Some(0))],
            None,
            &"s".repeat(MAX_SUMMARY + 1),
        )
        .unwrap_err();
        assert_eq!(
            err.0.keys().collect::<Vec<_>>(),
            ["ratings[0].criterion_id", "ratings[1].score", "ratings[2].criterion_id", "ratings[2].score", "summary"]
        );
        let long = RatingInput { criterion_id: "testing".into(), score: None, comment: "c".repeat(MAX_COMMENT + 1) };
        assert!(parse_draft(&rubric, vec![long], None, "").unwrap_err().0.contains_key("ratings[0].comment"));
    }

    #[test]
    fn a_submission_needs_every_score_and_a_recommendation() {
        let rubric = rubric();
        let draft = parse_draft(&rubric, vec![rating("testing", Some(3))], None, "").unwrap();
        let missing = missing_for_submit(&rubric, &draft.ratings, None);
        assert_eq!(
            missing.keys().collect::<Vec<_>>(),
            ["ratings.code_quality", "ratings.communication", "ratings.problem_solving", "recommendation"]
        );
        let all = rubric.iter().map(|c| rating(&c.id, Some(2))).collect();
        let draft = parse_draft(&rubric, all, Some(Recommendation::Yes), "").unwrap();
        assert!(missing_for_submit(&rubric, &draft.ratings, draft.recommendation).is_empty());
    }
}
