//! Workspace vocabulary: a member's role in a workspace (and what each role may do) and the
//! rubric criteria a workspace gives its new interviews.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::interview::string_enum;
use super::{FieldCheck, bounded_text};

string_enum!(
    /// Someone's role in a workspace: `owner` (everything, including deleting it), `admin`
    /// (members and settings), `member` (questions and interviews).
    WorkspaceRole { Owner => "owner", Admin => "admin", Member => "member" }
);

impl WorkspaceRole {
    /// Members, invites, settings and export.
    pub fn manages(self) -> bool {
        matches!(self, WorkspaceRole::Owner | WorkspaceRole::Admin)
    }

    /// Whether someone of this role may give `other` to a person (invite, change a role):
    /// owners give any role, admins give admin and member.
    pub fn may_grant(self, other: WorkspaceRole) -> bool {
        match self {
            WorkspaceRole::Owner => true,
            WorkspaceRole::Admin => other != WorkspaceRole::Owner,
            WorkspaceRole::Member => false,
        }
    }
}

/// One criterion interviewers rate a candidate on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricCriterion {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

pub const MAX_RUBRIC_CRITERIA: usize = 12;

/// The rubric of a new workspace.
pub fn default_rubric() -> Vec<RubricCriterion> {
    [
        ("Problem solving", "Understands the problem, finds a working approach, reasons about complexity."),
        ("Code quality", "Readable, well-structured, idiomatic code."),
        ("Communication", "Explains their thinking, asks clarifying questions, takes hints."),
        ("Testing & edge cases", "Tests their code and handles edge cases."),
    ]
    .into_iter()
    .map(|(name, description)| RubricCriterion { name: name.into(), description: description.into() })
    .collect()
}

/// Checks a rubric (1–12 criteria, names 1–60 characters and unique, descriptions at most 500),
/// recording each problem under `field` in `check`.
pub fn parse_rubric(check: &mut FieldCheck, field: &str, raw: Vec<RubricCriterion>) -> Option<Vec<RubricCriterion>> {
    if raw.is_empty() || raw.len() > MAX_RUBRIC_CRITERIA {
        check.fail(field, format!("must have between 1 and {MAX_RUBRIC_CRITERIA} criteria"));
        return None;
    }
    let mut criteria: Vec<RubricCriterion> = Vec::with_capacity(raw.len());
    let mut ok = true;
    for (i, criterion) in raw.into_iter().enumerate() {
        let name = check.take(&format!("{field}[{i}].name"), bounded_text(&criterion.name, 1, 60, false));
        let description =
            check.take(&format!("{field}[{i}].description"), bounded_text(&criterion.description, 0, 500, true));
        match (name, description) {
            (Some(name), Some(description)) => {
                if criteria.iter().any(|c| c.name.eq_ignore_ascii_case(&name)) {
                    check.fail(&format!("{field}[{i}].name"), "is used by another criterion");
                    ok = false;
                }
                criteria.push(RubricCriterion { name, description });
            }
            _ => ok = false,
        }
    }
    ok.then_some(criteria)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_grant_everything_admins_not_ownership_members_nothing() {
        use WorkspaceRole::*;
        assert!(Owner.may_grant(Owner) && Owner.may_grant(Admin) && Owner.may_grant(Member));
        assert!(!Admin.may_grant(Owner) && Admin.may_grant(Admin) && Admin.may_grant(Member));
        assert!(!Member.may_grant(Member));
        assert!(Owner.manages() && Admin.manages() && !Member.manages());
    }

    #[test]
    fn rubrics_are_checked() {
        let mut check = FieldCheck::default();
        assert_eq!(parse_rubric(&mut check, "r", default_rubric()), Some(default_rubric()));
        assert!(check.finish().is_ok());

        let mut check = FieldCheck::default();
        assert_eq!(parse_rubric(&mut check, "r", vec![]), None);
        assert!(check.finish().is_err());

        let twice = vec![
            RubricCriterion { name: "Clarity".into(), description: String::new() },
            RubricCriterion { name: "clarity".into(), description: String::new() },
        ];
        let mut check = FieldCheck::default();
        assert_eq!(parse_rubric(&mut check, "r", twice), None);
        assert!(check.finish().is_err());
    }
}
