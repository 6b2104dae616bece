//! Who sees what of a run, decided in one place for the HTTP routes, the history and the room
//! events alike.
//!
//! - A run of an interviewer's own code (not the shared document: a reference solution, say)
//!   belongs to the interviewers: candidates and observers never learn it exists.
//! - Hidden test cases show candidates and observers only pass/fail and a coarse reason;
//!   interviewers see everything.

use crate::domain::Role;

/// Whether a run requested by `requester` is for interviewers only: it is when an interviewer
/// runs code of their own instead of the shared document.
pub fn is_interviewers_only(requester: Role, own_code: bool) -> bool {
    requester.is_interviewer() && own_code
}

/// Whether `viewer` may see a run at all (its history entry, `GET /api/runs/{id}`, its events).
pub fn may_see_run(viewer: Role, interviewers_only: bool) -> bool {
    !interviewers_only || viewer.is_interviewer()
}

/// Whether `viewer` sees the content and numbers of hidden test cases.
pub fn sees_hidden_cases(viewer: Role) -> bool {
    viewer.is_interviewer()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [Role; 4] = [Role::Host, Role::Interviewer, Role::Observer, Role::Candidate];

    #[test]
    fn only_an_interviewers_own_code_makes_a_private_run() {
        let table = [
            (Role::Host, true, true),
            (Role::Interviewer, true, true),
            (Role::Candidate, true, false),
            (Role::Host, false, false),
            (Role::Interviewer, false, false),
            (Role::Candidate, false, false),
        ];
        for (requester, own_code, private) in table {
            assert_eq!(is_interviewers_only(requester, own_code), private, "{requester:?} own_code={own_code}");
        }
    }

    #[test]
    fn private_runs_and_hidden_cases_are_for_interviewers_only() {
        for viewer in ROLES {
            let interviewer = matches!(viewer, Role::Host | Role::Interviewer);
            assert!(may_see_run(viewer, false), "{viewer:?} sees shared runs");
            assert_eq!(may_see_run(viewer, true), interviewer, "{viewer:?} and private runs");
            assert_eq!(sees_hidden_cases(viewer), interviewer, "{viewer:?} and hidden cases");
        }
    }
}
