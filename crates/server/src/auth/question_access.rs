//! Who may see a question's hidden test cases: the one rule every route that returns or
//! attaches questions applies.
//!
//! Question ids reach candidates and observers (the interview carries them), so an id proves
//! nothing. In the bank, hidden cases go to members of the question's workspace only, and
//! never to a member who is also a candidate or observer of an interview using it; the
//! starter library belongs to no workspace, so nobody gets its hidden cases there (they are
//! public in the source; duplicating a starter question copies them). Inside an interview,
//! its host and interviewers see them and its candidate and observers do not. Attaching a
//! question with hidden cases to an interview needs the bank's right to see them, or a guest
//! could attach it to an interview of their own and read them as its host.

use std::collections::HashSet;

use uuid::Uuid;

use crate::db::Question;
use crate::domain::Role;

/// Who is looking at a question.
#[derive(Debug, Clone, Copy)]
pub enum QuestionViewer<'a> {
    /// An account holder in the bank: the workspaces they belong to, and the questions of the
    /// interviews they take part in as an observer or candidate
    /// (`InterviewStore::questions_seen_as_guest`).
    Bank { workspaces: &'a HashSet<Uuid>, guest_questions: &'a HashSet<Uuid> },
    /// A participant of an interview that uses the question.
    Interview { role: Role },
}

/// Whether `viewer` may see the content of `question`'s hidden test cases.
pub fn sees_hidden_cases(question: &Question, viewer: QuestionViewer<'_>) -> bool {
    match viewer {
        QuestionViewer::Bank { workspaces, guest_questions } => {
            !question.builtin
                && question.workspace_id.is_some_and(|id| workspaces.contains(&id))
                && !guest_questions.contains(&question.id)
        }
        QuestionViewer::Interview { role } => crate::domain::policy::sees_hidden_cases(role),
    }
}

/// Whether an account holder may attach `question` to an interview: the starter library and
/// questions without hidden cases are open to all; others need the bank's right to see them.
pub fn may_attach(question: &Question, viewer: QuestionViewer<'_>) -> bool {
    question.builtin
        || !question.content.test_cases.iter().any(|case| case.hidden)
        || sees_hidden_cases(question, viewer)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::db::{QuestionContent, TestCase};

    fn question(workspace: Option<Uuid>, builtin: bool) -> Question {
        let case = |hidden| TestCase {
            id: Uuid::now_v7(),
            input: "1".into(),
            expected_output: "1".into(),
            hidden,
            ordered: true,
        };
        Question {
            id: Uuid::now_v7(),
            slug: None,
            content: QuestionContent {
                title: "t".into(),
                prompt: "p".into(),
                difficulty: crate::domain::Difficulty::Easy,
                category: "c".into(),
                tags: vec![],
                starter_code: Default::default(),
                test_cases: vec![case(false), case(true)],
                sql_schema: None,
            },
            builtin,
            workspace_id: workspace,
            created_by: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            deleted: false,
        }
    }

    #[test]
    fn hidden_cases_follow_the_table() {
        let (team, elsewhere) = (HashSet::from([Uuid::now_v7()]), HashSet::from([Uuid::now_v7()]));
        let own = question(team.iter().next().copied(), false);
        let starter = question(None, true);
        let none = HashSet::new();
        let guest_of_own = HashSet::from([own.id]);
        let bank = |workspaces, guest_questions| QuestionViewer::Bank { workspaces, guest_questions };
        let cases = [
            (&own, bank(&team, &none), true, "a member of its workspace"),
            (&own, bank(&elsewhere, &none), false, "a member of another workspace"),
            (&own, bank(&team, &guest_of_own), false, "a member observing an interview using it"),
            (&starter, bank(&team, &none), false, "the starter library in the bank"),
            (&starter, QuestionViewer::Interview { role: Role::Host }, true, "the host"),
            (&own, QuestionViewer::Interview { role: Role::Interviewer }, true, "an interviewer"),
            (&own, QuestionViewer::Interview { role: Role::Observer }, false, "an observer"),
            (&own, QuestionViewer::Interview { role: Role::Candidate }, false, "the candidate"),
        ];
        for (question, viewer, expected, who) in cases {
            assert_eq!(sees_hidden_cases(question, viewer), expected, "{who}");
        }
    }

    #[test]
    fn only_questions_whose_hidden_cases_one_may_see_are_attached() {
        let (team, elsewhere) = (HashSet::from([Uuid::now_v7()]), HashSet::from([Uuid::now_v7()]));
        let workspace = team.iter().next().copied();
        let none = HashSet::new();
        let mut open = question(workspace, false);
        open.content.test_cases.retain(|case| !case.hidden);
        let bank = |workspaces| QuestionViewer::Bank { workspaces, guest_questions: &none };
        assert!(may_attach(&question(workspace, false), bank(&team)));
        assert!(!may_attach(&question(workspace, false), bank(&elsewhere)));
        assert!(may_attach(&open, bank(&elsewhere)));
        assert!(may_attach(&question(None, true), bank(&elsewhere)));
    }
}
