//! Who may see a question's hidden test cases: the one rule every route that returns or
//! attaches questions applies.
//!
//! Question ids reach candidates and observers (the interview carries them) and anyone may
//! register, so an id proves nothing. In the bank, hidden cases go to the question's author
//! only, and never to an author who is also a candidate or observer of an interview using it;
//! the starter library has no author, so nobody gets its hidden cases there. Inside an
//! interview, its host and interviewers see them and its candidate and observers do not.
//! Attaching a question with hidden cases to an interview needs the bank's right to see them,
//! or a stranger could attach any id to an interview of their own and read them as its host.

use std::collections::HashSet;

use uuid::Uuid;

use crate::db::Question;
use crate::domain::Role;

/// Who is looking at a question.
#[derive(Debug, Clone, Copy)]
pub enum QuestionViewer<'a> {
    /// An account holder in the bank, with the questions of the interviews they take part in
    /// as an observer or candidate (`InterviewStore::questions_seen_as_guest`).
    Bank { user_id: Uuid, guest_questions: &'a HashSet<Uuid> },
    /// A participant of an interview that uses the question.
    Interview { role: Role },
}

/// Whether `viewer` may see the content of `question`'s hidden test cases.
pub fn sees_hidden_cases(question: &Question, viewer: QuestionViewer<'_>) -> bool {
    match viewer {
        QuestionViewer::Bank { user_id, guest_questions } => {
            !question.builtin && question.created_by == Some(user_id) && !guest_questions.contains(&question.id)
        }
        QuestionViewer::Interview { role } => crate::runs::policy::sees_hidden_cases(role),
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

    fn question(author: Option<Uuid>, builtin: bool) -> Question {
        let case = |hidden| TestCase { id: Uuid::now_v7(), input: "1".into(), expected_output: "1".into(), hidden };
        Question {
            id: Uuid::now_v7(),
            slug: None,
            content: QuestionContent {
                title: "t".into(),
                prompt: "p".into(),
                difficulty: "easy".into(),
                category: "c".into(),
                tags: vec![],
                starter_code: Default::default(),
                test_cases: vec![case(false), case(true)],
            },
            builtin,
            created_by: author,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            deleted: false,
        }
    }

    #[test]
    fn hidden_cases_follow_the_table() {
        let (author, other) = (Uuid::now_v7(), Uuid::now_v7());
        let own = question(Some(author), false);
        let starter = question(None, true);
        let none = HashSet::new();
        let guest_of_own = HashSet::from([own.id]);
        let bank = |user_id, guest_questions| QuestionViewer::Bank { user_id, guest_questions };
        let cases = [
            (&own, bank(author, &none), true, "the author"),
            (&own, bank(other, &none), false, "another account"),
            (&own, bank(author, &guest_of_own), false, "the author observing an interview using it"),
            (&starter, bank(author, &none), false, "the starter library in the bank"),
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
        let (author, other) = (Uuid::now_v7(), Uuid::now_v7());
        let none = HashSet::new();
        let mut open = question(Some(author), false);
        open.content.test_cases.retain(|case| !case.hidden);
        assert!(may_attach(
            &question(Some(author), false),
            QuestionViewer::Bank { user_id: author, guest_questions: &none }
        ));
        assert!(!may_attach(
            &question(Some(author), false),
            QuestionViewer::Bank { user_id: other, guest_questions: &none }
        ));
        assert!(may_attach(&open, QuestionViewer::Bank { user_id: other, guest_questions: &none }));
        assert!(may_attach(&question(None, true), QuestionViewer::Bank { user_id: other, guest_questions: &none }));
    }
}
