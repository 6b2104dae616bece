//! Workspace vocabulary: a member's role in a workspace (and what each role may do) and the
//! rubric criteria a workspace gives its new interviews.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::interview::string_enum;
use super::{FieldCheck, rubric};

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

/// Checks a rubric against the limits in [`super::rubric`] (1–12 criteria, names 1–60
/// characters and unique, descriptions at most 500), recording each problem under `field` in
/// `check`.
pub fn parse_rubric(check: &mut FieldCheck, field: &str, raw: Vec<RubricCriterion>) -> Option<Vec<RubricCriterion>> {
    if !rubric::check_count(check, field, raw.len()) {
        return None;
    }
    let checked = rubric::check_criteria(check, field, raw.iter().map(|c| (c.name.as_str(), c.description.as_str())));
    checked.into_iter().map(|c| c.map(|(name, description)| RubricCriterion { name, description })).collect()
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
