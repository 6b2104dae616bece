//! Who may do what inside an interview: one function per decision, used by the HTTP routes
//! and the sockets alike, so a rule is written once. The answers are domain values (`Denial`),
//! which the HTTP layer turns into its errors.
//!
//! The table (host and interviewer have the same powers; "live" is the interview's status):
//!
//! | decision | host / interviewer | candidate | observer |
//! |---|---|---|---|
//! | run code | yes | while live, unless runs are disabled (`runs_disabled`) | no |
//! | cancel a run | any | their own, while live | no |
//! | interactive terminal: start it, type, interrupt, stop | while live | while live (start: unless runs are disabled) | no (watches) |
//! | code document | read + write (read after the end) | read + write while live (read while the editor is locked) | read |
//! | notes document | read + write, also after the end | no | no |
//! | others see their cursor and selection | yes | yes | no (only that they are there) |
//! | see a run of an interviewer's own code | yes | no | no |
//! | hidden test cases (content, output, numbers) | yes | pass/fail only | pass/fail only |
//! | see who is online (presence) | everyone | everyone but observers | everyone but observers |
//! | change the interview's controls (autocomplete, editor lock, runs, question; auto end: host only) | yes | no | no |
//! | held back by the editor lock | no | yes | (never writes) |
//! | read the rubric | yes | no | yes |
//! | edit the rubric (until the first scorecard is submitted) | host only | no | no |
//! | keep a scorecard of their own (write, submit) | yes | no | no |
//! | see others' submitted scorecards and the aggregate | host: always; interviewer: once theirs is submitted | no | no |
//! | reopen a submitted scorecard | host only | no | no |
//! | video: join the call (receive) | yes, until the end | yes, until the end | yes, until the end |
//! | video: send media / share screen | yes | yes | no (audio only once the host lets them speak) |
//! | video: let an observer speak | host only | no | no |
//! | read the timeline (joins, runs, changes, integrity signals) | yes | no | no |
//! | report integrity signals (paste, tab hidden, …) | no | yes, while live | no |
//! | replay the documents' history (text at any instant, every update) | yes | no | no |
//!
//! Nobody sees another's draft. Scorecards are kept while scheduled, live and after the end.

use codeview_collab::DocKind;
use serde::Serialize;

use super::{InterviewStatus, Role};

/// Why a decision is no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// The role never may: the action, for "You are not allowed to {action}".
    Forbidden(&'static str),
    /// The candidate waits for the interview to start (or it has ended): `interview_not_live`.
    NotLive(&'static str),
    /// The candidate opened the document before the start: `interview_not_started`.
    NotStarted,
    /// The interviewers paused running code for the candidate: `runs_disabled`.
    RunsDisabled,
}

/// How a socket may use a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocAccess {
    ReadWrite,
    ReadOnly,
}

/// Whether someone of `role` may queue a run in an interview that is `status`, with running
/// code paused for the candidate when `runs_disabled` (an interview control).
pub fn may_run_code(role: Role, status: InterviewStatus, runs_disabled: bool) -> Result<(), Denial> {
    match role {
        Role::Observer => Err(Denial::Forbidden("run code as an observer")),
        Role::Candidate if status != InterviewStatus::Live => {
            Err(Denial::NotLive("Code can be run once the interview has started."))
        }
        Role::Candidate if runs_disabled => Err(Denial::RunsDisabled),
        _ => Ok(()),
    }
}

/// Whether someone of `role` may start the interactive terminal (`starting`) or type into it,
/// interrupt or stop it, in an interview that is `status`: every non-observer while live; the
/// candidate starts one only when running code is not paused for them (`runs_disabled`).
pub fn may_use_terminal(
    role: Role,
    status: InterviewStatus,
    runs_disabled: bool,
    starting: bool,
) -> Result<(), Denial> {
    match role {
        Role::Observer => Err(Denial::Forbidden("use the terminal as an observer")),
        _ if status != InterviewStatus::Live => Err(Denial::NotLive("The terminal works while the interview is live.")),
        Role::Candidate if starting && runs_disabled => Err(Denial::RunsDisabled),
        _ => Ok(()),
    }
}

/// Whether someone of `role` may cancel a run (`own`: they asked for it).
pub fn may_cancel_run(role: Role, status: InterviewStatus, own: bool) -> Result<(), Denial> {
    match role {
        Role::Observer => Err(Denial::Forbidden("cancel runs as an observer")),
        Role::Candidate if status != InterviewStatus::Live => {
            Err(Denial::NotLive("Runs can be cancelled only while the interview is live."))
        }
        Role::Candidate if !own => Err(Denial::Forbidden("cancel someone else's run")),
        _ => Ok(()),
    }
}

/// How someone of `role` may open document `kind` of an interview that is `status`.
pub fn document_access(kind: DocKind, role: Role, status: InterviewStatus) -> Result<DocAccess, Denial> {
    match (kind, role) {
        // Interviewers finish their notes after the end; only the code is frozen.
        (DocKind::Notes, Role::Host | Role::Interviewer) => Ok(DocAccess::ReadWrite),
        (DocKind::Notes, _) => Err(Denial::Forbidden("read the interviewers' notes")),
        (DocKind::Code, Role::Host | Role::Interviewer) if status == InterviewStatus::Ended => Ok(DocAccess::ReadOnly),
        (DocKind::Code, Role::Host | Role::Interviewer) => Ok(DocAccess::ReadWrite),
        (DocKind::Code, Role::Candidate) if status == InterviewStatus::Live => Ok(DocAccess::ReadWrite),
        (DocKind::Code, Role::Candidate) => Err(Denial::NotStarted),
        (DocKind::Code, Role::Observer) => Ok(DocAccess::ReadOnly),
    }
}

/// Whether the editor lock (`editor_locked`, an interview control) holds back the document
/// updates of someone of `role`: the candidate's, dropped like an observer's while it is on.
/// Interviewers keep writing; observers never write anyway.
pub fn held_by_editor_lock(role: Role) -> bool {
    role == Role::Candidate
}

/// Whether others see the cursor and selection of someone of `role` in a shared document.
/// Observers watch: they may click and select in their read-only editor, and none of it is
/// shown to anyone (an observer's select-all once highlighted the whole file for everyone).
/// Read-only access alone does not hide a cursor: after the end, interviewers reviewing the
/// code together still point at lines.
pub fn shares_cursor(role: Role) -> bool {
    role != Role::Observer
}

/// Whether a run requested by `requester` is for interviewers only: it is when an interviewer
/// runs code of their own, other than the shared document's (the room's Run sends the shared
/// code it shows, and that run is everyone's).
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

/// Whether `viewer` is told the sandbox's isolation (a run's, the room's warning when it is
/// degraded): interviewers only; candidates are not told the sandbox is weaker.
pub fn sees_sandbox_isolation(viewer: Role) -> bool {
    viewer.is_interviewer()
}

/// Whether `viewer` sees `subject`'s presence (listed, online or not) on the room socket:
/// interviewers see everyone; candidates and observers do not see observers, so a candidate
/// is not shown who silently watches. The rule depends on the viewer only through
/// `is_interviewer`, which lets one event per audience serve every socket.
pub fn sees_presence_of(viewer: Role, subject: Role) -> bool {
    viewer.is_interviewer() || subject != Role::Observer
}

/// Whether someone of `role` may change the interview's controls (what the candidate is
/// allowed in the room, such as autocomplete). Everyone reads them; only interviewers set them,
/// so a candidate cannot turn back on what was turned off for them.
pub fn may_change_controls(role: Role) -> Result<(), Denial> {
    match role {
        Role::Host | Role::Interviewer => Ok(()),
        Role::Candidate | Role::Observer => Err(Denial::Forbidden("change the interview's controls")),
    }
}

/// Whether someone of `role` may replay the interview's documents: their text at any instant
/// and every update with its author. The code's history shows the candidate's every keystroke
/// (and the notes' what the interviewers wrote): it is the hiring team's, like the notes.
pub fn may_replay_history(role: Role) -> Result<(), Denial> {
    match role {
        Role::Host | Role::Interviewer => Ok(()),
        Role::Candidate | Role::Observer => Err(Denial::Forbidden("replay the interview's history")),
    }
}

/// Whether someone of `role` may turn the automatic end on or off: the host decides when their
/// interview ends ("no auto-end unless the host enabled it").
pub fn may_set_auto_end(role: Role) -> Result<(), Denial> {
    match role {
        Role::Host => Ok(()),
        _ => Err(Denial::Forbidden("turn the automatic end on or off (the host does)")),
    }
}

/// Whether someone of `role` may read the interview's rubric (the criteria, not the scores).
pub fn may_read_rubric(role: Role) -> Result<(), Denial> {
    match role {
        Role::Candidate => Err(Denial::Forbidden("read the interview's rubric")),
        _ => Ok(()),
    }
}

/// Whether someone of `role` may change the rubric (whether it is still unlocked is the
/// store's to say).
pub fn may_edit_rubric(role: Role) -> Result<(), Denial> {
    match role {
        Role::Host => Ok(()),
        _ => Err(Denial::Forbidden("change the rubric (only the host may)")),
    }
}

/// Whether someone of `role` keeps a scorecard (reads, writes and submits their own, and asks
/// for the list): the host and co-interviewers, never observers or candidates.
pub fn may_keep_scorecard(role: Role) -> Result<(), Denial> {
    match role {
        Role::Host | Role::Interviewer => Ok(()),
        Role::Observer | Role::Candidate => Err(Denial::Forbidden("keep or read scorecards")),
    }
}

/// Whether someone of `role`, whose own scorecard is submitted or not, sees the others'
/// submitted scorecards: the host always, a co-interviewer only once theirs is submitted
/// (blind until then, so nobody is swayed before forming their own view).
pub fn sees_others_scorecards(role: Role, own_submitted: bool) -> bool {
    match role {
        Role::Host => true,
        Role::Interviewer => own_submitted,
        Role::Observer | Role::Candidate => false,
    }
}

/// Whether someone of `role` may reopen a submitted scorecard (it becomes a draft again).
pub fn may_reopen_scorecard(role: Role) -> Result<(), Denial> {
    match role {
        Role::Host => Ok(()),
        _ => Err(Denial::Forbidden("reopen a scorecard (only the host may)")),
    }
}

/// What a peer of the video call may send: checked against every description it sends and
/// every media state it claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MaySend {
    /// A microphone track.
    pub audio: bool,
    /// A camera track.
    pub video: bool,
    /// A screen-share track.
    pub screen: bool,
}

/// What someone of `role` may send in the call; `speech_permitted` says whether the host let
/// this observer speak. Observers receive only, unless permitted to speak (audio, never video
/// or a screen); everyone else sends everything.
pub fn may_send_media(role: Role, speech_permitted: bool) -> MaySend {
    match role {
        Role::Observer => MaySend { audio: speech_permitted, video: false, screen: false },
        Role::Host | Role::Interviewer | Role::Candidate => MaySend { audio: true, video: true, screen: true },
    }
}

/// Whether someone of `role` may let an observer speak in the call (or take it back).
pub fn may_permit_speech(role: Role) -> Result<(), Denial> {
    match role {
        Role::Host => Ok(()),
        _ => Err(Denial::Forbidden("let an observer speak (only the host may)")),
    }
}

/// Whether someone of `role` may read the interview's timeline (integrity signals included):
/// the people who evaluate the candidate, not the candidate or observers.
pub fn may_read_timeline(role: Role) -> Result<(), Denial> {
    match role {
        Role::Host | Role::Interviewer => Ok(()),
        Role::Candidate | Role::Observer => Err(Denial::Forbidden("read the interview's timeline")),
    }
}

/// Whether someone of `role` may report integrity signals: only the candidate's browser does
/// (signals are evidence about the candidate; nobody may add any in their name).
pub fn may_report_signals(role: Role) -> Result<(), Denial> {
    match role {
        Role::Candidate => Ok(()),
        _ => Err(Denial::Forbidden("report integrity signals (only the candidate's browser does)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [Role; 4] = [Role::Host, Role::Interviewer, Role::Observer, Role::Candidate];
    const STATUSES: [InterviewStatus; 3] = [InterviewStatus::Scheduled, InterviewStatus::Live, InterviewStatus::Ended];

    /// One row per role, in `ROLES` order, one column per status in `STATUSES` order.
    fn by_role_and_status<T: PartialEq + std::fmt::Debug>(
        rows: [[T; 3]; 4],
        actual: impl Fn(Role, InterviewStatus) -> T,
    ) {
        for (role, row) in ROLES.into_iter().zip(rows) {
            for (status, expected) in STATUSES.into_iter().zip(row) {
                assert_eq!(actual(role, status), expected, "{role:?} while {status:?}");
            }
        }
    }

    #[test]
    fn running_code_follows_the_table() {
        let (yes, no, wait) = (true, false, false);
        by_role_and_status([[yes, yes, yes], [yes, yes, yes], [no, no, no], [wait, yes, wait]], |role, status| {
            may_run_code(role, status, false).is_ok()
        });
        assert_eq!(
            may_run_code(Role::Candidate, InterviewStatus::Scheduled, false),
            Err(Denial::NotLive("Code can be run once the interview has started."))
        );
    }

    #[test]
    fn disabled_runs_stop_the_candidate_only() {
        by_role_and_status(
            [[true, true, true], [true, true, true], [false, false, false], [false, false, false]],
            |role, status| may_run_code(role, status, true).is_ok(),
        );
        assert_eq!(may_run_code(Role::Candidate, InterviewStatus::Live, true), Err(Denial::RunsDisabled));
    }

    #[test]
    fn the_terminal_follows_the_table() {
        let live_only = [false, true, false];
        let none = [false, false, false];
        for (runs_disabled, starting) in [(false, false), (false, true), (true, false)] {
            by_role_and_status([live_only, live_only, none, live_only], |role, status| {
                may_use_terminal(role, status, runs_disabled, starting).is_ok()
            });
        }
        assert_eq!(may_use_terminal(Role::Candidate, InterviewStatus::Live, true, true), Err(Denial::RunsDisabled));
        assert!(may_use_terminal(Role::Host, InterviewStatus::Live, true, true).is_ok());
    }

    #[test]
    fn interviewers_read_the_timeline_and_only_the_candidate_reports_signals() {
        for role in ROLES {
            assert_eq!(may_read_timeline(role).is_ok(), role.is_interviewer(), "{role:?}");
            assert_eq!(may_report_signals(role).is_ok(), role == Role::Candidate, "{role:?}");
        }
    }

    #[test]
    fn only_the_candidate_is_held_by_the_editor_lock() {
        for role in ROLES {
            assert_eq!(held_by_editor_lock(role), role == Role::Candidate, "{role:?}");
        }
    }

    #[test]
    fn cancelling_follows_the_table() {
        by_role_and_status(
            [[true, true, true], [true, true, true], [false, false, false], [false, true, false]],
            |role, status| may_cancel_run(role, status, true).is_ok(),
        );
        by_role_and_status(
            [[true, true, true], [true, true, true], [false, false, false], [false, false, false]],
            |role, status| may_cancel_run(role, status, false).is_ok(),
        );
    }

    #[test]
    fn documents_follow_the_table() {
        use DocAccess::{ReadOnly as R, ReadWrite as W};
        let no = Err(Denial::Forbidden("read the interviewers' notes"));
        by_role_and_status(
            [
                [Ok(W), Ok(W), Ok(R)],
                [Ok(W), Ok(W), Ok(R)],
                [Ok(R), Ok(R), Ok(R)],
                [Err(Denial::NotStarted), Ok(W), Err(Denial::NotStarted)],
            ],
            |role, status| document_access(DocKind::Code, role, status),
        );
        by_role_and_status(
            [[Ok(W), Ok(W), Ok(W)], [Ok(W), Ok(W), Ok(W)], [no, no, no], [no, no, no]],
            |role, status| document_access(DocKind::Notes, role, status),
        );
    }

    #[test]
    fn only_observers_hide_their_cursor() {
        assert!(shares_cursor(Role::Host));
        assert!(shares_cursor(Role::Interviewer));
        assert!(shares_cursor(Role::Candidate));
        assert!(!shares_cursor(Role::Observer));
    }

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
            assert_eq!(sees_sandbox_isolation(viewer), interviewer, "{viewer:?} and the sandbox's isolation");
        }
    }

    #[test]
    fn presence_hides_observers_from_everyone_but_interviewers() {
        // One row per viewer, one column per subject, both in `ROLES` order.
        let table =
            [[true, true, true, true], [true, true, true, true], [true, true, false, true], [true, true, false, true]];
        for (viewer, row) in ROLES.into_iter().zip(table) {
            for (subject, expected) in ROLES.into_iter().zip(row) {
                assert_eq!(sees_presence_of(viewer, subject), expected, "{viewer:?} sees {subject:?}");
            }
        }
    }

    #[test]
    fn only_interviewers_change_the_controls() {
        let no = Err(Denial::Forbidden("change the interview's controls"));
        let table = [(Role::Host, Ok(())), (Role::Interviewer, Ok(())), (Role::Observer, no), (Role::Candidate, no)];
        for (role, expected) in table {
            assert_eq!(may_change_controls(role), expected, "{role:?}");
        }
    }

    #[test]
    fn only_the_host_sets_the_automatic_end() {
        assert_eq!(may_set_auto_end(Role::Host), Ok(()));
        for role in [Role::Interviewer, Role::Observer, Role::Candidate] {
            assert!(may_set_auto_end(role).is_err(), "{role:?}");
        }
    }

    #[test]
    fn scorecards_follow_the_table() {
        // host, interviewer, observer, candidate
        let table = [
            (true, true, true, true, true),
            (true, false, true, false, false),
            (true, false, false, false, false),
            (false, false, false, false, false),
        ];
        for (role, (read_rubric, edit_rubric, keep, reopen, sees_blind)) in ROLES.into_iter().zip(table) {
            assert_eq!(may_read_rubric(role).is_ok(), read_rubric, "{role:?} reads the rubric");
            assert_eq!(may_edit_rubric(role).is_ok(), edit_rubric, "{role:?} edits the rubric");
            assert_eq!(may_keep_scorecard(role).is_ok(), keep, "{role:?} keeps a scorecard");
            assert_eq!(may_reopen_scorecard(role).is_ok(), reopen, "{role:?} reopens");
            assert_eq!(sees_others_scorecards(role, false), sees_blind, "{role:?} sees others before submitting");
            assert_eq!(sees_others_scorecards(role, true), keep, "{role:?} sees others after submitting");
        }
    }

    #[test]
    fn only_observers_are_held_to_receiving_and_only_the_host_lets_them_speak() {
        let everything = MaySend { audio: true, video: true, screen: true };
        let nothing = MaySend { audio: false, video: false, screen: false };
        let speech = MaySend { audio: true, video: false, screen: false };
        // host, interviewer, observer, candidate: (not permitted, permitted, may permit)
        let table = [
            (everything, everything, true),
            (everything, everything, false),
            (nothing, speech, false),
            (everything, everything, false),
        ];
        for (role, (held, permitted, permits)) in ROLES.into_iter().zip(table) {
            assert_eq!(may_send_media(role, false), held, "{role:?}");
            assert_eq!(may_send_media(role, true), permitted, "{role:?} permitted to speak");
            assert_eq!(may_permit_speech(role).is_ok(), permits, "{role:?} lets an observer speak");
        }
    }
}
